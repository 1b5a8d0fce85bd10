//! The sessions rows as stored, and their conversions to and from the domain.

use opc_domain::console::{Session, SessionSubject, Staff};
use opc_domain::customer::Email;
use opc_domain::text::DisplayName;
use opc_domain::{AccountId, MemberId, StaffId, Timestamp};

use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at_ms: i64,
    pub version: i64,
}

impl From<&Staff> for StaffRow {
    fn from(s: &Staff) -> StaffRow {
        StaffRow {
            id: s.id.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            name: s.name.as_str().to_owned(),
            password_hash: s.password_hash.clone(),
            created_at_ms: s.created_at.unix_ms(),
            version: s.version,
        }
    }
}

impl TryFrom<StaffRow> for Staff {
    type Error = sqlx::Error;

    fn try_from(r: StaffRow) -> Result<Staff, sqlx::Error> {
        Ok(Staff {
            id: StaffId::parse(&r.id).map_err(|e| decode_error("staff id", e))?,
            email: Email::parse(&r.email).map_err(|e| decode_error("staff email", e))?,
            name: DisplayName::parse(&r.name).map_err(|e| decode_error("staff name", e))?,
            password_hash: r.password_hash,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SessionRow {
    pub token_sha256: String,
    pub account_id: Option<String>,
    pub staff_id: Option<String>,
    pub member_id: Option<String>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

impl From<&Session> for SessionRow {
    fn from(s: &Session) -> SessionRow {
        let (account_id, staff_id, member_id) = match &s.subject {
            SessionSubject::Account(a) => (Some(a.as_str().to_owned()), None, None),
            SessionSubject::Staff(st) => (None, Some(st.as_str().to_owned()), None),
            SessionSubject::Member(m) => (None, None, Some(m.as_str().to_owned())),
        };
        SessionRow {
            token_sha256: s.token_sha256.clone(),
            account_id,
            staff_id,
            member_id,
            created_at_ms: s.created_at.unix_ms(),
            expires_at_ms: s.expires_at.unix_ms(),
            revoked_at_ms: s.revoked_at.map(Timestamp::unix_ms),
        }
    }
}

impl TryFrom<SessionRow> for Session {
    type Error = sqlx::Error;

    fn try_from(r: SessionRow) -> Result<Session, sqlx::Error> {
        let subject = match (r.account_id, r.staff_id, r.member_id) {
            (Some(a), None, None) => {
                SessionSubject::Account(AccountId::parse(&a).map_err(|e| decode_error("account id", e))?)
            }
            (None, Some(s), None) => {
                SessionSubject::Staff(StaffId::parse(&s).map_err(|e| decode_error("staff id", e))?)
            }
            (None, None, Some(m)) => {
                SessionSubject::Member(MemberId::parse(&m).map_err(|e| decode_error("member id", e))?)
            }
            _ => return Err(decode_error("session subject", "not exactly one of account, staff and member")),
        };
        Ok(Session {
            token_sha256: r.token_sha256,
            subject,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            revoked_at: r.revoked_at_ms.map(Timestamp::from_unix_ms),
        })
    }
}
