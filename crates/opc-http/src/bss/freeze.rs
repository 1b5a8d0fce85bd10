//! B1.3 freezing and unfreezing reseller customers. A batch applies what it can and names each
//! id that failed in `error_details`, with HTTP 200.

use axum::extract::State;
use axum::Json;
use opc_core::ops::customers::{self, BatchFailures};
use opc_core::Context;
use serde::{Deserialize, Serialize};

use super::wire::{self, non_empty};
use crate::error::ApiError;
use crate::extract::{Authenticated, BssJson};
use crate::replay::{unchanged_if, Unchanged};

/// `FreezeSubCustomersReq` and `UnfreezeSubCustomersReq`.
#[derive(Deserialize, Default)]
pub struct FreezeReq {
    customer_ids: Option<Vec<String>>,
    reason: Option<String>,
    indirect_partner_id: Option<String>,
    freeze_type: Option<String>,
    unfreeze_type: Option<String>,
}

/// `FreezeSubCustomersResponse` and `UnfreezeSubCustomersResponse`: `{}` when every id was
/// done, else the ids that failed.
#[derive(Serialize)]
pub struct BatchResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    error_details: Vec<CustomerErrorDetail>,
}

#[derive(Serialize)]
struct CustomerErrorDetail {
    error_code: &'static str,
    error_msg: String,
    id: String,
}

struct Batch<'a> {
    ids: &'a [String],
    reason: &'a str,
    indirect: Option<&'a str>,
}

fn validate(req: &FreezeReq) -> Result<Batch<'_>, ApiError> {
    let ids = req.customer_ids.as_deref().unwrap_or_default();
    if ids.is_empty() || ids.len() > 10 {
        return Err(ApiError::invalid("customer_ids", "must name 1 to 10 customers"));
    }
    if ids.iter().any(|id| id.is_empty() || id.chars().count() > 64) {
        return Err(ApiError::invalid("customer_ids", "each id is 1 to 64 characters"));
    }
    Ok(Batch {
        ids,
        // Required and at most 512 characters: checked by the use case.
        reason: req.reason.as_deref().unwrap_or_default(),
        indirect: wire::max_chars("indirect_partner_id", non_empty(&req.indirect_partner_id), 64)?,
    })
}

fn answer(failures: BatchFailures, items: usize) -> Answer {
    let unchanged = unchanged_if(failures.len() >= items);
    let details: Vec<CustomerErrorDetail> = failures
        .into_iter()
        .map(|(id, e)| {
            let error = ApiError::from(e);
            CustomerErrorDetail { error_code: error.code().wire().1, error_msg: error.message().to_owned(), id }
        })
        .collect();
    (unchanged, Json(BatchResponse { error_details: details }))
}

/// A batch's answer, marked when no item changed.
type Answer = (Option<axum::Extension<Unchanged>>, Json<BatchResponse>);

/// `POST /v2/partners/sub-customers/freeze`.
pub async fn freeze_sub_customers(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<FreezeReq>,
) -> Result<Answer, ApiError> {
    let batch = validate(&req)?;
    let scope = wire::parse_freeze_type("freeze_type", req.freeze_type.as_deref())?;
    let items = batch.ids.len();
    let failures = customers::freeze_customers(&ctx, &caller, batch.indirect, batch.ids, scope, batch.reason).await?;
    Ok(answer(failures, items))
}

/// `POST /v2/partners/sub-customers/unfreeze`.
pub async fn unfreeze_sub_customers(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<FreezeReq>,
) -> Result<Answer, ApiError> {
    let batch = validate(&req)?;
    let scope = wire::parse_freeze_type("unfreeze_type", req.unfreeze_type.as_deref())?;
    let items = batch.ids.len();
    let failures = customers::unfreeze_customers(&ctx, &caller, batch.indirect, batch.ids, scope, batch.reason).await?;
    Ok(answer(failures, items))
}
