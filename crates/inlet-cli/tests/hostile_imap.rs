//! The CLI against a hostile IMAP server (a small real server on 127.0.0.1): whatever the server
//! sends, a script gets a diagnosis as JSON and exit code 1, never a crash.

use inlet_testkit::faults::{HostileImap, ImapFault, ImapStep};
use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn an_overflowing_literal_gives_json_and_exit_1_not_a_panic() {
    let server = HostileImap::start(ImapFault::Literal { at: ImapStep::Status, size: u64::MAX.to_string() });
    let port = server.port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args([
            "connect",
            "--email",
            "alice@example.test",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--allow-plaintext-password",
            "--password-stdin",
            "--timeout",
            "5",
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"wonderland-42\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "stdout: {stdout}\nstderr: {stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON document");
    assert_eq!(v["diagnosis"]["code"], "protocol_error", "{v}");
    assert_eq!(v["diagnosis"]["stage"], "listing_folders", "{v}");
}
