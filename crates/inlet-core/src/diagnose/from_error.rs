//! How an engine error becomes a diagnosis: one arm per error kind, then what the server's own
//! refusal adds (see `catalog`). One long match, kept whole so every error kind is seen at once.

use super::{catalog, Diagnosis, DiagnosisCode};
use crate::error::{CertificateProblem, EngineError, KeychainProblem};
use crate::progress::Stage;
use crate::providers;
use crate::tr;

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
            EngineError::InvalidInput { field, message } => Diagnosis::new(
                C::InvalidInput,
                &tr!("eng-invalid-input"),
                message.clone(),
                &tr!("eng-invalid-input.todo"),
            )
            .evidence(tr!("eng-evidence-field", field = *field)),
            EngineError::HostNotFound { host, message } => Diagnosis::new(
                C::HostNotFound,
                &tr!("eng-host-not-found"),
                tr!("eng-host-not-found.happened", host = host.as_str()),
                &tr!("eng-host-not-found.todo"),
            )
            .stage(Stage::Resolving)
            .evidence(tr!("eng-evidence-lookup", host = host.as_str(), message = message.as_str())),
            EngineError::ConnectionRefused { target, addresses } => Diagnosis::new(
                C::ConnectionRefused,
                &tr!("eng-connection-refused"),
                tr!("eng-connection-refused.happened", target = target.as_str()),
                &tr!("eng-connection-refused.todo"),
            )
            .stage(Stage::Connecting)
            .evidence(addresses.join("; ")),
            EngineError::Unreachable { target, message } => Diagnosis::new(
                C::NetworkUnreachable,
                &tr!("eng-unreachable"),
                tr!("eng-unreachable.happened", target = target.as_str()),
                &tr!("eng-unreachable.todo"),
            )
            .stage(Stage::Connecting)
            .evidence(message.clone()),
            EngineError::TimedOut { stage, target, seconds } => Diagnosis::new(
                C::TimedOut,
                &tr!("eng-timed-out"),
                tr!("eng-timed-out.happened", target = target.as_str(), seconds = *seconds, stage = stage.during()),
                &match stage {
                    Stage::Connecting => tr!("eng-timed-out.todo-connecting"),
                    Stage::Tls | Stage::Greeting => tr!("eng-timed-out.todo-tls"),
                    _ => tr!("eng-timed-out.todo"),
                },
            )
            .stage(*stage)
            .evidence(tr!("eng-evidence-no-answer", target = target.as_str(), seconds = *seconds)),
            EngineError::Certificate { target, problem, certificate, message } => {
                let target = target.as_str();
                let (code, title, happened, todo) = match problem {
                    CertificateProblem::Untrusted => (
                        C::CertificateUntrusted,
                        tr!("eng-cert-untrusted"),
                        tr!("eng-cert-untrusted.happened", target = target),
                        tr!("eng-cert-untrusted.todo"),
                    ),
                    CertificateProblem::Expired => (
                        C::CertificateExpired,
                        tr!("eng-cert-expired"),
                        tr!("eng-cert-expired.happened", target = target),
                        tr!("eng-cert-expired.todo"),
                    ),
                    CertificateProblem::NotYetValid => (
                        C::CertificateNotYetValid,
                        tr!("eng-cert-not-yet-valid"),
                        tr!("eng-cert-not-yet-valid.happened", target = target),
                        tr!("eng-cert-not-yet-valid.todo"),
                    ),
                    CertificateProblem::WrongHost => (
                        C::CertificateWrongHost,
                        tr!("eng-cert-wrong-host"),
                        tr!("eng-cert-wrong-host.happened", target = target),
                        tr!("eng-cert-wrong-host.todo"),
                    ),
                    CertificateProblem::Revoked | CertificateProblem::Invalid => (
                        C::CertificateInvalid,
                        tr!("eng-cert-invalid"),
                        tr!("eng-cert-invalid.happened", target = target),
                        tr!("eng-cert-invalid.todo"),
                    ),
                };
                let mut d = Diagnosis::new(code, &title, happened, &todo).stage(Stage::Tls).evidence(message.clone());
                d.certificate = certificate.as_deref().cloned();
                d
            }
            EngineError::CertificateChanged { target, pinned_fingerprint, certificate } => {
                let mut d = Diagnosis::new(
                    C::CertificateChanged,
                    &tr!("eng-cert-changed"),
                    tr!("eng-cert-changed.happened", target = target.as_str()),
                    &tr!("eng-cert-changed.todo"),
                )
                .stage(Stage::Tls)
                .evidence(tr!("eng-evidence-trusted-fingerprint", fingerprint = pinned_fingerprint.as_str()));
                d.certificate = certificate.as_deref().cloned();
                d.trusted_fingerprint = Some(pinned_fingerprint.clone());
                d
            }
            EngineError::Tls { target, message } => Diagnosis::new(
                C::TlsFailed,
                &tr!("eng-tls-failed"),
                tr!("eng-tls-failed.happened", target = target.as_str()),
                &tr!("eng-tls-failed.todo"),
            )
            .stage(Stage::Tls)
            .evidence(message.clone()),
            EngineError::StarttlsNotOffered { target } => Diagnosis::new(
                C::StarttlsNotOffered,
                &tr!("eng-starttls-not-offered"),
                tr!("eng-starttls-not-offered.happened", target = target.as_str()),
                &tr!("eng-starttls-not-offered.todo"),
            )
            .stage(Stage::Starttls),
            EngineError::EncryptionRequired { target } => Diagnosis::new(
                C::EncryptionRequired,
                &tr!("eng-encryption-required"),
                tr!("eng-encryption-required.happened", target = target.as_str()),
                &tr!("eng-encryption-required.todo"),
            )
            .stage(Stage::SigningIn),
            EngineError::PlaintextNotConfirmed { target } => Diagnosis::new(
                C::PlaintextNotConfirmed,
                &tr!("eng-plaintext-not-confirmed"),
                tr!("eng-plaintext-not-confirmed.happened", target = target.as_str()),
                &tr!("eng-plaintext-not-confirmed.todo"),
            )
            .stage(Stage::SigningIn),
            EngineError::AuthenticationFailed { target, tried, server_said, code } => Diagnosis::new(
                C::AuthenticationFailed,
                &tr!("eng-auth-failed"),
                tr!(
                    "eng-auth-failed.happened",
                    target = target.as_str(),
                    count = tried.len(),
                    names = tried.join(&tr!("eng-auth-failed-or-as"))
                ),
                &tr!("eng-auth-failed.todo"),
            )
            .stage(Stage::SigningIn)
            .evidence(tr!("eng-evidence-tried-usernames", names = tried.join(", ")))
            .evidence(tr!("eng-evidence-server-said", said = server_said.as_str()))
            .code_evidence(code),
            EngineError::NoUsableAuthMechanism { target, offered } => Diagnosis::new(
                C::NoUsableSignInMethod,
                &tr!("eng-no-sign-in-method"),
                tr!("eng-no-sign-in-method.happened", target = target.as_str()),
                &tr!("eng-no-sign-in-method.todo"),
            )
            .stage(Stage::SigningIn)
            .evidence(tr!("eng-evidence-offered", methods = offered.join(" "))),
            EngineError::ConnectionClosed { stage, target } => Diagnosis::new(
                C::ConnectionClosed,
                &tr!("eng-connection-closed"),
                tr!("eng-connection-closed.happened", target = target.as_str(), stage = stage.during()),
                &tr!("eng-connection-closed.todo"),
            )
            .stage(*stage),
            EngineError::Protocol { stage, target, message } => Diagnosis::new(
                C::ProtocolError,
                &tr!("eng-protocol-error"),
                tr!("eng-protocol-error.happened", target = target.as_str(), stage = stage.during()),
                &tr!("eng-protocol-error.todo"),
            )
            .stage(*stage)
            .evidence(message.clone()),
            EngineError::ServerRefused { stage, target, server_said, code } => Diagnosis::new(
                C::ServerRefused,
                &tr!("eng-server-refused"),
                tr!("eng-server-refused.happened", target = target.as_str(), stage = stage.during()),
                &tr!("eng-server-refused.todo"),
            )
            .stage(*stage)
            .evidence(tr!("eng-evidence-server-said", said = server_said.as_str()))
            .code_evidence(code),
            EngineError::TemporaryFailure { stage, target, server_said, code } => Diagnosis::new(
                C::ServerTemporaryFailure,
                &tr!("eng-temporary-failure"),
                tr!("eng-temporary-failure.happened", target = target.as_str(), stage = stage.during()),
                &tr!("eng-temporary-failure.todo"),
            )
            .stage(*stage)
            .evidence(tr!("eng-evidence-server-said", said = server_said.as_str()))
            .code_evidence(code),
            EngineError::TlsPortSpeaksPlainText { target, message } => Diagnosis::new(
                C::PortExpectsStarttls,
                &tr!("eng-port-expects-starttls"),
                tr!("eng-port-expects-starttls.happened", target = target.as_str()),
                &tr!("eng-port-expects-starttls.todo"),
            )
            .stage(Stage::Tls)
            .evidence(message.clone()),
            EngineError::PortSpeaksTls { target, seconds, answered } => Diagnosis::new(
                C::PortExpectsTls,
                &tr!("eng-port-expects-tls"),
                tr!("eng-port-expects-tls.happened", target = target.as_str()),
                &tr!("eng-port-expects-tls.todo"),
            )
            .stage(Stage::Greeting)
            .evidence(tr!("eng-evidence-no-greeting", target = target.as_str(), seconds = *seconds))
            .evidence(answered.clone()),
            EngineError::PolicyForbids(refusal) => Diagnosis::of_policy(refusal),
            EngineError::PolicyUnusable { path, message } => Diagnosis::new(
                C::SignInPolicy,
                &tr!("eng-policy-unusable"),
                tr!("eng-policy-unusable.happened", path = path.as_str(), message = message.as_str()),
                &tr!("eng-policy-unusable.todo"),
            ),
            EngineError::Keychain { problem, message } => {
                let (code, title, happened, todo) = match problem {
                    KeychainProblem::Locked => (
                        C::KeychainLocked,
                        tr!("eng-keychain-locked"),
                        tr!("eng-keychain-locked.happened"),
                        tr!("eng-keychain-locked.todo"),
                    ),
                    KeychainProblem::Unavailable => (
                        C::KeychainUnavailable,
                        tr!("eng-keychain-unavailable"),
                        tr!("eng-keychain-unavailable.happened"),
                        tr!("eng-keychain-unavailable.todo"),
                    ),
                    KeychainProblem::Failed => (
                        C::KeychainFailed,
                        tr!("eng-keychain-failed"),
                        tr!("eng-keychain-failed.happened"),
                        tr!("eng-keychain-failed.todo"),
                    ),
                };
                Diagnosis::new(code, &title, happened, &todo).stage(Stage::Saving).evidence(message.clone())
            }
            EngineError::Store { message } => Diagnosis::new(
                C::StoreFailed,
                &tr!("eng-store-failed"),
                tr!("eng-store-failed.happened"),
                &tr!("eng-store-failed.todo"),
            )
            .stage(Stage::Saving)
            .evidence(message.clone()),
            EngineError::MailboxNotFound { id } => Diagnosis::new(
                C::MailboxNotFound,
                &tr!("eng-mailbox-not-found"),
                tr!("eng-mailbox-not-found.happened", id = id.to_string()),
                &tr!("eng-mailbox-not-found.todo"),
            ),
            EngineError::AlreadySaved { email } => Diagnosis::new(
                C::AlreadySaved,
                &tr!("eng-already-saved"),
                tr!("eng-already-saved.happened", email = email.as_str()),
                &tr!("eng-already-saved.todo"),
            ),
            EngineError::Cancelled => Diagnosis::new(
                C::Cancelled,
                &tr!("eng-cancelled"),
                tr!("eng-cancelled.happened"),
                &tr!("eng-cancelled.todo"),
            ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{with_language, Language};

    /// The diagnosis of an engine error reads in the language chosen: title, what happened (with
    /// the stage inside the sentence), advice and the evidence's labels; the values stay.
    #[test]
    fn a_diagnosis_reads_in_german() {
        let error =
            EngineError::TimedOut { stage: Stage::SigningIn, target: "mail.example.com:993".into(), seconds: 30 };
        let d = with_language(Language::De, || Diagnosis::from_error(&error));
        assert_eq!(d.title, "Der Server hat nicht rechtzeitig geantwortet");
        assert_eq!(
            d.what_happened,
            "mail.example.com:993 hat nicht innerhalb von 30 s geantwortet (Schritt: Anmeldung)."
        );
        assert_eq!(d.steps.first().map(String::as_str), Some("Der Server ist langsam oder überlastet."));
        assert_eq!(d.evidence, ["mail.example.com:993: keine Antwort nach 30 s"]);
        // The same error in English, byte for byte as before the catalog.
        let d = with_language(Language::En, || Diagnosis::from_error(&error));
        assert_eq!(d.what_happened, "mail.example.com:993 did not answer within 30 s while: signing in.");

        let refused = EngineError::AuthenticationFailed {
            target: "mail.example.com:993".into(),
            tried: vec!["alice".into(), "alice@example.com".into()],
            server_said: "NO [AUTHENTICATIONFAILED] Authentication failed.".into(),
            code: crate::error::ServerCode::None,
        };
        let d = with_language(Language::De, || Diagnosis::from_error(&refused));
        assert_eq!(
            d.what_happened,
            "mail.example.com:993 hat die Anmeldung als alice oder als alice@example.com abgelehnt."
        );
        assert!(d.evidence.contains(&"Antwort des Servers: NO [AUTHENTICATIONFAILED] Authentication failed.".into()));
        let d = with_language(Language::En, || Diagnosis::from_error(&refused));
        assert_eq!(d.what_happened, "mail.example.com:993 refused to sign in as alice or as alice@example.com.");
    }

    /// A count chooses the plural form in either language: one check, five checks.
    #[test]
    fn a_turned_off_mailbox_counts_its_checks_in_german() {
        let status = |errors: u32| crate::store::MailboxStatus {
            enabled: false,
            last_check_at: Some(1),
            last_success_at: None,
            last_error_code: Some(DiagnosisCode::AuthenticationFailed),
            last_error_title: Some("Der Server hat das Passwort nicht angenommen".into()),
            last_error_at: Some(1),
            consecutive_errors: errors,
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
        let five = with_language(Language::De, || Diagnosis::mailbox_disabled("bob@example.com", &status(5)));
        assert_eq!(five.title, "Dieses Postfach wurde nach wiederholten Fehlern ausgeschaltet");
        assert!(
            five.what_happened.starts_with(
                "Inlet hat bob@example.com ausgeschaltet, nachdem sein Posteingangsserver 5 Prüfungen in Folge nicht \
                 bestanden hat;"
            ),
            "{}",
            five.what_happened
        );
        assert!(
            five.what_happened.ends_with(
                "Der letzte Fehler: „Der Server hat das Passwort nicht angenommen“ (authentication_failed)."
            ),
            "{}",
            five.what_happened
        );
        let one = with_language(Language::De, || Diagnosis::mailbox_disabled("bob@example.com", &status(1)));
        assert!(one.what_happened.contains(" 1 Prüfung in Folge"), "{}", one.what_happened);
        let one = with_language(Language::En, || Diagnosis::mailbox_disabled("bob@example.com", &status(1)));
        assert!(one.what_happened.contains(" failed 1 check in a row"), "{}", one.what_happened);
    }

    /// The texts under the address field and the advice for a provider are in German too.
    #[test]
    fn field_messages_and_provider_hints_read_in_german() {
        use crate::address::AddressProblem;
        assert_eq!(
            with_language(Language::De, || AddressProblem::NoAt.message()),
            "Eine E-Mail-Adresse sieht so aus: name@example.com."
        );
        let hint = with_language(Language::De, || super::super::provider_hint("someone@fastmail.com")).unwrap();
        assert_eq!(
            hint,
            "Fastmail braucht für Mail-Programme ein App-Passwort: Erstellen Sie eines unter Einstellungen → \
             Datenschutz & Sicherheit."
        );
        assert_eq!(with_language(Language::De, || Stage::ListingFolders.label()), "Ordner werden geladen");
    }
}
