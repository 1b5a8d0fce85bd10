//! The access_keys rows as stored, and their conversions to and from the domain.

use opc_core::store::SealedAccessKey;
use opc_domain::access_key::{AccessKey, KeyState, StoredAccessKey};
use opc_domain::{AccessKeyId, AccountId, MemberId, PartnerId, Timestamp};

use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AccessKeyRow {
    pub id: String,
    pub partner_id: Option<String>,
    pub account_id: String,
    pub member_id: Option<String>,
    pub sealed_secret: Vec<u8>,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&SealedAccessKey> for AccessKeyRow {
    fn from(k: &SealedAccessKey) -> AccessKeyRow {
        AccessKeyRow {
            id: k.key.id().as_str().to_owned(),
            partner_id: k.key.partner().map(|p| p.as_str().to_owned()),
            account_id: k.key.account().as_str().to_owned(),
            member_id: k.key.member().map(|m| m.as_str().to_owned()),
            sealed_secret: k.sealed_secret.clone(),
            created_at_ms: k.key.created_at().unix_ms(),
            revoked_at_ms: revoked_at_ms(&k.key),
            version: k.key.version(),
        }
    }
}

pub fn revoked_at_ms(k: &AccessKey) -> Option<i64> {
    match k.state() {
        KeyState::Active => None,
        KeyState::Revoked { at } => Some(at.unix_ms()),
    }
}

impl TryFrom<AccessKeyRow> for SealedAccessKey {
    type Error = sqlx::Error;

    fn try_from(r: AccessKeyRow) -> Result<SealedAccessKey, sqlx::Error> {
        let key = AccessKey::from_stored(StoredAccessKey {
            id: AccessKeyId::parse(&r.id).map_err(|e| decode_error("access key id", e))?,
            partner: r
                .partner_id
                .map(|p| PartnerId::parse(&p))
                .transpose()
                .map_err(|e| decode_error("partner id", e))?,
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            member: r.member_id.map(|m| MemberId::parse(&m)).transpose().map_err(|e| decode_error("member id", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            state: match r.revoked_at_ms {
                None => KeyState::Active,
                Some(at) => KeyState::Revoked { at: Timestamp::from_unix_ms(at) },
            },
            version: r.version,
        });
        Ok(SealedAccessKey { key, sealed_secret: r.sealed_secret })
    }
}
