//! An email address, parsed once: the text as the person typed it (trimmed), its local part and
//! its domain. Not a full RFC 5322 parser, only what catches typos before the network.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Why a text is not an email address, in words for the person (the wizard shows it under the
/// field, and it is the diagnosis of a refused address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    Empty,
    NoAt,
    NoLocalPart,
    NotADomain,
    Spaces,
}

impl AddressProblem {
    pub fn message(self) -> String {
        match self {
            AddressProblem::Empty => crate::tr!("eng-address-empty"),
            AddressProblem::NoAt => crate::tr!("eng-address-no-at"),
            AddressProblem::NoLocalPart => crate::tr!("eng-address-no-local-part"),
            AddressProblem::NotADomain => crate::tr!("eng-address-not-a-domain"),
            AddressProblem::Spaces => crate::tr!("eng-address-spaces"),
        }
    }
}

impl fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AddressProblem {}

/// `text` split at its last `@` into local part and domain, for text that may not be a valid
/// address (a log line, a server's redirect). The last one, because a quoted local part may
/// hold an `@` (RFC 5322 3.4.1, `"a@b"@example.com`) and a domain never does.
pub fn split(text: &str) -> Option<(&str, &str)> {
    text.rsplit_once('@')
}

/// An address that looks like `local@domain` with a dotted domain. Serialized as the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress {
    /// As typed, without surrounding spaces.
    text: String,
    /// Where the last `@` is in `text`.
    at: usize,
    /// The domain in lower case (domain names compare without case, RFC 4343).
    domain: String,
}

impl EmailAddress {
    pub fn parse(text: &str) -> Result<EmailAddress, AddressProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AddressProblem::Empty);
        }
        let Some((local, domain)) = split(text) else {
            return Err(AddressProblem::NoAt);
        };
        if local.is_empty() {
            return Err(AddressProblem::NoLocalPart);
        }
        if domain.is_empty() || !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(AddressProblem::NotADomain);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(AddressProblem::Spaces);
        }
        Ok(EmailAddress { text: text.to_owned(), at: local.len(), domain: domain.to_ascii_lowercase() })
    }

    /// The whole address, as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The part before the last `@`, as typed (a login name keeps its case).
    pub fn local_part(&self) -> &str {
        &self.text[..self.at]
    }

    /// The part after the last `@`, in lower case.
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

impl FromStr for EmailAddress {
    type Err = AddressProblem;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EmailAddress::parse(s)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = AddressProblem;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&s)
    }
}

impl From<EmailAddress> for String {
    fn from(a: EmailAddress) -> String {
        a.text
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (String, String, String) {
        let a = EmailAddress::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        (a.as_str().to_owned(), a.local_part().to_owned(), a.domain().to_owned())
    }

    #[test]
    fn parts_of_an_address() {
        let own = |a: &str, l: &str, d: &str| (a.to_owned(), l.to_owned(), d.to_owned());
        assert_eq!(parts("alice@example.test"), own("alice@example.test", "alice", "example.test"));
        assert_eq!(
            parts("  a.b+tag@mail.example.co.uk\t"),
            own("a.b+tag@mail.example.co.uk", "a.b+tag", "mail.example.co.uk")
        );
        // The local part keeps its case (it can be a login name); the domain does not.
        assert_eq!(parts("Alice@Example.COM"), own("Alice@Example.COM", "Alice", "example.com"));
        // A quoted local part may hold an @: the domain is after the last one.
        assert_eq!(parts("\"a@b\"@example.com"), own("\"a@b\"@example.com", "\"a@b\"", "example.com"));
        assert_eq!(parts("a@b@example.com"), own("a@b@example.com", "a@b", "example.com"));
        // Internationalised and punycode domains are domains.
        assert_eq!(parts("émile@bücher.example"), own("émile@bücher.example", "émile", "bücher.example"));
        assert_eq!(parts("x@XN--BCHER-KVA.example"), own("x@XN--BCHER-KVA.example", "x", "xn--bcher-kva.example"));
    }

    #[test]
    fn what_is_not_an_address() {
        use AddressProblem::*;
        for (text, problem) in [
            ("", Empty),
            (" \t ", Empty),
            ("alice", NoAt),
            ("@example.com", NoLocalPart),
            ("alice@", NotADomain),
            ("alice@localhost", NotADomain),
            ("alice@.example.com", NotADomain),
            ("alice@example.com.", NotADomain),
            ("alice@example.com@", NotADomain),
            ("al ice@example.com", Spaces),
            ("\"al ice\"@example.com", Spaces),
            ("alice@exa\u{7}mple.com", Spaces),
            ("alice@exa mple.com", Spaces),
        ] {
            assert_eq!(EmailAddress::parse(text), Err(problem), "{text:?}");
        }
    }

    #[test]
    fn serialized_as_the_text_and_checked_when_read() {
        let a = EmailAddress::parse(" Alice@Example.com ").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"Alice@Example.com\"");
        let back: EmailAddress = serde_json::from_str("\"Alice@Example.com\"").unwrap();
        assert_eq!(back, a);
        let refused = serde_json::from_str::<EmailAddress>("\"alice\"").unwrap_err();
        assert!(refused.to_string().contains(&NoAt.message()), "{refused}");
    }

    use AddressProblem::NoAt;
}
