//! A locked keychain: saving fails with a clear diagnosis and stores nothing. Its own test binary,
//! because it locks the keychain it uses.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::progress::{Stage, StageState};
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
    let saved = engine
        .save_reported(
            &SaveRequest {
                settings,
                folders: vec![],
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await;
    let d = saved.outcome.expect_err("locked keychain refuses");
    assert_eq!(d.code, DiagnosisCode::KeychainLocked, "{d:?}");
    assert!(d.what_to_do.to_lowercase().contains("unlock"));
    assert!(engine.list_mailboxes().await.unwrap().is_empty(), "nothing was stored");

    // The error view's report: the diagnosis, the settings and the saving stage with its
    // timing, and never the password.
    let report = saved.report.expect("a failed save has a report");
    assert_eq!(report.outcome.code.as_deref(), Some("keychain_locked"));
    assert_eq!(report.outcome.checked, "saving the mailbox");
    let [saving] = report.attempts.as_slice() else { panic!("one saving attempt: {:?}", report.attempts) };
    let [stage] = saving.stages.as_slice() else { panic!("one stage: {:?}", saving.stages) };
    assert_eq!((stage.stage, stage.state), (Stage::Saving, StageState::Failed));
    assert!(stage.ended_ms.is_some_and(|end| end >= stage.started_ms), "{stage:?}");
    let markdown = report.to_markdown();
    assert!(markdown.contains("| Saving") && markdown.contains("FAILED"), "{markdown}");
    assert!(markdown.contains("(`keychain_locked`)"), "{markdown}");
    for text in [markdown, report.to_json(), report.masked().to_markdown()] {
        assert!(!text.contains(ALICE_PASSWORD), "the password is in the report");
    }
}
