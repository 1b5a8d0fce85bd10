//! Yearly/monthly orders and resources (issue #6; B1.6, B1.7). A customer orders for itself; its
//! partner orders and manages resources on its behalf once the customer accepted the customer
//! authorization letter (R-RCM-14). A frozen or restricted customer cannot buy, renew or change
//! (R-RCM-09, R-QUOTA-06, R-QUOTA-09), and a payment must fit the partner's consumption quota
//! and a budget set to freeze at its limit; both are weighed under a lock, so concurrent
//! payments never overspend. A paid order's list price is the customer's spend (R-BILL-18),
//! weighed for budget and quota notices like usage.

mod authorization;
mod cancel;
mod expiry;
mod pay;
mod place;
mod policy;
mod queries;
mod renew;
mod scope;
mod unsubscribe;

pub use authorization::{authorize, partner_of};
pub use cancel::cancel;
pub use expiry::{process_expiries, ExpiryReport, DEDUCTION_DAYS_DEFAULT};
pub use pay::{coupon_offers, offers, pay, DiscountChoice, PayWith};
pub use place::{place, Item, ORDER_INSTANCES_MAX};
pub use policy::change_policy;
pub use queries::{details, list, on_demand_resources, refund_lines, resources, traces, OrderTrace, ResourceFilter};
pub use renew::{renew, renewal_rates, set_renew_config};
pub use scope::{scope, why_blocked, Scoped};
pub use unsubscribe::{to_on_demand_now, unsubscribe};

use crate::store::{Constraint, Row};
use opc_domain::order::{OrderError, PurchaseBlock, ResourceError};
use opc_domain::spend::{Addition, Totals};
use opc_domain::OrderId;

use super::customers::CustomerError;
use crate::store::{Charge, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum OrderOpError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String },
    /// No such order or resource in the caller's scope (a foreign one is not revealed).
    #[error("{0} was not found")]
    NotFound(String),
    #[error(transparent)]
    Customer(#[from] CustomerError),
    /// R-RCM-14.
    #[error(
        "customer {0} has not accepted the customer authorization letter for you: a partner orders and manages \
         resources on a customer's behalf only with it (R-RCM-14)"
    )]
    NotAuthorized(String),
    #[error(transparent)]
    Blocked(PurchaseBlock),
    #[error(transparent)]
    Order(#[from] OrderError),
    /// A partner discount that cannot be used (R-CPN-25 … R-CPN-33).
    #[error(transparent)]
    Discount(#[from] opc_domain::discount::DiscountError),
    #[error(transparent)]
    Resource(#[from] ResourceError),
    #[error("{0}")]
    Rating(String),
    #[error("the order, a resource, a coupon or the discount changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<crate::ops::discounts::DiscountOpError> for OrderOpError {
    fn from(e: crate::ops::discounts::DiscountOpError) -> OrderOpError {
        use crate::ops::discounts::DiscountOpError as D;
        match e {
            D::Discount(d) => OrderOpError::Discount(d),
            D::Scope(c) => OrderOpError::Customer(c),
            D::Store(s) => s.into(),
            D::Concurrent => OrderOpError::Concurrent,
            D::Invalid { field, reason } => OrderOpError::Invalid { field: field.to_owned(), reason },
            D::NotFound(what) | D::UnknownPartner(what) => OrderOpError::NotFound(what),
        }
    }
}

impl From<StoreError> for OrderOpError {
    fn from(e: StoreError) -> OrderOpError {
        match e {
            StoreError::Conflict {
                constraint:
                    Constraint::Stale(
                        Row::Order | Row::Resource | Row::Coupon | Row::PartnerDiscount | Row::StoredValueCard,
                    ),
            } => OrderOpError::Concurrent,
            // Issue 18: a charge that would take a spend total past the largest amount.
            StoreError::Conflict { constraint: Constraint::SpendTotalRange } => {
                OrderOpError::Rating(opc_domain::rating::RatingError::Overflow.to_string())
            }
            other => OrderOpError::Store(other),
        }
    }
}

/// The order `text` names, as an id: one that cannot be an id is not found, like one that does
/// not exist.
pub fn order_id(text: &str) -> Result<OrderId, OrderOpError> {
    OrderId::parse(text).map_err(|_| OrderOpError::NotFound(format!("order {text}")))
}

/// What `charges` add to the running totals (R-QUOTA-06: a partner's only for its reseller
/// customers).
fn additions(charges: &[Charge]) -> Result<Vec<Addition>, OrderError> {
    let mut totals = Totals::default();
    for c in charges {
        totals.add(&c.customer, c.partner.as_ref(), c.cycle, c.amount).map_err(|_| OrderError::Overflow)?;
    }
    totals.additions().map_err(|_| OrderError::Overflow)
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> OrderOpError {
    OrderOpError::Invalid { field: field.into(), reason: reason.into() }
}

/// A resource an operation on several could not act on, and why.
#[derive(Debug)]
pub struct Failure {
    pub resource_id: String,
    pub error: OrderOpError,
}
