//! The vocabulary of a mailbox connection. Serializable, and never holds a secret.

use crate::address::{split, AddressProblem, EmailAddress};
use crate::certificate::{FingerprintError, Sha256Fingerprint};
use crate::error::EngineError;
/// Defined with the progress events, which carry it; part of the account's vocabulary too.
pub use crate::progress::Side;
use crate::server_text::shown_plain;
use serde::{Deserialize, Serialize};

/// What the user picked on the first step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum MailboxKind {
    Gmail,
    Microsoft365,
    Exchange,
    Imap,
    Pop3,
}

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Implicit TLS from the first byte (RFC 8314), e.g. IMAP on 993.
    Tls,
    /// Plain connection upgraded with STARTTLS (RFC 3501 6.2.1), e.g. IMAP on 143.
    Starttls,
    /// No encryption at all. Only used when the user explicitly chose it.
    None,
}

impl Security {
    /// The protocol names stay as they are; "no encryption" is words, in the user's language.
    pub fn label(self) -> String {
        match self {
            Security::Tls => "TLS".to_owned(),
            Security::Starttls => "STARTTLS".to_owned(),
            Security::None => crate::tr!("eng-security-none"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    Imap,
    Pop3,
    Smtp,
}

impl Protocol {
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Imap => "IMAP",
            Protocol::Pop3 => "POP3",
            Protocol::Smtp => "SMTP",
        }
    }
}

/// The port `protocol` normally uses with `security`: the one table of usual ports, for the
/// wizard's prefilled fields, the CLI's defaults and discovery's guesses. IMAP 993 with TLS
/// (RFC 8314), else 143 (RFC 3501); POP3 995 with TLS (RFC 8314), else 110 (RFC 1939); SMTP
/// submission 465 with TLS (RFC 8314), else 587 (RFC 6409).
pub const fn default_port(protocol: Protocol, security: Security) -> u16 {
    match (protocol, security) {
        (Protocol::Imap, Security::Tls) => 993,
        (Protocol::Imap, _) => 143,
        (Protocol::Pop3, Security::Tls) => 995,
        (Protocol::Pop3, _) => 110,
        (Protocol::Smtp, Security::Tls) => 465,
        (Protocol::Smtp, _) => 587,
    }
}

/// Whether TLS starts with the first byte on `port` when nothing else says so: the usual
/// implicit-TLS port of a mail protocol (RFC 8314 sections 3.3 and 7.3: 993, 995, 465).
pub(crate) fn implicit_tls_port(port: u16) -> bool {
    [Protocol::Imap, Protocol::Pop3, Protocol::Smtp].into_iter().any(|p| default_port(p, Security::Tls) == port)
}

/// Where a server is and how to talk to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// A host name as the engine compares it: no surrounding spaces, no trailing dot (`host.` and
/// `host` are the same host, RFC 1034 3.1), lower case. The one normaliser for pins, the
/// "already saved" check and redirects.
pub(crate) fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `host:port` as people and URLs write it, with an IPv6 literal in brackets (`[::1]:993`,
/// RFC 3986 3.2.2) so the port stays readable. The one way the engine shows a server.
pub fn host_port(host: &str, port: u16) -> String {
    // A host name never contains a colon, an IPv6 address always does.
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

impl Endpoint {
    pub fn display(&self) -> String {
        host_port(&self.host, self.port)
    }
}

/// How the user signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    Password,
    /// Browser sign-in (OAuth2); the mail server gets a bearer token by XOAUTH2 or OAUTHBEARER
    /// (RFC 7628).
    #[serde(rename = "oauth2")]
    OAuth2,
}

impl AuthMethod {
    pub fn label(self) -> String {
        match self {
            AuthMethod::Password => crate::tr!("eng-auth-password"),
            AuthMethod::OAuth2 => crate::tr!("eng-auth-browser"),
        }
    }
}

/// Where and how to sign in on a server reached by host and port, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ServerSettings {
    pub endpoint: Endpoint,
    /// The login name. None means "try the whole address, then the local part".
    pub username: Option<String>,
    pub auth: AuthMethod,
    /// The user confirmed sending the password over an unencrypted connection.
    /// Only meaningful with `Security::None`; never implied.
    pub allow_plaintext_password: bool,
}

/// The incoming server: one variant per backend, so an incoming SMTP server cannot be
/// represented. Tagged by `protocol` next to the server's fields, as settings were always stored
/// (`{"protocol":"imap","endpoint":...}`), so mailboxes saved by earlier versions still load.
///
/// Reserved, not yet variants because nothing can use them: Microsoft Graph and EWS, which are
/// reached by a URL rather than host:port, and will carry their own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "protocol", rename_all = "snake_case")]
pub enum IncomingServer {
    Imap(ServerSettings),
    Pop3(ServerSettings),
}

impl IncomingServer {
    pub fn protocol(&self) -> Protocol {
        match self {
            IncomingServer::Imap(_) => Protocol::Imap,
            IncomingServer::Pop3(_) => Protocol::Pop3,
        }
    }

    pub fn settings(&self) -> &ServerSettings {
        match self {
            IncomingServer::Imap(s) | IncomingServer::Pop3(s) => s,
        }
    }

    pub fn settings_mut(&mut self) -> &mut ServerSettings {
        match self {
            IncomingServer::Imap(s) | IncomingServer::Pop3(s) => s,
        }
    }
}

/// The outgoing (SMTP submission) server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct OutgoingSettings {
    pub endpoint: Endpoint,
    /// None: the username that worked for the incoming server.
    pub username: Option<String>,
    /// True: sign in with the incoming password (the usual case).
    pub same_password: bool,
    /// As for incoming: only with `Security::None`, only when the user confirmed it.
    pub allow_plaintext_password: bool,
}

/// A certificate the user chose to trust for one host and port, although it failed verification.
/// Only a certificate with exactly this SHA-256 fingerprint is accepted there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct TrustedCertificate {
    pub host: String,
    pub port: u16,
    pub sha256_fingerprint: String,
    /// For display in the mailbox's settings (what was trusted, until when).
    pub subject: String,
    pub not_after: String,
}

impl TrustedCertificate {
    /// The pinned fingerprint as bytes. The stored text may be written any common way (see
    /// [`Sha256Fingerprint`]'s `FromStr`); anything else is invalid input.
    pub fn fingerprint(&self) -> Result<Sha256Fingerprint, EngineError> {
        self.sha256_fingerprint.parse().map_err(|e: FingerprintError| EngineError::InvalidInput {
            field: "sha256_fingerprint",
            message: crate::tr!(
                "eng-trusted-fingerprint-invalid",
                server = host_port(&self.host, self.port),
                fingerprint = shown_plain(&self.sha256_fingerprint),
                problem = e.to_string()
            ),
        })
    }

    /// Whether this pin is for `host` and `port`; host names compare as [`normalize_host`] makes them.
    pub(crate) fn is_for(&self, host: &str, port: u16) -> bool {
        self.port == port && normalize_host(&self.host) == normalize_host(host)
    }
}

/// Every pin must be a fingerprint: a malformed one is refused before any connection, rather than
/// refusing every certificate as "changed".
pub(crate) fn validate_trusted_certificates(trusted: &[TrustedCertificate]) -> Result<(), EngineError> {
    trusted.iter().try_for_each(|t| t.fingerprint().map(|_| ()))
}

/// A mailbox as the user describes it before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxSettings {
    pub kind: MailboxKind,
    /// Checked when read: settings with a text that is no address do not deserialize.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub email: EmailAddress,
    pub incoming: IncomingServer,
    /// None: no outgoing server is checked or stored.
    #[serde(default)]
    pub outgoing: Option<OutgoingSettings>,
    #[serde(default)]
    pub trusted_certificates: Vec<TrustedCertificate>,
}

/// Checks that an address looks like `local@domain` with a dotted domain ([`EmailAddress`]).
pub(crate) fn validate_email(email: &str) -> Result<(), String> {
    EmailAddress::parse(email).map(drop).map_err(AddressProblem::message)
}

/// What the engine makes of an address as it is typed: the wizard shows `problem` under the
/// field. Asked on every keystroke, so it never touches the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AddressCheck {
    /// Why the address cannot be used, in words for the person; None when it can.
    pub problem: Option<String>,
}

/// [`validate_email`] for the wizard.
pub fn check_address(email: &str) -> AddressCheck {
    AddressCheck { problem: validate_email(email).err() }
}

/// The part of an address before the last `@`.
pub fn local_part(email: &str) -> &str {
    split(email.trim()).map(|(l, _)| l).unwrap_or(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validation() {
        assert!(validate_email("alice@example.test").is_ok());
        assert!(validate_email("a.b+tag@mail.example.co.uk").is_ok());
        assert!(validate_email("alice").is_err());
        assert!(validate_email("@example.com").is_err());
        assert!(validate_email("alice@localhost").is_err());
        assert!(validate_email("ali ce@example.com").is_err());
        assert_eq!(local_part("alice@example.test"), "alice");
    }

    #[test]
    fn address_checks_say_what_is_wrong_in_words() {
        let problem = |email: &str| check_address(email).problem;
        for fine in ["alice@example.test", "a.b+tag@mail.example.co.uk", "  alice@example.com  "] {
            assert_eq!(problem(fine), None, "{fine}");
        }
        let domain_wanted = Some("The part after @ must be a domain such as example.com.".to_owned());
        for (email, expected) in [
            ("", Some("Type your email address.".to_owned())),
            ("   ", Some("Type your email address.".to_owned())),
            ("alice", Some("An email address looks like name@example.com.".to_owned())),
            ("@example.com", Some("The part before @ is missing.".to_owned())),
            ("alice@", domain_wanted.clone()),
            ("alice@localhost", domain_wanted.clone()),
            ("alice@.example.com", domain_wanted.clone()),
            ("alice@example.com.", domain_wanted),
            ("al ice@example.com", Some("An email address cannot contain spaces.".to_owned())),
            ("alice@exa\u{7}mple.com", Some("An email address cannot contain spaces.".to_owned())),
        ] {
            assert_eq!(problem(email), expected, "{email:?}");
        }
    }

    /// Settings as the store kept them before Credentials and IncomingServer existed.
    const STORED_BEFORE: &str = r#"{"kind":"pop3","email":"bob@example.test","incoming":{"protocol":"pop3","endpoint":{"host":"pop.example.test","port":110,"security":"none"},"username":null,"auth":"password","allowPlaintextPassword":true},"outgoing":null,"trustedCertificates":[]}"#;

    #[test]
    fn a_mailbox_stored_in_the_old_shape_reads_as_the_typed_incoming_server() {
        let settings: MailboxSettings = serde_json::from_str(STORED_BEFORE).expect("old settings load");
        let expected = IncomingServer::Pop3(ServerSettings {
            endpoint: Endpoint { host: "pop.example.test".into(), port: 110, security: Security::None },
            username: None,
            auth: AuthMethod::Password,
            allow_plaintext_password: true,
        });
        assert_eq!(settings.incoming, expected);
        assert_eq!(settings.email, EmailAddress::parse("bob@example.test").unwrap());
        assert_eq!(serde_json::to_string(&settings).unwrap(), STORED_BEFORE, "saved again unchanged");
    }

    #[test]
    fn smtp_is_not_an_incoming_server() {
        let stored = STORED_BEFORE.replace(r#""protocol":"pop3""#, r#""protocol":"smtp""#);
        let refused = serde_json::from_str::<MailboxSettings>(&stored).unwrap_err();
        assert!(refused.to_string().contains("unknown variant `smtp`"), "{refused}");
    }

    #[test]
    fn settings_with_a_text_that_is_no_address_are_refused_in_words() {
        for (email, problem) in
            [("bob", AddressProblem::NoAt), ("bob@localhost", AddressProblem::NotADomain), ("", AddressProblem::Empty)]
        {
            let stored = STORED_BEFORE.replace("bob@example.test", email);
            let refused = serde_json::from_str::<MailboxSettings>(&stored).unwrap_err();
            assert!(refused.to_string().contains(&problem.message()), "{email:?}: {refused}");
        }
    }

    #[test]
    fn browser_sign_in_is_stored_as_oauth2() {
        assert_eq!(serde_json::to_string(&AuthMethod::OAuth2).unwrap(), r#""oauth2""#);
        assert_eq!(serde_json::from_str::<AuthMethod>(r#""password""#).unwrap(), AuthMethod::Password);
    }

    #[test]
    fn usual_ports() {
        use Protocol::{Imap, Pop3, Smtp};
        use Security::{None as Plain, Starttls, Tls};
        for (protocol, security, port) in [
            (Imap, Tls, 993),
            (Imap, Starttls, 143),
            (Imap, Plain, 143),
            (Pop3, Tls, 995),
            (Pop3, Starttls, 110),
            (Pop3, Plain, 110),
            (Smtp, Tls, 465),
            (Smtp, Starttls, 587),
            (Smtp, Plain, 587),
        ] {
            assert_eq!(default_port(protocol, security), port, "{protocol:?} {security:?}");
        }
    }

    #[test]
    fn ipv6_literals_are_shown_in_brackets() {
        assert_eq!(host_port("::1", 993), "[::1]:993");
        assert_eq!(host_port("2001:db8::25", 587), "[2001:db8::25]:587");
        assert_eq!(host_port("fe80::1%eth0", 993), "[fe80::1%eth0]:993");
        assert_eq!(host_port("[::1]", 993), "[::1]:993", "not bracketed twice");
        assert_eq!(host_port("127.0.0.1", 143), "127.0.0.1:143");
        assert_eq!(host_port("imap.example.com", 993), "imap.example.com:993");
        let endpoint = Endpoint { host: "::1".into(), port: 465, security: Security::Tls };
        assert_eq!(endpoint.display(), "[::1]:465");
    }

    #[test]
    fn a_pin_is_for_its_host_however_the_name_is_written() {
        let pin = TrustedCertificate {
            host: "Mail.Example.COM.".into(),
            port: 993,
            sha256_fingerprint: "sha256:".to_owned() + &"ab".repeat(32),
            subject: String::new(),
            not_after: String::new(),
        };
        assert!(pin.is_for("mail.example.com", 993));
        assert!(pin.is_for("MAIL.example.com.", 993));
        assert!(!pin.is_for("mail.example.com", 995));
        assert!(!pin.is_for("example.com", 993));
        assert_eq!(pin.fingerprint().unwrap().to_string(), vec!["AB"; 32].join(":"));
        let bad = TrustedCertificate { sha256_fingerprint: "AB:CD".into(), ..pin };
        assert!(matches!(
            validate_trusted_certificates(&[bad]),
            Err(EngineError::InvalidInput { field: "sha256_fingerprint", .. })
        ));
    }
}
