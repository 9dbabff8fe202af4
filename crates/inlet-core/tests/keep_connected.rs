//! Keeping saved mailboxes connected, against the real Dovecot, a real SMTP server that answers
//! 421, and the private keychain: checks count errors up to the threshold and disable the
//! mailbox, a password update brings it back, throttling backs off without counting, reconnect
//! keeps every setting, and removal leaves no keychain entry.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::{Endpoint, OutgoingSettings, Security, Side};
use inlet_core::health::{os_user, CheckAllOptions, CheckOutcome, StatusBadge};
use inlet_core::progress::{Stage, StageState};
use inlet_core::secrets::Credentials;
use inlet_core::store::{ChosenFolder, MailboxRecord, Store};
use inlet_core::{DiagnosisCode, Engine, EngineConfig, SaveRequest, Secret};
use inlet_testkit::faults::{Answer, ScriptedServer};
use inlet_testkit::{Dovecot, DovecotOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;

const NEW_PASSWORD: &str = "looking-glass-77";

/// An engine whose administrator's policy file has `policy` (None: no file).
fn engine_with_policy(dir: &Path, policy: Option<&str>) -> Engine {
    let policy_file = dir.join("policy.json");
    if let Some(text) = policy {
        std::fs::write(&policy_file, text).unwrap();
    }
    Engine::new(EngineConfig {
        data_dir: Some(dir.join("data")),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        // Each test its own service, so counting one test's entries is not disturbed by another's.
        keychain_service: format!("inlet-test-{}-{}", std::process::id(), dir.file_name().unwrap().to_string_lossy()),
        policy_file: Some(policy_file),
        ..Default::default()
    })
    .expect("engine")
}

/// Saves alice's IMAP mailbox on `server` (INBOX and Sent chosen) with `outgoing`.
async fn save_alice(engine: &Engine, server: &Dovecot, outgoing: Option<OutgoingSettings>) -> MailboxRecord {
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.incoming.settings_mut().username = Some(ALICE.into());
    settings.outgoing = outgoing;
    let folders =
        ["INBOX", "Sent"].map(|name| ChosenFolder { raw_name: name.into(), path: name.into(), role: None }).to_vec();
    engine
        .save_mailbox(
            &SaveRequest {
                settings,
                folders,
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved")
}

/// A connection to Dovecot's plain IMAP port, signed in as alice and held open.
fn hold_signed_in(port: u16) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    (&stream).write_all(format!("a LOGIN \"{ALICE}\" \"{ALICE_PASSWORD}\"\r\n").as_bytes()).unwrap();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("a ") {
            break;
        }
    }
    assert!(line.starts_with("a OK"), "not signed in: {line}");
    stream
}

#[tokio::test]
async fn a_changed_password_counts_up_disables_at_the_threshold_and_update_password_brings_it_back() {
    keychain();
    let _turn = TURN.lock().await;
    let mut server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    // The administrator's policy lowers the incoming threshold to 3.
    let engine = engine_with_policy(tmp.path(), Some(r#"{"errorThresholds": {"incoming": 3}}"#));
    let saved = save_alice(&engine, &server, None).await;
    assert_eq!(saved.modified_by.as_deref(), Some(os_user().as_str()));
    assert!(saved.is_default, "the first mailbox is the default one");

    let checked = engine.check_mailbox(saved.id).await.expect("checked");
    assert_eq!(checked.sides.len(), 1);
    assert_eq!(checked.sides[0].outcome, CheckOutcome::Success, "{:?}", checked.sides[0].diagnosis);
    assert_eq!(checked.status.badge, StatusBadge::Working);

    // The administrator changes the password on the server.
    server.set_password(ALICE, NEW_PASSWORD).unwrap();
    for count in 1..=2u32 {
        let checked = engine.check_mailbox(saved.id).await.expect("checked");
        let side = &checked.sides[0];
        assert_eq!(side.outcome, CheckOutcome::Failed);
        assert_eq!(side.diagnosis.as_ref().unwrap().code, DiagnosisCode::AuthenticationFailed);
        assert_eq!((checked.status.consecutive_errors, checked.status.badge), (count, StatusBadge::Failing));
        assert!(checked.status.enabled && !checked.disabled_now);
        assert_eq!(checked.status.last_error_code, Some(DiagnosisCode::AuthenticationFailed));
        assert!(checked.status.last_error_at.is_some());
    }
    let third = engine.check_mailbox(saved.id).await.expect("checked");
    assert!(third.disabled_now, "disabled at the policy's threshold");
    assert_eq!((third.status.enabled, third.status.disabled_automatically), (false, true));
    assert_eq!((third.status.consecutive_errors, third.status.badge), (3, StatusBadge::Disabled));
    // A disabled mailbox is not checked with the others, and stays disabled.
    assert!(engine.check_all(CheckAllOptions::default()).await.unwrap().is_empty());

    // A wrong new password is refused by the server and changes nothing.
    let before = engine.mailbox_details(saved.id).await.unwrap();
    let d = engine.update_password(saved.id, Secret::new("not-it-either")).await.expect_err("refused");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    let after = engine.mailbox_details(saved.id).await.unwrap();
    assert_eq!(after.mailbox, before.mailbox, "the mailbox is exactly as it was");
    assert_eq!(after.history, before.history, "nothing recorded");
    assert_eq!(engine.stored_password(&after.mailbox).await.unwrap().expose(), ALICE_PASSWORD, "the old one stays");

    // The right one: checked, then in the keychain, the mailbox enabled with its count reset.
    let updated = engine.update_password(saved.id, Secret::new(NEW_PASSWORD)).await.expect("updated");
    assert_eq!((updated.status.enabled, updated.status.consecutive_errors), (true, 0));
    assert_eq!(updated.status.badge, StatusBadge::Working);
    assert_eq!(engine.stored_password(&updated).await.unwrap().expose(), NEW_PASSWORD);
    let next = engine.check_all(CheckAllOptions::default()).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].sides[0].outcome, CheckOutcome::Success, "{:?}", next[0].sides[0].diagnosis);
    assert_eq!(next[0].status.consecutive_errors, 0);

    let history = engine.mailbox_details(saved.id).await.unwrap().history;
    let outcomes: Vec<CheckOutcome> = history.iter().rev().map(|h| h.outcome).collect();
    use CheckOutcome::*;
    assert_eq!(outcomes, [Success, Failed, Failed, Failed, Success, Success], "the update's own check included");
    assert!(history.iter().all(|h| h.side == Side::Incoming));
    assert_eq!(history[1].code, None);
    assert_eq!(history[2].code, Some(DiagnosisCode::AuthenticationFailed));
}

#[tokio::test]
async fn throttling_by_the_connection_limit_and_an_smtp_421_back_off_without_counting() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions { max_userip_connections: 1, ..Default::default() }).unwrap();
    // A submission server that turns every connection away at its greeting (RFC 5321 3.8).
    let busy =
        ScriptedServer::start(Answer::line("421 4.3.2 Service not available, try again later"), |_| Answer::Close);
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let outgoing = OutgoingSettings {
        endpoint: Endpoint { host: "127.0.0.1".into(), port: busy.port(), security: Security::Starttls },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    };
    let saved = save_alice(&engine, &server, Some(outgoing)).await;
    let _held = hold_signed_in(server.imap_port());

    let mut waits = Vec::new();
    // More checks than the default threshold (5): none of them counts.
    for round in 1..=6u32 {
        let checked = engine.check_mailbox(saved.id).await.expect("checked");
        for side in &checked.sides {
            assert_eq!(side.outcome, CheckOutcome::Throttled, "{round}: {side:?}");
        }
        let codes: Vec<DiagnosisCode> = checked.sides.iter().map(|s| s.diagnosis.as_ref().unwrap().code).collect();
        assert_eq!(codes, [DiagnosisCode::TooManyConnections, DiagnosisCode::ServerBusy], "{round}");
        let s = &checked.status;
        assert_eq!((s.consecutive_errors, s.consecutive_outgoing_errors), (0, 0), "{round}");
        assert_eq!((s.badge, s.enabled, s.consecutive_temporary_failures), (StatusBadge::Throttled, true, round));
        waits.push(s.next_check_at.expect("backing off") - s.last_check_at.unwrap());
    }
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "the back-off grows: {waits:?}");
    assert!(waits[5] > waits[0], "{waits:?}");
    // A scheduled run leaves it alone while it backs off; "check now" checks it anyway.
    let due = CheckAllOptions { due_only: true, ..Default::default() };
    assert!(engine.check_all(due).await.unwrap().is_empty());
    assert_eq!(engine.check_all(CheckAllOptions::default()).await.unwrap().len(), 1);
    let details = engine.mailbox_details(saved.id).await.unwrap();
    assert_eq!(details.history.len(), 14);
    assert!(details.history.iter().all(|h| h.outcome == CheckOutcome::Throttled));
}

#[tokio::test]
async fn reconnect_keeps_every_setting_and_the_list_actions_change_only_what_they_say() {
    keychain();
    let _turn = TURN.lock().await;
    let mut server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let saved = save_alice(&engine, &server, None).await;

    let named = engine
        .describe_mailbox(saved.id, Some("  Alice at work ".into()), Some("Shared with the team".into()))
        .await
        .unwrap();
    assert_eq!(
        (named.name.as_deref(), named.description.as_deref()),
        (Some("Alice at work"), Some("Shared with the team"))
    );
    let disabled = engine.set_mailbox_enabled(saved.id, false).await.unwrap();
    assert_eq!((disabled.status.badge, disabled.status.disabled_automatically), (StatusBadge::Disabled, false));

    // The server refuses for a while: the check counts it, reconnect fails and changes nothing.
    server.set_password(ALICE, NEW_PASSWORD).unwrap();
    let failing = engine.check_mailbox(saved.id).await.unwrap();
    assert_eq!(failing.status.consecutive_errors, 1);
    let before = engine.mailbox_details(saved.id).await.unwrap();
    assert_eq!(
        engine.reconnect_mailbox(saved.id).await.expect_err("refused").code,
        DiagnosisCode::AuthenticationFailed
    );
    assert_eq!(engine.mailbox_details(saved.id).await.unwrap().mailbox, before.mailbox);

    // Back as it was on the server: reconnect signs in again and keeps every setting.
    server.set_password(ALICE, ALICE_PASSWORD).unwrap();
    let reconnected = engine.reconnect_mailbox(saved.id).await.expect("reconnected");
    assert_eq!((reconnected.status.enabled, reconnected.status.consecutive_errors), (true, 0));
    assert_eq!(reconnected.status.badge, StatusBadge::Working);
    assert_eq!(reconnected.settings, before.mailbox.settings);
    assert_eq!(reconnected.folders, before.mailbox.folders);
    assert_eq!((reconnected.name, reconnected.description), (before.mailbox.name, before.mailbox.description));
    assert_eq!(reconnected.keychain_account, before.mailbox.keychain_account);

    // One default at a time.
    let mut other = request("bob@example.test", "builder-7", "localhost", server.imaps_port(), Security::Tls).settings;
    other.incoming.settings_mut().username = Some("bob".into());
    let bob = engine
        .save_mailbox(
            &SaveRequest {
                settings: other,
                folders: Vec::new(),
                credentials: Credentials::password("builder-7"),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .unwrap();
    assert!(!bob.is_default);
    engine.set_default_mailbox(bob.id).await.unwrap();
    let defaults: Vec<i64> =
        engine.list_mailboxes().await.unwrap().iter().filter(|m| m.is_default).map(|m| m.id).collect();
    assert_eq!(defaults, [bob.id]);
    // Bob has no folders chosen: his check reads INBOX.
    let bob_checked = engine.check_mailbox(bob.id).await.unwrap();
    assert_eq!(bob_checked.sides[0].outcome, CheckOutcome::Success, "{:?}", bob_checked.sides[0].diagnosis);
    for id in [saved.id, bob.id] {
        engine.remove_mailbox_with(id, true).await.unwrap();
    }
}

#[tokio::test]
async fn remove_leaves_no_keychain_entry_and_keeps_the_history_unless_erased() {
    let keychain = keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let service = engine.config().keychain_service.clone();
    let data = tmp.path().join("data");

    // With its own outgoing password: two entries.
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: 465, security: Security::Tls },
        username: None,
        same_password: false,
        allow_plaintext_password: false,
    });
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings,
                folders: Vec::new(),
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: Some(Credentials::password("outgoing-secret")),
            },
            &Recorder::default(),
        )
        .await
        .unwrap();
    assert_eq!(keychain_entries::count_service(keychain, &service), 2);
    engine.check_mailbox(saved.id).await.unwrap();

    engine.remove_mailbox(saved.id).await.expect("removed");
    assert_eq!(keychain_entries::count_service(keychain, &service), 0, "no keychain entry left");
    assert!(engine.list_mailboxes().await.unwrap().is_empty());
    let store = Store::open(&data).unwrap();
    assert!(store.removed_at(saved.id).unwrap().is_some(), "kept, marked removed");
    assert_eq!(store.history(saved.id).unwrap().len(), 2, "its history kept");
    assert_eq!(engine.check_mailbox(saved.id).await.expect_err("not listed").code, DiagnosisCode::MailboxNotFound);

    // Saved again, then removed with --erase: nothing of it stays.
    let again = save_alice(&engine, &server, None).await;
    assert_ne!(again.id, saved.id);
    engine.check_mailbox(again.id).await.unwrap();
    engine.remove_mailbox_with(again.id, true).await.expect("erased");
    assert_eq!(keychain_entries::count_service(keychain, &service), 0);
    assert!(!store.exists(again.id).unwrap());
    assert!(store.history(again.id).unwrap().is_empty());
}

#[tokio::test]
async fn a_malformed_policy_fails_closed_and_checks_nothing() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let saved = save_alice(&engine_with_policy(tmp.path(), None), &server, None).await;
    let engine = engine_with_policy(tmp.path(), None);
    // Broken after the engine started (at start, the engine itself refuses: see admin_policy.rs).
    std::fs::write(tmp.path().join("policy.json"), r#"{"errorThresholds": {"incoming": 0}}"#).unwrap();
    for d in [
        engine.check_mailbox(saved.id).await.expect_err("refused"),
        engine.check_all(CheckAllOptions::default()).await.expect_err("refused"),
    ] {
        assert_eq!(d.code, DiagnosisCode::SignInPolicy);
        assert!(d.what_happened.contains("policy.json"), "{}", d.what_happened);
    }
    assert!(engine.mailbox_details(saved.id).await.unwrap().history.is_empty());
    std::fs::remove_file(tmp.path().join("policy.json")).unwrap();
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

#[tokio::test]
async fn a_mailbox_turned_off_after_repeated_errors_says_so_with_its_last_error_and_the_way_back() {
    keychain();
    let _turn = TURN.lock().await;
    let mut server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), Some(r#"{"errorThresholds": {"incoming": 3}}"#));
    let saved = save_alice(&engine, &server, None).await;
    server.set_password(ALICE, NEW_PASSWORD).unwrap();
    for _ in 1..=2 {
        assert!(engine.check_mailbox(saved.id).await.unwrap().disabled.is_none(), "still on");
    }
    let third = engine.check_mailbox(saved.id).await.unwrap();
    assert!(third.disabled_now);
    let d = third.disabled.expect("the check says the mailbox is off");
    assert_eq!((d.code, d.who_acts), (DiagnosisCode::MailboxDisabled, inlet_core::diagnose::WhoActs::You), "{d:?}");
    assert!(d.what_happened.contains("3 checks in a row"), "{}", d.what_happened);
    let steps = d.steps.join(" ");
    assert!(
        steps.contains("authentication_failed") && steps.contains("The server did not accept the password"),
        "{steps}"
    );
    assert!(steps.contains("update the mailbox's password"), "{steps}");
    assert!(!format!("{d:?}").contains(ALICE_PASSWORD), "no secret");

    // An action that signs in with the stored password is refused before it reaches the server.
    let d = engine.load_mailbox_folders(saved.id).await.expect_err("the mailbox is off");
    assert_eq!(d.code, DiagnosisCode::MailboxDisabled, "{d:?}");
    // Check now, asked for by hand, still runs and still says it.
    let again = engine.check_mailbox(saved.id).await.unwrap();
    assert_eq!(again.disabled.map(|d| d.code), Some(DiagnosisCode::MailboxDisabled));

    // The way back the steps name: the new password, then the mailbox works again.
    engine.update_password(saved.id, Secret::new(NEW_PASSWORD)).await.expect("updated");
    assert!(engine.load_mailbox_folders(saved.id).await.is_ok());
    assert!(engine.check_mailbox(saved.id).await.unwrap().disabled.is_none());
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

#[tokio::test]
async fn a_refused_new_password_is_reported_with_its_sign_in_timing_and_without_either_password() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_with_policy(tmp.path(), None);
    let saved = save_alice(&engine, &server, None).await;
    // A canary: found anywhere in the report, in any form, it leaked.
    const WRONG: &str = "canary-Wr0ng-new-pw-5813";

    let reported = engine.update_password_reported(saved.id, Secret::new(WRONG), &Recorder::default()).await;
    let d = reported.outcome.expect_err("refused");
    assert_eq!(d.code, DiagnosisCode::AuthenticationFailed);
    let report = reported.report.expect("a report of the refusal");
    assert_eq!(report.outcome.code.as_deref(), Some("authentication_failed"));
    assert_eq!(report.address, ALICE);
    assert!(report.app.starts_with("Inlet ") && !report.os.is_empty());
    assert_eq!(report.settings.as_ref().map(|s| s.incoming.settings().endpoint.port), Some(server.imaps_port()));
    let attempt = report.attempts.first().expect("the connection made");
    assert_eq!(attempt.failed_stage, Some(Stage::SigningIn), "{attempt:?}");
    let signing_in = attempt.stages.iter().find(|s| s.stage == Stage::SigningIn).expect("the signing-in stage");
    assert_eq!(signing_in.state, StageState::Failed);
    assert!(signing_in.ended_ms.is_some_and(|end| end >= signing_in.started_ms), "{signing_in:?}");
    assert!(attempt.stages.iter().any(|s| s.stage == Stage::Connecting && s.state == StageState::Done));
    assert!(!attempt.sign_in.is_empty(), "the sign-in tries: {attempt:?}");
    let markdown = report.to_markdown();
    assert!(markdown.contains("Signing in") && markdown.contains("updating the password"), "{markdown}");
    use base64::Engine as _;
    for text in [markdown, report.to_json(), report.masked().to_json()] {
        for secret in
            [WRONG.to_owned(), ALICE_PASSWORD.to_owned(), base64::engine::general_purpose::STANDARD.encode(WRONG)]
        {
            assert!(!text.contains(&secret), "a password in the report:\n{text}");
        }
    }
    // Nothing changed: the old password stays.
    let after = engine.mailbox_details(saved.id).await.unwrap();
    assert_eq!(engine.stored_password(&after.mailbox).await.unwrap().expose(), ALICE_PASSWORD);
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}
