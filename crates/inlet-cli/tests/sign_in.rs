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
    let canary = canary.expose();
    assert!(canary.len() > 20, "a real refresh token");
    for (what, text) in [("stdout", &stdout), ("stderr", &stderr), ("list", &listed)] {
        assert!(!text.contains(canary), "the refresh token is in the {what}");
    }
    let files = files_under(&data);
    assert!(files.iter().any(|f| f.to_string_lossy().contains("logs")), "the -vv log was written: {files:?}");
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert!(!text.contains(canary), "{} holds the refresh token", file.display());
    }
}
