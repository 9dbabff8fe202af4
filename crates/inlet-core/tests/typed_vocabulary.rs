//! The engine's vocabulary at its boundary: a server name that is no host name is refused
//! before any connection, with the name and the reason in words.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::DiagnosisCode;

#[tokio::test]
async fn a_server_name_that_is_no_host_name_is_refused_before_any_connection() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    for (host, reason) in [
        ("https://imap.example.test", "contains a slash"),
        ("imap.example.test:993", "is not a hostname"),
        ("alice@imap.example.test", "is not a hostname"),
    ] {
        let req = request("alice@example.test", "secret", host, 993, Security::Tls);
        let recorder = Recorder::default();
        let d = engine.connect(&req, &recorder).await.expect_err(host);
        assert_eq!(d.code, DiagnosisCode::InvalidInput, "{host}: {d:?}");
        assert!(d.what_happened.contains(host) && d.what_happened.contains(reason), "{host}: {}", d.what_happened);
        assert!(recorder.events().is_empty(), "{host}: nothing was dialled: {:?}", recorder.events());
    }
    // What was refused before still is, in the same words.
    for host in ["", "  ", "imap example.test"] {
        let req = request("alice@example.test", "secret", host, 993, Security::Tls);
        let d = engine.connect(&req, &Recorder::default()).await.expect_err(host);
        assert_eq!(d.code, DiagnosisCode::InvalidInput);
        assert!(d.what_happened.contains("Type the server name, e.g. imap.example.com."), "{}", d.what_happened);
    }
}
