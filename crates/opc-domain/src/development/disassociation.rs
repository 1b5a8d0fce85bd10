//! Association records and disassociation (R-ASSOC-25 … R-ASSOC-31): an association record
//! whose purpose is "Disassociate", and who decides it.

use super::*;

/// The reason given with a disassociation request (R-ASSOC-28 "Reason"): trimmed, 1–500
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DisassociationReason(String);

impl DisassociationReason {
    pub const MAX_LEN: usize = 500;

    pub fn parse(text: &str) -> Result<DisassociationReason, TextError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(TextError::TooLong { max: Self::MAX_LEN });
        }
        Ok(DisassociationReason(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// R-ASSOC-27: the record's Initiation Method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initiator {
    /// "Requested by customers": the partner's administrator approves or rejects it.
    Customer,
    /// "Requested by partners": the customer confirms or refuses it.
    Partner,
}

/// R-ASSOC-27: `Pending confirmation → Approved | Rejected`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    /// The Approval Time is `at`; the customer is disassociated.
    Approved {
        at: Timestamp,
    },
    Rejected {
        at: Timestamp,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// R-ASSOC-31, R-QUOTA-10.
    #[error("while the partner account is frozen, disassociation is not allowed")]
    PartnerFrozen,
    #[error("a disassociation request is already pending")]
    AlreadyPending,
    #[error("the customer is not associated with the partner")]
    NotAssociated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// R-ASSOC-25, R-ORG-21: a customer's request is for the partner's administrator.
    #[error("the partner's administrator decides a request made by the customer")]
    AwaitsPartnerAdmin,
    /// R-ASSOC-27: a partner's request is for the customer to confirm.
    #[error("the customer confirms a request made by the partner")]
    AwaitsCustomer,
    #[error("the request is already approved")]
    AlreadyApproved,
    #[error("the request is already rejected")]
    AlreadyRejected,
    /// R-ASSOC-31: approval would disassociate, which a frozen partner may not; rejecting
    /// stays possible.
    #[error("while the partner account is frozen, disassociation is not allowed")]
    PartnerFrozen,
}

/// An association record with the purpose "Disassociate" (R-ASSOC-27, R-ASSOC-28). The other
/// columns of the record (account name, mobile number, association type, account manager)
/// come from the account and the [`Association`]. Fields are private: a request is made by
/// [`DisassociationRequest::request`], decided by its decision transitions, or rebuilt by the
/// store ([`DisassociationRequest::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisassociationRequest {
    pub(super) customer: AccountId,
    pub(super) partner: PartnerId,
    pub(super) initiated_by: Initiator,
    pub(super) reason: DisassociationReason,
    pub(super) state: RequestState,
    pub(super) requested_at: Timestamp,
    pub(super) version: i64,
}

/// A stored disassociation request's fields, for [`DisassociationRequest::from_stored`].
pub struct StoredDisassociationRequest {
    pub customer: AccountId,
    pub partner: PartnerId,
    pub initiated_by: Initiator,
    pub reason: DisassociationReason,
    pub state: RequestState,
    pub requested_at: Timestamp,
    pub version: i64,
}

impl DisassociationRequest {
    /// Rebuilds a stored request. For the store only: it performs no check, because the
    /// values were decided by [`DisassociationRequest::request`] and its decisions.
    pub fn from_stored(s: StoredDisassociationRequest) -> DisassociationRequest {
        DisassociationRequest {
            customer: s.customer,
            partner: s.partner,
            initiated_by: s.initiated_by,
            reason: s.reason,
            state: s.state,
            requested_at: s.requested_at,
            version: s.version,
        }
    }

    pub fn customer(&self) -> &AccountId {
        &self.customer
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn initiated_by(&self) -> Initiator {
        self.initiated_by
    }

    pub fn reason(&self) -> &DisassociationReason {
        &self.reason
    }

    pub fn state(&self) -> RequestState {
        self.state
    }

    pub fn requested_at(&self) -> Timestamp {
        self.requested_at
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// Decides a request to end `association`, by either side (R-ASSOC-27; A-31: referral
    /// customers too; R-ASSOC-32: a distributor's reseller too). Refused while the partner is
    /// frozen (R-ASSOC-31; `partner_frozen` as for [`can_develop_customers`]), and unless the
    /// association is `Associated` with nothing pending. The caller stores the association's
    /// new state with it: [`Association::request_disassociation`], which succeeds whenever
    /// this does.
    pub fn request(
        association: &Association,
        initiated_by: Initiator,
        reason: DisassociationReason,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<DisassociationRequest, RequestError> {
        if partner_frozen {
            return Err(RequestError::PartnerFrozen);
        }
        match association.state() {
            AssociationState::Associated => {}
            AssociationState::DisassociationPending => return Err(RequestError::AlreadyPending),
            AssociationState::Disassociated { .. } => return Err(RequestError::NotAssociated),
        }
        Ok(DisassociationRequest {
            customer: association.customer().clone(),
            partner: association.partner().clone(),
            initiated_by,
            reason,
            state: RequestState::Pending,
            requested_at: now,
            version: 0,
        })
    }

    /// R-ASSOC-25, R-ASSOC-27: the partner's administrator approves or rejects a request made
    /// by the customer. Checking that the user is an administrator (R-ORG-21) and the
    /// verification code (R-ASSOC-26) is the caller's. On approval the caller ends the
    /// association with [`Association::decide_disassociation`]`(true, now)`; on rejection it
    /// restores it with `(false, now)`. The request takes the new state, which is returned.
    pub fn decide_by_partner_admin(
        &mut self,
        approve: bool,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<RequestState, DecisionError> {
        match self.initiated_by {
            Initiator::Customer => self.decide(approve, partner_frozen, now),
            Initiator::Partner => Err(DecisionError::AwaitsCustomer),
        }
    }

    /// R-ASSOC-27: the customer confirms (`approve`) or refuses a request made by the partner.
    /// The association follows as for [`Self::decide_by_partner_admin`].
    pub fn decide_by_customer(
        &mut self,
        approve: bool,
        partner_frozen: bool,
        now: Timestamp,
    ) -> Result<RequestState, DecisionError> {
        match self.initiated_by {
            Initiator::Partner => self.decide(approve, partner_frozen, now),
            Initiator::Customer => Err(DecisionError::AwaitsPartnerAdmin),
        }
    }

    fn decide(&mut self, approve: bool, partner_frozen: bool, now: Timestamp) -> Result<RequestState, DecisionError> {
        self.state = match self.state {
            RequestState::Pending if approve && partner_frozen => return Err(DecisionError::PartnerFrozen),
            RequestState::Pending if approve => RequestState::Approved { at: now },
            RequestState::Pending => RequestState::Rejected { at: now },
            RequestState::Approved { .. } => return Err(DecisionError::AlreadyApproved),
            RequestState::Rejected { .. } => return Err(DecisionError::AlreadyRejected),
        };
        Ok(self.state)
    }
}
