//! The use cases of Open Partner Center and the storage port they run on.
//!
//! `ops` loads through the [`store::Store`], decides with `opc_domain`, and persists the
//! decision with its audit events in one transaction. No HTTP, no SQL here.

pub mod clock;
pub mod ops;
pub mod passwords;
pub mod public_url;
pub mod secrets;
pub mod store;

pub use clock::{Clock, ManualClock, SystemClock};
pub use ops::{Context, Services};
pub use passwords::PasswordWork;
pub use public_url::PublicUrl;
pub use secrets::MasterKey;
pub use store::{Store, StoreError};
