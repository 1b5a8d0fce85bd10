//! The audit rows as stored, and their conversions to and from the domain.

use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::{AccessKeyId, AccountId, AuditEventId, PartnerId, Timestamp};

use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AuditRow {
    pub id: String,
    pub at_ms: i64,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_key: Option<String>,
    pub partner_id: Option<String>,
    pub on_behalf_of: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
}

impl From<&AuditEvent> for AuditRow {
    fn from(e: &AuditEvent) -> AuditRow {
        debug_assert!(Subject::kind(e.subject.kind).is_some(), "unknown audit subject kind {:?}", e.subject.kind);
        let (actor_kind, actor_id, actor_key) = match &e.actor {
            Actor::Operator(name) => ("operator", Some(name.clone()), None),
            Actor::PartnerKey { partner, key } => {
                ("partner", Some(partner.as_str().to_owned()), Some(key.as_str().to_owned()))
            }
            Actor::Customer(account) => ("customer", Some(account.as_str().to_owned()), None),
            Actor::System => ("system", None, None),
        };
        AuditRow {
            id: e.id.as_str().to_owned(),
            at_ms: e.at.unix_ms(),
            actor_kind: actor_kind.to_owned(),
            actor_id,
            actor_key,
            partner_id: e.partner.as_ref().map(|p| p.as_str().to_owned()),
            on_behalf_of: e.on_behalf_of.as_ref().map(|a| a.as_str().to_owned()),
            action: e.action.as_str().to_owned(),
            subject_kind: e.subject.kind.to_owned(),
            subject_id: e.subject.id.clone(),
            before_state: e.before.clone(),
            after_state: e.after.clone(),
        }
    }
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = sqlx::Error;

    fn try_from(r: AuditRow) -> Result<AuditEvent, sqlx::Error> {
        let actor = match (r.actor_kind.as_str(), r.actor_id, r.actor_key) {
            ("operator", Some(name), None) => Actor::Operator(name),
            ("partner", Some(p), Some(k)) => Actor::PartnerKey {
                partner: PartnerId::parse(&p).map_err(|e| decode_error("actor partner", e))?,
                key: AccessKeyId::parse(&k).map_err(|e| decode_error("actor key", e))?,
            },
            ("customer", Some(a), None) => {
                Actor::Customer(AccountId::parse(&a).map_err(|e| decode_error("actor account", e))?)
            }
            ("system", None, None) => Actor::System,
            (kind, ..) => return Err(decode_error("actor", kind)),
        };
        let kind = Subject::kind(&r.subject_kind).ok_or_else(|| decode_error("subject kind", &r.subject_kind))?;
        Ok(AuditEvent {
            id: AuditEventId::parse(&r.id).map_err(|e| decode_error("audit id", e))?,
            at: Timestamp::from_unix_ms(r.at_ms),
            actor,
            on_behalf_of: r
                .on_behalf_of
                .map(|a| AccountId::parse(&a))
                .transpose()
                .map_err(|e| decode_error("on behalf of", e))?,
            partner: r
                .partner_id
                .map(|p| PartnerId::parse(&p))
                .transpose()
                .map_err(|e| decode_error("partner id", e))?,
            action: Action::parse(&r.action).ok_or_else(|| decode_error("action", &r.action))?,
            subject: Subject { kind, id: r.subject_id },
            before: r.before_state,
            after: r.after_state,
        })
    }
}
