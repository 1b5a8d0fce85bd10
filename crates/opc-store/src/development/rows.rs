//! The development rows as stored, and their conversions to and from the domain.

use opc_domain::customer::Email;
use opc_domain::development::{
    DisassociationReason, DisassociationRequest, Initiator, Invitation, InvitationChannel, InvitationToken,
    PreRegistration, PreRegistrationState, RequestState, StoredDisassociationRequest,
};
use opc_domain::{AccountId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PreRegistrationRow {
    pub partner_id: String,
    pub email: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub associated_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&PreRegistration> for PreRegistrationRow {
    fn from(p: &PreRegistration) -> PreRegistrationRow {
        PreRegistrationRow {
            partner_id: p.partner.as_str().to_owned(),
            email: p.email.as_str().to_owned(),
            created_at_ms: p.created_at.unix_ms(),
            expires_at_ms: p.expires_at.unix_ms(),
            associated_at_ms: match p.state {
                PreRegistrationState::Associated { at } => Some(at.unix_ms()),
                PreRegistrationState::Active | PreRegistrationState::Expired => None,
            },
            version: p.version,
        }
    }
}

impl TryFrom<PreRegistrationRow> for PreRegistration {
    type Error = sqlx::Error;

    /// The stored state is `Associated` or `Active`; expiry is derived from the times
    /// (`PreRegistration::state_at`).
    fn try_from(r: PreRegistrationRow) -> Result<PreRegistration, sqlx::Error> {
        Ok(PreRegistration {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            email: Email::parse(&r.email).map_err(|e| decode_error("email", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            state: match r.associated_at_ms {
                Some(at) => PreRegistrationState::Associated { at: Timestamp::from_unix_ms(at) },
                None => PreRegistrationState::Active,
            },
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InvitationRow {
    pub token: String,
    pub partner_id: String,
    pub model: String,
    pub channel: String,
    pub email: Option<String>,
    pub expires_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

impl From<&Invitation> for InvitationRow {
    fn from(i: &Invitation) -> InvitationRow {
        let (channel, email, expires_at_ms) = match &i.channel {
            InvitationChannel::Email { to, expires_at } => {
                ("email", Some(to.as_str().to_owned()), Some(expires_at.unix_ms()))
            }
            InvitationChannel::Link => ("link", None, None),
            InvitationChannel::QrCode => ("qr_code", None, None),
        };
        InvitationRow {
            token: i.token.as_str().to_owned(),
            partner_id: i.partner.as_str().to_owned(),
            model: i.model.code().to_owned(),
            channel: channel.to_owned(),
            email,
            expires_at_ms,
            created_at_ms: i.created_at.unix_ms(),
            revoked_at_ms: i.revoked_at.map(Timestamp::unix_ms),
        }
    }
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = sqlx::Error;

    fn try_from(r: InvitationRow) -> Result<Invitation, sqlx::Error> {
        let channel = match (r.channel.as_str(), r.email, r.expires_at_ms) {
            ("email", Some(to), Some(at)) => InvitationChannel::Email {
                to: Email::parse(&to).map_err(|e| decode_error("invitation email", e))?,
                expires_at: Timestamp::from_unix_ms(at),
            },
            ("link", None, None) => InvitationChannel::Link,
            ("qr_code", None, None) => InvitationChannel::QrCode,
            (c, ..) => return Err(decode_error("invitation channel", c)),
        };
        Ok(Invitation {
            token: InvitationToken::parse(&r.token).map_err(|e| decode_error("invitation token", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            model: Code::from_code(&r.model)?,
            channel,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            revoked_at: r.revoked_at_ms.map(Timestamp::from_unix_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct DisassociationRow {
    pub customer_id: String,
    pub partner_id: String,
    pub initiated_by: String,
    pub reason: String,
    pub state: String,
    pub requested_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&DisassociationRequest> for DisassociationRow {
    fn from(d: &DisassociationRequest) -> DisassociationRow {
        let (state, decided_at_ms) = match d.state() {
            RequestState::Pending => ("pending", None),
            RequestState::Approved { at } => ("approved", Some(at.unix_ms())),
            RequestState::Rejected { at } => ("rejected", Some(at.unix_ms())),
        };
        DisassociationRow {
            customer_id: d.customer().as_str().to_owned(),
            partner_id: d.partner().as_str().to_owned(),
            initiated_by: match d.initiated_by() {
                Initiator::Customer => "customer",
                Initiator::Partner => "partner",
            }
            .to_owned(),
            reason: d.reason().as_str().to_owned(),
            state: state.to_owned(),
            requested_at_ms: d.requested_at().unix_ms(),
            decided_at_ms,
            version: d.version(),
        }
    }
}

impl TryFrom<DisassociationRow> for DisassociationRequest {
    type Error = sqlx::Error;

    fn try_from(r: DisassociationRow) -> Result<DisassociationRequest, sqlx::Error> {
        Ok(DisassociationRequest::from_stored(StoredDisassociationRequest {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            initiated_by: match r.initiated_by.as_str() {
                "customer" => Initiator::Customer,
                "partner" => Initiator::Partner,
                other => return Err(decode_error("initiator", other)),
            },
            reason: DisassociationReason::parse(&r.reason).map_err(|e| decode_error("reason", e))?,
            state: match (r.state.as_str(), r.decided_at_ms) {
                ("pending", None) => RequestState::Pending,
                ("approved", Some(at)) => RequestState::Approved { at: Timestamp::from_unix_ms(at) },
                ("rejected", Some(at)) => RequestState::Rejected { at: Timestamp::from_unix_ms(at) },
                (s, _) => return Err(decode_error("request state", s)),
            },
            requested_at: Timestamp::from_unix_ms(r.requested_at_ms),
            version: r.version,
        }))
    }
}
