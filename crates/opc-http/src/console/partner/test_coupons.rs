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

use super::{acting, marked, strs, texts};
use crate::api::test_coupons::{draft, DraftIn};
use crate::console::extract::PageQuery;
use crate::console::i18n::Lang;
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
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let everyone = tl.t("partner-test-coupons-all-resellers");
    let price_list = lang.t("partner-test-coupons-price-list");
    let requests_caption = tl.t("partner-test-coupons-requests");
    let request_columns = texts(
        tl,
        &[
            "partner-test-coupons-col-requested",
            "partner-test-coupons-col-amount",
            "partner-test-coupons-col-for",
            "partner-test-coupons-col-days",
            "partner-test-coupons-col-status",
            "partner-test-coupons-col-resource-config",
            "partner-test-coupons-col-purpose",
        ],
    );
    let requests = Table {
        caption: &requests_caption,
        columns: &strs(&request_columns),
        rows: b
            .requests
            .iter()
            .map(|r| {
                let status = match &r.status {
                    RequestStatus::Pending => tl.t("partner-test-coupons-pending"),
                    RequestStatus::Approved { coupon, at, .. } => tl.t_with(
                        "partner-test-coupons-approved",
                        &[("at", when(*at).into()), ("coupon", coupon.to_string().into())],
                    ),
                    RequestStatus::Rejected { reason, at, .. } => tl.t_with(
                        "partner-test-coupons-rejected",
                        &[("at", when(*at).into()), ("reason", reason.to_string().into())],
                    ),
                };
                let whom = match &r.origin {
                    Origin::Partner => everyone.clone(),
                    Origin::Project(p) => {
                        tl.t_with("partner-test-coupons-project", &[("customer", p.customer.to_string().into())])
                    }
                };
                let link = r.resource_config.as_str().to_owned();
                let cells = vec![
                    Cell::from(when(r.requested_at)),
                    exact(r.amount),
                    Cell::from(whom),
                    Cell::from(r.duration_days.to_string()),
                    Cell::from(status),
                    Cell::rich(link.clone(), html! { a href=(link) rel="noopener noreferrer" { (price_list) } }),
                    Cell::from(r.purpose.clone()),
                ];
                (cells, None)
            })
            .collect(),
        total: Count::Exact(total),
    };
    let coupons_caption = tl.t("partner-test-coupons-title");
    let coupon_columns = texts(
        tl,
        &[
            "partner-test-coupons-col-coupon",
            "partner-test-coupons-col-for",
            "partner-test-coupons-col-face-value",
            "partner-test-coupons-col-balance",
            "partner-test-coupons-col-valid-from",
            "partner-test-coupons-col-valid-to",
            "partner-test-coupons-col-last-used",
        ],
    );
    let never = tl.t("partner-test-coupons-never");
    let coupon_rows = Table {
        caption: &coupons_caption,
        columns: &strs(&coupon_columns),
        rows: coupons
            .iter()
            .map(|c| {
                let cells = vec![
                    Cell::from(c.id.clone()),
                    Cell::from(c.customer.as_ref().map_or(everyone.clone(), |a| a.to_string())),
                    exact(c.face_value),
                    Cell::from(c.balance.to_string()),
                    Cell::from(when(c.validity.from)),
                    Cell::from(when(c.validity.to)),
                    Cell::from(c.last_used_at.map_or(never.clone(), when)),
                ];
                (cells, None)
            })
            .collect(),
        total: Count::Exact(coupons.len() as u64),
    };
    if q.csv() {
        // The link names the table as the page named it: in English, or in the reader's language.
        let wanted = q.table.as_deref();
        let caption = lang.t("partner-test-coupons-title");
        let shown_slug = Table { caption: &caption, columns: &[], rows: vec![], total: Count::Exact(0) }.slug();
        let coupons_wanted =
            wanted == Some(&coupon_rows.slug()) || (!shown_slug.is_empty() && wanted == Some(&shown_slug));
        return Ok(if coupons_wanted { coupon_rows } else { requests }.csv("test-coupons"));
    }
    let requests = Table { rows: paging.slice(requests.rows), ..requests };
    let all = Paging { page: 1, per_page: u32::try_from(coupons.len()).unwrap_or(u32::MAX).max(1) };
    let token = viewer.csrf();
    let fields = ["amount", "resource_config", "purpose", "duration_days"];
    let body = html! {
        h1 { (coupons_caption) }
        p {
            (marked(lang, "partner-test-coupons-intro", &[
                ("limit", html! { strong { (money(b.limit)) } }),
                ("committed", html! { (money(b.committed)) }),
                ("left", html! { strong { (money(left)) } }),
            ]))
        }
        form.card method="post" action="/partner/test-coupon-requests" {
            h2 { (lang.t("partner-test-coupons-request-title")) }
            (csrf(&token))
            (form_error(failed, &fields))
            (field(failed, &lang.t("partner-test-coupons-amount"), "amount", Input::Text, "", true))
            (field(failed, &lang.t("partner-test-coupons-resource-config"), "resource_config", Input::Text, "", true))
            (field(failed, &lang.t("partner-test-coupons-purpose"), "purpose", Input::Text, "", true))
            (field(failed, &lang.t("partner-test-coupons-duration"), "duration_days", Input::Number, "", false))
            button type="submit" { (lang.t("partner-test-coupons-request")) }
        }
        (requests.render(viewer.lang, &viewer.here, paging))
        (coupon_rows.render(viewer.lang, &viewer.here, all))
    };
    Ok(render_form(&viewer, &coupons_caption, body, failed))
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
            viewer.lang.t_with("partner-test-coupons-requested", &[("amount", money(r.amount).into())]),
        )),
        Err(e) => test_coupons_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}
