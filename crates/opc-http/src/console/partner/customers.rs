//! The partner's customers: the list, one customer's page (budget, freeze and unfreeze, orders and
//! resources under the authorization letter, account manager) and the forms posted from it.

use axum::extract::State;

use crate::console::extract::{PagePath, PageQuery};
use axum::response::Response;
use maud::html;
use opc_core::ops::auth::Caller;
use opc_core::ops::orders::{self, ResourceFilter};
use opc_core::ops::{customers, organization};
use opc_core::store::{CustomerQuery, CustomerView, OrderFilter};
use opc_core::Context;
use opc_domain::account::{FreezeCause, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::budget::{BudgetAmount, BudgetChange, BudgetType};
use opc_domain::organization::{Member, Permission, Position};

use super::{acting, caller, model_name, strs, texts};
use crate::audience::acting_partner;
use crate::console::i18n::Lang;
use crate::console::page::{
    self, checkbox, csrf, field, form_error, gauge, money, select, when, Cell, Count, Input, Table,
};
use crate::console::spend::{budget_chart, spend_charts};
use crate::console::{denied, done, render, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::error::ApiError;

/// A customer's state in words, and whether it is active.
fn freeze_text(lang: Lang, view: &CustomerView, partner_frozen: bool) -> (String, bool) {
    match view.account.freeze() {
        Some(f) => {
            let cause = lang.t(match f.cause {
                FreezeCause::ResellerAssociation => "partner-customer-frozen-until-budget",
                FreezeCause::Partner => "partner-customer-frozen-by-you",
                FreezeCause::PartnerFrozen => "partner-customer-frozen-with-you",
                FreezeCause::BudgetExhausted => "partner-customer-frozen-budget-used-up",
            });
            let scope = lang.t(match f.scope {
                FreezeScope::Account => "partner-customer-scope-account",
                FreezeScope::AccountAndResource => "partner-customer-scope-account-and-resources",
            });
            (lang.t_with("partner-customer-frozen", &[("scope", scope.into()), ("cause", cause.into())]), false)
        }
        None if partner_frozen => (lang.t("partner-customer-frozen-with-your-account"), false),
        None => (lang.t("partner-customer-active"), true),
    }
}

pub(super) async fn customers_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let paging = q.paging();
    let model = match q.model.as_deref() {
        Some("referral") => Some(AssociationModel::Referral),
        Some("reseller") => Some(AssociationModel::Reseller),
        _ => None,
    };
    let (offset, limit) = if q.csv() { (0, page::Paging::CSV_MAX) } else { (paging.offset(), paging.per_page) };
    // Issue 17: one box finds a customer by account name, email or account id.
    let mut query = CustomerQuery { model, offset, limit, ..Default::default() };
    match q.text() {
        Some(text) if text.contains('@') => {
            let account = match opc_domain::customer::Email::parse(text) {
                Ok(email) => ctx.store.account_by_email(&email).await.or_deny(&viewer)?,
                Err(_) => None,
            };
            // An email no account has finds no one.
            query.customer_id =
                Some(account.map_or_else(|| opc_domain::AccountId::from_random([0; 16]), |a| a.id().clone()));
        }
        Some(text) if text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) => {
            query.customer_id = opc_domain::AccountId::parse(&text.to_ascii_lowercase()).ok();
        }
        text => query.account_name = text.map(str::to_owned),
    }
    let found = customers::list_customers(&ctx, &caller, None, &query).await.or_deny(&viewer)?;
    let lang = viewer.lang;
    // Exports stay in English (their columns and words are read by machines).
    let tl = if q.csv() { Lang::English } else { lang };
    let reseller_ids: Vec<String> = found
        .customers
        .iter()
        .filter(|c| c.association.model() == AssociationModel::Reseller)
        .map(|c| c.account.id().as_str().to_owned())
        .collect();
    let budgets = if reseller_ids.is_empty() {
        vec![]
    } else {
        customers::list_budgets(&ctx, &caller, None, &reseller_ids).await.or_deny(&viewer)?
    };
    let rows = found
        .customers
        .iter()
        .map(|c| {
            let budget = budgets.iter().find(|(b, _)| *b.customer() == *c.account.id());
            let spend = match budget {
                Some((b, used)) => Cell::rich(
                    format!("{} / {}", money(*used), money(b.amount())),
                    gauge(
                        lang,
                        &lang.t(if b.budget_type() == BudgetType::Monthly {
                            "partner-customers-gauge-month"
                        } else {
                            "partner-customers-gauge-package"
                        }),
                        *used,
                        b.amount(),
                    ),
                ),
                None if c.association.model() == AssociationModel::Reseller => {
                    Cell::from(tl.t("partner-customers-no-budget"))
                }
                None => Cell::from("—"),
            };
            let (state, active) = freeze_text(tl, c, found.partner_frozen);
            let badge = if active {
                html! { span.badge.ok { (state) } }
            } else {
                html! { span.badge.frozen { (state) } }
            };
            let cells = vec![
                Cell::link(c.account.name().as_str(), &format!("/partner/customers/{}", c.account.id().as_str())),
                Cell::from(model_name(tl, c.association.model())),
                Cell::rich(state.clone(), badge),
                spend,
                Cell::from(when(c.association.associated_at())),
            ];
            (cells, None)
        })
        .collect();
    let title = tl.t("partner-customers-title");
    let columns = texts(
        tl,
        &[
            "partner-customers-col-customer",
            "partner-customers-col-model",
            "partner-customers-col-state",
            "partner-customers-col-budget-use",
            "partner-customers-col-associated",
        ],
    );
    let table = Table { caption: &title, columns: &strs(&columns), rows, total: Count::Exact(found.count) };
    if q.csv() {
        return Ok(table.csv("customers"));
    }
    let models = [
        ("", lang.t("partner-customers-all")),
        ("reseller", model_name(lang, AssociationModel::Reseller)),
        ("referral", model_name(lang, AssociationModel::Referral)),
    ];
    let models: Vec<(&str, &str)> = models.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let body = html! {
        h1 { (title) }
        form.filters method="get" action="/partner/customers" role="search" {
            div.field { label for="q" { (lang.t("partner-customers-search-label")) } input #q type="search" name="q" value=(q.q.as_deref().unwrap_or("")); }
            (select(None, &lang.t("partner-customers-col-model"), "model", &models, q.model.as_deref().unwrap_or("")))
            button type="submit" { (lang.t("partner-customers-search")) }
        }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &title, body))
}

/// What a partner sees of a reseller customer's orders and resources, and may do for it.
struct Commerce {
    orders: Vec<(opc_domain::order::Order, Vec<opc_domain::coupon::Coupon>, Option<orders::OrderTrace>)>,
    orders_total: u64,
    resources: Vec<(opc_domain::order::Resource, opc_domain::order::ResourceStatus)>,
    letter: Option<opc_domain::Timestamp>,
    offers: Vec<(String, String)>,
    /// Why nothing can be bought, renewed or paid now (R-RCM-02, R-QUOTA-06, …).
    blocked: Option<String>,
    /// A month's renewal of each open main resource.
    rates: std::collections::HashMap<opc_domain::ResourceId, opc_domain::Money>,
}

/// One customer the viewer may see, or the page that says it is not theirs.
async fn visible_customer(
    ctx: &Context,
    viewer: &Viewer,
    caller: &Caller,
    id: &str,
) -> Result<(CustomerView, bool), Response> {
    // R-ORG-19: a customer outside the viewer's scope is reported like one that does not exist.
    let not_yours = || {
        let message = viewer.lang.t_with("partner-customer-not-yours", &[("id", id.into())]);
        denied(viewer, ApiError::new(crate::error::ErrorCode::NotFound, message))
    };
    let id = opc_domain::AccountId::parse(id).map_err(|_| not_yours())?;
    let query = CustomerQuery { customer_id: Some(id), limit: 1, ..Default::default() };
    let mut page = customers::list_customers(ctx, caller, None, &query).await.or_deny(viewer)?;
    let frozen = page.partner_frozen;
    page.customers.pop().map(|c| (c, frozen)).ok_or_else(not_yours)
}

pub(super) async fn customer_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
) -> Result<Response, Response> {
    customer_view(&ctx, viewer, &id, None, "").await
}

async fn customer_view(
    ctx: &Context,
    viewer: Viewer,
    id: &str,
    failed: Option<&Failed>,
    form: &str,
) -> Result<Response, Response> {
    let caller = caller(ctx, &viewer).await?;
    let (view, partner_frozen) = visible_customer(ctx, &viewer, &caller, id).await?;
    let reseller = view.association.model() == AssociationModel::Reseller;
    let budget =
        if reseller { Some(customers::show_budget(ctx, &caller, None, id).await.or_deny(&viewer)?) } else { None };
    let managers: Vec<Member> = match acting_partner(&viewer.user, None) {
        Ok((partner, _)) => organization::members(ctx, partner)
            .await
            .or_deny(&viewer)?
            .into_iter()
            .filter(|m| m.position() == Position::AccountManager)
            .collect(),
        Err(_) => vec![],
    };
    let manager_name = view.association.account_manager().map(|id| {
        managers
            .iter()
            .find(|m| m.id() == id)
            .map(|m| m.name().as_str().to_owned())
            .unwrap_or_else(|| id.as_str().to_owned())
    });
    let lang = viewer.lang;
    let (state, _) = freeze_text(lang, &view, partner_frozen);
    let spent = opc_core::ops::spend::customer_spend(ctx, &caller, id).await.or_deny(&viewer)?;
    let packages =
        opc_core::ops::packages::partner_customer_packages(ctx, &caller.partner, id).await.or_deny(&viewer)?;
    // R-RCM-01: a reseller customer's orders and resources, read with the partner's own scope.
    let commerce = if reseller {
        let principal = opc_core::ops::auth::Principal::Partner(std::sync::Arc::new(caller.clone()));
        let latest = OrderFilter { newest_first: true, limit: 10, ..OrderFilter::default() };
        let (orders_list, orders_total) =
            orders::list(ctx, &principal, (Some(id), None), &latest).await.or_deny(&viewer)?;
        // R-CPN-02: the cash coupons that may pay each pending order, chosen at payment; a paid
        // order's price trace.
        let completed = orders_list.iter().filter(|o| o.status() == opc_domain::order::OrderStatus::Completed);
        let traced = orders::traces(ctx, completed.cloned().collect()).await.or_deny(&viewer)?;
        let mut order_coupons = Vec::with_capacity(orders_list.len());
        for o in &orders_list {
            order_coupons.push(match o.status() {
                opc_domain::order::OrderStatus::PendingPayment => {
                    orders::coupon_offers(ctx, &principal, o.id()).await.or_deny(&viewer)?
                }
                _ => vec![],
            });
        }
        let owned = ResourceFilter { customer_id: Some(id.to_owned()), limit: 50, ..ResourceFilter::default() };
        let (resources, _) = orders::resources(ctx, &principal, &owned).await.or_deny(&viewer)?;
        let letter = ctx.store.authorization(view.account.id(), caller.partner.id()).await.or_deny(&viewer)?;
        // R-RCM-14: with the letter the partner buys and manages resources for the customer.
        // Issue 17: what the customer's state forbids is not offered; the reason is shown instead.
        let blocked = match letter {
            Some(_) => orders::why_blocked(ctx, &principal, Some(id)).await.or_deny(&viewer)?.map(|b| b.to_string()),
            None => None,
        };
        let acts = letter.is_some() && blocked.is_none();
        let offers = if acts { crate::console::orders::offerings(ctx, lang).await.or_deny(&viewer)? } else { vec![] };
        let rates = if acts {
            crate::console::orders::month_rates(ctx, &principal, &resources).await.or_deny(&viewer)?
        } else {
            Default::default()
        };
        let orders_list: Vec<_> = orders_list
            .into_iter()
            .zip(order_coupons)
            .map(|(o, coupons)| {
                let t = traced.iter().find(|t| t.order.id() == o.id()).cloned();
                (o, coupons, t)
            })
            .collect();
        Some(Commerce { orders: orders_list, orders_total, resources, letter, offers, blocked, rates })
    } else {
        None
    };
    let f = |name: &str| failed.filter(|_| form == name);
    let base = format!("/partner/customers/{id}");
    let token = viewer.csrf();
    let scopes = [
        ("account", lang.t("partner-customer-account-only")),
        ("account_and_resource", lang.t("partner-customer-account-and-resources")),
    ];
    let scopes: Vec<(&str, &str)> = scopes.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let budget_types = [
        ("monthly", lang.t("partner-customer-budget-monthly-option")),
        ("package", lang.t("partner-customer-budget-package-option")),
    ];
    let budget_types: Vec<(&str, &str)> = budget_types.iter().map(|(v, t)| (*v, t.as_str())).collect();
    let (account_manager, reason, status) = (
        lang.t("partner-customer-account-manager"),
        lang.t("partner-customer-reason"),
        lang.t("partner-customer-col-status"),
    );
    let (order_word, type_word, list_price, placed) = (
        lang.t("partner-customer-col-order"),
        lang.t("partner-customer-col-type"),
        lang.t("partner-customer-col-list-price"),
        lang.t("partner-customer-col-placed"),
    );
    let (resource_word, product_word, expires) = (
        lang.t("partner-customer-col-resource"),
        lang.t("partner-customer-col-product"),
        lang.t("partner-customer-col-expires"),
    );
    // The charts' ids on the page, not a message id.
    let spend_id = concat!("customer", "-spend");
    let body = html! {
        p { a href="/partner/customers" { (lang.t("partner-customer-back")) } }
        h1 { (view.account.name().as_str()) }
        section.card {
            dl {
                dt { (lang.t("partner-customers-col-model")) } dd { (model_name(lang, view.association.model())) }
                dt { (lang.t("partner-customers-col-state")) } dd #customer-state { (state) }
                dt { (lang.t("partner-customer-email")) } dd { (view.account.email().unwrap_or("—")) }
                dt { (lang.t("partner-customer-country")) } dd { (view.account.country().as_str()) }
                dt { (lang.t("partner-customers-col-associated")) } dd { (when(view.association.associated_at())) }
                dt { (account_manager) } dd { (manager_name.as_deref().unwrap_or("—")) }
            }
        }
        section.card #spend aria-labelledby="spend-title" {
            h2 #spend-title { (lang.t("partner-spend")) }
            (spend_charts(lang, spend_id, &lang.t("partner-customer-spend-whose"), &spent.spend))
        }
        @if let Some((b, used)) = &budget {
            section.card #budget {
                h2 { (lang.t("partner-customer-budget")) }
                @match b {
                    Some(b) => (gauge(lang, &lang.t(if b.budget_type() == BudgetType::Monthly { "partner-customer-budget-monthly" } else { "partner-customer-budget-package" }), *used, b.amount())),
                    None => p { (lang.t_with("partner-customer-no-budget", &[("spend", money(*used).into())])) },
                }
                @if let Some(u) = &spent.budget { (budget_chart(viewer.lang, "budget-days", u)) }
                form method="post" action=(format!("{base}/budget")) {
                    (csrf(&token))
                    (form_error(f("budget"), &["budget_amount", "budget_type"]))
                    (field(f("budget"), &lang.t("partner-customer-budget-amount"), "budget_amount", Input::Number, &b.as_ref().map(|b| b.amount().to_plain_string()).unwrap_or_default(), true))
                    (select(f("budget"), &lang.t("partner-customer-budget-type"), "budget_type", &budget_types,
                        if b.as_ref().is_some_and(|b| b.budget_type() == BudgetType::Package) { "package" } else { "monthly" }))
                    (checkbox(f("budget"), html! { (lang.t("partner-customer-auto-freeze")) }, "auto_freeze", b.as_ref().and_then(|b| b.auto_freeze()).unwrap_or(false)))
                    @if view.account.freeze().is_some() {
                        (checkbox(f("budget"), html! { (lang.t("partner-customer-also-unfreeze")) }, "unfreeze", true))
                    }
                    button type="submit" { (lang.t("partner-customer-set-budget")) }
                }
            }
            section.card {
                h2 { (lang.t("partner-customer-freeze-title")) }
                @if view.account.freeze().is_none() {
                    form method="post" action=(format!("{base}/freeze")) data-confirm=(lang.t("partner-customer-freeze-confirm")) {
                        (csrf(&token))
                        (form_error(f("freeze"), &["reason"]))
                        (select(f("freeze"), &lang.t("partner-customer-what-to-freeze"), "scope", &scopes, "account"))
                        (field(f("freeze"), &reason, "reason", Input::Text, "", true))
                        button.danger type="submit" { (lang.t("partner-customer-freeze")) }
                    }
                } @else {
                    form method="post" action=(format!("{base}/unfreeze")) data-confirm=(lang.t("partner-customer-unfreeze-confirm")) {
                        (csrf(&token))
                        (form_error(f("unfreeze"), &["reason"]))
                        (select(f("unfreeze"), &lang.t("partner-customer-what-to-unfreeze"), "scope", &scopes,
                            if view.account.freeze().is_some_and(|z| z.scope == FreezeScope::AccountAndResource) { "account_and_resource" } else { "account" }))
                        (field(f("unfreeze"), &reason, "reason", Input::Text, "", true))
                        button type="submit" { (lang.t("partner-customer-unfreeze")) }
                    }
                }
            }
        }
        @if let Some(Commerce { orders: orders_list, orders_total, resources, letter, offers, blocked, rates }) = &commerce {
            section.card #commerce {
                h2 { (lang.t("partner-customer-orders-title")) }
                p { @match letter {
                    Some(at) => { (lang.t_with("partner-customer-authorized", &[("at", when(*at).into())])) }
                    None => { (lang.t("partner-customer-not-authorized")) }
                } }
                @if let Some(block) = blocked {
                    p.flash.failed role="status" #blocked { (lang.t_with("partner-customer-blocked", &[("reason", block.as_str().into())])) }
                }
                @if !offers.is_empty() {
                    form method="post" action=(format!("{base}/orders")) {
                        h3 { (lang.t("partner-customer-buy-title")) }
                        (csrf(&token))
                        @let options: Vec<(&str, &str)> = offers.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
                        (select(None, &lang.t("partner-customer-product-and-term"), "offering", &options, options[0].0))
                        (field(None, &lang.t("partner-customer-quantity"), "quantity", Input::Number, "1", true))
                        button type="submit" { (lang.t("partner-customer-place-order")) }
                    }
                }
                @if orders_list.is_empty() { p { (lang.t("partner-customer-no-orders")) } } @else {
                    table.list {
                        caption { (lang.t_with("partner-customer-latest-orders", &[("count", (*orders_total).into())])) }
                        thead { tr { th { (order_word) } th { (type_word) } th { (status) } th { (list_price) } th { (placed) } th { "" } } }
                        tbody { @for (o, coupons, traced) in orders_list { tr {
                            td data-label=(order_word) { (o.id()) }
                            td data-label=(type_word) { (crate::console::orders::type_name(lang, o.order_type())) }
                            td data-label=(status) { (crate::console::orders::status_name_in(lang, o.status())) }
                            td.num data-label=(list_price) { (o.official().map(money).unwrap_or_default()) }
                            td data-label=(placed) { (when(o.created_at())) }
                            td.actions { @if letter.is_some() && o.status() == opc_domain::order::OrderStatus::PendingPayment {
                                (crate::console::orders::order_buttons(lang, &base, (o.id().as_str(), o.official().ok()), &token, (&[], coupons), &[], blocked.is_some()))
                            } @else if let Some(t) = traced { (crate::console::orders::order_trace(lang, t)) } }
                        } } }
                    }
                }
                @if !resources.is_empty() {
                    table.list {
                        caption { (lang.t("partner-customer-resources-caption")) }
                        thead { tr { th { (resource_word) } th { (product_word) } th { (status) } th { (expires) } th { "" } } }
                        tbody { @for (r, r_status) in resources { tr {
                            td data-label=(resource_word) { (r.id()) }
                            td data-label=(product_word) { (r.product().spec) ", " (r.product().region) }
                            td data-label=(status) { (crate::console::orders::resource_status(lang, *r_status)) }
                            td data-label=(expires) { (when(r.expire())) }
                            td.actions { @if letter.is_some() && r.parent().is_none() && !r.closed() {
                                (crate::console::orders::resource_buttons(lang, &base, r.id().as_str(), &token, rates.get(r.id()).copied()))
                            } }
                        } } }
                    }
                }
            }
        }
        (crate::console::packages::section(lang, &packages))
        @if !managers.is_empty() {
            section.card {
                h2 { (account_manager) }
                form method="post" action=(format!("{base}/account-manager")) {
                    (csrf(&token))
                    (form_error(f("manager"), &["manager"]))
                    @let options: Vec<(&str, &str)> = managers.iter().map(|m| (m.id().as_str(), m.name().as_str())).collect();
                    (select(f("manager"), &account_manager, "manager", &options,
                        view.association.account_manager().as_ref().map(|m| m.as_str()).unwrap_or("")))
                    button type="submit" { (lang.t("partner-customer-assign")) }
                }
            }
        }
    };
    Ok(render_form(&viewer, view.account.name().as_str(), body, failed))
}

fn scope_of(form: &Posted) -> Result<FreezeScope, ApiError> {
    match form.get("scope") {
        "account" => Ok(FreezeScope::Account),
        "account_and_resource" => Ok(FreezeScope::AccountAndResource),
        _ => Err(ApiError::invalid("scope", "choose the account, or the account and its resources")),
    }
}

pub(super) async fn set_budget(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let outcome = async {
        let amount =
            BudgetAmount::parse(form.get("budget_amount").trim()).map_err(|e| ApiError::invalid("budget_amount", e))?;
        let budget_type = match form.get("budget_type") {
            "package" => BudgetType::Package,
            _ => BudgetType::Monthly,
        };
        let change = BudgetChange { budget_type, amount, auto_freeze: Some(form.checked("auto_freeze")) };
        customers::set_budget(&ctx, &caller, None, &id, &change, form.checked("unfreeze")).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(()) => {
            Ok(done(viewer.cookies, &format!("/partner/customers/{id}"), viewer.lang.t("partner-customer-budget-set")))
        }
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e)), "budget").await,
    }
}

pub(super) async fn freeze(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    change_freeze(ctx, viewer, id, form, true).await
}

pub(super) async fn unfreeze(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    change_freeze(ctx, viewer, id, form, false).await
}

async fn change_freeze(
    ctx: Context,
    viewer: Viewer,
    id: String,
    form: Posted,
    freeze: bool,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let outcome = async {
        let scope = scope_of(&form)?;
        let ids = [id.clone()];
        let reason = form.get("reason");
        let failures = if freeze {
            customers::freeze_customers(&ctx, &caller, None, &ids, scope, reason).await
        } else {
            customers::unfreeze_customers(&ctx, &caller, None, &ids, scope, reason).await
        }
        .map_err(ApiError::from)?;
        match failures.into_iter().next() {
            Some((_, e)) => Err(ApiError::from(e)),
            None => Ok(()),
        }
    }
    .await;
    let (name, message) = if freeze {
        ("freeze", viewer.lang.t("partner-customer-frozen-done"))
    } else {
        ("unfreeze", viewer.lang.t("partner-customer-unfrozen-done"))
    };
    match outcome {
        Ok(()) => Ok(done(viewer.cookies, &format!("/partner/customers/{id}"), message)),
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e)), name).await,
    }
}

pub(super) async fn assign_manager(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(id): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::ManageCustomers))?;
    match organization::assign_account_manager(&ctx, partner, &id, form.get("manager")).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            &format!("/partner/customers/{id}"),
            viewer.lang.t("partner-customer-manager-assigned"),
        )),
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e.into())), "manager").await,
    }
}
