//! The accounts aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::accounts::rows::AccountRow;
use crate::accounts::rows::NewAccountLinkRow;
use crate::accounts::rows::ProofRow;
use crate::accounts::rows::TenantRow;
use crate::audit::insert_audit;
use crate::customers::delete_codes;
use crate::db::{err, finish, query, query_as, query_scalar, Builder, Conn, IN_LIST_MAX};
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::account::{Account, AccountName};
use opc_domain::audit::AuditEvent;
use opc_domain::console::NewAccountLink;
use opc_domain::customer::Email;
use opc_domain::tenant::TenantInfo;
use opc_domain::{AccountId, Timestamp};
use tracing::instrument;

pub(crate) async fn insert_account(tx: &mut Conn, account: &Account) -> Result<(), sqlx::Error> {
    let r = AccountRow::from(account);
    query(
        "INSERT INTO accounts (id, name, display_name, email, phone, country, site, account_type, real_name_status, \
         enterprise_role, accounting_mode, master_has_independent_members, registered_at_ms, has_credit_card, \
         has_credit_account, arrears_e8, consumption_e8, cash_expenditure_e8, resources_in_use, reserved_instances, \
         freeze_scope, freeze_cause, frozen_at_ms, bd_preregistered, special_contract, professional_service_contract, \
         password_hash, marketing_opt_out, services_enabled_at_ms, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)",
    )
    .bind(r.id)
    .bind(r.name)
    .bind(r.display_name)
    .bind(r.email)
    .bind(r.phone)
    .bind(r.country)
    .bind(r.site)
    .bind(r.account_type)
    .bind(r.real_name_status)
    .bind(r.enterprise_role)
    .bind(r.accounting_mode)
    .bind(r.master_has_independent_members)
    .bind(r.registered_at_ms)
    .bind(r.has_credit_card)
    .bind(r.has_credit_account)
    .bind(r.arrears_e8)
    .bind(r.consumption_e8)
    .bind(r.cash_expenditure_e8)
    .bind(r.resources_in_use)
    .bind(r.reserved_instances)
    .bind(r.freeze_scope)
    .bind(r.freeze_cause)
    .bind(r.frozen_at_ms)
    .bind(r.bd_preregistered)
    .bind(r.special_contract)
    .bind(r.professional_service_contract)
    .bind(r.password_hash)
    .bind(r.marketing_opt_out)
    .bind(r.services_enabled_at_ms)
    .bind(r.version)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Writes an account's freeze if its version still matches.
pub(crate) async fn update_freeze(tx: &mut Conn, account: &Account) -> Result<(), StoreError> {
    let r = AccountRow::from(account);
    let updated = query(
        "UPDATE accounts SET freeze_scope = $1, freeze_cause = $2, frozen_at_ms = $3, version = version + 1 \
         WHERE id = $4 AND version = $5",
    )
    .bind(r.freeze_scope)
    .bind(r.freeze_cause)
    .bind(r.frozen_at_ms)
    .bind(r.id)
    .bind(r.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Account) });
    }
    Ok(())
}

pub(crate) const ACCOUNT_COLUMNS: &str = "c.id, c.name, c.display_name, c.email, c.phone, c.country, c.site, c.account_type, \
    c.real_name_status, c.enterprise_role, c.accounting_mode, c.master_has_independent_members, c.registered_at_ms, \
    c.has_credit_card, c.has_credit_account, c.arrears_e8, c.consumption_e8, c.cash_expenditure_e8, \
    c.resources_in_use, c.reserved_instances, c.freeze_scope, c.freeze_cause, c.frozen_at_ms, c.bd_preregistered, \
    c.special_contract, c.professional_service_contract, c.password_hash, c.marketing_opt_out, c.services_enabled_at_ms, \
    c.version";

#[async_trait]
impl Accounts for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn account_by_email(&self, email: &Email) -> Result<Option<Account>, StoreError> {
        let row = query_as::<AccountRow>(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE lower(c.email) = lower($1) ORDER BY c.registered_at_ms LIMIT 1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account.id()))]
    async fn register_account(
        &self,
        account: &Account,
        consumes_codes_of: &Email,
        uses_link: Option<(&str, Timestamp)>,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            if let Some((token_sha256, now)) = uses_link {
                let used = query(
                    "UPDATE new_account_links SET used_at_ms = $1 \
                     WHERE token_sha256 = $2 AND used_at_ms IS NULL AND expires_at_ms > $3",
                )
                .bind(now.unix_ms())
                .bind(token_sha256)
                .bind(now.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
                if used.rows_affected() != 1 {
                    return Err(StoreError::Conflict { constraint: Constraint::NewAccountLinkUsed });
                }
            }
            insert_account(&mut tx, account).await.map_err(err)?;
            delete_codes(&mut tx, consumes_codes_of).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %link.from_account))]
    async fn insert_new_account_link(
        &self,
        link: &NewAccountLink,
        consumes_codes_of: &Email,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO new_account_links \
                 (token_sha256, from_account, from_email, created_at_ms, expires_at_ms, used_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&link.token_sha256)
            .bind(link.from_account.as_str())
            .bind(link.from_email.as_str())
            .bind(link.created_at.unix_ms())
            .bind(link.expires_at.unix_ms())
            .bind(link.used_at.map(Timestamp::unix_ms))
            .execute(&mut tx)
            .await
            .map_err(err)?;
            delete_codes(&mut tx, consumes_codes_of).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn new_account_link(&self, token_sha256: &str) -> Result<Option<NewAccountLink>, StoreError> {
        let row = query_as::<NewAccountLinkRow>(
            "SELECT token_sha256, from_account, from_email, created_at_ms, expires_at_ms, used_at_ms \
             FROM new_account_links WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(NewAccountLink::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn tenant_info(&self, account: &AccountId) -> Result<Option<TenantInfo>, StoreError> {
        let row = query_as::<TenantRow>(
            "SELECT account_id, tenant_type, full_name, qualification_name, vat_registered, address_line1, address_line2, \
             city, region, postal_code, payment_currency, industry, tax_id, updated_at_ms \
             FROM tenant_information WHERE account_id = $1",
        )
        .bind(account.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(TenantInfo::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account.id()))]
    async fn save_tenant_info(
        &self,
        account: &Account,
        info: &TenantInfo,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let at = audit.first().map_or(account.registered_at(), |e| e.at);
            let r = TenantRow::from_domain(account.id(), info, at);
            query(
                "INSERT INTO tenant_information (account_id, tenant_type, full_name, qualification_name, vat_registered, \
                 address_line1, address_line2, city, region, postal_code, payment_currency, industry, tax_id, \
                 updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (account_id) DO UPDATE SET tenant_type = excluded.tenant_type, \
                 full_name = excluded.full_name, qualification_name = excluded.qualification_name, \
                 vat_registered = excluded.vat_registered, address_line1 = excluded.address_line1, \
                 address_line2 = excluded.address_line2, city = excluded.city, region = excluded.region, \
                 postal_code = excluded.postal_code, payment_currency = excluded.payment_currency, \
                 industry = excluded.industry, tax_id = excluded.tax_id, updated_at_ms = excluded.updated_at_ms",
            )
            .bind(r.account_id)
            .bind(r.tenant_type.clone())
            .bind(r.full_name)
            .bind(r.qualification_name)
            .bind(r.vat_registered)
            .bind(r.address_line1)
            .bind(r.address_line2)
            .bind(r.city)
            .bind(r.region)
            .bind(r.postal_code)
            .bind(r.payment_currency)
            .bind(r.industry)
            .bind(r.tax_id)
            .bind(r.updated_at_ms)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            let updated = query("UPDATE accounts SET account_type = $1, version = version + 1 WHERE id = $2 AND version = $3")
                .bind(r.tenant_type)
                .bind(account.id().as_str())
                .bind(account.version())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Account) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn save_proof(&self, account: &AccountId, proof: &Proof, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO qualification_proofs (account_id, file_name, content_type, content, uploaded_at_ms) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id) DO UPDATE SET file_name = excluded.file_name, \
                 content_type = excluded.content_type, content = excluded.content, uploaded_at_ms = excluded.uploaded_at_ms",
            )
            .bind(account.as_str())
            .bind(&proof.file_name)
            .bind(&proof.content_type)
            .bind(&proof.content)
            .bind(proof.uploaded_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn proof(&self, account: &AccountId) -> Result<Option<Proof>, StoreError> {
        let row = query_as::<ProofRow>(
            "SELECT file_name, content_type, content, uploaded_at_ms FROM qualification_proofs WHERE account_id = $1",
        )
        .bind(account.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        Ok(row.map(|r| Proof {
            file_name: r.file_name,
            content_type: r.content_type,
            content: r.content,
            uploaded_at: Timestamp::from_unix_ms(r.uploaded_at_ms),
        }))
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %id))]
    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        let row = query_as::<AccountRow>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE c.id = $1"))
            .bind(id.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(ids = ids.len()))]
    async fn accounts_by_id(&self, ids: &[AccountId]) -> Result<Vec<Account>, StoreError> {
        let mut accounts = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IN_LIST_MAX) {
            let mut b = Builder::new(format!("SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE "));
            b.push_in("c.id", chunk.iter().map(AccountId::as_str));
            let rows: Vec<AccountRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for row in rows {
                accounts.push(Account::try_from(row).map_err(err)?);
            }
        }
        Ok(accounts)
    }

    #[instrument(level = "debug", skip_all)]
    async fn account_by_name(&self, name: &AccountName) -> Result<Option<Account>, StoreError> {
        let row = query_as::<AccountRow>(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts c WHERE c.name = $1"))
            .bind(name.as_str())
            .fetch_optional(&self.db)
            .await
            .map_err(err)?;
        row.map(Account::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %account.id()))]
    async fn update_account_freeze(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            update_freeze(&mut tx, account).await?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account.id()))]
    async fn update_bd_preregistration(&self, account: &Account, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let updated = query(
                "UPDATE accounts SET bd_preregistered = $1, version = version + 1 WHERE id = $2 AND version = $3",
            )
            .bind(account.bd_preregistered())
            .bind(account.id().as_str())
            .bind(account.version())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Account) });
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn identity_in_use(&self, kind: IdentityKind, value: &str) -> Result<bool, StoreError> {
        let query = match kind {
            IdentityKind::Name => query_scalar("SELECT count(*) FROM accounts WHERE lower(name) = lower($1)"),
            IdentityKind::Email => query_scalar("SELECT count(*) FROM accounts WHERE lower(email) = lower($1)"),
            IdentityKind::Mobile => query_scalar("SELECT count(*) FROM accounts WHERE phone = $1"),
        };
        let n: i64 = query.bind(value).fetch_one(&self.db).await.map_err(err)?;
        Ok(n > 0)
    }
}
