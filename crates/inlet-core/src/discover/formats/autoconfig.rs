//! Thunderbird's autoconfig format (ISPDB, `config-v1.1.xml`), parsed into our own types.
//!
//! The format is documented on the Mozilla wiki ("Thunderbird:Autoconfiguration:ConfigFileFormat").
//! The same document comes from three places, all untrusted: Mozilla's ISPDB, the provider's
//! `autoconfig.<domain>` host and its `/.well-known/autoconfig/` path. So the parser is strict
//! about the XML and forgiving about the content:
//!
//! - the XML must be well-formed; anything else is [`AutoconfigError::Malformed`] with the line,
//!   column and reason, never a panic;
//! - a document whose root is not `<clientConfig>`, or that has no `<emailProvider>`, is
//!   [`AutoconfigError::NotAutoconfig`] (an HTML error page served with status 200 ends here);
//! - resources are bounded: documents over [`MAX_DOCUMENT_BYTES`] are refused before parsing,
//!   nesting deeper than [`MAX_DEPTH`] or more than [`MAX_ELEMENTS`] elements stop the parse
//!   ([`AutoconfigError::TooLarge`]). DTDs are skipped and never expanded: only the five
//!   predefined entities and character references are resolved, so a reference to an entity
//!   declared in a DTD (billion laughs, external entities) is `Malformed`;
//! - one bad server (unknown socket type, port out of range, hostname with a slash...) does not
//!   spoil the others: it is skipped and the reason lands in [`AutoconfigDocument::warnings`].
//!   Servers of a type we do not speak (`exchange`, `ews`, `jmap`, ...) are skipped as well and
//!   listed in [`AutoconfigDocument::skipped_server_types`].
//!
//! Servers keep the document's order: it is the provider's order of preference. Placeholders
//! (`%EMAILADDRESS%`, `%EMAILLOCALPART%`, `%EMAILDOMAIN%`) are filled in usernames, hostnames and
//! display names; URLs and descriptions are left as written.
//!
//! One file, over the usual size: one parser; more than half of the file is its tests.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::xml::{self, line_col, Element, Grammar, TreeError};

use crate::account::{Endpoint, Protocol, Security};
use crate::host::HostName;

/// Documents larger than this are refused before any parsing (1 MiB; the largest ISPDB file is
/// about 20 KiB).
pub(crate) const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// Deepest element nesting accepted (the format needs 4).
pub(crate) const MAX_DEPTH: usize = 32;
/// Most elements accepted in one document.
pub(crate) const MAX_ELEMENTS: usize = 20_000;
/// Longest username or hostname accepted, before and after placeholder expansion.
const MAX_VALUE_CHARS: usize = 512;

/// Why a document could not be used at all. Problems with single servers are warnings instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AutoconfigError {
    /// Over [`MAX_DOCUMENT_BYTES`], nested deeper than [`MAX_DEPTH`] or with more than
    /// [`MAX_ELEMENTS`] elements. The text says which.
    #[error("the autoconfig document is too large: {0}")]
    TooLarge(String),
    /// Not well-formed XML (or not decodable text). The text has the position and the reason.
    #[error("the autoconfig document is not well-formed XML: {0}")]
    Malformed(String),
    /// Well-formed XML, but not a `<clientConfig>` with an `<emailProvider>`.
    #[error("the document is not a Thunderbird autoconfig file (no <clientConfig> with an <emailProvider>)")]
    NotAutoconfig,
    /// The HTTP response's Content-Type is not XML (see [`check_content_type`]).
    #[error("the server sent {0:?} instead of an XML autoconfig document")]
    WrongContentType(String),
}

/// What an autoconfig document says about a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct AutoconfigDocument {
    /// `<emailProvider id="...">`.
    pub provider_id: Option<String>,
    /// `<displayName>`, placeholders expanded (some providers use `%EMAILDOMAIN%` as the name).
    pub display_name: Option<String>,
    pub display_short_name: Option<String>,
    /// Every `<domain>` the provider serves, lower-cased, in document order.
    pub domains: Vec<String>,
    /// IMAP and POP3 servers, in the provider's order of preference.
    pub incoming: Vec<ServerSetting>,
    /// SMTP servers, in the provider's order of preference.
    pub outgoing: Vec<ServerSetting>,
    /// `<enable visiturl="...">`: what the user must switch on in the provider's web interface
    /// before IMAP/POP3 works (inside `<emailProvider>`, or directly under `<clientConfig>` as
    /// some ISPDB files have it).
    pub enable: Option<Instruction>,
    /// `<instruction url="..."><descr lang="...">` inside `<emailProvider>`: setup guides.
    pub instructions: Vec<Instruction>,
    /// `<documentation url="..."><descr lang="...">`: the provider's own help pages.
    pub documentation: Vec<Documentation>,
    /// `type` of every server skipped because we do not speak it (`exchange`, `ews`, `jmap`...).
    pub skipped_server_types: Vec<String>,
    /// `<oAuth2>` (beside `<emailProvider>`, Thunderbird's extension): who signs the user in
    /// with a browser, with which scope, at which endpoints.
    #[serde(default)]
    pub oauth2: Option<OAuth2Element>,
    /// Everything skipped or doubtful, one sentence each, for the discovery trace.
    pub warnings: Vec<String>,
}

/// An `<oAuth2>` element: `<issuer>` (a host, as ISPDB writes it, or a URL), `<scope>`
/// (space-separated), `<authURL>`, `<tokenURL>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct OAuth2Element {
    pub issuer: String,
    pub scope: Option<String>,
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
}

/// One `<incomingServer>` or `<outgoingServer>`, placeholders expanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ServerSetting {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The login name with `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%` filled in;
    /// None when the document gives none.
    pub username: Option<String>,
    /// In the provider's order; may be empty when the document names none.
    pub authentication: Vec<AuthKind>,
}

impl ServerSetting {
    pub fn endpoint(&self) -> Endpoint {
        Endpoint { host: self.host.clone(), port: self.port, security: self.security }
    }
}

/// An `<authentication>` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// `password-cleartext` (old name: `plain`): the password itself, e.g. AUTH PLAIN, LOGIN.
    PasswordCleartext,
    /// `password-encrypted` (old name: `secure`): a challenge-response such as CRAM-MD5.
    PasswordEncrypted,
    /// `OAuth2`: XOAUTH2 / OAUTHBEARER with a token.
    #[serde(rename = "oauth2")]
    OAuth2,
    /// `client-IP-address`: the server trusts the network the client is on.
    ClientIpAddress,
    /// `TLS-client-cert`.
    TlsClientCert,
    /// `GSSAPI` (Kerberos).
    Gssapi,
    /// `NTLM`.
    Ntlm,
    /// `none`: no authentication at all.
    None,
    /// `smtp-after-pop`: SMTP is allowed after a POP3 login from the same address.
    SmtpAfterPop,
    /// Anything else, kept as written.
    Other(String),
}

impl AuthKind {
    /// Maps an `<authentication>` value (case-insensitively, old synonyms included).
    pub fn parse(value: &str) -> AuthKind {
        let value = value.trim();
        match value.to_ascii_lowercase().as_str() {
            "password-cleartext" | "plain" => AuthKind::PasswordCleartext,
            "password-encrypted" | "secure" => AuthKind::PasswordEncrypted,
            "oauth2" => AuthKind::OAuth2,
            "client-ip-address" => AuthKind::ClientIpAddress,
            "tls-client-cert" => AuthKind::TlsClientCert,
            "gssapi" => AuthKind::Gssapi,
            "ntlm" => AuthKind::Ntlm,
            "none" => AuthKind::None,
            "smtp-after-pop" => AuthKind::SmtpAfterPop,
            _ => AuthKind::Other(value.to_string()),
        }
    }

    /// The spelling the format uses.
    pub fn as_str(&self) -> &str {
        match self {
            AuthKind::PasswordCleartext => "password-cleartext",
            AuthKind::PasswordEncrypted => "password-encrypted",
            AuthKind::OAuth2 => "OAuth2",
            AuthKind::ClientIpAddress => "client-IP-address",
            AuthKind::TlsClientCert => "TLS-client-cert",
            AuthKind::Gssapi => "GSSAPI",
            AuthKind::Ntlm => "NTLM",
            AuthKind::None => "none",
            AuthKind::SmtpAfterPop => "smtp-after-pop",
            AuthKind::Other(other) => other,
        }
    }
}

impl fmt::Display for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the user has to read or do: `<enable>` or `<instruction>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Instruction {
    /// `visiturl` of `<enable>`, `url` of `<instruction>`.
    pub visit_url: Option<String>,
    /// `(lang, text)` in document order; lang is None when the document gives none.
    pub texts: Vec<(Option<String>, String)>,
}

/// A `<documentation url="...">` link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Documentation {
    pub url: String,
    /// `(lang, text)` of each `<descr>`, in document order.
    pub descriptions: Vec<(Option<String>, String)>,
}

/// Checks the Content-Type of an HTTP response before its body is parsed. Accepts `text/xml`,
/// `application/xml` and `application/x-xml` (any case, with parameters such as a charset) and
/// a missing or empty header; anything else (`text/html`, `application/json`...) is
/// [`AutoconfigError::WrongContentType`].
pub(crate) fn check_content_type(ct: Option<&str>) -> Result<(), AutoconfigError> {
    let Some(raw) = ct else { return Ok(()) };
    let essence = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "text/xml" | "application/xml" | "application/x-xml" => Ok(()),
        _ => Err(AutoconfigError::WrongContentType(raw.trim().to_string())),
    }
}

/// Parses an autoconfig document for `email`, whose parts fill `%EMAILADDRESS%`,
/// `%EMAILLOCALPART%` and `%EMAILDOMAIN%` in usernames and hostnames (other placeholders, such
/// as `%REALNAME%`, stay as they are).
pub fn parse(xml: &[u8], email: &str) -> Result<AutoconfigDocument, AutoconfigError> {
    if xml.len() > MAX_DOCUMENT_BYTES {
        return Err(AutoconfigError::TooLarge(format!("{} bytes; the limit is {MAX_DOCUMENT_BYTES}", xml.len())));
    }
    let text = decode(xml)?;
    check_chars(&text)?;
    let root = read_tree(&text)?;
    interpret(&root, &text, &Placeholders::new(email))
}

// ---------------------------------------------------------------------------------------------
// Bytes to text.

/// UTF-8 (with or without BOM), UTF-16 with a BOM, or ISO-8859-1 / Windows-1252 when the XML
/// declaration says so. Anything else that is not UTF-8 is malformed.
fn decode(xml: &[u8]) -> Result<String, AutoconfigError> {
    if let Some(rest) = xml.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    let utf16 = |bytes: &[u8], be: bool| -> Result<String, AutoconfigError> {
        if !bytes.len().is_multiple_of(2) {
            return Err(AutoconfigError::Malformed("UTF-16 text with an odd number of bytes".into()));
        }
        let units = bytes.chunks_exact(2).map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| AutoconfigError::Malformed("invalid UTF-16 text".into()))
    };
    if let Some(rest) = xml.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = xml.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    match std::str::from_utf8(xml) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            if declares_latin1(xml) {
                Ok(xml.iter().map(|&b| char::from(b)).collect())
            } else {
                let valid = std::str::from_utf8(&xml[..e.valid_up_to()]).unwrap_or("");
                Err(AutoconfigError::Malformed(format!(
                    "not UTF-8 text (invalid byte at {})",
                    line_col(valid, valid.len())
                )))
            }
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<String, AutoconfigError> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
        AutoconfigError::Malformed(format!("not UTF-8 text (invalid byte at {})", line_col(valid, valid.len())))
    })
}

/// Whether the XML declaration at the start names a single-byte Latin encoding.
fn declares_latin1(xml: &[u8]) -> bool {
    if !xml.starts_with(b"<?xml") {
        return false;
    }
    let end = xml.iter().take(200).position(|&b| b == b'>').unwrap_or(0);
    let decl = String::from_utf8_lossy(&xml[..end]).to_ascii_lowercase();
    ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii"]
        .iter()
        .any(|name| decl.contains(&format!("\"{name}\"")) || decl.contains(&format!("'{name}'")))
}

/// XML 1.0 allows no control characters but tab, line feed and carriage return (binary garbage
/// usually trips this first).
fn check_chars(text: &str) -> Result<(), AutoconfigError> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{80}'..='\u{9F}'))
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    match text.char_indices().find(|&(_, c)| bad(c)) {
        Some((at, c)) => Err(AutoconfigError::Malformed(format!(
            "character U+{:04X} is not allowed in XML at {}",
            c as u32,
            line_col(text, at)
        ))),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Text to a small element tree (`super::xml`; the format is tiny, so a tree is the simplest
// correct reading, and the limits above bound its size).

fn read_tree(text: &str) -> Result<Element, AutoconfigError> {
    let grammar =
        Grammar { root: "clientConfig", max_depth: MAX_DEPTH, max_elements: MAX_ELEMENTS, ignore_case: false };
    xml::read_tree(text, &grammar).map_err(|e| match e {
        TreeError::TooLarge(why) => AutoconfigError::TooLarge(why),
        TreeError::Malformed(why) => AutoconfigError::Malformed(why),
        TreeError::WrongRoot(_) => AutoconfigError::NotAutoconfig,
    })
}

// ---------------------------------------------------------------------------------------------
// The tree to our types.

struct Placeholders {
    address: String,
    local_part: String,
    domain: String,
}

impl Placeholders {
    fn new(email: &str) -> Self {
        let address = email.trim().to_string();
        let (local_part, domain) = match crate::address::split(&address) {
            Some((local, domain)) => (local.to_string(), domain.to_string()),
            None => (address.clone(), String::new()),
        };
        Placeholders { address, local_part, domain }
    }

    /// One left-to-right pass: text that came from the address is never expanded again, and
    /// unknown `%NAME%` sequences (such as `%REALNAME%`) are left as they are.
    fn expand(&self, value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let known = after.find('%').and_then(|end| {
                let replacement = match &after[..end] {
                    "EMAILADDRESS" => &self.address,
                    "EMAILLOCALPART" => &self.local_part,
                    "EMAILDOMAIN" => &self.domain,
                    _ => return None,
                };
                Some((replacement, end))
            });
            match known {
                Some((replacement, end)) => {
                    out.push_str(replacement);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('%');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn interpret(root: &Element, text: &str, placeholders: &Placeholders) -> Result<AutoconfigDocument, AutoconfigError> {
    let mut providers = root.children("emailProvider");
    let provider = providers.next().ok_or(AutoconfigError::NotAutoconfig)?;
    let mut warnings = Vec::new();
    if providers.next().is_some() {
        warnings.push("the document has more than one <emailProvider>; only the first is used".to_string());
    }

    let provider_id = provider.attr("id").filter(|id| !id.is_empty()).map(str::to_string);
    if provider_id.is_none() {
        warnings.push("<emailProvider> has no id".to_string());
    }

    let mut doc = AutoconfigDocument {
        provider_id,
        // Expanded like Thunderbird does: inbox.lv's display name is just "%EMAILDOMAIN%".
        display_name: provider.child_text("displayName").map(|n| placeholders.expand(n)),
        display_short_name: provider.child_text("displayShortName").map(|n| placeholders.expand(n)),
        domains: Vec::new(),
        incoming: Vec::new(),
        outgoing: Vec::new(),
        enable: None,
        instructions: Vec::new(),
        documentation: Vec::new(),
        skipped_server_types: Vec::new(),
        oauth2: None,
        warnings,
    };

    let (mut incoming_index, mut outgoing_index) = (0, 0);
    for child in &provider.children {
        match child.name.as_str() {
            "domain" => {
                let domain = child.text.trim().to_ascii_lowercase();
                if !domain.is_empty() && !doc.domains.contains(&domain) {
                    doc.domains.push(domain);
                }
            }
            "incomingServer" => {
                incoming_index += 1;
                let label = format!("incoming server {incoming_index}");
                if let Some(server) = server_setting(child, true, &label, text, placeholders, &mut doc) {
                    doc.incoming.push(server);
                }
            }
            "outgoingServer" => {
                outgoing_index += 1;
                let label = format!("outgoing server {outgoing_index}");
                if let Some(server) = server_setting(child, false, &label, text, placeholders, &mut doc) {
                    doc.outgoing.push(server);
                }
            }
            "enable" if doc.enable.is_none() => doc.enable = Some(instruction(child, "visiturl", "instruction")),
            "instruction" => doc.instructions.push(instruction(child, "url", "descr")),
            "documentation" => match child.attr("url").filter(|u| !u.is_empty()) {
                Some(url) => doc
                    .documentation
                    .push(Documentation { url: url.to_string(), descriptions: localized_texts(child, "descr") }),
                None => doc
                    .warnings
                    .push(format!("<documentation> without a url at {}; skipped", line_col(text, child.offset))),
            },
            _ => {}
        }
    }
    // ISPDB puts <oAuth2> beside <emailProvider>; accepted inside it too.
    if let Some(element) = root.child("oAuth2").or_else(|| provider.child("oAuth2")) {
        let text = |name: &str| element.child_text(name).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
        match text("issuer") {
            Some(issuer) => {
                doc.oauth2 = Some(OAuth2Element {
                    issuer,
                    scope: text("scope"),
                    auth_url: text("authURL"),
                    token_url: text("tokenURL"),
                })
            }
            None => doc.warnings.push("<oAuth2> without an <issuer>; skipped".into()),
        }
    }
    // Several ISPDB files (googlemail.com, yandex.ru) put <enable> beside <emailProvider>.
    if doc.enable.is_none() {
        if let Some(enable) = root.child("enable") {
            doc.enable = Some(instruction(enable, "visiturl", "instruction"));
        }
    }
    Ok(doc)
}

/// `<enable visiturl><instruction lang>` or `<instruction url><descr lang>`; a bare text body
/// counts as one text without a language.
fn instruction(element: &Element, url_attr: &str, text_child: &str) -> Instruction {
    let mut texts = localized_texts(element, text_child);
    let own = element.text.trim();
    if texts.is_empty() && !own.is_empty() {
        texts.push((element.attr("lang").filter(|l| !l.is_empty()).map(str::to_string), own.to_string()));
    }
    Instruction { visit_url: element.attr(url_attr).filter(|u| !u.is_empty()).map(str::to_string), texts }
}

fn localized_texts(element: &Element, child: &str) -> Vec<(Option<String>, String)> {
    element
        .children(child)
        .filter(|c| !c.text.trim().is_empty())
        .map(|c| (c.attr("lang").filter(|l| !l.is_empty()).map(str::to_string), c.text.trim().to_string()))
        .collect()
}

fn server_setting(
    element: &Element,
    incoming: bool,
    label: &str,
    text: &str,
    placeholders: &Placeholders,
    doc: &mut AutoconfigDocument,
) -> Option<ServerSetting> {
    let at = line_col(text, element.offset);
    let server_type = element.attr("type").unwrap_or("").to_string();
    let protocol = match (incoming, server_type.to_ascii_lowercase().as_str()) {
        (true, "imap") => Protocol::Imap,
        (true, "pop3") => Protocol::Pop3,
        (false, "smtp") => Protocol::Smtp,
        (_, "") => {
            doc.warnings.push(format!("{label} (at {at}) has no type; skipped"));
            return None;
        }
        (_, other) => {
            doc.warnings
                .push(format!("{label} (at {at}) is of type \"{server_type}\", which Inlet does not use; skipped"));
            if !doc.skipped_server_types.iter().any(|t| t == other) {
                doc.skipped_server_types.push(other.to_string());
            }
            return None;
        }
    };
    let skip = |doc: &mut AutoconfigDocument, why: String| {
        doc.warnings.push(format!("{label} ({} at {at}): {why}; skipped", protocol.label()));
        None
    };

    let Some(raw_host) = element.child_text("hostname") else {
        return skip(doc, "no hostname".into());
    };
    if raw_host.chars().count() > MAX_VALUE_CHARS {
        return skip(doc, "the hostname is too long".into());
    }
    let host = placeholders.expand(raw_host);
    let host = match HostName::parse(&host) {
        Ok(name) => name.into_string(),
        Err(why) => return skip(doc, format!("hostname {host:?} {why}")),
    };

    let Some(raw_port) = element.child_text("port") else {
        return skip(doc, "no port".into());
    };
    let port = match raw_port.parse::<u32>() {
        Ok(p @ 1..=65535) => p as u16,
        _ => return skip(doc, format!("port {raw_port:?} is not a number from 1 to 65535")),
    };

    let security = match element.child_text("socketType").map(str::to_ascii_lowercase).as_deref() {
        Some("ssl") => Security::Tls,
        Some("starttls") => Security::Starttls,
        Some("plain") => Security::None,
        Some(_) => {
            let raw = element.child_text("socketType").unwrap_or_default();
            return skip(doc, format!("unknown socketType {raw:?} (expected SSL, STARTTLS or plain)"));
        }
        None => return skip(doc, "no socketType".into()),
    };

    let username = match element.child_text("username") {
        Some(raw) if raw.chars().count() > MAX_VALUE_CHARS => return skip(doc, "the username is too long".into()),
        Some(raw) => {
            let expanded = placeholders.expand(raw);
            if expanded.chars().count() > MAX_VALUE_CHARS {
                return skip(doc, "the username is too long".into());
            }
            Some(expanded)
        }
        None => None,
    };

    let authentication =
        element.children("authentication").map(|a| a.text.trim()).filter(|a| !a.is_empty()).map(AuthKind::parse).fold(
            Vec::new(),
            |mut kinds, kind| {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                kinds
            },
        );

    Some(ServerSetting { protocol, host, port, security, username, authentication })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const EMAIL: &str = "jane.doe@example.net";

    fn doc(provider_body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.net">
    <domain>example.net</domain>
    <displayName>Example Mail</displayName>
    {provider_body}
  </emailProvider>
</clientConfig>"#
        )
    }

    fn server(kind: &str, ty: &str, host: &str, port: &str, socket: &str, extra: &str) -> String {
        format!(
            "<{kind} type=\"{ty}\"><hostname>{host}</hostname><port>{port}</port>\
             <socketType>{socket}</socketType>{extra}</{kind}>"
        )
    }

    fn parse_ok(xml: &str) -> AutoconfigDocument {
        parse(xml.as_bytes(), EMAIL).unwrap_or_else(|e| panic!("{e}\n{xml}"))
    }

    /// ISPDB's `<oAuth2>` beside `<emailProvider>` (as in its googlemail.com and aol.com files).
    #[test]
    fn the_oauth2_element_names_issuer_scope_and_endpoints() {
        let d = parse_ok(concat!(
            "<clientConfig version=\"1.1\"><emailProvider id=\"aol.com\"><domain>aol.com</domain>",
            "<incomingServer type=\"imap\"><hostname>imap.aol.com</hostname><port>993</port>",
            "<socketType>SSL</socketType><username>%EMAILADDRESS%</username>",
            "<authentication>OAuth2</authentication></incomingServer></emailProvider>",
            "<oAuth2><issuer>login.aol.com</issuer><scope>mail-w</scope>",
            "<authURL>https://api.login.aol.com/oauth2/request_auth</authURL>",
            "<tokenURL>https://api.login.aol.com/oauth2/get_token</tokenURL></oAuth2></clientConfig>"
        ));
        let o = d.oauth2.expect("the oAuth2 element");
        assert_eq!(o.issuer, "login.aol.com");
        assert_eq!(o.scope.as_deref(), Some("mail-w"));
        assert_eq!(o.auth_url.as_deref(), Some("https://api.login.aol.com/oauth2/request_auth"));
        assert_eq!(o.token_url.as_deref(), Some("https://api.login.aol.com/oauth2/get_token"));
        let none =
            parse_ok("<clientConfig><emailProvider id=\"x\"><domain>x.test</domain></emailProvider></clientConfig>");
        assert!(none.oauth2.is_none());
    }

    fn malformed_reason(xml: &[u8]) -> String {
        match parse(xml, EMAIL) {
            Err(AutoconfigError::Malformed(reason)) => reason,
            other => panic!("expected Malformed, got {other:?} for {:?}", String::from_utf8_lossy(xml)),
        }
    }

    #[test]
    fn minimal_document() {
        let xml = doc(&format!(
            "{}{}",
            server(
                "incomingServer",
                "imap",
                "imap.example.net",
                "993",
                "SSL",
                "<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>"
            ),
            server(
                "outgoingServer",
                "smtp",
                "smtp.example.net",
                "587",
                "STARTTLS",
                "<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>"
            ),
        ));
        let d = parse_ok(&xml);
        assert_eq!(d.provider_id.as_deref(), Some("example.net"));
        assert_eq!(d.display_name.as_deref(), Some("Example Mail"));
        assert_eq!(d.domains, vec!["example.net"]);
        assert_eq!(
            d.incoming,
            vec![ServerSetting {
                protocol: Protocol::Imap,
                host: "imap.example.net".into(),
                port: 993,
                security: Security::Tls,
                username: Some(EMAIL.into()),
                authentication: vec![AuthKind::PasswordCleartext],
            }]
        );
        assert_eq!(
            d.outgoing[0].endpoint(),
            Endpoint { host: "smtp.example.net".into(), port: 587, security: Security::Starttls }
        );
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn placeholders_expand_in_usernames_hostnames_and_names_only() {
        let xml = doc(&format!(
            "{}{}{}<documentation url=\"https://help.example.net/%EMAILDOMAIN%\"><descr>%EMAILADDRESS%</descr></documentation>",
            server("incomingServer", "imap", "imap.%EMAILDOMAIN%", "993", "SSL", "<username>%EMAILLOCALPART%</username>"),
            server("incomingServer", "pop3", "%EMAILDOMAIN%", "995", "SSL",
                "<username>%EMAILLOCALPART%.%EMAILDOMAIN%</username>"),
            server("outgoingServer", "smtp", "smtp.example.net", "465", "SSL",
                "<username>%REALNAME% &lt;%EMAILADDRESS%&gt; 100%</username>"),
        ));
        let d = parse_ok(&xml);
        assert_eq!(d.incoming[0].host, "imap.example.net");
        assert_eq!(d.incoming[0].username.as_deref(), Some("jane.doe"));
        assert_eq!(d.incoming[1].host, "example.net");
        assert_eq!(d.incoming[1].username.as_deref(), Some("jane.doe.example.net"));
        assert_eq!(d.outgoing[0].username.as_deref(), Some("%REALNAME% <jane.doe@example.net> 100%"));
        let named = parse_ok(&xml.replace("Example Mail", "%EMAILDOMAIN% (%REALNAME%)"));
        assert_eq!(named.display_name.as_deref(), Some("example.net (%REALNAME%)"));
        // URLs and descriptions are not touched.
        assert_eq!(d.documentation[0].url, "https://help.example.net/%EMAILDOMAIN%");
        assert_eq!(d.documentation[0].descriptions, vec![(None, "%EMAILADDRESS%".to_string())]);
    }

    #[test]
    fn placeholder_expansion_is_single_pass() {
        let p = Placeholders::new("  %EMAILDOMAIN%@evil.test ");
        assert_eq!(p.expand("%EMAILADDRESS%"), "%EMAILDOMAIN%@evil.test");
        assert_eq!(p.expand("%EMAILLOCALPART%"), "%EMAILDOMAIN%");
        let p = Placeholders::new("a@b.test");
        assert_eq!(p.expand("%%EMAILDOMAIN%%"), "%b.test%");
        assert_eq!(p.expand("%EMAILDOMAIN"), "%EMAILDOMAIN");
        assert_eq!(p.expand("x%emaildomain%"), "x%emaildomain%");
        assert_eq!(p.expand("%AB%EMAILLOCALPART%"), "%ABa");
        assert_eq!(p.expand("ünï%EMAILLOCALPART%çødé"), "ünïaçødé");
        // An address without @: the whole thing is the local part, the domain is empty.
        let p = Placeholders::new("jane");
        assert_eq!(p.expand("%EMAILLOCALPART%|%EMAILDOMAIN%"), "jane|");
    }

    #[test]
    fn security_mapping() {
        let xml = doc(&[
            server("incomingServer", "imap", "a.example.net", "993", "SSL", ""),
            server("incomingServer", "imap", "b.example.net", "143", "STARTTLS", ""),
            server("incomingServer", "pop3", "c.example.net", "110", "plain", ""),
            server("incomingServer", "pop3", "d.example.net", "995", "ssl", ""),
            server("incomingServer", "imap", "e.example.net", "143", "TLS", ""),
            "<incomingServer type=\"imap\"><hostname>f.example.net</hostname><port>993</port></incomingServer>".into(),
        ]
        .concat());
        let d = parse_ok(&xml);
        let got: Vec<_> = d.incoming.iter().map(|s| (s.host.as_str(), s.security)).collect();
        assert_eq!(
            got,
            vec![
                ("a.example.net", Security::Tls),
                ("b.example.net", Security::Starttls),
                ("c.example.net", Security::None),
                ("d.example.net", Security::Tls),
            ]
        );
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(d.warnings[0].contains("unknown socketType \"TLS\""), "{:?}", d.warnings);
        assert!(d.warnings[1].contains("no socketType"), "{:?}", d.warnings);
    }

    #[test]
    fn auth_kinds() {
        let values = [
            ("password-cleartext", AuthKind::PasswordCleartext),
            ("plain", AuthKind::PasswordCleartext),
            ("password-encrypted", AuthKind::PasswordEncrypted),
            ("secure", AuthKind::PasswordEncrypted),
            ("OAuth2", AuthKind::OAuth2),
            ("oauth2", AuthKind::OAuth2),
            ("client-IP-address", AuthKind::ClientIpAddress),
            ("TLS-client-cert", AuthKind::TlsClientCert),
            ("GSSAPI", AuthKind::Gssapi),
            ("NTLM", AuthKind::Ntlm),
            ("none", AuthKind::None),
            ("smtp-after-pop", AuthKind::SmtpAfterPop),
            (" x-magic ", AuthKind::Other("x-magic".into())),
        ];
        for (raw, kind) in &values {
            assert_eq!(&AuthKind::parse(raw), kind, "{raw}");
        }
        let auths: String = ["OAuth2", "password-cleartext", "OAuth2", "GSSAPI", "NTLM", "x-magic", "  "]
            .iter()
            .map(|a| format!("<authentication>{a}</authentication>"))
            .collect();
        let d = parse_ok(&doc(&server("incomingServer", "imap", "imap.example.net", "993", "SSL", &auths)));
        assert_eq!(
            d.incoming[0].authentication,
            vec![
                AuthKind::OAuth2,
                AuthKind::PasswordCleartext,
                AuthKind::Gssapi,
                AuthKind::Ntlm,
                AuthKind::Other("x-magic".into())
            ]
        );
        assert_eq!(AuthKind::OAuth2.to_string(), "OAuth2");
        assert_eq!(serde_json::to_value(AuthKind::OAuth2).unwrap(), serde_json::json!("oauth2"));
        assert_eq!(serde_json::to_value(AuthKind::PasswordCleartext).unwrap(), serde_json::json!("password_cleartext"));
        assert_eq!(serde_json::to_value(AuthKind::Other("x".into())).unwrap(), serde_json::json!({"other": "x"}));
    }

    #[test]
    fn unknown_server_types_are_skipped_and_recorded() {
        let xml = doc(&[
            "<incomingServer type=\"exchange\"><hostname>outlook.office365.com</hostname>\
             <url>https://outlook.office365.com/EWS/Exchange.asmx</url></incomingServer>"
                .to_string(),
            server("incomingServer", "jmap", "jmap.example.net", "443", "SSL", ""),
            server("incomingServer", "imap", "imap.example.net", "993", "SSL", ""),
            server("incomingServer", "smtp", "smtp.example.net", "465", "SSL", ""),
            server("outgoingServer", "ews", "ews.example.net", "443", "SSL", ""),
            "<incomingServer><hostname>x.example.net</hostname></incomingServer>".into(),
            server("outgoingServer", "SMTP", "smtp.example.net", "465", "SSL", ""),
        ]
        .concat());
        let d = parse_ok(&xml);
        assert_eq!(d.incoming.len(), 1);
        assert_eq!(d.incoming[0].protocol, Protocol::Imap);
        assert_eq!(d.outgoing.len(), 1);
        assert_eq!(d.skipped_server_types, vec!["exchange", "jmap", "smtp", "ews"]);
        assert_eq!(d.warnings.len(), 5, "{:?}", d.warnings);
        assert!(d.warnings[0].starts_with("incoming server 1 (at line"), "{:?}", d.warnings);
    }

    #[test]
    fn ports_are_validated() {
        let xml = doc(&[
            server("incomingServer", "imap", "a.example.net", "0", "SSL", ""),
            server("incomingServer", "imap", "b.example.net", "65536", "SSL", ""),
            server("incomingServer", "imap", "c.example.net", "-993", "SSL", ""),
            server("incomingServer", "imap", "d.example.net", "nine", "SSL", ""),
            server("incomingServer", "imap", "e.example.net", "", "SSL", ""),
            server("incomingServer", "imap", "f.example.net", " 65535 ", "SSL", ""),
            server("incomingServer", "imap", "g.example.net", "1", "SSL", ""),
        ]
        .concat());
        let d = parse_ok(&xml);
        let ports: Vec<_> = d.incoming.iter().map(|s| (s.host.as_str(), s.port)).collect();
        assert_eq!(ports, vec![("f.example.net", 65535), ("g.example.net", 1)]);
        assert_eq!(d.warnings.len(), 5, "{:?}", d.warnings);
        assert!(d.warnings[1].contains("port \"65536\""), "{:?}", d.warnings);
        assert!(d.warnings[4].contains("no port"), "{:?}", d.warnings);
    }

    #[test]
    fn hostnames_are_validated() {
        let bad = [
            "imap example.net",
            "imap.example.net/path",
            "https://imap.example.net",
            "imap\\example",
            "user@imap.example.net",
            "%REALNAME%.example.net",
            ".example.net",
            "a..b",
            "",
        ];
        let mut body: String = bad.iter().map(|h| server("incomingServer", "imap", h, "993", "SSL", "")).collect();
        body.push_str(&server("incomingServer", "imap", "  imap.example.net\n ", "993", "SSL", ""));
        body.push_str(&server("incomingServer", "imap", "192.0.2.7", "993", "SSL", ""));
        let d = parse_ok(&doc(&body));
        let hosts: Vec<_> = d.incoming.iter().map(|s| s.host.as_str()).collect();
        assert_eq!(hosts, vec!["imap.example.net", "192.0.2.7"]);
        assert_eq!(d.warnings.len(), bad.len(), "{:?}", d.warnings);
    }

    #[test]
    fn enable_instruction_and_documentation() {
        let xml = doc(r#"<enable visiturl="https://mail.example.net/settings?tab=pop&amp;x=1">
                 <instruction lang="en">  Enable IMAP  </instruction>
                 <instruction lang="de">IMAP &quot;aktivieren&quot;</instruction>
                 <instruction>No language</instruction>
               </enable>
               <instruction url="https://help.example.net/tb">
                 <descr lang="en">Configure Thunderbird</descr>
                 <descr lang="de">Thunderbird konfigurieren</descr>
               </instruction>
               <documentation url="https://help.example.net/imap">
                 <descr lang="en">IMAP settings</descr>
                 <descr lang="fr"><![CDATA[Réglages <IMAP> & co]]></descr>
                 <descr lang="ja">&#x8A2D;&#23450;</descr>
               </documentation>
               <documentation url="https://help.example.net/empty" />
               <documentation><descr>no url</descr></documentation>"#);
        let d = parse_ok(&xml);
        let enable = d.enable.expect("enable");
        assert_eq!(enable.visit_url.as_deref(), Some("https://mail.example.net/settings?tab=pop&x=1"));
        assert_eq!(
            enable.texts,
            vec![
                (Some("en".to_string()), "Enable IMAP".to_string()),
                (Some("de".to_string()), "IMAP \"aktivieren\"".to_string()),
                (None, "No language".to_string()),
            ]
        );
        assert_eq!(d.instructions.len(), 1);
        assert_eq!(d.instructions[0].visit_url.as_deref(), Some("https://help.example.net/tb"));
        assert_eq!(d.instructions[0].texts[1], (Some("de".to_string()), "Thunderbird konfigurieren".to_string()));
        assert_eq!(d.documentation.len(), 2);
        assert_eq!(d.documentation[0].descriptions[1].1, "Réglages <IMAP> & co");
        assert_eq!(d.documentation[0].descriptions[2].1, "設定");
        assert!(d.documentation[1].descriptions.is_empty());
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    }

    #[test]
    fn enable_beside_email_provider_is_found() {
        let xml = r#"<clientConfig version="1.1">
            <emailProvider id="x"><domain>x.test</domain></emailProvider>
            <enable visiturl="https://x.test/on"><instruction>Turn IMAP on</instruction></enable>
        </clientConfig>"#;
        let d = parse_ok(xml);
        assert_eq!(d.enable.unwrap().texts, vec![(None, "Turn IMAP on".to_string())]);
    }

    #[test]
    fn unescaping_whitespace_and_namespaces() {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?>\r\n<!-- hi -->\r\n<cc:clientConfig xmlns:cc=\"urn:x\">\r\n\
            <cc:emailProvider id=\" a&amp;b \">\r\n<domain>\r\n  Example.NET \r\n</domain><domain>example.net</domain>\
            <displayName>1&amp;1 &lt;Mail&gt; &#169;</displayName>\
            <incomingServer type=' imap '><hostname>\timap.example.net\r\n</hostname><port>\n993\n</port>\
            <socketType> SSL </socketType><username>  </username></incomingServer>\
            </cc:emailProvider></cc:clientConfig>";
        let d = parse_ok(xml);
        assert_eq!(d.provider_id.as_deref(), Some("a&b"));
        assert_eq!(d.domains, vec!["example.net"]);
        assert_eq!(d.display_name.as_deref(), Some("1&1 <Mail> ©"));
        assert_eq!(d.incoming[0].host, "imap.example.net");
        assert_eq!(d.incoming[0].port, 993);
        assert_eq!(d.incoming[0].username, None);
        assert!(d.incoming[0].authentication.is_empty());
    }

    #[test]
    fn other_encodings() {
        let xml = doc(&server("incomingServer", "imap", "imap.example.net", "993", "SSL", ""))
            .replace("Example Mail", "Exämple");
        // UTF-16 with a BOM, both byte orders.
        let mut le = vec![0xFF, 0xFE];
        le.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(xml.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let d = parse(&bytes, EMAIL).unwrap();
            assert_eq!(d.display_name.as_deref(), Some("Exämple"));
        }
        // Latin-1 when declared.
        let latin1: Vec<u8> = xml.replace("UTF-8", "ISO-8859-1").chars().map(|c| c as u32 as u8).collect();
        assert_eq!(parse(&latin1, EMAIL).unwrap().display_name.as_deref(), Some("Exämple"));
        // Not UTF-8 and nothing declared: malformed, with the position.
        let raw: Vec<u8> = xml.replace("encoding=\"UTF-8\"", "").chars().map(|c| c as u32 as u8).collect();
        assert!(malformed_reason(&raw).contains("not UTF-8"));
    }

    #[test]
    fn malformed_xml_variants() {
        let good = doc(&server("incomingServer", "imap", "imap.example.net", "993", "SSL", ""));
        // Truncated at every position past the root's start: never a panic, always an error.
        let root_start = good.find("<clientConfig").unwrap();
        for cut in root_start + 1..good.len() - 1 {
            let err = parse(&good.as_bytes()[..cut], EMAIL).expect_err("truncated must fail");
            assert!(matches!(err, AutoconfigError::Malformed(_)), "cut at {cut}: {err:?}");
        }
        let before_end = good.find("</emailProvider>").unwrap();
        let reason = malformed_reason(&good.as_bytes()[..before_end]);
        assert!(reason.contains("ends before <emailProvider> (opened at line 3, column 3)"), "{reason}");

        // Unbalanced tags.
        let reason = malformed_reason(good.replace("</hostname>", "</host>").as_bytes());
        assert!(reason.contains("line 6"), "{reason}");
        malformed_reason(good.replace("</port>", "").as_bytes());
        malformed_reason(format!("{good}</clientConfig>").as_bytes());
        malformed_reason(format!("{good}<clientConfig/>").as_bytes());
        malformed_reason(format!("{good} trailing text").as_bytes());
        // Broken attributes and references.
        malformed_reason(good.replace("type=\"imap\"", "type=imap").as_bytes());
        malformed_reason(good.replace("type=\"imap\"", "type=\"imap\" type=\"pop3\"").as_bytes());
        malformed_reason(good.replace("Example Mail", "Tom & Jerry").as_bytes());
        malformed_reason(good.replace("Example Mail", "&#xD800;").as_bytes());
        malformed_reason(good.replace("Example Mail", "<!-- a -- b -->").as_bytes());
        // Garbage bytes.
        malformed_reason(&[0xFF, 0x00, 0x13, 0x37, 0xC3, 0x28, 0x80, 0xFE]);
        let reason = malformed_reason(good.replace("Example Mail", "Ex\u{1}ample").as_bytes());
        assert!(reason.contains("U+0001") && reason.contains("line 5"), "{reason}");
        malformed_reason(good.replace("Example Mail", "\0").as_bytes());
        let mut garbage = good.clone().into_bytes();
        garbage.splice(200..200, [0xC3, 0x28, 0xA0, 0xA1]);
        assert!(malformed_reason(&garbage).contains("not UTF-8"));
        // Pseudo-random bytes: must never panic.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in [1usize, 7, 64, 1000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            assert!(parse(&bytes, EMAIL).is_err());
        }
        // Not XML at all.
        assert!(malformed_reason(b"").contains("no XML element"));
        assert!(malformed_reason(b"   \n  ").contains("no XML element"));
        assert!(malformed_reason(b"hello world").contains("not XML"));
        assert!(malformed_reason(br#"{"emailProvider": "x"}"#).contains("not XML"));
        malformed_reason(b"<");
        malformed_reason(b"<?xml version=\"1.0\"?>");
        malformed_reason(b"<clientConfig");
        malformed_reason(b"<clientConfig><emailProvider id=\"x\"");
    }

    #[test]
    fn html_pages_and_other_documents_are_not_autoconfig() {
        let html = b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404</title></head>\
            <body><p>Not found<br></body></html>";
        assert_eq!(parse(html, EMAIL), Err(AutoconfigError::NotAutoconfig));
        let xhtml = b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>";
        assert_eq!(parse(xhtml, EMAIL), Err(AutoconfigError::NotAutoconfig));
        let autodiscover = br#"<?xml version="1.0"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response/></Autodiscover>"#;
        assert_eq!(parse(autodiscover, EMAIL), Err(AutoconfigError::NotAutoconfig));
        assert_eq!(parse(b"<clientConfig/>", EMAIL), Err(AutoconfigError::NotAutoconfig));
        assert_eq!(
            parse(b"<clientConfig version=\"1.1\"><webMail/></clientConfig>", EMAIL),
            Err(AutoconfigError::NotAutoconfig)
        );
        // A provider without servers is still a document (the corpus test demands servers).
        let d = parse(b"<clientConfig><emailProvider id=\"x\"/></clientConfig>", EMAIL).unwrap();
        assert!(d.incoming.is_empty() && d.outgoing.is_empty());
    }

    #[test]
    fn too_large_documents_are_refused_up_front() {
        let mut big = doc("").into_bytes();
        big.resize(2 * 1024 * 1024, b' ');
        assert_eq!(parse(&big, EMAIL), Err(AutoconfigError::TooLarge("2097152 bytes; the limit is 1048576".into())));
        // Up front: bytes that are not even text are refused for their size, not decoded first.
        let garbage = vec![0xFF; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(parse(&garbage, EMAIL), Err(AutoconfigError::TooLarge(_))));
        // Exactly the limit is still parsed.
        let padded = doc(&server("incomingServer", "imap", "imap.example.net", "993", "SSL", ""));
        let mut at_limit = padded.into_bytes();
        at_limit.resize(MAX_DOCUMENT_BYTES, b'\n');
        assert_eq!(parse(&at_limit, EMAIL).unwrap().incoming.len(), 1);
    }

    #[test]
    fn deep_nesting_and_element_floods_stop() {
        let deep = format!("<clientConfig>{}{}</clientConfig>", "<a>".repeat(10_000), "</a>".repeat(10_000));
        let err = parse(deep.as_bytes(), EMAIL).unwrap_err();
        assert!(matches!(&err, AutoconfigError::TooLarge(r) if r.contains("nested")), "{err:?}");
        let flood =
            format!("<clientConfig><emailProvider>{}</emailProvider></clientConfig>", "<domain/>".repeat(30_000));
        let err = parse(flood.as_bytes(), EMAIL).unwrap_err();
        assert!(matches!(&err, AutoconfigError::TooLarge(r) if r.contains("elements")), "{err:?}");
    }

    #[test]
    fn billion_laughs_fails_fast_without_expansion() {
        let mut dtd = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE clientConfig [\n <!ENTITY lol \"lol\">\n");
        dtd.push_str(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for i in 2..=9 {
            let prev = format!("&lol{};", i - 1).repeat(10);
            dtd.push_str(&format!(" <!ENTITY lol{i} \"{prev}\">\n"));
        }
        dtd.push_str("]>\n");
        let started = Instant::now();
        // In text.
        let in_text = format!(
            "{dtd}<clientConfig><emailProvider id=\"x\"><displayName>&lol9;</displayName></emailProvider></clientConfig>"
        );
        let reason = malformed_reason(in_text.as_bytes());
        assert!(reason.contains("lol9") && reason.contains("never expanded"), "{reason}");
        // In an attribute.
        let in_attr = format!("{dtd}<clientConfig><emailProvider id=\"&lol9;\"/></clientConfig>");
        malformed_reason(in_attr.as_bytes());
        // External entities: never fetched, never read.
        let external = "<?xml version=\"1.0\"?><!DOCTYPE clientConfig [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
            <clientConfig><emailProvider id=\"x\"><displayName>&xxe;</displayName></emailProvider></clientConfig>";
        malformed_reason(external.as_bytes());
        // A DTD that is declared but never used does no harm.
        let unused = format!("{dtd}<clientConfig><emailProvider id=\"x\"/></clientConfig>");
        assert_eq!(parse(unused.as_bytes(), EMAIL).unwrap().provider_id.as_deref(), Some("x"));
        // Expanding &lol9; would build gigabytes: even a busy machine is done long before this.
        assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn content_types() {
        for ok in [
            None,
            Some(""),
            Some("text/xml"),
            Some("application/xml"),
            Some("application/x-xml"),
            Some("text/xml; charset=utf-8"),
            Some("Application/XML;charset=\"UTF-8\""),
            Some("  application/x-xml ; q=1"),
        ] {
            assert_eq!(check_content_type(ok), Ok(()), "{ok:?}");
        }
        for bad in
            ["text/html", "text/html; charset=utf-8", "application/json", "text/plain", "application/xhtml+xml", "xml"]
        {
            assert_eq!(check_content_type(Some(bad)), Err(AutoconfigError::WrongContentType(bad.to_string())), "{bad}");
        }
    }

    #[test]
    fn serializes_camel_case() {
        let d = parse_ok(&doc(&server(
            "incomingServer",
            "pop3",
            "pop.example.net",
            "995",
            "SSL",
            "<authentication>OAuth2</authentication>",
        )));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["providerId"], "example.net");
        assert_eq!(json["displayName"], "Example Mail");
        assert_eq!(json["incoming"][0]["protocol"], "pop3");
        assert_eq!(json["incoming"][0]["security"], "tls");
        assert_eq!(json["incoming"][0]["authentication"][0], "oauth2");
        assert_eq!(json["skippedServerTypes"], serde_json::json!([]));
        let back: AutoconfigDocument = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
    }
}
