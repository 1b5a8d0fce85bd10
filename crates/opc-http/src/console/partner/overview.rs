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
use crate::console::i18n::{Arg, Lang};
use crate::console::page::{self, gauge, money, when};
use crate::console::spend::{quota_chart, spend_charts};
use crate::console::{render, OrDeny, Viewer};

fn state_badge(lang: Lang, state: PartnerState) -> Markup {
    match state {
        PartnerState::Normal => html! { span.badge.ok { (lang.t("state-normal")) } },
        PartnerState::Restricted => html! { span.badge.warn { (lang.t("state-restricted")) } },
        PartnerState::Frozen => html! { span.badge.frozen { (lang.t("state-frozen")) } },
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
    let lang = viewer.lang;
    let customer = |name: &str| -> (&str, Arg) { ("customer", name.into()) };
    let body = html! {
        h1 { (partner.name().as_str()) }
        div.grid {
            section.card {
                h2 { (lang.t("overview-account")) }
                p { (lang.t("overview-state")) (state_badge(lang, partner.state())) }
                p { (lang.t("overview-country")) (partner.country().as_str()) }
                @if partner.state() == PartnerState::Restricted {
                    p.flash.failed role="alert" { (lang.t("overview-restricted")) }
                }
                @if partner.state() == PartnerState::Frozen {
                    p.flash.failed role="alert" { (lang.t("overview-frozen")) }
                }
            }
            section.card {
                h2 { (lang.t("overview-programs")) }
                @if partner.enrollments().is_empty() { p { (lang.t("overview-not-enrolled")) " " a href="/programs" { (lang.t("overview-see-programs")) } } }
                ul { @for e in partner.enrollments() {
                    li { (lang.t_with("overview-enrollment", &[
                        ("program", lang.program(e.program).into()),
                        ("tier", lang.tier(e.tier).into()),
                        ("since", when(e.enrolled_at).into()),
                    ])) }
                } }
            }
            section.card #todos aria-labelledby="todos-title" {
                h2 #todos-title { (lang.t("overview-todo")) }
                @if nothing { p { (lang.t("overview-nothing")) } }
                ul.todos {
                    @for (view, budget, used) in &todos.near_budget {
                        li { a href=(format!("/partner/customers/{}#budget", view.account.id().as_str())) {
                            (lang.t_with("overview-near-budget", &[
                                customer(view.account.name().as_str()),
                                ("percent", page::percent(*used, budget.amount()).into()),
                            ]))
                        } span title=(format!("{used} / {}", budget.amount())) {
                            (lang.t_with("overview-near-budget-figures", &[("used", money(*used).into()), ("limit", money(budget.amount()).into())]))
                        } }
                    }
                    @if todos.near_budget_count > todos.near_budget.len() {
                        li { a href="/partner/customers?model=reseller" {
                            (lang.t_with("overview-more-near-budget", &[("count", (todos.near_budget_count - todos.near_budget.len()).into())]))
                        } }
                    }
                    @for (r, account) in &requests {
                        li { a href="/partner/association-records" {
                            (lang.t_with("overview-asks-to-end", &[customer(account.as_ref().map_or(r.customer().as_str(), |a| a.name().as_str()))]))
                        } }
                    }
                    @for view in &todos.awaiting_budget {
                        li { a href=(format!("/partner/customers/{}#budget", view.account.id().as_str())) {
                            (lang.t_with(awaiting_text(view), &[customer(view.account.name().as_str())]))
                        } }
                    }
                    @if todos.awaiting_budget_count > todos.awaiting_budget.len() as u64 {
                        li { a href="/partner/customers?model=reseller" {
                            (lang.t_with("overview-more-awaiting", &[("count", (todos.awaiting_budget_count - todos.awaiting_budget.len() as u64).into())]))
                        } }
                    }
                }
                p { a href="/partner/development" { (lang.t("overview-invite")) } }
            }
            section.card {
                h2 { (lang.t("overview-quota")) }
                @if quota.quota.e8() > 0 {
                    (gauge(lang, &lang.t("overview-quota-gauge"), quota.used, quota.quota))
                    @if exceeded {
                        p.flash.failed role="alert" { (lang.t_with("overview-quota-exceeded", &[("percent", page::percent(quota.used, quota.quota).into())])) }
                    } @else if notice {
                        p.flash.failed role="alert" { (lang.t_with("overview-quota-notice", &[("percent", page::percent(quota.used, quota.quota).into())])) }
                    }
                    @if let Some(q) = &spent.quota { (quota_chart(lang, q)) }
                } @else {
                    p { (lang.t_with("overview-no-quota", &[("used", money(quota.used).into())])) }
                }
            }
        }
        @if let Some(history) = &spent.spend {
            section.card #spend aria-labelledby="spend-title" {
                h2 #spend-title { (lang.t("overview-spend")) }
                p { (lang.t("overview-spend-note")) }
                (spend_charts(lang, "partner-spend", &lang.t("overview-spend-whose"), history))
            }
        }
    };
    Ok(render(&viewer, &lang.t("overview-title"), body))
}

/// Why a frozen customer waits for a budget (R-RCM-02, R-RCM-04).
/// The message id of its to-do.
fn awaiting_text(view: &CustomerView) -> &'static str {
    match view.account.freeze().map(|f| f.cause) {
        Some(FreezeCause::BudgetExhausted) => "overview-awaiting-exhausted",
        Some(FreezeCause::ResellerAssociation) => "overview-awaiting-association",
        Some(FreezeCause::Partner | FreezeCause::PartnerFrozen) | None => "overview-awaiting-other",
    }
}
