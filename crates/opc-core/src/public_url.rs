//! The address people reach the server at, when the deployment names it (`--public-url`).
//!
//! A server behind a TLS-terminating proxy sees plain HTTP; only its operator knows that browsers
//! reach it over HTTPS. The console's cookies are marked by this (`Secure`, `__Host-`).

use std::fmt;

/// An absolute `http://` or `https://` URL with a host, without query or fragment; kept without
/// a trailing slash.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicUrl {
    text: String,
    https: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PublicUrlError {
    #[error("the public URL must start with https:// or http://")]
    Scheme,
    #[error("the public URL must name a host")]
    NoHost,
    #[error("the public URL must have no query, fragment, user information or spaces")]
    Malformed,
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, PublicUrlError> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or(PublicUrlError::Scheme)?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(PublicUrlError::Scheme),
        };
        if rest.contains(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '@' | '\\')) {
            return Err(PublicUrlError::Malformed);
        }
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(PublicUrlError::NoHost);
        }
        let kept = format!("{}://{}", scheme.to_ascii_lowercase(), rest.trim_end_matches('/'));
        Ok(PublicUrl { text: kept, https })
    }

    /// Whether browsers reach the server over HTTPS.
    pub fn is_https(&self) -> bool {
        self.https
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The origin browsers send from pages under this URL: `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        let after_scheme = self.text.find("://").map_or(0, |i| i + 3);
        match self.text[after_scheme..].find('/') {
            Some(slash) => &self.text[..after_scheme + slash],
            None => &self.text,
        }
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicUrl({})", self.text)
    }
}

impl std::str::FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(text: &str) -> Result<PublicUrl, PublicUrlError> {
        PublicUrl::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_the_scheme_and_host() {
        let origin = |text: &str| PublicUrl::parse(text).unwrap().origin().to_owned();
        assert_eq!(origin("https://console.example/partners/"), "https://console.example");
        assert_eq!(origin("HTTP://console.example:8443"), "http://console.example:8443");
    }

    #[test]
    fn https_and_http_urls_are_kept_without_a_trailing_slash() {
        let url = PublicUrl::parse(" HTTPS://partners.example.com/ ").unwrap();
        assert_eq!((url.as_str(), url.is_https()), ("https://partners.example.com", true));
        let url = PublicUrl::parse("http://127.0.0.1:8080/console").unwrap();
        assert_eq!((url.as_str(), url.is_https()), ("http://127.0.0.1:8080/console", false));
    }

    #[test]
    fn other_schemes_hostless_and_malformed_urls_are_refused() {
        assert_eq!(PublicUrl::parse("partners.example.com"), Err(PublicUrlError::Scheme));
        assert_eq!(PublicUrl::parse("ftp://partners.example.com"), Err(PublicUrlError::Scheme));
        assert_eq!(PublicUrl::parse("https://"), Err(PublicUrlError::NoHost));
        assert_eq!(PublicUrl::parse("https:///path"), Err(PublicUrlError::NoHost));
        assert_eq!(PublicUrl::parse("https://:443"), Err(PublicUrlError::NoHost));
        assert_eq!(PublicUrl::parse("https://a.example/?x=1"), Err(PublicUrlError::Malformed));
        assert_eq!(PublicUrl::parse("https://user@a.example"), Err(PublicUrlError::Malformed));
        assert_eq!(PublicUrl::parse("https://a example"), Err(PublicUrlError::Malformed));
    }
}
