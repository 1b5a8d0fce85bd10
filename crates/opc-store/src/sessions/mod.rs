//! The sessions aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::audit::insert_audit;
use crate::customers::delete_codes;
use crate::db::{err, finish, in_lists, query, query_as, query_scalar, Builder};
use crate::sessions::rows::SessionRow;
use crate::sessions::rows::StaffRow;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::audit::AuditEvent;
use opc_domain::console::{Session, SessionSubject, Staff};
use opc_domain::customer::Email;
use opc_domain::notification::Language;
use opc_domain::{StaffId, Timestamp};
use tracing::instrument;

#[async_trait]
impl Sessions for SqlStore {
    #[instrument(level = "debug", skip_all)]
    async fn count_login_attempt(
        &self,
        login: &str,
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<u32, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            // The login's lock: PostgreSQL holds the upserted row to the commit; SQLite's write
            // lock already orders the attempts.
            query(
                "INSERT INTO login_attempt_locks (login) VALUES ($1) \
                 ON CONFLICT (login) DO UPDATE SET login = excluded.login",
            )
            .bind(login)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            query("DELETE FROM login_failures WHERE login = $1 AND at_ms < $2")
                .bind(login)
                .bind(since.unix_ms())
                .execute(&mut tx)
                .await
                .map_err(err)?;
            let n: i64 = query_scalar("SELECT COUNT(*) FROM login_failures WHERE login = $1")
                .bind(login)
                .fetch_one(&mut tx)
                .await
                .map_err(err)?;
            let before = u32::try_from(n).unwrap_or(u32::MAX);
            if before < max {
                query("INSERT INTO login_failures (login, at_ms) VALUES ($1, $2)")
                    .bind(login)
                    .bind(at.unix_ms())
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            }
            Ok(before)
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError> {
        query("DELETE FROM login_failures WHERE login = $1").bind(login).execute(&self.db).await.map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all)]
    async fn set_password(
        &self,
        subject: &SessionSubject,
        password_hash: &str,
        keep_session: Option<&str>,
        consumes_codes_of: Option<&Email>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let (update, id) = match subject {
                SessionSubject::Account(id) => {
                    (query("UPDATE accounts SET password_hash = $1, version = version + 1 WHERE id = $2"), id.as_str())
                }
                SessionSubject::Member(id) => (
                    query("UPDATE partner_members SET password_hash = $1, version = version + 1 WHERE id = $2"),
                    id.as_str(),
                ),
                SessionSubject::Staff(id) => {
                    (query("UPDATE staff SET password_hash = $1, version = version + 1 WHERE id = $2"), id.as_str())
                }
            };
            if update.bind(password_hash).bind(id).execute(&mut tx).await.map_err(err)?.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let revoke = match subject {
                SessionSubject::Account(_) => query(
                    "UPDATE sessions SET revoked_at_ms = $1 WHERE account_id = $2 AND revoked_at_ms IS NULL \
                     AND token_sha256 <> $3",
                ),
                SessionSubject::Member(_) => query(
                    "UPDATE sessions SET revoked_at_ms = $1 WHERE member_id = $2 AND revoked_at_ms IS NULL \
                     AND token_sha256 <> $3",
                ),
                SessionSubject::Staff(_) => query(
                    "UPDATE sessions SET revoked_at_ms = $1 WHERE staff_id = $2 AND revoked_at_ms IS NULL \
                     AND token_sha256 <> $3",
                ),
            };
            revoke.bind(at.unix_ms()).bind(id).bind(keep_session.unwrap_or("")).execute(&mut tx).await.map_err(err)?;
            if let Some(email) = consumes_codes_of {
                delete_codes(&mut tx, email).await?;
            }
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(staff.id = %staff.id))]
    async fn insert_staff(&self, staff: &Staff, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = StaffRow::from(staff);
            query(
                "INSERT INTO staff (id, email, name, password_hash, created_at_ms, version) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(r.id)
            .bind(r.email)
            .bind(r.name)
            .bind(r.password_hash)
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

    #[instrument(level = "debug", skip_all, fields(staff.id = %id))]
    async fn staff(&self, id: &StaffId) -> Result<Option<Staff>, StoreError> {
        let row = query_as::<StaffRow>(
            "SELECT id, email, name, password_hash, created_at_ms, version FROM staff WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Staff::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(ids = ids.len(), emails = emails.len()))]
    async fn staff_by_id_or_email(&self, ids: &[StaffId], emails: &[Email]) -> Result<Vec<Staff>, StoreError> {
        let mut staff: Vec<Staff> = Vec::with_capacity(ids.len() + emails.len());
        for (ids, emails) in in_lists(ids, emails) {
            let mut b = Builder::new("SELECT id, email, name, password_hash, created_at_ms, version FROM staff WHERE ");
            b.push_in("id", ids.iter().map(StaffId::as_str));
            b.push(" OR ").push_in("lower(email)", emails.iter().map(|e| e.as_str().to_lowercase()));
            let rows: Vec<StaffRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
            for row in rows {
                let s = Staff::try_from(row).map_err(err)?;
                if !staff.iter().any(|known| known.id == s.id) {
                    staff.push(s);
                }
            }
        }
        Ok(staff)
    }

    #[instrument(level = "debug", skip_all)]
    async fn staff_by_email(&self, email: &Email) -> Result<Option<Staff>, StoreError> {
        let row = query_as::<StaffRow>(
            "SELECT id, email, name, password_hash, created_at_ms, version FROM staff WHERE lower(email) = lower($1)",
        )
        .bind(email.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Staff::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn language(&self, subject: &SessionSubject) -> Result<Option<Language>, StoreError> {
        let (kind, id) = subject.kind_and_id();
        let code: Option<String> =
            query_scalar("SELECT language FROM languages WHERE subject_kind = $1 AND subject_id = $2")
                .bind(kind)
                .bind(id)
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        // A value this version does not know reads as no choice.
        Ok(code.as_deref().and_then(Language::parse))
    }

    #[instrument(level = "debug", skip_all)]
    async fn set_language(
        &self,
        subject: &SessionSubject,
        language: Language,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (kind, id) = subject.kind_and_id();
        query(
            "INSERT INTO languages (subject_kind, subject_id, language, updated_at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (subject_kind, subject_id) DO UPDATE SET language = excluded.language, \
             updated_at_ms = excluded.updated_at_ms",
        )
        .bind(kind)
        .bind(id)
        .bind(language.code())
        .bind(at.unix_ms())
        .execute(&self.db)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all)]
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError> {
        let r = SessionRow::from(session);
        query(
            "INSERT INTO sessions (token_sha256, account_id, staff_id, member_id, created_at_ms, expires_at_ms, \
             revoked_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.token_sha256)
        .bind(r.account_id)
        .bind(r.staff_id)
        .bind(r.member_id)
        .bind(r.created_at_ms)
        .bind(r.expires_at_ms)
        .bind(r.revoked_at_ms)
        .execute(&self.db)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all)]
    async fn session(&self, token_sha256: &str) -> Result<Option<Session>, StoreError> {
        let row = query_as::<SessionRow>(
            "SELECT token_sha256, account_id, staff_id, member_id, created_at_ms, expires_at_ms, revoked_at_ms \
             FROM sessions WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Session::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all)]
    async fn revoke_session(&self, token_sha256: &str, at: Timestamp) -> Result<(), StoreError> {
        query("UPDATE sessions SET revoked_at_ms = $1 WHERE token_sha256 = $2 AND revoked_at_ms IS NULL")
            .bind(at.unix_ms())
            .bind(token_sha256)
            .execute(&self.db)
            .await
            .map_err(err)?;
        Ok(())
    }
}
