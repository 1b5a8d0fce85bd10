//! The rules of yearly/monthly resources: their status, expiry policy, renewal and
//! unsubscription.

use super::*;
use crate::order::tests::{at, money, order};
use crate::order::{OrderType, Renewal};
use crate::{Millis, Money, OrderId, ResourceId};

fn order_id(text: &str) -> OrderId {
    OrderId::parse(text).unwrap()
}

fn resource() -> Resource {
    Resource {
        id: ResourceId::parse("r0").unwrap(),
        customer: AccountId::parse("c1").unwrap(),
        order_id: OrderId::parse("CS1").unwrap(),
        parent: None,
        product: order(1).lines[0].product.clone(),
        period: PeriodType::Month,
        closed: false,
        effective: at(2026, 1, 1),
        expire: at(2026, 2, 1),
        policy: ExpirePolicy::Grace,
        updated_at: at(2026, 1, 1),
        version: 0,
    }
}

#[test]
fn status_reflects_closure_freeze_and_expiry_r_rcm_10() {
    let r = resource();
    assert_eq!(r.status_at(at(2026, 1, 15), false), ResourceStatus::InUse);
    assert_eq!(r.status_at(at(2026, 1, 15), true), ResourceStatus::Frozen);
    assert_eq!(r.status_at(at(2026, 2, 1), false), ResourceStatus::Expired);
    assert_eq!(Resource { closed: true, ..r }.status_at(at(2026, 1, 15), true), ResourceStatus::Closed);
}

#[test]
fn auto_renewal_and_change_to_pay_per_use_exclude_each_other() {
    let r = resource();
    let renewing = r.auto_renew(None, None).unwrap();
    assert_eq!(renewing.policy, ExpirePolicy::AutoRenew { period: PeriodType::Month, times: 0 });
    assert_eq!(renewing.to_on_demand(true), Err(ResourceError::AutoRenewing));
    let reset = renewing.auto_renew(Some(PeriodType::Year), Some(3)).unwrap();
    assert_eq!(reset.policy, ExpirePolicy::AutoRenew { period: PeriodType::Year, times: 3 });
    let off = reset.cancel_auto_renew().unwrap();
    assert_eq!(off.cancel_auto_renew(), Err(ResourceError::NotAutoRenewing));
    let on_demand = off.to_on_demand(true).unwrap();
    assert_eq!(on_demand.policy, ExpirePolicy::ToOnDemand);
    assert_eq!(on_demand.auto_renew(None, None), Err(ResourceError::ToOnDemand));
    assert_eq!(on_demand.to_on_demand(false).unwrap().policy, ExpirePolicy::Grace);
    let child = Resource { parent: Some(ResourceId::parse("vm").unwrap()), ..resource() };
    assert_eq!(child.auto_renew(None, None), Err(ResourceError::Child("vm".into())));
    assert_eq!(Resource { closed: true, ..resource() }.renewal_term(PeriodType::Month, 1), Err(ResourceError::Closed));
}

#[test]
fn unsubscription_refunds_unused_time_and_unstarted_renewals_whole_r_cpn_10() {
    let terms = [
        Term { order_id: order_id("buy"), starts: at(2026, 1, 1), ends: at(2026, 1, 11), paid: money("10") },
        Term { order_id: order_id("renew"), starts: at(2026, 1, 11), ends: at(2026, 1, 21), paid: money("10") },
    ];
    // Day 4 of 10: 4.00 consumed, 6.00 back; the renewal comes back whole.
    let (refunds, expire) = unsubscribe(&terms, Unsubscribe::ResourceAndRenewals, at(2026, 1, 5)).unwrap();
    assert_eq!(expire, at(2026, 1, 5));
    assert_eq!(
        refunds,
        vec![
            Refund { order_id: order_id("buy"), refunded: money("6"), consumed: money("4") },
            Refund { order_id: order_id("renew"), refunded: money("10"), consumed: Money::ZERO },
        ]
    );
    let (refunds, expire) = unsubscribe(&terms, Unsubscribe::RenewalsOnly, at(2026, 1, 5)).unwrap();
    assert_eq!((refunds.len(), refunds[0].refunded, expire), (1, money("10"), at(2026, 1, 11)));
    assert_eq!(unsubscribe(&terms[..1], Unsubscribe::RenewalsOnly, at(2026, 1, 5)), Err(ResourceError::NoRenewal));
    // A third of a cent's worth of time: the consumed part is rounded up, never down.
    let odd =
        [Term { order_id: order_id("o"), starts: at(2026, 1, 1), ends: at(2026, 1, 4), paid: money("0.00000001") }];
    let (refunds, _) = unsubscribe(&odd, Unsubscribe::ResourceAndRenewals, at(2026, 1, 2)).unwrap();
    assert_eq!((refunds[0].consumed, refunds[0].refunded), (money("0.00000001"), Money::ZERO));
}

#[test]
fn a_paid_renewal_extends_its_resources_but_never_a_closed_one_r_ord_02() {
    let term = (at(2026, 2, 1), at(2026, 3, 1));
    let mut o = order(1);
    o.order_type = OrderType::Renewal;
    o.lines[0].resource_id = resource().id;
    o.lines[0].term = Some(term);
    let now = at(2026, 1, 20);
    let payment = o.payment(None, now, Millis(0)).unwrap();
    assert_eq!(payment.resources, vec![]);
    let renewal = Renewal { resource: resource().id, period: PeriodType::Month, ends: term.1 };
    assert_eq!(payment.renewals, vec![renewal.clone()]);
    assert_eq!((payment.charge.amount, payment.charge.partner), (money("6.8"), None));
    let renewed = resource().renew(&renewal, now).unwrap();
    assert_eq!((renewed.expire, renewed.updated_at), (term.1, now));
    // A resource already expiring later keeps its expiry.
    let later = Resource { expire: at(2026, 4, 1), ..resource() };
    assert_eq!(later.renew(&renewal, now).unwrap().expire, at(2026, 4, 1));
    assert_eq!(Resource { closed: true, ..resource() }.renew(&renewal, now), Err(ResourceError::Closed));
}
