use super::*;
use crate::bill::{partner_bill, ChargeKind, CouponUse, Rated, SettlementSchedule, TaxRate};
use crate::coupon::tests::{customer, ids, money, partner, t, to_pay};
use crate::coupon::{deduct, operator_coupon, CouponRequest, Payable};
use crate::usage::Cycle;

const EC2: &str = "hws.service.type.ec2";

fn act(day: u32) -> Act {
    Act { at: t(day), operator: "acme".into(), remark: String::new() }
}

fn link() -> PriceLink {
    PriceLink::parse("https://www.huaweicloud.com/intl/en-us/pricing/calculator.html?shareListId=abc123").unwrap()
}

fn draft(amount: &str) -> Draft {
    Draft { amount: money(amount), resource_config: link(), purpose: "PoC of a web shop".into(), duration_days: None }
}

fn limits() -> TierLimits {
    TierLimits { standard: money("1000"), advanced: money("3000"), premier: money("5000"), core: money("10000") }
}

fn ask(existing: &[TestCouponRequest], amount: &str) -> Result<TestCouponRequest, TestCouponError> {
    request(&mut ids(), &partner(1), limits().of(Some(Tier::Standard)), existing, &draft(amount), 30, &act(1))
}

fn project(n: u8) -> Project {
    Project {
        customer: customer(n),
        background: "Retail chain migrating its shop".into(),
        expected_order_at: t(20),
        expected_order_amount: money("50000"),
    }
}

#[test]
fn r_cpn_23_r_ben_04_several_requests_never_pass_the_tiers_limit() {
    let first = ask(&[], "600").unwrap();
    assert_eq!((first.status.clone(), first.duration_days, first.amount), (RequestStatus::Pending, 30, money("600")));
    let mut second = ask(std::slice::from_ref(&first), "400").unwrap();
    second.id = "second".into();
    let both = [first.clone(), second.clone()];
    assert_eq!(
        ask(&both, "0.01").unwrap_err(),
        TestCouponError::OverLimit { limit: money("1000"), committed: money("1000"), requested: money("0.01") }
    );
    // An approved request still counts; a rejected one frees its amount.
    let mut approved = first.clone();
    approve(&mut ids(), &mut approved, &act(2)).unwrap();
    let mut rejected = second;
    reject(&mut rejected, "no project yet", &act(2)).unwrap();
    assert_eq!(committed(&[approved.clone(), rejected.clone()]), Ok(money("600")));
    assert!(ask(&[approved.clone(), rejected.clone()], "400").is_ok());
    assert!(matches!(ask(&[approved, rejected], "400.01"), Err(TestCouponError::OverLimit { .. })));
}

#[test]
fn r_cpn_23_two_decisions_from_one_read_each_pass_alone_so_the_store_writes_one() {
    // Concurrent requests read the same requests; each decision alone is within the limit, so
    // the limit holds only because the store writes a decision solely under the version it was
    // read at. Decided again on the fresh read (with the other one written), the second fails.
    let read: Vec<TestCouponRequest> = vec![ask(&[], "500").unwrap()];
    let a = ask(&read, "400").unwrap();
    let b = ask(&read, "400").unwrap();
    assert_eq!((a.amount, b.amount), (money("400"), money("400")));
    let fresh = [read[0].clone(), a];
    assert!(matches!(ask(&fresh, "400"), Err(TestCouponError::OverLimit { .. })));
}

#[test]
fn r_cpn_22_the_limit_depends_on_the_tier_and_a_project_request_is_outside_it() {
    let l = limits();
    assert_eq!(
        [None, Some(Tier::Standard), Some(Tier::Advanced), Some(Tier::Premier), Some(Tier::Core)].map(|t| l.of(t)),
        [money("1000"), money("1000"), money("3000"), money("5000"), money("10000")]
    );
    let full = ask(&[], "1000").unwrap();
    let p = file_project(&mut ids(), &partner(1), project(7), &draft("8000"), 30, &act(1)).unwrap();
    assert!(!p.counts_against_limit(), "R-CPN-22: more for a customer project");
    assert_eq!(committed(&[full, p.clone()]), Ok(money("1000")));
    assert_eq!(p.customer(), Some(&customer(7)));
    let mut no_background = project(7);
    no_background.background = "  ".into();
    assert!(matches!(
        file_project(&mut ids(), &partner(1), no_background, &draft("1"), 30, &act(1)),
        Err(TestCouponError::Text { field: "project background", .. })
    ));
}

#[test]
fn r_cpn_24_the_resource_configuration_is_a_shared_price_calculator_link() {
    for good in ["https://www.huaweicloud.com/pricing/calculator.html#/share?id=1", "http://calc.example:8080/s/x"] {
        assert!(PriceLink::parse(good).is_ok(), "{good}");
    }
    for bad in
        ["", "   ", "ftp://x.example/a", "www.example.com/a", "https://", "https://exa mple.com", "https://a_b/x"]
    {
        assert!(matches!(PriceLink::parse(bad), Err(TestCouponError::ResourceConfig(_))), "{bad:?}");
    }
    let long = format!("https://x.example/{}", "a".repeat(RESOURCE_CONFIG_MAX));
    assert!(PriceLink::parse(&long).is_err());
    for (amount, days, error) in [
        ("0", None, TestCouponError::Amount),
        ("10.001", None, TestCouponError::Amount),
        ("10", Some(0), TestCouponError::Duration { max: DURATION_DAYS_MAX }),
        ("10", Some(DURATION_DAYS_MAX + 1), TestCouponError::Duration { max: DURATION_DAYS_MAX }),
    ] {
        let d = Draft { duration_days: days, ..draft(amount) };
        assert_eq!(request(&mut ids(), &partner(1), money("1000"), &[], &d, 30, &act(1)).unwrap_err(), error);
    }
    let d = Draft { purpose: " ".into(), ..draft("10") };
    assert!(matches!(
        request(&mut ids(), &partner(1), money("1000"), &[], &d, 30, &act(1)),
        Err(TestCouponError::Text { .. })
    ));
}

#[test]
fn r_cpn_15_r_cpn_16_approval_issues_a_test_coupon_general_or_for_the_projects_customer() {
    let mut own = ask(&[], "300").unwrap();
    let (c, e) = approve(&mut ids(), &mut own, &act(2)).unwrap();
    assert_eq!(
        (c.kind, c.customer.clone(), c.face_value, c.balance),
        (CouponKind::Test, None, money("300"), money("300"))
    );
    assert_eq!((c.validity.from, c.validity.to), (t(2), t(2).plus(Millis(30 * DAY))));
    assert_eq!((e.kind, e.amount, e.trade.as_str()), (CouponEntryKind::Issue, money("300"), own.id.as_str()));
    assert!(matches!(own.status, RequestStatus::Approved { ref coupon, .. } if *coupon == c.id));
    assert_eq!(approve(&mut ids(), &mut own, &act(3)).unwrap_err(), TestCouponError::NotPending("approved"));
    assert_eq!(reject(&mut own, "late", &act(3)).unwrap_err(), TestCouponError::NotPending("approved"));

    let mut p = file_project(
        &mut ids(),
        &partner(1),
        project(7),
        &Draft { duration_days: Some(10), ..draft("50") },
        30,
        &act(1),
    )
    .unwrap();
    let (pc, _) = approve(&mut ids(), &mut p, &act(2)).unwrap();
    assert_eq!((pc.customer, pc.validity.to), (Some(customer(7)), t(12)));
}

fn test_coupon(id: &str, face: &str, only: Option<u8>, to_day: u32) -> Coupon {
    let mut r = match only {
        None => ask(&[], face).unwrap(),
        Some(n) => file_project(&mut ids(), &partner(1), project(n), &draft(face), 30, &act(1)).unwrap(),
    };
    let (mut c, _) = approve(&mut ids(), &mut r, &act(1)).unwrap();
    c.id = id.into();
    c.validity = Validity::new(t(1), t(to_day)).unwrap();
    c
}

fn cash(id: &str, face: &str, to_day: u32) -> Coupon {
    let r = CouponRequest {
        face_value: money(face),
        from: Some(t(1)),
        to: Some(t(to_day)),
        limits: Limits::default(),
        memo: String::new(),
    };
    let (mut c, _) = operator_coupon(&mut ids(), &partner(1), None, &r, &act(1)).unwrap();
    c.id = id.into();
    c
}

#[test]
fn r_cpn_16_a_project_test_coupon_pays_only_its_customer_and_a_general_one_any() {
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
            due: money("30"),
            ordered: false,
            order_refunds: false,
        },
    ];
    let mut coupons = vec![test_coupon("for-c2", "50", Some(2), 31), test_coupon("general", "10", None, 31)];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    // c1: only the general test coupon (10); c2: its own (30 of 50).
    assert_eq!(d.per_line_test, [money("10"), money("30")]);
    assert_eq!(d.per_line, [Money::ZERO, Money::ZERO]);
    assert_eq!(coupons.iter().map(|c| c.balance).collect::<Vec<_>>(), [money("20"), Money::ZERO]);
}

#[test]
fn a_tc_1_test_coupons_go_before_cash_coupons_within_each_group() {
    let c1 = customer(1);
    let lines = [Payable {
        customer: &c1,
        service_type: EC2,
        mode: ChargingMode::OnDemand,
        due: money("25"),
        ordered: false,
        order_refunds: false,
    }];
    // The cash coupon expires first, yet the test coupon is used first (A-TC-1).
    let mut coupons = vec![cash("cash", "100", 10), test_coupon("test", "20", None, 31)];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!((d.per_line_test[0], d.per_line[0]), (money("20"), money("5")));
    // R-CPN-09 still first: a customer's own cash coupon before a general test coupon.
    let mut coupons =
        vec![Coupon { customer: Some(customer(1)), ..cash("mine", "100", 31) }, test_coupon("test", "20", None, 31)];
    let d = deduct(&mut ids(), &to_pay(money("1000"), &lines, "bill"), &mut coupons, &[]).unwrap();
    assert_eq!((d.per_line_test[0], d.per_line[0]), (Money::ZERO, money("25")));
}

#[test]
fn r_cpn_19_r_inc_03_what_test_coupons_paid_is_kept_apart_and_is_not_revenue() {
    let rated = |c: u8, official: &str| Rated {
        customer: customer(c),
        partner: Some((partner(1), crate::association::AssociationModel::Reseller)),
        service_type: EC2.into(),
        mode: ChargingMode::OnDemand,
        kind: ChargeKind::Expenditure,
        official: money(official),
    };
    let mut bill = partner_bill(
        &partner(1),
        Cycle(202605),
        &SettlementSchedule::default(),
        TaxRate::ZERO,
        vec![rated(1, "40.12345678"), rated(2, "10")],
    )
    .unwrap();
    let c1 = customer(1);
    let c2 = customer(2);
    let lines: Vec<Payable<'_>> = vec![
        Payable {
            customer: &c1,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("40.12345678"),
            ordered: false,
            order_refunds: false,
        },
        Payable {
            customer: &c2,
            service_type: EC2,
            mode: ChargingMode::OnDemand,
            due: money("10"),
            ordered: false,
            order_refunds: false,
        },
    ];
    let mut coupons = vec![test_coupon("test", "30", None, 31), cash("cash", "15", 31)];
    let d = deduct(&mut ids(), &to_pay(bill.totals().amount_due, &lines, "b"), &mut coupons, &[]).unwrap();
    bill.pay_with_coupons(&d.uses).unwrap();
    // The trace names each coupon: on c1's line the test coupon's 30, then the cash coupon's.
    let named: Vec<(&str, Money, bool)> =
        bill.lines()[0].coupon_uses.iter().map(|u| (u.coupon.as_str(), u.amount, u.test)).collect();
    assert_eq!(named, [("test", money("30"), true), ("cash", money("10.12345678"), false)]);
    let t = bill.totals();
    assert_eq!((t.test_coupons, t.coupons), (money("30"), money("15")));
    assert_eq!(t.to_pay(), money("5.12345678"), "R-CPN-17: the rest is simply owed");
    let l = bill.lines();
    assert_eq!((l[0].test_coupon, l[0].coupon), (money("30"), money("10.12345678")));
    assert_eq!((l[1].test_coupon, l[1].coupon), (Money::ZERO, money("4.87654322")));
    assert_eq!(l[0].revenue(), Ok(Money::ZERO));
    assert_eq!(l[1].revenue(), Ok(money("5.12345678")), "only what the partner pays itself");
    // Together they may not pass a line's due.
    let used = |amount: &str, test: bool| CouponUse { coupon: "c".into(), amount: money(amount), test, order: None };
    assert!(bill.pay_with_coupons(&[vec![used("40", false), used("1", true)], vec![]]).is_err());
    assert!(bill.pay_with_coupons(&[vec![used("0", false)], vec![]]).is_err(), "a use pays more than 0");
}

#[test]
fn r_cpn_18_r_notif_04_a_low_balance_notice_per_deduction_and_a_reminder_per_interval() {
    let policy = ReminderPolicy { low_balance_percent: 20, every_days: 7 };
    let mut c = test_coupon("t", "100", None, 31);
    assert_eq!(notices_due(&c, &policy, t(2)).unwrap(), []);
    assert_eq!(notices_due(&c, &policy, t(8)).unwrap(), [NoticeDue { kind: NoticeKind::Reminder, period: 1 }]);
    assert_eq!(notices_due(&c, &policy, t(15)).unwrap(), [NoticeDue { kind: NoticeKind::Reminder, period: 2 }]);
    c.balance = money("20");
    c.last_used_at = Some(t(3));
    assert_eq!(notices_due(&c, &policy, t(4)).unwrap(), [], "20 is not below 20% of 100");
    c.balance = money("19.99999999");
    assert_eq!(
        notices_due(&c, &policy, t(4)).unwrap(),
        [NoticeDue { kind: NoticeKind::LowBalance, period: t(3).unix_ms() }]
    );
    c.balance = Money::ZERO;
    let due = notices_due(&c, &policy, t(9)).unwrap();
    assert_eq!(due, [NoticeDue { kind: NoticeKind::LowBalance, period: t(3).unix_ms() }], "used up: no reminder");
    let (subject, body) =
        notice_text(Language::English, NoticeKind::LowBalance, &c, &CoveredEstimate::default(), "2026-05", None);
    assert!(subject.contains("used up") && body.contains("Balance: USD 0.00 of USD 100.00"), "{subject}\n{body}");
    let (subject, body) =
        notice_text(Language::Chinese, NoticeKind::LowBalance, &c, &CoveredEstimate::default(), "2026-05", None);
    assert!(subject.contains("已用完") && body.contains("余额：USD 0.00（面额 USD 100.00）"), "{subject}\n{body}");
    let cash = cash("c", "5", 31);
    assert_eq!(notices_due(&Coupon { last_used_at: Some(t(3)), ..cash }, &policy, t(20)).unwrap(), []);
}

#[test]
fn r_cpn_18_the_estimate_covers_the_coupons_customers_by_billing_mode() {
    let line = |c: u8, mode, due: &str| PartnerBillLine {
        customer: customer(c),
        service_type: EC2.into(),
        mode,
        kind: ChargeKind::Expenditure,
        official: money(due),
        discount: Money::ZERO,
        due: money(due),
        coupon: Money::ZERO,
        test_coupon: Money::ZERO,
        coupon_uses: vec![],
    };
    let lines = [
        line(1, ChargingMode::Period, "10"),
        line(1, ChargingMode::OnDemand, "2.5"),
        line(2, ChargingMode::OnDemand, "7"),
    ];
    let general = test_coupon("g", "10", None, 31);
    assert_eq!(
        covered_estimate(&general, &lines),
        Ok(CoveredEstimate { monthly: money("10"), pay_per_use: money("9.5"), total: money("19.5") })
    );
    let only = test_coupon("p", "10", Some(2), 31);
    assert_eq!(
        covered_estimate(&only, &lines),
        Ok(CoveredEstimate { monthly: Money::ZERO, pay_per_use: money("7"), total: money("7") })
    );
}

#[test]
fn issue_17_a_draft_refused_for_several_fields_names_them_all() {
    let bad = Draft { amount: money("0"), resource_config: link(), purpose: " ".into(), duration_days: Some(400) };
    let Err(TestCouponError::Problems(found)) = checked_draft(&bad, 30) else { panic!("several problems") };
    let fields: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, ["amount", "purpose", "duration_days"]);
    // One problem stays itself.
    let one = Draft { purpose: "a test".into(), duration_days: Some(30), ..bad };
    assert_eq!(checked_draft(&one, 30), Err(TestCouponError::Amount));
}
