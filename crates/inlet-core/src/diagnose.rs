//! Every failure becomes a Diagnosis: a stable code, a title, what happened and what to do, in
//! plain words, with the evidence a help-desk technician needs. One catalog for app and CLI.

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
    pub what_to_do: String,
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
            provider_hint: None,
            stage: None,
            evidence: Vec::new(),
            certificate: None,
            trusted_fingerprint: None,
            also: None,
            side: None,
            admin_consent_url: None,
        }
    }
    fn stage(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }
    fn evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
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
                C::AuthenticationFailed => Some("Check the outgoing server's password: most providers use the same one as for incoming mail (tick \"Same password as incoming\"). If your account uses two-step verification, use an app password. If the outgoing server expects another login name, type it in the outgoing username field."),
                _ => None,
            };
            if let Some(advice) = advice {
                self.what_to_do = advice.to_owned();
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
            _ => None,
        };
        if let Some(advice) = advice {
            self.what_to_do = advice.to_owned();
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
            Some(true) => {
                self.what_to_do =
                    "The incoming server accepted this password, so the outgoing server wants another one \
                                   or another login name: untick \"Same password as incoming\" and type the outgoing \
                                   server's own password (or an app password), or type its login name in the outgoing \
                                   username field."
                        .into()
            }
            Some(false) => {
                self.what_to_do = "The incoming server refused the same password: correct the password first (the \
                                   outgoing server uses it too), then try again."
                    .into()
            }
            None => {}
        }
        self
    }

    /// The diagnosis of an engine error, with advice for the provider of `email` when we know it.
    pub fn of(error: &EngineError, email: Option<&str>) -> Diagnosis {
        let mut d = Self::from_error(error);
        if d.code == DiagnosisCode::AuthenticationFailed {
            d.provider_hint = email.and_then(provider_hint).map(str::to_owned);
        }
        d
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
            EngineError::AuthenticationFailed { target, tried, server_said } => Diagnosis::new(
                C::AuthenticationFailed,
                "The server did not accept the password",
                format!("{target} refused to sign in {}.", match tried.len() { 0 => String::new(), 1 => format!("as {}", tried[0]), _ => format!("as {}", tried.join(" or as ")) }),
                "Check the password (it may have been changed recently). If your account uses two-step verification, create an app password at your provider and use it here. If your username is not your email address, type it in the username field.",
            )
            .stage(Stage::SigningIn)
            .evidence(format!("tried usernames: {}", tried.join(", ")))
            .evidence(format!("server said: {server_said}")),
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
            EngineError::ServerRefused { stage, target, server_said } => Diagnosis::new(
                C::ServerRefused,
                "The server refused a request",
                format!("{target} refused a request while: {}.", stage.label().to_lowercase()),
                "The server's own words are below; your provider's support can tell what they mean.",
            )
            .stage(*stage)
            .evidence(format!("server said: {server_said}")),
            EngineError::TemporaryFailure { stage, target, server_said } => Diagnosis::new(
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
            .evidence(format!("server said: {server_said}")),
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

/// Browser sign-in (OAuth2): what happened, who must act, what to do.
impl Diagnosis {
    pub fn of_sign_in(error: &crate::oauth::errors::SignInError) -> Diagnosis {
        use crate::oauth::errors::{Refusal, SignInError as E};
        use DiagnosisCode as C;
        match error {
            E::BadInput { field, message } => Self::invalid_input(field, message),
            E::NotConfigured { provider } => Diagnosis::new(
                C::SignInNotSetUp,
                "Sign-in with this provider is not set up",
                crate::oauth::clients::what_to_configure(provider),
                "Ask your administrator (or whoever installed Inlet) to set it up. Until then, use an app password where your provider offers one.",
            ),
            E::PolicyLocked { what } => Diagnosis::new(
                C::SignInPolicy,
                "Your organisation's policy fixes this setting",
                format!("Your administrator's Inlet policy sets the {what} for sign-in, and another one was asked for."),
                "Sign in without choosing a client id or tenant, or ask your administrator.",
            ),
            E::PolicyUnusable { path, message } => Diagnosis::new(
                C::SignInPolicy,
                "Your administrator's Inlet policy cannot be read",
                format!("The policy file {path} is there, but {message}. Inlet does not sign in without the rules your administrator set."),
                "Your administrator must correct or remove the policy file.",
            ),
            E::AlreadyRunning => Diagnosis::new(
                C::SignInBusy,
                "A sign-in is already running",
                "Inlet runs one sign-in at a time, and another one has not finished.".into(),
                "Finish or cancel the other sign-in, then try again.",
            ),
            E::Cancelled => Diagnosis::new(
                C::SignInCancelled,
                "Sign-in cancelled",
                "You stopped the sign-in. Nothing was saved.".into(),
                "Start the sign-in again when you are ready.",
            ),
            E::BrowserTimedOut { seconds } => Diagnosis::new(
                C::SignInTimedOut,
                "The sign-in did not come back in time",
                format!("Inlet waited {seconds} s for the provider's page to send you back, and it did not."),
                "Try again and finish signing in within the time shown. If the page never sends you back (a remote session, another computer), choose \"sign in with a code\" instead.",
            ),
            E::StateMismatch => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer was not for this sign-in",
                "The browser came back with an answer that does not belong to the sign-in Inlet started (its state did not match), so Inlet ignored it.".into(),
                "Start the sign-in again from Inlet and finish it in the browser window it opens.",
            ),
            E::IssuerMismatch { expected, got } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer came from another provider",
                format!("Inlet expected the answer from {expected}, but it says it is from {}, so Inlet ignored it (RFC 9207).", got.as_deref().unwrap_or("nobody")),
                "Start the sign-in again. If it keeps happening, tell your administrator: something may be intercepting sign-ins.",
            ),
            E::RedirectUnusable { message } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in answer could not be used",
                "The browser came back to Inlet without a sign-in result.".into(),
                "Start the sign-in again.",
            )
            .evidence(message.clone()),
            E::IssuerUnreachable { issuer, message } => Diagnosis::new(
                C::IssuerUnavailable,
                "The sign-in service cannot be reached",
                format!("Inlet could not get an answer from {issuer}. Your sign-in is kept."),
                "Check that this computer is online, then try again in a few minutes.",
            )
            .evidence(message.clone()),
            E::IssuerMetadata { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                "The provider's sign-in service is not set up as expected",
                format!("{issuer} does not describe its sign-in the way OAuth 2.0 requires."),
                "This is for the provider or your administrator to fix; the details are below.",
            )
            .evidence(message.clone()),
            E::NoDeviceFlow { issuer } => Diagnosis::new(
                C::SignInFailed,
                "Sign-in with a code is not offered",
                format!("{issuer} does not offer sign-in with a code on another device."),
                "Sign in with the browser on this computer instead.",
            ),
            E::NoRefreshToken { issuer } => Diagnosis::new(
                C::SignInFailed,
                "The provider did not let Inlet stay signed in",
                format!("{issuer} signed you in but gave Inlet no lasting permission (no refresh token), so the mailbox would need a new sign-in every hour."),
                "Sign in again and allow Inlet to keep access. If it keeps happening, your administrator may have limited it.",
            ),
            E::UnexpectedAnswer { issuer, message } => Diagnosis::new(
                C::SignInFailed,
                "The sign-in service's answer made no sense",
                format!("{issuer} answered something Inlet could not read."),
                "Try again later. If it keeps happening, the details below help your administrator.",
            )
            .evidence(message.clone()),
            E::Keychain(e) => Self::from_error(e),
            E::Refused { issuer, answer, admin_consent_url } => {
                let (code, title, happened, todo): (C, &str, String, &str) = match answer.refusal() {
                    Refusal::Denied => (C::SignInDenied, "You declined the sign-in", format!("{issuer} says the permission for Inlet was declined."), "Sign in again and allow Inlet to read and send your mail."),
                    Refusal::ClientRejected => (C::SignInClientRejected, "The provider does not accept this app", format!("{issuer} does not recognise the app registration Inlet used."), "An administrator must check the client id set for Inlet (policy file or config.json)."),
                    Refusal::ScopeRejected => (C::SignInScopeRejected, "The app may not ask for mail access", format!("{issuer} refused the mail permissions Inlet asked for."), "An administrator must allow mail access (IMAP, POP, SMTP) for the app registration Inlet uses."),
                    Refusal::ConsentRequired => (C::SignInConsentRequired, "Your organisation's administrator must approve Inlet", format!("{issuer} needs an administrator of your organisation to approve Inlet before anyone there can sign in with it. You cannot do this yourself."), "Send your administrator the approval link below (admin consent). Once they approve, sign in again."),
                    Refusal::OtherTenant => (C::SignInOtherTenant, "This account belongs to another organisation", format!("{issuer} says the account you signed in with is not part of the organisation (tenant) this sign-in is for."), "Sign in with your account of that organisation, or choose the tenant \"common\". Your administrator can invite the account if it should have access."),
                    Refusal::ConditionalAccess => (C::SignInConditionalAccess, "Your organisation requires another sign-in step", format!("{issuer} requires multi-factor authentication or blocks sign-in under your organisation's conditional-access rules."), "Complete the extra step in the browser; if you are blocked, ask your administrator which device or network is allowed."),
                    Refusal::AppUnknown => (C::SignInAppUnknown, "Inlet is not known in your organisation", format!("{issuer} says the app Inlet uses is not registered in your organisation's directory."), "Your administrator must register Inlet (or set your organisation's own client id for it)."),
                    Refusal::PublicClientDisabled => (C::SignInPublicClientDisabled, "This app registration does not allow desktop sign-in", format!("{issuer} refuses sign-in from desktop apps for this app registration (public client flows are off)."), "An administrator must turn on \"Allow public client flows\" for the app registration Inlet uses."),
                    Refusal::SingleTenantApp => (C::SignInSingleTenantApp, "This app works only in its own organisation", format!("{issuer} says the app registration is for one organisation only, and the sign-in was for any account."), "An administrator must set the tenant (microsoftTenant) to the organisation's, or make the registration multi-tenant."),
                    Refusal::Expired => (C::NeedsSignIn, "Sign in again", format!("{issuer} no longer accepts Inlet's permission for this mailbox (it was revoked, or unused for too long). Every setting is kept."), "Sign in again with the browser; the mailbox keeps all its settings."),
                    Refusal::BlockedByAdmin => (C::SignInBlockedByAdmin, "Your organisation blocks this app", format!("{issuer} says your organisation's administrator does not allow Inlet to access this account."), "Ask your administrator to allow Inlet in the Google Admin console (API controls)."),
                    Refusal::OrgInternal => (C::SignInOrgInternal, "This app is limited to another organisation", format!("{issuer} says the app registration Inlet uses may only be used inside the organisation that created it."), "Whoever set up Inlet must use a registration open to your organisation (or your administrator sets your own)."),
                    Refusal::AppUnverified => (C::SignInAppUnverified, "Google blocks this app as unverified", format!("{issuer} blocks the app registration Inlet uses because Google has not verified it."), "Whoever set up Inlet must have the registration verified, or your administrator marks it trusted."),
                    Refusal::TemporarilyUnavailable => (C::IssuerUnavailable, "The sign-in service has a temporary problem", format!("{issuer} cannot serve the sign-in right now. Your sign-in is kept."), "Wait a few minutes and try again."),
                    Refusal::DeviceCodeExpired => (C::SignInTimedOut, "The code ran out", "The code was not entered and approved in time.".into(), "Start again and enter the new code within the time shown."),
                    Refusal::Other => (C::SignInRefused, "The provider refused the sign-in", format!("{issuer} refused the sign-in; its own words are below."), "Try again. If it keeps failing, show the words below to your administrator."),
                };
                let mut d = Diagnosis::new(code, title, happened, todo).evidence(answer.evidence());
                if let Some(uri) = &answer.uri {
                    d = d.evidence(format!("the issuer's explanation: {uri}"));
                }
                if code == C::SignInConsentRequired {
                    d.admin_consent_url = admin_consent_url.clone();
                    if let Some(url) = admin_consent_url {
                        d = d.evidence(format!("admin consent: {url}"));
                    }
                }
                d
            }
        }
    }

    /// A mail server refused a token the provider had just issued: the mailbox has IMAP/POP
    /// off, or the token is for another mailbox (Microsoft's "User is authenticated but not
    /// connected").
    pub fn token_refused_by_mail_server(mut self) -> Diagnosis {
        if self.code != DiagnosisCode::AuthenticationFailed {
            return self;
        }
        self.code = DiagnosisCode::MailAccessOff;
        self.title = "The mail server does not accept this sign-in".into();
        self.what_happened = "You signed in with your provider, but the mail server refused the permission it gave: \
                              IMAP or POP may be turned off for this mailbox, or you signed in with another account \
                              than this mailbox's."
            .into();
        self.what_to_do = "Check that you signed in with this mailbox's own account. Then turn on IMAP or POP for the \
                           mailbox (in its web settings, or ask your administrator: in Microsoft 365 it is a setting \
                           per mailbox)."
            .into();
        self.provider_hint = None;
        self
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
        };
        assert_eq!(
            Diagnosis::of(&e, None).to_string(),
            "authentication_failed: The server did not accept the password"
        );
    }
}
