//! The partner's overview: its state, programs and tiers, consumption quota and pending work.

use axum::extract::State;
use axum::response::Response;
use maud::{html, Markup};
use opc_core::ops::development;
use opc_core::ops::{accounts, customers};
use opc_core::store::CustomerQuery;
use opc_core::Context;
use opc_domain::development::RequestState;
use opc_domain::organization::Permission;
use opc_domain::partner::PartnerState;

use super::{caller, organization_of};
use crate::audience::acting_partner;
use crate::codes::{program_name, tier_code};
use crate::console::page::{self, gauge, money, when};
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
            .filter(|(r, _)| r.state() == RequestState::Pending)
            .count(),
        Some(_) => 0,
    };
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
