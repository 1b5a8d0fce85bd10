//! Stored-value cards (issue 15; B2.5.8 `list_stored_value_cards`, B1.6.4 type 303): the
//! operator records a card a customer bought; the customer lists its cards and pays its orders
//! with one (`ops::orders::pay` with [`crate::ops::orders::PayWith::card`]). The rules are in
//! [`opc_domain::stored_value`].

use std::collections::HashMap;

use opc_domain::audit::{Action, Actor};
use opc_domain::stored_value::{CardError, CardStatus, NewCard, StoredValueCard};
use opc_domain::{AccountId, Money, Timestamp};

use super::admin::audit_event;
use super::auth::Principal;
use super::{random, Context};
use crate::store::{CardQuery, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum CardOpError {
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// No such customer (a partner's account is none either).
    #[error("no customer {0}")]
    UnknownCustomer(String),
    /// Cards are the customer's own: a partner has none and reads none.
    #[error("stored-value cards are a customer's own; sign as the customer")]
    NotACustomer,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn new_id() -> String {
    hex::encode(random::<16>())
}

/// The operator records a stored-value card `customer_id` bought, audited. Refused for a
/// partner's account and for a reseller customer (SVC-1: its orders are paid by its partner's
/// bill, so a card could never pay one).
pub async fn issue(
    ctx: &Context,
    operator: &str,
    customer_id: &str,
    name: &str,
    face_value: Money,
    (from, to): (Timestamp, Timestamp),
) -> Result<StoredValueCard, CardOpError> {
    let unknown = || CardOpError::UnknownCustomer(customer_id.to_owned());
    let customer = AccountId::parse(customer_id).map_err(|_| unknown())?;
    ctx.store.account(&customer).await?.ok_or_else(unknown)?;
    if ctx.store.partner_of_account(&customer).await?.is_some() {
        return Err(unknown());
    }
    let reseller = ctx
        .store
        .association_of(&customer)
        .await?
        .is_some_and(|a| a.model() == opc_domain::association::AssociationModel::Reseller);
    if reseller {
        return Err(CardOpError::Invalid { field: "customer", reason: CardError::ResellerCustomer.to_string() });
    }
    let now = ctx.clock.now();
    let (card, entry) = StoredValueCard::issue(NewCard {
        id: new_id(),
        entry_id: new_id(),
        name,
        customer,
        face_value,
        valid_from: from,
        valid_to: to,
        at: now,
    })?;
    let audit = [audit_event(
        now,
        Actor::Operator(operator.to_owned()),
        None,
        Action::StoredValueCardIssued,
        "stored_value_card",
        card.id(),
        None,
        Some(format!(
            "customer={} face_value={} from={} to={}",
            card.customer(),
            card.face_value(),
            card.valid_from(),
            card.valid_to()
        )),
    )];
    ctx.store.insert_stored_value_card(&card, &entry, &audit).await?;
    tracing::info!(card.id = %card.id(), customer.id = %card.customer(), "Stored-value card recorded");
    Ok(card)
}

/// Which of a customer's cards to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardFilter {
    pub status: Option<CardStatus>,
    pub card: Option<String>,
    pub offset: u32,
    /// `None`: all.
    pub limit: Option<u32>,
}

fn customer_of(principal: &Principal) -> Result<&AccountId, CardOpError> {
    match principal {
        Principal::Customer { account, .. } => Ok(account.id()),
        Principal::Partner(_) => Err(CardOpError::NotACustomer),
    }
}

/// B2.5.8: the signer's own cards, newest first, and the count of all that match. A customer
/// sees only its own; a partner has none.
pub async fn cards_of(
    ctx: &Context,
    principal: &Principal,
    filter: &CardFilter,
) -> Result<(Vec<StoredValueCard>, u64), CardOpError> {
    let customer = customer_of(principal)?.clone();
    cards(ctx, Some(customer), filter).await
}

/// The operator's view: every customer's cards, or one customer's.
pub async fn all_cards(
    ctx: &Context,
    customer: Option<&str>,
    filter: &CardFilter,
) -> Result<(Vec<StoredValueCard>, u64), CardOpError> {
    let customer = match customer {
        Some(id) => Some(AccountId::parse(id).map_err(|_| CardOpError::UnknownCustomer(id.to_owned()))?),
        None => None,
    };
    cards(ctx, customer, filter).await
}

async fn cards(
    ctx: &Context,
    customer: Option<AccountId>,
    filter: &CardFilter,
) -> Result<(Vec<StoredValueCard>, u64), CardOpError> {
    let query = CardQuery {
        customer,
        card: filter.card.clone(),
        with_balance: filter.status.map(|s| match s {
            CardStatus::Usable => true,
            CardStatus::UsedUp => false,
        }),
        offset: filter.offset,
        limit: filter.limit,
    };
    Ok(ctx.store.stored_value_cards(&query).await?)
}

/// The cards the signer may pay with now (SVC-2: valid now, money left), newest first; none
/// for a reseller customer (SVC-1) or a partner.
pub async fn usable_cards(ctx: &Context, principal: &Principal) -> Result<Vec<StoredValueCard>, CardOpError> {
    let Principal::Customer { account, .. } = principal else { return Ok(vec![]) };
    let reseller = ctx
        .store
        .association_of(account.id())
        .await?
        .is_some_and(|a| a.model() == opc_domain::association::AssociationModel::Reseller);
    if reseller {
        return Ok(vec![]);
    }
    let filter = CardFilter { status: Some(CardStatus::Usable), ..CardFilter::default() };
    let (cards, _) = cards(ctx, Some(account.id().clone()), &filter).await?;
    let now = ctx.clock.now();
    Ok(cards.into_iter().filter(|c| c.usable_at(now).is_ok()).collect())
}

/// What cards paid of each order line among `orders` (their fee records'
/// `stored_value_card_amount`), by line id.
pub async fn paid_by_cards(ctx: &Context, orders: &[String]) -> Result<HashMap<String, Money>, CardOpError> {
    let mut by_line: HashMap<String, Money> = HashMap::new();
    for p in ctx.store.card_line_payments(orders).await? {
        let sum = by_line.entry(p.line_id).or_insert(Money::ZERO);
        *sum = sum.checked_add(p.amount).map_err(|_| CardError::Overflow)?;
    }
    Ok(by_line)
}

/// SVC-1, SVC-2: the card `id` of `order`'s customer pays what it can of the order's lines due
/// (after `applied`, the partner discount the payment uses), at `now`. `reseller`: the customer
/// is a reseller customer (refused). Errors name `coupon_infos[0].id`, where the card was named.
pub(crate) async fn pay_order(
    ctx: &Context,
    order: &opc_domain::order::Order,
    reseller: bool,
    id: &str,
    applied: Option<&opc_domain::discount::AppliedDiscount>,
    now: Timestamp,
) -> Result<opc_domain::stored_value::CardPayment, crate::ops::orders::OrderOpError> {
    let invalid =
        |reason: String| crate::ops::orders::OrderOpError::Invalid { field: "coupon_infos[0].id".into(), reason };
    opc_domain::stored_value::accepted_for(reseller).map_err(|e| invalid(e.to_string()))?;
    let query =
        CardQuery { customer: Some(order.customer().clone()), card: Some(id.to_owned()), ..CardQuery::default() };
    let card = ctx
        .store
        .stored_value_cards(&query)
        .await?
        .0
        .pop()
        .ok_or_else(|| invalid(format!("{id:?} is not one of the customer's stored-value cards")))?;
    let lines: Vec<(String, Money)> = order
        .lines()
        .iter()
        .map(|l| {
            let due = applied.and_then(|a| a.line(l.id())).map_or(l.official(), |a| a.due);
            (l.id().to_owned(), due)
        })
        .collect();
    card.pay(new_id(), order.id(), &lines, now).map_err(|e| invalid(format!("{id:?}: {e}")))
}

/// SVC-3 (R-CPN-10 reading): what the unsubscription `order` refunds of orders a card paid goes
/// back to that card, up to what the card paid for the order and has not got back yet, the
/// refund lines in order; the rest is refunded as without a card. The cards as they leave it,
/// in order (a card refunded for several orders changes once per order).
pub(crate) async fn refund_cards(
    ctx: &Context,
    unsubscription: &opc_domain::order::Order,
    now: Timestamp,
) -> Result<Vec<opc_domain::stored_value::CardPayment>, crate::ops::orders::OrderOpError> {
    use std::collections::BTreeMap;

    use crate::ops::orders::OrderOpError;
    let overflow = |e: CardError| OrderOpError::Rating(e.to_string());
    let mut by_base: BTreeMap<String, Vec<(String, Money)>> = BTreeMap::new();
    for l in unsubscription.lines() {
        let (Some(base), true) = (l.base_order(), l.official() < Money::ZERO) else { continue };
        let back = Money::from_e8(-l.official().e8()).map_err(|_| overflow(CardError::Overflow))?;
        by_base.entry(base.to_string()).or_default().push((l.id().to_owned(), back));
    }
    if by_base.is_empty() {
        return Ok(vec![]);
    }
    let bases: Vec<String> = by_base.keys().cloned().collect();
    let mut current: HashMap<String, StoredValueCard> = HashMap::new();
    let mut out = vec![];
    for used in ctx.store.card_order_sums(&bases).await? {
        let Some(lines) = by_base.get(&used.order_id) else { continue };
        let paid_left = Money::from_e8(-used.sum.e8()).map_err(|_| overflow(CardError::Overflow))?;
        let mut refunded = Money::ZERO;
        for (_, m) in lines {
            refunded = refunded.checked_add(*m).map_err(|_| overflow(CardError::Overflow))?;
        }
        let back = refunded.min(paid_left);
        if back <= Money::ZERO {
            continue;
        }
        let card = match current.remove(&used.card_id) {
            Some(c) => c,
            None => {
                let query = CardQuery { card: Some(used.card_id.clone()), ..CardQuery::default() };
                ctx.store.stored_value_cards(&query).await?.0.pop().ok_or(StoreError::NotFound)?
            }
        };
        let base = opc_domain::OrderId::parse(&used.order_id)
            .map_err(|e| OrderOpError::Rating(format!("stored order id {:?}: {e}", used.order_id)))?;
        let (after, entry) = card.refund(new_id(), &base, back, paid_left, now).map_err(overflow)?;
        let parts = opc_domain::stored_value::allocate(back, lines).map_err(overflow)?;
        let parts = parts
            .into_iter()
            .map(|(id, m)| Ok((id, Money::from_e8(-m.e8()).map_err(|_| overflow(CardError::Overflow))?)))
            .collect::<Result<Vec<_>, OrderOpError>>()?;
        current.insert(used.card_id.clone(), after.saved());
        out.push(opc_domain::stored_value::CardPayment { card: after, entry, lines: parts });
    }
    Ok(out)
}
