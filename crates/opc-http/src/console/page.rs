//! The page frame (head, navigation, flash message), the stylesheet and script, and the
//! pieces every page is built from: form fields with their errors, lists with pagination and
//! CSV export, amounts and gauges.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use opc_core::ops::console::ConsoleUser;
use opc_domain::organization::Permission;
use opc_domain::{Money, Timestamp};

use super::i18n::Lang;
use super::{Failed, Flash, Viewer};
use crate::error::{ApiError, ErrorCode};

/// A whole HTML document. `viewer`: who is signed in (navigation and sign-out), if anyone; the
/// page is in the viewer's language, English without one (see [`document_in`]).
pub fn document(title: &str, viewer: Option<&Viewer>, body: Markup) -> Html<String> {
    let lang = viewer.map_or(Lang::English, |v| v.lang);
    Html(document_markup(lang, viewer.map(Viewer::switch_back), title, viewer, body).into_string())
}

/// A whole HTML document in `lang` for a page shown before sign-in; `here` (its path and query)
/// is where the language switch comes back to.
pub fn document_in(lang: Lang, here: &str, title: &str, body: Markup) -> Html<String> {
    Html(document_markup(lang, Some(here), title, None, body).into_string())
}

fn document_markup(lang: Lang, here: Option<&str>, title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Open Partner Center" }
                link rel="stylesheet" href="/assets/console.css";
                script src="/assets/console.js" defer {}
            }
            body {
                a.skip href="#main" { (lang.t("skip-link")) }
                header.top {
                    a.brand href="/" { "Open Partner Center" }
                    @if let Some(v) = viewer {
                        nav aria-label=(lang.t("nav-main")) {
                            ul { @for (href, label) in menu(&v.user) {
                                li { a href=(href) aria-current=[v.here_is(href).then_some("page")] { (lang.t(label)) } }
                            } }
                        }
                        form.signout method="post" action="/logout" {
                            (csrf(&v.csrf()))
                            span.who { (who(lang, &v.user)) }
                            button type="submit" { (lang.t("sign-out")) }
                        }
                    }
                    @if let Some(here) = here {
                        nav.lang aria-label=(lang.t("language")) {
                            @for (i, other) in Lang::ALL.into_iter().enumerate() {
                                @if i > 0 { " / " }
                                @if other == lang {
                                    span aria-current="true" lang=(other.tag()) { (other.own_name()) }
                                } @else {
                                    a href=(super::i18n::switch_href(other, here)) lang=(other.tag()) hreflang=(other.tag()) { (other.own_name()) }
                                }
                            }
                        }
                    }
                }
                main #main tabindex="-1" {
                    @if let Some(flash) = viewer.and_then(|v| v.flash.as_ref()) {
                        @match flash {
                            Flash::Done(text) => p.flash.done role="status" { (text) },
                            Flash::Failed(text) => p.flash.failed role="alert" { (text) },
                        }
                    }
                    (body)
                }
                div #busy role="status" aria-live="polite" hidden { progress {} " " (lang.t("busy")) }
            }
        }
    }
}

impl Viewer {
    /// Whether `href` is the menu entry of the page being shown.
    fn here_is(&self, href: &str) -> bool {
        let path = self.here.split('?').next().unwrap_or("");
        path == href || (href != "/partner" && path.starts_with(&format!("{href}/")))
    }
}

/// Who may open a partner's page: anyone of the partner, a member whose role grants an item
/// (R-ORG-02), or its administrator only (R-ORG-05, R-ORG-21).
#[derive(Clone, Copy)]
enum Needs {
    Anyone,
    Item(Permission),
    Administrator,
}

const PARTNER_MENU: [(&str, &str, Needs); 14] = [
    ("/partner", "menu-overview", Needs::Anyone),
    ("/partner/customers", "menu-customers", Needs::Item(Permission::ViewCustomers)),
    ("/partner/development", "menu-development", Needs::Item(Permission::DevelopCustomers)),
    ("/partner/association-records", "menu-association-records", Needs::Administrator),
    ("/partner/bills", "menu-bills", Needs::Item(Permission::ViewCustomers)),
    ("/partner/expenditures", "menu-expenditures", Needs::Item(Permission::ViewCustomers)),
    ("/partner/discounts", "menu-discounts", Needs::Item(Permission::ViewCustomers)),
    ("/partner/coupons", "menu-cash-coupons", Needs::Item(Permission::ViewCustomers)),
    ("/partner/coupon-quotas", "menu-coupon-quotas", Needs::Item(Permission::ViewCustomers)),
    ("/partner/test-coupons", "menu-test-coupons", Needs::Administrator),
    ("/programs", "menu-programs", Needs::Administrator),
    ("/partner/organization", "menu-organization", Needs::Anyone),
    ("/partner/notices", "menu-notices", Needs::Administrator),
    ("/audit", "menu-audit", Needs::Item(Permission::ViewAudit)),
];

/// The menu a user sees, as `(href, message id)`: a member only the pages its role opens (issue 17: no entry that
/// ends in "Access denied").
fn menu(user: &ConsoleUser) -> Vec<(&'static str, &'static str)> {
    let fixed: &[(&'static str, &'static str)] = match user {
        ConsoleUser::Staff(_) => &[
            ("/operator", "menu-reviews"),
            ("/operator/partners", "menu-partners"),
            ("/operator/bills", "menu-bills"),
            ("/operator/coupons", "menu-coupons"),
            ("/operator/test-coupons", "menu-test-coupons"),
            ("/operator/stored-value-cards", "menu-stored-value-cards"),
            ("/operator/realname", "menu-realname"),
            ("/operator/discount-policies", "menu-discounts"),
            ("/audit", "menu-audit"),
        ],
        ConsoleUser::Account { partner: Some(_), .. } => {
            return PARTNER_MENU.iter().map(|(href, label, _)| (*href, *label)).collect();
        }
        ConsoleUser::Member { member, role, .. } => {
            return PARTNER_MENU
                .iter()
                .filter(|(_, _, needs)| match needs {
                    Needs::Anyone => true,
                    Needs::Item(p) => member.can(role.as_deref(), *p),
                    Needs::Administrator => false,
                })
                .map(|(href, label, _)| (*href, *label))
                .collect();
        }
        ConsoleUser::Account { partner: None, .. } => &[
            ("/my-partner", "menu-my-partner"),
            ("/my-bills", "menu-my-bills"),
            ("/my-coupons", "menu-my-coupons"),
            ("/my-stored-value-cards", "menu-stored-value-cards"),
            ("/my-discounts", "menu-discounts"),
            ("/orders", "menu-orders"),
            ("/programs", "menu-partner-programs"),
            ("/audit", "menu-audit"),
        ],
    };
    fixed.to_vec()
}

fn who(lang: Lang, user: &ConsoleUser) -> String {
    match user {
        ConsoleUser::Staff(s) => lang.t_with("who-operator", &[("name", s.name.as_str().into())]),
        // Issue 17: people by their name and email, not a generated account name.
        ConsoleUser::Account { account, partner: Some(p) } => {
            format!("{} · {}", p.name().as_str(), account.email().unwrap_or(account.name().as_str()))
        }
        ConsoleUser::Account { account, partner: None } => {
            let name = account.display_name().unwrap_or(account.name().as_str());
            match account.email() {
                Some(email) if email != name => format!("{name} · {email}"),
                _ => name.to_owned(),
            }
        }
        ConsoleUser::Member { member, partner, .. } => {
            format!("{} · {}", member.name().as_str(), partner.name().as_str())
        }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf(token: &str) -> Markup {
    html! { input type="hidden" name="_csrf" value=(token); }
}

/// What kind of input a field is.
#[derive(Clone, Copy)]
pub enum Input {
    Text,
    Email,
    /// The password a person signs in with.
    Password,
    /// A password being chosen: browsers offer to generate and save it.
    NewPassword,
    Number,
}

impl Input {
    fn html(self) -> &'static str {
        match self {
            Input::Text => "text",
            Input::Email => "email",
            Input::Password | Input::NewPassword => "password",
            Input::Number => "text",
        }
    }

    fn autocomplete(self) -> Option<&'static str> {
        match self {
            Input::Email => Some("email"),
            Input::Password => Some("current-password"),
            Input::NewPassword => Some("new-password"),
            Input::Text | Input::Number => None,
        }
    }

    fn is_password(self) -> bool {
        matches!(self, Input::Password | Input::NewPassword)
    }
}

/// A field's element id: unique on a page even where two forms share a field name (both
/// the invitation and the pre-registration ask for an email), because their labels differ.
fn field_id(name: &str, label: &str) -> String {
    let slug: String = label.chars().filter(|c| c.is_alphanumeric()).take(24).collect();
    format!("f-{name}-{}", slug.to_lowercase())
}

/// A labelled input, with the form's earlier value (never a password's) and its error if it
/// was refused.
pub fn field(failed: Option<&Failed>, label: &str, name: &str, kind: Input, value: &str, required: bool) -> Markup {
    let error = failed.and_then(|f| f.about(name));
    let value = if kind.is_password() { "" } else { failed.and_then(|f| f.value(name)).unwrap_or(value) };
    let id = field_id(name, label);
    let error_id = format!("{id}-error");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            input id=(id) name=(name) type=(kind.html()) value=(value) required[required]
                inputmode=[matches!(kind, Input::Number).then_some("decimal")]
                autocomplete=[kind.autocomplete()]
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(e) = error { p.error id=(error_id) { (e) } }
        }
    }
}

/// A labelled choice among `(value, label)` options.
pub fn select(failed: Option<&Failed>, label: &str, name: &str, options: &[(&str, &str)], chosen: &str) -> Markup {
    let error = failed.and_then(|f| f.about(name));
    let chosen = failed.and_then(|f| f.value(name)).unwrap_or(chosen);
    let id = field_id(name, label);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[*value == chosen] { (text) }
                }
            }
            @if let Some(e) = error { p.error { (e) } }
        }
    }
}

/// A labelled checkbox.
pub fn checkbox(failed: Option<&Failed>, label: Markup, name: &str, checked: bool) -> Markup {
    let error = failed.and_then(|f| f.about(name));
    let checked = failed.map_or(checked, |f| f.checked(name));
    let id = field_id(name, "");
    html! {
        div.field.check.invalid[error.is_some()] {
            input id=(id) type="checkbox" name=(name) checked[checked];
            label for=(id) { (label) }
            @if let Some(e) = error { p.error { (e) } }
        }
    }
}

/// The refused form's error when it is not about one field (or about a field not shown); when
/// several fields are refused at once, how many, above them.
pub fn form_error(failed: Option<&Failed>, shown: &[&str]) -> Markup {
    html! {
        @if let Some(f) = failed.filter(|f| f.field.as_deref().is_none_or(|n| !shown.contains(&n))) {
            p.flash.failed role="alert" { (f.message) }
        } @else if let Some(n) = failed.map(Failed::problems).filter(|n| *n > 1) {
            p.flash.failed role="alert" {
                (failed.map_or(Lang::English, |f| f.lang).t_with("form-problems", &[("count", n.into())]))
            }
        }
    }
}

/// A billing mode as the bill pages name it.
pub fn charging_mode_name(mode: opc_domain::catalog::ChargingMode) -> &'static str {
    match mode {
        opc_domain::catalog::ChargingMode::Period => "Yearly/Monthly",
        opc_domain::catalog::ChargingMode::OnDemand => "Pay-per-use",
    }
}

/// A coupon's status as the coupon pages name it.
pub fn coupon_status_name(status: opc_domain::coupon::CouponStatus) -> &'static str {
    use opc_domain::coupon::CouponStatus;
    match status {
        CouponStatus::NotActive => "Not yet valid",
        CouponStatus::Available => "Available",
        CouponStatus::Used => "Used up",
        CouponStatus::Expired => "Expired",
        CouponStatus::Reclaimed => "Reclaimed",
    }
}

/// An amount as people read it: the currency, thousands separated, two decimals (issue 17; the
/// exact value goes in a tooltip or an export beside it).
pub fn money(m: Money) -> String {
    m.to_display_string()
}

/// A date and time in UTC, as people read it.
pub fn when(t: Timestamp) -> String {
    let (y, mo, d, h, mi, _) = t.to_utc();
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// Whole percent of `part` in `whole` (0 when `whole` is 0), exact integer arithmetic.
pub fn percent(part: Money, whole: Money) -> i64 {
    if whole.e8() <= 0 {
        return 0;
    }
    (i128::from(part.e8()) * 100 / i128::from(whole.e8())) as i64
}

/// A gauge of `used` against `limit`, with its figures in words in `lang`.
pub fn gauge(lang: Lang, label: &str, used: Money, limit: Money) -> Markup {
    let p = percent(used, limit);
    let text = lang.t_with(
        "gauge-figures",
        &[("used", money(used).into()), ("limit", money(limit).into()), ("percent", p.into())],
    );
    html! {
        div.gauge {
            span.label { (label) }
            meter min="0" max="100" low="75" high="90" optimum="0" value=(p.clamp(0, 100)) aria-label=(format!("{label}: {text}")) {}
            span.figures { (text) }
        }
    }
}

/// A list's page: which slice of the rows to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    pub const PER_PAGE: u32 = 20;
    /// The most rows one CSV export carries.
    pub const CSV_MAX: u32 = 10_000;

    /// From the `page` query parameter (bad or missing: the first page).
    pub fn from_query(page: Option<&str>) -> Paging {
        let page = page.and_then(|p| p.parse::<u32>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        Paging { page, per_page: Self::PER_PAGE }
    }

    pub fn offset(self) -> u32 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// This page's rows of an in-memory list.
    pub fn slice<T>(self, rows: Vec<T>) -> Vec<T> {
        rows.into_iter().skip(self.offset() as usize).take(self.per_page as usize).collect()
    }
}

/// One table cell: its text (also its CSV value) and, optionally, richer markup.
pub struct Cell {
    pub text: String,
    pub html: Option<Markup>,
}

impl Cell {
    pub fn link(text: impl Into<String>, href: &str) -> Cell {
        let text = text.into();
        let html = html! { a href=(href) { (text) } };
        Cell { text, html: Some(html) }
    }

    pub fn rich(text: impl Into<String>, html: Markup) -> Cell {
        Cell { text: text.into(), html: Some(html) }
    }
}

impl<T: Into<String>> From<T> for Cell {
    fn from(text: T) -> Cell {
        Cell { text: text.into(), html: None }
    }
}

/// A list's rows: each row's cells, and its actions cell (left out of CSV).
pub type Rows = Vec<(Vec<Cell>, Option<Markup>)>;

/// How many rows a list has: counted, or only whether there are more after this page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Exact(u64),
    More(bool),
}

/// A list: its columns, this page's rows (each with an optional actions cell that CSV leaves
/// out), and how many rows there are in all.
pub struct Table<'a> {
    pub caption: &'a str,
    pub columns: &'a [&'a str],
    pub rows: Rows,
    pub total: Count,
}

impl Table<'_> {
    /// The table's name in its CSV link (`table=`), from its caption in the reader's language
    /// (letters of any script): a page with several tables serves the one named.
    pub fn slug(&self) -> String {
        let words: Vec<String> = self
            .caption
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        words.join("-")
    }

    /// The table with "previous/next" links and a CSV link that keep the page's other query
    /// parameters (`here` is the page's path and query).
    pub fn render(&self, lang: Lang, here: &str, paging: Paging) -> Markup {
        let actions = self.rows.iter().any(|(_, a)| a.is_some());
        let from = u64::from(paging.offset()) + 1;
        let to = u64::from(paging.offset()) + self.rows.len() as u64;
        let next = match self.total {
            Count::Exact(total) => to < total,
            Count::More(more) => more,
        };
        html! {
            div.listing {
                div.table-wrap {
                    table {
                        caption { (self.caption) }
                        thead { tr {
                            @for c in self.columns { th scope="col" { (c) } }
                            @if actions { th scope="col" { span.sr { (lang.t("table-actions")) } } }
                        } }
                        tbody {
                            @if self.rows.is_empty() {
                                tr { td colspan=(self.columns.len() + usize::from(actions)) { (lang.t("table-empty")) } }
                            }
                            @for (cells, action) in &self.rows {
                                tr {
                                    @for (i, cell) in cells.iter().enumerate() {
                                        td data-label=(self.columns.get(i).copied().unwrap_or("")) {
                                            @match &cell.html { Some(h) => (h), None => (cell.text) }
                                        }
                                    }
                                    @if actions { td.actions { @if let Some(a) = action { (a) } } }
                                }
                            }
                        }
                    }
                }
                nav.pager aria-label=(lang.t_with("table-pages", &[("caption", self.caption.into())])) {
                    @if to >= from {
                        span { @match self.total {
                            Count::Exact(total) => (lang.t_with("table-rows-of", &[("from", from.into()), ("to", to.into()), ("total", total.into())])),
                            Count::More(_) => (lang.t_with("table-rows", &[("from", from.into()), ("to", to.into())])),
                        } }
                    }
                    @if paging.page > 1 { a rel="prev" href=(with_param(here, "page", &(paging.page - 1).to_string())) { (lang.t("table-previous")) } }
                    @if next { a rel="next" href=(with_param(here, "page", &(paging.page + 1).to_string())) { (lang.t("table-next")) } }
                    a.csv href=(with_param(&with_param(&with_param(here, "page", ""), "format", "csv"), "table", &self.slug())) download { (lang.t("table-csv")) }
                }
            }
        }
    }

    /// The rows as CSV (RFC 4180), every row of the list; cells that a spreadsheet would take
    /// for a formula are prefixed with `'`.
    pub fn csv(&self, file_name: &str) -> Response {
        let mut out = String::new();
        let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
            let quoted: Vec<String> = cells.map(csv_cell).collect();
            out.push_str(&quoted.join(","));
            out.push_str("\r\n");
        };
        line(&mut self.columns.iter().copied(), &mut out);
        for (cells, _) in &self.rows {
            line(&mut cells.iter().map(|c| c.text.as_str()), &mut out);
        }
        let disposition = format!("attachment; filename=\"{file_name}.csv\"");
        (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
            out,
        )
            .into_response()
    }

    /// The rows as an XLSX workbook: decimal cells as numbers with every decimal (R-BILL-05).
    pub fn xlsx(&self, file_name: &str) -> Response {
        use super::xlsx::{workbook, XlsxCell};
        let rows: Vec<Vec<XlsxCell>> = self
            .rows
            .iter()
            .map(|(cells, _)| {
                cells
                    .iter()
                    .map(|c| {
                        if is_number(&c.text) {
                            XlsxCell::Number(c.text.clone())
                        } else {
                            XlsxCell::Text(c.text.clone())
                        }
                    })
                    .collect()
            })
            .collect();
        let bytes = workbook(self.caption, self.columns, &rows);
        let disposition = format!("attachment; filename=\"{file_name}.xlsx\"");
        let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned();
        ([(header::CONTENT_TYPE, kind), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
    }
}

/// An amount shown to two decimals whose exact value (8 decimals) is its export text and its
/// tooltip (R-BILL-06, R-BILL-08).
pub fn exact(m: Money) -> Cell {
    let text = m.to_string();
    Cell::rich(text.clone(), html! { span.num title=(text) { (money(m)) } })
}

/// Whether a cell is a plain decimal number (`-12.50000000`): exported as a number, never
/// taken for a formula.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

fn csv_cell(text: &str) -> String {
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number(text) => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// `here` with query parameter `name` set to `value` (removed when `value` is empty).
pub fn with_param(here: &str, name: &str, value: &str) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<String> =
        query.split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some(name)).map(str::to_owned).collect();
    if !value.is_empty() {
        pairs.push(format!("{name}={}", super::form::encode(value)));
    }
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// A page for an error that is nobody's fault but the server's, or a refusal outside a form.
pub fn failure(error: ApiError) -> Response {
    let status = error.code().wire().0;
    let message = if error.code() == ErrorCode::Internal {
        "Something went wrong on our side; it has been logged. Try again in a moment.".to_owned()
    } else {
        error.message().to_owned()
    };
    let mut response = super::plain(status, "Not available", &message);
    // The logging middleware reads the cause from the error response's extensions.
    response.extensions_mut().insert(error.into_detail());
    response
}

pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

const STYLESHEET: &str = include_str!("console.css");
const SCRIPT: &str = include_str!("console.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_replaced_kept_or_dropped() {
        assert_eq!(with_param("/p/customers?q=ab&page=2", "page", "3"), "/p/customers?q=ab&page=3");
        assert_eq!(with_param("/p/customers?page=2", "page", ""), "/p/customers");
        assert_eq!(with_param("/p/customers", "format", "csv"), "/p/customers?format=csv");
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }

    #[test]
    fn percent_is_exact_and_safe_on_zero() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(percent(m("75"), m("100")), 75);
        assert_eq!(percent(m("99.99"), m("100")), 99);
        assert_eq!(percent(m("5"), Money::ZERO), 0);
    }

    #[test]
    fn paging_slices_and_clamps() {
        let p = Paging::from_query(Some("2"));
        assert_eq!(p.offset(), 20);
        assert_eq!(p.slice((0..45).collect::<Vec<_>>()), (20..40).collect::<Vec<_>>());
        assert_eq!(Paging::from_query(Some("0")).page, 1);
        assert_eq!(Paging::from_query(Some("x")).page, 1);
    }
}
