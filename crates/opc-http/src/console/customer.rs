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
use crate::console::i18n::Lang;
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

/// Every failing precaution or condition, each with the rule it comes from and its fix, the
/// page's words in `lang` (the causes themselves come from the domain).
pub fn causes<'a>(lang: Lang, title: &str, items: impl Iterator<Item = (&'a str, &'a str, &'a str)>) -> Markup {
    html! {
        section.card role="alert" aria-labelledby="causes-title" {
            h2 #causes-title { (title) }
            ul.causes { @for (rule, message, fix) in items {
                li.cause {
                    strong { (message) } " "
                    span.rule { (lang.t_with("customer-causes-rule", &[("rule", rule.into())])) }
                    span.fix { (lang.t_with("customer-causes-fix", &[("fix", fix.into())])) }
                }
            } }
        }
    }
}

/// The refused acceptance: the precautions' list, or the form's error next to its field.
fn acceptance_failure(lang: Lang, form: &Posted, error: DevError) -> (Failed, Option<Markup>) {
    match error {
        DevError::Ineligible(list) => {
            let markup =
                causes(lang, &lang.t("invite-causes-title"), list.iter().map(|c| (c.rule(), c.message(), c.fix())));
            let error = ApiError::new(crate::error::ErrorCode::Ineligible, lang.t("invite-see-causes"));
            (form.failed(&error), Some(markup))
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
    let lang = viewer.map_or_else(|| Lang::of_request(Cookies::of(ctx), headers), |v| v.lang);
    let found = development::invitation(ctx, token).await;
    let (invitation, partner) = match found {
        Ok(found) => found,
        Err(e) => {
            let error = ApiError::from(e);
            return super::plain_in(lang, error.code().wire().0, &lang.t("invite-not-found"), error.message());
        }
    };
    let reseller = invitation.model == AssociationModel::Reseller;
    let (csrf_token, cookie) = match viewer {
        Some(v) => (v.csrf(), None),
        None => anonymous_csrf(Cookies::of(ctx), headers),
    };
    let model = lang.t(if reseller { "invite-model-reseller" } else { "invite-model-referral" });
    let (expiry, invited) = match &invitation.channel {
        InvitationChannel::Email { expires_at, to } => (Some(*expires_at), to.as_str()),
        _ => (None, ""),
    };
    let consents = |f: Option<&Failed>| {
        html! {
            @if reseller {
                (checkbox(f, html! {
                    (lang.t("invite-consent-instructions-before"))
                    em { (lang.t("invite-consent-instructions-doc")) }
                    (lang.t("invite-consent-instructions-after"))
                }, "accepts_association_instructions", false))
            }
            (checkbox(f, html! {
                (lang.t("invite-consent-letter-before"))
                em { (lang.t("invite-consent-letter-doc")) }
                (lang.t("invite-consent-letter-after"))
            }, "accepts_authorization_letter", false))
        }
    };
    let signed_in_account = viewer.and_then(|v| match &v.user {
        ConsoleUser::Account { account, .. } => Some(account.name().as_str().to_owned()),
        _ => None,
    });
    let base = format!("/invitations/{token}");
    let body = html! {
        h1 { (lang.t_with("invite-heading", &[("partner", partner.name().as_str().into())])) }
        p {
            (lang.t("invite-associate-before")) strong { (partner.name().as_str()) }
            (lang.t("invite-associate-middle")) strong { (model) } (lang.t("invite-associate-after"))
        }
        @if reseller { p { (lang.t("invite-reseller-note")) } }
        @if let Some(at) = expiry { p { (lang.t_with("invite-valid-until", &[("at", when(at).into())])) } }
        @if let Some(note) = note { p.flash.done role="status" { (note) } }
        @if let Some(extra) = extra { (extra) }
        @match &signed_in_account {
            Some(name) => {
                form.card method="post" action=(format!("{base}/accept")) {
                    h2 { (lang.t_with("invite-accept-as", &[("name", name.as_str().into())])) }
                    (csrf(&csrf_token))
                    (form_error(failed, &["accepts_association_instructions"]))
                    (consents(failed))
                    (checkbox(failed, html! { (lang.t("invite-consent-agreement-enable")) }, "accepts_customer_agreement", false))
                    button type="submit" { (lang.t("invite-accept-submit")) }
                }
            }
            None => {
                form.card method="post" action=(format!("{base}/register")) {
                    h2 { (lang.t("invite-register-heading")) }
                    (csrf(&csrf_token))
                    (form_error(failed, &["country", "email", "verification_code", "password", "password_confirmation", "accepts_id_agreement", "accepts_privacy_statement", "accepts_customer_agreement", "accepts_association_instructions"]))
                    (field(failed, &lang.t("invite-country"), "country", Input::Text, "", true))
                    (field(failed, &lang.t("invite-email"), "email", Input::Email, invited, true))
                    button.secondary type="submit" formaction=(format!("{base}/code")) formnovalidate { (lang.t("invite-send-code")) }
                    (field(failed, &lang.t("invite-code"), "verification_code", Input::Text, "", false))
                    (field(failed, &lang.t("invite-password"), "password", Input::NewPassword, "", false))
                    (field(failed, &lang.t("invite-password-confirm"), "password_confirmation", Input::NewPassword, "", false))
                    (checkbox(failed, html! { (lang.t("invite-consent-id")) }, "accepts_id_agreement", false))
                    (checkbox(failed, html! { (lang.t("invite-consent-privacy")) }, "accepts_privacy_statement", false))
                    (checkbox(failed, html! { (lang.t("invite-consent-customer")) }, "accepts_customer_agreement", false))
                    (consents(failed))
                    button type="submit" { (lang.t("invite-register-submit")) }
                }
                p {
                    (lang.t("invite-have-account"))
                    a href=(format!("/login?next={}", super::form::encode(&base))) { (lang.t("invite-sign-in")) }
                    (lang.t("invite-sign-in-note"))
                }
            }
        }
    };
    let status =
        if failed.is_some_and(|f| !f.message.is_empty()) { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let title = lang.t("invite-title");
    let mut response = match viewer {
        Some(v) => render(v, &title, body),
        None => page::document_in(lang, &base, &title, body).into_response(),
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
    let lang = viewer.as_ref().map_or_else(|| Lang::of_request(Cookies::of(&ctx), &headers), |v| v.lang);
    match console::send_registration_code(&ctx, form.get("email"), Language::default()).await {
        Ok(()) => {
            let note = lang.t_with("invite-code-sent", &[("email", form.get("email").trim().into())]);
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
            let cookies = Cookies::of(&ctx);
            let lang = Lang::of_request(cookies, &headers);
            let message = associated_message(lang, association.model(), account.is_frozen());
            let mut response = done(cookies, "/my-partner", message);
            if let Ok((session, _)) = signed {
                cookies.set_session(response.headers_mut(), &session);
            }
            response
        }
        Err(e) => {
            let (failed, extra) = acceptance_failure(Lang::of_request(Cookies::of(&ctx), &headers), &form, e);
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

fn associated_message(lang: Lang, model: AssociationModel, frozen: bool) -> String {
    lang.t(match (model, frozen) {
        (AssociationModel::Reseller, true) => "invite-associated-reseller-frozen",
        (AssociationModel::Reseller, false) => "invite-associated-reseller",
        (AssociationModel::Referral, _) => "invite-associated-referral",
    })
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
            Ok(done(viewer.cookies, "/my-partner", associated_message(viewer.lang, association.model(), frozen)))
        }
        Err(e) => {
            let (failed, extra) = acceptance_failure(viewer.lang, &form, e);
            Ok(invitation_view(&ctx, &token, &headers, Some(&viewer), Some(&failed), extra, None).await)
        }
    }
}

/// Why an account is frozen, in the customer's words (issue 17): the message id.
fn freeze_cause_text(cause: opc_domain::account::FreezeCause) -> &'static str {
    use opc_domain::account::FreezeCause;
    match cause {
        FreezeCause::ResellerAssociation => "customer-frozen-cause-reseller",
        FreezeCause::Partner => "customer-frozen-cause-partner",
        FreezeCause::PartnerFrozen => "customer-frozen-cause-partner-frozen",
        FreezeCause::BudgetExhausted => "customer-frozen-cause-budget",
    }
}

/// What a freeze covers: the message id.
fn freeze_scope_text(scope: opc_domain::account::FreezeScope) -> &'static str {
    use opc_domain::account::FreezeScope;
    match scope {
        FreezeScope::Account => "customer-frozen-scope-account",
        FreezeScope::AccountAndResource => "customer-frozen-scope-resources",
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
    let lang = viewer.lang;
    let body = html! {
        h1 { (lang.t("customer-partner-title")) }
        @if let Some((freeze, reason)) = &frozen {
            p.flash.failed role="status" #frozen-notice {
                (lang.t_with("customer-frozen", &[
                    ("scope", lang.t(freeze_scope_text(freeze.scope)).into()),
                    ("since", when(freeze.since).into()),
                    ("cause", lang.t(freeze_cause_text(freeze.cause)).into()),
                ]))
                @if let Some(reason) = reason { (lang.t_with("customer-frozen-reason", &[("reason", reason.as_str().into())])) }
            }
        }
        @match &mine {
            None => p { (lang.t("customer-partner-none")) },
            Some((association, partner, request)) => {
                section.card {
                    dl {
                        dt { (lang.t("customer-partner-name")) } dd #partner-name { (partner.name().as_str()) }
                        dt { (lang.t("customer-partner-country")) } dd { (partner.country().as_str()) }
                        dt { (lang.t("customer-partner-model")) } dd { (lang.t(if association.model() == AssociationModel::Reseller { "customer-model-reseller" } else { "customer-model-referral" })) }
                        dt { (lang.t("customer-partner-since")) } dd { (when(association.associated_at())) }
                    }
                }
                @match request.as_ref().filter(|r| r.state() == RequestState::Pending) {
                    Some(r) if r.initiated_by() == Initiator::Partner => section.card {
                        h2 { (lang.t("customer-partner-asks")) }
                        p { (lang.t_with("customer-partner-reason", &[("reason", r.reason().as_str().into())])) }
                        form.inline method="post" action="/my-partner/disassociation-request/approve" data-confirm=(lang.t("customer-partner-agree-confirm")) {
                            (csrf(&token)) button.danger type="submit" { (lang.t("customer-partner-agree")) }
                        }
                        " "
                        form.inline method="post" action="/my-partner/disassociation-request/reject" {
                            (csrf(&token)) button.secondary type="submit" { (lang.t("customer-partner-refuse")) }
                        }
                    },
                    Some(_) => p.flash.done { (lang.t("customer-partner-waiting")) },
                    None => form.card method="post" action="/my-partner/disassociation-request" data-confirm=(lang.t("customer-partner-request-confirm")) {
                        h2 { (lang.t("customer-partner-request")) }
                        (csrf(&token))
                        (form_error(failed, &["reason"]))
                        (field(failed, &lang.t("customer-partner-request-reason"), "reason", Input::Text, "", true))
                        button.danger type="submit" { (lang.t("customer-partner-request")) }
                    },
                }
            }
        }
    };
    Ok(render_form(&viewer, &lang.t("customer-partner-title"), body, failed))
}

async fn request_disassociation(
    State(ctx): State<Context>,
    viewer: Viewer,
    form: Posted,
) -> Result<Response, Response> {
    let account = account_of(&viewer.user).map_err(|e| denied(&viewer, e))?.id().clone();
    match development::request_by_customer(&ctx, &account, form.get("reason")).await {
        Ok(_) => Ok(done(viewer.cookies, "/my-partner", viewer.lang.t("customer-partner-request-sent"))),
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
        Ok(_) if approve => Ok(done(viewer.cookies, "/my-partner", viewer.lang.t("customer-partner-ended"))),
        Ok(_) => Ok(done(viewer.cookies, "/my-partner", viewer.lang.t("customer-partner-stays"))),
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
    let lang = viewer.lang;
    let body = html! {
        h1 { (lang.t("customer-bills-title")) }
        section.card #spend aria-labelledby="spend-title" {
            h2 #spend-title { (lang.t("customer-bills-spend")) }
            @if let Some(u) = &spent.budget {
                p { (lang.t("customer-bills-budget")) }
                (super::spend::budget_chart(viewer.lang, "budget-days", u))
            }
            (super::spend::spend_charts(lang, "my-spend", &lang.t("customer-bills-whose"), &spent.spend))
        }
        @if bills.is_empty() { p { (lang.t("customer-bills-none")) } }
        @for b in &bills {
            section.card {
                h2 { (opc_core::ops::bills::month_text(b.cycle)) }
                p { (lang.t("customer-bills-total")) " " strong title=(b.total.to_string()) { (super::page::money(b.total_rounded)) } " · "
                    (lang.t(match &b.payer {
                        opc_domain::bill::Payer::Customer => "customer-bills-you-pay",
                        opc_domain::bill::Payer::Partner(_) => "customer-bills-partner-pays",
                    }))
                }
                table {
                    thead { tr {
                        th { (lang.t("customer-bills-service-type")) }
                        th { (lang.t("customer-bills-mode")) }
                        th.num { (lang.t("customer-bills-amount")) }
                    } }
                    tbody { @for l in &b.lines {
                        tr { td { (l.service_type) } td { (super::page::charging_mode_name(l.mode)) }
                             td.num title=(l.official.to_string()) { (super::page::money(l.official)) } }
                    } }
                }
            }
        }
    };
    Ok(render(&viewer, &lang.t("customer-bills-title"), body))
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
    // The export keeps its English words, for the machines that read it.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let rows = list
        .iter()
        .map(|c| {
            let status = page::coupon_status_name(c.status(now));
            let kind = lang.t(match c.kind {
                CouponKind::Cash => "customer-coupons-cash",
                CouponKind::Test => "customer-coupons-test",
            });
            let types = c.limits.service_types();
            let cells = vec![
                page::Cell::from(c.id.clone()),
                page::Cell::from(kind),
                page::exact(c.balance),
                page::exact(c.face_value),
                page::Cell::from(when(c.validity.from)),
                page::Cell::from(when(c.validity.to)),
                page::Cell::from(if types.is_empty() { lang.t("customer-coupons-any") } else { types.join(", ") }),
                page::Cell::from(c.memo.clone()),
                page::Cell::from(status),
            ];
            (cells, None)
        })
        .collect();
    let caption = lang.t("customer-coupons-caption");
    let columns: Vec<String> = [
        "customer-coupons-col-coupon",
        "customer-coupons-col-kind",
        "customer-coupons-col-balance",
        "customer-coupons-col-face",
        "customer-coupons-col-from",
        "customer-coupons-col-to",
        "customer-coupons-col-types",
        "customer-coupons-col-remarks",
        "customer-coupons-col-status",
    ]
    .into_iter()
    .map(|id| lang.t(id))
    .collect();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = page::Table { caption: &caption, columns: &columns, rows, total: page::Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("my-coupons"));
    }
    let body = html! {
        h1 { (lang.t("customer-coupons-title")) }
        p { (lang.t("customer-coupons-note")) }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &lang.t("customer-coupons-title"), body))
}
