//! Checking every saved mailbox reads their passwords from the keychain in one Secret Service
//! search, not one search per mailbox (gnome-keyring scans every item it holds for each search).
//! Against the real Dovecot and the private gnome-keyring, the searches counted on its bus by
//! dbus-monitor: several mailboxes, one search; a mailbox whose entry is gone is read on its own
//! and diagnosed as a single check diagnoses it; a locked keychain pauses every check as before.
//! Its own test binary, because it locks the keychain it uses.

mod common;
mod keychain_entries;

use common::pki;
use inlet_core::account::MailboxSettings;
use inlet_core::health::{CheckAllOptions, CheckOutcome, MailboxCheck};
use inlet_core::secrets::Keychain as EngineKeychain;
use inlet_core::store::Store;
use inlet_core::{DiagnosisCode, Engine, EngineConfig, Secret};
use inlet_testkit::{Dovecot, DovecotOptions, Keychain};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MAILBOXES: usize = 4;

fn login(i: usize) -> String {
    format!("user{i:02}@example.test")
}

fn account(i: usize) -> String {
    format!("{}#1", login(i))
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

/// The Secret Service `SearchItems` calls on the keychain's bus, as dbus-monitor prints them.
struct SearchCounter {
    monitor: Child,
    printed: Arc<Mutex<String>>,
    keychain: &'static Keychain,
    marks: usize,
}

impl SearchCounter {
    fn start(keychain: &'static Keychain) -> SearchCounter {
        let mut monitor = keychain
            .command("dbus-monitor")
            .args(["--session", "type='method_call',interface='org.freedesktop.Secret.Service',member='SearchItems'"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor runs");
        let printed = Arc::new(Mutex::new(String::new()));
        let stdout = monitor.stdout.take().unwrap();
        let sink = printed.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut counter = SearchCounter { monitor, printed, keychain, marks: 0 };
        counter.mark();
        counter
    }

    /// Searches for a service of its own and waits until the monitor has printed it: every
    /// search before it is in the output by then (one bus, one order).
    fn mark(&mut self) -> String {
        self.marks += 1;
        let mark = format!("inlet-search-mark-{}", self.marks);
        let started = Instant::now();
        // The first marks may go out before the monitor is listening: sent again until seen.
        while !self.printed.lock().unwrap().contains(&mark) {
            assert!(started.elapsed() < Duration::from_secs(20), "dbus-monitor never showed {mark}");
            keychain_entries::count_service(self.keychain, &mark);
            std::thread::sleep(Duration::from_millis(50));
        }
        mark
    }

    /// The searches of `service`'s entries between the last mark and a new one.
    fn searches_of(&mut self, service: &str, run: impl FnOnce()) -> usize {
        let from = self.printed.lock().unwrap().len();
        run();
        let to_mark = self.mark();
        let printed = self.printed.lock().unwrap();
        let between = &printed[from..printed.find(&to_mark).unwrap()];
        // Each call prints its attributes, among them `string "<service>"`.
        between.split("member=SearchItems").skip(1).filter(|call| call.contains(&format!("\"{service}\""))).count()
    }
}

impl Drop for SearchCounter {
    fn drop(&mut self) {
        let _ = self.monitor.kill();
        let _ = self.monitor.wait();
    }
}

fn outcomes(checks: &[MailboxCheck]) -> Vec<(String, CheckOutcome, Option<DiagnosisCode>)> {
    checks
        .iter()
        .flat_map(|c| c.sides.iter().map(|s| (c.email.clone(), s.outcome, s.diagnosis.as_ref().map(|d| d.code))))
        .collect()
}

#[test]
fn checking_every_mailbox_reads_the_passwords_in_one_search() {
    static KEYCHAIN: std::sync::OnceLock<Keychain> = std::sync::OnceLock::new();
    let keychain = KEYCHAIN.get_or_init(|| Keychain::start().expect("gnome-keyring starts"));
    keychain.install_for_this_process();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let users: Vec<(String, String)> = (0..MAILBOXES).map(|i| (login(i), format!("pass-{i:02}-wonderland"))).collect();
    let server = Dovecot::start(pki(), DovecotOptions { users: users.clone(), ..Default::default() }).expect("dovecot");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let service = format!("inlet-test-check-all-keychain-{}", std::process::id());
    let engine_keychain = EngineKeychain::new(service.clone(), Duration::from_secs(30));
    let mut ids = Vec::new();
    {
        let mut store = Store::open(&data).expect("store");
        for (i, (user, password)) in users.iter().enumerate() {
            runtime.block_on(engine_keychain.store(&account(i), &Secret::new(password.clone()))).expect("stored");
            ids.push(store.insert(&settings(user, server.imaps_port()), &[], &account(i), 1).expect("saved").id);
        }
    }
    let engine = Engine::new(EngineConfig {
        data_dir: Some(data),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: service.clone(),
        policy_file: Some(dir.path().join("no-policy.json")),
        ..Default::default()
    })
    .expect("engine");
    let check_all = || runtime.block_on(engine.check_all(CheckAllOptions::default())).expect("checked");
    let mut counter = SearchCounter::start(keychain);

    // Every password from one search.
    let mut checks = Vec::new();
    let searches = counter.searches_of(&service, || checks = check_all());
    assert_eq!(checks.len(), MAILBOXES);
    assert!(
        outcomes(&checks).iter().all(|(_, outcome, _)| *outcome == CheckOutcome::Success),
        "{:?}",
        outcomes(&checks)
    );
    assert_eq!(searches, 1, "one search for {MAILBOXES} mailboxes, not one each");

    // One entry gone: the batch does not have it, so it is looked up on its own, and its check
    // says what a check of that mailbox alone says; the others still sign in.
    runtime.block_on(engine_keychain.delete(&account(1))).expect("deleted");
    let searches = counter.searches_of(&service, || checks = check_all());
    assert_eq!(searches, 2, "the batch, then the missing entry on its own");
    let alone = runtime.block_on(engine.check_mailbox(ids[1])).expect("checked alone");
    let missing = outcomes(&checks).into_iter().filter(|(email, _, _)| *email == login(1)).collect::<Vec<_>>();
    assert_eq!(missing, outcomes(&[alone]), "as a check of that mailbox alone");
    assert!(matches!(missing[0].1, CheckOutcome::Failed), "{missing:?}");
    let others = outcomes(&checks).into_iter().filter(|(email, _, _)| *email != login(1)).collect::<Vec<_>>();
    assert_eq!(others.len(), MAILBOXES - 1);
    assert!(others.iter().all(|(_, outcome, _)| *outcome == CheckOutcome::Success), "{others:?}");

    // Locked: the batch brings nothing, each check reads its entry alone and is paused with
    // the locked keychain's diagnosis, as before.
    runtime.block_on(engine_keychain.store(&account(1), &Secret::new(users[1].1.clone()))).expect("stored again");
    keychain.lock().expect("locks");
    let checks = check_all();
    let alone = runtime.block_on(engine.check_mailbox(ids[0])).expect("checked alone");
    assert_eq!(outcomes(&[alone])[0].2, Some(DiagnosisCode::KeychainLocked), "{:?}", outcomes(&checks));
    assert_eq!(checks.len(), MAILBOXES);
    for (email, outcome, code) in outcomes(&checks) {
        assert_eq!((outcome, code), (CheckOutcome::Paused, Some(DiagnosisCode::KeychainLocked)), "{email}");
    }
}
