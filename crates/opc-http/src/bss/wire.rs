//! Wire encodings shared by the BSS operations, and field validation that names the field.

use opc_domain::account::{AccountType, RealNameStatus};
use opc_domain::association::AssociationModel;
use opc_domain::catalog::PeriodType;
use opc_domain::Timestamp;

use crate::error::ApiError;

/// BSS `association_type`: "1" referral, "3" reseller.
pub fn association_type(model: AssociationModel) -> &'static str {
    match model {
        AssociationModel::Referral => "1",
        AssociationModel::Reseller => "3",
    }
}

pub fn parse_association_type(field: &str, text: &str) -> Result<AssociationModel, ApiError> {
    match text {
        "1" => Ok(AssociationModel::Referral),
        "3" => Ok(AssociationModel::Reseller),
        _ => Err(ApiError::invalid(field, "must be 1 (referral) or 3 (reseller)")),
    }
}

/// BSS `verified_status`.
pub fn verified_status(s: RealNameStatus) -> &'static str {
    match s {
        RealNameStatus::NotVerified => "-1",
        RealNameStatus::UnderReview => "0",
        RealNameStatus::Rejected => "1",
        RealNameStatus::Verified => "2",
        RealNameStatus::Failed => "3",
    }
}

/// BSS `customer_type`.
pub fn customer_type(t: AccountType) -> i32 {
    match t {
        AccountType::Unset => -1,
        AccountType::Individual => 0,
        AccountType::Enterprise => 1,
    }
}

/// A string of at most `max` characters.
pub fn max_chars<'a>(field: &str, value: Option<&'a str>, max: usize) -> Result<Option<&'a str>, ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid(field, format_args!("at most {max} characters"))),
        other => Ok(other),
    }
}

/// An optional integer within `min..=max`, defaulting to `default`.
pub fn int_in(field: &str, value: Option<i64>, min: i64, max: i64, default: i64) -> Result<i64, ApiError> {
    let v = value.unwrap_or(default);
    if v < min || v > max {
        return Err(ApiError::invalid(field, format_args!("must be between {min} and {max}")));
    }
    Ok(v)
}

/// An optional `YYYY-MM-DDThh:mm:ssZ` UTC time.
pub fn utc_time(field: &str, value: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    value
        .map(|v| {
            Timestamp::parse_rfc3339(v)
                .map_err(|_| ApiError::invalid(field, "must be a UTC time like 2019-05-06T08:05:01Z"))
        })
        .transpose()
}

/// The optional `indirect_partner_id` a distributor names its reseller by.
pub fn indirect_partner(value: &Option<String>) -> Result<Option<&str>, ApiError> {
    max_chars("indirect_partner_id", non_empty(value), 64)
}

/// A required text field of at most `max` characters.
pub fn required<'a>(field: &str, value: &'a Option<String>, max: usize) -> Result<&'a str, ApiError> {
    let v = non_empty(value).ok_or_else(|| ApiError::invalid(field, "is required"))?;
    max_chars(field, Some(v), max)?;
    Ok(v)
}

/// Treats an empty string as absent, as the BSS documentation does for its filters.
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// An amount written as an exact JSON number (the SDK reads it as a `Decimal`), never through
/// a float.
pub struct Amount(pub opc_domain::Money);

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw =
            serde_json::value::RawValue::from_string(self.0.to_plain_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// A rate (a fraction such as 0.85) written as an exact JSON number, never through a float.
pub struct Rate(pub opc_domain::bill::Discount);

impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw =
            serde_json::value::RawValue::from_string(self.0.fraction_text()).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// `{}`: the answer of an operation that returns nothing but its success.
#[derive(serde::Serialize)]
pub struct Empty {}

/// The BSS `budget_type`.
pub fn budget_type(t: opc_domain::budget::BudgetType) -> &'static str {
    match t {
        opc_domain::budget::BudgetType::Monthly => "MONTHLY",
        opc_domain::budget::BudgetType::Package => "PACKAGE",
    }
}

pub fn parse_budget_type(field: &str, text: &str) -> Result<opc_domain::budget::BudgetType, ApiError> {
    match text {
        "MONTHLY" => Ok(opc_domain::budget::BudgetType::Monthly),
        "PACKAGE" => Ok(opc_domain::budget::BudgetType::Package),
        _ => Err(ApiError::invalid(field, "must be MONTHLY or PACKAGE")),
    }
}

/// The BSS `freeze_type` / `unfreeze_type` (default `ACCOUNT`).
pub fn parse_freeze_type(field: &str, text: Option<&str>) -> Result<opc_domain::account::FreezeScope, ApiError> {
    match text {
        None | Some("ACCOUNT") => Ok(opc_domain::account::FreezeScope::Account),
        Some("ACCOUNT_AND_RESOURCE") => Ok(opc_domain::account::FreezeScope::AccountAndResource),
        Some(_) => Err(ApiError::invalid(field, "must be ACCOUNT or ACCOUNT_AND_RESOURCE")),
    }
}

/// The currency and amount unit of every amount: US dollars, in yuan-style major units
/// (`measure_id` 1).
pub const CURRENCY: &str = "USD";
pub const MEASURE_ID: i32 = 1;

/// `period_type` (B1.6, B1.7, B1.9): 2 month, 3 year.
pub fn period_type(t: PeriodType) -> i32 {
    match t {
        PeriodType::Month => 2,
        PeriodType::Year => 3,
    }
}

/// A `period_type` as sold yearly/monthly; `None` for one that is not (0 day, 4 hour, or any
/// other number), which the caller refuses in its own words.
pub fn parse_period_type(code: i64) -> Option<PeriodType> {
    [PeriodType::Month, PeriodType::Year].into_iter().find(|t| i64::from(period_type(*t)) == code)
}
