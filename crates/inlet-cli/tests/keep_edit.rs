//! Changing a saved mailbox from the terminal (folders, edit) and the administrator's policy
//! refusing to add one: against a real Dovecot and a private keychain.

mod common;

use common::Cli;
use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};

const ALICE: &str = "alice@example.test";
const PASSWORD: &str = "wonderland-42";

#[test]
fn folders_edit_and_a_policy_that_refuses_adding() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let server = Dovecot::start(&pki, DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    let config = dir.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": dir.path().join("data"),
            "keychainService": format!("inlet-cli-edit-test-{}", std::process::id()),
            "extraCaFiles": [pki.ca_pem_path()],
            "policyFile": policy,
        })
        .to_string(),
    )
    .unwrap();
    let cli = Cli { config: config.to_str().unwrap().to_owned(), env: keychain.env() };
    let port = server.imaps_port().to_string();
    let add = ["add", "--email", ALICE, "--host", "localhost", "--port", &port, "--password-stdin"];

    // The administrator does not allow adding: refused, with the article's words.
    std::fs::write(&policy, r#"{"mailboxes": {"allowAdding": false}}"#).unwrap();
    let (code, v) = cli.json(&add, &format!("{PASSWORD}\n"));
    assert_eq!((code, &v["diagnosis"]["code"]), (1, &serde_json::json!("policy_forbids")), "{v}");
    assert_eq!(
        v["diagnosis"]["whatHappened"],
        "Your administrator has not allowed adding mailboxes. Ask them for help."
    );
    std::fs::remove_file(&policy).unwrap();
    let (code, stdout, stderr) = cli.run(&add, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    // Folders: the server's list, then a new selection checked against it.
    let (code, stdout, stderr) = cli.run(&["folders", "1", "--load"], "");
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("* Archive (")), "chosen at add: {stdout}");
    let (code, v) = cli.json(&["folders", "1", "--set", "INBOX,Sent", "--set", "Archive"], "");
    assert_eq!(code, 0, "{v}");
    let chosen: Vec<&str> =
        v["mailbox"]["folders"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(chosen, ["INBOX", "Sent", "Archive"]);
    let (code, v) = cli.json(&["folders", "1", "--set", "Nowhere"], "");
    assert_eq!((code, &v["diagnosis"]["code"]), (1, &serde_json::json!("invalid_input")), "{v}");
    let (code, stdout, _) = cli.run(&["folders", "1"], "");
    assert_eq!((code, stdout.as_str()), (0, "INBOX\nSent\nArchive\n"));

    // Edit: a port where nothing listens is refused and changes nothing; STARTTLS on 143 works.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let (code, v) = cli.json(&["edit", "1", "--port", &closed], "");
    assert_eq!((code, &v["diagnosis"]["code"]), (1, &serde_json::json!("connection_refused")), "{v}");
    let (_, v) = cli.json(&["status", "1"], "");
    assert_eq!(v["mailbox"]["settings"]["incoming"]["endpoint"]["port"], server.imaps_port());
    let plain = server.imap_port().to_string();
    let (code, v) = cli.json(&["edit", "1", "--port", &plain, "--security", "starttls"], "");
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["mailbox"]["settings"]["incoming"]["endpoint"]["port"], server.imap_port());
    assert_eq!(v["mailbox"]["settings"]["incoming"]["endpoint"]["security"], "starttls");
    let (code, _, _) = cli.run(&["remove", "1", "--erase"], "");
    assert_eq!(code, 0);
}
