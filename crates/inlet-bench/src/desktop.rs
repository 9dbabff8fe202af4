//! The desktop app (release build, `target/release/inlet` beside this bench) as a person starts
//! it, under its own `xvfb-run -a` with a private HOME and XDG directories:
//!
//! 1. Cold start: exec to the address step painted and ready for typing. The app runs with
//!    `INLET_STARTUP_PROBE=1`, so once the address field has the focus and two more frames have run,
//!    the window calls the shell, which prints one line; the time is the bench's own, from spawn to
//!    that line on the app's standard output. The first start after a build is run untimed (the
//!    libraries come from disk), then every start is timed.
//! 2. Memory when idle on the address step: the PSS (proportional set size, from
//!    `/proc/PID/smaps_rollup`) of the app and every process under it (WebKitWebProcess,
//!    WebKitNetworkProcess), a few seconds after the probe line. The web process's mappings are
//!    grouped by what they are (`/proc/PID/smaps`), to say where its memory goes.
//! 3. CPU while idle with five saved mailboxes (on a Dovecot from the test kit, passwords in a
//!    private keychain): after the schedule's first round has checked all five, the CPU time
//!    (user + system, `/proc/PID/stat`) the process tree uses in the next 20 seconds.

use inlet_core::account::MailboxSettings;
use inlet_core::secrets::Keychain as EngineKeychain;
use inlet_core::store::Store;
use inlet_core::Secret;
use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::median;

/// The argument with which this bench runs itself under `xvfb-run`.
pub const INSIDE_XVFB: &str = "--desktop-inside-xvfb";

/// What the window's probe prints (src-tauri/startup_probe.rs).
const PROBE_LINE: &str = "inlet-startup-probe: painted";

/// How long the app is left alone after the probe line before its memory is read: WebKit's
/// first garbage collections and the schedule's start are over by then.
const SETTLE: Duration = Duration::from_secs(4);

/// The idle window over which the CPU is counted.
const IDLE_WINDOW: Duration = Duration::from_secs(20);

const MAILBOXES: usize = 5;

pub struct DesktopFigures {
    pub runs: usize,
    pub first_start_ms: f64,
    pub start_ms: Vec<f64>,
    /// Where start-up went: each phase the probe named (the shell's, then the page's), with its
    /// median over the timed runs, in ms after the shell's `run` began.
    pub start_phases: Vec<(String, f64)>,
    /// Median PSS per process kind over the runs, in MB.
    pub pss_mb: BTreeMap<String, f64>,
    /// The web process's PSS by mapping kind (from the last run), in MB, largest first.
    pub web_process_parts: Vec<(String, f64)>,
    /// CPU of the tree in the idle window, per process kind, in ms.
    pub idle_cpu_ms: BTreeMap<String, f64>,
    /// The schedule's first round (startup to all five checked), for reference.
    pub first_round_s: f64,
}

/// The release app in the bench's target directory (`target/release/inlet`, also when the bench
/// itself is a debug build), or the build named by `INLET_BENCH_APP` (e.g. main's, to compare).
pub fn app_path() -> PathBuf {
    if let Some(app) = std::env::var_os("INLET_BENCH_APP") {
        return app.into();
    }
    let me = std::env::current_exe().expect("the bench's own path");
    let target = me.parent().and_then(Path::parent).expect("the bench sits in target/<profile>/");
    let app = target.join("release").join("inlet");
    assert!(
        app.exists(),
        "{} is missing: build it first ((cd ui && npm run build); cargo build --release -p inlet --features custom-protocol; ./dev bench --desktop does)",
        app.display()
    );
    app
}

/// Runs the measurement in this bench again under a fresh X server and prints its table.
pub fn run_under_xvfb(quick: bool) {
    app_path();
    let me = std::env::current_exe().expect("the bench's own path");
    let mut c = Command::new("xvfb-run");
    // The e2e run's screen; the window is 900x680.
    c.args(["-a", "-s", "-screen 0 1280x1024x24"]).arg(me).arg(INSIDE_XVFB);
    if quick {
        c.arg("--quick");
    }
    let status = c.status().expect("xvfb-run (Debian package xvfb)");
    assert!(status.success(), "the desktop measurement failed ({status})");
}

/// Inside Xvfb: every measurement, then the table.
pub async fn inside_xvfb(quick: bool) {
    let figures = measure(quick).await;
    print(&figures);
}

/// The app's private world: HOME, XDG dirs and a configuration with its own data dir.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new(config: serde_json::Value) -> Scratch {
        let dir = tempfile::Builder::new().prefix("inlet-bench-desktop-").tempdir().expect("temp dir");
        for sub in ["home", "xdg/data", "xdg/config", "xdg/cache", "xdg/runtime", "data"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("scratch dirs");
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path().join("xdg/runtime"), std::fs::Permissions::from_mode(0o700))
            .expect("private runtime dir");
        let mut config = config;
        config["dataDir"] = serde_json::json!(dir.path().join("data"));
        // No administrator's policy from the machine running the bench.
        config["policyFile"] = serde_json::json!(dir.path().join("no-policy.json"));
        std::fs::write(dir.path().join("config.json"), config.to_string()).expect("config file");
        Scratch { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, keychain: &Keychain) -> Command {
        let d = self.dir.path();
        let mut c = Command::new(app_path());
        c.env("HOME", d.join("home"))
            .env("XDG_DATA_HOME", d.join("xdg/data"))
            .env("XDG_CONFIG_HOME", d.join("xdg/config"))
            .env("XDG_CACHE_HOME", d.join("xdg/cache"))
            .env("XDG_RUNTIME_DIR", d.join("xdg/runtime"))
            .env("INLET_CONFIG", d.join("config.json"))
            .env("INLET_STARTUP_PROBE", "1")
            // As in the e2e run: no accessibility bus to look for.
            .env("NO_AT_BRIDGE", "1")
            .envs(keychain.env())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(d.join("app.err")).expect("the app's error file"));
        c
    }
}

/// A started app and the lines of its standard output.
struct RunningApp {
    child: Child,
    started: Instant,
    lines: mpsc::Receiver<String>,
}

impl RunningApp {
    fn start(mut command: Command) -> RunningApp {
        let started = Instant::now();
        let mut child = command.spawn().expect("starting the app");
        let stdout = child.stdout.take().expect("stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        RunningApp { child, started, lines }
    }

    /// Milliseconds from spawn to the probe's line, and the phases the line names.
    fn wait_for_paint(&self) -> (f64, Vec<(String, f64)>) {
        let deadline = self.started + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(PROBE_LINE) => {
                    return (self.started.elapsed().as_secs_f64() * 1000.0, probe_phases(&line))
                }
                Ok(_) => {}
                Err(_) => panic!("the app did not report its address step painted within 60 s"),
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM (the app closes as when its window is closed), then waits; SIGKILL after 15 s.
    /// WebKit's processes end with it; any left over are ended by their ids.
    fn stop(mut self) {
        let tree = descendants(self.pid());
        // SAFETY: kill only sends a signal to the process this bench started.
        unsafe { libc::kill(self.pid() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        std::thread::sleep(Duration::from_millis(200));
        for (pid, _) in tree {
            if Path::new(&format!("/proc/{pid}")).exists() {
                // SAFETY: as above, a process started under this bench's app.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            }
        }
    }
}

async fn measure(quick: bool) -> DesktopFigures {
    let runs = if quick { 5 } else { 11 };
    let keychain = Keychain::start().expect("the private keychain starts (dbus, gnome-keyring)");
    keychain.install_for_this_process();
    keychain.keep_new_secrets_in_memory().expect("the keychain's default alias names its session collection");

    // 1 and 2: an empty store, so the window opens on the address step.
    let empty = Scratch::new(serde_json::json!({ "keychainService": "inlet-bench-desktop" }));
    let first = RunningApp::start(empty.command(&keychain));
    let (first_start_ms, _) = first.wait_for_paint();
    first.stop();
    let mut start_ms = Vec::new();
    let mut phases: Vec<(String, Vec<f64>)> = Vec::new();
    let mut pss: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut web_process_parts = Vec::new();
    for i in 0..runs {
        let app = RunningApp::start(empty.command(&keychain));
        let (ms, run_phases) = app.wait_for_paint();
        start_ms.push(ms);
        for (name, at) in run_phases {
            match phases.iter_mut().find(|(n, _)| *n == name) {
                Some((_, all)) => all.push(at),
                None => phases.push((name, vec![at])),
            }
        }
        std::thread::sleep(SETTLE);
        let tree = tree_of(app.pid());
        for (kind, kb) in sum_by_kind(&tree, pss_kb) {
            pss.entry(kind).or_default().push(kb as f64 / 1024.0);
        }
        if i + 1 == runs {
            if let Some((pid, _)) = tree.iter().find(|(_, comm)| comm.starts_with("WebKitWebProces")) {
                web_process_parts = mapping_kinds(*pid);
            }
        }
        app.stop();
    }
    let total: Vec<f64> = (0..runs).map(|i| pss.values().map(|v| v.get(i).copied().unwrap_or(0.0)).sum()).collect();
    let mut pss_mb: BTreeMap<String, f64> = pss.into_iter().map(|(k, v)| (k, median(v))).collect();
    pss_mb.insert("total".into(), median(total));

    // 3: five saved mailboxes on a Dovecot, their passwords in the keychain.
    let pki = TestPki::generate();
    let users: Vec<(String, String)> =
        (0..MAILBOXES).map(|i| (format!("idle{i}@example.test"), format!("idle-pass-{i}"))).collect();
    let server = Dovecot::start(&pki, DovecotOptions { users: users.clone(), ..Default::default() }).expect("dovecot");
    let service = "inlet-bench-desktop-idle";
    let saved = Scratch::new(serde_json::json!({
        "keychainService": service,
        "extraCaFiles": [pki.ca_pem_path()],
    }));
    let engine_keychain = EngineKeychain::new(service.to_owned(), Duration::from_secs(60));
    {
        let mut store = Store::open(&saved.data()).expect("store");
        for (user, password) in &users {
            let account = format!("{user}#1");
            engine_keychain.store(&account, &Secret::new(password.clone())).await.expect("keychain write");
            store.insert(&imap_settings(user, server.imaps_port()), &[], &account, 1).expect("store insert");
        }
    }
    // Without the start-up probe: the app as people run it (the probe waits on animation frames
    // for an address step this window, which opens on the list, never shows).
    let mut command = saved.command(&keychain);
    command.env_remove("INLET_STARTUP_PROBE");
    let app = RunningApp::start(command);
    let first_round_s = wait_for_checks(&saved.data(), app.started);
    // The round's last writes and the list's refresh.
    std::thread::sleep(Duration::from_secs(2));
    let before = sum_by_kind(&tree_of(app.pid()), cpu_ms);
    std::thread::sleep(IDLE_WINDOW);
    let after = sum_by_kind(&tree_of(app.pid()), cpu_ms);
    let mut app = app;
    if let Ok(Some(status)) = app.child.try_wait() {
        let said = std::fs::read_to_string(saved.dir.path().join("app.err")).unwrap_or_default();
        panic!("the app ended during the idle window ({status}):\n{said}");
    }
    app.stop();
    let mut idle_cpu_ms: BTreeMap<String, f64> =
        after.iter().map(|(k, v)| (k.clone(), (*v - before.get(k).copied().unwrap_or(0)) as f64)).collect();
    idle_cpu_ms.insert("total".into(), idle_cpu_ms.values().sum());

    let start_phases = phases.into_iter().map(|(name, all)| (name, median(all))).collect();
    DesktopFigures {
        runs,
        first_start_ms,
        start_ms,
        start_phases,
        pss_mb,
        web_process_parts,
        idle_cpu_ms,
        first_round_s,
    }
}

/// The phases on the probe's line: "… ms after the shell started; phases: engine-started=12.5 …"
/// (src-tauri/startup_probe.rs).
fn probe_phases(line: &str) -> Vec<(String, f64)> {
    let Some((_, phases)) = line.split_once("; phases:") else { return Vec::new() };
    phases
        .split_whitespace()
        .filter_map(|p| p.split_once('='))
        .filter_map(|(name, at)| Some((name.to_owned(), at.parse().ok()?)))
        .collect()
}

fn imap_settings(email: &str, port: u16) -> MailboxSettings {
    serde_json::from_value(serde_json::json!({
        "kind": "imap", "email": email,
        "incoming": {"protocol": "imap", "endpoint": {"host": "localhost", "port": port, "security": "tls"},
                     "username": null, "auth": "password", "allowPlaintextPassword": false},
        "outgoing": null, "trustedCertificates": []
    }))
    .expect("settings")
}

/// Waits until the store says every mailbox was checked successfully since the app started;
/// seconds since `started`.
fn wait_for_checks(data: &Path, started: Instant) -> f64 {
    let since_ms = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis()
        as i64)
        - started.elapsed().as_millis() as i64;
    let deadline = started + Duration::from_secs(60);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        let Ok(store) = Store::open(data) else { continue };
        let Ok(list) = store.list() else { continue };
        if list.len() == MAILBOXES && list.iter().all(|m| m.status.last_success_at.is_some_and(|t| t >= since_ms)) {
            return started.elapsed().as_secs_f64();
        }
    }
    panic!("the app's scheduled checks did not succeed for all {MAILBOXES} mailboxes within 60 s");
}

/// `pid` and every process under it, with their names (`comm`).
fn tree_of(pid: u32) -> Vec<(u32, String)> {
    let mut tree = vec![(pid, comm(pid))];
    tree.extend(descendants(pid));
    tree
}

fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned()
}

/// The processes under `pid`, at any depth, from each process's parent in `/proc/*/stat`.
fn descendants(pid: u32) -> Vec<(u32, String)> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Some(stat) = stat_fields(child) else { continue };
        if let Some(parent) = stat.get(1).and_then(|p| p.parse::<u32>().ok()) {
            parent_of.push((child, parent));
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for &(child, parent) in &parent_of {
            if parent == p {
                found.push((child, comm(child)));
                frontier.push(child);
            }
        }
    }
    found
}

/// The fields of `/proc/PID/stat` after the command name (which may hold spaces): the state is
/// [0], the parent [1], utime [11], stime [12].
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    Some(after_name.split_whitespace().map(str::to_owned).collect())
}

fn pss_kb(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    field_kb(&text, "Pss:")
}

fn field_kb(text: &str, name: &str) -> u64 {
    text.lines()
        .find(|l| l.starts_with(name))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// User + system time of `pid`, in ms.
fn cpu_ms(pid: u32) -> u64 {
    // SAFETY: sysconf only reads a constant of the system.
    let ticks_per_s = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let Some(f) = stat_fields(pid) else { return 0 };
    let ticks: u64 = [11, 12].iter().filter_map(|&i| f.get(i)?.parse::<u64>().ok()).sum();
    ticks * 1000 / ticks_per_s
}

/// `measure` of each process, summed by the kind of process (its name, WebKit's truncated to 15
/// characters by the kernel).
fn sum_by_kind(tree: &[(u32, String)], measure: fn(u32) -> u64) -> BTreeMap<String, u64> {
    let mut sums = BTreeMap::new();
    for (i, (pid, comm)) in tree.iter().enumerate() {
        let kind = if i == 0 { "app (inlet)".to_owned() } else { comm.clone() };
        *sums.entry(kind).or_default() += measure(*pid);
    }
    sums
}

/// The web process's PSS by what each mapping is: the JavaScript heap and JIT code, the malloc
/// heap, GPU and shared buffers, fonts, and libraries (the largest few by name).
fn mapping_kinds(pid: u32) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut name = String::new();
    for line in text.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if first.contains('-') && !first.ends_with(':') {
            // A mapping's header: address range, perms, offset, device, inode, then its name.
            name = line.split_whitespace().skip(5).collect::<Vec<_>>().join(" ");
        } else if let Some(kb) = line.strip_prefix("Pss:") {
            let kb: u64 = kb.trim().trim_end_matches(" kB").trim().parse().unwrap_or(0);
            *kinds.entry(mapping_kind(&name)).or_default() += kb;
        }
    }
    let mut parts: Vec<(String, f64)> = kinds.into_iter().map(|(k, kb)| (k, kb as f64 / 1024.0)).collect();
    parts.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap());
    parts
}

fn mapping_kind(name: &str) -> String {
    let file = name.rsplit('/').next().unwrap_or(name);
    match name {
        "" => "anonymous (JavaScriptCore heap, JIT, malloc arenas)".into(),
        "[heap]" => "[heap] (malloc)".into(),
        "[stack]" => "[stack]".into(),
        n if n.starts_with("/dev/dri") => "GPU buffers (/dev/dri)".into(),
        n if n.starts_with("/memfd:") || n.starts_with("/dev/shm") || n.starts_with("/SYSV") => {
            format!("shared memory ({})", n.split_whitespace().next().unwrap_or(n))
        }
        n if n.ends_with(".ttf") || n.ends_with(".otf") || n.contains("fontconfig") || n.contains("/fonts/") => {
            "fonts and font caches".into()
        }
        _ if file.contains("libjavascriptcore") => "libjavascriptcoregtk (code)".into(),
        _ if file.contains("libwebkit") => "libwebkit2gtk (code)".into(),
        n if n.contains("/gstreamer") || file.contains("libgst") => "gstreamer libraries".into(),
        n if file.contains("libLLVM") || n.contains("/dri/") || file.contains("libgallium") => {
            "Mesa / LLVM (software GL)".into()
        }
        _ if file.contains(".so") => "other libraries".into(),
        n if n.starts_with('[') => n.into(),
        _ => format!("other files ({file})"),
    }
}

fn print(f: &DesktopFigures) {
    let ms = |v: f64| format!("{v:.0} ms");
    println!();
    println!("The desktop app (release build, under Xvfb, private HOME): cold start to the painted address step,");
    println!("its process tree's memory when idle there, and its CPU when idle with {MAILBOXES} saved mailboxes.");
    println!();
    println!("| what | input | median | runs | target | ratio |");
    println!("|---|---|---:|---:|---:|---:|");
    let start = median(f.start_ms.clone());
    println!(
        "| exec to address step painted, field focused | empty store (first start after the build: {}) | {} | {} | ≤ 500 ms | {:.2}× |",
        ms(f.first_start_ms),
        ms(start),
        f.runs,
        start / 500.0
    );
    let total = f.pss_mb.get("total").copied().unwrap_or(0.0);
    let parts = f
        .pss_mb
        .iter()
        .filter(|(k, _)| *k != "total")
        .map(|(k, v)| format!("{k} {v:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "| PSS of the process tree, idle on the address step | {} s after painting; MB: {parts} | {total:.0} MB | {} | ≤ 200 MB | {:.2}× |",
        SETTLE.as_secs(),
        f.runs,
        total / 200.0
    );
    let cpu = f.idle_cpu_ms.get("total").copied().unwrap_or(0.0);
    let parts = f
        .idle_cpu_ms
        .iter()
        .filter(|(k, _)| *k != "total")
        .map(|(k, v)| format!("{k} {v:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "| CPU of the tree over {} s idle | {MAILBOXES} saved mailboxes, after the first round (done {:.1} s after exec); ms: {parts} | {cpu:.0} ms ({:.2} % of a core) | 1 | near zero | — |",
        IDLE_WINDOW.as_secs(),
        f.first_round_s,
        cpu / IDLE_WINDOW.as_secs_f64() / 10.0
    );
    if !f.start_phases.is_empty() {
        println!();
        println!(
            "Where the start-up goes (medians; ms after the shell's `run` began, which the dynamic loader precedes):"
        );
        let mut before = 0.0;
        for (name, at) in &f.start_phases {
            println!("  {at:7.1} ms  {name}  (+{:.1})", at - before);
            before = *at;
        }
    }
    if !f.web_process_parts.is_empty() {
        println!();
        println!("What the web process holds (PSS by mapping, last run):");
        for (kind, mb) in f.web_process_parts.iter().filter(|(_, mb)| *mb >= 0.5) {
            println!("  {mb:6.1} MB  {kind}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::probe_phases;

    #[test]
    fn the_probe_line_gives_its_phases_in_order() {
        // As src-tauri/startup_probe.rs writes it.
        let line = "inlet-startup-probe: painted 593.2 ms after the shell started; phases: engine-started=0.4 \
                    window-created=142.0 mounted=393.6 focused=593.2";
        assert_eq!(
            probe_phases(line),
            [("engine-started", 0.4), ("window-created", 142.0), ("mounted", 393.6), ("focused", 593.2)]
                .map(|(n, at)| (n.to_owned(), at))
        );
        // A shell of before the phases: the time only.
        assert!(probe_phases("inlet-startup-probe: painted 700.0 ms after the shell started").is_empty());
    }
}
