//! The programs rows as stored, and their conversions to and from the domain.

use opc_domain::customer::Email;
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::{
    BusinessInfo, Contact, HcpnApplication, HcpnFiling, HcpnState, ManualReviewReason, RejectionReason,
    SensitiveRelationships, StoredHcpnApplication,
};
use opc_domain::partner::{Program, Tier};
use opc_domain::path::{DevelopmentPath, PathMembership, PathStage, StoredPathMembership};
use opc_domain::program::{Agreement, ProgramApplication, ProgramApplicationState, StoredApplication};
use opc_domain::text::{CountryCode, DisplayName};
use opc_domain::tier::{EntryPathKind, StoredTierChange, TierChange};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

impl Code for DevelopmentPath {
    const ALL: &'static [Self] = &DevelopmentPath::ALL;

    fn code(self) -> &'static str {
        match self {
            DevelopmentPath::Service => "service",
            DevelopmentPath::Software => "software",
            DevelopmentPath::SystemIntegrator => "system_integrator",
        }
    }
}

impl Code for PathStage {
    const ALL: &'static [Self] = &PathStage::ALL;

    fn code(self) -> &'static str {
        match self {
            PathStage::Joined => "joined",
            PathStage::RoleValidation => "role_validation",
            PathStage::CompetencyDifferentiation => "competency_differentiation",
            PathStage::Certified => "certified",
        }
    }
}

/// Stored comma-separated in `program_applications.agreements`.
impl Code for Agreement {
    const ALL: &'static [Self] = &Agreement::ALL;

    fn code(self) -> &'static str {
        match self {
            Agreement::CspCooperation => "csp_cooperation_agreement",
            Agreement::AntiBriberyQuestionnaire => "anti_bribery_questionnaire",
            Agreement::HuaweiIdAssociationStatement => "huawei_id_association_statement",
            Agreement::DistributionCooperation => "distribution_cooperation_agreement",
            Agreement::CarrierCooperation => "carrier_cooperation_agreement",
        }
    }
}

impl Code for EntryPathKind {
    const ALL: &'static [Self] = &EntryPathKind::ALL;

    fn code(self) -> &'static str {
        match self {
            EntryPathKind::Direct => "direct",
            EntryPathKind::WonBack => "won_back",
            EntryPathKind::CoreCarrier => "core_carrier",
            EntryPathKind::CoreRegional => "core_regional",
            EntryPathKind::CoreGlobal => "core_global",
            EntryPathKind::Review => "review",
        }
    }
}

/// A program application's stored `state` (its rejection reason is a column of its own).
pub(crate) fn application_state_code(state: &ProgramApplicationState) -> &'static str {
    match state {
        ProgramApplicationState::Submitted => "submitted",
        ProgramApplicationState::Approved => "approved",
        ProgramApplicationState::Rejected { .. } => "rejected",
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct RevenueGoalRow {
    pub partner_id: String,
    pub year: i64,
    pub amount_e8: i64,
    pub set_at_ms: i64,
}

impl TryFrom<RevenueGoalRow> for RevenueGoal {
    type Error = sqlx::Error;

    fn try_from(r: RevenueGoalRow) -> Result<RevenueGoal, sqlx::Error> {
        Ok(RevenueGoal {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            year: i32::try_from(r.year).map_err(|e| decode_error("year", e))?,
            amount: money("revenue goal", r.amount_e8)?,
            set_at: Timestamp::from_unix_ms(r.set_at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HcpnRow {
    pub applicant_id: String,
    pub company_name: String,
    pub business_country: String,
    pub address: String,
    pub website: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub has_sensitive_relationship: bool,
    pub sensitive_description: Option<String>,
    pub agreement_accepted_at_ms: i64,
    pub state: String,
    pub review_reasons: Option<String>,
    pub rejection_reason: Option<String>,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

/// Manual-review reasons as stored: `;`-separated codes, a country mismatch as
/// `country_mismatch:BUSINESS:ACCOUNT`.
fn encode_reasons(reasons: &[ManualReviewReason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            ManualReviewReason::AccountFrozen => "account_frozen".to_owned(),
            ManualReviewReason::AccountInArrears => "account_in_arrears".to_owned(),
            ManualReviewReason::CountryMismatch { business, account } => {
                format!("country_mismatch:{}:{}", business.as_str(), account.as_str())
            }
            ManualReviewReason::SensitiveRelationshipFiled => "sensitive_relationship_filed".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn decode_reasons(text: &str) -> Result<Vec<ManualReviewReason>, sqlx::Error> {
    text.split(';')
        .filter(|c| !c.is_empty())
        .map(|code| match code.split(':').collect::<Vec<_>>().as_slice() {
            ["account_frozen"] => Ok(ManualReviewReason::AccountFrozen),
            ["account_in_arrears"] => Ok(ManualReviewReason::AccountInArrears),
            ["sensitive_relationship_filed"] => Ok(ManualReviewReason::SensitiveRelationshipFiled),
            ["country_mismatch", b, a] => Ok(ManualReviewReason::CountryMismatch {
                business: CountryCode::parse(b).map_err(|e| decode_error("review reason", e))?,
                account: CountryCode::parse(a).map_err(|e| decode_error("review reason", e))?,
            }),
            _ => Err(decode_error("review reason", code)),
        })
        .collect()
}

impl From<&HcpnApplication> for HcpnRow {
    fn from(a: &HcpnApplication) -> HcpnRow {
        let (state, review_reasons, rejection_reason) = match a.state() {
            HcpnState::Submitted => ("submitted", None, None),
            HcpnState::ManualReview { reasons } => ("manual_review", Some(encode_reasons(reasons)), None),
            HcpnState::Approved => ("approved", None, None),
            HcpnState::Rejected { reason } => ("rejected", None, Some(reason.as_str().to_owned())),
        };
        let f = &a.filing();
        HcpnRow {
            applicant_id: a.applicant().as_str().to_owned(),
            company_name: f.business.company_name.as_str().to_owned(),
            business_country: f.business.country.as_str().to_owned(),
            address: f.business.address.clone(),
            website: f.business.website.clone(),
            contact_name: f.contact.name.as_str().to_owned(),
            contact_email: f.contact.email.as_str().to_owned(),
            contact_phone: f.contact.phone.clone(),
            has_sensitive_relationship: f.sensitive_relationships.has_relationship,
            sensitive_description: f.sensitive_relationships.description.clone(),
            agreement_accepted_at_ms: a.agreement_accepted_at().unix_ms(),
            state: state.to_owned(),
            review_reasons,
            rejection_reason,
            submitted_at_ms: a.submitted_at().unix_ms(),
            decided_at_ms: a.decided_at().map(Timestamp::unix_ms),
            version: a.version(),
        }
    }
}

impl TryFrom<HcpnRow> for HcpnApplication {
    type Error = sqlx::Error;

    fn try_from(r: HcpnRow) -> Result<HcpnApplication, sqlx::Error> {
        let state = match r.state.as_str() {
            "submitted" => HcpnState::Submitted,
            "manual_review" => {
                HcpnState::ManualReview { reasons: decode_reasons(r.review_reasons.as_deref().unwrap_or(""))? }
            }
            "approved" => HcpnState::Approved,
            "rejected" => HcpnState::Rejected {
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            other => return Err(decode_error("hcpn state", other)),
        };
        let name = |what, text: &str| DisplayName::parse(text).map_err(|e| decode_error(what, e));
        Ok(HcpnApplication::from_stored(StoredHcpnApplication {
            applicant: AccountId::parse(&r.applicant_id).map_err(|e| decode_error("applicant id", e))?,
            filing: HcpnFiling {
                business: BusinessInfo {
                    company_name: name("company name", &r.company_name)?,
                    country: CountryCode::parse(&r.business_country)
                        .map_err(|e| decode_error("business country", e))?,
                    address: r.address,
                    website: r.website,
                },
                contact: Contact {
                    name: name("contact name", &r.contact_name)?,
                    email: Email::parse(&r.contact_email).map_err(|e| decode_error("contact email", e))?,
                    phone: r.contact_phone,
                },
                sensitive_relationships: SensitiveRelationships {
                    has_relationship: r.has_sensitive_relationship,
                    description: r.sensitive_description,
                },
            },
            agreement_accepted_at: Timestamp::from_unix_ms(r.agreement_accepted_at_ms),
            state,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            decided_at: r.decided_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProgramApplicationRow {
    pub applicant_id: String,
    pub program: String,
    pub business_area: String,
    pub state: String,
    pub rejection_reason: Option<String>,
    /// The agreements' codes, comma-separated (R-CERT-09).
    pub agreements: String,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&ProgramApplication> for ProgramApplicationRow {
    fn from(a: &ProgramApplication) -> ProgramApplicationRow {
        let rejection_reason = match a.state() {
            ProgramApplicationState::Submitted | ProgramApplicationState::Approved => None,
            ProgramApplicationState::Rejected { reason } => Some(reason.as_str().to_owned()),
        };
        ProgramApplicationRow {
            applicant_id: a.applicant().as_str().to_owned(),
            program: a.program().code().to_owned(),
            business_area: a.business_area().as_str().to_owned(),
            state: application_state_code(a.state()).to_owned(),
            rejection_reason,
            agreements: a.agreements().iter().map(|g| g.code()).collect::<Vec<_>>().join(","),
            submitted_at_ms: a.submitted_at().unix_ms(),
            decided_at_ms: a.decided_at().map(Timestamp::unix_ms),
            version: a.version(),
        }
    }
}

impl TryFrom<ProgramApplicationRow> for ProgramApplication {
    type Error = sqlx::Error;

    fn try_from(r: ProgramApplicationRow) -> Result<ProgramApplication, sqlx::Error> {
        let state = match r.state.as_str() {
            "submitted" => ProgramApplicationState::Submitted,
            "approved" => ProgramApplicationState::Approved,
            "rejected" => ProgramApplicationState::Rejected {
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            other => return Err(decode_error("program application state", other)),
        };
        Ok(ProgramApplication::from_stored(StoredApplication {
            applicant: AccountId::parse(&r.applicant_id).map_err(|e| decode_error("applicant id", e))?,
            program: Code::from_code(&r.program)?,
            business_area: CountryCode::parse(&r.business_area).map_err(|e| decode_error("business area", e))?,
            state,
            agreements: r
                .agreements
                .split(',')
                .filter(|c| !c.is_empty())
                .map(Agreement::from_code)
                .collect::<Result<_, _>>()?,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            decided_at: r.decided_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PathRow {
    pub account_id: String,
    pub partner_id: String,
    pub path: String,
    pub stage: String,
    pub joined_at_ms: i64,
    pub stage_since_ms: i64,
    pub version: i64,
}

impl TryFrom<PathRow> for PathMembership {
    type Error = sqlx::Error;

    fn try_from(r: PathRow) -> Result<PathMembership, sqlx::Error> {
        Ok(PathMembership::from_stored(StoredPathMembership {
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            path: DevelopmentPath::from_code(&r.path)?,
            stage: PathStage::from_code(&r.stage)?,
            joined_at: Timestamp::from_unix_ms(r.joined_at_ms),
            stage_since: Timestamp::from_unix_ms(r.stage_since_ms),
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TierChangeRow {
    pub partner_id: String,
    pub program: String,
    pub from_tier: String,
    pub to_tier: String,
    pub entry_path: String,
    pub decided_at_ms: i64,
    pub decided_by: String,
}

impl TryFrom<TierChangeRow> for TierChange {
    type Error = sqlx::Error;

    fn try_from(r: TierChangeRow) -> Result<TierChange, sqlx::Error> {
        Ok(TierChange::from_stored(StoredTierChange {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            program: Program::from_code(&r.program)?,
            from: Tier::from_code(&r.from_tier)?,
            to: Tier::from_code(&r.to_tier)?,
            entry_path: EntryPathKind::from_code(&r.entry_path)?,
            decided_at: Timestamp::from_unix_ms(r.decided_at_ms),
            decided_by: r.decided_by,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn every_programs_code_round_trips() {
        check::<DevelopmentPath>();
        check::<PathStage>();
        check::<Agreement>();
        check::<EntryPathKind>();
    }
}
