//! The customers rows as stored, and their conversions to and from the domain.

#[cfg(doc)]
use opc_domain::association::AssociationModel;
use opc_domain::association::{Association, AssociationState, StoredAssociation};
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::{AccountId, MemberId, PartnerId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

/// An association's stored `state` (an ended one's time is a column of its own). Queries that
/// read only current associations name the ended state in their SQL text
/// (`state <> 'disassociated'`), as those that read only reseller customers name
/// [`AssociationModel::Reseller`]'s code (`model = 'reseller'`); the tests below pin both.
pub(crate) fn association_state_code(state: AssociationState) -> &'static str {
    match state {
        AssociationState::Associated => "associated",
        AssociationState::DisassociationPending => "disassociation_pending",
        AssociationState::Disassociated { .. } => "disassociated",
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AssociationRow {
    pub account_manager_id: Option<String>,
    pub customer_id: String,
    pub partner_id: String,
    pub model: String,
    pub associated_at_ms: i64,
    pub state: String,
    pub disassociated_at_ms: Option<i64>,
    pub label: Option<String>,
    pub xaccount_id: Option<String>,
    pub xaccount_type: Option<String>,
    pub version: i64,
}

impl From<&Association> for AssociationRow {
    fn from(a: &Association) -> AssociationRow {
        let disassociated_at_ms = match a.state() {
            AssociationState::Associated | AssociationState::DisassociationPending => None,
            AssociationState::Disassociated { at } => Some(at.unix_ms()),
        };
        AssociationRow {
            account_manager_id: a.account_manager().map(|m| m.as_str().to_owned()),
            customer_id: a.customer().as_str().to_owned(),
            partner_id: a.partner().as_str().to_owned(),
            model: a.model().code().to_owned(),
            associated_at_ms: a.associated_at().unix_ms(),
            state: association_state_code(a.state()).to_owned(),
            disassociated_at_ms,
            label: a.label().map(str::to_owned),
            xaccount_id: a.xaccount_id().map(str::to_owned),
            xaccount_type: a.xaccount_type().map(str::to_owned),
            version: a.version(),
        }
    }
}

impl TryFrom<AssociationRow> for Association {
    type Error = sqlx::Error;

    fn try_from(r: AssociationRow) -> Result<Association, sqlx::Error> {
        let state = match (r.state.as_str(), r.disassociated_at_ms) {
            ("associated", None) => AssociationState::Associated,
            ("disassociation_pending", None) => AssociationState::DisassociationPending,
            ("disassociated", Some(at)) => AssociationState::Disassociated { at: Timestamp::from_unix_ms(at) },
            (s, at) => return Err(decode_error("association state", format!("{s}/{at:?}"))),
        };
        Ok(Association::from_stored(StoredAssociation {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            model: Code::from_code(&r.model)?,
            associated_at: Timestamp::from_unix_ms(r.associated_at_ms),
            state,
            label: r.label,
            xaccount_id: r.xaccount_id,
            xaccount_type: r.xaccount_type,
            account_manager: r
                .account_manager_id
                .map(|m| MemberId::parse(&m))
                .transpose()
                .map_err(|e| decode_error("account manager", e))?,
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct VerificationCodeRow {
    pub email: String,
    pub code: String,
    pub expires_at_ms: i64,
}

impl From<&VerificationCode> for VerificationCodeRow {
    fn from(c: &VerificationCode) -> VerificationCodeRow {
        VerificationCodeRow {
            email: c.email.as_str().to_owned(),
            code: c.code.clone(),
            expires_at_ms: c.expires_at.unix_ms(),
        }
    }
}

impl TryFrom<VerificationCodeRow> for VerificationCode {
    type Error = sqlx::Error;

    fn try_from(r: VerificationCodeRow) -> Result<VerificationCode, sqlx::Error> {
        Ok(VerificationCode {
            email: Email::parse(&r.email).map_err(|e| decode_error("email", e))?,
            code: r.code,
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opc_domain::association::AssociationModel;

    /// The codes the SQL of current and reseller associations names literally.
    #[test]
    fn the_codes_named_in_sql_are_the_stored_ones() {
        let ended = AssociationState::Disassociated { at: Timestamp::from_unix_ms(1) };
        assert_eq!(association_state_code(ended), "disassociated");
        assert_eq!(AssociationModel::Reseller.code(), "reseller");
        let states = [AssociationState::Associated, AssociationState::DisassociationPending, ended];
        let mut codes: Vec<_> = states.map(association_state_code).to_vec();
        codes.dedup();
        assert_eq!(codes.len(), 3);
    }
}
