//! The console's two languages (issue 17): English and Simplified Chinese, the seeds' two sites.
//! Words live in Fluent catalogues (`crates/opc-http/locales/<lang>/<area>.ftl`), embedded in
//! the binary and parsed once; a page asks for a message by id in the viewer's language
//! (`Lang::t`, `Lang::t_with`). Numbers and money are not translated
//! (`Money::to_display_string`).
//!
//! Whose language: the `opc_lang` cookie the header's switch sets (`/lang`), else the browser's
//! `Accept-Language` (its first supported language by weight: `zh*` is Chinese), else English.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use opc_core::ops::console;
use opc_core::Context;
use opc_domain::notification::Language;
use serde::Deserialize;

use super::extract::PageQuery;
use super::Viewer;
use crate::session::{Cookie, Cookies};

/// A language the console speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    English,
    Chinese,
}

impl Lang {
    /// In the switch's order: "中文 / English".
    pub const ALL: [Lang; 2] = [Lang::Chinese, Lang::English];

    /// The BCP 47 tag: `<html lang>`, the cookie's value and the catalogue's folder.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::English => "en-US",
            Lang::Chinese => "zh-CN",
        }
    }

    /// The language's own name, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::English => "English",
            Lang::Chinese => "中文",
        }
    }

    /// The language a tag names: `zh`, `zh-CN`, `zh-Hans`… are Chinese, `en*` English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::Chinese),
            "en" => Some(Lang::English),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by weight (`q`), ties in
    /// the order written.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = Lang::from_tag(parts.next().unwrap_or("")) else { continue };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, |q| (q.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0) * 1000.0) as u32);
            if weight > 0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The language chosen with the header's switch on this browser (its cookie), if any.
    pub fn chosen(cookies: Cookies, headers: &HeaderMap) -> Option<Lang> {
        cookies.read(headers, Cookie::Lang).and_then(|tag| Lang::from_tag(&tag))
    }

    /// The language of a request: its cookie's choice, else its `Accept-Language`, else English.
    /// A signed-in person's stored choice comes before both (`Viewer`).
    pub fn of_request(cookies: Cookies, headers: &HeaderMap) -> Lang {
        Lang::chosen(cookies, headers)
            .or_else(|| {
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }

    /// A program's name in this language (the catalogue's `program-<code>`).
    pub fn program(self, p: opc_domain::partner::Program) -> String {
        self.t(&format!("program-{}", crate::codes::program_code(p)))
    }

    /// A tier's name in this language (the catalogue's `tier-<code>`).
    pub fn tier(self, t: opc_domain::partner::Tier) -> String {
        self.t(&format!("tier-{}", crate::codes::tier_code(t)))
    }

    /// The message `id` in this language.
    pub fn t(self, id: &str) -> String {
        format(self, id, None)
    }

    /// The message `id` with its arguments (strings or integers).
    pub fn t_with(self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent.set(*name, value);
        }
        format(self, id, Some(&fluent))
    }
}

impl From<Language> for Lang {
    fn from(language: Language) -> Lang {
        match language {
            Language::English => Lang::English,
            Language::Chinese => Lang::Chinese,
        }
    }
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Language {
        match lang {
            Lang::English => Language::English,
            Lang::Chinese => Language::Chinese,
        }
    }
}

/// A message argument.
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// The English and Chinese text of the catalogue file `<name>.ftl`.
macro_rules! catalogue {
    ($name:literal) => {
        [
            include_str!(concat!("../../locales/en-US/", $name, ".ftl")),
            include_str!(concat!("../../locales/zh-CN/", $name, ".ftl")),
        ]
    };
}

/// The catalogues' files, one per area of the console, each in both languages (en-US, zh-CN).
/// A message id is defined in one file only.
const SOURCES: [[&str; 2]; 5] =
    [catalogue!("console"), catalogue!("partner"), catalogue!("operator"), catalogue!("customer"), catalogue!("audit")];

type Bundle = FluentBundle<FluentResource>;

/// Each language's bundle, parsed once. A catalogue that does not parse is a programming error
/// caught by the unit tests below.
static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| [bundle(Lang::English), bundle(Lang::Chinese)]);

fn bundle(lang: Lang) -> Bundle {
    let id = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the pages are plain LTR text.
    bundle.set_use_isolating(false);
    for file in SOURCES {
        let resource = FluentResource::try_new(file[lang as usize].to_owned()).unwrap_or_else(|(r, errors)| {
            tracing::error!(lang = lang.tag(), ?errors, "console catalogue does not parse");
            r
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(lang = lang.tag(), ?errors, "console catalogue has duplicate messages");
        }
    }
    bundle
}

/// The message, or its id where it is missing (logged: the catalogue test should have caught it).
fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = &BUNDLES[lang as usize];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::warn!(lang = lang.tag(), id, "console message missing");
        return id.to_owned();
    };
    let mut errors = vec![];
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(lang = lang.tag(), id, ?errors, "console message formatted with errors");
    }
    text.into_owned()
}

pub fn routes() -> Router<Context> {
    Router::new().route("/lang", get(switch))
}

#[derive(Deserialize)]
pub struct Switch {
    to: Option<String>,
    next: Option<String>,
}

/// `GET /lang?to=zh-CN&next=/partner`: remembers the choice for a year on this browser and, for a
/// signed-in person, with its account (its next sessions anywhere and its emails), then goes back
/// to the page. An unknown language changes nothing.
async fn switch(
    State(ctx): State<Context>,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<Switch>,
) -> Response {
    let next = super::sign::safe_next(q.next.as_deref()).to_owned();
    let mut response = Redirect::to(&next).into_response();
    // A link on another site may choose this browser's language, never the account's: the
    // browser says where the navigation comes from (`Sec-Fetch-Site`; typed or bookmarked is
    // `none`).
    let from_here = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| matches!(site, "same-origin" | "none"));
    if let Some(lang) = q.to.as_deref().and_then(Lang::from_tag) {
        if let Some(viewer) = viewer.as_ref().filter(|_| from_here) {
            if let Err(e) = console::choose_language(&ctx, &viewer.user.subject(), lang.into()).await {
                return super::page::failure(crate::error::ApiError::from(e));
            }
        }
        Cookies::of(&ctx).set(response.headers_mut(), Cookie::Lang, lang.tag(), Some(365 * 24 * 3600));
    }
    response
}

/// The switch's link to `lang`, coming back to `here`.
pub fn switch_href(lang: Lang, here: &str) -> String {
    format!("/lang?to={}&next={}", lang.tag(), super::form::encode(here))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids a catalogue defines: its lines `id = …` (Fluent messages start at the
    /// line's first column).
    fn ids(source: &str) -> Vec<String> {
        assert!(FluentResource::try_new(source.to_owned()).is_ok(), "the catalogue parses");
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect();
        ids.sort();
        ids
    }

    /// Every message id a language defines, over all its files.
    fn all_ids(lang: Lang) -> Vec<String> {
        let mut ids: Vec<String> = SOURCES.iter().flat_map(|file| ids(file[lang as usize])).collect();
        ids.sort();
        ids
    }

    #[test]
    fn both_catalogues_parse_and_define_the_same_messages_once() {
        for file in SOURCES {
            assert_eq!(ids(file[0]), ids(file[1]), "en-US and zh-CN define the same message ids, file by file");
        }
        let english = all_ids(Lang::English);
        assert!(!english.is_empty());
        let mut once = english.clone();
        once.dedup();
        assert_eq!(english, once, "a message id is defined in one file only");
    }

    /// The console's Rust sources, read from the crate's folder (every file can use messages), and
    /// the certificates'.
    fn console_sources() -> Vec<(String, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("the console's folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    out.push((path.display().to_string(), text));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = vec![];
        walk(&root.join("console"), &mut out);
        // The certificates, written in the reader's language.
        let certificates = root.join("api/programs.rs");
        out.push((certificates.display().to_string(), std::fs::read_to_string(&certificates).expect("programs.rs")));
        out
    }

    /// Every `t("…")`/`t_with("…")` id in the console's code exists in both languages and
    /// formats without error, given the arguments its text names.
    #[test]
    fn every_message_used_in_code_formats_in_both_languages() {
        let defined = all_ids(Lang::English);
        let mut prefixes: Vec<&str> = defined.iter().map(|id| id.split('-').next().unwrap()).collect();
        prefixes.dedup();
        // Every string literal shaped like a message id (`overview-todo`) whose first word is
        // one the catalogue uses: the calls' ids and those kept in tables and matches.
        let mut used = vec![];
        for (file, source) in console_sources() {
            for (i, _) in source.match_indices('"') {
                let rest = &source[i + 1..];
                let len = rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')).unwrap_or(0);
                let literal = &rest[..len];
                let closed = rest[len..].starts_with('"');
                if closed && literal.contains('-') && prefixes.contains(&literal.split('-').next().unwrap()) {
                    used.push((literal.to_owned(), file.clone()));
                }
            }
        }
        used.retain(|(id, _)| !id.is_empty() && !id.ends_with('-'));
        used.sort();
        used.dedup();
        assert!(used.len() > 40, "the scan finds the ids: {used:?}");
        for (id, file) in &used {
            assert!(defined.contains(id), "{id} is used in {file} but not in the catalogue");
        }
        // The arguments any message names (`{ $name }`), each given a value.
        let mut names: Vec<String> = vec![];
        for file in SOURCES {
            for text in file {
                for (i, _) in text.match_indices('$') {
                    let rest = &text[i + 1..];
                    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(0);
                    names.push(rest[..len].to_owned());
                }
            }
        }
        names.sort();
        names.dedup();
        let mut args = FluentArgs::new();
        for name in &names {
            args.set(name.clone(), FluentValue::from(name.clone()));
        }
        args.set("count", 2);
        args.set("percent", 80);
        for lang in Lang::ALL {
            let bundle = &BUNDLES[lang as usize];
            for id in &defined {
                let message = bundle.get_message(id).unwrap_or_else(|| panic!("{} lacks {id}", lang.tag()));
                let pattern = message.value().unwrap_or_else(|| panic!("{} {id} has no value", lang.tag()));
                let mut errors = vec![];
                bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{} {id}: {errors:?}", lang.tag());
            }
        }
    }

    #[test]
    fn every_program_and_tier_has_a_name_in_both_languages() {
        use opc_domain::partner::{Program, Tier};
        for lang in Lang::ALL {
            for p in Program::ALL {
                let name = lang.program(p);
                assert!(!name.starts_with("program-"), "{} lacks {p:?}", lang.tag());
            }
            for t in [Tier::Standard, Tier::Advanced, Tier::Premier, Tier::Core] {
                assert!(!lang.tier(t).starts_with("tier-"), "{} lacks {t:?}", lang.tag());
            }
        }
        assert_eq!(Lang::English.program(Program::CloudSolutionProvider), "Cloud Solution Provider");
    }

    #[test]
    fn the_request_language_follows_cookie_then_accept_language_then_english() {
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::Chinese));
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9,zh-CN;q=0.8"), Some(Lang::English));
        assert_eq!(Lang::from_accept_language("fr-FR, zh-Hans;q=0.5"), Some(Lang::Chinese));
        assert_eq!(Lang::from_accept_language("de, en;q=0.3, zh;q=0.7"), Some(Lang::Chinese));
        assert_eq!(Lang::from_accept_language("fr"), None);
        assert_eq!(Lang::from_accept_language("zh;q=0"), None);
        assert_eq!(Lang::from_tag("zh-TW"), Some(Lang::Chinese));
    }

    #[test]
    fn english_is_written_as_before_and_chinese_differs() {
        assert_eq!(Lang::English.t("menu-overview"), "Overview");
        assert_eq!(Lang::Chinese.t("menu-overview"), "概览");
        assert_eq!(
            Lang::English.t_with("overview-more-near-budget", &[("count", 3usize.into())]),
            "3 more customers over 75 % of their budget"
        );
    }
}
