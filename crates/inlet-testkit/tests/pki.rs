//! Each certificate is good or bad in exactly the documented way, checked by `openssl verify`.

use std::process::Command;

use inlet_testkit::{CertKind, TestPki};

fn verify(pki: &TestPki, kind: CertKind, host: &str) -> (bool, String) {
    let out = Command::new("openssl")
        .args(["verify", "-verify_hostname", host, "-CAfile"])
        .arg(pki.ca_pem_path())
        .arg(pki.cert(kind).0)
        .output()
        .expect("openssl verify");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn certificates_fail_for_the_right_reasons() {
    let pki = TestPki::generate();
    assert!(pki.ca_pem().contains("BEGIN CERTIFICATE"));
    let subject =
        Command::new("openssl").args(["x509", "-noout", "-subject", "-in"]).arg(pki.ca_pem_path()).output().unwrap();
    assert!(String::from_utf8_lossy(&subject.stdout).contains("Inlet Test CA"));

    for host in ["localhost", "imap.example.test", "mail.example.test"] {
        for kind in [CertKind::Valid, CertKind::ValidAlt] {
            let (ok, out) = verify(&pki, kind, host);
            assert!(ok, "{kind:?} {host}: {out}");
        }
    }
    let (ok, out) = verify(&pki, CertKind::Expired, "localhost");
    assert!(!ok && out.contains("certificate has expired"), "{out}");
    let (ok, out) = verify(&pki, CertKind::WrongHost, "localhost");
    assert!(!ok && out.contains("hostname mismatch"), "{out}");
    let (ok, out) = verify(&pki, CertKind::WrongHost, "other-host.invalid");
    assert!(ok, "{out}");
    let (ok, out) = verify(&pki, CertKind::Untrusted, "localhost");
    assert!(!ok && out.contains("self-signed"), "{out}");
    let (ok, out) = verify(&pki, CertKind::SelfSignedCa, "localhost");
    assert!(!ok && out.contains("self-signed"), "{out}");
    let text = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(pki.cert(CertKind::SelfSignedCa).0)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("CA:TRUE"), "marked as a CA");

    // Keys differ between the two valid certificates; key files are PKCS#8 PEM (rustls reads them).
    let key = |k| std::fs::read_to_string(pki.cert(k).1).unwrap();
    assert_ne!(key(CertKind::Valid), key(CertKind::ValidAlt));
    assert!(key(CertKind::Valid).starts_with("-----BEGIN PRIVATE KEY-----"));
    // Two PKIs are independent.
    assert_ne!(TestPki::generate().ca_pem(), pki.ca_pem());
}
