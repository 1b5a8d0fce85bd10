//! B1.1 sub-customer management.

use axum::extract::State;
use axum::Json;
use opc_core::ops::customers::{self, CustomerError};
use opc_core::store::{CustomerQuery, CustomerView};
use opc_core::Context;
use opc_domain::AccountId;
use serde::{Deserialize, Serialize};

use super::wire::{self, non_empty};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{Authenticated, BssJson};

/// `QuerySubCustomerListReq`.
#[derive(Deserialize, Default)]
pub struct QuerySubCustomerListReq {
    account_name: Option<String>,
    customer: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    label: Option<String>,
    association_type: Option<String>,
    associated_on_begin: Option<String>,
    associated_on_end: Option<String>,
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// `ListSubCustomersResponse`.
#[derive(Serialize)]
pub struct ListSubCustomersResponse {
    customer_infos: Vec<CustomerInformation>,
    count: u64,
}

/// `CustomerInformation`.
#[derive(Serialize)]
struct CustomerInformation {
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<String>,
    account_name: String,
    customer_id: String,
    associated_on: String,
    association_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    verified_status: &'static str,
    customer_type: i32,
    is_frozen: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    xaccount_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    xaccount_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

impl From<CustomerView> for CustomerInformation {
    fn from(v: CustomerView) -> CustomerInformation {
        let CustomerView { account, association } = v;
        CustomerInformation {
            customer: account.display_name.clone(),
            account_name: account.name.as_str().to_owned(),
            customer_id: account.id.as_str().to_owned(),
            associated_on: association.associated_at.to_rfc3339(),
            association_type: wire::association_type(association.model),
            label: association.label,
            telephone: account.phone.clone(),
            verified_status: wire::verified_status(account.real_name),
            customer_type: wire::customer_type(account.account_type),
            is_frozen: i32::from(account.is_frozen()),
            xaccount_id: association.xaccount_id,
            xaccount_type: association.xaccount_type,
            email: account.email,
        }
    }
}

impl QuerySubCustomerListReq {
    fn validate(&self) -> Result<CustomerQuery, ApiError> {
        let text =
            |field, value: &Option<String>| wire::max_chars(field, non_empty(value), 64).map(|v| v.map(str::to_owned));
        Ok(CustomerQuery {
            account_name: text("account_name", &self.account_name)?,
            customer: text("customer", &self.customer)?,
            label: text("label", &self.label)?,
            model: non_empty(&self.association_type)
                .map(|t| wire::parse_association_type("association_type", t))
                .transpose()?,
            associated_from: wire::utc_time("associated_on_begin", non_empty(&self.associated_on_begin))?,
            associated_to: wire::utc_time("associated_on_end", non_empty(&self.associated_on_end))?,
            customer_id: non_empty(&self.customer_id)
                .map(|id| AccountId::parse(id).map_err(|e| ApiError::invalid("customer_id", e)))
                .transpose()?,
            offset: wire::int_in("offset", self.offset, 0, i64::from(i32::MAX), 0)? as u32,
            limit: wire::int_in("limit", self.limit, 1, 100, 10)? as u32,
        })
    }
}

/// `POST /v2/partners/sub-customers/query`: the caller's customers (or, for a distributor,
/// a named reseller's), filtered and paged, with the total count.
pub async fn list_sub_customers(
    State(ctx): State<Context>,
    Authenticated(caller): Authenticated,
    BssJson(req): BssJson<QuerySubCustomerListReq>,
) -> Result<Json<ListSubCustomersResponse>, ApiError> {
    let query = req.validate()?;
    let indirect = wire::max_chars("indirect_partner_id", non_empty(&req.indirect_partner_id), 64)?;
    let (views, count) = customers::list_customers(&ctx, &caller, indirect, &query).await.map_err(|e| match e {
        CustomerError::NotYourReseller(id) => {
            ApiError::new(ErrorCode::NotYourReseller, format!("The partner {id} is not your reseller."))
        }
        CustomerError::Store(e) => e.into(),
    })?;
    Ok(Json(ListSubCustomersResponse { customer_infos: views.into_iter().map(Into::into).collect(), count }))
}
