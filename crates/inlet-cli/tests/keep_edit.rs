//! Changing a saved mailbox from the terminal (folders, edit) and the administrator's policy
//! refusing to add one: against a real Dovecot and a private keychain.

use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};
use std::io::Write;
use std::process::{Command, Stdio};

const ALICE: &str = "alice@example.test";
const PASSWORD: &str = "wonderland-42";

struct Cli {
    config: String,
    env: Vec<(String, String)>,
}

impl Cli {
    /// `inlet-cli ARGS --config FILE` with `stdin`: exit code, stdout, stderr.
    fn run(&self, args: &[&str], stdin: &str) -> (i32, String, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
            .args(args)
            .args(["--config", &self.config])
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    /// The command with --json: its exit code and its one JSON document.
    fn json(&self, args: &[&str], stdin: &str) -> (i32, serde_json::Value) {
        let mut args = args.to_vec();
        args.push("--json");
        let (code, stdout, stderr) = self.run(&args, stdin);
        let v = serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("one JSON document ({e}): {stdout}\n{stderr}"));
        (code, v)
    }
}

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
