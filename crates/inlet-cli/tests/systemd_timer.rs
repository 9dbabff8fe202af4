//! The systemd user timer that runs `inlet-cli check --all --due` without the window open
//! (packaging/systemd): systemd's own checker accepts both units with this build's inlet-cli
//! in place, and the command they run works.

use std::path::{Path, PathBuf};
use std::process::Command;

fn units() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/systemd")
}

const INSTALLED_CLI: &str = "%h/.cargo/bin/inlet-cli";

/// `ExecStart` of the service: the installed inlet-cli and its arguments.
fn exec_start(service: &str) -> Vec<String> {
    let line = service.lines().find_map(|l| l.strip_prefix("ExecStart=")).expect("an ExecStart line");
    line.split_whitespace().map(str::to_owned).collect()
}

#[test]
fn systemd_accepts_the_units_and_their_command_runs() {
    let service = std::fs::read_to_string(units().join("inlet-check.service")).unwrap();
    let timer = std::fs::read_to_string(units().join("inlet-check.timer")).unwrap();
    let command = exec_start(&service);
    assert_eq!(command, [INSTALLED_CLI, "check", "--all", "--due"]);
    assert!(timer.contains("Unit=inlet-check.service") && timer.contains("WantedBy=timers.target"));

    // The command itself, against an empty store: nothing due, exit 0.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(&config, serde_json::json!({ "dataDir": dir.path().join("data"), "policyFile": null }).to_string())
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(&command[1..])
        .args(["--json", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!({"ok": true, "checks": []}));

    // systemd's checker (package systemd, on every Debian machine that boots with systemd):
    // it also refuses an ExecStart that is not executable, so this build's inlet-cli stands in
    // for the installed one.
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("systemd-analyze is not installed: only the units' command was checked");
        return;
    }
    std::fs::write(
        dir.path().join("inlet-check.service"),
        service.replace(INSTALLED_CLI, env!("CARGO_BIN_EXE_inlet-cli")),
    )
    .unwrap();
    std::fs::write(dir.path().join("inlet-check.timer"), &timer).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .args([dir.path().join("inlet-check.service"), dir.path().join("inlet-check.timer")])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    // Unknown keys and bad values are only warnings to systemd: none is accepted here.
    assert!(!said.contains("ignoring") && !said.contains("Unknown"), "{said}");
}
