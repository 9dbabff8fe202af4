//! Saving against the real Secret Service (a private gnome-keyring) and SQLite: the password is in
//! the keychain and in no file; the mailbox and its folders come back after a reload.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::store::ChosenFolder;
use inlet_core::{DiagnosisCode, SaveRequest, Secret};
use inlet_testkit::{Dovecot, DovecotOptions, Keychain};
use std::sync::OnceLock;

/// The keychain for this test binary. The keyring crate binds to one Secret Service per process.
fn keychain() -> &'static Keychain {
    static KEYCHAIN: OnceLock<Keychain> = OnceLock::new();
    KEYCHAIN.get_or_init(|| {
        let k = Keychain::start().expect("gnome-keyring starts");
        k.install_for_this_process();
        k
    })
}

/// Tests that share one keychain take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
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
async fn save_then_reload_keeps_settings_folders_and_the_password_only_in_the_keychain() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let connect = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls);
    let report = engine.connect(&connect, &Recorder::default()).await.expect("connects");

    let mut settings = connect.settings.clone();
    settings.incoming.username = Some(report.username_used.clone());
    let folders: Vec<ChosenFolder> = report
        .folders
        .folders
        .iter()
        .filter(|f| f.raw_name == "INBOX" || f.raw_name == "Sent")
        .map(|f| ChosenFolder { raw_name: f.raw_name.clone(), path: f.path.clone(), role: f.role })
        .collect();
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: folders.clone(),
                password: Secret::new(ALICE_PASSWORD),
                outgoing_password: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    assert!(saved.status.enabled);
    assert_eq!(saved.status.consecutive_errors, 0);
    assert!(saved.status.last_success_at.is_some());

    // A new engine (as after a restart) reads the same mailbox back.
    let again = common::engine(dir.path());
    let list = again.list_mailboxes().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].settings, settings);
    assert_eq!(list[0].folders, folders);
    assert_eq!(again.stored_password(&list[0]).await.unwrap().expose(), ALICE_PASSWORD);

    // The password is in no file under the data directory (database, WAL, anything).
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(ALICE_PASSWORD.len()).any(|w| w == ALICE_PASSWORD.as_bytes()),
            "password found in {}",
            file.display()
        );
    }

    // Saving the same mailbox twice is refused and changes nothing.
    let d = again
        .save_mailbox(
            &SaveRequest { settings, folders, password: Secret::new(ALICE_PASSWORD), outgoing_password: None },
            &Recorder::default(),
        )
        .await
        .expect_err("duplicate");
    assert_eq!(d.code, DiagnosisCode::AlreadySaved);
    assert_eq!(again.list_mailboxes().await.unwrap().len(), 1);

    // Removing deletes the keychain entry too.
    again.remove_mailbox(list[0].id).await.unwrap();
    assert!(again.list_mailboxes().await.unwrap().is_empty());
    assert_eq!(again.stored_password(&list[0]).await.unwrap_err().code, DiagnosisCode::KeychainFailed);
}
