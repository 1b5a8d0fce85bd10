//! Identifiers: one newtype per entity, opaque strings on the wire, parsed at the boundary.

use std::fmt;

use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("the id is empty")]
    Empty,
    #[error("the id is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the id has characters outside its alphabet")]
    BadCharacters,
}

/// Ids minted by us: 32 lowercase hexadecimal digits, like Huawei Cloud's domain and partner
/// ids. Parsing accepts any id of up to 64 `[0-9A-Za-z_-]` characters, so that ids minted by
/// another system (a migration, a fixture) stay usable; such ids simply never match ours.
macro_rules! hex_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub const MAX_LEN: usize = 64;

            pub fn parse(text: &str) -> Result<$name, IdError> {
                check_token(text, Self::MAX_LEN, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')?;
                Ok($name(text.to_owned()))
            }

            /// Mints a new id from 16 random bytes supplied by the caller (the domain has no
            /// randomness of its own).
            pub fn from_random(bytes: [u8; 16]) -> $name {
                $name(hex::encode(bytes))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_id!(
    /// A cloud account's domain id: the `X-Domain-Id` the SDK sends, and a customer's
    /// `customer_id` in the BSS API.
    AccountId
);
hex_id!(
    /// A partner's id: the BSS API's `partner_id` / `indirect_partner_id`.
    PartnerId
);
hex_id!(
    /// An audit event's id.
    AuditEventId
);
hex_id!(
    /// A notification's id in the outbox.
    NotificationId
);
hex_id!(
    /// A member of the operator's staff.
    StaffId
);
hex_id!(
    /// A member of a partner's organization.
    MemberId
);
hex_id!(
    /// A partner's custom role.
    RoleId
);
hex_id!(
    /// A yearly/monthly resource: what an order line provisions (B1.7 `resource_id`).
    ResourceId
);

/// An order id (B1.6 `order_id`). We mint Huawei Cloud's style: `CS`, the UTC date and time
/// (`yyMMddHHmmss`), five random characters. Parsing accepts any id of up to 64
/// `[0-9A-Za-z_-]` characters, like the hexadecimal ids.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderId(String);

impl OrderId {
    pub const MAX_LEN: usize = 64;
    const ALPHABET: &'static [u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    pub fn parse(text: &str) -> Result<OrderId, IdError> {
        check_token(text, Self::MAX_LEN, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')?;
        Ok(OrderId(text.to_owned()))
    }

    /// Mints the id of an order placed at `now`, its tail one character per caller-supplied
    /// random byte from a 32-character alphabet without look-alikes.
    pub fn mint(now: Timestamp, bytes: [u8; 5]) -> OrderId {
        let (y, mo, d, h, mi, s) = now.to_utc();
        let tail: String = bytes.iter().map(|b| Self::ALPHABET[usize::from(b % 32)] as char).collect();
        OrderId(format!("CS{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}{tail}", y % 100))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An access key id (the "AK"): 1 to 128 ASCII letters and digits. We mint 20 uppercase
/// characters, the length of Huawei Cloud's AKs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    pub const MAX_LEN: usize = 128;
    pub const MINTED_LEN: usize = 20;
    const ALPHABET: &'static [u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    pub fn parse(text: &str) -> Result<AccessKeyId, IdError> {
        check_token(text, Self::MAX_LEN, |c| c.is_ascii_alphanumeric())?;
        Ok(AccessKeyId(text.to_owned()))
    }

    /// Mints an AK from caller-supplied random bytes, one character per byte from a
    /// 32-character alphabet without look-alikes (no 0/O, 1/I).
    pub fn from_random(bytes: [u8; Self::MINTED_LEN]) -> AccessKeyId {
        AccessKeyId(bytes.iter().map(|b| Self::ALPHABET[usize::from(b % 32)] as char).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccessKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_token(text: &str, max: usize, allowed: impl Fn(char) -> bool) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    if text.len() > max {
        return Err(IdError::TooLong { max });
    }
    if !text.chars().all(allowed) {
        return Err(IdError::BadCharacters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_are_32_hex_digits_and_parse_back() {
        let id = AccountId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "abababababababababababababababab");
        assert_eq!(AccountId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn ids_refuse_empty_long_and_foreign_characters() {
        assert_eq!(PartnerId::parse(""), Err(IdError::Empty));
        assert_eq!(PartnerId::parse(&"a".repeat(65)), Err(IdError::TooLong { max: 64 }));
        assert_eq!(PartnerId::parse("a b"), Err(IdError::BadCharacters));
        assert_eq!(PartnerId::parse("a/../b"), Err(IdError::BadCharacters));
        assert_eq!(PartnerId::parse("é"), Err(IdError::BadCharacters));
        assert!(PartnerId::parse("partner_01-x").is_ok());
    }

    #[test]
    fn order_ids_are_minted_in_huawei_clouds_style_and_parse_back() {
        let at = Timestamp::from_utc(2026, 1, 31, 9, 5, 7).unwrap();
        let id = OrderId::mint(at, [0, 1, 31, 32, 255]);
        assert_eq!(id.as_str(), "CS260131090507AB9A9");
        assert_eq!(OrderId::parse(id.as_str()), Ok(id));
        assert_eq!(OrderId::parse("CS1 2"), Err(IdError::BadCharacters));
        assert_eq!(OrderId::parse(&"C".repeat(65)), Err(IdError::TooLong { max: 64 }));
        assert_eq!(ResourceId::from_random([0x0f; 16]).as_str(), "0f".repeat(16));
    }

    #[test]
    fn access_keys_are_alphanumeric() {
        let ak = AccessKeyId::from_random([7; 20]);
        assert_eq!(ak.as_str().len(), 20);
        assert!(ak.as_str().bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        assert!(AccessKeyId::parse("EXAMPLEAK0000000001").is_ok());
        assert_eq!(AccessKeyId::parse("AK-1"), Err(IdError::BadCharacters));
    }
}
