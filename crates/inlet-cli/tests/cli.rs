//! The CLI against a real Dovecot: the same engine, printed for a technician or a script.

use inlet_testkit::{Dovecot, DovecotOptions, TestPki};
use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], password: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn connect_prints_progress_and_the_folder_tree() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions { extra_folders: vec!["Projets/Réunions".into()], ..Default::default() }).unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let args = ["connect", "--email", "alice@example.test", "--host", "localhost", "--port", &port, "--security", "tls", "--password-stdin", "--ca-file", &ca];
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
    let args = ["connect", "--email", "alice@example.test", "--host", "localhost", "--port", &port, "--password-stdin", "--ca-file", &ca];
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
}

#[test]
fn an_untrusted_certificate_is_printed_with_its_fingerprint() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions { cert: inlet_testkit::CertKind::Untrusted, ..Default::default() }).unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let (code, _, stderr) = run(
        &["connect", "--email", "alice@example.test", "--host", "localhost", "--port", &port, "--password-stdin", "--ca-file", &ca],
        "wonderland-42",
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("SHA-256"), "{stderr}");
    assert!(stderr.contains("certificate_untrusted"));
}
