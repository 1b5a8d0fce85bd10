//! The partner's pages: overview, customers (budgets, freezes, account managers), customer
//! development (pre-registration and invitations), association records and organization.
//! Members see and do what their role's permission items allow (R-ORG-02) and, as account
//! managers or directors, only their customers (R-ORG-19): the use cases decide.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};
use opc_core::ops::auth::Caller;
use opc_core::ops::console::ConsoleUser;
use opc_core::ops::development::{self, InviteBy};
use opc_core::ops::orders::{self, ResourceFilter};
use opc_core::ops::{accounts, customers, organization, personnel};
use opc_core::store::{CustomerQuery, CustomerView, OrderFilter};
use opc_core::Context;
use opc_domain::account::{FreezeCause, FreezeScope};
use opc_domain::association::AssociationModel;
use opc_domain::budget::{BudgetAmount, BudgetChange, BudgetType};
use opc_domain::development::{InvitationChannel, RequestState};
use opc_domain::notification::Language;
use opc_domain::organization::{Member, Permission, Position};
use opc_domain::partner::{Partner, PartnerState};

use super::page::{self, checkbox, csrf, field, form_error, gauge, money, select, when, Cell, Count, Input, Table};
use super::{denied, done, refused, render, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::api::development::invitation_url;
use crate::api::programs::program_name;
use crate::api::tiers::tier_code;
use crate::api::{acting_partner, organization::position_code};
use crate::error::ApiError;
use crate::extract::ApiPath;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/partner", get(overview))
        .route("/partner/customers", get(customers_page))
        .route("/partner/customers/{id}", get(customer_page))
        .route("/partner/customers/{id}/budget", post(set_budget))
        .route("/partner/customers/{id}/freeze", post(freeze))
        .route("/partner/customers/{id}/unfreeze", post(unfreeze))
        .route("/partner/customers/{id}/account-manager", post(assign_manager))
        .route("/partner/development", get(development_page))
        .route("/partner/pre-registrations", post(pre_register))
        .route("/partner/invitations", post(invite))
        .route("/partner/association-records", get(records_page))
        .route("/partner/association-records/{customer}/{decision}", post(decide_record))
        .route("/partner/organization", get(organization_page))
        .route("/partner/roles", post(create_role))
        .route("/partner/members", post(create_member))
        .route("/partner/members/{member}", post(update_member))
        .route("/partner/access-keys", post(create_key))
        .route("/partner/access-keys/{key}/revoke", post(revoke_key))
        .route("/partner/personnel-invitations", post(invite_personnel))
}

/// The partner the viewer acts for, and the member acting, if `needs` allows (R-ORG-02).
fn acting(viewer: &Viewer, needs: Option<Permission>) -> Result<(&Partner, Option<&Member>), Response> {
    acting_partner(&viewer.user, needs).map_err(|e| denied(viewer, e))
}

/// The partner the viewer belongs to, and the member acting (none for the administrator),
/// whatever the member's permissions: for pages whose use cases check the permission items.
fn organization_of(viewer: &Viewer) -> Result<(&Partner, Option<&Member>), Response> {
    match &viewer.user {
        ConsoleUser::Account { partner: Some(partner), .. } => Ok((partner, None)),
        ConsoleUser::Member { member, partner, .. } => Ok((partner, Some(member))),
        ConsoleUser::Account { partner: None, .. } | ConsoleUser::Staff(_) => acting(viewer, None),
    }
}

/// The use cases' caller for the viewer: the partner, or the member with its role and
/// visibility.
async fn caller(ctx: &Context, viewer: &Viewer) -> Result<Caller, Response> {
    let (partner, member) = organization_of(viewer)?;
    Caller::acting(ctx, partner.clone(), member.cloned(), None).await.or_deny(viewer)
}

fn state_badge(state: PartnerState) -> Markup {
    match state {
        PartnerState::Normal => html! { span.badge.ok { "Normal" } },
        PartnerState::Restricted => html! { span.badge.warn { "Restricted" } },
        PartnerState::Frozen => html! { span.badge.frozen { "Frozen" } },
    }
}

async fn overview(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let (partner, member) = organization_of(&viewer)?;
    let caller = caller(&ctx, &viewer).await?;
    let quota = accounts::partner_quota(&ctx, &caller).await.or_deny(&viewer)?;
    let customers = match acting_partner(&viewer.user, Some(Permission::ViewCustomers)) {
        Ok(_) => Some(
            customers::list_customers(&ctx, &caller, None, &CustomerQuery { limit: 1, ..CustomerQuery::default() })
                .await
                .or_deny(&viewer)?,
        ),
        Err(_) => None,
    };
    let pending = match member {
        None => development::association_records(&ctx, partner)
            .await
            .or_deny(&viewer)?
            .iter()
            .filter(|(r, _)| r.state == RequestState::Pending)
            .count(),
        Some(_) => 0,
    };
    let body = html! {
        h1 { (partner.name.as_str()) }
        div.grid {
            section.card {
                h2 { "Account" }
                p { "State: " (state_badge(partner.state)) }
                p { "Country: " (partner.country.as_str()) }
                @if partner.state == PartnerState::Restricted {
                    p.flash.failed role="alert" { "Your consumption quota is exceeded: you and your reseller customers cannot purchase until the quota is raised (R-QUOTA-07)." }
                }
                @if partner.state == PartnerState::Frozen {
                    p.flash.failed role="alert" { "Your account is frozen: so are your customers, and no customer can be developed (R-QUOTA-10)." }
                }
            }
            section.card {
                h2 { "Programs and tiers" }
                @if partner.enrollments.is_empty() { p { "Not enrolled in a program yet. " a href="/programs" { "See the programs" } } }
                ul { @for e in &partner.enrollments {
                    li { (program_name(e.program)) " · " (tier_code(e.tier)) " since " (when(e.enrolled_at)) }
                } }
            }
            section.card {
                h2 { "Consumption quota" }
                @if quota.quota.e8() > 0 {
                    (gauge("Reseller customers' spend", quota.used, quota.quota))
                    @if page::percent(quota.used, quota.quota) >= 80 {
                        p.flash.failed role="alert" { "80 % of the quota is used (R-QUOTA-05)." }
                    }
                } @else {
                    p { "No quota is set; spend so far: " (money(quota.used)) "." }
                }
            }
            section.card {
                h2 { "Pending work" }
                ul {
                    @if let Some(c) = &customers { li { a href="/partner/customers" { (c.count) " customers" } } }
                    @if member.is_none() {
                        li { a href="/partner/association-records" { (pending) " disassociation requests to decide" } }
                    }
                    li { a href="/partner/development" { "Invite a customer" } }
                }
            }
        }
    };
    Ok(render(&viewer, "Overview", body))
}

fn model_name(m: AssociationModel) -> &'static str {
    match m {
        AssociationModel::Referral => "Referral",
        AssociationModel::Reseller => "Reseller",
    }
}

fn freeze_text(view: &CustomerView, partner_frozen: bool) -> String {
    match view.account.freeze {
        Some(f) => {
            let cause = match f.cause {
                FreezeCause::ResellerAssociation => "until a budget is set",
                FreezeCause::Partner => "by you",
                FreezeCause::PartnerFrozen => "with your account",
                FreezeCause::BudgetExhausted => "budget used up",
            };
            format!("Frozen ({}, {cause})", f.scope)
        }
        None if partner_frozen => "Frozen (with your account)".to_owned(),
        None => "Active".to_owned(),
    }
}

async fn customers_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Response> {
    let caller = caller(&ctx, &viewer).await?;
    let paging = q.paging();
    let model = match q.model.as_deref() {
        Some("referral") => Some(AssociationModel::Referral),
        Some("reseller") => Some(AssociationModel::Reseller),
        _ => None,
    };
    let (offset, limit) = if q.csv() { (0, page::Paging::CSV_MAX) } else { (paging.offset(), paging.per_page) };
    let query = CustomerQuery { account_name: q.text().map(str::to_owned), model, offset, limit, ..Default::default() };
    let found = customers::list_customers(&ctx, &caller, None, &query).await.or_deny(&viewer)?;
    let reseller_ids: Vec<String> = found
        .customers
        .iter()
        .filter(|c| c.association.model == AssociationModel::Reseller)
        .map(|c| c.account.id.as_str().to_owned())
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
            let budget = budgets.iter().find(|(b, _)| b.customer == c.account.id);
            let spend = match budget {
                Some((b, used)) => Cell::rich(
                    format!("{} / {}", money(*used), money(b.amount)),
                    gauge(if b.budget_type == BudgetType::Monthly { "This month" } else { "Package" }, *used, b.amount),
                ),
                None => Cell::from(if c.association.model == AssociationModel::Reseller { "No budget" } else { "—" }),
            };
            let state = freeze_text(c, found.partner_frozen);
            let badge = if state == "Active" {
                html! { span.badge.ok { (state) } }
            } else {
                html! { span.badge.frozen { (state) } }
            };
            let cells = vec![
                Cell::link(c.account.name.as_str(), &format!("/partner/customers/{}", c.account.id.as_str())),
                Cell::from(model_name(c.association.model)),
                Cell::rich(state.clone(), badge),
                spend,
                Cell::from(when(c.association.associated_at)),
            ];
            (cells, None)
        })
        .collect();
    let table = Table {
        caption: "Customers",
        columns: &["Customer", "Model", "State", "Budget use", "Associated"],
        rows,
        total: Count::Exact(found.count),
    };
    if q.csv() {
        return Ok(table.csv("customers"));
    }
    let body = html! {
        h1 { "Customers" }
        form.filters method="get" action="/partner/customers" role="search" {
            div.field { label for="q" { "Account name contains" } input #q type="search" name="q" value=(q.q.as_deref().unwrap_or("")); }
            (select(None, "Model", "model", &[("", "All"), ("reseller", "Reseller"), ("referral", "Referral")], q.model.as_deref().unwrap_or("")))
            button type="submit" { "Search" }
        }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "Customers", body))
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
        let message = format!("Customer {id} is not one of the customers you see.");
        denied(viewer, ApiError::new(crate::error::ErrorCode::NotFound, message))
    };
    let id = opc_domain::AccountId::parse(id).map_err(|_| not_yours())?;
    let query = CustomerQuery { customer_id: Some(id), limit: 1, ..Default::default() };
    let mut page = customers::list_customers(ctx, caller, None, &query).await.or_deny(viewer)?;
    let frozen = page.partner_frozen;
    page.customers.pop().map(|c| (c, frozen)).ok_or_else(not_yours)
}

async fn customer_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(id): ApiPath<String>,
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
    let reseller = view.association.model == AssociationModel::Reseller;
    let budget =
        if reseller { Some(customers::show_budget(ctx, &caller, None, id).await.or_deny(&viewer)?) } else { None };
    let managers: Vec<Member> = match acting_partner(&viewer.user, None) {
        Ok((partner, _)) => organization::members(ctx, partner)
            .await
            .or_deny(&viewer)?
            .into_iter()
            .filter(|m| m.position == Position::AccountManager)
            .collect(),
        Err(_) => vec![],
    };
    let manager_name = view.association.account_manager.as_ref().map(|id| {
        managers
            .iter()
            .find(|m| &m.id == id)
            .map(|m| m.name.as_str().to_owned())
            .unwrap_or_else(|| id.as_str().to_owned())
    });
    let state = freeze_text(&view, partner_frozen);
    // R-RCM-01: a reseller customer's orders and resources, read with the partner's own scope.
    let commerce = if reseller {
        let principal = opc_core::ops::auth::Principal::Partner(caller.clone());
        let latest = OrderFilter { newest_first: true, limit: 10, ..OrderFilter::default() };
        let (orders_list, orders_total) =
            orders::list(ctx, &principal, (Some(id), None), &latest).await.or_deny(&viewer)?;
        let owned = ResourceFilter { customer_id: Some(id.to_owned()), limit: 50, ..ResourceFilter::default() };
        let (resources, _) = orders::resources(ctx, &principal, &owned).await.or_deny(&viewer)?;
        let letter = ctx.store.authorization(&view.account.id, &caller.partner.id).await.or_deny(&viewer)?;
        // R-RCM-14: with the letter the partner buys and manages resources for the customer.
        let offers = if letter.is_some() { super::orders::offerings(ctx).await.or_deny(&viewer)? } else { vec![] };
        Some((orders_list, orders_total, resources, letter, offers))
    } else {
        None
    };
    let f = |name: &str| failed.filter(|_| form == name);
    let base = format!("/partner/customers/{id}");
    let token = viewer.csrf();
    let scopes = [("account", "Account only"), ("account_and_resource", "Account and resources")];
    let body = html! {
        p { a href="/partner/customers" { "← Customers" } }
        h1 { (view.account.name.as_str()) }
        section.card {
            dl {
                dt { "Model" } dd { (model_name(view.association.model)) }
                dt { "State" } dd #customer-state { (state) }
                dt { "Email" } dd { (view.account.email.as_deref().unwrap_or("—")) }
                dt { "Country" } dd { (view.account.country.as_str()) }
                dt { "Associated" } dd { (when(view.association.associated_at)) }
                dt { "Account manager" } dd { (manager_name.as_deref().unwrap_or("—")) }
            }
        }
        @if let Some((b, used)) = &budget {
            section.card {
                h2 { "Budget" }
                @match b {
                    Some(b) => (gauge(if b.budget_type == BudgetType::Monthly { "Monthly budget" } else { "Package budget" }, *used, b.amount)),
                    None => p { "No budget is set. Spend this month: " (money(*used)) "." },
                }
                form method="post" action=(format!("{base}/budget")) {
                    (csrf(&token))
                    (form_error(f("budget"), &["budget_amount", "budget_type"]))
                    (field(f("budget"), "Amount", "budget_amount", Input::Number, &b.as_ref().map(|b| b.amount.to_plain_string()).unwrap_or_default(), true))
                    (select(f("budget"), "Type", "budget_type", &[("monthly", "Monthly (restores on the 1st)"), ("package", "Package (one-time)")],
                        if b.as_ref().is_some_and(|b| b.budget_type == BudgetType::Package) { "package" } else { "monthly" }))
                    (checkbox(f("budget"), html! { "Freeze the customer automatically when the budget is used up" }, "auto_freeze", b.as_ref().and_then(|b| b.auto_freeze).unwrap_or(false)))
                    @if view.account.freeze.is_some() {
                        (checkbox(f("budget"), html! { "Also unfreeze the customer" }, "unfreeze", true))
                    }
                    button type="submit" { "Set budget" }
                }
            }
            section.card {
                h2 { "Freeze or unfreeze" }
                @if view.account.freeze.is_none() {
                    form method="post" action=(format!("{base}/freeze")) data-confirm="Freeze this customer? It cannot buy anything until unfrozen." {
                        (csrf(&token))
                        (form_error(f("freeze"), &["reason"]))
                        (select(f("freeze"), "What to freeze", "scope", &scopes, "account"))
                        (field(f("freeze"), "Reason", "reason", Input::Text, "", true))
                        button.danger type="submit" { "Freeze" }
                    }
                } @else {
                    form method="post" action=(format!("{base}/unfreeze")) data-confirm="Unfreeze this customer?" {
                        (csrf(&token))
                        (form_error(f("unfreeze"), &["reason"]))
                        (select(f("unfreeze"), "What to unfreeze", "scope", &scopes,
                            if view.account.freeze.is_some_and(|z| z.scope == FreezeScope::AccountAndResource) { "account_and_resource" } else { "account" }))
                        (field(f("unfreeze"), "Reason", "reason", Input::Text, "", true))
                        button type="submit" { "Unfreeze" }
                    }
                }
            }
        }
        @if let Some((orders_list, orders_total, resources, letter, offers)) = &commerce {
            section.card #commerce {
                h2 { "Orders and resources" }
                p { @match letter {
                    Some(at) => { "The customer authorized you to order and manage resources on its behalf on " (when(*at)) "." }
                    None => { "The customer has not accepted the customer authorization letter: you can read its orders and resources, not act on them (R-RCM-14)." }
                } }
                @if !offers.is_empty() {
                    form method="post" action=(format!("{base}/orders")) {
                        h3 { "Buy for the customer" }
                        (csrf(&token))
                        @let options: Vec<(&str, &str)> = offers.iter().map(|(v, t)| (v.as_str(), t.as_str())).collect();
                        (select(None, "Product", "offering", &options, options[0].0))
                        (field(None, "Periods", "period_num", Input::Number, "1", true))
                        (field(None, "Quantity", "quantity", Input::Number, "1", true))
                        button type="submit" { "Place the order" }
                    }
                }
                @if orders_list.is_empty() { p { "No orders yet." } } @else {
                    table.list {
                        caption { "Latest orders (" (orders_total) " in all)" }
                        thead { tr { th { "Order" } th { "Type" } th { "Status" } th { "List price" } th { "Placed" } th { "" } } }
                        tbody { @for o in orders_list { tr {
                            td data-label="Order" { (o.id) }
                            td data-label="Type" { (super::orders::type_name(o.order_type)) }
                            td data-label="Status" { (super::orders::status_name(o.status)) }
                            td data-label="List price" { "USD " (o.official().map(money).unwrap_or_default()) }
                            td data-label="Placed" { (when(o.created_at)) }
                            td.actions { @if letter.is_some() && o.status == opc_domain::order::OrderStatus::PendingPayment {
                                (super::orders::order_buttons(&base, &o.id, &token))
                            } }
                        } } }
                    }
                }
                @if !resources.is_empty() {
                    table.list {
                        caption { "Yearly/monthly resources" }
                        thead { tr { th { "Resource" } th { "Product" } th { "Status" } th { "Expires" } th { "" } } }
                        tbody { @for (r, status) in resources { tr {
                            td data-label="Resource" { (r.id) }
                            td data-label="Product" { (r.product.spec) ", " (r.product.region) }
                            td data-label="Status" { (super::orders::resource_status(*status)) }
                            td data-label="Expires" { (when(r.expire)) }
                            td.actions { @if letter.is_some() && r.parent.is_none() && !r.closed {
                                (super::orders::resource_buttons(&base, &r.id, &token))
                            } }
                        } } }
                    }
                }
            }
        }
        @if !managers.is_empty() {
            section.card {
                h2 { "Account manager" }
                form method="post" action=(format!("{base}/account-manager")) {
                    (csrf(&token))
                    (form_error(f("manager"), &["manager"]))
                    @let options: Vec<(&str, &str)> = managers.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect();
                    (select(f("manager"), "Account manager", "manager", &options,
                        view.association.account_manager.as_ref().map(|m| m.as_str()).unwrap_or("")))
                    button type="submit" { "Assign" }
                }
            }
        }
    };
    Ok(render_form(&viewer, view.account.name.as_str(), body, failed))
}

fn scope_of(form: &Posted) -> Result<FreezeScope, ApiError> {
    match form.get("scope") {
        "account" => Ok(FreezeScope::Account),
        "account_and_resource" => Ok(FreezeScope::AccountAndResource),
        _ => Err(ApiError::invalid("scope", "choose the account, or the account and its resources")),
    }
}

async fn set_budget(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(id): ApiPath<String>,
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
        Ok(()) => Ok(done(&format!("/partner/customers/{id}"), "The budget is set.")),
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e)), "budget").await,
    }
}

async fn freeze(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(id): ApiPath<String>,
    form: Posted,
) -> Result<Response, Response> {
    change_freeze(ctx, viewer, id, form, true).await
}

async fn unfreeze(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(id): ApiPath<String>,
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
    let (name, message) =
        if freeze { ("freeze", "The customer is frozen.") } else { ("unfreeze", "The customer is unfrozen.") };
    match outcome {
        Ok(()) => Ok(done(&format!("/partner/customers/{id}"), message)),
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e)), name).await,
    }
}

async fn assign_manager(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(id): ApiPath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::ManageCustomers))?;
    match organization::assign_account_manager(&ctx, partner, &id, form.get("manager")).await {
        Ok(_) => Ok(done(&format!("/partner/customers/{id}"), "The account manager is assigned.")),
        Err(e) => customer_view(&ctx, viewer, &id, Some(&form.failed(&e.into())), "manager").await,
    }
}

async fn development_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, Response> {
    development_view(&ctx, viewer, &headers, &q, None, "").await
}

async fn development_view(
    ctx: &Context,
    viewer: Viewer,
    headers: &HeaderMap,
    q: &ListQuery,
    failed: Option<&Failed>,
    form: &str,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    let paging = q.paging();
    let mut invitations = development::invitations(ctx, partner).await.or_deny(&viewer)?;
    invitations.sort_by_key(|i| std::cmp::Reverse(i.created_at));
    let total = invitations.len() as u64;
    let shown = if q.csv() { invitations } else { paging.slice(invitations) };
    let rows = shown
        .iter()
        .map(|i| {
            let url = invitation_url(headers, i.token.as_str());
            let (channel, expires) = match &i.channel {
                InvitationChannel::Email { to, expires_at } => (format!("Email to {}", to.as_str()), when(*expires_at)),
                InvitationChannel::Link => ("Link".to_owned(), "Never".to_owned()),
                InvitationChannel::QrCode => ("QR code".to_owned(), "Never".to_owned()),
            };
            let qr = format!("/api/v1/invitations/{}/qr.png", i.token.as_str());
            let cells = vec![
                Cell::from(channel),
                Cell::from(model_name(i.model)),
                Cell::rich(url.clone(), html! { code.link { (url) } }),
                Cell::from(when(i.created_at)),
                Cell::from(expires),
            ];
            let actions = html! { a href=(qr) download=(format!("invitation-{}.png", i.token.as_str())) { "QR code" } };
            (cells, Some(actions))
        })
        .collect();
    let table = Table {
        caption: "Invitations",
        columns: &["Channel", "Model", "Link", "Created", "Expires"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("invitations"));
    }
    let pres = development::pre_registrations(ctx, partner).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let f = |name: &str| failed.filter(|_| form == name);
    let models = [("reseller", "Reseller"), ("referral", "Referral")];
    let body = html! {
        h1 { "Customer development" }
        div.grid {
            form.card method="post" action="/partner/invitations" {
                h2 { "Invite a customer" }
                (csrf(&token))
                (form_error(f("invite"), &["email", "channel", "model"]))
                (select(f("invite"), "Channel", "channel", &[("email", "Email (expires)"), ("link", "Link"), ("qr_code", "QR code")], "email"))
                (field(f("invite"), "Customer's email (for an email invitation)", "email", Input::Email, "", false))
                (select(f("invite"), "Association model", "model", &models, "reseller"))
                (select(f("invite"), "Email language", "lang", &[("en-us", "English"), ("zh-cn", "中文")], "en-us"))
                button type="submit" { "Create invitation" }
            }
            form.card method="post" action="/partner/pre-registrations" {
                h2 { "Pre-register a customer" }
                p { "Fifteen days of exclusivity for a customer's email (R-DEV-05); required before associating a customer in another country." }
                (csrf(&token))
                (form_error(f("pre"), &["email"]))
                (field(f("pre"), "Customer's email", "email", Input::Email, "", true))
                button type="submit" { "Pre-register" }
            }
        }
        (table.render(&viewer.here, paging))
        h2 { "Pre-registrations" }
        ul { @for p in &pres { li { (p.email.as_str()) " · " (pre_state(p, ctx.clock.now())) " · until " (when(p.expires_at)) } } }
    };
    Ok(render_form(&viewer, "Customer development", body, failed))
}

fn pre_state(p: &opc_domain::development::PreRegistration, now: opc_domain::Timestamp) -> String {
    use opc_domain::development::PreRegistrationState;
    match p.state_at(now) {
        PreRegistrationState::Active => "active".to_owned(),
        PreRegistrationState::Associated { at } => format!("associated {}", when(at)),
        PreRegistrationState::Expired => "expired".to_owned(),
    }
}

async fn invite(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    let outcome = async {
        let by = match form.get("channel") {
            "email" => InviteBy::Email(form.get("email")),
            "link" => InviteBy::Link,
            "qr_code" => InviteBy::QrCode,
            _ => return Err(ApiError::invalid("channel", "choose email, link or QR code")),
        };
        let model = match form.get("model") {
            "referral" => AssociationModel::Referral,
            "reseller" => AssociationModel::Reseller,
            _ => return Err(ApiError::invalid("model", "choose reseller or referral")),
        };
        let lang = Language::parse(form.get("lang")).unwrap_or_default();
        development::invite(&ctx, partner, by, model, lang).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(i) => {
            let url = invitation_url(&headers, i.token.as_str());
            let message = match i.channel {
                InvitationChannel::Email { .. } => "The invitation is emailed.".to_owned(),
                _ => format!("The invitation link is ready: {url}"),
            };
            Ok(done("/partner/development", message))
        }
        Err(e) => {
            development_view(&ctx, viewer, &headers, &ListQuery::default(), Some(&form.failed(&e)), "invite").await
        }
    }
}

async fn pre_register(
    State(ctx): State<Context>,
    viewer: Viewer,
    headers: HeaderMap,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, Some(Permission::DevelopCustomers))?;
    match development::pre_register(&ctx, partner, form.get("email")).await {
        Ok(_) => Ok(done("/partner/development", "The customer is pre-registered for 15 days.")),
        Err(e) => {
            development_view(&ctx, viewer, &headers, &ListQuery::default(), Some(&form.failed(&e.into())), "pre").await
        }
    }
}

async fn records_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let paging = q.paging();
    let records = development::association_records(&ctx, partner).await.or_deny(&viewer)?;
    let total = records.len() as u64;
    let shown = if q.csv() { records } else { paging.slice(records) };
    let token = viewer.csrf();
    let rows = shown
        .iter()
        .map(|(r, account)| {
            let customer = account.as_ref().map(|a| a.name.as_str().to_owned()).unwrap_or_else(|| r.customer.as_str().to_owned());
            let (status, decided) = match &r.state {
                RequestState::Pending => ("Pending", String::new()),
                RequestState::Approved { at } => ("Approved", when(*at)),
                RequestState::Rejected { at, .. } => ("Rejected", when(*at)),
            };
            let by = match r.initiated_by {
                opc_domain::development::Initiator::Customer => "Customer",
                opc_domain::development::Initiator::Partner => "Partner",
            };
            let cells = vec![
                Cell::from(customer.clone()),
                Cell::from(by),
                Cell::from(r.reason.as_str()),
                Cell::from(status),
                Cell::from(when(r.requested_at)),
                Cell::from(decided),
            ];
            let pending_from_customer =
                r.state == RequestState::Pending && r.initiated_by == opc_domain::development::Initiator::Customer;
            let actions = pending_from_customer.then(|| {
                let base = format!("/partner/association-records/{}", r.customer.as_str());
                html! {
                    form method="post" action=(format!("{base}/approve")) data-confirm=(format!("Approve {customer}'s disassociation? The association ends now.")) {
                        (csrf(&token)) button type="submit" { "Approve" }
                    }
                    " "
                    form method="post" action=(format!("{base}/reject")) data-confirm=(format!("Reject {customer}'s disassociation request?")) {
                        (csrf(&token)) button.secondary type="submit" { "Reject" }
                    }
                }
            });
            (cells, actions)
        })
        .collect();
    let table = Table {
        caption: "Disassociation requests",
        columns: &["Customer", "Requested by", "Reason", "Status", "Requested", "Decided"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("association-records"));
    }
    let body = html! { h1 { "Association records" } (table.render(&viewer.here, paging)) };
    Ok(render(&viewer, "Association records", body))
}

async fn decide_record(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath((customer, decision)): ApiPath<(String, String)>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let approve = super::approves(&viewer, &decision)?;
    let to = "/partner/association-records";
    match development::decide_by_partner(&ctx, partner, &customer, approve, form.opt("verification_code")).await {
        Ok(_) if approve => Ok(done(to, "Approved: the customer is disassociated.")),
        Ok(_) => Ok(done(to, "Rejected: the customer stays associated.")),
        Err(e) => Ok(refused(to, &e.into())),
    }
}

async fn organization_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, Response> {
    organization_view(&ctx, viewer, &q, None, "", None).await
}

/// `secret`: a key just created, shown this once.
async fn organization_view(
    ctx: &Context,
    viewer: Viewer,
    q: &ListQuery,
    failed: Option<&Failed>,
    form: &str,
    secret: Option<(String, String)>,
) -> Result<Response, Response> {
    // A member sees and manages its own access keys only.
    let (partner, by) = organization_of(&viewer)?;
    let admin = by.is_none();
    let paging = q.paging();
    let members = if admin { organization::members(ctx, partner).await.or_deny(&viewer)? } else { vec![] };
    let roles = if admin { organization::roles(ctx, partner).await.or_deny(&viewer)? } else { vec![] };
    let total = members.len() as u64;
    let token = viewer.csrf();
    let name_of = |id: &opc_domain::MemberId| members.iter().find(|m| &m.id == id).map(|m| m.name.as_str().to_owned());
    let shown = if q.csv() { members.clone() } else { paging.slice(members.clone()) };
    let directors: Vec<(&str, &str)> = std::iter::once(("", "None"))
        .chain(
            members
                .iter()
                .filter(|m| m.position == Position::AccountDirector)
                .map(|m| (m.id.as_str(), m.name.as_str())),
        )
        .collect();
    let role_options: Vec<(&str, &str)> =
        std::iter::once(("", "None")).chain(roles.iter().map(|r| (r.id.as_str(), r.name.as_str()))).collect();
    let rows = shown
        .iter()
        .map(|m| {
            let role = m.role.as_ref().and_then(|r| roles.iter().find(|x| &x.id == r)).map(|r| r.name.as_str().to_owned());
            let cells = vec![
                Cell::from(m.name.as_str()),
                Cell::from(m.email.as_str()),
                Cell::from(position_code(m.position).replace('_', " ")),
                Cell::from(role.unwrap_or_default()),
                Cell::from(m.director.as_ref().and_then(name_of).unwrap_or_default()),
            ];
            let action = html! {
                form.inline method="post" action=(format!("/partner/members/{}", m.id.as_str())) {
                    (csrf(&token))
                    label { "Role " select name="role" { @for (v, t) in &role_options { option value=(v) selected[m.role.as_ref().map(|r| r.as_str()) == Some(*v) || (v.is_empty() && m.role.is_none())] { (t) } } } }
                    @if m.position == Position::AccountManager {
                        " " label { "Director " select name="director" { @for (v, t) in &directors { option value=(v) selected[m.director.as_ref().map(|d| d.as_str()) == Some(*v) || (v.is_empty() && m.director.is_none())] { (t) } } } }
                    }
                    " " button.secondary type="submit" { "Save" }
                }
            };
            (cells, Some(action))
        })
        .collect();
    let table = Table {
        caption: "Members",
        columns: &["Name", "Email", "Position", "Role", "Director"],
        rows,
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("members"));
    }
    let keys = organization::access_keys(ctx, partner, by).await.or_deny(&viewer)?;
    let (people, _) =
        if admin { personnel::of_partner(ctx, partner).await.or_deny(&viewer)? } else { (vec![], vec![]) };
    let f = |name: &str| failed.filter(|_| form == name);
    let now = ctx.clock.now();
    let body = html! {
        h1 { "Organization" }
        @if let Some((id, secret)) = &secret {
            section.card role="status" {
                h2 { "New access key" }
                p { "Copy the secret key now: it is shown only this once." }
                p { "Access key: " code #new-ak { (id) } }
                p { "Secret key: " } p.secret #new-sk { (secret) }
                button.secondary type="button" data-copy="new-sk" { "Copy secret key" }
            }
        }
        @if admin {
            (table.render(&viewer.here, paging))
            form.card method="post" action="/partner/members" {
                h2 { "Add a member" }
                (csrf(&token))
                (form_error(f("member"), &["name", "email", "password", "position"]))
                (field(f("member"), "Name", "name", Input::Text, "", true))
                (field(f("member"), "Email (their sign-in)", "email", Input::Email, "", true))
                (field(f("member"), "Initial password", "password", Input::Password, "", true))
                (select(f("member"), "Position", "position", &[("member", "Member"), ("account_manager", "Account manager"), ("account_director", "Account director")], "member"))
                button type="submit" { "Add member" }
            }
        }
        @if admin {
            form.card method="post" action="/partner/roles" {
                h2 { "Create a role" }
                p { "A member can do only what its role's permission items allow (R-ORG-02)." }
                (csrf(&token))
                (form_error(f("role"), &["name", "permissions"]))
                (field(f("role"), "Role name", "name", Input::Text, "", true))
                fieldset {
                    legend { "Permission items" }
                    @for p in Permission::ALL {
                        (checkbox(f("role"), html! { (permission_text(p)) " (" code { (p.code()) } ")" }, &format!("permission.{}", p.code()), false))
                    }
                }
                button type="submit" { "Create role" }
            }
        }
        section.card {
            h2 { "Access keys" }
            p { "Keys sign BSS API calls (the official SDKs). " @if !admin { "Yours act with your role's permissions." } }
            ul { @for k in &keys {
                li {
                    code { (k.id.as_str()) } " · created " (when(k.created_at)) " · " (format!("{:?}", k.state).to_lowercase())
                    @if k.is_active() {
                        " "
                        form.inline method="post" action=(format!("/partner/access-keys/{}/revoke", k.id.as_str())) data-confirm="Revoke this key? Calls signed with it will fail at once." {
                            (csrf(&token)) button.danger type="submit" { "Revoke" }
                        }
                    }
                }
            } }
            form method="post" action="/partner/access-keys" {
                (csrf(&token))
                (form_error(f("key"), &[]))
                button type="submit" { "Create access key" }
            }
        }
        @if admin {
            section.card {
                h2 { "Dedicated personnel" }
                ul { @for p in &people { li { (p.account.as_str()) " · " (format!("{:?}", p.state_at(now)).to_lowercase()) " · invited " (when(p.invited_at)) } } }
                form method="post" action="/partner/personnel-invitations" {
                    (csrf(&token))
                    (form_error(f("personnel"), &["login_id"]))
                    (field(f("personnel"), "Login ID of the person's HUAWEI ID", "login_id", Input::Text, "", true))
                    button type="submit" { "Invite" }
                }
            }
        }
    };
    Ok(render_form(&viewer, "Organization", body, failed))
}

fn permission_text(p: Permission) -> &'static str {
    match p {
        Permission::ViewCustomers => "See customers, budgets and spend",
        Permission::ManageCustomers => "Assign account managers",
        Permission::DevelopCustomers => "Invite and pre-register customers",
        Permission::ControlCustomers => "Set budgets, freeze and unfreeze",
        Permission::ViewAudit => "Read the audit log",
    }
}

async fn create_role(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let chosen: Vec<&str> = Permission::ALL
        .iter()
        .filter(|p| form.checked(&format!("permission.{}", p.code())))
        .map(|p| p.code())
        .collect();
    match organization::create_role(&ctx, partner, form.get("name"), &chosen).await {
        Ok(role) => Ok(done("/partner/organization", format!("Role {} is created.", role.name.as_str()))),
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "role", None).await
        }
    }
}

async fn create_member(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let outcome = async {
        let position = match form.get("position") {
            "member" => Position::Member,
            "account_manager" => Position::AccountManager,
            "account_director" => Position::AccountDirector,
            _ => return Err(ApiError::invalid("position", "choose a position")),
        };
        organization::create_member(&ctx, partner, form.get("name"), form.get("email"), form.get("password"), position)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(m) => {
            Ok(done("/partner/organization", format!("{} can now sign in with {}.", m.name.as_str(), m.email.as_str())))
        }
        Err(e) => organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e)), "member", None).await,
    }
}

async fn update_member(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(member): ApiPath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    let to = "/partner/organization";
    match organization::update_member(&ctx, partner, &member, form.opt("role"), form.opt("director")).await {
        Ok(m) => Ok(done(to, format!("{} is updated.", m.name.as_str()))),
        Err(e) => Ok(refused(to, &e.into())),
    }
}

async fn create_key(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, by) = organization_of(&viewer)?;
    match organization::create_access_key(&ctx, partner, by, None).await {
        Ok((key, secret)) => {
            let shown = (key.id.as_str().to_owned(), secret.expose().to_owned());
            organization_view(&ctx, viewer, &ListQuery::default(), None, "", Some(shown)).await
        }
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "key", None).await
        }
    }
}

async fn revoke_key(
    State(ctx): State<Context>,
    viewer: Viewer,
    ApiPath(key): ApiPath<String>,
    _form: Posted,
) -> Result<Response, Response> {
    let (partner, by) = organization_of(&viewer)?;
    let to = "/partner/organization";
    match organization::revoke_access_key(&ctx, partner, by, &key).await {
        Ok(k) => Ok(done(to, format!("Key {} is revoked.", k.id.as_str()))),
        Err(e) => Ok(refused(to, &e.into())),
    }
}

async fn invite_personnel(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let (partner, _) = acting(&viewer, None)?;
    match personnel::invite(&ctx, partner, form.get("login_id"), Language::default()).await {
        Ok(_) => Ok(done("/partner/organization", "The invitation is emailed; the link is valid for 7 days.")),
        Err(e) => {
            organization_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e.into())), "personnel", None)
                .await
        }
    }
}
