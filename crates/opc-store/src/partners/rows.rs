//! The partners rows as stored, and their conversions to and from the domain.

use opc_domain::partner::{Enrollment, Partner, StoredPartner};
use opc_domain::text::{CountryCode, DisplayName};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::{decode_error, money};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PartnerRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub country: String,
    pub distributor_id: Option<String>,
    pub state: String,
    pub consumption_quota_e8: i64,
    pub created_at_ms: i64,
    pub version: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EnrollmentRow {
    pub partner_id: String,
    pub program: String,
    pub tier: String,
    pub enrolled_at_ms: i64,
}

impl PartnerRow {
    pub fn from_domain(p: &Partner) -> (PartnerRow, Vec<EnrollmentRow>) {
        let row = PartnerRow {
            id: p.id().as_str().to_owned(),
            account_id: p.account_id().as_str().to_owned(),
            name: p.name().as_str().to_owned(),
            country: p.country().as_str().to_owned(),
            distributor_id: p.distributor().map(|d| d.as_str().to_owned()),
            state: p.state().code().to_owned(),
            consumption_quota_e8: p.consumption_quota().e8(),
            created_at_ms: p.created_at().unix_ms(),
            version: p.version(),
        };
        let enrollments = p
            .enrollments()
            .iter()
            .map(|e| EnrollmentRow {
                partner_id: row.id.clone(),
                program: e.program.code().to_owned(),
                tier: e.tier.code().to_owned(),
                enrolled_at_ms: e.enrolled_at.unix_ms(),
            })
            .collect();
        (row, enrollments)
    }

    pub fn into_domain(self, enrollments: Vec<EnrollmentRow>) -> Result<Partner, sqlx::Error> {
        Ok(Partner::from_stored(StoredPartner {
            id: PartnerId::parse(&self.id).map_err(|e| decode_error("partner id", e))?,
            account_id: AccountId::parse(&self.account_id).map_err(|e| decode_error("account id", e))?,
            name: DisplayName::parse(&self.name).map_err(|e| decode_error("partner name", e))?,
            country: CountryCode::parse(&self.country).map_err(|e| decode_error("country", e))?,
            enrollments: enrollments
                .into_iter()
                .map(|e| {
                    Ok(Enrollment {
                        program: Code::from_code(&e.program)?,
                        tier: Code::from_code(&e.tier)?,
                        enrolled_at: Timestamp::from_unix_ms(e.enrolled_at_ms),
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
            distributor: self
                .distributor_id
                .map(|d| PartnerId::parse(&d))
                .transpose()
                .map_err(|e| decode_error("distributor id", e))?,
            state: Code::from_code(&self.state)?,
            consumption_quota: money("consumption quota", self.consumption_quota_e8)?,
            created_at: Timestamp::from_unix_ms(self.created_at_ms),
            version: self.version,
        }))
    }
}
