//! Removing a mailbox while the keychain is locked (for real: the Secret Service's Lock call):
//! the mailbox stays, listed, with both its passwords, and the answer says the keychain is
//! locked. Its own test binary, because it locks the keychain it uses.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::{Endpoint, OutgoingSettings, Security};
use inlet_core::secrets::Credentials;
use inlet_core::{DiagnosisCode, SaveRequest};
use inlet_testkit::Keychain;

#[tokio::test]
async fn removing_while_the_keychain_is_locked_keeps_the_mailbox_and_its_passwords() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let service = engine.config().keychain_service.clone();

    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", 993, Security::Tls).settings;
    settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: 465, security: Security::Tls },
        username: None,
        same_password: false,
        allow_plaintext_password: false,
    });
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings,
                folders: vec![],
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: Some(Credentials::password("outgoing-only")),
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    let account = saved.keychain_account.clone();
    let outgoing = format!("{account}/outgoing");
    assert_eq!(keychain_entries::count(&keychain, &service, &account), 1);
    assert_eq!(keychain_entries::count(&keychain, &service, &outgoing), 1);

    keychain.lock().expect("locks");
    assert!(keychain.is_locked().unwrap());
    let d = engine.remove_mailbox(saved.id).await.expect_err("a locked keychain keeps the mailbox");

    let list = engine.list_mailboxes().await.unwrap();
    assert_eq!(list.iter().map(|r| r.id).collect::<Vec<_>>(), vec![saved.id], "still listed");
    assert_eq!(keychain_entries::count(&keychain, &service, &account), 1, "incoming password kept");
    assert_eq!(keychain_entries::count(&keychain, &service, &outgoing), 1, "outgoing password kept");
    assert_eq!(d.code, DiagnosisCode::KeychainLocked, "{d:?}");
    assert!(d.what_happened.contains("not removed"), "{d:?}");
    assert!(d.what_to_do.to_lowercase().contains("unlock"), "{d:?}");
}
