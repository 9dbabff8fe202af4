//! Microsoft's "plain old XML" Autodiscover ([MS-OXDSCLI]), the format: the request we POST and
//! the answer's reading. The HTTP side (URLs, redirects, credentials, deadlines) lives in
//! [`crate::discover::sources::http::HttpSources::autodiscover_pox`].
//!
//! The request names the address and asks for the Outlook response schema 2006a
//! ([MS-OXDSCLI] 2.2.3, request; 2.2.4, response). The answer's `<Account>` says what to do
//! ([MS-OXDSCLI] 2.2.4.1.1.2, `<Action>`):
//!
//! - `settings`: one `<Protocol>` per server; we keep `IMAP`, `POP3` and `SMTP` and note the
//!   others (`EXCH`, `EXPR`, `EXHTTP`, `WEB`, ...) in [`PoxSettings::other_types`];
//! - `redirectUrl`: ask again at `<RedirectUrl>` (an HTTPS URL);
//! - `redirectAddr`: ask again for another address, `<RedirectAddr>`;
//! - an `<Error>` (under `<Response>` or `<Account>`, [MS-OXDSCLI] 2.2.4.1.1.3) with an
//!   `<ErrorCode>` and a `<Message>`.
//!
//! Like the autoconfig parser, it is strict about the XML and forgiving about the content: the
//! answer comes from whoever holds the domain (or sits in front of it), so resources are bounded
//! (size, nesting, element count), DTDs are skipped and never expanded, namespaces are ignored
//! (elements are known by their local name; hosters get the namespaces wrong often enough), and
//! one unusable `<Protocol>` is skipped with a warning without spoiling the others.
//!
//! One file, over the usual size: one parser; a third of the file is its tests.

use std::fmt;

use super::autoconfig::MAX_DOCUMENT_BYTES;
use super::xml::{self, line_col, Element, Grammar, TreeError};
use crate::account::{default_port, implicit_tls_port, Endpoint, Protocol, Security};
use crate::address::EmailAddress;
use crate::host::HostName;

/// The request schema ([MS-OXDSCLI] 2.2.3).
pub(crate) const REQUEST_SCHEMA: &str = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
/// The response schema we accept: Outlook's, the one that carries IMAP/POP3/SMTP settings.
pub const RESPONSE_SCHEMA: &str = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
/// Deepest element nesting accepted (an answer needs 6: Autodiscover/Response/Account/
/// Protocol/Internal/OWAUrl).
pub(crate) const MAX_DEPTH: usize = 32;
/// Most elements accepted in one answer (a full Exchange answer has a few hundred).
pub(crate) const MAX_ELEMENTS: usize = 10_000;
/// Longest login name, address or error message kept.
const MAX_VALUE_CHARS: usize = 512;
/// Longest redirect URL accepted.
const MAX_URL_CHARS: usize = 2048;

/// Why an answer could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoxError {
    /// Over [`MAX_DOCUMENT_BYTES`], deeper than [`MAX_DEPTH`] or more than [`MAX_ELEMENTS`]
    /// elements.
    #[error("the Autodiscover answer is too large: {0}")]
    TooLarge(String),
    /// Not well-formed XML (or not UTF-8); the text has the position and the reason.
    #[error("the Autodiscover answer is not well-formed XML: {0}")]
    Malformed(String),
    /// Well-formed, but not an `<Autodiscover>` answer (an HTML page, an autoconfig file...).
    #[error("the answer is not an Autodiscover answer ({0})")]
    NotAutodiscover(String),
    /// An Autodiscover answer that contradicts itself (a redirect without a target...).
    #[error("the Autodiscover answer is unusable: {0}")]
    Unusable(String),
}

/// What an Autodiscover answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoxAnswer {
    /// `<Action>settings</Action>`, possibly without any server we speak.
    Settings(PoxSettings),
    /// `<Action>redirectUrl</Action>`: ask again at this URL (not checked beyond its length;
    /// the HTTP side insists on HTTPS).
    RedirectUrl(String),
    /// `<Action>redirectAddr</Action>`: ask again for this address.
    RedirectAddress(String),
    /// An `<Error>` answer.
    Error(PoxServerError),
}

/// The servers of a `settings` answer, in the answer's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoxSettings {
    pub servers: Vec<PoxServer>,
    /// `<Type>` of every `<Protocol>` we do not speak (`EXCH`, `EXPR`, `WEB`...), once each.
    pub other_types: Vec<String>,
    /// Everything skipped or corrected, one sentence each, for the trace.
    pub warnings: Vec<String>,
}

/// One IMAP, POP3 or SMTP `<Protocol>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoxServer {
    pub protocol: Protocol,
    pub endpoint: Endpoint,
    /// `<LoginName>`, when given.
    pub login_name: Option<String>,
    /// `<SPA>`: Secure Password Authentication (NTLM) required. None when not said.
    pub spa: Option<bool>,
    /// `<AuthRequired>` (SMTP): whether the server wants a sign-in. None when not said.
    pub auth_required: Option<bool>,
}

/// An `<Error>` answer ([MS-OXDSCLI] 2.2.4.1.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoxServerError {
    /// `<ErrorCode>` as written (500, 501, 600...).
    pub code: Option<String>,
    /// `<Message>`, trimmed and shortened.
    pub message: Option<String>,
}

impl PoxServerError {
    /// Whether the error means "nothing here for this address" rather than a failure: 500 (the
    /// address is unknown), 501 (it has no configuration), 601 (no configuration of the schema
    /// we asked for) — [MS-OXDSCLI] 2.2.4.1.1.3.2.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self.code.as_deref(), Some("500" | "501" | "601"))
    }
}

impl fmt::Display for PoxServerError {
    /// Plain words first, the server's own code and message after.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words = match self.code.as_deref() {
            Some("500") => "the server does not know this address",
            Some("501") => "the server has no settings for this address",
            Some("600") => "the server did not understand the request",
            Some("601") => "the server offers no settings in the format Inlet asks for",
            Some("602") => "the server's settings for this address are broken",
            Some("603") => "the server failed (internal error)",
            _ => "the server answered with an error",
        };
        f.write_str(words)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, " (Autodiscover error {code}: {message})"),
            (Some(code), None) => write!(f, " (Autodiscover error {code})"),
            (None, Some(message)) => write!(f, " ({message})"),
            (None, None) => Ok(()),
        }
    }
}

/// The request body for `email` ([MS-OXDSCLI] 2.2.3.1): the address and the response schema
/// we accept.
pub(crate) fn request_body(email: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n\
         <Autodiscover xmlns=\"{REQUEST_SCHEMA}\">\r\n\
         \x20 <Request>\r\n\
         \x20   <EMailAddress>{}</EMailAddress>\r\n\
         \x20   <AcceptableResponseSchema>{RESPONSE_SCHEMA}</AcceptableResponseSchema>\r\n\
         \x20 </Request>\r\n\
         </Autodiscover>\r\n",
        escape(email)
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Reads an Autodiscover answer.
pub fn parse(xml: &[u8]) -> Result<PoxAnswer, PoxError> {
    if xml.len() > MAX_DOCUMENT_BYTES {
        return Err(PoxError::TooLarge(format!("{} bytes; the limit is {MAX_DOCUMENT_BYTES}", xml.len())));
    }
    let xml = xml.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(xml);
    let text = std::str::from_utf8(xml).map_err(|e| {
        let valid = std::str::from_utf8(&xml[..e.valid_up_to()]).unwrap_or("");
        PoxError::Malformed(format!("not UTF-8 text (invalid byte at {})", line_col(valid, valid.len())))
    })?;
    let root = read_tree(text)?;
    interpret(&root)
}

// ---------------------------------------------------------------------------------------------
// Text to a small element tree (`super::xml`; the answer is small, the limits bound it).

fn read_tree(text: &str) -> Result<Element, PoxError> {
    // Names match in any case: hosters write `<AutoDiscover>` and `<Redirecturl>`.
    let grammar = Grammar { root: "Autodiscover", max_depth: MAX_DEPTH, max_elements: MAX_ELEMENTS, ignore_case: true };
    xml::read_tree(text, &grammar).map_err(|e| match e {
        TreeError::TooLarge(why) => PoxError::TooLarge(why),
        TreeError::Malformed(why) => PoxError::Malformed(why),
        TreeError::WrongRoot(name) => PoxError::NotAutodiscover(format!("its root element is <{name}>")),
    })
}

// ---------------------------------------------------------------------------------------------
// The tree to an answer.

fn interpret(root: &Element) -> Result<PoxAnswer, PoxError> {
    let response = root.child("Response").ok_or_else(|| PoxError::NotAutodiscover("no <Response>".into()))?;
    // An error about the request as a whole sits directly under <Response> (600, 601...).
    if let Some(error) = response.child("Error") {
        return Ok(PoxAnswer::Error(server_error(error)));
    }
    let Some(account) = response.child("Account") else {
        let mut settings = PoxSettings::default();
        settings.warnings.push("the answer has no <Account>".into());
        return Ok(PoxAnswer::Settings(settings));
    };
    if let Some(error) = account.child("Error") {
        return Ok(PoxAnswer::Error(server_error(error)));
    }
    // [MS-OXDSCLI] 2.2.4.1.1.2.2: Action is "settings", "redirectAddr" or "redirectUrl". An
    // answer without one but with <Protocol>s is read as settings.
    let action = account.child_text("Action").unwrap_or("settings");
    match action.to_ascii_lowercase().as_str() {
        "redirecturl" => {
            let url = account
                .child_text("RedirectUrl")
                .ok_or_else(|| PoxError::Unusable("<Action>redirectUrl</Action> without a <RedirectUrl>".into()))?;
            if url.chars().count() > MAX_URL_CHARS || url.chars().any(char::is_control) {
                return Err(PoxError::Unusable("the <RedirectUrl> is not a usable URL".into()));
            }
            Ok(PoxAnswer::RedirectUrl(url.to_owned()))
        }
        "redirectaddr" => {
            let address = account
                .child_text("RedirectAddr")
                .ok_or_else(|| PoxError::Unusable("<Action>redirectAddr</Action> without a <RedirectAddr>".into()))?;
            if !looks_like_address(address) {
                return Err(PoxError::Unusable("the <RedirectAddr> is not an email address".into()));
            }
            Ok(PoxAnswer::RedirectAddress(address.to_owned()))
        }
        "settings" => Ok(PoxAnswer::Settings(settings(account))),
        other => {
            let mut settings = PoxSettings::default();
            settings.warnings.push(format!("unknown <Action> {:?}", shorten(other)));
            Ok(PoxAnswer::Settings(settings))
        }
    }
}

fn server_error(error: &Element) -> PoxServerError {
    PoxServerError {
        code: error.child_text("ErrorCode").map(shorten),
        message: error.child_text("Message").map(shorten),
    }
}

/// A value from the server as one short line (control characters dropped).
fn shorten(value: &str) -> String {
    let clean: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    if clean.chars().count() > 200 {
        format!("{}…", clean.chars().take(200).collect::<String>())
    } else {
        clean
    }
}

fn looks_like_address(value: &str) -> bool {
    EmailAddress::parse(value).is_ok()
        && value.chars().count() <= MAX_VALUE_CHARS
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '/' | '\\'))
}

fn settings(account: &Element) -> PoxSettings {
    let mut out = PoxSettings::default();
    for (index, protocol) in account.children("Protocol").enumerate() {
        let Some(kind) = protocol.child_text("Type") else {
            out.warnings.push(format!("<Protocol> {} has no <Type>; skipped", index + 1));
            continue;
        };
        // [MS-OXDSCLI] 2.2.4.1.1.2.6 (Type): EXCH, EXPR, EXHTTP and WEB are Exchange's own
        // protocols; POP3, SMTP and IMAP are the Internet ones.
        let kind_upper = kind.to_ascii_uppercase();
        let proto = match kind_upper.as_str() {
            "IMAP" => Protocol::Imap,
            "POP3" | "POP" => Protocol::Pop3,
            "SMTP" => Protocol::Smtp,
            _ => {
                let shown = shorten(&kind_upper);
                if !out.other_types.contains(&shown) {
                    out.other_types.push(shown);
                }
                continue;
            }
        };
        match server(protocol, proto, &mut out.warnings) {
            Ok(server) => out.servers.push(server),
            Err(why) => out.warnings.push(format!("{} server {}: {why}; skipped", proto.label(), index + 1)),
        }
    }
    out
}

/// `on`/`off` (Microsoft's spelling), also `true`/`false`/`1`/`0`.
fn switch(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Some(true),
        "off" | "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// `<Encryption>` values ([MS-OXDSCLI] 2.2.4.1.1.2.6, Encryption: None, SSL, TLS, Auto).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encryption {
    None,
    Ssl,
    Tls,
    Auto,
}

fn server(element: &Element, protocol: Protocol, warnings: &mut Vec<String>) -> Result<PoxServer, String> {
    let host = element.child_text("Server").ok_or("no <Server>")?;
    let host = HostName::parse(host).map_err(|_| format!("{:?} is not a host name", shorten(host)))?.into_string();
    let port = match element.child_text("Port") {
        None => None,
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|&p| p != 0)
                .ok_or_else(|| format!("port {:?} is not a port number", shorten(p)))?,
        ),
    };
    let label = format!("{} {host}", protocol.label());
    // [MS-OXDSCLI] 2.2.4.1.1.2.6 (SSL): "on" when absent.
    let ssl = match element.child_text("SSL") {
        None => true,
        Some(v) => switch(v).unwrap_or_else(|| {
            warnings.push(format!("{label}: <SSL> {:?} is neither on nor off; read as on", shorten(v)));
            true
        }),
    };
    let encryption = element.child_text("Encryption").and_then(|v| match v.to_ascii_lowercase().as_str() {
        "none" => Some(Encryption::None),
        "ssl" => Some(Encryption::Ssl),
        "tls" => Some(Encryption::Tls),
        "auto" => Some(Encryption::Auto),
        _ => {
            warnings.push(format!("{label}: unknown <Encryption> {:?}; ignored", shorten(v)));
            None
        }
    });
    let (port, security) = security(protocol, port, ssl, encryption, &label, warnings);
    let login_name = element
        .child_text("LoginName")
        .filter(|n| n.chars().count() <= MAX_VALUE_CHARS && !n.chars().any(char::is_control))
        .map(str::to_owned);
    Ok(PoxServer {
        protocol,
        endpoint: Endpoint { host, port, security },
        login_name,
        spa: element.child_text("SPA").and_then(switch),
        auth_required: element.child_text("AuthRequired").and_then(switch),
    })
}

/// Ports defined as plain text upgraded with STARTTLS (RFC 3501, RFC 1939/2595, RFC 6409), and
/// SMTP's 25.
fn starttls_port(port: u16) -> bool {
    port == 25
        || [Protocol::Imap, Protocol::Pop3, Protocol::Smtp]
            .into_iter()
            .any(|p| default_port(p, Security::Starttls) == port)
}

/// The port and security of a server.
///
/// [MS-OXDSCLI] 2.2.4.1.1.2.6 has two words for it: `<SSL>` (on/off, on by default) and the
/// later `<Encryption>` (None/SSL/TLS/Auto), which overrides `<SSL>` when present. Microsoft's
/// "SSL" is TLS from the first byte and its "TLS" is STARTTLS (Outlook's own choices), but
/// hosters write `<SSL>on</SSL>` for "encrypted" whatever the port. So the well-known ports
/// decide when they are unambiguous, and the words decide elsewhere:
///
/// - encrypted (SSL on, or Encryption SSL/TLS/Auto): 993/995/465 → TLS; 143/110/587/25 →
///   STARTTLS; another port → TLS for "SSL", STARTTLS for "TLS" and "Auto";
/// - not encrypted (SSL off, or Encryption None): no encryption, except on 993/995/465 where a
///   plain connection cannot work: TLS there, with a warning;
/// - no `<Port>`: the protocol's usual port for that security.
fn security(
    protocol: Protocol,
    port: Option<u16>,
    ssl: bool,
    encryption: Option<Encryption>,
    label: &str,
    warnings: &mut Vec<String>,
) -> (u16, Security) {
    let wanted = match encryption {
        Some(e) => e,
        None if ssl => Encryption::Ssl,
        None => Encryption::None,
    };
    let Some(port) = port else {
        let security = match wanted {
            Encryption::None => Security::None,
            Encryption::Ssl | Encryption::Auto => Security::Tls,
            Encryption::Tls => Security::Starttls,
        };
        let port = default_port(protocol, security);
        warnings.push(format!("{label}: no <Port>; using {port}"));
        return (port, security);
    };
    let security = match wanted {
        Encryption::None if implicit_tls_port(port) => {
            warnings.push(format!(
                "{label}: the answer says no encryption on port {port}, where TLS starts at once; using TLS"
            ));
            Security::Tls
        }
        Encryption::None => Security::None,
        _ if implicit_tls_port(port) => Security::Tls,
        Encryption::Ssl if starttls_port(port) => {
            if encryption == Some(Encryption::Ssl) {
                warnings.push(format!(
                    "{label}: the answer says SSL on port {port}, where TLS is started with STARTTLS; using STARTTLS"
                ));
            }
            Security::Starttls
        }
        _ if starttls_port(port) => Security::Starttls,
        Encryption::Ssl => Security::Tls,
        Encryption::Tls | Encryption::Auto => Security::Starttls,
    };
    (port, security)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hoster's answer (shape of what Exchange-compatible hosters publish).
    const HOSTER: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User><DisplayName>Alice</DisplayName></User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type>
        <Server>imap.example.test</Server>
        <Port>993</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>alice@example.test</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>POP3</Type>
        <Server>pop.example.test</Server>
        <Port>995</Port>
        <LoginName>alice@example.test</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type>
        <Server>smtp.example.test</Server>
        <Port>587</Port>
        <LoginName>alice@example.test</LoginName>
        <SPA>off</SPA>
        <Encryption>TLS</Encryption>
        <AuthRequired>on</AuthRequired>
        <UsePOPAuth>off</UsePOPAuth>
        <SMTPLast>off</SMTPLast>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>"#;

    /// An Exchange answer: only Exchange's own protocols.
    const EXCHANGE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User><DisplayName>Alice</DisplayName><LegacyDN>/o=Example/cn=Recipients/cn=alice</LegacyDN></User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol Type="mapiHttp" Version="1"><MailStore><ExternalUrl>https://mail.example.test/mapi/emsmdb/</ExternalUrl></MailStore></Protocol>
      <Protocol><Type>EXCH</Type><Server>mbx01.example.local</Server><ASUrl>https://mail.example.test/EWS/Exchange.asmx</ASUrl></Protocol>
      <Protocol><Type>EXPR</Type><Server>mail.example.test</Server><SSL>On</SSL><AuthPackage>Ntlm</AuthPackage></Protocol>
      <Protocol><Type>WEB</Type><Internal><OWAUrl AuthenticationMethod="Basic, Fba">https://mail.example.test/owa/</OWAUrl></Internal></Protocol>
    </Account>
  </Response>
</Autodiscover>"#;

    fn settings_of(xml: &str) -> PoxSettings {
        match parse(xml.as_bytes()) {
            Ok(PoxAnswer::Settings(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    fn server(protocol: &str, extra: &str) -> String {
        format!(
            "<Autodiscover><Response><Account><Action>settings</Action><Protocol><Type>{protocol}</Type>\
             <Server>mail.example.test</Server>{extra}</Protocol></Account></Response></Autodiscover>"
        )
    }

    fn endpoint_of(protocol: &str, extra: &str) -> (u16, Security) {
        let s = settings_of(&server(protocol, extra));
        let e = &s.servers[0].endpoint;
        (e.port, e.security)
    }

    #[test]
    fn a_hosters_settings() {
        let s = settings_of(HOSTER);
        let got: Vec<_> = s.servers.iter().map(|s| (s.protocol, s.endpoint.display(), s.endpoint.security)).collect();
        assert_eq!(
            got,
            vec![
                (Protocol::Imap, "imap.example.test:993".to_owned(), Security::Tls),
                (Protocol::Pop3, "pop.example.test:995".to_owned(), Security::Tls),
                (Protocol::Smtp, "smtp.example.test:587".to_owned(), Security::Starttls),
            ]
        );
        assert!(s.servers.iter().all(|s| s.login_name.as_deref() == Some("alice@example.test")));
        assert_eq!((s.servers[0].spa, s.servers[2].auth_required), (Some(false), Some(true)));
        assert!(s.other_types.is_empty() && s.warnings.is_empty(), "{s:?}");
    }

    #[test]
    fn an_exchange_answer_has_no_server_we_speak() {
        let s = settings_of(EXCHANGE);
        assert!(s.servers.is_empty());
        assert_eq!(s.other_types, vec!["EXCH", "EXPR", "WEB"]);
        // The mapiHttp <Protocol> has its type in an attribute only.
        assert_eq!(s.warnings, vec!["<Protocol> 1 has no <Type>; skipped"]);
    }

    #[test]
    fn security_follows_ssl_encryption_and_port() {
        assert_eq!(endpoint_of("IMAP", "<Port>993</Port><SSL>on</SSL>"), (993, Security::Tls));
        assert_eq!(endpoint_of("IMAP", "<Port>143</Port><SSL>on</SSL>"), (143, Security::Starttls));
        assert_eq!(endpoint_of("IMAP", "<Port>143</Port><SSL>off</SSL>"), (143, Security::None));
        assert_eq!(
            endpoint_of("POP3", "<Port>110</Port><SSL>on</SSL><Encryption>TLS</Encryption>"),
            (110, Security::Starttls)
        );
        assert_eq!(endpoint_of("SMTP", "<Port>465</Port><SSL>on</SSL>"), (465, Security::Tls));
        assert_eq!(endpoint_of("SMTP", "<Port>587</Port><SSL>on</SSL>"), (587, Security::Starttls));
        // Encryption overrides SSL.
        assert_eq!(
            endpoint_of("IMAP", "<Port>143</Port><SSL>on</SSL><Encryption>None</Encryption>"),
            (143, Security::None)
        );
        assert_eq!(
            endpoint_of("IMAP", "<Port>10143</Port><SSL>off</SSL><Encryption>TLS</Encryption>"),
            (10143, Security::Starttls)
        );
        assert_eq!(endpoint_of("IMAP", "<Port>10993</Port><Encryption>SSL</Encryption>"), (10993, Security::Tls));
        assert_eq!(endpoint_of("IMAP", "<Port>993</Port><Encryption>Auto</Encryption>"), (993, Security::Tls));
        // SSL is "on" when absent; a missing port is the usual one.
        assert_eq!(endpoint_of("IMAP", ""), (993, Security::Tls));
        assert_eq!(endpoint_of("SMTP", "<Encryption>TLS</Encryption>"), (587, Security::Starttls));
        // A plain connection to an implicit-TLS port cannot work: TLS, with a warning.
        let s = settings_of(&server("IMAP", "<Port>993</Port><SSL>off</SSL>"));
        assert_eq!(s.servers[0].endpoint.security, Security::Tls);
        assert_eq!(s.warnings.len(), 1, "{s:?}");
    }

    #[test]
    fn bad_servers_are_skipped_with_a_warning() {
        let xml = "<Autodiscover><Response><Account><Action>settings</Action>\
            <Protocol><Type>IMAP</Type><Server>bad host/x</Server></Protocol>\
            <Protocol><Type>SMTP</Type><Server>smtp.example.test</Server><Port>99999</Port></Protocol>\
            <Protocol><Type>IMAP</Type></Protocol>\
            <Protocol><Type>imap</Type><Server>IMAP.Example.Test.</Server><Port>993</Port></Protocol>\
            </Account></Response></Autodiscover>";
        let s = settings_of(xml);
        assert_eq!(s.servers.len(), 1);
        assert_eq!(s.servers[0].endpoint.host, "imap.example.test");
        assert_eq!(s.warnings.len(), 3, "{:?}", s.warnings);
    }

    #[test]
    fn redirects() {
        let answer = |action: &str, inner: &str| {
            parse(format!("<Autodiscover><Response><Account><Action>{action}</Action>{inner}</Account></Response></Autodiscover>").as_bytes())
        };
        assert_eq!(
            answer(
                "redirectUrl",
                "<RedirectUrl>https://autodiscover.other.test/autodiscover/autodiscover.xml</RedirectUrl>"
            ),
            Ok(PoxAnswer::RedirectUrl("https://autodiscover.other.test/autodiscover/autodiscover.xml".into()))
        );
        assert_eq!(
            answer("redirectAddr", "<RedirectAddr>alice@other.test</RedirectAddr>"),
            Ok(PoxAnswer::RedirectAddress("alice@other.test".into()))
        );
        assert!(matches!(answer("redirectAddr", ""), Err(PoxError::Unusable(_))));
        assert!(matches!(
            answer("redirectAddr", "<RedirectAddr>not an address</RedirectAddr>"),
            Err(PoxError::Unusable(_))
        ));
        assert!(matches!(answer("redirectUrl", ""), Err(PoxError::Unusable(_))));
    }

    #[test]
    fn error_answers() {
        let top = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response>
    <Error Time="16:56:32.6164027" Id="1054084152">
      <ErrorCode>600</ErrorCode>
      <Message>Invalid Request</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>"#;
        let Ok(PoxAnswer::Error(e)) = parse(top.as_bytes()) else { panic!() };
        assert!(!e.is_not_found());
        assert_eq!(
            e.to_string(),
            "the server did not understand the request (Autodiscover error 600: Invalid Request)"
        );

        let in_account = "<Autodiscover><Response><Account><Error><ErrorCode>500</ErrorCode>\
            <Message>The email address can't be found.</Message></Error></Account></Response></Autodiscover>";
        let Ok(PoxAnswer::Error(e)) = parse(in_account.as_bytes()) else { panic!() };
        assert!(e.is_not_found());
        assert!(e.to_string().starts_with("the server does not know this address (Autodiscover error 500"), "{e}");
    }

    #[test]
    fn not_autodiscover_or_not_xml() {
        assert!(matches!(parse(b"<html><body>Welcome</body></html>"), Err(PoxError::NotAutodiscover(_))));
        assert!(matches!(parse(b"<clientConfig version=\"1.1\"/>"), Err(PoxError::NotAutodiscover(_))));
        assert!(matches!(parse(b"<Autodiscover><Response>"), Err(PoxError::Malformed(_))));
        assert!(matches!(parse(b"{\"json\": true}"), Err(PoxError::Malformed(_))));
        assert!(matches!(parse(b"<Autodiscover>\xff</Autodiscover>"), Err(PoxError::Malformed(_))));
        assert!(matches!(parse(b"<Autodiscover/>"), Err(PoxError::NotAutodiscover(_))));
    }

    #[test]
    fn dtd_entities_are_never_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom"><!ENTITY y SYSTEM "file:///etc/passwd">]>
<Autodiscover><Response><Account><Protocol><Type>IMAP</Type><Server>&y;</Server></Protocol></Account></Response></Autodiscover>"#;
        let Err(PoxError::Malformed(why)) = parse(xml.as_bytes()) else { panic!() };
        assert!(why.contains("never expanded"), "{why}");
    }

    #[test]
    fn huge_and_deep_answers_are_refused() {
        let mut big = b"<Autodiscover><!--".to_vec();
        big.resize(MAX_DOCUMENT_BYTES + 1, b'x');
        assert!(matches!(parse(&big), Err(PoxError::TooLarge(_))));

        let deep =
            format!("<Autodiscover>{}{}</Autodiscover>", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        let Err(PoxError::TooLarge(why)) = parse(deep.as_bytes()) else { panic!() };
        assert!(why.contains("nested"), "{why}");

        let many = format!("<Autodiscover>{}</Autodiscover>", "<a/>".repeat(MAX_ELEMENTS + 1));
        assert!(matches!(parse(many.as_bytes()), Err(PoxError::TooLarge(_))));
    }

    #[test]
    fn the_request_carries_the_address_and_schema() {
        let body = request_body("a&b<c>@example.test");
        assert!(body.contains("<EMailAddress>a&amp;b&lt;c&gt;@example.test</EMailAddress>"), "{body}");
        assert!(body.contains(&format!("<AcceptableResponseSchema>{RESPONSE_SCHEMA}</AcceptableResponseSchema>")));
        assert!(body.contains(&format!("xmlns=\"{REQUEST_SCHEMA}\"")));
        // Our own request is well-formed, and not mistaken for an answer (no <Response>).
        assert!(matches!(parse(body.as_bytes()), Err(PoxError::NotAutodiscover(_))));
    }
}
