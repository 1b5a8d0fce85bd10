//! The personnel rows as stored, and their conversions to and from the domain.

use opc_domain::credential::{Certificate, CertificateKind, Source};
use opc_domain::personnel::{Personnel, PersonnelState, Profile, StoredPersonnel};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

impl Code for CertificateKind {
    const ALL: &'static [Self] = &CertificateKind::ALL;

    fn code(self) -> &'static str {
        match self {
            CertificateKind::Hcia => "hcia",
            CertificateKind::Hcip => "hcip",
            CertificateKind::Hcie => "hcie",
            CertificateKind::CloudMigration => "cloud_migration",
        }
    }
}

impl Code for Source {
    const ALL: &'static [Self] = &Source::ALL;

    fn code(self) -> &'static str {
        match self {
            Source::Uploaded => "uploaded",
            Source::Synchronized => "synchronized",
        }
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PersonnelRow {
    pub partner_id: String,
    pub account_id: String,
    pub token_sha256: String,
    pub state: String,
    pub state_at_ms: i64,
    pub invited_at_ms: i64,
    pub associated_at_ms: Option<i64>,
    pub position: String,
    pub employment: String,
    pub version: i64,
}

impl From<&Personnel> for PersonnelRow {
    fn from(p: &Personnel) -> PersonnelRow {
        let (state, at) = match p.state() {
            PersonnelState::Invited { expires_at } => ("invited", expires_at),
            PersonnelState::Associated { at } => ("associated", at),
            PersonnelState::Unassociated { at } => ("unassociated", at),
        };
        PersonnelRow {
            partner_id: p.partner().as_str().to_owned(),
            account_id: p.account().as_str().to_owned(),
            token_sha256: p.token_sha256().to_owned(),
            state: state.to_owned(),
            state_at_ms: at.unix_ms(),
            invited_at_ms: p.invited_at().unix_ms(),
            associated_at_ms: p.associated_at().map(Timestamp::unix_ms),
            position: p.profile().position.clone(),
            employment: p.profile().employment.clone(),
            version: p.version(),
        }
    }
}

impl TryFrom<PersonnelRow> for Personnel {
    type Error = sqlx::Error;

    fn try_from(r: PersonnelRow) -> Result<Personnel, sqlx::Error> {
        let at = Timestamp::from_unix_ms(r.state_at_ms);
        let state = match r.state.as_str() {
            "invited" => PersonnelState::Invited { expires_at: at },
            "associated" => PersonnelState::Associated { at },
            "unassociated" => PersonnelState::Unassociated { at },
            other => return Err(decode_error("personnel state", other)),
        };
        Ok(Personnel::from_stored(StoredPersonnel {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            token_sha256: r.token_sha256,
            state,
            invited_at: Timestamp::from_unix_ms(r.invited_at_ms),
            associated_at: r.associated_at_ms.map(Timestamp::from_unix_ms),
            profile: Profile { position: r.position, employment: r.employment },
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CertificateRow {
    pub number: String,
    pub account_id: String,
    pub kind: String,
    pub source: String,
    pub bound_at_ms: i64,
}

impl TryFrom<CertificateRow> for Certificate {
    type Error = sqlx::Error;

    fn try_from(r: CertificateRow) -> Result<Certificate, sqlx::Error> {
        Ok(Certificate {
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            kind: CertificateKind::from_code(&r.kind)?,
            source: Source::from_code(&r.source)?,
            bound_at: Timestamp::from_unix_ms(r.bound_at_ms),
            number: r.number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn every_certificate_code_round_trips() {
        check::<CertificateKind>();
        check::<Source>();
    }
}
