//! `./dev bench`: two measurements, each against a baseline taken in the same run.
//!
//! 1. Discovery (see `discovery.rs`): address to verified settings, racing against walking the
//!    same sources one after another.
//! 2. Folder loading on a local Dovecot, the engine against a minimal client, at 100, 1,000 and
//!    10,000 folders, with and without 20 ms added each way.
//!
//! What is timed for folders, for both sides, on a connection that is already signed in over TLS:
//! - baseline: one `LIST "" "*" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))` written and its
//!   reply read to the tagged OK, nothing parsed;
//! - engine: `imap::load_folders`, i.e. the same listing (plus SUBSCRIBED and CHILDREN) parsed
//!   into the full `FolderTree` with roles, counts, decoded names and order.
//!
//! The server is warmed first (two untimed runs of each), because Dovecot builds its indexes on
//! the first LIST-STATUS over fresh folders.
//!
//! 3. Whole processes (see `whole_process.rs`): `inlet-cli connect --json` against a minimal
//!    Python client, cold starts over TLS on the same warmed Dovecot, wall time and CPU.
//!
//! 4. Sign-in (see `sign_in.rs`): "Sign in with Microsoft" against a local authorization server
//!    to the folders, against password sign-in to the same Dovecot, in the same run.
//!
//! 5. Checking every saved mailbox (see `check_all.rs`): `inlet-cli check --all --json` against
//!    a bare Python client at the same concurrency, 1,000 and 10,000 mailboxes (one Dovecot user
//!    each): wall time, peak connections, peak memory.
//!
//! 6. The desktop app (see `desktop.rs`): cold start to the painted address step, the process
//!    tree's memory when idle there, and its CPU when idle with five saved mailboxes.
//!
//! Options: `--quick` (fewer sizes and runs), `--desktop` (only the desktop rows), `--discovery`, `--folders` or `--checks` (only one of them),
//! `--sign-in` (only the sign-in row), `--large` (the 10,000-mailbox check row too),
//! `--processes` (only the whole-process rows), `--only N` (one folder count), `--before-cli PATH`
//! (another inlet-cli build, e.g. main's, in the same whole-process rotation); for the check rows,
//! `--runs N` (timed runs per client) and `--dovecot-defaults` (Dovecot's process per connection
//! instead of its high-performance mode).
//! `INLET_BENCH_TRACE=1` prints each discovery run's sources.

mod check_all;
mod desktop;
mod discovery;
mod sign_in;
mod whole_process;

use inlet_core::account::{Endpoint, Security};
use inlet_core::imap;
use inlet_core::net::{Dial, Network};
use inlet_core::progress::{NoProgress, Progress};
use inlet_core::secrets::Credentials;
use inlet_core::Deadlines;
use inlet_testkit::{DelayProxy, Dovecot, DovecotOptions, TestPki};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub(crate) const USER: &str = "alice@example.test";
pub(crate) const PASSWORD: &str = "wonderland-42";

struct Row {
    what: String,
    input: String,
    engine_ms: f64,
    baseline_ms: f64,
    /// The raw client sending the engine's own command (adds SUBSCRIBED): separates what the
    /// server spends on the extra option from what the engine spends parsing.
    raw_engine_command_ms: f64,
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The engine's browser during the sign-in row: this program, playing the person.
    if args.get(1).map(String::as_str) == Some(sign_in::BROWSER_COMMAND) {
        let code = tokio::task::spawn_blocking(move || sign_in::browser_main(&args[2..])).await.unwrap();
        std::process::exit(if code == std::process::ExitCode::SUCCESS { 0 } else { 1 });
    }
    let quick = std::env::args().any(|a| a == "--quick");
    if args.get(1).map(String::as_str) == Some(desktop::INSIDE_XVFB) {
        desktop::inside_xvfb(quick).await;
        return;
    }
    if std::env::args().any(|a| a == "--desktop") {
        // Blocks while the app runs under its own X server: off the runtime's worker threads.
        tokio::task::spawn_blocking(move || desktop::run_under_xvfb(quick)).await.unwrap();
        return;
    }
    let pki = TestPki::generate();
    if std::env::args().any(|a| a == "--sign-in") {
        sign_in::print(&sign_in::run(&pki, quick).await);
        return;
    }
    let tls = Network::new(&[pki.ca_pem_path()]).expect("test CA");
    let only_discovery = std::env::args().any(|a| a == "--discovery");
    let only_processes = std::env::args().any(|a| a == "--processes");
    let only_folders = only_processes || std::env::args().any(|a| a == "--folders");
    let before_cli: Option<std::path::PathBuf> =
        std::env::args().skip_while(|a| a != "--before-cli").nth(1).map(Into::into);
    // Fails early, before servers are started, when the CLI was not built.
    whole_process::cli_path();
    let only_checks = std::env::args().any(|a| a == "--checks");
    // The 10,000-mailbox row takes a few minutes more, so it runs only when asked for.
    let check_sizes: &[usize] = if std::env::args().any(|a| a == "--large") { &[1000, 10_000] } else { &[1000] };
    let check_bench = check_all::CheckAllBench {
        runs: std::env::args().skip_while(|a| a != "--runs").nth(1).and_then(|n| n.parse().ok()),
        dovecot_defaults: std::env::args().any(|a| a == "--dovecot-defaults"),
    };
    if only_checks {
        check_all::print(&check_all::run(&pki, check_sizes, check_bench).await);
        return;
    }
    let discovery_rows = if only_folders { Vec::new() } else { discovery::run(&pki, quick).await };
    if only_discovery {
        discovery::print(&discovery_rows);
        return;
    }
    let mut rows = Vec::new();
    let mut process_rows = Vec::new();
    let only: Option<usize> = std::env::args().skip_while(|a| a != "--only").nth(1).and_then(|n| n.parse().ok());
    let all: &[usize] = if quick { &[100, 1000] } else { &[100, 1000, 10_000] };
    let sizes: Vec<usize> = all.iter().copied().filter(|n| only.is_none_or(|o| o == *n)).collect();
    for n in sizes {
        let server = Dovecot::start(
            &pki,
            DovecotOptions { extra_folders: inlet_testkit::make_folders_tree(n), ..Default::default() },
        )
        .expect("dovecot");
        if only_processes {
            // Warmed by the whole-process runs' own untimed first runs.
            process_rows.push(whole_process::measure(&pki, &server, n, process_runs(n), before_cli.as_deref()));
            continue;
        }
        let runs = if n >= 10_000 { 9 } else { 21 };
        for delay in [Duration::ZERO, Duration::from_millis(20)] {
            let proxy =
                (!delay.is_zero()).then(|| DelayProxy::start(([127, 0, 0, 1], server.imaps_port()).into(), delay));
            let port = proxy.as_ref().map(|p| p.port()).unwrap_or(server.imaps_port());
            let (engine_ms, baseline_ms, raw_engine_command_ms) = measure(&tls, &pki, port, runs).await;
            let latency =
                if delay.is_zero() { "loopback".to_owned() } else { format!("+{} ms each way", delay.as_millis()) };
            rows.push(Row {
                what: "folder tree with counts".into(),
                input: format!("{n} folders, {latency}"),
                engine_ms,
                baseline_ms,
                raw_engine_command_ms,
            });
        }
        process_rows.push(whole_process::measure(&pki, &server, n, process_runs(n), before_cli.as_deref()));
        // The same tree from a server that does not offer LIST-STATUS: the engine pipelines
        // STATUS commands, so latency should add about one round trip here too, not one per folder.
        let plain = Dovecot::start(
            &pki,
            DovecotOptions {
                extra_folders: inlet_testkit::make_folders_tree(n),
                imap_capability: Some(
                    "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE SPECIAL-USE LIST-EXTENDED AUTH=PLAIN".into(),
                ),
                ..Default::default()
            },
        )
        .expect("dovecot");
        for delay in [Duration::ZERO, Duration::from_millis(20)] {
            let proxy =
                (!delay.is_zero()).then(|| DelayProxy::start(([127, 0, 0, 1], plain.imaps_port()).into(), delay));
            let port = proxy.as_ref().map(|p| p.port()).unwrap_or(plain.imaps_port());
            let engine_ms = measure_engine(&tls, port, if n >= 10_000 { 5 } else { 11 }).await;
            let latency =
                if delay.is_zero() { "loopback".to_owned() } else { format!("+{} ms each way", delay.as_millis()) };
            rows.push(Row {
                what: "tree, server without LIST-STATUS (pipelined STATUS)".into(),
                input: format!("{n} folders, {latency}"),
                engine_ms,
                baseline_ms: f64::NAN,
                raw_engine_command_ms: f64::NAN,
            });
        }
    }
    if only_processes {
        whole_process::print(&process_rows);
        return;
    }
    println!();
    println!(
        "| what | input | engine median | baseline median (one LIST-STATUS) | ratio | raw client, engine's command |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for r in &rows {
        if r.baseline_ms.is_nan() {
            println!("| {} | {} | {:.1} ms | — | — | — |", r.what, r.input, r.engine_ms);
            continue;
        }
        println!(
            "| {} | {} | {:.1} ms | {:.1} ms | {:.2}× | {:.1} ms |",
            r.what,
            r.input,
            r.engine_ms,
            r.baseline_ms,
            r.engine_ms / r.baseline_ms,
            r.raw_engine_command_ms
        );
    }
    println!();
    println!("Latency added by +20 ms each way (one round trip is 40 ms):");
    for pair in rows.chunks(2) {
        if let [a, b] = pair {
            println!(
                "  {} at {}: {:+.0} ms",
                a.what,
                a.input.split(',').next().unwrap_or(""),
                b.engine_ms - a.engine_ms
            );
        }
    }
    println!();
    println!("Server warmed before timing (2 untimed runs each). Target: ratio ≤ 1.20 at 10,000 folders.");
    whole_process::print(&process_rows);
    if !discovery_rows.is_empty() {
        discovery::print(&discovery_rows);
    }
    if !only_folders {
        sign_in::print(&sign_in::run(&pki, quick).await);
        check_all::print(&check_all::run(&pki, check_sizes, check_bench).await);
    }
}

/// Medians of `runs` alternating engine and baseline runs, after warming.
async fn measure(tls: &Network, pki: &TestPki, port: u16, runs: usize) -> (f64, f64, f64) {
    let mut engine_session = engine_sign_in(tls, port).await;
    let mut baseline = Baseline::sign_in(pki, port).await;
    let deadlines = Deadlines::all(Duration::from_secs(120));
    let mut engine = Vec::new();
    let mut base = Vec::new();
    let mut raw_engine = Vec::new();
    for i in 0..runs + 2 {
        let t = Instant::now();
        let tree = imap::load_folders(&mut engine_session, &deadlines, &Progress::new(&NoProgress))
            .await
            .expect("engine lists");
        let e = t.elapsed();
        assert!(!tree.folders.is_empty());
        let t = Instant::now();
        baseline.list_status().await;
        let b = t.elapsed();
        let t = Instant::now();
        baseline.command("LIST \"\" \"*\" RETURN (SUBSCRIBED SPECIAL-USE STATUS (MESSAGES UNSEEN))").await;
        let r = t.elapsed();
        if i >= 2 {
            engine.push(e.as_secs_f64() * 1000.0);
            base.push(b.as_secs_f64() * 1000.0);
            raw_engine.push(r.as_secs_f64() * 1000.0);
        }
    }
    (median(engine), median(base), median(raw_engine))
}

/// Engine only (for the server without LIST-STATUS, where no one-command baseline exists).
async fn measure_engine(tls: &Network, port: u16, runs: usize) -> f64 {
    let mut session = engine_sign_in(tls, port).await;
    let deadlines = Deadlines::all(Duration::from_secs(300));
    let mut times = Vec::new();
    for i in 0..runs + 1 {
        let t = Instant::now();
        let tree =
            imap::load_folders(&mut session, &deadlines, &Progress::new(&NoProgress)).await.expect("engine lists");
        assert!(tree.folders.iter().filter(|f| f.selectable).all(|f| f.messages.is_some()));
        if i >= 1 {
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    median(times)
}

/// Whole-process runs per client: each takes a process start, a TLS handshake and the listing.
fn process_runs(folders: usize) -> usize {
    if folders >= 10_000 {
        15
    } else {
        21
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn engine_sign_in(tls: &Network, port: u16) -> imap::SignedIn {
    let endpoint = Endpoint { host: "localhost".into(), port, security: Security::Tls };
    let deadlines = Deadlines::default();
    let progress = Progress::new(&NoProgress);
    let dial = Dial {
        endpoint: &endpoint,
        allow_plaintext_password: false,
        network: tls,
        trusted: &[],
        deadlines: &deadlines,
        progress: &progress,
    };
    let connected = imap::connect(&dial).await.expect("connect");
    imap::sign_in(connected, &[USER.to_owned()], &Credentials::password(PASSWORD), &deadlines, &progress)
        .await
        .expect("sign in")
}

/// The minimal client: raw IMAP over rustls, no parsing beyond finding the tagged reply.
struct Baseline {
    stream: tokio_rustls::client::TlsStream<TcpStream>,
    buf: Vec<u8>,
    tag: u32,
}

impl Baseline {
    async fn sign_in(pki: &TestPki, port: u16) -> Baseline {
        let mut roots = rustls::RootCertStore::empty();
        let pem = std::fs::read(pki.ca_pem_path()).unwrap();
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            roots.add(cert.unwrap()).unwrap();
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let stream = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect("localhost".try_into().unwrap(), tcp)
            .await
            .unwrap();
        let mut b = Baseline { stream, buf: Vec::with_capacity(1 << 20), tag: 0 };
        b.read_until(b"* OK").await;
        b.command(&format!("LOGIN \"{USER}\" \"{PASSWORD}\"")).await;
        b
    }

    async fn list_status(&mut self) {
        self.command("LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))").await;
    }

    async fn command(&mut self, command: &str) {
        self.tag += 1;
        let tag = format!("b{}", self.tag);
        self.stream.write_all(format!("{tag} {command}\r\n").as_bytes()).await.unwrap();
        self.stream.flush().await.unwrap();
        let done = format!("{tag} OK");
        self.read_until(done.as_bytes()).await;
    }

    /// Reads until a line starts with `marker`.
    async fn read_until(&mut self, marker: &[u8]) {
        self.buf.clear();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut line_start = 0;
        loop {
            let n = self.stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "server closed");
            self.buf.extend_from_slice(&chunk[..n]);
            while let Some(pos) = self.buf[line_start..].iter().position(|&c| c == b'\n') {
                let line = &self.buf[line_start..line_start + pos];
                if line.starts_with(marker) {
                    return;
                }
                line_start += pos + 1;
            }
        }
    }
}
