//! The partner's overview: its state, programs and tiers, its to-dos (customers over 75 % of
//! their budget, disassociation requests to decide, frozen customers awaiting a budget), its
//! consumption quota's use over the month and its customers' spend per day and month.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use opc_core::ops::development;
use opc_core::ops::{accounts, spend};
use opc_core::store::CustomerView;
use opc_core::Context;
use opc_domain::account::FreezeCause;
use opc_domain::budget::quota_state;
use opc_domain::development::{Initiator, RequestState};
use opc_domain::partner::PartnerState;

use super::{caller, organization_of};
use crate::codes::{program_name, tier_code};
use crate::console::page::{self, gauge, money, when};
use crate::console::spend::{quota_chart, spend_charts};
use crate::console::{render, OrDeny, Viewer};

fn state_badge(state: PartnerState) -> Markup {
    match state {
        PartnerState::Normal => html! { span.badge.ok { "Normal" } },
        PartnerState::Restricted => html! { span.badge.warn { "Restricted" } },
        PartnerState::Frozen => html! { span.badge.frozen { "Frozen" } },
    }
}

pub(super) async fn overview(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    let (partner, member) = organization_of(&viewer)?;
    let caller = caller(&ctx, &viewer).await?;
    let quota = accounts::partner_quota(&ctx, &caller).await.or_deny(&viewer)?;
    let spent = spend::partner_spend(&ctx, &caller).await.or_deny(&viewer)?;
    let todos = spend::customer_todos(&ctx, &caller).await.or_deny(&viewer)?;
    // Only the administrator decides association records (R-ASSOC-25).
    let requests: Vec<_> = match member {
        None => development::association_records(&ctx, partner)
            .await
            .or_deny(&viewer)?
            .into_iter()
            .filter(|(r, _)| r.state() == RequestState::Pending && r.initiated_by() == Initiator::Customer)
            .collect(),
        Some(_) => vec![],
    };
    let (notice, exceeded) = quota_state(quota.quota, quota.used);
    let nothing = todos.near_budget.is_empty() && todos.awaiting_budget.is_empty() && requests.is_empty();
    let body = html! {
        h1 { (partner.name().as_str()) }
        div.grid {
            section.card {
                h2 { "Account" }
                p { "State: " (state_badge(partner.state())) }
                p { "Country: " (partner.country().as_str()) }
                @if partner.state() == PartnerState::Restricted {
                    p.flash.failed role="alert" { "Your consumption quota is exceeded: you and your reseller customers cannot purchase until the quota is raised (R-QUOTA-07)." }
                }
                @if partner.state() == PartnerState::Frozen {
                    p.flash.failed role="alert" { "Your account is frozen: so are your customers, and no customer can be developed (R-QUOTA-10)." }
                }
            }
            section.card {
                h2 { "Programs and tiers" }
                @if partner.enrollments().is_empty() { p { "Not enrolled in a program yet. " a href="/programs" { "See the programs" } } }
                ul { @for e in partner.enrollments() {
                    li { (program_name(e.program)) " · " (tier_code(e.tier)) " since " (when(e.enrolled_at)) }
                } }
            }
            section.card #todos aria-labelledby="todos-title" {
                h2 #todos-title { "To do" }
                @if nothing { p { "Nothing waits for you." } }
                ul.todos {
                    @for (view, budget, used) in &todos.near_budget {
                        li { a href=(format!("/partner/customers/{}#budget", view.account.id().as_str())) {
                            (view.account.name().as_str()) ": " (page::percent(*used, budget.amount())) " % of its budget used"
                        } " (" span title=(used.to_string()) { (money(*used)) } " of " span title=(budget.amount().to_string()) { (money(budget.amount())) } ")" }
                    }
                    @if todos.near_budget_count > todos.near_budget.len() {
                        li { a href="/partner/customers?model=reseller" { (todos.near_budget_count - todos.near_budget.len()) " more customers over 75 % of their budget" } }
                    }
                    @for (r, account) in &requests {
                        li { a href="/partner/association-records" {
                            (account.as_ref().map_or(r.customer().as_str(), |a| a.name().as_str())) " asks to end the association: approve or reject"
                        } }
                    }
                    @for view in &todos.awaiting_budget {
                        li { a href=(format!("/partner/customers/{}#budget", view.account.id().as_str())) {
                            (view.account.name().as_str()) ": " (awaiting_text(view))
                        } }
                    }
                    @if todos.awaiting_budget_count > todos.awaiting_budget.len() as u64 {
                        li { a href="/partner/customers?model=reseller" { (todos.awaiting_budget_count - todos.awaiting_budget.len() as u64) " more frozen customers awaiting a budget" } }
                    }
                }
                p { a href="/partner/development" { "Invite a customer" } }
            }
            section.card {
                h2 { "Consumption quota" }
                @if quota.quota.e8() > 0 {
                    (gauge("Reseller customers' spend", quota.used, quota.quota))
                    @if exceeded {
                        p.flash.failed role="alert" { "The quota is exceeded: " (page::percent(quota.used, quota.quota)) " % of it is used (R-QUOTA-07)." }
                    } @else if notice {
                        p.flash.failed role="alert" { (page::percent(quota.used, quota.quota)) " % of the quota is used: its notice comes at 80 % (R-QUOTA-04)." }
                    }
                    @if let Some(q) = &spent.quota { (quota_chart(q)) }
                } @else {
                    p { "No quota is set; spend so far: " (money(quota.used)) "." }
                }
            }
        }
        @if let Some(history) = &spent.spend {
            section.card #spend aria-labelledby="spend-title" {
                h2 #spend-title { "Your customers' spend" }
                p { "At list price, while they were your customers, in both models." }
                (spend_charts("partner-spend", "Your customers'", history))
            }
        }
    };
    Ok(render(&viewer, "Overview", body))
}

/// Why a frozen customer waits for a budget (R-RCM-02, R-RCM-04).
fn awaiting_text(view: &CustomerView) -> &'static str {
    match view.account.freeze().map(|f| f.cause) {
        Some(FreezeCause::BudgetExhausted) => "frozen with its budget used up: raise the budget",
        Some(FreezeCause::ResellerAssociation) => "frozen until you set a budget and unfreeze it",
        Some(FreezeCause::Partner | FreezeCause::PartnerFrozen) | None => "frozen: see its budget",
    }
}
