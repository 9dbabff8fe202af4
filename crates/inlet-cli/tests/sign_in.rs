//! `inlet-cli add --sign-in browser` end to end: the test authorization server (Microsoft's
//! URL shapes, reached through --connect-to and --ca-file), the `oauth-browser` command as the
//! browser (from the config file), Dovecot checking the token, a private keychain. The mailbox
//! is saved with its grant, `list` shows it, and the refresh token (the canary) is in no
//! output, log or file under the data directory.

use inlet_core::secrets::Keychain as EngineKeychain;
use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Style};
use inlet_testkit::{Dovecot, DovecotOAuth2, DovecotOptions, Keychain, TestPki};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const ALICE: &str = "alice@example.test";

fn test_servers() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("inlet-test-servers");
    assert!(bin.exists(), "build it first: cargo build -p inlet-testkit --bin inlet-test-servers");
    bin
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn add_with_browser_sign_in_saves_the_grant_and_no_token_leaks() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = Dovecot::start(
        &pki,
        DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&server)), ..Default::default() },
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("config.json");
    let service = format!("inlet-cli-oauth-{}", std::process::id());
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": data,
            "keychainService": service,
            "policyFile": null,
            "oauth": { "microsoftClientId": server.client_id() },
            "browserCommand": [
                test_servers(), "oauth-browser", "--user", ALICE,
                "--ca", pki.ca_pem_path(), "--server", format!("127.0.0.1:{}", server.port())
            ],
        })
        .to_string(),
    )
    .unwrap();
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
            .args(["--config", config.to_str().unwrap(), "--ca-file", pki.ca_pem_path().to_str().unwrap()])
            .args(["--connect-to", &format!("login.microsoftonline.com:443:127.0.0.1:{}", server.port())])
            .args(args)
            .env("XDG_CONFIG_HOME", home.path())
            .env_remove("INLET_CONFIG")
            .envs(keychain.env())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let port = mail.imaps_port().to_string();
    let (code, stdout, stderr) = cli(&[
        "--json",
        "-vv",
        "add",
        "--email",
        ALICE,
        "--host",
        "localhost",
        "--port",
        &port,
        "--sign-in",
        "browser",
        "--issuer",
        "microsoft",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?"), "{stderr}");
    let mailbox = stdout.lines().last().unwrap();
    let saved: serde_json::Value = serde_json::from_str(mailbox).unwrap();
    let entry = saved["mailbox"]["grant"]["refreshTokenEntry"].as_str().expect("a grant").to_owned();
    assert_eq!(saved["mailbox"]["grant"]["issuer"], "https://login.microsoftonline.com/common/v2.0");

    let (code, listed, _) = cli(&["list"]);
    assert_eq!(code, Some(0));
    assert!(listed.contains("signs in with the browser at https://login.microsoftonline.com/common/v2.0"), "{listed}");

    let canary =
        EngineKeychain::new(service.clone(), Duration::from_secs(20)).read(&entry).await.expect("in the keychain");
    // The canaries: the refresh token, and every access token the server handed out.
    let mut canaries = server.asked().access_tokens;
    assert!(!canaries.is_empty(), "the sign-in got an access token");
    canaries.push(canary.expose().to_owned());
    assert!(canaries.iter().all(|c| c.len() > 20), "real tokens");
    for canary in &canaries {
        for (what, text) in [("stdout", &stdout), ("stderr", &stderr), ("list", &listed)] {
            assert!(!text.contains(canary.as_str()), "a token is in the {what} (--json -vv)");
        }
    }
    let files = files_under(&data);
    assert!(files.iter().any(|f| f.to_string_lossy().contains("logs")), "the -vv log was written: {files:?}");
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for canary in &canaries {
            assert!(!text.contains(canary.as_str()), "{} holds a token", file.display());
        }
    }
}

/// `connect --sign-in` checks and saves nothing: the refresh token it got leaves the keychain
/// when the command ends (a sign-in never saved is not left behind).
#[tokio::test]
async fn connect_with_browser_sign_in_leaves_nothing_in_the_keychain() {
    // Only the CLI talks to this keychain (the other test of this file installs its own for
    // this process).
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = Dovecot::start(
        &pki,
        DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&server)), ..Default::default() },
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.json");
    let service = format!("inlet-cli-oauth-connect-{}", std::process::id());
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": home.path().join("data"),
            "keychainService": service,
            "policyFile": null,
            "oauth": { "microsoftClientId": server.client_id() },
            "browserCommand": [
                test_servers(), "oauth-browser", "--user", ALICE,
                "--ca", pki.ca_pem_path(), "--server", format!("127.0.0.1:{}", server.port())
            ],
        })
        .to_string(),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
        .args(["--config", config.to_str().unwrap(), "--ca-file", pki.ca_pem_path().to_str().unwrap()])
        .args(["--connect-to", &format!("login.microsoftonline.com:443:127.0.0.1:{}", server.port())])
        .args(["connect", "--email", ALICE, "--host", "localhost", "--port", &mail.imaps_port().to_string()])
        .args(["--sign-in", "browser", "--issuer", "microsoft"])
        .env("XDG_CONFIG_HOME", home.path())
        .env_remove("INLET_CONFIG")
        .envs(keychain.env())
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("INBOX"), "the folders: {stdout}");
    let entries = || {
        let search = keychain.command("secret-tool").args(["search", "--all", "service", &service]).output().unwrap();
        let found = format!("{}{}", String::from_utf8_lossy(&search.stdout), String::from_utf8_lossy(&search.stderr));
        found.lines().filter(|l| l.starts_with("attribute.username = ")).map(str::to_owned).collect::<Vec<_>>()
    };
    assert_eq!(entries(), Vec::<String>::new(), "the sign-in left the keychain with the command");
    // The control: an entry under the same service is found by the same search.
    let mut store = keychain
        .command("secret-tool")
        .args(["store", "--label=control", "service", &service, "username", "control"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut store.stdin.take().unwrap(), b"control-secret").unwrap();
    assert!(store.wait().unwrap().success());
    assert_eq!(entries(), vec!["attribute.username = control".to_owned()]);
}

/// `reconnect` of a mailbox whose grant was revoked signs in with the browser again (the page
/// printed as `connect --sign-in` prints it): the next check works, and the mailbox keeps its
/// one keychain entry, now holding the new refresh token.
#[tokio::test]
async fn reconnect_signs_a_revoked_mailbox_in_again_with_the_browser() {
    // Only the CLI talks to this keychain (another test of this file installs its own for
    // this process).
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = Dovecot::start(
        &pki,
        DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&server)), ..Default::default() },
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.json");
    let service = format!("inlet-cli-oauth-reconnect-{}", std::process::id());
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": home.path().join("data"),
            "keychainService": service,
            "policyFile": null,
            "oauth": { "microsoftClientId": server.client_id() },
            "browserCommand": [
                test_servers(), "oauth-browser", "--user", ALICE,
                "--ca", pki.ca_pem_path(), "--server", format!("127.0.0.1:{}", server.port())
            ],
        })
        .to_string(),
    )
    .unwrap();
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
            .args(["--config", config.to_str().unwrap(), "--ca-file", pki.ca_pem_path().to_str().unwrap()])
            .args(["--connect-to", &format!("login.microsoftonline.com:443:127.0.0.1:{}", server.port())])
            .args(args)
            .env("XDG_CONFIG_HOME", home.path())
            .env_remove("INLET_CONFIG")
            .envs(keychain.env())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let entries = || {
        let search = keychain.command("secret-tool").args(["search", "--all", "service", &service]).output().unwrap();
        let found = format!("{}{}", String::from_utf8_lossy(&search.stdout), String::from_utf8_lossy(&search.stderr));
        found.lines().filter(|l| l.starts_with("attribute.username = ")).map(str::to_owned).collect::<Vec<_>>()
    };
    let port = mail.imaps_port().to_string();
    let add = ["add", "--email", ALICE, "--host", "localhost", "--port", &port];
    let (code, stdout, stderr) = cli(&[&add[..], &["--sign-in", "browser", "--issuer", "microsoft"]].concat());
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let saved_entries = entries();
    assert_eq!(saved_entries.len(), 1, "{saved_entries:?}");

    assert!(server.revoke_all(ALICE) > 0);
    let (code, checked, _) = cli(&["check", "1"]);
    assert_eq!(code, Some(1));
    assert!(checked.contains("needs sign in"), "{checked}");

    let (code, stdout, stderr) = cli(&["reconnect", "1"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?"), "{stderr}");
    assert_eq!(entries(), saved_entries, "the mailbox's one entry, no sign-in entry left");
    let (code, checked, _) = cli(&["check", "1"]);
    assert_eq!(code, Some(0), "{checked}");
    assert!(checked.contains("working"), "{checked}");
}
