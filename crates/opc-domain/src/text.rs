//! Small validated text values shared by several entities.

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("is empty")]
    Empty,
    #[error("is shorter than {min} characters")]
    TooShort { min: usize },
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("has characters that are not allowed")]
    BadCharacters,
}

/// An ISO 3166-1 alpha-2 country or region code, uppercase (`SG`, `HK`, `DE`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(text: &str) -> Result<CountryCode, TextError> {
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(TextError::BadCharacters);
        }
        Ok(CountryCode(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's or company's display name: trimmed, 1–128 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_LEN: usize = 128;

    pub fn parse(text: &str) -> Result<DisplayName, TextError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        if text.chars().count() > Self::MAX_LEN {
            return Err(TextError::TooLong { max: Self::MAX_LEN });
        }
        if text.chars().any(char::is_control) {
            return Err(TextError::BadCharacters);
        }
        Ok(DisplayName(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_uppercase_letters() {
        assert!(CountryCode::parse("SG").is_ok());
        assert_eq!(CountryCode::parse(""), Err(TextError::Empty));
        assert_eq!(CountryCode::parse("sg"), Err(TextError::BadCharacters));
        assert_eq!(CountryCode::parse("SGP"), Err(TextError::BadCharacters));
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Example Ltd ").unwrap().as_str(), "Example Ltd");
        assert_eq!(DisplayName::parse("   "), Err(TextError::Empty));
        assert_eq!(DisplayName::parse(&"x".repeat(129)), Err(TextError::TooLong { max: 128 }));
        assert_eq!(DisplayName::parse("a\u{0}b"), Err(TextError::BadCharacters));
        assert!(DisplayName::parse("客户有限公司").is_ok());
    }
}
