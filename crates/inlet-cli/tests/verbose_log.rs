//! `inlet-cli -vv`: each step on standard error and in a private log file, with the address
//! masked and no password, against a real Dovecot. Without -v nothing is written to disk.

use inlet_testkit::{Dovecot, DovecotOptions, TestPki};
use std::io::Write;
use std::process::{Command, Stdio};

const PASSWORD: &str = "wonderland-42";

fn connect(extra: &[&str], port: &str, ca: &str, data_dir: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(extra)
        .args(["connect", "--email", "alice@example.test", "--host", "localhost", "--port", port])
        .args(["--password-stdin", "--ca-file", ca, "--data-dir", data_dir])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn verbose_runs_log_each_step_privately_and_without_secrets() {
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let port = server.imaps_port().to_string();
    let ca = pki.ca_pem_path().to_str().unwrap().to_owned();
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();

    let (code, _) = connect(&[], &port, &ca, data_dir);
    assert_eq!(code, 0);
    assert!(!data.path().join("logs").exists(), "a plain run wrote logs");

    let (code, stderr) = connect(&["-vv"], &port, &ca, data_dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("connect{") && stderr.contains("stage=SigningIn"), "{stderr}");
    let log = std::fs::read_to_string(data.path().join("logs").join("inlet.log")).expect("the log file");
    // Standard error also has the progress lines, which show the address to the person at the
    // terminal: only the log lines are held to masking.
    let log_lines: String = stderr.lines().filter(|l| l.contains("inlet_core")).collect::<Vec<_>>().join("\n");
    for text in [&log_lines, &log] {
        assert!(text.contains("a…@example.test"), "{text}");
        assert!(!text.contains("alice@example.test") && !text.contains(PASSWORD), "{text}");
    }
    assert!(log.contains(&format!("port={port}")) && log.contains("outcome=\"ok\""), "{log}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data.path().join("logs")), 0o700);
        assert_eq!(mode(&data.path().join("logs").join("inlet.log")), 0o600);
    }
}
