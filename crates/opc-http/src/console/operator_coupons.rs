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
use super::i18n::Lang;
use super::operator::words;
use super::page::{csrf, exact, field, form_error, money, when, Cell, Count, Input, Table};
use super::{denied, done, refused, render_form, Checks, Failed, ListQuery, OrDeny, Posted, Viewer};
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
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let body = html! {
        h1 { (t("operator-coupons-title")) }
        p { (t("operator-coupons-intro")) }
        div.columns {
            form.card method="post" action="/operator/coupon-quotas" {
                h2 { (t("operator-coupons-grant")) }
                input type="hidden" name="form" value="grant";
                (csrf(&token))
                (form_error(grant, &["partner_id", "face_value", "valid_time", "expire_time", "cloud_service_types", "remark"]))
                (field(grant, &t("operator-coupons-grant-partner"), "partner_id", Input::Text, "", true))
                (field(grant, &t("operator-coupons-grant-value"), "face_value", Input::Number, "", true))
                (field(grant, &t("operator-coupons-grant-from"), "valid_time", Input::Text, "", false))
                (field(grant, &t("operator-coupons-grant-until"), "expire_time", Input::Text, "", true))
                (field(grant, &t("operator-coupons-grant-types"), "cloud_service_types", Input::Text, "", false))
                (field(grant, &t("operator-coupons-grant-remark"), "remark", Input::Text, "", false))
                button type="submit" { (t("operator-coupons-grant-submit")) }
            }
            form.card method="post" action="/operator/coupons" {
                h2 { (t("operator-coupons-give")) }
                input type="hidden" name="form" value="give";
                (csrf(&token))
                (form_error(give, &["partner_id", "customer_id", "face_value", "valid_time", "expire_time", "cloud_service_types", "billing_mode", "max_share", "memo"]))
                (field(give, &t("operator-coupons-partner-id"), "partner_id", Input::Text, "", true))
                (field(give, &t("operator-coupons-give-customer"), "customer_id", Input::Text, "", false))
                (field(give, &t("operator-coupons-give-value"), "face_value", Input::Number, "", true))
                (field(give, &t("operator-coupons-give-from"), "valid_time", Input::Text, "", false))
                (field(give, &t("operator-coupons-give-until"), "expire_time", Input::Text, "", true))
                (field(give, &t("operator-coupons-give-types"), "cloud_service_types", Input::Text, "", false))
                (field(give, &t("operator-coupons-give-mode"), "billing_mode", Input::Text, "", false))
                (field(give, &t("operator-coupons-give-share"), "max_share", Input::Text, "", false))
                (field(give, &t("operator-coupons-give-memo"), "memo", Input::Text, "", false))
                button type="submit" { (t("operator-coupons-give-submit")) }
            }
            form.card method="post" action="/operator/coupon-quotas/convert" {
                h2 { (t("operator-coupons-convert")) }
                p { (t("operator-coupons-convert-hint")) }
                input type="hidden" name="form" value="convert";
                (csrf(&token))
                (form_error(convert, &["partner_id"]))
                (field(convert, &t("operator-coupons-partner-id"), "partner_id", Input::Text, "", true))
                button type="submit" { (t("operator-coupons-convert-submit")) }
            }
        }
    };
    Ok(render_form(&viewer, &t("operator-coupons-title"), body, failed))
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
        // Every field is read before any refusal: all its problems are shown at once.
        let mut checks = Checks::default();
        let (value, validity, limits) =
            (checks.take(face_value(&form)), checks.take(validity(&ctx, &form)), checks.take(limits(&form)));
        let (Some(value), Some(validity), Some(limits)) = (value, validity, limits) else {
            return Err(checks.error());
        };
        let partner = form.get("partner_id").trim();
        let remark = form.get("remark").trim();
        coupons::grant_quota(&ctx, &operator, partner, value, validity, limits, remark).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(q) => Ok(done(
            viewer.cookies,
            "/operator/coupons",
            viewer.lang.t_with(
                "operator-coupons-granted",
                &[
                    ("partner", q.partner.to_string().into()),
                    ("quota", q.id.to_string().into()),
                    ("amount", money(q.value).into()),
                ],
            ),
        )),
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

async fn convert_quotas(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let partner = form.get("partner_id").trim().to_owned();
    match coupons::convert_quotas(&ctx, &operator, &partner).await.map_err(ApiError::from) {
        Ok(made) if made.is_empty() => {
            let message = viewer.lang.t_with("operator-coupons-nothing-to-convert", &[("partner", partner.into())]);
            Ok(done(viewer.cookies, "/operator/coupons", message))
        }
        Ok(made) => {
            let total = made.iter().try_fold(Money::ZERO, |s, c| s.checked_add(c.face_value)).unwrap_or(Money::MAX);
            let ids: Vec<&str> = made.iter().map(|c| c.id.as_str()).collect();
            Ok(done(
                viewer.cookies,
                "/operator/coupons",
                viewer.lang.t_with(
                    "operator-coupons-converted",
                    &[("amount", money(total).into()), ("partner", partner.into()), ("coupons", ids.join(", ").into())],
                ),
            ))
        }
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

async fn give_coupon(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff(&viewer)?.email.as_str().to_owned();
    let outcome = async {
        let mut checks = Checks::default();
        let (validity, face_value, limits) =
            (checks.take(validity(&ctx, &form)), checks.take(face_value(&form)), checks.take(coupon_limits(&form)));
        let (Some(validity), Some(face_value), Some(limits)) = (validity, face_value, limits) else {
            return Err(checks.error());
        };
        let request = CouponRequest {
            face_value,
            from: Some(validity.from),
            to: Some(validity.to),
            limits,
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
            viewer.lang.t_with(
                "operator-coupons-given",
                &[
                    ("partner", c.partner.to_string().into()),
                    ("coupon", c.id.to_string().into()),
                    ("amount", money(c.face_value).into()),
                ],
            ),
        )),
        Err(e) => coupons_view(viewer, Some(&form.failed(&e))),
    }
}

// ---- Test-coupon requests ----

/// The queues: their key and the message id of their name.
const QUEUES: [(&str, &str); 2] = [("pending", "operator-tc-queue-pending"), ("all", "operator-tc-queue-all")];

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
    // Exports stay in English, for the machines that read them.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
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
                Origin::Partner => lang.t("operator-tc-all-customers"),
                Origin::Project(p) => lang.t_with(
                    "operator-tc-project",
                    &[
                        ("customer", p.customer.to_string().into()),
                        ("background", p.background.to_string().into()),
                        ("date", when(p.expected_order_at).into()),
                        ("amount", money(p.expected_order_amount).into()),
                    ],
                ),
            };
            let status = match &r.status {
                RequestStatus::Pending => lang.t("operator-tc-pending"),
                RequestStatus::Approved { coupon, at, by } => lang.t_with(
                    "operator-tc-approved-status",
                    &[("at", when(*at).into()), ("by", by.to_string().into()), ("coupon", coupon.to_string().into())],
                ),
                RequestStatus::Rejected { reason, at, by } => lang.t_with(
                    "operator-tc-rejected-status",
                    &[("at", when(*at).into()), ("by", by.to_string().into()), ("reason", reason.to_string().into())],
                ),
            };
            let link = r.resource_config.as_str().to_owned();
            let cells = vec![
                Cell::from(when(r.requested_at)),
                Cell::link(name_of(&r.partner), &format!("/operator/partners/{}", r.partner)),
                exact(r.amount),
                Cell::from(whom),
                Cell::from(r.duration_days.to_string()),
                Cell::rich(
                    link.clone(),
                    html! { a href=(link) rel="noopener noreferrer" { (lang.t("operator-tc-price-list")) } },
                ),
                Cell::from(r.purpose.clone()),
                Cell::from(status),
            ];
            let action = matches!(r.status, RequestStatus::Pending).then(|| {
                let what = lang.t_with(
                    "operator-tc-what",
                    &[("partner", name_of(&r.partner).into()), ("amount", money(r.amount).into())],
                );
                let base = format!("/operator/test-coupon-requests/{}", r.id);
                super::operator::decision_forms(lang, &base, &token, &what)
            });
            (cells, action)
        })
        .collect();
    let caption = lang.t(if pending_only { "operator-tc-caption-pending" } else { "operator-tc-caption-all" });
    let columns = words(
        lang,
        &[
            "operator-tc-col-requested",
            "operator-tc-col-partner",
            "operator-tc-col-amount",
            "operator-tc-col-for",
            "operator-tc-col-days",
            "operator-tc-col-resource",
            "operator-tc-col-purpose",
            "operator-tc-col-status",
        ],
    );
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table { caption: &caption, columns: &columns, rows, total: Count::Exact(requests.len() as u64) };
    if q.csv() {
        return Ok(table.csv("test-coupon-requests"));
    }
    let table = Table { rows: paging.slice(table.rows), ..table };
    let project = failed_in(failed, "project");
    let t = |id: &str| lang.t(id);
    let body = html! {
        h1 { (t("operator-tc-title")) }
        p { (t("operator-tc-intro")) }
        nav.tabs aria-label=(t("operator-reviews-queues")) {
            ul { @for (key, label) in QUEUES {
                li { a href=(format!("/operator/test-coupons?queue={key}")) aria-current=[(key == queue).then_some("page")] { (t(label)) } }
            } }
        }
        (table.render(viewer.lang, &viewer.here, paging))
        form.card method="post" action="/operator/test-coupons/projects" {
            h2 { (t("operator-tc-project-title")) }
            p.hint { (t("operator-tc-project-hint")) }
            input type="hidden" name="form" value="project";
            (csrf(&token))
            (form_error(project, &["partner_id", "customer_id", "amount", "resource_config", "purpose", "duration_days", "project_background", "expected_order_date", "expected_order_amount"]))
            (field(project, &t("operator-coupons-partner-id"), "partner_id", Input::Text, "", true))
            (field(project, &t("operator-tc-customer-id"), "customer_id", Input::Text, "", true))
            (field(project, &t("operator-tc-amount"), "amount", Input::Number, "", true))
            (field(project, &t("operator-tc-resource"), "resource_config", Input::Text, "", true))
            (field(project, &t("operator-tc-purpose"), "purpose", Input::Text, "", true))
            (field(project, &t("operator-tc-days"), "duration_days", Input::Number, "", false))
            (field(project, &t("operator-tc-background"), "project_background", Input::Text, "", true))
            (field(project, &t("operator-tc-order-date"), "expected_order_date", Input::Text, "", true))
            (field(project, &t("operator-tc-order-amount"), "expected_order_amount", Input::Number, "", true))
            button type="submit" { (t("operator-tc-project-submit")) }
        }
    };
    Ok(render_form(&viewer, &t("operator-tc-title"), body, failed))
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
            viewer.lang.t_with(
                "operator-tc-filed",
                &[
                    ("request", r.id.to_string().into()),
                    ("amount", money(r.amount).into()),
                    ("partner", r.partner.to_string().into()),
                ],
            ),
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
            viewer.lang.t_with(
                "operator-tc-approved",
                &[
                    ("request", r.id.to_string().into()),
                    ("coupon", c.id.to_string().into()),
                    ("amount", money(c.face_value).into()),
                    ("partner", r.partner.to_string().into()),
                ],
            ),
        )),
        Ok((r, None)) => Ok(done(
            viewer.cookies,
            to,
            viewer.lang.t_with("operator-tc-rejected", &[("request", r.id.to_string().into())]),
        )),
        Err(e) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
    }
}
