//! Partner information authentication (R-INFO-*): the partner submits its business and payment
//! information; the operator approves or rejects each; incentives are payable once both passed.

use opc_domain::audit::{Action, Actor};
use opc_domain::console::Staff;
use opc_domain::hcpn::RejectionReason;
use opc_domain::information::{
    incentives_payable, BusinessInformation, InfoKind, PaymentInformation, ReviewError, ReviewState,
};
use opc_domain::partner::Partner;
use opc_domain::PartnerId;

use super::admin::audit_event;
use super::{audit_text, Context};
use crate::store::{InfoData, InfoRecord, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum InfoError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error("there is nothing to review")]
    NotFound,
    #[error("the information changed meanwhile; retry")]
    Concurrent,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for InfoError {
    fn from(e: StoreError) -> InfoError {
        match e {
            StoreError::Conflict { .. } => InfoError::Concurrent,
            other => InfoError::Store(other),
        }
    }
}

/// The partner's two records and whether incentives are payable (R-INFO-02).
pub struct PartnerInformation {
    pub business: Option<InfoRecord>,
    pub payment: Option<InfoRecord>,
    pub incentives_payable: bool,
}

pub async fn information(ctx: &Context, partner: &PartnerId) -> Result<PartnerInformation, InfoError> {
    let records = ctx.store.partner_information(partner).await?;
    let of = |kind| records.iter().find(|r| r.data.kind() == kind).cloned();
    let (business, payment) = (of(InfoKind::Business), of(InfoKind::Payment));
    let payable = incentives_payable(business.as_ref().map(|r| &r.state), payment.as_ref().map(|r| &r.state));
    Ok(PartnerInformation { business, payment, incentives_payable: payable })
}

/// Submits (or, R-INFO-07, edits and resubmits) business information.
pub async fn submit_business(
    ctx: &Context,
    partner: &Partner,
    company_name: &str,
    registration_number: &str,
    currency: &str,
    questionnaire: bool,
) -> Result<InfoRecord, InfoError> {
    let info = BusinessInformation::validate(company_name, registration_number, currency, questionnaire)
        .map_err(|e| InfoError::Invalid { field: e.field, reason: e.reason })?;
    submit(ctx, partner, InfoData::Business(info)).await
}

/// Submits (or resubmits) payment information, checked against the business information.
#[allow(clippy::too_many_arguments)]
pub async fn submit_payment(
    ctx: &Context,
    partner: &Partner,
    bank_name: &str,
    bank_country: &str,
    account_name: &str,
    account_number: &str,
    swift_code: &str,
    tax_rate: &str,
) -> Result<InfoRecord, InfoError> {
    let current = information(ctx, partner.id()).await?;
    let business = current.business.as_ref().and_then(|r| match &r.data {
        InfoData::Business(b) => Some(b),
        InfoData::Payment(_) => None,
    });
    let info = PaymentInformation::validate(
        bank_name,
        bank_country,
        account_name,
        account_number,
        swift_code,
        tax_rate,
        business,
    )
    .map_err(|e| InfoError::Invalid { field: e.field, reason: e.reason })?;
    submit(ctx, partner, InfoData::Payment(info)).await
}

async fn submit(ctx: &Context, partner: &Partner, data: InfoData) -> Result<InfoRecord, InfoError> {
    let kind = data.kind();
    let existing = ctx.store.partner_information(partner.id()).await?.into_iter().find(|r| r.data.kind() == kind);
    let now = ctx.clock.now();
    let record = InfoRecord {
        partner: partner.id().clone(),
        data,
        state: ReviewState::Submitted,
        submitted_at: now,
        version: 0,
    };
    let audit = [audit_event(
        now,
        Actor::Customer(partner.account_id().clone()),
        Some(partner.id()),
        Action::InformationSubmitted,
        "partner",
        partner.id().as_str(),
        None,
        Some(format!("kind={}", audit_text::info_kind(kind))),
    )];
    ctx.store.save_partner_information(&record, existing.map(|r| r.version), &audit).await?;
    Ok(record)
}

/// The operator's review of one record.
pub async fn review(
    ctx: &Context,
    staff: &Staff,
    partner: &str,
    kind: InfoKind,
    reject_reason: Option<&str>,
) -> Result<InfoRecord, InfoError> {
    let id = PartnerId::parse(partner).map_err(|_| InfoError::NotFound)?;
    let current = ctx
        .store
        .partner_information(&id)
        .await?
        .into_iter()
        .find(|r| r.data.kind() == kind)
        .ok_or(InfoError::NotFound)?;
    let now = ctx.clock.now();
    let state = match reject_reason {
        None => current.state.approve(now)?,
        Some(text) => {
            let reason = RejectionReason::parse(text)
                .map_err(|e| InfoError::Invalid { field: "reason", reason: e.to_string() })?;
            current.state.reject(reason, now)?
        }
    };
    let decided = InfoRecord { state, ..current.clone() };
    let audit = [audit_event(
        now,
        Actor::Operator(staff.email.as_str().to_owned()),
        Some(&id),
        Action::InformationReviewed,
        "partner",
        id.as_str(),
        None,
        Some(format!("kind={} {}", audit_text::info_kind(kind), audit_text::review_state(&decided.state))),
    )];
    ctx.store.save_partner_information(&decided, Some(current.version), &audit).await?;
    Ok(decided)
}

pub async fn queue(ctx: &Context, state: &str) -> Result<Vec<InfoRecord>, InfoError> {
    Ok(ctx.store.information_queue(state, 200).await?)
}
