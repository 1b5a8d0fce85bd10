//! Row records: one struct per table, decoded by both backends (`FromRow` is generic over the
//! database), and the conversions between them and the domain.

use opc_core::store::{InfoData, InfoRecord, SealedAccessKey};
use opc_domain::access_key::{AccessKey, KeyState};
use opc_domain::account::{Account, AccountName, Contracts, EnterpriseRole, Freeze};
use opc_domain::association::{Association, AssociationModel, AssociationState};
use opc_domain::audit::{Action, Actor, AuditEvent, Subject};
use opc_domain::budget::{Budget, BudgetRecord};
use opc_domain::console::{NewAccountLink, Session, SessionSubject, Staff};
use opc_domain::credential::{Certificate, CertificateKind, Source};
use opc_domain::customer::{Email, VerificationCode};
use opc_domain::development::{
    DisassociationReason, DisassociationRequest, Initiator, Invitation, InvitationChannel, InvitationToken,
    PreRegistration, PreRegistrationState, RequestState,
};
use opc_domain::goal::RevenueGoal;
use opc_domain::hcpn::{
    BusinessInfo, Contact, HcpnApplication, HcpnFiling, HcpnState, ManualReviewReason, RejectionReason,
    SensitiveRelationships,
};
use opc_domain::information::{BusinessInformation, PaymentInformation, ReviewState};
use opc_domain::notification::Notification;
use opc_domain::organization::{Member, Permission, Position, Role};
use opc_domain::partner::{Enrollment, Partner, Program, Tier};
use opc_domain::path::{DevelopmentPath, PathMembership, PathStage};
use opc_domain::personnel::{Personnel, PersonnelState, Profile};
use opc_domain::program::{Agreement, ProgramApplication, ProgramApplicationState, StoredApplication};
use opc_domain::rating::Quantity;
use opc_domain::tenant::{TenantInfo, VatStatus};
use opc_domain::text::{CountryCode, DisplayName};
use opc_domain::tier::TierChange;
use opc_domain::usage::{Cycle, Expenditure, UsageRecord};
use opc_domain::{
    AccessKeyId, AccountId, AuditEventId, MemberId, Money, NotificationId, PartnerId, RoleId, StaffId, Timestamp,
};

use crate::codes::Code;

/// A stored value that does not decode: which one, and why.
pub fn decode_error(what: &str, e: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} is invalid: {e}").into())
}

pub(crate) fn money(what: &str, e8: i64) -> Result<Money, sqlx::Error> {
    Money::from_e8(e8).map_err(|e| decode_error(what, e))
}

fn count(what: &str, n: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(n).map_err(|e| decode_error(what, e))
}

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
        let (enterprise_role, accounting_mode, master_has_independent_members) = match a.enterprise {
            EnterpriseRole::Standalone => ("standalone", None, false),
            EnterpriseRole::Master { has_independent_members } => ("master", None, has_independent_members),
            EnterpriseRole::Member { accounting } => ("member", Some(accounting.code().to_owned()), false),
        };
        AccountRow {
            id: a.id.as_str().to_owned(),
            name: a.name.as_str().to_owned(),
            display_name: a.display_name.clone(),
            email: a.email.clone(),
            phone: a.phone.clone(),
            country: a.country.as_str().to_owned(),
            site: a.site.code().to_owned(),
            account_type: a.account_type.code().to_owned(),
            real_name_status: a.real_name.code().to_owned(),
            enterprise_role: enterprise_role.to_owned(),
            accounting_mode,
            master_has_independent_members,
            registered_at_ms: a.registered_at.unix_ms(),
            has_credit_card: a.has_credit_card,
            has_credit_account: a.has_credit_account,
            arrears_e8: a.arrears.e8(),
            consumption_e8: a.consumption.e8(),
            cash_expenditure_e8: a.cash_expenditure.e8(),
            resources_in_use: i64::from(a.resources_in_use),
            reserved_instances: i64::from(a.reserved_instances),
            freeze_scope: a.freeze.map(|f| f.scope.code().to_owned()),
            freeze_cause: a.freeze.map(|f| f.cause.code().to_owned()),
            frozen_at_ms: a.freeze.map(|f| f.since.unix_ms()),
            bd_preregistered: a.bd_preregistered,
            special_contract: a.contracts.special,
            professional_service_contract: a.contracts.professional_service,
            password_hash: a.password_hash.clone(),
            marketing_opt_out: a.marketing_opt_out,
            services_enabled_at_ms: a.services_enabled_at.map(Timestamp::unix_ms),
            version: a.version,
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
        Ok(Account {
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
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PartnerRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub country: String,
    pub distributor_id: Option<String>,
    pub state: String,
    pub consumption_quota_e8: i64,
    pub created_at_ms: i64,
    pub version: i64,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EnrollmentRow {
    pub partner_id: String,
    pub program: String,
    pub tier: String,
    pub enrolled_at_ms: i64,
}

impl PartnerRow {
    pub fn from_domain(p: &Partner) -> (PartnerRow, Vec<EnrollmentRow>) {
        let row = PartnerRow {
            id: p.id.as_str().to_owned(),
            account_id: p.account_id.as_str().to_owned(),
            name: p.name.as_str().to_owned(),
            country: p.country.as_str().to_owned(),
            distributor_id: p.distributor.as_ref().map(|d| d.as_str().to_owned()),
            state: p.state.code().to_owned(),
            consumption_quota_e8: p.consumption_quota.e8(),
            created_at_ms: p.created_at.unix_ms(),
            version: p.version,
        };
        let enrollments = p
            .enrollments
            .iter()
            .map(|e| EnrollmentRow {
                partner_id: row.id.clone(),
                program: e.program.code().to_owned(),
                tier: e.tier.code().to_owned(),
                enrolled_at_ms: e.enrolled_at.unix_ms(),
            })
            .collect();
        (row, enrollments)
    }

    pub fn into_domain(self, enrollments: Vec<EnrollmentRow>) -> Result<Partner, sqlx::Error> {
        Ok(Partner {
            id: PartnerId::parse(&self.id).map_err(|e| decode_error("partner id", e))?,
            account_id: AccountId::parse(&self.account_id).map_err(|e| decode_error("account id", e))?,
            name: DisplayName::parse(&self.name).map_err(|e| decode_error("partner name", e))?,
            country: CountryCode::parse(&self.country).map_err(|e| decode_error("country", e))?,
            enrollments: enrollments
                .into_iter()
                .map(|e| {
                    Ok(Enrollment {
                        program: Code::from_code(&e.program)?,
                        tier: Code::from_code(&e.tier)?,
                        enrolled_at: Timestamp::from_unix_ms(e.enrolled_at_ms),
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
            distributor: self
                .distributor_id
                .map(|d| PartnerId::parse(&d))
                .transpose()
                .map_err(|e| decode_error("distributor id", e))?,
            state: Code::from_code(&self.state)?,
            consumption_quota: money("consumption quota", self.consumption_quota_e8)?,
            created_at: Timestamp::from_unix_ms(self.created_at_ms),
            version: self.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AssociationRow {
    pub account_manager_id: Option<String>,
    pub customer_id: String,
    pub partner_id: String,
    pub model: String,
    pub associated_at_ms: i64,
    pub state: String,
    pub disassociated_at_ms: Option<i64>,
    pub label: Option<String>,
    pub xaccount_id: Option<String>,
    pub xaccount_type: Option<String>,
    pub version: i64,
}

impl From<&Association> for AssociationRow {
    fn from(a: &Association) -> AssociationRow {
        let (state, disassociated_at_ms) = match a.state {
            AssociationState::Associated => ("associated", None),
            AssociationState::DisassociationPending => ("disassociation_pending", None),
            AssociationState::Disassociated { at } => ("disassociated", Some(at.unix_ms())),
        };
        AssociationRow {
            account_manager_id: a.account_manager.as_ref().map(|m| m.as_str().to_owned()),
            customer_id: a.customer.as_str().to_owned(),
            partner_id: a.partner.as_str().to_owned(),
            model: a.model.code().to_owned(),
            associated_at_ms: a.associated_at.unix_ms(),
            state: state.to_owned(),
            disassociated_at_ms,
            label: a.label.clone(),
            xaccount_id: a.xaccount_id.clone(),
            xaccount_type: a.xaccount_type.clone(),
            version: a.version,
        }
    }
}

impl TryFrom<AssociationRow> for Association {
    type Error = sqlx::Error;

    fn try_from(r: AssociationRow) -> Result<Association, sqlx::Error> {
        let state = match (r.state.as_str(), r.disassociated_at_ms) {
            ("associated", None) => AssociationState::Associated,
            ("disassociation_pending", None) => AssociationState::DisassociationPending,
            ("disassociated", Some(at)) => AssociationState::Disassociated { at: Timestamp::from_unix_ms(at) },
            (s, at) => return Err(decode_error("association state", format!("{s}/{at:?}"))),
        };
        Ok(Association {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            model: Code::from_code(&r.model)?,
            associated_at: Timestamp::from_unix_ms(r.associated_at_ms),
            state,
            label: r.label,
            xaccount_id: r.xaccount_id,
            xaccount_type: r.xaccount_type,
            account_manager: r
                .account_manager_id
                .map(|m| MemberId::parse(&m))
                .transpose()
                .map_err(|e| decode_error("account manager", e))?,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AccessKeyRow {
    pub id: String,
    pub partner_id: Option<String>,
    pub account_id: String,
    pub member_id: Option<String>,
    pub sealed_secret: Vec<u8>,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&SealedAccessKey> for AccessKeyRow {
    fn from(k: &SealedAccessKey) -> AccessKeyRow {
        AccessKeyRow {
            id: k.key.id.as_str().to_owned(),
            partner_id: k.key.partner.as_ref().map(|p| p.as_str().to_owned()),
            account_id: k.key.account.as_str().to_owned(),
            member_id: k.key.member.as_ref().map(|m| m.as_str().to_owned()),
            sealed_secret: k.sealed_secret.clone(),
            created_at_ms: k.key.created_at.unix_ms(),
            revoked_at_ms: revoked_at_ms(&k.key),
            version: k.key.version,
        }
    }
}

pub fn revoked_at_ms(k: &AccessKey) -> Option<i64> {
    match k.state {
        KeyState::Active => None,
        KeyState::Revoked { at } => Some(at.unix_ms()),
    }
}

impl TryFrom<AccessKeyRow> for SealedAccessKey {
    type Error = sqlx::Error;

    fn try_from(r: AccessKeyRow) -> Result<SealedAccessKey, sqlx::Error> {
        let key = AccessKey {
            id: AccessKeyId::parse(&r.id).map_err(|e| decode_error("access key id", e))?,
            partner: r
                .partner_id
                .map(|p| PartnerId::parse(&p))
                .transpose()
                .map_err(|e| decode_error("partner id", e))?,
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            member: r.member_id.map(|m| MemberId::parse(&m)).transpose().map_err(|e| decode_error("member id", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            state: match r.revoked_at_ms {
                None => KeyState::Active,
                Some(at) => KeyState::Revoked { at: Timestamp::from_unix_ms(at) },
            },
            version: r.version,
        };
        Ok(SealedAccessKey { key, sealed_secret: r.sealed_secret })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AuditRow {
    pub id: String,
    pub at_ms: i64,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_key: Option<String>,
    pub partner_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
}

/// The subject kinds an audit event may name; stored rows must use one of them.
pub const SUBJECT_KINDS: &[&str] = &[
    "partner",
    "access_key",
    "customer",
    "account",
    "staff",
    "hcpn_application",
    "program_application",
    "invitation",
    "development_path",
    "personnel",
    "member",
    "catalog",
    "usage",
    "order",
    "resource",
];

impl From<&AuditEvent> for AuditRow {
    fn from(e: &AuditEvent) -> AuditRow {
        debug_assert!(SUBJECT_KINDS.contains(&e.subject.kind), "unknown audit subject kind {:?}", e.subject.kind);
        let (actor_kind, actor_id, actor_key) = match &e.actor {
            Actor::Operator(name) => ("operator", Some(name.clone()), None),
            Actor::PartnerKey { partner, key } => {
                ("partner", Some(partner.as_str().to_owned()), Some(key.as_str().to_owned()))
            }
            Actor::Customer(account) => ("customer", Some(account.as_str().to_owned()), None),
            Actor::System => ("system", None, None),
        };
        AuditRow {
            id: e.id.as_str().to_owned(),
            at_ms: e.at.unix_ms(),
            actor_kind: actor_kind.to_owned(),
            actor_id,
            actor_key,
            partner_id: e.partner.as_ref().map(|p| p.as_str().to_owned()),
            action: e.action.as_str().to_owned(),
            subject_kind: e.subject.kind.to_owned(),
            subject_id: e.subject.id.clone(),
            before_state: e.before.clone(),
            after_state: e.after.clone(),
        }
    }
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = sqlx::Error;

    fn try_from(r: AuditRow) -> Result<AuditEvent, sqlx::Error> {
        let actor = match (r.actor_kind.as_str(), r.actor_id, r.actor_key) {
            ("operator", Some(name), None) => Actor::Operator(name),
            ("partner", Some(p), Some(k)) => Actor::PartnerKey {
                partner: PartnerId::parse(&p).map_err(|e| decode_error("actor partner", e))?,
                key: AccessKeyId::parse(&k).map_err(|e| decode_error("actor key", e))?,
            },
            ("customer", Some(a), None) => {
                Actor::Customer(AccountId::parse(&a).map_err(|e| decode_error("actor account", e))?)
            }
            ("system", None, None) => Actor::System,
            (kind, ..) => return Err(decode_error("actor", kind)),
        };
        let kind = SUBJECT_KINDS
            .iter()
            .find(|k| **k == r.subject_kind)
            .ok_or_else(|| decode_error("subject kind", &r.subject_kind))?;
        Ok(AuditEvent {
            id: AuditEventId::parse(&r.id).map_err(|e| decode_error("audit id", e))?,
            at: Timestamp::from_unix_ms(r.at_ms),
            actor,
            partner: r
                .partner_id
                .map(|p| PartnerId::parse(&p))
                .transpose()
                .map_err(|e| decode_error("partner id", e))?,
            action: Action::parse(&r.action).ok_or_else(|| decode_error("action", &r.action))?,
            subject: Subject { kind, id: r.subject_id },
            before: r.before_state,
            after: r.after_state,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BudgetRow {
    pub customer_id: String,
    pub partner_id: String,
    pub budget_type: String,
    pub amount_e8: i64,
    pub auto_freeze: Option<bool>,
    pub set_at_ms: i64,
    pub version: i64,
}

impl From<&Budget> for BudgetRow {
    fn from(b: &Budget) -> BudgetRow {
        BudgetRow {
            customer_id: b.customer.as_str().to_owned(),
            partner_id: b.partner.as_str().to_owned(),
            budget_type: b.budget_type.code().to_owned(),
            amount_e8: b.amount.e8(),
            auto_freeze: b.auto_freeze,
            set_at_ms: b.set_at.unix_ms(),
            version: b.version,
        }
    }
}

impl TryFrom<BudgetRow> for Budget {
    type Error = sqlx::Error;

    fn try_from(r: BudgetRow) -> Result<Budget, sqlx::Error> {
        Ok(Budget {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            budget_type: Code::from_code(&r.budget_type)?,
            amount: money("budget amount", r.amount_e8)?,
            auto_freeze: r.auto_freeze,
            set_at: Timestamp::from_unix_ms(r.set_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BudgetRecordRow {
    pub customer_id: String,
    pub partner_id: String,
    pub operation: String,
    pub budget_type: String,
    pub amount_e8: i64,
    pub operator: String,
    pub partner_corp_name: String,
    pub partner_account_name: String,
    pub at_ms: i64,
}

impl From<&BudgetRecord> for BudgetRecordRow {
    fn from(r: &BudgetRecord) -> BudgetRecordRow {
        BudgetRecordRow {
            customer_id: r.customer.as_str().to_owned(),
            partner_id: r.partner.as_str().to_owned(),
            operation: r.operation.code().to_owned(),
            budget_type: r.budget_type.code().to_owned(),
            amount_e8: r.amount.e8(),
            operator: r.operator.clone(),
            partner_corp_name: r.partner_corp_name.clone(),
            partner_account_name: r.partner_account_name.clone(),
            at_ms: r.at.unix_ms(),
        }
    }
}

impl TryFrom<BudgetRecordRow> for BudgetRecord {
    type Error = sqlx::Error;

    fn try_from(r: BudgetRecordRow) -> Result<BudgetRecord, sqlx::Error> {
        Ok(BudgetRecord {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            operation: Code::from_code(&r.operation)?,
            budget_type: Code::from_code(&r.budget_type)?,
            amount: money("budget amount", r.amount_e8)?,
            operator: r.operator,
            partner_corp_name: r.partner_corp_name,
            partner_account_name: r.partner_account_name,
            at: Timestamp::from_unix_ms(r.at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct VerificationCodeRow {
    pub email: String,
    pub code: String,
    pub expires_at_ms: i64,
}

impl From<&VerificationCode> for VerificationCodeRow {
    fn from(c: &VerificationCode) -> VerificationCodeRow {
        VerificationCodeRow {
            email: c.email.as_str().to_owned(),
            code: c.code.clone(),
            expires_at_ms: c.expires_at.unix_ms(),
        }
    }
}

impl TryFrom<VerificationCodeRow> for VerificationCode {
    type Error = sqlx::Error;

    fn try_from(r: VerificationCodeRow) -> Result<VerificationCode, sqlx::Error> {
        Ok(VerificationCode {
            email: Email::parse(&r.email).map_err(|e| decode_error("email", e))?,
            code: r.code,
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct RevenueGoalRow {
    pub partner_id: String,
    pub year: i64,
    pub amount_e8: i64,
    pub set_at_ms: i64,
}

impl TryFrom<RevenueGoalRow> for RevenueGoal {
    type Error = sqlx::Error;

    fn try_from(r: RevenueGoalRow) -> Result<RevenueGoal, sqlx::Error> {
        Ok(RevenueGoal {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            year: i32::try_from(r.year).map_err(|e| decode_error("year", e))?,
            amount: money("revenue goal", r.amount_e8)?,
            set_at: Timestamp::from_unix_ms(r.set_at_ms),
        })
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
pub struct NotificationRow {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
}

impl From<&Notification> for NotificationRow {
    fn from(n: &Notification) -> NotificationRow {
        NotificationRow {
            id: n.id.as_str().to_owned(),
            channel: n.channel.code().to_owned(),
            recipient: n.recipient.clone(),
            subject: n.subject.clone(),
            body: n.body.clone(),
            created_at_ms: n.created_at.unix_ms(),
        }
    }
}

impl TryFrom<NotificationRow> for Notification {
    type Error = sqlx::Error;

    fn try_from(r: NotificationRow) -> Result<Notification, sqlx::Error> {
        Ok(Notification {
            id: NotificationId::parse(&r.id).map_err(|e| decode_error("notification id", e))?,
            channel: Code::from_code(&r.channel)?,
            recipient: r.recipient,
            subject: r.subject,
            body: r.body,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at_ms: i64,
    pub version: i64,
}

impl From<&Staff> for StaffRow {
    fn from(s: &Staff) -> StaffRow {
        StaffRow {
            id: s.id.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            name: s.name.as_str().to_owned(),
            password_hash: s.password_hash.clone(),
            created_at_ms: s.created_at.unix_ms(),
            version: s.version,
        }
    }
}

impl TryFrom<StaffRow> for Staff {
    type Error = sqlx::Error;

    fn try_from(r: StaffRow) -> Result<Staff, sqlx::Error> {
        Ok(Staff {
            id: StaffId::parse(&r.id).map_err(|e| decode_error("staff id", e))?,
            email: Email::parse(&r.email).map_err(|e| decode_error("staff email", e))?,
            name: DisplayName::parse(&r.name).map_err(|e| decode_error("staff name", e))?,
            password_hash: r.password_hash,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SessionRow {
    pub token_sha256: String,
    pub account_id: Option<String>,
    pub staff_id: Option<String>,
    pub member_id: Option<String>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

impl From<&Session> for SessionRow {
    fn from(s: &Session) -> SessionRow {
        let (account_id, staff_id, member_id) = match &s.subject {
            SessionSubject::Account(a) => (Some(a.as_str().to_owned()), None, None),
            SessionSubject::Staff(st) => (None, Some(st.as_str().to_owned()), None),
            SessionSubject::Member(m) => (None, None, Some(m.as_str().to_owned())),
        };
        SessionRow {
            token_sha256: s.token_sha256.clone(),
            account_id,
            staff_id,
            member_id,
            created_at_ms: s.created_at.unix_ms(),
            expires_at_ms: s.expires_at.unix_ms(),
            revoked_at_ms: s.revoked_at.map(Timestamp::unix_ms),
        }
    }
}

impl TryFrom<SessionRow> for Session {
    type Error = sqlx::Error;

    fn try_from(r: SessionRow) -> Result<Session, sqlx::Error> {
        let subject = match (r.account_id, r.staff_id, r.member_id) {
            (Some(a), None, None) => {
                SessionSubject::Account(AccountId::parse(&a).map_err(|e| decode_error("account id", e))?)
            }
            (None, Some(s), None) => {
                SessionSubject::Staff(StaffId::parse(&s).map_err(|e| decode_error("staff id", e))?)
            }
            (None, None, Some(m)) => {
                SessionSubject::Member(MemberId::parse(&m).map_err(|e| decode_error("member id", e))?)
            }
            _ => return Err(decode_error("session subject", "not exactly one of account, staff and member")),
        };
        Ok(Session {
            token_sha256: r.token_sha256,
            subject,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            revoked_at: r.revoked_at_ms.map(Timestamp::from_unix_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct HcpnRow {
    pub applicant_id: String,
    pub company_name: String,
    pub business_country: String,
    pub address: String,
    pub website: Option<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub has_sensitive_relationship: bool,
    pub sensitive_description: Option<String>,
    pub agreement_accepted_at_ms: i64,
    pub state: String,
    pub review_reasons: Option<String>,
    pub rejection_reason: Option<String>,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

/// Manual-review reasons as stored: `;`-separated codes, a country mismatch as
/// `country_mismatch:BUSINESS:ACCOUNT`.
fn encode_reasons(reasons: &[ManualReviewReason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            ManualReviewReason::AccountFrozen => "account_frozen".to_owned(),
            ManualReviewReason::AccountInArrears => "account_in_arrears".to_owned(),
            ManualReviewReason::CountryMismatch { business, account } => {
                format!("country_mismatch:{}:{}", business.as_str(), account.as_str())
            }
            ManualReviewReason::SensitiveRelationshipFiled => "sensitive_relationship_filed".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn decode_reasons(text: &str) -> Result<Vec<ManualReviewReason>, sqlx::Error> {
    text.split(';')
        .filter(|c| !c.is_empty())
        .map(|code| match code.split(':').collect::<Vec<_>>().as_slice() {
            ["account_frozen"] => Ok(ManualReviewReason::AccountFrozen),
            ["account_in_arrears"] => Ok(ManualReviewReason::AccountInArrears),
            ["sensitive_relationship_filed"] => Ok(ManualReviewReason::SensitiveRelationshipFiled),
            ["country_mismatch", b, a] => Ok(ManualReviewReason::CountryMismatch {
                business: CountryCode::parse(b).map_err(|e| decode_error("review reason", e))?,
                account: CountryCode::parse(a).map_err(|e| decode_error("review reason", e))?,
            }),
            _ => Err(decode_error("review reason", code)),
        })
        .collect()
}

impl From<&HcpnApplication> for HcpnRow {
    fn from(a: &HcpnApplication) -> HcpnRow {
        let (state, review_reasons, rejection_reason) = match &a.state {
            HcpnState::Submitted => ("submitted", None, None),
            HcpnState::ManualReview { reasons } => ("manual_review", Some(encode_reasons(reasons)), None),
            HcpnState::Approved => ("approved", None, None),
            HcpnState::Rejected { reason } => ("rejected", None, Some(reason.as_str().to_owned())),
        };
        let f = &a.filing;
        HcpnRow {
            applicant_id: a.applicant.as_str().to_owned(),
            company_name: f.business.company_name.as_str().to_owned(),
            business_country: f.business.country.as_str().to_owned(),
            address: f.business.address.clone(),
            website: f.business.website.clone(),
            contact_name: f.contact.name.as_str().to_owned(),
            contact_email: f.contact.email.as_str().to_owned(),
            contact_phone: f.contact.phone.clone(),
            has_sensitive_relationship: f.sensitive_relationships.has_relationship,
            sensitive_description: f.sensitive_relationships.description.clone(),
            agreement_accepted_at_ms: a.agreement_accepted_at.unix_ms(),
            state: state.to_owned(),
            review_reasons,
            rejection_reason,
            submitted_at_ms: a.submitted_at.unix_ms(),
            decided_at_ms: a.decided_at.map(Timestamp::unix_ms),
            version: a.version,
        }
    }
}

impl TryFrom<HcpnRow> for HcpnApplication {
    type Error = sqlx::Error;

    fn try_from(r: HcpnRow) -> Result<HcpnApplication, sqlx::Error> {
        let state = match r.state.as_str() {
            "submitted" => HcpnState::Submitted,
            "manual_review" => {
                HcpnState::ManualReview { reasons: decode_reasons(r.review_reasons.as_deref().unwrap_or(""))? }
            }
            "approved" => HcpnState::Approved,
            "rejected" => HcpnState::Rejected {
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            other => return Err(decode_error("hcpn state", other)),
        };
        let name = |what, text: &str| DisplayName::parse(text).map_err(|e| decode_error(what, e));
        Ok(HcpnApplication {
            applicant: AccountId::parse(&r.applicant_id).map_err(|e| decode_error("applicant id", e))?,
            filing: HcpnFiling {
                business: BusinessInfo {
                    company_name: name("company name", &r.company_name)?,
                    country: CountryCode::parse(&r.business_country)
                        .map_err(|e| decode_error("business country", e))?,
                    address: r.address,
                    website: r.website,
                },
                contact: Contact {
                    name: name("contact name", &r.contact_name)?,
                    email: Email::parse(&r.contact_email).map_err(|e| decode_error("contact email", e))?,
                    phone: r.contact_phone,
                },
                sensitive_relationships: SensitiveRelationships {
                    has_relationship: r.has_sensitive_relationship,
                    description: r.sensitive_description,
                },
            },
            agreement_accepted_at: Timestamp::from_unix_ms(r.agreement_accepted_at_ms),
            state,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            decided_at: r.decided_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ProgramApplicationRow {
    pub applicant_id: String,
    pub program: String,
    pub business_area: String,
    pub state: String,
    pub rejection_reason: Option<String>,
    /// The agreements' codes, comma-separated (R-CERT-09).
    pub agreements: String,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&ProgramApplication> for ProgramApplicationRow {
    fn from(a: &ProgramApplication) -> ProgramApplicationRow {
        let (state, rejection_reason) = match a.state() {
            ProgramApplicationState::Submitted => ("submitted", None),
            ProgramApplicationState::Approved => ("approved", None),
            ProgramApplicationState::Rejected { reason } => ("rejected", Some(reason.as_str().to_owned())),
        };
        ProgramApplicationRow {
            applicant_id: a.applicant().as_str().to_owned(),
            program: a.program().code().to_owned(),
            business_area: a.business_area().as_str().to_owned(),
            state: state.to_owned(),
            rejection_reason,
            agreements: a.agreements().iter().map(|g| g.code()).collect::<Vec<_>>().join(","),
            submitted_at_ms: a.submitted_at().unix_ms(),
            decided_at_ms: a.decided_at().map(Timestamp::unix_ms),
            version: a.version(),
        }
    }
}

impl TryFrom<ProgramApplicationRow> for ProgramApplication {
    type Error = sqlx::Error;

    fn try_from(r: ProgramApplicationRow) -> Result<ProgramApplication, sqlx::Error> {
        let state = match r.state.as_str() {
            "submitted" => ProgramApplicationState::Submitted,
            "approved" => ProgramApplicationState::Approved,
            "rejected" => ProgramApplicationState::Rejected {
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            other => return Err(decode_error("program application state", other)),
        };
        Ok(ProgramApplication::from_stored(StoredApplication {
            applicant: AccountId::parse(&r.applicant_id).map_err(|e| decode_error("applicant id", e))?,
            program: Code::from_code(&r.program)?,
            business_area: CountryCode::parse(&r.business_area).map_err(|e| decode_error("business area", e))?,
            state,
            agreements: r
                .agreements
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| Agreement::parse(c).ok_or_else(|| decode_error("agreement", c)))
                .collect::<Result<_, _>>()?,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            decided_at: r.decided_at_ms.map(Timestamp::from_unix_ms),
            version: r.version,
        }))
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

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PreRegistrationRow {
    pub partner_id: String,
    pub email: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub associated_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&PreRegistration> for PreRegistrationRow {
    fn from(p: &PreRegistration) -> PreRegistrationRow {
        PreRegistrationRow {
            partner_id: p.partner.as_str().to_owned(),
            email: p.email.as_str().to_owned(),
            created_at_ms: p.created_at.unix_ms(),
            expires_at_ms: p.expires_at.unix_ms(),
            associated_at_ms: match p.state {
                PreRegistrationState::Associated { at } => Some(at.unix_ms()),
                PreRegistrationState::Active | PreRegistrationState::Expired => None,
            },
            version: p.version,
        }
    }
}

impl TryFrom<PreRegistrationRow> for PreRegistration {
    type Error = sqlx::Error;

    /// The stored state is `Associated` or `Active`; expiry is derived from the times
    /// (`PreRegistration::state_at`).
    fn try_from(r: PreRegistrationRow) -> Result<PreRegistration, sqlx::Error> {
        Ok(PreRegistration {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            email: Email::parse(&r.email).map_err(|e| decode_error("email", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            expires_at: Timestamp::from_unix_ms(r.expires_at_ms),
            state: match r.associated_at_ms {
                Some(at) => PreRegistrationState::Associated { at: Timestamp::from_unix_ms(at) },
                None => PreRegistrationState::Active,
            },
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InvitationRow {
    pub token: String,
    pub partner_id: String,
    pub model: String,
    pub channel: String,
    pub email: Option<String>,
    pub expires_at_ms: Option<i64>,
    pub created_at_ms: i64,
}

impl From<&Invitation> for InvitationRow {
    fn from(i: &Invitation) -> InvitationRow {
        let (channel, email, expires_at_ms) = match &i.channel {
            InvitationChannel::Email { to, expires_at } => {
                ("email", Some(to.as_str().to_owned()), Some(expires_at.unix_ms()))
            }
            InvitationChannel::Link => ("link", None, None),
            InvitationChannel::QrCode => ("qr_code", None, None),
        };
        InvitationRow {
            token: i.token.as_str().to_owned(),
            partner_id: i.partner.as_str().to_owned(),
            model: i.model.code().to_owned(),
            channel: channel.to_owned(),
            email,
            expires_at_ms,
            created_at_ms: i.created_at.unix_ms(),
        }
    }
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = sqlx::Error;

    fn try_from(r: InvitationRow) -> Result<Invitation, sqlx::Error> {
        let channel = match (r.channel.as_str(), r.email, r.expires_at_ms) {
            ("email", Some(to), Some(at)) => InvitationChannel::Email {
                to: Email::parse(&to).map_err(|e| decode_error("invitation email", e))?,
                expires_at: Timestamp::from_unix_ms(at),
            },
            ("link", None, None) => InvitationChannel::Link,
            ("qr_code", None, None) => InvitationChannel::QrCode,
            (c, ..) => return Err(decode_error("invitation channel", c)),
        };
        Ok(Invitation {
            token: InvitationToken::parse(&r.token).map_err(|e| decode_error("invitation token", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            model: Code::from_code(&r.model)?,
            channel,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct DisassociationRow {
    pub customer_id: String,
    pub partner_id: String,
    pub initiated_by: String,
    pub reason: String,
    pub state: String,
    pub requested_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&DisassociationRequest> for DisassociationRow {
    fn from(d: &DisassociationRequest) -> DisassociationRow {
        let (state, decided_at_ms) = match d.state {
            RequestState::Pending => ("pending", None),
            RequestState::Approved { at } => ("approved", Some(at.unix_ms())),
            RequestState::Rejected { at } => ("rejected", Some(at.unix_ms())),
        };
        DisassociationRow {
            customer_id: d.customer.as_str().to_owned(),
            partner_id: d.partner.as_str().to_owned(),
            initiated_by: match d.initiated_by {
                Initiator::Customer => "customer",
                Initiator::Partner => "partner",
            }
            .to_owned(),
            reason: d.reason.as_str().to_owned(),
            state: state.to_owned(),
            requested_at_ms: d.requested_at.unix_ms(),
            decided_at_ms,
            version: d.version,
        }
    }
}

impl TryFrom<DisassociationRow> for DisassociationRequest {
    type Error = sqlx::Error;

    fn try_from(r: DisassociationRow) -> Result<DisassociationRequest, sqlx::Error> {
        Ok(DisassociationRequest {
            customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            initiated_by: match r.initiated_by.as_str() {
                "customer" => Initiator::Customer,
                "partner" => Initiator::Partner,
                other => return Err(decode_error("initiator", other)),
            },
            reason: DisassociationReason::parse(&r.reason).map_err(|e| decode_error("reason", e))?,
            state: match (r.state.as_str(), r.decided_at_ms) {
                ("pending", None) => RequestState::Pending,
                ("approved", Some(at)) => RequestState::Approved { at: Timestamp::from_unix_ms(at) },
                ("rejected", Some(at)) => RequestState::Rejected { at: Timestamp::from_unix_ms(at) },
                (s, _) => return Err(decode_error("request state", s)),
            },
            requested_at: Timestamp::from_unix_ms(r.requested_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InformationRow {
    pub partner_id: String,
    pub kind: String,
    pub company_name: Option<String>,
    pub registration_number: Option<String>,
    pub settlement_currency: Option<String>,
    pub questionnaire_completed: Option<bool>,
    pub bank_name: Option<String>,
    pub bank_country: Option<String>,
    pub account_name: Option<String>,
    pub account_number: Option<String>,
    pub swift_code: Option<String>,
    pub tax_rate_bp: Option<i64>,
    pub state: String,
    pub rejection_reason: Option<String>,
    pub submitted_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    pub version: i64,
}

impl From<&InfoRecord> for InformationRow {
    fn from(r: &InfoRecord) -> InformationRow {
        let (state, rejection_reason, decided_at_ms) = match &r.state {
            ReviewState::Submitted => ("submitted", None, None),
            ReviewState::Approved { at } => ("approved", None, Some(at.unix_ms())),
            ReviewState::Rejected { at, reason } => ("rejected", Some(reason.as_str().to_owned()), Some(at.unix_ms())),
        };
        let mut row = InformationRow {
            partner_id: r.partner.as_str().to_owned(),
            kind: String::new(),
            company_name: None,
            registration_number: None,
            settlement_currency: None,
            questionnaire_completed: None,
            bank_name: None,
            bank_country: None,
            account_name: None,
            account_number: None,
            swift_code: None,
            tax_rate_bp: None,
            state: state.to_owned(),
            rejection_reason,
            submitted_at_ms: r.submitted_at.unix_ms(),
            decided_at_ms,
            version: r.version,
        };
        match &r.data {
            InfoData::Business(b) => {
                row.kind = "business".into();
                row.company_name = Some(b.company_name.clone());
                row.registration_number = Some(b.registration_number.clone());
                row.settlement_currency = Some(b.settlement_currency.clone());
                row.questionnaire_completed = Some(b.questionnaire_completed);
            }
            InfoData::Payment(p) => {
                row.kind = "payment".into();
                row.bank_name = Some(p.bank_name.clone());
                row.bank_country = Some(p.bank_country.clone());
                row.account_name = Some(p.account_name.clone());
                row.account_number = Some(p.account_number.clone());
                row.swift_code = Some(p.swift_code.clone());
                row.tax_rate_bp = Some(i64::from(p.tax_rate_bp));
            }
        }
        row
    }
}

impl TryFrom<InformationRow> for InfoRecord {
    type Error = sqlx::Error;

    fn try_from(r: InformationRow) -> Result<InfoRecord, sqlx::Error> {
        let need = |v: Option<String>, what: &str| v.ok_or_else(|| decode_error(what, "missing"));
        let data = match r.kind.as_str() {
            "business" => InfoData::Business(BusinessInformation {
                company_name: need(r.company_name, "company name")?,
                registration_number: need(r.registration_number, "registration number")?,
                settlement_currency: need(r.settlement_currency, "settlement currency")?,
                questionnaire_completed: r.questionnaire_completed.unwrap_or(false),
            }),
            "payment" => InfoData::Payment(PaymentInformation {
                bank_name: need(r.bank_name, "bank name")?,
                bank_country: need(r.bank_country, "bank country")?,
                account_name: need(r.account_name, "account name")?,
                account_number: need(r.account_number, "account number")?,
                swift_code: need(r.swift_code, "swift code")?,
                tax_rate_bp: u32::try_from(r.tax_rate_bp.unwrap_or(-1)).map_err(|e| decode_error("tax rate", e))?,
            }),
            other => return Err(decode_error("information kind", other)),
        };
        let state = match (r.state.as_str(), r.decided_at_ms) {
            ("submitted", None) => ReviewState::Submitted,
            ("approved", Some(at)) => ReviewState::Approved { at: Timestamp::from_unix_ms(at) },
            ("rejected", Some(at)) => ReviewState::Rejected {
                at: Timestamp::from_unix_ms(at),
                reason: RejectionReason::parse(r.rejection_reason.as_deref().unwrap_or(""))
                    .map_err(|e| decode_error("rejection reason", e))?,
            },
            (s, _) => return Err(decode_error("review state", s)),
        };
        Ok(InfoRecord {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            data,
            state,
            submitted_at: Timestamp::from_unix_ms(r.submitted_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct RoleRow {
    pub id: String,
    pub partner_id: String,
    pub name: String,
    pub permissions: String,
    pub created_at_ms: i64,
}

impl From<&Role> for RoleRow {
    fn from(r: &Role) -> RoleRow {
        RoleRow {
            id: r.id.as_str().to_owned(),
            partner_id: r.partner.as_str().to_owned(),
            name: r.name.as_str().to_owned(),
            permissions: r.permissions.iter().map(|p| p.code()).collect::<Vec<_>>().join(","),
            created_at_ms: r.created_at.unix_ms(),
        }
    }
}

impl TryFrom<RoleRow> for Role {
    type Error = sqlx::Error;

    fn try_from(r: RoleRow) -> Result<Role, sqlx::Error> {
        Ok(Role {
            id: RoleId::parse(&r.id).map_err(|e| decode_error("role id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            name: DisplayName::parse(&r.name).map_err(|e| decode_error("role name", e))?,
            permissions: r
                .permissions
                .split(',')
                .map(|c| Permission::parse(c).ok_or_else(|| decode_error("permission", c)))
                .collect::<Result<_, _>>()?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MemberRow {
    pub id: String,
    pub partner_id: String,
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub role_id: Option<String>,
    pub position: String,
    pub director_id: Option<String>,
    pub created_at_ms: i64,
    pub version: i64,
}

impl From<&Member> for MemberRow {
    fn from(m: &Member) -> MemberRow {
        MemberRow {
            id: m.id.as_str().to_owned(),
            partner_id: m.partner.as_str().to_owned(),
            name: m.name.as_str().to_owned(),
            email: m.email.as_str().to_owned(),
            password_hash: m.password_hash.clone(),
            role_id: m.role.as_ref().map(|r| r.as_str().to_owned()),
            position: match m.position {
                Position::Member => "member",
                Position::AccountManager => "account_manager",
                Position::AccountDirector => "account_director",
            }
            .to_owned(),
            director_id: m.director.as_ref().map(|d| d.as_str().to_owned()),
            created_at_ms: m.created_at.unix_ms(),
            version: m.version,
        }
    }
}

impl TryFrom<MemberRow> for Member {
    type Error = sqlx::Error;

    fn try_from(r: MemberRow) -> Result<Member, sqlx::Error> {
        Ok(Member {
            id: MemberId::parse(&r.id).map_err(|e| decode_error("member id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            name: DisplayName::parse(&r.name).map_err(|e| decode_error("member name", e))?,
            email: Email::parse(&r.email).map_err(|e| decode_error("member email", e))?,
            password_hash: r.password_hash,
            role: r.role_id.map(|x| RoleId::parse(&x)).transpose().map_err(|e| decode_error("role id", e))?,
            position: match r.position.as_str() {
                "member" => Position::Member,
                "account_manager" => Position::AccountManager,
                "account_director" => Position::AccountDirector,
                other => return Err(decode_error("position", other)),
            },
            director: r
                .director_id
                .map(|x| MemberId::parse(&x))
                .transpose()
                .map_err(|e| decode_error("director id", e))?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PathRow {
    pub account_id: String,
    pub partner_id: String,
    pub path: String,
    pub stage: String,
    pub joined_at_ms: i64,
    pub stage_since_ms: i64,
    pub version: i64,
}

impl TryFrom<PathRow> for PathMembership {
    type Error = sqlx::Error;

    fn try_from(r: PathRow) -> Result<PathMembership, sqlx::Error> {
        Ok(PathMembership {
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            path: DevelopmentPath::parse(&r.path).ok_or_else(|| decode_error("development path", &r.path))?,
            stage: PathStage::parse(&r.stage).ok_or_else(|| decode_error("path stage", &r.stage))?,
            joined_at: Timestamp::from_unix_ms(r.joined_at_ms),
            stage_since: Timestamp::from_unix_ms(r.stage_since_ms),
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TierChangeRow {
    pub partner_id: String,
    pub program: String,
    pub from_tier: String,
    pub to_tier: String,
    pub entry_path: String,
    pub decided_at_ms: i64,
    pub decided_by: String,
}

impl TryFrom<TierChangeRow> for TierChange {
    type Error = sqlx::Error;

    fn try_from(r: TierChangeRow) -> Result<TierChange, sqlx::Error> {
        Ok(TierChange {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            program: Program::from_code(&r.program)?,
            from: Tier::from_code(&r.from_tier)?,
            to: Tier::from_code(&r.to_tier)?,
            entry_path: r.entry_path,
            decided_at: Timestamp::from_unix_ms(r.decided_at_ms),
            decided_by: r.decided_by,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct PersonnelRow {
    pub partner_id: String,
    pub account_id: String,
    pub token_sha256: String,
    pub state: String,
    pub state_at_ms: i64,
    pub invited_at_ms: i64,
    pub associated_at_ms: Option<i64>,
    pub position: String,
    pub employment: String,
    pub version: i64,
}

impl From<&Personnel> for PersonnelRow {
    fn from(p: &Personnel) -> PersonnelRow {
        let (state, at) = match p.state {
            PersonnelState::Invited { expires_at } => ("invited", expires_at),
            PersonnelState::Associated { at } => ("associated", at),
            PersonnelState::Unassociated { at } => ("unassociated", at),
        };
        PersonnelRow {
            partner_id: p.partner.as_str().to_owned(),
            account_id: p.account.as_str().to_owned(),
            token_sha256: p.token_sha256.clone(),
            state: state.to_owned(),
            state_at_ms: at.unix_ms(),
            invited_at_ms: p.invited_at.unix_ms(),
            associated_at_ms: p.associated_at.map(Timestamp::unix_ms),
            position: p.profile.position.clone(),
            employment: p.profile.employment.clone(),
            version: p.version,
        }
    }
}

impl TryFrom<PersonnelRow> for Personnel {
    type Error = sqlx::Error;

    fn try_from(r: PersonnelRow) -> Result<Personnel, sqlx::Error> {
        let at = Timestamp::from_unix_ms(r.state_at_ms);
        let state = match r.state.as_str() {
            "invited" => PersonnelState::Invited { expires_at: at },
            "associated" => PersonnelState::Associated { at },
            "unassociated" => PersonnelState::Unassociated { at },
            other => return Err(decode_error("personnel state", other)),
        };
        Ok(Personnel {
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            token_sha256: r.token_sha256,
            state,
            invited_at: Timestamp::from_unix_ms(r.invited_at_ms),
            associated_at: r.associated_at_ms.map(Timestamp::from_unix_ms),
            profile: Profile { position: r.position, employment: r.employment },
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct CertificateRow {
    pub number: String,
    pub account_id: String,
    pub kind: String,
    pub source: String,
    pub bound_at_ms: i64,
}

impl TryFrom<CertificateRow> for Certificate {
    type Error = sqlx::Error;

    fn try_from(r: CertificateRow) -> Result<Certificate, sqlx::Error> {
        Ok(Certificate {
            account: AccountId::parse(&r.account_id).map_err(|e| decode_error("account id", e))?,
            kind: CertificateKind::parse(&r.kind).ok_or_else(|| decode_error("certificate kind", &r.kind))?,
            source: Source::parse(&r.source).ok_or_else(|| decode_error("certificate source", &r.source))?,
            bound_at: Timestamp::from_unix_ms(r.bound_at_ms),
            number: r.number,
        })
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UsageRow {
    pub id: String,
    pub customer_id: String,
    pub partner_id: Option<String>,
    pub model: Option<String>,
    pub resource_id: String,
    pub service_type: String,
    pub resource_type: String,
    pub resource_spec: String,
    pub region: String,
    pub usage_factor: String,
    pub usage_e8: i64,
    pub usage_measure_id: i64,
    pub amount_e8: i64,
    pub cycle: i64,
    pub ended_at_ms: i64,
}

impl TryFrom<UsageRow> for Expenditure {
    type Error = sqlx::Error;

    fn try_from(r: UsageRow) -> Result<Expenditure, sqlx::Error> {
        let partner = match (r.partner_id, r.model) {
            (Some(p), Some(m)) => Some((
                PartnerId::parse(&p).map_err(|e| decode_error("partner id", e))?,
                AssociationModel::from_code(&m)?,
            )),
            _ => None,
        };
        Ok(Expenditure {
            record: UsageRecord {
                id: r.id,
                customer: AccountId::parse(&r.customer_id).map_err(|e| decode_error("customer id", e))?,
                resource_id: r.resource_id,
                service_type: r.service_type,
                resource_type: r.resource_type,
                spec: r.resource_spec,
                region: r.region,
                usage_factor: r.usage_factor,
                usage: Quantity::from_e8(r.usage_e8).ok_or_else(|| decode_error("usage", r.usage_e8))?,
                usage_measure_id: i32::try_from(r.usage_measure_id).map_err(|e| decode_error("usage measure id", e))?,
                ended_at: Timestamp::from_unix_ms(r.ended_at_ms),
            },
            partner,
            amount: money("usage amount", r.amount_e8)?,
            cycle: Cycle(r.cycle),
        })
    }
}
