//! `--trust-fingerprint` against real servers: IMAP from Dovecot and SMTP from aiosmtpd, each with
//! its own certificate. Each fingerprint is trusted on the server that presents it, and however
//! it is written; a malformed one is refused before anything connects.

mod common;

use common::run_with_env;
use inlet_testkit::{CertKind, Dovecot, DovecotOptions, SmtpOptions, SmtpServer, TestPki};

const PASSWORD: &str = "wonderland-42";

fn run(args: &[String]) -> (i32, String, String) {
    run_with_env(args, &format!("{PASSWORD}\n"), &[])
}

struct Servers {
    pki: TestPki,
    imap: Dovecot,
    smtp: SmtpServer,
}

impl Servers {
    fn start(imap_cert: CertKind, smtp_cert: CertKind) -> Servers {
        let pki = TestPki::generate();
        let imap = Dovecot::start(&pki, DovecotOptions { cert: imap_cert, ..Default::default() }).unwrap();
        let smtp = SmtpServer::start(&pki, SmtpOptions { cert: smtp_cert, ..Default::default() }).unwrap();
        Servers { pki, imap, smtp }
    }

    /// `connect` for alice on both servers (IMAP with TLS, SMTP with STARTTLS), then `extra`.
    fn connect_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = [
            "connect",
            "--email",
            "alice@example.test",
            "--host",
            "localhost",
            "--port",
            &self.imap.imaps_port().to_string(),
            "--security",
            "tls",
            "--smtp-host",
            "localhost",
            "--smtp-port",
            &self.smtp.smtp_port().to_string(),
            "--smtp-security",
            "starttls",
            "--password-stdin",
            "--ca-file",
            self.pki.ca_pem_path().to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    /// The fingerprints the CLI prints for the incoming and outgoing certificates it refused.
    fn refused_fingerprints(&self) -> (Option<String>, Option<String>) {
        let (code, stdout, _) = run(&self.connect_args(&["--json"]));
        assert_eq!(code, 1, "{stdout}");
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        let fingerprint_on = |side: &str| {
            [&v["diagnosis"], &v["diagnosis"]["also"]]
                .into_iter()
                .find(|d| d["side"] == side)
                .and_then(|d| d["certificate"]["sha256Fingerprint"].as_str())
                .map(str::to_owned)
        };
        (fingerprint_on("incoming"), fingerprint_on("outgoing"))
    }
}

#[test]
fn two_fingerprints_trust_two_servers_with_their_own_certificates() {
    let servers = Servers::start(CertKind::Untrusted, CertKind::SelfSignedCa);
    let (incoming, outgoing) = servers.refused_fingerprints();
    let (incoming, outgoing) = (incoming.expect("incoming refused"), outgoing.expect("outgoing refused"));
    assert_ne!(incoming, outgoing);

    // Either order: each fingerprint is trusted where its certificate is presented.
    for (first, second) in [(&incoming, &outgoing), (&outgoing, &incoming)] {
        let (code, stdout, stderr) =
            run(&servers.connect_args(&["--trust-fingerprint", first, "--trust-fingerprint", second]));
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("Signed in to"), "{stdout}");
        assert!(stdout.contains("Outgoing: signed in to"), "{stdout}");
    }
}

#[test]
fn a_fingerprint_for_one_server_leaves_the_other_verified_as_usual() {
    // The outgoing server's certificate is signed by the CA given with --ca-file.
    let servers = Servers::start(CertKind::Untrusted, CertKind::Valid);
    let (incoming, outgoing) = servers.refused_fingerprints();
    assert!(outgoing.is_none(), "the outgoing certificate verifies");
    let incoming = incoming.expect("incoming refused");
    let (code, stdout, stderr) = run(&servers.connect_args(&["--trust-fingerprint", &incoming]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Outgoing: signed in to"), "{stdout}");
}

#[test]
fn a_fingerprint_is_read_however_it_is_written_and_a_malformed_one_is_refused() {
    let servers = Servers::start(CertKind::Untrusted, CertKind::Valid);
    let incoming = servers.refused_fingerprints().0.expect("incoming refused");
    let bare_lower = incoming.replace(':', "").to_ascii_lowercase();
    let (code, _, stderr) = run(&servers.connect_args(&["--trust-fingerprint", &format!("SHA256:{bare_lower}")]));
    assert_eq!(code, 0, "{stderr}");

    let (code, stdout, stderr) = run(&servers.connect_args(&["--trust-fingerprint", "AB:CD:EF"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("--trust-fingerprint"), "{stderr}");
    assert!(!stderr.contains("Connecting"), "nothing connects: {stderr}");
}
