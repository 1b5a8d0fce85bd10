use super::*;
use crate::association::AssociationModel::{self, Referral, Reseller};
use crate::catalog::ChargingMode::{OnDemand, Period};
use crate::time::{Millis, Timestamp};
use crate::usage::DEFAULT_BILLING_OFFSET;

mod property;

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

fn customer(n: u8) -> AccountId {
    AccountId::from_random([n; 16])
}

fn partner(n: u8) -> PartnerId {
    PartnerId::from_random([n; 16])
}

const EC2: &str = "hws.service.type.ec2";
const EBS: &str = "hws.service.type.ebs";
const OBS: &str = "hws.service.type.obs";
const MAY: Cycle = Cycle(202605);
const JUNE: Cycle = Cycle(202606);

fn rated(c: u8, p: Option<(u8, AssociationModel)>, service_type: &str, kind: ChargeKind, official: &str) -> Rated {
    Rated {
        customer: customer(c),
        partner: p.map(|(p, model)| (partner(p), model)),
        service_type: service_type.into(),
        mode: OnDemand,
        kind,
        official: money(official),
    }
}

fn expenditure(c: u8, p: Option<(u8, AssociationModel)>, service_type: &str, official: &str) -> Rated {
    rated(c, p, service_type, ChargeKind::Expenditure, official)
}

fn discount(text: &str) -> Discount {
    Discount::parse(text).unwrap()
}

/// A schedule of `default` off everything from January 2026 on.
fn flat(default: &str) -> SettlementSchedule {
    [(Cycle(202601), SettlementTerms::flat(discount(default)))].into_iter().collect()
}

fn bill_of(schedule: &SettlementSchedule, rated: Vec<Rated>) -> PartnerBill {
    partner_bill(&partner(1), MAY, schedule, TaxRate::ZERO, rated).unwrap()
}

#[test]
fn a_discount_is_a_fraction_from_0_to_1_with_at_most_4_decimals_r_bill_01() {
    let bp = |text: &str| Discount::parse(text).map(Discount::basis_points);
    assert_eq!(bp("0.15"), Ok(1500));
    assert_eq!(bp("0"), Ok(0));
    assert_eq!(bp("1"), Ok(10_000));
    assert_eq!(bp("1.0000"), Ok(10_000));
    assert_eq!(bp("0.0001"), Ok(1));
    assert_eq!(bp("0.150000"), Ok(1500), "trailing zeros are not precision, as for amounts");
    assert_eq!(bp("0.12345"), Err(RateError::TooPrecise { max: 4 }));
    for out in ["-0.1", "-0", "1.0001", "2", "99999999999999999999"] {
        assert_eq!(bp(out), Err(RateError::OutOfRange), "{out}");
    }
    for bad in ["", ".5", "1.", "15%", "0,15", "1e-1", "+0.1", " 0.1", "abc"] {
        assert_eq!(bp(bad), Err(RateError::Malformed), "{bad:?}");
    }
    assert_eq!(Discount::from_basis_points(10_001), Err(RateError::OutOfRange));
    let texts = |bp| {
        let d = Discount::from_basis_points(bp).unwrap();
        (d.fraction_text(), d.percent_text())
    };
    assert_eq!(texts(1500), ("0.15".into(), "15%".into()));
    assert_eq!(texts(1250), ("0.125".into(), "12.5%".into()));
    assert_eq!(texts(1), ("0.0001".into(), "0.01%".into()));
    assert_eq!(texts(0), ("0".into(), "0%".into()));
    assert_eq!(texts(10_000), ("1".into(), "100%".into()));
    for bp in 0..=10_000 {
        let d = Discount::from_basis_points(bp).unwrap();
        assert_eq!(Discount::parse(&d.fraction_text()), Ok(d));
    }
}

#[test]
fn a_discount_amount_rounds_half_away_from_zero_and_mirrors_for_refunds_r_bill_01() {
    let off = |d: &str, official: &str| discount(d).off(money(official)).unwrap().to_plain_string();
    assert_eq!(off("0.15", "100"), "15");
    assert_eq!(off("0.15", "-100"), "-15", "a refund takes back the discount charged");
    assert_eq!(off("0.15", "0.00000003"), "0", "0.45 of 10⁻⁸ rounds down");
    assert_eq!(off("0.5", "0.00000001"), "0.00000001", "a half rounds away from zero");
    assert_eq!(off("0.5", "-0.00000001"), "-0.00000001");
    assert_eq!(off("0.1234", "0.00000009"), "0.00000001", "1.1106 of 10⁻⁸");
    assert_eq!(off("0", "123.45678901"), "0");
    assert_eq!(off("1", "123.45678901"), "123.45678901");
    assert_eq!(discount("1").off(Money::MAX), Ok(Money::MAX), "the product is taken in i128");
    let least = Money::from_e8(-Money::MAX.e8()).unwrap();
    assert_eq!(discount("0.9999").off(least).map(Money::is_negative), Ok(true));
}

#[test]
fn output_tax_parses_like_a_discount_and_rounds_to_8_decimals() {
    let six = TaxRate::parse("0.06").unwrap();
    assert_eq!((six.basis_points(), six.fraction_text(), six.percent_text()), (600, "0.06".into(), "6%".into()));
    assert_eq!(six.tax_on(money("100")), Ok(money("6")));
    assert_eq!(six.tax_on(money("0.00000025")), Ok(money("0.00000002")), "1.5 of 10⁻⁸ rounds away from zero");
    assert_eq!(six.tax_on(money("-0.00000025")), Ok(money("-0.00000002")));
    assert_eq!(TaxRate::ZERO.tax_on(money("100")), Ok(Money::ZERO));
    assert_eq!(TaxRate::parse("1.5"), Err(RateError::OutOfRange));
    assert_eq!(TaxRate::from_basis_points(10_000).map(TaxRate::basis_points), Ok(10_000));
}

#[test]
fn settlement_terms_apply_from_their_month_until_the_next_r_bill_01() {
    let mut schedule = SettlementSchedule::new();
    assert_eq!(schedule.terms_for(MAY), None);
    assert_eq!(schedule.discount_for(MAY, EC2), Discount::ZERO, "no terms: list price");
    let spring = SettlementTerms::flat(discount("0.1")).with(EBS, discount("0.2"));
    assert_eq!(schedule.set(Cycle(202603), spring.clone()), None);
    assert_eq!(schedule.set(JUNE, SettlementTerms::flat(discount("0.15"))), None);
    assert_eq!(schedule.terms_for(Cycle(202602)), None, "before the first term set");
    assert_eq!(schedule.terms_for(Cycle(202603)), Some(&spring), "from its month");
    assert_eq!(schedule.terms_for(MAY), Some(&spring));
    assert_eq!(schedule.discount_for(MAY, EC2), discount("0.1"), "the default");
    assert_eq!(schedule.discount_for(MAY, EBS), discount("0.2"), "the service type's override");
    assert_eq!(schedule.discount_for(JUNE, EBS), discount("0.15"), "the next set replaces it whole");
    assert_eq!(schedule.discount_for(Cycle(202712), EBS), discount("0.15"));
    // Terms set again from the same month replace the earlier ones.
    assert_eq!(
        schedule.set(JUNE, SettlementTerms::flat(discount("0.3"))),
        Some(SettlementTerms::flat(discount("0.15")))
    );
    assert_eq!(schedule.iter().map(|(from, _)| from).collect::<Vec<_>>(), [Cycle(202603), JUNE]);
    assert_eq!(spring.discount_for(OBS), discount("0.1"));
}

#[test]
fn a_partner_owes_its_reseller_customers_usage_at_the_settlement_price_r_bill_01() {
    let schedule: SettlementSchedule =
        [(Cycle(202601), SettlementTerms::flat(discount("0.15")).with(EBS, discount("0.2")))].into_iter().collect();
    let bill = bill_of(
        &schedule,
        vec![expenditure(1, Some((1, Reseller)), EC2, "100"), expenditure(1, Some((1, Reseller)), EBS, "50")],
    );
    let line = |service_type: &str, official, discount, due| PartnerBillLine {
        customer: customer(1),
        service_type: service_type.into(),
        mode: OnDemand,
        kind: ChargeKind::Expenditure,
        official: money(official),
        discount: money(discount),
        due: money(due),
        coupon: Money::ZERO,
        test_coupon: Money::ZERO,
        coupon_uses: vec![],
    };
    assert_eq!(bill.lines(), [line(EBS, "50", "10", "40"), line(EC2, "100", "15", "85")]);
    let totals = bill.totals();
    assert_eq!((totals.official, totals.discount, totals.amount_due), (money("150"), money("25"), money("125")));
    assert_eq!((totals.consumption, totals.refunds, totals.adjustments), (money("125"), Money::ZERO, Money::ZERO));
    assert_eq!((bill.partner(), bill.cycle()), (&partner(1), MAY));
    // Without settlement terms for the month, list price.
    let at_list = bill_of(&SettlementSchedule::new(), vec![expenditure(1, Some((1, Reseller)), EC2, "100")]);
    assert_eq!(at_list.totals().amount_due, money("100"));
}

#[test]
fn a_partner_bill_excludes_referral_customers_r_bill_03() {
    let bill = bill_of(
        &flat("0"),
        vec![
            expenditure(1, Some((1, Reseller)), EC2, "10"),
            expenditure(2, Some((1, Referral)), EC2, "1000"),
            expenditure(3, Some((2, Reseller)), EC2, "2000"),
            expenditure(4, None, EC2, "4000"),
        ],
    );
    assert_eq!(bill.lines().iter().map(|l| &l.customer).collect::<Vec<_>>(), [&customer(1)]);
    assert_eq!(bill.totals().amount_due, money("10"));
    let none = bill_of(&flat("0"), vec![expenditure(2, Some((1, Referral)), EC2, "1000")]);
    assert_eq!((none.lines(), none.totals()), (&[][..], PartnerBillTotals::default()), "an empty bill, no error");
}

#[test]
fn partner_bill_lines_are_merged_then_discounted_and_ordered_r_bill_11() {
    let reseller = Some((1, Reseller));
    let mut yearly = expenditure(1, reseller, EC2, "5");
    yearly.mode = Period;
    let bill = bill_of(
        &flat("0.15"),
        vec![
            expenditure(2, reseller, EC2, "0.00000003"),
            rated(1, reseller, EC2, ChargeKind::Refund, "-1"),
            expenditure(1, reseller, EC2, "1"),
            yearly,
            expenditure(1, reseller, EBS, "2"),
            expenditure(2, reseller, EC2, "0.00000003"),
        ],
    );
    let keys: Vec<_> =
        bill.lines().iter().map(|l| (l.customer.clone(), l.service_type.as_str(), l.mode, l.kind)).collect();
    assert_eq!(
        keys,
        [
            (customer(1), EBS, OnDemand, ChargeKind::Expenditure),
            (customer(1), EC2, Period, ChargeKind::Expenditure),
            (customer(1), EC2, OnDemand, ChargeKind::Expenditure),
            (customer(1), EC2, OnDemand, ChargeKind::Refund),
            (customer(2), EC2, OnDemand, ChargeKind::Expenditure),
        ]
    );
    // Apart, each 0.00000003 would take a discount of 0.45 of 10⁻⁸, rounded to none; merged,
    // 0.00000006 takes 0.9 of 10⁻⁸, rounded to one: the store's split changes nothing.
    let merged = &bill.lines()[4];
    assert_eq!(
        (merged.official, merged.discount, merged.due),
        (money("0.00000006"), money("0.00000001"), money("0.00000005"))
    );
}

#[test]
fn the_partner_bill_total_keeps_8_decimals_and_tax_is_shown_apart_r_bill_04_r_bill_11() {
    let six = TaxRate::parse("0.06").unwrap();
    let rated = vec![expenditure(1, Some((1, Reseller)), EC2, "10.12345678")];
    let bill = partner_bill(&partner(1), MAY, &flat("0"), six, rated).unwrap();
    let totals = bill.totals();
    assert_eq!(totals.amount_due, money("10.12345678"), "not rounded to the cent");
    assert_eq!(totals.tax, money("0.60740741"), "0.6074074068 to 8 decimals, half away from zero");
    assert_eq!(totals.consumption, totals.amount_due, "the tax is not in the amount due");
}

#[test]
fn refunds_and_adjustments_are_totalled_apart_and_discounted_alike_r_bill_15() {
    let reseller = Some((1, Reseller));
    let bill = bill_of(
        &flat("0.1"),
        vec![
            expenditure(1, reseller, EC2, "100"),
            rated(1, reseller, EC2, ChargeKind::Refund, "-20"),
            rated(2, reseller, EBS, ChargeKind::Adjustment, "5"),
        ],
    );
    let t = bill.totals();
    assert_eq!((t.consumption, t.refunds, t.adjustments), (money("90"), money("-18"), money("4.5")));
    assert_eq!((t.official, t.discount, t.amount_due), (money("85"), money("8.5"), money("76.5")));
}

#[test]
fn summaries_by_product_and_by_customer_are_rounded_and_may_differ_from_the_total_r_bill_05() {
    let reseller = Some((1, Reseller));
    let bill = bill_of(
        &flat("0"),
        vec![
            expenditure(1, reseller, EC2, "0.005"),
            expenditure(2, reseller, EBS, "0.005"),
            expenditure(3, reseller, OBS, "0.005"),
            expenditure(3, reseller, EC2, "1.004"),
        ],
    );
    assert_eq!(bill.totals().amount_due, money("1.019"), "exact");
    assert_eq!(
        bill.by_product(),
        [(EBS.to_owned(), money("0.01")), (EC2.to_owned(), money("1.01")), (OBS.to_owned(), money("0.01"))]
    );
    assert_eq!(
        bill.by_customer(),
        [(customer(1), money("0.01")), (customer(2), money("0.01")), (customer(3), money("1.01"))]
    );
    let sum = |amounts: &mut dyn Iterator<Item = Money>| amounts.fold(Money::ZERO, |s, m| s.checked_add(m).unwrap());
    let by_product = sum(&mut bill.by_product().iter().map(|(_, m)| *m));
    let by_customer = sum(&mut bill.by_customer().iter().map(|(_, m)| *m));
    assert_eq!((by_product, by_customer), (money("1.03"), money("1.03")));
    assert_ne!(by_product, bill.totals().amount_due);
    assert_ne!(by_product, bill.totals().amount_due.round_to_cents(), "not even the rounded total, 1.02");
    // The stored lines summarize the same way, for all of them or a member's share.
    let again = summaries(bill.lines()).unwrap();
    assert_eq!((again.by_product.as_slice(), again.by_customer.as_slice()), (bill.by_product(), bill.by_customer()));
    assert_eq!(again.total, bill.totals().amount_due);
    let share = summaries(&bill.lines()[..1]).unwrap();
    assert_eq!((share.total, share.by_customer.len()), (money("0.005"), 1));
}

#[test]
fn a_partner_bill_refuses_sums_past_the_largest_amount() {
    let reseller = Some((1, Reseller));
    let max = Money::MAX.to_plain_string();
    let one_line = vec![expenditure(1, reseller, EC2, &max), expenditure(1, reseller, EC2, "0.00000001")];
    assert_eq!(partner_bill(&partner(1), MAY, &flat("0"), TaxRate::ZERO, one_line), Err(BillError::OutOfRange));
    let two_lines = vec![expenditure(1, reseller, EC2, &max), expenditure(2, reseller, EC2, "0.00000001")];
    assert_eq!(partner_bill(&partner(1), MAY, &flat("0"), TaxRate::ZERO, two_lines), Err(BillError::OutOfRange));
    // The largest amount itself is fine, and a refund makes room for an adjustment.
    let back = vec![
        expenditure(1, reseller, EC2, &max),
        rated(1, reseller, EC2, ChargeKind::Refund, "-1"),
        rated(2, reseller, EC2, ChargeKind::Adjustment, "1"),
    ];
    let bill = partner_bill(&partner(1), MAY, &flat("0"), TaxRate::ZERO, back).unwrap();
    assert_eq!(bill.totals().amount_due, Money::MAX);
    // Each kind's total is an amount too: two customers' consumption past the largest is refused
    // even though a refund would bring the amount due back within range.
    let kinds = vec![
        expenditure(1, reseller, EC2, &max),
        rated(2, reseller, EC2, ChargeKind::Refund, "-1"),
        expenditure(3, reseller, EC2, "1"),
    ];
    assert_eq!(partner_bill(&partner(1), MAY, &flat("0"), TaxRate::ZERO, kinds), Err(BillError::OutOfRange));
}

#[test]
fn a_customer_bill_is_at_list_price_pre_tax_and_its_total_is_rounded_to_the_cent_r_bill_12() {
    let referral = Some((1, Referral));
    let bills = customer_bill(
        &customer(1),
        MAY,
        vec![
            expenditure(1, referral, EC2, "10.004"),
            expenditure(1, referral, EC2, "0.001"),
            expenditure(1, referral, EBS, "2"),
            rated(1, referral, EBS, ChargeKind::Refund, "-0.5"),
            expenditure(2, referral, EC2, "99"),
        ],
    )
    .unwrap();
    assert_eq!(bills.len(), 1, "another customer's amounts are not in it");
    let bill = &bills[0];
    let line = |service_type: &str, kind, official| CustomerBillLine {
        service_type: service_type.into(),
        mode: OnDemand,
        kind,
        official: money(official),
    };
    assert_eq!(
        bill.lines(),
        [
            line(EBS, ChargeKind::Expenditure, "2"),
            line(EBS, ChargeKind::Refund, "-0.5"),
            line(EC2, ChargeKind::Expenditure, "10.005")
        ]
    );
    assert_eq!((bill.total(), bill.total_rounded()), (money("11.505"), money("11.51")));
    assert_eq!((bill.customer(), bill.cycle()), (&customer(1), MAY));
    assert_eq!(
        customer_bill(&customer(3), MAY, vec![expenditure(1, referral, EC2, "1")]),
        Ok(vec![]),
        "no amounts, no bill"
    );
}

#[test]
fn a_referral_customer_pays_its_own_bill_r_bill_03_and_a_reseller_customers_partner_pays_r_rcm_07() {
    let own = customer_bill(&customer(1), MAY, vec![expenditure(1, Some((1, Referral)), EC2, "1.005")]).unwrap();
    assert_eq!((own[0].payer(), own[0].customer_owes()), (&Payer::Customer, money("1.01")));
    let alone = customer_bill(&customer(1), MAY, vec![expenditure(1, None, EC2, "3")]).unwrap();
    assert_eq!((alone[0].payer(), alone[0].customer_owes()), (&Payer::Customer, money("3")));
    let resold = customer_bill(&customer(1), MAY, vec![expenditure(1, Some((1, Reseller)), EC2, "7")]).unwrap();
    assert_eq!(resold[0].payer(), &Payer::Partner(partner(1)));
    assert_eq!((resold[0].total(), resold[0].customer_owes()), (money("7"), Money::ZERO), "no outstanding amount");
}

#[test]
fn a_customer_that_changed_partner_within_the_month_gets_one_bill_per_payer_r_bill_03_r_rcm_07() {
    let rated = vec![
        expenditure(1, Some((2, Reseller)), EC2, "4"),
        expenditure(1, Some((1, Reseller)), EC2, "2"),
        expenditure(1, Some((3, Referral)), EC2, "1"),
        expenditure(1, None, EBS, "0.5"),
    ];
    let bills = customer_bill(&customer(1), MAY, rated.clone()).unwrap();
    let payers: Vec<_> = bills.iter().map(|b| (b.payer().clone(), b.total())).collect();
    assert_eq!(
        payers,
        [
            (Payer::Customer, money("1.5")),
            (Payer::Partner(partner(1)), money("2")),
            (Payer::Partner(partner(2)), money("4")),
        ]
    );
    let reversed: Vec<Rated> = rated.into_iter().rev().collect();
    assert_eq!(customer_bill(&customer(1), MAY, reversed), Ok(bills), "the order is the payers', not the input's");
}

#[test]
fn a_resellers_bill_is_owed_by_its_distributor_when_it_has_one_r_dist_02() {
    assert_eq!(payer_of(&partner(1), Some(&partner(9))), partner(9));
    assert_eq!(payer_of(&partner(1), None), partner(1));
}

fn balance(cycle: Cycle, amount_due: &str, paid: &str) -> BillBalance {
    let (year, month) = cycle.next().unwrap().year_month().unwrap();
    let due_at = Timestamp::from_utc(year, month, 20, 0, 0, 0).unwrap();
    BillBalance { cycle, amount_due: money(amount_due), paid: money(paid), due_at }
}

#[test]
fn the_amount_due_is_the_latest_months_unpaid_fees_plus_earlier_months_r_bill_03() {
    let bills = [balance(JUNE, "11.95", "11.95"), balance(Cycle(202603), "5", "1"), balance(MAY, "10.00000001", "3")];
    let due = amount_due(&bills).unwrap();
    assert_eq!(due.latest_cycle, Some(JUNE));
    assert_eq!((due.latest, due.previous, due.total), (Money::ZERO, money("11.00000001"), money("11.00000001")));
    assert_eq!(amount_due(&[]), Ok(AmountDue::default()));
    let refund_month = [balance(MAY, "-4", "0"), balance(JUNE, "2", "0")];
    assert_eq!(amount_due(&refund_month).unwrap().total, money("2"), "a month of net refunds owes nothing");
    assert_eq!(balance(MAY, "5", "7").unpaid(), Ok(Money::ZERO), "overpaid");
}

#[test]
fn a_payment_settles_the_oldest_month_first_and_the_rest_is_an_advance_r_quota_07() {
    let mut bills = [balance(JUNE, "20", "0"), balance(Cycle(202603), "5", "1"), balance(MAY, "10", "10")];
    let settlement = settle(&mut bills, money("10")).unwrap();
    assert_eq!(
        settlement,
        Settlement { applied: vec![(Cycle(202603), money("4")), (JUNE, money("6"))], advance: Money::ZERO }
    );
    assert_eq!(bills.map(|b| b.paid), [money("6"), money("5"), money("10")]);
    let settlement = settle(&mut bills, money("100")).unwrap();
    assert_eq!(
        settlement,
        Settlement { applied: vec![(JUNE, money("14"))], advance: money("86") },
        "repaid in advance"
    );
    assert_eq!(amount_due(&bills).unwrap().total, Money::ZERO);
    assert_eq!(settle(&mut bills, money("1")).unwrap().advance, money("1"), "nothing owed: all of it");
    assert_eq!(settle(&mut bills, money("-1")), Err(BillError::NegativePayment));
    assert_eq!(settle(&mut [], Money::ZERO), Ok(Settlement::default()));
}

#[test]
fn a_closed_months_amount_due_is_deducted_from_the_partners_balance_r_bill_02() {
    let mut bills = [balance(MAY, "30", "0"), balance(JUNE, "50", "0")];
    let due = amount_due(&bills).unwrap();
    assert_eq!(balance_deduction(money("100"), &due), money("80"), "the balance covers it");
    assert_eq!(balance_deduction(money("45"), &due), money("45"), "the whole balance");
    assert_eq!(balance_deduction(money("-5"), &due), Money::ZERO, "a balance in debt pays nothing");
    let settlement = settle(&mut bills, balance_deduction(money("45"), &due)).unwrap();
    assert_eq!(settlement, Settlement { applied: vec![(MAY, money("30")), (JUNE, money("15"))], advance: Money::ZERO });
    assert_eq!(amount_due(&bills).unwrap().latest, money("35"));
}

#[test]
fn bills_unpaid_after_their_due_date_are_in_arrears() {
    let may = balance(MAY, "30", "10");
    let june = balance(JUNE, "50", "0");
    let paid = balance(Cycle(202604), "8", "8");
    let bills = [may, june, paid];
    assert!(!may.is_arrear(may.due_at), "due at that moment, not yet late");
    assert!(may.is_arrear(may.due_at.plus(Millis(1))));
    assert!(!paid.is_arrear(june.due_at.plus(Millis(1))), "paid in full");
    assert_eq!(arrears(&bills, may.due_at), Ok(Money::ZERO));
    assert_eq!(arrears(&bills, may.due_at.plus(Millis::days(1))), Ok(money("20")));
    assert_eq!(arrears(&bills, june.due_at.plus(Millis::days(1))), Ok(money("70")));
}

#[test]
fn the_bill_run_closes_a_month_by_the_5th_of_the_next_at_noon_beijing_time() {
    let closing = |cycle| closing_due(cycle, DEFAULT_CLOSING_DAY, DEFAULT_CLOSING_HOUR, DEFAULT_BILLING_OFFSET);
    assert_eq!(closing(MAY), Ok(Timestamp::from_utc(2026, 6, 5, 4, 0, 0).unwrap()), "12:00 at UTC+8");
    assert_eq!(closing(Cycle(202612)), Ok(Timestamp::from_utc(2027, 1, 5, 4, 0, 0).unwrap()), "into the next year");
    assert_eq!(
        closing_due(Cycle(202601), 31, 0, Millis(0)),
        Ok(Timestamp::from_utc(2026, 2, 28, 0, 0, 0).unwrap()),
        "the month's last day"
    );
    assert_eq!(closing_due(Cycle(202801), 31, 0, Millis(0)), Ok(Timestamp::from_utc(2028, 2, 29, 0, 0, 0).unwrap()));
    assert_eq!(closing_due(MAY, 0, 12, Millis(0)), Err(BillError::ClosingTime));
    assert_eq!(closing_due(MAY, 32, 12, Millis(0)), Err(BillError::ClosingTime));
    assert_eq!(closing_due(MAY, 5, 24, Millis(0)), Err(BillError::ClosingTime));
    assert_eq!(closing(Cycle(202613)), Err(BillError::Cycle(Cycle(202613))));
    assert_eq!(closing(Cycle(999912)), Err(BillError::Cycle(Cycle(999912))));
}

#[test]
fn a_billing_cycle_is_the_calendar_month_in_the_billing_zone_r_bill_03() {
    let (start, end) = cycle_bounds(Cycle(202612), DEFAULT_BILLING_OFFSET).unwrap();
    assert_eq!(start, Timestamp::from_utc(2026, 11, 30, 16, 0, 0).unwrap(), "midnight of December 1 at UTC+8");
    assert_eq!(end, Timestamp::from_utc(2026, 12, 31, 16, 0, 0).unwrap(), "midnight of January 1, excluded");
    assert_eq!(Cycle::of(start, DEFAULT_BILLING_OFFSET), Cycle(202612));
    assert_eq!(Cycle::of(end.plus(Millis(-1)), DEFAULT_BILLING_OFFSET), Cycle(202612));
    assert_eq!(Cycle::of(end, DEFAULT_BILLING_OFFSET), Cycle(202701));
    assert_eq!(cycle_bounds(MAY, Millis(0)).map(|(s, _)| s), Ok(Timestamp::from_utc(2026, 5, 1, 0, 0, 0).unwrap()));
    assert_eq!(cycle_bounds(Cycle(202600), Millis(0)), Err(BillError::Cycle(Cycle(202600))));
}

#[test]
fn the_tax_a_gross_amount_includes_is_its_share_of_one_plus_the_rate() {
    let nine = TaxRate::parse("0.09").unwrap();
    assert_eq!(nine.included_in(money("109")), Ok(money("9")));
    assert_eq!(nine.included_in(money("100")), Ok(money("8.25688073")), "100 × 0.09 / 1.09, rounded");
    assert_eq!(TaxRate::ZERO.included_in(money("100")), Ok(Money::ZERO));
    assert_eq!(nine.included_in(money("-109")), Ok(money("-9")));
    assert_eq!(nine.included_in(Money::MAX).map(|t| t > Money::ZERO), Ok(true));
}
