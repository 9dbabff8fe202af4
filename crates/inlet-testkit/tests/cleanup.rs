//! Servers kept in statics (never dropped) are still cleaned up when the test process exits.

use std::process::Command;
use std::sync::OnceLock;

use inlet_testkit::{Dovecot, DovecotOptions, Keychain, TestPki};

static PKI: OnceLock<TestPki> = OnceLock::new();
static DOVECOT: OnceLock<Dovecot> = OnceLock::new();
static KEYCHAIN: OnceLock<Keychain> = OnceLock::new();

/// Runs only inside the child process started by the test below.
#[test]
fn child_keeps_servers_in_statics() {
    if std::env::var_os("INLET_TESTKIT_CLEANUP_CHILD").is_none() {
        return;
    }
    let pki = PKI.get_or_init(TestPki::generate);
    let d = DOVECOT.get_or_init(|| Dovecot::start(pki, DovecotOptions::default()).unwrap());
    let k = KEYCHAIN.get_or_init(|| Keychain::start().unwrap());
    println!("DIRS {} {} {}", pki.dir().display(), d.dir().display(), k.dir().display());
}

#[test]
fn statics_are_cleaned_up_at_exit() {
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_keeps_servers_in_statics", "--nocapture", "--test-threads=1"])
        .env("INLET_TESTKIT_CLEANUP_CHILD", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Dovecot's processes are titled "dovecot-<instance_name>/...", and the instance name
    // holds the pid of the process that started it.
    let instance = format!("inlet-test-{}-", child.id());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    // libtest may print "test name ... " on the same line first.
    let line = stdout.lines().find_map(|l| l.split_once("DIRS ")).expect("child printed its dirs").1;
    let dirs: Vec<&str> = line.split(' ').take(3).collect();
    assert_eq!(dirs.len(), 3);
    for dir in &dirs {
        assert!(!std::path::Path::new(dir).exists(), "{dir} left behind");
    }
    // No process still runs with a config or bus in those dirs, nor any of Dovecot's helpers.
    let ps = Command::new("ps").args(["-eo", "stat,args"]).output().unwrap();
    let ps = String::from_utf8_lossy(&ps.stdout);
    let alive: Vec<&str> = ps.lines().filter(|l| !l.starts_with('Z')).collect();
    for needle in dirs.iter().copied().chain([instance.as_str()]) {
        assert!(!alive.iter().any(|l| l.contains(needle)), "a process still uses {needle}:\n{ps}");
    }
}
