//! Partner discounts in the console (R-CPN-25 … R-CPN-33, A-09): the operator's discount
//! policies per service type and a partner's scopes (on the partner's page), the partner's
//! Discounts page (its scopes, general and special discounts, their forms), and the customer's
//! commercial discounts. The rules stay in the use cases; payment with a discount is on the
//! customer's Orders page.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::discounts::{self, Target};
use opc_core::Context;
use opc_domain::bill::Discount;
use opc_domain::discount::{DiscountKind, PartnerDiscount};
use opc_domain::Timestamp;

use super::i18n::Lang;
use super::page::{csrf, when};
use super::{denied, done, refused, render, OrDeny, Posted, Viewer};
use crate::audience::{acting_partner, customer_account, staff_of};
use crate::codes::{exclusion_code, incentive_code, parse_exclusion, parse_incentive};
use crate::console::extract::PagePath;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/operator/discount-policies", get(policies_page).post(set_policy))
        .route("/operator/partners/{id}/discount-scopes", post(authorize))
        .route("/partner/discounts", get(partner_page).post(set_discount))
        .route("/partner/discounts/{id}/remove", post(remove_discount))
        .route("/my-discounts", get(customer_page))
}

fn rate(field: &'static str, text: &str) -> Result<Discount, ApiError> {
    Discount::parse(text.trim()).map_err(|e| ApiError::invalid(field, e))
}

fn target_text(lang: Lang, d: &PartnerDiscount) -> String {
    match &d.kind {
        DiscountKind::General { customer: None } => lang.t("discounts-target-all"),
        DiscountKind::General { customer: Some(c) } => {
            lang.t_with("discounts-target-customer", &[("customer", c.to_string().into())])
        }
        DiscountKind::Special { customer, order } => lang.t_with(
            "discounts-target-order",
            &[("order", order.to_string().into()), ("customer", customer.to_string().into())],
        ),
    }
}

fn kind_name(lang: Lang, d: &PartnerDiscount) -> String {
    lang.t(match d.kind {
        DiscountKind::General { .. } => "discounts-kind-general",
        DiscountKind::Special { .. } => "discounts-kind-special",
    })
}

/// A discount as a share off, "20% off".
fn off_text(lang: Lang, rate: Discount) -> String {
    lang.t_with("discounts-off", &[("rate", rate.percent_text().into())])
}

async fn policies_page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let listed = discounts::catalog_policies(&ctx).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let body = html! {
        h1 { (t("discounts-policies-title")) }
        p.hint { (t("discounts-policies-hint")) }
        table {
            thead { tr {
                th { (t("discounts-col-service-type")) } th { (t("discounts-col-partner-discounts")) }
                th { (t("discounts-col-exclusion")) } th { (t("discounts-col-incentive")) }
            } }
            tbody { @for (s, p) in &listed {
                tr {
                    td { (s.name.get(lang == Lang::English)) " " code { (s.code) } }
                    td { @if p.as_ref().is_some_and(|p| p.allows_discount()) { (t("discounts-apply")) } @else { (t("discounts-do-not-apply")) } }
                    td { (p.as_ref().and_then(|p| p.exclusion).map_or("—", exclusion_code)) }
                    td { (p.as_ref().map_or("non_specific", |p| incentive_code(p.incentive))) }
                }
            } }
        }
        section.card {
            h2 { (t("discounts-policy-set-title")) }
            form method="post" action="/operator/discount-policies" {
                (csrf(&token))
                label { (t("discounts-service-type-label")) select name="service_type" { @for (s, _) in &listed { option value=(s.code) { (s.code) } } } }
                label { input type="checkbox" name="allow_discount"; (t("discounts-policy-allow")) }
                label { (t("discounts-policy-exclusion")) select name="exclusion" {
                    option value="" { (t("discounts-exclusion-none")) } option value="spot" { (t("discounts-exclusion-spot")) }
                    option value="koogallery" { (t("discounts-exclusion-koogallery")) } option value="ocsa_node" { (t("discounts-exclusion-ocsa")) }
                } }
                label { (t("discounts-policy-incentive")) select name="incentive_policy" {
                    option value="non_specific" { (t("discounts-incentive-non-specific")) } option value="specific" { (t("discounts-incentive-specific")) }
                    option value="no_performance_no_rebate" { (t("discounts-incentive-no-performance")) }
                    option value="performance_no_rebate" { (t("discounts-incentive-performance")) }
                } }
                button type="submit" { (t("discounts-policy-set")) }
            }
        }
    };
    Ok(render(&viewer, &t("discounts-policies-title"), body))
}

async fn set_policy(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let to = "/operator/discount-policies";
    let outcome = async {
        let exclusion = form.opt("exclusion").filter(|e| !e.is_empty()).map(parse_exclusion).transpose()?;
        let incentive = parse_incentive(form.opt("incentive_policy").unwrap_or("non_specific"))?;
        let allow = form.checked("allow_discount");
        discounts::set_policy(&ctx, &operator, form.get("service_type"), allow, incentive, exclusion)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(p) => {
            let message =
                viewer.lang.t_with("discounts-policy-done", &[("service", p.service_type.to_string().into())]);
            Ok(done(viewer.cookies, to, message))
        }
        Err(e) => Ok(refused(viewer.cookies, to, &e)),
    }
}

/// The operator's partner page: the discount scopes authorized to the partner and the form to
/// authorize one (R-CPN-25, R-CPN-26).
pub async fn scope_section(
    ctx: &Context,
    lang: Lang,
    partner: &opc_domain::PartnerId,
    token: &str,
) -> Result<Markup, ApiError> {
    let scopes = discounts::scopes_of(ctx, partner.as_str()).await?;
    let listed = discounts::catalog_policies(ctx).await?;
    let t = |id: &str| lang.t(id);
    Ok(html! {
        section.card {
            h2 { (t("discounts-scopes-title")) }
            p.hint { (t("discounts-scopes-hint")) }
            @if scopes.is_empty() { p { (t("discounts-scopes-none")) } } @else {
                table { thead { tr {
                    th { (t("discounts-col-service-type")) } th { (t("discounts-col-up-to")) }
                    th { (t("discounts-col-from")) } th { (t("discounts-col-authorized-by")) }
                } }
                    tbody { @for s in &scopes {
                        tr { td { code { (s.service_type) } } td { (off_text(lang, s.max_off)) }
                             td { (when(s.from)) } td { (s.granted_by) } }
                    } } }
            }
            form method="post" action=(format!("/operator/partners/{partner}/discount-scopes")) {
                (csrf(token))
                label { (t("discounts-service-type-label")) select name="service_type" { @for (s, _) in &listed { option value=(s.code) { (s.code) } } } }
                label { (t("discounts-scopes-up-to")) input type="text" name="max_discount" required; }
                label { (t("discounts-scopes-from")) input type="text" name="from"; }
                button type="submit" { (t("discounts-scopes-authorize")) }
            }
        }
    })
}

async fn authorize(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let to = format!("/operator/partners/{id}");
    let outcome = async {
        let max = rate("max_discount", form.get("max_discount"))?;
        let from = form
            .opt("from")
            .filter(|f| !f.trim().is_empty())
            .map(|f| {
                Timestamp::parse_rfc3339(f.trim()).map_err(|_| ApiError::invalid("from", "must be an RFC 3339 time"))
            })
            .transpose()?;
        discounts::authorize_scope(&ctx, &operator, &id, form.get("service_type"), max, from)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(s) => Ok(done(
            viewer.cookies,
            &to,
            viewer.lang.t_with(
                "discounts-scopes-done",
                &[("rate", s.max_off.percent_text().into()), ("service", s.service_type.to_string().into())],
            ),
        )),
        Err(e) => Ok(refused(viewer.cookies, &to, &e)),
    }
}

async fn caller(
    ctx: &Context,
    viewer: &Viewer,
    needs: opc_domain::organization::Permission,
) -> Result<opc_core::ops::auth::Caller, Response> {
    let (partner, member) = acting_partner(&viewer.user, Some(needs)).map_err(|e| denied(viewer, e))?;
    opc_core::ops::auth::Caller::acting(ctx, partner.clone(), member.cloned(), None).await.or_deny(viewer)
}

async fn partner_page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer, opc_domain::organization::Permission::ViewCustomers).await?;
    let all = discounts::of_partner(&ctx, &caller).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let body = html! {
        h1 { (t("discounts-title")) }
        p.hint { (t("discounts-hint")) }
        section.card {
            h2 { (t("discounts-scope-title")) }
            @if all.scopes.is_empty() { p { (t("discounts-scope-none")) } } @else {
                table { thead { tr {
                    th { (t("discounts-col-service-type")) } th { (t("discounts-col-up-to")) } th { (t("discounts-col-from")) }
                } }
                    tbody { @for s in &all.scopes {
                        tr { td { code { (s.service_type) } } td { (off_text(lang, s.max_off)) } td { (when(s.from)) } }
                    } } }
            }
        }
        section.card {
            h2 { (t("discounts-yours")) }
            @if all.discounts.is_empty() { p { (t("discounts-yours-none")) } } @else {
                table { thead { tr {
                    th { (t("discounts-col-kind")) } th { (t("discounts-col-for")) } th { (t("discounts-col-service-type")) }
                    th { (t("discounts-col-discount")) } th { (t("discounts-col-set")) } th {}
                } }
                    tbody { @for d in &all.discounts {
                        tr {
                            td { (kind_name(lang, d)) } td { (target_text(lang, d)) } td { code { (d.service_type) } }
                            td { (off_text(lang, d.off)) } td { (when(d.updated_at)) }
                            td { form.inline method="post" action=(format!("/partner/discounts/{}/remove", d.id))
                                    data-confirm=(t("discounts-remove-confirm")) {
                                (csrf(&token)) button.secondary type="submit" { (t("discounts-remove")) }
                            } }
                        }
                    } } }
            }
        }
        section.card {
            h2 { (t("discounts-general-title")) }
            form method="post" action="/partner/discounts" {
                (csrf(&token))
                label { (t("discounts-service-type-label")) select name="service_type" { @for s in &all.scopes { option value=(s.service_type) { (s.service_type) } } } }
                label { (t("discounts-general-discount")) input type="text" name="discount" required; }
                label { (t("discounts-general-customer")) input type="text" name="customer_id"; }
                button type="submit" { (t("discounts-general-set")) }
            }
        }
        section.card {
            h2 { (t("discounts-special-title")) }
            p.hint { (t("discounts-special-hint")) }
            form method="post" action="/partner/discounts" {
                (csrf(&token))
                label { (t("discounts-special-order")) input type="text" name="order_id" required; }
                label { (t("discounts-service-type-label")) select name="service_type" { @for s in &all.scopes { option value=(s.service_type) { (s.service_type) } } } }
                label { (t("discounts-special-discount")) input type="text" name="discount" required; }
                button type="submit" { (t("discounts-special-set")) }
            }
        }
    };
    Ok(render(&viewer, &t("discounts-title"), body))
}

async fn set_discount(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer, opc_domain::organization::Permission::ControlCustomers).await?;
    let to = "/partner/discounts";
    let outcome = async {
        let off = rate("discount", form.get("discount"))?;
        let target = match (form.opt("order_id").filter(|o| !o.trim().is_empty()), form.opt("customer_id")) {
            (Some(order), _) => Target::Special { order: order.trim() },
            (None, customer) => Target::General { customer: customer.map(str::trim).filter(|c| !c.is_empty()) },
        };
        discounts::set(&ctx, &caller, target, form.get("service_type"), off).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(d) => {
            let message = viewer.lang.t_with(
                "discounts-set-done",
                &[("rate", d.off.percent_text().into()), ("service", d.service_type.to_string().into())],
            );
            Ok(done(viewer.cookies, to, message))
        }
        Err(e) => Ok(refused(viewer.cookies, to, &e)),
    }
}

async fn remove_discount(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer, opc_domain::organization::Permission::ControlCustomers).await?;
    let to = "/partner/discounts";
    match discounts::remove(&ctx, &caller, &id).await {
        Ok(_) => Ok(done(viewer.cookies, to, viewer.lang.t("discounts-removed"))),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}

/// R-CPN-33: the customer's commercial discounts from its partner.
async fn customer_page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let account = customer_account(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let mine = discounts::of_customer(&ctx, account.id()).await.or_deny(&viewer)?;
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let body = html! {
        h1 { (t("discounts-commercial-title")) }
        p.hint { (t("discounts-commercial-hint")) }
        @if mine.is_empty() { p { (t("discounts-commercial-none")) } } @else {
            table { thead { tr {
                th { (t("discounts-col-kind")) } th { (t("discounts-col-service-type")) } th { (t("discounts-col-discount")) }
                th { (t("discounts-col-applies-to")) }
            } }
                tbody { @for d in &mine {
                    tr { td { (kind_name(lang, d)) } td { code { (d.service_type) } } td { (off_text(lang, d.off)) }
                         td { @match &d.kind {
                             DiscountKind::Special { order, .. } => { (lang.t_with("discounts-applies-order", &[("order", order.to_string().into())])) }
                             DiscountKind::General { .. } => (t("discounts-applies-yours")),
                         } } }
                } } }
        }
    };
    Ok(render(&viewer, &t("discounts-commercial-title"), body))
}
