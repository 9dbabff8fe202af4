//! Starts the real servers the end-to-end tests (tests/e2e) and the demo talk to: a test PKI, a
//! private Dovecot with a realistic mailbox, and a private keychain (D-Bus + gnome-keyring).
//!
//! When everything answers it prints ONE line of JSON to stdout, e.g.
//!
//! ```json
//! {"host":"127.0.0.1","imapsPort":40123,"imapsSlowPort":40125,"imapPort":40124,"pop3Port":..,"pop3sPort":..,
//!  "caFile":"/tmp/inlet-pki-x/ca.pem","users":[["alice@example.test","wonderland-42"],["bob","builder-7"]],
//!  "folders":["Projets","Projets/Réunions",..],"inboxMessages":12,"inboxUnseen":8,
//!  "keychainEnv":{"DBUS_SESSION_BUS_ADDRESS":"unix:path=/tmp/inlet-keychain-x/bus"},
//!  "dovecotDir":"/tmp/inlet-dovecot-x","keychainDir":"/tmp/inlet-keychain-x"}
//! ```
//!
//! then keeps running until its standard input closes or it gets SIGTERM, SIGINT or SIGHUP,
//! and tears everything down (the servers' `Drop`s kill their processes and delete their temp
//! dirs). If it is killed outright, the kernel still kills the servers (see `process.rs`).
//!
//! Run as root (Dovecot needs it), e.g. `cargo run -p inlet-testkit --bin inlet-test-servers`.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use inlet_testkit::{CertKind, DelayProxy, Dovecot, DovecotOptions, Keychain, TestPki};

/// The mailbox of the first user (alice): nested folders, a non-ASCII one, an Archive with mail.
const FOLDERS: [&str; 9] = [
    "Projets",
    "Projets/Réunions",
    "Projets/Budget 2025",
    "Clients",
    "Clients/Acme",
    "Clients/Acme/Factures",
    "Newsletters",
    "Receipts",
    "Famille & Amis",
];
const INBOX_MESSAGES: usize = 12;
/// Latency each way on `imapsSlowPort`: a connection there takes a couple of seconds, long
/// enough to see (and screenshot) the progress of each step.
const SLOW_DELAY: Duration = Duration::from_millis(150);

/// The signal that ended the wait, 0 while none has come.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNAL.store(sig, Ordering::SeqCst);
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inlet-test-servers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Handlers (not a blocked mask): children get default dispositions back at exec.
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        unsafe {
            libc::signal(sig, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
        }
    }

    let pki = TestPki::generate();
    let opts = DovecotOptions {
        cert: CertKind::Valid,
        extra_folders: FOLDERS.iter().map(|s| s.to_string()).collect(),
        subscribe: vec!["INBOX".into(), "Projets".into(), "Projets/Réunions".into(), "Clients/Acme".into()],
        inbox_messages: INBOX_MESSAGES,
        folder_messages: vec![
            ("Archive".into(), 40, 0),
            ("Projets/Réunions".into(), 6, 2),
            ("Clients/Acme/Factures".into(), 9, 1),
            ("Newsletters".into(), 15, 15),
        ],
        ..DovecotOptions::default()
    };
    let dovecot = Dovecot::start(&pki, opts)?;
    let keychain = Keychain::start()?;
    let slow = DelayProxy::start(dovecot.imaps_addr(), SLOW_DELAY);

    let line = ready_json(&pki, &dovecot, &keychain, &slow);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    drop(out);
    eprintln!(
        "inlet-test-servers: ready (IMAPS 127.0.0.1:{}, IMAP 127.0.0.1:{}); close stdin or send SIGTERM to stop",
        dovecot.imaps_port(),
        dovecot.imap_port()
    );

    // Standard input: wait for EOF (or an error) on a thread, so signals are noticed meanwhile.
    let (eof_tx, eof_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = eof_tx.send(());
    });
    let why = loop {
        let sig = SIGNAL.load(Ordering::SeqCst);
        if sig != 0 {
            break format!("signal {sig}");
        }
        match eof_rx.recv_timeout(Duration::from_millis(100)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break "stdin closed".to_string(),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    eprintln!("inlet-test-servers: {why}; stopping");
    drop(slow);
    drop(keychain);
    drop(dovecot);
    drop(pki);
    Ok(())
}

fn ready_json(pki: &TestPki, dovecot: &Dovecot, keychain: &Keychain, slow: &DelayProxy) -> String {
    let users: Vec<String> =
        dovecot.users().iter().map(|(u, p)| format!("[{},{}]", json_str(u), json_str(p))).collect();
    let folders: Vec<String> = FOLDERS.iter().map(|f| json_str(f)).collect();
    let env: Vec<String> = keychain.env().iter().map(|(k, v)| format!("{}:{}", json_str(k), json_str(v))).collect();
    format!(
        concat!(
            "{{\"host\":{host},\"imapsPort\":{imaps},\"imapsSlowPort\":{slow},\"imapPort\":{imap},\"pop3sPort\":{pop3s},\"pop3Port\":{pop3},",
            "\"caFile\":{ca},\"users\":[{users}],\"folders\":[{folders}],",
            "\"inboxMessages\":{inbox},\"inboxUnseen\":{unseen},",
            "\"keychainEnv\":{{{env}}},\"dovecotDir\":{ddir},\"keychainDir\":{kdir}}}"
        ),
        host = json_str(dovecot.host()),
        imaps = dovecot.imaps_port(),
        slow = slow.port(),
        imap = dovecot.imap_port(),
        pop3s = dovecot.pop3s_port(),
        pop3 = dovecot.pop3_port(),
        ca = json_str(&pki.ca_pem_path().to_string_lossy()),
        users = users.join(","),
        folders = folders.join(","),
        inbox = INBOX_MESSAGES,
        unseen = INBOX_MESSAGES - INBOX_MESSAGES / 3,
        env = env.join(","),
        ddir = json_str(&dovecot.dir().to_string_lossy()),
        kdir = json_str(&keychain.dir().to_string_lossy()),
    )
}

/// A JSON string literal (the testkit has no serde_json, and this is all we need).
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
