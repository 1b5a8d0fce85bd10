//! The master key against the database (issue 17, first run): the secrets a database holds
//! open only with the key they were sealed with, so a server started with another key (another
//! data folder, a mistyped `OPC_MASTER_KEY`) must stop at start, not on the first secret read.

use crate::secrets::MasterKey;
use crate::store::Store;
use crate::StoreError;

/// Why a key does not fit the database.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyMismatch {
    /// The database recorded another key's check value.
    #[error("the database's secrets were sealed with another master key")]
    Differs,
    /// The database has no check value yet (written before it was kept), and its first access
    /// key's secret does not open with this key.
    #[error("the database's access keys do not open with this master key")]
    OpensNoSecret,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether the database holds anything sealed with a master key: then a new key must not be
/// generated for it.
pub async fn database_is_sealed(store: &dyn Store) -> Result<bool, StoreError> {
    Ok(store.master_key_check().await?.is_some() || store.first_sealed_access_key().await?.is_some())
}

/// Checks `key` against the database, and records its check value there when none is (trying
/// first an existing sealed secret, for a database written before the value was kept).
pub async fn verify(store: &dyn Store, key: &MasterKey) -> Result<(), MasterKeyMismatch> {
    let check = key.check_value();
    if store.master_key_check().await?.is_none() {
        if let Some(sealed) = store.first_sealed_access_key().await? {
            key.open(&sealed.sealed_secret, sealed.key.id()).map_err(|_| MasterKeyMismatch::OpensNoSecret)?;
        }
    }
    if store.record_master_key_check(&check).await? != check {
        return Err(MasterKeyMismatch::Differs);
    }
    Ok(())
}
