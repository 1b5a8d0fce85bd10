//! The operator's pages: review queues (HCPN, programs, information authentication), the
//! partners with their details, consumption quota (R-QUOTA-02), account balance with the
//! operator's payments and adjustments (R-BILL-02, R-QUOTA-07) and freeze (R-QUOTA-10).

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::admin::{self, PartnerChange};
use opc_core::ops::funds::{self, FundsOpError, OperatorEntry};
use opc_core::ops::{accounts, information, programs};
use opc_core::store::{InfoData, LedgerQuery};
use opc_core::Context;
use opc_domain::console::Staff;
use opc_domain::funds::{EntryKind, Holder};
use opc_domain::hcpn::HcpnState;
use opc_domain::information::InfoKind;
use opc_domain::partner::PartnerState;
use opc_domain::Money;

use super::page::{csrf, exact, field, form_error, gauge, money, when, Cell, Count, Input, Rows, Table};
use super::{denied, done, refused, render, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::audience::staff_of;
use crate::codes::{parse_program, program_code, tier_code};
use crate::console::extract::{PagePath, PageQuery};
use crate::console::i18n::Lang;
use crate::error::{ApiError, ErrorCode};

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/operator", get(reviews))
        .route("/operator/hcpn/{applicant}/{decision}", post(decide_hcpn))
        .route("/operator/programs/{applicant}/{program}/{decision}", post(decide_program))
        .route("/operator/information/{partner}/{kind}/{decision}", post(decide_information))
        .route("/operator/partners", get(partners))
        .route("/operator/partners/{id}", get(partner))
        .route("/operator/partners/{id}/quota", post(set_quota))
        .route("/operator/partners/{id}/balance", post(record_on_balance))
        .route("/operator/partners/{id}/{change}", post(freeze_partner))
}

fn staff(viewer: &Viewer) -> Result<&Staff, Response> {
    staff_of(&viewer.user).map_err(|e| denied(viewer, e))
}

/// Approve and reject buttons for one queued item; rejecting needs a reason.
pub(super) fn decision_forms(lang: Lang, base: &str, token: &str, what: &str) -> Markup {
    let what_arg = || [("what", what.into())];
    html! {
        form.inline method="post" action=(format!("{base}/approve")) data-confirm=(lang.t_with("operator-decision-approve-confirm", &what_arg())) {
            (csrf(token)) button type="submit" { (lang.t("operator-decision-approve")) }
        }
        " "
        form.inline method="post" action=(format!("{base}/reject")) data-confirm=(lang.t_with("operator-decision-reject-confirm", &what_arg())) {
            (csrf(token))
            label { span.sr { (lang.t_with("operator-decision-reason-for", &what_arg())) } input type="text" name="reason" required placeholder=(lang.t("operator-decision-reason")); }
            " " button.danger type="submit" { (lang.t("operator-decision-reject")) }
        }
    }
}

/// The queues: their key and the message id of their name.
const QUEUES: [(&str, &str); 3] = [
    ("hcpn", "operator-queue-hcpn"),
    ("programs", "operator-queue-programs"),
    ("information", "operator-queue-information"),
];

/// The texts of message `ids` in `lang` (a table's columns).
pub(super) fn words(lang: Lang, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| lang.t(id)).collect()
}

/// A tier as the operator's and programs pages show it: its code in English (as before), its
/// name otherwise.
pub(super) fn tier_text(lang: Lang, tier: opc_domain::partner::Tier) -> String {
    match lang {
        Lang::English => tier_code(tier).to_owned(),
        Lang::Chinese => lang.tier(tier),
    }
}

/// A program and its tier, as the partners' list and page show them.
fn enrollment_text(lang: Lang, e: &opc_domain::partner::Enrollment) -> String {
    lang.t_with(
        "operator-partners-enrollment",
        &[("program", lang.program(e.program).into()), ("tier", tier_text(lang, e.tier).into())],
    )
}

/// The review queues, one at a time (`?queue=hcpn|programs|information`).
async fn reviews(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    staff(&viewer)?;
    let paging = q.paging();
    let token = viewer.csrf();
    // Exports stay in English, for the machines that read them.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let queue = QUEUES.iter().find(|(k, _)| Some(*k) == q.queue.as_deref()).unwrap_or(&QUEUES[0]).0;
    let (columns, rows): (&[&str], Rows) = match queue {
        "programs" => {
            let apps = programs::program_queue(&ctx, "submitted").await.or_deny(&viewer)?;
            // Applicants by name and email, not by their generated account ids.
            let ids: Vec<opc_domain::AccountId> = apps.iter().map(|a| a.applicant().clone()).collect();
            let accounts = ctx.store.accounts_by_id(&ids).await.or_deny(&viewer)?;
            let applicant = |id: &opc_domain::AccountId| {
                let account = accounts.iter().find(|a| a.id() == id);
                let name = account.and_then(|a| a.display_name()).unwrap_or(id.as_str());
                match account.and_then(|a| a.email()) {
                    Some(email) => format!("{name} · {email}"),
                    None => name.to_owned(),
                }
            };
            let rows = apps
                .iter()
                .map(|a| {
                    let what = lang.t_with(
                        "operator-reviews-program-what",
                        &[
                            ("program", lang.program(a.program()).into()),
                            ("applicant", applicant(a.applicant()).into()),
                        ],
                    );
                    let cells = vec![
                        Cell::from(applicant(a.applicant())),
                        Cell::from(lang.program(a.program())),
                        Cell::from(a.business_area().as_str()),
                        Cell::from(when(a.submitted_at())),
                    ];
                    let base = format!("/operator/programs/{}/{}", a.applicant().as_str(), program_code(a.program()));
                    (cells, Some(decision_forms(lang, &base, &token, &what)))
                })
                .collect();
            (
                &[
                    "operator-col-applicant",
                    "operator-col-program",
                    "operator-col-business-area",
                    "operator-col-submitted",
                ],
                rows,
            )
        }
        "information" => {
            let infos = information::queue(&ctx, "submitted").await.or_deny(&viewer)?;
            let rows = infos
                .iter()
                .map(|r| {
                    let (kind, what, code, summary) = match &r.data {
                        InfoData::Business(b) => (
                            "operator-info-business",
                            "operator-info-business-what",
                            "business",
                            b.company_name.clone(),
                        ),
                        InfoData::Payment(p) => (
                            "operator-info-payment",
                            "operator-info-payment-what",
                            "payment",
                            format!("{} ({})", p.bank_name, p.bank_country),
                        ),
                    };
                    let cells = vec![
                        Cell::from(r.partner.as_str()),
                        Cell::from(lang.t(kind)),
                        Cell::from(summary),
                        Cell::from(when(r.submitted_at)),
                    ];
                    let base = format!("/operator/information/{}/{code}", r.partner.as_str());
                    (cells, Some(decision_forms(lang, &base, &token, &lang.t(what))))
                })
                .collect();
            (
                &["operator-col-partner", "operator-col-kind", "operator-col-submitted-data", "operator-col-submitted"],
                rows,
            )
        }
        _ => {
            let mut hcpn = programs::hcpn_queue(&ctx, "manual_review").await.or_deny(&viewer)?;
            hcpn.extend(programs::hcpn_queue(&ctx, "submitted").await.or_deny(&viewer)?);
            let rows = hcpn
                .iter()
                .map(|a| {
                    let company = a.filing().business.company_name.as_str();
                    let reasons = match a.state() {
                        HcpnState::ManualReview { reasons } => {
                            reasons.iter().map(|r| format!("{r} ({})", r.rule())).collect::<Vec<_>>().join("; ")
                        }
                        _ => String::new(),
                    };
                    let cells = vec![
                        Cell::from(company),
                        Cell::from(a.filing().business.country.as_str()),
                        Cell::from(a.filing().contact.email.as_str()),
                        Cell::from(reasons),
                        Cell::from(when(a.submitted_at())),
                    ];
                    (
                        cells,
                        Some(decision_forms(
                            lang,
                            &format!("/operator/hcpn/{}", a.applicant().as_str()),
                            &token,
                            company,
                        )),
                    )
                })
                .collect();
            (
                &[
                    "operator-col-company",
                    "operator-col-country",
                    "operator-col-contact",
                    "operator-col-review-reasons",
                    "operator-col-submitted",
                ],
                rows,
            )
        }
    };
    let caption = lang.t(QUEUES.iter().find(|(k, _)| *k == queue).map(|(_, c)| *c).unwrap_or_default());
    let columns = words(lang, columns);
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let total = Count::Exact(rows.len() as u64);
    if q.csv() {
        return Ok(Table { caption: &caption, columns: &columns, rows, total }.csv(&format!("review-{queue}")));
    }
    let table = Table { caption: &caption, columns: &columns, rows: paging.slice(rows), total };
    let body = html! {
        h1 { (lang.t("operator-reviews-title")) }
        nav.tabs aria-label=(lang.t("operator-reviews-queues")) {
            ul { @for (key, label) in QUEUES {
                li { a href=(format!("/operator?queue={key}")) aria-current=[(key == queue).then_some("page")] { (lang.t(label)) } }
            } }
        }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &lang.t("operator-reviews-title"), body))
}

async fn decide_hcpn(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((applicant, verdict)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let staff = staff(&viewer)?;
    let approve = super::approves(&viewer, &verdict)?;
    let reason = if approve { None } else { Some(form.get("reason")) };
    match programs::decide_hcpn(&ctx, staff, &applicant, reason).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/operator",
            viewer.lang.t(if approve { "operator-hcpn-approved" } else { "operator-hcpn-rejected" }),
        )),
        Err(e) => Ok(refused(viewer.cookies, "/operator", &e.into())),
    }
}

async fn decide_program(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((applicant, program, verdict)): PagePath<(String, String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let staff = staff(&viewer)?;
    let approve = super::approves(&viewer, &verdict)?;
    let program = parse_program(&program).map_err(|e| denied(&viewer, e))?;
    let reason = if approve { None } else { Some(form.get("reason")) };
    match programs::decide_program(&ctx, staff, &applicant, program, reason).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/operator",
            viewer.lang.t(if approve { "operator-program-approved" } else { "operator-program-rejected" }),
        )),
        Err(e) => Ok(refused(viewer.cookies, "/operator", &e.into())),
    }
}

async fn decide_information(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((partner, kind, verdict)): PagePath<(String, String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let staff = staff(&viewer)?;
    let approve = super::approves(&viewer, &verdict)?;
    let kind = match kind.as_str() {
        "business" => InfoKind::Business,
        "payment" => InfoKind::Payment,
        _ => {
            let message = viewer.lang.t("operator-no-such-information");
            return Err(denied(&viewer, ApiError::new(ErrorCode::NotFound, message)));
        }
    };
    let reason = if approve { None } else { Some(form.get("reason")) };
    match information::review(&ctx, staff, &partner, kind, reason).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/operator",
            viewer.lang.t(if approve { "operator-info-approved" } else { "operator-info-rejected" }),
        )),
        Err(e) => Ok(refused(viewer.cookies, "/operator", &e.into())),
    }
}

fn state_name(lang: Lang, state: PartnerState) -> String {
    lang.t(match state {
        PartnerState::Normal => "state-normal",
        PartnerState::Restricted => "state-restricted",
        PartnerState::Frozen => "state-frozen",
    })
}

async fn partners(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    staff(&viewer)?;
    let paging = q.paging();
    let (offset, limit) = if q.csv() { (0, super::page::Paging::CSV_MAX) } else { (paging.offset(), paging.per_page) };
    let (found, total) = ctx.store.partners(q.text(), offset, limit).await.or_deny(&viewer)?;
    // Exports stay in English, for the machines that read them.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let rows = found
        .iter()
        .map(|p| {
            let programs: Vec<String> = p.enrollments().iter().map(|e| enrollment_text(lang, e)).collect();
            let cells = vec![
                Cell::link(p.name().as_str(), &format!("/operator/partners/{}", p.id().as_str())),
                Cell::from(p.country().as_str()),
                Cell::from(programs.join(&lang.t("operator-list-separator"))),
                Cell::from(state_name(lang, p.state())),
                exact(p.consumption_quota()),
                Cell::from(when(p.created_at())),
            ];
            (cells, None)
        })
        .collect();
    let caption = lang.t("operator-partners-title");
    let columns = words(
        lang,
        &[
            "operator-col-partner",
            "operator-col-country",
            "operator-col-programs",
            "operator-col-state",
            "operator-col-quota",
            "operator-col-since",
        ],
    );
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table { caption: &caption, columns: &columns, rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("partners"));
    }
    let body = html! {
        h1 { (lang.t("operator-partners-title")) }
        form.filters method="get" action="/operator/partners" role="search" {
            div.field { label for="q" { (lang.t("operator-partners-name-contains")) } input #q type="search" name="q" value=(q.q.as_deref().unwrap_or("")); }
            button type="submit" { (lang.t("operator-partners-search")) }
        }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &lang.t("operator-partners-title"), body))
}

async fn partner(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
) -> Result<Response, Response> {
    partner_view(&ctx, viewer, &id, None).await
}

async fn partner_view(ctx: &Context, viewer: Viewer, id: &str, failed: Option<&Failed>) -> Result<Response, Response> {
    staff(&viewer)?;
    let lang = viewer.lang;
    let not_found = || {
        denied(&viewer, ApiError::new(ErrorCode::NotFound, lang.t_with("operator-no-partner", &[("id", id.into())])))
    };
    let partner_id = opc_domain::PartnerId::parse(id).map_err(|_| not_found())?;
    let partner = ctx.store.partner(&partner_id).await.or_deny(&viewer)?.ok_or_else(not_found)?;
    let caller = opc_core::ops::auth::Caller::acting(ctx, partner.clone(), None, None).await.or_deny(&viewer)?;
    let quota = accounts::partner_quota(ctx, &caller).await.or_deny(&viewer)?;
    let holder = Holder::Partner(partner.id().clone());
    let balance = ctx.store.balances(std::slice::from_ref(&holder)).await.or_deny(&viewer)?;
    let balance = balance.first().map_or(Money::ZERO, |b| b.amount());
    let latest = LedgerQuery { limit: 10, ..LedgerQuery::default() };
    let (entries, entry_count) = ctx.store.ledger(&holder, &latest).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let settlement =
        super::operator_bills::settlement_section(ctx, lang, partner.id(), &token).await.or_deny(&viewer)?;
    let scopes =
        super::discounts::scope_section(ctx, lang, partner.id(), &token).await.map_err(|e| denied(&viewer, e))?;
    let base = format!("/operator/partners/{id}");
    let body = html! {
        p { a href="/operator/partners" { (lang.t("operator-partner-back")) } }
        h1 { (partner.name().as_str()) }
        section.card {
            dl {
                dt { (lang.t("operator-partner-id")) } dd { code { (partner.id().as_str()) } }
                dt { (lang.t("operator-partner-account")) } dd { code { (partner.account_id().as_str()) } }
                dt { (lang.t("operator-partner-country")) } dd { (partner.country().as_str()) }
                dt { (lang.t("operator-partner-state")) } dd #partner-state { (state_name(lang, partner.state())) }
                dt { (lang.t("operator-partner-programs")) } dd { @for e in partner.enrollments() { (enrollment_text(lang, e)) " " } }
            }
        }
        section.card {
            h2 { (lang.t("operator-partner-quota")) }
            @if quota.quota.e8() > 0 { (gauge(lang, &lang.t("operator-partner-quota-gauge"), quota.used, quota.quota)) } @else { p { (lang.t_with("operator-partner-quota-unset", &[("spent", money(quota.used).into())])) } }
            form method="post" action=(format!("{base}/quota")) {
                (csrf(&token))
                (form_error(failed, &["amount"]))
                (field(failed, &lang.t("operator-partner-quota-field"), "amount", Input::Number, &partner.consumption_quota().to_plain_string(), true))
                button type="submit" { (lang.t("operator-partner-quota-set")) }
            }
        }
        section.card {
            h2 { (lang.t("operator-partner-balance-title")) }
            p { (lang.t("operator-partner-balance")) strong #partner-balance { (money(balance)) } }
            form method="post" action=(format!("{base}/balance")) {
                (csrf(&token))
                (form_error(failed, &["entry_amount", "memo", "kind"]))
                label { (lang.t("operator-partner-entry")) select name="kind" {
                    option value="payment" { (lang.t("operator-partner-entry-payment")) }
                    option value="adjustment" { (lang.t("operator-partner-entry-adjustment")) }
                } }
                (field(failed, &lang.t("operator-partner-entry-amount"), "entry_amount", Input::Number, "", true))
                (field(failed, &lang.t("operator-partner-entry-memo"), "memo", Input::Text, "", false))
                button type="submit" { (lang.t("operator-partner-entry-record")) }
            }
            @if entries.is_empty() { p { (lang.t("operator-partner-no-entries")) } } @else {
                table {
                    thead { tr {
                        th { (lang.t("operator-ledger-when")) } th { (lang.t("operator-ledger-entry")) }
                        th.num { (lang.t("operator-ledger-amount")) } th.num { (lang.t("operator-ledger-balance-after")) }
                        th { (lang.t("operator-ledger-memo")) }
                    } }
                    tbody {
                        @for v in &entries {
                            tr {
                                td { (v.entry.at.to_rfc3339()) }
                                td { (entry_kind_name(lang, v.entry.kind)) @if let Some(name) = &v.counterpart_name { " · " (name) } }
                                td.num { (money(v.entry.amount)) }
                                td.num { (money(v.entry.balance_after)) }
                                td { (v.entry.memo) }
                            }
                        }
                    }
                }
                @if entry_count > 10 { p { (lang.t_with("operator-partner-latest-entries", &[("count", entry_count.into())])) } }
            }
        }
        (settlement)
        (scopes)
        section.card {
            h2 { (lang.t("operator-partner-freeze-title")) }
            @if partner.state() == PartnerState::Frozen {
                form method="post" action=(format!("{base}/unfreeze")) data-confirm=(lang.t("operator-partner-unfreeze-confirm")) {
                    (csrf(&token)) button type="submit" { (lang.t("operator-partner-unfreeze")) }
                }
            } @else {
                p { (lang.t("operator-partner-freeze-hint")) }
                form method="post" action=(format!("{base}/freeze")) data-confirm=(lang.t("operator-partner-freeze-confirm")) {
                    (csrf(&token)) button.danger type="submit" { (lang.t("operator-partner-freeze")) }
                }
            }
        }
    };
    Ok(render_form(&viewer, partner.name().as_str(), body, failed))
}

async fn set_quota(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let amount =
            Money::parse_with_scale(form.get("amount").trim(), 2).map_err(|e| ApiError::invalid("amount", e))?;
        admin::change_partner(&ctx, &id, PartnerChange::Quota(amount), &operator).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(_) => {
            Ok(done(viewer.cookies, &format!("/operator/partners/{id}"), viewer.lang.t("operator-quota-set-done")))
        }
        Err(e) => partner_view(&ctx, viewer, &id, Some(&form.failed(&e))).await,
    }
}

fn entry_kind_name(lang: Lang, kind: EntryKind) -> String {
    lang.t(match kind {
        EntryKind::Payment => "operator-entry-payment",
        EntryKind::Adjustment => "operator-entry-adjustment",
        EntryKind::BillDeduction => "operator-entry-bill-deduction",
        EntryKind::Allocation => "operator-entry-allocation",
        EntryKind::Reclaim => "operator-entry-reclaim",
        EntryKind::Unbind => "operator-entry-unbind",
    })
}

async fn record_on_balance(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let amount = Money::parse_with_scale(form.get("entry_amount").trim(), 2)
            .map_err(|e| ApiError::invalid("entry_amount", e))?;
        let what = match form.get("kind") {
            "payment" => OperatorEntry::Payment(amount),
            "adjustment" => OperatorEntry::Adjustment(amount),
            _ => return Err(ApiError::invalid("kind", "must be payment or adjustment")),
        };
        funds::record(&ctx, &id, what, form.get("memo").trim(), &operator).await.map_err(|e| match e {
            // The form's amount field, not the quota's.
            FundsOpError::Funds(f) => ApiError::invalid("entry_amount", f),
            other => ApiError::from(other),
        })
    }
    .await;
    match outcome {
        Ok(e) => Ok(done(
            viewer.cookies,
            &format!("/operator/partners/{id}"),
            viewer.lang.t_with("operator-balance-recorded", &[("balance", money(e.balance_after).into())]),
        )),
        Err(e) => partner_view(&ctx, viewer, &id, Some(&form.failed(&e))).await,
    }
}

async fn freeze_partner(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((id, change)): PagePath<(String, String)>,
    _form: Posted,
) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let change = match change.as_str() {
        "freeze" => PartnerChange::Freeze,
        "unfreeze" => PartnerChange::Unfreeze,
        _ => {
            let message = viewer.lang.t("operator-no-such-change");
            return Err(denied(&viewer, ApiError::new(ErrorCode::NotFound, message)));
        }
    };
    let to = format!("/operator/partners/{id}");
    match admin::change_partner(&ctx, &id, change, &operator).await {
        Ok(p) => {
            let message = viewer.lang.t(match p.state() {
                PartnerState::Normal => "operator-partner-now-normal",
                PartnerState::Restricted => "operator-partner-now-restricted",
                PartnerState::Frozen => "operator-partner-now-frozen",
            });
            Ok(done(viewer.cookies, &to, message))
        }
        Err(e) => Ok(refused(viewer.cookies, &to, &ApiError::from(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opc_domain::partner::{Enrollment, Program, Tier};

    #[test]
    fn tiers_read_as_codes_in_english_and_by_name_in_chinese() {
        assert_eq!(tier_text(Lang::English, Tier::Standard), "standard");
        assert_eq!(tier_text(Lang::Chinese, Tier::Standard), "标准");
        let e = Enrollment {
            program: Program::CloudSolutionProvider,
            tier: Tier::Advanced,
            enrolled_at: opc_domain::Timestamp::from_unix_ms(0),
        };
        assert_eq!(enrollment_text(Lang::English, &e), "Cloud Solution Provider (advanced)");
        assert_eq!(enrollment_text(Lang::Chinese, &e), "解决方案提供商（CSP） · 高级");
    }

    /// A label followed by its control keeps the space written before it, in English as before.
    #[test]
    fn spaces_around_labels_are_kept() {
        assert_eq!(Lang::English.t("operator-partner-entry"), "Entry ");
        assert_eq!(Lang::English.t("operator-partner-balance"), "Balance: ");
        assert_eq!(Lang::English.t("discounts-policy-allow"), " On the list of products partner discounts apply to");
        assert_eq!(Lang::English.t("operator-list-separator"), ", ");
        assert_eq!(Lang::English.t("programs-hcpn-your-application-end"), ".");
    }
}
