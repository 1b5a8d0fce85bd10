//! The HCPN application form as a request carries it, parsed into the domain's form: the
//! console API reads it as JSON, the web console builds it from its posted fields.

use opc_domain::customer::Email;
use opc_domain::hcpn::{BusinessInfo, Contact, HcpnForm, SensitiveRelationships};
use opc_domain::text::{CountryCode, DisplayName};
use serde::Deserialize;

use crate::error::ApiError;

#[derive(Deserialize)]
pub(crate) struct BusinessIn {
    pub(crate) company_name: String,
    pub(crate) country: String,
    pub(crate) address: String,
    pub(crate) website: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ContactIn {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) phone: String,
}

#[derive(Deserialize)]
pub(crate) struct SensitiveIn {
    pub(crate) has_relationship: bool,
    pub(crate) description: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct HcpnIn {
    pub(crate) business: Option<BusinessIn>,
    pub(crate) contact: Option<ContactIn>,
    pub(crate) sensitive_relationships: Option<SensitiveIn>,
    pub(crate) agreement_accepted: Option<bool>,
}

pub(crate) fn form(input: HcpnIn) -> Result<HcpnForm, ApiError> {
    let business = input
        .business
        .map(|b| {
            Ok::<_, ApiError>(BusinessInfo {
                company_name: DisplayName::parse(&b.company_name)
                    .map_err(|e| ApiError::invalid("business.company_name", e))?,
                country: CountryCode::parse(&b.country).map_err(|e| ApiError::invalid("business.country", e))?,
                address: b.address,
                website: b.website,
            })
        })
        .transpose()?;
    let contact = input
        .contact
        .map(|c| {
            Ok::<_, ApiError>(Contact {
                name: DisplayName::parse(&c.name).map_err(|e| ApiError::invalid("contact.name", e))?,
                email: Email::parse(&c.email).map_err(|e| ApiError::invalid("contact.email", e))?,
                phone: c.phone,
            })
        })
        .transpose()?;
    Ok(HcpnForm {
        business,
        contact,
        sensitive_relationships: input
            .sensitive_relationships
            .map(|s| SensitiveRelationships { has_relationship: s.has_relationship, description: s.description }),
        agreement_accepted: input.agreement_accepted.unwrap_or(false),
    })
}
