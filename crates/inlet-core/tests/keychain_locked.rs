//! A locked keychain: saving fails with a clear diagnosis and stores nothing. Its own test binary,
//! because it locks the keychain it uses.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::secrets::Credentials;
use inlet_core::{DiagnosisCode, SaveRequest};
use inlet_testkit::Keychain;

#[tokio::test]
async fn a_locked_keychain_saves_nothing_and_says_why() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    keychain.lock().expect("locks");

    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let settings = request(ALICE, ALICE_PASSWORD, "localhost", 993, Security::Tls).settings;
    let d = engine
        .save_mailbox(
            &SaveRequest {
                settings,
                folders: vec![],
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect_err("locked keychain refuses");
    assert_eq!(d.code, DiagnosisCode::KeychainLocked, "{d:?}");
    assert!(d.what_to_do.to_lowercase().contains("unlock"));
    assert!(engine.list_mailboxes().await.unwrap().is_empty(), "nothing was stored");
}
