//! A customer's fee records (B2.8.2): its usage records and its charged orders' lines of a
//! cycle, as one union.

use opc_core::store::{FeeQuery, FeeRecord};
use opc_core::StoreError;
use opc_domain::bill::Payer;
use opc_domain::cost::CostKind;
use opc_domain::order::OrderType;
use opc_domain::{AccountId, Timestamp};

use crate::codes::NumCode;
use crate::db::{err, page, Builder, Db};
use crate::rows::money;

/// A customer's transaction records of a cycle as one union: its usage records (a resource's
/// usage type and unit in an hour, as `usage_records_of` names them) and its charged orders'
/// lines, each with the partner and model it was rated under.
fn fee_union(b: &mut Builder<'_>, customer: &AccountId, q: &FeeQuery) {
    let keeps = |k: CostKind| q.kinds.as_ref().is_none_or(|kinds| kinds.contains(&k));
    // Payers: a reseller's partner, or the customer itself (every other record).
    let payers = |b: &mut Builder<'_>, partner: &str, model: &str| {
        let Some((keep, payers)) = &q.payers else { return };
        b.push(if *keep { " AND (FALSE" } else { " AND NOT (FALSE" });
        for p in payers {
            match p {
                Payer::Customer => {
                    b.push(format!(" OR COALESCE({model}, '') <> 'reseller'"));
                }
                Payer::Partner(id) => {
                    b.push(format!(" OR ({model} = 'reseller' AND {partner} = "));
                    b.push_bind(id.as_str().to_owned()).push(")");
                }
            }
        }
        b.push(")");
    };
    let common = |b: &mut Builder<'_>, service: &str, resource: &str, region: &str, amount: &str, at: &str| {
        for (column, value) in [(service, &q.service_type), (resource, &q.resource_type), (region, &q.region)] {
            if let Some(v) = value {
                b.push(format!(" AND {column} = ")).push_bind(v.clone());
            }
        }
        if let Some((from, to)) = q.between {
            b.push(format!(" AND {at} >= ")).push_bind(from.unix_ms());
            b.push(format!(" AND {at} < ")).push_bind(to.unix_ms());
        }
        if q.non_zero {
            b.push(format!(" AND {amount} <> 0"));
        }
    };
    const USAGE_ID: &str = "resource_id || ':' || usage_factor || ':' || CAST(usage_measure_id AS TEXT) || ':' || \
        CAST(hour_ms AS TEXT)";
    b.push(format!(
        "SELECT {USAGE_ID} AS id, '' AS order_id, CAST(0 AS BIGINT) AS order_type, service_type, resource_type, \
         region, resource_id, resource_spec, partner_id, model, amount_e8, first_ended_at_ms AS began_ms, \
         last_ended_at_ms AS at_ms FROM usage_hours WHERE customer_id = "
    ));
    b.push_bind(customer.as_str().to_owned()).push(" AND cycle = ").push_bind(q.cycle.0);
    if !keeps(CostKind::Usage) {
        b.push(" AND FALSE");
    }
    if let Some(t) = &q.trade_id {
        b.push(format!(" AND {USAGE_ID} = ")).push_bind(t.clone());
    }
    common(b, "service_type", "resource_type", "region", "amount_e8", "last_ended_at_ms");
    payers(b, "partner_id", "model");
    b.push(
        " UNION ALL SELECT l.id, o.id, CAST(o.order_type AS BIGINT), l.service_type, l.resource_type, l.region, \
         l.resource_id, l.resource_spec, COALESCE(c.partner_id, ''), COALESCE(c.model, ''), \
         COALESCE(ld.due_e8, l.official_e8), c.charged_at_ms, c.charged_at_ms FROM order_charges c \
         JOIN orders o ON o.id = c.order_id JOIN order_lines l ON l.order_id = o.id \
         LEFT JOIN order_line_discounts ld ON ld.line_id = l.id WHERE c.customer_id = ",
    );
    b.push_bind(customer.as_str().to_owned()).push(" AND c.cycle = ").push_bind(q.cycle.0);
    let order_types: Vec<i64> = [OrderType::New, OrderType::Renewal, OrderType::Unsubscription]
        .into_iter()
        .filter(|t| keeps(CostKind::of_order(*t)))
        .map(NumCode::code)
        .collect();
    b.push(" AND o.order_type IN (-1");
    for t in order_types {
        b.push(", ").push_bind(t);
    }
    b.push(")");
    if let Some(t) = &q.trade_id {
        b.push(" AND o.id = ").push_bind(t.clone());
    }
    common(b, "l.service_type", "l.resource_type", "l.region", "COALESCE(ld.due_e8, l.official_e8)", "c.charged_at_ms");
    payers(b, "c.partner_id", "c.model");
}

#[derive(sqlx::FromRow)]
struct FeeRow {
    id: String,
    order_id: String,
    order_type: i64,
    service_type: String,
    resource_type: String,
    region: String,
    resource_id: String,
    resource_spec: String,
    partner_id: String,
    model: String,
    amount_e8: i64,
    began_ms: i64,
    at_ms: i64,
}

impl FeeRow {
    fn into_record(self) -> Result<FeeRecord, sqlx::Error> {
        let (kind, order_id) = if self.order_id.is_empty() {
            (CostKind::Usage, None)
        } else {
            (CostKind::of_order(OrderType::from_code(self.order_type)?), Some(self.order_id))
        };
        Ok(FeeRecord {
            id: self.id,
            kind,
            order_id,
            service_type: self.service_type,
            resource_type: self.resource_type,
            region: self.region,
            resource_id: self.resource_id,
            spec: self.resource_spec,
            partner: crate::rows::rated_partner(&self.partner_id, &self.model)?,
            amount: money("fee record amount", self.amount_e8)?,
            began_at: Timestamp::from_unix_ms(self.began_ms),
            at: Timestamp::from_unix_ms(self.at_ms),
        })
    }
}

/// A page of a customer's fee records (B2.8.2) and how many there are.
pub(super) async fn fee_records(
    db: &Db,
    customer: &AccountId,
    q: &FeeQuery,
) -> Result<(Vec<FeeRecord>, u64), StoreError> {
    let records = |b: &mut Builder<'_>| {
        b.push(" FROM (");
        fee_union(b, customer, q);
        b.push(") AS records");
    };
    let mut conn = db.acquire().await?;
    let (rows, total): (Vec<FeeRow>, u64) =
        page(&mut conn, "SELECT *", records, "ORDER BY at_ms DESC, id", (q.offset, q.limit)).await?;
    let records = rows.into_iter().map(FeeRow::into_record).collect::<Result<_, _>>().map_err(err)?;
    Ok((records, total))
}
