//! A trusted certificate is stored with its mailbox and can be removed later; the next connect
//! then verifies the server's certificate normally again (against a real Dovecot).

mod common;

use common::*;
use inlet_core::account::{Security, TrustedCertificate};
use inlet_core::store::Store;
use inlet_core::DiagnosisCode;
use inlet_testkit::{CertKind, Dovecot, DovecotOptions};

#[tokio::test]
async fn a_saved_pin_can_be_removed_and_then_the_certificate_is_refused_again() {
    let server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);
    let refused = engine.connect(&req, &Recorder::default()).await.expect_err("untrusted");
    let cert = refused.certificate.clone().unwrap();
    req.settings.trusted_certificates.push(TrustedCertificate {
        host: "localhost".into(),
        port,
        sha256_fingerprint: cert.sha256_fingerprint.clone(),
        subject: cert.subject.clone(),
        not_after: cert.not_after.clone(),
    });
    engine.connect(&req, &Recorder::default()).await.expect("pinned");

    // Saved with the mailbox (written to the store directly: this test is about the settings,
    // the keychain half of saving is tested in save_to_keychain.rs).
    let id = Store::open(dir.path()).unwrap().insert(&req.settings, &[], "test-account", 1).unwrap().id;
    let saved = &engine.list_mailboxes().await.unwrap()[0];
    assert_eq!(saved.settings.trusted_certificates.len(), 1);

    // Removing a pin that is not there says so and changes nothing.
    let d = engine.remove_trusted_certificate(id, "localhost", port + 1).await.expect_err("no such pin");
    assert_eq!(d.code, DiagnosisCode::InvalidInput);

    let updated = engine.remove_trusted_certificate(id, "localhost", port).await.expect("removed");
    assert!(updated.settings.trusted_certificates.is_empty());
    let reloaded = &engine.list_mailboxes().await.unwrap()[0];
    assert!(reloaded.settings.trusted_certificates.is_empty());

    // With the stored settings, the certificate is refused again.
    req.settings = reloaded.settings.clone();
    let again = engine.connect(&req, &Recorder::default()).await.expect_err("refused again");
    assert_eq!(again.code, DiagnosisCode::CertificateUntrusted);
}
