use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::information::{BusinessInformation, InfoKind, PaymentInformation, ReviewState};
use opc_domain::{PartnerId, Timestamp};

use super::*;

/// What a partner information authentication carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InfoData {
    Business(BusinessInformation),
    Payment(PaymentInformation),
}

impl InfoData {
    pub fn kind(&self) -> InfoKind {
        match self {
            InfoData::Business(_) => InfoKind::Business,
            InfoData::Payment(_) => InfoKind::Payment,
        }
    }
}

/// One partner information authentication and its review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoRecord {
    pub partner: PartnerId,
    pub data: InfoData,
    pub state: ReviewState,
    pub submitted_at: Timestamp,
    pub version: i64,
}

#[async_trait]
pub trait Information: Send + Sync + 'static {
    /// The partner's business and payment information records.
    async fn partner_information(&self, partner: &PartnerId) -> Result<Vec<InfoRecord>, StoreError>;
    /// Inserts (`expected_version` `None`) or replaces (version-checked) a record.
    async fn save_partner_information(
        &self,
        record: &InfoRecord,
        expected_version: Option<i64>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Records in a review state, oldest first.
    async fn information_queue(&self, state: &str, limit: u32) -> Result<Vec<InfoRecord>, StoreError>;
}
