//! The price trace over the console API (issue 15): how each line of a partner's bill and of an
//! order came about — list price, the discount taken off (which, and why), each coupon that paid
//! it (which, how much), and what is left — exact to 10⁻⁸, the steps always adding up to the
//! line. The model is in docs/coupons.md and docs/discounts.md.

use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use axum::Json;
use opc_core::ops::{bills, orders};
use opc_core::Context;
use opc_domain::bill::ChargeKind;
use opc_domain::catalog::ChargingMode;
use opc_domain::coupon::HoldState;
use opc_domain::organization::Permission;
use opc_domain::trace::{Step, Trace};
use serde_json::{json, Value};

use super::{Audience, Body, Endpoint, SignedIn};
use crate::audience::{acting_caller, principal};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiPath;

pub fn endpoints() -> Vec<Endpoint> {
    vec![
        Endpoint {
            method: Method::GET,
            path: "/api/v1/partner/bills/{month}",
            summary: "A closed month's partner bill (month as YYYY-MM) with each line's price trace: list price → \
                settlement discount (R-BILL-01) → amount due → each cash or test coupon that paid it, and the order \
                a held coupon paid for (R-CPN-02, R-CPN-03) → what the partner pays itself. Amounts keep 8 \
                decimals. A member sees the lines of the customers it manages (R-ORG-19).",
            audience: Audience::Partner,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The bill's totals and its lines, each with its trace."),
                (400, "The month is not YYYY-MM (CBC.0100)."),
                (404, "No bill for that month (CBC.99000054)."),
            ],
            handler: get(bill_traces),
        },
        Endpoint {
            method: Method::GET,
            path: "/api/v1/orders/{order_id}/trace",
            summary: "An order's price trace: each line's list price → the partner discount it was paid with, which \
                and at what rate (R-CPN-33) → its amount due; and the cash coupon its payment named, held until the \
                partner's bill of the month deducts it at the settlement price (R-CPN-02, R-CPN-04). For the \
                order's customer, or its partner (customers.view).",
            audience: Audience::Account,
            request: Body::None,
            example: None,
            responses: &[
                (200, "The order's lines with their traces, and its coupon."),
                (404, "No such order (CBC.99000054)."),
            ],
            handler: get(order_trace),
        },
    ]
}

/// One trace as JSON: the list price, each step (what it took off), and the result.
pub(crate) fn trace_json(t: &Trace) -> Value {
    let steps: Vec<Value> = t
        .steps()
        .iter()
        .map(|s| {
            let amount = s.amount.to_string();
            match &s.step {
                Step::SettlementDiscount { rate } => json!({"step": "settlement_discount",
                    "rate": rate.map(|r| r.fraction_text()), "amount": amount}),
                Step::PartnerDiscount { id, special, rate } => json!({"step": "partner_discount",
                    "discount_id": id, "kind": if *special { "price_adjustment" } else { "partner_discount" },
                    "rate": rate.fraction_text(), "amount": amount}),
                Step::Coupon { coupon, test, order } => {
                    json!({"step": if *test { "test_coupon" } else { "cash_coupon" },
                    "coupon_id": coupon, "order_id": order, "amount": amount})
                }
            }
        })
        .collect();
    json!({"list": t.list().to_string(), "steps": steps, "result": t.result().to_string()})
}

fn mode_code(mode: ChargingMode) -> &'static str {
    match mode {
        ChargingMode::Period => "period",
        ChargingMode::OnDemand => "on_demand",
    }
}

fn kind_code(kind: ChargeKind) -> &'static str {
    match kind {
        ChargeKind::Expenditure => "expenditure",
        ChargeKind::Refund => "refund",
        ChargeKind::Adjustment => "adjustment",
    }
}

async fn bill_traces(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(month): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let caller = acting_caller(&ctx, &user, Permission::ViewCustomers).await?;
    let cycle = bills::parse_month(&month).map_err(|_| ApiError::invalid("month", "must be YYYY-MM"))?;
    let view = bills::bill_view(&ctx, &caller, cycle)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("There is no bill for {month}.")))?;
    let t = view.record.totals;
    let lines: Vec<Value> = view
        .lines
        .iter()
        .zip(&view.traces)
        .map(|(l, trace)| {
            json!({"customer_id": l.customer.as_str(), "customer_name": view.names.get(&l.customer),
                "service_type": l.service_type, "charging_mode": mode_code(l.mode),
                "kind": kind_code(l.kind), "official": l.official.to_string(),
                "discount": l.discount.to_string(), "due": l.due.to_string(), "coupon": l.coupon.to_string(),
                "test_coupon": l.test_coupon.to_string(), "trace": trace_json(trace)})
        })
        .collect();
    Ok(Json(json!({
        "month": month, "whole": view.whole,
        "totals": {"official": t.official.to_string(), "discount": t.discount.to_string(),
            "amount_due": t.amount_due.to_string(), "coupons": t.coupons.to_string(),
            "test_coupons": t.test_coupons.to_string(), "to_pay": t.to_pay().to_string(), "tax": t.tax.to_string()},
        "lines": lines,
    })))
}

async fn order_trace(
    State(ctx): State<Context>,
    SignedIn(user, _): SignedIn,
    ApiPath(order_id): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let who = principal(&ctx, &user).await?;
    let order = orders::details(&ctx, &who, &orders::order_id(&order_id)?, None).await?;
    let traced = orders::traces(&ctx, vec![order]).await?.pop().expect("one order in, one out");
    let lines: Vec<Value> = traced
        .order
        .lines()
        .iter()
        .zip(&traced.lines)
        .map(|(l, t)| {
            json!({"line_id": l.id(), "service_type": l.product().service_type, "resource_spec": l.product().spec,
                "trace": trace_json(t)})
        })
        .collect();
    let coupon = traced.coupon.as_ref().map(|h| {
        let (state, paid) = match h.state {
            HoldState::Held => ("held", None),
            HoldState::Paid { paid, .. } => ("paid", Some(paid.to_string())),
            HoldState::Released { .. } => ("released", None),
        };
        json!({"coupon_id": h.coupon, "state": state, "paid": paid,
            "billed_month": bills::month_text(h.cycle)})
    });
    Ok(Json(json!({"order_id": traced.order.id().as_str(), "lines": lines, "coupon": coupon})))
}
