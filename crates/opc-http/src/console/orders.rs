//! The customer's orders and yearly/monthly resources (issue #6): buy from the catalog's
//! yearly/monthly prices, pay or cancel a pending order, renew or unsubscribe a resource, and
//! accept or withdraw the customer authorization letter for its partner (R-RCM-14). A partner
//! does the same on a reseller customer's behalf from the customer's page
//! (`/partner/customers/{id}/…`), which the letter allows. The same use cases as the BSS API;
//! the rules (tenancy, the letter) stay there.

use std::collections::HashMap;

use opc_domain::Money;

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::auth::Principal;
use opc_core::ops::bills;
use opc_core::ops::orders::{self, Item, ResourceFilter};
use opc_core::ops::{catalog, console::ConsoleUser};
use opc_core::store::OrderFilter;
use opc_core::Context;
use opc_domain::catalog::{ChargingMode, PeriodType};
use opc_domain::coupon::{Coupon, HoldState};
use opc_domain::stored_value::StoredValueCard;

use super::trace::trace;
use opc_domain::discount::AppliedDiscount;
use opc_domain::order::{OrderStatus, OrderType, Product, ResourceStatus, Unsubscribe};

use super::page::{csrf, exact, field, form_error, money, select, when, Cell, Count, Input, Paging, Rows, Table};
use super::{denied, done, refused, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::audience::principal;
use crate::bss;
use crate::console::extract::{PagePath, PageQuery};
use crate::console::i18n::Lang;
use crate::error::{ApiError, ErrorCode};

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/orders", get(page).post(buy))
        .route("/orders/authorization", post(authorize))
        .route("/orders/{order}/{action}", post(order_action))
        .route("/resources/{resource}/{action}", post(resource_action))
        .route("/partner/customers/{id}/orders", post(partner_buy))
        .route("/partner/customers/{id}/orders/{order}/{action}", post(partner_order_action))
        .route("/partner/customers/{id}/resources/{resource}/{action}", post(partner_resource_action))
}

/// The signed-in partner (or member) acting for reseller customer `id`, and where its actions
/// return to: the customer's page.
async fn partner_acting(ctx: &Context, viewer: &Viewer, id: &str) -> Result<(Principal, String), Response> {
    match principal(ctx, &viewer.user).await.or_deny(viewer)? {
        who @ Principal::Partner(_) => Ok((who, format!("/partner/customers/{id}"))),
        Principal::Customer { .. } => {
            Err(denied(viewer, ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for partners.")))
        }
    }
}

/// The signed-in customer: partners and staff have other pages.
fn customer(viewer: &Viewer) -> Result<&opc_domain::account::Account, Response> {
    match &viewer.user {
        ConsoleUser::Account { account, partner: None } => Ok(account),
        _ => Err(denied(viewer, ApiError::new(ErrorCode::AccessDenied, "Access denied: this page is for customers."))),
    }
}

/// An order's status in `lang`.
pub(super) fn status_name_in(lang: Lang, s: OrderStatus) -> String {
    lang.t(match s {
        OrderStatus::PendingPayment => "orders-status-pending",
        OrderStatus::Cancelled => "orders-status-cancelled",
        OrderStatus::Completed => "orders-status-completed",
    })
}

/// An order's type in `lang`.
pub(super) fn type_name(lang: Lang, t: OrderType) -> String {
    lang.t(match t {
        OrderType::New => "orders-type-new",
        OrderType::Renewal => "orders-type-renewal",
        OrderType::Unsubscription => "orders-type-unsubscription",
    })
}

/// A resource's status in `lang`.
pub(super) fn resource_status(lang: Lang, s: ResourceStatus) -> String {
    lang.t(match s {
        ResourceStatus::InUse => "orders-resource-in-use",
        ResourceStatus::Closed => "orders-resource-closed",
        ResourceStatus::Frozen => "orders-resource-frozen",
        ResourceStatus::Expired => "orders-resource-expired",
    })
}

/// A pending order's pay and cancel buttons, posting under `base`: the customer's own pages
/// (`""`) or a partner's page of the customer.
/// `offers`: the partner discounts the customer may pay it with (R-CPN-33), chosen at payment;
/// `coupons`: the cash coupons that may pay it (R-CPN-02: one, deducted from the partner's bill);
/// `cards`: the customer's stored-value cards usable now (SVC-2: one pays what it can at once).
/// A pending order's pay and cancel buttons, posting under `base`. Paying shows the amount and
/// asks for its confirmation (issue 17: no money moves in one click); while the customer cannot
/// buy (`blocked`), only cancelling is offered. Their words in `lang`.
pub(super) fn order_buttons(
    lang: Lang,
    base: &str,
    (order, amount): (&str, Option<Money>),
    token: &str,
    (offers, coupons): (&[AppliedDiscount], &[Coupon]),
    cards: &[StoredValueCard],
    blocked: bool,
) -> Markup {
    let amount = amount.map(money).unwrap_or_default();
    html! {
        @if !blocked { form.inline method="post" action=(format!("{base}/orders/{order}/pay")) {
            (csrf(token))
            @if !cards.is_empty() {
                label { (lang.t("orders-pay-card")) " " select name="card" {
                    option value="" { (lang.t("orders-pay-no-card")) }
                    @for c in cards {
                        option value=(c.id()) {
                            (lang.t_with("orders-pay-card-option", &[
                                ("name", c.name().into()),
                                ("id", c.id().into()),
                                ("balance", money(c.balance()).into()),
                                ("until", when(c.valid_to()).into()),
                            ]))
                        }
                    }
                } }
                " "
            }
            @if !coupons.is_empty() {
                label { (lang.t("orders-pay-coupon")) " " select name="coupon" {
                    @for c in coupons {
                        option value=(c.id) {
                            (lang.t_with("orders-pay-coupon-option", &[
                                ("id", c.id.to_string().into()),
                                ("balance", money(c.balance).into()),
                                ("until", when(c.validity.to).into()),
                            ]))
                        }
                    }
                    option value="" { (lang.t("orders-pay-no-coupon")) }
                } }
                " "
            }
            @if !offers.is_empty() {
                label { (lang.t("orders-pay-discount")) " " select name="discount" {
                    @for a in offers {
                        option value=(format!("{}|{}", a.discount_id, if a.special { "609" } else { "3" })) {
                            (lang.t_with("orders-pay-discount-option", &[
                                ("kind", lang.t(if a.special { "orders-pay-price-adjustment" } else { "orders-pay-discount" }).into()),
                                ("percent", a.off.percent_text().into()),
                                ("service", a.service_type.to_string().into()),
                                ("saving", a.total().map(money).unwrap_or_default().into()),
                            ]))
                        }
                    }
                    option value="" { (lang.t("orders-pay-no-discount")) }
                } }
                " "
            }
            label.confirm {
                input type="checkbox" name="confirm" value="yes" required;
                " " (lang.t("orders-pay-confirm-before")) strong { (amount) } (lang.t("orders-pay-confirm-after"))
            }
            " "
            button type="submit" { (lang.t_with("orders-pay", &[("amount", amount.as_str().into())])) }
        } }
        " "
        form.inline method="post" action=(format!("{base}/orders/{order}/cancel")) data-confirm=(lang.t("orders-cancel-confirm")) {
            (csrf(token)) button.secondary type="submit" { (lang.t("orders-cancel")) }
        }
    }
}

/// A paid order's price trace (issue 15): each line's list price less its discount, and the
/// cash coupon its payment named with how far the partner's bill used it, in `lang`.
pub(super) fn order_trace(lang: Lang, t: &orders::OrderTrace) -> Markup {
    html! {
        @for (line, lt) in t.order.lines().iter().zip(&t.lines) {
            div { small { (line.product().spec) " (" (line.product().service_type) ")" } (trace(lang, lt, &lang.t("orders-trace-due"))) }
        }
        @if let Some(h) = &t.coupon {
            p.hint { (lang.t_with("orders-trace-coupon", &[
                ("coupon", h.coupon.to_string().into()),
                ("state", match h.state {
                    HoldState::Held => lang.t_with("orders-trace-held", &[("month", bills::month_text(h.cycle).into())]),
                    HoldState::Paid { paid, .. } => lang.t_with("orders-trace-paid", &[
                        ("amount", money(paid).into()),
                        ("month", bills::month_text(h.cycle).into()),
                    ]),
                    HoldState::Released { .. } => lang.t("orders-trace-released"),
                }.into()),
            ])) }
        }
    }
}

/// An open main resource's renew and unsubscribe buttons, posting under `base`. Renewing shows
/// what a month costs and asks for its confirmation; while the customer cannot buy (`rate` is
/// `None`), it is not offered. Their words in `lang`.
pub(super) fn resource_buttons(lang: Lang, base: &str, resource: &str, token: &str, rate: Option<Money>) -> Markup {
    html! {
        @if let Some(rate) = rate {
            form.inline method="post" action=(format!("{base}/resources/{resource}/renew")) {
                (csrf(token))
                label.confirm {
                    input type="checkbox" name="confirm" value="yes" required;
                    " " (lang.t("orders-renew-confirm-before")) strong { (money(rate)) } (lang.t("orders-renew-confirm-after"))
                }
                " "
                button type="submit" { (lang.t_with("orders-renew", &[("rate", money(rate).into())])) }
            }
        }
        " "
        form.inline method="post" action=(format!("{base}/resources/{resource}/unsubscribe"))
            data-confirm=(lang.t("orders-unsubscribe-confirm")) {
            (csrf(token)) button.danger type="submit" { (lang.t("orders-unsubscribe")) }
        }
    }
}

/// What the catalog sells by the year or month, as the choices of one select (issue 17: the
/// allowed choices, not free text): each offering for each number of periods it is sold for,
/// its form value and its label with the price of that term, in `lang` (the catalog's own names
/// in that language where it has them).
pub(super) async fn offerings(ctx: &Context, lang: Lang) -> Result<Vec<(String, String)>, opc_core::StoreError> {
    let (_, catalog) = catalog::current(ctx).await?;
    Ok(catalog
        .prices
        .iter()
        .filter(|p| p.charging_mode == ChargingMode::Period)
        .filter_map(|p| Some((p, p.period.as_ref()?)))
        .flat_map(|(p, (period, nums))| {
            let english = lang == Lang::English;
            let name = catalog.specs.iter().find(|s| s.code == p.spec).map_or(p.spec.as_str(), |s| s.name.get(english));
            nums.iter().map(move |n| {
                let unit = match period {
                    PeriodType::Month => lang.t_with("orders-term-months", &[("count", i64::from(*n).into())]),
                    PeriodType::Year => lang.t_with("orders-term-years", &[("count", i64::from(*n).into())]),
                };
                let term = p.amount.e8().checked_mul(i64::from(*n)).and_then(|e8| Money::from_e8(e8).ok());
                let price = term.map(money).unwrap_or_default();
                (
                    format!("{}|{n}", offering(&p.spec, &p.region, *period)),
                    lang.t_with(
                        "orders-offering",
                        &[
                            ("name", name.into()),
                            ("region", p.region.as_str().into()),
                            ("term", unit.into()),
                            ("price", price.into()),
                        ],
                    ),
                )
            })
        })
        .collect())
}

/// An offering's form value: spec, region and period type (and, in the choices, the number of
/// periods).
fn offering(spec: &str, region: &str, period: PeriodType) -> String {
    format!("{spec}|{region}|{}", bss::period_type(period))
}

async fn page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    view(&ctx, viewer, &q, None).await
}

async fn view(ctx: &Context, viewer: Viewer, q: &ListQuery, failed: Option<&Failed>) -> Result<Response, Response> {
    let account = customer(&viewer)?;
    let who = principal(ctx, &viewer.user).await.or_deny(&viewer)?;
    let paging = Paging::from_query(q.page.as_deref());
    let filter =
        OrderFilter { newest_first: true, offset: paging.offset(), limit: paging.per_page, ..OrderFilter::default() };
    let (list, total) = orders::list(ctx, &who, (None, None), &filter).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let lang = viewer.lang;
    // The export keeps its English words, for the machines that read it.
    let table_lang = if q.csv() { Lang::English } else { lang };
    let completed: Vec<_> = list.iter().filter(|o| o.status() == OrderStatus::Completed).cloned().collect();
    let traced = orders::traces(ctx, completed).await.or_deny(&viewer)?;
    let cards = opc_core::ops::stored_value::usable_cards(ctx, &who).await.or_deny(&viewer)?;
    let blocked = orders::why_blocked(ctx, &who, None).await.or_deny(&viewer)?;
    let mut offers = Vec::with_capacity(list.len());
    for o in &list {
        let offered = match o.status() {
            OrderStatus::PendingPayment => (
                orders::offers(ctx, &who, o.id(), None).await.or_deny(&viewer)?,
                orders::coupon_offers(ctx, &who, o.id()).await.or_deny(&viewer)?,
            ),
            OrderStatus::Cancelled | OrderStatus::Completed => (vec![], vec![]),
        };
        offers.push(offered);
    }
    let rows: Rows = list
        .iter()
        .zip(&offers)
        .map(|(o, (offered, coupons))| {
            let amount = o.official().ok();
            let actions = match o.status() {
                OrderStatus::PendingPayment => Some(order_buttons(
                    lang,
                    "",
                    (o.id().as_str(), amount),
                    &token,
                    (offered, coupons),
                    &cards,
                    blocked.is_some(),
                )),
                _ => traced.iter().find(|t| t.order.id() == o.id()).map(|t| order_trace(lang, t)),
            };
            let cells: Vec<Cell> = vec![
                o.id().to_string().into(),
                type_name(table_lang, o.order_type()).into(),
                status_name_in(table_lang, o.status()).into(),
                amount.map_or_else(|| Cell::from(""), exact),
                when(o.created_at()).into(),
            ];
            (cells, actions)
        })
        .collect();
    let caption = table_lang.t("orders-title");
    let columns: Vec<String> =
        ["orders-col-order", "orders-col-type", "orders-col-status", "orders-col-price", "orders-col-placed"]
            .into_iter()
            .map(|id| table_lang.t(id))
            .collect();
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table { caption: &caption, columns: &columns, rows, total: Count::Exact(total) };
    if q.csv() {
        return Ok(table.csv("orders"));
    }
    let (resources, _) = orders::resources(ctx, &who, &ResourceFilter { limit: 200, ..ResourceFilter::default() })
        .await
        .or_deny(&viewer)?;
    let rates =
        if blocked.is_some() { HashMap::new() } else { month_rates(ctx, &who, &resources).await.or_deny(&viewer)? };
    let offers = offerings(ctx, lang).await.or_deny(&viewer)?;
    let options: Vec<(&str, &str)> = offers.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
    let packages = opc_core::ops::packages::customer_packages(ctx, account.id()).await.or_deny(&viewer)?;
    let reseller = orders::partner_of(ctx, account).await.or_deny(&viewer)?;
    let letter = match &reseller {
        Some(p) => ctx.store.authorization(account.id(), p).await.or_deny(&viewer)?,
        None => None,
    };
    let (resource_col, product_col, status_col, expires_col) = (
        lang.t("orders-col-resource"),
        lang.t("orders-col-product"),
        lang.t("orders-col-status"),
        lang.t("orders-col-expires"),
    );
    let body = html! {
        h1 { (lang.t("orders-heading")) }
        @if reseller.is_some() {
            section.card #authorization {
                h2 { (lang.t("orders-letter")) }
                @if let Some(at) = letter {
                    p { (lang.t_with("orders-letter-accepted", &[("at", when(at).into())])) }
                    form.inline method="post" action="/orders/authorization" data-confirm=(lang.t("orders-letter-withdraw-confirm")) {
                        (csrf(&token)) input type="hidden" name="authorized" value="no"; button.secondary type="submit" { (lang.t("orders-letter-withdraw")) }
                    }
                } @else {
                    p { (lang.t("orders-letter-missing")) }
                    form.inline method="post" action="/orders/authorization" {
                        (csrf(&token)) input type="hidden" name="authorized" value="yes"; button type="submit" { (lang.t("orders-letter-accept")) }
                    }
                }
            }
        }
        @if let Some(block) = &blocked {
            p.flash.failed role="status" #blocked { (lang.t_with("orders-blocked", &[("why", block.to_string().into())])) }
        } @else if options.is_empty() {
            p { (lang.t("orders-nothing-for-sale")) }
        } @else {
            form.card method="post" action="/orders" {
                h2 { (lang.t("orders-buy")) }
                (csrf(&token))
                (form_error(failed, &["offering", "quantity"]))
                (select(failed, &lang.t("orders-buy-offering"), "offering", &options, options[0].0))
                (field(failed, &lang.t("orders-buy-quantity"), "quantity", Input::Number, "1", true))
                button type="submit" { (lang.t("orders-buy-submit")) }
            }
        }
        (table.render(viewer.lang, &viewer.here, paging))
        (super::packages::section(lang, &packages))
        section.card {
            h2 { (lang.t("orders-resources")) }
            @if resources.is_empty() { p { (lang.t("orders-resources-none")) } }
            @else {
                table.list {
                    thead { tr { th { (resource_col) } th { (product_col) } th { (status_col) } th { (expires_col) } th { "" } } }
                    tbody { @for (r, status) in &resources {
                        tr {
                            td data-label=(resource_col) { (r.id()) @if let Some(p) = &r.parent() { (lang.t_with("orders-part-of", &[("parent", p.to_string().into())])) } }
                            td data-label=(product_col) { (r.product().spec) ", " (r.product().region) }
                            td data-label=(status_col) { (resource_status(lang, *status)) }
                            td data-label=(expires_col) { (when(r.expire())) }
                            td.actions { @if r.parent().is_none() && !r.closed() { (resource_buttons(lang, "", r.id().as_str(), &token, rates.get(r.id()).copied())) } }
                        }
                    } }
                }
            }
        }
    };
    Ok(render_form(&viewer, &lang.t("orders-title"), body, failed))
}

async fn buy(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let who = principal(&ctx, &viewer.user).await.or_deny(&viewer)?;
    match place(&ctx, viewer.lang, &who, None, &form).await {
        Ok(message) => Ok(done(viewer.cookies, "/orders", message)),
        Err(e) => view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}

async fn partner_buy(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let (who, back) = partner_acting(&ctx, &viewer, &id).await?;
    match place(&ctx, viewer.lang, &who, Some(&id), &form).await {
        Ok(message) => Ok(done(viewer.cookies, &back, message)),
        Err(e) => Ok(refused(viewer.cookies, &back, &e)),
    }
}

/// What a month more costs for each open main resource listed (renewal rates are asked ten at a
/// time, as the operation takes them).
pub(super) async fn month_rates(
    ctx: &Context,
    who: &Principal,
    resources: &[(opc_domain::order::Resource, opc_domain::order::ResourceStatus)],
) -> Result<HashMap<opc_domain::ResourceId, Money>, ApiError> {
    let open: Vec<String> = resources
        .iter()
        .filter(|(r, _)| r.parent().is_none() && !r.closed())
        .map(|(r, _)| r.id().to_string())
        .collect();
    let mut rates = HashMap::new();
    for ids in open.chunks(10) {
        let (found, _, _) = orders::renewal_rates(ctx, who, ids, (PeriodType::Month, 1), true).await?;
        rates.extend(found);
    }
    Ok(rates)
}

/// Places the order the buy form asks for (for `customer`, when a partner acts for it); the
/// message that says so, in `lang`.
async fn place(
    ctx: &Context,
    lang: Lang,
    who: &Principal,
    customer: Option<&str>,
    form: &Posted,
) -> Result<String, ApiError> {
    let mut parts = form.get("offering").split('|');
    let (Some(spec), Some(region), Some(period)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ApiError::invalid("offering", "choose a product"));
    };
    let periods = parts.next();
    let count = |name: &str, max: i64| {
        form.get(name)
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| ApiError::invalid(name, format_args!("must be a whole number from 1 to {max}")))
    };
    let period_num = match periods {
        Some(n) => n
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=99).contains(n))
            .ok_or_else(|| ApiError::invalid("offering", "choose a product and term from the list"))?,
        None => count("period_num", 99)?,
    };
    let quantity = count("quantity", 100)?;
    let (_, catalog) = catalog::current(ctx).await?;
    let spec_entry = catalog
        .specs
        .iter()
        .find(|s| s.code == spec)
        .ok_or_else(|| ApiError::invalid("offering", "is not in the catalog"))?;
    let resource_type = spec_entry.resource_type.clone();
    let service_type = catalog.resource_type(&resource_type).map(|t| t.service_type.clone()).unwrap_or_default();
    let item = Item {
        product: Product { service_type, resource_type, spec: spec.to_owned(), region: region.to_owned(), size: None },
        period: period.parse::<i64>().ok().and_then(bss::parse_period_type),
        period_num: period_num as i32,
        quantity: quantity as u32,
        children: vec![],
    };
    let order = orders::place(ctx, who, customer, &[item]).await?;
    let amount = order.official().map(money).unwrap_or_default();
    Ok(lang.t_with("orders-placed", &[("order", order.id().to_string().into()), ("amount", amount.into())]))
}

async fn authorize(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let account = customer(&viewer)?;
    let granted = form.get("authorized") == "yes";
    match orders::authorize(&ctx, account, granted).await {
        Ok(_) if granted => Ok(done(viewer.cookies, "/orders", viewer.lang.t("orders-letter-granted"))),
        Ok(_) => Ok(done(viewer.cookies, "/orders", viewer.lang.t("orders-letter-withdrawn"))),
        Err(e) => Ok(refused(viewer.cookies, "/orders", &e.into())),
    }
}

async fn order_action(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((order, action)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let who = principal(&ctx, &viewer.user).await.or_deny(&viewer)?;
    act_on_order(
        &ctx,
        &viewer,
        &who,
        "/orders",
        (&order, &action),
        (form.opt("discount"), form.opt("coupon"), form.opt("card")),
        form.get("confirm") == "yes",
    )
    .await
}

async fn partner_order_action(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((id, order, action)): PagePath<(String, String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let (who, back) = partner_acting(&ctx, &viewer, &id).await?;
    let confirmed = form.get("confirm") == "yes";
    act_on_order(&ctx, &viewer, &who, &back, (&order, &action), (None, form.opt("coupon"), None), confirmed).await
}

/// Pays or cancels a pending order, then returns to `back`.
async fn act_on_order(
    ctx: &Context,
    viewer: &Viewer,
    who: &Principal,
    back: &str,
    (order, action): (&str, &str),
    (discount, coupon, card): (Option<&str>, Option<&str>, Option<&str>),
    confirmed: bool,
) -> Result<Response, Response> {
    if action == "pay" && !confirmed {
        return Ok(refused(viewer.cookies, back, &unconfirmed("payment")));
    }
    // The discount chosen, `id|type` (3 a partner discount, 609 a price adjustment).
    let discount = discount.filter(|d| !d.is_empty()).map(|d| {
        let (id, kind) = d.rsplit_once('|').unwrap_or((d, "3"));
        orders::DiscountChoice { id: id.to_owned(), special: kind == "609" }
    });
    let coupon = coupon.filter(|c| !c.is_empty()).map(str::to_owned);
    let card = card.filter(|c| !c.is_empty()).map(str::to_owned);
    let with = orders::PayWith { discount, coupon, card, automatic: false };
    let lang = viewer.lang;
    let result = match (action, orders::order_id(order)) {
        ("pay", Ok(id)) => {
            orders::pay(ctx, who, &id, &with).await.map(|_| lang.t_with("orders-paid", &[("order", order.into())]))
        }
        ("cancel", Ok(id)) => {
            orders::cancel(ctx, who, &id).await.map(|_| lang.t_with("orders-cancelled", &[("order", order.into())]))
        }
        ("pay" | "cancel", Err(e)) => Err(e),
        _ => return Err(denied(viewer, ApiError::new(ErrorCode::NotFound, "No such action."))),
    };
    match result {
        Ok(message) => Ok(done(viewer.cookies, back, message)),
        Err(e) => Ok(refused(viewer.cookies, back, &e.into())),
    }
}

async fn resource_action(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((resource, action)): PagePath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let who = principal(&ctx, &viewer.user).await.or_deny(&viewer)?;
    act_on_resource(&ctx, &viewer, &who, "/orders", (&resource, &action), form.get("confirm") == "yes").await
}

async fn partner_resource_action(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath((id, resource, action)): PagePath<(String, String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let (who, back) = partner_acting(&ctx, &viewer, &id).await?;
    act_on_resource(&ctx, &viewer, &who, &back, (&resource, &action), form.get("confirm") == "yes").await
}

/// The refusal of a money-moving form sent without its confirmation ticked (issue 17).
fn unconfirmed(what: &str) -> ApiError {
    ApiError::invalid(
        "confirm",
        format_args!("tick the box that confirms the amount of the {what}, then send it again"),
    )
}

/// Renews a resource for a month (paid at once) or unsubscribes it, then returns to `back`.
async fn act_on_resource(
    ctx: &Context,
    viewer: &Viewer,
    who: &Principal,
    back: &str,
    (resource, action): (&str, &str),
    confirmed: bool,
) -> Result<Response, Response> {
    if action == "renew" && !confirmed {
        return Ok(refused(viewer.cookies, back, &unconfirmed("renewal")));
    }
    let ids = [resource.to_owned()];
    let result = match action {
        "renew" => {
            orders::renew(ctx, who, &ids, (PeriodType::Month, 1), true).await.map(|(o, f)| (o, f, "orders-renewed"))
        }
        "unsubscribe" => orders::unsubscribe(ctx, who, &ids, Unsubscribe::ResourceAndRenewals)
            .await
            .map(|(o, f)| (o, f, "orders-unsubscribed")),
        _ => return Err(denied(viewer, ApiError::new(ErrorCode::NotFound, "No such action."))),
    };
    match result {
        Ok((_, failures, _)) if !failures.is_empty() => {
            let error = failures
                .into_iter()
                .next()
                .map(|f| ApiError::from(f.error))
                .unwrap_or_else(|| ApiError::new(ErrorCode::InvalidState, "Refused."));
            Ok(refused(viewer.cookies, back, &error))
        }
        Ok((_, _, what)) => Ok(done(viewer.cookies, back, viewer.lang.t_with(what, &[("resource", resource.into())]))),
        Err(e) => Ok(refused(viewer.cookies, back, &e.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_as_before_in_english_and_in_chinese_words() {
        let term = |lang: Lang, id: &str, n: i64| lang.t_with(id, &[("count", n.into())]);
        assert_eq!(term(Lang::English, "orders-term-months", 1), "1 month");
        assert_eq!(term(Lang::English, "orders-term-months", 12), "12 months");
        assert_eq!(term(Lang::English, "orders-term-years", 1), "1 year");
        assert_eq!(term(Lang::English, "orders-term-years", 3), "3 years");
        assert_eq!(term(Lang::Chinese, "orders-term-months", 1), "1个月");
        assert_eq!(term(Lang::Chinese, "orders-term-years", 3), "3年");
        // The words around an amount in bold keep their spaces (Fluent's `{" "}`).
        assert_eq!(Lang::English.t("orders-pay-confirm-before"), "I confirm paying ");
        assert_eq!(Lang::English.t("orders-renew-confirm-after"), " now for a month more");
    }
}
