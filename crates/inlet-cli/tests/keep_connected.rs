//! The commands that keep saved mailboxes connected, run as a technician or a timer would:
//! against a real Dovecot and a private keychain, with the app's configuration file.

#[path = "../../inlet-core/tests/keychain_entries/mod.rs"]
mod keychain_entries;

mod common;

use common::Cli;
use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};

const ALICE: &str = "alice@example.test";
const PASSWORD: &str = "wonderland-42";
const NEW_PASSWORD: &str = "looking-glass-77";

#[test]
fn check_disable_update_password_rename_reconnect_status_and_remove_from_the_terminal() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let mut server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let service = format!("inlet-cli-keep-test-{}", std::process::id());
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": dir.path().join("data"),
            "keychainService": service,
            "extraCaFiles": [pki.ca_pem_path()],
            "policyFile": dir.path().join("policy.json"),
        })
        .to_string(),
    )
    .unwrap();
    // The administrator lets incoming fail twice in a row at most.
    std::fs::write(dir.path().join("policy.json"), r#"{"errorThresholds": {"incoming": 2}}"#).unwrap();
    let cli = Cli { config: config.to_str().unwrap().to_owned(), env: keychain.env() };
    let port = server.imaps_port().to_string();

    let add = ["add", "--email", ALICE, "--host", "localhost", "--port", &port, "--password-stdin"];
    let (code, stdout, stderr) = cli.run(&add, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Saved as mailbox #1"), "{stdout}");

    let (code, v) = cli.json(&["check", "1"], "");
    assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)), "{v}");
    assert_eq!(v["checks"][0]["sides"][0]["outcome"], "success");
    assert_eq!(v["checks"][0]["status"]["badge"], "working");

    // The password changes on the server: the timer's run counts, then disables.
    server.set_password(ALICE, NEW_PASSWORD).unwrap();
    let (code, v) = cli.json(&["check", "--all", "--due"], "");
    assert_eq!((code, &v["checks"][0]["status"]["consecutiveErrors"]), (1, &serde_json::json!(1)), "{v}");
    let (code, stdout, stderr) = cli.run(&["check", "--all"], "");
    assert_eq!(code, 1);
    assert!(stdout.contains("Disabled after too many errors in a row"), "{stdout}");
    assert!(stderr.contains("(code: authentication_failed)"), "{stderr}");
    let (code, v) = cli.json(&["check", "--all"], "");
    assert_eq!((code, v["checks"].as_array().unwrap().len()), (0, 0), "a disabled mailbox is not checked: {v}");

    // A wrong new password: refused, exit 1, nothing changes.
    let (code, v) = cli.json(&["update-password", "1", "--password-stdin"], "still-wrong\n");
    assert_eq!((code, &v["diagnosis"]["code"]), (1, &serde_json::json!("authentication_failed")), "{v}");
    let (_, v) = cli.json(&["status", ALICE], "");
    assert_eq!(v["mailbox"]["status"]["badge"], "disabled");
    // The right one, by address: enabled again.
    let (code, v) = cli.json(&["update-password", ALICE, "--password-stdin"], &format!("{NEW_PASSWORD}\n"));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["mailbox"]["status"]["enabled"], true);
    assert_eq!(v["mailbox"]["status"]["consecutiveErrors"], 0);

    for (args, field, expected) in [
        (vec!["rename", "1", "Work", "--description", "The team's"], "name", serde_json::json!("Work")),
        (vec!["disable", "1"], "status", serde_json::json!(null)),
        (vec!["enable", "1"], "status", serde_json::json!(null)),
        (vec!["set-default", "1"], "isDefault", serde_json::json!(true)),
        (vec!["reconnect", "1"], "status", serde_json::json!(null)),
    ] {
        let (code, v) = cli.json(&args, "");
        assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)), "{args:?}: {v}");
        if !expected.is_null() {
            assert_eq!(v["mailbox"][field], expected, "{args:?}: {v}");
        }
    }

    let (code, stdout, _) = cli.run(&["status", "1"], "");
    assert_eq!(code, 0);
    for line in ["#1 Work <alice@example.test> (default): working", "Last modified:", "Consecutive incoming errors: 0"]
    {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    assert!(stdout.contains("incoming failed") && stdout.contains("(authentication_failed)"), "{stdout}");
    assert!(!stdout.contains(PASSWORD) && !stdout.contains(NEW_PASSWORD));

    let (code, v) = cli.json(&["remove", "1", "--erase"], "");
    assert_eq!((code, &v["ok"]), (0, &serde_json::json!(true)), "{v}");
    assert_eq!(keychain_entries::count_service(&keychain, &service), 0, "no keychain entry left");
    let (code, v) = cli.json(&["status", "1"], "");
    assert_eq!((code, &v["diagnosis"]["code"]), (1, &serde_json::json!("mailbox_not_found")), "{v}");
    let (code, _, _) = cli.run(&["update-password", "1"], "");
    assert_eq!(code, 2, "the password only on standard input");
}

/// A session without USER, LOGNAME or USERNAME (a service, a container, a bare `env -i`): the
/// mailbox is still marked as changed by the OS account, read from the user database.
#[test]
fn a_save_without_user_variables_is_marked_with_the_accounts_name() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": dir.path().join("data"),
            "keychainService": format!("inlet-cli-who-{}", std::process::id()),
            "extraCaFiles": [pki.ca_pem_path()],
            "policyFile": dir.path().join("policy.json"),
        })
        .to_string(),
    )
    .unwrap();
    let port = server.imaps_port().to_string();
    let run = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
            .args(args)
            .arg("--config")
            .arg(&config)
            .env_remove("USER")
            .env_remove("LOGNAME")
            .env_remove("USERNAME")
            .envs(keychain.env())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let add = run(
        &["add", "--email", ALICE, "--host", "localhost", "--port", &port, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let list = run(&["list", "--json"], "");
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let account = std::process::Command::new("id").arg("-un").output().unwrap();
    let account = String::from_utf8_lossy(&account.stdout).trim().to_owned();
    assert_eq!(v["mailboxes"][0]["modifiedBy"], serde_json::json!(account), "{v}");
}
