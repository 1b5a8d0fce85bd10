use async_trait::async_trait;
use opc_domain::account::Account;
use opc_domain::association::{Association, AssociationModel};
use opc_domain::audit::AuditEvent;
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::notification::Notification;
use opc_domain::{AccountId, MemberId, PartnerId, Timestamp};

use super::*;

/// A partner's customer as `list_sub_customers` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerView {
    pub account: Account,
    pub association: Association,
}

/// Filters of `list_sub_customers`. Text filters are case-insensitive substring matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    pub account_name: Option<String>,
    pub customer: Option<String>,
    pub label: Option<String>,
    pub model: Option<AssociationModel>,
    pub associated_from: Option<Timestamp>,
    pub associated_to: Option<Timestamp>,
    pub customer_id: Option<AccountId>,
    /// R-ORG-19: only customers whose account manager is one of these.
    pub account_managers: Option<Vec<MemberId>>,
    /// Only customers whose account is frozen for one of these causes.
    pub freeze_causes: Option<Vec<opc_domain::account::FreezeCause>>,
    pub offset: u32,
    pub limit: u32,
}

/// A new customer with everything written with it.
pub struct NewCustomer<'a> {
    pub account: &'a Account,
    pub association: &'a Association,
    /// The verification codes of this email are used up by the registration.
    pub consumes_codes_of: Option<&'a Email>,
    pub notifications: &'a [Notification],
    pub audit: &'a [AuditEvent],
}

#[async_trait]
pub trait Customers: Send + Sync + 'static {
    /// The customer's current association, if it has one.
    async fn association_of(&self, customer: &AccountId) -> Result<Option<Association>, StoreError>;
    /// The customer's association with the partner that was current at `at`: the latest one
    /// begun at or before it, whatever its state now (association records, R-ASSOC-28).
    async fn association_at(
        &self,
        customer: &AccountId,
        partner: &PartnerId,
        at: Timestamp,
    ) -> Result<Option<Association>, StoreError>;

    /// Inserts a customer account together with its association with a partner.
    async fn insert_customer(
        &self,
        account: &Account,
        association: &Association,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.register_customer(&NewCustomer {
            account,
            association,
            consumes_codes_of: None,
            notifications: &[],
            audit,
        })
        .await
    }
    /// Inserts a new customer, uses up its verification codes and queues its notifications.
    async fn register_customer(&self, customer: &NewCustomer<'_>) -> Result<(), StoreError>;
    /// The partner's current customer with this id, if it is one.
    async fn customer_of(&self, partner: &PartnerId, customer: &AccountId) -> Result<Option<CustomerView>, StoreError>;

    /// Stores a verification code and queues the email that carries it.
    async fn insert_verification_code(
        &self,
        code: &VerificationCode,
        notification: &Notification,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// The newest code sent to this email.
    async fn latest_verification_code(&self, email: &Email) -> Result<Option<VerificationCode>, StoreError>;
    /// The partner's current (not disassociated) customers matching `query`, and how many match
    /// in all.
    async fn customers_of(
        &self,
        partner: &PartnerId,
        query: &CustomerQuery,
    ) -> Result<(Vec<CustomerView>, u64), StoreError>;
}
