//! TLS sessions resume between connections of one engine: checking many mailboxes on one server
//! pays the full handshake (certificate chain, the server's signature) once, not per mailbox. A
//! session is resumed only under the same trust: a pinned certificate never resumes a session
//! that a CA vouched for. Against the real Dovecot, in its high-performance mode (one long-lived
//! login process, which keeps its session ticket key).

mod common;

use common::pki;
use inlet_core::account::TrustedCertificate;
use inlet_core::certificate::Sha256Fingerprint;
use inlet_core::net::{connect_tcp, tls_handshake, Network};
use inlet_core::progress::{NoProgress, Progress};
use inlet_core::Deadlines;
use inlet_testkit::{Dovecot, DovecotOptions};
use rustls::HandshakeKind;
use tokio::io::AsyncReadExt;

/// One connection to Dovecot's IMAPS port: the handshake's kind and the server's certificate.
async fn connect(network: &Network, port: u16, trusted: &[TrustedCertificate]) -> (HandshakeKind, Vec<u8>) {
    let deadlines = Deadlines::default();
    let progress = Progress::new(&NoProgress);
    let (tcp, _) = connect_tcp(network, "localhost", port, &deadlines, &progress).await.expect("connects");
    let mut tls =
        tls_handshake(tcp, "localhost", port, network, trusted, &deadlines, &progress).await.expect("TLS handshake");
    // TLS 1.3 tickets come after the handshake (RFC 8446 section 4.6.1): reading the greeting
    // is what makes rustls take them, as every IMAP client does.
    let mut greeting = [0u8; 4];
    tls.read_exact(&mut greeting).await.expect("the greeting");
    assert_eq!(&greeting, b"* OK");
    let (_, conn) = tls.get_ref();
    let certificate = conn.peer_certificates().expect("the server's certificate")[0].to_vec();
    (conn.handshake_kind().expect("handshake done"), certificate)
}

#[tokio::test]
async fn the_second_connection_to_a_server_resumes_its_tls_session() {
    let server = Dovecot::start(pki(), DovecotOptions { login_processes: 1, ..Default::default() }).expect("dovecot");
    let network = Network::new(&[pki().ca_pem_path()]).expect("network");
    let (first, _) = connect(&network, server.imaps_port(), &[]).await;
    assert_eq!(first, HandshakeKind::Full);
    for _ in 0..3 {
        let (again, _) = connect(&network, server.imaps_port(), &[]).await;
        assert_eq!(again, HandshakeKind::Resumed, "a later connection of the same engine resumes");
    }
    // Another engine (another trust) starts over.
    let other = Network::new(&[pki().ca_pem_path()]).expect("network");
    assert_eq!(connect(&other, server.imaps_port(), &[]).await.0, HandshakeKind::Full);
}

#[tokio::test]
async fn a_pinned_certificate_never_resumes_a_session_a_ca_vouched_for() {
    let server = Dovecot::start(pki(), DovecotOptions { login_processes: 1, ..Default::default() }).expect("dovecot");
    let port = server.imaps_port();
    let network = Network::new(&[pki().ca_pem_path()]).expect("network");
    let (first, certificate) = connect(&network, port, &[]).await;
    assert_eq!(first, HandshakeKind::Full);
    let pin = TrustedCertificate {
        host: "localhost".into(),
        port,
        sha256_fingerprint: Sha256Fingerprint::of(&certificate).to_string(),
        subject: "CN=localhost".into(),
        not_after: "2099-01-01T00:00:00Z".into(),
    };
    // The pin is checked on a full handshake of its own, then its sessions resume among themselves.
    assert_eq!(connect(&network, port, std::slice::from_ref(&pin)).await.0, HandshakeKind::Full);
    assert_eq!(connect(&network, port, std::slice::from_ref(&pin)).await.0, HandshakeKind::Resumed);
    assert_eq!(connect(&network, port, &[]).await.0, HandshakeKind::Resumed);
}
