//! Partner information authentication (R-INFO-01 … R-INFO-10): the business information
//! (solution partner certification) and the payment information (bank and tax), each reviewed
//! by the operator. Incentives are paid only once both have passed (R-INFO-02).

use crate::console::FieldError;
use crate::hcpn::RejectionReason;
use crate::time::Timestamp;

/// Which of the two authentications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InfoKind {
    Business,
    Payment,
}

/// The review of one authentication: `Submitted → Approved | Rejected`, and a rejected (or an
/// approved, R-INFO-07: bank details change) one is edited and submitted again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewState {
    Submitted,
    Approved { at: Timestamp },
    Rejected { at: Timestamp, reason: RejectionReason },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("the information is already approved")]
    AlreadyApproved,
    #[error("the information is already rejected")]
    AlreadyRejected,
}

impl ReviewState {
    pub fn approve(&self, now: Timestamp) -> Result<ReviewState, ReviewError> {
        match self {
            ReviewState::Submitted => Ok(ReviewState::Approved { at: now }),
            ReviewState::Approved { .. } => Err(ReviewError::AlreadyApproved),
            ReviewState::Rejected { .. } => Err(ReviewError::AlreadyRejected),
        }
    }

    pub fn reject(&self, reason: RejectionReason, now: Timestamp) -> Result<ReviewState, ReviewError> {
        match self {
            ReviewState::Submitted => Ok(ReviewState::Rejected { at: now, reason }),
            ReviewState::Approved { .. } => Err(ReviewError::AlreadyApproved),
            ReviewState::Rejected { .. } => Err(ReviewError::AlreadyRejected),
        }
    }
}

/// Business information (solution partner certification, R-INFO-01).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessInformation {
    /// R-INFO-03: Chinese or English only.
    pub company_name: String,
    pub registration_number: String,
    /// R-INFO-10: the settlement currency of "Transfer to bank account" (ISO 4217).
    pub settlement_currency: String,
    /// R-INFO-08: the Associated Information Questionnaire, answered.
    pub questionnaire_completed: bool,
}

/// Payment information (bank and tax, R-INFO-02, R-INFO-05).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentInformation {
    pub bank_name: String,
    /// ISO 3166-1 alpha-2.
    pub bank_country: String,
    pub account_name: String,
    pub account_number: String,
    pub swift_code: String,
    /// R-INFO-05: the VAT rate of the partner's invoices to the provider, in basis points
    /// (0–10000, i.e. 0–100 % with two decimals).
    pub tax_rate_bp: u32,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

fn is_english(c: char) -> bool {
    c.is_ascii_graphic() || c == ' '
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError { field, reason: "is required".into() });
    }
    if value.chars().count() > max {
        return Err(FieldError { field, reason: format!("is longer than {max} characters") });
    }
    Ok(value.to_owned())
}

impl BusinessInformation {
    pub fn validate(
        company_name: &str,
        registration_number: &str,
        settlement_currency: &str,
        questionnaire_completed: bool,
    ) -> Result<BusinessInformation, FieldError> {
        let company_name = text("company_name", company_name, 200)?;
        if !company_name.chars().all(|c| is_cjk(c) || is_english(c)) {
            return Err(FieldError {
                field: "company_name",
                reason: "must be in Chinese or English (R-INFO-03)".into(),
            });
        }
        let currency = text("settlement_currency", settlement_currency, 3)?;
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FieldError {
                field: "settlement_currency",
                reason: "must be an ISO 4217 code such as USD".into(),
            });
        }
        if !questionnaire_completed {
            return Err(FieldError {
                field: "questionnaire_completed",
                reason: "the Associated Information Questionnaire must be completed (R-INFO-08)".into(),
            });
        }
        Ok(BusinessInformation {
            company_name,
            registration_number: text("registration_number", registration_number, 64)?,
            settlement_currency: currency,
            questionnaire_completed,
        })
    }

    pub fn has_chinese_name(&self) -> bool {
        self.company_name.chars().any(is_cjk)
    }
}

/// The bank countries the payment system supports; others are handled offline (R-INFO-06).
pub const SUPPORTED_BANK_COUNTRIES: [&str; 12] =
    ["SG", "HK", "MY", "TH", "ID", "PH", "AE", "SA", "MX", "BR", "ZA", "DE"];

impl PaymentInformation {
    /// Checks the payment information, against the business information when there is one:
    /// R-INFO-04, a Chinese company name settled in US dollars needs the bank details in
    /// English; R-INFO-06, the bank must be in a supported country.
    #[allow(clippy::too_many_arguments)]
    pub fn validate(
        bank_name: &str,
        bank_country: &str,
        account_name: &str,
        account_number: &str,
        swift_code: &str,
        tax_rate_percent: &str,
        business: Option<&BusinessInformation>,
    ) -> Result<PaymentInformation, FieldError> {
        let bank_country = text("bank_country", bank_country, 2)?;
        if !SUPPORTED_BANK_COUNTRIES.contains(&bank_country.as_str()) {
            return Err(FieldError {
                field: "bank_country",
                reason: "banks in this country are not supported online: contact customer service or your ecosystem manager with a bank confirmation letter (R-INFO-06)".into(),
            });
        }
        let swift = text("swift_code", swift_code, 11)?;
        if !(swift.len() == 8 || swift.len() == 11)
            || !swift.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(FieldError { field: "swift_code", reason: "must be 8 or 11 letters and digits".into() });
        }
        let info = PaymentInformation {
            bank_name: text("bank_name", bank_name, 200)?,
            bank_country,
            account_name: text("account_name", account_name, 200)?,
            account_number: text("account_number", account_number, 34)?,
            swift_code: swift,
            tax_rate_bp: parse_rate(tax_rate_percent)?,
        };
        let english_needed = business.is_some_and(|b| b.has_chinese_name() && b.settlement_currency == "USD");
        if english_needed {
            for (field, value) in [("bank_name", &info.bank_name), ("account_name", &info.account_name)] {
                if !value.chars().all(is_english) {
                    return Err(FieldError {
                        field,
                        reason: "must be in English: the company name is Chinese and settlement is in USD (R-INFO-04)"
                            .into(),
                    });
                }
            }
        }
        Ok(info)
    }
}

/// A percentage with at most two decimals, 0–100, as basis points.
fn parse_rate(text: &str) -> Result<u32, FieldError> {
    let bad = || FieldError {
        field: "tax_rate",
        reason: "must be a percentage from 0 to 100 with at most 2 decimals".into(),
    };
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if whole.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 3
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + fraction;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}

/// R-INFO-02: incentive earnings are paid only once both authentications have passed.
pub fn incentives_payable(business: Option<&ReviewState>, payment: Option<&ReviewState>) -> bool {
    matches!(business, Some(ReviewState::Approved { .. })) && matches!(payment, Some(ReviewState::Approved { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business(name: &str, currency: &str) -> BusinessInformation {
        BusinessInformation::validate(name, "201912345K", currency, true).unwrap()
    }

    #[test]
    fn r_info_03_company_names_are_chinese_or_english() {
        assert!(BusinessInformation::validate("Example Cloud Pte. Ltd.", "1", "USD", true).is_ok());
        assert!(BusinessInformation::validate("示例云有限公司", "1", "USD", true).is_ok());
        assert_eq!(BusinessInformation::validate("Пример", "1", "USD", true).unwrap_err().field, "company_name");
        assert_eq!(
            BusinessInformation::validate("Example", "1", "usd", true).unwrap_err().field,
            "settlement_currency"
        );
    }

    #[test]
    fn r_info_08_the_questionnaire_must_be_completed() {
        assert_eq!(
            BusinessInformation::validate("Example", "1", "USD", false).unwrap_err().field,
            "questionnaire_completed"
        );
    }

    fn payment(
        bank: &str,
        country: &str,
        rate: &str,
        b: Option<&BusinessInformation>,
    ) -> Result<PaymentInformation, FieldError> {
        PaymentInformation::validate(bank, country, "Example Cloud", "0123456789", "DBSSSGSG", rate, b)
    }

    #[test]
    fn r_info_05_tax_rates_are_percentages_with_two_decimals() {
        assert_eq!(payment("DBS", "SG", "9", None).unwrap().tax_rate_bp, 900);
        assert_eq!(payment("DBS", "SG", "7.5", None).unwrap().tax_rate_bp, 750);
        assert_eq!(payment("DBS", "SG", "100", None).unwrap().tax_rate_bp, 10_000);
        for bad in ["", "100.01", "7.555", "-1", "x", "1000"] {
            assert_eq!(payment("DBS", "SG", bad, None).unwrap_err().field, "tax_rate", "{bad:?}");
        }
    }

    #[test]
    fn r_info_04_a_chinese_name_settled_in_usd_needs_english_bank_details() {
        let chinese = business("示例云有限公司", "USD");
        assert_eq!(payment("星展银行", "SG", "9", Some(&chinese)).unwrap_err().field, "bank_name");
        assert!(payment("DBS Bank", "SG", "9", Some(&chinese)).is_ok());
        let in_hkd = business("示例云有限公司", "HKD");
        assert!(payment("星展银行", "HK", "9", Some(&in_hkd)).is_ok());
    }

    #[test]
    fn r_info_06_unsupported_bank_countries_are_handled_offline() {
        let e = payment("Bank", "KP", "9", None).unwrap_err();
        assert_eq!(e.field, "bank_country");
        assert!(e.reason.contains("bank confirmation letter"));
    }

    #[test]
    fn r_info_02_incentives_need_both_authentications() {
        let t = Timestamp::from_unix_ms(1);
        let ok = ReviewState::Approved { at: t };
        assert!(incentives_payable(Some(&ok), Some(&ok)));
        assert!(!incentives_payable(Some(&ok), Some(&ReviewState::Submitted)));
        assert!(!incentives_payable(None, Some(&ok)));
    }

    #[test]
    fn reviews_decide_once() {
        let t = Timestamp::from_unix_ms(1);
        let approved = ReviewState::Submitted.approve(t).unwrap();
        assert_eq!(approved.approve(t), Err(ReviewError::AlreadyApproved));
        let rejected = ReviewState::Submitted.reject(RejectionReason::parse("wrong").unwrap(), t).unwrap();
        assert_eq!(rejected.approve(t), Err(ReviewError::AlreadyRejected));
    }
}
