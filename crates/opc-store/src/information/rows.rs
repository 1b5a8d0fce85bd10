//! The information rows as stored, and their conversions to and from the domain.

use opc_core::store::{InfoData, InfoRecord};
use opc_domain::hcpn::RejectionReason;
use opc_domain::information::{BusinessInformation, PaymentInformation, ReviewState};
use opc_domain::{PartnerId, Timestamp};

use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InformationRow {
    pub partner_id: String,
    pub kind: String,
    pub company_name: Option<String>,
    pub registration_number: Option<String>,
    pub settlement_currency: Option<String>,
    pub questionnaire_completed: Option<bool>,
    pub bank_name: Option<String>,
    pub bank_country: Option<String>,
    pub account_name: Option<String>,
    pub account_number: Option<String>,
    pub swift_code: Option<String>,
    pub tax_rate_bp: Option<i64>,
    pub state: String,
    pub rejection_reason: Option<String>,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&InfoRecord> for InformationRow {
    fn from(r: &InfoRecord) -> InformationRow {
        let (state, rejection_reason, decided_at_ms) = match &r.state {
            ReviewState::Submitted => ("submitted", None, None),
            ReviewState::Approved { at } => ("approved", None, Some(at.unix_ms())),
            ReviewState::Rejected { at, reason } => ("rejected", Some(reason.as_str().to_owned()), Some(at.unix_ms())),
        };
        let mut row = InformationRow {
            partner_id: r.partner.as_str().to_owned(),
            kind: String::new(),
            company_name: None,
            registration_number: None,
            settlement_currency: None,
            questionnaire_completed: None,
            bank_name: None,
            bank_country: None,
            account_name: None,
            account_number: None,
            swift_code: None,
            tax_rate_bp: None,
            state: state.to_owned(),
            rejection_reason,
            submitted_at_ms: r.submitted_at.unix_ms(),
            decided_at_ms,
            version: r.version,
        };
        match &r.data {
            InfoData::Business(b) => {
                row.kind = "business".into();
                row.company_name = Some(b.company_name.clone());
                row.registration_number = Some(b.registration_number.clone());
                row.settlement_currency = Some(b.settlement_currency.clone());
                row.questionnaire_completed = Some(b.questionnaire_completed);
            }
            InfoData::Payment(p) => {
                row.kind = "payment".into();
                row.bank_name = Some(p.bank_name.clone());
                row.bank_country = Some(p.bank_country.clone());
                row.account_name = Some(p.account_name.clone());
                row.account_number = Some(p.account_number.clone());
                row.swift_code = Some(p.swift_code.clone());
                row.tax_rate_bp = Some(i64::from(p.tax_rate_bp));
            }
        }
        row
    }
}

impl TryFrom<InformationRow> for InfoRecord {
    type Error = sqlx::Error;

    fn try_from(r: InformationRow) -> Result<InfoRecord, sqlx::Error> {
        let need = |v: Option<String>, what: &str| v.ok_or_else(|| decode_error(what, "missing"));
        let data = match r.kind.as_str() {
            "business" => InfoData::Business(BusinessInformation {
                company_name: need(r.company_name, "company name")?,
                registration_number: need(r.registration_number, "registration number")?,
                settlement_currency: need(r.settlement_currency, "settlement currency")?,
                questionnaire_completed: r.questionnaire_completed.unwrap_or(false),
            }),
            "payment" => InfoData::Payment(PaymentInformation {
                bank_name: need(r.bank_name, "bank name")?,
                bank_country: need(r.bank_country, "bank country")?,
                account_name: need(r.account_name, "account name")?,
                account_number: need(r.account_number, "account number")?,
                swift_code: need(r.swift_code, "swift code")?,
                tax_rate_bp: u32::try_from(r.tax_rate_bp.unwrap_or(-1)).map_err(|e| decode_error("tax rate", e))?,
            }),
            other => return Err(decode_error("information kind", other)),
        };
        let state = match (r.state.as_str(), r.decided_at_ms) {
            ("submitted", None) => ReviewState::Submitted,
            ("approved", Some(at)) => ReviewState::Approved { at: Timestamp::from_unix_ms(at) },
            ("rejected", Some(at)) => ReviewState::Rejected {
                at: Timestamp::from_unix_ms(at),
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            (s, _) => return Err(decode_error("review state", s)),
        };
        Ok(InfoRecord {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            data,
            state,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            version: r.version,
        })
    }
}
