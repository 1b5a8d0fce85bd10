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

fn target_text(d: &PartnerDiscount) -> String {
    match &d.kind {
        DiscountKind::General { customer: None } => "All referral customers".to_owned(),
        DiscountKind::General { customer: Some(c) } => format!("Customer {c}"),
        DiscountKind::Special { customer, order } => format!("Order {order} of customer {customer}"),
    }
}

fn kind_name(d: &PartnerDiscount) -> &'static str {
    match d.kind {
        DiscountKind::General { .. } => "General",
        DiscountKind::Special { .. } => "Price adjustment",
    }
}

async fn policies_page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let listed = discounts::catalog_policies(&ctx).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let body = html! {
        h1 { "Discount policies" }
        p.hint { "Partner discounts apply only to the service types listed here (A-09); one marked as spot \
            instances, KooGallery or OCSA nodes never takes one, whatever the list says (R-CPN-29)." }
        table {
            thead { tr { th { "Service type" } th { "Partner discounts" } th { "Exclusion" } th { "Incentive policy" } } }
            tbody { @for (s, p) in &listed {
                tr {
                    td { (s.name.get(true)) " " code { (s.code) } }
                    td { @if p.as_ref().is_some_and(|p| p.allows_discount()) { "Apply" } @else { "Do not apply" } }
                    td { (p.as_ref().and_then(|p| p.exclusion).map_or("—", exclusion_code)) }
                    td { (p.as_ref().map_or("non_specific", |p| incentive_code(p.incentive))) }
                }
            } }
        }
        section.card {
            h2 { "Set a service type's policy" }
            form method="post" action="/operator/discount-policies" {
                (csrf(&token))
                label { "Service type " select name="service_type" { @for (s, _) in &listed { option value=(s.code) { (s.code) } } } }
                label { input type="checkbox" name="allow_discount"; " On the list of products partner discounts apply to" }
                label { "Exclusion " select name="exclusion" {
                    option value="" { "None" } option value="spot" { "Spot instances" }
                    option value="koogallery" { "KooGallery products" } option value="ocsa_node" { "OCSA nodes" }
                } }
                label { "Incentive policy " select name="incentive_policy" {
                    option value="non_specific" { "Non-specific product" } option value="specific" { "Specific product" }
                    option value="no_performance_no_rebate" { "No performance credit, no rebate" }
                    option value="performance_no_rebate" { "Performance credit, no rebate" }
                } }
                button type="submit" { "Set policy" }
            }
        }
    };
    Ok(render(&viewer, "Discount policies", body))
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
        Ok(p) => Ok(done(viewer.cookies, to, format!("The policy of {} is set.", p.service_type))),
        Err(e) => Ok(refused(viewer.cookies, to, &e)),
    }
}

/// The operator's partner page: the discount scopes authorized to the partner and the form to
/// authorize one (R-CPN-25, R-CPN-26).
pub async fn scope_section(ctx: &Context, partner: &opc_domain::PartnerId, token: &str) -> Result<Markup, ApiError> {
    let scopes = discounts::scopes_of(ctx, partner.as_str()).await?;
    let listed = discounts::catalog_policies(ctx).await?;
    Ok(html! {
        section.card {
            h2 { "Discount scopes" }
            p.hint { "The largest discount the partner may give its referral customers, per service type (R-CPN-25, R-CPN-26)." }
            @if scopes.is_empty() { p { "None authorized: the partner gives no discounts." } } @else {
                table { thead { tr { th { "Service type" } th { "Up to" } th { "From" } th { "Authorized by" } } }
                    tbody { @for s in &scopes {
                        tr { td { code { (s.service_type) } } td { (s.max_off.percent_text()) " off" }
                             td { (when(s.from)) } td { (s.granted_by) } }
                    } } }
            }
            form method="post" action=(format!("/operator/partners/{partner}/discount-scopes")) {
                (csrf(token))
                label { "Service type " select name="service_type" { @for (s, _) in &listed { option value=(s.code) { (s.code) } } } }
                label { "Up to, e.g. 0.2 for 20 % off " input type="text" name="max_discount" required; }
                label { "From (RFC 3339, empty for now) " input type="text" name="from"; }
                button type="submit" { "Authorize" }
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
            format!("Authorized up to {} off {}.", s.max_off.percent_text(), s.service_type),
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
    let body = html! {
        h1 { "Discounts" }
        p.hint { "Discounts are for referral customers only, per service type, within the scope the operator \
            authorized (R-CPN-25 … R-CPN-27). A referral customer chooses one when it pays an order (R-CPN-33)." }
        section.card {
            h2 { "Authorized scope" }
            @if all.scopes.is_empty() { p { "The operator has not authorized you any discount yet." } } @else {
                table { thead { tr { th { "Service type" } th { "Up to" } th { "From" } } }
                    tbody { @for s in &all.scopes {
                        tr { td { code { (s.service_type) } } td { (s.max_off.percent_text()) " off" } td { (when(s.from)) } }
                    } } }
            }
        }
        section.card {
            h2 { "Your discounts" }
            @if all.discounts.is_empty() { p { "None set." } } @else {
                table { thead { tr { th { "Kind" } th { "For" } th { "Service type" } th { "Discount" } th { "Set" } th {} } }
                    tbody { @for d in &all.discounts {
                        tr {
                            td { (kind_name(d)) } td { (target_text(d)) } td { code { (d.service_type) } }
                            td { (d.off.percent_text()) " off" } td { (when(d.updated_at)) }
                            td { form.inline method="post" action=(format!("/partner/discounts/{}/remove", d.id))
                                    data-confirm="Remove this discount?" {
                                (csrf(&token)) button.secondary type="submit" { "Remove" }
                            } }
                        }
                    } } }
            }
        }
        section.card {
            h2 { "Set a general discount" }
            form method="post" action="/partner/discounts" {
                (csrf(&token))
                label { "Service type " select name="service_type" { @for s in &all.scopes { option value=(s.service_type) { (s.service_type) } } } }
                label { "Discount, e.g. 0.1 for 10 % off " input type="text" name="discount" required; }
                label { "Referral customer id (empty for all your referral customers) " input type="text" name="customer_id"; }
                button type="submit" { "Set discount" }
            }
        }
        section.card {
            h2 { "Adjust the price of an order" }
            p.hint { "A special discount on one pending order of a referral customer (discount type 609): the customer must pay with it." }
            form method="post" action="/partner/discounts" {
                (csrf(&token))
                label { "Order id " input type="text" name="order_id" required; }
                label { "Service type " select name="service_type" { @for s in &all.scopes { option value=(s.service_type) { (s.service_type) } } } }
                label { "Discount, e.g. 0.15 " input type="text" name="discount" required; }
                button type="submit" { "Adjust the price" }
            }
        }
    };
    Ok(render(&viewer, "Discounts", body))
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
        Ok(d) => Ok(done(viewer.cookies, to, format!("{} off {} is set.", d.off.percent_text(), d.service_type))),
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
        Ok(_) => Ok(done(viewer.cookies, to, "The discount is removed.")),
        Err(e) => Ok(refused(viewer.cookies, to, &e.into())),
    }
}

/// R-CPN-33: the customer's commercial discounts from its partner.
async fn customer_page(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let account = customer_account(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let mine = discounts::of_customer(&ctx, account.id()).await.or_deny(&viewer)?;
    let body = html! {
        h1 { "Commercial discounts" }
        p.hint { "Discounts your partner gives you. Choose one when you pay an order on the Orders page." }
        @if mine.is_empty() { p { "You have no partner discount." } } @else {
            table { thead { tr { th { "Kind" } th { "Service type" } th { "Discount" } th { "Applies to" } } }
                tbody { @for d in &mine {
                    tr { td { (kind_name(d)) } td { code { (d.service_type) } } td { (d.off.percent_text()) " off" }
                         td { @match &d.kind {
                             DiscountKind::Special { order, .. } => { "Order " (order) }
                             DiscountKind::General { .. } => "Your orders",
                         } } }
                } } }
        }
    };
    Ok(render(&viewer, "Commercial discounts", body))
}
