//! Cash coupons and coupon quotas (R-CPN-01 … R-CPN-14, R-BILL-06): the partner's cash coupons
//! with what R-CPN-12 lists and each one's movements; its quotas with their history
//! (R-CPN-07), the form that issues coupons from a quota to reseller customers, reclaiming an
//! issued coupon after a confirmation that shows what returns; for a distributor, passing quota
//! to its resellers and taking it back. Balances show two decimals, their 8 on hover. Who may
//! see and do what (R-ORG-02, R-ORG-19) is decided by `ops::coupons`.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use opc_core::ops::auth::Caller;
use opc_core::ops::coupons::{self, CouponFilter, CouponView, Outcome, QuotaFilter};
use opc_core::ops::customers;
use opc_core::store::{CustomerQuery, QuotaEntryQuery, ResellerQuery};
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::coupon::{CouponEntryKind, CouponRequest, CouponStatus, Limits, QuotaEntryKind, QuotaStatus};
use opc_domain::Money;

use super::{caller, marked, mode_name, strs, texts};
use crate::api::test_coupons::parse_date;
use crate::console::extract::{PagePath, PageQuery};
use crate::console::i18n::Lang;
use crate::console::page::{csrf, exact, field, form_error, money, select, when, Cell, Count, Input, Paging, Table};
use crate::console::{done, refused, render, render_form, Checks, Failed, OrDeny, Posted, Viewer};
use crate::error::ApiError;

/// The query of the Cash coupons page: its page, export, and filters.
#[derive(serde::Deserialize, Default)]
pub(super) struct CouponsQuery {
    page: Option<String>,
    format: Option<String>,
    status: Option<String>,
    customer: Option<String>,
    /// A distributor's reseller whose coupons to show.
    reseller: Option<String>,
}

fn status_word(s: CouponStatus) -> &'static str {
    match s {
        CouponStatus::NotActive => "not_active",
        CouponStatus::Available => "available",
        CouponStatus::Used => "used",
        CouponStatus::Expired => "expired",
        CouponStatus::Reclaimed => "reclaimed",
    }
}

fn quota_status_name(lang: Lang, s: QuotaStatus) -> String {
    lang.t(match s {
        QuotaStatus::Normal => "partner-coupons-quota-normal",
        QuotaStatus::Expired => "partner-coupons-quota-expired",
        QuotaStatus::Reclaimed => "partner-coupons-quota-reclaimed",
    })
}

/// A coupon's status as the coupon pages name it (`page::coupon_status_name`'s words).
fn coupon_status_name(lang: Lang, status: CouponStatus) -> String {
    lang.t(match status {
        CouponStatus::NotActive => "partner-coupons-status-not-active",
        CouponStatus::Available => "partner-coupons-status-available",
        CouponStatus::Used => "partner-coupons-status-used",
        CouponStatus::Expired => "partner-coupons-status-expired",
        CouponStatus::Reclaimed => "partner-coupons-status-reclaimed",
    })
}

/// R-CPN-12: the billing modes a coupon pays, and its usage-limit ratio when it has one.
fn billing_mode_text(lang: Lang, limits: &opc_domain::coupon::Limits) -> String {
    let modes = match limits.modes() {
        [] => lang.t("partner-coupons-all-modes"),
        modes => modes.iter().map(|m| mode_name(lang, *m)).collect::<Vec<_>>().join(&lang.t("partner-list-joiner")),
    };
    match limits.max_share() {
        Some(share) => {
            lang.t_with("partner-coupons-max-share", &[("modes", modes.into()), ("share", share.percent_text().into())])
        }
        None => modes,
    }
}

fn quota_entry_name(lang: Lang, kind: QuotaEntryKind) -> String {
    lang.t(match kind {
        QuotaEntryKind::Grant => "partner-coupons-quota-entry-grant",
        QuotaEntryKind::QuotaIssue => "partner-coupons-quota-entry-quota-issue",
        QuotaEntryKind::QuotaReclaim => "partner-coupons-quota-entry-quota-reclaim",
        QuotaEntryKind::CouponIssue => "partner-coupons-quota-entry-coupon-issue",
        QuotaEntryKind::CouponReclaim => "partner-coupons-quota-entry-coupon-reclaim",
        QuotaEntryKind::CouponExpiry => "partner-coupons-quota-entry-coupon-expiry",
        QuotaEntryKind::Conversion => "partner-coupons-quota-entry-conversion",
    })
}

fn coupon_entry_name(lang: Lang, kind: CouponEntryKind) -> String {
    lang.t(match kind {
        CouponEntryKind::Issue => "partner-coupons-entry-issue",
        CouponEntryKind::Deduct => "partner-coupons-entry-deduct",
        CouponEntryKind::Reclaim => "partner-coupons-entry-reclaim",
        CouponEntryKind::Expire => "partner-coupons-entry-expire",
        CouponEntryKind::Refund => "partner-coupons-entry-refund",
        CouponEntryKind::MemberGrant => "partner-coupons-entry-member-grant",
        CouponEntryKind::MemberReturn => "partner-coupons-entry-member-return",
    })
}

/// A list of limits, or "Any" for none.
fn listed(lang: Lang, values: &[String]) -> String {
    if values.is_empty() {
        lang.t("partner-coupons-any")
    } else {
        values.join(&lang.t("partner-list-joiner"))
    }
}

/// Comma- or line-separated service types typed in a form.
fn limits(form: &Posted) -> Result<Limits, ApiError> {
    let types: Vec<String> = form
        .get("cloud_service_types")
        .split([',', '\n'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    Limits::new(types, vec![]).map_err(|e| ApiError::invalid("cloud_service_types", e))
}

fn optional_date(form: &Posted, field: &'static str) -> Result<Option<opc_domain::Timestamp>, ApiError> {
    form.opt(field).map(|d| parse_date(field, d)).transpose()
}

/// Whole cents, more than 0.
fn cents(form: &Posted, field: &'static str) -> Result<Money, ApiError> {
    let text = form.opt(field).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    let m = Money::parse_with_scale(text.trim(), 2).map_err(|e| ApiError::invalid(field, e))?;
    opc_domain::coupon::cents_amount(m).map_err(|e| ApiError::invalid(field, e))
}

/// A batch's outcomes in words: what was done, and each id refused with its reason.
fn outcome_text<T>(lang: Lang, outcomes: Vec<Outcome<T>>, done_one: impl Fn(&T) -> String) -> (usize, String) {
    let (mut ok, mut parts) = (0, vec![]);
    for o in outcomes {
        match o {
            Ok(t) => {
                ok += 1;
                parts.push(done_one(&t));
            }
            Err((id, e)) => parts.push(lang.t_with(
                "partner-coupons-refused",
                &[("id", id.to_string().into()), ("reason", ApiError::from(e).message().into())],
            )),
        }
    }
    (ok, parts.join(&lang.t("partner-list-separator")))
}

// ---- Cash coupons ----

pub(super) async fn coupons_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<CouponsQuery>,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let paging = Paging::from_query(q.page.as_deref());
    let csv = q.format.as_deref() == Some("csv");
    let (offset, limit) = if csv { (0, Paging::CSV_MAX) } else { (paging.offset(), paging.per_page) };
    let status = CouponStatus::ALL.into_iter().find(|s| q.status.as_deref() == Some(status_word(*s)));
    let customer = q.customer.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let reseller = q.reseller.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let filter =
        CouponFilter { customer: customer.map(str::to_owned), status, offset, limit, ..CouponFilter::default() };
    let (list, total) = coupons::partner_coupons(&ctx, &caller, reseller, &filter).await.or_deny(&viewer)?;
    let resellers = customers::list_resellers(&ctx, &caller, &ResellerQuery { limit: 100, ..ResellerQuery::default() })
        .await
        .or_deny(&viewer)?
        .0;
    let link = |id: &str| match reseller {
        Some(r) => format!("/partner/coupons/{id}?reseller={r}"),
        None => format!("/partner/coupons/{id}"),
    };
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if csv { Lang::English } else { lang };
    let mut columns = texts(
        tl,
        &[
            "partner-coupons-col-coupon",
            "partner-coupons-col-balance-usd",
            "partner-coupons-col-face-value",
            "partner-coupons-col-valid-from",
            "partner-coupons-col-valid-to",
            "partner-coupons-col-service-types",
            "partner-coupons-col-products",
            "partner-coupons-col-customer",
            "partner-coupons-col-billing-mode",
            "partner-coupons-col-issued-by",
            "partner-coupons-col-remarks",
            "partner-coupons-col-status",
        ],
    );
    if reseller.is_some() {
        columns.insert(8, tl.t("partner-coupons-col-reseller"));
    }
    let rows = list
        .iter()
        .map(|v| {
            let c = &v.coupon;
            let mut cells = vec![
                Cell::link(c.id.clone(), &link(&c.id)),
                exact(c.balance),
                exact(c.face_value),
                Cell::from(when(c.validity.from)),
                Cell::from(when(c.validity.to)),
                Cell::from(listed(tl, c.limits.service_types())),
                Cell::from(listed(tl, c.limits.products())),
                Cell::from(customer_text(tl, v)),
                Cell::from(billing_mode_text(tl, &c.limits)),
                Cell::from(issuer_text(tl, v)),
                Cell::from(c.memo.clone()),
                Cell::from(coupon_status_name(tl, v.status)),
            ];
            if reseller.is_some() {
                cells.insert(8, Cell::from(format!("{} / {}", v.holder_name, v.holder_account_name)));
            }
            let action = v.reclaimable.map(|_| reclaim_link(lang, &link(&c.id)));
            (cells, action)
        })
        .collect();
    let title = tl.t("partner-coupons-title");
    let table = Table { caption: &title, columns: &strs(&columns), rows, total: Count::Exact(total) };
    if csv {
        return Ok(table.csv("cash-coupons"));
    }
    let statuses: Vec<(&str, String)> =
        CouponStatus::ALL.into_iter().map(|s| (status_word(s), coupon_status_name(lang, s))).collect();
    let any = lang.t("partner-coupons-any-status");
    let mut status_options = vec![("", any.as_str())];
    status_options.extend(statuses.iter().map(|(v, t)| (*v, t.as_str())));
    let own = lang.t("partner-coupons-your-own");
    let mut reseller_options = vec![("", own.as_str())];
    reseller_options.extend(resellers.iter().map(|(p, a)| (p.id().as_str(), a.name().as_str())));
    let body = html! {
        h1 { (title) }
        p { (lang.t("partner-coupons-intro")) }
        form.filters method="get" action="/partner/coupons" role="search" {
            (select(None, &lang.t("partner-coupons-col-status"), "status", &status_options, q.status.as_deref().unwrap_or("")))
            div.field { label for="customer" { (lang.t("partner-coupons-customer-id")) } input #customer type="search" name="customer" value=(customer.unwrap_or("")); }
            @if !resellers.is_empty() { (select(None, &lang.t("partner-coupons-whose"), "reseller", &reseller_options, reseller.unwrap_or(""))) }
            button type="submit" { (lang.t("partner-coupons-filter")) }
        }
        (table.render(viewer.lang, &viewer.here, paging))
        p { a href="/partner/coupon-quotas" { (lang.t("partner-coupons-to-quotas")) } }
    };
    Ok(render(&viewer, &title, body))
}

fn customer_text(lang: Lang, v: &CouponView) -> String {
    match (&v.coupon.customer, &v.customer_name) {
        (Some(id), Some(name)) if name != id.as_str() => lang
            .t_with("partner-coupons-customer-named", &[("name", name.as_str().into()), ("id", id.to_string().into())]),
        (Some(id), _) => id.to_string(),
        (None, _) => lang.t("partner-coupons-all-resellers"),
    }
}

fn issuer_text(lang: Lang, v: &CouponView) -> String {
    match &v.coupon.quota {
        Some(q) => lang.t_with("partner-coupons-issued-from", &[("quota", q.to_string().into())]),
        None => lang.t("partner-coupons-operator"),
    }
}

/// The reclaim action of an issued coupon: to its confirmation page.
fn reclaim_link(lang: Lang, coupon_page: &str) -> Markup {
    let (path, query) = coupon_page.split_once('?').unwrap_or((coupon_page, ""));
    let href = if query.is_empty() { format!("{path}/reclaim") } else { format!("{path}/reclaim?{query}") };
    html! { a.button href=(href) { (lang.t("partner-coupons-reclaim-link")) } }
}

/// The query of a coupon's pages.
#[derive(serde::Deserialize, Default)]
pub(super) struct CouponQuery {
    page: Option<String>,
    format: Option<String>,
    /// Which of the Coupon quotas page's lists a CSV export is of (default: the history).
    list: Option<String>,
    reseller: Option<String>,
}

impl CouponQuery {
    fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }

    /// This page's rows, or every row for a CSV export.
    fn window(&self) -> (Paging, u32, u32) {
        let paging = Paging::from_query(self.page.as_deref());
        if self.csv() {
            (paging, 0, Paging::CSV_MAX)
        } else {
            (paging, paging.offset(), paging.per_page)
        }
    }

    fn reseller(&self) -> Option<&str> {
        self.reseller.as_deref().map(str::trim).filter(|r| !r.is_empty())
    }
}

pub(super) async fn coupon_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    PageQuery(q): PageQuery<CouponQuery>,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let (paging, offset, limit) = q.window();
    let (v, entries, total) =
        coupons::coupon_movements(&ctx, &caller, q.reseller(), &id, offset, limit).await.or_deny(&viewer)?;
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let rows = entries
        .iter()
        .map(|e| {
            let cells = vec![
                Cell::from(when(e.at)),
                Cell::from(coupon_entry_name(tl, e.kind)),
                exact(e.amount),
                exact(e.balance_after),
                Cell::from(e.trade.clone()),
            ];
            (cells, None)
        })
        .collect();
    let caption = tl.t("partner-coupon-movements");
    let columns = texts(
        tl,
        &[
            "partner-coupons-col-when",
            "partner-coupon-col-movement",
            "partner-coupons-col-amount",
            "partner-coupons-col-balance-after",
            "partner-coupon-col-bill-or-quota",
        ],
    );
    let table = Table { caption: &caption, columns: &strs(&columns), rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv(&format!("coupon-{id}")));
    }
    let c = &v.coupon;
    let self_link = match q.reseller() {
        Some(r) => format!("/partner/coupons/{id}?reseller={r}"),
        None => format!("/partner/coupons/{id}"),
    };
    let back = match q.reseller() {
        Some(r) => format!("/partner/coupons?reseller={r}"),
        None => "/partner/coupons".to_owned(),
    };
    let title = lang.t_with("partner-coupon-title", &[("id", c.id.to_string().into())]);
    let body = html! {
        p { a href=(back) { (lang.t("partner-coupon-back")) } }
        h1 { (title) }
        section.card {
            dl {
                dt { (lang.t("partner-coupons-col-balance-usd")) } dd { span #coupon-balance title=(c.balance.to_string()) { (money(c.balance)) } }
                dt { (lang.t("partner-coupons-col-face-value")) } dd { span title=(c.face_value.to_string()) { (money(c.face_value)) } }
                dt { (lang.t("partner-coupon-validity")) } dd { (when(c.validity.from)) " – " (when(c.validity.to)) }
                dt { (lang.t("partner-coupons-col-service-types")) } dd { (listed(lang, c.limits.service_types())) }
                dt { (lang.t("partner-coupons-col-products")) } dd { (listed(lang, c.limits.products())) }
                dt { (lang.t("partner-coupons-col-customer")) } dd { (customer_text(lang, &v)) }
                dt { (lang.t("partner-coupons-col-reseller")) } dd { (v.holder_name) " / " (v.holder_account_name) }
                dt { (lang.t("partner-coupons-col-billing-mode")) } dd { (lang.t("partner-coupons-all-modes")) }
                dt { (lang.t("partner-coupons-col-issued-by")) } dd { (issuer_text(lang, &v)) }
                dt { (lang.t("partner-coupons-col-remarks")) } dd { (c.memo) }
                dt { (lang.t("partner-coupons-col-status")) } dd #coupon-status { (coupon_status_name(lang, v.status)) }
                dt { (lang.t("partner-coupon-last-used")) } dd { (c.last_used_at.map_or_else(|| lang.t("partner-coupon-never"), when)) }
            }
            @if v.reclaimable.is_some() { (reclaim_link(lang, &self_link)) }
        }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &title, body))
}

pub(super) async fn reclaim_confirm(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    PageQuery(q): PageQuery<CouponQuery>,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let (v, amount) = coupons::reclaim_preview(&ctx, &caller, q.reseller(), &id).await.or_deny(&viewer)?;
    let quota = v.coupon.quota.clone().unwrap_or_default();
    let token = viewer.csrf();
    let lang = viewer.lang;
    let body = html! {
        p { a href="/partner/coupon-quotas" { (lang.t("partner-quotas-back")) } }
        h1 { (lang.t_with("partner-reclaim-heading", &[("id", id.as_str().into())])) }
        section.card {
            p { (marked(lang, "partner-reclaim-explained", &[
                ("customer", html! { (customer_text(lang, &v)) }),
                ("amount", html! { strong #reclaim-amount title=(amount.to_string()) { (money(amount)) } }),
                ("quota", html! { code { (quota) } }),
            ])) }
            form method="post" action=(format!("/partner/coupons/{id}/reclaim")) {
                (csrf(&token))
                @if let Some(r) = q.reseller() { input type="hidden" name="reseller" value=(r); }
                button.danger type="submit" { (lang.t_with("partner-reclaim-submit", &[("amount", money(amount).into())])) }
                " " a href="/partner/coupon-quotas" { (lang.t("partner-reclaim-cancel")) }
            }
        }
    };
    Ok(render(&viewer, &lang.t("partner-reclaim-title"), body))
}

pub(super) async fn reclaim(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let reseller = form.opt("reseller");
    match coupons::reclaim_coupon(&ctx, &caller, reseller, &id).await {
        Ok(amount) => Ok(done(
            viewer.cookies,
            "/partner/coupon-quotas",
            viewer.lang.t_with("partner-reclaim-done", &[("id", id.as_str().into()), ("amount", money(amount).into())]),
        )),
        Err(e) => Ok(refused(viewer.cookies, "/partner/coupon-quotas", &ApiError::from(e))),
    }
}

// ---- Coupon quotas ----

pub(super) async fn quotas_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<CouponQuery>,
) -> Result<Response, Response> {
    quotas_view(&ctx, viewer, &q, None).await
}

/// The form a refusal belongs to, so that only that form shows it.
fn failed_in<'a>(failed: Option<&'a Failed>, form: &str) -> Option<&'a Failed> {
    failed.filter(|f| f.value("form") == Some(form))
}

async fn quotas_view(
    ctx: &Context,
    viewer: Viewer,
    q: &CouponQuery,
    failed: Option<&Failed>,
) -> Result<Response, Response> {
    let caller = caller(ctx, &viewer).await?;
    let (paging, offset, limit) = q.window();
    let all = QuotaFilter { limit: 1000, ..QuotaFilter::default() };
    let (quotas, _) = coupons::quotas(ctx, &caller, None, &all).await.or_deny(&viewer)?;
    let (issued, _) = coupons::issued_quotas(ctx, &caller, &all).await.or_deny(&viewer)?;
    let history_query = QuotaEntryQuery {
        partner: caller.partner.id().clone(),
        children: false,
        kinds: QuotaEntryKind::ALL.to_vec(),
        quota: None,
        parent: None,
        holder: None,
        coupons: vec![],
        customer: None,
        from: None,
        to: None,
        offset,
        limit,
    };
    let (history, history_total) = coupons::quota_records(ctx, &caller, None, history_query).await.or_deny(&viewer)?;
    let issued_filter = CouponFilter { limit: 1000, ..CouponFilter::default() };
    let (issued_coupons, _) = coupons::partner_coupons(ctx, &caller, None, &issued_filter).await.or_deny(&viewer)?;
    let issued_coupons: Vec<&CouponView> = issued_coupons.iter().filter(|v| v.coupon.quota.is_some()).collect();
    let may_issue = caller.may(opc_domain::organization::Permission::ControlCustomers);
    let resellers = customers::list_resellers(ctx, &caller, &ResellerQuery { limit: 100, ..ResellerQuery::default() })
        .await
        .or_deny(&viewer)?
        .0;
    let customer_list = reseller_customers(ctx, &caller).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };

    let quota_rows = quotas
        .iter()
        .map(|v| {
            let quota = &v.quota;
            let cells = vec![
                Cell::from(quota.id.clone()),
                exact(quota.balance),
                exact(quota.value),
                Cell::from(when(quota.validity.from)),
                Cell::from(when(quota.validity.to)),
                Cell::from(listed(tl, quota.limits.service_types())),
                Cell::from(listed(tl, quota.limits.products())),
                Cell::from(match &quota.parent {
                    Some(p) => tl.t_with("partner-quotas-from-distributor", &[("quota", p.to_string().into())]),
                    None => tl.t("partner-coupons-operator"),
                }),
                Cell::from(quota_status_name(tl, v.status)),
            ];
            (cells, None)
        })
        .collect();
    let quota_caption = tl.t("partner-quotas-caption");
    let quota_columns = texts(
        tl,
        &[
            "partner-quotas-col-quota",
            "partner-coupons-col-balance-usd",
            "partner-quotas-col-value",
            "partner-coupons-col-valid-from",
            "partner-coupons-col-valid-to",
            "partner-quotas-col-service-types",
            "partner-quotas-col-products",
            "partner-quotas-col-granted-by",
            "partner-coupons-col-status",
        ],
    );
    let quota_table = Table {
        caption: &quota_caption,
        columns: &strs(&quota_columns),
        rows: quota_rows,
        total: Count::Exact(quotas.len() as u64),
    };
    let history_rows = history
        .iter()
        .map(|h| {
            let e = &h.entry;
            let counterpart = match (&e.counterpart, &h.customer) {
                (Some(c), Some(customer)) => format!("{c} ({customer})"),
                (Some(c), None) => c.clone(),
                (None, _) => String::new(),
            };
            let cells = vec![
                Cell::from(when(e.at)),
                Cell::from(e.quota.clone()),
                Cell::from(quota_entry_name(tl, e.kind)),
                exact(e.amount),
                exact(e.balance_after),
                Cell::from(counterpart),
                Cell::from(e.operator.clone()),
                Cell::from(e.remark.clone()),
            ];
            (cells, None)
        })
        .collect();
    let history_caption = tl.t("partner-quotas-history");
    let history_columns = texts(
        tl,
        &[
            "partner-coupons-col-when",
            "partner-quotas-col-quota",
            "partner-quotas-col-record",
            "partner-coupons-col-amount",
            "partner-coupons-col-balance-after",
            "partner-quotas-col-coupon-or-quota",
            "partner-quotas-col-by",
            "partner-quotas-col-remark",
        ],
    );
    let history_table = Table {
        caption: &history_caption,
        columns: &strs(&history_columns),
        rows: history_rows,
        total: Count::Exact(history_total),
    };
    let issued_rows = issued_coupons
        .iter()
        .map(|v| {
            let c = &v.coupon;
            let cells = vec![
                Cell::link(c.id.clone(), &format!("/partner/coupons/{}", c.id)),
                Cell::from(customer_text(tl, v)),
                exact(c.face_value),
                exact(c.balance),
                Cell::from(when(c.validity.to)),
                Cell::from(c.quota.clone().unwrap_or_default()),
                Cell::from(coupon_status_name(tl, v.status)),
            ];
            let action = v.reclaimable.map(|_| reclaim_link(lang, &format!("/partner/coupons/{}", c.id)));
            (cells, action)
        })
        .collect();
    let issued_caption = tl.t("partner-quotas-issued-coupons");
    let issued_columns = texts(
        tl,
        &[
            "partner-coupons-col-coupon",
            "partner-quotas-col-customer",
            "partner-coupons-col-face-value",
            "partner-quotas-col-balance",
            "partner-coupons-col-valid-to",
            "partner-quotas-col-quota",
            "partner-coupons-col-status",
        ],
    );
    let issued_table = Table {
        caption: &issued_caption,
        columns: &strs(&issued_columns),
        rows: issued_rows,
        total: Count::Exact(issued_coupons.len() as u64),
    };
    let issued_quota_rows = issued
        .iter()
        .map(|v| {
            let quota = &v.quota;
            let cells = vec![
                Cell::from(quota.id.clone()),
                Cell::from(format!("{} / {}", v.holder_name, v.holder_account_name)),
                exact(quota.value),
                exact(quota.balance),
                Cell::from(when(quota.validity.to)),
                Cell::from(quota_status_name(tl, v.status)),
            ];
            let back = opc_domain::coupon::quota_reclaimable(quota).ok().filter(|_| may_issue);
            let action = back.map(|amount| {
                html! {
                    form.inline method="post" action=(format!("/partner/coupon-quotas/{}/reclaim", quota.id))
                        data-confirm=(lang.t_with("partner-quotas-take-back-confirm", &[("amount", money(amount).into()), ("reseller", v.holder_name.to_string().into())])) {
                        (csrf(&token))
                        button.danger type="submit" { (lang.t_with("partner-quotas-take-back", &[("amount", money(amount).into())])) }
                    }
                }
            });
            (cells, action)
        })
        .collect();
    let passed_caption = tl.t("partner-quotas-passed");
    let passed_columns = texts(
        tl,
        &[
            "partner-quotas-col-quota",
            "partner-coupons-col-reseller",
            "partner-quotas-col-value",
            "partner-quotas-col-balance",
            "partner-coupons-col-valid-to",
            "partner-coupons-col-status",
        ],
    );
    let issued_quota_table = Table {
        caption: &passed_caption,
        columns: &strs(&passed_columns),
        rows: issued_quota_rows,
        total: Count::Exact(issued.len() as u64),
    };
    if q.csv() {
        let (table, file) = match q.list.as_deref() {
            Some("quotas") => (quota_table, "coupon-quotas"),
            Some("issued") => (issued_table, "issued-coupons"),
            Some("resellers") => (issued_quota_table, "resellers-quotas"),
            _ => (history_table, "coupon-quota-history"),
        };
        return Ok(table.csv(file));
    }
    let usable: Vec<(&str, String)> = quotas
        .iter()
        .filter(|v| v.status == QuotaStatus::Normal)
        .map(|v| {
            let text = lang.t_with(
                "partner-quotas-option",
                &[("id", v.quota.id.to_string().into()), ("balance", money(v.quota.balance).into())],
            );
            (v.quota.id.as_str(), text)
        })
        .collect();
    let quota_options: Vec<(&str, &str)> = usable.iter().map(|(id, text)| (*id, text.as_str())).collect();
    let issue_failed = failed_in(failed, "issue");
    let pass_failed = failed_in(failed, "pass");
    let chosen = |f: Option<&Failed>, name: &str, id: &str| f.is_some_and(|f| f.values(name).contains(&id));
    let all_rows = Paging { page: 1, per_page: 1000 };
    let issue_shown = may_issue && !usable.is_empty();
    let pass_shown = issue_shown && !resellers.is_empty();
    // A refusal whose form is not shown (no usable quota any more, say) is shown on its own.
    let orphan = failed.filter(|_| (issue_failed.is_some() && !issue_shown) || (pass_failed.is_some() && !pass_shown));
    let from_quota = lang.t("partner-quotas-from-quota");
    let title = lang.t("partner-quotas-title");
    let body = html! {
        h1 { (title) }
        p { (lang.t("partner-quotas-intro")) }
        (form_error(orphan, &[]))
        (quota_table.render(lang, "/partner/coupon-quotas?list=quotas", all_rows))
        @if issue_shown {
            form.card method="post" action="/partner/coupon-issues" {
                h2 { (lang.t("partner-quotas-issue-title")) }
                input type="hidden" name="form" value="issue";
                (csrf(&token))
                (form_error(issue_failed, &["quota_id", "customer_ids", "face_value", "valid_time", "expire_time", "cloud_service_types", "memo"]))
                (select(issue_failed, &from_quota, "quota_id", &quota_options, ""))
                fieldset.field.invalid[issue_failed.and_then(|f| f.about("customer_ids")).is_some()] {
                    legend { (lang.t("partner-quotas-issue-customers")) }
                    @if customer_list.is_empty() { p { (lang.t("partner-quotas-no-customers")) } }
                    @for (id, name) in &customer_list {
                        label.check { input type="checkbox" name="customer_ids" value=(id) checked[chosen(issue_failed, "customer_ids", id)]; " " (name) " (" (id) ")" }
                    }
                    @if let Some(e) = issue_failed.and_then(|f| f.about("customer_ids")) { p.error { (e) } }
                }
                (field(issue_failed, &lang.t("partner-quotas-face-value"), "face_value", Input::Number, "", true))
                (field(issue_failed, &lang.t("partner-quotas-valid-from"), "valid_time", Input::Text, "", false))
                (field(issue_failed, &lang.t("partner-quotas-valid-until"), "expire_time", Input::Text, "", false))
                (field(issue_failed, &lang.t("partner-quotas-service-types"), "cloud_service_types", Input::Text, "", false))
                (field(issue_failed, &lang.t("partner-coupons-col-remarks"), "memo", Input::Text, "", false))
                button type="submit" { (lang.t("partner-quotas-issue")) }
            }
        }
        (issued_table.render(lang, "/partner/coupon-quotas?list=issued", all_rows))
        @if !resellers.is_empty() || !issued.is_empty() {
            h2 { (lang.t("partner-quotas-resellers-title")) }
            @if pass_shown {
                form.card method="post" action="/partner/coupon-quotas/pass" {
                    h3 { (lang.t("partner-quotas-pass-title")) }
                    input type="hidden" name="form" value="pass";
                    (csrf(&token))
                    (form_error(pass_failed, &["quota_id", "reseller_ids", "amount"]))
                    (select(pass_failed, &from_quota, "quota_id", &quota_options, ""))
                    fieldset.field.invalid[pass_failed.and_then(|f| f.about("reseller_ids")).is_some()] {
                        legend { (lang.t("partner-quotas-pass-resellers")) }
                        @for (p, a) in &resellers {
                            label.check { input type="checkbox" name="reseller_ids" value=(p.id().as_str()) checked[chosen(pass_failed, "reseller_ids", p.id().as_str())]; " " (p.name().as_str()) " / " (a.name().as_str()) }
                        }
                        @if let Some(e) = pass_failed.and_then(|f| f.about("reseller_ids")) { p.error { (e) } }
                    }
                    (field(pass_failed, &lang.t("partner-quotas-pass-amount"), "amount", Input::Number, "", true))
                    button type="submit" { (lang.t("partner-quotas-pass")) }
                }
            }
            (issued_quota_table.render(lang, "/partner/coupon-quotas?list=resellers", all_rows))
        }
        (history_table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render_form(&viewer, &title, body, failed))
}

/// The reseller-model customers the caller sees, by id and name (the first 100).
async fn reseller_customers(ctx: &Context, caller: &Caller) -> Result<Vec<(String, String)>, ApiError> {
    if !caller.may(opc_domain::organization::Permission::ControlCustomers) {
        return Ok(vec![]);
    }
    let query = CustomerQuery { model: Some(AssociationModel::Reseller), limit: 100, ..CustomerQuery::default() };
    let found = customers::list_customers(ctx, caller, None, &query).await?;
    Ok(found
        .customers
        .iter()
        .map(|c| (c.account.id().as_str().to_owned(), c.account.name().as_str().to_owned()))
        .collect())
}

pub(super) async fn issue(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let lang = viewer.lang;
    let outcome = async {
        // Every field is read before any refusal: all its problems are shown at once.
        let mut checks = Checks::default();
        let quota = checks.take(form.opt("quota_id").ok_or_else(|| ApiError::invalid("quota_id", "choose a quota")));
        let customers = form.all("customer_ids");
        if customers.is_empty() {
            checks.refuse("customer_ids", "choose at least one customer");
        }
        let face_value = checks.take(cents(&form, "face_value"));
        let from = checks.take(optional_date(&form, "valid_time"));
        let to = checks.take(optional_date(&form, "expire_time"));
        let limits = checks.take(limits(&form));
        let (Some(quota), Some(face_value), Some(from), Some(to), Some(limits), false) =
            (quota, face_value, from, to, limits, customers.is_empty())
        else {
            return Err(checks.error());
        };
        let request = CouponRequest { face_value, from, to, limits, memo: form.get("memo").trim().to_owned() };
        let outcomes =
            coupons::issue_coupons(&ctx, &caller, None, quota, &customers, &request).await.map_err(ApiError::from)?;
        let (issued, text) = outcome_text(lang, outcomes, |(customer, coupon)| {
            lang.t_with(
                "partner-quotas-issued-one",
                &[("coupon", coupon.to_string().into()), ("customer", customer.to_string().into())],
            )
        });
        if issued == 0 {
            return Err(ApiError::invalid("customer_ids", text));
        }
        Ok((issued, text))
    }
    .await;
    match outcome {
        Ok((n, text)) => Ok(done(
            viewer.cookies,
            "/partner/coupon-quotas",
            lang.t_with("partner-quotas-issued-done", &[("count", n.into()), ("text", text.into())]),
        )),
        Err(e) => quotas_view(&ctx, viewer, &CouponQuery::default(), Some(&form.failed(&e))).await,
    }
}

pub(super) async fn pass_quota(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let lang = viewer.lang;
    let outcome = async {
        let quota = form.opt("quota_id").ok_or_else(|| ApiError::invalid("quota_id", "choose a quota"))?;
        let resellers = form.all("reseller_ids");
        if resellers.is_empty() {
            return Err(ApiError::invalid("reseller_ids", "choose at least one reseller"));
        }
        let amount = cents(&form, "amount")?;
        let outcomes = coupons::issue_quotas(&ctx, &caller, quota, &resellers, amount).await.map_err(ApiError::from)?;
        let (passed, text) = outcome_text(lang, outcomes, |(reseller, quota)| {
            lang.t_with(
                "partner-quotas-passed-one",
                &[("quota", quota.to_string().into()), ("reseller", reseller.to_string().into())],
            )
        });
        if passed == 0 {
            return Err(ApiError::invalid("reseller_ids", text));
        }
        Ok((passed, text))
    }
    .await;
    match outcome {
        Ok((n, text)) => Ok(done(
            viewer.cookies,
            "/partner/coupon-quotas",
            lang.t_with("partner-quotas-passed-done", &[("count", n.into()), ("text", text.into())]),
        )),
        Err(e) => quotas_view(&ctx, viewer, &CouponQuery::default(), Some(&form.failed(&e))).await,
    }
}

pub(super) async fn reclaim_quota(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let to = "/partner/coupon-quotas";
    match coupons::reclaim_quotas(&ctx, &caller, std::slice::from_ref(&id), "").await {
        Ok(outcomes) => match outcomes.into_iter().next() {
            Some(Ok(_)) => Ok(done(
                viewer.cookies,
                to,
                viewer.lang.t_with("partner-quotas-taken-back", &[("id", id.as_str().into())]),
            )),
            Some(Err((_, e))) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
            None => Ok(refused(viewer.cookies, to, &ApiError::from(coupons::CouponOpError::UnknownQuota(id)))),
        },
        Err(e) => Ok(refused(viewer.cookies, to, &ApiError::from(e))),
    }
}
