//! Every failure becomes a Diagnosis: a stable code, a title, what happened and what to do, in
//! plain words, with the evidence a help-desk technician needs. One catalog for app and CLI.
//!
//! This file: the codes, the diagnosis and how an engine error becomes one. `catalog`: who acts
//! on each code, and the codes read from a server's refusal with their words and steps.
//! `evidence`: the typed code of a server's refusal, read where it arrived.

pub mod catalog;
pub mod evidence;
mod sign_in;

pub use catalog::WhoActs;

use crate::account::{Protocol, Side};
use crate::certificate::CertificateInfo;
use crate::error::{CertificateProblem, EngineError, KeychainProblem};
use crate::progress::Stage;
use crate::providers;
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
    pub fn settings_not_found(domain: &str, tried: Vec<String>) -> Diagnosis {
        let mut d = Diagnosis::new(
            DiagnosisCode::SettingsNotFound,
            "Settings not found",
            format!(
                "Inlet asked every place that usually knows the mail servers of {domain} (its own configuration, \
                 Thunderbird's provider database, DNS, the usual server names) and none of them answered with an \
                 incoming server."
            ),
            "Enter the server settings by hand: your provider's help pages or your IT department list them \
             (look for \"IMAP server\" or \"incoming mail server\"). The form is filled with the most likely names.",
        );
        d.evidence = tried;
        d
    }

    /// What the administrator's policy does not allow, and who can change it.
    pub fn of_policy(refusal: &crate::policy::PolicyRefusal) -> Diagnosis {
        use crate::policy::{PolicyRefusal as R, ADDING_NOT_ALLOWED, REMOVING_NOT_ALLOWED};
        let ask = "Ask your administrator for help.";
        match refusal {
            R::Adding => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                "Adding mailboxes is not allowed",
                ADDING_NOT_ALLOWED.to_owned(),
                "Ask your administrator to add the mailbox for you, or to allow adding mailboxes.",
            ),
            R::Removing => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                "Removing mailboxes is not allowed",
                REMOVING_NOT_ALLOWED.to_owned(),
                "Ask your administrator to remove the mailbox for you, or to allow removing mailboxes.",
            ),
            R::MailboxType { kind } => {
                let name =
                    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                Diagnosis::new(
                    DiagnosisCode::PolicyForbids,
                    "This type of mailbox is not allowed",
                    format!("Your administrator's policy does not allow mailboxes of the type \"{name}\"."),
                    &format!("Choose one of the types your administrator allows. {ask}"),
                )
                .evidence(format!("mailbox type: {name}"))
            }
            R::TlsVersion { target, minimum } => Diagnosis::new(
                DiagnosisCode::PolicyForbids,
                "The server's encryption is older than your administrator allows",
                format!(
                    "{target} offers no TLS version as recent as {}, the oldest your administrator's policy allows, \
                     so Inlet did not connect.",
                    minimum.label()
                ),
                &format!(
                    "Ask your administrator: the mail server must offer {}, or the policy must allow an older version.",
                    minimum.label()
                ),
            )
            .stage(Stage::Tls),
        }
    }

    /// A mailbox that the checks turned off after too many errors in a row (`status` is its
    /// recorded status): which error it was, and how to bring it back.
    pub fn mailbox_disabled(email: &str, status: &crate::store::MailboxStatus) -> Diagnosis {
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
            (Some(code), Some(title)) => format!("\"{title}\" ({})", code.name()),
            (Some(code), None) => code.name(),
            _ => "an error".to_owned(),
        };
        use DiagnosisCode as C;
        let then = match code {
            Some(
                C::AuthenticationFailed
                | C::PasswordExpired
                | C::AppPasswordRequired
                | C::PasswordOrSignInBlocked
                | C::AccountLocked,
            ) => "Then update the mailbox's password: Inlet checks the new one with the server and turns the mailbox on again.",
            Some(C::NeedsSignIn | C::MailAccessOff) => "Then reconnect the mailbox (sign in again): it is turned on again when the sign-in works.",
            _ => "Then turn the mailbox on again (enable it) or reconnect it: its error count starts afresh.",
        };
        Diagnosis::new(
            C::MailboxDisabled,
            "This mailbox was turned off after repeated errors",
            format!(
                "Inlet turned off {email} after its {side} server failed {count} checks in a row, so it does not sign in \
                 with the stored password again and again. The last error: {last}."
            ),
            &format!("Fix the cause of the last error first: {last}. {then}"),
        )
        .evidence(format!("turned off automatically after {count} {side} errors in a row"))
        .evidence(format!("last {side} error: {last}"))
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
                C::ConnectionRefused => Some("Check the outgoing port and security setting: submission usually uses 587 with STARTTLS or 465 with TLS (port 25 is often blocked)."),
                C::TimedOut if matches!(self.stage, Some(Stage::Tls | Stage::Greeting)) => Some("The port may expect a different security setting (TLS on 465, STARTTLS on 587), or the server is overloaded. Check the outgoing settings, then try again later."),
                C::TimedOut if self.stage == Some(Stage::Connecting) => Some("Check the outgoing server name and port (587 or 465). Some networks block outgoing mail ports."),
                C::TlsFailed => Some("Check the security setting for this port: TLS for 465, STARTTLS for 587."),
                C::StarttlsNotOffered => Some("Try TLS on port 465 instead. If your provider really offers no encryption, ask them about it before choosing \"no encryption\"."),
                C::EncryptionRequired => Some("Choose STARTTLS (port 587) or TLS (port 465) for the outgoing server."),
                C::ProtocolError => Some("Check that this port is for sending mail (SMTP submission: 587 or 465), not for receiving it."),
                C::PortExpectsStarttls => Some("Choose STARTTLS for this port (587), or use the TLS port (465)."),
                C::PortExpectsTls => Some("Choose SSL/TLS for this port (465), or use port 587 for STARTTLS. Then try again."),
                C::AuthenticationFailed => Some("Check the outgoing server's password: most providers use the same one as for incoming mail (tick \"Same password as incoming\"). If your account uses two-step verification, use an app password. If the outgoing server expects another login name, type it in the outgoing username field."),
                _ => None,
            };
            if let Some(advice) = advice {
                self.advise(advice);
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
            C::ConnectionRefused => Some("Check the port number and the security setting: POP3 usually uses 995 with TLS or 110 with STARTTLS."),
            C::TimedOut if matches!(self.stage, Some(Stage::Tls | Stage::Greeting)) => Some("The port may expect a different security setting (TLS on 995, STARTTLS on 110), or the server is overloaded. Check the settings, then try again later."),
            C::TlsFailed => Some("Check the security setting for this port: TLS for 995, STARTTLS for 110 (POP3)."),
            C::StarttlsNotOffered => Some("Try TLS on port 995 instead. If your provider really offers no encryption, ask them about it before choosing \"no encryption\"."),
            C::EncryptionRequired => Some("Choose TLS (port 995) or STARTTLS (port 110)."),
            C::ProtocolError => Some("Check that this port is for POP3 (995 with TLS, 110 with STARTTLS), not for another mail protocol."),
            C::PortExpectsStarttls => Some("Choose STARTTLS for this port (110), or use the TLS port (995)."),
            C::PortExpectsTls => Some("Choose SSL/TLS for this port (995), or use port 110 for STARTTLS. Then try again."),
            _ => None,
        };
        if let Some(advice) = advice {
            self.advise(advice);
        }
        self
    }

    /// The stable code as the CLI's JSON and the logs spell it, e.g. `authentication_failed`.
    pub fn code_str(&self) -> String {
        serde_json::to_value(self.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// An outgoing sign-in refused with the incoming server's password ("Same password as
    /// incoming"): what the incoming server made of that password says what to do.
    /// `incoming_accepted`: Some(true) when it signed in, Some(false) when it refused the
    /// password too, None when it failed otherwise (then the advice stays as it is).
    pub fn with_shared_password(mut self, incoming_accepted: Option<bool>) -> Diagnosis {
        if self.code != DiagnosisCode::AuthenticationFailed {
            return self;
        }
        match incoming_accepted {
            Some(true) => self.advise(
                "The incoming server accepted this password, so the outgoing server wants another one \
                                   or another login name: untick \"Same password as incoming\" and type the outgoing \
                                   server's own password (or an app password), or type its login name in the outgoing \
                                   username field.",
            ),
            Some(false) => self.advise(
                "The incoming server refused the same password: correct the password first (the outgoing server \
                 uses it too), then try again.",
            ),
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
            d.provider_hint = email.and_then(provider_hint).map(str::to_owned);
            d.help_url = provider.and_then(|p| p.help_url).map(str::to_owned);
        }
        d
    }

    /// What the server's refusal says beyond the engine error's kind: a code of the catalog,
    /// read from the typed code and the words. Temporary stays temporary: a temporary failure
    /// is never read as wrong credentials.
    fn read_refusal(self, refusal: catalog::Refusal<'_>, provider: Option<&providers::Provider>) -> Diagnosis {
        let refusal = catalog::Refusal { provider, ..refusal };
        let stage = self.stage.unwrap_or(Stage::SigningIn);
        match catalog::classify(refusal.code, refusal.said, stage, provider) {
            Some(code) => catalog::apply(self, code, &refusal),
            None => self,
        }
    }

    fn from_error(error: &EngineError) -> Diagnosis {
        use DiagnosisCode as C;
        match error {
            EngineError::InvalidInput { field, message } => {
                Diagnosis::new(C::InvalidInput, "Please check what you typed", message.clone(), "Correct the highlighted field and try again.")
                    .evidence(format!("field: {field}"))
            }
            EngineError::HostNotFound { host, message } => Diagnosis::new(
                C::HostNotFound,
                "Server not found",
                format!("The name \"{host}\" does not lead to any server."),
                "Check the server name for typos. Your provider's help pages list the right one (often imap.your-domain). If it is right, check that this computer is online.",
            )
            .stage(Stage::Resolving)
            .evidence(format!("lookup of {host}: {message}")),
            EngineError::ConnectionRefused { target, addresses } => Diagnosis::new(
                C::ConnectionRefused,
                "The server refused the connection",
                format!("{target} answered, but nothing accepts connections on that port."),
                "Check the port number and the security setting: IMAP usually uses 993 with TLS or 143 with STARTTLS, POP3 995 or 110.",
            )
            .stage(Stage::Connecting)
            .evidence(addresses.join("; ")),
            EngineError::Unreachable { target, message } => Diagnosis::new(
                C::NetworkUnreachable,
                "The server cannot be reached",
                format!("No network path to {target}."),
                "Check that this computer is online and that no firewall or VPN blocks mail ports.",
            )
            .stage(Stage::Connecting)
            .evidence(message.clone()),
            EngineError::TimedOut { stage, target, seconds } => Diagnosis::new(
                C::TimedOut,
                "The server did not answer in time",
                format!("{target} did not answer within {seconds} s while: {}.", stage.label().to_lowercase()),
                match stage {
                    Stage::Connecting => "Check the server name and port. A firewall may be silently dropping the connection.",
                    Stage::Tls | Stage::Greeting => "The port may expect a different security setting (TLS on 993, STARTTLS on 143), or the server is overloaded. Check the settings, then try again later.",
                    _ => "The server is slow or overloaded. Try again in a few minutes.",
                },
            )
            .stage(*stage)
            .evidence(format!("{target}: no answer after {seconds} s")),
            EngineError::Certificate { target, problem, certificate, message } => {
                let (code, title, happened, todo) = match problem {
                    CertificateProblem::Untrusted => (
                        C::CertificateUntrusted,
                        "The server's certificate is not trusted",
                        format!("{target} presented a certificate that no authority this computer trusts has vouched for."),
                        "Only continue if you know this server uses its own certificate: compare the fingerprint below with the one your administrator or provider gives you.",
                    ),
                    CertificateProblem::Expired => (
                        C::CertificateExpired,
                        "The server's certificate has expired",
                        format!("{target} presented a certificate that is past its end date."),
                        "This is for the server's administrator to fix: tell them the certificate expired. Do not work around it unless they confirm.",
                    ),
                    CertificateProblem::NotYetValid => (
                        C::CertificateNotYetValid,
                        "The server's certificate is not valid yet",
                        format!("{target} presented a certificate whose start date is in the future."),
                        "Check this computer's date and time. If they are right, tell the server's administrator.",
                    ),
                    CertificateProblem::WrongHost => (
                        C::CertificateWrongHost,
                        "The certificate is for another server",
                        format!("{target} presented a certificate issued for other names than the one you typed."),
                        "Use the server name the certificate lists (see below) if your provider confirms it; otherwise tell the administrator.",
                    ),
                    CertificateProblem::Revoked | CertificateProblem::Invalid => (
                        C::CertificateInvalid,
                        "The server's certificate is not valid",
                        format!("{target} presented a certificate that could not be verified."),
                        "Tell the server's administrator; do not connect until it is fixed.",
                    ),
                };
                let mut d = Diagnosis::new(code, title, happened, todo).stage(Stage::Tls).evidence(message.clone());
                d.certificate = certificate.as_deref().cloned();
                d
            }
            EngineError::CertificateChanged { target, pinned_fingerprint, certificate } => {
                let mut d = Diagnosis::new(
                    C::CertificateChanged,
                    "The server's certificate has changed",
                    format!("{target} presented a different certificate from the one you chose to trust. This can be a routine renewal, or someone intercepting the connection."),
                    "Do not continue until you know why: ask your administrator or provider whether they replaced the certificate. If they did, remove the old trusted certificate and trust the new one after comparing its fingerprint.",
                )
                .stage(Stage::Tls)
                .evidence(format!("trusted fingerprint: {pinned_fingerprint}"));
                d.certificate = certificate.as_deref().cloned();
                d.trusted_fingerprint = Some(pinned_fingerprint.clone());
                d
            }
            EngineError::Tls { target, message } => Diagnosis::new(
                C::TlsFailed,
                "A secure connection could not be set up",
                format!("The encryption handshake with {target} failed."),
                "Check the security setting for this port: TLS for 993 (IMAP) or 995 (POP3), STARTTLS for 143 or 110.",
            )
            .stage(Stage::Tls)
            .evidence(message.clone()),
            EngineError::StarttlsNotOffered { target } => Diagnosis::new(
                C::StarttlsNotOffered,
                "This server does not offer encryption on this port",
                format!("{target} did not offer STARTTLS, so Inlet stopped before sending your password."),
                "Try TLS instead (port 993 for IMAP, 995 for POP3). If your provider really offers no encryption, ask them about it before choosing \"no encryption\".",
            )
            .stage(Stage::Starttls),
            EngineError::EncryptionRequired { target } => Diagnosis::new(
                C::EncryptionRequired,
                "The server requires encryption",
                format!("{target} does not accept passwords over an unencrypted connection."),
                "Choose TLS (port 993) or STARTTLS (port 143).",
            )
            .stage(Stage::SigningIn),
            EngineError::PlaintextNotConfirmed { target } => Diagnosis::new(
                C::PlaintextNotConfirmed,
                "Your password would be sent unencrypted",
                format!("The connection to {target} is not encrypted, and you have not confirmed sending your password over it."),
                "Choose TLS or STARTTLS. Only if you understand that anyone on the network could read your password, confirm \"no encryption\".",
            )
            .stage(Stage::SigningIn),
            EngineError::AuthenticationFailed { target, tried, server_said, code } => Diagnosis::new(
                C::AuthenticationFailed,
                "The server did not accept the password",
                format!("{target} refused to sign in {}.", match tried.len() { 0 => String::new(), 1 => format!("as {}", tried[0]), _ => format!("as {}", tried.join(" or as ")) }),
                "Check the password (it may have been changed recently). If your account uses two-step verification, create an app password at your provider and use it here. If your username is not your email address, type it in the username field.",
            )
            .stage(Stage::SigningIn)
            .evidence(format!("tried usernames: {}", tried.join(", ")))
            .evidence(format!("server said: {server_said}"))
            .code_evidence(code),
            EngineError::NoUsableAuthMechanism { target, offered } => Diagnosis::new(
                C::NoUsableSignInMethod,
                "No sign-in method Inlet can use",
                format!("{target} offers only sign-in methods Inlet does not support here."),
                "Check the security setting (some servers allow passwords only over TLS), or ask your provider which method to use.",
            )
            .stage(Stage::SigningIn)
            .evidence(format!("offered: {}", offered.join(" "))),
            EngineError::ConnectionClosed { stage, target } => Diagnosis::new(
                C::ConnectionClosed,
                "The server closed the connection",
                format!("{target} hung up while: {}.", stage.label().to_lowercase()),
                "Check the port and security setting. If they are right, the server may be limiting connections; try again in a few minutes.",
            )
            .stage(*stage),
            EngineError::Protocol { stage, target, message } => Diagnosis::new(
                C::ProtocolError,
                "The server's answer made no sense",
                format!("{target} answered something that is not the mail protocol Inlet expected while: {}.", stage.label().to_lowercase()),
                "Check that this port is for the mail protocol you chose (IMAP 993/143, POP3 995/110).",
            )
            .stage(*stage)
            .evidence(message.clone()),
            EngineError::ServerRefused { stage, target, server_said, code } => Diagnosis::new(
                C::ServerRefused,
                "The server refused a request",
                format!("{target} refused a request while: {}.", stage.label().to_lowercase()),
                "The server's own words are below; your provider's support can tell what they mean.",
            )
            .stage(*stage)
            .evidence(format!("server said: {server_said}"))
            .code_evidence(code),
            EngineError::TemporaryFailure { stage, target, server_said, code } => Diagnosis::new(
                C::ServerTemporaryFailure,
                "The server has a temporary problem",
                format!(
                    "{target} said it cannot serve the request right now, while: {}. This is a problem on the \
                     server's side, not a wrong password.",
                    stage.label().to_lowercase()
                ),
                "Nothing needs changing here: wait a few minutes and try again. If it keeps happening, tell your \
                 provider or administrator; the server's own words are below.",
            )
            .stage(*stage)
            .evidence(format!("server said: {server_said}"))
            .code_evidence(code),
            EngineError::TlsPortSpeaksPlainText { target, message } => Diagnosis::new(
                C::PortExpectsStarttls,
                "This port does not start with encryption",
                format!(
                    "Inlet started a secure connection (TLS) at once, but {target} answered in plain text: this port \
                     expects STARTTLS, or no encryption."
                ),
                "Choose STARTTLS for this port, or use the TLS port (993 for IMAP, 995 for POP3, 465 for SMTP). Then try again.",
            )
            .stage(Stage::Tls)
            .evidence(message.clone()),
            EngineError::PortSpeaksTls { target, seconds, answered } => Diagnosis::new(
                C::PortExpectsTls,
                "This port expects encryption from the start",
                format!(
                    "{target} sent nothing in plain text, but answers a secure connection (TLS) at once: this port \
                     expects SSL/TLS, not STARTTLS or no encryption."
                ),
                "Choose SSL/TLS for this port, or use port 143 for STARTTLS (IMAP). Then try again.",
            )
            .stage(Stage::Greeting)
            .evidence(format!("{target}: no greeting after {seconds} s"))
            .evidence(answered.clone()),
            EngineError::PolicyForbids(refusal) => Diagnosis::of_policy(refusal),
            EngineError::PolicyUnusable { path, message } => Diagnosis::new(
                C::SignInPolicy,
                "Your administrator's Inlet policy cannot be read",
                format!(
                    "The policy file {path} is there, but {message}. Inlet does not work without the rules your \
                     administrator set."
                ),
                "Your administrator must correct or remove the policy file.",
            ),
            EngineError::Keychain { problem, message } => {
                let (code, title, happened, todo) = match problem {
                    KeychainProblem::Locked => (
                        C::KeychainLocked,
                        "Your keychain is locked",
                        "Inlet keeps passwords only in your system keychain, and it is locked, so nothing was saved.".to_owned(),
                        "Unlock your keychain (your login keyring) and save again.",
                    ),
                    KeychainProblem::Unavailable => (
                        C::KeychainUnavailable,
                        "No keychain is available",
                        "Inlet keeps passwords only in your system keychain, and none is running, so nothing was saved.".to_owned(),
                        "Start your desktop's keychain (GNOME Keyring or KWallet with the Secret Service) and save again.",
                    ),
                    KeychainProblem::Failed => (
                        C::KeychainFailed,
                        "The keychain refused the password",
                        "The system keychain reported an error, so nothing was saved.".to_owned(),
                        "Try again. If it keeps failing, restart your keychain or your session.",
                    ),
                };
                Diagnosis::new(code, title, happened, todo).stage(Stage::Saving).evidence(message.clone())
            }
            EngineError::Store { message } => Diagnosis::new(
                C::StoreFailed,
                "Inlet could not save its data",
                "Writing the mailbox list failed; nothing was changed.".into(),
                "Check that your disk is not full and that Inlet's data folder is writable.",
            )
            .stage(Stage::Saving)
            .evidence(message.clone()),
            EngineError::MailboxNotFound { id } => Diagnosis::new(
                C::MailboxNotFound,
                "That mailbox is not in Inlet",
                format!("No saved mailbox has the number {id}."),
                "Refresh the mailbox list.",
            ),
            EngineError::AlreadySaved { email } => Diagnosis::new(
                C::AlreadySaved,
                "This mailbox is already connected",
                format!("{email} with this server is already in your mailbox list."),
                "Open it from the mailbox list to reconnect or update its password.",
            ),
            EngineError::Cancelled => Diagnosis::new(C::Cancelled, "Cancelled", "You stopped the connection.".into(), "Start again when you are ready."),
        }
    }
}

/// The refusal an error carries: the server's typed code and words.
fn server_refusal(error: &EngineError) -> Option<catalog::Refusal<'_>> {
    match error {
        EngineError::AuthenticationFailed { target, server_said, code, .. }
        | EngineError::ServerRefused { target, server_said, code, .. }
        | EngineError::TemporaryFailure { target, server_said, code, .. } => {
            Some(catalog::Refusal { target, code, said: server_said, provider: None })
        }
        _ => None,
    }
}

/// The provider whose server an error is about, by the host of its target (`host:port`).
fn provider_of_server(error: &EngineError) -> Option<&'static providers::Provider> {
    let target = match error {
        EngineError::AuthenticationFailed { target, .. }
        | EngineError::ServerRefused { target, .. }
        | EngineError::TemporaryFailure { target, .. } => target,
        _ => return None,
    };
    let host = crate::account::normalize_host(target.rsplit_once(':').map_or(target.as_str(), |(host, _)| host));
    providers::all().iter().find(|p| p.incoming.iter().chain(p.outgoing).any(|s| s.host == host))
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
pub fn provider_hint(email: &str) -> Option<&'static str> {
    Some(match providers::by_domain(email)?.id {
        "gmail" => "Gmail does not take your Google password in mail apps. Sign in with Google instead (in the browser, from the first step). Or turn on 2-Step Verification in your Google Account, create an app password there (Security → 2-Step Verification → App passwords) and type it here instead of your password.",
        "outlook" => "Microsoft has turned off password sign-in for Outlook.com (Hotmail, Live, MSN) in mail apps: every password is refused, app passwords too. Sign in with Microsoft instead (in the browser, from the first step).",
        "yahoo" => "Yahoo Mail does not take your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and type it here.",
        "aol" => "AOL Mail does not take your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and type it here.",
        "icloud" => "iCloud Mail needs an app-specific password: create one in your Apple Account under Sign-In and Security → App-Specific Passwords (two-factor authentication must be on).",
        "fastmail" => "Fastmail needs an app password for mail apps: create one under Settings → Privacy & Security.",
        "gmx" | "gmx-com" | "webde" => "Turn on POP3 and IMAP access in your mailbox settings (webmail) first. With two-factor authentication on, use an app password.",
        "zoho" => "Turn on IMAP or POP access in Zoho Mail under Settings → Mail Accounts first. With two-factor authentication on, use an app-specific password.",
        "yandex" => "Allow mail apps in Yandex Mail under Settings → Email clients, then use an app password.",
        "mailru" => "Mail.ru does not take your regular password in mail apps: create a password for external applications in your account's security settings and type it here.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::MailboxKind;
    use crate::error::ServerCode;
    use crate::providers::ProviderAuth;

    fn hint_for(domain: &str) -> &'static str {
        provider_hint(&format!("someone@{domain}")).unwrap_or_else(|| panic!("no hint for {domain}"))
    }

    /// Every provider the table knows by its domains has a hint, for each of its domains.
    #[test]
    fn every_provider_domain_has_a_hint() {
        for p in providers::all() {
            for domain in p.domains {
                hint_for(domain);
            }
        }
        assert!(provider_hint("someone@example.com").is_none());
    }

    /// The hints say what the table says: an app password where the provider takes one, and
    /// browser sign-in where Inlet has it (Google, Microsoft), nowhere else.
    #[test]
    fn hints_agree_with_the_provider_table() {
        for p in providers::all() {
            let Some(domain) = p.domains.first() else { continue };
            let hint = hint_for(domain);
            let lower = hint.to_lowercase();
            let browser_sign_in = matches!(p.kind, MailboxKind::Gmail | MailboxKind::Microsoft365);
            assert_eq!(lower.contains("sign in with"), browser_sign_in, "{}: {hint}", p.id);
            for offered_nowhere in ["mailbox type", "choose microsoft 365", "cannot do that yet"] {
                assert!(!lower.contains(offered_nowhere), "{}: {hint}", p.id);
            }
            if p.auth.contains(&ProviderAuth::AppPassword) {
                assert!(
                    ["app password", "app-specific password", "password for external applications"]
                        .iter()
                        .any(|w| lower.contains(w)),
                    "{}: {hint}",
                    p.id
                );
            }
            if !p.auth.contains(&ProviderAuth::AppPassword) && !p.auth.contains(&ProviderAuth::Password) {
                assert!(lower.contains("refused"), "{}: no password works, say so: {hint}", p.id);
                assert!(!lower.contains("create an app password") && !lower.contains("use an app password"), "{hint}");
            }
        }
        let gmail = hint_for("gmail.com");
        assert!(gmail.contains("app password") && gmail.contains("2-Step Verification"), "{gmail}");
        let outlook = hint_for("outlook.com");
        assert!(outlook.contains("Microsoft has turned off password sign-in"), "{outlook}");
        assert_eq!(hint_for("hotmail.co.uk"), outlook);
    }

    /// Every code, each once. `example` below matches without a wildcard, so a new code cannot
    /// be added without an example; add it here too.
    const ALL: &[DiagnosisCode] = {
        use DiagnosisCode as C;
        &[
            C::InvalidInput,
            C::HostNotFound,
            C::ConnectionRefused,
            C::NetworkUnreachable,
            C::TimedOut,
            C::CertificateUntrusted,
            C::CertificateExpired,
            C::CertificateNotYetValid,
            C::CertificateWrongHost,
            C::CertificateInvalid,
            C::CertificateChanged,
            C::TlsFailed,
            C::StarttlsNotOffered,
            C::EncryptionRequired,
            C::PlaintextNotConfirmed,
            C::AuthenticationFailed,
            C::NoUsableSignInMethod,
            C::ConnectionClosed,
            C::ProtocolError,
            C::ServerRefused,
            C::KeychainLocked,
            C::KeychainUnavailable,
            C::KeychainFailed,
            C::StoreFailed,
            C::MailboxNotFound,
            C::AlreadySaved,
            C::Cancelled,
            C::SettingsNotFound,
            C::ServerTemporaryFailure,
            C::AppPasswordRequired,
            C::WebSignInRequired,
            C::ProtocolDisabled,
            C::BasicAuthDisabled,
            C::PasswordOrSignInBlocked,
            C::Throttled,
            C::TooManyConnections,
            C::BandwidthExceeded,
            C::AccountDisabled,
            C::AccountLocked,
            C::PasswordExpired,
            C::MailboxInUse,
            C::NotAuthorized,
            C::ServerBusy,
            C::ConnectionBlocked,
            C::ServerError,
            C::SenderNotAllowed,
            C::PortExpectsStarttls,
            C::PortExpectsTls,
            C::MailboxDisabled,
            C::SignInNotSetUp,
            C::SignInPolicy,
            C::SignInBusy,
            C::SignInCancelled,
            C::SignInTimedOut,
            C::SignInDenied,
            C::SignInClientRejected,
            C::SignInScopeRejected,
            C::SignInConsentRequired,
            C::SignInOtherTenant,
            C::SignInConditionalAccess,
            C::SignInAppUnknown,
            C::SignInPublicClientDisabled,
            C::SignInSingleTenantApp,
            C::SignInBlockedByAdmin,
            C::SignInOrgInternal,
            C::SignInAppUnverified,
            C::NeedsSignIn,
            C::SignInRefused,
            C::SignInFailed,
            C::IssuerUnavailable,
            C::MailAccessOff,
            C::PolicyForbids,
        ]
    };

    /// A refusal of the sign-in in the server's words, as the engine carries it.
    fn refused(said: &str, code: ServerCode) -> EngineError {
        EngineError::AuthenticationFailed {
            target: "mail.example.com:993".into(),
            tried: vec!["a".into()],
            server_said: said.into(),
            code,
        }
    }

    /// The diagnosis of each code, made the way the engine makes it: from an engine error (for
    /// the codes read from a refusal, from the server's words and code).
    fn example(code: DiagnosisCode) -> Diagnosis {
        use crate::error::{CertificateProblem as P, KeychainProblem as K};
        use DiagnosisCode as C;
        let t = || "mail.example.com:993".to_owned();
        let cert = |problem| EngineError::Certificate { target: t(), problem, certificate: None, message: "x".into() };
        let keychain = |problem| EngineError::Keychain { problem, message: "x".into() };
        let imap = |said: &str| refused(said, ServerCode::imap(said));
        let error = match code {
            C::InvalidInput => EngineError::InvalidInput { field: "email", message: "no @".into() },
            C::HostNotFound => {
                EngineError::HostNotFound { host: "mail.example.com".into(), message: "NXDOMAIN".into() }
            }
            C::ConnectionRefused => EngineError::ConnectionRefused { target: t(), addresses: vec!["127.0.0.1".into()] },
            C::NetworkUnreachable => EngineError::Unreachable { target: t(), message: "no route".into() },
            C::TimedOut => EngineError::TimedOut { stage: Stage::Connecting, target: t(), seconds: 5 },
            C::CertificateUntrusted => cert(P::Untrusted),
            C::CertificateExpired => cert(P::Expired),
            C::CertificateNotYetValid => cert(P::NotYetValid),
            C::CertificateWrongHost => cert(P::WrongHost),
            C::CertificateInvalid => cert(P::Invalid),
            C::CertificateChanged => {
                EngineError::CertificateChanged { target: t(), pinned_fingerprint: "AB".into(), certificate: None }
            }
            C::TlsFailed => EngineError::Tls { target: t(), message: "handshake failure".into() },
            C::StarttlsNotOffered => EngineError::StarttlsNotOffered { target: t() },
            C::EncryptionRequired => EngineError::EncryptionRequired { target: t() },
            C::PlaintextNotConfirmed => EngineError::PlaintextNotConfirmed { target: t() },
            C::AuthenticationFailed => imap("[AUTHENTICATIONFAILED] Authentication failed."),
            C::NoUsableSignInMethod => {
                EngineError::NoUsableAuthMechanism { target: t(), offered: vec!["GSSAPI".into()] }
            }
            C::ConnectionClosed => EngineError::ConnectionClosed { stage: Stage::Greeting, target: t() },
            C::ProtocolError => {
                EngineError::Protocol { stage: Stage::Greeting, target: t(), message: "HTTP/1.1".into() }
            }
            C::ServerRefused => EngineError::ServerRefused {
                stage: Stage::ListingFolders,
                target: t(),
                server_said: "[CANNOT] no".into(),
                code: ServerCode::imap("[CANNOT] no"),
            },
            C::KeychainLocked => keychain(K::Locked),
            C::KeychainUnavailable => keychain(K::Unavailable),
            C::KeychainFailed => keychain(K::Failed),
            C::StoreFailed => EngineError::Store { message: "disk full".into() },
            C::MailboxNotFound => EngineError::MailboxNotFound { id: 4 },
            C::AlreadySaved => EngineError::AlreadySaved { email: "a@example.com".into() },
            C::Cancelled => EngineError::Cancelled,
            C::SettingsNotFound => return Diagnosis::settings_not_found("example.com", vec!["DNS: nothing".into()]),
            C::ServerTemporaryFailure => EngineError::TemporaryFailure {
                stage: Stage::SigningIn,
                target: t(),
                server_said: "[UNAVAILABLE] later".into(),
                code: ServerCode::imap("[UNAVAILABLE] later"),
            },
            C::AppPasswordRequired => imap("[ALERT] Application-specific password required"),
            C::WebSignInRequired => imap("[WEBALERT https://accounts.google.com/x] Web login required."),
            C::ProtocolDisabled => imap("[ALERT] Your account is not enabled for IMAP use."),
            C::BasicAuthDisabled => refused(
                "535 5.7.139 Authentication unsuccessful",
                ServerCode::smtp(535, "5.7.139 Authentication unsuccessful"),
            ),
            C::PasswordOrSignInBlocked => imap("AUTHENTICATE failed."),
            C::Throttled => imap("[THROTTLED] Request is throttled."),
            C::TooManyConnections => imap("[LIMIT] Maximum number of connections from user+IP exceeded"),
            C::BandwidthExceeded => imap("[OVERQUOTA] Account exceeded command or bandwidth limits."),
            C::AccountDisabled => imap("[CONTACTADMIN] Account disabled"),
            C::AccountLocked => imap("Account locked"),
            C::PasswordExpired => imap("[EXPIRED] no longer valid"),
            C::MailboxInUse => refused("[IN-USE] locked", ServerCode::pop3("[IN-USE] locked")),
            C::NotAuthorized => imap("[AUTHORIZATIONFAILED] no"),
            C::ServerBusy => EngineError::ServerRefused {
                stage: Stage::Greeting,
                target: t(),
                server_said: "busy".into(),
                code: ServerCode::None,
            },
            C::ConnectionBlocked => EngineError::ServerRefused {
                stage: Stage::Greeting,
                target: t(),
                server_said: "554 5.7.1 blocked".into(),
                code: ServerCode::smtp(554, "5.7.1 blocked"),
            },
            C::ServerError => imap("[SERVERBUG] oops"),
            C::SenderNotAllowed => EngineError::ServerRefused {
                stage: Stage::SendingTestMessage,
                target: t(),
                server_said: "550 5.7.60 SMTP; Client does not have permissions to send as this sender".into(),
                code: ServerCode::smtp(550, "5.7.60 SMTP"),
            },
            C::PortExpectsStarttls => {
                EngineError::TlsPortSpeaksPlainText { target: t(), message: "InvalidContentType".into() }
            }
            C::PortExpectsTls => EngineError::PortSpeaksTls {
                target: "mail.example.com:143".into(),
                seconds: 5,
                answered: "a TLS handshake on the same port succeeded".into(),
            },
            C::MailboxDisabled => {
                let status = crate::store::MailboxStatus {
                    enabled: false,
                    last_check_at: Some(1),
                    last_success_at: None,
                    last_error_code: Some(C::AuthenticationFailed),
                    last_error_title: Some("The server did not accept the password".into()),
                    last_error_at: Some(1),
                    consecutive_errors: 5,
                    last_outgoing_success_at: None,
                    last_outgoing_error_code: None,
                    last_outgoing_error_title: None,
                    last_outgoing_error_at: None,
                    consecutive_outgoing_errors: 0,
                    consecutive_temporary_failures: 0,
                    throttled: false,
                    next_check_at: None,
                    disabled_automatically: true,
                    badge: crate::health::StatusBadge::Disabled,
                };
                return Diagnosis::mailbox_disabled("someone@example.com", &status);
            }
            C::PolicyForbids => EngineError::PolicyForbids(crate::policy::PolicyRefusal::TlsVersion {
                target: t(),
                minimum: crate::policy::TlsVersion::Tls13,
            }),
            C::MailAccessOff => {
                return Diagnosis::of(&imap("[AUTHENTICATIONFAILED] Invalid credentials"), Some("someone@example.com"))
                    .token_refused_by_mail_server()
            }
            sign_in => return sign_in_example(sign_in),
        };
        Diagnosis::of(&error, Some("someone@example.com"))
    }

    /// The diagnosis of a browser sign-in code, made from the sign-in error the engine meets.
    fn sign_in_example(code: DiagnosisCode) -> Diagnosis {
        use crate::oauth::errors::{OAuthErrorAnswer, SignInError as E};
        use DiagnosisCode as C;
        let issuer = || "https://login.microsoftonline.com/common/v2.0".to_owned();
        let refused = |error: &str, description: &str| E::Refused {
            issuer: issuer(),
            answer: OAuthErrorAnswer::new(error, Some(description), None),
            admin_consent_url: None,
        };
        let error = match code {
            C::SignInNotSetUp => E::NotConfigured { provider: "microsoft" },
            C::SignInPolicy => E::PolicyLocked { what: "client id" },
            C::SignInBusy => E::AlreadyRunning,
            C::SignInCancelled => E::Cancelled,
            C::SignInTimedOut => E::BrowserTimedOut { seconds: 300 },
            C::SignInDenied => refused("access_denied", "The user declined."),
            C::SignInClientRejected => refused("invalid_client", "unknown client"),
            C::SignInScopeRejected => refused("invalid_scope", "scope not allowed"),
            C::SignInConsentRequired => {
                refused("invalid_grant", "AADSTS65001: The user or administrator has not consented.")
            }
            C::SignInOtherTenant => refused("invalid_request", "AADSTS50020: User account from another tenant."),
            C::SignInConditionalAccess => {
                refused("interaction_required", "AADSTS53003: Access has been blocked by Conditional Access policies.")
            }
            C::SignInAppUnknown => {
                refused("unauthorized_client", "AADSTS700016: Application not found in the directory.")
            }
            C::SignInPublicClientDisabled => refused(
                "invalid_client",
                "AADSTS7000218: The request body must contain client_assertion or client_secret.",
            ),
            C::SignInSingleTenantApp => {
                refused("invalid_request", "AADSTS50194: Application is not configured as a multi-tenant application.")
            }
            C::SignInBlockedByAdmin => refused("admin_policy_enforced", "blocked by the administrator"),
            C::SignInOrgInternal => refused("org_internal", "only for users in its organization"),
            C::SignInAppUnverified => refused("access_denied", "This app has not been verified by Google"),
            C::NeedsSignIn => {
                refused("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.")
            }
            C::SignInRefused => refused("unsupported_response_type", "no"),
            C::SignInFailed => E::StateMismatch,
            C::IssuerUnavailable => E::IssuerUnreachable { issuer: issuer(), message: "connection refused".into() },
            other => unreachable!("{other:?} is not a sign-in code"),
        };
        Diagnosis::of_sign_in(&error)
    }

    /// Every code has a title, an explanation, steps and who acts, and each example is read as
    /// its own code.
    #[test]
    fn every_code_is_complete() {
        assert!(ALL.len() >= 40, "{}", ALL.len());
        for (i, &code) in ALL.iter().enumerate() {
            assert!(!ALL[..i].contains(&code), "{code:?} twice");
            let d = example(code);
            assert_eq!(d.code, code, "{d:?}");
            assert!(!d.title.is_empty() && !d.what_happened.is_empty() && !d.what_to_do.is_empty(), "{d:?}");
            assert!(!d.steps.is_empty() && d.steps.iter().all(|s| !s.trim().is_empty()), "{d:?}");
            assert_eq!(d.who_acts, catalog::who_acts(code), "{d:?}");
            assert_eq!(code.name().parse::<DiagnosisCode>().ok(), Some(code));
        }
    }

    #[test]
    fn pop3_failures_get_pop3_ports() {
        use crate::error::EngineError;
        let refused = EngineError::ConnectionRefused { target: "pop.example.com:995".into(), addresses: vec![] };
        let tls = EngineError::Tls { target: "pop.example.com:110".into(), message: "bad".into() };
        for e in [refused, tls] {
            let pop3 = Diagnosis::of(&e, None).for_protocol(Protocol::Pop3);
            assert!(pop3.what_to_do.contains("995") && pop3.what_to_do.contains("110"), "{}", pop3.what_to_do);
            assert!(!pop3.what_to_do.contains("993") && !pop3.what_to_do.contains("143"), "{}", pop3.what_to_do);
            let imap = Diagnosis::of(&e, None).for_protocol(Protocol::Imap);
            assert!(imap.what_to_do.contains("993"), "{}", imap.what_to_do);
        }
    }

    #[test]
    fn a_diagnosis_shows_as_code_and_title_only() {
        let e = crate::error::EngineError::AuthenticationFailed {
            target: "imap.example.com:993".into(),
            tried: vec!["alice@example.com".into()],
            server_said: "NO".into(),
            code: crate::error::ServerCode::None,
        };
        assert_eq!(
            Diagnosis::of(&e, None).to_string(),
            "authentication_failed: The server did not accept the password"
        );
    }
}
