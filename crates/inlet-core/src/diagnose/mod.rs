//! Every failure becomes a Diagnosis: a stable code, a title, what happened and what to do, in
//! plain words, with the evidence a help-desk technician needs. One catalog for app and CLI.
//!
//! This file: the codes and the diagnosis. `from_error`: how an engine error becomes one.
//! `sign_in`: browser sign-in failures. `catalog`: who acts on each code, and the codes read from a server's refusal with their words and steps.
//! `evidence`: the typed code of a server's refusal, read where it arrived.

pub mod catalog;
pub mod evidence;
mod from_error;
mod sign_in;

use from_error::{provider_of_server, server_refusal};

pub use catalog::WhoActs;

use crate::account::{Protocol, Side};
use crate::certificate::CertificateInfo;
use crate::error::EngineError;
use crate::progress::Stage;
use crate::providers;
use crate::tr;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Stable codes: the UI, the CLI's JSON and support scripts key on them. Never renumber or rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisCode {
    InvalidInput,
    HostNotFound,
    ConnectionRefused,
    NetworkUnreachable,
    TimedOut,
    CertificateUntrusted,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateWrongHost,
    CertificateInvalid,
    CertificateChanged,
    TlsFailed,
    StarttlsNotOffered,
    EncryptionRequired,
    PlaintextNotConfirmed,
    AuthenticationFailed,
    NoUsableSignInMethod,
    ConnectionClosed,
    ProtocolError,
    ServerRefused,
    KeychainLocked,
    KeychainUnavailable,
    KeychainFailed,
    StoreFailed,
    MailboxNotFound,
    AlreadySaved,
    Cancelled,
    /// Discovery found no incoming server anywhere.
    SettingsNotFound,
    /// The server has a passing problem of its own (its sign-in backend is down, it is busy);
    /// nothing the user typed is at fault.
    ServerTemporaryFailure,
    // Browser sign-in (OAuth2). Each says who must act: the user, the organisation's
    // administrator, or whoever set up this copy of Inlet.
    /// No client id is configured for the provider: an administrator must set one.
    SignInNotSetUp,
    /// The administrator's policy file is unusable, or fixes another client id or tenant.
    SignInPolicy,
    /// Another sign-in is already running.
    SignInBusy,
    /// The user cancelled the sign-in in Inlet.
    SignInCancelled,
    /// The browser never came back in time (or the device code ran out).
    SignInTimedOut,
    /// The user declined on the provider's page (`access_denied`).
    SignInDenied,
    /// The provider does not accept this app (`invalid_client`).
    SignInClientRejected,
    /// The app may not ask for mail access (`invalid_scope`).
    SignInScopeRejected,
    /// Microsoft AADSTS65001/90094: the organisation's administrator must consent.
    SignInConsentRequired,
    /// Microsoft AADSTS50020: an account from another tenant.
    SignInOtherTenant,
    /// Microsoft AADSTS50076/50079/53003: multi-factor or conditional access.
    SignInConditionalAccess,
    /// Microsoft AADSTS700016: the app is unknown in the tenant.
    SignInAppUnknown,
    /// Microsoft AADSTS7000218: public client flows are not enabled for the app.
    SignInPublicClientDisabled,
    /// Microsoft AADSTS50194: a single-tenant app used on /common.
    SignInSingleTenantApp,
    /// Google `admin_policy_enforced`.
    SignInBlockedByAdmin,
    /// Google `org_internal`.
    SignInOrgInternal,
    /// Google blocks the unverified app.
    SignInAppUnverified,
    /// The grant is gone (`invalid_grant`: revoked, expired through inactivity): sign in again.
    NeedsSignIn,
    /// The provider refused for another reason, in its own words.
    SignInRefused,
    /// The sign-in's answer could not be trusted or used (wrong state, wrong issuer, bad metadata).
    SignInFailed,
    /// The provider's sign-in service cannot be reached or has a passing problem.
    IssuerUnavailable,
    /// After a successful sign-in, the mail server refused the token: IMAP/POP is turned off
    /// for the mailbox, or the token is for another mailbox.
    MailAccessOff,
    // Read from what the server said (its typed code first, then its words): the catalog
    // (catalog.rs) has their words, steps and help pages.
    /// The provider wants an app password, not the account's own (Gmail, Yahoo, AOL, iCloud).
    AppPasswordRequired,
    /// The provider wants a sign-in on its website first (Gmail's WEBALERT).
    WebSignInRequired,
    /// IMAP or POP access is turned off for the mailbox.
    ProtocolDisabled,
    /// The organisation turned password sign-in off (Microsoft SMTP AUTH 5.7.139, basic auth).
    BasicAuthDisabled,
    /// Microsoft's "AUTHENTICATE failed" / 535 5.7.3: a wrong password, or password sign-in off.
    PasswordOrSignInBlocked,
    /// The server slows the account down (THROTTLED, LOGIN-DELAY, LIMIT).
    Throttled,
    /// Too many simultaneous connections to the mailbox.
    TooManyConnections,
    /// The account used up its daily transfer limit (Gmail's OVERQUOTA bandwidth).
    BandwidthExceeded,
    /// The account was disabled by its administrator or provider (CONTACTADMIN).
    AccountDisabled,
    /// The account is locked, usually after repeated wrong passwords.
    AccountLocked,
    /// The password expired (EXPIRED).
    PasswordExpired,
    /// Another program has the mailbox open (POP3 IN-USE, IMAP INUSE).
    MailboxInUse,
    /// Signed in, but not allowed to use this mailbox (AUTHORIZATIONFAILED, NOPERM).
    NotAuthorized,
    /// The server turned the connection away at its greeting (BYE, 421, -ERR): busy.
    ServerBusy,
    /// The server refuses this client or network by policy (554 or 5.7.x at the greeting).
    ConnectionBlocked,
    /// The server reported an error of its own (SERVERBUG, SYS/PERM).
    ServerError,
    /// The account may not send from this address (5.7.60, sender address rejected).
    SenderNotAllowed,
    /// TLS was started on a port that answers in plain text: it expects STARTTLS.
    PortExpectsStarttls,
    /// STARTTLS or no encryption was chosen on a port that speaks TLS at once (993, 995, 465):
    /// no plain greeting came, and the port answered a TLS handshake.
    PortExpectsTls,
    /// The mailbox was turned off automatically after too many errors in a row: nothing signs
    /// in with its stored credentials until the cause is fixed and it is turned on again.
    MailboxDisabled,
    /// The administrator's policy does not allow it: adding or removing mailboxes, this mailbox
    /// type, a server older than the policy's minimum TLS version.
    PolicyForbids,
}

impl DiagnosisCode {
    /// The stable name, as serialized (`authentication_failed`).
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => unreachable!("a unit variant serializes as a string"),
        }
    }
}

impl std::str::FromStr for DiagnosisCode {
    type Err = serde_json::Error;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        serde_json::from_value(serde_json::Value::String(name.to_owned()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    pub code: DiagnosisCode,
    pub title: String,
    pub what_happened: String,
    /// The advice as one text; the same as `steps`, joined.
    pub what_to_do: String,
    /// What to do, step by step, in order (shown numbered).
    #[serde(default)]
    pub steps: Vec<String>,
    /// Who should act: you, your administrator or your provider.
    #[serde(default)]
    pub who_acts: WhoActs,
    /// The provider's own help page for this problem, where one exists.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_url: Option<String>,
    /// Advice specific to the provider of the address, when we know it.
    pub provider_hint: Option<String>,
    /// The stage that failed, when a connection step failed.
    pub stage: Option<Stage>,
    /// Facts for a technician: host and port, addresses tried, the server's own words. Never a secret.
    pub evidence: Vec<String>,
    /// The certificate the server presented, when it was refused.
    pub certificate: Option<CertificateInfo>,
    /// certificate_changed: the SHA-256 fingerprint the user trusted before, to compare with
    /// the new one.
    pub trusted_fingerprint: Option<String>,
    /// When both servers failed: the outgoing server's diagnosis, beside this incoming one, so
    /// both can be fixed before trying again.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also: Option<Box<Diagnosis>>,
    /// Which server failed, when a mailbox has two.
    pub side: Option<Side>,
    /// After a failed connection: whether the server's other ports and other hosts answer (this
    /// network blocks the port, the server is down, or this computer is offline).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reachability: Option<crate::reachability::Reachability>,
    /// Microsoft's admin-consent page for the tenant (consent needed, AADSTS65001/90094): to
    /// show to, or open for, the organisation's administrator.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_consent_url: Option<String>,
}

impl Diagnosis {
    fn new(code: DiagnosisCode, title: &str, what_happened: String, what_to_do: &str) -> Diagnosis {
        Diagnosis {
            code,
            title: title.to_owned(),
            what_happened,
            what_to_do: what_to_do.to_owned(),
            steps: catalog::steps_from(what_to_do),
            who_acts: catalog::who_acts(code),
            help_url: None,
            provider_hint: None,
            stage: None,
            evidence: Vec::new(),
            certificate: None,
            trusted_fingerprint: None,
            also: None,
            side: None,
            reachability: None,
            admin_consent_url: None,
        }
    }
    /// Replaces the advice: `what_to_do` and its steps (one per sentence).
    pub fn advise(&mut self, what_to_do: &str) {
        self.what_to_do = what_to_do.to_owned();
        self.steps = catalog::steps_from(what_to_do);
    }

    fn stage(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }
    fn evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }
    /// The server's typed code as an evidence line, when it sent one.
    fn code_evidence(mut self, code: &evidence::ServerCode) -> Self {
        self.evidence.extend(code.evidence());
        self
    }

    /// Input refused before any network step.
    pub fn invalid_input(field: &'static str, message: &str) -> Diagnosis {
        Self::from_error(&EngineError::InvalidInput { field, message: message.to_owned() })
    }

    /// Discovery asked every source and none named an incoming server. `tried` is one line per
    /// source, for the technician.
    pub(crate) fn settings_not_found(domain: &str, tried: Vec<String>) -> Diagnosis {
        let mut d = Diagnosis::new(
            DiagnosisCode::SettingsNotFound,
            &tr!("eng-settings-not-found"),
            tr!("eng-settings-not-found.happened", domain = domain),
            &tr!("eng-settings-not-found.todo"),
        );
        d.evidence = tried;
        d
    }

    /// What the administrator's policy does not allow, and who can change it.
    pub(crate) fn of_policy(refusal: &crate::policy::PolicyRefusal) -> Diagnosis {
        use crate::policy::{adding_not_allowed, removing_not_allowed, PolicyRefusal as R};
        match refusal {
            R::Adding => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                &tr!("eng-policy-adding"),
                adding_not_allowed(),
                &tr!("eng-policy-adding.todo"),
            ),
            R::Removing => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                &tr!("eng-policy-removing"),
                removing_not_allowed(),
                &tr!("eng-policy-removing.todo"),
            ),
            R::MailboxType { kind } => {
                let name =
                    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                Diagnosis::new(
                    DiagnosisCode::PolicyForbids,
                    &tr!("eng-policy-mailbox-type"),
                    tr!("eng-policy-mailbox-type.happened", kind = name.as_str()),
                    &tr!("eng-policy-mailbox-type.todo"),
                )
                .evidence(tr!("eng-evidence-mailbox-type", kind = name.as_str()))
            }
            R::TlsVersion { target, minimum } => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                &tr!("eng-policy-tls-version"),
                tr!("eng-policy-tls-version.happened", target = target.as_str(), minimum = minimum.label()),
                &tr!("eng-policy-tls-version.todo", minimum = minimum.label()),
            )
            .stage(Stage::Tls),
        }
    }

    /// A mailbox that the checks turned off after too many errors in a row (`status` is its
    /// recorded status): which error it was, and how to bring it back.
    pub(crate) fn mailbox_disabled(email: &str, status: &crate::store::MailboxStatus) -> Diagnosis {
        let outgoing = status.consecutive_outgoing_errors > status.consecutive_errors;
        let (side, count, code, title) = if outgoing {
            (
                "outgoing",
                status.consecutive_outgoing_errors,
                status.last_outgoing_error_code,
                &status.last_outgoing_error_title,
            )
        } else {
            ("incoming", status.consecutive_errors, status.last_error_code, &status.last_error_title)
        };
        let last = match (code, title) {
            (Some(code), Some(title)) => tr!("eng-last-error-titled", title = title.as_str(), code = code.name()),
            (Some(code), None) => code.name(),
            _ => tr!("eng-last-error-unknown"),
        };
        let last = last.as_str();
        use DiagnosisCode as C;
        let what_to_do = match code {
            Some(
                C::AuthenticationFailed
                | C::PasswordExpired
                | C::AppPasswordRequired
                | C::PasswordOrSignInBlocked
                | C::AccountLocked,
            ) => tr!("eng-mailbox-disabled.todo-password", last = last),
            Some(C::NeedsSignIn | C::MailAccessOff) => tr!("eng-mailbox-disabled.todo-sign-in", last = last),
            _ => tr!("eng-mailbox-disabled.todo", last = last),
        };
        Diagnosis::new(
            C::MailboxDisabled,
            &tr!("eng-mailbox-disabled"),
            tr!("eng-mailbox-disabled.happened", email = email, side = side, count = count, last = last),
            &what_to_do,
        )
        .evidence(tr!("eng-mailbox-disabled.evidence-count", count = count, side = side))
        .evidence(tr!("eng-mailbox-disabled.evidence-last", side = side, last = last))
    }

    /// The user stopped the use case.
    pub fn cancelled() -> Diagnosis {
        Self::from_error(&EngineError::Cancelled)
    }

    /// The same diagnosis, marked as about the incoming or outgoing server. Advice that names
    /// ports is rewritten for outgoing mail, whose ports differ (RFC 8314: 465 TLS, 587 STARTTLS).
    pub fn on(mut self, side: Side) -> Diagnosis {
        self.side = Some(side);
        if side == Side::Outgoing {
            use DiagnosisCode as C;
            let advice = match self.code {
                C::ConnectionRefused => Some(tr!("eng-out-connection-refused")),
                C::TimedOut if matches!(self.stage, Some(Stage::Tls | Stage::Greeting)) => {
                    Some(tr!("eng-out-timed-out-tls"))
                }
                C::TimedOut if self.stage == Some(Stage::Connecting) => Some(tr!("eng-out-timed-out-connecting")),
                C::TlsFailed => Some(tr!("eng-out-tls-failed")),
                C::StarttlsNotOffered => Some(tr!("eng-out-starttls-not-offered")),
                C::EncryptionRequired => Some(tr!("eng-out-encryption-required")),
                C::ProtocolError => Some(tr!("eng-out-protocol-error")),
                C::PortExpectsStarttls => Some(tr!("eng-out-port-expects-starttls")),
                C::PortExpectsTls => Some(tr!("eng-out-port-expects-tls")),
                C::AuthenticationFailed => Some(tr!("eng-out-auth-failed")),
                _ => None,
            };
            if let Some(advice) = advice {
                self.advise(&advice);
            }
        }
        self
    }

    /// The same diagnosis, with advice that names ports written for the incoming `protocol`: the
    /// catalog's advice is IMAP's (993/143), and POP3 has its own ports (RFC 8314: 995 with TLS;
    /// RFC 2595: 110 with STARTTLS).
    pub fn for_protocol(mut self, protocol: Protocol) -> Diagnosis {
        if protocol != Protocol::Pop3 {
            return self;
        }
        use DiagnosisCode as C;
        let advice = match self.code {
            C::ConnectionRefused => Some(tr!("eng-pop-connection-refused")),
            C::TimedOut if matches!(self.stage, Some(Stage::Tls | Stage::Greeting)) => {
                Some(tr!("eng-pop-timed-out-tls"))
            }
            C::TlsFailed => Some(tr!("eng-pop-tls-failed")),
            C::StarttlsNotOffered => Some(tr!("eng-pop-starttls-not-offered")),
            C::EncryptionRequired => Some(tr!("eng-pop-encryption-required")),
            C::ProtocolError => Some(tr!("eng-pop-protocol-error")),
            C::PortExpectsStarttls => Some(tr!("eng-pop-port-expects-starttls")),
            C::PortExpectsTls => Some(tr!("eng-pop-port-expects-tls")),
            _ => None,
        };
        if let Some(advice) = advice {
            self.advise(&advice);
        }
        self
    }

    /// The stable code as the CLI's JSON and the logs spell it, e.g. `authentication_failed`.
    pub(crate) fn code_str(&self) -> String {
        serde_json::to_value(self.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// An outgoing sign-in refused with the incoming server's password ("Same password as
    /// incoming"): what the incoming server made of that password says what to do.
    /// `incoming_accepted`: Some(true) when it signed in, Some(false) when it refused the
    /// password too, None when it failed otherwise (then the advice stays as it is).
    pub(crate) fn with_shared_password(mut self, incoming_accepted: Option<bool>) -> Diagnosis {
        if self.code != DiagnosisCode::AuthenticationFailed {
            return self;
        }
        match incoming_accepted {
            Some(true) => self.advise(&tr!("eng-shared-password-incoming-accepted")),
            Some(false) => self.advise(&tr!("eng-shared-password-incoming-refused")),
            None => {}
        }
        self
    }

    /// The diagnosis of an engine error, with advice for the provider of `email` when we know it.
    /// The provider is known by the address's domain or, for a custom domain hosted at one, by
    /// the server's host name (outlook.office365.com, imap.gmail.com).
    pub fn of(error: &EngineError, email: Option<&str>) -> Diagnosis {
        let provider = email.and_then(providers::by_domain).or_else(|| provider_of_server(error));
        let mut d = Self::from_error(error);
        if let Some(said) = server_refusal(error) {
            d = d.read_refusal(said, provider);
        }
        if d.code == DiagnosisCode::AuthenticationFailed {
            d.provider_hint = email.and_then(provider_hint);
            d.help_url = provider.and_then(|p| p.help_url).map(str::to_owned);
        }
        d
    }
}

/// Only the code and the title: what a log line needs, with none of the evidence (which names
/// the login names tried).
impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code_str(), self.title)
    }
}

/// Advice for a refused sign-in, by the provider of the address (found in the provider table,
/// crate::providers, so both agree on who takes which password). Written as our own words
/// from the providers' help pages; it names only sign-ins Inlet offers.
pub fn provider_hint(email: &str) -> Option<String> {
    Some(match providers::by_domain(email)?.id {
        "gmail" => tr!("eng-hint-gmail"),
        "outlook" => tr!("eng-hint-outlook"),
        "yahoo" => tr!("eng-hint-yahoo"),
        "aol" => tr!("eng-hint-aol"),
        "icloud" => tr!("eng-hint-icloud"),
        "fastmail" => tr!("eng-hint-fastmail"),
        "gmx" | "gmx-com" | "webde" => tr!("eng-hint-gmx"),
        "zoho" => tr!("eng-hint-zoho"),
        "yandex" => tr!("eng-hint-yandex"),
        "mailru" => tr!("eng-hint-mailru"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
