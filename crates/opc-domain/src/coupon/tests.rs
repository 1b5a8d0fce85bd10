use super::*;
use crate::time::Millis;
use crate::usage::Cycle;

const EC2: &str = "hws.service.type.ec2";
const OBS: &str = "hws.service.type.obs";
const DAY: Millis = Millis(86_400_000);

pub(super) fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

pub(super) fn partner(n: u8) -> PartnerId {
    PartnerId::from_random([n; 16])
}

pub(super) fn customer(n: u8) -> AccountId {
    AccountId::from_random([n; 16])
}

pub(super) fn t(day: u32) -> Timestamp {
    Timestamp::from_utc(2026, 5, day, 0, 0, 0).unwrap()
}

pub(super) fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("id{n:03}")
    }
}

fn act(day: u32) -> Act {
    Act { at: t(day), operator: "ops".into(), remark: String::new() }
}

fn may() -> Validity {
    Validity::new(t(1), t(31)).unwrap()
}

fn quota(value: &str) -> CouponQuota {
    grant(&mut ids(), &partner(1), money(value), may(), Limits::default(), &act(1)).unwrap().0
}

fn request(face: &str) -> CouponRequest {
    CouponRequest { face_value: money(face), from: None, to: None, limits: Limits::default(), memo: String::new() }
}

#[test]
fn r_cpn_01_a_granted_quota_holds_its_value_and_its_entry_says_so() {
    let (q, e) = grant(&mut ids(), &partner(1), money("100"), may(), Limits::default(), &act(1)).unwrap();
    assert_eq!((q.value, q.balance, q.status(t(2))), (money("100"), money("100"), QuotaStatus::Normal));
    assert_eq!((e.kind, e.amount, e.balance_after), (QuotaEntryKind::Grant, money("100"), money("100")));
    assert_eq!(q.status(t(31)), QuotaStatus::Expired);
    for bad in ["0", "-1", "1.001"] {
        let r = grant(&mut ids(), &partner(1), money(bad), may(), Limits::default(), &act(1));
        assert_eq!(r.unwrap_err(), CouponError::Amount, "{bad}");
    }
}

#[test]
fn r_dist_02_a_distributor_passes_quota_down_and_takes_the_rest_back() {
    let mut parent = quota("100");
    let (mut child, [out, into]) = issue_quota(&mut ids(), &mut parent, &partner(2), money("30"), &act(2)).unwrap();
    assert_eq!((parent.balance, child.balance, child.value), (money("70"), money("30"), money("30")));
    assert_eq!((out.amount, into.amount, out.transfer.clone()), (money("-30"), money("30"), into.transfer.clone()));
    assert_eq!(
        (child.parent.as_deref(), child.validity, child.partner.clone()),
        (Some(parent.id.as_str()), may(), partner(2))
    );
    let over = issue_quota(&mut ids(), &mut parent, &partner(2), money("70.01"), &act(2));
    assert!(matches!(over, Err(CouponError::InsufficientQuota { .. })));

    // Issue a coupon from the child, then reclaim the child: only what is left comes back.
    issue_coupons(&mut ids(), &mut child, &request("10"), &[(customer(1), true)], &act(3)).unwrap();
    assert_eq!(quota_reclaimable(&child), Ok(money("20")), "what the take-back button shows");
    let (amount, [c, p]) = reclaim_quota(&mut ids(), &mut parent, &mut child, &act(4)).unwrap();
    assert_eq!((amount, c.amount, p.amount), (money("20"), money("-20"), money("20")));
    assert_eq!((parent.balance, child.balance, child.status(t(5))), (money("90"), Money::ZERO, QuotaStatus::Reclaimed));
    assert_eq!(reclaim_quota(&mut ids(), &mut parent, &mut child, &act(4)).unwrap_err(), CouponError::NothingToReclaim);
    assert_eq!(quota_reclaimable(&child), Err(CouponError::NothingToReclaim));
    let mut stranger = CouponQuota { id: "stranger".into(), ..quota("5") };
    assert!(matches!(
        reclaim_quota(&mut ids(), &mut stranger, &mut child, &act(4)),
        Err(CouponError::NotChildQuota { .. })
    ));
}

#[test]
fn b2_5_1_coupons_go_to_eligible_customers_until_the_quota_runs_out() {
    let mut q = quota("25");
    let customers = [(customer(1), true), (customer(2), false), (customer(3), true), (customer(4), true)];
    let issued = issue_coupons(&mut ids(), &mut q, &request("10"), &customers, &act(2)).unwrap();
    assert_eq!(
        issued.coupons.iter().map(|c| c.customer.clone().unwrap()).collect::<Vec<_>>(),
        [customer(1), customer(3)]
    );
    assert_eq!(
        issued.refused,
        [(customer(2), Refusal::NotResellerCustomer), (customer(4), Refusal::InsufficientQuota)]
    );
    assert_eq!(q.balance, money("5"));
    let sum = issued.quota_entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.amount)).unwrap();
    assert_eq!(sum, money("-20"), "the quota's ledger moves by what was issued");
    assert!(issued.coupons.iter().all(|c| c.validity == may() && c.status(t(2)) == CouponStatus::Available));
}

#[test]
fn b2_5_1_a_request_outside_the_quota_is_refused_whole() {
    let mut q = quota("100");
    q.limits = Limits::new(vec![EC2.into()], vec![]).unwrap();
    let one = [(customer(1), true)];
    let mut r = request("1");
    (r.from, r.to) = (Some(t(1)), Some(t(31).plus(DAY)));
    assert!(matches!(
        issue_coupons(&mut ids(), &mut q, &r, &one, &act(2)),
        Err(CouponError::ValidityOutsideQuota { .. })
    ));
    let mut r = request("1");
    r.limits = Limits::new(vec![OBS.into()], vec![]).unwrap();
    assert!(matches!(issue_coupons(&mut ids(), &mut q, &r, &one, &act(2)), Err(CouponError::LimitOutsideQuota { .. })));
    assert_eq!(issue_coupons(&mut ids(), &mut q, &request("1.005"), &one, &act(2)).unwrap_err(), CouponError::Amount);
    let many: Vec<_> = (0..=100).map(|n| (customer(n), true)).collect();
    assert_eq!(
        issue_coupons(&mut ids(), &mut q, &request("1"), &many, &act(2)).unwrap_err(),
        CouponError::Customers { max: MAX_CUSTOMERS }
    );
    assert!(matches!(
        issue_coupons(&mut ids(), &mut q, &request("1"), &one, &act(31)),
        Err(CouponError::QuotaNotUsable(_))
    ));
    assert_eq!(q.balance, money("100"), "nothing was taken");
    // Limits left empty inherit the quota's.
    let issued = issue_coupons(&mut ids(), &mut q, &request("1"), &one, &act(2)).unwrap();
    assert_eq!(issued.coupons[0].limits.service_types(), [EC2]);
}

#[test]
fn b2_5_10_reclaim_takes_the_whole_remaining_balance_of_an_available_coupon_only() {
    let mut q = quota("50");
    let mut c =
        issue_coupons(&mut ids(), &mut q, &request("20"), &[(customer(1), true)], &act(2)).unwrap().coupons.remove(0);
    c.balance = money("12.34567891");
    assert_eq!(reclaimable(&c, t(3)), Ok(money("12.34567891")), "what the confirmation shows");
    let (amount, into, out) = reclaim_coupon(&mut ids(), &mut c, &mut q, &act(3)).unwrap();
    assert_eq!((amount, into.amount, out.amount), (money("12.34567891"), money("12.34567891"), money("-12.34567891")));
    assert_eq!((q.balance, c.balance, c.status(t(3))), (money("42.34567891"), Money::ZERO, CouponStatus::Reclaimed));
    assert!(matches!(reclaim_coupon(&mut ids(), &mut c, &mut q, &act(3)), Err(CouponError::NotReclaimable(_))));
    assert!(matches!(reclaimable(&c, t(3)), Err(CouponError::NotReclaimable(_))));
    let mut expired =
        issue_coupons(&mut ids(), &mut q, &request("1"), &[(customer(1), true)], &act(2)).unwrap().coupons.remove(0);
    assert!(matches!(reclaim_coupon(&mut ids(), &mut expired, &mut q, &act(31)), Err(CouponError::NotReclaimable(_))));
}

#[test]
fn an_expired_coupon_returns_its_balance_to_its_quota_once() {
    let mut q = quota("50");
    let mut c =
        issue_coupons(&mut ids(), &mut q, &request("20"), &[(customer(1), true)], &act(2)).unwrap().coupons.remove(0);
    assert_eq!(expire_coupon(&mut ids(), &mut c, Some(&mut q), &act(30)).unwrap(), None, "still valid");
    let (back, out) = expire_coupon(&mut ids(), &mut c, Some(&mut q), &act(31)).unwrap().unwrap();
    assert_eq!((back.unwrap().amount, out.amount, q.balance), (money("20"), money("-20"), money("50")));
    assert_eq!(c.status(t(31)), CouponStatus::Expired);
    assert_eq!(expire_coupon(&mut ids(), &mut c, Some(&mut q), &act(31)).unwrap(), None, "only once");
}

/// A bill of May paying `lines`, at most `cap`, deducted at its end.
pub(crate) fn to_pay<'a>(cap: Money, lines: &'a [Payable<'a>], trade: &'a str) -> BillToPay<'a> {
    BillToPay { cap, lines, refunds: &[], cycle: (t(1), t(31)), trade, at: t(31) }
}

fn general(id: &str, face: &str, to_day: u32) -> Coupon {
    let r = CouponRequest { from: Some(t(1)), to: Some(t(to_day)), ..request(face) };
    let (mut c, _) = operator_coupon(&mut ids(), &partner(1), None, &r, &act(1)).unwrap();
    c.id = id.into();
    c
}

fn specific(id: &str, face: &str, n: u8) -> Coupon {
    Coupon { customer: Some(customer(n)), ..general(id, face, 31) }
}

#[test]
fn r_cpn_03_r_cpn_09_customer_coupons_go_first_then_general_ones_by_expiry() {
    let (c1, c2) = (customer(1), customer(2));
    let lines = [
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("30"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c2,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("10.00000001"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("-5"),
            ordered: false,
            order_refunds: false,
        },
    ];
    let mut coupons = vec![
        general("late", "100", 31),
        general("early", "15", 20),
        specific("mine", "20", 1),
        specific("yours", "1", 2),
    ];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    // c1: 20 of its own, then 10 of "early"; c2: 1 of its own, then 5 of "early", then "late".
    assert_eq!(d.per_line, [money("30"), money("10.00000001"), Money::ZERO]);
    let left: Vec<_> = coupons.iter().map(|c| (c.id.as_str(), c.balance)).collect();
    assert_eq!(
        left,
        [("late", money("95.99999999")), ("early", Money::ZERO), ("mine", Money::ZERO), ("yours", Money::ZERO)]
    );
    let entries: Money = d.entries.iter().try_fold(Money::ZERO, |s, e| s.checked_add(e.amount)).unwrap();
    assert_eq!(entries, money("-40.00000001"), "R-BILL-07: what the coupons lost is what the lines got, to 10⁻⁸");
    assert!(d.entries.iter().all(|e| e.kind == CouponEntryKind::Deduct && e.trade == "bill"));
}

#[test]
fn r_cpn_03_only_coupons_valid_in_the_cycle_and_allowing_the_service_pay() {
    let c1 = customer(1);
    let lines = [Payable {
        customer: &c1,
        service_type: EC2,
        mode: ChargingMode::OnDemand,
        due: money("10"),
        ordered: false,
        order_refunds: false,
    }];
    let mut obs_only = general("obs", "5", 31);
    obs_only.limits = Limits::new(vec![OBS.into()], vec![]).unwrap();
    let mut product_only = general("product", "5", 31);
    product_only.limits = Limits::new(vec![], vec!["p1".into()]).unwrap();
    let mut later = general("june", "5", 31);
    later.validity = Validity::new(t(31), t(31).plus(DAY)).unwrap();
    let mut reclaimed = general("gone", "5", 31);
    reclaimed.closure = Some(Closure::Reclaimed);
    let mut coupons = vec![obs_only, product_only, later, reclaimed, specific("other", "5", 9)];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!(d.per_line, [Money::ZERO]);
    assert!(d.entries.is_empty());
}

#[test]
fn r_cpn_03_coupons_never_pay_more_than_the_bill_is_due() {
    let c1 = customer(1);
    let lines = [
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("10"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: OBS,
            mode: ChargingMode::OnDemand,
            due: money("-4"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("3"),
            ordered: false,
            order_refunds: false,
        },
    ];
    let mut coupons = vec![general("big", "100", 31)];
    let d = deduct(&mut ids(), &to_pay(money("9"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!(d.per_line, [money("9"), Money::ZERO, Money::ZERO]);
    assert_eq!(coupons[0].balance, money("91"));
}

#[test]
fn b2_5_3_an_issue_a_refund_and_a_members_return_are_revenue_to_the_coupons_holder() {
    let revenue: Vec<_> = CouponEntryKind::ALL.into_iter().filter(|k| k.is_revenue()).collect();
    assert_eq!(revenue, [CouponEntryKind::Issue, CouponEntryKind::Refund, CouponEntryKind::MemberReturn]);
}

fn order_lines() -> [OrderLineToPay<'static>; 2] {
    [
        OrderLineToPay { service_type: EC2, product: "s6.small.1.linux", official: money("30") },
        OrderLineToPay { service_type: OBS, product: "obs.standard", official: money("20") },
    ]
}

#[test]
fn r_cpn_02_r_cpn_04_paying_an_order_holds_the_coupon_and_moves_no_money() {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    let mut coupon = specific("cpn-a", "40", 1);
    let hold = hold_for_order(&mut coupon, &order, Cycle(202601), t(2)).unwrap();
    assert_eq!(hold.parts, [(EC2.to_owned(), money("50"))], "billed under the order's main service type");
    assert_eq!((hold.order.as_str(), hold.coupon.as_str(), hold.state), ("ORD1", "cpn-a", HoldState::Held));
    assert_eq!((coupon.balance, coupon.held_by.as_deref()), (money("40"), Some("ORD1")), "deducted with the bill");
    // B2.6.1 `used_by_order_id`: only the holding order may use it now.
    let other = OrderToPay { id: "ORD2", ..order };
    assert_eq!(usable_for_order(&coupon, &other, t(2)), Err(NotForOrder::HeldBy("ORD1".into())));
    assert_eq!(usable_for_order(&coupon, &order, t(2)), Ok(()));
    // It can be neither reclaimed nor expire while held.
    assert!(matches!(reclaimable(&coupon, t(2)), Err(CouponError::NotReclaimable(_))));
    assert_eq!(expire_coupon(&mut ids(), &mut coupon, None, &act(31)).unwrap(), None);
}

#[test]
fn r_cpn_02_r_cpn_06_only_the_partners_available_coupons_that_apply_to_every_product_pay() {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    let check = |c: &Coupon| usable_for_order(c, &order, t(2));
    assert_eq!(check(&general("g", "10", 31)), Ok(()));
    assert_eq!(check(&specific("s", "10", 1)), Ok(()));
    assert_eq!(check(&specific("other", "10", 2)), Err(NotForOrder::NotTheirs), "another customer's");
    let referral = OrderToPay { partner: None, ..order };
    assert_eq!(usable_for_order(&general("g", "10", 31), &referral, t(2)), Err(NotForOrder::NotTheirs));
    let foreign = Coupon { partner: partner(2), ..general("f", "10", 31) };
    assert_eq!(check(&foreign), Err(NotForOrder::NotTheirs), "another partner's");
    let test = Coupon { kind: CouponKind::Test, ..general("t", "10", 31) };
    assert_eq!(check(&test), Err(NotForOrder::TestCoupon));
    assert_eq!(check(&general("old", "10", 2)), Err(NotForOrder::Status(CouponStatus::Expired)));
    let empty = Coupon { balance: Money::ZERO, ..general("e", "10", 31) };
    assert_eq!(check(&empty), Err(NotForOrder::Status(CouponStatus::Used)));
    let ec2_only = Coupon { limits: Limits::new(vec![EC2.into()], vec![]).unwrap(), ..general("l", "10", 31) };
    assert_eq!(check(&ec2_only), Err(NotForOrder::Limits), "it must apply to every product of the order");
    let free = [OrderLineToPay { official: Money::ZERO, ..order_lines()[0] }];
    let nothing = OrderToPay { lines: &free, ..order };
    assert_eq!(usable_for_order(&general("g", "10", 31), &nothing, t(2)), Err(NotForOrder::NothingDue));
    let mut refused = specific("other", "10", 2);
    let err = hold_for_order(&mut refused, &order, Cycle(202601), t(2)).unwrap_err();
    assert!(matches!(err, CouponError::NotForOrder(_)), "{err:?}");
    assert_eq!(refused.held_by, None, "a refused coupon is left as it was");
}

/// The bill's lines for customer 1: its yearly/monthly EC2 and OBS lines (where orders land),
/// and a pay-per-use EC2 line.
fn lines_with_orders(c1: &AccountId) -> [Payable<'_>; 3] {
    [
        Payable {
            customer: c1,
            service_type: EC2,
            mode: ChargingMode::Period,
            due: money("27"),
            ordered: true,
            order_refunds: false,
        },
        Payable {
            customer: c1,
            service_type: OBS,
            mode: ChargingMode::Period,
            due: money("18"),
            ordered: true,
            order_refunds: false,
        },
        Payable {
            customer: c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("50"),
            ordered: false,
            order_refunds: false,
        },
    ]
}

#[test]
fn r_cpn_02_r_cpn_08_a_held_coupon_pays_its_order_at_the_settlement_price_before_any_other() {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    // Held on day 2 with a validity ending on day 10: the bill on day 31 still deducts it.
    let mut held = Coupon { customer: Some(c1.clone()), ..general("held", "100", 10) };
    hold_for_order(&mut held, &order, Cycle(202601), t(2)).unwrap();
    let mut coupons = vec![specific("own", "1000", 1), held];
    // The order's 30 + 20 at list price is owed at a 10 % settlement discount: 27 + 18.
    let holds =
        [HeldOrder { order: "ORD1", coupon: "held", customer: &c1, due: vec![(EC2, money("27")), (OBS, money("18"))] }];
    let bill_lines = lines_with_orders(&c1);
    let d = deduct(&mut ids(), &to_pay(money("95"), &bill_lines, "bill"), &mut coupons, &holds).unwrap();
    assert_eq!(d.held, [money("45")]);
    // The held coupon paid its order's lines first. Released, it was valid in the cycle and
    // expires first, so it also paid the pay-per-use line before the customer's other coupon.
    assert_eq!(d.per_line, [money("27"), money("18"), money("50")]);
    let held = coupons.iter().find(|c| c.id == "held").unwrap();
    assert_eq!((held.held_by.as_deref(), held.balance), (None, money("5")), "the hold ends with the bill");
    let order_entry = d.entries.iter().find(|e| e.trade == "ORD1").unwrap();
    assert_eq!(
        (order_entry.coupon.as_str(), order_entry.amount, order_entry.balance_after),
        ("held", money("-45"), money("55"))
    );
    let bill: Vec<_> = d.entries.iter().filter(|e| e.trade == "bill").map(|e| (e.coupon.as_str(), e.amount)).collect();
    assert_eq!(bill, [("held", money("-50"))]);
}

#[test]
fn r_cpn_02_a_held_coupon_pays_only_its_order_as_far_as_its_balance_and_the_bill_go() {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    let mut small = general("small", "30.5", 31);
    hold_for_order(&mut small, &order, Cycle(202601), t(2)).unwrap();
    // Another coupon held for an order of the next month pays nothing on this bill.
    let mut later = general("later", "100", 31);
    later.held_by = Some("ORD9".into());
    let mut coupons = vec![small, later];
    let holds = [HeldOrder {
        order: "ORD1",
        coupon: "small",
        customer: &c1,
        due: vec![(EC2, money("27")), (OBS, money("18"))],
    }];
    let bill_lines = lines_with_orders(&c1);
    let d = deduct(&mut ids(), &to_pay(money("95"), &bill_lines, "bill"), &mut coupons, &holds).unwrap();
    assert_eq!(d.held, [money("30.5")]);
    assert_eq!(d.per_line, [money("27"), money("3.5"), Money::ZERO]);
    assert_eq!(coupons[1].balance, money("100"));
    assert_eq!(coupons[1].held_by.as_deref(), Some("ORD9"));
    // A bill whose amount due is lower (a refund on it) caps what the held coupon pays.
    let mut coupons = vec![general("small", "30.5", 31)];
    coupons[0].held_by = Some("ORD1".into());
    let d = deduct(&mut ids(), &to_pay(money("20"), &bill_lines, "bill"), &mut coupons, &holds).unwrap();
    assert_eq!(
        (d.held.as_slice(), d.per_line.as_slice()),
        ([money("20")].as_slice(), [money("20"), Money::ZERO, Money::ZERO].as_slice())
    );
    // A hold whose coupon no longer holds the order (released) pays nothing.
    let mut coupons = vec![general("small", "30.5", 31)];
    let d = deduct(&mut ids(), &to_pay(money("95"), &bill_lines, "bill"), &mut coupons, &holds).unwrap();
    assert_eq!(d.held, [Money::ZERO]);
}

#[test]
fn r_cpn_10_unsubscribing_before_the_bill_takes_the_part_off_the_hold_and_frees_the_coupon_at_the_end() {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    let mut coupon = specific("cpn-a", "40", 1);
    let mut hold = hold_for_order(&mut coupon, &order, Cycle(202601), t(2)).unwrap();
    // A part of 20, not yet in effect, is unsubscribed: the coupon stays held for the rest.
    assert_eq!(refund_on_hold(&mut coupon, &mut hold, money("20"), t(3)), Ok(true));
    assert_eq!(hold.parts, [(EC2.to_owned(), money("30"))]);
    assert_eq!((hold.state, coupon.held_by.as_deref()), (HoldState::Held, Some("ORD1")));
    // Then the rest: nothing is left to pay, so the hold ends unused.
    assert_eq!(refund_on_hold(&mut coupon, &mut hold, money("30"), t(4)), Ok(true));
    assert_eq!(
        (coupon.held_by.as_deref(), coupon.balance, hold.state),
        (None, money("40"), HoldState::Released { at: t(4) })
    );
    assert_eq!(refund_on_hold(&mut coupon, &mut hold, money("30"), t(5)), Ok(false), "once");
}

/// A hold of "cpn-a" for ORD1 (50 at list price), which the bill paid `paid` of.
fn paid_hold(paid: &str) -> (Coupon, OrderHold) {
    let (p, c1) = (partner(1), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c1, billed_under: EC2, lines: &lines };
    let mut coupon = specific("cpn-a", "100", 1);
    let mut hold = hold_for_order(&mut coupon, &order, Cycle(202601), t(2)).unwrap();
    coupon.held_by = None;
    coupon.balance = coupon.balance.checked_sub(money(paid)).unwrap();
    hold.state = HoldState::Paid { paid: money(paid), at: t(3) };
    (coupon, hold)
}

const UNSUB: RefundedTo<'static> = RefundedTo { unsubscription: "UNS1", service_type: EC2, cycle: Cycle(202602) };

#[test]
fn r_cpn_10_a_renewal_unsubscribed_after_the_bill_gives_the_coupon_its_share_back_never_more_than_it_paid() {
    // The coupon paid 45 (the settlement price) of a 50 order; 20 of it, not begun, is refunded.
    let (mut coupon, mut hold) = paid_hold("45");
    let back =
        refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("20"), UNSUB, None, &act(10)).unwrap().unwrap();
    assert_eq!((coupon.balance, hold.refunded), (money("73"), money("18")), "45 × 20 / 50");
    assert_eq!(back.entries.len(), 1);
    let e = &back.entries[0];
    assert_eq!(
        (e.kind, e.amount, e.balance_after, e.trade.as_str()),
        (CouponEntryKind::Refund, money("18"), money("73"), "UNS1")
    );
    let r = &back.refunds[0];
    assert_eq!(
        (r.entry.as_str(), r.order.as_str(), r.unsubscription.as_str(), r.service_type.as_str(), r.cycle, r.amount),
        (e.id.as_str(), "ORD1", "UNS1", EC2, Cycle(202602), money("18"))
    );
    // A third of a cent does not round up; more than the order gives back at most what is left.
    let (mut coupon, mut hold) = paid_hold("0.00000002");
    let back = refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("20"), UNSUB, None, &act(10)).unwrap();
    assert_eq!(back, None, "0.00000002 × 20 / 50 truncates to 0: nothing to give back");
    let (mut coupon, mut hold) = paid_hold("45");
    refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("40"), UNSUB, None, &act(10)).unwrap();
    let back = refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("40"), UNSUB, None, &act(11)).unwrap();
    assert_eq!(back.unwrap().refunds[0].amount, money("9"), "36 then only the 9 left of 45");
    assert_eq!(refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("40"), UNSUB, None, &act(12)), Ok(None));
    assert_eq!((coupon.balance, hold.refunded), (money("100"), money("45")));
}

#[test]
fn r_cpn_10_only_a_paid_hold_gives_back_after_the_bill() {
    let (mut coupon, mut hold) = paid_hold("45");
    hold.state = HoldState::Held;
    assert_eq!(refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("20"), UNSUB, None, &act(10)), Ok(None));
    hold.state = HoldState::Paid { paid: Money::ZERO, at: t(3) };
    assert_eq!(refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("20"), UNSUB, None, &act(10)), Ok(None));
}

#[test]
fn r_cpn_10_a_coupon_closed_since_passes_its_refund_to_the_quota_it_came_from() {
    let mut q = quota("100");
    let (mut coupon, mut hold) = paid_hold("45");
    coupon.quota = Some(q.id.clone());
    coupon.closure = Some(Closure::Expired);
    coupon.balance = Money::ZERO;
    let back = refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("50"), UNSUB, Some(&mut q), &act(10))
        .unwrap()
        .unwrap();
    let kinds: Vec<_> = back.entries.iter().map(|e| (e.kind, e.amount, e.balance_after)).collect();
    assert_eq!(
        kinds,
        [(CouponEntryKind::Refund, money("45"), money("45")), (CouponEntryKind::Expire, money("-45"), Money::ZERO)]
    );
    assert_eq!((coupon.balance, q.balance), (Money::ZERO, money("145")));
    let qe = &back.quota_entries[0];
    assert_eq!(
        (qe.kind, qe.amount, qe.counterpart.as_deref()),
        (QuotaEntryKind::CouponExpiry, money("45"), Some("cpn-a"))
    );
    assert_eq!(back.refunds[0].amount, money("45"), "the partner's bill still keeps the share from the partner");
}

#[test]
fn r_cpn_10_the_bill_of_the_refund_keeps_the_coupons_share_from_the_partners_refund() {
    let c1 = customer(1);
    let lines = [
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::Period,
            due: money("30"),
            ordered: true,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("-20"),
            ordered: false,
            order_refunds: true,
        },
    ];
    let (_, mut hold) = paid_hold("45");
    let (mut coupon, _) = paid_hold("45");
    let back =
        refund_after_bill(&mut ids(), &mut coupon, &mut hold, money("20"), UNSUB, None, &act(10)).unwrap().unwrap();
    let bill = BillToPay { refunds: &back.refunds, ..to_pay(money("10"), &lines, "bill") };
    let mut coupons = vec![general("big", "100", 31)];
    let d = deduct(&mut ids(), &bill, &mut coupons, &[]).unwrap();
    // The partner owes 30 less the 2 of the refund that were its own: the coupon pays 28.
    assert_eq!(d.per_line, [money("28"), money("-18")]);
    assert_eq!(d.uses[1][0].coupon, "cpn-a");
    assert_eq!(d.uses[1][0].order.as_deref(), Some("UNS1"));
    assert_eq!(coupons[0].balance, money("72"));
    // A share larger than the line's refund is kept only up to it.
    let big = [CouponRefund { amount: money("25"), ..back.refunds[0].clone() }];
    let bill = BillToPay { refunds: &big, ..to_pay(money("10"), &lines, "bill") };
    let d = deduct(&mut ids(), &bill, &mut [], &[]).unwrap();
    assert_eq!(d.per_line, [Money::ZERO, money("-20")]);
    // Another customer's or another service's refund line keeps nothing.
    let other = [CouponRefund { service_type: OBS.into(), ..back.refunds[0].clone() }];
    let bill = BillToPay { refunds: &other, ..to_pay(money("10"), &lines, "bill") };
    assert_eq!(deduct(&mut ids(), &bill, &mut [], &[]).unwrap().per_line, [Money::ZERO, Money::ZERO]);
}

#[test]
fn r_cpn_05_r_cpn_06_a_quotas_remaining_balance_becomes_a_coupon_for_all_reseller_customers() {
    let mut q = quota("100");
    let issued = issue_coupons(&mut ids(), &mut q, &request("30"), &[(customer(1), true)], &act(2)).unwrap();
    assert_eq!(issued.coupons.len(), 1);
    let (coupon, out, issue) = convert_quota(&mut ids(), &mut q, &act(3)).unwrap().unwrap();
    assert_eq!(
        (q.balance, out.kind, out.amount, out.balance_after),
        (Money::ZERO, QuotaEntryKind::Conversion, money("-70"), Money::ZERO)
    );
    assert_eq!(out.counterpart.as_deref(), Some(coupon.id.as_str()));
    assert_eq!(
        (coupon.customer, coupon.partner, coupon.face_value, coupon.balance),
        (None, partner(1), money("70"), money("70"))
    );
    assert_eq!((coupon.validity.from, coupon.validity.to, coupon.quota), (t(3), q.validity.to, None));
    assert_eq!((issue.kind, issue.amount, issue.trade.as_str()), (CouponEntryKind::Issue, money("70"), q.id.as_str()));
    // Once converted, nothing is left to convert; an expired quota converts nothing.
    assert_eq!(convert_quota(&mut ids(), &mut q, &act(4)), Ok(None));
    let mut old = quota("10");
    assert_eq!(convert_quota(&mut ids(), &mut old, &act(31)), Ok(None));
}

#[test]
fn r_cpn_01_r_cpn_12_a_coupon_limited_to_a_billing_mode_and_a_share_pays_only_that() {
    let c1 = customer(1);
    let lines = [
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("30"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::Period,
            due: money("20"),
            ordered: true,
            order_refunds: false,
        },
    ];
    // Pay-per-use only, at most 50 % of a line: 15 of the first line, nothing of the second.
    let mut limited = general("half", "100", 31);
    limited.limits = Limits::default()
        .with_modes(vec![ChargingMode::OnDemand])
        .with_max_share(Some(crate::bill::Discount::parse("0.5").unwrap()))
        .unwrap();
    let mut coupons = vec![limited];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!(d.per_line, [money("15"), Money::ZERO]);
    assert_eq!(coupons[0].balance, money("85"));
    // Both modes given is no limit; a share of 0 is refused.
    assert!(Limits::default().with_modes(vec![ChargingMode::Period, ChargingMode::OnDemand]).modes().is_empty());
    assert_eq!(Limits::default().with_max_share(Some(crate::bill::Discount::ZERO)), Err(CouponError::Share));
    // A coupon for pay-per-use never pays a yearly/monthly order.
    let (p, c) = (partner(1), customer(1));
    let order_lines = order_lines();
    let order = OrderToPay { id: "ORD1", partner: Some(&p), customer: &c, billed_under: EC2, lines: &order_lines };
    let mut on_demand = specific("od", "40", 1);
    on_demand.limits = Limits::default().with_modes(vec![ChargingMode::OnDemand]);
    assert_eq!(usable_for_order(&on_demand, &order, t(2)), Err(NotForOrder::Limits));
}

#[test]
fn r_cpn_14_a_partner_sets_the_scope_of_a_coupon_it_issues_and_the_coupon_pays_only_that() {
    // A quota for any service; the partner narrows its coupon to OBS.
    let mut q = quota("100");
    let mut r = request("10");
    r.limits = Limits::new(vec![OBS.into()], vec!["obs.standard".into()]).unwrap();
    let issued = issue_coupons(&mut ids(), &mut q, &r, &[(customer(1), true)], &act(2)).unwrap();
    let mut coupons = issued.coupons;
    assert_eq!(
        (coupons[0].limits.service_types(), coupons[0].limits.products()),
        ([OBS.to_owned()].as_slice(), ["obs.standard".to_owned()].as_slice())
    );
    // A bill line's product is not known, so a product-limited coupon pays no line; without the
    // product limit it pays only OBS lines.
    coupons[0].limits = Limits::new(vec![OBS.into()], vec![]).unwrap();
    let c1 = customer(1);
    let lines = [
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("5"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c1,
            service_type: OBS,
            mode: ChargingMode::OnDemand,
            due: money("3"),
            ordered: false,
            order_refunds: false,
        },
    ];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!(d.per_line, [Money::ZERO, money("3")]);
}

#[test]
fn r_cpn_13_a_coupon_from_before_an_association_pays_none_of_the_new_partners_orders() {
    // c1 held a coupon of partner 1's; it is now partner 2's reseller customer. The coupon is
    // partner 1's money for c1's spend with partner 1, so it pays none of c1's orders
    // with partner 2 (and partner 2's bill reads only partner 2's coupons).
    let (p2, c1) = (partner(2), customer(1));
    let lines = order_lines();
    let order = OrderToPay { id: "ORD9", partner: Some(&p2), customer: &c1, billed_under: EC2, lines: &lines };
    let earlier = specific("old", "40", 1);
    assert_eq!(earlier.partner, partner(1));
    assert_eq!(usable_for_order(&earlier, &order, t(2)), Err(NotForOrder::NotTheirs));
}
