//! Certificate trust and no silent downgrade, against a real Dovecot: an untrusted certificate is
//! shown, pinned by the user's choice, accepted for that host and port only, and a changed
//! certificate is refused. A server without STARTTLS never sees the password.

mod common;

use common::*;
use inlet_core::account::{Security, TrustedCertificate};
use inlet_core::DiagnosisCode;
use inlet_testkit::{CaptureProxy, CertKind, Dovecot, DovecotOptions};

fn trust(d: &inlet_core::Diagnosis, port: u16) -> TrustedCertificate {
    let c = d.certificate.as_ref().expect("the diagnosis shows the certificate");
    TrustedCertificate {
        host: "localhost".into(),
        port,
        sha256_fingerprint: c.sha256_fingerprint.clone(),
        subject: c.subject.clone(),
        not_after: c.not_after.clone(),
    }
}

#[tokio::test]
async fn untrusted_then_pinned_then_changed() {
    let mut server = Dovecot::start(pki(), DovecotOptions { cert: CertKind::Untrusted, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let port = server.imaps_port();
    let mut req = request(ALICE, ALICE_PASSWORD, "localhost", port, Security::Tls);

    let refused = engine.connect(&req, &Recorder::default()).await.expect_err("untrusted");
    assert_eq!(refused.code, DiagnosisCode::CertificateUntrusted);

    // The user trusts exactly this certificate: the same server now connects.
    req.settings.trusted_certificates.push(trust(&refused, port));
    let rec = Recorder::default();
    engine.connect(&req, &rec).await.expect("pinned certificate accepted");
    assert!(rec
        .events()
        .iter()
        .any(|e| e.detail.as_deref().is_some_and(|d| d.contains("the certificate you trusted"))));

    // The pin is for this host and port only: the STARTTLS port with the same certificate is
    // still refused.
    let mut other_port = req.clone();
    other_port.settings.incoming.settings_mut().endpoint = inlet_core::account::Endpoint {
        host: "localhost".into(),
        port: server.imap_port(),
        security: Security::Starttls,
    };
    let d = engine.connect(&other_port, &Recorder::default()).await.expect_err("pin does not carry over");
    assert_eq!(d.code, DiagnosisCode::CertificateUntrusted);

    // The server's certificate changes, even to one a trusted CA signed: refused, never re-trusted.
    server.swap_cert(pki(), CertKind::ValidAlt).unwrap();
    let changed = engine.connect(&req, &Recorder::default()).await.expect_err("changed certificate refused");
    assert_eq!(changed.code, DiagnosisCode::CertificateChanged);
    // The fingerprint trusted before comes with it, to compare (and for the technician's evidence).
    assert_eq!(
        changed.trusted_fingerprint.as_deref(),
        Some(req.settings.trusted_certificates[0].sha256_fingerprint.as_str())
    );
    let new_cert = changed.certificate.expect("the new certificate is shown");
    assert_ne!(new_cert.sha256_fingerprint, req.settings.trusted_certificates[0].sha256_fingerprint);
    assert!(changed.evidence.iter().any(|e| e.contains(&req.settings.trusted_certificates[0].sha256_fingerprint)));
}

#[tokio::test]
async fn a_server_without_starttls_never_sees_the_password() {
    let server = Dovecot::start(pki(), DovecotOptions { starttls: false, ..Default::default() }).unwrap();
    let proxy = CaptureProxy::start(server.imap_addr());
    let dir = tempfile::tempdir().unwrap();
    let d = engine(dir.path())
        .connect(&request(ALICE, ALICE_PASSWORD, "localhost", proxy.port(), Security::Starttls), &Recorder::default())
        .await
        .expect_err("no STARTTLS, no sign-in");
    assert_eq!(d.code, DiagnosisCode::StarttlsNotOffered);
    let sent = String::from_utf8_lossy(&proxy.client_bytes()).to_string();
    assert!(!sent.contains(ALICE_PASSWORD), "password crossed the wire: {sent:?}");
    assert!(
        !sent.to_ascii_uppercase().contains("LOGIN") && !sent.to_ascii_uppercase().contains("AUTHENTICATE"),
        "{sent:?}"
    );
    use base64::Engine as _;
    let plain = base64::engine::general_purpose::STANDARD.encode(format!("\0{ALICE}\0{ALICE_PASSWORD}"));
    assert!(!sent.contains(&plain));
}
