//! The desktop notification when the checks disable a mailbox, observed as the real D-Bus call:
//! python-dbusmock's notification daemon (the freedesktop `org.freedesktop.Notifications`
//! service) runs on the test's own session bus and logs each `Notify` it receives, while the
//! real Dovecot refuses the mailbox's password.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::secrets::Credentials;
use inlet_core::{Engine, EngineConfig, SaveRequest};
use inlet_testkit::{Dovecot, DovecotOptions, Keychain};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A notification daemon on the keychain's session bus that logs every call to `log`.
struct NotificationDaemon {
    child: Child,
    log: PathBuf,
}

impl NotificationDaemon {
    fn start(keychain: &Keychain, dir: &Path) -> NotificationDaemon {
        let log = dir.join("notifications.log");
        let child = keychain
            .command("/usr/bin/python3")
            .args(["-m", "dbusmock", "--session", "--template", "notification_daemon", "--logfile"])
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3-dbusmock runs (Debian package python3-dbusmock)");
        let daemon = NotificationDaemon { child, log };
        let started = Instant::now();
        while !daemon.is_serving(keychain) {
            assert!(started.elapsed() < Duration::from_secs(20), "the notification daemon never took its bus name");
            std::thread::sleep(Duration::from_millis(50));
        }
        daemon
    }

    fn is_serving(&self, keychain: &Keychain) -> bool {
        let out = keychain
            .command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).contains("boolean true")
    }

    /// The `Notify` calls logged so far, one line each.
    fn notify_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" Notify "))
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for NotificationDaemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_check_that_disables_a_mailbox_notifies_the_desktop_once_naming_it_and_why() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let tmp = tempfile::tempdir().unwrap();
    let daemon = NotificationDaemon::start(&keychain, tmp.path());
    let mut server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let policy = tmp.path().join("policy.json");
    std::fs::write(&policy, r#"{"errorThresholds": {"incoming": 2}}"#).unwrap();
    let engine = Engine::new(EngineConfig {
        data_dir: Some(tmp.path().join("data")),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-notify-{}", std::process::id()),
        policy_file: Some(policy),
        ..Default::default()
    })
    .unwrap();
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.incoming.settings_mut().username = Some(ALICE.into());
    let request = SaveRequest {
        settings,
        folders: Vec::new(),
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: None,
    };
    let saved = engine.save_mailbox(&request, &Recorder::default()).await.unwrap();
    engine.describe_mailbox(saved.id, Some("Alice at work".into()), None).await.unwrap();

    server.set_password(ALICE, "looking-glass-77").unwrap();
    let first = engine.check_mailbox(saved.id).await.unwrap();
    assert!(!first.disabled_now);
    assert!(daemon.notify_calls().is_empty(), "one error is no reason to notify");
    let second = engine.check_mailbox(saved.id).await.unwrap();
    assert!(second.disabled_now);
    // A disabled mailbox checked again (Check now) is not announced again.
    assert!(!engine.check_mailbox(saved.id).await.unwrap().disabled_now);

    let calls = daemon.notify_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert!(call.contains("\"Inlet\""), "the app's name: {call}");
    assert!(call.contains("Inlet turned off Alice at work (alice@example.test)"), "names the mailbox: {call}");
    assert!(call.contains("incoming server failed 2 checks in a row"), "says why: {call}");
    assert!(call.contains(&second.status.last_error_title.clone().unwrap()), "the last error: {call}");
    assert!(!call.contains(ALICE_PASSWORD) && !call.contains("looking-glass-77"), "no secret: {call}");
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}
