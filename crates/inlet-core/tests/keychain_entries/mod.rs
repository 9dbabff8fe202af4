//! What the keychain holds, asked over D-Bus like any Secret Service client would. Works while
//! the keychain is locked too: `SearchItems` lists locked items (by path) without unlocking them.
#![allow(dead_code)]

use inlet_testkit::Keychain;

/// How many keychain entries exist for `account` under `service` (the keyring crate stores
/// both as attributes).
pub fn count(keychain: &Keychain, service: &str, account: &str) -> usize {
    search(keychain, &[("service", service), ("username", account)])
}

/// How many entries exist under `service`, whatever their account.
pub fn count_service(keychain: &Keychain, service: &str) -> usize {
    search(keychain, &[("service", service)])
}

fn search(keychain: &Keychain, attributes: &[(&str, &str)]) -> usize {
    let dict = attributes.iter().map(|(k, v)| format!("{k},{v}")).collect::<Vec<_>>().join(",");
    let out = keychain
        .command("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--reply-timeout=10000",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.SearchItems",
        ])
        .arg(format!("dict:string:string:{dict}"))
        .output()
        .expect("dbus-send runs");
    assert!(out.status.success(), "SearchItems failed: {}", String::from_utf8_lossy(&out.stderr));
    // The reply is two arrays (unlocked, locked) of `object path "..."` lines.
    String::from_utf8_lossy(&out.stdout).matches("object path \"").count()
}

/// The process id of the keychain daemon (the owner of org.freedesktop.secrets on its bus).
pub fn daemon_pid(keychain: &Keychain) -> u32 {
    let out = keychain
        .command("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .expect("dbus-send runs");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split("uint32").nth(1).and_then(|s| s.trim().parse().ok()).expect("the daemon's pid")
}
