//! Browser sign-in against password sign-in, to the same Dovecot, in the same run: the time
//! from "Sign in" to the folders.
//!
//! - Password: `Engine::connect` with the password (TLS, LOGIN, the folder listing).
//! - Sign in with Microsoft: `Engine::sign_in` (browser flow, PKCE, loopback redirect) then
//!   `Engine::connect` with the grant (XOAUTH2/OAUTHBEARER, which Dovecot checks at the test
//!   authorization server's introspection). The authorization server is the test kit's
//!   oidc-provider in Microsoft's URL shapes; the browser step is played by this very program
//!   (`inlet-bench oauth-browser`, the test kit's follower): it opens the authorization URL,
//!   posts the login and consent forms and follows the redirect to the engine's listener, as a
//!   person who clicks at once would. The refresh token goes to a private gnome-keyring.
//!
//! Each sign-in is split by the engine's own events: before the browser opens (the engine's
//! preparation), the browser step (the person; the follower's process start is in it), the
//! code exchange (the token request and the keychain write), the mail connection. The requests
//! each side made are counted by the authorization server.

use inlet_core::account::{
    AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, Security, ServerSettings,
};
use inlet_core::config::ConnectTo;
use inlet_core::oauth::clients::OAuthConfig;
use inlet_core::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use inlet_core::progress::ProgressEvent;
use inlet_core::secrets::{Credentials, Secret};
use inlet_core::{ConnectRequest, Engine, EngineConfig};
use inlet_testkit::oauth::{Asked, AuthServer, AuthServerOptions, Consent, Style};
use inlet_testkit::{Dovecot, DovecotOAuth2, DovecotOptions, Keychain, TestPki};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// About the size of the test server's refresh tokens (opaque, 43 characters).
const REFRESH_TOKEN_SIZE: usize = 43;

/// The subcommand that plays the person at the browser.
pub const BROWSER_COMMAND: &str = "oauth-browser";

/// `inlet-bench oauth-browser CA SERVER URL`: follows the authorization URL as a person who
/// approves at once. Exits 0 when the engine's loopback page answered 200.
pub fn browser_main(args: &[String]) -> std::process::ExitCode {
    let [ca, server, url] = args else {
        eprintln!("usage: inlet-bench {BROWSER_COMMAND} CA_FILE 127.0.0.1:PORT URL");
        return std::process::ExitCode::from(2);
    };
    let browser =
        inlet_testkit::oauth::Browser { server: server.parse().expect("the server's address"), ca_file: ca.into() };
    match inlet_testkit::oauth::follow_as_person(&browser, url, crate::USER, Consent::Approve) {
        Ok(page) if page.status == 200 => std::process::ExitCode::SUCCESS,
        Ok(page) => {
            eprintln!("{BROWSER_COMMAND}: {} {}", page.status, page.final_url);
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{BROWSER_COMMAND}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Medians of one way of signing in, in milliseconds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Phases {
    /// Until the browser was started (engine: loopback listener, PKCE, URL).
    pub before_browser_ms: f64,
    /// The browser's part, until it came back to the loopback listener with the code.
    pub browser_ms: f64,
    /// The code exchange: the token request, and the refresh token into the keychain.
    pub exchange_ms: f64,
    /// One keychain write of a refresh token's size, timed alone (the exchange's share of it).
    pub keychain_ms: f64,
    /// `Engine::connect` with the token (or the password): TLS, sign-in, the folders.
    pub connect_ms: f64,
    pub total_ms: f64,
}

/// Requests per sign-in, counted by the authorization server.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Requests {
    /// By the browser: the authorize request, the login and consent pages and forms, redirects.
    pub browser: u64,
    /// By the engine: token requests.
    pub engine_token: u64,
    /// By Dovecot: token introspection (RFC 7662).
    pub introspection: u64,
}

pub struct SignInRow {
    pub runs: usize,
    pub password: Phases,
    pub sign_in: Phases,
    pub requests: Requests,
    /// IMAP sign-in commands (round trips) of each way, from the engine's progress.
    pub folders: usize,
}

pub async fn run(pki: &TestPki, quick: bool) -> SignInRow {
    let keychain = Keychain::start().expect("gnome-keyring starts");
    keychain.install_for_this_process();
    let auth = AuthServer::start(pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let dovecot =
        Dovecot::start(pki, DovecotOptions { oauth2: Some(DovecotOAuth2::introspecting(&auth)), ..Default::default() })
            .expect("dovecot");
    let data = tempfile::tempdir().expect("a data directory");
    let me = std::env::current_exe().expect("the bench's own path").display().to_string();
    let config = EngineConfig {
        data_dir: Some(data.path().to_path_buf()),
        extra_ca_files: vec![pki.ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-bench-{}", std::process::id()),
        connect_to: auth
            .connect_to()
            .into_iter()
            .map(|c| ConnectTo { host: c.host, port: c.port, to_host: c.to_host, to_port: c.to_port })
            .collect(),
        oauth: OAuthConfig { microsoft_client_id: Some(auth.client_id().into()), ..Default::default() },
        policy_file: None,
        browser_command: Some(vec![
            me,
            BROWSER_COMMAND.into(),
            pki.ca_pem_path().display().to_string(),
            format!("127.0.0.1:{}", auth.port()),
        ]),
        ..Default::default()
    };
    let keychain_alone = inlet_core::secrets::Keychain::new(config.keychain_service.clone(), Duration::from_secs(20));
    let engine = Engine::new(config).expect("engine");
    let settings = |auth: AuthMethod| MailboxSettings {
        kind: MailboxKind::Microsoft365,
        email: crate::USER.parse().expect("an address"),
        incoming: IncomingServer::Imap(ServerSettings {
            endpoint: Endpoint { host: "localhost".into(), port: dovecot.imaps_port(), security: Security::Tls },
            username: None,
            auth,
            allow_plaintext_password: false,
        }),
        outgoing: None,
        trusted_certificates: Vec::new(),
    };
    let runs = if quick { 5 } else { 15 };
    let mut password = Vec::new();
    let mut signed_in = Vec::new();
    let mut requests = Vec::new();
    let mut folders = 0;
    // Two untimed rounds warm Dovecot, the authorization server and the keychain.
    for i in 0..runs + 2 {
        let request = ConnectRequest {
            settings: settings(AuthMethod::Password),
            credentials: Credentials::password(crate::PASSWORD),
            outgoing_credentials: None,
        };
        let t = Instant::now();
        let report = engine.connect(&request, &|_: ProgressEvent| {}).await.expect("password sign-in");
        let connect_ms = ms(t.elapsed());
        folders = report.folders.folders.len();
        let by_password = Phases { connect_ms, total_ms: connect_ms, ..Phases::default() };

        let before = auth.asked();
        let marks: Arc<Mutex<Vec<(Instant, &'static str)>>> = Arc::default();
        let seen = marks.clone();
        let on_event = move |e: SignInEvent| {
            let name = match e {
                SignInEvent::BrowserOpened { .. } => "browser",
                SignInEvent::DeviceCode { .. } => "device",
                SignInEvent::Exchanging => "exchanging",
            };
            seen.lock().unwrap().push((Instant::now(), name));
        };
        let sign_in = SignInRequest {
            settings: settings(AuthMethod::OAuth2),
            issuer: IssuerChoice::Microsoft { tenant: None },
            mode: SignInMode::Browser,
            client_id: None,
        };
        let t = Instant::now();
        let grant = engine.sign_in(&sign_in, &on_event).await.expect("browser sign-in");
        let signed = Instant::now();
        let request = ConnectRequest {
            settings: settings(AuthMethod::OAuth2),
            credentials: Credentials::OAuth2(grant.clone()),
            outgoing_credentials: None,
        };
        let report = engine.connect(&request, &|_: ProgressEvent| {}).await.expect("token sign-in");
        let done = Instant::now();
        assert_eq!(report.folders.folders.len(), folders, "the same folders either way");
        let after = auth.asked();
        engine.discard_sign_in(&grant).await.expect("the sign-in is let go of");
        let marks = marks.lock().unwrap().clone();
        let at = |name: &str| marks.iter().find(|(_, n)| *n == name).map(|(i, _)| *i).expect("the engine's event");
        let (opened, exchanging) = (at("browser"), at("exchanging"));
        let t_keychain = Instant::now();
        keychain_alone.store("bench-write", &Secret::new("x".repeat(REFRESH_TOKEN_SIZE))).await.expect("stored");
        let keychain_ms = ms(t_keychain.elapsed());
        let by_browser = Phases {
            before_browser_ms: ms(opened - t),
            browser_ms: ms(exchanging - opened),
            exchange_ms: ms(signed - exchanging),
            keychain_ms,
            connect_ms: ms(done - signed),
            total_ms: ms(done - t),
        };
        if i >= 2 {
            password.push(by_password);
            signed_in.push(by_browser);
            requests.push(count(&before, &after));
        }
    }
    keychain_alone.delete("bench-write").await.expect("the bench's own entry goes");
    let first = requests[0];
    assert!(requests.iter().all(|r| *r == first), "every sign-in asks the same: {requests:?}");
    SignInRow { runs, password: medians(&password), sign_in: medians(&signed_in), requests: first, folders }
}

fn count(before: &Asked, after: &Asked) -> Requests {
    let all = |a: &Asked| a.requests("/");
    let token = |a: &Asked| a.grant("authorization_code");
    let introspection = |a: &Asked| a.requests("/token/introspection");
    let token_requests = token(after) - token(before);
    let introspections = introspection(after) - introspection(before);
    Requests {
        browser: all(after) - all(before) - token_requests - introspections,
        engine_token: token_requests,
        introspection: introspections,
    }
}

fn medians(all: &[Phases]) -> Phases {
    let m = |f: fn(&Phases) -> f64| crate::median(all.iter().map(f).collect());
    Phases {
        before_browser_ms: m(|p| p.before_browser_ms),
        browser_ms: m(|p| p.browser_ms),
        exchange_ms: m(|p| p.exchange_ms),
        keychain_ms: m(|p| p.keychain_ms),
        connect_ms: m(|p| p.connect_ms),
        total_ms: m(|p| p.total_ms),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn print(row: &SignInRow) {
    let (p, s, r) = (&row.password, &row.sign_in, &row.requests);
    println!();
    println!(
        "Sign in to the folders ({} folders), the same Dovecot and engine, alternating; medians of {} runs:",
        row.folders, row.runs
    );
    println!();
    println!(
        "| way | before the browser | browser step | code exchange (keychain write alone) | mail connection | total |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    println!("| password | — | — | — | {:.0} ms | {:.0} ms |", p.connect_ms, p.total_ms);
    println!(
        "| Sign in with Microsoft (local server) | {:.1} ms | {:.0} ms | {:.0} ms ({:.0} ms) | {:.0} ms | {:.0} ms |",
        s.before_browser_ms, s.browser_ms, s.exchange_ms, s.keychain_ms, s.connect_ms, s.total_ms
    );
    println!();
    println!(
        "Requests per sign-in at the authorization server: {} by the browser (authorize, login and consent \
         pages and forms, redirects), {} token request by the engine, {} introspection by Dovecot.",
        r.browser, r.engine_token, r.introspection
    );
    println!(
        "Engine side beyond the password connection: {:.1} ms before the browser + {:.0} ms code exchange + \
         {:+.0} ms in the mail connection (token sign-in against password).",
        s.before_browser_ms,
        s.exchange_ms,
        s.connect_ms - p.connect_ms
    );
}
