//! The IMAP slice against a real Dovecot: TLS, STARTTLS, sign-in, username fallback, folders,
//! certificates, deadlines. Every failure is produced for real.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::folders::FolderRole;
use inlet_core::progress::{Stage, StageState};
use inlet_core::DiagnosisCode;
use inlet_testkit::{faults, CertKind, Dovecot, DovecotOptions};
use std::time::Instant;

fn dovecot(opts: DovecotOptions) -> Dovecot {
    Dovecot::start(pki(), opts).expect("dovecot starts")
}

#[tokio::test]
async fn tls_sign_in_loads_special_use_folders_with_counts() {
    let server = dovecot(DovecotOptions {
        inbox_messages: 5,
        folder_messages: vec![("Archive".into(), 4, 1)],
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls), &rec)
        .await
        .expect("connects");
    assert_eq!(report.username_used, ALICE);
    assert!(report.encrypted);
    assert!(report.capabilities.iter().any(|c| c == "LIST-STATUS"));
    let role = |r: FolderRole| report.folders.folders.iter().find(|f| f.role == Some(r)).map(|f| f.raw_name.clone());
    assert_eq!(role(FolderRole::Inbox).as_deref(), Some("INBOX"));
    assert_eq!(role(FolderRole::Sent).as_deref(), Some("Sent"));
    assert_eq!(role(FolderRole::Drafts).as_deref(), Some("Drafts"));
    assert_eq!(role(FolderRole::Trash).as_deref(), Some("Trash"));
    assert_eq!(role(FolderRole::Junk).as_deref(), Some("Junk"));
    assert_eq!(report.folders.delimiter.as_deref(), Some("/"));
    let inbox = &report.folders.folders[0];
    assert_eq!(inbox.raw_name, "INBOX");
    assert_eq!(inbox.messages, Some(5));
    let archive = report.folders.folders.iter().find(|f| f.raw_name == "Archive").unwrap();
    assert_eq!((archive.messages, archive.unseen), (Some(4), Some(1)));
    assert!(archive.subscribed, "auto = subscribe folders are reported subscribed");

    // Progress names every stage with its host, in order.
    let events = rec.events();
    let done: Vec<Stage> = events.iter().filter(|e| e.state == StageState::Done).map(|e| e.stage).collect();
    for stage in [
        Stage::Resolving,
        Stage::Connecting,
        Stage::Tls,
        Stage::Greeting,
        Stage::Capabilities,
        Stage::SigningIn,
        Stage::ListingFolders,
    ] {
        assert!(done.contains(&stage), "no Done event for {stage:?}: {done:?}");
    }
    let pos = |s: Stage| done.iter().position(|x| *x == s).unwrap();
    assert!(pos(Stage::Tls) < pos(Stage::SigningIn) && pos(Stage::SigningIn) < pos(Stage::ListingFolders));
    assert!(events.iter().any(|e| e.target.as_deref() == Some(&format!("localhost:{}", server.imaps_port()))));
    assert!(events.windows(2).all(|w| w[0].elapsed_ms <= w[1].elapsed_ms));
}

#[tokio::test]
async fn starttls_upgrades_before_signing_in() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::Starttls), &rec)
        .await
        .expect("connects with STARTTLS");
    assert!(report.encrypted);
    let stages: Vec<(Stage, StageState)> = rec.events().iter().map(|e| (e.stage, e.state)).collect();
    let starttls = stages.iter().position(|s| *s == (Stage::Starttls, StageState::Done)).expect("STARTTLS done");
    let tls = stages.iter().position(|s| *s == (Stage::Tls, StageState::Done)).expect("TLS done");
    let sign_in = stages.iter().position(|s| *s == (Stage::SigningIn, StageState::Started)).unwrap();
    assert!(starttls < tls && tls < sign_in);
}

#[tokio::test]
async fn wrong_password_is_diagnosed_after_trying_both_usernames() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(
            &request(ALICE, "not-the-password", "localhost", server.imaps_port(), Security::Tls),
            &Recorder::default(),
        )
        .await
        .expect_err("wrong password fails");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    assert_eq!(d.stage, Some(Stage::SigningIn));
    assert!(d.evidence.iter().any(|e| e.contains("alice@example.test, alice")), "{:?}", d.evidence);
    assert!(d.evidence.iter().any(|e| e.contains("AUTHENTICATIONFAILED")), "{:?}", d.evidence);
    let text = format!("{d:?}");
    assert!(!text.contains("not-the-password"), "the password leaked into the diagnosis");
}

#[tokio::test]
async fn unknown_user_is_an_authentication_failure() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(
            &request("nobody@example.test", "whatever-1", "localhost", server.imaps_port(), Security::Tls),
            &Recorder::default(),
        )
        .await
        .expect_err("unknown user fails");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
}

#[tokio::test]
async fn falls_back_to_the_local_part_and_reports_it() {
    // Dovecot's user is "bob", the address bob@example.test: the full address fails, "bob" works.
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&request("bob@example.test", "builder-7", "localhost", server.imaps_port(), Security::Tls), &rec)
        .await
        .expect("connects as bob");
    assert_eq!(report.username_used, "bob");
    assert!(rec.events().iter().any(|e| e.detail.as_deref() == Some("refused as bob@example.test")));
}

#[tokio::test]
async fn a_thousand_nested_folders_with_non_ascii_names() {
    let mut folders = inlet_testkit::make_folders_tree(1000);
    folders.push("Projets/Réunions".into());
    folders.push("日本語".into());
    let server = dovecot(DovecotOptions { extra_folders: folders.clone(), ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let report = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls), &Recorder::default())
        .await
        .expect("connects");
    let tree = &report.folders.folders;
    assert!(tree.len() >= 1000, "only {} folders", tree.len());
    let reunions = tree.iter().find(|f| f.path == "Projets/Réunions").expect("decoded non-ASCII name");
    assert_eq!(reunions.name, "Réunions");
    assert_ne!(reunions.raw_name, reunions.path, "raw name stays modified UTF-7");
    assert_eq!(reunions.depth, 1);
    assert!(tree.iter().any(|f| f.path == "日本語"));
    assert!(tree.iter().any(|f| f.depth >= 2), "nesting is kept");
    // Parents come before their children.
    let index: std::collections::HashMap<&str, usize> =
        tree.iter().enumerate().map(|(i, f)| (f.raw_name.as_str(), i)).collect();
    for (i, f) in tree.iter().enumerate() {
        if let Some(p) = &f.parent {
            assert!(index[p.as_str()] < i, "{} listed before its parent {p}", f.path);
        }
    }
    // Every selectable folder has counts.
    assert!(tree.iter().filter(|f| f.selectable).all(|f| f.messages.is_some() && f.unseen.is_some()));
}

#[tokio::test]
async fn without_list_status_counts_come_from_pipelined_status() {
    let server = dovecot(DovecotOptions {
        imap_capability: Some("IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE SPECIAL-USE LIST-EXTENDED AUTH=PLAIN".into()),
        extra_folders: inlet_testkit::make_folders_tree(300),
        folder_messages: vec![("Archive".into(), 3, 2)],
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let report = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls), &rec)
        .await
        .expect("connects");
    assert!(!report.capabilities.iter().any(|c| c == "LIST-STATUS"));
    let archive = report.folders.folders.iter().find(|f| f.raw_name == "Archive").unwrap();
    assert_eq!((archive.messages, archive.unseen), (Some(3), Some(2)));
    assert!(report.folders.folders.iter().filter(|f| f.selectable).all(|f| f.messages.is_some()));
    // "n of N" progress while the STATUS answers arrive.
    assert!(rec.events().iter().any(|e| e.stage == Stage::ListingFolders && e.total.is_some()));
}

async fn certificate_failure(kind: CertKind) -> inlet_core::Diagnosis {
    let server = dovecot(DovecotOptions { cert: kind, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("certificate refused")
}

#[tokio::test]
async fn untrusted_certificate_is_shown_not_accepted() {
    let d = certificate_failure(CertKind::Untrusted).await;
    assert_eq!(d.code, DiagnosisCode::CertificateUntrusted);
    let cert = d.certificate.expect("certificate details");
    assert_eq!(cert.sha256_fingerprint.len(), 32 * 3 - 1);
    assert!(cert.names.iter().any(|n| n == "localhost"));
    assert!(cert.self_signed);
}

#[tokio::test]
async fn expired_certificate_has_its_own_diagnosis() {
    let d = certificate_failure(CertKind::Expired).await;
    assert_eq!(d.code, DiagnosisCode::CertificateExpired);
    let cert = d.certificate.expect("certificate details");
    assert!(cert.not_after.starts_with("2021-01-01"), "{}", cert.not_after);
    assert!(cert.issuer.contains("Inlet Test CA"));
}

#[tokio::test]
async fn wrong_host_certificate_has_its_own_diagnosis() {
    let d = certificate_failure(CertKind::WrongHost).await;
    assert_eq!(d.code, DiagnosisCode::CertificateWrongHost);
    assert!(d.certificate.unwrap().names.iter().any(|n| n == "other-host.invalid"));
}

#[tokio::test]
async fn a_server_that_never_speaks_is_reported_within_the_deadline() {
    let silent = faults::SilentServer::start();
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&request(ALICE, ALICE_PASSWORD, "127.0.0.1", silent.port(), Security::Starttls), &Recorder::default())
        .await
        .expect_err("silent server fails");
    assert_eq!(d.code, DiagnosisCode::TimedOut);
    assert_eq!(d.stage, Some(Stage::Greeting));
    // The stage says which deadline fired; the bound only proves nothing waited for another one
    // (generous: a busy 2-core machine stretches every step).
    assert!(started.elapsed().as_secs_f64() < 15.0, "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_is_reported_as_tls() {
    let silent = faults::SilentServer::start();
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&request(ALICE, ALICE_PASSWORD, "127.0.0.1", silent.port(), Security::Tls), &Recorder::default())
        .await
        .expect_err("hangs in TLS");
    assert_eq!((d.code, d.stage), (DiagnosisCode::TimedOut, Some(Stage::Tls)));
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let port = faults::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "127.0.0.1", port, Security::Tls), &Recorder::default())
        .await
        .expect_err("closed port fails");
    assert_eq!(d.code, DiagnosisCode::ConnectionRefused);
    assert_eq!(d.stage, Some(Stage::Connecting));
}

#[tokio::test]
async fn an_unknown_host_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&request(ALICE, ALICE_PASSWORD, "no-such-host.invalid", 993, Security::Tls), &Recorder::default())
        .await
        .expect_err("unknown host fails");
    assert_eq!(d.code, DiagnosisCode::HostNotFound);
}

#[tokio::test]
async fn a_server_that_closes_at_once_is_diagnosed() {
    let server = faults::CloseAtOnce::start();
    let dir = tempfile::tempdir().unwrap();
    let d = engine_with(dir.path(), short_deadlines())
        .connect(&request(ALICE, ALICE_PASSWORD, "127.0.0.1", server.port(), Security::Starttls), &Recorder::default())
        .await
        .expect_err("fails");
    assert_eq!((d.code, d.stage), (DiagnosisCode::ConnectionClosed, Some(Stage::Greeting)));
}

#[tokio::test]
async fn no_password_goes_over_plain_text_without_consent() {
    let server = dovecot(DovecotOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::None), &Recorder::default())
        .await
        .expect_err("refused without consent");
    assert_eq!(d.code, DiagnosisCode::PlaintextNotConfirmed);

    // With explicit consent it works (Dovecot allows plaintext on loopback).
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::None);
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    let report = engine(dir.path()).connect(&req, &Recorder::default()).await.expect("connects when the user chose it");
    assert!(!report.encrypted);
}

#[tokio::test]
async fn starttls_that_is_not_offered_stops_before_the_password() {
    let server = dovecot(DovecotOptions { starttls: false, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(
            &request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::Starttls),
            &Recorder::default(),
        )
        .await
        .expect_err("no STARTTLS");
    assert_eq!(d.code, DiagnosisCode::StarttlsNotOffered);
}

#[tokio::test]
async fn a_server_that_requires_encryption_is_diagnosed_before_any_password() {
    // Dovecot with ssl = required advertises LOGINDISABLED on its plain port until STARTTLS.
    let server = dovecot(DovecotOptions { tls_required: true, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::None);
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    let d = engine(dir.path()).connect(&req, &Recorder::default()).await.expect_err("encryption required");
    assert_eq!(d.code, DiagnosisCode::EncryptionRequired, "{d:?}");
    assert!(d.what_to_do.contains("STARTTLS"));

    // The same port with STARTTLS works.
    let req = request(ALICE, ALICE_PASSWORD, "localhost", server.imap_port(), Security::Starttls);
    engine(dir.path()).connect(&req, &Recorder::default()).await.expect("STARTTLS then sign-in");
}

#[tokio::test]
async fn a_temporary_authentication_failure_is_not_a_wrong_password() {
    // Dovecot cannot read its users file, so it answers every sign-in with
    // `NO [UNAVAILABLE] Temporary authentication failure` (RFC 5530): its trouble, not the password's.
    let server = dovecot(DovecotOptions { auth_backend_unreadable: true, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls), &rec)
        .await
        .expect_err("the server cannot check passwords");
    assert_eq!(d.code, DiagnosisCode::ServerTemporaryFailure, "{d:?}");
    assert_eq!(d.stage, Some(Stage::SigningIn));
    assert!(d.evidence.iter().any(|e| e.contains("UNAVAILABLE")), "{:?}", d.evidence);
    // The second username is not tried: another name would meet the same broken backend.
    let attempts =
        rec.events().iter().filter(|e| e.stage == Stage::SigningIn && e.state == StageState::Started).count();
    assert_eq!(attempts, 1, "{:?}", rec.events());
}
