//! A person's own certificates (R-ORG-14 … R-ORG-17): bound to one HUAWEI ID at a time, shared
//! with the partner the ID is associated with, uploaded by the person (HCIA, HCIP, HCIE) or
//! synchronized from the Developer Institute (Cloud Migration), moved by unbinding and binding.

use crate::ids::AccountId;
use crate::time::Timestamp;

/// The kinds of certificate a person holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CertificateKind {
    Hcia,
    Hcip,
    Hcie,
    /// R-ORG-15: synchronized once the Developer Institute certification is complete; never
    /// uploaded.
    CloudMigration,
}

impl CertificateKind {
    pub const ALL: [CertificateKind; 4] =
        [CertificateKind::Hcia, CertificateKind::Hcip, CertificateKind::Hcie, CertificateKind::CloudMigration];

    /// R-ORG-15, R-ORG-16: HCIX certificates are uploaded by hand; Cloud Migration ones are not.
    pub fn uploadable(self) -> bool {
        match self {
            CertificateKind::Hcia | CertificateKind::Hcip | CertificateKind::Hcie => true,
            CertificateKind::CloudMigration => false,
        }
    }
}

/// How a certificate came to be bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// R-ORG-16: uploaded by the person.
    Uploaded,
    /// R-ORG-15: synchronized from the Developer Institute.
    Synchronized,
}

impl Source {
    pub const ALL: [Source; 2] = [Source::Uploaded, Source::Synchronized];
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("invalid certificate number: {0}")]
    Number(&'static str),
    /// R-ORG-15.
    #[error("Cloud Migration certificates are synchronized from the Developer Institute once certified; they cannot be uploaded (R-ORG-15)")]
    NotUploadable,
}

/// The longest certificate number.
pub const NUMBER_MAX: usize = 64;

/// A certificate bound to a HUAWEI ID. Its number identifies it: bound to one account at a time
/// (R-ORG-17), so moving it is unbinding it here and binding it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub number: String,
    pub kind: CertificateKind,
    pub account: AccountId,
    pub source: Source,
    pub bound_at: Timestamp,
}

impl Certificate {
    /// Binds the certificate `number` of `kind` to `account`. Uploads refuse Cloud Migration
    /// certificates (R-ORG-15); the Developer Institute's synchronization binds any kind.
    pub fn bind(
        number: &str,
        kind: CertificateKind,
        account: AccountId,
        source: Source,
        now: Timestamp,
    ) -> Result<Certificate, CredentialError> {
        let number = number.trim();
        if number.is_empty() {
            return Err(CredentialError::Number("it is empty"));
        }
        if number.chars().count() > NUMBER_MAX || !number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(CredentialError::Number("at most 64 letters, digits and hyphens"));
        }
        if source == Source::Uploaded && !kind.uploadable() {
            return Err(CredentialError::NotUploadable);
        }
        Ok(Certificate { number: number.to_ascii_uppercase(), kind, account, source, bound_at: now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountId {
        AccountId::from_random([5; 16])
    }

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1_772_352_000_000)
    }

    #[test]
    fn r_org_16_hcix_certificates_are_uploaded_by_hand() {
        for kind in [CertificateKind::Hcia, CertificateKind::Hcip, CertificateKind::Hcie] {
            let c = Certificate::bind(" hcip-2024-001 ", kind, account(), Source::Uploaded, now()).unwrap();
            assert_eq!((c.number.as_str(), c.kind), ("HCIP-2024-001", kind));
        }
    }

    #[test]
    fn r_org_15_cloud_migration_certificates_are_synchronized_never_uploaded() {
        let upload = Certificate::bind("CM-1", CertificateKind::CloudMigration, account(), Source::Uploaded, now());
        assert_eq!(upload, Err(CredentialError::NotUploadable));
        let synced =
            Certificate::bind("CM-1", CertificateKind::CloudMigration, account(), Source::Synchronized, now()).unwrap();
        assert_eq!(synced.source, Source::Synchronized);
    }

    #[test]
    fn certificate_numbers_are_checked() {
        for bad in ["", "  ", "HC IP", "HCIP/1", &"9".repeat(65)] {
            assert!(
                Certificate::bind(bad, CertificateKind::Hcia, account(), Source::Uploaded, now()).is_err(),
                "{bad:?}"
            );
        }
    }
}
