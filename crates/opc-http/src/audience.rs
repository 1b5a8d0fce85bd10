//! Who a signed-in console user is to a request: the partner it acts for (and the member
//! acting), its own account, the operator's staff, the orders' principal, the audit events it
//! may read. The console API (`api`) and the web console (`console`) both decide it here, and
//! both show the same refusal.

use opc_core::ops::auth::{Caller, Principal};
use opc_core::ops::console::ConsoleUser;
use opc_core::store::AuditQuery;
use opc_core::Context;
use opc_domain::account::Account;
use opc_domain::console::Staff;
use opc_domain::organization::{Member, Permission};
use opc_domain::partner::Partner;

use crate::error::{ApiError, ErrorCode};

/// The partner a console user acts for, and the member acting if it is not the partner's own
/// (administrator) account. `needs`: the permission item a member must hold (R-ORG-02); `None`
/// means the administrator only (R-ORG-05, R-ORG-21).
pub fn acting_partner(user: &ConsoleUser, needs: Option<Permission>) -> Result<(&Partner, Option<&Member>), ApiError> {
    let denied = |why: &str| ApiError::new(ErrorCode::AccessDenied, format!("Access denied: {why}."));
    match user {
        ConsoleUser::Account { partner: Some(p), .. } => Ok((p, None)),
        ConsoleUser::Member { member, partner, role } => match needs {
            Some(permission) if member.can(role.as_deref(), permission) => Ok((partner, Some(member))),
            Some(permission) => {
                Err(denied(&format!("your role does not grant {}", crate::codes::permission_code(permission))))
            }
            None => Err(denied("only the partner's administrator may do this")),
        },
        ConsoleUser::Account { partner: None, .. } | ConsoleUser::Staff(_) => Err(denied("this is for partners")),
    }
}

/// The caller a console user acts as for its partner, once it holds `needs` (a member's
/// permission item; the partner's own account holds all).
pub async fn acting_caller(ctx: &Context, user: &ConsoleUser, needs: Permission) -> Result<Caller, ApiError> {
    let (partner, member) = acting_partner(user, Some(needs))?;
    Ok(Caller::acting(ctx, partner.clone(), member.cloned(), None).await?)
}

/// The signed-in account (a customer's or a partner's own), refusing staff and members.
pub fn account_of(user: &ConsoleUser) -> Result<&Account, ApiError> {
    match user {
        ConsoleUser::Account { account, .. } => Ok(account),
        ConsoleUser::Staff(_) | ConsoleUser::Member { .. } => {
            Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for accounts."))
        }
    }
}

/// The signed-in customer's account, refusing partners, members and staff.
pub fn customer_account(user: &ConsoleUser) -> Result<&Account, ApiError> {
    match user {
        ConsoleUser::Account { account, partner: None } => Ok(account),
        ConsoleUser::Account { partner: Some(_), .. } | ConsoleUser::Staff(_) | ConsoleUser::Member { .. } => {
            Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for customers."))
        }
    }
}

/// The signed-in member of the operator's staff, refusing everyone else.
pub fn staff_of(user: &ConsoleUser) -> Result<&Staff, ApiError> {
    match user {
        ConsoleUser::Staff(staff) => Ok(staff),
        ConsoleUser::Account { .. } | ConsoleUser::Member { .. } => {
            Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for the operator's staff."))
        }
    }
}

/// The signed-in user as the use cases' principal: a customer for itself, or a partner (or one
/// of its members) for its customers.
pub async fn principal(ctx: &Context, user: &ConsoleUser) -> Result<Principal, ApiError> {
    match user {
        ConsoleUser::Account { account, partner: None } => {
            Ok(Principal::Customer { account: (**account).clone(), access_key: None })
        }
        ConsoleUser::Account { partner: Some(p), .. } => {
            Ok(Principal::Partner(std::sync::Arc::new(Caller::acting(ctx, (**p).clone(), None, None).await?)))
        }
        ConsoleUser::Member { member, partner, .. } => {
            let caller = Caller::acting(ctx, (**partner).clone(), Some((**member).clone()), None).await?;
            Ok(Principal::Partner(std::sync::Arc::new(caller)))
        }
        ConsoleUser::Staff(_) => {
            Err(ApiError::new(ErrorCode::AccessDenied, "Access denied: this is for customers and partners."))
        }
    }
}

/// The audit events a console user may read: all for staff, the partner's for a partner (and
/// for a member holding `audit.view`), the account's own for a customer.
pub fn audit_scope(user: &ConsoleUser) -> Result<AuditQuery, ApiError> {
    Ok(match user {
        ConsoleUser::Staff(_) => AuditQuery::default(),
        ConsoleUser::Account { partner: Some(p), .. } => {
            AuditQuery { partner: Some(p.id().clone()), ..AuditQuery::default() }
        }
        ConsoleUser::Account { account, partner: None } => {
            AuditQuery { subject_id: Some(account.id().as_str().to_owned()), ..AuditQuery::default() }
        }
        ConsoleUser::Member { .. } => {
            let (partner, _) = acting_partner(user, Some(Permission::ViewAudit))?;
            AuditQuery { partner: Some(partner.id().clone()), ..AuditQuery::default() }
        }
    })
}
