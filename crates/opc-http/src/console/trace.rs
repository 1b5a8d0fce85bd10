//! The price trace on console pages (issue 15): a line's list price, each step taken off it and
//! what is left, each amount to the cent with the exact 8 decimals on hover.

use maud::{html, Markup};
use opc_domain::trace::{Step, Trace};
use opc_domain::Money;

use super::i18n::Lang;
use super::page::money;

fn amount(m: Money) -> Markup {
    html! { span.num title=(m.to_string()) { (money(m)) } }
}

/// What a step is, in words; a coupon's step below 0 is what it was given back (R-CPN-10).
fn step_name(lang: Lang, step: &Step, amount: Money) -> String {
    match step {
        Step::SettlementDiscount { rate: Some(r) } => {
            lang.t_with("discounts-trace-settlement-rate", &[("rate", r.percent_text().into())])
        }
        Step::SettlementDiscount { rate: None } => lang.t("discounts-trace-settlement"),
        Step::PartnerDiscount { id, special, rate } => lang.t_with(
            if *special { "discounts-trace-adjustment" } else { "discounts-trace-partner" },
            &[("id", id.as_str().into()), ("rate", rate.percent_text().into())],
        ),
        Step::Coupon { coupon, order, .. } if amount < Money::ZERO => match (coupon, order) {
            (Some(c), Some(o)) => lang.t_with(
                "discounts-trace-given-back-coupon-order",
                &[("coupon", c.as_str().into()), ("order", o.as_str().into())],
            ),
            (Some(c), None) => lang.t_with("discounts-trace-given-back-coupon", &[("coupon", c.as_str().into())]),
            (None, Some(o)) => lang.t_with("discounts-trace-given-back-coupons-order", &[("order", o.as_str().into())]),
            (None, None) => lang.t("discounts-trace-given-back-coupons"),
        },
        Step::Coupon { coupon, test, order } => {
            let named = match coupon {
                Some(c) => {
                    let kind =
                        lang.t(if *test { "discounts-trace-test-coupon" } else { "discounts-trace-cash-coupon" });
                    lang.t_with("discounts-trace-coupon-named", &[("kind", kind.into()), ("coupon", c.as_str().into())])
                }
                None => lang.t(if *test { "discounts-trace-test-coupons" } else { "discounts-trace-cash-coupons" }),
            };
            match order {
                Some(o) => lang
                    .t_with("discounts-trace-coupon-held", &[("coupons", named.into()), ("order", o.as_str().into())]),
                None => named,
            }
        }
    }
}

/// `t` folded under a "How" summary in `lang`: list price, each step, then `result` named `what`.
pub fn trace(lang: Lang, t: &Trace, what: &str) -> Markup {
    html! {
        details.trace {
            summary { (lang.t("discounts-trace-how")) }
            table {
                tbody {
                    tr { td { (lang.t("discounts-trace-list-price")) } td.num { (amount(t.list())) } }
                    @for s in t.steps() {
                        tr {
                            td { (step_name(lang, &s.step, s.amount)) }
                            td.num { (if s.amount < Money::ZERO { "+ " } else { "− " }) (amount(s.amount.abs())) }
                        }
                    }
                    tr { th { (what) } th.num { (amount(t.result())) } }
                }
            }
        }
    }
}
