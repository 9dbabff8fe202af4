//! Whole processes, as a technician or a script runs them: `inlet-cli connect --json` (release
//! build) against `baseline_list_status.py`, a minimal Python client (standard library only: TLS,
//! LOGIN, one LIST-STATUS read to its tagged OK, LOGOUT). Both start cold, connect over TLS to
//! the same warmed Dovecot, and are run alternately. Each run's wall time is spawn to exit; its
//! CPU is the child's user + system time as the kernel accounts it (getrusage of the children).
//!
//! Separately, one untimed run of the CLI over plain IMAP through a capturing proxy counts the
//! commands it sends, and how many of them waited for the answer to the one before.

use inlet_testkit::{CaptureProxy, Dovecot, TestPki};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{median, PASSWORD, USER};

/// One client's medians over the runs.
#[derive(Clone, Copy)]
pub struct Medians {
    pub wall_ms: f64,
    pub cpu_ms: f64,
}

pub struct ProcessRow {
    pub folders: usize,
    pub runs: usize,
    /// The CLI under test (next to this benchmark's own executable).
    pub cli: Medians,
    /// Another build of the CLI given with `--before-cli PATH`, run in the same rotation.
    pub before: Option<Medians>,
    pub python: Medians,
    /// The server's own time for the Python client's LIST-STATUS, as Dovecot states it in its
    /// tagged OK (median): the part of every client's wall time that no client can shorten.
    pub server_list_ms: Option<f64>,
    /// How long the Python client waited from connecting to the tagged OK of its LIST (median):
    /// its wall time less starting the interpreter and its own code around the conversation.
    pub python_waited_ms: Option<f64>,
    pub commands: CommandCount,
}

/// What the CLI sent on one connection.
#[derive(Clone, Copy, Default)]
pub struct CommandCount {
    /// Command lines (a SASL response line is part of its AUTHENTICATE, not counted).
    pub commands: usize,
    /// Lines written only after an answer of the server (a command, or a SASL response after
    /// the server's challenge): each costs a round trip.
    pub round_trips: usize,
}

/// The CLI beside this executable (both are built into the same `target/release`).
pub fn cli_path() -> PathBuf {
    let me = std::env::current_exe().expect("the bench's own path");
    let cli = me.with_file_name("inlet-cli");
    assert!(
        cli.exists(),
        "{} is missing: build it first (cargo build --release -p inlet-cli; ./dev bench does)",
        cli.display()
    );
    cli
}

/// Debian's interpreter when present: a version manager's `python3` shim would add its own start-up.
pub(crate) fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn baseline_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline_list_status.py")
}

/// `runs` alternating runs of each client against `server` (already started), after two
/// untimed warming runs of each.
pub fn measure(pki: &TestPki, server: &Dovecot, folders: usize, runs: usize, before_cli: Option<&Path>) -> ProcessRow {
    let scratch = tempfile::tempdir().expect("temp dir");
    let data = scratch.path();
    // An empty configuration: the defaults, not whatever this machine's user configured.
    std::fs::write(data.join("config.json"), "{}").expect("config file");
    let cli = cli_path();
    let port = server.imaps_port();
    let mut clients = vec![
        Client { name: "cli", command: Box::new(|| cli_command(&cli, pki, port, data)) },
        Client { name: "python", command: Box::new(|| python_command(pki, port)) },
    ];
    if let Some(before) = before_cli {
        clients.push(Client { name: "before", command: Box::new(move || cli_command(before, pki, port, data)) });
    }
    let mut samples: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); clients.len()];
    let mut server_list = Vec::new();
    let mut python_waited = Vec::new();
    for i in 0..runs + 2 {
        for (k, Client { name, command }) in clients.iter().enumerate() {
            let out = scratch.path().join(format!("{name}.out"));
            let (wall_ms, cpu_ms) = run_once(command(), &out);
            let printed = std::fs::read_to_string(&out).unwrap_or_default();
            let complained = std::fs::read_to_string(out.with_extension("err")).unwrap_or_default();
            let ok =
                if *name == "python" { printed.contains("bytes listed") } else { printed.starts_with("{\"ok\":true") };
            assert!(ok, "{name} failed: {}\n{complained}", printed.chars().take(400).collect::<String>());
            if i >= 2 {
                samples[k].0.push(wall_ms);
                samples[k].1.push(cpu_ms);
                if *name == "python" {
                    server_list.extend(server_seconds(&printed).map(|s| s * 1000.0));
                    python_waited.extend(waited_ms(&printed));
                }
            }
        }
    }
    let medians = |k: usize| Medians { wall_ms: median(samples[k].0.clone()), cpu_ms: median(samples[k].1.clone()) };
    ProcessRow {
        folders,
        runs,
        cli: medians(0),
        python: medians(1),
        before: before_cli.map(|_| medians(2)),
        server_list_ms: (!server_list.is_empty()).then(|| median(server_list)),
        python_waited_ms: (!python_waited.is_empty()).then(|| median(python_waited)),
        commands: count_commands(&cli, server, scratch.path()),
    }
}

/// The time Dovecot gives for a command at the end of its tagged OK, "… (0.084 + 0.000 + 0.083
/// secs).": the first figure, in seconds (None from a server that does not say it).
fn server_seconds(printed: &str) -> Option<f64> {
    let (_, timing) = printed.rsplit_once('(')?;
    let (total, rest) = timing.split_once(' ')?;
    if !rest.trim_end().ends_with("secs).") {
        return None;
    }
    total.parse().ok()
}

/// What the baseline client says it waited, "… waited 183.2 ms from connecting …": in ms.
fn waited_ms(printed: &str) -> Option<f64> {
    let (_, after) = printed.split_once("waited ")?;
    let (ms, _) = after.split_once(" ms from connecting")?;
    ms.parse().ok()
}

/// One of the clients taking turns: how to start a run of it.
struct Client<'a> {
    name: &'static str,
    command: Box<dyn Fn() -> Command + 'a>,
}

fn cli_command(cli: &Path, pki: &TestPki, port: u16, scratch: &Path) -> Command {
    let mut c = Command::new(cli);
    c.args(["connect", "--email", USER, "--host", "localhost", "--security", "tls", "--password-stdin", "--json"])
        .args(["--port", &port.to_string()])
        .arg("--ca-file")
        .arg(pki.ca_pem_path())
        .arg("--data-dir")
        .arg(scratch.join("data"))
        .env("INLET_CONFIG", scratch.join("config.json"));
    c
}

fn python_command(pki: &TestPki, port: u16) -> Command {
    let mut c = Command::new(python());
    c.arg(baseline_script()).args(["localhost", &port.to_string()]).arg(pki.ca_pem_path()).arg(USER);
    c
}

/// Runs `command` with the password on its standard input, its output in `out` and its errors
/// beside it (extension `err`); returns its
/// wall time and CPU time (user + system) in milliseconds.
fn run_once(mut command: Command, out: &Path) -> (f64, f64) {
    let file = std::fs::File::create(out).expect("output file");
    let errors = std::fs::File::create(out.with_extension("err")).expect("error file");
    command.stdin(Stdio::piped()).stdout(file).stderr(errors);
    let start = Instant::now();
    let mut child = command.spawn().expect("starting a client");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).expect("password to stdin");
    }
    // The children's CPU as the kernel counts it: what the waited-for children used in all
    // grows by exactly this child's share (the bench waits for no other process meanwhile).
    let before = children_cpu_ms();
    child.wait().expect("waiting for a client");
    let wall = start.elapsed();
    (wall.as_secs_f64() * 1000.0, children_cpu_ms() - before)
}

/// User plus system time of every child waited for so far (getrusage RUSAGE_CHILDREN), in ms.
fn children_cpu_ms() -> f64 {
    // SAFETY: an all-zero rusage is a valid value, and getrusage only writes into it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let done = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(done, 0, "getrusage: {}", std::io::Error::last_os_error());
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

/// One CLI run over plain IMAP through a capturing proxy (Dovecot accepts a password in clear
/// from 127.0.0.1): the same commands as over TLS, readable on the wire.
fn count_commands(cli: &Path, server: &Dovecot, scratch: &Path) -> CommandCount {
    let proxy = CaptureProxy::start(server.imap_addr());
    let mut c = Command::new(cli);
    c.args(["connect", "--email", USER, "--host", "127.0.0.1", "--security", "none", "--password-stdin", "--json"])
        .args(["--allow-plaintext-password", "--port", &proxy.port().to_string()])
        .arg("--data-dir")
        .arg(scratch.join("data"))
        .env("INLET_CONFIG", scratch.join("config.json"));
    let out = scratch.join("count.out");
    run_once(c, &out);
    assert!(std::fs::read_to_string(&out).unwrap_or_default().starts_with("{\"ok\":true"), "counting run failed");
    let sent = proxy.client_bytes();
    if std::env::var_os("INLET_BENCH_TRACE").is_some() {
        // The password is the bench's own, of a throwaway test account.
        eprintln!("the CLI sent:\n{}", String::from_utf8_lossy(&sent));
    }
    count_in(&sent)
}

/// Commands in what a client sent: lines that start with a tag and a command name. Every line
/// is a round trip of its own except a STATUS written right after another STATUS: our client
/// writes a pipelined batch back to back and otherwise waits for each answer, so the server's
/// side is not needed to tell them apart.
fn count_in(sent: &[u8]) -> CommandCount {
    let mut count = CommandCount::default();
    let mut previous_was_status = false;
    for line in sent.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let text = String::from_utf8_lossy(line);
        let mut words = text.split(' ');
        let tagged = words.next().is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric()));
        let verb = words.next().unwrap_or("");
        let is_command = tagged && !verb.is_empty() && verb.chars().all(|c| c.is_ascii_alphabetic());
        let is_status = is_command && verb.eq_ignore_ascii_case("STATUS");
        count.commands += usize::from(is_command);
        if !(is_status && previous_was_status) {
            count.round_trips += 1;
        }
        previous_was_status = is_status;
    }
    count
}

pub fn print(rows: &[ProcessRow]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!("Whole processes over TLS: `inlet-cli connect --json` (release) against the Python baseline client");
    println!(
        "(LOGIN, one LIST-STATUS, LOGOUT), alternating, on the same warmed Dovecot. CPU = user + sys of the child."
    );
    println!();
    println!(
        "| folders | runs | inlet-cli wall | Python wall | wall ratio | inlet-cli CPU | Python CPU | CPU ratio | commands (round trips) | Dovecot's own LIST-STATUS time | Python's wait, connect to LIST done |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.0} ms | {:.0} ms | {:.2}× | {:.0} ms | {:.0} ms | {:.2}× | {} ({}) | {} | {} |",
            r.folders,
            r.runs,
            r.cli.wall_ms,
            r.python.wall_ms,
            r.cli.wall_ms / r.python.wall_ms,
            r.cli.cpu_ms,
            r.python.cpu_ms,
            r.cli.cpu_ms / r.python.cpu_ms,
            r.commands.commands,
            r.commands.round_trips,
            r.server_list_ms.map_or("—".to_owned(), |ms| format!("{ms:.0} ms")),
            r.python_waited_ms.map_or("—".to_owned(), |ms| format!("{ms:.0} ms ({:.2}×)", ms / r.python.wall_ms))
        );
        if let Some(b) = r.before {
            println!(
                "| {} (--before-cli) | {} | {:.0} ms | {:.0} ms | {:.2}× | {:.0} ms | {:.0} ms | {:.2}× | | | |",
                r.folders,
                r.runs,
                b.wall_ms,
                r.python.wall_ms,
                b.wall_ms / r.python.wall_ms,
                b.cpu_ms,
                r.python.cpu_ms,
                b.cpu_ms / r.python.cpu_ms
            );
        }
    }
    println!();
    println!("Targets at 10,000 folders: wall ≤ 0.80× Python, CPU ≤ 40 ms, ≤ 5 sequential commands (round trips).");
    println!(
        "Dovecot's own time is what it states in its tagged OK to the Python client's LIST-STATUS: every client waits that long."
    );
    println!(
        "Python's wait is its time from connecting to the tagged OK of its LIST (TLS, LOGIN, LIST-STATUS), and its share of"
    );
    println!("its wall time: a client asking the same of the server finishes below that share only if the server answers it faster.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_commands_and_round_trips() {
        let sent = b"A1 AUTHENTICATE PLAIN\r\nAGFsaWNlAHBhc3M=\r\nA2 CAPABILITY\r\nA3 LIST \"\" \"*\"\r\n\
                     S0 STATUS \"a\" (MESSAGES UNSEEN)\r\nS1 STATUS \"b\" (MESSAGES UNSEEN)\r\nA4 LOGOUT\r\n";
        let c = count_in(sent);
        assert_eq!((c.commands, c.round_trips), (6, 6));
    }

    #[test]
    fn reads_the_time_dovecot_states_for_a_command() {
        let printed =
            "1207367 bytes listed, 3 commands; the server said: a2 OK List completed (0.325 + 0.000 + 0.324 secs).\n";
        assert_eq!(server_seconds(printed), Some(0.325));
        assert_eq!(server_seconds("1207367 bytes listed, 3 commands; the server said: a2 OK List completed.\n"), None);
    }

    #[test]
    fn reads_how_long_the_baseline_waited() {
        let printed = "1207367 bytes listed, 3 commands; waited 183.2 ms from connecting to the listing's end;\n\
                       the server said: a2 OK List completed (0.167 + 0.000 + 0.166 secs).\n";
        assert_eq!(waited_ms(printed), Some(183.2));
        assert_eq!(server_seconds(printed), Some(0.167));
        assert_eq!(waited_ms("1207367 bytes listed, 3 commands; the server said: a2 OK\n"), None);
        assert_eq!(server_seconds("a2 OK done (see RFC 5819)\n"), None);
    }
}
