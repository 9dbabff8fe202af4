//! The diagnosis's tests: codes, sides, shared passwords, the catalog as it is applied.

use super::*;
use crate::account::MailboxKind;
use crate::error::ServerCode;
use crate::providers::ProviderAuth;

fn hint_for(domain: &str) -> String {
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
        C::HostNotFound => EngineError::HostNotFound { host: "mail.example.com".into(), message: "NXDOMAIN".into() },
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
        C::NoUsableSignInMethod => EngineError::NoUsableAuthMechanism { target: t(), offered: vec!["GSSAPI".into()] },
        C::ConnectionClosed => EngineError::ConnectionClosed { stage: Stage::Greeting, target: t() },
        C::ProtocolError => EngineError::Protocol { stage: Stage::Greeting, target: t(), message: "HTTP/1.1".into() },
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
        C::SignInNotSetUp => E::NotConfigured { provider: "Microsoft" },
        C::SignInPolicy => E::PolicyLocked { what: "client-id" },
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
        C::SignInAppUnknown => refused("unauthorized_client", "AADSTS700016: Application not found in the directory."),
        C::SignInPublicClientDisabled => {
            refused("invalid_client", "AADSTS7000218: The request body must contain client_assertion or client_secret.")
        }
        C::SignInSingleTenantApp => {
            refused("invalid_request", "AADSTS50194: Application is not configured as a multi-tenant application.")
        }
        C::SignInBlockedByAdmin => refused("admin_policy_enforced", "blocked by the administrator"),
        C::SignInOrgInternal => refused("org_internal", "only for users in its organization"),
        C::SignInAppUnverified => refused("access_denied", "This app has not been verified by Google"),
        C::NeedsSignIn => refused("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity."),
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
    assert_eq!(Diagnosis::of(&e, None).to_string(), "authentication_failed: The server did not accept the password");
}

/// The catalog reads in German: the provider's name and the wait the server asked for (a
/// plural) in the sentence, the provider's own steps, the button's German name.
#[test]
fn catalog_diagnoses_read_in_german() {
    use crate::i18n::{with_language, Language};
    let gmail = providers::by_domain("gmail.com");
    let said = "[ALERT] Application-specific password required";
    let code = ServerCode::imap(said);
    let refusal = catalog::Refusal { target: "imap.gmail.com:993", code: &code, said, provider: gmail };
    let entry = with_language(Language::De, || catalog::entry(DiagnosisCode::AppPasswordRequired, &refusal)).unwrap();
    assert_eq!(entry.title, "Ein App-Passwort wird benötigt");
    assert!(entry.what_happened.starts_with("imap.gmail.com:993 nimmt in Mail-Programmen"), "{}", entry.what_happened);
    assert!(entry.what_happened.contains("Gmail verlangt ein App-Passwort"), "{}", entry.what_happened);
    assert_eq!(entry.steps.len(), 3, "{:?}", entry.steps);
    assert!(entry.steps[0].contains("Bestätigung in zwei Schritten"), "{:?}", entry.steps);
    assert!(entry.steps[2].ends_with("„Erneut versuchen\"."), "{:?}", entry.steps);

    let wait = |said: &str| {
        let code = ServerCode::imap(said);
        let refusal = catalog::Refusal { target: "outlook.office365.com:993", code: &code, said, provider: None };
        with_language(Language::De, || catalog::entry(DiagnosisCode::Throttled, &refusal)).unwrap().steps[0].clone()
    };
    assert_eq!(
        wait("[THROTTLED] Suggested Backoff Time: 92 milliseconds"),
        "Warten Sie eine Minute (darum hat der Server gebeten) und wählen Sie dann „Erneut versuchen\"."
    );
    assert_eq!(
        wait("[THROTTLED] Suggested Backoff Time: 150000 milliseconds"),
        "Warten Sie 3 Minuten (darum hat der Server gebeten) und wählen Sie dann „Erneut versuchen\"."
    );
    // English stays as it was.
    let code = ServerCode::imap("[THROTTLED] Suggested Backoff Time: 150000 milliseconds");
    let said = "[THROTTLED] Suggested Backoff Time: 150000 milliseconds";
    let refusal = catalog::Refusal { target: "outlook.office365.com:993", code: &code, said, provider: None };
    let english = with_language(Language::En, || catalog::entry(DiagnosisCode::Throttled, &refusal)).unwrap();
    assert_eq!(english.steps[0], "Wait 3 minutes (the server asked for it), then choose Try again.");
}

/// The browser sign-in's diagnoses read in German, their advice split into whole sentences, and
/// the evidence labels translated (the provider's own words are not).
#[test]
fn sign_in_diagnoses_read_in_german() {
    use crate::i18n::{with_language, Language};
    use crate::oauth::errors::SignInError as E;
    let timed_out = with_language(Language::De, || Diagnosis::of_sign_in(&E::BrowserTimedOut { seconds: 300 }));
    assert_eq!(timed_out.title, "Die Anmeldung kam nicht rechtzeitig zurück");
    assert!(timed_out.what_happened.starts_with("Inlet hat 300 Sekunden gewartet"), "{}", timed_out.what_happened);
    assert_eq!(timed_out.steps.len(), 2, "{:?}", timed_out.steps);
    assert!(timed_out.steps[1].ends_with("„Mit einem Code anmelden\"."), "{:?}", timed_out.steps);

    let consent = with_language(Language::De, || example(DiagnosisCode::SignInConsentRequired));
    assert_eq!(consent.title, "Der Administrator Ihrer Organisation muss Inlet genehmigen");
    assert!(consent.what_happened.starts_with("https://login.microsoftonline.com/common/v2.0 verlangt"));
    assert!(
        consent.evidence.iter().any(|e| e.starts_with("Antwort des Anmeldedienstes: invalid_grant (AADSTS65001")),
        "{:?}",
        consent.evidence
    );

    // Every catalog and sign-in diagnosis is translated, and no step is a stray piece of a
    // sentence.
    let range = |from, to| {
        let at = |code| ALL.iter().position(|c| *c == code).unwrap();
        &ALL[at(from)..=at(to)]
    };
    let catalog = range(DiagnosisCode::AppPasswordRequired, DiagnosisCode::SenderNotAllowed);
    let sign_in = range(DiagnosisCode::SignInNotSetUp, DiagnosisCode::MailAccessOff);
    for &code in catalog.iter().chain(sign_in) {
        let (german, english) =
            (with_language(Language::De, || example(code)), with_language(Language::En, || example(code)));
        assert_ne!(german.title, english.title, "{code:?}");
        assert_ne!(german.what_to_do, english.what_to_do, "{code:?}");
        for step in &german.steps {
            assert!(step.starts_with(|c: char| c.is_uppercase() || c == '„'), "{code:?}: {:?}", german.steps);
        }
    }
}
