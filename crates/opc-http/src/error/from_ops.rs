//! Every use case's error as the answer a client sees: one exhaustive `match` per `ops` error
//! enum, in the order of `opc_core::ops`. Each enum's `Store` variant is the internal one: a
//! 500 whose cause only reaches the log.

use opc_core::ops::accounts::TenantError;
use opc_core::ops::admin::AdminError;
use opc_core::ops::bill_queries::BillQueryError;
use opc_core::ops::bills::BillOpError;
use opc_core::ops::catalog::CatalogError;
use opc_core::ops::console::ConsoleError;
use opc_core::ops::costs::CostOpError;
use opc_core::ops::coupons::CouponOpError;
use opc_core::ops::customers::CustomerError;
use opc_core::ops::development::DevError;
use opc_core::ops::discounts::DiscountOpError;
use opc_core::ops::enterprise::EnterpriseOpError;
use opc_core::ops::funds::FundsOpError;
use opc_core::ops::information::InfoError;
use opc_core::ops::orders::OrderOpError;
use opc_core::ops::organization::OrganizationError;
use opc_core::ops::outbox::WebhookError;
use opc_core::ops::personnel::PersonnelOpError;
use opc_core::ops::programs::ProgramError;
use opc_core::ops::realname::RealNameOpError;
use opc_core::ops::stored_value::CardOpError;
use opc_core::ops::test_coupons::TestCouponOpError;
use opc_core::ops::tiers::TierError;
use opc_core::ops::usage::UsageOpError;
use opc_core::StoreError;
use opc_domain::bill::BillError;
use opc_domain::console::NewAccountError;
use opc_domain::coupon::CouponError;
use opc_domain::customer::{FreezeError, UnfreezeError};
use opc_domain::development::{AcceptanceError, DecisionError, DevelopmentError};
use opc_domain::discount::DiscountError;
use opc_domain::funds::FundsError;
use opc_domain::hcpn::HcpnError;
use opc_domain::order::PurchaseBlock;
use opc_domain::organization::OrgError;
use opc_domain::path::PathError;
use opc_domain::personnel::PersonnelError;

use super::{capitalize, ApiError, ErrorCode};
use crate::codes;

impl From<TenantError> for ApiError {
    fn from(e: TenantError) -> ApiError {
        match e {
            TenantError::Invalid { field, reason } => ApiError::invalid(field, reason),
            TenantError::Proof(p) => ApiError::invalid("file", p),
            TenantError::Concurrent => ApiError::new(ErrorCode::Conflict, "The account changed meanwhile; retry."),
            TenantError::Store(e) => ApiError::internal(e),
        }
    }
}

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            AdminError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            AdminError::PartnerNotFound(_) | AdminError::KeyNotFound(_) | AdminError::AccountNotFound(_) => {
                ErrorCode::NotFound
            }
            AdminError::Enroll(_) | AdminError::Key(_) | AdminError::PartnerState(_) => ErrorCode::InvalidState,
            AdminError::Conflict(_) => ErrorCode::Conflict,
            AdminError::Password(e) => return e.into(),
            AdminError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> ApiError {
        match e {
            e @ CatalogError::Invalid(_) => ApiError::invalid("catalog", e),
            CatalogError::Store(e) => e.into(),
        }
    }
}

impl From<ConsoleError> for ApiError {
    fn from(e: ConsoleError) -> ApiError {
        let message = e.to_string();
        let code = match e {
            ConsoleError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            ConsoleError::EmailTaken => ErrorCode::IdentityTaken,
            ConsoleError::BadVerificationCode => ErrorCode::BadVerificationCode,
            ConsoleError::BadCredentials | ConsoleError::NoSession => ErrorCode::Unauthenticated,
            ConsoleError::Locked => ErrorCode::Throttled,
            ConsoleError::UnknownLink => ErrorCode::NotFound,
            ConsoleError::NewAccount(NewAccountError::SameEmail) => return ApiError::invalid("email", message),
            ConsoleError::NoEmail | ConsoleError::NewAccount(NewAccountError::Expired | NewAccountError::Used) => {
                ErrorCode::InvalidState
            }
            ConsoleError::Password(e) => return e.into(),
            ConsoleError::Store(e) => return ApiError::internal(e),
        };
        let mut chars = message.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        ApiError::new(code, format!("{first}{}.", chars.as_str()))
    }
}

impl From<CustomerError> for ApiError {
    fn from(e: CustomerError) -> ApiError {
        let message = match &e {
            // The item by its wire code.
            CustomerError::Forbidden(p) => {
                format!("access denied: the member's role does not grant {}", codes::permission_code(*p))
            }
            _ => e.to_string(),
        };
        let code = match e {
            CustomerError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            CustomerError::NotYourReseller(_) => ErrorCode::NotYourReseller,
            CustomerError::NotYourCustomer(_) => ErrorCode::NotYourCustomer,
            CustomerError::NotResellerCustomer(_) => ErrorCode::NotResellerCustomer,
            CustomerError::PartnerFrozen => ErrorCode::PartnerFrozen,
            CustomerError::DistributorWithoutReseller => ErrorCode::DistributorWithoutReseller,
            CustomerError::IdentityTaken(_) => ErrorCode::IdentityTaken,
            CustomerError::BadVerificationCode => ErrorCode::BadVerificationCode,
            CustomerError::Freeze(FreezeError::AlreadyFrozen) => ErrorCode::AlreadyFrozen,
            CustomerError::Unfreeze(UnfreezeError::NotFrozen) => ErrorCode::NotFrozen,
            CustomerError::Unfreeze(UnfreezeError::TypeMismatch { .. }) => ErrorCode::UnfreezeTypeMismatch,
            CustomerError::Unfreeze(UnfreezeError::PartnerFrozen) => ErrorCode::ResourcesStayFrozen,
            CustomerError::Concurrent => ErrorCode::Conflict,
            CustomerError::Forbidden(_) => ErrorCode::AccessDenied,
            CustomerError::Password(e) => return e.into(),
            CustomerError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, capitalize(&message))
    }
}

impl From<BillOpError> for ApiError {
    fn from(e: BillOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            BillOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            BillOpError::NotOver(_) => ErrorCode::InvalidState,
            BillOpError::Bill(BillError::Cycle(_) | BillError::ClosingTime | BillError::NegativePayment) => {
                ErrorCode::InvalidParameter
            }
            BillOpError::UnknownPartner(_) => ErrorCode::NotFound,
            BillOpError::LeaseLost => ErrorCode::Conflict,
            BillOpError::Bill(BillError::OutOfRange) | BillOpError::Store(_) => {
                return ApiError::internal(anyhow::Error::new(e))
            }
        };
        ApiError::new(code, message)
    }
}

impl From<EnterpriseOpError> for ApiError {
    fn from(e: EnterpriseOpError) -> ApiError {
        use opc_domain::enterprise::EnterpriseError as E;
        let message = capitalize(&e.to_string());
        let code = match e {
            EnterpriseOpError::Funds(e) => return e.into(),
            EnterpriseOpError::Coupon(CouponError::Amount) => return ApiError::invalid("amount", message),
            EnterpriseOpError::Coupon(CouponError::InsufficientBalance { .. }) => ErrorCode::InsufficientBalance,
            EnterpriseOpError::Coupon(_) => ErrorCode::InvalidState,
            EnterpriseOpError::UnknownCoupon(_) => ErrorCode::NotFound,
            EnterpriseOpError::Password(e) => return e.into(),
            EnterpriseOpError::Store(e) => return ApiError::internal(e),
            EnterpriseOpError::Enterprise(E::Invalid { field, reason }) => return ApiError::invalid(field, reason),
            EnterpriseOpError::Enterprise(E::UnknownUnit(_)) => return ApiError::invalid("party_id", message),
            EnterpriseOpError::Enterprise(E::Code) => ErrorCode::BadVerificationCode,
            // A member that is not the caller's answers as any customer not one's own: no data.
            EnterpriseOpError::Enterprise(E::NotMember(_)) => ErrorCode::NotYourCustomer,
            EnterpriseOpError::Enterprise(E::NotVerifiedEnterprise | E::IsMember) => ErrorCode::AccessDenied,
            EnterpriseOpError::Enterprise(E::ResellerMaster | E::UnifiedMember | E::IndependentMember) => {
                ErrorCode::InvalidState
            }
            EnterpriseOpError::NameTaken(_) => ErrorCode::IdentityTaken,
            EnterpriseOpError::Concurrent => ErrorCode::Conflict,
        };
        ApiError::new(code, message)
    }
}

impl From<FundsOpError> for ApiError {
    fn from(e: FundsOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            FundsOpError::Scope(e) => return e.into(),
            FundsOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            FundsOpError::Funds(FundsError::Insufficient { .. }) => ErrorCode::InsufficientBalance,
            FundsOpError::Funds(FundsError::NotPositive | FundsError::OutOfRange) => {
                return ApiError::invalid("amount", e.to_string())
            }
            FundsOpError::Funds(FundsError::SameAccount) => ErrorCode::InvalidParameter,
            FundsOpError::UnknownPartner(_) => ErrorCode::NotFound,
            FundsOpError::Concurrent => ErrorCode::Conflict,
            FundsOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<CouponOpError> for ApiError {
    fn from(e: CouponOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            CouponOpError::Scope(e) => return e.into(),
            CouponOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            CouponOpError::Coupon(CouponError::InsufficientQuota { .. }) => ErrorCode::InsufficientBalance,
            CouponOpError::Coupon(CouponError::Amount) => return ApiError::invalid("face_value", e.to_string()),
            CouponOpError::Coupon(CouponError::Validity | CouponError::ValidityOutsideQuota { .. }) => {
                return ApiError::invalid("expire_time", e.to_string())
            }
            CouponOpError::Coupon(CouponError::TooManyLimits { .. } | CouponError::LimitOutsideQuota { .. }) => {
                return ApiError::invalid("cloud_service_types", e.to_string())
            }
            CouponOpError::Coupon(CouponError::Customers { .. }) => {
                return ApiError::invalid("customer_ids", e.to_string())
            }
            CouponOpError::Coupon(_) => ErrorCode::InvalidParameter,
            CouponOpError::UnknownQuota(_) | CouponOpError::UnknownCoupon(_) | CouponOpError::UnknownPartner(_) => {
                ErrorCode::NotFound
            }
            CouponOpError::Concurrent => ErrorCode::Conflict,
            CouponOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<CardOpError> for ApiError {
    fn from(e: CardOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            CardOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            CardOpError::Card(c) => {
                use opc_domain::stored_value::CardError as C;
                let field = match c {
                    C::Name => "name",
                    C::FaceValue => "face_value",
                    C::Validity => "expire_time",
                    C::ResellerCustomer => "customer",
                    C::NotYetValid | C::Expired | C::UsedUp | C::NothingDue | C::Refund | C::Overflow => "card",
                };
                return ApiError::invalid(field, c.to_string());
            }
            CardOpError::UnknownCustomer(_) => ErrorCode::NotFound,
            CardOpError::NotACustomer => ErrorCode::AccessDenied,
            CardOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<TestCouponOpError> for ApiError {
    fn from(e: TestCouponOpError) -> ApiError {
        use opc_domain::coupon::test_coupon::TestCouponError as E;
        let text = e.to_string();
        let message = capitalize(&text);
        let code = match e {
            TestCouponOpError::Scope(e) => return e.into(),
            TestCouponOpError::TestCoupon(E::Amount) => return ApiError::invalid("amount", text),
            TestCouponOpError::TestCoupon(E::ResourceConfig(_)) => return ApiError::invalid("resource_config", text),
            TestCouponOpError::TestCoupon(E::Duration { .. }) => return ApiError::invalid("duration_days", text),
            TestCouponOpError::TestCoupon(E::Text { field, .. }) => {
                return ApiError::invalid(&field.replace(' ', "_"), text)
            }
            TestCouponOpError::TestCoupon(E::Problems(found)) => {
                let found: Vec<(&str, String)> = found.iter().map(|(f, e)| (*f, e.to_string())).collect();
                return ApiError::invalid_all(&found);
            }
            TestCouponOpError::TestCoupon(E::OverLimit { .. }) => ErrorCode::LimitExceeded,
            TestCouponOpError::TestCoupon(E::NotPending(_)) => ErrorCode::InvalidState,
            TestCouponOpError::UnknownPartner(_) | TestCouponOpError::UnknownRequest(_) => ErrorCode::NotFound,
            TestCouponOpError::Concurrent => ErrorCode::Conflict,
            TestCouponOpError::TestCoupon(E::OutOfRange)
            | TestCouponOpError::Store(_)
            | TestCouponOpError::Estimate(_) => return ApiError::internal(anyhow::Error::new(e)),
        };
        ApiError::new(code, message)
    }
}

impl From<BillQueryError> for ApiError {
    fn from(e: BillQueryError) -> ApiError {
        match e {
            BillQueryError::Scope(e) => e.into(),
            BillQueryError::Invalid { field, reason } => ApiError::invalid(field, reason),
            BillQueryError::Bill(e) => e.into(),
            BillQueryError::Store(e) => ApiError::internal(e),
        }
    }
}

impl From<CostOpError> for ApiError {
    fn from(e: CostOpError) -> ApiError {
        match e {
            CostOpError::Invalid { field, reason } => ApiError::invalid(field, reason),
            CostOpError::Amortize(e) => ApiError::internal(e),
            CostOpError::Store(e) => e.into(),
        }
    }
}

impl From<DevError> for ApiError {
    fn from(e: DevError) -> ApiError {
        let message = e.to_string();
        let code = match e {
            DevError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            DevError::Acceptance(AcceptanceError::InstructionsNotAccepted) => {
                return ApiError::invalid("accepts_association_instructions", message)
            }
            DevError::Development(DevelopmentError::Distributor) => ErrorCode::DistributorWithoutReseller,
            DevError::Development(DevelopmentError::PartnerFrozen)
            | DevError::Decision(DecisionError::PartnerFrozen) => ErrorCode::PartnerFrozen,
            DevError::Decision(DecisionError::AwaitsPartnerAdmin | DecisionError::AwaitsCustomer) => {
                ErrorCode::AccessDenied
            }
            DevError::PreRegistration(_)
            | DevError::Acceptance(_)
            | DevError::Revoke(_)
            | DevError::Request(_)
            | DevError::Decision(DecisionError::AlreadyApproved | DecisionError::AlreadyRejected) => {
                ErrorCode::InvalidState
            }
            DevError::NoInvitation | DevError::NoRequest => ErrorCode::NotFound,
            DevError::Ineligible(_) => ErrorCode::Ineligible,
            DevError::EmailTaken => ErrorCode::IdentityTaken,
            DevError::BadVerificationCode | DevError::CodeRequired => ErrorCode::BadVerificationCode,
            DevError::NoEmail => ErrorCode::InvalidState,
            DevError::NotYourCustomer(_) => ErrorCode::NotYourCustomer,
            DevError::Concurrent => ErrorCode::Conflict,
            DevError::Password(e) => return e.into(),
            DevError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, capitalize(&message))
    }
}

impl From<InfoError> for ApiError {
    fn from(e: InfoError) -> ApiError {
        match e {
            InfoError::Invalid { field, reason } => ApiError::invalid(field, reason),
            InfoError::Review(r) => ApiError::new(ErrorCode::InvalidState, format!("{}.", upper_first(&r.to_string()))),
            InfoError::NotFound => ApiError::new(ErrorCode::NotFound, "There is nothing to review."),
            InfoError::Concurrent => ApiError::new(ErrorCode::Conflict, "The information changed meanwhile; retry."),
            InfoError::Store(e) => ApiError::internal(e),
        }
    }
}

impl From<OrderOpError> for ApiError {
    fn from(e: OrderOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            OrderOpError::Invalid { field, reason } => return ApiError::invalid(&field, reason),
            OrderOpError::Rating(reason) => return ApiError::new(ErrorCode::InvalidParameter, capitalize(&reason)),
            OrderOpError::Customer(e) => return e.into(),
            OrderOpError::NotFound(_) => ErrorCode::NotFound,
            OrderOpError::NotAuthorized(_) => ErrorCode::AccessDenied,
            OrderOpError::Blocked(PurchaseBlock::Limit { .. } | PurchaseBlock::PartnerQuota) => {
                ErrorCode::LimitExceeded
            }
            OrderOpError::Blocked(_) => ErrorCode::PurchaseBlocked,
            OrderOpError::Order(_) | OrderOpError::Resource(_) => ErrorCode::InvalidState,
            OrderOpError::Concurrent => ErrorCode::Conflict,
            OrderOpError::Discount(e) => return discount_error(e),
            OrderOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

/// A partner discount refused: a request naming one is a parameter error (CBC.0100) unless the
/// state of the order or the customer's model refuses it.
fn discount_error(e: DiscountError) -> ApiError {
    let message = capitalize(&e.to_string());
    match e {
        DiscountError::ServiceType => ApiError::invalid("service_type", e),
        DiscountError::Rate => ApiError::invalid("discount", e),
        DiscountError::NotOffered(_) | DiscountError::AdjustmentRequired(_) => ApiError::invalid("discount_infos", e),
        DiscountError::ResellerCustomer | DiscountError::NotReferralCustomer(_) | DiscountError::OrderNotReferral => {
            ApiError::new(ErrorCode::Ineligible, message)
        }
        DiscountError::NoScope(_) | DiscountError::BeyondScope { .. } | DiscountError::NotDiscountable { .. } => {
            ApiError::new(ErrorCode::LimitExceeded, message)
        }
        DiscountError::OrderNotPending | DiscountError::NoEligibleLine => {
            ApiError::new(ErrorCode::InvalidState, message)
        }
        DiscountError::OutOfRange => ApiError::new(ErrorCode::InvalidParameter, message),
    }
}

impl From<DiscountOpError> for ApiError {
    fn from(e: DiscountOpError) -> ApiError {
        let message = capitalize(&e.to_string());
        let code = match e {
            DiscountOpError::Scope(e) => return e.into(),
            DiscountOpError::Discount(e) => return discount_error(e),
            DiscountOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            DiscountOpError::UnknownPartner(_) | DiscountOpError::NotFound(_) => ErrorCode::NotFound,
            DiscountOpError::Concurrent => ErrorCode::Conflict,
            DiscountOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<OrganizationError> for ApiError {
    fn from(e: OrganizationError) -> ApiError {
        match e {
            OrganizationError::Org(OrgError::Invalid { field, reason }) => ApiError::invalid(field, reason),
            OrganizationError::Org(OrgError::Problems(problems)) => ApiError::invalid_all(&problems),
            OrganizationError::Org(e @ OrgError::EmailRegistered) => ApiError::invalid("email", e),
            OrganizationError::Org(e @ (OrgError::NotADirector | OrgError::NotAManager)) => {
                ApiError::invalid("member", e)
            }
            OrganizationError::NotFound(what) => {
                ApiError::new(ErrorCode::NotFound, format!("{} is not in your organization.", upper_first(what)))
            }
            OrganizationError::NotYourCustomer(id) => {
                ApiError::new(ErrorCode::NotYourCustomer, format!("Customer {id} is not your customer."))
            }
            OrganizationError::Concurrent => {
                ApiError::new(ErrorCode::Conflict, "The change conflicts with another one; retry.")
            }
            OrganizationError::AlreadyRevoked => {
                ApiError::new(ErrorCode::InvalidState, "The access key is already revoked.")
            }
            OrganizationError::Password(e) => e.into(),
            OrganizationError::Store(e) => ApiError::internal(e),
        }
    }
}

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> ApiError {
        match e {
            WebhookError::Url => {
                ApiError::invalid("url", "must be an http:// or https:// URL of at most 512 characters")
            }
            WebhookError::Store(e) => e.into(),
        }
    }
}

impl From<PersonnelOpError> for ApiError {
    fn from(e: PersonnelOpError) -> ApiError {
        let message = e.to_string();
        let code = match e {
            PersonnelOpError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            PersonnelOpError::Credential(e) => return ApiError::invalid("number", e),
            PersonnelOpError::CertificateTaken => ErrorCode::Conflict,
            PersonnelOpError::LoginIdNotFound | PersonnelOpError::NotFound => ErrorCode::NotFound,
            PersonnelOpError::VerificationFailed(_) => ErrorCode::Ineligible,
            PersonnelOpError::State(
                PersonnelError::StillInvited
                | PersonnelError::AlreadyAssociated
                | PersonnelError::Expired
                | PersonnelError::NotInvited
                | PersonnelError::NotAssociated,
            ) => ErrorCode::InvalidState,
            PersonnelOpError::Concurrent => ErrorCode::Conflict,
            PersonnelOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, capitalize(&message))
    }
}

impl From<ProgramError> for ApiError {
    fn from(e: ProgramError) -> ApiError {
        let message = e.to_string();
        let code = match e {
            ProgramError::Invalid { field, reason } => return ApiError::invalid(field, reason),
            ProgramError::Hcpn(HcpnError::StepsIncomplete(_)) => ErrorCode::InvalidParameter,
            ProgramError::Hcpn(
                HcpnError::AlreadyPartner
                | HcpnError::AwaitingSystemCheck
                | HcpnError::InManualReview
                | HcpnError::AlreadyApproved
                | HcpnError::AlreadyRejected,
            )
            | ProgramError::HcpnExists
            | ProgramError::Decision(_) => ErrorCode::InvalidState,
            ProgramError::NoApplication | ProgramError::NoSuchAccount => ErrorCode::NotFound,
            ProgramError::Ineligible(_) => ErrorCode::Ineligible,
            ProgramError::Concurrent => ErrorCode::Conflict,
            ProgramError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, capitalize(&message))
    }
}

impl From<TierError> for ApiError {
    fn from(e: TierError) -> ApiError {
        let message = match &e {
            // The path by its wire code.
            TierError::Path(PathError::AlreadyJoined(path)) => {
                format!("the account has already joined the {} development path", codes::path_code(*path))
            }
            _ => e.to_string(),
        };
        let code = match e {
            TierError::Path(PathError::NotHcpnPartner) => ErrorCode::AccessDenied,
            TierError::Path(PathError::AlreadyJoined(_) | PathError::CspAccount | PathError::Complete)
            | TierError::AlreadyInvited => ErrorCode::InvalidState,
            TierError::NoPath | TierError::NoPartner | TierError::NotEnrolled => ErrorCode::NotFound,
            TierError::Refused(_) => ErrorCode::Ineligible,
            TierError::Concurrent => ErrorCode::Conflict,
            TierError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, capitalize(&message))
    }
}

impl From<UsageOpError> for ApiError {
    fn from(e: UsageOpError) -> ApiError {
        match e {
            e @ (UsageOpError::Invalid(_) | UsageOpError::Overflow(_)) => ApiError::invalid("records", e),
            UsageOpError::Store(e) => e.into(),
        }
    }
}

/// Issue 18: no turn to hash or check a password within the wait is "try later" (429, like
/// throttling); a hashing failure is the server's (500), never a client error.
impl From<opc_core::passwords::PasswordError> for ApiError {
    fn from(e: opc_core::passwords::PasswordError) -> ApiError {
        use opc_core::passwords::PasswordError;
        match e {
            PasswordError::Busy => ApiError::new(ErrorCode::Throttled, capitalize(&e.to_string())),
            PasswordError::Failed(_) => ApiError::internal(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

/// `"the access key"` → `"The access key"`: the first letter in upper case, nothing added.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

impl From<opc_core::ops::regions::RegionOpError> for ApiError {
    fn from(e: opc_core::ops::regions::RegionOpError) -> ApiError {
        use opc_core::ops::regions::RegionOpError;
        match e {
            RegionOpError::Invalid(e) => ApiError::invalid("regions", e.to_string()),
            RegionOpError::Store(e) => ApiError::internal(e),
        }
    }
}

impl From<RealNameOpError> for ApiError {
    fn from(e: RealNameOpError) -> ApiError {
        use opc_domain::realname::RealNameError;
        let message = capitalize(&e.to_string());
        let code = match e {
            RealNameOpError::Scope(e) => return e.into(),
            RealNameOpError::RealName(RealNameError::Invalid { field, reason }) => {
                return ApiError::invalid(field, reason)
            }
            RealNameOpError::UnknownAttachment(_) => return ApiError::invalid("verified_file_url", message),
            RealNameOpError::RealName(_) => ErrorCode::InvalidState,
            RealNameOpError::AttachmentExists(_) | RealNameOpError::Concurrent => ErrorCode::Conflict,
            RealNameOpError::UnknownApplication(_) | RealNameOpError::UnknownScan => ErrorCode::NotFound,
            RealNameOpError::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

impl From<opc_core::ops::packages::PackageOpError> for ApiError {
    fn from(e: opc_core::ops::packages::PackageOpError) -> ApiError {
        use opc_core::ops::packages::PackageOpError as E;
        let message = capitalize(&e.to_string());
        let code = match e {
            E::Invalid { field, reason } => return ApiError::invalid(field, reason),
            E::Samples(_) => ErrorCode::InvalidParameter,
            E::NotACustomer => ErrorCode::AccessDenied,
            E::NotYourCustomer(_) => ErrorCode::NotYourCustomer,
            E::Usage(u) => return ApiError::from(u),
            E::Store(e) => return ApiError::internal(e),
        };
        ApiError::new(code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opc_domain::organization::Permission;
    use opc_domain::path::DevelopmentPath;

    #[test]
    fn messages_name_permission_items_and_paths_by_their_wire_codes() {
        let e = ApiError::from(CustomerError::Forbidden(Permission::ControlCustomers));
        assert_eq!(e.message(), "Access denied: the member's role does not grant customers.control.");
        let e = ApiError::from(TierError::Path(PathError::AlreadyJoined(DevelopmentPath::SystemIntegrator)));
        assert_eq!(e.message(), "The account has already joined the system_integrator development path.");
    }
}
