//! The organization aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::customers::rows::AssociationRow;
use crate::db::{err, finish, query, query_as};
use crate::organization::rows::MemberRow;
use crate::organization::rows::RoleRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::association::Association;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::Email;
use opc_domain::organization::{Member, Role};
use opc_domain::{MemberId, PartnerId};
use tracing::instrument;

pub(crate) const MEMBER_COLUMNS: &str =
    "id, partner_id, name, email, password_hash, role_id, position, director_id, created_at_ms, version";

#[async_trait]
impl Organization for SqlStore {
    #[instrument(level = "debug", skip_all, fields(partner.id = %role.partner()))]
    async fn insert_role(&self, role: &Role, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = RoleRow::from(role);
            query(
                "INSERT INTO partner_roles (id, partner_id, name, permissions, created_at_ms) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(r.id)
            .bind(r.partner_id)
            .bind(r.name)
            .bind(r.permissions)
            .bind(r.created_at_ms)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn roles_of(&self, partner: &PartnerId) -> Result<Vec<Role>, StoreError> {
        let rows = query_as::<RoleRow>(
            "SELECT id, partner_id, name, permissions, created_at_ms FROM partner_roles WHERE partner_id = $1 ORDER BY created_at_ms, id",
        )
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Role::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %member.partner()))]
    async fn insert_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = MemberRow::from(member);
            query(&format!(
                "INSERT INTO partner_members ({MEMBER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ))
            .bind(r.id)
            .bind(r.partner_id)
            .bind(r.name)
            .bind(r.email)
            .bind(r.password_hash)
            .bind(r.role_id)
            .bind(r.position)
            .bind(r.director_id)
            .bind(r.created_at_ms)
            .bind(r.version)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn members_of(&self, partner: &PartnerId) -> Result<Vec<Member>, StoreError> {
        let rows = query_as::<MemberRow>(&format!(
            "SELECT {MEMBER_COLUMNS} FROM partner_members WHERE partner_id = $1 ORDER BY created_at_ms, id"
        ))
        .bind(partner.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Member::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(member.id = %id))]
    async fn member(&self, id: &MemberId) -> Result<Option<Member>, StoreError> {
        let row = query_as::<MemberRow>(&format!("SELECT {MEMBER_COLUMNS} FROM partner_members WHERE id = $1"))
            .bind(id.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(Member::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn member_by_email(&self, email: &Email) -> Result<Option<Member>, StoreError> {
        let row = query_as::<MemberRow>(&format!(
            "SELECT {MEMBER_COLUMNS} FROM partner_members WHERE lower(email) = lower($1)"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Member::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(member.id = %member.id()))]
    async fn update_member(&self, member: &Member, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = MemberRow::from(member);
            let updated = query(
                "UPDATE partner_members SET role_id = $1, position = $2, director_id = $3, version = version + 1 \
                 WHERE id = $4 AND version = $5",
            )
            .bind(r.role_id)
            .bind(r.position)
            .bind(r.director_id)
            .bind(r.id)
            .bind(r.version)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Member) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %association.customer()))]
    async fn set_account_manager(&self, association: &Association, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let a = AssociationRow::from(association);
            let updated = query(
                "UPDATE associations SET account_manager_id = $1, version = version + 1 \
                 WHERE customer_id = $2 AND associated_at_ms = $3 AND version = $4",
            )
            .bind(a.account_manager_id)
            .bind(a.customer_id)
            .bind(a.associated_at_ms)
            .bind(a.version)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Association) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }
}
