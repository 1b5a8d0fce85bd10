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

/// The link between a customer account and a partner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Association {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub model: AssociationModel,
    pub associated_at: Timestamp,
    pub state: AssociationState,
    /// The partner's own label for the customer (searchable in `list_sub_customers`).
    pub label: Option<String>,
    /// The partner sales platform's user id and the platform id assigned by the provider.
    pub xaccount_id: Option<String>,
    pub xaccount_type: Option<String>,
    /// The account manager in the partner's organization who looks after the customer.
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
