//! Many random months, checked against what must hold of every bill: lines add up to the
//! totals exactly (R-BILL-04, R-BILL-11), only the partner's reseller customers count
//! (R-BILL-03), and how the store splits its amounts changes nothing.

use super::*;

/// xorshift64: deterministic, so a failure names its round and replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An amount from tiny (a few 10⁻⁸, where rounding shows) to a hundred thousand.
    fn amount(&mut self) -> i64 {
        let magnitude = [100, 10_000, 100_000_000, 10_000_000_000_000][self.below(4) as usize];
        self.below(magnitude) as i64
    }

    fn discount(&mut self) -> Discount {
        Discount::from_basis_points(self.below(10_001) as u32).unwrap()
    }
}

const SERVICES: [&str; 3] = [EC2, EBS, OBS];

fn random_month(rng: &mut Rng) -> Vec<Rated> {
    (0..rng.below(40))
        .map(|_| {
            let partner = match rng.below(5) {
                0 | 1 => Some((partner(1), Reseller)),
                2 => Some((partner(2), Reseller)),
                3 => Some((partner(1), Referral)),
                _ => None,
            };
            let kind = [ChargeKind::Expenditure, ChargeKind::Refund, ChargeKind::Adjustment][rng.below(3) as usize];
            let amount = rng.amount();
            let e8 = match kind {
                ChargeKind::Expenditure => amount,
                ChargeKind::Refund => -amount,
                ChargeKind::Adjustment if rng.below(2) == 0 => amount,
                ChargeKind::Adjustment => -amount,
            };
            Rated {
                customer: customer(1 + rng.below(4) as u8),
                partner,
                service_type: SERVICES[rng.below(3) as usize].into(),
                mode: if rng.below(2) == 0 { OnDemand } else { Period },
                kind,
                official: Money::from_e8(e8).unwrap(),
            }
        })
        .collect()
}

fn random_schedule(rng: &mut Rng) -> SettlementSchedule {
    let mut schedule = SettlementSchedule::new();
    for from in [Cycle(202601), Cycle(202604), Cycle(202607)] {
        if rng.below(3) > 0 {
            let mut terms = SettlementTerms::flat(rng.discount());
            if rng.below(2) == 0 {
                terms = terms.with(SERVICES[rng.below(3) as usize], rng.discount());
            }
            schedule.set(from, terms);
        }
    }
    schedule
}

fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
    amounts.into_iter().fold(Money::ZERO, |s, m| s.checked_add(m).unwrap())
}

/// Each amount split in two, in reverse order: the same month as the store could hand it over.
fn split(rng: &mut Rng, rated: &[Rated]) -> Vec<Rated> {
    let mut parts = Vec::new();
    for r in rated.iter().rev() {
        let first = if r.official.e8() == 0 { 0 } else { r.official.e8() / (1 + rng.below(5) as i64) };
        let rest = r.official.e8() - first;
        parts.push(Rated { official: Money::from_e8(first).unwrap(), ..r.clone() });
        parts.push(Rated { official: Money::from_e8(rest).unwrap(), ..r.clone() });
    }
    parts
}

fn check_partner_bill(round: u32, rng: &mut Rng, rated: &[Rated], schedule: &SettlementSchedule, cycle: Cycle) {
    let tax = TaxRate::from_basis_points(rng.below(3_000) as u32).unwrap();
    let bill = partner_bill(&partner(1), cycle, schedule, tax, rated.to_vec()).unwrap();
    let (lines, t) = (bill.lines(), bill.totals());
    assert_eq!(sum(lines.iter().map(|l| l.due)), t.amount_due, "round {round}: Σ lines == amount due");
    assert_eq!(sum(lines.iter().map(|l| l.official)), t.official, "round {round}");
    assert_eq!(sum(lines.iter().map(|l| l.discount)), t.discount, "round {round}");
    assert_eq!(t.official.checked_sub(t.discount), Ok(t.amount_due), "round {round}: official − discount");
    assert_eq!(sum([t.consumption, t.refunds, t.adjustments]), t.amount_due, "round {round}");
    assert!(t.refunds <= Money::ZERO && t.consumption >= Money::ZERO, "round {round}");
    assert_eq!(tax.tax_on(t.amount_due), Ok(t.tax), "round {round}");
    for line in lines {
        let discount = schedule.discount_for(cycle, &line.service_type);
        assert_eq!(discount.off(line.official), Ok(line.discount), "round {round}");
        assert_eq!(line.official.checked_sub(line.discount), Ok(line.due), "round {round}");
    }
    let key = |l: &PartnerBillLine| (l.customer.clone(), l.service_type.clone(), l.mode, l.kind);
    assert!(lines.windows(2).all(|w| key(&w[0]) < key(&w[1])), "round {round}: ordered, one line per key");
    // R-BILL-03: exactly the partner's reseller customers' amounts, at list price.
    let counted = rated.iter().filter(|r| r.partner == Some((partner(1), Reseller))).map(|r| r.official);
    assert_eq!(sum(counted), t.official, "round {round}");
    // R-BILL-05: each summary is its exact sum rounded.
    for (service_type, amount) in bill.by_product() {
        let exact = sum(lines.iter().filter(|l| &l.service_type == service_type).map(|l| l.due));
        assert_eq!(exact.round_to_cents(), *amount, "round {round}");
    }
    for (customer, amount) in bill.by_customer() {
        let exact = sum(lines.iter().filter(|l| &l.customer == customer).map(|l| l.due));
        assert_eq!(exact.round_to_cents(), *amount, "round {round}");
    }
    let again = partner_bill(&partner(1), cycle, schedule, tax, split(rng, rated)).unwrap();
    assert_eq!(again, bill, "round {round}: the store's split and order change nothing");
}

fn check_customer_bills(round: u32, rated: &[Rated], cycle: Cycle) {
    for c in 1..=4 {
        let bills = customer_bill(&customer(c), cycle, rated.to_vec()).unwrap();
        let own = sum(rated.iter().filter(|r| r.customer == customer(c)).map(|r| r.official));
        assert_eq!(sum(bills.iter().map(CustomerBill::total)), own, "round {round}: every amount, at list price");
        for bill in &bills {
            assert_eq!(sum(bill.lines().iter().map(|l| l.official)), bill.total(), "round {round}");
            assert_eq!(bill.total().round_to_cents(), bill.total_rounded(), "round {round}");
        }
        assert!(bills.windows(2).all(|w| w[0].payer() < w[1].payer()), "round {round}: one bill per payer");
    }
}

#[test]
fn r_bill_04_r_bill_11_random_months_add_up_exactly() {
    let mut rng = Rng(0x5eed_b111_0000_0001);
    for round in 0..500 {
        let rated = random_month(&mut rng);
        let schedule = random_schedule(&mut rng);
        let cycle = Cycle(202601 + rng.below(12) as i64);
        check_partner_bill(round, &mut rng, &rated, &schedule, cycle);
        check_customer_bills(round, &rated, cycle);
    }
}
