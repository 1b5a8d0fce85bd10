//! Organization (R-ORG-02, R-ORG-03, R-ORG-19, R-ORG-21): members created by the partner's
//! administrator, custom roles built from permission items, account managers and directors,
//! and which customers each of them sees.

use crate::customer::Email;
use crate::ids::{MemberId, PartnerId, RoleId};
use crate::redact::REDACTED;
use crate::text::{DisplayName, TextError};
use crate::time::Timestamp;

/// A permission item a custom role grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// Read customers (within the member's visibility, R-ORG-19).
    ViewCustomers,
    /// Assign account managers to customers.
    ManageCustomers,
    /// Pre-register and invite customers (R-ORG-20: without it, no Customer Development).
    DevelopCustomers,
    /// Set reseller customers' budgets and freeze or unfreeze them (R-RCM-03, R-RCM-10).
    ControlCustomers,
    /// Read the partner's audit trail.
    ViewAudit,
}

impl Permission {
    pub const ALL: [Permission; 5] = [
        Permission::ViewCustomers,
        Permission::ManageCustomers,
        Permission::DevelopCustomers,
        Permission::ControlCustomers,
        Permission::ViewAudit,
    ];
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// Several fields refused at once, each with its reason, in the form's order.
    #[error("invalid {}", .0.iter().map(|(f, r)| format!("{f}: {r}")).collect::<Vec<_>>().join("; "))]
    Problems(Vec<(&'static str, String)>),
    /// R-ORG-03, R-ORG-04: the email belongs to an existing account; a master account cannot
    /// be added as a member.
    #[error("the email address has been registered: a registered account cannot be added as a member")]
    EmailRegistered,
    #[error("an account director must be a member whose position is account director")]
    NotADirector,
    #[error("only account managers report to an account director")]
    NotAManager,
}

/// A custom role: a name and its permission items (R-ORG-02). Fields are private: a role is
/// decided by [`Role::new`] or rebuilt by the store ([`Role::from_stored`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    id: RoleId,
    partner: PartnerId,
    name: DisplayName,
    permissions: Vec<Permission>,
    created_at: Timestamp,
}

/// A stored role's fields, for [`Role::from_stored`].
pub struct StoredRole {
    pub id: RoleId,
    pub partner: PartnerId,
    pub name: DisplayName,
    /// Sorted, without repeats, never empty.
    pub permissions: Vec<Permission>,
    pub created_at: Timestamp,
}

impl Role {
    /// Rebuilds a stored role. For the store only: it performs no check, because the values
    /// were decided by [`Role::new`].
    pub fn from_stored(s: StoredRole) -> Role {
        Role { id: s.id, partner: s.partner, name: s.name, permissions: s.permissions, created_at: s.created_at }
    }

    pub fn id(&self) -> &RoleId {
        &self.id
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn name(&self) -> &DisplayName {
        &self.name
    }

    /// Sorted, without repeats, never empty.
    pub fn permissions(&self) -> &[Permission] {
        &self.permissions
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// R-ORG-02: a role granting `permissions`, each the item asked for or, `Err`, the text of
    /// an item this system does not know (read at the edge, refused here after the name).
    pub fn new(
        id: RoleId,
        partner: PartnerId,
        name: &str,
        permissions: &[Result<Permission, &str>],
        now: Timestamp,
    ) -> Result<Role, OrgError> {
        let name = DisplayName::parse(name).map_err(|e| OrgError::Invalid { field: "name", reason: e.to_string() })?;
        let mut items = permissions
            .iter()
            .map(|item| {
                item.map_err(|code| OrgError::Invalid {
                    field: "permissions",
                    reason: format!("unknown permission item {code:?}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        items.sort();
        items.dedup();
        if items.is_empty() {
            return Err(OrgError::Invalid {
                field: "permissions",
                reason: "a role grants at least one permission item".into(),
            });
        }
        Ok(Role { id, partner, name, permissions: items, created_at: now })
    }
}

/// A member's position in the sales organization (R-ORG-19).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Member,
    AccountManager,
    AccountDirector,
}

/// An organization member. R-ORG-02: created by the administrator; permissions come only from
/// its role. Fields are private: a member is decided by [`Member::create`], changes by its
/// transitions, or is rebuilt by the store ([`Member::from_stored`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Member {
    id: MemberId,
    partner: PartnerId,
    name: DisplayName,
    email: Email,
    password_hash: String,
    role: Option<RoleId>,
    position: Position,
    director: Option<MemberId>,
    created_at: Timestamp,
    version: i64,
}

/// A stored member's fields, for [`Member::from_stored`].
pub struct StoredMember {
    pub id: MemberId,
    pub partner: PartnerId,
    pub name: DisplayName,
    pub email: Email,
    pub password_hash: String,
    pub role: Option<RoleId>,
    pub position: Position,
    /// For an account manager: its account director.
    pub director: Option<MemberId>,
    pub created_at: Timestamp,
    pub version: i64,
}

impl Member {
    /// Rebuilds a stored member. For the store only: it performs no check, because the values
    /// were decided by [`Member::create`] and its transitions.
    pub fn from_stored(s: StoredMember) -> Member {
        Member {
            id: s.id,
            partner: s.partner,
            name: s.name,
            email: s.email,
            password_hash: s.password_hash,
            role: s.role,
            position: s.position,
            director: s.director,
            created_at: s.created_at,
            version: s.version,
        }
    }

    pub fn id(&self) -> &MemberId {
        &self.id
    }

    pub fn partner(&self) -> &PartnerId {
        &self.partner
    }

    pub fn name(&self) -> &DisplayName {
        &self.name
    }

    pub fn email(&self) -> &Email {
        &self.email
    }

    pub fn password_hash(&self) -> &str {
        &self.password_hash
    }

    pub fn role(&self) -> Option<&RoleId> {
        self.role.as_ref()
    }

    pub fn position(&self) -> Position {
        self.position
    }

    /// For an account manager: its account director.
    pub fn director(&self) -> Option<&MemberId> {
        self.director.as_ref()
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// The stored version this value was read at (optimistic concurrency).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The store wrote this value: its stored version moved on.
    pub fn saved(&mut self) {
        self.version += 1;
    }

    /// R-ORG-02 … R-ORG-04: every problem of a new member's name, email and password at once,
    /// in the form's order (none: [`Member::create`] accepts them).
    pub fn problems(name: &str, email: &str, password: &str, email_registered: bool) -> Vec<(&'static str, String)> {
        let mut found = vec![];
        if let Err(e) = DisplayName::parse(name) {
            found.push(("name", e.to_string()));
        }
        match Email::parse(email) {
            Err(e) => found.push(("email", e.to_string())),
            Ok(_) if email_registered => found.push(("email", OrgError::EmailRegistered.to_string())),
            Ok(_) => {}
        }
        if let Err(e) = crate::customer::check_password(password, "", Some(email)) {
            found.push(("password", e.to_string()));
        }
        found
    }

    /// Decides a new member. `email_registered`: an account already uses the email (R-ORG-03,
    /// R-ORG-04).
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        id: MemberId,
        partner: PartnerId,
        name: &str,
        email: &str,
        password_hash: String,
        position: Position,
        email_registered: bool,
        now: Timestamp,
    ) -> Result<Member, OrgError> {
        let name = DisplayName::parse(name)
            .map_err(|e: TextError| OrgError::Invalid { field: "name", reason: e.to_string() })?;
        let email = Email::parse(email).map_err(|e| OrgError::Invalid { field: "email", reason: e.to_string() })?;
        if email_registered {
            return Err(OrgError::EmailRegistered);
        }
        Ok(Member {
            id,
            partner,
            name,
            email,
            password_hash,
            role: None,
            position,
            director: None,
            created_at: now,
            version: 0,
        })
    }

    /// An account manager reports to an account director of the same partner (R-ORG-19).
    pub fn report_to(&mut self, director: &Member) -> Result<(), OrgError> {
        if self.position != Position::AccountManager {
            return Err(OrgError::NotAManager);
        }
        if director.position != Position::AccountDirector || director.partner != self.partner {
            return Err(OrgError::NotADirector);
        }
        self.director = Some(director.id.clone());
        Ok(())
    }

    /// R-ORG-02: the administrator gives the member a role; its permissions are the role's.
    pub fn assign_role(&mut self, role: RoleId) {
        self.role = Some(role);
    }

    /// R-ORG-02: a member without a role has no permission.
    pub fn can(&self, role: Option<&Role>, permission: Permission) -> bool {
        role.is_some_and(|r| Some(&r.id) == self.role.as_ref() && r.permissions.contains(&permission))
    }
}

/// Which of the partner's customers someone sees (R-ORG-19).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// The partner (and members who are neither manager nor director): every customer.
    All,
    /// Customers whose account manager is one of these members.
    ManagedBy(Vec<MemberId>),
}

/// R-ORG-19: an account manager sees its own customers; an account director, those of its
/// account managers (and its own); anyone else in the organization, all of them.
pub fn visibility(member: &Member, members: &[Member]) -> Visibility {
    match member.position {
        Position::Member => Visibility::All,
        Position::AccountManager => Visibility::ManagedBy(vec![member.id.clone()]),
        Position::AccountDirector => {
            let mut ids: Vec<MemberId> =
                members.iter().filter(|m| m.director.as_ref() == Some(&member.id)).map(|m| m.id.clone()).collect();
            ids.push(member.id.clone());
            Visibility::ManagedBy(ids)
        }
    }
}

/// The password hash is redacted.
impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("id", &self.id)
            .field("partner", &self.partner)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password_hash", &REDACTED)
            .field("role", &self.role)
            .field("position", &self.position)
            .field("director", &self.director)
            .field("created_at", &self.created_at)
            .field("version", &self.version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(1)
    }

    fn member(n: u8, position: Position) -> Member {
        Member::create(
            MemberId::from_random([n; 16]),
            PartnerId::from_random([1; 16]),
            "Ana",
            &format!("m{n}@example.com"),
            "h".into(),
            position,
            false,
            now(),
        )
        .unwrap()
    }

    #[test]
    fn r_org_02_roles_are_built_from_permission_items() {
        let r = Role::new(
            RoleId::from_random([1; 16]),
            PartnerId::from_random([1; 16]),
            "Sales",
            &[Ok(Permission::ViewCustomers), Ok(Permission::ViewCustomers), Ok(Permission::ViewAudit)],
            now(),
        )
        .unwrap();
        assert_eq!(r.permissions, [Permission::ViewCustomers, Permission::ViewAudit]);
        assert!(Role::new(RoleId::from_random([1; 16]), PartnerId::from_random([1; 16]), "Empty", &[], now()).is_err());
        assert!(Role::new(RoleId::from_random([1; 16]), PartnerId::from_random([1; 16]), "Bad", &[Err("root")], now())
            .is_err());
    }

    #[test]
    fn r_org_02_a_member_without_a_role_can_do_nothing() {
        let role = Role::new(
            RoleId::from_random([7; 16]),
            PartnerId::from_random([1; 16]),
            "Sales",
            &[Ok(Permission::ViewCustomers)],
            now(),
        )
        .unwrap();
        let mut m = member(1, Position::Member);
        assert!(!m.can(Some(&role), Permission::ViewCustomers));
        m.role = Some(role.id.clone());
        assert!(m.can(Some(&role), Permission::ViewCustomers));
        assert!(!m.can(Some(&role), Permission::DevelopCustomers));
    }

    #[test]
    fn r_org_03_a_registered_account_cannot_be_added() {
        let e = Member::create(
            MemberId::from_random([1; 16]),
            PartnerId::from_random([1; 16]),
            "Ana",
            "a@example.com",
            "h".into(),
            Position::Member,
            true,
            now(),
        );
        assert_eq!(e, Err(OrgError::EmailRegistered));
    }

    #[test]
    fn r_org_19_managers_see_theirs_directors_their_teams() {
        let director = member(1, Position::AccountDirector);
        let mut manager = member(2, Position::AccountManager);
        let mut other = member(3, Position::AccountManager);
        manager.report_to(&director).unwrap();
        assert_eq!(other.report_to(&manager), Err(OrgError::NotADirector));
        assert_eq!(director.clone().report_to(&director), Err(OrgError::NotAManager));
        let all = [director.clone(), manager.clone(), other.clone()];
        assert_eq!(visibility(&manager, &all), Visibility::ManagedBy(vec![manager.id.clone()]));
        assert_eq!(visibility(&director, &all), Visibility::ManagedBy(vec![manager.id.clone(), director.id.clone()]));
        assert_eq!(visibility(&member(4, Position::Member), &all), Visibility::All);
    }

    #[test]
    fn r_org_02_to_04_every_problem_of_a_new_member_at_once() {
        let found = Member::problems("", "nope", "short", false);
        let fields: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "email", "password"]);
        let found = Member::problems("Ana", "ana@acme.example", "Str0ng-pass!", true);
        assert_eq!(found, [("email", OrgError::EmailRegistered.to_string())], "R-ORG-03");
        assert!(Member::problems("Ana", "ana@acme.example", "Str0ng-pass!", false).is_empty());
    }
}
