//! Test coupons (R-CPN-15 … R-CPN-24): the partner's benefit — its tier's limit and what is left
//! of it —, the request form (amount, the shared Price Calculator link, purpose, duration), its
//! requests and its test coupons with their balances. For the partner's administrator.

use axum::extract::State;
use axum::response::Response;
use maud::html;
use opc_core::ops::test_coupons;
use opc_core::Context;
use opc_domain::coupon::test_coupon::{Origin, RequestStatus};
use opc_domain::Money;

use super::acting;
use crate::api::test_coupons::{draft, DraftIn};
use crate::console::extract::PageQuery;
use crate::console::page::{csrf, exact, field, form_error, money, when, Cell, Count, Input, Paging, Table};
use crate::console::{done, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::error::ApiError;

pub(super) async fn test_coupons_page(
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
    let (partner, _) = acting(&viewer, None)?;
    let b = test_coupons::benefit(ctx, partner).await.or_deny(&viewer)?;
    let coupons = test_coupons::coupons_of(ctx, partner.id()).await.or_deny(&viewer)?;
    let paging = q.paging();
    let total = b.requests.len() as u64;
    let left = b.limit.checked_sub(b.committed).unwrap_or(Money::ZERO).max(Money::ZERO);
    let requests = Table {
        caption: "Requests",
        columns: &["Requested", "Amount", "For", "Days", "Status", "Resource configuration", "Purpose"],
        rows: b
            .requests
            .iter()
            .map(|r| {
                let status = match &r.status {
                    RequestStatus::Pending => "Pending".to_owned(),
                    RequestStatus::Approved { coupon, at, .. } => format!("Approved {} · coupon {coupon}", when(*at)),
                    RequestStatus::Rejected { reason, at, .. } => format!("Rejected {}: {reason}", when(*at)),
                };
                let whom = match &r.origin {
                    Origin::Partner => "All reseller customers".to_owned(),
                    Origin::Project(p) => format!("Project of customer {}", p.customer),
                };
                let link = r.resource_config.as_str().to_owned();
                let cells = vec![
                    Cell::from(when(r.requested_at)),
                    exact(r.amount),
                    Cell::from(whom),
                    Cell::from(r.duration_days.to_string()),
                    Cell::from(status),
                    Cell::rich(link.clone(), html! { a href=(link) rel="noopener noreferrer" { "Price list" } }),
                    Cell::from(r.purpose.clone()),
                ];
                (cells, None)
            })
            .collect(),
        total: Count::Exact(total),
    };
    let coupon_rows = Table {
        caption: "Test coupons",
        columns: &["Coupon", "For", "Face value", "Balance", "Valid from", "Valid to", "Last used"],
        rows: coupons
            .iter()
            .map(|c| {
                let cells = vec![
                    Cell::from(c.id.clone()),
                    Cell::from(c.customer.as_ref().map_or("All reseller customers".to_owned(), |a| a.to_string())),
                    exact(c.face_value),
                    Cell::from(c.balance.to_string()),
                    Cell::from(when(c.validity.from)),
                    Cell::from(when(c.validity.to)),
                    Cell::from(c.last_used_at.map_or("Never".to_owned(), when)),
                ];
                (cells, None)
            })
            .collect(),
        total: Count::Exact(coupons.len() as u64),
    };
    if q.csv() {
        let wanted = q.table.as_deref();
        return Ok(if wanted == Some(&coupon_rows.slug()) { coupon_rows } else { requests }.csv("test-coupons"));
    }
    let requests = Table { rows: paging.slice(requests.rows), ..requests };
    let all = Paging { page: 1, per_page: u32::try_from(coupons.len()).unwrap_or(u32::MAX).max(1) };
    let token = viewer.csrf();
    let fields = ["amount", "resource_config", "purpose", "duration_days"];
    let body = html! {
        h1 { "Test coupons" }
        p {
            "Test coupons pay for testing services and resources of your reseller customers (R-CPN-15). "
            "Your limit is " strong { (money(b.limit)) } "; " (money(b.committed)) " is pending or approved, so "
            strong { (money(left)) } " may still be requested (R-CPN-23). What test coupons pay is not your revenue "
            "(R-CPN-19); when one runs out, resources are not deleted and further consumption is billed to you (R-CPN-17)."
        }
        form.card method="post" action="/partner/test-coupon-requests" {
            h2 { "Request test coupons" }
            (csrf(&token))
            (form_error(failed, &fields))
            (field(failed, "Amount (USD)", "amount", Input::Text, "", true))
            (field(failed, "Resource configuration: the shared Price Calculator link (Save and Share > Share > Copy)", "resource_config", Input::Text, "", true))
            (field(failed, "Purpose", "purpose", Input::Text, "", true))
            (field(failed, "Test duration in days (default 30)", "duration_days", Input::Number, "", false))
            button type="submit" { "Request" }
        }
        (requests.render(&viewer.here, paging))
        (coupon_rows.render(&viewer.here, all))
    };
    Ok(render_form(&viewer, "Test coupons", body, failed))
}

pub(super) async fn request(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
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
        test_coupons::request(&ctx, partner, &draft(&input)?).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(r) => Ok(done(
            viewer.cookies,
            "/partner/test-coupons",
            format!("Requested {} of test coupons; the operator will approve or reject it.", money(r.amount)),
        )),
        Err(e) => test_coupons_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}
