//! The console in English and Simplified Chinese (issue 17, "Two languages"), through the real
//! router on both backends: English by default; the browser's `Accept-Language` (zh*) shows the
//! page frame, the menus and the partner's overview in Chinese under `<html lang="zh-CN">`; the
//! header's switch sets the `opc_lang` cookie, which wins over the browser; the signed-out
//! sign-in page follows the same choice, and so does a page refused to the viewer; a signed-in
//! person's choice is kept with its account and wins over the browser's.

use opc_testkit::app::{TestApp, TestResponse};
use opc_testkit::console::{csrf_token, flash, hcpn_partner, staff};
use opc_testkit::{on_both_backends, TestStore};

on_both_backends!(
    the_partners_overview_is_in_english_by_default_and_in_chinese_for_a_chinese_browser,
    the_switch_sets_a_cookie_that_wins_over_the_browser,
    the_sign_in_page_and_signing_out_speak_the_chosen_language,
    the_operators_menu_is_translated_too,
    the_choice_is_kept_with_the_account_across_browsers,
    every_page_of_every_audience_speaks_chinese,
);

const CHINESE_BROWSER: &str = "zh-CN,zh;q=0.9,en;q=0.8";

/// A page as a browser with `session`, the `opc_lang` cookie `lang` and `Accept-Language`
/// `accept` gets it.
async fn get(
    app: &TestApp,
    path: &str,
    session: Option<&str>,
    lang: Option<&str>,
    accept: Option<&str>,
) -> TestResponse {
    let mut cookies = vec![];
    if let Some(s) = session {
        cookies.push(format!("opc_session={s}"));
    }
    if let Some(l) = lang {
        cookies.push(format!("opc_lang={l}"));
    }
    let mut headers = vec![];
    if !cookies.is_empty() {
        headers.push(("Cookie".to_owned(), cookies.join("; ")));
    }
    if let Some(a) = accept {
        headers.push(("Accept-Language".to_owned(), a.to_owned()));
    }
    app.send("GET", path, "", &headers).await
}

fn has(page: &str, text: &str) {
    assert!(page.contains(text), "expected {text:?} in:\n{page}");
}

fn lacks(page: &str, text: &str) {
    assert!(!page.contains(text), "did not expect {text:?} in:\n{page}");
}

async fn the_partners_overview_is_in_english_by_default_and_in_chinese_for_a_chinese_browser(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "ana@lang.example", "Lang Ltd").await;

    // No choice and no browser language: English, as before.
    let r = get(&app, "/partner", Some(&session), None, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, r#"<html lang="en-US">"#);
    has(&r.body, r#"aria-current="page">Overview</a>"#);
    has(&r.body, "Skip to content");
    has(&r.body, "Sign out");
    has(&r.body, "<h2>Account</h2>");
    has(&r.body, "State: <span class=\"badge ok\">Normal</span>");
    has(&r.body, "Nothing waits for you.");
    has(&r.body, "<title>Overview · Open Partner Center</title>");
    // The switch offers Chinese, named in Chinese, and comes back here.
    has(&r.body, r#"href="/lang?to=zh-CN&amp;next="#);
    has(&r.body, ">中文</a>");

    // An English browser: English.
    let r = get(&app, "/partner", Some(&session), None, Some("en-GB,en;q=0.9")).await;
    has(&r.body, r#"<html lang="en-US">"#);

    // A Chinese browser: the frame, the menu and the overview in Chinese; numbers stay numbers.
    let r = get(&app, "/partner", Some(&session), None, Some(CHINESE_BROWSER)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let zh = &r.body;
    has(zh, r#"<html lang="zh-CN">"#);
    has(zh, r#"aria-current="page">概览</a>"#);
    has(zh, ">客户</a>");
    has(zh, ">审计日志</a>");
    has(zh, "跳到正文");
    has(zh, "退出登录");
    has(zh, "处理中…");
    has(zh, "<h2>账号</h2>");
    has(zh, "状态：<span class=\"badge ok\">正常</span>");
    has(zh, ">待办</h2>");
    has(zh, "暂无待办事项。");
    has(zh, "邀请客户");
    has(zh, "<title>概览 · Open Partner Center</title>");
    has(zh, r#"href="/lang?to=en-US&amp;next="#);
    has(zh, ">English</a>");
    has(zh, r#"<span aria-current="true" lang="zh-CN">中文</span>"#);
    for english in [">Overview</a>", "Skip to content", "Sign out", "Nothing waits for you.", "To do"] {
        lacks(zh, english);
    }
    // The menu still links the same pages.
    has(zh, r#"<nav aria-label="主菜单">"#);
    has(zh, r#"href="/partner/customers""#);

    // A page refused to the viewer says so in its language.
    let r = get(&app, "/operator", Some(&session), None, Some(CHINESE_BROWSER)).await;
    assert!(r.status.is_client_error(), "{}: {}", r.status, r.body);
    has(&r.body, "<h1>无法访问</h1>");
    has(&r.body, "返回首页");
    let r = get(&app, "/operator", Some(&session), None, None).await;
    has(&r.body, "<h1>Not available</h1>");
}

async fn the_switch_sets_a_cookie_that_wins_over_the_browser(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "bo@lang.example", "Switch Ltd").await;

    // The switch: a plain GET that remembers the choice and returns to the page.
    let r = get(&app, "/lang?to=zh-CN&next=%2Fpartner", Some(&session), None, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.headers["location"], "/partner");
    let set: Vec<&str> = r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(set.iter().any(|c| c.starts_with("opc_lang=zh-CN;") && c.contains("Max-Age=")), "{set:?}");

    // With the cookie the overview is Chinese, even for an English browser.
    let r = get(&app, "/partner", Some(&session), Some("zh-CN"), Some("en-US,en;q=0.9")).await;
    has(&r.body, r#"<html lang="zh-CN">"#);
    has(&r.body, ">概览</a>");

    // Switching back to English: the cookie wins over a Chinese browser.
    let r = get(&app, "/lang?to=en-US&next=%2Fpartner", Some(&session), Some("zh-CN"), None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let set: Vec<&str> = r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(set.iter().any(|c| c.starts_with("opc_lang=en-US;")), "{set:?}");
    let r = get(&app, "/partner", Some(&session), Some("en-US"), Some(CHINESE_BROWSER)).await;
    has(&r.body, r#"<html lang="en-US">"#);
    has(&r.body, ">Overview</a>");

    // Only a path on this site is returned to, and an unknown language changes nothing.
    let r = get(&app, "/lang?to=zh-CN&next=https%3A%2F%2Fevil.example%2F", None, None, None).await;
    assert_eq!(r.headers["location"], "/");
    let r = get(&app, "/lang?to=fr-FR&next=%2Flogin", None, None, None).await;
    assert_eq!(r.status, 303);
    assert!(r.headers.get("set-cookie").is_none(), "{:?}", r.headers);
    // An unknown cookie value falls back to the browser.
    let r = get(&app, "/login", None, Some("xx"), Some(CHINESE_BROWSER)).await;
    has(&r.body, r#"<html lang="zh-CN">"#);
}

/// A signed-in person's choice is kept with its account: another browser (no cookie, an
/// English `Accept-Language`) shows its pages in that language; a choice made on the sign-in
/// page before signing in becomes the account's.
async fn the_choice_is_kept_with_the_account_across_browsers(db: TestStore) {
    let app = TestApp::new(db).await;
    let (session, _) = hcpn_partner(&app, "di@lang.example", "Kept Ltd").await;
    // No choice yet: the browser decides.
    let r = get(&app, "/partner", Some(&session), None, Some("en-US")).await;
    has(&r.body, r#"<html lang="en-US">"#);
    assert_eq!(get(&app, "/lang?to=zh-CN&next=%2Fpartner", Some(&session), None, None).await.status, 303);
    // Another browser of the same person: Chinese, although it asks for English and has no cookie.
    let other = opc_testkit::console::sign_in(&app, "di@lang.example", "Secret123!").await;
    let r = get(&app, "/partner", Some(&other), None, Some("en-US")).await;
    has(&r.body, r#"<html lang="zh-CN">"#);
    has(&r.body, ">概览</a>");
    // Its stored choice wins over a stale cookie of this browser.
    let r = get(&app, "/partner", Some(&other), Some("en-US"), None).await;
    has(&r.body, r#"<html lang="zh-CN">"#);

    // A link on another site changes this browser's cookie, not the account's choice.
    let cross =
        [("Cookie".to_owned(), format!("opc_session={other}")), ("Sec-Fetch-Site".to_owned(), "cross-site".to_owned())];
    assert_eq!(app.send("GET", "/lang?to=en-US&next=%2Fpartner", "", &cross).await.status, 303);
    let r = get(&app, "/partner", Some(&other), None, Some("en-US")).await;
    has(&r.body, r#"<html lang="zh-CN">"#);

    // English chosen on the sign-in page, then signing in: the account's choice is English now.
    let headers = vec![
        ("Cookie".to_owned(), "opc_csrf=0123456789abcdef0123456789abcdef; opc_lang=en-US".to_owned()),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    let body = "_csrf=0123456789abcdef0123456789abcdef&next=%2Fpartner&login=di%40lang.example&password=Secret123%21";
    let r = app.send("POST", "/login", body, &headers).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = get(&app, "/partner", Some(&session), None, Some(CHINESE_BROWSER)).await;
    has(&r.body, r#"<html lang="en-US">"#);
}

async fn the_sign_in_page_and_signing_out_speak_the_chosen_language(db: TestStore) {
    let app = TestApp::new(db).await;

    // Signed out, English by default.
    let r = get(&app, "/login", None, None, None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, r#"<html lang="en-US">"#);
    has(&r.body, "<h1>Sign in</h1>");
    has(&r.body, "Login ID or email");
    has(&r.body, r#"href="/lang?to=zh-CN&amp;next=/login""#);

    // A Chinese browser, or the cookie: the sign-in page in Chinese, its form unchanged.
    for (lang, accept) in [(None, Some(CHINESE_BROWSER)), (Some("zh-CN"), None)] {
        let r = get(&app, "/login?next=%2Fpartner", None, lang, accept).await;
        assert_eq!(r.status, 200, "{}", r.body);
        has(&r.body, r#"<html lang="zh-CN">"#);
        has(&r.body, "<h1>登录</h1>");
        has(&r.body, "登录 ID 或邮箱");
        has(&r.body, "密码");
        has(&r.body, r#"name="login""#);
        has(&r.body, r#"name="password""#);
        has(&r.body, r#"name="next" value="/partner""#);
        has(&r.body, ">English</a>");
        lacks(&r.body, "Login ID or email");
        lacks(&r.body, "Sign out");
    }

    // A refused sign-in is shown again in Chinese (the use case's own message aside), its
    // switch coming back to the sign-in page.
    let token = "0123456789abcdef0123456789abcdef";
    let headers = vec![
        ("Cookie".to_owned(), format!("opc_csrf={token}; opc_lang=zh-CN")),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    let body = format!("_csrf={token}&next=%2Fpartner&login=nobody%40lang.example&password=wrong-password");
    let r = app.send("POST", "/login", &body, &headers).await;
    assert!(r.status.is_client_error(), "{}: {}", r.status, r.body);
    has(&r.body, r#"<html lang="zh-CN">"#);
    has(&r.body, "<h1>登录</h1>");
    has(&r.body, r#"value="nobody@lang.example""#);
    has(&r.body, r#"href="/lang?to=en-US&amp;next=/login%3Fnext%3D/partner""#);
    let r = get(&app, "/lang?to=en-US&next=/login%3Fnext%3D/partner", None, Some("zh-CN"), None).await;
    assert_eq!(r.headers["location"], "/login?next=/partner");

    // Signing out in Chinese leaves a Chinese message on the sign-in page.
    let (session, _) = hcpn_partner(&app, "cy@lang.example", "Out Ltd").await;
    let headers = vec![
        ("Cookie".to_owned(), format!("opc_session={session}; opc_lang=zh-CN")),
        ("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    let r = app.send("POST", "/logout", &format!("_csrf={}", csrf_token(&session)), &headers).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(flash(&r), "+您已退出登录。");
}

async fn the_operators_menu_is_translated_too(db: TestStore) {
    let app = TestApp::new(db).await;
    let session = staff(&app).await;
    let r = get(&app, "/operator", Some(&session), None, Some(CHINESE_BROWSER)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    has(&r.body, r#"<html lang="zh-CN">"#);
    has(&r.body, ">审核</a>");
    has(&r.body, ">储值卡</a>");
    has(&r.body, "Olga Ops（运营人员）");
    let r = get(&app, "/operator", Some(&session), None, None).await;
    has(&r.body, ">Reviews</a>");
    has(&r.body, "Olga Ops (operator)");
}

/// Whether `text` has a CJK character.
fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The texts of every `<open …>…</close>` in `page`, tags inside stripped.
fn texts_of(page: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = page;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(start) = after.find('>') else { break };
        let Some(end) = after.find(close) else { break };
        if end > start {
            let inner = &after[start + 1..end];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            out.push(text.trim().to_owned());
        }
        rest = &after[end..];
    }
    out
}

/// The main menu's links of a page.
fn menu_links(page: &str) -> Vec<String> {
    let nav = page.split("<nav aria-label=\"主菜单\">").nth(1).and_then(|n| n.split("</nav>").next()).unwrap_or("");
    nav.split("href=\"").skip(1).filter_map(|l| l.split('"').next()).map(|l| l.replace("&amp;", "&")).collect()
}

/// Issue 17: every page of the menus of a partner, the operator and a customer, and a customer's
/// own page at its partner, read in Chinese: each page's title, column headers and buttons are
/// Chinese, and none of the words every list and form shares is left in English.
async fn every_page_of_every_audience_speaks_chinese(db: TestStore) {
    use opc_domain::association::AssociationModel;
    let app = TestApp::new(db).await;
    let ops = staff(&app).await;
    let partner = opc_testkit::shop::partner(&app, "zh@lang.example", "Zhong Ltd").await;
    let customer = opc_testkit::shop::customer(&app, &partner.id, "zhcustomer", AssociationModel::Reseller).await;
    let audiences = [
        ("operator", ops.as_str(), "/operator", None),
        ("partner", partner.session.as_str(), "/partner", Some(format!("/partner/customers/{}", customer.id.as_str()))),
        ("customer", customer.session.as_str(), "/my-partner", None),
    ];
    let mut problems = vec![];
    for (who, session, home, extra) in audiences {
        let r = get(&app, home, Some(session), Some("zh-CN"), None).await;
        assert_eq!(r.status, 200, "{who} {home}: {}", r.body);
        let mut paths = menu_links(&r.body);
        assert!(paths.len() >= 3, "{who}'s menu: {paths:?}");
        paths.extend(extra);
        for path in paths {
            let r = get(&app, &path, Some(session), Some("zh-CN"), None).await;
            if r.status != 200 {
                problems.push(format!("{who} {path}: HTTP {}", r.status));
                continue;
            }
            let page = &r.body;
            if !page.contains(r#"<html lang="zh-CN">"#) {
                problems.push(format!("{who} {path}: not in Chinese"));
            }
            let title = texts_of(page, "<title", "</title>").join("");
            if !chinese(&title) {
                problems.push(format!("{who} {path}: title {title:?}"));
            }
            for (what, open, close) in [("column", "<th scope=\"col\"", "</th>"), ("button", "<button", "</button>")] {
                for text in texts_of(page, open, close) {
                    if !text.is_empty()
                        && !chinese(&text)
                        && !text.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
                    {
                        problems.push(format!("{who} {path}: {what} {text:?}"));
                    }
                }
            }
            for english in
                ["Nothing here yet.", "Download CSV", ">Previous<", ">Next<", "fields need correcting", "Sign out"]
            {
                if page.contains(english) {
                    problems.push(format!("{who} {path}: {english:?}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
