//! The catalog: who acts on each code, and the codes read from what a server said when it
//! refused (its typed code first, its words for what providers say in words alone), each with
//! its title, explanation, numbered steps (the provider's own where Inlet knows the provider)
//! and the provider's help page.
//!
//! The troubleshooting rows of the help-center articles Inlet's users come from, and the code
//! that answers each (docs/diagnosis-catalog.md has the full table):
//! - password changed or expired: `authentication_failed`, `password_expired`;
//! - 2FA, app password needed (Gmail, Office 365, Apple, AOL, Yahoo): `app_password_required`;
//! - the provider changed its sign-in rules (Google, Microsoft): `web_sign_in_required`,
//!   `basic_auth_disabled`, `password_or_sign_in_blocked`;
//! - traffic reduced for high usage (Gmail, Outlook limits): `throttled`, `bandwidth_exceeded`,
//!   `too_many_connections`;
//! - the mailbox type or IMAP not enabled, POP3 instead of IMAP: `protocol_disabled`,
//!   `protocol_error`, `connection_refused`;
//! - the username is the local part: `authentication_failed` (every form is tried, the
//!   evidence lists them);
//! - server addresses, ports, SSL/TLS: `host_not_found`, `connection_refused`, `timed_out`,
//!   `tls_failed`, `port_expects_starttls`, `port_expects_tls`,
//!   `starttls_not_offered`;
//! - aliases without certificates: `certificate_wrong_host` (and the other certificate codes);
//! - permissions and access on the hosting side: `not_authorized`, `account_disabled`,
//!   `account_locked`;
//! - network access required: `network_unreachable`, `timed_out`, `connection_blocked`;
//! - consecutive errors, mailbox disabled: `mailbox_disabled` (Inlet turned it off; the last
//!   error named), `account_locked`, `account_disabled`, `server_busy`, `server_temporary_failure`.
//!
//! One file, over the usual size: one table, code by code, with the classifier that reads a
//! refusal into it; kept together so a new code and the words that lead to it are one edit.

use super::evidence::{EnhancedStatus, ServerCode};
use super::{Diagnosis, DiagnosisCode};
use crate::progress::Stage;
use crate::providers::Provider;
use crate::tr;
use serde::{Deserialize, Serialize};

/// Who should act to fix a failure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum WhoActs {
    /// The user: retype, choose another setting, wait, change something in their account.
    #[default]
    You,
    /// The administrator of the user's organisation (or of this computer).
    Administrator,
    /// The mail provider: its server has the trouble.
    Provider,
}

/// Who acts on each code, by default; a diagnosis may say otherwise for a provider (IMAP off
/// at Google Workspace is the administrator's, at Gmail the user's).
pub fn who_acts(code: DiagnosisCode) -> WhoActs {
    use DiagnosisCode as C;
    use WhoActs::*;
    match code {
        C::InvalidInput
        | C::HostNotFound
        | C::ConnectionRefused
        | C::NetworkUnreachable
        | C::TimedOut
        | C::CertificateUntrusted
        | C::CertificateNotYetValid
        | C::CertificateWrongHost
        | C::TlsFailed
        | C::StarttlsNotOffered
        | C::EncryptionRequired
        | C::PlaintextNotConfirmed
        | C::AuthenticationFailed
        | C::NoUsableSignInMethod
        | C::ConnectionClosed
        | C::ProtocolError
        | C::KeychainLocked
        | C::KeychainUnavailable
        | C::KeychainFailed
        | C::StoreFailed
        | C::MailboxNotFound
        | C::AlreadySaved
        | C::Cancelled
        | C::SettingsNotFound
        | C::AppPasswordRequired
        | C::WebSignInRequired
        | C::ProtocolDisabled
        | C::PasswordOrSignInBlocked
        | C::Throttled
        | C::TooManyConnections
        | C::BandwidthExceeded
        | C::AccountLocked
        | C::PasswordExpired
        | C::MailboxInUse
        | C::SenderNotAllowed
        | C::PortExpectsStarttls
        | C::PortExpectsTls
        | C::MailboxDisabled
        | C::SignInBusy
        | C::SignInCancelled
        | C::SignInTimedOut
        | C::SignInDenied
        | C::SignInOtherTenant
        | C::SignInConditionalAccess
        | C::NeedsSignIn
        | C::SignInRefused
        | C::SignInFailed
        | C::MailAccessOff => You,
        C::CertificateChanged
        | C::BasicAuthDisabled
        | C::AccountDisabled
        | C::NotAuthorized
        | C::SignInNotSetUp
        | C::SignInPolicy
        | C::SignInClientRejected
        | C::SignInScopeRejected
        | C::SignInConsentRequired
        | C::SignInAppUnknown
        | C::SignInPublicClientDisabled
        | C::SignInSingleTenantApp
        | C::SignInBlockedByAdmin
        | C::SignInOrgInternal
        | C::SignInAppUnverified
        | C::PolicyForbids => Administrator,
        C::CertificateExpired
        | C::CertificateInvalid
        | C::ServerRefused
        | C::ServerTemporaryFailure
        | C::ServerBusy
        | C::ServerError
        | C::ConnectionBlocked
        | C::IssuerUnavailable => Provider,
    }
}

/// Advice written as one text, as numbered steps: one step per sentence.
pub(crate) fn steps_from(advice: &str) -> Vec<String> {
    let mut steps = Vec::new();
    let mut current = String::new();
    let mut chars = advice.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        // A sentence ends at ". " (not inside "e.g. " or a number like "4.7.0"), nor inside
        // German "z. B.", "d. h.", "bzw." and the like: a word of one small letter before the
        // full stop ("z.", "d.", "u.") or the second half of such a pair ("z. B.") ends none.
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|n| *n == ' ') {
            let ends_word =
                current.trim_end_matches(['.', '!', '?']).rsplit(' ').next().unwrap_or("").trim_start_matches('(');
            let one_small_letter = ends_word.chars().count() == 1 && ends_word.chars().all(char::is_lowercase);
            let pair = ["z. B.", "d. h.", "u. a.", "o. Ä."].iter().any(|p| current.ends_with(p));
            let abbreviation = matches!(ends_word, "e.g" | "i.e" | "etc" | "bzw" | "ggf" | "usw" | "vgl" | "ca" | "Nr");
            if !(abbreviation || one_small_letter || pair) {
                steps.push(current.trim().to_owned());
                current.clear();
            }
        }
    }
    if !current.trim().is_empty() {
        steps.push(current.trim().to_owned());
    }
    steps
}

/// The codes a server's refusal can be read as, beyond "wrong credentials" and the generic
/// refusal: what the server's typed code says, then what providers say in words.
pub(crate) fn classify(
    code: &ServerCode,
    said: &str,
    stage: Stage,
    provider: Option<&Provider>,
) -> Option<DiagnosisCode> {
    use DiagnosisCode as C;
    let text = said.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let atom = code.atom().unwrap_or("");
    let enhanced = code.enhanced();
    let is = |class: u8, subject: u16, detail: u16| enhanced == Some(EnhancedStatus { class, subject, detail });
    let smtp_reply = match code {
        ServerCode::Smtp { reply, .. } => Some(*reply),
        _ => None,
    };
    if has(&["too many simultaneous connections", "too many connections", "maximum number of connections"]) {
        return Some(C::TooManyConnections);
    }
    if stage == Stage::Greeting {
        // 554 at the greeting (RFC 5321 3.1: "no SMTP service here"), 5.7.x: this client is
        // refused by policy; anything else there passes (BYE, 421, -ERR: RFC 3501 7.1.5).
        let blocked = smtp_reply == Some(554) || enhanced.is_some_and(|e| e.class == 5 && e.subject == 7);
        return Some(if blocked { C::ConnectionBlocked } else { C::ServerBusy });
    }
    // Gmail, Yahoo, AOL, iCloud: "Application-specific password required", "... app password".
    if has(&["application-specific password", "application specific password", "app-specific password", "app password"])
    {
        return Some(C::AppPasswordRequired);
    }
    // Gmail: `[WEBALERT url]`, "[ALERT] Please log in via your web browser".
    if atom == "WEBALERT" || has(&["via your web browser", "web login required", "in a web browser", "web browser and"])
    {
        return Some(C::WebSignInRequired);
    }
    // Gmail: "[ALERT] Your account is not enabled for IMAP use"; POP likewise; Microsoft's
    // "User is authenticated but not connected" (IMAP/POP off for the mailbox).
    if has(&[
        "not enabled for imap",
        "not enabled for pop",
        "imap access is disabled",
        "pop access is disabled",
        "imap is disabled",
        "pop3 is disabled",
        "imap access disabled",
        "authenticated but not connected",
    ]) {
        return Some(C::ProtocolDisabled);
    }
    // Microsoft: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled
    // for the Tenant", "... basic authentication is disabled".
    if is(5, 7, 139)
        || has(&["smtpclientauthentication is disabled", "basic authentication is disabled", "basicauthblocked"])
    {
        return Some(C::BasicAuthDisabled);
    }
    if has(&["bandwidth"]) || (atom == "OVERQUOTA" && has(&["exceeded"])) {
        return Some(C::BandwidthExceeded);
    }
    // Microsoft's `[THROTTLED]`, POP3 `[LOGIN-DELAY]` (RFC 2449 8.1.2), IMAP `[LIMIT]` (RFC 5530).
    if matches!(atom, "THROTTLED" | "LOGIN-DELAY" | "LIMIT") || has(&["throttled", "suggested backoff", "rate limit"]) {
        return Some(C::Throttled);
    }
    if atom == "EXPIRED" || has(&["password has expired", "password expired", "password is expired"]) {
        return Some(C::PasswordExpired);
    }
    // POP3 `[IN-USE]` (RFC 2449 8.1.1), IMAP `[INUSE]` (RFC 5530).
    if matches!(atom, "IN-USE" | "INUSE") {
        return Some(C::MailboxInUse);
    }
    if has(&["account is locked", "account locked", "account has been locked", "temporarily locked", "locked out"]) {
        return Some(C::AccountLocked);
    }
    if atom == "CONTACTADMIN"
        || has(&[
            "account disabled",
            "account is disabled",
            "account has been disabled",
            "suspended",
            "account is blocked",
        ])
    {
        return Some(C::AccountDisabled);
    }
    if matches!(atom, "AUTHORIZATIONFAILED" | "NOPERM") {
        return Some(C::NotAuthorized);
    }
    // RFC 3463 5.7.1 at MAIL FROM, Microsoft's 5.7.60 "not have permissions to send as this sender".
    if is(5, 7, 60) || has(&["send as", "sendas", "not owned by user", "sender address rejected"]) {
        return Some(C::SenderNotAllowed);
    }
    // Microsoft answers a wrong password and password sign-in turned off alike:
    // "AUTHENTICATE failed." / "LOGIN failed." (IMAP), "-ERR Logon failure" (POP3), "535 5.7.3
    // Authentication unsuccessful" (SMTP).
    let microsoft = provider.is_some_and(|p| matches!(p.id, "outlook" | "microsoft365"));
    if has(&["authenticate failed"])
        || (smtp_reply == Some(535) && is(5, 7, 3))
        || (microsoft && has(&["login failed", "logon failure"]))
    {
        return Some(C::PasswordOrSignInBlocked);
    }
    if atom == "PRIVACYREQUIRED" {
        return Some(C::EncryptionRequired);
    }
    if matches!(atom, "SERVERBUG" | "CORRUPTION" | "SYS/PERM") {
        return Some(C::ServerError);
    }
    None
}

/// A refusal of the credentials that says more than "wrong credentials": the sign-in loop
/// keeps it over a later plain refusal.
pub(crate) fn tells_more_than_wrong_credentials(code: &ServerCode, said: &str) -> bool {
    code.is_temporary() || classify(code, said, Stage::SigningIn, None).is_some()
}

/// What the catalog says for a code read from a server's refusal.
pub(crate) struct Entry {
    pub title: String,
    pub what_happened: String,
    pub steps: Vec<String>,
    pub who_acts: WhoActs,
    pub help_url: Option<String>,
}

/// What the refusal is about, for the words of the entry.
pub(crate) struct Refusal<'a> {
    pub target: &'a str,
    pub code: &'a ServerCode,
    pub said: &'a str,
    pub provider: Option<&'a Provider>,
}

impl Refusal<'_> {
    /// "IMAP", "POP" or "SMTP", from the code or, failing that, from the words.
    fn protocol(&self) -> &'static str {
        match self.code {
            ServerCode::Pop3 { .. } => "POP",
            ServerCode::Smtp { .. } => "SMTP",
            ServerCode::Imap { .. } => "IMAP",
            ServerCode::None if self.said.to_lowercase().contains("pop") => "POP",
            ServerCode::None => "IMAP",
        }
    }

    fn provider_id(&self) -> &str {
        self.provider.map_or("", |p| p.id)
    }

    /// The wait a server asked for, in whole minutes (at least one): Microsoft's "Suggested
    /// Backoff Time: 92 milliseconds".
    fn suggested_wait_minutes(&self) -> Option<u64> {
        let lower = self.said.to_lowercase();
        let rest = &lower[lower.find("backoff time")? + "backoff time".len()..];
        let rest = rest.trim_start_matches([':', ' ']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let amount: u64 = digits.parse().ok()?;
        let unit = rest[digits.len()..].trim_start();
        let seconds = if unit.starts_with("ms") || unit.starts_with("milli") { amount.div_ceil(1000) } else { amount };
        Some(seconds.div_ceil(60).max(1))
    }
}

/// The steps of a catalog message: one per line (see locales/en/diagnoses.ftl).
fn steps(text: String) -> Vec<String> {
    text.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

const GOOGLE_APP_PASSWORDS: &str = "https://support.google.com/accounts/answer/185833";
const GMAIL_IMAP: &str = "https://support.google.com/mail/answer/7126229";
const GMAIL_POP: &str = "https://support.google.com/mail/answer/7104828";
const GMAIL_IMAP_TROUBLESHOOTING: &str = "https://support.google.com/mail/answer/78754";
const GMAIL_BANDWIDTH: &str = "https://support.google.com/a/answer/1071518";
const MICROSOFT_SMTP_AUTH: &str =
    "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission";
const MICROSOFT_BASIC_AUTH: &str = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online";
const MICROSOFT_IMAP_POP_ACCESS: &str = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/enable-or-disable-pop3-or-imap4-access";
const OUTLOOK_COM_IMAP_POP: &str = "https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040";
const YAHOO_APP_PASSWORDS: &str = "https://help.yahoo.com/kb/SLN15241.html";
const AOL_APP_PASSWORDS: &str = "https://help.aol.com/articles/Create-and-manage-app-password";
const APPLE_APP_PASSWORDS: &str = "https://support.apple.com/en-us/102654";

/// The entry of a code read from a refusal. Only the codes [`classify`] returns have one.
pub(crate) fn entry(code: DiagnosisCode, r: &Refusal<'_>) -> Option<Entry> {
    use DiagnosisCode as C;
    let target = r.target;
    let protocol = r.protocol();
    let provider = r.provider_id();
    let provider_help = r.provider.and_then(|p| p.help_url).map(str::to_owned);
    let who = who_acts(code);
    let e = |title: String, what_happened: String, steps: Vec<String>, help_url: Option<&str>| Entry {
        title,
        what_happened,
        steps,
        who_acts: who,
        help_url: help_url.map(str::to_owned),
    };
    Some(match code {
        C::AppPasswordRequired => {
            let (list, help) = match provider {
                "gmail" | "google-workspace" => {
                    (tr!("diag-app-password-required.steps-google"), Some(GOOGLE_APP_PASSWORDS))
                }
                "yahoo" => (tr!("diag-app-password-required.steps-yahoo"), Some(YAHOO_APP_PASSWORDS)),
                "aol" => (tr!("diag-app-password-required.steps-aol"), Some(AOL_APP_PASSWORDS)),
                "icloud" => (tr!("diag-app-password-required.steps-icloud"), Some(APPLE_APP_PASSWORDS)),
                _ => (tr!("diag-app-password-required.steps-any-provider"), None),
            };
            let what_happened = match r.provider {
                Some(p) => tr!("diag-app-password-required.what-happened", target = target, provider = p.name),
                None => tr!("diag-app-password-required.what-happened-any-provider", target = target),
            };
            return Some(Entry {
                title: tr!("diag-app-password-required"),
                what_happened,
                steps: steps(list),
                who_acts: who,
                help_url: help.map(str::to_owned).or(provider_help),
            });
        }
        C::WebSignInRequired => {
            let web_alert = match r.code {
                ServerCode::Imap { code, argument: Some(url) } if code == "WEBALERT" && url.starts_with("https://") => {
                    Some(url.clone())
                }
                _ => None,
            };
            let google = matches!(provider, "gmail" | "google-workspace");
            let list = if google {
                tr!("diag-web-sign-in-required.steps-google")
            } else {
                tr!("diag-web-sign-in-required.steps-any-provider")
            };
            let what_happened = match r.provider {
                Some(p) => tr!("diag-web-sign-in-required.what-happened", target = target, provider = p.name),
                None => tr!("diag-web-sign-in-required.what-happened-any-provider", target = target),
            };
            e(
                tr!("diag-web-sign-in-required"),
                what_happened,
                steps(list),
                // The WEBALERT's own link first: the provider made it for this very sign-in.
                web_alert.as_deref().or(google.then_some(GMAIL_IMAP_TROUBLESHOOTING)),
            )
        }
        C::ProtocolDisabled => {
            let (list, help, who) = match (provider, protocol) {
                ("gmail", "POP") => (tr!("diag-protocol-disabled.steps-gmail-pop"), Some(GMAIL_POP), WhoActs::You),
                ("gmail", _) => (tr!("diag-protocol-disabled.steps-gmail-imap"), Some(GMAIL_IMAP), WhoActs::You),
                ("google-workspace", _) => (
                    tr!("diag-protocol-disabled.steps-google-workspace", protocol = protocol),
                    Some(GMAIL_IMAP),
                    WhoActs::Administrator,
                ),
                ("outlook", _) => (
                    tr!("diag-protocol-disabled.steps-outlook", protocol = protocol),
                    Some(OUTLOOK_COM_IMAP_POP),
                    WhoActs::You,
                ),
                ("microsoft365", _) => (
                    tr!("diag-protocol-disabled.steps-microsoft365", protocol = protocol),
                    Some(MICROSOFT_IMAP_POP_ACCESS),
                    WhoActs::Administrator,
                ),
                _ => (tr!("diag-protocol-disabled.steps-any-provider", protocol = protocol), None, WhoActs::You),
            };
            return Some(Entry {
                title: tr!("diag-protocol-disabled", protocol = protocol),
                what_happened: tr!("diag-protocol-disabled.what-happened", target = target, protocol = protocol),
                steps: steps(list),
                who_acts: who,
                help_url: help.map(str::to_owned).or(provider_help),
            });
        }
        C::BasicAuthDisabled => {
            let smtp = protocol == "SMTP";
            let (what_happened, list) = if smtp {
                (
                    tr!("diag-basic-auth-disabled.what-happened-smtp", target = target),
                    tr!("diag-basic-auth-disabled.steps-smtp"),
                )
            } else {
                (tr!("diag-basic-auth-disabled.what-happened", target = target), tr!("diag-basic-auth-disabled.steps"))
            };
            e(
                tr!("diag-basic-auth-disabled"),
                what_happened,
                steps(list),
                Some(if smtp { MICROSOFT_SMTP_AUTH } else { MICROSOFT_BASIC_AUTH }),
            )
        }
        C::PasswordOrSignInBlocked => e(
            tr!("diag-password-or-sign-in-blocked"),
            tr!("diag-password-or-sign-in-blocked.what-happened", target = target, said = r.said.trim()),
            steps(tr!("diag-password-or-sign-in-blocked.steps")),
            Some(MICROSOFT_BASIC_AUTH),
        ),
        C::Throttled => {
            let wait = r.suggested_wait_minutes().map_or_else(
                || tr!("diag-throttled.wait"),
                |minutes| tr!("diag-throttled.wait-asked", minutes = minutes),
            );
            let help = match provider {
                "gmail" | "google-workspace" => Some(GMAIL_BANDWIDTH),
                _ => None,
            };
            let mut list = vec![wait];
            list.extend(steps(tr!("diag-throttled.steps")));
            e(tr!("diag-throttled"), tr!("diag-throttled.what-happened", target = target), list, help)
        }
        C::TooManyConnections => e(
            tr!("diag-too-many-connections"),
            tr!("diag-too-many-connections.what-happened", target = target),
            steps(tr!("diag-too-many-connections.steps")),
            matches!(provider, "gmail" | "google-workspace").then_some(GMAIL_IMAP_TROUBLESHOOTING),
        ),
        C::BandwidthExceeded => e(
            tr!("diag-bandwidth-exceeded"),
            tr!("diag-bandwidth-exceeded.what-happened", target = target),
            steps(tr!("diag-bandwidth-exceeded.steps")),
            matches!(provider, "gmail" | "google-workspace").then_some(GMAIL_BANDWIDTH),
        ),
        C::AccountDisabled => e(
            tr!("diag-account-disabled"),
            tr!("diag-account-disabled.what-happened", target = target),
            steps(tr!("diag-account-disabled.steps")),
            None,
        ),
        C::AccountLocked => e(
            tr!("diag-account-locked"),
            tr!("diag-account-locked.what-happened", target = target),
            steps(tr!("diag-account-locked.steps")),
            None,
        ),
        C::PasswordExpired => e(
            tr!("diag-password-expired"),
            tr!("diag-password-expired.what-happened", target = target),
            steps(tr!("diag-password-expired.steps")),
            None,
        ),
        C::MailboxInUse => e(
            tr!("diag-mailbox-in-use"),
            tr!("diag-mailbox-in-use.what-happened", target = target),
            steps(tr!("diag-mailbox-in-use.steps")),
            None,
        ),
        C::NotAuthorized => e(
            tr!("diag-not-authorized"),
            tr!("diag-not-authorized.what-happened", target = target),
            steps(tr!("diag-not-authorized.steps")),
            None,
        ),
        C::ServerBusy => e(
            tr!("diag-server-busy"),
            tr!("diag-server-busy.what-happened", target = target),
            steps(tr!("diag-server-busy.steps")),
            None,
        ),
        C::ConnectionBlocked => e(
            tr!("diag-connection-blocked"),
            tr!("diag-connection-blocked.what-happened", target = target),
            steps(tr!("diag-connection-blocked.steps")),
            None,
        ),
        C::ServerError => e(
            tr!("diag-server-error"),
            tr!("diag-server-error.what-happened", target = target),
            steps(tr!("diag-server-error.steps")),
            None,
        ),
        C::SenderNotAllowed => e(
            tr!("diag-sender-not-allowed"),
            tr!("diag-sender-not-allowed.what-happened", target = target),
            steps(tr!("diag-sender-not-allowed.steps")),
            None,
        ),
        _ => return None,
    })
}

/// Rewrites `d` with what the catalog says for `code`, keeping its stage and evidence, and
/// adding what the server said as evidence and, for an `[ALERT]`, to what happened (RFC 3501
/// 7.1: an ALERT's text must be shown to the user).
pub(crate) fn apply(mut d: Diagnosis, code: DiagnosisCode, r: &Refusal<'_>) -> Diagnosis {
    if let Some(entry) = entry(code, r) {
        d.code = code;
        d.title = entry.title;
        d.what_happened = entry.what_happened;
        d.what_to_do = entry.steps.join(" ");
        d.steps = entry.steps;
        d.who_acts = entry.who_acts;
        d.help_url = entry.help_url;
        d.provider_hint = None;
    }
    if let ServerCode::Imap { code, .. } = r.code {
        if code == "ALERT" {
            let alert = r.said.trim_start_matches("[ALERT]").trim();
            d.what_happened.push(' ');
            d.what_happened.push_str(&tr!("diag-server-alert", alert = alert));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_splits_into_one_step_per_sentence() {
        assert_eq!(
            steps_from("Check the port (e.g. 993). Then try again. SMTP 4.7.0 is temporary."),
            vec!["Check the port (e.g. 993).", "Then try again.", "SMTP 4.7.0 is temporary."]
        );
        assert_eq!(steps_from("One step"), vec!["One step"]);
    }

    /// German abbreviations with full stops inside a step keep it whole.
    #[test]
    fn german_abbreviations_do_not_end_a_step() {
        assert_eq!(
            steps_from("Prüfen Sie den Port (z. B. 993). Versuchen Sie es erneut, d. h. jetzt bzw. später. Fertig."),
            vec!["Prüfen Sie den Port (z. B. 993).", "Versuchen Sie es erneut, d. h. jetzt bzw. später.", "Fertig."]
        );
    }

    /// Each line of a catalog message's `.steps…` attribute is one step, in every language.
    #[test]
    fn catalog_steps_are_one_per_line() {
        for language in crate::i18n::Language::ALL {
            let list = crate::i18n::with_language(language, || steps(tr!("diag-account-locked.steps")));
            assert_eq!(list.len(), 3, "{list:?}");
            assert!(list.iter().all(|s| !s.contains('\n') && s == s.trim()), "{list:?}");
        }
    }

    #[test]
    fn a_temporary_code_is_never_a_wrong_password() {
        for (code, said) in [
            (ServerCode::imap("[LIMIT] x"), "[LIMIT] x"),
            (ServerCode::pop3("[IN-USE] x"), "[IN-USE] x"),
            (ServerCode::smtp(454, "4.7.0 x"), "454 4.7.0 x"),
        ] {
            assert!(tells_more_than_wrong_credentials(&code, said), "{said}");
        }
        let plain = ServerCode::imap("[AUTHENTICATIONFAILED] Authentication failed.");
        assert!(!tells_more_than_wrong_credentials(&plain, "[AUTHENTICATIONFAILED] Authentication failed."));
    }
}
