//! The price trace on console pages (issue 15): a line's list price, each step taken off it and
//! what is left, each amount to the cent with the exact 8 decimals on hover.

use maud::{html, Markup};
use opc_domain::trace::{Step, Trace};
use opc_domain::Money;

use super::page::money;

fn amount(m: Money) -> Markup {
    html! { span.num title=(m.to_string()) { (money(m)) } }
}

/// What a step is, in words; a coupon's step below 0 is what it was given back (R-CPN-10).
fn step_name(step: &Step, amount: Money) -> String {
    match step {
        Step::SettlementDiscount { rate: Some(r) } => format!("Settlement discount ({})", r.percent_text()),
        Step::SettlementDiscount { rate: None } => "Settlement discount".to_owned(),
        Step::PartnerDiscount { id, special: true, rate } => {
            format!("Price adjustment {id} ({} off)", rate.percent_text())
        }
        Step::PartnerDiscount { id, special: false, rate } => {
            format!("Partner discount {id} ({} off)", rate.percent_text())
        }
        Step::Coupon { coupon, order, .. } if amount < Money::ZERO => {
            let named = coupon.as_deref().unwrap_or("s");
            let by = order.as_deref().map(|o| format!(" by unsubscription {o}")).unwrap_or_default();
            format!("Given back to cash coupon {named}{by}, not to the partner")
        }
        Step::Coupon { coupon, test, order } => {
            let kind = if *test { "Test coupon" } else { "Cash coupon" };
            let named = coupon.as_deref().map(|c| format!(" {c}")).unwrap_or_else(|| "s".to_owned());
            let paying = order.as_deref().map(|o| format!(", held for order {o}")).unwrap_or_default();
            format!("{kind}{named}{paying}")
        }
    }
}

/// `t` folded under a "How" summary: list price, each step, then `result` named `what`.
pub fn trace(t: &Trace, what: &str) -> Markup {
    html! {
        details.trace {
            summary { "How" }
            table {
                tbody {
                    tr { td { "List price" } td.num { (amount(t.list())) } }
                    @for s in t.steps() {
                        tr {
                            td { (step_name(&s.step, s.amount)) }
                            td.num { (if s.amount < Money::ZERO { "+ " } else { "− " }) (amount(s.amount.abs())) }
                        }
                    }
                    tr { th { (what) } th.num { (amount(t.result())) } }
                }
            }
        }
    }
}
