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
        // A sentence ends at ". " (not inside "e.g. " or a number like "4.7.0").
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|n| *n == ' ') {
            let ends_word =
                current.trim_end_matches(['.', '!', '?']).rsplit(' ').next().unwrap_or("").trim_start_matches('(');
            if !matches!(ends_word, "e.g" | "i.e" | "etc") {
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

    /// The wait a server asked for: Microsoft's "Suggested Backoff Time: 92 milliseconds".
    fn suggested_wait(&self) -> Option<String> {
        let lower = self.said.to_lowercase();
        let rest = &lower[lower.find("backoff time")? + "backoff time".len()..];
        let rest = rest.trim_start_matches([':', ' ']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let amount: u64 = digits.parse().ok()?;
        let unit = rest[digits.len()..].trim_start();
        let seconds = if unit.starts_with("ms") || unit.starts_with("milli") { amount.div_ceil(1000) } else { amount };
        Some(if seconds <= 60 { "a minute".to_owned() } else { format!("{} minutes", seconds.div_ceil(60)) })
    }
}

fn steps(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
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
    let provider_name = r.provider.map_or("your provider", |p| p.name);
    let provider_help = r.provider.and_then(|p| p.help_url).map(str::to_owned);
    let who = who_acts(code);
    let e = |title: &str, what_happened: String, steps: Vec<String>, help_url: Option<&str>| Entry {
        title: title.to_owned(),
        what_happened,
        steps,
        who_acts: who,
        help_url: help_url.map(str::to_owned),
    };
    Some(match code {
        C::AppPasswordRequired => {
            let (list, help): (Vec<String>, Option<&str>) = match provider {
                "gmail" | "google-workspace" => (
                    steps(&[
                        "Turn on 2-Step Verification in your Google Account (myaccount.google.com → Security).",
                        "Create an app password there: Security → 2-Step Verification → App passwords.",
                        "Type the app password here instead of your Google password, then choose Try again.",
                    ]),
                    Some(GOOGLE_APP_PASSWORDS),
                ),
                "yahoo" => (
                    steps(&[
                        "Sign in to your Yahoo account on the web and open Account Info → Account security.",
                        "Choose Generate app password, and name it Inlet.",
                        "Type the app password here instead of your Yahoo password, then choose Try again.",
                    ]),
                    Some(YAHOO_APP_PASSWORDS),
                ),
                "aol" => (
                    steps(&[
                        "Sign in to your AOL account on the web and open Account Info → Account security.",
                        "Choose Generate app password, and name it Inlet.",
                        "Type the app password here instead of your AOL password, then choose Try again.",
                    ]),
                    Some(AOL_APP_PASSWORDS),
                ),
                "icloud" => (
                    steps(&[
                        "Sign in to your Apple Account (account.apple.com) and open Sign-In and Security → App-Specific Passwords.",
                        "Create a password for Inlet (two-factor authentication must be on).",
                        "Type it here instead of your Apple Account password, then choose Try again.",
                    ]),
                    Some(APPLE_APP_PASSWORDS),
                ),
                _ => (
                    steps(&[
                        "Sign in to your provider's website and look for app passwords (often under Security or Account security).",
                        "Create one for Inlet.",
                        "Type it here instead of your usual password, then choose Try again.",
                    ]),
                    None,
                ),
            };
            let help = help.map(str::to_owned).or(provider_help);
            return Some(Entry {
                title: "An app password is needed".into(),
                what_happened: format!(
                    "{target} does not accept your account's own password in mail apps: {provider_name} wants an \
                     app password, a separate password made for one app. Your password may well be right."
                ),
                steps: list,
                who_acts: who,
                help_url: help,
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
                steps(&[
                    "Sign in to Gmail in a web browser on this computer, and complete any check Google asks for.",
                    "If Google shows a security alert about a blocked sign-in, confirm that it was you.",
                    "Come back and choose Try again within a few minutes. With 2-Step Verification on, use an app password here.",
                ])
            } else {
                steps(&[
                    "Sign in to your mailbox on your provider's website, in a browser on this computer, and complete any check it asks for.",
                    "Come back and choose Try again within a few minutes.",
                ])
            };
            e(
                "Sign in on the web first",
                format!(
                    "{target} wants you to sign in on {provider_name}'s website before a mail app may: it saw a sign-in \
                     it wants to confirm, or its rules changed. This is not a wrong password."
                ),
                list,
                // The WEBALERT's own link first: the provider made it for this very sign-in.
                web_alert.as_deref().or(google.then_some(GMAIL_IMAP_TROUBLESHOOTING)),
            )
        }
        C::ProtocolDisabled => {
            let (list, help, who): (Vec<String>, Option<&str>, WhoActs) = match (provider, protocol) {
                ("gmail", "POP") => (
                    steps(&[
                        "Open Gmail on the web: Settings → See all settings → Forwarding and POP/IMAP.",
                        "Under POP download, turn on POP, and save.",
                        "Choose Try again.",
                    ]),
                    Some(GMAIL_POP),
                    WhoActs::You,
                ),
                ("gmail", _) => (
                    steps(&[
                        "Open Gmail on the web: Settings → See all settings → Forwarding and POP/IMAP.",
                        "Under IMAP access, turn on IMAP, and save.",
                        "Choose Try again.",
                    ]),
                    Some(GMAIL_IMAP),
                    WhoActs::You,
                ),
                ("google-workspace", _) => (
                    vec![
                        format!("Ask your Google Workspace administrator to allow {protocol} access for your account (Admin console → Apps → Google Workspace → Gmail → End User Access)."),
                        "Once they have, choose Try again.".to_owned(),
                    ],
                    Some(GMAIL_IMAP),
                    WhoActs::Administrator,
                ),
                ("outlook", _) => (
                    vec![
                        format!("Open Outlook.com on the web: Settings → Mail → Forwarding and IMAP, and allow {protocol}."),
                        "Choose Try again.".to_owned(),
                    ],
                    Some(OUTLOOK_COM_IMAP_POP),
                    WhoActs::You,
                ),
                ("microsoft365", _) => (
                    vec![
                        format!("Ask your Microsoft 365 administrator to turn on {protocol} for your mailbox (Exchange admin center → the mailbox → Manage email apps)."),
                        "Once they have, choose Try again.".to_owned(),
                    ],
                    Some(MICROSOFT_IMAP_POP_ACCESS),
                    WhoActs::Administrator,
                ),
                _ => (
                    vec![
                        format!("Turn on {protocol} access in your mailbox's settings on the web (look for \"POP/IMAP\" or \"mail apps\"), or ask your administrator to."),
                        format!("If your provider offers IMAP and you chose POP (or the reverse), choose the one it offers."),
                        "Choose Try again.".to_owned(),
                    ],
                    None,
                    WhoActs::You,
                ),
            };
            return Some(Entry {
                title: format!("{protocol} is turned off for this mailbox"),
                what_happened: format!(
                    "{target} accepted who you are, but {protocol} access is turned off for this mailbox, so mail apps \
                     cannot use it. Your password is not the problem."
                ),
                steps: list,
                who_acts: who,
                help_url: help.map(str::to_owned).or(provider_help),
            });
        }
        C::BasicAuthDisabled => {
            let smtp = protocol == "SMTP";
            e(
                "Password sign-in is turned off by your organisation",
                if smtp {
                    format!(
                        "{target} refuses to send mail for password sign-ins: authenticated SMTP (SMTP AUTH) is turned \
                         off for your organisation or for this mailbox. Your password is not the problem."
                    )
                } else {
                    format!(
                        "{target} refuses password sign-ins (basic authentication) for your organisation. Your password \
                         is not the problem."
                    )
                },
                if smtp {
                    steps(&[
                        "Ask your Microsoft 365 administrator to turn on Authenticated SMTP for this mailbox (Exchange admin center → the mailbox → Manage email apps → Authenticated SMTP), or for the organisation.",
                        "Security defaults in Microsoft Entra ID turn it off too; the administrator decides whether it may be used.",
                        "Once it is on, choose Try again.",
                    ])
                } else {
                    steps(&[
                        "Ask your administrator whether mail apps may sign in with a password; Microsoft has turned it off for IMAP and POP in Exchange Online.",
                        "Where your organisation allows it, sign in with Microsoft instead of a password.",
                    ])
                },
                Some(if smtp { MICROSOFT_SMTP_AUTH } else { MICROSOFT_BASIC_AUTH }),
            )
        }
        C::PasswordOrSignInBlocked => e(
            "The password was refused, or password sign-in is turned off",
            format!(
                "{target} answered \"{}\", which Microsoft sends both for a wrong password and when password \
                 sign-in for mail apps is turned off for the organisation or the mailbox. A wrong password is the \
                 more likely.",
                r.said.trim()
            ),
            steps(&[
                "Sign in to Outlook on the web (outlook.office.com) with the same address and password. If that fails too, the password is wrong: correct it here and choose Try again.",
                "If the web sign-in works, the password is right and password sign-in for mail apps is turned off: ask your administrator to allow IMAP, POP or SMTP sign-in for this mailbox, or sign in with Microsoft instead.",
            ]),
            Some(MICROSOFT_BASIC_AUTH),
        ),
        C::Throttled => {
            let wait = r.suggested_wait().map_or_else(
                || "Wait a few minutes, then choose Try again.".to_owned(),
                |w| format!("Wait {w} (the server asked for it), then choose Try again."),
            );
            let help = match provider {
                "gmail" | "google-workspace" => Some(GMAIL_BANDWIDTH),
                _ => None,
            };
            e(
                "The server is slowing this account down",
                format!(
                    "{target} limits how often this account may sign in or work, and it reached the limit: too many \
                     apps or devices use it at once, or too much in a short time. Nothing you typed is wrong."
                ),
                vec![
                    wait,
                    "Close other apps and devices that check this mailbox often, or disconnect services you no longer use: each one counts against the same limit.".to_owned(),
                    "If it keeps happening, ask your provider about their limits.".to_owned(),
                ],
                help,
            )
        }
        C::TooManyConnections => e(
            "Too many connections to this mailbox",
            format!(
                "{target} allows only a few connections at once to one mailbox, and other apps or devices already \
                 hold them. Nothing you typed is wrong."
            ),
            steps(&[
                "Close other mail apps, phones or services connected to this mailbox, or disconnect those you no longer use.",
                "Wait a few minutes for their connections to end, then choose Try again.",
            ]),
            matches!(provider, "gmail" | "google-workspace").then_some(GMAIL_IMAP_TROUBLESHOOTING),
        ),
        C::BandwidthExceeded => e(
            "This account used up its daily transfer limit",
            format!(
                "{target} has paused mail-app access for this account because it downloaded or uploaded more than \
                 the provider allows in a day. Nothing you typed is wrong."
            ),
            steps(&[
                "Wait: the limit resets within a day (at Gmail, up to 24 hours).",
                "Meanwhile, stop other apps from syncing this mailbox, then choose Try again.",
            ]),
            matches!(provider, "gmail" | "google-workspace").then_some(GMAIL_BANDWIDTH),
        ),
        C::AccountDisabled => e(
            "This account is disabled",
            format!(
                "{target} says this account may not sign in: it was disabled by its administrator or provider. \
                 Your password is not the problem."
            ),
            steps(&[
                "Ask your administrator or provider why the account is disabled; the server's words are below.",
                "Once it is enabled again, choose Try again: nothing needs changing here.",
            ]),
            None,
        ),
        C::AccountLocked => e(
            "This account is locked",
            format!("{target} has locked this account, usually after too many sign-ins with a wrong password."),
            steps(&[
                "Wait for the lock to end (often 15 to 30 minutes), or unlock the account on your provider's website.",
                "Check that other apps and devices do not still use an old password: they keep locking the account.",
                "Check the password here, then choose Try again.",
            ]),
            None,
        ),
        C::PasswordExpired => e(
            "Your password has expired",
            format!("{target} says the password of this account has expired and must be changed before any sign-in."),
            steps(&[
                "Change your password on your provider's website (or your organisation's password page).",
                "Type the new password here, then choose Try again.",
            ]),
            None,
        ),
        C::MailboxInUse => e(
            "Another program is using this mailbox",
            format!(
                "{target} lets only one program at a time use this mailbox, and another one has it open (POP3 \
                 locks the mailbox while a program downloads it). Nothing you typed is wrong."
            ),
            steps(&[
                "Close other mail programs or phones that download this mailbox, or wait until they finish.",
                "Choose Try again in a few minutes.",
            ]),
            None,
        ),
        C::NotAuthorized => e(
            "This account may not use this mailbox",
            format!("{target} accepted the sign-in, but this account is not allowed to use this mailbox."),
            steps(&[
                "Check the username: for a shared mailbox, your administrator tells you which name to sign in with.",
                "Ask your administrator to give your account access to this mailbox.",
            ]),
            None,
        ),
        C::ServerBusy => e(
            "The server is not taking connections right now",
            format!("{target} answered, but turned the connection away at once: it is busy or being maintained."),
            steps(&[
                "Wait a few minutes, then choose Try again.",
                "If it keeps happening, tell your provider; the server's words are below.",
            ]),
            None,
        ),
        C::ConnectionBlocked => e(
            "The server refuses this network",
            format!(
                "{target} refused to serve this computer or network by its policy (the address may be on a \
                 block list, or only some networks may use the server)."
            ),
            steps(&[
                "Try from another network (a phone's hotspot, for example) to confirm.",
                "Ask your provider or administrator whether this network's address is blocked; the server's words are below.",
            ]),
            None,
        ),
        C::ServerError => e(
            "The server reported an error of its own",
            format!("{target} reported a problem on its side. Nothing you typed is wrong."),
            steps(&[
                "Choose Try again later.",
                "If it keeps happening, send the report to your provider: the server's words are below.",
            ]),
            None,
        ),
        C::SenderNotAllowed => e(
            "This account may not send from this address",
            format!("{target} signed you in, but refused to send mail from this address for this account."),
            steps(&[
                "Check that the mailbox's address is the one this account owns.",
                "To send from another address, your administrator must allow it (\"Send As\"), or your provider must verify it as an alias.",
            ]),
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
            d.what_happened.push_str(&format!(" The server's message for you: \"{alert}\""));
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
