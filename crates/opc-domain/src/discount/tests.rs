use super::*;
use crate::catalog::PeriodType;
use crate::order::{OrderLine, OrderSource, OrderType, Orderer, Product};
use crate::time::Millis;
use crate::ResourceId;

const EC2: &str = "hws.service.type.ec2";
const OBS: &str = "hws.service.type.obs";
const MARKET: &str = "hws.service.type.marketplace";

fn t(day: u32) -> Timestamp {
    Timestamp::from_utc(2026, 5, day, 0, 0, 0).unwrap()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn off(text: &str) -> Discount {
    Discount::parse(text).unwrap()
}

fn partner(n: u8) -> PartnerId {
    PartnerId::from_random([n; 16])
}

fn customer(n: u8) -> AccountId {
    AccountId::from_random([n; 16])
}

fn product(service_type: &str) -> Product {
    Product {
        service_type: service_type.into(),
        resource_type: "hws.resource.type.vm".into(),
        spec: "s6.small.1.linux".into(),
        region: "ap-southeast-1".into(),
        size: None,
    }
}

/// A pending order of `who` placed with `link`, one line per (service type, list price).
fn order(who: &AccountId, link: Option<(PartnerId, AssociationModel)>, lines: &[(&str, &str)]) -> Order {
    let id = OrderId::parse("CS1").unwrap();
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, (st, price))| {
            let r = ResourceId::parse(&format!("r{i}")).unwrap();
            OrderLine::purchase(&id, i + 1, (r, None), &product(st), (PeriodType::Month, 1), money(price))
        })
        .collect();
    let by = Orderer { customer: who.clone(), partner: link, source: OrderSource::Customer, user_name: "c".into() };
    Order::pending(id, by, OrderType::New, lines, t(10))
}

fn policy(st: &str, allow: bool, exclusion: Option<Exclusion>) -> ServicePolicy {
    ServicePolicy::new(st, allow, IncentivePolicy::NonSpecific, exclusion, t(1)).unwrap()
}

fn scope(p: &PartnerId, st: &str, max: &str) -> DiscountScope {
    authorize(None, p, st, off(max), t(2), "ops", t(1)).unwrap()
}

fn general(p: &PartnerId, c: Option<&AccountId>, st: &str, rate: &str, id: &str) -> PartnerDiscount {
    let request = DiscountRequest {
        partner: p,
        customer: c.map(|c| (c, AssociationModel::Referral)),
        service_type: st,
        off: off(rate),
    };
    set_general(id.into(), &[], &request, Some(&scope(p, st, "0.3")), Some(&policy(st, true, None)), t(3)).unwrap()
}

#[test]
fn r_cpn_25_r_cpn_26_a_scope_is_authorized_per_product_type_and_discounts_stay_within_it() {
    let p = partner(1);
    assert_eq!(authorize(None, &p, " ", off("0.2"), t(2), "ops", t(1)), Err(DiscountError::ServiceType));
    assert_eq!(authorize(None, &p, EC2, Discount::ZERO, t(2), "ops", t(1)), Err(DiscountError::Rate));
    let s = scope(&p, EC2, "0.2");
    assert_eq!((s.max_off, s.version), (off("0.2"), 0));
    // Re-authorizing keeps the stored version for the concurrency check.
    let stored = DiscountScope { version: 4, ..s.clone() };
    assert_eq!(authorize(Some(stored), &p, EC2, off("0.1"), t(2), "ops", t(5)).unwrap().version, 4);

    let c = customer(9);
    let ask = |rate: &str, st: &'static str| DiscountRequest {
        partner: &p,
        customer: Some((&c, AssociationModel::Referral)),
        service_type: st,
        off: off(rate),
    };
    let ec2 = policy(EC2, true, None);
    let set =
        |r: &DiscountRequest<'_>, s: Option<&DiscountScope>, at| set_general("d1".into(), &[], r, s, Some(&ec2), at);
    assert!(set(&ask("0.2", EC2), Some(&s), t(3)).is_ok(), "at the scope's maximum");
    assert!(matches!(set(&ask("0.2001", EC2), Some(&s), t(3)), Err(DiscountError::BeyondScope { .. })));
    assert_eq!(
        set(&ask("0.1", EC2), Some(&s), t(1)),
        Err(DiscountError::NoScope(EC2.into())),
        "before the scope's start"
    );
    assert_eq!(set(&ask("0.1", EC2), None, t(3)), Err(DiscountError::NoScope(EC2.into())));
    // A scope on another product type does not cover this one (R-CPN-26).
    let obs = scope(&p, OBS, "0.5");
    let request = ask("0.1", EC2);
    assert_eq!(set(&request, Some(&obs), t(3)), Err(DiscountError::NoScope(EC2.into())));
    // Nor another partner's scope.
    let theirs = scope(&partner(2), EC2, "0.5");
    assert_eq!(set(&request, Some(&theirs), t(3)), Err(DiscountError::NoScope(EC2.into())));
}

#[test]
fn r_cpn_27_r_rcm_13_no_discount_for_reseller_customers() {
    let (p, c) = (partner(1), customer(9));
    let request = DiscountRequest {
        partner: &p,
        customer: Some((&c, AssociationModel::Reseller)),
        service_type: EC2,
        off: off("0.1"),
    };
    let s = scope(&p, EC2, "0.3");
    let ec2 = policy(EC2, true, None);
    assert_eq!(
        set_general("d".into(), &[], &request, Some(&s), Some(&ec2), t(3)),
        Err(DiscountError::ResellerCustomer)
    );
    // A reseller customer's order is offered nothing, even by a discount for all customers.
    let all = general(&p, None, EC2, "0.1", "d1");
    let o = order(&c, Some((p.clone(), AssociationModel::Reseller)), &[(EC2, "10")]);
    let link = (p.clone(), AssociationModel::Reseller);
    let w = Weighed {
        order: &o,
        current: Some(&link),
        discounts: &[all],
        scopes: std::slice::from_ref(&s),
        policies: std::slice::from_ref(&ec2),
        now: t(11),
    };
    assert_eq!(offers(&w).unwrap(), vec![]);
    // Nor a special discount on it.
    assert_eq!(
        set_special("d2".into(), &[], &o, &request, Some(&s), Some(&ec2), t(11)),
        Err(DiscountError::ResellerCustomer)
    );
}

#[test]
fn r_cpn_28_r_cpn_29_a_09_exclusions_win_and_the_list_is_data() {
    let line = |st, billing| LineFacts { service_type: st, billing, other_discount: false };
    let ec2 = policy(EC2, true, None);
    for billing in [Billing::YearlyMonthly, Billing::PayPerUse, Billing::Package] {
        assert_eq!(eligibility(&line(EC2, billing), Some(&ec2)), Ok(()), "{billing:?}");
    }
    // Spot pricing is excluded even on a listed product type.
    assert_eq!(eligibility(&line(EC2, Billing::Spot), Some(&ec2)), Err(Ineligible::Excluded(Exclusion::Spot)));
    // A listed product type marked as an exclusion stays excluded (A-09: exclusions win).
    for exclusion in Exclusion::ALL {
        let p = policy(MARKET, true, Some(exclusion));
        assert_eq!(eligibility(&line(MARKET, Billing::YearlyMonthly), Some(&p)), Err(Ineligible::Excluded(exclusion)));
        assert!(!p.allows_discount(), "B2.9.2 allow_discount is NO for {exclusion:?}");
    }
    // Not on the list, or no policy at all: no partner discount.
    assert_eq!(
        eligibility(&line(OBS, Billing::PayPerUse), Some(&policy(OBS, false, None))),
        Err(Ineligible::NotListed)
    );
    assert_eq!(eligibility(&line(OBS, Billing::PayPerUse), None), Err(Ineligible::NotListed));
    assert!(ec2.allows_discount());
}

#[test]
fn r_cpn_30_yearly_terms_of_any_length_are_eligible_when_listed() {
    // One-year and three-year RIs and normal one-year products are named as eligible: the term
    // does not exclude a yearly/monthly line; the list decides.
    let (p, c) = (partner(1), customer(9));
    let link = (p.clone(), AssociationModel::Referral);
    let id = OrderId::parse("CS9").unwrap();
    let r = ResourceId::parse("r1").unwrap();
    let line = OrderLine::purchase(&id, 1, (r, None), &product(EC2), (PeriodType::Year, 3), money("1000"));
    let by = Orderer {
        customer: c.clone(),
        partner: Some(link.clone()),
        source: OrderSource::Customer,
        user_name: "c".into(),
    };
    let o = Order::pending(id, by, OrderType::New, vec![line], t(10));
    let w = Weighed {
        order: &o,
        current: Some(&link),
        discounts: &[general(&p, Some(&c), EC2, "0.1", "d1")],
        scopes: &[scope(&p, EC2, "0.3")],
        policies: &[policy(EC2, true, None)],
        now: t(11),
    };
    assert_eq!(offers(&w).unwrap()[0].lines[0].discount, money("100"));
}

#[test]
fn r_cpn_31_no_combination_with_promotional_discounts() {
    let ec2 = policy(EC2, true, None);
    let promoted = LineFacts { service_type: EC2, billing: Billing::YearlyMonthly, other_discount: true };
    assert_eq!(eligibility(&promoted, Some(&ec2)), Err(Ineligible::OtherDiscount));
}

#[test]
fn r_cpn_11_r_cpn_32_a_coupon_combines_with_a_discount_as_its_restrictions_say() {
    let applied = AppliedDiscount {
        discount_id: "d1".into(),
        special: false,
        service_type: EC2.into(),
        off: off("0.2"),
        order: OrderId::parse("CS1").unwrap(),
        lines: vec![],
    };
    let terms = |with, min: Option<&str>| CouponTerms { with_partner_discount: with, min_payable: min.map(off) };
    assert!(combinable_with_coupon(&applied, &terms(true, None)));
    assert!(!combinable_with_coupon(&applied, &terms(false, None)));
    // Paid at 0.8 of list: a coupon that accepts down to 0.8 combines, one that needs 0.85 does not.
    assert!(combinable_with_coupon(&applied, &terms(true, Some("0.8"))));
    assert!(!combinable_with_coupon(&applied, &terms(true, Some("0.85"))));
}

#[test]
fn r_cpn_25_r_cpn_33_a_referral_customers_order_is_offered_its_discounts_and_pays_the_amount_due() {
    let (p, c) = (partner(1), customer(9));
    let link = (p.clone(), AssociationModel::Referral);
    let o = order(&c, Some(link.clone()), &[(EC2, "6.8"), (OBS, "3.33333333"), (EC2, "0.00000005")]);
    let mine = general(&p, Some(&c), EC2, "0.15", "d-mine");
    let all_ec2 = general(&p, None, EC2, "0.05", "d-all-ec2");
    let all_obs = general(&p, None, OBS, "0.1", "d-all-obs");
    let other = general(&p, Some(&customer(8)), OBS, "0.2", "d-other");
    let scopes = [scope(&p, EC2, "0.3"), scope(&p, OBS, "0.3")];
    let policies = [policy(EC2, true, None), policy(OBS, true, None)];
    let discounts = [all_ec2, mine, all_obs, other];
    let w = Weighed {
        order: &o,
        current: Some(&link),
        discounts: &discounts,
        scopes: &scopes,
        policies: &policies,
        now: t(11),
    };
    let offered = offers(&w).unwrap();
    // The customer's own EC2 discount wins over the one for all; OBS's for all; not another's.
    let ids: Vec<&str> = offered.iter().map(|a| a.discount_id.as_str()).collect();
    assert_eq!(ids, ["d-mine", "d-all-obs"]);
    let ec2 = &offered[0];
    // 6.8 × 0.15 = 1.02 exactly; 0.00000005 × 0.15 = 0.0000000075 → 0.00000001 (half away from zero).
    assert_eq!(
        ec2.lines,
        vec![
            AppliedLine { line_id: "CS1-1".into(), list: money("6.8"), discount: money("1.02"), due: money("5.78") },
            AppliedLine {
                line_id: "CS1-3".into(),
                list: money("0.00000005"),
                discount: money("0.00000001"),
                due: money("0.00000004")
            },
        ]
    );
    // 3.33333333 × 0.1 = 0.333333333 → 0.33333333.
    assert_eq!(offered[1].lines[0].discount, money("0.33333333"));
    assert_eq!(offered[1].lines[0].due, money("3.00000000"));

    // Paying with it charges the amount due: the list total less the discount.
    let chosen = choose(offered.clone(), Some(("d-mine", false))).unwrap().unwrap();
    let payment = o.payment(Some(link.clone()), t(11), Millis(0)).unwrap();
    assert_eq!(payment.charge.amount, money("10.13333338"));
    let paid = discounted(payment, &chosen).unwrap();
    assert_eq!(paid.charge.amount, money("9.11333337"));
    // Nothing chosen is allowed when no price adjustment exists; an id not offered is refused.
    assert_eq!(choose(offered.clone(), None), Ok(None));
    assert_eq!(choose(offered.clone(), Some(("d-other", false))), Err(DiscountError::NotOffered("d-other".into())));
    assert_eq!(
        choose(offered.clone(), Some(("d-mine", true))),
        Err(DiscountError::NotOffered("d-mine".into())),
        "type 609 names a special one"
    );
    // R-CPN-33: an automatic payment takes the general discount that takes the most off: 1.02
    // of EC2 against 0.33333333 of OBS.
    let auto = for_automatic_payment(offered.clone()).unwrap().unwrap();
    assert_eq!(auto.discount_id, "d-mine");
    let obs_only: Vec<AppliedDiscount> = offered.into_iter().filter(|a| a.discount_id == "d-all-obs").collect();
    assert_eq!(for_automatic_payment(obs_only).unwrap().unwrap().discount_id, "d-all-obs");
    assert_eq!(for_automatic_payment(vec![]), Ok(None));
}

#[test]
fn r_cpn_25_a_price_adjustment_is_for_one_order_and_must_be_used() {
    let (p, c) = (partner(1), customer(9));
    let link = (p.clone(), AssociationModel::Referral);
    let o = order(&c, Some(link.clone()), &[(EC2, "100")]);
    let s = scope(&p, EC2, "0.3");
    let ec2 = policy(EC2, true, None);
    let request = DiscountRequest {
        partner: &p,
        customer: Some((&c, AssociationModel::Referral)),
        service_type: EC2,
        off: off("0.25"),
    };
    let special = set_special("s1".into(), &[], &o, &request, Some(&s), Some(&ec2), t(11)).unwrap();
    assert!(special.is_special());
    // Setting it again replaces the rate of the same discount.
    let again = DiscountRequest { off: off("0.2"), ..request };
    let replaced =
        set_special("s2".into(), std::slice::from_ref(&special), &o, &again, Some(&s), Some(&ec2), t(11)).unwrap();
    assert_eq!((replaced.id.as_str(), replaced.off), ("s1", off("0.2")));
    // Not on another product type of the order, nor on an order no longer pending.
    let obs = DiscountRequest { service_type: OBS, ..again };
    let obs_scope = scope(&p, OBS, "0.3");
    let obs_policy = policy(OBS, true, None);
    assert_eq!(
        set_special("s3".into(), &[], &o, &obs, Some(&obs_scope), Some(&obs_policy), t(11)),
        Err(DiscountError::NoEligibleLine)
    );
    let cancelled = o.cancel().unwrap();
    assert_eq!(
        set_special("s3".into(), &[], &cancelled, &again, Some(&s), Some(&ec2), t(11)),
        Err(DiscountError::OrderNotPending)
    );
    // Another customer's order is not this customer's.
    let theirs = order(&customer(8), Some(link.clone()), &[(EC2, "100")]);
    assert_eq!(
        set_special("s3".into(), &[], &theirs, &again, Some(&s), Some(&ec2), t(11)),
        Err(DiscountError::OrderNotReferral)
    );

    let discounts = [replaced, general(&p, Some(&c), EC2, "0.1", "g1")];
    let w =
        Weighed { order: &o, current: Some(&link), discounts: &discounts, scopes: &[s], policies: &[ec2], now: t(11) };
    let offered = offers(&w).unwrap();
    assert_eq!(
        offered.iter().map(|a| (a.discount_id.as_str(), a.special)).collect::<Vec<_>>(),
        [("s1", true), ("g1", false)]
    );
    assert_eq!(choose(offered.clone(), None), Err(DiscountError::AdjustmentRequired("s1".into())));
    assert_eq!(choose(offered.clone(), Some(("g1", false))), Err(DiscountError::AdjustmentRequired("s1".into())));
    let chosen = choose(offered, Some(("s1", true))).unwrap().unwrap();
    assert_eq!(chosen.lines[0].due, money("80"));
}

#[test]
fn r_cpn_25_discounts_apply_only_to_a_pending_order_placed_and_kept_with_the_partner() {
    let (p, c) = (partner(1), customer(9));
    let link = (p.clone(), AssociationModel::Referral);
    let d = [general(&p, None, EC2, "0.1", "d1")];
    let scopes = [scope(&p, EC2, "0.3")];
    let policies = [policy(EC2, true, None)];
    let weigh = |o: &Order, current: Option<&(PartnerId, AssociationModel)>, scopes: &[DiscountScope], now| {
        offers(&Weighed { order: o, current, discounts: &d, scopes, policies: &policies, now }).unwrap().len()
    };
    let o = order(&c, Some(link.clone()), &[(EC2, "10")]);
    assert_eq!(weigh(&o, Some(&link), &scopes, t(11)), 1);
    // Placed before the association, or since moved to another partner: none.
    assert_eq!(weigh(&order(&c, None, &[(EC2, "10")]), Some(&link), &scopes, t(11)), 0);
    let elsewhere = (partner(2), AssociationModel::Referral);
    assert_eq!(weigh(&o, Some(&elsewhere), &scopes, t(11)), 0);
    assert_eq!(weigh(&o, None, &scopes, t(11)), 0);
    // Paid or cancelled: none.
    assert_eq!(weigh(&o.cancel().unwrap(), Some(&link), &scopes, t(11)), 0);
    // A scope lowered below the discount, or not started: not offered.
    assert_eq!(weigh(&o, Some(&link), &[scope(&p, EC2, "0.05")], t(11)), 0);
    assert_eq!(weigh(&o, Some(&link), &scopes, t(1)), 0);
    // Excluded since by the policy: not offered.
    let excluded = [policy(EC2, true, Some(Exclusion::OcsaNode))];
    let w =
        Weighed { order: &o, current: Some(&link), discounts: &d, scopes: &scopes, policies: &excluded, now: t(11) };
    assert_eq!(offers(&w).unwrap(), vec![]);
}

#[test]
fn discount_rates_are_read_as_huaweis_payable_fraction() {
    assert_eq!(payable(off("0.15")).fraction_text(), "0.85");
    assert_eq!(payable(off("1")).fraction_text(), "0");
}
