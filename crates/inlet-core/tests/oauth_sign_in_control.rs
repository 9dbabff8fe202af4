//! The sign-in's own controls, no authorization server needed: a browser that never comes back
//! meets the deadline, Cancel stops the wait, only one sign-in runs at a time, and a provider
//! with no client id (or a policy that locks another) says what an administrator must set.

mod common;

use common::*;
use inlet_core::account::{
    AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, Security, ServerSettings,
};
use inlet_core::oauth::clients::OAuthConfig;
use inlet_core::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use inlet_core::{Deadlines, DiagnosisCode, Engine, EngineConfig};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn config(data: &Path, sign_in: Duration) -> EngineConfig {
    EngineConfig {
        data_dir: Some(data.to_path_buf()),
        deadlines: Deadlines { sign_in, ..Deadlines::default() },
        oauth: OAuthConfig { microsoft_client_id: Some("configured-app".into()), ..Default::default() },
        policy_file: None,
        // A browser that opens and never comes back.
        browser_command: Some(vec!["true".into()]),
        ..Default::default()
    }
}

fn request(issuer: IssuerChoice) -> SignInRequest {
    SignInRequest {
        settings: MailboxSettings {
            kind: MailboxKind::Microsoft365,
            email: ALICE.parse().expect("a test address"),
            incoming: IncomingServer::Imap(ServerSettings {
                endpoint: Endpoint { host: "outlook.office365.com".into(), port: 993, security: Security::Tls },
                username: None,
                auth: AuthMethod::OAuth2,
                allow_plaintext_password: false,
            }),
            outgoing: None,
            trusted_certificates: Vec::new(),
        },
        issuer,
        mode: SignInMode::Browser,
        client_id: None,
    }
}

fn microsoft() -> IssuerChoice {
    IssuerChoice::Microsoft { tenant: None }
}

#[tokio::test]
async fn a_browser_that_never_comes_back_meets_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(dir.path(), Duration::from_millis(500))).unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let before = inlet_core::service::now_ms();
    let d = engine.sign_in(&request(microsoft()), &move |e| seen.lock().unwrap().push(e)).await.unwrap_err();
    let after = inlet_core::service::now_ms();
    assert_eq!(d.code, DiagnosisCode::SignInTimedOut, "{d:?}");
    let events = events.lock().unwrap();
    assert!(
        matches!(&events[..], [SignInEvent::BrowserOpened { opened: true, deadline_at_ms, url }]
            // A time, like the device code's expiry: when the wait of 500 ms ends.
            if (before + 500..=after).contains(deadline_at_ms)
                && url.contains("client_id=configured-app") && url.contains("code_challenge=") && url.contains("state=")),
        "{events:?}"
    );
}

#[tokio::test]
async fn cancel_stops_the_wait_and_only_one_sign_in_runs_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(dir.path(), Duration::from_secs(120))).unwrap();
    let (opened_tx, opened_rx) = tokio::sync::oneshot::channel();
    let opened_tx = Mutex::new(Some(opened_tx));
    let running = engine.clone();
    let first = tokio::spawn(async move {
        running
            .sign_in(&request(microsoft()), &move |e| {
                if matches!(e, SignInEvent::BrowserOpened { .. }) {
                    if let Some(tx) = opened_tx.lock().unwrap().take() {
                        let _ = tx.send(());
                    }
                }
            })
            .await
    });
    opened_rx.await.expect("the browser step started");
    let second = engine.sign_in(&request(microsoft()), &|_| {}).await.unwrap_err();
    assert_eq!(second.code, DiagnosisCode::SignInBusy, "{second:?}");
    engine.cancel_sign_in();
    let first = tokio::time::timeout(Duration::from_secs(10), first).await.expect("cancel ends it").unwrap();
    assert_eq!(first.unwrap_err().code, DiagnosisCode::SignInCancelled);
    // Over: the next one starts (it is still waiting for its browser a moment later, not busy).
    let next = tokio::time::timeout(Duration::from_millis(500), engine.sign_in(&request(microsoft()), &|_| {})).await;
    assert!(next.is_err(), "the next sign-in runs: {next:?}");
}

#[tokio::test]
async fn a_provider_without_a_client_id_says_what_an_administrator_must_set() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(dir.path(), Duration::from_secs(1))).unwrap();
    let options = engine.sign_in_options();
    let google = options.iter().find(|o| o.provider == "google").unwrap();
    let microsoft_option = options.iter().find(|o| o.provider == "microsoft").unwrap();
    assert!(microsoft_option.available && microsoft_option.why_not.is_none(), "{options:?}");
    assert!(!google.available, "{options:?}");
    assert!(
        google.why_not.as_deref().is_some_and(|w| w.contains("googleClientId") && w.contains("administrator")),
        "{options:?}"
    );
    let d = engine.sign_in(&request(IssuerChoice::Google), &|_| {}).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::SignInNotSetUp, "{d:?}");
}

#[tokio::test]
async fn a_locked_policy_wins_over_the_config_and_refuses_another_client_id() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"oauth": {"microsoftClientId": "corp-app", "microsoftTenant": "contoso.com"}, "locked": true}"#,
    )
    .unwrap();
    let mut config = config(dir.path(), Duration::from_millis(300));
    config.policy_file = Some(policy.clone());
    let engine = Engine::new(config).unwrap();
    let urls = Arc::new(Mutex::new(Vec::new()));
    let seen = urls.clone();
    let d = engine
        .sign_in(&request(microsoft()), &move |e| {
            if let SignInEvent::BrowserOpened { url, .. } = e {
                seen.lock().unwrap().push(url);
            }
        })
        .await
        .unwrap_err();
    assert_eq!(d.code, DiagnosisCode::SignInTimedOut);
    let url = urls.lock().unwrap()[0].clone();
    assert!(url.starts_with("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize?"), "{url}");
    assert!(url.contains("client_id=corp-app"), "the policy's client, not the config's: {url}");
    let mut other = request(microsoft());
    other.client_id = Some("my-own-app".into());
    assert_eq!(engine.sign_in(&other, &|_| {}).await.unwrap_err().code, DiagnosisCode::SignInPolicy);
    // A policy file that cannot be read stops the sign-in rather than being ignored.
    std::fs::write(&policy, "{ broken").unwrap();
    let d = engine.sign_in(&request(microsoft()), &|_| {}).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::SignInPolicy, "{d:?}");
}
