//! Changing a saved mailbox against the real Dovecot and a real SMTP server: loading the
//! server's folders and saving a new selection, and editing the incoming and outgoing settings,
//! each checked before it is stored; a refused change leaves the mailbox exactly as it was.

mod common;

use common::*;
use inlet_core::account::{Endpoint, OutgoingSettings, Security, Side};
use inlet_core::folders::FolderRole;
use inlet_core::health::{CheckOutcome, StatusBadge};
use inlet_core::mailbox_edit::{ServerEdit, SettingsEdit};
use inlet_core::progress::{Stage, StageState};
use inlet_core::secrets::Credentials;
use inlet_core::store::{ChosenFolder, MailboxRecord};
use inlet_core::{DiagnosisCode, Engine, EngineConfig, SaveRequest};
use inlet_testkit::{Dovecot, DovecotOptions, SmtpOptions, SmtpServer};
use std::path::Path;

fn engine_in(dir: &Path) -> Engine {
    Engine::new(EngineConfig {
        data_dir: Some(dir.join("data")),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-{}-{}", std::process::id(), dir.file_name().unwrap().to_string_lossy()),
        policy_file: None,
        deadlines: short_deadlines(),
        ..Default::default()
    })
    .expect("engine")
}

/// Alice's IMAP mailbox on Dovecot's TLS port, INBOX chosen, with `outgoing`.
async fn save_alice(engine: &Engine, server: &Dovecot, outgoing: Option<OutgoingSettings>) -> MailboxRecord {
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.incoming.settings_mut().username = Some(ALICE.into());
    settings.outgoing = outgoing;
    let folders = vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }];
    let request = SaveRequest {
        settings,
        folders,
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: None,
    };
    engine.save_mailbox(&request, &Recorder::default()).await.expect("saved")
}

#[tokio::test]
async fn load_shows_the_servers_folders_and_set_saves_only_folders_that_exist() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_in(tmp.path());
    let saved = save_alice(&engine, &server, None).await;

    let tree = engine.load_mailbox_folders(saved.id).await.expect("loaded");
    let names: Vec<&str> = tree.folders.iter().map(|f| f.path.as_str()).collect();
    for name in ["INBOX", "Sent", "Trash", "Archive"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    assert_eq!(engine.mailbox_details(saved.id).await.unwrap().mailbox, saved, "loading stores nothing");

    // A name the server does not have: refused, the selection unchanged.
    let d = engine.set_mailbox_folders(saved.id, &["Sent".into(), "Holidays".into()]).await.expect_err("unknown");
    assert_eq!(d.code, DiagnosisCode::InvalidInput);
    assert!(d.what_happened.contains("\"Holidays\""), "{}", d.what_happened);
    assert_eq!(engine.mailbox_details(saved.id).await.unwrap().mailbox, saved);

    let set = engine
        .set_mailbox_folders(saved.id, &["INBOX".into(), "Sent".into(), "Archive".into(), "Sent".into()])
        .await
        .expect("saved");
    let chosen: Vec<(&str, Option<FolderRole>)> = set.folders.iter().map(|f| (f.path.as_str(), f.role)).collect();
    assert_eq!(
        chosen,
        [("INBOX", Some(FolderRole::Inbox)), ("Sent", Some(FolderRole::Sent)), ("Archive", Some(FolderRole::Archive))]
    );
    assert!(set.modified_at >= saved.modified_at);
    // The next check reads the new selection's STATUS, and succeeds.
    let checked = engine.check_mailbox(saved.id).await.unwrap();
    assert_eq!(checked.sides[0].outcome, CheckOutcome::Success, "{:?}", checked.sides[0].diagnosis);
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

#[tokio::test]
async fn an_edit_is_checked_first_and_a_refused_one_changes_nothing() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let smtp = SmtpServer::start(pki(), SmtpOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_in(tmp.path());
    // The outgoing server saved with a port where nothing listens (the user typed it wrong).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let outgoing = OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: closed, security: Security::Starttls },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    };
    let saved = save_alice(&engine, &server, Some(outgoing)).await;
    let failing = engine.check_mailbox(saved.id).await.unwrap();
    assert_eq!(failing.status.consecutive_outgoing_errors, 1);

    let before = engine.mailbox_details(saved.id).await.unwrap();
    let refused = |edit: SettingsEdit| {
        let engine = &engine;
        async move { engine.edit_mailbox_settings(saved.id, &edit).await.expect_err("refused") }
    };
    // A wrong login name: Dovecot refuses it, nothing is stored.
    let d = refused(SettingsEdit {
        incoming: ServerEdit { username: Some("alice-typo@example.test".into()), ..Default::default() },
        ..Default::default()
    })
    .await;
    assert_eq!((d.code, d.side), (DiagnosisCode::AuthenticationFailed, Some(Side::Incoming)));
    // The right incoming change, but the outgoing server still fails: nothing is stored either.
    let plain_imap =
        ServerEdit { port: Some(server.imap_port()), security: Some(Security::Starttls), ..Default::default() };
    let d = refused(SettingsEdit { incoming: plain_imap.clone(), ..Default::default() }).await;
    assert_eq!((d.code, d.side), (DiagnosisCode::ConnectionRefused, Some(Side::Outgoing)));
    let after = engine.mailbox_details(saved.id).await.unwrap();
    assert_eq!(after.mailbox, before.mailbox, "the mailbox is exactly as it was");
    assert_eq!(after.history, before.history, "no check recorded");

    // Both fixed in one edit: checked, stored with its check, the error count reset.
    let edit = SettingsEdit {
        incoming: plain_imap,
        outgoing: ServerEdit { port: Some(smtp.smtp_port()), ..Default::default() },
    };
    let edited = engine.edit_mailbox_settings(saved.id, &edit).await.expect("edited");
    let incoming = &edited.settings.incoming.settings().endpoint;
    assert_eq!((incoming.port, incoming.security), (server.imap_port(), Security::Starttls));
    assert_eq!(edited.settings.outgoing.as_ref().unwrap().endpoint.port, smtp.smtp_port());
    assert_eq!((edited.status.consecutive_outgoing_errors, edited.status.badge), (0, StatusBadge::Working));
    assert_eq!(
        (&edited.folders, &edited.keychain_account),
        (&before.mailbox.folders, &before.mailbox.keychain_account)
    );
    let history = engine.mailbox_details(saved.id).await.unwrap().history;
    assert_eq!(history.len(), before.history.len() + 2, "the edit's own check, both sides");
    assert!(history[..2].iter().all(|h| h.outcome == CheckOutcome::Success));
    // Nothing to change is said so.
    let d = engine.edit_mailbox_settings(saved.id, &SettingsEdit::default()).await.expect_err("nothing");
    assert_eq!(d.code, DiagnosisCode::InvalidInput);
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}

#[tokio::test]
async fn an_edit_to_a_closed_port_is_reported_with_the_new_port_and_the_connecting_stage() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine_in(tmp.path());
    let saved = save_alice(&engine, &server, None).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let edit = SettingsEdit {
        incoming: ServerEdit { host: Some("127.0.0.1".into()), port: Some(closed), ..Default::default() },
        ..Default::default()
    };
    let reported = engine.edit_mailbox_settings_reported(saved.id, &edit, &Recorder::default()).await;
    let d = reported.outcome.expect_err("refused");
    assert_eq!((d.code, d.side), (DiagnosisCode::ConnectionRefused, Some(Side::Incoming)));
    let report = reported.report.expect("a report of the refused edit");
    let checked = report.settings.as_ref().expect("the settings checked").incoming.settings().endpoint.clone();
    assert_eq!((checked.host.as_str(), checked.port), ("127.0.0.1", closed), "the new settings, not the saved ones");
    let attempt = report.attempts.first().expect("the connection tried");
    assert_eq!(attempt.failed_stage, Some(Stage::Connecting), "{attempt:?}");
    let connecting = attempt.stages.iter().find(|s| s.stage == Stage::Connecting).expect("the connecting stage");
    assert_eq!(connecting.state, StageState::Failed);
    assert!(connecting.ended_ms.is_some(), "{connecting:?}");
    let markdown = report.to_markdown();
    assert!(markdown.contains(&format!("127.0.0.1:{closed}")), "{markdown}");
    assert!(markdown.contains("Connecting") && markdown.contains("connection_refused"), "{markdown}");
    assert!(!markdown.contains(ALICE_PASSWORD) && !report.to_json().contains(ALICE_PASSWORD));
    assert_eq!(engine.mailbox_details(saved.id).await.unwrap().mailbox, saved, "nothing changed");

    // A successful action has no report.
    let loaded = engine.load_mailbox_folders_reported(saved.id, &Recorder::default()).await;
    assert!(loaded.outcome.is_ok() && loaded.report.is_none());
    engine.remove_mailbox_with(saved.id, true).await.unwrap();
}
