//! B2.5.8 `list_stored_value_cards`: a customer's stored-value cards (BssClient only; the
//! customer signs). Paying with a card is `pay_orders` with `coupon_infos[].type` 303.

use axum::extract::State;
use axum::Json;
use opc_core::ops::stored_value::{self, CardFilter};
use opc_core::Context;
use opc_domain::stored_value::{CardStatus, StoredValueCard};
use serde::{Deserialize, Serialize};

use super::coupons::{paging, time};
use super::wire::{self, non_empty};
use crate::error::ApiError;
use crate::extract::{AuthenticatedCustomer, BssQuery};

#[derive(Deserialize, Default)]
pub struct CardsQuery {
    status: Option<i64>,
    card_id: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

/// `ListStoredValueCardsResponse`.
#[derive(Serialize)]
pub struct CardsResponse {
    total_count: u64,
    stored_value_cards: Vec<UserStoredValueCard>,
}

/// `UserStoredValueCard`: amounts as exact decimal strings (at most 8 decimals).
#[derive(Serialize)]
struct UserStoredValueCard {
    card_id: String,
    card_name: String,
    status: i32,
    face_value: String,
    balance: String,
    effective_time: String,
    expire_time: String,
}

/// `status_svc`: 1 usable, 2 used up.
fn status_code(s: CardStatus) -> i32 {
    match s {
        CardStatus::Usable => 1,
        CardStatus::UsedUp => 2,
    }
}

fn parse_status(code: Option<i64>) -> Result<CardStatus, ApiError> {
    match code {
        Some(1) => Ok(CardStatus::Usable),
        Some(2) => Ok(CardStatus::UsedUp),
        Some(_) => Err(ApiError::invalid("status", "must be 1 (usable) or 2 (used up)")),
        None => Err(ApiError::invalid("status", "is required")),
    }
}

impl From<StoredValueCard> for UserStoredValueCard {
    fn from(c: StoredValueCard) -> UserStoredValueCard {
        UserStoredValueCard {
            status: status_code(c.status()),
            face_value: c.face_value().to_plain_string(),
            balance: c.balance().to_plain_string(),
            effective_time: time(c.valid_from()),
            expire_time: time(c.valid_to()),
            card_name: c.name().to_owned(),
            card_id: c.id().to_owned(),
        }
    }
}

/// `GET /v2/promotions/benefits/stored-value-cards` (B2.5.8): the signing customer's own cards
/// of the status asked, newest first; `card_id`, when given and not empty, selects one.
pub async fn list_stored_value_cards(
    State(ctx): State<Context>,
    AuthenticatedCustomer(principal): AuthenticatedCustomer,
    BssQuery(q): BssQuery<CardsQuery>,
) -> Result<Json<CardsResponse>, ApiError> {
    let status = parse_status(q.status)?;
    let card = wire::max_chars("card_id", non_empty(&q.card_id), 64)?.map(str::to_owned);
    let (offset, limit) = paging(q.offset, q.limit)?;
    let filter = CardFilter { status: Some(status), card, offset, limit: Some(limit) };
    let (cards, total_count) = stored_value::cards_of(&ctx, &principal, &filter).await?;
    Ok(Json(CardsResponse { total_count, stored_value_cards: cards.into_iter().map(Into::into).collect() }))
}
