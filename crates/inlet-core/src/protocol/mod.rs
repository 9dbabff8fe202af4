//! The mail protocols, over one seam: every check dials with a [`Dial`](crate::net::Dial), names
//! sign-in methods with one vocabulary ([`Mechanism`], [`Method`]), and signs in through one loop
//! ([`sign_in::sign_in`]: the username variants × the methods the server offers). Each protocol
//! keeps its own wire format, its capability reading and its checks.
//!
//! Layer: protocols use `net` (and the model below it), never `discover` or `service`.

pub mod bearer;
pub mod imap;
pub mod pop3;
pub mod sign_in;
pub mod smtp;

use std::fmt;

/// A SASL mechanism (RFC 4422) as servers name it in IMAP `AUTH=`, POP3 `SASL` and SMTP `AUTH`.
/// Inlet signs in with PLAIN (RFC 4616) and LOGIN with a password, with OAUTHBEARER (RFC 7628) and
/// XOAUTH2 with an OAuth2 access token ([`bearer`]); any other is kept by its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mechanism {
    Plain,
    Login,
    XOAuth2,
    OAuthBearer,
    /// Any other mechanism, by its name upper-cased (CRAM-MD5, SCRAM-SHA-256, GSSAPI, …).
    Other(String),
}

impl Mechanism {
    /// The mechanism a server names (any case).
    pub(crate) fn from_name(name: &str) -> Mechanism {
        let upper = name.to_ascii_uppercase();
        match upper.as_str() {
            "PLAIN" => Mechanism::Plain,
            "LOGIN" => Mechanism::Login,
            "XOAUTH2" => Mechanism::XOAuth2,
            "OAUTHBEARER" => Mechanism::OAuthBearer,
            _ => Mechanism::Other(upper),
        }
    }

    /// The name as servers write it, upper case.
    pub fn name(&self) -> &str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::XOAuth2 => "XOAUTH2",
            Mechanism::OAuthBearer => "OAUTHBEARER",
            Mechanism::Other(name) => name,
        }
    }

    /// Browser sign-in tokens (XOAUTH2, or OAUTHBEARER of RFC 7628).
    pub fn is_oauth2(&self) -> bool {
        matches!(self, Mechanism::XOAuth2 | Mechanism::OAuthBearer)
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names of `mechanisms`, for reports and errors.
pub fn names(mechanisms: &[Mechanism]) -> Vec<String> {
    mechanisms.iter().map(|m| m.name().to_owned()).collect()
}

/// How credentials go to the server: a SASL mechanism, or the protocol's own command for a password
/// (IMAP `LOGIN`, RFC 3501 6.2.3; POP3 `USER`/`PASS`, RFC 1939 section 7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Sasl(Mechanism),
    Command,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mechanisms_are_named_in_any_case() {
        assert_eq!(Mechanism::from_name("plain"), Mechanism::Plain);
        assert_eq!(Mechanism::from_name("XOAuth2"), Mechanism::XOAuth2);
        assert_eq!(Mechanism::from_name("cram-md5"), Mechanism::Other("CRAM-MD5".into()));
        assert_eq!(Mechanism::from_name("cram-md5").name(), "CRAM-MD5");
        assert!(Mechanism::OAuthBearer.is_oauth2() && !Mechanism::Login.is_oauth2());
    }
}
