//! A customer's association with a partner (R-ASSOC-12, R-ASSOC-30).

use crate::account::{Freeze, FreezeCause, FreezeScope};
use crate::ids::{AccountId, MemberId, PartnerId};
use crate::time::Timestamp;

/// R-ASSOC-12: each customer has exactly one model, referral or reseller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssociationModel {
    Referral,
    Reseller,
}

/// R-ASSOC-30: the association lifecycle from the moment of association.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssociationState {
    Associated,
    DisassociationPending,
    Disassociated { at: Timestamp },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssociationError {
    #[error("a disassociation request is already pending")]
    AlreadyPending,
    #[error("no disassociation request is pending")]
    NothingPending,
    #[error("the customer is already disassociated")]
    Disassociated,
}

/// The link between a customer account and a partner. Fields are private: an association
/// begins with [`Association::begin`] or is rebuilt by the store ([`Association::from_stored`]),
/// and changes only through the transitions below, each of which returns the changed
/// association with the same `version` (the store bumps it on a version-checked write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Association {
    customer: AccountId,
    partner: PartnerId,
    model: AssociationModel,
    associated_at: Timestamp,
    state: AssociationState,
    label: Option<String>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    account_manager: Option<MemberId>,
    version: i64,
}

/// A stored association's fields, for [`Association::from_stored`].
pub struct StoredAssociation {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub model: AssociationModel,
    pub associated_at: Timestamp,
    pub state: AssociationState,
    pub label: Option<String>,
    pub xaccount_id: Option<String>,
    pub xaccount_type: Option<String>,
    pub account_manager: Option<MemberId>,
    pub version: i64,
}

impl Association {
    /// Decides a new association and the freeze it puts on the customer's account:
    /// R-ASSOC-23 / R-RCM-02, a reseller-model association freezes the account until the
    /// partner sets a budget and unfreezes it; a referral association freezes nothing.
    pub fn begin(
        customer: AccountId,
        partner: PartnerId,
        model: AssociationModel,
        now: Timestamp,
    ) -> (Association, Option<Freeze>) {
        let freeze = match model {
            AssociationModel::Reseller => {
                Some(Freeze { scope: FreezeScope::Account, cause: FreezeCause::ResellerAssociation, since: now })
            }
            AssociationModel::Referral => None,
        };
        let association = Association {
            customer,
            partner,
            model,
            associated_at: now,
            state: AssociationState::Associated,
            label: None,
            xaccount_id: None,
            xaccount_type: None,
            account_manager: None,
            version: 0,
        };
        (association, freeze)
    }

    /// Rebuilds a stored association. For the store only: it performs no check, because the
    /// values were decided by [`Association::begin`] and the transitions.
    pub fn from_stored(s: StoredAssociation) -> Association {
        Association {
            customer: s.customer,
            partner: s.partner,
            model: s.model,
            associated_at: s.associated_at,
            state: s.state,
            label: s.label,
            xaccount_id: s.xaccount_id,
            xaccount_type: s.xaccount_type,
            account_manager: s.account_manager,
            version: s.version,
        }
    }

    /// B1.2.1 `create_sub_customer`: the association of a customer created from the partner's
    /// sales platform records the platform's user id and the platform id.
    pub fn on_platform(self, xaccount_id: &str, xaccount_type: &str) -> Association {
        Association { xaccount_id: Some(xaccount_id.to_owned()), xaccount_type: Some(xaccount_type.to_owned()), ..self }
    }

    /// R-ORG-19: the account manager in the partner's organization who looks after the customer.
    pub fn managed_by(&self, manager: MemberId) -> Association {
        Association { account_manager: Some(manager), ..self.clone() }
    }

    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn model(&self) -> AssociationModel {
        self.model
    }

    pub fn associated_at(&self) -> Timestamp {
        self.associated_at
    }

    pub fn state(&self) -> AssociationState {
        self.state
    }

    /// The partner's own label for the customer (searchable in `list_sub_customers`).
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The partner sales platform's user id.
    pub fn xaccount_id(&self) -> Option<&str> {
        self.xaccount_id.as_deref()
    }

    /// The platform id assigned by the provider.
    pub fn xaccount_type(&self) -> Option<&str> {
        self.xaccount_type.as_deref()
    }

    /// The account manager in the partner's organization who looks after the customer.
    pub fn account_manager(&self) -> Option<&MemberId> {
        self.account_manager.as_ref()
    }

    /// The stored version it was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// `Associated → Disassociation pending`.
    pub fn request_disassociation(&self) -> Result<AssociationState, AssociationError> {
        match self.state {
            AssociationState::Associated => Ok(AssociationState::DisassociationPending),
            AssociationState::DisassociationPending => Err(AssociationError::AlreadyPending),
            AssociationState::Disassociated { .. } => Err(AssociationError::Disassociated),
        }
    }

    /// `Disassociation pending → Disassociated` (approved) or `→ Associated` (rejected).
    pub fn decide_disassociation(&self, approve: bool, now: Timestamp) -> Result<AssociationState, AssociationError> {
        match self.state {
            AssociationState::DisassociationPending if approve => Ok(AssociationState::Disassociated { at: now }),
            AssociationState::DisassociationPending => Ok(AssociationState::Associated),
            AssociationState::Associated => Err(AssociationError::NothingPending),
            AssociationState::Disassociated { .. } => Err(AssociationError::Disassociated),
        }
    }

    /// The association once a disassociation is requested ([`Association::request_disassociation`]).
    pub fn disassociation_requested(&self) -> Result<Association, AssociationError> {
        Ok(Association { state: self.request_disassociation()?, ..self.clone() })
    }

    /// The association once the request is decided ([`Association::decide_disassociation`]).
    pub fn disassociation_decided(&self, approve: bool, now: Timestamp) -> Result<Association, AssociationError> {
        Ok(Association { state: self.decide_disassociation(approve, now)?, ..self.clone() })
    }

    pub fn is_current(&self) -> bool {
        !matches!(self.state, AssociationState::Disassociated { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_700_000_000_000)
    }

    fn begin(model: AssociationModel) -> (Association, Option<Freeze>) {
        Association::begin(AccountId::from_random([1; 16]), PartnerId::from_random([2; 16]), model, now())
    }

    #[test]
    fn r_rcm_02_reseller_association_freezes_the_account() {
        let (a, freeze) = begin(AssociationModel::Reseller);
        assert_eq!(a.state, AssociationState::Associated);
        assert_eq!(a.associated_at, now());
        assert_eq!(
            freeze,
            Some(Freeze { scope: FreezeScope::Account, cause: FreezeCause::ResellerAssociation, since: now() })
        );
    }

    #[test]
    fn r_assoc_14_referral_association_freezes_nothing() {
        assert_eq!(begin(AssociationModel::Referral).1, None);
    }

    #[test]
    fn r_assoc_30_disassociation_lifecycle() {
        let (mut a, _) = begin(AssociationModel::Reseller);
        assert_eq!(a.decide_disassociation(true, now()), Err(AssociationError::NothingPending));
        a.state = a.request_disassociation().unwrap();
        assert_eq!(a.request_disassociation(), Err(AssociationError::AlreadyPending));
        assert_eq!(a.decide_disassociation(false, now()), Ok(AssociationState::Associated));
        let later = now().plus(crate::time::Millis(5));
        a.state = a.decide_disassociation(true, later).unwrap();
        assert_eq!(a.state, AssociationState::Disassociated { at: later });
        assert!(!a.is_current());
        assert_eq!(a.request_disassociation(), Err(AssociationError::Disassociated));
    }
}
