use async_trait::async_trait;
use opc_domain::association::Association;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::organization::{Member, Role};
use opc_domain::{MemberId, PartnerId};

use super::*;

#[async_trait]
pub trait Organization: Send + Sync + 'static {
    async fn insert_role(&self, role: &Role, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn roles_of(&self, partner: &PartnerId) -> Result<Vec<Role>, StoreError>;
    async fn insert_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn members_of(&self, partner: &PartnerId) -> Result<Vec<Member>, StoreError>;
    async fn member(&self, id: &MemberId) -> Result<Option<Member>, StoreError>;
    async fn member_by_email(&self, email: &Email) -> Result<Option<Member>, StoreError>;
    /// Writes the member's role, position and director if its version still matches.
    async fn update_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Writes the association's account manager if its version still matches.
    async fn set_account_manager(&self, association: &Association, audit: &[AuditEvent]) -> Result<(), StoreError>;
}
