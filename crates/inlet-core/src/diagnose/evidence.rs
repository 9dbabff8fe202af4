//! What a server said when it refused, read where it arrived and carried to the diagnosis as a
//! typed code beside its words: the IMAP response code (RFC 3501 7.1, RFC 5530), the POP3
//! extended response code (RFC 2449 section 8, RFC 3206), or the SMTP reply code and enhanced
//! status code (RFC 5321 4.2, RFC 3463). The catalog ([`super::catalog`]) reads these first and
//! the words only for what providers say in words alone.

use crate::tr;
use std::fmt;

/// The typed part of a server's refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ServerCode {
    /// Nothing typed: only words (a POP3 server without RESP-CODES, a greeting with no code).
    #[default]
    None,
    /// IMAP: the response code in brackets at the start of the text, upper-cased (`LIMIT`,
    /// `ALERT`, `WEBALERT`, `UNAVAILABLE`...), and what follows it inside the brackets (the URL of
    /// a `WEBALERT`, RFC 5530 leaves the rest to each code).
    Imap { code: String, argument: Option<String> },
    /// POP3: the extended response code, upper-cased (`IN-USE`, `SYS/TEMP`, `AUTH`...).
    Pop3 { code: String },
    /// SMTP: the reply code (535), and the enhanced status code (5.7.139) when the server sent
    /// one (RFC 2034).
    Smtp { reply: u16, enhanced: Option<EnhancedStatus> },
}

/// An enhanced mail system status code (RFC 3463 section 2): class.subject.detail. The class
/// says how lasting it is (2 success, 4 persistent transient, 5 permanent); subject 7 is
/// security or policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnhancedStatus {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl EnhancedStatus {
    /// The code at the start of `text` (`5.7.139 Authentication unsuccessful`), if there is one.
    pub(crate) fn at_start_of(text: &str) -> Option<EnhancedStatus> {
        let first = text.split_whitespace().next()?;
        let mut parts = first.split('.');
        let class: u8 = parts.next()?.parse().ok()?;
        let subject: u16 = parts.next()?.parse().ok()?;
        let detail: u16 = parts.next()?.parse().ok()?;
        // RFC 3463 section 2: class is 2, 4 or 5; subject and detail have at most 3 digits.
        (parts.next().is_none() && matches!(class, 2 | 4 | 5) && subject < 1000 && detail < 1000)
            .then_some(EnhancedStatus { class, subject, detail })
    }
}

impl fmt::Display for EnhancedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

impl ServerCode {
    /// The IMAP response code at the start of a status answer's text (`[LIMIT] Maximum ...`).
    /// imap-proto types only RFC 3501's codes; the others stay at the start of the text, and the
    /// engine writes `[ALERT]` back there (RFC 3501 7.1).
    pub fn imap(said: &str) -> ServerCode {
        let Some(inside) = said.strip_prefix('[').and_then(|rest| rest.split(']').next()) else {
            return ServerCode::None;
        };
        let (code, argument) = match inside.split_once(' ') {
            Some((code, argument)) => (code, Some(argument.trim().to_owned()).filter(|a| !a.is_empty())),
            None => (inside, None),
        };
        if code.is_empty() {
            return ServerCode::None;
        }
        ServerCode::Imap { code: code.to_ascii_uppercase(), argument }
    }

    /// The POP3 extended response code at the start of an -ERR's text (`[IN-USE] ...`).
    pub fn pop3(said: &str) -> ServerCode {
        match said.strip_prefix('[').and_then(|rest| rest.split(']').next()) {
            Some(code) if !code.is_empty() && !code.contains(' ') => {
                ServerCode::Pop3 { code: code.to_ascii_uppercase() }
            }
            _ => ServerCode::None,
        }
    }

    /// An SMTP reply code with the text after it, where an enhanced status code may lead.
    pub fn smtp(reply: u16, text: &str) -> ServerCode {
        ServerCode::Smtp { reply, enhanced: EnhancedStatus::at_start_of(text) }
    }

    /// An SMTP reply as shown (`535 5.7.139 Authentication unsuccessful`): its code and text.
    pub(crate) fn smtp_from_shown(shown: &str) -> ServerCode {
        let mut words = shown.splitn(2, ' ');
        match words.next().and_then(|code| code.parse::<u16>().ok()).filter(|c| (200..600).contains(c)) {
            Some(reply) => ServerCode::smtp(reply, words.next().unwrap_or("")),
            None => ServerCode::None,
        }
    }

    /// The IMAP or POP3 code, upper-cased, if this is one.
    pub fn atom(&self) -> Option<&str> {
        match self {
            ServerCode::Imap { code, .. } | ServerCode::Pop3 { code } => Some(code),
            _ => None,
        }
    }

    /// The enhanced status code of an SMTP reply, if the server sent one.
    pub fn enhanced(&self) -> Option<EnhancedStatus> {
        match self {
            ServerCode::Smtp { enhanced, .. } => *enhanced,
            _ => None,
        }
    }

    /// The code says the trouble passes by waiting (never a wrong password): IMAP UNAVAILABLE,
    /// INUSE, LIMIT (RFC 5530) and Microsoft's THROTTLED; POP3 IN-USE, LOGIN-DELAY, SYS/TEMP
    /// (RFC 2449, RFC 3206); SMTP 4xx (RFC 5321 4.2.1) and 4.x.x (RFC 3463).
    pub(crate) fn is_temporary(&self) -> bool {
        match self {
            ServerCode::None => false,
            ServerCode::Imap { code, .. } => matches!(code.as_str(), "UNAVAILABLE" | "INUSE" | "LIMIT" | "THROTTLED"),
            ServerCode::Pop3 { code } => matches!(code.as_str(), "IN-USE" | "LOGIN-DELAY" | "SYS/TEMP"),
            ServerCode::Smtp { reply, enhanced } => {
                (400..500).contains(reply) || enhanced.is_some_and(|e| e.class == 4)
            }
        }
    }

    /// One evidence line naming the code and where it is defined, or None when there is none.
    pub fn evidence(&self) -> Option<String> {
        Some(match self {
            ServerCode::None => return None,
            ServerCode::Imap { code, argument } => {
                let source = match code.as_str() {
                    "ALERT" => "RFC 3501 7.1".to_owned(),
                    "WEBALERT" | "THROTTLED" => tr!("eng-evidence-providers-own"),
                    _ => "RFC 5530".to_owned(),
                };
                match argument {
                    Some(argument) => tr!(
                        "eng-evidence-imap-code-argument",
                        code = code.as_str(),
                        argument = argument.as_str(),
                        source = source
                    ),
                    None => tr!("eng-evidence-imap-code", code = code.as_str(), source = source),
                }
            }
            ServerCode::Pop3 { code } => tr!("eng-evidence-pop3-code", code = code.as_str()),
            ServerCode::Smtp { reply, enhanced: Some(e) } => {
                tr!("eng-evidence-smtp-enhanced", reply = reply.to_string(), enhanced = e.to_string())
            }
            ServerCode::Smtp { reply, enhanced: None } => tr!("eng-evidence-smtp-reply", reply = reply.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_from_the_start_of_the_text() {
        assert_eq!(
            ServerCode::imap("[LIMIT] Maximum number of connections"),
            ServerCode::Imap { code: "LIMIT".into(), argument: None }
        );
        assert_eq!(
            ServerCode::imap("[WEBALERT https://accounts.google.com/x] Web login required."),
            ServerCode::Imap { code: "WEBALERT".into(), argument: Some("https://accounts.google.com/x".into()) }
        );
        assert_eq!(ServerCode::imap("Authentication failed [LIMIT]"), ServerCode::None);
        assert_eq!(ServerCode::imap("[] no"), ServerCode::None);
        assert_eq!(ServerCode::pop3("[in-use] locked"), ServerCode::Pop3 { code: "IN-USE".into() });
        assert_eq!(ServerCode::pop3("locked [IN-USE]"), ServerCode::None);
        let e = ServerCode::smtp_from_shown("535 5.7.139 Authentication unsuccessful");
        assert_eq!(e.enhanced(), Some(EnhancedStatus { class: 5, subject: 7, detail: 139 }));
        assert_eq!(ServerCode::smtp_from_shown("MAIL FROM: 550 no").enhanced(), None);
        assert_eq!(ServerCode::smtp_from_shown("421 busy").enhanced(), None);
        assert!(ServerCode::smtp_from_shown("421 busy").is_temporary());
        assert_eq!(EnhancedStatus::at_start_of("5.7.1.2 x"), None);
        assert_eq!(EnhancedStatus::at_start_of("3.1.1 x"), None);
    }

    #[test]
    fn temporary_codes_are_never_about_the_password() {
        for said in ["[UNAVAILABLE] x", "[INUSE] x", "[LIMIT] x", "[THROTTLED] x"] {
            assert!(ServerCode::imap(said).is_temporary(), "{said}");
        }
        assert!(!ServerCode::imap("[AUTHENTICATIONFAILED] x").is_temporary());
        for said in ["[IN-USE] x", "[LOGIN-DELAY] x", "[SYS/TEMP] x"] {
            assert!(ServerCode::pop3(said).is_temporary(), "{said}");
        }
        assert!(!ServerCode::pop3("[SYS/PERM] x").is_temporary());
        assert!(ServerCode::smtp(454, "4.7.0 Temporary authentication failure").is_temporary());
        assert!(!ServerCode::smtp(535, "5.7.8 no").is_temporary());
    }
}
