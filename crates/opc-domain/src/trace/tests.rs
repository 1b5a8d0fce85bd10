use super::*;
use crate::bill::ChargeKind;
use crate::catalog::{ChargingMode, PeriodType};
use crate::discount::AppliedLine;
use crate::order::Product;
use crate::{AccountId, OrderId, ResourceId};

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn line(official: &str, discount: &str, due: &str, uses: Vec<CouponUse>) -> PartnerBillLine {
    let sum =
        |test: bool| uses.iter().filter(|u| u.test == test).fold(Money::ZERO, |s, u| s.checked_add(u.amount).unwrap());
    PartnerBillLine {
        customer: AccountId::from_random([1; 16]),
        service_type: "hws.service.type.ec2".into(),
        mode: ChargingMode::Period,
        kind: ChargeKind::Expenditure,
        official: money(official),
        discount: money(discount),
        due: money(due),
        coupon: sum(false),
        test_coupon: sum(true),
        coupon_uses: uses,
    }
}

fn used(coupon: &str, amount: &str, test: bool, order: Option<&str>) -> CouponUse {
    CouponUse { coupon: coupon.into(), amount: money(amount), test, order: order.map(str::to_owned) }
}

#[test]
fn issue_15_a_bill_lines_trace_names_its_discount_and_each_coupon_and_adds_up() {
    let l = line(
        "10.8",
        "1.08",
        "9.72",
        vec![
            used("held", "6.12345678", false, Some("ORD1")),
            used("test", "1", true, None),
            used("cash", "2", false, None),
        ],
    );
    let t = bill_line(&l, Discount::parse("0.1").unwrap()).unwrap();
    assert_eq!(t.list(), money("10.8"));
    let steps: Vec<(Step, Money)> = t.steps().iter().map(|s| (s.step.clone(), s.amount)).collect();
    assert_eq!(
        steps,
        [
            (Step::SettlementDiscount { rate: Some(Discount::parse("0.1").unwrap()) }, money("1.08")),
            (
                Step::Coupon { coupon: Some("held".into()), test: false, order: Some("ORD1".into()) },
                money("6.12345678")
            ),
            (Step::Coupon { coupon: Some("test".into()), test: true, order: None }, money("1")),
            (Step::Coupon { coupon: Some("cash".into()), test: false, order: None }, money("2")),
        ]
    );
    assert_eq!(t.result(), money("0.59654322"), "what the partner pays itself, exact");
    // Terms changed since: the rate no longer gives the amount, so it is not shown.
    let t = bill_line(&l, Discount::parse("0.2").unwrap()).unwrap();
    assert_eq!(t.steps()[0].step, Step::SettlementDiscount { rate: None });
}

#[test]
fn issue_15_a_line_that_does_not_add_up_has_no_trace() {
    let rate = Discount::ZERO;
    assert_eq!(bill_line(&line("10", "1", "8", vec![]), rate), Err(Unbalanced), "10 − 1 ≠ 8");
    let mut l = line("10", "0", "10", vec![used("a", "4", false, None)]);
    l.coupon = money("5");
    assert_eq!(bill_line(&l, rate), Err(Unbalanced), "the coupons named sum to 4, the line says 5");
    // A line billed before coupons were itemized shows their sums, unnamed.
    let mut old = line("10", "0", "10", vec![]);
    (old.coupon, old.test_coupon) = (money("3"), money("1"));
    let t = bill_line(&old, rate).unwrap();
    assert_eq!(t.steps().len(), 3);
    assert_eq!(t.steps()[1].step, Step::Coupon { coupon: None, test: false, order: None });
    assert_eq!(t.result(), money("6"));
    // A refund line: its negative list price, less its negative settlement discount.
    let refund = line("-4", "-0.4", "-3.6", vec![]);
    let t = bill_line(&refund, Discount::parse("0.1").unwrap()).unwrap();
    assert_eq!((t.steps()[0].amount, t.result()), (money("-0.4"), money("-3.6")));
}

#[test]
fn r_cpn_33_an_order_lines_trace_is_list_less_the_partner_discount() {
    let id = OrderId::parse("CS1").unwrap();
    let product = Product {
        service_type: "hws.service.type.ec2".into(),
        resource_type: "hws.resource.type.vm".into(),
        spec: "s6.small.1.linux".into(),
        region: "ap-southeast-1".into(),
        size: None,
    };
    let r = |n: &str| (ResourceId::parse(n).unwrap(), None);
    let vm = OrderLine::purchase(&id, 1, r("r1"), &product, (PeriodType::Month, 1), money("6.8"));
    let disk = OrderLine::purchase(&id, 2, r("r2"), &product, (PeriodType::Month, 1), money("4"));
    let applied = AppliedDiscount {
        discount_id: "d1".into(),
        special: false,
        service_type: "hws.service.type.ec2".into(),
        off: Discount::parse("0.15").unwrap(),
        order: id.clone(),
        lines: vec![AppliedLine {
            line_id: vm.id().into(),
            list: money("6.8"),
            discount: money("1.02"),
            due: money("5.78"),
        }],
    };
    let t = order_line(&vm, Some(&applied)).unwrap();
    assert_eq!((t.list(), t.steps()[0].amount, t.result()), (money("6.8"), money("1.02"), money("5.78")));
    assert_eq!(
        t.steps()[0].step,
        Step::PartnerDiscount { id: "d1".into(), special: false, rate: Discount::parse("0.15").unwrap() }
    );
    let untouched = order_line(&disk, Some(&applied)).unwrap();
    assert_eq!((untouched.steps().len(), untouched.result()), (0, money("4")), "the discount left the disk");
    let wrong = AppliedDiscount { lines: vec![AppliedLine { due: money("5"), ..applied.lines[0].clone() }], ..applied };
    assert_eq!(order_line(&vm, Some(&wrong)), Err(Unbalanced));
}
