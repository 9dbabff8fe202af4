//! Saving against the real Secret Service (a private gnome-keyring) and SQLite: the password is in
//! the keychain and in no file; the mailbox and its folders come back after a reload.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::{Endpoint, OutgoingSettings, Security};
use inlet_core::secrets::Credentials;
use inlet_core::store::{ChosenFolder, Store};
use inlet_core::{DiagnosisCode, SaveRequest};
use inlet_testkit::{Dovecot, DovecotOptions};

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
    settings.incoming.settings_mut().username = Some(report.username_used.clone());
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
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
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
            &SaveRequest {
                settings,
                folders,
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
            },
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

fn with_own_outgoing_password(email: &str) -> SaveRequest {
    let mut settings = request(email, ALICE_PASSWORD, "localhost", 993, Security::Tls).settings;
    settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: 465, security: Security::Tls },
        username: None,
        same_password: false,
        allow_plaintext_password: false,
    });
    SaveRequest {
        settings,
        folders: vec![],
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: Some(Credentials::password(OUTGOING_PASSWORD)),
    }
}

const OUTGOING_PASSWORD: &str = "only-for-sending-7";

#[tokio::test]
async fn a_separate_outgoing_password_is_saved_beside_the_incoming_one_and_removed_with_it() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let service = engine.config().keychain_service.clone();

    let saved = engine.save_mailbox(&with_own_outgoing_password(ALICE), &Recorder::default()).await.expect("saved");
    let account = saved.keychain_account.clone();
    let outgoing = format!("{account}/outgoing");
    assert_eq!(keychain_entries::count(keychain, &service, &account), 1, "incoming password");
    assert_eq!(keychain_entries::count(keychain, &service, &outgoing), 1, "outgoing password");
    assert_eq!(engine.stored_password(&saved).await.unwrap().expose(), ALICE_PASSWORD);
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(OUTGOING_PASSWORD.len()).any(|w| w == OUTGOING_PASSWORD.as_bytes()));
    }

    engine.remove_mailbox(saved.id).await.expect("removed");
    assert!(engine.list_mailboxes().await.unwrap().is_empty());
    assert_eq!(keychain_entries::count(keychain, &service, &account), 0, "incoming password gone");
    assert_eq!(keychain_entries::count(keychain, &service, &outgoing), 0, "outgoing password gone");
}

/// The store fails for real after both passwords went to the keychain: another connection (as
/// another Inlet process would) holds the database's write lock, so the insert gives up after
/// its busy timeout with "database is locked". Reading still works in WAL mode, so the save gets
/// past its duplicate check to the keychain first. (chmod cannot make the write fail: the tests
/// run as root.)
#[tokio::test]
async fn a_store_that_fails_after_the_keychain_write_leaves_no_password_in_the_keychain() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let service = engine.config().keychain_service.clone();
    assert!(engine.list_mailboxes().await.unwrap().is_empty(), "the store exists");
    let before = keychain_entries::count_service(keychain, &service);

    let writer = rusqlite::Connection::open(Store::path_in(dir.path())).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let d = engine
        .save_mailbox(&with_own_outgoing_password("carol@example.test"), &Recorder::default())
        .await
        .expect_err("the store is locked by another writer");
    assert_eq!(d.code, DiagnosisCode::StoreFailed, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("locked")), "{d:?}");
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);

    assert!(engine.list_mailboxes().await.unwrap().is_empty(), "no mailbox");
    assert_eq!(keychain_entries::count_service(keychain, &service), before, "no password left in the keychain");
}
