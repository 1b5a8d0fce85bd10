//! The customer's pages: an invitation, accepted by registering or by signing in (every
//! failing precaution listed with its fix, R-ASSOC-11), and My Partner with the disassociation
//! request (R-ASSOC-22, R-ASSOC-27).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::console::{self, ConsoleUser};
use opc_core::ops::development::{self, Consents, DevError};
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::console::{Registration, RegistrationForm};
use opc_domain::development::{Initiator, InvitationChannel, RequestState};
use opc_domain::notification::Language;

use super::page::{self, checkbox, csrf, field, form_error, when, Input};
use super::{anonymous_csrf, denied, done, refused, render, render_form, Failed, OrDeny, Posted, Viewer};
use crate::audience::account_of;
use crate::console::extract::{PagePath, PageQuery};
use crate::error::ApiError;
use crate::session::Cookies;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/invitations/{token}", get(invitation))
        .route("/invitations/{token}/code", post(send_code))
        .route("/invitations/{token}/register", post(register))
        .route("/invitations/{token}/accept", post(accept))
        .route("/my-partner", get(my_partner))
        .route("/my-bills", get(my_bills))
        .route("/my-coupons", get(my_coupons))
        .route("/my-partner/disassociation-request", post(request_disassociation))
        .route("/my-partner/disassociation-request/{decision}", post(decide))
}

/// Every failing precaution or condition, each with the rule it comes from and its fix.
pub fn causes<'a>(title: &str, items: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Markup {
    html! {
        section.card role="alert" aria-labelledby="causes-title" {
            h2 #causes-title { (title) }
            ul.causes { @for (rule, message, fix) in items {
                li.cause { strong { (message) } " " span.rule { "(" (rule) ")" } span.fix { "Fix: " (fix) } }
            } }
        }
    }
}

/// The refused acceptance: the precautions' list, or the form's error next to its field.
fn acceptance_failure(form: &Posted, error: DevError) -> (Failed, Option<Markup>) {
    match error {
        DevError::Ineligible(list) => {
            let markup =
                causes("The account cannot be associated yet", list.iter().map(|c| (c.rule(), c.message(), c.fix())));
            (form.failed(&ApiError::new(crate::error::ErrorCode::Ineligible, "See every cause below.")), Some(markup))
        }
        other => (form.failed(&ApiError::from(other)), None),
    }
}

async fn invitation(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    headers: HeaderMap,
    viewer: Option<Viewer>,
) -> Response {
    invitation_view(&ctx, &token, &headers, viewer.as_ref(), None, None, None).await
}

async fn invitation_view(
    ctx: &Context,
    token: &str,
    headers: &HeaderMap,
    viewer: Option<&Viewer>,
    failed: Option<&Failed>,
    extra: Option<Markup>,
    note: Option<&str>,
) -> Response {
    let found = development::invitation(ctx, token).await;
    let (invitation, partner) = match found {
        Ok(found) => found,
        Err(e) => {
            let error = ApiError::from(e);
            return super::plain(error.code().wire().0, "Invitation not found", error.message());
        }
    };
    let reseller = invitation.model == AssociationModel::Reseller;
    let (csrf_token, cookie) = match viewer {
        Some(v) => (v.csrf(), None),
        None => anonymous_csrf(Cookies::of(ctx), headers),
    };
    let model = if reseller { "reseller" } else { "referral" };
    let (expiry, invited) = match &invitation.channel {
        InvitationChannel::Email { expires_at, to } => (Some(*expires_at), to.as_str()),
        _ => (None, ""),
    };
    let consents = |f: Option<&Failed>| {
        html! {
            @if reseller {
                (checkbox(f, html! { "I accept the " em { "Instructions for Associating with a Huawei Cloud Partner" } " (required in the reseller model: my partner pays for my resources, sets my budget and may freeze my account)" }, "accepts_association_instructions", false))
            }
            (checkbox(f, html! { "I grant the optional " em { "Customer Authorization Letter" } " (my partner may place orders and manage resources for me)" }, "accepts_authorization_letter", false))
        }
    };
    let signed_in_account = viewer.and_then(|v| match &v.user {
        ConsoleUser::Account { account, .. } => Some(account.name().as_str().to_owned()),
        _ => None,
    });
    let base = format!("/invitations/{token}");
    let body = html! {
        h1 { (partner.name().as_str()) " invites you" }
        p { "Associate your cloud account with " strong { (partner.name().as_str()) } " in the " strong { (model) } " model." }
        @if reseller { p { "In this model your partner pays for what you use and controls your spending: your account is frozen until your partner sets a budget and unfreezes it." } }
        @if let Some(at) = expiry { p { "This invitation is valid until " (when(at)) "." } }
        @if let Some(note) = note { p.flash.done role="status" { (note) } }
        @if let Some(extra) = extra { (extra) }
        @match &signed_in_account {
            Some(name) => {
                form.card method="post" action=(format!("{base}/accept")) {
                    h2 { "Accept as " (name) }
                    (csrf(&csrf_token))
                    (form_error(failed, &["accepts_association_instructions"]))
                    (consents(failed))
                    (checkbox(failed, html! { "I accept the Customer Agreement (to enable cloud services, if they are not yet)" }, "accepts_customer_agreement", false))
                    button type="submit" { "Accept the invitation" }
                }
            }
            None => {
                form.card method="post" action=(format!("{base}/register")) {
                    h2 { "Register and accept" }
                    (csrf(&csrf_token))
                    (form_error(failed, &["country", "email", "verification_code", "password", "password_confirmation", "accepts_id_agreement", "accepts_privacy_statement", "accepts_customer_agreement", "accepts_association_instructions"]))
                    (field(failed, "Country or region (two letters, e.g. SG)", "country", Input::Text, "", true))
                    (field(failed, "Email", "email", Input::Email, invited, true))
                    button.secondary type="submit" formaction=(format!("{base}/code")) formnovalidate { "Send verification code" }
                    (field(failed, "Verification code (from the email)", "verification_code", Input::Text, "", false))
                    (field(failed, "Password", "password", Input::NewPassword, "", false))
                    (field(failed, "Confirm the password", "password_confirmation", Input::NewPassword, "", false))
                    (checkbox(failed, html! { "I accept the HUAWEI ID User Agreement" }, "accepts_id_agreement", false))
                    (checkbox(failed, html! { "I accept the Statement About HUAWEI ID and Privacy" }, "accepts_privacy_statement", false))
                    (checkbox(failed, html! { "I accept the Customer Agreement and Privacy Statement" }, "accepts_customer_agreement", false))
                    (consents(failed))
                    button type="submit" { "Register and associate" }
                }
                p { "Already have an account? " a href=(format!("/login?next={}", super::form::encode(&base))) { "Sign in to accept" } " (an existing account can accept only an emailed invitation)." }
            }
        }
    };
    let status =
        if failed.is_some_and(|f| !f.message.is_empty()) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut response = match viewer {
        Some(v) => render(v, "Invitation", body),
        None => page::document("Invitation", None, body).into_response(),
    };
    *response.status_mut() = status;
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

async fn send_code(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    headers: HeaderMap,
    viewer: Option<Viewer>,
    form: Posted,
) -> Response {
    let kept = form.kept();
    match console::send_registration_code(&ctx, form.get("email"), Language::default()).await {
        Ok(()) => {
            let note = format!("A verification code is on its way to {}.", form.get("email").trim());
            invitation_view(&ctx, &token, &headers, viewer.as_ref(), Some(&kept), None, Some(&note)).await
        }
        Err(e) => {
            let failed = form.failed(&ApiError::from(e));
            invitation_view(&ctx, &token, &headers, viewer.as_ref(), Some(&failed), None, None).await
        }
    }
}

async fn register(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    headers: HeaderMap,
    form: Posted,
) -> Response {
    let registration = RegistrationForm {
        country: form.get("country"),
        email: form.get("email"),
        verification_code: form.get("verification_code"),
        password: form.get("password"),
        password_confirmation: form.get("password_confirmation"),
        accepts_id_agreement: form.checked("accepts_id_agreement"),
        accepts_privacy_statement: form.checked("accepts_privacy_statement"),
        enable_services: true,
        accepts_customer_agreement: form.checked("accepts_customer_agreement"),
    };
    // Every problem of the form at once, each next to its field.
    if let Err(problems) = Registration::check_all(&registration) {
        let problems: Vec<(&str, String)> = problems.into_iter().map(|p| (p.field, p.reason)).collect();
        let failed = form.failed_all(&problems);
        return invitation_view(&ctx, &token, &headers, None, Some(&failed), None, None).await;
    }
    let consents = consents_of(&form);
    match development::accept_by_registering(&ctx, &token, &registration, &consents).await {
        Ok((account, association)) => {
            // Signed in straight away with the password just chosen.
            let signed = console::sign_in(&ctx, account.name().as_str(), form.get("password")).await;
            let message = associated_message(association.model(), account.is_frozen());
            let cookies = Cookies::of(&ctx);
            let mut response = done(cookies, "/my-partner", message);
            if let Ok((session, _)) = signed {
                cookies.set_session(response.headers_mut(), &session);
            }
            response
        }
        Err(e) => {
            let (failed, extra) = acceptance_failure(&form, e);
            invitation_view(&ctx, &token, &headers, None, Some(&failed), extra, None).await
        }
    }
}

fn consents_of(form: &Posted) -> Consents {
    Consents {
        association_instructions: form.checked("accepts_association_instructions"),
        authorization_letter: form.checked("accepts_authorization_letter"),
        customer_agreement: form.checked("accepts_customer_agreement"),
        lang: Language::default(),
    }
}

fn associated_message(model: AssociationModel, frozen: bool) -> String {
    match (model, frozen) {
        (AssociationModel::Reseller, true) => {
            "You are associated in the reseller model. Your account is frozen until your partner sets a budget and unfreezes it.".to_owned()
        }
        (AssociationModel::Reseller, false) => "You are associated in the reseller model.".to_owned(),
        (AssociationModel::Referral, _) => "You are associated in the referral model.".to_owned(),
    }
}

async fn accept(
    State(ctx): State<Context>,
    PagePath(token): PagePath<String>,
    headers: HeaderMap,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?.clone();
    match development::accept_by_login(&ctx, &token, &account, &consents_of(&form)).await {
        Ok(association) => {
            let now = ctx.store.account(account.id()).await.or_deny(&viewer)?;
            let frozen = now.is_some_and(|a| a.is_frozen());
            Ok(done(viewer.cookies, "/my-partner", associated_message(association.model(), frozen)))
        }
        Err(e) => {
            let (failed, extra) = acceptance_failure(&form, e);
            Ok(invitation_view(&ctx, &token, &headers, Some(&viewer), Some(&failed), extra, None).await)
        }
    }
}

/// Why an account is frozen, in the customer's words (issue 17).
fn freeze_cause_text(cause: opc_domain::account::FreezeCause) -> &'static str {
    use opc_domain::account::FreezeCause;
    match cause {
        FreezeCause::ResellerAssociation => {
            "your partner pays for your resources and unfreezes your account once it sets your budget (R-RCM-02)."
        }
        FreezeCause::Partner => "your partner froze it (R-RCM-10); ask your partner to unfreeze it.",
        FreezeCause::PartnerFrozen => "your partner's own account is frozen, and its customers with it (R-QUOTA-10).",
        FreezeCause::BudgetExhausted => "your budget for this period is used up; your partner can raise it (R-RCM-04).",
    }
}

async fn my_partner(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    my_partner_view(&ctx, viewer, None).await
}

async fn my_partner_view(ctx: &Context, viewer: Viewer, failed: Option<&Failed>) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let mine = development::my_partner(ctx, account.id()).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let frozen = opc_core::ops::customers::why_frozen(ctx, account).await.or_deny(&viewer)?;
    let body = html! {
        h1 { "My Partner" }
        @if let Some((freeze, reason)) = &frozen {
            p.flash.failed role="status" #frozen-notice {
                "Your account is frozen (" (freeze.scope) ") since " (when(freeze.since)) ": " (freeze_cause_text(freeze.cause))
                @if let Some(reason) = reason { " The reason your partner gave: “" (reason) "”." }
            }
        }
        @match &mine {
            None => p { "You are not associated with a partner. A partner's invitation link brings you here." },
            Some((association, partner, request)) => {
                section.card {
                    dl {
                        dt { "Partner" } dd #partner-name { (partner.name().as_str()) }
                        dt { "Country" } dd { (partner.country().as_str()) }
                        dt { "Model" } dd { (if association.model() == AssociationModel::Reseller { "Reseller" } else { "Referral" }) }
                        dt { "Associated since" } dd { (when(association.associated_at())) }
                    }
                }
                @match request.as_ref().filter(|r| r.state() == RequestState::Pending) {
                    Some(r) if r.initiated_by() == Initiator::Partner => section.card {
                        h2 { "Your partner asks to end the association" }
                        p { "Reason: " (r.reason().as_str()) }
                        form.inline method="post" action="/my-partner/disassociation-request/approve" data-confirm="End the association with your partner?" {
                            (csrf(&token)) button.danger type="submit" { "Agree" }
                        }
                        " "
                        form.inline method="post" action="/my-partner/disassociation-request/reject" {
                            (csrf(&token)) button.secondary type="submit" { "Refuse" }
                        }
                    },
                    Some(_) => p.flash.done { "Your disassociation request is waiting for your partner's decision." },
                    None => form.card method="post" action="/my-partner/disassociation-request" data-confirm="Ask your partner to end the association?" {
                        h2 { "Request disassociation" }
                        (csrf(&token))
                        (form_error(failed, &["reason"]))
                        (field(failed, "Reason", "reason", Input::Text, "", true))
                        button.danger type="submit" { "Request disassociation" }
                    },
                }
            }
        }
    };
    Ok(render_form(&viewer, "My Partner", body, failed))
}

async fn request_disassociation(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?.id().clone();
    match development::request_by_customer(&ctx, &account, form.get("reason")).await {
        Ok(_) => Ok(done(viewer.cookies, "/my-partner", "Your request is sent to your partner.")),
        Err(e) => my_partner_view(&ctx, viewer, Some(&form.failed(&e.into()))).await,
    }
}

async fn decide(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(decision): PagePath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?.id().clone();
    let approve = super::approves(&viewer, &decision)?;
    match development::decide_by_customer(&ctx, &account, approve).await {
        Ok(_) if approve => Ok(done(viewer.cookies, "/my-partner", "The association has ended.")),
        Ok(_) => Ok(done(viewer.cookies, "/my-partner", "You stay associated.")),
        Err(e) => Ok(refused(viewer.cookies, "/my-partner", &e.into())),
    }
}

/// The customer's own spend per day and month, its budget's use over the month, and its monthly
/// bills at list price, pre-tax, totals rounded to the cent (R-BILL-12); a reseller customer's
/// are paid by its partner (R-RCM-07).
async fn my_bills(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let bills = ctx.store.customer_bills_of(account.id(), 24).await.or_deny(&viewer)?;
    let spent = opc_core::ops::spend::own_spend(&ctx, account.id()).await.or_deny(&viewer)?;
    let body = html! {
        h1 { "My bills" }
        section.card #spend aria-labelledby="spend-title" {
            h2 #spend-title { "My spend" }
            @if let Some(u) = &spent.budget {
                p { "The budget your partner granted you (R-RCM-03), and its use over the month." }
                (super::spend::budget_chart("budget-days", u))
            }
            (super::spend::spend_charts("my-spend", "Your", &spent.spend))
        }
        @if bills.is_empty() { p { "No month has been billed yet." } }
        @for b in &bills {
            section.card {
                h2 { (opc_core::ops::bills::month_text(b.cycle)) }
                p { "Total " strong title=(b.total.to_string()) { (super::page::money(b.total_rounded)) } " · "
                    @match &b.payer {
                        opc_domain::bill::Payer::Customer => "you pay this bill",
                        opc_domain::bill::Payer::Partner(_) => "paid by your partner: you owe nothing for it",
                    }
                }
                table {
                    thead { tr { th { "Service type" } th { "Billing mode" } th.num { "Amount" } } }
                    tbody { @for l in &b.lines {
                        tr { td { (l.service_type) } td { (super::page::charging_mode_name(l.mode)) }
                             td.num title=(l.official.to_string()) { (super::page::money(l.official)) } }
                    } }
                }
            }
        }
    };
    Ok(render(&viewer, "My bills", body))
}

/// The coupons issued for the customer (read-only): they pay its spend on its partner's bill
/// (R-CPN-06); the same coupons as B1.5.1 `list_sub_customer_coupons` shows a customer signer.
async fn my_coupons(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<super::ListQuery>,
) -> Result<Response, Response> {
    use opc_core::ops::coupons::{self, CouponFilter};
    use opc_domain::coupon::CouponKind;
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let paging = q.paging();
    let filter = CouponFilter { offset: paging.offset(), limit: paging.per_page, ..CouponFilter::default() };
    let (list, total) = coupons::coupons_of_signer(&ctx, account.id(), &filter, None).await.or_deny(&viewer)?;
    let now = ctx.clock.now();
    let rows = list
        .iter()
        .map(|c| {
            let status = page::coupon_status_name(c.status(now));
            let kind = match c.kind {
                CouponKind::Cash => "Cash coupon",
                CouponKind::Test => "Test coupon",
            };
            let types = c.limits.service_types();
            let cells = vec![
                page::Cell::from(c.id.clone()),
                page::Cell::from(kind),
                page::exact(c.balance),
                page::exact(c.face_value),
                page::Cell::from(when(c.validity.from)),
                page::Cell::from(when(c.validity.to)),
                page::Cell::from(if types.is_empty() { "Any".to_owned() } else { types.join(", ") }),
                page::Cell::from(c.memo.clone()),
                page::Cell::from(status),
            ];
            (cells, None)
        })
        .collect();
    let table = page::Table {
        caption: "Coupons issued for you",
        columns: &[
            "Coupon",
            "Kind",
            "Balance (USD)",
            "Face value",
            "Valid from",
            "Valid to",
            "Service types",
            "Remarks",
            "Status",
        ],
        rows,
        total: page::Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("my-coupons"));
    }
    let body = html! {
        h1 { "My coupons" }
        p { "Coupons your partner issued for you pay for your spend on your partner's bill; you pay nothing with them yourself." }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "My coupons", body))
}
