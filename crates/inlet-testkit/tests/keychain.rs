//! The private keychain stores, returns and locks secrets, as seen by `secret-tool`.

use std::io::Write;
use std::process::Stdio;
use std::time::Instant;

use inlet_testkit::Keychain;

#[test]
fn store_lookup_lock() {
    let t = Instant::now();
    let kc = Keychain::start().expect("starting keychain");
    eprintln!("Keychain::start took {:?}", t.elapsed());
    assert!(kc.bus_address().starts_with("unix:path="));
    assert_eq!(kc.env(), vec![("DBUS_SESSION_BUS_ADDRESS".to_string(), kc.bus_address().to_string())]);
    assert_eq!(kc.default_collection().unwrap(), "/org/freedesktop/secrets/collection/login");
    assert!(!kc.is_locked().unwrap());

    let mut store = kc
        .command("secret-tool")
        .args(["store", "--label=Inlet test", "service", "inlet-test", "account", "alice@example.test"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("secret-tool (package libsecret-tools)");
    store.stdin.take().unwrap().write_all(b"wonderland-42").unwrap();
    assert!(store.wait().unwrap().success());

    let lookup = || {
        kc.command("secret-tool")
            .args(["lookup", "service", "inlet-test", "account", "alice@example.test"])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let out = lookup();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"wonderland-42");

    kc.lock().unwrap();
    assert!(kc.is_locked().unwrap());
    // Locked: the secret cannot be read (the unlock prompt has nobody to answer it).
    let out = lookup();
    assert!(!out.status.success() || out.stdout.is_empty(), "{out:?}");

    let t = Instant::now();
    drop(kc);
    eprintln!("Keychain drop took {:?}", t.elapsed());
}

#[test]
fn two_keychains_are_separate() {
    let a = Keychain::start().unwrap();
    let b = Keychain::start().unwrap();
    assert_ne!(a.bus_address(), b.bus_address());
}
