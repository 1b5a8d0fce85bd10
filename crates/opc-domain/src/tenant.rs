//! Tenant information (R-ACCT-06 … R-ACCT-09): the account's legal identity, and the
//! individual → enterprise conversion.

use crate::account::AccountType;
use crate::console::FieldError;
use crate::text::DisplayName;

/// R-ACCT-07 `Description`: whether the entity is registered for VAT (R-ACCT-09).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VatStatus {
    VatRegister,
    NonVatRegister,
}

/// The HUAWEI CLOUD Tenant Information of an account (R-ACCT-07). The country is the account's
/// and is not edited here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantInfo {
    pub tenant_type: AccountType,
    pub full_name: DisplayName,
    /// R-ACCT-09: must be right for tax processing.
    pub qualification_name: DisplayName,
    pub vat: VatStatus,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 4217, e.g. USD.
    pub payment_currency: String,
    pub industry: String,
    pub tax_id: Option<String>,
}

/// The form as received; every mandatory field is checked.
pub struct TenantForm<'a> {
    pub tenant_type: &'a str,
    pub full_name: &'a str,
    pub qualification_name: &'a str,
    pub description: &'a str,
    pub address_line1: &'a str,
    pub address_line2: Option<&'a str>,
    pub city: &'a str,
    pub region: &'a str,
    pub postal_code: &'a str,
    pub payment_currency: &'a str,
    pub industry: &'a str,
    pub tax_id: Option<&'a str>,
}

fn required(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError { field, reason: "is required".into() });
    }
    if value.chars().count() > max {
        return Err(FieldError { field, reason: format!("is longer than {max} characters") });
    }
    Ok(value.to_owned())
}

fn optional(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(|v| required(field, v, max)).transpose()
}

impl TenantInfo {
    /// Validates the form against the account's current type. R-ACCT-06: an individual may
    /// become an enterprise by setting the type; an enterprise does not go back (implied: the
    /// conversion is described one way only).
    pub fn from_form(form: &TenantForm<'_>, current: AccountType) -> Result<TenantInfo, FieldError> {
        let tenant_type = match form.tenant_type {
            "individual" => AccountType::Individual,
            "enterprise" => AccountType::Enterprise,
            _ => return Err(FieldError { field: "tenant_type", reason: "must be individual or enterprise".into() }),
        };
        if current == AccountType::Enterprise && tenant_type == AccountType::Individual {
            return Err(FieldError {
                field: "tenant_type",
                reason: "an enterprise account cannot become individual".into(),
            });
        }
        let name =
            |field, text: &str| DisplayName::parse(text).map_err(|e| FieldError { field, reason: e.to_string() });
        let vat = match form.description {
            "vat_register" => VatStatus::VatRegister,
            "non_vat_register" => VatStatus::NonVatRegister,
            _ => {
                return Err(FieldError {
                    field: "description",
                    reason: "must be vat_register or non_vat_register".into(),
                })
            }
        };
        let currency = required("payment_currency", form.payment_currency, 3)?;
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FieldError {
                field: "payment_currency",
                reason: "must be an ISO 4217 code such as USD".into(),
            });
        }
        Ok(TenantInfo {
            tenant_type,
            full_name: name("full_name", form.full_name)?,
            qualification_name: name("qualification_name", form.qualification_name)?,
            vat,
            address_line1: required("address_line1", form.address_line1, 256)?,
            address_line2: optional("address_line2", form.address_line2, 256)?,
            city: required("city", form.city, 128)?,
            region: required("region", form.region, 128)?,
            postal_code: required("postal_code", form.postal_code, 32)?,
            payment_currency: currency,
            industry: required("industry", form.industry, 128)?,
            tax_id: optional("tax_id", form.tax_id, 64)?,
        })
    }
}

/// R-ACCT-08: a qualification proof is a .doc, .docx, .jpg, .png, .pdf or .odt file of at most
/// 5 MB.
pub const PROOF_BYTES_MAX: usize = 5 * 1024 * 1024;
const PROOF_EXTENSIONS: [&str; 6] = ["doc", "docx", "jpg", "png", "pdf", "odt"];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("the file must be .doc, .docx, .jpg, .png, .pdf or .odt")]
    Type,
    #[error("the file is larger than 5 MB")]
    TooLarge,
    #[error("the file is empty")]
    Empty,
    #[error("the file name is missing or too long")]
    Name,
}

pub fn check_proof(file_name: &str, size: usize) -> Result<(), ProofError> {
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.contains(['/', '\\']) {
        return Err(ProofError::Name);
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).ok_or(ProofError::Type)?;
    if !PROOF_EXTENSIONS.contains(&extension.as_str()) {
        return Err(ProofError::Type);
    }
    if size == 0 {
        return Err(ProofError::Empty);
    }
    if size > PROOF_BYTES_MAX {
        return Err(ProofError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> TenantForm<'static> {
        TenantForm {
            tenant_type: "enterprise",
            full_name: "Ana Lim",
            qualification_name: "Example Cloud Pte Ltd",
            description: "vat_register",
            address_line1: "1 Example Road",
            address_line2: None,
            city: "Singapore",
            region: "Singapore",
            postal_code: "018989",
            payment_currency: "USD",
            industry: "Information technology",
            tax_id: Some("201912345K"),
        }
    }

    fn check(edit: impl FnOnce(&mut TenantForm<'static>), current: AccountType, expected: Option<&str>) {
        let mut f = form();
        edit(&mut f);
        assert_eq!(TenantInfo::from_form(&f, current).err().map(|e| e.field), expected);
    }

    #[test]
    fn r_acct_07_every_mandatory_field_is_checked() {
        check(|_| {}, AccountType::Individual, None);
        check(|f| f.tenant_type = "company", AccountType::Unset, Some("tenant_type"));
        check(|f| f.full_name = " ", AccountType::Unset, Some("full_name"));
        check(|f| f.qualification_name = "", AccountType::Unset, Some("qualification_name"));
        check(|f| f.description = "vat", AccountType::Unset, Some("description"));
        check(|f| f.address_line1 = "", AccountType::Unset, Some("address_line1"));
        check(|f| f.city = "", AccountType::Unset, Some("city"));
        check(|f| f.region = "", AccountType::Unset, Some("region"));
        check(|f| f.postal_code = "", AccountType::Unset, Some("postal_code"));
        check(|f| f.payment_currency = "usd", AccountType::Unset, Some("payment_currency"));
        check(|f| f.industry = "", AccountType::Unset, Some("industry"));
        check(
            |f| {
                f.tax_id = None;
                f.address_line2 = Some("  ")
            },
            AccountType::Unset,
            None,
        );
    }

    #[test]
    fn r_acct_06_an_individual_becomes_an_enterprise_but_not_back() {
        check(|_| {}, AccountType::Individual, None);
        check(|f| f.tenant_type = "individual", AccountType::Enterprise, Some("tenant_type"));
        check(|f| f.tenant_type = "individual", AccountType::Individual, None);
    }

    #[test]
    fn r_acct_08_proofs_are_documents_or_images_up_to_5_mb() {
        assert_eq!(check_proof("licence.PDF", 1000), Ok(()));
        for ok in ["a.doc", "a.docx", "a.jpg", "a.png", "a.odt"] {
            assert_eq!(check_proof(ok, 1), Ok(()), "{ok}");
        }
        assert_eq!(check_proof("a.exe", 1), Err(ProofError::Type));
        assert_eq!(check_proof("noextension", 1), Err(ProofError::Type));
        assert_eq!(check_proof("a.pdf", PROOF_BYTES_MAX), Ok(()));
        assert_eq!(check_proof("a.pdf", PROOF_BYTES_MAX + 1), Err(ProofError::TooLarge));
        assert_eq!(check_proof("a.pdf", 0), Err(ProofError::Empty));
        assert_eq!(check_proof("../a.pdf", 1), Err(ProofError::Name));
    }
}
