//! Enterprise multi-account (issue 16; BSS B1.11, B2.11): an enterprise's **master** account
//! keeps an organization of units, creates **member** accounts in them, and moves funds between
//! its own cash balance and its members'.
//!
//! The seeds name the facts (R-ACCT-20: master/member role and unified or independent
//! accounting) and what they bar (R-PROG-14, R-PROG-35, R-ASSOC-06, R-ASSOC-09, R-ASSOC-10 with
//! A-02), but not how the structure is built. The readings here (docs/enterprise.md):
//!
//! - *EMA-1, who may be a master.* An enterprise account whose real-name authentication is
//!   verified, that is not itself a member. Its organization's root unit is created with its
//!   first use.
//! - *EMA-2, a new member.* Created by its master in one of the master's units, for the same
//!   legal entity (association type 1, the only one documented): an enterprise account, verified
//!   through its master, on the master's site and country, with its own login name and password
//!   (the rules of `create_sub_customer`) and a phone — its own, proven by an SMS code the
//!   master had sent to it, or the master's.
//! - *EMA-3, accounting.* With financial custody (1) the member is in unified accounting: its
//!   master pays for it, and it holds the default permissions `READ_FINANCE_INFO`,
//!   `READ_CONSUME_BILL`, `SHARE-BIZ-DISCOUNT-TO-SUB` whatever was asked. Without it (0, the
//!   default) the member accounts independently with the permissions asked for.
//! - *EMA-4, A-02 kept true.* A master associated with a partner in the reseller model cannot
//!   take an independent-accounting member: R-ASSOC-10 (004's reading) bars that master from
//!   the reseller model, so the structure may not grow into it afterwards.
//! - *EMA-5, funds.* The master moves cash from its balance to an independent member's and takes
//!   back what the member has left — never more than the balance it comes from, amounts of more
//!   than 0 with at most 2 decimals (the rules of [`funds::transfer`]). A unified member holds
//!   no funds of its own: its master pays for it. Credit accounts are not kept here: a query for
//!   them finds none, a movement on one is refused.
//! - *EMA-7, coupons.* The master gives part of its own coupons to its unified-accounting
//!   members and takes back what they have left ([`crate::coupon::member`]). An independent
//!   member pays its own bills, which no coupon here pays, so it gets none.
//! - *EMA-6, SMS codes.* Six digits, valid 10 minutes by default (`timeout` minutes otherwise,
//!   at most 60), stored as a keyed hash, used up by the member they created.
//!
//! [`funds::transfer`]: crate::funds::transfer

use crate::account::{Account, AccountName, AccountType, AccountingMode, EnterpriseRole, RealNameStatus};
use crate::association::AssociationModel;
use crate::ids::{AccountId, PartnerId};
use crate::text::TextError;
use crate::time::{Millis, Timestamp};

/// Why an enterprise multi-account action is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnterpriseError {
    /// EMA-1.
    #[error("only an enterprise account with verified real-name authentication can manage members")]
    NotVerifiedEnterprise,
    /// EMA-1: a member cannot be a master.
    #[error("an enterprise member account cannot manage members")]
    IsMember,
    #[error("{0} is not a unit of this enterprise's organization")]
    UnknownUnit(String),
    #[error("{0} is not a member of this enterprise")]
    NotMember(String),
    /// EMA-4 (A-02, R-ASSOC-10).
    #[error("a master associated with a partner in the reseller model cannot take an independent-accounting member")]
    ResellerMaster,
    /// EMA-5.
    #[error("a unified-accounting member holds no funds of its own: its master pays for it")]
    UnifiedMember,
    /// EMA-7.
    #[error("an independent-accounting member pays its own bills, which no coupon here pays: coupons go to unified-accounting members")]
    IndependentMember,
    /// EMA-2.
    #[error("the SMS verification code is wrong or has expired")]
    Code,
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

fn invalid(field: &'static str, reason: impl std::fmt::Display) -> EnterpriseError {
    EnterpriseError::Invalid { field, reason: reason.to_string() }
}

/// EMA-1: whether `account` may act as an enterprise master.
pub fn check_master(account: &Account) -> Result<(), EnterpriseError> {
    if matches!(account.enterprise(), EnterpriseRole::Member { .. }) {
        return Err(EnterpriseError::IsMember);
    }
    if account.account_type() != AccountType::Enterprise || account.real_name() != RealNameStatus::Verified {
        return Err(EnterpriseError::NotVerifiedEnterprise);
    }
    Ok(())
}

/// A unit of an enterprise's organization. The root has no parent; its id, like every unit's,
/// is digits only (B2.11.4: a `parent_id` is "pure digits").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub master: AccountId,
    pub parent: Option<String>,
    /// The entity relation's id (`relation_id`).
    pub relation: String,
    pub name: String,
    pub created_at: Timestamp,
}

impl Unit {
    /// The root unit of `master`'s organization, named after the enterprise.
    pub fn root(master: &Account, id: u64, relation: String, now: Timestamp) -> Unit {
        Unit {
            id: id.to_string(),
            master: master.id().clone(),
            parent: None,
            relation,
            name: master.display_name().unwrap_or_default().to_owned(),
            created_at: now,
        }
    }

    /// A unit under `parent`, named `name` (1 to 64 characters, trimmed).
    pub fn child(
        parent: &Unit,
        id: u64,
        relation: String,
        name: &str,
        now: Timestamp,
    ) -> Result<Unit, EnterpriseError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(invalid("name", "must be 1 to 64 characters"));
        }
        Ok(Unit {
            id: id.to_string(),
            master: parent.master.clone(),
            parent: Some(parent.id.clone()),
            relation,
            name: name.to_owned(),
            created_at: now,
        })
    }
}

/// A node of the organization as B2.11.4 answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub unit: Unit,
    /// Filled only for a recursive query.
    pub children: Vec<Node>,
}

/// B2.11.4: the children of `start` (the root when `None`); with `recursive`, each with its own
/// children, all the way down. Units are in the order given (the store's: by creation).
pub fn children_of(units: &[Unit], start: &str, recursive: bool) -> Vec<Node> {
    units
        .iter()
        .filter(|u| u.parent.as_deref() == Some(start))
        .map(|u| Node {
            unit: u.clone(),
            children: if recursive { children_of(units, &u.id, true) } else { Vec::new() },
        })
        .collect()
}

/// The member permissions a financial-custody member holds (EMA-3).
pub const CUSTODY_PERMISSIONS: [&str; 3] = ["READ_FINANCE_INFO", "READ_CONSUME_BILL", "SHARE-BIZ-DISCOUNT-TO-SUB"];

/// B2.11.2 `permission_ids`: at most this many.
pub const MAX_PERMISSIONS: usize = 20;

/// A member's status (`status_subaccount`). Members are created whole, so they are normal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberStatus {
    Normal,
}

impl MemberStatus {
    pub fn code(self) -> i64 {
        match self {
            MemberStatus::Normal => 1,
        }
    }
}

/// A member account in its master's organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub member: AccountId,
    pub master: AccountId,
    pub unit: String,
    pub accounting: AccountingMode,
    pub permissions: Vec<String>,
    pub status: MemberStatus,
    pub created_at: Timestamp,
}

/// The phone a new member gets (B2.11.2 `mobile_phone`, `use_pri_mobile_phone`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberPhone {
    /// The master's phone.
    Masters,
    /// Its own, with the SMS code sent to it.
    Own { phone: Phone, code: String },
}

/// What the master asks for a new member (B2.11.2), checked by [`new_member`].
#[derive(Clone, PartialEq, Eq)]
pub struct MemberRequest {
    pub name: AccountName,
    pub display_name: Option<String>,
    pub unit: String,
    pub custody: bool,
    pub permissions: Vec<String>,
    pub phone: MemberPhone,
}

impl std::fmt::Debug for MemberRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberRequest")
            .field("name", &self.name)
            .field("unit", &self.unit)
            .field("custody", &self.custody)
            .finish_non_exhaustive()
    }
}

/// B2.11.2 `permission_ids`: upper-case letters, digits, `_` and `-`, 1 to 64 characters each,
/// at most [`MAX_PERMISSIONS`]; repeats dropped, order kept.
pub fn permissions(ids: &[String]) -> Result<Vec<String>, EnterpriseError> {
    if ids.len() > MAX_PERMISSIONS {
        return Err(invalid("permission_ids", format_args!("at most {MAX_PERMISSIONS}")));
    }
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !ok {
            return Err(invalid("permission_ids", format_args!("{id:?} is not a permission id")));
        }
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// A mobile phone number: digits, optionally after `+` or with `-` between groups, 5 to 20
/// characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, TextError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(TextError::Empty);
        }
        let len = t.chars().count();
        if len < 5 {
            return Err(TextError::TooShort { min: 5 });
        }
        if len > 20 {
            return Err(TextError::TooLong { max: 20 });
        }
        let body = t.strip_prefix('+').unwrap_or(t);
        let digits = body.bytes().filter(u8::is_ascii_digit).count();
        if digits < 5 || !body.bytes().all(|b| b.is_ascii_digit() || b == b'-') || body.starts_with('-') {
            return Err(TextError::BadCharacters);
        }
        Ok(Phone(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// EMA-6: an SMS verification code a master sent to a phone, for a member's creation. As
/// stored, `code` is the digits' keyed hash; the digits themselves are only in the message.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsCode {
    pub id: String,
    pub master: AccountId,
    pub phone: Phone,
    pub code: String,
    pub expires_at: Timestamp,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsCode")
            .field("id", &self.id)
            .field("master", &self.master)
            .field("phone", &self.phone)
            .field("code", &crate::redact::REDACTED)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl SmsCode {
    /// B2.11.9 `timeout`: 10 minutes by default, 1 to 60 otherwise.
    pub fn lifetime(timeout_minutes: Option<i64>) -> Result<Millis, EnterpriseError> {
        match timeout_minutes {
            None => Ok(Millis::minutes(10)),
            Some(m @ 1..=60) => Ok(Millis::minutes(m)),
            Some(_) => Err(invalid("timeout", "must be 1 to 60 minutes")),
        }
    }

    /// Six decimal digits from caller-supplied randomness, in clear (for the message).
    pub fn new(id: String, master: AccountId, phone: Phone, random: u32, now: Timestamp, lifetime: Millis) -> SmsCode {
        let code = format!("{:06}", random % 1_000_000);
        SmsCode { id, master, phone, code, expires_at: now.plus(lifetime), created_at: now }
    }

    /// The code as it is stored: its digits replaced by their keyed hash, bound to the phone.
    pub fn hashed(&self, key: &[u8]) -> SmsCode {
        SmsCode { code: crate::customer::code_hash(key, self.phone.as_str(), &self.code), ..self.clone() }
    }

    /// Whether this stored (hashed) code accepts `digits` at `now`.
    pub fn accepts_hashed(&self, key: &[u8], digits: &str, now: Timestamp) -> bool {
        let hash = crate::customer::code_hash(key, self.phone.as_str(), digits);
        now < self.expires_at && subtle::ConstantTimeEq::ct_eq(self.code.as_bytes(), hash.as_bytes()).into()
    }
}

/// EMA-2, EMA-3, EMA-4: the member account and its place, and the master's role after it.
/// `unit` is the master's unit the request names (looked up by the caller); `reseller_master`
/// whether the master is associated with a partner in the reseller model; `code_ok` whether the
/// SMS code checks out (asked only when the member has its own phone). The account's password
/// hash is set by the caller once the password has been checked
/// ([`crate::customer::check_password`]).
pub fn new_member(
    master: &Account,
    reseller_master: bool,
    unit: Option<&Unit>,
    request: &MemberRequest,
    id: AccountId,
    code_ok: impl FnOnce(&Phone, &str) -> bool,
    now: Timestamp,
) -> Result<(Account, Member, EnterpriseRole), EnterpriseError> {
    check_master(master)?;
    let unit = unit
        .filter(|u| &u.master == master.id() && u.id == request.unit)
        .ok_or_else(|| EnterpriseError::UnknownUnit(request.unit.clone()))?;
    let accounting = if request.custody { AccountingMode::Unified } else { AccountingMode::Independent };
    if accounting == AccountingMode::Independent && reseller_master {
        return Err(EnterpriseError::ResellerMaster);
    }
    let phone = match &request.phone {
        MemberPhone::Masters => master.phone().map(str::to_owned),
        MemberPhone::Own { phone, code } => {
            if !code_ok(phone, code) {
                return Err(EnterpriseError::Code);
            }
            Some(phone.as_str().to_owned())
        }
    };
    if let Some(d) = &request.display_name {
        if d.chars().count() > 64 {
            return Err(invalid("display_name", "at most 64 characters"));
        }
    }
    let mut account = Account::new_registered(id, request.name.clone(), master.country().clone(), now);
    account.become_member(master, accounting, request.display_name.clone(), phone);
    let permissions = if request.custody {
        CUSTODY_PERMISSIONS.iter().map(|p| (*p).to_owned()).collect()
    } else {
        request.permissions.clone()
    };
    let member = Member {
        member: account.id().clone(),
        master: master.id().clone(),
        unit: unit.id.clone(),
        accounting,
        permissions,
        status: MemberStatus::Normal,
        created_at: now,
    };
    let has_independent = match master.enterprise() {
        EnterpriseRole::Master { has_independent_members } => has_independent_members,
        _ => false,
    };
    let role = EnterpriseRole::Master {
        has_independent_members: has_independent || accounting == AccountingMode::Independent,
    };
    Ok((account, member, role))
}

/// EMA-5: whether funds may move between a master and this member: it must be the master's,
/// and account independently.
pub fn check_funds_member(master: &AccountId, member: Option<&Member>, id: &str) -> Result<(), EnterpriseError> {
    let member = member.filter(|m| &m.master == master).ok_or_else(|| EnterpriseError::NotMember(id.to_owned()))?;
    if member.accounting == AccountingMode::Unified {
        return Err(EnterpriseError::UnifiedMember);
    }
    Ok(())
}

/// EMA-7: whether coupons may move between a master and this member: it must be the master's,
/// and account with it (its spend reaches the bill the master's coupons pay).
pub fn check_coupon_member(master: &AccountId, member: Option<&Member>, id: &str) -> Result<(), EnterpriseError> {
    let member = member.filter(|m| &m.master == master).ok_or_else(|| EnterpriseError::NotMember(id.to_owned()))?;
    if member.accounting == AccountingMode::Independent {
        return Err(EnterpriseError::IndependentMember);
    }
    Ok(())
}

/// EMA-3: whose spend a customer's usage is — the partner and model it is rated under. Its own
/// association's; or, for a unified-accounting member without one, its master's when the
/// master is in the reseller model: the master pays for the member, and that partner pays for
/// the master (R-RCM-07), so the member's spend reaches the partner's bill (where the coupons
/// the master gave it pay, EMA-7). A referral master pays its own bills, so its member's spend
/// is attributed to no partner. (R-BILL-16's case, a member leaving a partner of its own,
/// follows: from then on its usage is its master's side's.)
pub fn spend_partner(
    own: Option<(PartnerId, AssociationModel)>,
    unified_master: Option<(PartnerId, AssociationModel)>,
) -> Option<(PartnerId, AssociationModel)> {
    own.or(unified_master.filter(|(_, model)| *model == AssociationModel::Reseller))
}

/// B2.11.3, B2.11.8, B2.11.10, B2.11.11 `balance_type`: the debit (cash) account, or a credit
/// account, which is not kept here (EMA-5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BalanceType {
    Debit,
    Credit,
}

impl BalanceType {
    pub fn parse(text: &str) -> Option<BalanceType> {
        match text {
            "BALANCE_TYPE_DEBIT" => Some(BalanceType::Debit),
            "BALANCE_TYPE_CREDIT" => Some(BalanceType::Credit),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Account, StoredAccount};
    use crate::text::CountryCode;

    fn now() -> Timestamp {
        Timestamp::from_utc(2026, 12, 6, 10, 0, 0).unwrap()
    }

    fn enterprise(change: impl FnOnce(&mut StoredAccount)) -> Account {
        let mut a = Account::new_registered(
            AccountId::parse("master1").unwrap(),
            AccountName::parse("acme-master").unwrap(),
            CountryCode::parse("CN").unwrap(),
            now(),
        );
        a.edit(|s| {
            s.account_type = AccountType::Enterprise;
            s.real_name = RealNameStatus::Verified;
            s.display_name = Some("Acme Ltd".into());
            s.phone = Some("13800000000".into());
            change(s);
        });
        a
    }

    fn root(master: &Account) -> Unit {
        Unit::root(master, 1001, "r1".into(), now())
    }

    fn request(custody: bool, phone: MemberPhone) -> MemberRequest {
        MemberRequest {
            name: AccountName::parse("acme-dev").unwrap(),
            display_name: Some("Acme development".into()),
            unit: "1001".into(),
            custody,
            permissions: vec!["READ_CONSUME_BILL".into()],
            phone,
        }
    }

    fn member_id() -> AccountId {
        AccountId::parse("member1").unwrap()
    }

    #[test]
    fn ema_1_only_a_verified_enterprise_that_is_no_member_may_be_a_master() {
        assert_eq!(check_master(&enterprise(|_| {})), Ok(()));
        let individual = enterprise(|s| s.account_type = AccountType::Individual);
        assert_eq!(check_master(&individual), Err(EnterpriseError::NotVerifiedEnterprise));
        let unverified = enterprise(|s| s.real_name = RealNameStatus::UnderReview);
        assert_eq!(check_master(&unverified), Err(EnterpriseError::NotVerifiedEnterprise));
        let member = enterprise(|s| s.enterprise = EnterpriseRole::Member { accounting: AccountingMode::Unified });
        assert_eq!(check_master(&member), Err(EnterpriseError::IsMember));
    }

    #[test]
    fn ema_2_ema_3_a_custody_member_is_unified_with_the_default_permissions_and_the_masters_phone() {
        let master = enterprise(|_| {});
        let unit = root(&master);
        let (account, member, role) = new_member(
            &master,
            false,
            Some(&unit),
            &request(true, MemberPhone::Masters),
            member_id(),
            |_, _| false,
            now(),
        )
        .unwrap();
        assert_eq!(account.enterprise(), EnterpriseRole::Member { accounting: AccountingMode::Unified });
        assert_eq!((account.account_type(), account.real_name()), (AccountType::Enterprise, RealNameStatus::Verified));
        assert_eq!(account.phone(), Some("13800000000"));
        assert_eq!(account.display_name(), Some("Acme development"));
        assert_eq!(account.country(), master.country());
        assert_eq!(member.permissions, CUSTODY_PERMISSIONS.map(String::from).to_vec());
        assert_eq!((member.master.as_str(), member.unit.as_str()), ("master1", "1001"));
        assert_eq!(role, EnterpriseRole::Master { has_independent_members: false });
    }

    #[test]
    fn ema_2_an_own_phone_needs_its_sms_code_and_the_unit_must_be_the_masters() {
        let master = enterprise(|_| {});
        let unit = root(&master);
        let phone = Phone::parse("13900000000").unwrap();
        let own = request(false, MemberPhone::Own { phone: phone.clone(), code: "123456".into() });
        let wrong = new_member(&master, false, Some(&unit), &own, member_id(), |_, c| c == "654321", now());
        assert_eq!(wrong.unwrap_err(), EnterpriseError::Code);
        let (account, member, role) =
            new_member(&master, false, Some(&unit), &own, member_id(), |p, c| p == &phone && c == "123456", now())
                .unwrap();
        assert_eq!(account.phone(), Some("13900000000"));
        assert_eq!(member.accounting, AccountingMode::Independent);
        assert_eq!(member.permissions, vec!["READ_CONSUME_BILL".to_owned()]);
        assert_eq!(role, EnterpriseRole::Master { has_independent_members: true });

        let other_master = enterprise(|s| s.id = AccountId::parse("master2").unwrap());
        let foreign = root(&other_master);
        let refused = new_member(&master, false, Some(&foreign), &own, member_id(), |_, _| true, now());
        assert_eq!(refused.unwrap_err(), EnterpriseError::UnknownUnit("1001".into()));
        let none = new_member(&master, false, None, &own, member_id(), |_, _| true, now());
        assert_eq!(none.unwrap_err(), EnterpriseError::UnknownUnit("1001".into()));
    }

    #[test]
    fn ema_4_a_reseller_master_takes_unified_members_only_a_02() {
        let master = enterprise(|_| {});
        let unit = root(&master);
        let independent = request(false, MemberPhone::Masters);
        let refused = new_member(&master, true, Some(&unit), &independent, member_id(), |_, _| true, now());
        assert_eq!(refused.unwrap_err(), EnterpriseError::ResellerMaster);
        let unified = request(true, MemberPhone::Masters);
        assert!(new_member(&master, true, Some(&unit), &unified, member_id(), |_, _| true, now()).is_ok());
    }

    #[test]
    fn ema_4_a_master_keeps_having_independent_members() {
        let master = enterprise(|s| s.enterprise = EnterpriseRole::Master { has_independent_members: true });
        let unit = root(&master);
        let (_, _, role) = new_member(
            &master,
            false,
            Some(&unit),
            &request(true, MemberPhone::Masters),
            member_id(),
            |_, _| true,
            now(),
        )
        .unwrap();
        assert_eq!(role, EnterpriseRole::Master { has_independent_members: true });
    }

    #[test]
    fn ema_5_funds_move_only_with_the_masters_independent_members() {
        let master = AccountId::parse("master1").unwrap();
        let member = |accounting, of: &str| Member {
            member: member_id(),
            master: AccountId::parse(of).unwrap(),
            unit: "1001".into(),
            accounting,
            permissions: vec![],
            status: MemberStatus::Normal,
            created_at: now(),
        };
        assert_eq!(
            check_funds_member(&master, Some(&member(AccountingMode::Independent, "master1")), "member1"),
            Ok(())
        );
        assert_eq!(
            check_funds_member(&master, Some(&member(AccountingMode::Unified, "master1")), "member1"),
            Err(EnterpriseError::UnifiedMember)
        );
        assert_eq!(
            check_funds_member(&master, Some(&member(AccountingMode::Independent, "master2")), "member1"),
            Err(EnterpriseError::NotMember("member1".into()))
        );
        assert_eq!(check_funds_member(&master, None, "x"), Err(EnterpriseError::NotMember("x".into())));
        // EMA-7: coupons go the other way round: to unified members only.
        assert_eq!(check_coupon_member(&master, Some(&member(AccountingMode::Unified, "master1")), "m"), Ok(()));
        assert_eq!(
            check_coupon_member(&master, Some(&member(AccountingMode::Independent, "master1")), "m"),
            Err(EnterpriseError::IndependentMember)
        );
        assert_eq!(
            check_coupon_member(&master, Some(&member(AccountingMode::Unified, "master2")), "m"),
            Err(EnterpriseError::NotMember("m".into()))
        );
    }

    #[test]
    fn ema_3_a_unified_members_spend_is_its_reseller_masters_partners() {
        let p = |n: u8| PartnerId::from_random([n; 16]);
        let (reseller, referral) = ((p(1), AssociationModel::Reseller), (p(1), AssociationModel::Referral));
        assert_eq!(spend_partner(None, Some(reseller.clone())), Some(reseller.clone()));
        assert_eq!(spend_partner(None, Some(referral)), None, "a referral master pays its own bills");
        assert_eq!(spend_partner(None, None), None);
        let own = (p(2), AssociationModel::Referral);
        assert_eq!(spend_partner(Some(own.clone()), Some(reseller)), Some(own), "its own association first");
    }

    #[test]
    fn the_organization_is_read_one_level_or_all_the_way_down_b2_11_4() {
        let master = enterprise(|_| {});
        let r = root(&master);
        let a = Unit::child(&r, 2, "ra".into(), "Sales", now()).unwrap();
        let b = Unit::child(&r, 3, "rb".into(), "R&D", now()).unwrap();
        let a1 = Unit::child(&a, 4, "ra1".into(), "Sales east", now()).unwrap();
        let units = vec![r.clone(), a.clone(), b.clone(), a1.clone()];
        let flat = children_of(&units, &r.id, false);
        assert_eq!(flat.iter().map(|n| n.unit.name.as_str()).collect::<Vec<_>>(), ["Sales", "R&D"]);
        assert!(flat.iter().all(|n| n.children.is_empty()));
        let deep = children_of(&units, &r.id, true);
        assert_eq!(deep[0].children[0].unit.name, "Sales east");
        assert_eq!(children_of(&units, &a.id, false)[0].unit.id, "4");
        assert!(Unit::child(&r, 5, "x".into(), "  ", now()).is_err());
    }

    #[test]
    fn ema_6_an_sms_code_is_stored_hashed_and_accepted_until_it_expires() {
        let phone = Phone::parse("13900000000").unwrap();
        let lifetime = SmsCode::lifetime(None).unwrap();
        assert_eq!(lifetime, Millis::minutes(10));
        assert!(SmsCode::lifetime(Some(61)).is_err() && SmsCode::lifetime(Some(0)).is_err());
        let code = SmsCode::new("s1".into(), AccountId::parse("master1").unwrap(), phone, 42, now(), lifetime);
        assert_eq!(code.code, "000042");
        let stored = code.hashed(b"key");
        assert_ne!(stored.code, "000042", "the digits are not stored");
        assert!(!format!("{stored:?}").contains(&stored.code));
        assert!(stored.accepts_hashed(b"key", "000042", now()));
        assert!(!stored.accepts_hashed(b"key", "000043", now()));
        assert!(!stored.accepts_hashed(b"other", "000042", now()));
        assert!(!stored.accepts_hashed(b"key", "000042", now().plus(lifetime)));
    }

    #[test]
    fn permission_ids_and_phones_are_checked() {
        assert_eq!(
            permissions(&["A_B".into(), "A_B".into(), "SHARE-BIZ".into()]).unwrap(),
            vec!["A_B".to_owned(), "SHARE-BIZ".to_owned()]
        );
        assert!(permissions(&["lower".into()]).is_err());
        assert!(permissions(&vec!["A".to_owned(); 21]).is_err());
        assert!(Phone::parse("+86-13800000000").is_ok());
        assert!(Phone::parse("0086-13800000000").is_ok());
        assert!(Phone::parse("1380000000a").is_err());
        assert!(Phone::parse("123").is_err());
    }
}
