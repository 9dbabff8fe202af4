//! The CLI against a real Dovecot: the same engine, printed for a technician or a script.

mod common;

use common::run_with_env;
use inlet_testkit::{Dovecot, DovecotOptions, TestPki};

fn run(args: &[&str], password: &str) -> (i32, String, String) {
    run_with_env(args, &format!("{password}\n"), &[])
}

#[test]
fn connect_prints_progress_and_the_folder_tree() {
    let pki = TestPki::generate();
    let server =
        Dovecot::start(&pki, DovecotOptions { extra_folders: vec!["Projets/Réunions".into()], ..Default::default() })
            .unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let args = [
        "connect",
        "--email",
        "alice@example.test",
        "--host",
        "localhost",
        "--port",
        &port,
        "--security",
        "tls",
        "--password-stdin",
        "--ca-file",
        &ca,
    ];
    let (code, stdout, stderr) = run(&args, "wonderland-42");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Signing in"), "progress lines on stderr: {stderr}");
    assert!(stderr.contains(&format!("localhost:{port}")));
    assert!(stdout.contains("as alice@example.test"));
    assert!(stdout.contains("INBOX [inbox]"), "{stdout}");
    assert!(stdout.contains("Sent [sent]"));
    assert!(stdout.contains("Réunions"));

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, stdout, _) = run(&json_args, "wonderland-42");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON document");
    assert_eq!(v["ok"], true);
    assert_eq!(v["report"]["usernameUsed"], "alice@example.test");
    assert!(v["report"]["folders"]["folders"].as_array().unwrap().len() >= 6);
}

#[test]
fn a_wrong_password_prints_the_diagnosis_and_exits_1() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let args = [
        "connect",
        "--email",
        "alice@example.test",
        "--host",
        "localhost",
        "--port",
        &port,
        "--password-stdin",
        "--ca-file",
        &ca,
    ];
    let (code, _, stderr) = run(&args, "Sup3r-secret!");
    assert_eq!(code, 1);
    assert!(stderr.contains("The server did not accept the password"), "{stderr}");
    assert!(stderr.contains("authentication_failed"));
    assert!(!stderr.contains("Sup3r-secret!"));

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, stdout, _) = run(&json_args, "Sup3r-secret!");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["diagnosis"]["code"], "authentication_failed");
    assert!(!stdout.contains("Sup3r-secret!"));

    // The outgoing server refuses the same password: both diagnoses are printed.
    let smtp = inlet_testkit::SmtpServer::start(&pki, inlet_testkit::SmtpOptions::default()).unwrap();
    let smtp_port = smtp.smtps_port().to_string();
    let mut both = args.to_vec();
    both.extend(["--smtp-host", "localhost", "--smtp-port", &smtp_port, "--smtp-security", "tls"]);
    let (code, _, stderr) = run(&both, "Sup3r-secret!");
    assert_eq!(code, 1);
    assert!(stderr.contains("The server did not accept the password (incoming server)"), "{stderr}");
    assert!(stderr.contains("The server did not accept the password (outgoing server)"), "{stderr}");
    both.push("--json");
    let (_, stdout, _) = run(&both, "Sup3r-secret!");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!((&v["diagnosis"]["side"], &v["diagnosis"]["also"]["side"]), (&"incoming".into(), &"outgoing".into()));
    assert!(!stdout.contains("Sup3r-secret!"));
}

#[test]
fn an_untrusted_certificate_is_printed_with_its_fingerprint() {
    let pki = TestPki::generate();
    let server =
        Dovecot::start(&pki, DovecotOptions { cert: inlet_testkit::CertKind::Untrusted, ..Default::default() })
            .unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let (code, _, stderr) = run(
        &[
            "connect",
            "--email",
            "alice@example.test",
            "--host",
            "localhost",
            "--port",
            &port,
            "--password-stdin",
            "--ca-file",
            &ca,
        ],
        "wonderland-42",
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("SHA-256"), "{stderr}");
    assert!(stderr.contains("certificate_untrusted"));
}

/// `discover` with every lookup pointed at local servers: a DNS server, the ISPDB URL, the test
/// CA and `--connect-to` for the autoconfig host and the mail server found.
#[test]
fn discover_prints_the_proposal_and_the_trace() {
    use inlet_testkit::{DnsRecords, Dnsmasq, HttpsServer, Route};
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let dns = Dnsmasq::start(DnsRecords::default().a("imap.example.test", [127, 0, 0, 1].into())).unwrap();
    let doc = r#"<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="example.test">
      <domain>example.test</domain>
      <incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType>
        <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
      <enable visiturl="https://example.test/imap"><instruction>Switch IMAP on first.</instruction></enable>
    </emailProvider></clientConfig>"#;
    let (cert, key) = pki.issue(&["autoconfig.example.test", "example.test", "127.0.0.1"]);
    let web = HttpsServer::start_with_cert(&cert, &key, vec![Route::ok("/mail/config-v1.1.xml", "text/xml", doc)]);
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let dns_addr = dns.addr().to_string();
    let ispdb = format!("https://127.0.0.1:{}/v1.1/", web.port());
    let web_to = format!("autoconfig.example.test:443:127.0.0.1:{}", web.port());
    let imap_to = format!("imap.example.test:993:127.0.0.1:{}", server.imaps_port());
    let args = [
        "discover",
        "alice@example.test",
        "--dns",
        &dns_addr,
        "--ispdb-url",
        &ispdb,
        "--ca-file",
        &ca,
        "--connect-to",
        &web_to,
        "--connect-to",
        &imap_to,
    ];
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("The domain's configuration"), "live progress on stderr: {stderr}");
    assert!(stdout.contains("IMAP imap.example.test:993 (TLS, login alice@example.test) — from example.test's own configuration — ✓ verified"), "{stdout}");
    assert!(stdout.contains("sign-in: password"), "Dovecot offers PLAIN and LOGIN: {stdout}");
    assert!(stdout.contains("Switch IMAP on first. (https://example.test/imap)"), "{stdout}");
    assert!(
        stdout.contains("[autoconfig] GET https://autoconfig.example.test/mail/config-v1.1.xml"),
        "the trace: {stdout}"
    );
    let leaks: Vec<&str> =
        stdout.lines().filter(|l| l.contains("emailaddress=alice") || l.contains("alice%40")).collect();
    assert!(leaks.is_empty(), "the address is hidden in the trace: {leaks:?}");

    let mut json_args = args.to_vec();
    json_args.extend(["--json", "--no-probe"]);
    let (code, stdout, _) = run(&json_args, "");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON document");
    assert_eq!(v["ok"], true);
    assert_eq!(v["discovery"]["incoming"][0]["endpoint"]["host"], "imap.example.test");
    assert!(v["discovery"]["incoming"][0]["verification"].is_null(), "--no-probe: not checked");
    assert_eq!(v["discovery"]["incoming"][0]["signIn"], "password", "unchecked: what the document says");

    // Nothing anywhere: exit 1, the diagnosis, and the best guess.
    let (code, stdout, stderr) =
        run(&["discover", "bob@nowhere.test", "--dns", &dns_addr, "--ispdb-url", &ispdb, "--ca-file", &ca], "");
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("Settings not found"), "{stderr}");
    assert!(stdout.contains("imap.nowhere.test:993"), "{stdout}");
}

/// The CLI reads the address before the engine sees it: what is no address is refused with the
/// engine's diagnosis, in the same words as when the engine checked the text, and nothing is dialled.
#[test]
fn an_address_that_is_no_address_is_refused_in_words() {
    let args = ["connect", "--email", "alice@localhost", "--host", "localhost", "--port", "1", "--password-stdin"];
    let (code, _, stderr) = run(&args, "Sup3r-secret!");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("The part after @ must be a domain such as example.com."), "{stderr}");
    assert!(stderr.contains("invalid_input") && !stderr.contains("Looking up the server"), "{stderr}");

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, stdout, _) = run(&json_args, "Sup3r-secret!");
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(v["diagnosis"]["code"], "invalid_input");
    assert_eq!(v["diagnosis"]["evidence"][0], "field: email", "{v}");
}
