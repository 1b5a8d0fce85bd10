//! The real-name aggregate (issue 16, B1.10): attachments and applications with their review,
//! and the account's real-name status they set.

use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::account::RealNameStatus;
use opc_domain::audit::AuditEvent;
use opc_domain::realname::{Application, Certificate, IdDocument, Identity, LegalPerson, Review, ScanLink, Standing};
use opc_domain::{AccountId, PartnerId, Timestamp};
use serde_json::{json, Value};
use tracing::instrument;

use crate::audit::insert_audit;
use crate::codes::Code;
use crate::db::{err, finish, query, query_as, Conn};
use crate::rows::decode_error;
use crate::SqlStore;

const COLUMNS: &str = "id, customer_id, partner_id, kind, is_change, identity, files, submitted_at_ms, review, \
     reviewed_at_ms, reviewed_by, opinion, version";

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: String,
    customer_id: String,
    partner_id: String,
    kind: String,
    is_change: bool,
    identity: String,
    files: String,
    submitted_at_ms: i64,
    review: String,
    reviewed_at_ms: Option<i64>,
    reviewed_by: Option<String>,
    opinion: Option<String>,
    version: i64,
}

/// The identity's fields as stored (JSON), and its kind.
fn encode_identity(identity: &Identity) -> (&'static str, String) {
    let value = match identity {
        Identity::Individual { document, name, number } => {
            json!({"verified_type": document.code(), "name": name, "verified_number": number})
        }
        Identity::Enterprise { certificate, corp_name, number, reg_country, reg_address, legal_person } => json!({
            "certificate_type": certificate.code(), "corp_name": corp_name, "verified_number": number,
            "reg_country": reg_country, "reg_address": reg_address,
            "legal_person": legal_person.as_ref().map(|p| json!({"name": p.name, "id_number": p.id_number})),
        }),
    };
    let kind = match identity {
        Identity::Individual { .. } => "individual",
        Identity::Enterprise { .. } => "enterprise",
    };
    (kind, value.to_string())
}

fn decode_identity(kind: &str, text: &str) -> Result<Identity, sqlx::Error> {
    let v: Value = serde_json::from_str(text).map_err(|e| decode_error("real-name identity", e))?;
    let s = |key: &str| v[key].as_str().map(str::to_owned);
    let missing = |what: &str| decode_error("real-name identity", format!("no {what}"));
    match kind {
        "individual" => Ok(Identity::Individual {
            document: v["verified_type"].as_i64().and_then(IdDocument::from_code).ok_or_else(|| missing("document"))?,
            name: s("name").ok_or_else(|| missing("name"))?,
            number: s("verified_number").ok_or_else(|| missing("number"))?,
        }),
        "enterprise" => Ok(Identity::Enterprise {
            certificate: v["certificate_type"]
                .as_i64()
                .and_then(Certificate::from_code)
                .ok_or_else(|| missing("certificate"))?,
            corp_name: s("corp_name").ok_or_else(|| missing("corp_name"))?,
            number: s("verified_number").ok_or_else(|| missing("number"))?,
            reg_country: s("reg_country"),
            reg_address: s("reg_address"),
            legal_person: match &v["legal_person"] {
                Value::Null => None,
                p => Some(LegalPerson {
                    name: p["name"].as_str().ok_or_else(|| missing("legal name"))?.to_owned(),
                    id_number: p["id_number"].as_str().ok_or_else(|| missing("legal id"))?.to_owned(),
                }),
            },
        }),
        other => Err(decode_error("real-name kind", other)),
    }
}

fn review_columns(review: &Review) -> (&'static str, Option<i64>, Option<&str>, Option<&str>) {
    match review {
        Review::Pending => ("pending", None, None, None),
        Review::Approved { at, by } => ("approved", Some(at.unix_ms()), Some(by.as_str()), None),
        Review::Rejected { at, by, opinion } => {
            ("rejected", Some(at.unix_ms()), Some(by.as_str()), Some(opinion.as_str()))
        }
    }
}

impl TryFrom<ApplicationRow> for Application {
    type Error = sqlx::Error;

    fn try_from(r: ApplicationRow) -> Result<Application, sqlx::Error> {
        let at =
            || r.reviewed_at_ms.map(Timestamp::from_unix_ms).ok_or_else(|| decode_error("real-name review", "no time"));
        let by = || r.reviewed_by.clone().unwrap_or_default();
        let review = match r.review.as_str() {
            "pending" => Review::Pending,
            "approved" => Review::Approved { at: at()?, by: by() },
            "rejected" => Review::Rejected { at: at()?, by: by(), opinion: r.opinion.clone().unwrap_or_default() },
            other => return Err(decode_error("real-name review", other)),
        };
        Ok(Application {
            identity: decode_identity(&r.kind, &r.identity)?,
            files: serde_json::from_str(&r.files).map_err(|e| decode_error("real-name files", e))?,
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            change: r.is_change,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            review,
            version: r.version,
            id: r.id,
        })
    }
}

#[derive(sqlx::FromRow)]
struct FileRow {
    customer_id: String,
    name: String,
    partner_id: String,
    content_type: String,
    content: Vec<u8>,
    uploaded_at_ms: i64,
}

#[derive(sqlx::FromRow)]
struct FileInfoRow {
    name: String,
    content_type: String,
    bytes: i64,
    uploaded_at_ms: i64,
}

async fn insert_file(tx: &mut Conn, file: &Attachment) -> Result<(), StoreError> {
    query(
        "INSERT INTO realname_files (customer_id, name, partner_id, content_type, content, uploaded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(file.customer.as_str())
    .bind(file.name.as_str())
    .bind(file.partner.as_str())
    .bind(file.content_type.as_str())
    .bind(&file.content)
    .bind(file.uploaded_at.unix_ms())
    .execute(tx)
    .await
    .map_err(err)?;
    Ok(())
}

/// A new application, the account's new status and the audit.
async fn insert_application(
    tx: &mut Conn,
    application: &Application,
    status: RealNameStatus,
    audit: &[AuditEvent],
) -> Result<(), StoreError> {
    let (kind, identity) = encode_identity(&application.identity);
    let (review, at, by, opinion) = review_columns(&application.review);
    query(&format!(
        "INSERT INTO realname_applications ({COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(application.id.as_str())
    .bind(application.customer.as_str())
    .bind(application.partner.as_str())
    .bind(kind)
    .bind(application.change)
    .bind(identity)
    .bind(serde_json::to_string(&application.files).expect("strings always serialize"))
    .bind(application.submitted_at.unix_ms())
    .bind(review)
    .bind(at)
    .bind(by)
    .bind(opinion)
    .bind(application.version)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    query("UPDATE accounts SET real_name_status = $1, version = version + 1 WHERE id = $2")
        .bind(status.code())
        .bind(application.customer.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    insert_audit(tx, audit).await.map_err(err)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ScanRow {
    token_hash: String,
    customer_id: String,
    partner_id: String,
    expires_at_ms: i64,
    used_at_ms: Option<i64>,
    created_at_ms: i64,
}

impl TryFrom<ScanRow> for ScanLink {
    type Error = sqlx::Error;

    fn try_from(r: ScanRow) -> Result<ScanLink, sqlx::Error> {
        Ok(ScanLink {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            token_hash: r.token_hash,
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            used_at: r.used_at_ms.map(Timestamp::from_unix_ms),
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

fn rows_into<R, T: TryFrom<R, Error = sqlx::Error>>(rows: Vec<R>) -> Result<Vec<T>, StoreError> {
    rows.into_iter().map(T::try_from).collect::<Result<_, _>>().map_err(err)
}

#[async_trait]
impl RealNames for SqlStore {
    #[instrument(level = "debug", skip_all, fields(customer.id = %file.customer))]
    async fn insert_realname_file(&self, file: &Attachment) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = insert_file(&mut tx, file).await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn realname_file(&self, customer: &AccountId, name: &str) -> Result<Option<Attachment>, StoreError> {
        let row: Option<FileRow> = query_as(
            "SELECT customer_id, name, partner_id, content_type, content, uploaded_at_ms FROM realname_files \
             WHERE customer_id = $1 AND name = $2",
        )
        .bind(customer.as_str())
        .bind(name)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(|r| {
            Ok(Attachment {
                customer: AccountId::parse(&r.customer_id).map_err(|e| err(decode_error("customer id", e)))?,
                partner: PartnerId::parse(&r.partner_id).map_err(|e| err(decode_error("partner id", e)))?,
                name: r.name,
                content_type: r.content_type,
                content: r.content,
                uploaded_at: Timestamp::from_unix_ms(r.uploaded_at_ms),
            })
        })
        .transpose()
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn realname_files(&self, customer: &AccountId) -> Result<Vec<AttachmentInfo>, StoreError> {
        let rows: Vec<FileInfoRow> = query_as(
            "SELECT name, content_type, CAST(LENGTH(content) AS BIGINT) AS bytes, uploaded_at_ms FROM realname_files \
             WHERE customer_id = $1 ORDER BY name",
        )
        .bind(customer.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        Ok(rows
            .into_iter()
            .map(|r| AttachmentInfo {
                name: r.name,
                content_type: r.content_type,
                bytes: u64::try_from(r.bytes).unwrap_or(0),
                uploaded_at: Timestamp::from_unix_ms(r.uploaded_at_ms),
            })
            .collect())
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %application.customer))]
    async fn insert_realname_application(
        &self,
        application: &Application,
        status: RealNameStatus,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = insert_application(&mut tx, application, status, audit).await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all)]
    async fn realname_application(&self, id: &str) -> Result<Option<Application>, StoreError> {
        let row: Option<ApplicationRow> =
            query_as(&format!("SELECT {COLUMNS} FROM realname_applications WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.db)
                .await
                .map_err(err)?;
        row.map(Application::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn realname_applications(&self, customer: &AccountId) -> Result<Vec<Application>, StoreError> {
        let rows: Vec<ApplicationRow> = query_as(&format!(
            "SELECT {COLUMNS} FROM realname_applications WHERE customer_id = $1 ORDER BY submitted_at_ms DESC, id DESC"
        ))
        .bind(customer.as_str())
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all)]
    async fn pending_realname_applications(&self, limit: u32) -> Result<Vec<Application>, StoreError> {
        let rows: Vec<ApplicationRow> = query_as(&format!(
            "SELECT {COLUMNS} FROM realname_applications WHERE review = 'pending' ORDER BY submitted_at_ms, id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.db)
        .await
        .map_err(err)?;
        rows_into(rows)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %application.customer))]
    async fn review_realname(
        &self,
        application: &Application,
        standing: Standing,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let (review, at, by, opinion) = review_columns(&application.review);
            let written = query(
                "UPDATE realname_applications SET review = $1, reviewed_at_ms = $2, reviewed_by = $3, opinion = $4, \
                 version = version + 1 WHERE id = $5 AND version = $6 AND review = 'pending'",
            )
            .bind(review)
            .bind(at)
            .bind(by)
            .bind(opinion)
            .bind(application.id.as_str())
            .bind(application.version)
            .execute(&mut tx)
            .await
            .map_err(err)?;
            if written.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameApplication) });
            }
            let account = match standing.verified_as {
                Some(kind) => query(
                    "UPDATE accounts SET real_name_status = $1, account_type = $2, version = version + 1 WHERE id = $3",
                )
                .bind(standing.status.code())
                .bind(kind.code()),
                None => query("UPDATE accounts SET real_name_status = $1, version = version + 1 WHERE id = $2")
                    .bind(standing.status.code()),
            };
            account.bind(application.customer.as_str()).execute(&mut tx).await.map_err(err)?;
            insert_audit(&mut tx, audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %link.customer))]
    async fn insert_realname_scan(&self, link: &ScanLink) -> Result<(), StoreError> {
        query(
            "INSERT INTO realname_scans (token_hash, customer_id, partner_id, expires_at_ms, used_at_ms, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(link.token_hash.as_str())
        .bind(link.customer.as_str())
        .bind(link.partner.as_str())
        .bind(link.expires_at.unix_ms())
        .bind(link.used_at.map(Timestamp::unix_ms))
        .bind(link.created_at.unix_ms())
        .execute(&self.db)
        .await
        .map_err(err)?;
        Ok(())
    }

    #[instrument(level = "debug", skip_all)]
    async fn realname_scan(&self, token_hash: &str) -> Result<Option<ScanLink>, StoreError> {
        let row: Option<ScanRow> = query_as(
            "SELECT token_hash, customer_id, partner_id, expires_at_ms, used_at_ms, created_at_ms \
             FROM realname_scans WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(ScanLink::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %application.customer))]
    async fn submit_realname_scan(
        &self,
        token_hash: &str,
        files: &[Attachment],
        application: &Application,
        status: RealNameStatus,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let used = query("UPDATE realname_scans SET used_at_ms = $1 WHERE token_hash = $2 AND used_at_ms IS NULL")
                .bind(application.submitted_at.unix_ms())
                .bind(token_hash)
                .execute(&mut tx)
                .await
                .map_err(err)?;
            if used.rows_affected() != 1 {
                return Err(StoreError::Conflict { constraint: Constraint::Stale(Row::RealNameScan) });
            }
            for file in files {
                insert_file(&mut tx, file).await?;
            }
            insert_application(&mut tx, application, status, audit).await
        }
        .await;
        finish(tx, result).await
    }
}
