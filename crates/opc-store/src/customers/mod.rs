//! The customers aggregate: its queries and its part of the port.

pub(crate) mod rows;

use crate::accounts::insert_account;
use crate::accounts::rows::AccountRow;
use crate::accounts::ACCOUNT_COLUMNS;
use crate::audit::insert_audit;
use crate::codes::Code;
use crate::customers::rows::AssociationRow;
use crate::customers::rows::VerificationCodeRow;
use crate::db::{err, finish, query, query_as, Builder, Conn, Db};
use crate::outbox::insert_notifications;
use crate::SqlStore;
use async_trait::async_trait;
use opc_core::store::*;
use opc_core::StoreError;
use opc_domain::association::Association;
use opc_domain::audit::AuditEvent;
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, PartnerId, Timestamp};
use tracing::instrument;

/// Uses up every verification code of the email (compared case-insensitively).
pub(crate) async fn delete_codes(tx: &mut Conn, email: &Email) -> Result<(), StoreError> {
    query("DELETE FROM verification_codes WHERE lower(email) = lower($1)")
        .bind(email.as_str())
        .execute(&mut *tx)
        .await
        .map_err(err)?;
    Ok(())
}

/// Inserts an association; `authorized_at` records the Customer Authorization Letter.
pub(crate) async fn insert_association(
    tx: &mut Conn,
    association: &Association,
    authorized_at: Option<Timestamp>,
) -> Result<(), sqlx::Error> {
    let r = AssociationRow::from(association);
    query(
        "INSERT INTO associations (customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, \
         label, xaccount_id, xaccount_type, version, authorized_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(r.customer_id)
    .bind(r.partner_id)
    .bind(r.model)
    .bind(r.associated_at_ms)
    .bind(r.state)
    .bind(r.disassociated_at_ms)
    .bind(r.label)
    .bind(r.xaccount_id)
    .bind(r.xaccount_type)
    .bind(r.version)
    .bind(authorized_at.map(Timestamp::unix_ms))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) const ASSOCIATION_COLUMNS: &str = "a.customer_id, a.partner_id, a.model, a.associated_at_ms, a.state, \
    a.disassociated_at_ms, a.label, a.xaccount_id, a.xaccount_type, a.account_manager_id, \
    a.version AS association_version";

/// A row of the customers query: the account's columns and the association's.
#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    #[sqlx(flatten)]
    account: AccountRow,
    customer_id: String,
    partner_id: String,
    model: String,
    associated_at_ms: i64,
    state: String,
    disassociated_at_ms: Option<i64>,
    label: Option<String>,
    xaccount_id: Option<String>,
    xaccount_type: Option<String>,
    account_manager_id: Option<String>,
    association_version: i64,
}

impl TryFrom<CustomerRow> for CustomerView {
    type Error = sqlx::Error;

    fn try_from(r: CustomerRow) -> Result<CustomerView, sqlx::Error> {
        let association = AssociationRow {
            account_manager_id: r.account_manager_id,
            customer_id: r.customer_id,
            partner_id: r.partner_id,
            model: r.model,
            associated_at_ms: r.associated_at_ms,
            state: r.state,
            disassociated_at_ms: r.disassociated_at_ms,
            label: r.label,
            xaccount_id: r.xaccount_id,
            xaccount_type: r.xaccount_type,
            version: r.association_version,
        };
        Ok(CustomerView { account: r.account.try_into()?, association: association.try_into()? })
    }
}

/// The `FROM … WHERE` of a partner's current customers. The accounts are joined only when a
/// filter reads them, so that counting and paging walk the `associations_partner_current`
/// index alone.
/// A row of a customer page, with the total of the list it is a page of.
#[derive(sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    customer: CustomerRow,
    total: i64,
}

/// Whether a customer query asks for every current customer of its partner (only paging).
fn unfiltered(q: &CustomerQuery) -> bool {
    let empty = |t: &Option<String>| t.as_deref().is_none_or(str::is_empty);
    empty(&q.account_name)
        && empty(&q.customer)
        && empty(&q.label)
        && q.model.is_none()
        && q.associated_from.is_none()
        && q.associated_to.is_none()
        && q.customer_id.is_none()
        && q.account_managers.is_none()
        && q.freeze_causes.is_none()
}

pub(crate) fn push_customer_filters<'a>(db: &Db, b: &mut Builder<'a>, partner: &'a PartnerId, q: &'a CustomerQuery) {
    let by_account = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.is_empty());
    if by_account(&q.account_name) || by_account(&q.customer) || q.freeze_causes.is_some() {
        b.push(" FROM associations a JOIN accounts c ON c.id = a.customer_id");
    } else {
        b.push(" FROM associations a");
    }
    // The stored association codes this SQL names: customers::rows::association_state_code.
    b.push(" WHERE a.state <> 'disassociated'");
    db.push_partner_condition(b, partner.as_str(), q.account_name.as_deref().filter(|t| !t.is_empty()));
    let like = |b: &mut Builder<'a>, column: &str, text: &Option<String>| {
        if let Some(text) = text.as_deref().filter(|t| !t.is_empty()) {
            b.push(format!(" AND lower({column}) LIKE "));
            b.push_bind(crate::rows::contains_pattern(text));
            b.push(" ESCAPE '\\'");
        }
    };
    like(b, "c.name", &q.account_name);
    like(b, "c.display_name", &q.customer);
    like(b, "a.label", &q.label);
    if let Some(model) = q.model {
        b.push(" AND a.model = ").push_bind(model.code());
    }
    if let Some(from) = q.associated_from {
        b.push(" AND a.associated_at_ms >= ").push_bind(from.unix_ms());
    }
    if let Some(to) = q.associated_to {
        b.push(" AND a.associated_at_ms <= ").push_bind(to.unix_ms());
    }
    if let Some(id) = &q.customer_id {
        b.push(" AND a.customer_id = ").push_bind(id.as_str());
    }
    if let Some(causes) = &q.freeze_causes {
        // An empty list sees nothing.
        b.push(" AND c.freeze_cause IN (NULL");
        for cause in causes {
            b.push(", ").push_bind(cause.code());
        }
        b.push(")");
    }
    if let Some(managers) = &q.account_managers {
        // An empty list sees nothing.
        b.push(" AND a.account_manager_id IN (NULL");
        for m in managers {
            b.push(", ").push_bind(m.as_str());
        }
        b.push(")");
    }
}

#[async_trait]
impl Customers for SqlStore {
    #[instrument(level = "debug", skip_all, fields(customer.id = %customer))]
    async fn association_of(&self, customer: &AccountId) -> Result<Option<Association>, StoreError> {
        // The stored association codes this SQL names: customers::rows::association_state_code.
        let row = query_as::<AssociationRow>(
            "SELECT customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, label, xaccount_id, \
             xaccount_type, account_manager_id, version FROM associations WHERE customer_id = $1 AND state <> 'disassociated'",
        )
        .bind(customer.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Association::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %customer, partner.id = %partner))]
    async fn association_at(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        at: Timestamp,
    ) -> Result<Option<Association>, StoreError> {
        let row = query_as::<AssociationRow>(
            "SELECT customer_id, partner_id, model, associated_at_ms, state, disassociated_at_ms, label, xaccount_id, \
             xaccount_type, account_manager_id, version FROM associations \
             WHERE customer_id = $1 AND partner_id = $2 AND associated_at_ms <= $3 \
             ORDER BY associated_at_ms DESC LIMIT 1",
        )
        .bind(customer.as_str())
        .bind(partner.as_str())
        .bind(at.unix_ms())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(Association::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(customer.id = %c.account.id(), partner.id = %c.association.partner()))]
    async fn register_customer(&self, c: &NewCustomer<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            insert_account(&mut tx, c.account).await.map_err(err)?;
            insert_association(&mut tx, c.association, None).await.map_err(err)?;
            if let Some(email) = c.consumes_codes_of {
                query("DELETE FROM verification_codes WHERE lower(email) = lower($1)")
                    .bind(email.as_str())
                    .execute(&mut tx)
                    .await
                    .map_err(err)?;
            }
            insert_notifications(&mut tx, c.notifications).await.map_err(err)?;
            insert_audit(&mut tx, c.audit).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner, customer.id = %customer))]
    async fn customer_of(&self, partner: &PartnerId, customer: &AccountId) -> Result<Option<CustomerView>, StoreError> {
        let query = CustomerQuery { customer_id: Some(customer.clone()), limit: 1, ..CustomerQuery::default() };
        let (mut views, _) = self.customers_of(partner, &query).await?;
        Ok(views.pop())
    }

    #[instrument(level = "debug", skip_all)]
    async fn insert_verification_code(
        &self,
        code: &VerificationCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin_write().await?;
        let result = async {
            let r = VerificationCodeRow::from(code);
            query("INSERT INTO verification_codes (email, code, expires_at_ms) VALUES ($1, $2, $3)")
                .bind(r.email)
                .bind(r.code)
                .bind(r.expires_at_ms)
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

    #[instrument(level = "debug", skip_all)]
    async fn latest_verification_code(&self, email: &Email) -> Result<Option<VerificationCode>, StoreError> {
        let row = query_as::<VerificationCodeRow>(
            "SELECT email, code, expires_at_ms FROM verification_codes WHERE lower(email) = lower($1) \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(email.as_str())
        .fetch_optional(&self.db)
        .await
        .map_err(err)?;
        row.map(VerificationCode::try_from).transpose().map_err(err)
    }

    #[instrument(level = "debug", skip_all, fields(partner.id = %partner))]
    async fn customers_of(
        &self,
        partner: &PartnerId,
        query: &CustomerQuery,
    ) -> Result<(Vec<CustomerView>, u64), StoreError> {
        // One statement, consistent without a transaction: the page's ids first, from the index
        // alone (a deferred join: rows skipped by the offset are never joined), then their
        // columns; newest first, both keys descending so the index is read backwards, without a
        // sort. Beside each row, the total: for every current customer, the running count the
        // associations' triggers keep (one row, however many); with filters, a count over the
        // matching rows.
        let unfiltered = unfiltered(query);
        let mut page = Builder::new(format!(
            "SELECT {ACCOUNT_COLUMNS}, {ASSOCIATION_COLUMNS}, p.total FROM (SELECT a.customer_id AS page_id, "
        ));
        if unfiltered {
            page.push("COALESCE((SELECT customers FROM partner_customer_counts WHERE partner_id = ")
                .push_bind(partner.as_str())
                .push("), 0) AS total");
        } else {
            page.push("count(*) OVER () AS total");
        }
        push_customer_filters(&self.db, &mut page, partner, query);
        page.push(" ORDER BY a.associated_at_ms DESC, a.customer_id DESC LIMIT ")
            .push_bind(i64::from(query.limit))
            .push(" OFFSET ")
            .push_bind(i64::from(query.offset))
            .push(
                ") p JOIN associations a ON a.customer_id = p.page_id AND a.state <> 'disassociated' \
                 JOIN accounts c ON c.id = a.customer_id ORDER BY a.associated_at_ms DESC, a.customer_id DESC",
            );
        let rows: Vec<PageRow> = page.build_query_as().fetch_all(&self.db).await.map_err(err)?;
        let total = match rows.first() {
            Some(row) => row.total,
            // A page past the end says nothing of the total: count apart.
            None if query.offset > 0 => {
                let mut count = Builder::new("SELECT count(*)");
                push_customer_filters(&self.db, &mut count, partner, query);
                count.build_query_scalar().fetch_one(&self.db).await.map_err(err)?
            }
            None => 0,
        };
        let views =
            rows.into_iter().map(|r| CustomerView::try_from(r.customer)).collect::<Result<_, _>>().map_err(err)?;
        Ok((views, u64::try_from(total).unwrap_or(0)))
    }
}
