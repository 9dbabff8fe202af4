//! Checks on a schedule against the real Dovecot and the private keychain: with a short
//! interval, two rounds each check the saved mailbox and report it as it ends, and stopping the
//! schedule ends it (nothing is reported afterwards).

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::health::{CheckAllOptions, CheckOutcome, StatusBadge};
use inlet_core::schedule::{CheckSchedule, ScheduleEvent, ScheduleOptions};
use inlet_core::secrets::Credentials;
use inlet_core::store::ChosenFolder;
use inlet_core::{Engine, EngineConfig, SaveRequest};
use inlet_testkit::{Dovecot, DovecotOptions, Keychain};
use std::time::Duration;

#[tokio::test]
async fn two_rounds_check_the_saved_mailbox_and_stop_ends_the_schedule() {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let server = Dovecot::start(pki(), DovecotOptions::default()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let engine = Engine::new(EngineConfig {
        data_dir: Some(tmp.path().join("data")),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-schedule-test-{}", std::process::id()),
        policy_file: None,
        // The shortest interval there is: a round about every second.
        check_interval_seconds: 1,
        ..Default::default()
    })
    .expect("engine");
    let mut settings = request(ALICE, ALICE_PASSWORD, "localhost", server.imaps_port(), Security::Tls).settings;
    settings.incoming.settings_mut().username = Some(ALICE.into());
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings,
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::password(ALICE_PASSWORD),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");

    let (events, mut heard) = tokio::sync::mpsc::unbounded_channel();
    let options = ScheduleOptions { first_round_after: Duration::ZERO, concurrency: 4 };
    let schedule = CheckSchedule::start(engine.clone(), options, move |event| {
        let _ = events.send(event);
    });
    let mut seen = Vec::new();
    let two_rounds = async {
        while let Some(event) = heard.recv().await {
            let round_two = matches!(event, ScheduleEvent::RoundFinished { round: 2, .. });
            seen.push(event);
            if round_two {
                break;
            }
        }
    };
    // Generous: two rounds a second apart, each one sign-in on loopback.
    tokio::time::timeout(Duration::from_secs(60), two_rounds).await.expect("two rounds within a minute");
    schedule.stop().await;

    let order: Vec<String> = seen
        .iter()
        .map(|event| match event {
            ScheduleEvent::Checked(check) => {
                assert_eq!(check.id, saved.id);
                assert_eq!(check.sides[0].outcome, CheckOutcome::Success, "{:?}", check.sides[0].diagnosis);
                assert_eq!(check.status.badge, StatusBadge::Working);
                "checked".to_owned()
            }
            ScheduleEvent::RoundFinished { round, checked, paused } => {
                assert!(!paused);
                format!("round {round}: {checked}")
            }
            ScheduleEvent::RoundFailed(d) => panic!("a round failed: {d:?}"),
        })
        .collect();
    assert_eq!(order, ["checked", "round 1: 1", "checked", "round 2: 1"], "each check reported before its round ends");
    // Stopped: the schedule has ended and let go of its sender, so nothing more can come.
    assert!(heard.recv().await.is_none(), "nothing is reported after stop");
    let history = engine.mailbox_details(saved.id).await.unwrap().history;
    assert_eq!(history.len(), 2, "both rounds recorded their check");
    assert!(history.iter().all(|h| h.outcome == CheckOutcome::Success));

    // "Check all" from the app runs on another task (a Tauri command's future must be Send).
    let all = tokio::spawn(async move { engine.check_all(CheckAllOptions::default()).await }).await.unwrap().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].sides[0].outcome, CheckOutcome::Success, "{:?}", all[0].sides[0].diagnosis);
}
