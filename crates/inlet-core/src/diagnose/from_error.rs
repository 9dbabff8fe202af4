//! How an engine error becomes a diagnosis: one arm per error kind, then what the server's own
//! refusal adds (see `catalog`). One long match, kept whole so every error kind is seen at once.

use super::{catalog, Diagnosis, DiagnosisCode};
use crate::error::{CertificateProblem, EngineError, KeychainProblem};
use crate::progress::Stage;
use crate::providers;

impl Diagnosis {
    /// What the server's refusal says beyond the engine error's kind: a code of the catalog,
    /// read from the typed code and the words. Temporary stays temporary: a temporary failure
    /// is never read as wrong credentials.
    pub(super) fn read_refusal(
        self,
        refusal: catalog::Refusal<'_>,
        provider: Option<&providers::Provider>,
    ) -> Diagnosis {
        let refusal = catalog::Refusal { provider, ..refusal };
        let stage = self.stage.unwrap_or(Stage::SigningIn);
        match catalog::classify(refusal.code, refusal.said, stage, provider) {
            Some(code) => catalog::apply(self, code, &refusal),
            None => self,
        }
    }

    pub(super) fn from_error(error: &EngineError) -> Diagnosis {
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
pub(super) fn server_refusal(error: &EngineError) -> Option<catalog::Refusal<'_>> {
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
pub(super) fn provider_of_server(error: &EngineError) -> Option<&'static providers::Provider> {
    let target = match error {
        EngineError::AuthenticationFailed { target, .. }
        | EngineError::ServerRefused { target, .. }
        | EngineError::TemporaryFailure { target, .. } => target,
        _ => return None,
    };
    let host = crate::account::normalize_host(target.rsplit_once(':').map_or(target.as_str(), |(host, _)| host));
    providers::all().iter().find(|p| p.incoming.iter().chain(p.outgoing).any(|s| s.host == host))
}
