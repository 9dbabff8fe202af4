//! Crash safety: `inlet-cli add`, `update-password`, `folders --set` and `remove` killed with
//! SIGKILL at random moments (fixed seed), over 200 times in all, against a real Dovecot and a
//! private keychain. After each kill the next run finds a consistent store: it opens, no mailbox
//! is half saved, its chosen folders are the old choice or the new one whole, every listed
//! mailbox has its keychain entry and every keychain entry its listed mailbox.

use inlet_core::store::Store;
use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Workers run side by side, each with its own Dovecot user, data dir and keychain service.
const WORKERS: usize = 4;
/// Kills per worker: 224 in all.
const KILLS_PER_WORKER: usize = 56;
/// Kills of each of update-password, folders --set, remove and remove --erase in each worker, at least.
const MIN_KILLS_PER_OP: usize = 3;
const SEED: u64 = 0x1_2026_0413;
/// The folder `folders --set` takes out of the choice made at add (every folder), and puts back.
const TOGGLED_FOLDER: &str = "Trash";

struct Worker {
    config: PathBuf,
    data: PathBuf,
    service: String,
    email: String,
    password: String,
    port: u16,
    env: Vec<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Add,
    UpdatePassword,
    /// `folders --set` to the given choice (comma-separated).
    SetFolders(&'static str),
    Remove,
    Erase,
}

impl Worker {
    fn command(&self, op: Op) -> (Command, Option<String>) {
        let mut c = Command::new(env!("CARGO_BIN_EXE_inlet-cli"));
        let port = self.port.to_string();
        let stdin = match op {
            Op::Add => {
                c.args(["add", "--email", &self.email, "--host", "localhost", "--port", &port, "--password-stdin"]);
                Some(format!("{}\n", self.password))
            }
            Op::UpdatePassword => {
                c.args(["update-password", &self.email, "--password-stdin"]);
                Some(format!("{}\n", self.password))
            }
            Op::SetFolders(choice) => {
                c.args(["folders", &self.email, "--set", choice]);
                None
            }
            Op::Remove => {
                c.args(["remove", &self.email]);
                None
            }
            Op::Erase => {
                c.args(["remove", &self.email, "--erase"]);
                None
            }
        };
        c.arg("--config").arg(&self.config).envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
        (c, stdin)
    }

    /// Runs `op`, killing it after `kill_after` if it is still running then. Whether it was
    /// killed, and how long it ran.
    fn run(&self, op: Op, kill_after: Option<Duration>) -> (bool, Duration) {
        let (mut command, stdin) = self.command(op);
        let started = Instant::now();
        let mut child = command.spawn().expect("inlet-cli starts");
        if let Some(text) = stdin {
            // A child killed early may not read it.
            let _ = child.stdin.take().unwrap().write_all(text.as_bytes());
        }
        let Some(after) = kill_after else {
            let status = child.wait().unwrap();
            assert!(status.success(), "{op:?} without a kill failed: {status}");
            return (false, started.elapsed());
        };
        loop {
            if child.try_wait().unwrap().is_some() {
                return (false, started.elapsed());
            }
            if started.elapsed() >= after {
                // SIGKILL: no destructor, no clean-up runs.
                child.kill().unwrap();
                child.wait().unwrap();
                return (true, started.elapsed());
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// The next run finds a consistent store and keychain. Returns whether the mailbox is
    /// listed, and its chosen folders.
    fn check_consistent(&self, keychain: &Keychain, context: &str) -> Option<Vec<String>> {
        // The next run: any command lists the mailboxes (and finishes what a killed one left).
        let out = Command::new(env!("CARGO_BIN_EXE_inlet-cli"))
            .args(["list", "--json", "--config"])
            .arg(&self.config)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap();
        assert!(out.status.success(), "{context}: list failed: {}", String::from_utf8_lossy(&out.stderr));
        let store = Store::open(&self.data).unwrap_or_else(|e| panic!("{context}: the store opens: {e}"));
        let listed = store.list().unwrap_or_else(|e| panic!("{context}: the store lists: {e}"));
        assert!(listed.len() <= 1, "{context}: {} mailboxes for one address", listed.len());
        let expected: BTreeSet<String> = listed.iter().map(|m| m.keychain_account.clone()).collect();
        let entries = keychain_accounts(keychain, &self.service);
        assert_eq!(entries, expected, "{context}: keychain entries and listed mailboxes differ");
        listed.first().map(|m| {
            assert_eq!(m.settings.email.as_str(), self.email, "{context}");
            m.folders.iter().map(|f| f.raw_name.clone()).collect()
        })
    }
}

/// The accounts (the keyring crate's `username` attribute) of every keychain entry under
/// `service`, as any Secret Service client sees them.
fn keychain_accounts(keychain: &Keychain, service: &str) -> BTreeSet<String> {
    let out = keychain.command("secret-tool").args(["search", "--all", "service", service]).output().unwrap();
    // The secret itself is printed too; only the attribute lines are read.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter_map(|l| l.strip_prefix("attribute.username = ").map(str::to_owned))
        .collect()
}

fn worker(pki: &TestPki, server: &Dovecot, keychain: &Keychain, dir: &Path, i: usize) -> Worker {
    let data = dir.join(format!("data-{i}"));
    let config = dir.join(format!("config-{i}.json"));
    let service = format!("inlet-crash-{}-{i}", std::process::id());
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": data,
            "keychainService": service,
            "extraCaFiles": [pki.ca_pem_path()],
            "policyFile": dir.join("no-policy.json"),
        })
        .to_string(),
    )
    .unwrap();
    Worker {
        config,
        data,
        service,
        email: format!("user{i}@example.test"),
        password: format!("pass-{i}-wonderland"),
        port: server.imaps_port(),
        env: keychain.env(),
    }
}

#[test]
fn killed_saves_password_updates_folder_changes_and_removals_leave_store_and_keychain_consistent() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    let pki = TestPki::generate();
    let dir = tempfile::tempdir().unwrap();
    let users = (0..WORKERS).map(|i| (format!("user{i}@example.test"), format!("pass-{i}-wonderland"))).collect();
    let server = Dovecot::start(&pki, DovecotOptions { users, ..Default::default() }).unwrap();
    let workers: Vec<Worker> = (0..WORKERS).map(|i| worker(&pki, &server, &keychain, dir.path(), i)).collect();

    let kills: Vec<Vec<(Op, usize)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = workers
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let keychain = &keychain;
                scope.spawn(move || {
                    // How long each command takes unkilled here: kills land anywhere in it.
                    let (_, add) = w.run(Op::Add, None);
                    let folders = w.check_consistent(keychain, "after add").expect("added");
                    assert!(
                        folders.iter().any(|f| f == TOGGLED_FOLDER),
                        "add chooses {TOGGLED_FOLDER} with the rest: {folders:?}"
                    );
                    // The two choices `folders --set` switches between; a mailbox is only ever
                    // seen with one of them whole.
                    let first: &'static str = Box::leak(folders.join(",").into_boxed_str());
                    let without: Vec<&str> =
                        folders.iter().map(String::as_str).filter(|f| *f != TOGGLED_FOLDER).collect();
                    let second: &'static str = Box::leak(without.join(",").into_boxed_str());
                    let choice = |text: &str| text.split(',').map(str::to_owned).collect::<BTreeSet<String>>();
                    let (first_set, second_set) = (choice(first), choice(second));
                    let (_, set_folders) = w.run(Op::SetFolders(second), None);
                    assert_eq!(
                        w.check_consistent(keychain, "after folders --set").map(|f| choice(&f.join(","))),
                        Some(second_set.clone())
                    );
                    let (_, update) = w.run(Op::UpdatePassword, None);
                    let (_, remove) = w.run(Op::Remove, None);
                    assert_eq!(w.check_consistent(keychain, "after remove"), None);
                    let mut rng = fastrand::Rng::with_seed(SEED + i as u64);
                    let mut killed = Vec::new();
                    let mut runs = 0;
                    // Every command is killed a few times in each worker, whatever the timing of
                    // this machine (adds dominate otherwise: a killed add leaves nothing to remove).
                    let fewest = |killed: &Vec<(Op, usize)>| {
                        [Op::UpdatePassword, Op::SetFolders(""), Op::Remove, Op::Erase]
                            .into_iter()
                            .find(|op| killed.iter().filter(|(o, _)| same_command(*o, *op)).count() < MIN_KILLS_PER_OP)
                    };
                    while killed.len() < KILLS_PER_WORKER || fewest(&killed).is_some() {
                        runs += 1;
                        assert!(runs < KILLS_PER_WORKER * 8, "too few runs were still running when killed");
                        let listed = w.check_consistent(keychain, &format!("worker {i}, run {runs}"));
                        let op = match &listed {
                            None => Op::Add,
                            Some(saved) => {
                                let saved = choice(&saved.join(","));
                                assert!(
                                    saved == first_set || saved == second_set,
                                    "worker {i}, run {runs}: a half-saved mailbox or folder choice: {saved:?}"
                                );
                                // folders --set switches to the choice not saved now.
                                let other = if saved == first_set { second } else { first };
                                match fewest(&killed).unwrap_or_else(|| {
                                    [Op::UpdatePassword, Op::SetFolders(""), Op::Remove, Op::Erase][rng.usize(..4)]
                                }) {
                                    Op::SetFolders(_) => Op::SetFolders(other),
                                    op => op,
                                }
                            }
                        };
                        let typical = match op {
                            Op::Add => add,
                            Op::UpdatePassword => update,
                            Op::SetFolders(_) => set_folders,
                            Op::Remove | Op::Erase => remove,
                        };
                        // Anywhere from the start to a little past the typical end.
                        let after = typical.mul_f64(rng.f64() * 1.1);
                        let (was_killed, ran) = w.run(op, Some(after));
                        if was_killed {
                            killed.push((op, (ran.as_secs_f64() * 1000.0) as usize));
                        }
                    }
                    w.check_consistent(keychain, &format!("worker {i}, at the end"));
                    killed
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a worker failed")).collect()
    });
    let all: Vec<(Op, usize)> = kills.into_iter().flatten().collect();
    assert!(all.len() >= 200, "{} kills", all.len());
    for op in [Op::Add, Op::UpdatePassword, Op::SetFolders(""), Op::Remove, Op::Erase] {
        let n = all.iter().filter(|(o, _)| same_command(*o, op)).count();
        assert!(n >= 10, "only {n} kills during {op:?}");
        eprintln!("{op:?}: {n} kills");
    }
}

/// Whether two runs are of the same command (whatever folder choice they set).
fn same_command(a: Op, b: Op) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}
