//! The administrator's policy file against real servers and the private keychain: adding and
//! removing refused, a mailbox type not allowed, TLS 1.3 as the minimum refusing a server that
//! speaks only TLS 1.2 (OpenSSL's own server), and a malformed file that fails closed.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::{MailboxKind, Security};
use inlet_core::diagnose::WhoActs;
use inlet_core::policy::{adding_not_allowed, TlsVersion};
use inlet_core::secrets::Credentials;
use inlet_core::store::MailboxRecord;
use inlet_core::{Deadlines, Diagnosis, DiagnosisCode, Engine, EngineConfig, SaveRequest};
use inlet_testkit::{CertKind, Dovecot, DovecotOptions};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn policy_file(dir: &Path) -> PathBuf {
    dir.join("policy.json")
}

/// A configuration with its own data folder, keychain service and policy file.
fn config(dir: &Path) -> EngineConfig {
    EngineConfig {
        data_dir: Some(dir.join("data")),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-{}-{}", std::process::id(), dir.file_name().unwrap().to_string_lossy()),
        policy_file: Some(policy_file(dir)),
        deadlines: Deadlines::all(Duration::from_secs(3)),
        ..Default::default()
    }
}

/// An engine whose policy file has `policy` (None: as it is).
fn engine_with_policy(dir: &Path, policy: Option<&str>) -> Engine {
    if let Some(text) = policy {
        std::fs::write(policy_file(dir), text).unwrap();
    }
    Engine::new(config(dir)).expect("engine")
}

fn alice_on(server: &Dovecot, kind: MailboxKind) -> SaveRequest {
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.kind = kind;
    settings.incoming.settings_mut().username = Some(ALICE.into());
    SaveRequest {
        settings,
        folders: Vec::new(),
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: None,
    }
}

async fn save(engine: &Engine, request: &SaveRequest) -> Result<MailboxRecord, Diagnosis> {
    engine.save_mailbox(request, &Recorder::default()).await
}

fn assert_forbidden(d: &Diagnosis) {
    assert_eq!(d.code, DiagnosisCode::PolicyForbids, "{d:?}");
    assert_eq!(d.who_acts, WhoActs::Administrator);
}

#[tokio::test]
async fn adding_refused_saves_nothing_and_the_summary_says_why() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), Some(r#"{"mailboxes": {"allowAdding": false}}"#));
    let summary = engine.policy_summary().unwrap();
    assert!(!summary.may_add && summary.may_remove);
    assert_eq!(summary.why_not_add, Some(adding_not_allowed()));

    let d = save(&engine, &alice_on(&server, MailboxKind::Imap)).await.expect_err("refused");
    assert_forbidden(&d);
    assert_eq!(d.what_happened, "Your administrator has not allowed adding mailboxes. Ask them for help.");
    assert!(engine.list_mailboxes().await.unwrap().is_empty());
    assert_eq!(keychain_entries::count_service(keychain, &engine.config().keychain_service), 0);

    // The same file, once the administrator allows it: saved (the rule is read at each save).
    std::fs::write(policy_file(tmp.path()), "{}").unwrap();
    let saved = save(&engine, &alice_on(&server, MailboxKind::Imap)).await.expect("saved");
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

#[tokio::test]
async fn removing_refused_keeps_the_mailbox_and_its_password() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let service = engine.config().keychain_service.clone();
    let saved = save(&engine, &alice_on(&server, MailboxKind::Imap)).await.expect("saved");
    assert_eq!(keychain_entries::count_service(keychain, &service), 1);

    std::fs::write(policy_file(tmp.path()), r#"{"mailboxes": {"allowRemoving": false}}"#).unwrap();
    assert!(!engine.policy_summary().unwrap().may_remove);
    for erase in [false, true] {
        let d = engine.remove_mailbox_with(saved.id, erase).await.expect_err("refused");
        assert_forbidden(&d);
        assert!(d.what_happened.contains("not allowed removing mailboxes"), "{}", d.what_happened);
    }
    assert_eq!(engine.list_mailboxes().await.unwrap(), std::slice::from_ref(&saved));
    assert_eq!(keychain_entries::count_service(keychain, &service), 1, "the password stays");
    assert_eq!(engine.stored_password(&saved).await.unwrap().expose(), ALICE_PASSWORD);

    std::fs::remove_file(policy_file(tmp.path())).unwrap();
    engine.remove_mailbox_with(saved.id, true).await.expect("removed once allowed");
    assert_eq!(keychain_entries::count_service(keychain, &service), 0);
}

#[tokio::test]
async fn a_type_the_policy_does_not_list_is_refused() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine =
        engine_with_policy(tmp.path(), Some(r#"{"mailboxes": {"allowedTypes": ["microsoft365", "exchange"]}}"#));
    assert_eq!(engine.policy_summary().unwrap().allowed_types, [MailboxKind::Microsoft365, MailboxKind::Exchange]);
    let d = save(&engine, &alice_on(&server, MailboxKind::Imap)).await.expect_err("refused");
    assert_forbidden(&d);
    assert!(d.what_happened.contains("\"imap\""), "{}", d.what_happened);
    assert!(engine.list_mailboxes().await.unwrap().is_empty());
    assert_eq!(keychain_entries::count_service(keychain, &engine.config().keychain_service), 0);
    // An allowed type on the same server is saved.
    let saved = save(&engine, &alice_on(&server, MailboxKind::Exchange)).await.expect("allowed");
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

/// OpenSSL's own TLS server on 127.0.0.1, limited to TLS 1.2; killed when dropped.
struct Tls12Server {
    child: Child,
    port: u16,
}

impl Tls12Server {
    fn start() -> Tls12Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (cert, key) = pki().cert(CertKind::Valid);
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-tls1_2", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(cert)
            .arg("-key")
            .arg(key)
            // Kept open: s_server stops when its standard input ends.
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "openssl s_server never listened");
            std::thread::sleep(Duration::from_millis(20));
        }
        Tls12Server { child, port }
    }
}

impl Drop for Tls12Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_minimum_of_tls_1_3_refuses_a_server_that_speaks_only_tls_1_2() {
    let old = Tls12Server::start();
    let connect = |engine: Engine| async move {
        let request = request(ALICE, ALICE_PASSWORD, "127.0.0.1", old.port, Security::Tls);
        engine.connect(&request, &Recorder::default()).await.expect_err("no mail server there")
    };
    // Without a policy, TLS 1.2 is accepted: the handshake completes and the IMAP greeting,
    // which OpenSSL's test server never sends, is what is missing.
    let open = tempfile::tempdir().unwrap();
    let d = connect(engine_with_policy(open.path(), None)).await;
    assert_ne!(d.code, DiagnosisCode::PolicyForbids, "{d:?}");
    assert_ne!(d.code, DiagnosisCode::TlsFailed, "{d:?}");

    let strict = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(strict.path(), Some(r#"{"minTlsVersion": "1.3"}"#));
    assert_eq!(engine.policy_summary().unwrap().min_tls_version, TlsVersion::Tls13);
    let d = connect(engine).await;
    assert_forbidden(&d);
    assert!(d.what_happened.contains("TLS 1.3") && d.what_happened.contains(&old.port.to_string()), "{d:?}");

    // Dovecot speaks TLS 1.3: the same policy connects there.
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let engine = engine_with_policy(strict.path(), None);
    let request = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls);
    engine.connect(&request, &Recorder::default()).await.expect("TLS 1.3 is allowed");
}

#[tokio::test]
async fn a_malformed_policy_fails_closed_and_names_the_file() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let file = policy_file(tmp.path()).display().to_string();
    let names_the_file = |d: &Diagnosis| {
        assert_eq!(d.code, DiagnosisCode::SignInPolicy, "{d:?}");
        assert!(d.what_happened.contains(&file), "{}", d.what_happened);
    };
    // At start: the engine does not start (its TLS configuration follows the policy).
    std::fs::write(policy_file(tmp.path()), r#"{"minTlsVersion": "1.0"}"#).unwrap();
    let d = Engine::new(config(tmp.path())).err().expect("refused");
    names_the_file(&d);

    // Broken while it runs: every rule the policy governs is refused.
    std::fs::write(policy_file(tmp.path()), "{}").unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let saved = save(&engine, &alice_on(&server, MailboxKind::Imap)).await.expect("saved");
    std::fs::write(policy_file(tmp.path()), r#"{"mailboxes": {"allowAdding": tru"#).unwrap();
    names_the_file(&engine.policy_summary().expect_err("no summary"));
    let mut other = alice_on(&server, MailboxKind::Imap);
    other.settings.email = "bob@example.test".parse().unwrap();
    names_the_file(&save(&engine, &other).await.expect_err("not saved"));
    names_the_file(&engine.remove_mailbox_with(saved.id, true).await.expect_err("not removed"));
    assert_eq!(engine.list_mailboxes().await.unwrap(), std::slice::from_ref(&saved));

    std::fs::remove_file(policy_file(tmp.path())).unwrap();
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}
