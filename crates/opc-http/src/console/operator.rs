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
use crate::codes::{parse_program, program_code, program_name, tier_code};
use crate::console::extract::{PagePath, PageQuery};
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
pub(super) fn decision_forms(base: &str, token: &str, what: &str) -> Markup {
    html! {
        form.inline method="post" action=(format!("{base}/approve")) data-confirm=(format!("Approve {what}?")) {
            (csrf(token)) button type="submit" { "Approve" }
        }
        " "
        form.inline method="post" action=(format!("{base}/reject")) data-confirm=(format!("Reject {what}?")) {
            (csrf(token))
            label { span.sr { "Reason for rejecting " (what) } input type="text" name="reason" required placeholder="Reason"; }
            " " button.danger type="submit" { "Reject" }
        }
    }
}

const QUEUES: [(&str, &str); 3] = [
    ("hcpn", "HCPN applications"),
    ("programs", "Program applications"),
    ("information", "Information authentication"),
];

/// The review queues, one at a time (`?queue=hcpn|programs|information`).
async fn reviews(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    staff(&viewer)?;
    let paging = q.paging();
    let token = viewer.csrf();
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
                    let what = format!("{} for {}", program_name(a.program()), applicant(a.applicant()));
                    let cells = vec![
                        Cell::from(applicant(a.applicant())),
                        Cell::from(program_name(a.program())),
                        Cell::from(a.business_area().as_str()),
                        Cell::from(when(a.submitted_at())),
                    ];
                    let base = format!("/operator/programs/{}/{}", a.applicant().as_str(), program_code(a.program()));
                    (cells, Some(decision_forms(&base, &token, &what)))
                })
                .collect();
            (&["Applicant", "Program", "Business area", "Submitted"], rows)
        }
        "information" => {
            let infos = information::queue(&ctx, "submitted").await.or_deny(&viewer)?;
            let rows = infos
                .iter()
                .map(|r| {
                    let (kind, code, summary) = match &r.data {
                        InfoData::Business(b) => ("Business", "business", b.company_name.clone()),
                        InfoData::Payment(p) => ("Payment", "payment", format!("{} ({})", p.bank_name, p.bank_country)),
                    };
                    let cells = vec![
                        Cell::from(r.partner.as_str()),
                        Cell::from(kind),
                        Cell::from(summary),
                        Cell::from(when(r.submitted_at)),
                    ];
                    let base = format!("/operator/information/{}/{code}", r.partner.as_str());
                    (cells, Some(decision_forms(&base, &token, &format!("the {} information", kind.to_lowercase()))))
                })
                .collect();
            (&["Partner", "Kind", "Submitted data", "Submitted"], rows)
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
                        Some(decision_forms(&format!("/operator/hcpn/{}", a.applicant().as_str()), &token, company)),
                    )
                })
                .collect();
            (&["Company", "Country", "Contact", "Why it needs review", "Submitted"], rows)
        }
    };
    let caption = QUEUES.iter().find(|(k, _)| *k == queue).map(|(_, c)| *c).unwrap_or_default();
    let total = Count::Exact(rows.len() as u64);
    if q.csv() {
        return Ok(Table { caption, columns, rows, total }.csv(&format!("review-{queue}")));
    }
    let table = Table { caption, columns, rows: paging.slice(rows), total };
    let body = html! {
        h1 { "Reviews" }
        nav.tabs aria-label="Queues" {
            ul { @for (key, label) in QUEUES {
                li { a href=(format!("/operator?queue={key}")) aria-current=[(key == queue).then_some("page")] { (label) } }
            } }
        }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "Reviews", body))
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
            if approve { "The HCPN application is approved." } else { "The HCPN application is rejected." },
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
            if approve { "The program application is approved." } else { "The program application is rejected." },
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
        _ => return Err(denied(&viewer, ApiError::new(ErrorCode::NotFound, "No such information."))),
    };
    let reason = if approve { None } else { Some(form.get("reason")) };
    match information::review(&ctx, staff, &partner, kind, reason).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/operator",
            if approve { "The information is approved." } else { "The information is rejected." },
        )),
        Err(e) => Ok(refused(viewer.cookies, "/operator", &e.into())),
    }
}

fn state_name(state: PartnerState) -> &'static str {
    match state {
        PartnerState::Normal => "Normal",
        PartnerState::Restricted => "Restricted",
        PartnerState::Frozen => "Frozen",
    }
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
    let rows = found
        .iter()
        .map(|p| {
            let programs: Vec<String> = p
                .enrollments()
                .iter()
                .map(|e| format!("{} ({})", program_name(e.program), tier_code(e.tier)))
                .collect();
            let cells = vec![
                Cell::link(p.name().as_str(), &format!("/operator/partners/{}", p.id().as_str())),
                Cell::from(p.country().as_str()),
                Cell::from(programs.join(", ")),
                Cell::from(state_name(p.state())),
                exact(p.consumption_quota()),
                Cell::from(when(p.created_at())),
            ];
            (cells, None)
        })
        .collect();
    let table = Table {
        caption: "Partners",
        columns: &["Partner", "Country", "Programs", "State", "Consumption quota", "Since"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("partners"));
    }
    let body = html! {
        h1 { "Partners" }
        form.filters method="get" action="/operator/partners" role="search" {
            div.field { label for="q" { "Name contains" } input #q type="search" name="q" value=(q.q.as_deref().unwrap_or("")); }
            button type="submit" { "Search" }
        }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "Partners", body))
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
    let not_found = || denied(&viewer, ApiError::new(ErrorCode::NotFound, format!("There is no partner {id}.")));
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
    let settlement = super::operator_bills::settlement_section(ctx, partner.id(), &token).await.or_deny(&viewer)?;
    let scopes = super::discounts::scope_section(ctx, partner.id(), &token).await.map_err(|e| denied(&viewer, e))?;
    let base = format!("/operator/partners/{id}");
    let body = html! {
        p { a href="/operator/partners" { "← Partners" } }
        h1 { (partner.name().as_str()) }
        section.card {
            dl {
                dt { "Partner id" } dd { code { (partner.id().as_str()) } }
                dt { "Account" } dd { code { (partner.account_id().as_str()) } }
                dt { "Country" } dd { (partner.country().as_str()) }
                dt { "State" } dd #partner-state { (state_name(partner.state())) }
                dt { "Programs" } dd { @for e in partner.enrollments() { (program_name(e.program)) " (" (tier_code(e.tier)) ") " } }
            }
        }
        section.card {
            h2 { "Consumption quota" }
            @if quota.quota.e8() > 0 { (gauge("Reseller customers' spend", quota.used, quota.quota)) } @else { p { "Not set. Spend so far: " (money(quota.used)) "." } }
            form method="post" action=(format!("{base}/quota")) {
                (csrf(&token))
                (form_error(failed, &["amount"]))
                (field(failed, "Quota (0 for none)", "amount", Input::Number, &partner.consumption_quota().to_plain_string(), true))
                button type="submit" { "Set quota" }
            }
        }
        section.card {
            h2 { "Account balance" }
            p { "Balance: " strong #partner-balance { (money(balance)) } }
            form method="post" action=(format!("{base}/balance")) {
                (csrf(&token))
                (form_error(failed, &["entry_amount", "memo", "kind"]))
                label { "Entry " select name="kind" {
                    option value="payment" { "Payment received (a repayment or an advance)" }
                    option value="adjustment" { "Adjustment (negative to take)" }
                } }
                (field(failed, "Amount", "entry_amount", Input::Number, "", true))
                (field(failed, "Memo", "memo", Input::Text, "", false))
                button type="submit" { "Record" }
            }
            @if entries.is_empty() { p { "No entries yet." } } @else {
                table {
                    thead { tr { th { "When" } th { "Entry" } th.num { "Amount" } th.num { "Balance after" } th { "Memo" } } }
                    tbody {
                        @for v in &entries {
                            tr {
                                td { (v.entry.at.to_rfc3339()) }
                                td { (entry_kind_name(v.entry.kind)) @if let Some(name) = &v.counterpart_name { " · " (name) } }
                                td.num { (money(v.entry.amount)) }
                                td.num { (money(v.entry.balance_after)) }
                                td { (v.entry.memo) }
                            }
                        }
                    }
                }
                @if entry_count > 10 { p { "The 10 latest of " (entry_count) " entries." } }
            }
        }
        (settlement)
        (scopes)
        section.card {
            h2 { "Freeze" }
            @if partner.state() == PartnerState::Frozen {
                form method="post" action=(format!("{base}/unfreeze")) data-confirm="Unfreeze this partner and its customers?" {
                    (csrf(&token)) button type="submit" { "Unfreeze the partner" }
                }
            } @else {
                p { "Freezing a partner freezes its customers too, and a distributor's resellers with theirs (R-QUOTA-10, R-DIST-05)." }
                form method="post" action=(format!("{base}/freeze")) data-confirm="Freeze this partner and all its customers?" {
                    (csrf(&token)) button.danger type="submit" { "Freeze the partner" }
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
        Ok(_) => Ok(done(viewer.cookies, &format!("/operator/partners/{id}"), "The consumption quota is set.")),
        Err(e) => partner_view(&ctx, viewer, &id, Some(&form.failed(&e))).await,
    }
}

fn entry_kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Payment => "Payment",
        EntryKind::Adjustment => "Adjustment",
        EntryKind::BillDeduction => "Bill deduction",
        EntryKind::Allocation => "Allocation",
        EntryKind::Reclaim => "Reclaim",
        EntryKind::Unbind => "Returned at disassociation",
    }
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
            format!("Recorded. The balance is now {}.", money(e.balance_after)),
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
        _ => return Err(denied(&viewer, ApiError::new(ErrorCode::NotFound, "No such change."))),
    };
    let to = format!("/operator/partners/{id}");
    match admin::change_partner(&ctx, &id, change, &operator).await {
        Ok(p) => Ok(done(viewer.cookies, &to, format!("The partner is now {}.", state_name(p.state()).to_lowercase()))),
        Err(e) => Ok(refused(viewer.cookies, &to, &ApiError::from(e))),
    }
}
