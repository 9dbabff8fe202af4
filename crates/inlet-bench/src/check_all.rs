//! Keeping many mailboxes connected: `inlet-cli check --all --json` (release) as a whole process
//! against `baseline_check_all.py`, a bare Python client (standard library: TLS, LOGIN, one
//! `STATUS "INBOX" (MESSAGES UNSEEN)`, LOGOUT) at the same concurrency, in the same run, against
//! the same Dovecot with one user per mailbox.
//!
//! Set-up (not timed): a Dovecot with N users, in Dovecot's high-performance mode as a server
//! for many users runs (long-lived login processes, one per core; `imap` processes reused; an
//! auth cache; `--dovecot-defaults`: a new process per connection instead); a private keychain
//! (gnome-keyring on its own D-Bus) holding N passwords in its in-memory `session` collection,
//! written through the engine's `Keychain`; a store in a scratch data dir holding N saved
//! IMAP-over-TLS mailboxes, written through the engine's `Store`. Then, per
//! client: wall time (spawn to exit), its CPU (user + system, from `wait4`), its peak resident
//! memory (VmHWM in `/proc/PID/status`, sampled every 5 ms), and the
//! peak number of connections open at once to Dovecot's port (established sockets in
//! `/proc/net/tcp`, sampled every 5 ms while it runs: reading the table, long with the runs'
//! TIME_WAIT sockets, every millisecond took a tenth of this machine's two cores from both clients).

use inlet_core::account::MailboxSettings;
use inlet_core::health::CheckAllOptions;
use inlet_core::secrets::Keychain as EngineKeychain;
use inlet_core::store::Store;
use inlet_core::Secret;
use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::median;

/// One client's run.
#[derive(Clone, Copy)]
pub struct Run {
    pub wall_ms: f64,
    /// User + system time of the process (its own, from wait4).
    pub cpu_ms: f64,
    pub peak_connections: usize,
    pub peak_rss_mb: f64,
}

/// How the rows are measured.
#[derive(Clone, Copy)]
pub struct CheckAllBench {
    /// Timed runs per client; None: 3 (1 at 10,000 mailboxes).
    pub runs: Option<usize>,
    /// Dovecot's defaults (a new `imap-login` and `imap` process per connection) instead of its
    /// high-performance mode.
    pub dovecot_defaults: bool,
}

pub struct CheckAllRow {
    pub mailboxes: usize,
    /// Dovecot's long-lived login processes; 0: its defaults, a process per connection.
    pub login_processes: u32,
    /// The machine's load averages (1, 5, 15 minutes) when the row's timed runs ended.
    pub load_average: String,
    pub concurrency: usize,
    pub runs: usize,
    /// Medians of the runs (peaks: the highest of the runs).
    pub cli: Run,
    pub python: Run,
    /// Writing the N passwords into the keychain (set-up, not part of the check).
    pub keychain_fill_ms: f64,
    /// Reading the N passwords back one after another in this process, as the check does: the
    /// keychain's share of the check's time.
    pub keychain_reads_ms: f64,
}

/// Measures each size in `sizes` with the engine's default concurrency.
pub async fn run(pki: &TestPki, sizes: &[usize], bench: CheckAllBench) -> Vec<CheckAllRow> {
    let keychain = Keychain::start().expect("the private keychain starts (dbus, gnome-keyring)");
    // The bench writes and reads the passwords through the engine's keychain, on this bus.
    keychain.install_for_this_process();
    keychain.keep_new_secrets_in_memory().expect("the keychain's default alias names its session collection");
    let mut rows = Vec::new();
    for &n in sizes {
        rows.push(measure(pki, &keychain, n, CheckAllOptions::default().concurrency, bench).await);
    }
    rows
}

/// `/proc/loadavg`'s first three fields.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn login(i: usize) -> String {
    format!("user{i:05}@example.test")
}

fn password(i: usize) -> String {
    format!("pass-{i:05}-wonderland")
}

async fn measure(
    pki: &TestPki,
    keychain: &Keychain,
    n: usize,
    concurrency: usize,
    bench: CheckAllBench,
) -> CheckAllRow {
    let users: Vec<(String, String)> = (0..n).map(|i| (login(i), password(i))).collect();
    // Dovecot's documentation: at least as many login processes as CPU cores.
    let login_processes =
        if bench.dovecot_defaults { 0 } else { std::thread::available_parallelism().map_or(2, |n| n.get() as u32) };
    let server = Dovecot::start(pki, DovecotOptions { users: users.clone(), login_processes, ..Default::default() })
        .expect("dovecot");
    let port = server.imaps_port();
    let scratch = tempfile::tempdir().expect("temp dir");
    let data = scratch.path().join("data");
    let service = format!("inlet-bench-check-all-{n}");
    let config = scratch.path().join("config.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "dataDir": data,
            "keychainService": service,
            "extraCaFiles": [pki.ca_pem_path()],
            "policyFile": scratch.path().join("no-policy.json"),
        })
        .to_string(),
    )
    .expect("config file");
    let users_file = scratch.path().join("users.tsv");
    std::fs::write(&users_file, users.iter().map(|(u, p)| format!("{u}\t{p}\n")).collect::<String>())
        .expect("users file");

    let engine_keychain = EngineKeychain::new(service.clone(), Duration::from_secs(60));
    let started = Instant::now();
    for (i, (_, p)) in users.iter().enumerate() {
        engine_keychain.store(&account(i), &Secret::new(p.clone())).await.expect("keychain write");
    }
    let keychain_fill_ms = started.elapsed().as_secs_f64() * 1000.0;
    {
        let mut store = Store::open(&data).expect("store");
        for (i, (u, _)) in users.iter().enumerate() {
            store.insert(&settings(u, port), &[], &account(i), 1).expect("store insert");
        }
    }
    let started = Instant::now();
    for i in 0..n {
        engine_keychain.read(&account(i)).await.expect("keychain read");
    }
    let keychain_reads_ms = started.elapsed().as_secs_f64() * 1000.0;

    let cli = crate::whole_process::cli_path();
    let cli_command = || {
        let mut c = Command::new(&cli);
        c.args(["check", "--all", "--json", "--concurrency", &concurrency.to_string(), "--config"])
            .arg(&config)
            .envs(keychain.env());
        c
    };
    let python_command = || {
        let mut c = Command::new(crate::whole_process::python());
        c.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline_check_all.py"))
            .args(["localhost", &port.to_string()])
            .arg(pki.ca_pem_path())
            .arg(&users_file)
            .arg(concurrency.to_string());
        c
    };
    // Untimed first runs: Dovecot creates each user's index files on its first STATUS.
    let runs = bench.runs.unwrap_or(if n >= 10_000 { 1 } else { 3 });
    let mut samples: [Vec<Run>; 2] = [Vec::new(), Vec::new()];
    for i in 0..runs + 1 {
        for (k, command) in [cli_command(), python_command()].into_iter().enumerate() {
            let out = scratch.path().join(format!("run-{k}.out"));
            let run = run_once(command, &out, port);
            let printed = std::fs::read_to_string(&out).unwrap_or_default();
            let ok = if k == 0 {
                cli_checked_all(&printed, n)
            } else {
                printed.starts_with(&format!("{n} checked, 0 failed"))
            };
            let complained = std::fs::read_to_string(out.with_extension("err")).unwrap_or_default();
            assert!(
                ok,
                "{} failed: {}\n{complained}",
                ["cli", "python"][k],
                printed.chars().take(400).collect::<String>()
            );
            if i >= 1 {
                samples[k].push(run);
            }
        }
    }
    let summary = |runs: &[Run]| Run {
        wall_ms: median(runs.iter().map(|r| r.wall_ms).collect()),
        cpu_ms: median(runs.iter().map(|r| r.cpu_ms).collect()),
        peak_connections: runs.iter().map(|r| r.peak_connections).max().unwrap_or(0),
        peak_rss_mb: runs.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max),
    };
    CheckAllRow {
        mailboxes: n,
        login_processes,
        load_average: load_average(),
        concurrency,
        runs,
        cli: summary(&samples[0]),
        python: summary(&samples[1]),
        keychain_fill_ms,
        keychain_reads_ms,
    }
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

/// The CLI's JSON says every one of the `n` mailboxes was checked and succeeded.
fn cli_checked_all(printed: &str, n: usize) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(printed.trim()) else { return false };
    v["ok"] == serde_json::json!(true) && v["checks"].as_array().is_some_and(|c| c.len() == n)
}

/// Runs `command` with its output in `out` (errors beside it), counting connections to `port`
/// meanwhile.
fn run_once(mut command: Command, out: &Path, port: u16) -> Run {
    let file = std::fs::File::create(out).expect("output file");
    let errors = std::fs::File::create(out.with_extension("err")).expect("error file");
    command.stdin(Stdio::null()).stdout(file).stderr(errors);
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(0));
    let high_water_kb = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    // Reaped by wait4 below, which also gives the child's own CPU time.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("starting a client");
    let pid = child.id();
    let sampler = {
        let (done, peak, high_water_kb) = (done.clone(), peak.clone(), high_water_kb.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(established_to(port), Ordering::Relaxed);
                high_water_kb.fetch_max(resident_high_water_kb(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let (status, usage) = wait_with_usage(pid);
    let wall = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    assert!(status == 0 || status == 1 << 8, "client ended with wait status {status}");
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    Run {
        wall_ms: wall.as_secs_f64() * 1000.0,
        cpu_ms: ms(usage.ru_utime) + ms(usage.ru_stime),
        peak_connections: peak.load(Ordering::Relaxed),
        peak_rss_mb: high_water_kb.load(Ordering::Relaxed) as f64 / 1024.0,
    }
}

/// The process's resident high-water mark (VmHWM). Not wait4's ru_maxrss: Linux keeps that
/// across execve, so a child would report this bench's own size as its peak.
fn resident_high_water_kb(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Waits for the child `pid` and returns its wait status and its own resource usage (not that
/// of every child waited for, as getrusage RUSAGE_CHILDREN would).
fn wait_with_usage(pid: u32) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value, and wait4 only writes into it and `status`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid as libc::pid_t, "wait4: {}", std::io::Error::last_os_error());
    (status, usage)
}

/// Established TCP connections whose local port is `port` (the server's side of each client
/// connection), from `/proc/net/tcp`. Dovecot listens on 127.0.0.1 only, so IPv6 has none.
fn established_to(port: u16) -> usize {
    let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else { return 0 };
    let local = format!(":{port:04X}");
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let mut fields = line.split_whitespace();
            let local_address = fields.nth(1).unwrap_or("");
            let state = fields.nth(1).unwrap_or("");
            // 01: TCP_ESTABLISHED (include/net/tcp_states.h).
            local_address.ends_with(&local) && state == "01"
        })
        .count()
}

pub fn print(rows: &[CheckAllRow]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!("Checking every saved mailbox: `inlet-cli check --all --json` (release) against the bare Python client");
    println!(
        "(TLS, LOGIN, STATUS INBOX, LOGOUT per user) at the same concurrency, on the same warmed Dovecot, alternating."
    );
    println!();
    println!(
        "| mailboxes | Dovecot login processes | concurrency | runs | inlet-cli wall | Python wall | ratio | peak connections (cli / Python) | inlet-cli peak RSS | Python peak RSS | inlet-cli CPU | Python CPU | keychain: N reads, one after another | keychain: N writes (set-up) | load average (1, 5, 15 min) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {:.0} ms | {:.0} ms | {:.2}× | {} / {} | {:.1} MB | {:.1} MB | {:.0} ms | {:.0} ms | {:.0} ms | {:.0} ms | {} |",
            r.mailboxes,
            match r.login_processes {
                0 => "a process per connection (defaults)".to_owned(),
                n => n.to_string(),
            },
            r.concurrency,
            r.runs,
            r.cli.wall_ms,
            r.python.wall_ms,
            r.cli.wall_ms / r.python.wall_ms,
            r.cli.peak_connections,
            r.python.peak_connections,
            r.cli.peak_rss_mb,
            r.python.peak_rss_mb,
            r.cli.cpu_ms,
            r.python.cpu_ms,
            r.keychain_reads_ms,
            r.keychain_fill_ms,
            r.load_average,
        );
    }
    println!();
    println!(
        "Targets at 1,000 mailboxes on loopback: ≤ 5 s, ≤ 64 connections at once, ≤ 100 MB, ≤ 1.2× the bare client."
    );
}
