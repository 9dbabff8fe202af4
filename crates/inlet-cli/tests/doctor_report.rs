//! `inlet-cli doctor` and `inlet-cli report` against real servers on 127.0.0.1: the diagnosis,
//! the help-desk report in Markdown and JSON, the exit codes, and never the password.

mod common;

use common::run_with_env;
use inlet_testkit::{Dovecot, DovecotOptions, TestPki};

const CANARY_PASSWORD: &str = "canary-Pa55-cli-91c2";

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    run_with_env(args, stdin, &[])
}

fn one_json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("one JSON document ({e}): {stdout}"))
}

#[test]
fn doctor_with_a_wrong_password_prints_the_diagnosis_and_the_report_and_exits_1() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let args =
        ["doctor", "alice@example.test", "--host", "localhost", "--port", &port, "--password-stdin", "--ca-file", &ca];
    let (code, stdout, stderr) = run(&args, &format!("{CANARY_PASSWORD}\n"));
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("(code: authentication_failed)"), "the diagnosis on stderr: {stderr}");
    assert!(stderr.contains("Signing in"), "progress on stderr: {stderr}");
    for expected in ["# Inlet help-desk report", "| Signing in |", "- Greeting: ", "with PLAIN: refused", "- OS: "] {
        assert!(stdout.contains(expected), "{expected:?} missing from the report:\n{stdout}");
    }
    assert!(!stdout.contains(CANARY_PASSWORD) && !stderr.contains(CANARY_PASSWORD));

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, stdout, stderr) = run(&json_args, &format!("{CANARY_PASSWORD}\n"));
    assert_eq!(code, 1, "{stderr}");
    let v = one_json(&stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], "authentication_failed");
    assert_eq!(v["diagnosis"]["code"], "authentication_failed");
    assert_eq!(v["report"]["attempts"][0]["signIn"][0]["result"], "refused");
    assert!(v["report"]["attempts"][0]["stages"].as_array().is_some_and(|s| s.len() >= 5), "{v}");
    assert!(!stdout.contains(CANARY_PASSWORD));

    // Masked: the address and the host are not in the document.
    json_args.push("--mask");
    let (code, stdout, _) = run(&json_args, &format!("{CANARY_PASSWORD}\n"));
    assert_eq!(code, 1);
    assert!(!stdout.contains("alice@example.test") && !stdout.contains("example.test"), "{stdout}");
    assert_eq!(one_json(&stdout)["report"]["masked"], true);

    // Without a password: the servers are reached, nothing is signed in, and that is a success.
    let (code, stdout, stderr) =
        run(&["doctor", "alice@example.test", "--host", "localhost", "--port", &port, "--ca-file", &ca], "");
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Checked: connected without signing in"), "{stdout}");
    assert!(!stdout.contains("Sign-in tried"), "{stdout}");
}

/// No --host: discovery finds the server (through --dns and --connect-to), its trace is in the
/// report, and the sign-in is checked there.
#[test]
fn doctor_discovers_the_settings_with_the_redirection_options() {
    use inlet_testkit::{DnsRecords, Dnsmasq};
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let dns = Dnsmasq::start(DnsRecords::default().a("imap.example.test", [127, 0, 0, 1].into()).srv(
        "_imaps._tcp.example.test",
        "imap.example.test",
        993,
        0,
        1,
    ))
    .unwrap();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let dns_addr = dns.addr().to_string();
    let imap_to = format!("imap.example.test:993:127.0.0.1:{}", server.imaps_port());
    // Nothing answers HTTP here: the ISPDB is a closed port, so the web sources fail fast.
    let ispdb = format!("https://127.0.0.1:{}/v1.1/", inlet_testkit::faults::closed_port());
    let args = [
        "doctor",
        "alice@example.test",
        "--password-stdin",
        "--dns",
        &dns_addr,
        "--ispdb-url",
        &ispdb,
        "--ca-file",
        &ca,
        "--connect-to",
        &imap_to,
        "--json",
    ];
    let (code, stdout, stderr) = run(&args, "wonderland-42\n");
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let v = one_json(&stdout);
    assert_eq!(v["ok"], true);
    assert!(v["code"].is_null());
    assert_eq!(v["report"]["settings"]["incoming"]["endpoint"]["host"], "imap.example.test", "{v}");
    let trace = v["report"]["discovery"].as_array().expect("the discovery trace");
    assert!(trace.iter().any(|t| t["query"].as_str().is_some_and(|q| q.contains("_imaps._tcp.example.test"))), "{v}");
    assert_eq!(v["report"]["attempts"][0]["signIn"][0]["result"], "accepted", "{v}");
    assert!(!stdout.contains("wonderland-42"));
}

/// A refused port with the reachability check set up by --config (the server's HTTPS port
/// answers, every other is closed): the diagnosis says the port is blocked, in JSON too.
#[test]
fn doctor_tells_a_blocked_port_with_the_configured_reachability_check() {
    let https = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let https_port = https.local_addr().unwrap().port();
    let closed = inlet_testkit::faults::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": dir.path().join("data"),
            "reachability": { "referenceHosts": [], "deadline": 2000 },
        })
        .to_string(),
    )
    .unwrap();
    let to_https = format!("mail.example.test:443:127.0.0.1:{https_port}");
    let to_nothing = format!("mail.example.test:0:127.0.0.1:{closed}");
    let args = [
        "doctor",
        "alice@example.test",
        "--host",
        "mail.example.test",
        "--config",
        config.to_str().unwrap(),
        "--connect-to",
        &to_https,
        "--connect-to",
        &to_nothing,
        "--timeout",
        "3",
    ];
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stderr.contains("(code: connection_refused)"), "{stderr}");
    assert!(stderr.contains("blocks port 993"), "{stderr}");
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, stdout, _) = run(&json_args, "");
    assert_eq!(code, 1);
    let v = one_json(&stdout);
    assert_eq!(v["code"], "connection_refused");
    assert_eq!(v["diagnosis"]["reachability"]["verdict"], "port_blocked", "{v}");
}

/// `report` checks a saved mailbox again with the password in the keychain: the report of a
/// working mailbox exits 0; once its server is gone, the report says so and exits 1; the
/// password is in neither.
#[test]
fn report_of_a_saved_mailbox_checks_it_again_and_never_shows_its_password() {
    use inlet_core::account::{
        AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, Security, ServerSettings,
    };
    use inlet_core::secrets::Credentials;
    use inlet_core::{Engine, EngineConfig, SaveRequest};

    let keychain = inlet_testkit::Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let pki = TestPki::generate();
    let users = vec![("alice@example.test".to_owned(), CANARY_PASSWORD.to_owned())];
    let server = Dovecot::start(&pki, DovecotOptions { users, ..Default::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let service = format!("inlet-cli-report-test-{}", std::process::id());
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": data,
            "keychainService": service,
            "extraCaFiles": [pki.ca_pem_path()],
            "reachability": { "referenceHosts": [], "deadline": 1000 },
        })
        .to_string(),
    )
    .unwrap();
    let engine = Engine::new(EngineConfig {
        data_dir: Some(data.clone()),
        keychain_service: service.clone(),
        extra_ca_files: vec![pki.ca_pem_path().to_path_buf()],
        ..Default::default()
    })
    .unwrap();
    let settings = MailboxSettings {
        kind: MailboxKind::Imap,
        email: "alice@example.test".parse().unwrap(),
        incoming: IncomingServer::Imap(ServerSettings {
            endpoint: Endpoint { host: "localhost".into(), port: server.imaps_port(), security: Security::Tls },
            username: None,
            auth: AuthMethod::Password,
            allow_plaintext_password: false,
        }),
        outgoing: None,
        trusted_certificates: Vec::new(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let saved = runtime
        .block_on(engine.save_mailbox(
            &SaveRequest {
                settings,
                folders: Vec::new(),
                credentials: Credentials::password(CANARY_PASSWORD),
                outgoing_credentials: None,
            },
            &inlet_core::progress::NoProgress,
        ))
        .expect("saved");
    let id = saved.id.to_string();
    let config = config.to_str().unwrap().to_owned();
    let env = keychain.env();

    let (code, stdout, stderr) = run_with_env(&["report", &id, "--config", &config], "", &env);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("# Inlet help-desk report") && stdout.contains("with PLAIN: accepted"), "{stdout}");
    assert!(!stdout.contains(CANARY_PASSWORD) && !stderr.contains(CANARY_PASSWORD));

    // By address, as JSON, once the server is gone.
    drop(server);
    let (code, stdout, stderr) =
        run_with_env(&["report", "ALICE@example.test", "--config", &config, "--json", "--mask"], "", &env);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let v = one_json(&stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["code"], "connection_refused", "{v}");
    assert_eq!(v["report"]["masked"], true);
    assert!(!stdout.contains("alice@example.test") && !stdout.contains(CANARY_PASSWORD), "{stdout}");

    // --markdown wins over --json.
    let (code, stdout, _) = run_with_env(&["report", &id, "--config", &config, "--json", "--markdown"], "", &env);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("# Inlet help-desk report"), "{stdout}");

    // No such mailbox: the diagnosis, exit 1.
    let (code, _, stderr) = run_with_env(&["report", "nobody@example.test", "--config", &config], "", &env);
    assert_eq!(code, 1);
    assert!(stderr.contains("No saved mailbox has this address"), "{stderr}");
}

#[test]
fn doctor_checks_the_outgoing_server_given_with_the_smtp_options() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let smtp = inlet_testkit::SmtpServer::start(&pki, inlet_testkit::SmtpOptions::default()).unwrap();
    let (port, smtp_port) = (server.imaps_port().to_string(), smtp.smtps_port().to_string());
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let password = "wonderland-42\n";
    let args = [
        "doctor",
        "alice@example.test",
        "--host",
        "localhost",
        "--port",
        &port,
        "--smtp-host",
        "localhost",
        "--smtp-port",
        &smtp_port,
        "--smtp-security",
        "tls",
        "--password-stdin",
        "--ca-file",
        &ca,
    ];
    let (code, stdout, stderr) = run(&args, password);
    assert_eq!(code, 0, "both servers accept alice:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("localhost:{smtp_port}")), "the outgoing attempt in the report:\n{stdout}");

    // The outgoing server refuses another login name: the diagnosis is the outgoing server's.
    let mut as_bob = args.to_vec();
    as_bob.extend(["--smtp-username", "bob", "--json"]);
    let (code, stdout, stderr) = run(&as_bob, password);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let v = one_json(&stdout);
    assert_eq!((&v["code"], &v["diagnosis"]["side"]), (&"authentication_failed".into(), &"outgoing".into()), "{v}");
    assert!(!stdout.contains("wonderland-42") && !stderr.contains("wonderland-42"));
}
