//! A keychain that answers after the engine's deadline (its daemon stopped with SIGSTOP, then
//! resumed): the save fails, and once the late write has landed, neither the mailbox nor its
//! password remains. Its own test binary, because it stops the keychain it uses.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::Security;
use inlet_core::secrets::Credentials;
use inlet_core::{Deadlines, DiagnosisCode, SaveRequest};
use inlet_testkit::Keychain;
use std::process::Command;
use std::time::Duration;

/// Resumes the stopped daemon even when an assertion fails first.
struct Stopped(u32);

impl Stopped {
    fn pause(pid: u32) -> Stopped {
        signal("-STOP", pid);
        Stopped(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        signal("-CONT", self.0);
    }
}

fn signal(which: &str, pid: u32) {
    let status = Command::new("kill").args([which, &pid.to_string()]).status().expect("kill runs");
    assert!(status.success(), "kill {which} {pid}");
}

fn save(email: &str, host: &str) -> SaveRequest {
    SaveRequest {
        settings: request(email, ALICE_PASSWORD, host, 993, Security::Tls).settings,
        folders: vec![],
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: None,
    }
}

#[tokio::test]
async fn a_keychain_write_that_outlives_its_deadline_leaves_no_password_behind() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let dir = tempfile::tempdir().unwrap();
    let deadlines = Deadlines { keychain: Duration::from_millis(1500), ..Deadlines::default() };
    let engine = engine_with(dir.path(), deadlines);
    let service = engine.config().keychain_service.clone();

    // A first save while the keychain answers: its entry must survive what follows.
    let bob = engine.save_mailbox(&save("bob@example.test", "imap.bob.test"), &Recorder::default()).await.unwrap();

    let stopped = Stopped::pause(keychain_entries::daemon_pid(&keychain));
    let d = engine
        .save_mailbox(&save(ALICE, "imap.alice.test"), &Recorder::default())
        .await
        .expect_err("the keychain did not answer in time");
    assert_eq!(d.code, DiagnosisCode::KeychainLocked, "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("did not answer")), "{d:?}");
    // Well past the deadline; then the keychain answers, and the write it was holding lands.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(stopped);

    tokio::time::timeout(Duration::from_secs(60), engine.settle_keychain())
        .await
        .expect("the late write and its clean-up end once the keychain answers");
    let list = engine.list_mailboxes().await.unwrap();
    assert_eq!(list.iter().map(|r| r.settings.email.as_str()).collect::<Vec<_>>(), vec!["bob@example.test"]);
    assert_eq!(keychain_entries::count_service(&keychain, &service), 1, "only bob's password is in the keychain");
    assert_eq!(keychain_entries::count(&keychain, &service, &bob.keychain_account), 1);
    assert_eq!(engine.stored_password(&bob).await.unwrap().expose(), ALICE_PASSWORD);
}
