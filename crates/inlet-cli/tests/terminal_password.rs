//! The password typed at a terminal is not echoed: inlet-cli runs under a real pseudo-terminal
//! (python3's pty module plays the user), the canary password is typed after the prompt, and
//! everything the terminal showed is searched for it. The sign-in against a real Dovecot shows
//! the password was read all the same.

use inlet_testkit::{Dovecot, DovecotOptions, TestPki};
use std::process::Command;

const CANARY: &str = "tty-canary-5Wq8";

/// Runs argv[1..] on a new pseudo-terminal. Waits for the prompt, then for echo to be turned off
/// (at most 5 s: a program that never turns it off is typed into anyway, so its echo shows), types
/// the password, Enter and Ctrl-D (the end of input for a program reading to the end), and writes
/// everything the terminal showed to stdout, then the exit code on the last line.
const DRIVER: &str = r#"
import os, pty, sys, termios, time, select
password = os.environ["TYPED_PASSWORD"].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
shown = b""
def read_some(timeout):
    global shown
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    shown += chunk
    return True
deadline = time.monotonic() + 20
while b"Password:" not in shown and time.monotonic() < deadline:
    if not read_some(0.1):
        break
deadline = time.monotonic() + 5
while termios.tcgetattr(fd)[3] & termios.ECHO and time.monotonic() < deadline:
    read_some(0.05)
os.write(fd, password + b"\n" + b"\x04")
while read_some(30):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.stdout.buffer.write(b"\nEXIT %d\n" % os.waitstatus_to_exitcode(status))
"#;

#[test]
fn a_password_typed_at_a_terminal_is_not_echoed() {
    let pki = TestPki::generate();
    let users = vec![("alice@example.test".to_owned(), CANARY.to_owned())];
    let server = Dovecot::start(&pki, DovecotOptions { users, ..Default::default() }).unwrap();
    let port = server.imaps_port().to_string();
    let out = Command::new("python3")
        .args(["-c", DRIVER, env!("CARGO_BIN_EXE_inlet-cli")])
        .args(["connect", "--email", "alice@example.test", "--host", "localhost", "--port", &port])
        .args(["--password-stdin", "--ca-file", pki.ca_pem_path().to_str().unwrap()])
        .env("TYPED_PASSWORD", CANARY)
        .output()
        .expect("python3 runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "driver failed: {}\n{shown}", String::from_utf8_lossy(&out.stderr));
    assert!(shown.contains("Password:"), "no prompt on the terminal:\n{shown}");
    assert!(!shown.contains(CANARY), "the typed password came back on the terminal:\n{shown}");
    assert!(shown.contains("Signed in to"), "the password typed at the terminal was not used:\n{shown}");
    assert!(shown.trim_end().ends_with("EXIT 0"), "{shown}");
}
