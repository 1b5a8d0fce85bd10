//! The organization rows as stored, and their conversions to and from the domain.

use opc_domain::customer::Email;
use opc_domain::organization::{Member, Permission, Position, Role, StoredMember, StoredRole};
use opc_domain::text::DisplayName;
use opc_domain::{MemberId, PartnerId, RoleId, Timestamp};

use crate::codes::Code;
use crate::rows::decode_error;

/// Stored comma-separated in `roles.permissions`.
impl Code for Permission {
    const ALL: &'static [Self] = &Permission::ALL;

    fn code(self) -> &'static str {
        match self {
            Permission::ViewCustomers => "customers.view",
            Permission::ManageCustomers => "customers.manage",
            Permission::DevelopCustomers => "customers.develop",
            Permission::ControlCustomers => "customers.control",
            Permission::ViewAudit => "audit.view",
        }
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
            id: r.id().as_str().to_owned(),
            partner_id: r.partner().as_str().to_owned(),
            name: r.name().as_str().to_owned(),
            permissions: r.permissions().iter().map(|p| p.code()).collect::<Vec<_>>().join(","),
            created_at_ms: r.created_at().unix_ms(),
        }
    }
}

impl TryFrom<RoleRow> for Role {
    type Error = sqlx::Error;

    fn try_from(r: RoleRow) -> Result<Role, sqlx::Error> {
        Ok(Role::from_stored(StoredRole {
            id: RoleId::parse(&r.id).map_err(|e| decode_error("role id", e))?,
            partner: PartnerId::parse(&r.partner_id).map_err(|e| decode_error("partner id", e))?,
            name: DisplayName::parse(&r.name).map_err(|e| decode_error("role name", e))?,
            permissions: r.permissions.split(',').map(Permission::from_code).collect::<Result<_, _>>()?,
            created_at: Timestamp::from_unix_ms(r.created_at_ms),
        }))
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
            id: m.id().as_str().to_owned(),
            partner_id: m.partner().as_str().to_owned(),
            name: m.name().as_str().to_owned(),
            email: m.email().as_str().to_owned(),
            password_hash: m.password_hash().to_owned(),
            role_id: m.role().map(|r| r.as_str().to_owned()),
            position: match m.position() {
                Position::Member => "member",
                Position::AccountManager => "account_manager",
                Position::AccountDirector => "account_director",
            }
            .to_owned(),
            director_id: m.director().map(|d| d.as_str().to_owned()),
            created_at_ms: m.created_at().unix_ms(),
            version: m.version(),
        }
    }
}

impl TryFrom<MemberRow> for Member {
    type Error = sqlx::Error;

    fn try_from(r: MemberRow) -> Result<Member, sqlx::Error> {
        Ok(Member::from_stored(StoredMember {
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
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::tests::check;

    #[test]
    fn every_permission_code_round_trips() {
        check::<Permission>();
    }
}
