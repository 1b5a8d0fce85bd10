use super::*;

pub(super) fn at(y: i64, mo: u32, d: u32) -> Timestamp {
    Timestamp::from_utc(y, mo, d, 10, 0, 0).unwrap()
}

pub(super) fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

pub(super) fn order(lines: usize) -> Order {
    let product = Product {
        service_type: "hws.service.type.ec2".into(),
        resource_type: "hws.resource.type.vm".into(),
        spec: "s6.small.1.linux".into(),
        region: "ap-southeast-1".into(),
        size: None,
    };
    Order {
        id: OrderId::parse("CS1").unwrap(),
        customer: AccountId::parse("c1").unwrap(),
        partner: None,
        order_type: OrderType::New,
        status: OrderStatus::PendingPayment,
        source: OrderSource::Customer,
        user_name: "c1".into(),
        created_at: at(2026, 1, 31),
        pay_by: at(2026, 1, 31).plus(PAYMENT_WINDOW),
        paid_at: None,
        lines: (0..lines)
            .map(|i| OrderLine {
                id: format!("CS1-{i}"),
                resource_id: ResourceId::parse(&format!("r{i}")).unwrap(),
                parent_resource: None,
                product: product.clone(),
                period: Some((PeriodType::Month, 1)),
                official: money("6.8"),
                consumed: Money::ZERO,
                term: None,
                base_order: None,
            })
            .collect(),
        version: 0,
    }
}

#[test]
fn a_combined_order_is_paid_or_cancelled_whole_r_ord_01_02() {
    let o = order(3);
    assert_eq!(o.official().unwrap(), money("20.4"));
    let paid = o.pay(at(2026, 1, 31)).unwrap();
    assert_eq!(paid.status, OrderStatus::Completed);
    // Every instance starts its term at payment; Jan 31 + 1 month is Feb 28.
    assert!(paid.lines.iter().all(|l| l.term == Some((at(2026, 1, 31), at(2026, 2, 28)))));
    assert_eq!(paid.pay(at(2026, 2, 1)), Err(OrderError::NotPending("completed")));
    assert_eq!(paid.cancel(), Err(OrderError::NotPending("completed")));
    let cancelled = o.cancel().unwrap();
    assert_eq!(cancelled.pay(at(2026, 2, 1)), Err(OrderError::NotPending("cancelled")));
    assert!(matches!(o.pay(at(2026, 2, 8)), Err(OrderError::PaymentExpired(_))));
}

#[test]
fn a_payment_provisions_a_purchase_and_charges_its_list_price_r_ord_02_r_bill_18() {
    let o = order(2);
    let partner = Some((PartnerId::parse("p1").unwrap(), AssociationModel::Reseller));
    let now = at(2026, 1, 31);
    // Beijing time: 18:00 on January 31 is still January's cycle.
    let payment = o.payment(partner.clone(), now, Millis(8 * 3_600_000)).unwrap();
    assert_eq!(payment.order, o.pay(now).unwrap());
    assert_eq!(payment.renewals, vec![]);
    let ids: Vec<&str> = payment.resources.iter().map(|r| r.id().as_str()).collect();
    assert_eq!(ids, ["r0", "r1"]);
    let r = &payment.resources[0];
    assert_eq!((r.effective(), r.expire(), r.policy(), r.closed()), (now, at(2026, 2, 28), ExpirePolicy::Grace, false));
    assert_eq!((r.order_id().as_str(), r.updated_at(), r.version()), ("CS1", now, 0));
    assert_eq!(
        payment.charge,
        Charge {
            id: "CS1".into(),
            order_id: o.id.clone(),
            customer: o.customer.clone(),
            partner,
            amount: money("13.6"),
            cycle: Cycle(202601),
            at: now,
        }
    );
    assert_eq!(payment.order.pay(now).unwrap_err(), OrderError::NotPending("completed"));
    assert!(matches!(o.payment(None, at(2026, 2, 8), Millis(0)), Err(OrderError::PaymentExpired(_))));
}

#[test]
fn periods_add_calendar_months_and_years() {
    assert_eq!(add_periods(at(2026, 1, 31), PeriodType::Month, 1), at(2026, 2, 28));
    assert_eq!(add_periods(at(2024, 2, 29), PeriodType::Year, 1), at(2025, 2, 28));
    assert_eq!(add_periods(at(2026, 11, 15), PeriodType::Month, 3), at(2027, 2, 15));
}

#[test]
fn renewals_and_renew_settings_take_the_documented_ranges() {
    let (month, year) = (Some(PeriodType::Month), Some(PeriodType::Year));
    assert_eq!(renewal_period(month, 11), Ok((PeriodType::Month, 11)));
    assert!(renewal_period(month, 12).is_err() && renewal_period(year, 4).is_err() && renewal_period(None, 1).is_err());
    assert_eq!(RenewConfig::new(RenewSetting::DeductionDays, 7), Ok(RenewConfig::DeductionDays(7)));
    assert_eq!(RenewConfig::new(RenewSetting::ExpireDay, -1), Ok(RenewConfig::ExpireDay(-1)));
    assert!(RenewConfig::new(RenewSetting::DeductionDays, 1).is_err());
    assert!(RenewConfig::new(RenewSetting::ExpireDay, 29).is_err());
}

#[test]
fn a_unified_expiry_day_extends_the_renewal_to_it_at_the_renewals_price_per_millisecond() {
    let utc = |mo, d, h| Timestamp::from_utc(2026, mo, d, h, 0, 0).unwrap();
    let beijing = Millis(8 * 3_600_000);
    // April 1 08:00 UTC (16:00 in Beijing) + 1 month, unified on the 15th: May 15, 16:00 in
    // Beijing; 14 more days of a 30-day month at 6.80.
    let term = (utc(4, 1, 8), utc(5, 1, 8));
    let (to, paid) = RenewConfig::unified_expiry(15, term, money("6.8"), beijing).unwrap();
    assert_eq!((to, paid), ((utc(4, 1, 8), utc(5, 15, 8)), money("9.97333333")), "truncated");
    // The day is in the billing zone: May 31 20:00 UTC is June 1 in Beijing, so the 1st is
    // reached already.
    let late = (utc(5, 1, 20), utc(5, 31, 20));
    assert_eq!(RenewConfig::unified_expiry(1, late, money("6.8"), beijing).unwrap(), (late, money("6.8")));
    // Past the day this month: the next month's. −1 is the month's last day (June 30).
    let (to, _) = RenewConfig::unified_expiry(10, (utc(4, 20, 8), utc(5, 20, 8)), money("6.8"), beijing).unwrap();
    assert_eq!(to.1, utc(6, 10, 8));
    let (to, _) = RenewConfig::unified_expiry(-1, (utc(5, 1, 8), utc(6, 1, 8)), money("6.8"), beijing).unwrap();
    assert_eq!(to.1, utc(6, 30, 8));
    // December rolls into January.
    let december =
        (Timestamp::from_utc(2026, 11, 20, 8, 0, 0).unwrap(), Timestamp::from_utc(2026, 12, 20, 8, 0, 0).unwrap());
    let (to, _) = RenewConfig::unified_expiry(5, december, money("6.8"), beijing).unwrap();
    assert_eq!(to.1, Timestamp::from_utc(2027, 1, 5, 8, 0, 0).unwrap());
}

#[test]
fn purchases_fit_the_quota_and_an_auto_freeze_budget_r_quota_01_r_rcm_04() {
    let quota = SpendLimit::quota(money("100"), money("90")).unwrap();
    assert_eq!(quota.admit(money("10")), Ok(()));
    assert!(matches!(quota.admit(money("10.00000001")), Err(PurchaseBlock::Limit { .. })));
    assert!(SpendLimit::quota(Money::ZERO, money("90")).is_none(), "a quota not set limits nothing");
    assert!(SpendLimit::budget(money("5"), Money::ZERO, false).is_none(), "a budget alone only notifies (A-06)");
    let budget = SpendLimit::budget(Money::ZERO, Money::ZERO, true).unwrap();
    let refused = budget.admit(money("6.8")).unwrap_err().to_string();
    assert!(
        refused.contains("USD 6.80 is more than is left of the customer's budget (USD 0.00 of USD 0.00)"),
        "{refused}"
    );
}

#[test]
fn r_dist_03_a_restricted_distributor_stops_its_resellers_customers_buying() {
    use crate::partner::PartnerState::{Frozen, Normal, Restricted};
    assert_eq!(PurchaseBlock::of_partners(Some(Normal), Some(Restricted)), Some(PurchaseBlock::DistributorRestricted));
    assert_eq!(PurchaseBlock::of_partners(Some(Normal), Some(Normal)), None);
    assert_eq!(PurchaseBlock::of_partners(Some(Normal), None), None);
    assert_eq!(PurchaseBlock::of_partners(None, None), None, "a customer without a partner");
    // The partner's own state comes first (R-QUOTA-06, R-QUOTA-10).
    assert_eq!(PurchaseBlock::of_partners(Some(Restricted), Some(Restricted)), Some(PurchaseBlock::PartnerRestricted));
    assert_eq!(PurchaseBlock::of_partners(Some(Frozen), Some(Normal)), Some(PurchaseBlock::PartnerFrozen));
    // A frozen distributor freezes its resellers' accounts (R-DIST-05); their customers are then
    // held by their partner's freeze.
    assert_eq!(PurchaseBlock::of_partners(Some(Normal), Some(Frozen)), None);
}
