//! A host name the engine would dare to connect to, checked in one place for every source of one
//! (the wizard's fields, autoconfig, Autodiscover, DNS, redirects).

use crate::account::normalize_host;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest host name in its textual form (RFC 1035 2.3.4: 255 octets on the wire).
pub(crate) const MAX_HOST_NAME_CHARS: usize = 253;

/// Why a text is not a host name; `Display` completes "host name "x" ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostProblem {
    Empty,
    TooLong,
    Spaces,
    Slash,
    /// URL syntax, an address, a placeholder, an empty label, a misplaced hyphen...
    NotAHostName,
}

impl fmt::Display for HostProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HostProblem::Empty => "is empty",
            HostProblem::TooLong => "is longer than 253 characters",
            HostProblem::Spaces => "contains spaces",
            HostProblem::Slash => "contains a slash",
            HostProblem::NotAHostName => "is not a hostname",
        })
    }
}

impl std::error::Error for HostProblem {}

/// A DNS name (internationalised names and punycode too), an IPv4 address, or an IPv6 address
/// with or without brackets; normalised as [`normalize_host`] does (no trailing dot, lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostName(String);

impl HostName {
    pub fn parse(text: &str) -> Result<HostName, HostProblem> {
        let host = normalize_host(text);
        if host.is_empty() {
            return Err(HostProblem::Empty);
        }
        if host.chars().count() > MAX_HOST_NAME_CHARS {
            return Err(HostProblem::TooLong);
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(HostProblem::Spaces);
        }
        if host.contains(['/', '\\']) {
            return Err(HostProblem::Slash);
        }
        if is_ip_literal(&host) {
            return Ok(HostName(host));
        }
        // Letters, digits, hyphens (RFC 1123 2.1), any script's letters for an internationalised
        // name (RFC 5890), and the underscore some hosters' names carry; labels are not empty and
        // do not begin or end with a hyphen.
        let labels_fine = host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        });
        if !labels_fine {
            return Err(HostProblem::NotAHostName);
        }
        Ok(HostName(host))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// An IPv4 address, or an IPv6 address bare or in brackets (RFC 3986 3.2.2).
fn is_ip_literal(host: &str) -> bool {
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    bare.parse::<Ipv6Addr>().is_ok() || (bare.len() == host.len() && host.parse::<Ipv4Addr>().is_ok())
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for HostName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_and_addresses_are_accepted_and_normalised() {
        for (text, expected) in [
            ("imap.example.net", "imap.example.net"),
            ("  IMAP.Example.NET.\n", "imap.example.net"),
            ("localhost", "localhost"),
            ("mail_1.example.net", "mail_1.example.net"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("bücher.example", "bücher.example"),
            ("192.0.2.7", "192.0.2.7"),
            ("::1", "::1"),
            ("2001:DB8::25", "2001:db8::25"),
            ("[2001:db8::25]", "[2001:db8::25]"),
            ("1.example", "1.example"),
        ] {
            assert_eq!(HostName::parse(text).map(HostName::into_string), Ok(expected.to_owned()), "{text:?}");
        }
        assert!(HostName::parse(&"a".repeat(MAX_HOST_NAME_CHARS)).is_ok());
    }

    #[test]
    fn what_is_not_a_host_name() {
        use HostProblem::*;
        for (text, problem) in [
            ("", Empty),
            ("  ", Empty),
            (".", Empty),
            ("imap example.net", Spaces),
            ("imap.exa\u{7}mple.net", Spaces),
            ("imap.example.net/path", Slash),
            ("https://imap.example.net", Slash),
            ("imap\\example", Slash),
            ("user@imap.example.net", NotAHostName),
            ("%REALNAME%.example.net", NotAHostName),
            (".example.net", NotAHostName),
            ("a..b", NotAHostName),
            ("-imap.example.net", NotAHostName),
            ("imap-.example.net", NotAHostName),
            ("imap.example.net:993", NotAHostName),
            ("[imap.example.net]", NotAHostName),
            ("[192.0.2.7]", NotAHostName),
            ("2001:db8::g", NotAHostName),
            ("imap.example.net?x", NotAHostName),
            ("imap.example.net#x", NotAHostName),
            ("<imap.example.net>", NotAHostName),
            ("imap;example.net", NotAHostName),
            ("*.example.net", NotAHostName),
        ] {
            assert_eq!(HostName::parse(text), Err(problem), "{text:?}");
        }
        assert_eq!(HostName::parse(&"a".repeat(MAX_HOST_NAME_CHARS + 1)), Err(TooLong));
    }
}
