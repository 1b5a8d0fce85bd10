//! The usage rows as stored, and their conversions to and from the domain.

use opc_domain::association::AssociationModel;
use opc_domain::rating::Quantity;
use opc_domain::usage::{Cycle, Expenditure, UsageRecord};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UsageRow {
    pub id: String,
    pub customer_id: String,
    pub partner_id: Option<String>,
    pub model: Option<String>,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub resource_spec: String,
    pub region: String,
    pub usage_factor: String,
    pub usage_e8: i64,
    pub usage_measure_id: i64,
    pub amount_e8: i64,
    pub cycle: i64,
    pub ended_at_ms: i64,
}

impl TryFrom<UsageRow> for Expenditure {
    type Error = sqlx::Error;

    fn try_from(r: UsageRow) -> Result<Expenditure, sqlx::Error> {
        let partner = match (r.partner_id, r.model) {
            (Some(p), Some(m)) => Some((
                PartnerId::parse(&p).map_err(|e| decode_error("partner id", e))?,
                AssociationModel::from_code(&m)?,
            )),
            _ => None,
        };
        Ok(Expenditure {
            record: UsageRecord {
                id: r.id,
                customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
                resource_id: r.resource_id,
                service_type: r.service_type,
                resource_type: r.resource_type,
                spec: r.resource_spec,
                region: r.region,
                usage_factor: r.usage_factor,
                usage: Quantity::from_e8(r.usage_e8).ok_or_else(|| decode_error("usage", r.usage_e8))?,
                usage_measure_id: i32::try_from(r.usage_measure_id).map_err(|e| decode_error("usage measure id", e))?,
                ended_at: Timestamp::from_unix_ms(r.ended_at_ms),
            },
            partner,
            amount: money("usage amount", r.amount_e8)?,
            cycle: Cycle(r.cycle),
        })
    }
}
