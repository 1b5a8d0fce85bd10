//! The operator's coupon pages: granting a partner a coupon quota and giving it a cash coupon
//! (R-CPN-01; what `partner-center admin coupon-quota` and `admin coupon` call), and the review
//! of test-coupon requests — pending and decided, approve or reject with a reason, and a
//! project request filed for one customer (R-CPN-15 … R-CPN-24; `ops::test_coupons`).

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::coupons;
use opc_core::ops::test_coupons::{self, Decision, ProjectFacts};
use opc_core::Context;
use opc_domain::bill::Discount;
use opc_domain::catalog::ChargingMode;
use opc_domain::console::Staff;
use opc_domain::coupon::test_coupon::{Origin, RequestStatus};
use opc_domain::coupon::{CouponRequest, Limits, Validity};
use opc_domain::{Money, Timestamp};

use super::extract::{PagePath, PageQuery};
use super::page::{csrf, exact, field, form_error, money, when, Cell, Count, Input, Table};
use super::{denied, done, refused, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::api::test_coupons::{amount, draft, parse_date, DraftIn};
use crate::audience::staff_of;
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/operator/coupons", get(coupons_page).post(give_coupon))
        .route("/operator/coupon-quotas", post(grant_quota))
        .route("/operator/coupon-quotas/convert", post(convert_quotas))
        .route("/operator/test-coupons", get(test_coupons_page))
        .route("/operator/test-coupons/projects", post(file_project))
        .route("/operator/test-coupon-requests/{id}/{decision}", post(decide))
}

fn staff(viewer: &Viewer) -> Result<&Staff, Response> {
    staff_of(&viewer.user).map_err(|e| denied(viewer, e))
}

/// The form a refusal belongs to, so that only that form shows it.
fn failed_in<'a>(failed: Option<&'a Failed>, form: &str) -> Option<&'a Failed> {
    failed.filter(|f| f.value("form") == Some(form))
}

async fn coupons_page(viewer: Viewer) -> Result<Response, Response> {
    coupons_view(viewer, None)
}

fn coupons_view(viewer: Viewer, failed: Option<&Failed>) -> Result<Response, Response> {
    staff(&viewer)?;
    let token = viewer.csrf();
    let (grant, give) = (failed_in(failed, "grant"), failed_in(failed, "give"));
    let convert = failed_in(failed, "convert");
    let body = html! {
        h1 { "Coupons" }
        p { "Give partners coupon quotas, from which they issue cash coupons to their reseller customers or pass quota to their resellers, and cash coupons of their own that pay their bills (R-CPN-01, R-CPN-03). Amounts are in whole cents; dates are UTC days, the end excluded." }
        div.columns {
            form.card method="post" action="/operator/coupon-quotas" {
                h2 { "Grant a coupon quota" }
                input type="hidden" name="form" value="grant";
                (csrf(&token))
                (form_error(grant, &["partner_id", "face_value", "valid_time", "expire_time", "cloud_service_types", "remark"]))
                (field(grant, "Partner ID of the quota holder", "partner_id", Input::Text, "", true))
                (field(grant, "Quota value (USD)", "face_value", Input::Number, "", true))
                (field(grant, "Quota valid from (YYYY-MM-DD; empty: now)", "valid_time", Input::Text, "", false))
                (field(grant, "Quota valid until (YYYY-MM-DD, excluded)", "expire_time", Input::Text, "", true))
                (field(grant, "Quota's cloud service types, comma-separated (empty: any)", "cloud_service_types", Input::Text, "", false))
                (field(grant, "Remark", "remark", Input::Text, "", false))
                button type="submit" { "Grant the quota" }
            }
            form.card method="post" action="/operator/coupons" {
                h2 { "Give a cash coupon" }
                input type="hidden" name="form" value="give";
                (csrf(&token))
                (form_error(give, &["partner_id", "customer_id", "face_value", "valid_time", "expire_time", "cloud_service_types", "billing_mode", "max_share", "memo"]))
                (field(give, "Partner ID", "partner_id", Input::Text, "", true))
                (field(give, "For one reseller customer only (its ID; empty: all the partner's reseller customers)", "customer_id", Input::Text, "", false))
                (field(give, "Face value (USD)", "face_value", Input::Number, "", true))
                (field(give, "Valid from (YYYY-MM-DD; empty: now)", "valid_time", Input::Text, "", false))
                (field(give, "Valid until (YYYY-MM-DD, excluded)", "expire_time", Input::Text, "", true))
                (field(give, "Cloud service types, comma-separated (empty: any)", "cloud_service_types", Input::Text, "", false))
                (field(give, "Billing mode it pays: period (yearly/monthly) or on_demand (pay-per-use); empty: both", "billing_mode", Input::Text, "", false))
                (field(give, "Usage-limit ratio: the largest share of each bill line it pays, e.g. 0.5 (empty: all)", "max_share", Input::Text, "", false))
                (field(give, "Remarks", "memo", Input::Text, "", false))
                button type="submit" { "Give the coupon" }
            }
            form.card method="post" action="/operator/coupon-quotas/convert" {
                h2 { "Convert a partner's coupon quotas" }
                p { "What is left of each of the partner's usable quotas becomes a cash coupon of the partner's for all its reseller customers, with the quota's limits and end date; the quota's history shows the conversion (R-CPN-05). Allowed once the partner's bill of last month is generated." }
                input type="hidden" name="form" value="convert";
                (csrf(&token))
                (form_error(convert, &["partner_id"]))
                (field(convert, "Partner ID", "partner_id", Input::Text, "", true))
                button type="submit" { "Convert its quotas" }
            }
        }
    };
    Ok(render_form(&viewer, "Coupons", body, failed))
}

/// The validity a form names: from its start day (or now) until its end day.
fn validity(ctx: &Context, form: &Posted) -> Result<Validity, ApiError> {
    let from = match form.opt("valid_time") {
        Some(d) => parse_date("valid_time", d)?,
        None => ctx.clock.now(),
    };
    let to = parse_date("expire_time", form.get("expire_time"))?;
    Validity::new(from, to).map_err(|e| ApiError::invalid("expire_time", e))
}

fn limits(form: &Posted) -> Result<Limits, ApiError> {
    let types: Vec<String> =
        form.get("cloud_service_types").split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    Limits::new(types, vec![]).map_err(|e| ApiError::invalid("cloud_service_types", e))
}

/// A coupon's limits: service types, and the billing mode and usage-limit ratio (R-CPN-01).
fn coupon_limits(form: &Posted) -> Result<Limits, ApiError> {
    let modes = match form.opt("billing_mode").map(str::trim) {
        None | Some("") => vec![],
        Some("period") => vec![ChargingMode::Period],
        Some("on_demand") => vec![ChargingMode::OnDemand],
        Some(_) => return Err(ApiError::invalid("billing_mode", "must be period, on_demand or empty")),
    };
    let share = form
        .opt("max_share")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Discount::parse(s).map_err(|e| ApiError::invalid("max_share", e)))
        .transpose()?;
    limits(form)?.with_modes(modes).with_max_share(share).map_err(|e| ApiError::invalid("max_share", e))
}

fn face_value(form: &Posted) -> Result<Money, ApiError> {
    let m = amount("face_value", form.opt("face_value"))?;
    opc_domain::coupon::cents_amount(m).map_err(|e| ApiError::invalid("face_value", e))
}

async fn grant_quota(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let (value, validity, limits) = (face_value(&form)?, validity(&ctx, &form)?, limits(&form)?);
        let partner = form.get("partner_id").trim();
        let remark = form.get("remark").trim();
        coupons::grant_quota(&ctx, &operator, partner, value, validity, limits, remark).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(q) => Ok(done(
            viewer.cookies,
            "/operator/coupons",
            format!("Granted partner {} coupon quota {} of {}.", q.partner, q.id, money(q.value)),
        )),
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

async fn convert_quotas(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let partner = form.get("partner_id").trim().to_owned();
    match coupons::convert_quotas(&ctx, &operator, &partner).await.map_err(ApiError::from) {
        Ok(made) if made.is_empty() => {
            Ok(done(viewer.cookies, "/operator/coupons", format!("Partner {partner} has no quota balance to convert.")))
        }
        Ok(made) => {
            let total = made.iter().try_fold(Money::ZERO, |s, c| s.checked_add(c.face_value)).unwrap_or(Money::MAX);
            let ids: Vec<&str> = made.iter().map(|c| c.id.as_str()).collect();
            Ok(done(
                viewer.cookies,
                "/operator/coupons",
                format!(
                    "Converted {} of partner {partner}'s quotas into cash coupons {}.",
                    money(total),
                    ids.join(", ")
                ),
            ))
        }
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

async fn give_coupon(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let validity = validity(&ctx, &form)?;
        let request = CouponRequest {
            face_value: face_value(&form)?,
            from: Some(validity.from),
            to: Some(validity.to),
            limits: coupon_limits(&form)?,
            memo: form.get("memo").trim().to_owned(),
        };
        let partner = form.get("partner_id").trim();
        let customer = form.opt("customer_id").map(str::trim);
        coupons::give_coupon(&ctx, &operator, partner, customer, &request).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(c) => Ok(done(
            viewer.cookies,
            "/operator/coupons",
            format!("Gave partner {} cash coupon {} of {}.", c.partner, c.id, money(c.face_value)),
        )),
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

// ---- Test-coupon requests ----

const QUEUES: [(&str, &str); 2] = [("pending", "Pending"), ("all", "All requests")];

async fn test_coupons_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    test_coupons_view(&ctx, viewer, &q, None).await
}

async fn test_coupons_view(
    ctx: &Context,
    viewer: Viewer,
    q: &ListQuery,
    failed: Option<&Failed>,
) -> Result<Response, Response> {
    staff(&viewer)?;
    let pending_only = q.queue.as_deref() != Some("all");
    let queue = if pending_only { "pending" } else { "all" };
    let requests = test_coupons::all_requests(ctx, pending_only).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let paging = q.paging();
    // Partners by their names (their ids in a tooltip), not by generated ids.
    let ids: Vec<opc_domain::PartnerId> = requests.iter().map(|r| r.partner.clone()).collect();
    let partners = ctx.store.partners_by_id_or_account(&ids, &[]).await.or_deny(&viewer)?;
    let name_of = |id: &opc_domain::PartnerId| {
        partners.iter().find(|p| p.id() == id).map_or_else(|| id.as_str().to_owned(), |p| p.name().as_str().to_owned())
    };
    let rows = requests
        .iter()
        .map(|r| {
            let whom = match &r.origin {
                Origin::Partner => "All reseller customers".to_owned(),
                Origin::Project(p) => format!(
                    "Project of customer {}: {} (order expected {} of {})",
                    p.customer,
                    p.background,
                    when(p.expected_order_at),
                    money(p.expected_order_amount)
                ),
            };
            let status = match &r.status {
                RequestStatus::Pending => "Pending".to_owned(),
                RequestStatus::Approved { coupon, at, by } => {
                    format!("Approved {} by {by} · coupon {coupon}", when(*at))
                }
                RequestStatus::Rejected { reason, at, by } => format!("Rejected {} by {by}: {reason}", when(*at)),
            };
            let link = r.resource_config.as_str().to_owned();
            let cells = vec![
                Cell::from(when(r.requested_at)),
                Cell::link(name_of(&r.partner), &format!("/operator/partners/{}", r.partner)),
                exact(r.amount),
                Cell::from(whom),
                Cell::from(r.duration_days.to_string()),
                Cell::rich(link.clone(), html! { a href=(link) rel="noopener noreferrer" { "Price list" } }),
                Cell::from(r.purpose.clone()),
                Cell::from(status),
            ];
            let action = matches!(r.status, RequestStatus::Pending).then(|| {
                let what = format!("the request of {} for {}", name_of(&r.partner), money(r.amount));
                super::operator::decision_forms(&format!("/operator/test-coupon-requests/{}", r.id), &token, &what)
            });
            (cells, action)
        })
        .collect();
    let table = Table {
        caption: if pending_only { "Pending test-coupon requests" } else { "Test-coupon requests" },
        columns: &["Requested", "Partner", "Amount", "For", "Days", "Resource configuration", "Purpose", "Status"],
        rows,
        total: Count::Exact(requests.len() as u64),
    };
    if q.csv() {
        return Ok(table.csv("test-coupon-requests"));
    }
    let table = Table { rows: paging.slice(table.rows), ..table };
    let project = failed_in(failed, "project");
    let body = html! {
        h1 { "Test-coupon requests" }
        p { "Approving a request issues its test coupon, valid from now for the request's days: for all the partner's reseller customers, or for the project's customer only (R-CPN-16). Rejecting needs a reason and frees the amount of the partner's limit." }
        nav.tabs aria-label="Queues" {
            ul { @for (key, label) in QUEUES {
                li { a href=(format!("/operator/test-coupons?queue={key}")) aria-current=[(key == queue).then_some("page")] { (label) } }
            } }
        }
        (table.render(&viewer.here, paging))
        form.card method="post" action="/operator/test-coupons/projects" {
            h2 { "File a project request for a partner" }
            p.hint { "For one of the partner's reseller customers, on the partner's behalf (R-CPN-20, R-CPN-21); outside its tier's limit." }
            input type="hidden" name="form" value="project";
            (csrf(&token))
            (form_error(project, &["partner_id", "customer_id", "amount", "resource_config", "purpose", "duration_days", "project_background", "expected_order_date", "expected_order_amount"]))
            (field(project, "Partner ID", "partner_id", Input::Text, "", true))
            (field(project, "Customer ID", "customer_id", Input::Text, "", true))
            (field(project, "Amount (USD)", "amount", Input::Number, "", true))
            (field(project, "Resource configuration: the shared Price Calculator link", "resource_config", Input::Text, "", true))
            (field(project, "Purpose", "purpose", Input::Text, "", true))
            (field(project, "Test duration in days (default 30)", "duration_days", Input::Number, "", false))
            (field(project, "Project background", "project_background", Input::Text, "", true))
            (field(project, "Expected order date (YYYY-MM-DD)", "expected_order_date", Input::Text, "", true))
            (field(project, "Expected order amount (USD)", "expected_order_amount", Input::Number, "", true))
            button type="submit" { "File the request" }
        }
    };
    Ok(render_form(&viewer, "Test-coupon requests", body, failed))
}

async fn file_project(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let days = match form.get("duration_days").trim() {
            "" => None,
            d => Some(
                d.parse::<i64>().map_err(|_| ApiError::invalid("duration_days", "must be a whole number of days"))?,
            ),
        };
        let input = DraftIn {
            amount: Some(form.get("amount").to_owned()),
            resource_config: Some(form.get("resource_config").to_owned()),
            purpose: Some(form.get("purpose").to_owned()),
            duration_days: days,
        };
        let draft = draft(&input)?;
        let customer =
            form.opt("customer_id").ok_or_else(|| ApiError::invalid("customer_id", "is required"))?.trim().to_owned();
        let expected_order_at: Timestamp = parse_date("expected_order_date", form.get("expected_order_date"))?;
        let facts = ProjectFacts {
            customer,
            background: form.get("project_background").trim().to_owned(),
            expected_order_at,
            expected_order_amount: amount("expected_order_amount", form.opt("expected_order_amount"))?,
        };
        let partner = form.get("partner_id").trim();
        test_coupons::file_project(&ctx, &operator, partner, facts, &draft).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(r) => Ok(done(
            viewer.cookies,
            "/operator/test-coupons",
            format!("Filed request {} of {} for partner {}; approve it below.", r.id, money(r.amount), r.partner),
        )),
        Err(e) => test_coupons_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}

async fn decide(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((id, verdict)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let decision = if super::approves(&viewer, &verdict)? {
        Decision::Approve
    } else {
        Decision::Reject { reason: form.get("reason").trim().to_owned() }
    };
    let to = "/operator/test-coupons";
    match test_coupons::decide(&ctx, &operator, &id, &decision).await {
        Ok((r, Some(c))) => Ok(done(
            viewer.cookies,
            to,
            format!("Approved {}: test coupon {} of {} for partner {}.", r.id, c.id, money(c.face_value), r.partner),
        )),
        Ok((r, None)) => Ok(done(viewer.cookies, to, format!("Rejected {}.", r.id))),
        Err(e) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
    }
}
