//! Applied migrations are never edited: sqlx refuses to open a database whose applied
//! migration's checksum changed. This pins every migration's checksum, so that moving or
//! touching a file fails here instead of at a customer's start-up.

use sha2::{Digest, Sha256};

fn fingerprints(migrator: &sqlx::migrate::Migrator) -> String {
    let mut out = String::new();
    for m in migrator.iter() {
        out.push_str(&format!("{} {}\n", m.version, hex::encode(Sha256::digest(&m.checksum))));
    }
    out
}

#[test]
fn applied_migrations_keep_their_checksums() {
    let sqlite = fingerprints(&sqlx::migrate!("./migrations/sqlite"));
    let postgres = fingerprints(&sqlx::migrate!("./migrations/postgres"));
    let expected = include_str!("migrations.txt");
    let actual = format!("[sqlite]\n{sqlite}[postgres]\n{postgres}");
    if std::env::var_os("OPC_BLESS_MIGRATIONS").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/migrations.txt"), &actual).unwrap();
        return;
    }
    // A new migration is appended with OPC_BLESS_MIGRATIONS=1; an existing line must never change.
    assert_eq!(actual, expected, "a migration changed or is missing; new ones: run with OPC_BLESS_MIGRATIONS=1");
}
