//! The enterprise multi-account room (issue 16, B1.11, B2.11): organization units, member
//! accounts, SMS codes and the enterprise-project permission.

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::account::{Account, AccountingMode, EnterpriseRole};
use opc_domain::audit::AuditEvent;
use opc_domain::enterprise::{Member, MemberStatus, Phone, SmsCode, Unit};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, Timestamp};
use tracing::instrument;

use crate::accounts::rows::AccountRow;
use crate::accounts::{insert_account, ACCOUNT_COLUMNS};
use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, Builder};
use crate::outbox::insert_notifications;
use crate::rows::{contains_pattern, decode_error};
use crate::SqlStore;

const UNIT_COLUMNS: &str = "id, master_id, parent_id, relation_id, name, created_at_ms";
const MEMBER_COLUMNS: &str =
    "m.member_id, m.master_id, m.unit_id, m.accounting, m.permissions, m.status, m.created_at_ms";

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: String,
    master_id: String,
    parent_id: Option<String>,
    relation_id: String,
    name: String,
    created_at_ms: i64,
}

impl TryFrom<UnitRow> for Unit {
    type Error = sqlx::Error;

    fn try_from(r: UnitRow) -> Result<Unit, sqlx::Error> {
        Ok(Unit {
            id: r.id,
            master: AccountId::parse(&r.master_id).map_err(|e| decode_error("master id", e))?,
            parent: r.parent_id,
            relation: r.relation_id,
            name: r.name,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    member_id: String,
    master_id: String,
    unit_id: String,
    accounting: String,
    permissions: String,
    status: i64,
    created_at_ms: i64,
}

impl TryFrom<MemberRow> for Member {
    type Error = sqlx::Error;

    fn try_from(r: MemberRow) -> Result<Member, sqlx::Error> {
        let status = match r.status {
            1 => MemberStatus::Normal,
            other => return Err(decode_error("member status", other)),
        };
        Ok(Member {
            member: AccountId::parse(&r.member_id).map_err(|e| decode_error("member id", e))?,
            master: AccountId::parse(&r.master_id).map_err(|e| decode_error("master id", e))?,
            unit: r.unit_id,
            accounting: AccountingMode::from_code(&r.accounting)?,
            permissions: serde_json::from_str(&r.permissions).map_err(|e| decode_error("permissions", e))?,
            status,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[derive(sqlx::FromRow)]
struct MemberAccountRow {
    #[sqlx(flatten)]
    member: MemberRow,
    #[sqlx(flatten)]
    account: AccountRow,
}

#[derive(sqlx::FromRow)]
struct SmsCodeRow {
    id: String,
    master_id: String,
    phone: String,
    code_hash: String,
    expires_at_ms: i64,
    created_at_ms: i64,
}

impl TryFrom<SmsCodeRow> for SmsCode {
    type Error = sqlx::Error;

    fn try_from(r: SmsCodeRow) -> Result<SmsCode, sqlx::Error> {
        Ok(SmsCode {
            id: r.id,
            master: AccountId::parse(&r.master_id).map_err(|e| decode_error("master id", e))?,
            phone: Phone::parse(&r.phone).map_err(|e| decode_error("phone", e))?,
            code: r.code_hash,
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[async_trait]
impl Enterprises for SqlStore {
    #[instrument(level = "debug", skip_all, fields(master.id = %master))]
    async fn enterprise_units(&self, master: &AccountId) -> Result<Vec<Unit>, StoreError> {
        let rows: Vec<UnitRow> = query_as(&format!(
            "SELECT {UNIT_COLUMNS} FROM enterprise_units WHERE master_id = $1 ORDER BY created_at_ms, id"
        ))
        .bind(master.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows.into_iter().map(Unit::try_from).collect::<Result<_, _>>().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(master.id = %unit.master))]
    async fn insert_enterprise_unit(&self, unit: &Unit, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let written = query(&format!(
                "INSERT INTO enterprise_units ({UNIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"
            ))
            .bind(unit.id.as_str())
            .bind(unit.master.as_str())
            .bind(unit.parent.as_deref())
            .bind(unit.relation.as_str())
            .bind(unit.name.as_str())
            .bind(unit.created_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if written.rows_affected() == 1 {
                insert_audit(&mut tx, audit).await.map_err(err)?;
            }
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(member.id = %member))]
    async fn enterprise_member(&self, member: &AccountId) -> Result<Option<Member>, StoreError> {
        let row: Option<MemberRow> =
            query_as(&format!("SELECT {MEMBER_COLUMNS} FROM enterprise_members m WHERE m.member_id = $1"))
                .bind(member.as_str())
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        row.map(Member::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(master.id = %master))]
    async fn enterprise_members(
        &self,
        master: &AccountId,
        q: &MemberQuery,
    ) -> Result<(Vec<(Member, Account)>, u64), StoreError> {
        fn filter<'q>(b: &mut Builder<'q>, master: &'q AccountId, q: &'q MemberQuery) {
            b.push(" FROM enterprise_members m JOIN accounts c ON c.id = m.member_id WHERE m.master_id = ")
                .push_bind(master.as_str());
            let mut text = |column: &str, value: &Option<String>| {
                if let Some(v) = value {
                    if q.fuzzy {
                        b.push(format!(" AND lower({column}) LIKE "))
                            .push_bind(contains_pattern(v))
                            .push(" ESCAPE '\\'");
                    } else {
                        b.push(format!(" AND {column} = ")).push_bind(v.clone());
                    }
                }
            };
            text("c.name", &q.name);
            text("c.display_name", &q.display_name);
            if let Some(unit) = &q.unit {
                b.push(" AND m.unit_id = ").push_bind(unit.as_str());
            }
        }
        let mut count = Builder::new("SELECT COUNT(*)");
        filter(&mut count, master, q);
        let total: i64 = count.build_query_scalar().fetch_one(&self.db).await.map_err(err)?;
        let mut b = Builder::new(format!("SELECT {MEMBER_COLUMNS}, {ACCOUNT_COLUMNS}"));
        filter(&mut b, master, q);
        b.push(" ORDER BY m.created_at_ms, m.member_id LIMIT ")
            .push_bind(i64::from(q.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(q.offset));
        let rows: Vec<MemberAccountRow> = b.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let members = rows
            .into_iter()
            .map(|r| Ok((Member::try_from(r.member)?, Account::try_from(r.account)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(err)?;
        Ok((members, u64::try_from(total).unwrap_or_default()))
    }

    #[instrument(level = "debug", skip_all, fields(master.id = %new.member.master, member.id = %new.member.member))]
    async fn insert_enterprise_member(&self, new: &NewMember<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let has_independent_members =
                matches!(new.master.enterprise(), EnterpriseRole::Master { has_independent_members: true });
            let updated = query(
                "UPDATE accounts SET enterprise_role = 'master', accounting_mode = NULL, \
                 master_has_independent_members = $1, version = version + 1 WHERE id = $2 AND version = $3",
            )
            .bind(has_independent_members)
            .bind(new.master.id().as_str())
            .bind(new.master.version())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::Account) });
            }
            insert_account(&mut tx, new.account).await.map_err(err)?;
            let m = new.member;
            query(
                "INSERT INTO enterprise_members (member_id, master_id, unit_id, accounting, permissions, status, \
                 created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(m.member.as_str())
            .bind(m.master.as_str())
            .bind(m.unit.as_str())
            .bind(m.accounting.code())
            .bind(serde_json::to_string(&m.permissions).expect("strings always serialize"))
            .bind(m.status.code())
            .bind(m.created_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if let Some(code) = new.uses_code {
                query("DELETE FROM enterprise_sms_codes WHERE id = $1")
                    .bind(code)
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            }
            insert_audit(&mut tx, new.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(master.id = %code.master))]
    async fn insert_sms_code(
        &self,
        code: &SmsCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            query(
                "INSERT INTO enterprise_sms_codes (id, master_id, phone, code_hash, expires_at_ms, created_at_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(code.id.as_str())
            .bind(code.master.as_str())
            .bind(code.phone.as_str())
            .bind(code.code.as_str())
            .bind(code.expires_at.unix_ms())
            .bind(code.created_at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            insert_notifications(&mut tx, std::slice::from_ref(notification)).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(master.id = %master))]
    async fn latest_sms_code(&self, master: &AccountId, phone: &str) -> Result<Option<SmsCode>, StoreError> {
        let row: Option<SmsCodeRow> = query_as(
            "SELECT id, master_id, phone, code_hash, expires_at_ms, created_at_ms FROM enterprise_sms_codes \
             WHERE master_id = $1 AND phone = $2 ORDER BY created_at_ms DESC, id DESC LIMIT 1",
        )
        .bind(master.as_str())
        .bind(phone)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(SmsCode::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(account.id = %account))]
    async fn enable_enterprise_projects(
        &self,
        account: &AccountId,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let written = query(
                "INSERT INTO enterprise_project_auths (account_id, enabled_at_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(account.as_str())
            .bind(at.unix_ms())
            .execute(&mut tx)
            .await
            .map_err(err)?;
            let new = written.rows_affected() == 1;
            if new {
                insert_audit(&mut tx, audit).await.map_err(err)?;
            }
            Ok(new)
        }
        .await;
        finish(tx, result).await
    }
}
