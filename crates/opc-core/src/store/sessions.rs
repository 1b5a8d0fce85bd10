use async_trait::async_trait;
use opc_domain::audit::AuditEvent;
use opc_domain::console::{Session, SessionSubject, Staff};
use opc_domain::customer::Email;
use opc_domain::notification::Language;
use opc_domain::{StaffId, Timestamp};

use super::*;

#[async_trait]
pub trait Sessions: Send + Sync + 'static {
    async fn insert_staff(&self, staff: &Staff, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn staff(&self, id: &StaffId) -> Result<Option<Staff>, StoreError>;
    /// The staff with one of `ids` or one of `emails` (case-insensitive), in one read (unknown
    /// ones are left out; no order): the names a page of ids is shown by.
    async fn staff_by_id_or_email(&self, ids: &[StaffId], emails: &[Email]) -> Result<Vec<Staff>, StoreError>;
    async fn staff_by_email(&self, email: &Email) -> Result<Option<Staff>, StoreError>;
    async fn insert_session(&self, session: &Session) -> Result<(), StoreError>;
    /// Counts a sign-in attempt of `login` (lower-cased) before its password is checked, in one
    /// transaction that holds the login's lock, so concurrent attempts are counted one after the
    /// other: drops the failures older than `since`, then, if fewer than `max` remain, records
    /// this attempt as a failure at `at` (a success clears it with the others). Returns how many
    /// failures stood before it; `max` or more means nothing was recorded.
    async fn count_login_attempt(
        &self,
        login: &str,
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<u32, StoreError>;
    /// Forgets the failures of `login` (after a successful sign-in).
    async fn clear_login_failures(&self, login: &str) -> Result<(), StoreError>;
    /// Sets the password of an account, member or staff member, signs out every session of it
    /// but `keep_session` (a token hash), and uses up the codes of `consumes_codes_of`.
    async fn set_password(
        &self,
        subject: &SessionSubject,
        password_hash: &str,
        keep_session: Option<&str>,
        consumes_codes_of: Option<&Email>,
        at: Timestamp,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn session(&self, token_sha256: &str) -> Result<Option<Session>, StoreError>;
    /// The language the person chose in the console, if it chose one (issue 17).
    async fn language(&self, subject: &SessionSubject) -> Result<Option<Language>, StoreError>;
    /// Keeps the language the person chose, replacing an earlier choice.
    async fn set_language(&self, subject: &SessionSubject, language: Language, at: Timestamp)
        -> Result<(), StoreError>;
    async fn revoke_session(&self, token_sha256: &str, at: Timestamp) -> Result<(), StoreError>;
}
