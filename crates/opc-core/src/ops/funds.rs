//! Funds: balances and the ledger (BSS B1.4.2, B2.4). A partner allocates funds to its
//! reseller customers and reclaims them; a distributor does the same with its resellers
//! (R-DIST-02); the operator records the partner's payments and corrects balances.
//!
//! Each movement is decided by the domain ([`opc_domain::funds`]) from balances read with
//! their versions and written with the entries in one transaction. When another movement on
//! the same balance lands first, the write is refused as stale and the movement is decided
//! again from the new balance, so that concurrent allocations never overdraw it.

use opc_domain::audit::{Action, Actor, AuditEvent};
use opc_domain::funds::{
    self, Balance, BillRef, Entry, EntryKind, FundsError, Holder, Invoice, Posting, TransferAmount,
};
use opc_domain::organization::Permission;
use opc_domain::partner::{Partner, PartnerState};
use opc_domain::spend::QuotaUse;
use opc_domain::{AccountId, Money, PartnerId};

use super::admin::audit_event;
use super::audit_text;
use super::auth::{Caller, Principal};
use super::customers::{actor, owner, their_customer, their_reseller_customer, CustomerError};
use super::{random, Context};
use crate::store::{Constraint, EntryView, LedgerQuery, LedgerWrite, Row, StoreError};

/// How many times a movement is decided again after a concurrent one on the same balance.
const ATTEMPTS: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum FundsOpError {
    /// Tenancy: not your customer, not your reseller, not a reseller-model customer, no
    /// permission.
    #[error(transparent)]
    Scope(#[from] CustomerError),
    #[error(transparent)]
    Funds(#[from] FundsError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("no partner {0}")]
    UnknownPartner(String),
    /// Other movements kept landing first; nothing was moved.
    #[error("the balance changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for FundsOpError {
    fn from(e: StoreError) -> FundsOpError {
        match e {
            StoreError::Conflict { constraint: Constraint::Stale(Row::Balance) } => FundsOpError::Concurrent,
            other => FundsOpError::Store(other),
        }
    }
}

fn posting(ctx: &Context, memo: &str) -> Posting {
    Posting {
        id: hex::encode(random::<16>()),
        transfer: hex::encode(random::<16>()),
        at: ctx.clock.now(),
        memo: memo.to_owned(),
    }
}

/// Moves `amount` from one holder to the other, decided again from fresh balances when a
/// concurrent movement wins; returns the transfer id. With `transfer` (a caller's `trans_id`),
/// the movement takes that id and happens once: when `from`'s ledger already has an entry of
/// it, nothing moves again.
pub(crate) async fn move_funds(
    ctx: &Context,
    actor: Actor,
    partner: Option<&PartnerId>,
    kind: EntryKind,
    (from, to): (Holder, Holder),
    amount: TransferAmount,
    transfer: Option<&str>,
) -> Result<String, FundsOpError> {
    let action = match kind {
        EntryKind::Reclaim => Action::FundsReclaimed,
        _ => Action::FundsAllocated,
    };
    for _ in 0..ATTEMPTS {
        if let Some(id) = transfer {
            let done = LedgerQuery { transfer: Some(id.to_owned()), limit: 1, ..LedgerQuery::default() };
            if ctx.store.ledger(&from, &done).await?.1 > 0 {
                return Ok(id.to_owned());
            }
        }
        let balances = ctx.store.balances(&[from.clone(), to.clone()]).await?;
        let [mut out, mut into]: [Balance; 2] = balances.try_into().map_err(|_| StoreError::NotFound)?;
        let mut posting = posting(ctx, "");
        if let Some(id) = transfer {
            posting.transfer = id.to_owned();
        }
        let entries = funds::transfer(kind, &mut out, &mut into, amount, &posting)?;
        let audit = [audit_event(
            posting.at,
            actor.clone(),
            partner,
            action,
            "transfer",
            &posting.transfer,
            None,
            Some(format!("from={} to={} amount={}", describe(&from), describe(&to), amount.money())),
        )];
        let balances = [out, into];
        let write = LedgerWrite { balances: &balances, entries: &entries, audit: &audit, ..LedgerWrite::default() };
        match ctx.store.post_entries(&write).await {
            Ok(()) => {
                tracing::info!(partner.id = ?partner, transfer.id = %posting.transfer, ?kind, "Moved funds");
                return Ok(posting.transfer);
            }
            Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance | Row::Partner) }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(FundsOpError::Concurrent)
}

fn describe(holder: &Holder) -> String {
    match holder {
        Holder::Partner(id) => format!("partner:{id}"),
        Holder::Customer(id) => format!("customer:{id}"),
    }
}

/// B2.4.8 `update_customer_account_amount`: the partner (or, with `indirect_partner`, the
/// distributor's reseller) funds one of its reseller-model customers from its own balance.
pub async fn allocate_to_customer(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer: &str,
    amount: TransferAmount,
) -> Result<String, FundsOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let view = their_reseller_customer(ctx, caller, &owner, customer).await?;
    let holders = (Holder::Partner(owner.id().clone()), Holder::Customer(view.account.id().clone()));
    move_funds(ctx, actor(caller), Some(owner.id()), EntryKind::Allocation, holders, amount, None).await
}

/// B2.4.7 `reclaim_to_partner_account`: takes funds back from a reseller-model customer.
pub async fn reclaim_from_customer(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customer: &str,
    amount: TransferAmount,
) -> Result<String, FundsOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ControlCustomers).await?;
    let view = their_reseller_customer(ctx, caller, &owner, customer).await?;
    let holders = (Holder::Customer(view.account.id().clone()), Holder::Partner(owner.id().clone()));
    move_funds(ctx, actor(caller), Some(owner.id()), EntryKind::Reclaim, holders, amount, None).await
}

/// The caller's reseller named `reseller` (R-DIST-02), for the distributor's own movements.
async fn their_reseller(ctx: &Context, caller: &Caller, reseller: &str) -> Result<Partner, FundsOpError> {
    if reseller == caller.partner.id().as_str() {
        return Err(CustomerError::NotYourReseller(reseller.to_owned()).into());
    }
    Ok(owner(ctx, caller, Some(reseller), Permission::ControlCustomers).await?)
}

/// B2.4.9 `update_indirect_partner_account`: a distributor funds one of its resellers.
pub async fn allocate_to_reseller(
    ctx: &Context,
    caller: &Caller,
    reseller: &str,
    amount: TransferAmount,
) -> Result<String, FundsOpError> {
    let reseller = their_reseller(ctx, caller, reseller).await?;
    let holders = (Holder::Partner(caller.partner.id().clone()), Holder::Partner(reseller.id().clone()));
    move_funds(ctx, actor(caller), Some(caller.partner.id()), EntryKind::Allocation, holders, amount, None).await
}

/// B2.4.6 `reclaim_indirect_partner_account`: a distributor takes funds back from a reseller.
pub async fn reclaim_from_reseller(
    ctx: &Context,
    caller: &Caller,
    reseller: &str,
    amount: TransferAmount,
) -> Result<String, FundsOpError> {
    let reseller = their_reseller(ctx, caller, reseller).await?;
    let holders = (Holder::Partner(reseller.id().clone()), Holder::Partner(caller.partner.id().clone()));
    move_funds(ctx, actor(caller), Some(caller.partner.id()), EntryKind::Reclaim, holders, amount, None).await
}

/// B2.4.5 `list_partner_balances`: the caller's balance, or with `indirect_partner` its
/// reseller's.
pub async fn partner_balance(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
) -> Result<Balance, FundsOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let mut balances = ctx.store.balances(&[Holder::Partner(owner.id().clone())]).await?;
    balances.pop().ok_or(FundsOpError::Store(StoreError::NotFound))
}

/// B2.4.2 `list_customers_balances_detail`: the balances of those of `customers` that are the
/// owner's reseller-model customers the caller sees; any other id is left out, whether or not
/// it exists.
pub async fn customer_balances(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    customers: &[String],
) -> Result<Vec<Balance>, FundsOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    let mut holders = Vec::new();
    for id in customers {
        match their_reseller_customer(ctx, caller, &owner, id).await {
            Ok(view) => {
                let holder = Holder::Customer(view.account.id().clone());
                if !holders.contains(&holder) {
                    holders.push(holder);
                }
            }
            Err(
                CustomerError::NotYourCustomer(_) | CustomerError::NotResellerCustomer(_) | CustomerError::Forbidden(_),
            ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(ctx.store.balances(&holders).await?)
}

/// B1.4.2 `show_customer_account_balances`: whoever signed, its own cash balance.
pub async fn own_balance(ctx: &Context, principal: &Principal) -> Result<Balance, FundsOpError> {
    let holder = match principal {
        Principal::Partner(caller) => Holder::Partner(caller.partner.id().clone()),
        Principal::Customer { account, .. } => Holder::Customer(account.id().clone()),
    };
    let mut balances = ctx.store.balances(&[holder]).await?;
    balances.pop().ok_or(FundsOpError::Store(StoreError::NotFound))
}

/// Who a partner's ledger query names as the other side (`customer_id` of
/// `list_partner_adjust_records`): one of the owner's customers, or one of its resellers.
pub async fn counterpart(
    ctx: &Context,
    caller: &Caller,
    owner: &Partner,
    id: &str,
) -> Result<Option<Holder>, FundsOpError> {
    if let Ok(view) = their_customer(ctx, caller, owner, id).await {
        return Ok(Some(Holder::Customer(view.account.id().clone())));
    }
    if let Ok(reseller) = PartnerId::parse(id) {
        if let Some(p) = ctx.store.partner(&reseller).await? {
            if p.distributor() == Some(owner.id()) {
                return Ok(Some(Holder::Partner(p.id().clone())));
            }
        }
    }
    // A former customer still names its own entries: the ledger keeps them.
    Ok(AccountId::parse(id).ok().map(Holder::Customer))
}

/// B2.4.3 and B2.4.4: a page of the partner's ledger (or its reseller's, with
/// `indirect_partner`).
pub async fn partner_ledger(
    ctx: &Context,
    caller: &Caller,
    indirect_partner: Option<&str>,
    counterpart_id: Option<&str>,
    mut query: LedgerQuery,
) -> Result<(Vec<EntryView>, u64), FundsOpError> {
    let owner = owner(ctx, caller, indirect_partner, Permission::ViewCustomers).await?;
    if let Some(id) = counterpart_id {
        query.counterpart = counterpart(ctx, caller, &owner, id).await?;
        if query.counterpart.is_none() {
            return Ok((vec![], 0));
        }
    }
    Ok(ctx.store.ledger(&Holder::Partner(owner.id().clone()), &query).await?)
}

/// B2.4.1 `list_customer_account_change_records`: a customer's own ledger.
pub async fn customer_ledger(
    ctx: &Context,
    principal: &Principal,
    query: &LedgerQuery,
) -> Result<(Vec<EntryView>, u64), FundsOpError> {
    let holder = match principal {
        Principal::Customer { account, .. } => Holder::Customer(account.id().clone()),
        Principal::Partner(caller) => Holder::Partner(caller.partner.id().clone()),
    };
    Ok(ctx.store.ledger(&holder, query).await?)
}

/// What the operator records on a partner's balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorEntry {
    /// Money received from the partner (R-QUOTA-07: a repayment, or an advance).
    Payment(Money),
    /// A correction, either way.
    Adjustment(Money),
}

/// The operator records a payment or an adjustment on a partner's balance; returns the entry.
pub async fn record(
    ctx: &Context,
    partner: &str,
    what: OperatorEntry,
    memo: &str,
    operator: &str,
) -> Result<Entry, FundsOpError> {
    if memo.chars().count() > 200 {
        return Err(FundsOpError::Invalid { field: "memo", reason: "at most 200 characters".into() });
    }
    let id = PartnerId::parse(partner).map_err(|_| FundsOpError::UnknownPartner(partner.to_owned()))?;
    for _ in 0..ATTEMPTS {
        let mut partner = ctx.store.partner(&id).await?.ok_or_else(|| FundsOpError::UnknownPartner(id.to_string()))?;
        let use_before = ctx.store.quota_use(partner.id()).await?;
        let mut balance =
            ctx.store.balances(&[Holder::Partner(partner.id().clone())]).await?.pop().ok_or(StoreError::NotFound)?;
        let before = balance.amount();
        let posting = posting(ctx, memo);
        let (entry, action) = match what {
            OperatorEntry::Payment(amount) => (balance.receive(amount, &posting)?, Action::PaymentRecorded),
            OperatorEntry::Adjustment(amount) => (balance.adjust(amount, &posting)?, Action::BalanceAdjusted),
        };
        // R-BILL-02, R-BILL-03: a payment repays the unpaid bills, oldest first; the rest stays
        // on the balance as an advance (R-QUOTA-07).
        let mut settled = Vec::new();
        if action == Action::PaymentRecorded {
            let unpaid: Vec<(BillRef, Money)> = ctx
                .store
                .bills_to(partner.id())
                .await?
                .into_iter()
                .map(|b| (BillRef { partner: b.partner.clone(), cycle: b.cycle }, b.unpaid()))
                .filter(|(_, owed)| *owed > Money::ZERO)
                .collect();
            let repay =
                Posting { id: format!("{}-r", posting.id), memo: "Repayment of bills".into(), ..posting.clone() };
            settled = balance.settle_bills(&unpaid, &repay)?;
        }
        let repaid =
            settled.iter().try_fold(Money::ZERO, |sum, e| sum.checked_sub(e.amount)).map_err(FundsError::from)?;
        // R-QUOTA-07, R-QUOTA-10: `Restricted → Normal` once what is used fits the quota again.
        let due = use_before.due.checked_sub(repaid).map_err(FundsError::from)?;
        let used =
            QuotaUse { balance: balance.amount(), due, ..use_before }.used().map_err(|_| FundsError::OutOfRange)?;
        let lifted = partner.restriction_ends(used);
        let mut audit: Vec<AuditEvent> = vec![audit_event(
            posting.at,
            Actor::Operator(operator.to_owned()),
            Some(partner.id()),
            action,
            "partner",
            partner.id().as_str(),
            Some(format!("balance={before}")),
            Some(format!("balance={} entry={} repaid={repaid}", balance.amount(), entry.id)),
        )];
        if lifted {
            partner.lift_restriction().map_err(|_| FundsOpError::Concurrent)?;
            audit.push(audit_event(
                posting.at,
                Actor::Operator(operator.to_owned()),
                Some(partner.id()),
                Action::PartnerUnrestricted,
                "partner",
                partner.id().as_str(),
                Some(format!("state={}", audit_text::partner_state(PartnerState::Restricted))),
                Some(format!("state={}", audit_text::partner_state(partner.state()))),
            ));
        }
        let partner_change = lifted.then_some(&partner);
        let entries: Vec<Entry> = std::iter::once(entry.clone()).chain(settled).collect();
        // B1.8.5: money received is invoiced, with the tax it includes at the country's rate.
        let rate = ctx.store.tax_rate(partner.country().as_str()).await?;
        let number =
            format!("INV{}{}", entry.at.to_sdk_date().get(..8).unwrap_or_default(), &entry.id[..8].to_uppercase());
        let invoice = Invoice::for_payment(hex::encode(random::<16>()), number, &entry, rate)?;
        let balances = [balance];
        let write = LedgerWrite {
            balances: &balances,
            entries: &entries,
            partner: partner_change,
            invoice: invoice.as_ref(),
            audit: &audit,
        };
        match ctx.store.post_entries(&write).await {
            Ok(()) => {
                tracing::info!(partner.id = %partner.id(), entry.id = %entry.id, ?action, "Recorded on a partner's balance");
                return Ok(entry);
            }
            Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance) }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(FundsOpError::Concurrent)
}

/// The operator records money a customer paid into its own cash account (a top-up): what an
/// enterprise master gives its members (EMA-5) or pays with. A current reseller-model customer's
/// funds come from its partner (B2.4.8), so the operator records none for it.
pub async fn record_customer_payment(
    ctx: &Context,
    customer: &str,
    amount: Money,
    memo: &str,
    operator: &str,
) -> Result<Entry, FundsOpError> {
    if memo.chars().count() > 200 {
        return Err(FundsOpError::Invalid { field: "memo", reason: "at most 200 characters".into() });
    }
    let unknown = || FundsOpError::Invalid { field: "customer", reason: format!("no customer {customer}") };
    let id = AccountId::parse(customer).map_err(|_| unknown())?;
    ctx.store.account(&id).await?.ok_or_else(unknown)?;
    let reseller = ctx
        .store
        .association_of(&id)
        .await?
        .is_some_and(|a| a.is_current() && a.model() == opc_domain::association::AssociationModel::Reseller);
    if reseller {
        return Err(FundsOpError::Invalid {
            field: "customer",
            reason: "a reseller-model customer is funded by its partner".into(),
        });
    }
    for _ in 0..ATTEMPTS {
        let mut balance =
            ctx.store.balances(&[Holder::Customer(id.clone())]).await?.pop().ok_or(StoreError::NotFound)?;
        let posting = posting(ctx, memo);
        let entry = balance.receive(amount, &posting)?;
        let audit = [audit_event(
            posting.at,
            Actor::Operator(operator.to_owned()),
            None,
            Action::PaymentRecorded,
            "customer",
            id.as_str(),
            None,
            Some(format!("balance={} entry={}", balance.amount(), entry.id)),
        )];
        let balances = [balance];
        let entries = [entry.clone()];
        let write = LedgerWrite { balances: &balances, entries: &entries, audit: &audit, ..LedgerWrite::default() };
        match ctx.store.post_entries(&write).await {
            Ok(()) => {
                tracing::info!(customer.id = %id, entry.id = %entry.id, "Recorded a customer's payment");
                return Ok(entry);
            }
            Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Balance) }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(FundsOpError::Concurrent)
}

/// B1.8.5 `list_invoices`: a page of the partner's invoices issued in `[from, to]`.
pub async fn invoices(
    ctx: &Context,
    caller: &Caller,
    (from, to): (opc_domain::Timestamp, opc_domain::Timestamp),
    offset: u32,
    limit: u32,
) -> Result<(Vec<Invoice>, u64), FundsOpError> {
    Ok(ctx.store.invoices(caller.partner.id(), from, to, offset, limit).await?)
}
