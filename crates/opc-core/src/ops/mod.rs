//! Use cases: load → decide (domain) → store, one function each. Authorization happens here,
//! so the HTTP API, the console and the CLI share it.

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod console;
pub mod customers;
pub mod development;
pub mod information;
pub mod organization;
pub mod programs;

use std::sync::Arc;

use rand::RngCore;

use crate::clock::Clock;
use crate::secrets::MasterKey;
use crate::store::Store;

/// What every use case runs against.
#[derive(Clone)]
pub struct Context {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub master_key: Arc<MasterKey>,
}

pub(crate) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}
