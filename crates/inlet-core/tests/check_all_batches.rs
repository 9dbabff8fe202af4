//! Checking every saved mailbox records the results in batches on one store connection, not in
//! one transaction per mailbox (each waiting for the others in SQLite's busy handler, each with
//! its own commit). Against the real Dovecot, the private keychain and the real store: while
//! another connection holds the store's write lock, every check finishes on the network; once
//! the lock is free, the results go in together. Counted in SQLite's write-ahead log: every
//! commit appends at least the pages it changed (the mailbox's row and its history), so one
//! commit per mailbox means at least two frames per mailbox.

mod common;

use common::pki;
use inlet_core::account::MailboxSettings;
use inlet_core::health::CheckAllOptions;
use inlet_core::secrets::Keychain as EngineKeychain;
use inlet_core::store::Store;
use inlet_core::{Engine, EngineConfig, Secret};
use inlet_testkit::{Dovecot, DovecotOptions, Keychain};
use std::time::{Duration, Instant};

const MAILBOXES: usize = 20;

fn login(i: usize) -> String {
    format!("user{i:02}@example.test")
}

fn settings(email: &str, port: u16) -> MailboxSettings {
    serde_json::from_value(serde_json::json!({
        "kind": "imap", "email": email,
        "incoming": {"protocol": "imap", "endpoint": {"host": "localhost", "port": port, "security": "tls"},
                     "username": null, "auth": "password", "allowPlaintextPassword": false},
        "outgoing": null, "trustedCertificates": []
    }))
    .expect("settings")
}

/// Frames in the store's write-ahead log since it was last emptied.
fn wal_frames(db: &rusqlite::Connection) -> i64 {
    db.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1)).expect("checkpoint")
}

#[tokio::test]
async fn checking_every_mailbox_records_the_results_in_batches() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let users: Vec<(String, String)> = (0..MAILBOXES).map(|i| (login(i), format!("pass-{i:02}-wonderland"))).collect();
    let server = Dovecot::start(pki(), DovecotOptions { users: users.clone(), ..Default::default() }).expect("dovecot");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let service = format!("inlet-test-batches-{}", std::process::id());
    let engine_keychain = EngineKeychain::new(service.clone(), Duration::from_secs(30));
    {
        let mut store = Store::open(&data).expect("store");
        for (user, password) in &users {
            let account = format!("{user}#1");
            engine_keychain.store(&account, &Secret::new(password.clone())).await.expect("keychain write");
            store.insert(&settings(user, server.imaps_port()), &[], &account, 1).expect("saved");
        }
    }
    let engine = Engine::new(EngineConfig {
        data_dir: Some(data.clone()),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: service,
        policy_file: Some(dir.path().join("no-policy.json")),
        ..Default::default()
    })
    .expect("engine");

    let db = rusqlite::Connection::open(Store::path_in(&data)).unwrap();
    db.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    assert_eq!(wal_frames(&db), 0);
    // Another writer holds the store while the checks run.
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    let log = server.dir().join("dovecot.log");
    let release = async {
        // Every check has signed out of Dovecot (or 4 s went by, within the store's 5 s busy
        // timeout), and only then is the store free.
        let started = Instant::now();
        while std::fs::read_to_string(&log).unwrap_or_default().matches("Logged out").count() < MAILBOXES
            && started.elapsed() < Duration::from_secs(4)
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        db.execute_batch("ROLLBACK").unwrap();
    };
    let (checks, ()) = tokio::join!(engine.check_all(CheckAllOptions::default()), release);
    let checks = checks.expect("checked");
    assert_eq!(checks.len(), MAILBOXES, "every check recorded");
    assert!(checks.iter().all(|c| c.status.consecutive_errors == 0 && c.status.last_success_at.is_some()));
    let frames = wal_frames(&db);
    assert!(
        frames < 2 * MAILBOXES as i64,
        "{frames} log frames for {MAILBOXES} mailboxes: a commit per mailbox would write at least {}",
        2 * MAILBOXES
    );
}
