//! Pinned certificates against real TLS servers on loopback: a fingerprint is read however it is
//! commonly written, a malformed one is refused before any connection, several pins for one
//! server accept any of them, a trailing dot in the host name does not skip the pin, a
//! self-signed certificate marked as a CA can be trusted like any self-signed one, and an IPv6
//! server is shown as `[::1]:port`.

mod common;

use common::*;
use inlet_core::account::{MailboxSettings, Security, TrustedCertificate};
use inlet_core::config::ConnectTo;
use inlet_core::progress::Stage;
use inlet_core::{Diagnosis, DiagnosisCode, Engine, EngineConfig};
use inlet_testkit::{CertKind, Dovecot, DovecotOptions};
use std::sync::Arc;

/// A fingerprint no test certificate has.
const OTHER_FINGERPRINT: &str =
    "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

fn pin(host: &str, port: u16, fingerprint: &str) -> TrustedCertificate {
    TrustedCertificate {
        host: host.into(),
        port,
        sha256_fingerprint: fingerprint.into(),
        subject: String::new(),
        not_after: String::new(),
    }
}

fn presented_fingerprint(d: &Diagnosis) -> String {
    d.certificate.as_ref().expect("the diagnosis shows the certificate").sha256_fingerprint.clone()
}

fn tls_events(rec: &Recorder) -> usize {
    rec.events().iter().filter(|e| e.stage == Stage::Tls).count()
}

#[tokio::test]
async fn a_fingerprint_written_any_common_way_pins_the_certificate() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
    let shown = presented_fingerprint(&engine.connect(&req, &Recorder::default()).await.expect_err("untrusted"));

    let bare = shown.replace(':', "");
    let written = [
        bare.to_ascii_lowercase(),
        shown.to_ascii_lowercase(),
        format!("SHA256:{bare}"),
        format!("sha256:{shown}"),
        shown.replace(':', " "),
        format!(
            "  {}  ",
            bare.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ")
        ),
    ];
    for fingerprint in written {
        let mut pinned = req.clone();
        pinned.settings.trusted_certificates.push(pin("localhost", port, &fingerprint));
        let rec = Recorder::default();
        let result = engine.connect(&pinned, &rec).await;
        assert!(result.is_ok(), "{fingerprint:?}: {:?}", result.err().map(|d| d.code));
    }
}

#[tokio::test]
async fn a_malformed_fingerprint_is_refused_before_connecting() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let too_long = format!("{}:CD", OTHER_FINGERPRINT);
    let not_hex = OTHER_FINGERPRINT.replacen("AB", "AG", 1);
    for malformed in ["AB:CD", too_long.as_str(), not_hex.as_str(), "", "SHA1:AB:CD"] {
        let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
        req.settings.trusted_certificates.push(pin("localhost", port, malformed));
        let rec = Recorder::default();
        let d = engine.connect(&req, &rec).await.expect_err("malformed pin");
        assert_eq!(d.code, DiagnosisCode::InvalidInput, "{malformed:?}");
        assert!(d.evidence.iter().any(|e| e == "field: sha256_fingerprint"), "{malformed:?}: {:?}", d.evidence);
        assert_eq!(tls_events(&rec), 0, "{malformed:?}: no TLS before the input is valid");
    }
}

#[tokio::test]
async fn a_pin_stored_the_old_way_still_loads_and_connects() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
    let shown = presented_fingerprint(&engine.connect(&req, &Recorder::default()).await.expect_err("untrusted"));

    // The settings JSON as the store holds it: upper-case hex separated by colons.
    let stored = format!(
        r#"{{"kind":"imap","email":"{ALICE}","incoming":{{"protocol":"imap","endpoint":{{"host":"localhost","port":{port},"security":"tls"}},"username":null,"auth":"password","allowPlaintextPassword":false}},"outgoing":null,"trustedCertificates":[{{"host":"localhost","port":{port},"sha256Fingerprint":"{shown}","subject":"CN=localhost","notAfter":"2099-01-01T00:00:00Z"}}]}}"#
    );
    req.settings = serde_json::from_str::<MailboxSettings>(&stored).expect("an old store loads");
    engine.connect(&req, &Recorder::default()).await.expect("the old pin is honoured");
    // Written back in the same form.
    let again = serde_json::to_value(&req.settings).unwrap();
    assert_eq!(again["trustedCertificates"][0]["sha256Fingerprint"], shown.as_str());
}

#[tokio::test]
async fn several_pins_for_one_server_accept_any_of_them() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
    let shown = presented_fingerprint(&engine.connect(&req, &Recorder::default()).await.expect_err("untrusted"));

    // The other pin comes first: the first pin found for the host must not decide alone.
    req.settings.trusted_certificates = vec![pin("localhost", port, OTHER_FINGERPRINT), pin("localhost", port, &shown)];
    engine.connect(&req, &Recorder::default()).await.expect("one of the pins is the certificate");

    // None of them: refused as changed, and every trusted fingerprint is named.
    req.settings.trusted_certificates = vec![pin("localhost", port, OTHER_FINGERPRINT)];
    let d = engine.connect(&req, &Recorder::default()).await.expect_err("changed");
    assert_eq!(d.code, DiagnosisCode::CertificateChanged);
    assert_eq!(d.trusted_fingerprint.as_deref(), Some(OTHER_FINGERPRINT));
}

/// An engine that reaches `imap.example.test` (any port) at 127.0.0.1, as `--connect-to` does.
fn engine_reaching_example_test(data_dir: &std::path::Path, connect_to_host: &str) -> Engine {
    Engine::new(EngineConfig {
        data_dir: Some(data_dir.to_path_buf()),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-{}", std::process::id()),
        connect_to: vec![ConnectTo { host: connect_to_host.into(), port: 0, to_host: "127.0.0.1".into(), to_port: 0 }],
        ..Default::default()
    })
    .expect("engine")
}

#[tokio::test]
async fn a_trailing_dot_does_not_skip_the_pin() {
    // The server's certificate is one the test CA vouches for: without the pin it would connect.
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_reaching_example_test(dir.path(), "imap.example.test");
    let port = server.imaps_port();
    for host in ["imap.example.test.", "IMAP.Example.Test."] {
        let mut req = request(ALICE, ALICE_PASSWORD, host, port, Security::Tls);
        req.settings.trusted_certificates.push(pin("imap.example.test", port, OTHER_FINGERPRINT));
        let d = engine.connect(&req, &Recorder::default()).await.expect_err("the pin applies to host.");
        assert_eq!(d.code, DiagnosisCode::CertificateChanged, "{host}");
    }
    // And the other way round: a pin written with the dot applies to the name without it.
    let mut req = request(ALICE, ALICE_PASSWORD, "imap.example.test", port, Security::Tls);
    req.settings.trusted_certificates.push(pin("Imap.Example.Test.", port, OTHER_FINGERPRINT));
    let d = engine.connect(&req, &Recorder::default()).await.expect_err("the pin applies to host");
    assert_eq!(d.code, DiagnosisCode::CertificateChanged);
}

#[tokio::test]
async fn a_connect_to_entry_with_a_trailing_dot_redirects_the_host() {
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // imap.example.test resolves nowhere: only the redirect reaches the server.
    let engine = engine_reaching_example_test(dir.path(), "IMAP.example.test.");
    let req = request(ALICE, ALICE_PASSWORD, "imap.example.test", server.imaps_port(), Security::Tls);
    engine.connect(&req, &Recorder::default()).await.expect("redirected");
}

#[tokio::test]
async fn a_self_signed_ca_certificate_can_be_trusted_by_its_fingerprint() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::SelfSignedCa, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
    let refused = engine.connect(&req, &Recorder::default()).await.expect_err("self-signed");
    assert_eq!(refused.code, DiagnosisCode::CertificateUntrusted, "{:?}", refused.evidence);
    let cert = refused.certificate.as_ref().expect("the certificate is shown");
    assert!(cert.self_signed);
    assert!(cert.subject.contains("localhost"), "{}", cert.subject);
    assert!(cert.names.iter().any(|n| n == "localhost"));

    req.settings.trusted_certificates.push(pin("localhost", port, &cert.sha256_fingerprint));
    engine.connect(&req, &Recorder::default()).await.expect("trusted by its fingerprint");
}

/// A TLS server on [::1] that presents `kind` and then closes: enough to reach the certificate.
async fn tls_server_on_ipv6_loopback(kind: CertKind) -> u16 {
    let (cert_path, key_path) = pki().cert(kind);
    let certs: Vec<_> =
        rustls_pemfile::certs(&mut std::fs::read(cert_path).unwrap().as_slice()).collect::<Result<_, _>>().unwrap();
    let key = rustls_pemfile::private_key(&mut std::fs::read(key_path).unwrap().as_slice()).unwrap().unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("[::1]:0").await.expect("IPv6 loopback");
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let _ = acceptor.accept(tcp).await;
        }
    });
    port
}

#[tokio::test]
async fn an_ipv6_server_is_shown_in_brackets() {
    let port = tls_server_on_ipv6_loopback(CertKind::Untrusted).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let rec = Recorder::default();
    let d = engine
        .connect(&request(ALICE, ALICE_PASSWORD, "::1", port, Security::Tls), &rec)
        .await
        .expect_err("self-signed");
    assert_eq!(d.code, DiagnosisCode::CertificateUntrusted);
    let shown = format!("[::1]:{port}");
    assert!(d.what_happened.contains(&shown), "{}", d.what_happened);
    let targets: Vec<_> = rec.events().into_iter().filter(|e| e.stage == Stage::Tls).filter_map(|e| e.target).collect();
    assert!(!targets.is_empty());
    assert!(targets.iter().all(|t| *t == shown), "{targets:?}");
}
