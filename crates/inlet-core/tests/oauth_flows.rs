//! Browser sign-in end to end against real parts: the test authorization server (oidc-provider,
//! PKCE required, rotating refresh tokens, device flow, introspection), Dovecot checking tokens
//! at that introspection, a private gnome-keyring, and the `oauth-browser` command as the
//! browser, which follows the authorization URL as a person would.

mod common;

use common::*;
use inlet_core::account::OutgoingSettings;
use inlet_core::account::{
    AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, Protocol, Security, ServerSettings,
};
use inlet_core::config::ConnectTo;
use inlet_core::health::{CheckOutcome, StatusBadge};
use inlet_core::oauth::clients::{IssuerClient, OAuthConfig};
use inlet_core::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use inlet_core::secrets::{Credentials, OAuth2Grant};
use inlet_core::store::ChosenFolder;
use inlet_core::{ConnectRequest, Deadlines, DiagnosisCode, Engine, EngineConfig, SaveRequest};
use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Consent, ErrorStage, ScriptedError, Style};
use inlet_testkit::{Dovecot, DovecotOAuth2, DovecotOptions, SmtpOptions, SmtpServer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn keychain_service() -> String {
    format!("inlet-oauth-test-{}", std::process::id())
}

/// The testkit's `inlet-test-servers` binary, beside this test's own directory.
fn test_servers() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("inlet-test-servers");
    assert!(bin.exists(), "build it first: cargo build -p inlet-testkit --bin inlet-test-servers");
    bin
}

/// The engine of a test: the server's host names sent to it, the test CA trusted, the
/// server's client configured for every provider, and the browser a person signing in as
/// `user` (`--deny`: declining).
fn config(server: &AuthServer, data: &Path, browser: &[&str]) -> EngineConfig {
    let mut command = vec![test_servers().display().to_string(), "oauth-browser".into()];
    command.extend(["--ca".into(), pki().ca_pem_path().display().to_string()]);
    command.extend(["--server".into(), format!("127.0.0.1:{}", server.port())]);
    command.extend(browser.iter().map(|s| s.to_string()));
    EngineConfig {
        data_dir: Some(data.to_path_buf()),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: keychain_service(),
        deadlines: Deadlines { sign_in: Duration::from_secs(60), ..Deadlines::default() },
        connect_to: server
            .connect_to()
            .into_iter()
            .map(|c| ConnectTo { host: c.host, port: c.port, to_host: c.to_host, to_port: c.to_port })
            .collect(),
        oauth: OAuthConfig {
            google_client_id: Some(server.client_id().into()),
            microsoft_client_id: Some(server.client_id().into()),
            issuers: vec![IssuerClient {
                issuer: server.issuer(),
                client_id: server.client_id().into(),
                scope: Some("mail".into()),
                ..Default::default()
            }],
            ..Default::default()
        },
        policy_file: None,
        browser_command: Some(command),
        ..Default::default()
    }
}

fn dovecot(server: &AuthServer) -> Dovecot {
    Dovecot::start(pki(), DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(server)), ..Default::default() })
        .unwrap()
}

fn settings(protocol: Protocol, port: u16) -> MailboxSettings {
    MailboxSettings {
        kind: MailboxKind::Microsoft365,
        email: ALICE.parse().expect("a test address"),
        incoming: {
            let server = ServerSettings {
                endpoint: Endpoint { host: "localhost".into(), port, security: Security::Tls },
                username: None,
                auth: AuthMethod::OAuth2,
                allow_plaintext_password: false,
            };
            match protocol {
                Protocol::Pop3 => IncomingServer::Pop3(server),
                _ => IncomingServer::Imap(server),
            }
        },
        outgoing: None,
        trusted_certificates: Vec::new(),
    }
}

/// Every event the sign-in sent, serialized as the front end gets them.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<SignInEvent>>>);
impl Events {
    fn sink(&self) -> impl Fn(SignInEvent) + Send + Sync {
        let events = self.0.clone();
        move |e| events.lock().unwrap().push(e)
    }
    fn all(&self) -> Vec<SignInEvent> {
        self.0.lock().unwrap().clone()
    }
}

async fn sign_in(
    engine: &Engine,
    issuer: IssuerChoice,
    mode: SignInMode,
    settings: &MailboxSettings,
    events: &Events,
) -> Result<OAuth2Grant, inlet_core::Diagnosis> {
    let request = SignInRequest { settings: settings.clone(), issuer, mode, client_id: None };
    engine.sign_in(&request, &events.sink()).await
}

fn connect_request(settings: &MailboxSettings, grant: &OAuth2Grant) -> ConnectRequest {
    ConnectRequest {
        settings: settings.clone(),
        credentials: Credentials::OAuth2(grant.clone()),
        outgoing_credentials: None,
    }
}

fn stored_refresh_token(entry: &str) -> Option<String> {
    keyring::Entry::new(&keychain_service(), entry).unwrap().get_password().ok()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn microsoft() -> IssuerChoice {
    IssuerChoice::Microsoft { tenant: None }
}

#[tokio::test]
async fn browser_sign_in_reaches_the_imap_folders_and_the_mailbox_is_saved_with_its_grant() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let events = Events::default();
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &events).await.expect("signed in");
    assert_eq!(grant.issuer, "https://login.microsoftonline.com/common/v2.0");
    assert_eq!(grant.client_id, "inlet-test");
    assert!(grant.access_token.is_none(), "the grant the front end gets holds no token");
    let events = events.all();
    assert!(
        matches!(&events[..], [SignInEvent::BrowserOpened { opened: true, url, .. }, SignInEvent::Exchanging]
            if url.starts_with("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?")
                && url.contains("code_challenge_method=S256")
                && url.contains("login_hint=alice%40example.test")
                && url.contains("IMAP.AccessAsUser.All")
                && !url.contains("SMTP.Send")),
        "{events:?}"
    );
    let refresh_token = stored_refresh_token(&grant.refresh_token_entry).expect("the refresh token is in the keychain");

    let report = engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("connects");
    assert!(report.folders.folders.iter().any(|f| f.raw_name == "INBOX"), "{:?}", report.folders);
    assert_eq!(report.username_used, ALICE);

    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    assert_eq!(saved.grant.as_ref().map(|g| g.issuer.as_str()), Some(grant.issuer.as_str()));
    let listed = engine.list_mailboxes().await.unwrap();
    assert_eq!(listed[0].grant.as_ref().unwrap().refresh_token_entry, grant.refresh_token_entry);
    // A later engine (the app restarted) connects with the saved grant: a refresh first.
    let again = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let stored_grant = listed[0].grant.clone().unwrap();
    again.connect(&connect_request(&settings, &stored_grant), &Recorder::default()).await.expect("reconnects");
    assert!(again.stored_password(&listed[0]).await.is_err(), "a grant's refresh token is never handed out");

    // The refresh token is in no file under the data directory, and not in the list's JSON.
    let now_stored = stored_refresh_token(&grant.refresh_token_entry).unwrap();
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for token in [&refresh_token, &now_stored] {
            assert!(!text.contains(token.as_str()), "{} holds a refresh token", file.display());
        }
    }
    let json = serde_json::to_string(&listed).unwrap();
    assert!(!json.contains(&refresh_token) && !json.contains(&now_stored), "{json}");

    engine.remove_mailbox(saved.id).await.expect("removed");
    assert_eq!(stored_refresh_token(&grant.refresh_token_entry), None, "removing deletes the refresh token");
}

#[tokio::test]
async fn the_device_flow_signs_in_when_approved_elsewhere_and_pop3_takes_the_token() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Arc::new(AuthServer::start(pki(), AuthServerOptions { style: Style::Google, ..Default::default() }));
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let settings = settings(Protocol::Pop3, mail.pop3s_port());
    let approver = server.clone();
    let approved = Arc::new(Mutex::new(None));
    let approved_in = approved.clone();
    let on_event = move |event: SignInEvent| {
        if let SignInEvent::DeviceCode { user_code, .. } = event {
            let (server, approved) = (approver.clone(), approved_in.clone());
            // A person on another machine, some time later.
            std::thread::spawn(move || {
                let page = server.approve_device(&user_code, ALICE, Consent::Approve);
                *approved.lock().unwrap() = Some(page.status);
            });
        }
    };
    let request = SignInRequest {
        settings: settings.clone(),
        issuer: IssuerChoice::Google,
        mode: SignInMode::Device,
        client_id: None,
    };
    let grant = engine.sign_in(&request, &on_event).await.expect("signed in with the device code");
    assert_eq!(grant.issuer, "https://accounts.google.com");
    let report =
        engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("POP3 signs in");
    assert_eq!(report.message_count, Some(0));
    assert_eq!(report.protocol, Protocol::Pop3);
}

#[tokio::test]
async fn a_refresh_rotates_the_refresh_token_and_stores_the_new_one() {
    keychain();
    let _turn = TURN.lock().await;
    // Access tokens that live less than the minute before expiry: every check refreshes first.
    let server = AuthServer::start(
        pki(),
        AuthServerOptions { style: Style::Generic, access_token_ttl: Duration::from_secs(30), ..Default::default() },
    );
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let issuer = IssuerChoice::Issuer { url: server.issuer(), authorization_url: None, token_url: None, scope: None };
    let grant = sign_in(&engine, issuer, SignInMode::Browser, &settings, &Events::default()).await.expect("signed in");
    let first = stored_refresh_token(&grant.refresh_token_entry).unwrap();
    engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("connects after a refresh");
    let second = stored_refresh_token(&grant.refresh_token_entry).unwrap();
    assert_ne!(first, second, "the rotated refresh token replaced the old one in the keychain");
    engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("and again");
    let third = stored_refresh_token(&grant.refresh_token_entry).unwrap();
    assert_ne!(second, third);
}

#[tokio::test]
async fn a_revoked_grant_asks_for_a_new_sign_in() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("connects");
    assert!(server.revoke_all(ALICE) > 0);
    let d = engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::NeedsSignIn, "{d:?}");
}

/// The accounts (the keyring crate's `username` attribute) of every keychain entry of this
/// test binary's service, as any Secret Service client sees them.
fn keychain_accounts() -> std::collections::BTreeSet<String> {
    let service = keychain_service();
    let out = keychain().command("secret-tool").args(["search", "--all", "service", &service]).output().unwrap();
    // The secret itself is printed too; only the attribute lines are read.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter_map(|l| l.strip_prefix("attribute.username = ").map(str::to_owned))
        .collect()
}

/// The issue: a revoked grant turns the mailbox into "needs sign-in"; reconnect signs in with
/// the browser again and keeps every setting. A declined sign-in leaves the mailbox as it was.
#[tokio::test]
async fn reconnect_signs_a_revoked_mailbox_in_again_and_keeps_its_settings_and_its_one_entry() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    engine.describe_mailbox(saved.id, Some("Work".into()), Some("the shared one".into())).await.unwrap();
    let entry = saved.keychain_account.clone();
    assert_eq!(grant.refresh_token_entry, entry);

    assert!(server.revoke_all(ALICE) > 0);
    let check = engine.check_mailbox(saved.id).await.unwrap();
    let code = check.sides[0].diagnosis.as_ref().map(|d| d.code);
    assert_eq!(code, Some(DiagnosisCode::NeedsSignIn), "{check:?}");
    assert_eq!(check.status.badge, StatusBadge::NeedsSignIn);
    let before = engine.mailbox_details(saved.id).await.unwrap().mailbox;
    let entries_before = keychain_accounts();
    assert!(entries_before.contains(&entry), "{entries_before:?}");
    let old_token = stored_refresh_token(&entry).expect("the revoked refresh token is still stored");
    // Renewing the stored grant cannot help: only a new sign-in can.
    let d = engine.reconnect_mailbox(saved.id).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::NeedsSignIn, "{d:?}");

    // Declined in the browser: nothing changes, and the sign-in leaves nothing behind.
    let declining = Engine::new(config(&server, dir.path(), &["--user", ALICE, "--deny"])).unwrap();
    let events = Events::default();
    let reported = declining.reconnect_with_sign_in_reported(saved.id, SignInMode::Browser, &events.sink()).await;
    let d = reported.outcome.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::SignInDenied, "{d:?}");
    assert!(matches!(events.all().first(), Some(SignInEvent::BrowserOpened { .. })), "{:?}", events.all());
    // Its report: the sign-in's steps up to the refusal, and no token, code, state or challenge.
    let report = reported.report.expect("a report of the declined sign-in");
    let steps: Vec<&str> = report.sign_in.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(steps, ["issuer", "authorization endpoint", "redirect to Inlet"], "{:?}", report.sign_in);
    assert!(report.sign_in.last().unwrap().outcome.contains("sign_in_denied"), "{:?}", report.sign_in);
    assert_eq!(report.outcome.code.as_deref(), Some("sign_in_denied"));
    let markdown = report.to_markdown();
    assert!(markdown.contains("## Sign-in with the provider"), "{markdown}");
    for text in [markdown, report.to_json()] {
        for secret in [old_token.as_str(), "state=", "code_challenge", "login_hint"] {
            assert!(!text.contains(secret), "{secret} in the report:\n{text}");
        }
    }
    assert_eq!(declining.mailbox_details(saved.id).await.unwrap().mailbox, before, "the mailbox is as it was");
    assert_eq!(keychain_accounts(), entries_before);
    assert_eq!(stored_refresh_token(&entry).as_deref(), Some(old_token.as_str()));
    // Signed in as someone else: the mail server refuses the new grant, and nothing changes.
    let someone_else = Engine::new(config(&server, dir.path(), &["--user", "bob"])).unwrap();
    let d = someone_else.reconnect_with_sign_in(saved.id, SignInMode::Browser, &|_| {}).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::MailAccessOff, "{d:?}");
    assert_eq!(someone_else.mailbox_details(saved.id).await.unwrap().mailbox, before, "the mailbox is as it was");
    assert_eq!(keychain_accounts(), entries_before, "the refused sign-in's entry was let go of");
    assert_eq!(stored_refresh_token(&entry).as_deref(), Some(old_token.as_str()));

    // Signed in again: the new refresh token in the mailbox's own entry, no other entry left.
    let events = Events::default();
    let updated =
        engine.reconnect_with_sign_in(saved.id, SignInMode::Browser, &events.sink()).await.expect("reconnected");
    assert!(
        matches!(&events.all()[..], [SignInEvent::BrowserOpened { url, .. }, SignInEvent::Exchanging]
            if url.contains("login_hint=alice%40example.test")),
        "{:?}",
        events.all()
    );
    assert_eq!(updated.status.badge, StatusBadge::Working);
    assert!(updated.status.enabled);
    assert_eq!((updated.status.consecutive_errors, updated.status.consecutive_outgoing_errors), (0, 0));
    assert_eq!(updated.settings, before.settings);
    assert_eq!(updated.folders, before.folders);
    assert_eq!(updated.grant, before.grant, "the same issuer, client and entry");
    assert_eq!((updated.name.as_deref(), updated.description.as_deref()), (Some("Work"), Some("the shared one")));
    assert_eq!((updated.keychain_account.as_str(), updated.is_default), (entry.as_str(), before.is_default));
    let new_token = stored_refresh_token(&entry).expect("the mailbox's entry holds the new refresh token");
    assert_ne!(new_token, old_token, "the old refresh token is gone");
    assert_eq!(keychain_accounts(), entries_before, "exactly the mailbox's one entry: no sign-in entry left");

    let check = engine.check_mailbox(saved.id).await.unwrap();
    assert!(check.sides.iter().all(|s| s.outcome == CheckOutcome::Success), "{check:?}");
    assert_eq!(check.status.badge, StatusBadge::Working);
    // The app restarted: the refresh token in the keychain is the one that works.
    let restarted = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let check = restarted.check_mailbox(saved.id).await.unwrap();
    assert!(check.sides.iter().all(|s| s.outcome == CheckOutcome::Success), "{check:?}");
    assert_eq!(restarted.mailbox_details(saved.id).await.unwrap().mailbox.folders, before.folders);

    engine.remove_mailbox(saved.id).await.expect("removed");
}

/// Reconnect with the device code, at an issuer found by discovery: the sign-in goes to the
/// saved grant's issuer, and the mailbox keeps its grant (issuer, client, token endpoint).
#[tokio::test]
async fn reconnect_with_the_device_code_signs_in_at_the_saved_grants_own_issuer() {
    keychain();
    let _turn = TURN.lock().await;
    let server = Arc::new(AuthServer::start(pki(), AuthServerOptions { style: Style::Generic, ..Default::default() }));
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let issuer = IssuerChoice::Issuer { url: server.issuer(), authorization_url: None, token_url: None, scope: None };
    let grant = sign_in(&engine, issuer, SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    assert!(server.revoke_all(ALICE) > 0);
    assert_eq!(engine.check_mailbox(saved.id).await.unwrap().status.badge, StatusBadge::NeedsSignIn);
    let entries_before = keychain_accounts();

    let approver = server.clone();
    let on_event = move |event: SignInEvent| {
        if let SignInEvent::DeviceCode { user_code, .. } = event {
            let server = approver.clone();
            // A person on another machine.
            std::thread::spawn(move || server.approve_device(&user_code, ALICE, Consent::Approve));
        }
    };
    let updated = engine.reconnect_with_sign_in(saved.id, SignInMode::Device, &on_event).await.expect("reconnected");
    assert_eq!(updated.grant, saved.grant);
    assert_eq!((updated.settings, updated.folders), (saved.settings, saved.folders));
    assert_eq!(updated.status.badge, StatusBadge::Working);
    assert_eq!(keychain_accounts(), entries_before);
    let restarted = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let check = restarted.check_mailbox(saved.id).await.unwrap();
    assert!(check.sides.iter().all(|s| s.outcome == CheckOutcome::Success), "{check:?}");
    engine.remove_mailbox(saved.id).await.expect("removed");
}

/// The front end names a grant by its keychain entry; the issuer and token endpoint it sends
/// back are not believed (a tampered window could otherwise have the refresh token sent
/// anywhere): saving keeps the engine's own, and a grant the engine never issued is refused.
#[tokio::test]
async fn a_grant_whose_issuer_was_changed_outside_the_engine_is_not_believed() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let tampered = OAuth2Grant {
        issuer: "https://elsewhere.example.test".into(),
        token_url: Some("https://elsewhere.example.test/token".into()),
        ..grant.clone()
    };
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(tampered.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    let kept = saved.grant.expect("saved with its grant");
    assert_eq!((kept.issuer.as_str(), kept.token_url.as_deref()), (grant.issuer.as_str(), grant.token_url.as_deref()));

    // Another data folder: the engine there never issued this grant, and no mailbox keeps it.
    let other = tempfile::tempdir().unwrap();
    let stranger = Engine::new(config(&server, other.path(), &[])).unwrap();
    let d = stranger.connect(&connect_request(&settings, &tampered), &Recorder::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::InvalidInput, "{d:?}");
    engine.remove_mailbox(saved.id).await.expect("removed");
}

#[tokio::test]
async fn a_token_for_another_user_is_refused_by_the_mail_server() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    // The person signs in as bob for alice's mailbox.
    let engine = Engine::new(config(&server, dir.path(), &["--user", "bob"])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let d = engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::MailAccessOff, "{d:?}");
}

#[tokio::test]
async fn provider_errors_become_diagnoses_saying_who_must_act() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(Protocol::Imap, 993);
    let cases = [
        (ErrorStage::Authorization, "invalid_request", "AADSTS65001: The user or administrator has not consented to use the application with ID 'inlet-test'.", DiagnosisCode::SignInConsentRequired),
        (ErrorStage::Authorization, "invalid_request", "AADSTS50020: User account 'x' from identity provider 'live.com' does not exist in tenant 'Contoso'.", DiagnosisCode::SignInOtherTenant),
        (ErrorStage::Authorization, "interaction_required", "AADSTS53003: Access has been blocked by Conditional Access policies.", DiagnosisCode::SignInConditionalAccess),
        (ErrorStage::Token, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", DiagnosisCode::SignInPublicClientDisabled),
        (ErrorStage::Token, "unauthorized_client", "AADSTS700016: Application with identifier 'inlet-test' was not found in the directory 'Contoso'.", DiagnosisCode::SignInAppUnknown),
        (ErrorStage::Authorization, "invalid_request", "AADSTS50194: Application 'inlet-test' is not configured as a multi-tenant application.", DiagnosisCode::SignInSingleTenantApp),
        (ErrorStage::Authorization, "admin_policy_enforced", "", DiagnosisCode::SignInBlockedByAdmin),
        (ErrorStage::Authorization, "org_internal", "", DiagnosisCode::SignInOrgInternal),
        (ErrorStage::Token, "invalid_scope", "", DiagnosisCode::SignInScopeRejected),
    ];
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    for (at, error, description, expected) in cases {
        server.set_scripted_errors(&[ScriptedError::new(ALICE, at, error, description)]);
        let d = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap_err();
        assert_eq!(d.code, expected, "{error} {description}: {d:?}");
        assert!(d.evidence.iter().any(|e| e.contains(error)), "{d:?}");
        if expected == DiagnosisCode::SignInConsentRequired {
            let url = d.admin_consent_url.as_deref().expect("the admin-consent URL");
            assert!(
                url.starts_with("https://login.microsoftonline.com/organizations/adminconsent?client_id=inlet-test"),
                "{url}"
            );
            assert!(d.what_happened.contains("administrator"), "{d:?}");
        }
    }
    // A refresh token expired through inactivity: sign in again.
    server.set_scripted_errors(&[]);
    let mail = dovecot(&server);
    let settings = self::settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    server.set_scripted_errors(&[ScriptedError::new(
        ALICE,
        ErrorStage::Refresh,
        "invalid_grant",
        "AADSTS700082: The refresh token has expired due to inactivity.",
    )]);
    // The app restarted: the saved mailbox's grant needs a refresh, which the issuer refuses.
    let fresh_engine = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let d = fresh_engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::NeedsSignIn, "{d:?}");
    let saved = fresh_engine.list_mailboxes().await.unwrap();
    fresh_engine.remove_mailbox(saved[0].id).await.expect("removed");

    // The person declines.
    server.set_scripted_errors(&[]);
    let declining = Engine::new(config(&server, dir.path(), &["--user", ALICE, "--deny"])).unwrap();
    let d = sign_in(&declining, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::SignInDenied, "{d:?}");
}

#[tokio::test]
async fn one_browser_sign_in_serves_imap_and_smtp_and_sends_the_test_message() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let smtp = SmtpServer::start(pki(), SmtpOptions::default().with_oauth2(&server)).expect("aiosmtpd starts");
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let mut settings = settings(Protocol::Imap, mail.imaps_port());
    settings.outgoing = Some(OutgoingSettings {
        endpoint: Endpoint { host: "localhost".into(), port: smtp.smtp_port(), security: Security::Starttls },
        username: None,
        same_password: true,
        allow_plaintext_password: false,
    });
    let events = Events::default();
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &events).await.expect("signed in");
    let asked = events.all();
    assert!(
        matches!(&asked[0], SignInEvent::BrowserOpened { url, .. } if url.contains("SMTP.Send") && url.contains("IMAP.AccessAsUser.All")),
        "the outgoing server adds SMTP.Send: {asked:?}"
    );
    let request = connect_request(&settings, &grant);
    let report = engine.connect(&request, &Recorder::default()).await.expect("both servers take the token");
    let outgoing = report.outgoing.expect("the outgoing check");
    assert_eq!(outgoing.username_used, ALICE);
    engine.send_test_message(&request, &Recorder::default()).await.expect("the test message goes out");
    assert_eq!(smtp.received().len(), 1);
}

#[tokio::test]
async fn a_grant_from_an_autoconfig_issuer_without_metadata_refreshes_at_its_token_endpoint() {
    keychain();
    let _turn = TURN.lock().await;
    // Microsoft's URL shapes; the issuer an autoconfig `<oAuth2>` element names publishes no
    // metadata (both well-known addresses answer 404): only the element's endpoints are known.
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let issuer_url = format!("{}/autoconfig-only", server.base_url());
    let with_issuer = |browser: &[&str]| {
        let mut config = config(&server, dir.path(), browser);
        config.oauth.issuers.push(IssuerClient {
            issuer: issuer_url.clone(),
            client_id: server.client_id().into(),
            scope: Some("mail".into()),
            ..Default::default()
        });
        config
    };
    let engine = Engine::new(with_issuer(&["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let issuer = IssuerChoice::Issuer {
        url: issuer_url.clone(),
        authorization_url: Some(server.authorization_endpoint("common")),
        token_url: Some(server.token_endpoint("common")),
        scope: Some("mail".into()),
    };
    let grant = sign_in(&engine, issuer, SignInMode::Browser, &settings, &Events::default()).await.expect("signed in");
    assert_eq!(grant.token_url.as_deref(), Some(server.token_endpoint("common").as_str()));
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    // The app restarts: no access token in memory, the grant as the store kept it.
    let stored = Engine::new(with_issuer(&[])).unwrap().list_mailboxes().await.unwrap()[0].grant.clone().unwrap();
    assert_eq!(stored.token_url, grant.token_url, "the store keeps the token endpoint");
    let restarted = Engine::new(with_issuer(&[])).unwrap();
    restarted
        .connect(&connect_request(&settings, &stored), &Recorder::default())
        .await
        .expect("a refresh at the kept token endpoint, no metadata needed");
    restarted.remove_mailbox(saved.id).await.expect("removed");
}

#[tokio::test]
async fn a_sign_in_never_saved_is_let_go_of_and_a_saved_one_is_kept() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, 993);
    let events = Events::default();
    let signed_in = || sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &events);

    // Left without saving: the front end discards it.
    let left = signed_in().await.expect("signed in");
    assert!(stored_refresh_token(&left.refresh_token_entry).is_some());
    assert!(engine.discard_sign_in(&left).await.expect("discarded"));
    assert_eq!(stored_refresh_token(&left.refresh_token_entry), None, "the refresh token left the keychain");

    // Saved: kept, whatever comes later.
    let saved_grant = signed_in().await.expect("signed in");
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(saved_grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    // Not saved, and not discarded by the front end: the next sign-in lets go of it.
    let forgotten = signed_in().await.expect("signed in");
    let next = signed_in().await.expect("signed in");
    assert_eq!(stored_refresh_token(&forgotten.refresh_token_entry), None, "the next sign-in let go of it");
    assert!(stored_refresh_token(&next.refresh_token_entry).is_some(), "the newest stays until it is saved or left");
    assert!(stored_refresh_token(&saved_grant.refresh_token_entry).is_some(), "the saved mailbox keeps its sign-in");
    assert!(!engine.discard_sign_in(&saved_grant).await.unwrap(), "a saved mailbox's grant is not discarded");
    assert!(stored_refresh_token(&saved_grant.refresh_token_entry).is_some());
    // Only a sign-in's own entries: a grant naming a password's entry discards nothing.
    let foreign = OAuth2Grant { refresh_token_entry: "alice@example.test#1".into(), ..next.clone() };
    assert!(!engine.discard_sign_in(&foreign).await.unwrap());
    engine.discard_sign_in(&next).await.unwrap();
    engine.remove_mailbox(saved.id).await.expect("removed");
}

// ---- the negative cases -------------------------------------------------------------

/// The engine's own code exchange, on the issuer of a test server (its host names sent there).
struct Exchange {
    http: inlet_core::oauth::http::IssuerHttp,
    issuer: inlet_core::oauth::issuer::IssuerEndpoints,
    client: inlet_core::oauth::clients::ClientRegistration,
}

impl Exchange {
    fn new(server: &AuthServer, data: &Path) -> Exchange {
        let config = config(server, data, &[]);
        let tls = inlet_core::net::TlsContext::new(&config.extra_ca_files).unwrap();
        Exchange {
            http: inlet_core::oauth::http::IssuerHttp::new(&config, &tls).unwrap(),
            issuer: inlet_core::oauth::issuer::IssuerEndpoints::microsoft("common").unwrap(),
            client: inlet_core::oauth::clients::ClientRegistration {
                client_id: server.client_id().into(),
                client_secret: None,
                scope: None,
            },
        }
    }

    async fn code(&self, redirect_uri: &str, code: &str, verifier: &str) -> Result<String, String> {
        use inlet_core::oauth::authorization::{exchange_code, PkceCodeVerifier};
        exchange_code(
            &self.http,
            &self.issuer,
            &self.client,
            redirect_uri,
            code.into(),
            PkceCodeVerifier::new(verifier.into()),
        )
        .await
        .map(|t| t.access_token.expose().to_owned())
        .map_err(|e| format!("{:?}", inlet_core::Diagnosis::of_sign_in(&e)))
    }
}

#[tokio::test]
async fn a_replayed_authorization_code_is_refused_and_what_it_gave_is_revoked() {
    let server =
        Arc::new(AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() }));
    let dir = tempfile::tempdir().unwrap();
    let flow = server.begin_code_flow(server.client_id(), &["https://outlook.office.com/IMAP.AccessAsUser.All"]);
    let (person, url) = (server.clone(), flow.authorization_url.clone());
    tokio::task::spawn_blocking(move || person.follow_as_person(&url, ALICE, Consent::Approve)).await.unwrap();
    let query = flow.redirect_query().expect("the browser came back");
    let code = url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "code").expect("a code").1.into_owned();
    let exchange = Exchange::new(&server, dir.path());

    let first = exchange.code(&flow.redirect_uri, &code, &flow.code_verifier).await.expect("the code works once");
    let introspect = |token: String| {
        let server = server.clone();
        tokio::task::spawn_blocking(move || server.introspect(&token))
    };
    assert!(introspect(first.clone()).await.unwrap(), "the first token is good");
    // The same code, verifier and redirect again (a code stolen from the redirect): refused.
    let again = exchange.code(&flow.redirect_uri, &code, &flow.code_verifier).await.expect_err("a code works once");
    assert!(again.contains("invalid_grant"), "{again}");
    assert!(!again.contains(&code), "the code is not quoted back: {again}");
    // RFC 6749 4.1.2: the server revokes what the code gave once it is replayed.
    assert!(!introspect(first).await.unwrap(), "the token the code gave is revoked after the replay");
    assert_eq!(server.asked().grant("authorization_code"), 2);
}

#[tokio::test]
async fn the_device_flow_slows_down_when_told_and_stops_when_the_code_expires() {
    keychain();
    let _turn = TURN.lock().await;
    // Polls must be a second apart, and the engine polls at once: the first is `slow_down`, and
    // from then on the engine waits 5 s longer (RFC 8628 3.5).
    let server = Arc::new(AuthServer::start(
        pki(),
        AuthServerOptions {
            style: Style::Microsoft,
            device_poll_interval: Some(Duration::from_secs(1)),
            ..Default::default()
        },
    ));
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let settings = settings(Protocol::Imap, 993);
    let approver = server.clone();
    let on_event = move |event: SignInEvent| {
        if let SignInEvent::DeviceCode { user_code, .. } = event {
            let server = approver.clone();
            // Approved once the engine has been told to slow down.
            std::thread::spawn(move || {
                while !server.asked().device_polls.iter().any(|p| p.answer == "slow_down") {
                    std::thread::sleep(Duration::from_millis(100));
                }
                server.approve_device(&user_code, ALICE, Consent::Approve);
            });
        }
    };
    let request =
        SignInRequest { settings: settings.clone(), issuer: microsoft(), mode: SignInMode::Device, client_id: None };
    let grant = engine.sign_in(&request, &on_event).await.expect("signed in after slowing down");
    engine.discard_sign_in(&grant).await.unwrap();
    let polls = server.asked().device_polls;
    let answers: Vec<&str> = polls.iter().map(|p| p.answer.as_str()).collect();
    assert_eq!(answers.first(), Some(&"slow_down"), "{polls:?}");
    assert_eq!(answers.last(), Some(&"tokens"), "{polls:?}");
    assert_eq!(answers.iter().filter(|a| **a == "slow_down").count(), 1, "slowed down once was enough: {polls:?}");
    // Every poll after the slow_down waited the interval and 5 s more (1 + 5; at least 5 s
    // leaves room for the clocks).
    for pair in polls.windows(2) {
        assert!(pair[1].at_ms - pair[0].at_ms >= 5_000, "polled too soon after {pair:?}");
    }

    // A code nobody approves runs out: the engine stops at its expiry and says so.
    let server = AuthServer::start(
        pki(),
        AuthServerOptions { style: Style::Microsoft, device_code_ttl: Duration::from_secs(2), ..Default::default() },
    );
    let engine = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let events = Events::default();
    let started = std::time::Instant::now();
    let d = engine.sign_in(&request, &events.sink()).await.expect_err("nobody approved");
    assert_eq!(d.code, DiagnosisCode::SignInTimedOut, "{d:?}");
    assert!(d.title.contains("code ran out"), "{d:?}");
    assert!(started.elapsed() < Duration::from_secs(30), "it stopped near the expiry, not later");
    let polls = server.asked().device_polls;
    assert!(polls.iter().all(|p| p.answer == "authorization_pending"), "{polls:?}");
}

#[tokio::test]
async fn a_refresh_that_fails_for_a_passing_reason_is_retried_and_the_grant_kept() {
    keychain();
    let _turn = TURN.lock().await;
    // Refresh tokens that do not rotate (a refused refresh then leaves the old one good, as
    // with Microsoft and Google), and access tokens short enough that every check refreshes.
    let server = AuthServer::start(
        pki(),
        AuthServerOptions {
            style: Style::Microsoft,
            rotate_refresh_tokens: false,
            access_token_ttl: Duration::from_secs(30),
            ..Default::default()
        },
    );
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let refresh_token = stored_refresh_token(&grant.refresh_token_entry).unwrap();
    let refreshes = || server.asked().grant("refresh_token");

    // Twice `temporarily_unavailable` (once as a 503): the third try works.
    server.set_scripted_errors(&[
        ScriptedError::new(ALICE, ErrorStage::Refresh, "temporarily_unavailable", "").with_status(503).times(1),
        ScriptedError::new(ALICE, ErrorStage::Refresh, "temporarily_unavailable", "Try again later").times(1),
    ]);
    let before = refreshes();
    engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("connects after retrying");
    assert_eq!(refreshes() - before, 3, "two refused tries, then the one that worked");

    // Failing on and on: after the retries, a passing problem, and the grant is kept.
    server.set_scripted_errors(&[ScriptedError::new(ALICE, ErrorStage::Refresh, "temporarily_unavailable", "")]);
    let before = refreshes();
    let d = engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.unwrap_err();
    assert_eq!(d.code, DiagnosisCode::IssuerUnavailable, "{d:?}");
    assert!(d.what_happened.contains("Your sign-in is kept"), "{d:?}");
    assert_eq!(refreshes() - before, 4, "the first try and three retries");
    assert_eq!(stored_refresh_token(&grant.refresh_token_entry).as_deref(), Some(refresh_token.as_str()), "kept");
    // Once the issuer is back, the same grant works.
    server.set_scripted_errors(&[]);
    engine.connect(&connect_request(&settings, &grant), &Recorder::default()).await.expect("the grant still works");
    engine.discard_sign_in(&grant).await.unwrap();
}

#[tokio::test]
async fn a_denied_sign_in_is_reported_with_its_steps_and_no_token_code_or_state() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(Protocol::Imap, 993);
    // A sign-in that worked first: its real tokens are the canaries the report must not hold.
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let accepted = engine
        .sign_in_reported(
            &SignInRequest {
                settings: settings.clone(),
                issuer: microsoft(),
                mode: SignInMode::Browser,
                client_id: None,
            },
            &Events::default().sink(),
        )
        .await;
    let grant = accepted.outcome.expect("signed in");
    let steps: Vec<&str> = accepted.report.sign_in.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(
        steps,
        ["issuer", "authorization endpoint", "redirect to Inlet", "token endpoint"],
        "{:?}",
        accepted.report.sign_in
    );
    assert!(accepted.report.outcome.ok);

    // The person declines.
    let declining = Engine::new(config(&server, dir.path(), &["--user", ALICE, "--deny"])).unwrap();
    let events = Events::default();
    let request =
        SignInRequest { settings: settings.clone(), issuer: microsoft(), mode: SignInMode::Browser, client_id: None };
    let denied = declining.sign_in_reported(&request, &events.sink()).await;
    let d = denied.outcome.expect_err("declined");
    assert_eq!(d.code, DiagnosisCode::SignInDenied, "{d:?}");

    let report = &denied.report;
    assert_eq!(report.outcome.code.as_deref(), Some("sign_in_denied"));
    assert_eq!(report.outcome.checked, "signing in with the provider");
    let steps: Vec<(&str, inlet_core::discover::trace::StepStatus)> =
        report.sign_in.iter().map(|s| (s.source.as_str(), s.status)).collect();
    use inlet_core::discover::trace::StepStatus::{Failed, Found};
    assert_eq!(
        steps,
        [("issuer", Found), ("authorization endpoint", Found), ("redirect to Inlet", Failed)],
        "{:?}",
        report.sign_in
    );
    // The issuer and which endpoint answered what, in the order they happened.
    assert!(report.sign_in[0].outcome.contains("token endpoint https://"), "{:?}", report.sign_in[0]);
    assert!(
        report.sign_in[1].query.starts_with("https://") && !report.sign_in[1].query.contains('?'),
        "{:?}",
        report.sign_in[1]
    );
    assert!(report.sign_in[2].outcome.contains("access_denied"), "the provider's answer: {:?}", report.sign_in[2]);
    let times: Vec<u64> = report.sign_in.iter().map(|s| s.elapsed_ms).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let markdown = report.to_markdown();
    assert!(markdown.contains("## Sign-in with the provider") && markdown.contains("(`sign_in_denied`)"), "{markdown}");

    // No token, and nothing of the authorization request's query (state, PKCE challenge).
    let Some(SignInEvent::BrowserOpened { url, .. }) = events.all().into_iter().next() else {
        panic!("{:?}", events.all())
    };
    let url = url::Url::parse(&url).unwrap();
    let mut canaries: Vec<String> =
        url.query_pairs().filter(|(k, _)| k == "state" || k == "code_challenge").map(|(_, v)| v.into_owned()).collect();
    assert_eq!(canaries.len(), 2, "{url}");
    canaries.extend(server.asked().access_tokens);
    canaries.extend(stored_refresh_token(&grant.refresh_token_entry));
    assert!(canaries.len() >= 4, "real tokens to look for");
    for r in [&accepted.report, report] {
        for text in [r.to_markdown(), r.to_json(), r.masked().to_markdown()] {
            for canary in &canaries {
                assert!(!text.contains(canary.as_str()), "a token, state or challenge is in the report: {text}");
            }
        }
    }
    engine.discard_sign_in(&grant).await.expect("let go of");
}

#[tokio::test]
async fn a_canary_access_token_is_in_no_event_report_grant_or_file() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let events = Events::default();
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &events).await.expect("signed in");
    let progress = Recorder::default();
    let report = engine.connect(&connect_request(&settings, &grant), &progress).await.expect("connects");
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &progress,
        )
        .await
        .expect("saved");
    let listed = engine.list_mailboxes().await.unwrap();
    let canaries = server.asked().access_tokens;
    assert!(!canaries.is_empty() && canaries.iter().all(|t| t.len() > 20), "real access tokens: {}", canaries.len());
    // What the front end receives over IPC: the events, the grant, the report, the progress,
    // the saved and listed mailboxes; and every file under the data directory.
    let mut payloads: Vec<(String, String)> = vec![
        ("sign-in events".into(), serde_json::to_string(&events.all()).unwrap()),
        ("grant".into(), serde_json::to_string(&grant).unwrap()),
        ("grant (debug)".into(), format!("{grant:?}")),
        ("connect report".into(), serde_json::to_string(&report).unwrap()),
        ("progress".into(), serde_json::to_string(&progress.events()).unwrap()),
        ("saved".into(), serde_json::to_string(&saved).unwrap()),
        ("listed".into(), serde_json::to_string(&listed).unwrap()),
    ];
    for file in files_under(dir.path()) {
        payloads.push((file.display().to_string(), String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into()));
    }
    for (what, text) in &payloads {
        for canary in &canaries {
            assert!(!text.contains(canary.as_str()), "an access token is in the {what}");
        }
    }
    engine.remove_mailbox(saved.id).await.expect("removed");
}

/// The details view's report of a mailbox that signs in with the browser: the engine checks it
/// with its grant (the access token renewed from the stored refresh token), like any check, and
/// the report holds neither token.
#[tokio::test]
async fn a_mailbox_that_signs_in_with_the_browser_gets_a_report_of_a_check_with_its_grant() {
    keychain();
    let _turn = TURN.lock().await;
    let server = AuthServer::start(pki(), AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let mail = dovecot(&server);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(config(&server, dir.path(), &["--user", ALICE])).unwrap();
    let settings = settings(Protocol::Imap, mail.imaps_port());
    let grant = sign_in(&engine, microsoft(), SignInMode::Browser, &settings, &Events::default()).await.unwrap();
    let saved = engine
        .save_mailbox(
            &SaveRequest {
                settings: settings.clone(),
                folders: vec![ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: None }],
                credentials: Credentials::OAuth2(grant.clone()),
                outgoing_credentials: None,
            },
            &Recorder::default(),
        )
        .await
        .expect("saved");
    // A restarted app: no access token in memory, only the stored refresh token.
    let restarted = Engine::new(config(&server, dir.path(), &[])).unwrap();
    let reported = restarted.mailbox_report(saved.id, &Recorder::default()).await.expect("a report");
    assert!(reported.outcome.is_ok(), "{:?}", reported.outcome.err());
    let refresh_token = stored_refresh_token(&saved.keychain_account).expect("stored");
    for text in [reported.report.to_markdown(), reported.report.to_json()] {
        assert!(text.contains("localhost"), "the report names the server: {text}");
        assert!(!text.contains(&refresh_token), "no refresh token in the report");
    }
    engine.remove_mailbox(saved.id).await.expect("removed");
}
