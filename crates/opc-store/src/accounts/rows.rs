//! The accounts rows as stored, and their conversions to and from the domain.

use opc_domain::account::{Account, AccountName, Contracts, EnterpriseRole, Freeze, StoredAccount};
use opc_domain::console::NewAccountLink;
use opc_domain::customer::Email;
use opc_domain::tenant::{TenantInfo, VatStatus};
use opc_domain::text::{CountryCode, DisplayName};
use opc_domain::{AccountId, Timestamp};

use crate::codes::Code;
use crate::rows::{count, decode_error, money};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub country: String,
    pub site: String,
    pub account_type: String,
    pub real_name_status: String,
    pub enterprise_role: String,
    pub accounting_mode: Option<String>,
    pub master_has_independent_members: bool,
    pub registered_at_ms: i64,
    pub has_credit_card: bool,
    pub has_credit_account: bool,
    pub arrears_e8: i64,
    pub consumption_e8: i64,
    pub cash_expenditure_e8: i64,
    pub resources_in_use: i64,
    pub reserved_instances: i64,
    pub freeze_scope: Option<String>,
    pub freeze_cause: Option<String>,
    pub frozen_at_ms: Option<i64>,
    pub bd_preregistered: bool,
    pub special_contract: bool,
    pub professional_service_contract: bool,
    pub password_hash: Option<String>,
    pub marketing_opt_out: bool,
    pub services_enabled_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&Account> for AccountRow {
    fn from(a: &Account) -> AccountRow {
        let (enterprise_role, accounting_mode, master_has_independent_members) = match a.enterprise() {
            EnterpriseRole::Standalone => ("standalone", None, false),
            EnterpriseRole::Master { has_independent_members } => ("master", None, has_independent_members),
            EnterpriseRole::Member { accounting } => ("member", Some(accounting.code().to_owned()), false),
        };
        AccountRow {
            id: a.id().as_str().to_owned(),
            name: a.name().as_str().to_owned(),
            display_name: a.display_name().map(str::to_owned),
            email: a.email().map(str::to_owned),
            phone: a.phone().map(str::to_owned),
            country: a.country().as_str().to_owned(),
            site: a.site().code().to_owned(),
            account_type: a.account_type().code().to_owned(),
            real_name_status: a.real_name().code().to_owned(),
            enterprise_role: enterprise_role.to_owned(),
            accounting_mode,
            master_has_independent_members,
            registered_at_ms: a.registered_at().unix_ms(),
            has_credit_card: a.has_credit_card(),
            has_credit_account: a.has_credit_account(),
            arrears_e8: a.arrears().e8(),
            consumption_e8: a.consumption().e8(),
            cash_expenditure_e8: a.cash_expenditure().e8(),
            resources_in_use: i64::from(a.resources_in_use()),
            reserved_instances: i64::from(a.reserved_instances()),
            freeze_scope: a.freeze().map(|f| f.scope.code().to_owned()),
            freeze_cause: a.freeze().map(|f| f.cause.code().to_owned()),
            frozen_at_ms: a.freeze().map(|f| f.since.unix_ms()),
            bd_preregistered: a.bd_preregistered(),
            special_contract: a.contracts().special,
            professional_service_contract: a.contracts().professional_service,
            password_hash: a.password_hash().map(str::to_owned),
            marketing_opt_out: a.marketing_opt_out(),
            services_enabled_at_ms: a.services_enabled_at().map(Timestamp::unix_ms),
            version: a.version(),
        }
    }
}

impl TryFrom<AccountRow> for Account {
    type Error = sqlx::Error;

    fn try_from(r: AccountRow) -> Result<Account, sqlx::Error> {
        let enterprise = match (r.enterprise_role.as_str(), r.accounting_mode.as_deref()) {
            ("standalone", None) => EnterpriseRole::Standalone,
            ("master", None) => EnterpriseRole::Master { has_independent_members: r.master_has_independent_members },
            ("member", Some(mode)) => EnterpriseRole::Member { accounting: Code::from_code(mode)? },
            (role, mode) => return Err(decode_error("enterprise role", format!("{role}/{mode:?}"))),
        };
        let freeze = match (r.freeze_scope.as_deref(), r.freeze_cause.as_deref(), r.frozen_at_ms) {
            (None, None, None) => None,
            (Some(scope), Some(cause), Some(at)) => Some(Freeze {
                scope: Code::from_code(scope)?,
                cause: Code::from_code(cause)?,
                since: Timestamp::from_unix_ms(at),
            }),
            _ => return Err(decode_error("freeze", "partially set")),
        };
        Ok(Account::from_stored(StoredAccount {
            id: AccountId::parse(&r.id).map_err(|e| decode_error("account id", e))?,
            name: AccountName::parse(&r.name).map_err(|e| decode_error("account name", e))?,
            display_name: r.display_name,
            email: r.email,
            phone: r.phone,
            country: CountryCode::parse(&r.country).map_err(|e| decode_error("country", e))?,
            site: Code::from_code(&r.site)?,
            account_type: Code::from_code(&r.account_type)?,
            real_name: Code::from_code(&r.real_name_status)?,
            enterprise,
            registered_at: Timestamp::from_unix_ms(r.registered_at_ms),
            has_credit_card: r.has_credit_card,
            has_credit_account: r.has_credit_account,
            arrears: money("arrears", r.arrears_e8)?,
            consumption: money("consumption", r.consumption_e8)?,
            cash_expenditure: money("cash expenditure", r.cash_expenditure_e8)?,
            resources_in_use: count("resources in use", r.resources_in_use)?,
            reserved_instances: count("reserved instances", r.reserved_instances)?,
            freeze,
            bd_preregistered: r.bd_preregistered,
            contracts: Contracts { special: r.special_contract, professional_service: r.professional_service_contract },
            password_hash: r.password_hash,
            marketing_opt_out: r.marketing_opt_out,
            services_enabled_at: r.services_enabled_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
        }))
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct NewAccountLinkRow {
    pub token_sha256: String,
    pub from_account: String,
    pub from_email: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
}

impl TryFrom<NewAccountLinkRow> for NewAccountLink {
    type Error = sqlx::Error;

    fn try_from(r: NewAccountLinkRow) -> Result<NewAccountLink, sqlx::Error> {
        Ok(NewAccountLink {
            token_sha256: r.token_sha256,
            from_account: AccountId::parse(&r.from_account).map_err(|e| decode_error("account id", e))?,
            from_email: Email::parse(&r.from_email).map_err(|e| decode_error("email", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            used_at: r.used_at_ms.map(Timestamp::from_unix_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TenantRow {
    pub account_id: String,
    pub tenant_type: String,
    pub full_name: String,
    pub qualification_name: String,
    pub vat_registered: bool,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub payment_currency: String,
    pub industry: String,
    pub tax_id: Option<String>,
    pub updated_at_ms: i64,
}

impl TenantRow {
    pub fn from_domain(account: &AccountId, t: &TenantInfo, at: Timestamp) -> TenantRow {
        TenantRow {
            account_id: account.as_str().to_owned(),
            tenant_type: t.tenant_type.code().to_owned(),
            full_name: t.full_name.as_str().to_owned(),
            qualification_name: t.qualification_name.as_str().to_owned(),
            vat_registered: t.vat == VatStatus::VatRegister,
            address_line1: t.address_line1.clone(),
            address_line2: t.address_line2.clone(),
            city: t.city.clone(),
            region: t.region.clone(),
            postal_code: t.postal_code.clone(),
            payment_currency: t.payment_currency.clone(),
            industry: t.industry.clone(),
            tax_id: t.tax_id.clone(),
            updated_at_ms: at.unix_ms(),
        }
    }
}

impl TryFrom<TenantRow> for TenantInfo {
    type Error = sqlx::Error;

    fn try_from(r: TenantRow) -> Result<TenantInfo, sqlx::Error> {
        let name = |what, text: &str| DisplayName::parse(text).map_err(|e| decode_error(what, e));
        Ok(TenantInfo {
            tenant_type: Code::from_code(&r.tenant_type)?,
            full_name: name("full name", &r.full_name)?,
            qualification_name: name("qualification name", &r.qualification_name)?,
            vat: if r.vat_registered { VatStatus::VatRegister } else { VatStatus::NonVatRegister },
            address_line1: r.address_line1,
            address_line2: r.address_line2,
            city: r.city,
            region: r.region,
            postal_code: r.postal_code,
            payment_currency: r.payment_currency,
            industry: r.industry,
            tax_id: r.tax_id,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProofRow {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub uploaded_at_ms: i64,
}
