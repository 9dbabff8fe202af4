//! A real OAuth 2.0 authorization server per test: `oidc-provider` (npm, a certified OpenID
//! provider) run by `oauth-server/server.mjs` next to this crate's Cargo.toml, on HTTPS with a
//! certificate from the [`TestPki`]. PKCE S256 is required, refresh tokens rotate, the device flow
//! (RFC 8628) works, and introspection (RFC 7662) really rejects unknown, revoked and foreign
//! tokens, so [`crate::Dovecot`] and [`crate::SmtpServer`] can check bearer sign-ins against it.
//!
//! Needs Node.js 20 or newer and the npm packages: `npm ci` in `crates/inlet-testkit/oauth-server`
//! (`./dev test` does it). The node binary is `$INLET_TESTKIT_NODE` or `node` on the PATH; the
//! directory is `$INLET_TESTKIT_OAUTH_SERVER_DIR` or the one in this crate.
//!
//! The person in front of the browser is played by [`AuthServer::follow_as_person`] (and the
//! `inlet-test-servers oauth-browser` command, the "browser" the engine starts in tests): it
//! follows the authorization URL, posts the login and consent forms as a browser would, follows
//! the redirect to the application's loopback `redirect_uri` and returns what that page answered.
//!
//! ```no_run
//! use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Consent, Style};
//! use inlet_testkit::TestPki;
//! let pki = TestPki::generate();
//! let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
//! // The engine reaches login.microsoftonline.com through server.connect_to(), trusting the test CA.
//! # let authorization_url = String::new();
//! let answer = server.follow_as_person(&authorization_url, "alice@example.test", Consent::Approve);
//! assert_eq!(answer.status, 200);
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::pki::TestPki;
use crate::process::{kill_group, spawn, wait_until, ExitGuard};
use crate::smtp::json_string;

/// How long [`AuthServer::start`] waits for the server. Node starts it in about 0.3–0.6 s.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one HTTP request of the follower may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Pages the follower goes through at most (a flow takes about eight).
const MAX_STEPS: usize = 30;

/// The command that installs the server's packages, for error messages.
pub const INSTALL_HINT: &str = "npm ci --prefix crates/inlet-testkit/oauth-server (./dev test runs it)";

/// The host names and URL shapes of a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Issuer `https://127.0.0.1:PORT`; metadata at `/.well-known/openid-configuration` and
    /// `/.well-known/oauth-authorization-server`; authorize `/auth`, token `/token`, device
    /// authorization `/device/auth`.
    Generic,
    /// `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/{authorize,token,devicecode}`
    /// for any tenant (`common`, `organizations`, `consumers`, an id); metadata at
    /// `/{tenant}/v2.0/.well-known/openid-configuration`. No RFC 9207 `iss` in the
    /// authorization response, as Microsoft does not send it. Errors carry `error_codes`.
    Microsoft,
    /// `https://accounts.google.com/o/oauth2/v2/auth`, `https://oauth2.googleapis.com/token`,
    /// `https://oauth2.googleapis.com/device/code`; issuer `https://accounts.google.com`.
    Google,
}

impl Style {
    fn name(self) -> &'static str {
        match self {
            Style::Generic => "generic",
            Style::Microsoft => "microsoft",
            Style::Google => "google",
        }
    }

    /// The provider's host names this server stands in for.
    pub fn hosts(self) -> &'static [&'static str] {
        match self {
            Style::Generic => &[],
            Style::Microsoft => &["login.microsoftonline.com"],
            Style::Google => &["accounts.google.com", "oauth2.googleapis.com"],
        }
    }
}

/// What the person does on the consent page (and the device confirmation page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    Approve,
    Deny,
}

/// Where a scripted error is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorStage {
    /// After the login form: the browser is redirected to the `redirect_uri` with
    /// `error` and `error_description` (and `state`).
    Authorization,
    /// Every token endpoint answer for the user (code exchange, device poll, refresh) is this
    /// error (HTTP 400), after the server did its work (the code or refresh token is used up).
    Token,
    /// Only refresh-token requests (e.g. AADSTS700082, a refresh token expired by inactivity).
    Refresh,
}

/// An OAuth error the server answers for one user instead of success, worded as the real
/// provider words it (a test double following the providers' published error format).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptedError {
    pub user: String,
    pub at: ErrorStage,
    /// `access_denied`, `invalid_grant`, `invalid_client`, `consent_required`, ...
    pub error: String,
    /// e.g. `AADSTS65001: The user or administrator has not consented to use the application ...`.
    pub description: Option<String>,
    /// Answered this many times, then used up; None: until replaced.
    pub times: Option<u32>,
    /// The HTTP status of a token endpoint answer (default 400; 503 for a passing failure).
    pub status: Option<u16>,
}

impl ScriptedError {
    pub fn new(user: &str, at: ErrorStage, error: &str, description: &str) -> ScriptedError {
        ScriptedError {
            user: user.into(),
            at,
            error: error.into(),
            description: (!description.is_empty()).then(|| description.into()),
            times: None,
            status: None,
        }
    }

    /// Answered `n` times only (a passing failure), then the server behaves again.
    pub fn times(self, n: u32) -> ScriptedError {
        ScriptedError { times: Some(n), ..self }
    }

    /// Answered with HTTP `status` at the token endpoint.
    pub fn with_status(self, status: u16) -> ScriptedError {
        ScriptedError { status: Some(status), ..self }
    }

    fn json(&self) -> String {
        let at = match self.at {
            ErrorStage::Authorization => "authorization",
            ErrorStage::Token => "token",
            ErrorStage::Refresh => "refresh",
        };
        let mut out =
            format!("{{\"user\":{},\"at\":\"{at}\",\"error\":{}", json_string(&self.user), json_string(&self.error));
        if let Some(d) = &self.description {
            let _ = write!(out, ",\"error_description\":{}", json_string(d));
        }
        if let Some(n) = self.times {
            let _ = write!(out, ",\"times\":{n}");
        }
        if let Some(status) = self.status {
            let _ = write!(out, ",\"status\":{status}");
        }
        out.push('}');
        out
    }
}

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct AuthServerOptions {
    pub style: Style,
    /// The public client (no secret, PKCE S256 required, any loopback redirect port and path as
    /// RFC 8252 §7.3 allows; grants authorization_code, refresh_token, device_code). Default
    /// `inlet-test`. Only its tokens are active at introspection.
    pub client_id: String,
    /// Other public clients that may sign in too, but whose tokens the mail servers do not
    /// accept (introspection says inactive): "a token issued to another application".
    /// Default `other-app`.
    pub other_clients: Vec<String>,
    /// A refresh grant returns a new refresh token and the old one stops working. Default true.
    pub rotate_refresh_tokens: bool,
    /// Access tokens live this long (whole seconds). Default 1 h; tests set a few seconds to
    /// force a refresh.
    pub access_token_ttl: Duration,
    /// How long a device code may be approved. Default 10 minutes.
    pub device_code_ttl: Duration,
    /// The accounts that may sign in (login = the address). Default alice@example.test, bob.
    pub users: Vec<String>,
    pub scripted_errors: Vec<ScriptedError>,
    /// RFC 8628 3.5: the device authorization answer names this interval, and a poll sooner
    /// than it after the last one (or the authorization) is answered `slow_down` while pending.
    /// None: no interval named (clients use 5 s) and no such check.
    pub device_poll_interval: Option<Duration>,
}

impl Default for AuthServerOptions {
    fn default() -> Self {
        AuthServerOptions {
            style: Style::Generic,
            client_id: "inlet-test".into(),
            other_clients: vec!["other-app".into()],
            rotate_refresh_tokens: true,
            access_token_ttl: Duration::from_secs(3600),
            device_code_ttl: Duration::from_secs(600),
            users: vec!["alice@example.test".into(), "bob".into()],
            scripted_errors: Vec::new(),
            device_poll_interval: None,
        }
    }
}

/// A host and port the application should reach at another address, as the engine's
/// `EngineConfig.connect_to` entries (same fields; the test kit does not depend on the engine).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectTo {
    pub host: String,
    pub port: u16,
    pub to_host: String,
    pub to_port: u16,
}

/// What the last page answered, after the follower reached the redirect target (or a page with
/// no form it could fill, such as the device flow's success page or a provider's error page).
#[derive(Clone, Debug)]
pub struct FollowResult {
    pub final_url: String,
    pub status: u16,
    pub body: String,
}

impl FollowResult {
    /// A query parameter of `final_url` (`code`, `state`, `error`, `iss`, ...).
    pub fn query(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&self.final_url).ok()?;
        url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
    }
}

/// Where the follower finds the authorization server: its address (every https host that is
/// not a loopback address is sent there, as `connect_to` does for the engine) and the CA to trust.
#[derive(Clone, Debug)]
pub struct Browser {
    pub server: SocketAddr,
    pub ca_file: PathBuf,
}

/// What the server was asked since it started ([`AuthServer::asked`]).
#[derive(Clone, Debug, Default)]
pub struct Asked {
    /// Requests by path as sent (`/common/oauth2/v2.0/token`, `/interaction/…`), sorted.
    pub paths: Vec<(String, u64)>,
    /// Token endpoint requests by `grant_type`, sorted.
    pub grants: Vec<(String, u64)>,
    /// Every device-code poll, in order.
    pub device_polls: Vec<DevicePoll>,
    /// Every access token the token endpoint handed out, in order: canaries for the tests that
    /// look for tokens where none may be.
    pub access_tokens: Vec<String>,
}

impl Asked {
    /// Requests whose path starts with `prefix`.
    pub fn requests(&self, prefix: &str) -> u64 {
        self.paths.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(_, n)| n).sum()
    }

    /// Token requests with `grant_type`.
    pub fn grant(&self, grant_type: &str) -> u64 {
        self.grants.iter().find(|(g, _)| g == grant_type).map_or(0, |(_, n)| *n)
    }
}

/// One device-code poll: when (milliseconds since the Unix epoch, the server's clock) and what
/// it was answered (`authorization_pending`, `slow_down`, `tokens`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevicePoll {
    pub at_ms: u64,
    pub answer: String,
}

/// A running authorization server. Dropping it kills the process (all grants are in memory).
pub struct AuthServer {
    _exit: ExitGuard,
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
    style: Style,
    client_id: String,
    introspector: (String, String),
    control_secret: String,
    ca_file: PathBuf,
}

impl AuthServer {
    /// Starts the server; panics with the reason (and the install hint) when it cannot.
    pub fn start(pki: &TestPki, opts: AuthServerOptions) -> AuthServer {
        Self::try_start(pki, opts).unwrap_or_else(|e| panic!("starting the test authorization server: {e}"))
    }

    pub fn try_start(pki: &TestPki, opts: AuthServerOptions) -> io::Result<AuthServer> {
        let server_dir = server_dir()?;
        let node = std::env::var("INLET_TESTKIT_NODE").unwrap_or_else(|_| "node".into());

        let dir = tempfile::Builder::new().prefix("inlet-oauth-").tempdir()?;
        let exit = ExitGuard::new(dir.path());
        let mut names: Vec<&str> = vec!["127.0.0.1", "localhost"];
        names.extend(opts.style.hosts());
        let (cert, key) = pki.issue(&names);
        let introspector = ("inlet-mail-servers".to_string(), random_hex(16)?);
        let control_secret = random_hex(16)?;
        let users = opts.users.iter().map(|u| json_string(u)).collect::<Vec<_>>().join(",");
        let others = opts.other_clients.iter().map(|c| json_string(c)).collect::<Vec<_>>().join(",");
        let errors = opts.scripted_errors.iter().map(ScriptedError::json).collect::<Vec<_>>().join(",");
        let path = |p: &Path| json_string(&p.to_string_lossy());
        let config = format!(
            "{{\"style\":\"{}\",\"cert\":{},\"key\":{},\"state_dir\":{},\"client_id\":{},\"other_clients\":[{others}],\
             \"introspector\":{{\"id\":{},\"secret\":{}}},\"control_secret\":{},\"rotate_refresh_tokens\":{},\
             \"access_token_ttl\":{},\"device_code_ttl\":{},\"device_poll_interval\":{},\"users\":[{users}],\
             \"scripted_errors\":[{errors}]}}\n",
            opts.style.name(),
            path(&cert),
            path(&key),
            path(dir.path()),
            json_string(&opts.client_id),
            json_string(&introspector.0),
            json_string(&introspector.1),
            json_string(&control_secret),
            opts.rotate_refresh_tokens,
            opts.access_token_ttl.as_secs().max(1),
            opts.device_code_ttl.as_secs().max(1),
            opts.device_poll_interval.map_or(0, |d| d.as_secs().max(1)),
        );
        let config_path = dir.path().join("config.json");
        fs::write(&config_path, config)?;

        let log = fs::File::create(dir.path().join("oauth.log"))?;
        let mut cmd = Command::new(&node);
        cmd.arg(server_dir.join("server.mjs"))
            .arg(&config_path)
            .current_dir(&server_dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let mut child = spawn(cmd).map_err(|e| {
            io::Error::new(e.kind(), format!("could not run {node:?} (Node.js 20 or newer is needed): {e}"))
        })?;
        exit.add_child(&child);

        let port_file = dir.path().join("port");
        let ready = wait_until(START_TIMEOUT, || {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(Err(format!("the authorization server exited during start ({status})")));
            }
            let port: u16 = fs::read_to_string(&port_file).ok()?.trim().parse().ok()?;
            TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(500))
                .is_ok()
                .then_some(Ok(port))
        });
        let failure = match ready {
            Some(Ok(port)) => {
                return Ok(AuthServer {
                    _exit: exit,
                    dir,
                    child,
                    port,
                    style: opts.style,
                    client_id: opts.client_id,
                    introspector,
                    control_secret,
                    ca_file: pki.ca_pem_path().to_path_buf(),
                })
            }
            Some(Err(message)) => message,
            None => format!("the authorization server did not listen within {START_TIMEOUT:?}"),
        };
        kill_group(&mut child);
        Err(io::Error::other(format!("{failure}\n--- oauth.log ---\n{}", tail(&dir.path().join("oauth.log")))))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// The issuer: `https://127.0.0.1:PORT` (Generic), `https://login.microsoftonline.com/common/v2.0`
    /// (Microsoft, whose metadata names each tenant's), `https://accounts.google.com` (Google).
    pub fn issuer(&self) -> String {
        match self.style {
            Style::Generic => self.base_url(),
            Style::Microsoft => "https://login.microsoftonline.com/common/v2.0".into(),
            Style::Google => "https://accounts.google.com".into(),
        }
    }

    /// `https://127.0.0.1:PORT`: the server under its address, whatever the style.
    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    /// The authorization endpoint under the style's host name (`tenant` only for Microsoft).
    pub fn authorization_endpoint(&self, tenant: &str) -> String {
        match self.style {
            Style::Generic => format!("{}/auth", self.base_url()),
            Style::Microsoft => format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize"),
            Style::Google => "https://accounts.google.com/o/oauth2/v2/auth".into(),
        }
    }

    /// The token endpoint under the style's host name (`tenant` only for Microsoft).
    pub fn token_endpoint(&self, tenant: &str) -> String {
        match self.style {
            Style::Generic => format!("{}/token", self.base_url()),
            Style::Microsoft => format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
            Style::Google => "https://oauth2.googleapis.com/token".into(),
        }
    }

    /// The device authorization endpoint under the style's host name.
    pub fn device_authorization_endpoint(&self, tenant: &str) -> String {
        match self.style {
            Style::Generic => format!("{}/device/auth", self.base_url()),
            Style::Microsoft => format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode"),
            Style::Google => "https://oauth2.googleapis.com/device/code".into(),
        }
    }

    /// The public client's id (`inlet-test` unless changed).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// RFC 7662 introspection, for the mail servers: `https://127.0.0.1:PORT/token/introspection`,
    /// authenticated with HTTP Basic [`AuthServer::introspection_client`].
    pub fn introspection_url(&self) -> String {
        format!("{}/token/introspection", self.base_url())
    }

    /// `(client id, secret)` the mail servers authenticate with at introspection.
    pub fn introspection_client(&self) -> (&str, &str) {
        (&self.introspector.0, &self.introspector.1)
    }

    /// [`AuthServer::introspection_url`] with the client's credentials in it
    /// (`https://ID:SECRET@127.0.0.1:PORT/...`), as Dovecot's `introspection_url` takes them.
    pub fn introspection_url_with_credentials(&self) -> String {
        format!("https://{}:{}@127.0.0.1:{}/token/introspection", self.introspector.0, self.introspector.1, self.port)
    }

    /// The test CA this server's certificate chains to.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// Sends the style's host names (port 443) to this server.
    pub fn connect_to(&self) -> Vec<ConnectTo> {
        self.style
            .hosts()
            .iter()
            .map(|h| ConnectTo { host: (*h).into(), port: 443, to_host: "127.0.0.1".into(), to_port: self.port })
            .collect()
    }

    /// How a [`follow_as_person`] reaches this server.
    pub fn browser(&self) -> Browser {
        Browser { server: (Ipv4Addr::LOCALHOST, self.port).into(), ca_file: self.ca_file.clone() }
    }

    /// A person at the browser: GETs `authorization_url`, signs in as `user`, answers the
    /// consent page, follows the redirect to the `redirect_uri` and returns what it answered.
    /// Blocking; from async code call it in `spawn_blocking` (the application's listener must
    /// be able to answer meanwhile).
    pub fn follow_as_person(&self, authorization_url: &str, user: &str, consent: Consent) -> FollowResult {
        follow_as_person(&self.browser(), authorization_url, user, consent)
            .unwrap_or_else(|e| panic!("following {authorization_url}: {e}"))
    }

    /// The device flow's verification page, as a person on another machine: enters `user_code`,
    /// signs in as `user`, answers the consent and confirmation pages. Returns the last page.
    pub fn approve_device(&self, user_code: &str, user: &str, consent: Consent) -> FollowResult {
        let mut url = reqwest::Url::parse(&format!("{}/device", self.base_url())).expect("a valid URL");
        url.query_pairs_mut().append_pair("user_code", user_code);
        let mut browser = Follower::new(&self.browser(), user, consent).expect("the follower's HTTP client");
        browser.user_code = Some(user_code.to_string());
        block_on(browser.follow(url)).unwrap_or_else(|e| panic!("approving device code: {e}"))
    }

    /// Revokes every grant of `user` (its refresh and access tokens stop working at once).
    /// Returns how many grants there were.
    pub fn revoke_all(&self, user: &str) -> usize {
        let body = self.control("/_inlet/revoke-all", &[("user", user)]);
        body.split("\"revoked\":").nth(1).and_then(|s| s.trim_end_matches('}').trim().parse().ok()).unwrap_or(0)
    }

    /// Replaces the scripted errors from now on.
    pub fn set_scripted_errors(&self, errors: &[ScriptedError]) {
        let json = format!("[{}]", errors.iter().map(ScriptedError::json).collect::<Vec<_>>().join(","));
        self.control("/_inlet/scripted-errors", &[("errors", &json)]);
    }

    /// What the server was asked so far (see [`Asked`]).
    pub fn asked(&self) -> Asked {
        let body = self.control("/_inlet/asked", &[]);
        let json: serde_json::Value = serde_json::from_str(&body).expect("the asked record is JSON");
        let counts = |key: &str| -> Vec<(String, u64)> {
            let mut out: Vec<(String, u64)> = json[key]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
                .unwrap_or_default();
            out.sort();
            out
        };
        let device_polls = json["device_polls"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| DevicePoll {
                        at_ms: p["at"].as_u64().unwrap_or(0),
                        answer: p["answer"].as_str().unwrap_or_default().to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let access_tokens = json["access_tokens"]
            .as_array()
            .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        Asked { paths: counts("paths"), grants: counts("grants"), device_polls, access_tokens }
    }

    /// What introspection says of `token`, as the mail servers ask it.
    pub fn introspect(&self, token: &str) -> bool {
        let (id, secret) = self.introspection_client();
        let body = form(&[("token", token)]);
        let (id, secret, url) = (id.to_string(), secret.to_string(), self.introspection_url());
        let client = client(&self.browser()).expect("an HTTP client");
        let text = block_on(async move {
            let r = client
                .post(url)
                .basic_auth(id, Some(secret))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?;
            r.text().await
        })
        .expect("introspection answers");
        text.replace(' ', "").contains("\"active\":true")
    }

    fn control(&self, path: &str, fields: &[(&str, &str)]) -> String {
        let client = client(&self.browser()).expect("an HTTP client");
        let (url, secret, body) = (format!("{}{path}", self.base_url()), self.control_secret.clone(), form(fields));
        block_on(async move {
            let r = client
                .post(url)
                .bearer_auth(secret)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?
                .error_for_status()?;
            r.text().await
        })
        .unwrap_or_else(|e| panic!("the authorization server's control endpoint {path}: {e}"))
    }

    /// The server's log (requests by path, never tokens), for failure messages.
    pub fn log_tail(&self) -> String {
        tail(&self.dir.path().join("oauth.log"))
    }
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// [`AuthServer::follow_as_person`] for a server known only by address and CA (the
/// `oauth-browser` command). Blocking (see there).
pub fn follow_as_person(
    browser: &Browser,
    authorization_url: &str,
    user: &str,
    consent: Consent,
) -> io::Result<FollowResult> {
    let url = reqwest::Url::parse(authorization_url).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let follower = Follower::new(browser, user, consent)?;
    block_on(follower.follow(url))
}

/// The directory of server.mjs, with its node_modules installed.
fn server_dir() -> io::Result<PathBuf> {
    let dir = std::env::var_os("INLET_TESTKIT_OAUTH_SERVER_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("oauth-server"));
    if !dir.join("node_modules/oidc-provider/package.json").is_file() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the test authorization server's npm packages are missing in {}: run {INSTALL_HINT}",
                dir.display()
            ),
        ));
    }
    Ok(dir)
}

fn random_hex(bytes: usize) -> io::Result<String> {
    let mut buf = vec![0u8; bytes];
    io::Read::read_exact(&mut fs::File::open("/dev/urandom")?, &mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn form(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(60)..].join("\n")
}

/// Runs `f` on a fresh thread with its own runtime, so callers need none (and may have one).
fn block_on<T: Send + 'static>(
    f: impl std::future::Future<Output = Result<T, reqwest::Error>> + Send + 'static,
) -> io::Result<T> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        rt.block_on(f).map_err(|e| io::Error::other(chain(&e)))
    })
    .join()
    .map_err(|_| io::Error::other("the HTTP thread panicked"))?
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let _ = write!(s, ": {inner}");
        source = inner.source();
    }
    s
}

/// An HTTP client that trusts the test CA, follows no redirects by itself and sends every
/// non-loopback https host to the authorization server.
fn client(browser: &Browser) -> io::Result<reqwest::Client> {
    client_for_host(browser, None)
}

/// [`client`], with `host` (a provider's name) resolved to the server, as the engine's
/// `connect_to` does: the request keeps its Host header and TLS name.
fn client_for_host(browser: &Browser, host: Option<&str>) -> io::Result<reqwest::Client> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut fs::read(&browser.ca_file)?.as_slice()) {
        roots.add(cert?).map_err(io::Error::other)?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut builder = reqwest::Client::builder();
    if let Some(host) = host {
        builder = builder.resolve(host, browser.server);
    }
    builder
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .http1_only()
        .build()
        .map_err(|e| io::Error::other(chain(&e)))
}

/// A person with a browser. The cookie jar is a plain list (written by hand: reqwest's cookie
/// store is an optional feature the workspace does not build); it is sent only to the
/// authorization server, never to the application's loopback listener.
struct Follower {
    browser: Browser,
    /// One client per host name (each resolves its name to the server).
    clients: std::collections::HashMap<String, reqwest::Client>,
    server: SocketAddr,
    user: String,
    consent: Consent,
    user_code: Option<String>,
    cookies: Vec<(String, String)>,
}

enum Step {
    Get(reqwest::Url),
    Post(reqwest::Url, String),
}

impl Follower {
    fn new(browser: &Browser, user: &str, consent: Consent) -> io::Result<Follower> {
        Ok(Follower {
            browser: browser.clone(),
            clients: std::collections::HashMap::new(),
            server: browser.server,
            user: user.into(),
            consent,
            user_code: None,
            cookies: Vec::new(),
        })
    }

    /// Whether `url` is the authorization server (any https host that is not loopback, or its
    /// own address); anything else on loopback is the application's redirect listener.
    fn is_server(&self, url: &reqwest::Url) -> bool {
        match url.host_str() {
            Some("127.0.0.1") | Some("localhost") | Some("[::1]") => {
                url.port_or_known_default() == Some(self.server.port()) && url.scheme() == "https"
            }
            _ => url.scheme() == "https",
        }
    }

    /// The client for `url`: a provider host name resolves to the server (like `connect_to`).
    fn client(&mut self, url: &reqwest::Url) -> Result<reqwest::Client, reqwest::Error> {
        let host = url.host_str().unwrap_or_default().to_owned();
        let provider_host = self.is_server(url) && !["127.0.0.1", "localhost", "[::1]"].contains(&host.as_str());
        let key = if provider_host { host.clone() } else { String::new() };
        if let Some(c) = self.clients.get(&key) {
            return Ok(c.clone());
        }
        let made = client_for_host(&self.browser, provider_host.then_some(host.as_str()));
        // A client that cannot be built (an unreadable CA file) fails the first request instead.
        let c = made.unwrap_or_else(|e| panic!("the follower's HTTP client: {e}"));
        self.clients.insert(key, c.clone());
        Ok(c)
    }

    async fn follow(mut self, start: reqwest::Url) -> Result<FollowResult, reqwest::Error> {
        let mut step = Step::Get(start);
        let mut last_post: Option<(String, String)> = None;
        let mut last = None;
        for _ in 0..MAX_STEPS {
            let url = match &step {
                Step::Get(url) | Step::Post(url, _) => url.clone(),
            };
            let client = self.client(&url)?;
            let request = match &step {
                Step::Get(url) => client.get(url.clone()),
                Step::Post(url, body) => client
                    .post(url.clone())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone()),
            };
            let to_server = self.is_server(&url);
            let request = if to_server && !self.cookies.is_empty() {
                let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
                request.header("cookie", cookie)
            } else {
                request
            };
            let response = request.send().await?;
            let status = response.status().as_u16();
            if to_server {
                for value in response.headers().get_all("set-cookie") {
                    self.keep_cookie(value.to_str().unwrap_or_default());
                }
            }
            let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = response.text().await?;
            if !to_server {
                // The application's redirect listener answered: what the person sees at the end.
                return Ok(FollowResult { final_url: url.to_string(), status, body });
            }
            if (300..400).contains(&status) {
                if let Some(next) = location.and_then(|l| url.join(&l).ok()) {
                    step = Step::Get(next);
                    continue;
                }
            }
            let Some(form) = Form::parse(&body) else {
                return Ok(FollowResult { final_url: url.to_string(), status, body });
            };
            let action = url.join(&form.action).unwrap_or_else(|_| url.clone());
            let fields = self.fill(form.fields);
            let encoded = form_owned(&fields);
            // The same form posted again with the same answers: the page refuses them (an
            // unknown user code, say). Stop and show it.
            if last_post.as_ref() == Some(&(action.to_string(), encoded.clone())) {
                return Ok(FollowResult { final_url: url.to_string(), status, body });
            }
            last_post = Some((action.to_string(), encoded.clone()));
            last = Some(FollowResult { final_url: url.to_string(), status, body });
            step = if form.method_post { Step::Post(action, encoded) } else { Step::Get(with_query(action, &fields)) };
        }
        Ok(last.unwrap_or(FollowResult { final_url: String::new(), status: 0, body: "too many steps".into() }))
    }

    fn keep_cookie(&mut self, header: &str) {
        let Some((name, value)) = header.split(';').next().and_then(|nv| nv.split_once('=')) else { return };
        let (name, value) = (name.trim().to_string(), value.trim().to_string());
        self.cookies.retain(|(n, _)| *n != name);
        // An expired cookie (a deletion) has an empty value.
        if !value.is_empty() {
            self.cookies.push((name, value));
        }
    }

    /// What a person types and clicks: the login, the decision, the device code.
    fn fill(&self, mut fields: Vec<(String, String)>) -> Vec<(String, String)> {
        let deny = self.consent == Consent::Deny;
        for (name, value) in fields.iter_mut() {
            match name.as_str() {
                "login" => *value = self.user.clone(),
                "password" => *value = "any password (the test server checks none)".into(),
                "decision" => *value = if deny { "deny" } else { "approve" }.into(),
                "user_code" if value.is_empty() => *value = self.user_code.clone().unwrap_or_default(),
                _ => {}
            }
        }
        if deny && fields.iter().any(|(n, _)| n == "confirm") {
            fields.retain(|(n, _)| n != "confirm");
            fields.push(("abort".into(), "yes".into()));
        }
        fields
    }
}

fn form_owned(fields: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

fn with_query(mut url: reqwest::Url, fields: &[(String, String)]) -> reqwest::Url {
    url.set_query(Some(&form_owned(fields)));
    url
}

/// The first HTML form of a page: its action, method and inputs. Written by hand for the pages
/// of this test server (and oidc-provider's device forms), which are simple and well-formed; no
/// crate here parses HTML.
struct Form {
    action: String,
    method_post: bool,
    fields: Vec<(String, String)>,
}

impl Form {
    fn parse(html: &str) -> Option<Form> {
        let start = html.find("<form")?;
        let end = html[start..].find("</form>").map(|e| start + e).unwrap_or(html.len());
        let open_end = html[start..].find('>')? + start;
        let attrs = attributes(&html[start + 5..open_end]);
        let get = |attrs: &[(String, String)], key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let action = get(&attrs, "action").unwrap_or_default();
        let method_post = get(&attrs, "method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
        let mut fields = Vec::new();
        let mut rest = &html[open_end..end];
        while let Some(i) = rest.find("<input") {
            let tag_end = rest[i..].find('>').map(|e| i + e).unwrap_or(rest.len());
            let attrs = attributes(&rest[i + 6..tag_end]);
            if let Some(name) = get(&attrs, "name") {
                fields.push((name, get(&attrs, "value").unwrap_or_default()));
            }
            rest = &rest[tag_end..];
        }
        Some(Form { action, method_post, fields })
    }
}

/// `name="value"` pairs of a tag (double or single quotes, or bare), entities decoded.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| c.is_whitespace());
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace() || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut value = String::new();
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let close = after[1..].find(q).map(|e| e + 1).unwrap_or(after.len());
                value = decode_entities(&after[1..close]);
                rest = after.get(close + 1..).unwrap_or("");
            } else {
                let e = after.find(char::is_whitespace).unwrap_or(after.len());
                value = decode_entities(&after[..e]);
                rest = &after[e..];
            }
        } else if name.is_empty() {
            rest = rest.get(1..).unwrap_or("");
        }
        if !name.is_empty() {
            out.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&n| n <= 10) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let entity = &tail[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---- the test side of the flows: what an OAuth client does, by hand, for tests ---------------

/// Tokens from the token endpoint.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
}

/// An error answer of the token endpoint: the HTTP status and the body as sent.
#[derive(Clone, Debug)]
pub struct TokenError {
    pub status: u16,
    pub body: String,
}

impl TokenError {
    /// The `error` member (`invalid_grant`, `authorization_pending`, ...).
    pub fn error(&self) -> Option<String> {
        let json: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        json.get("error")?.as_str().map(str::to_owned)
    }
}

/// An authorization code flow begun by a test: PKCE verifier, `state`, and a loopback listener
/// that answers the redirect once (RFC 8252 §7.3) and keeps its query.
pub struct CodeFlow {
    pub authorization_url: String,
    pub redirect_uri: String,
    pub state: String,
    pub code_verifier: String,
    redirect: std::sync::mpsc::Receiver<String>,
}

impl CodeFlow {
    /// The query the browser brought to the redirect listener (waits up to a minute).
    pub fn redirect_query(&self) -> Option<String> {
        self.redirect.recv_timeout(Duration::from_secs(60)).ok()
    }
}

/// A device authorization (RFC 8628 §3.2).
#[derive(Clone, Debug)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: u64,
}

impl AuthServer {
    /// The path of an endpoint URL of the style, as served at [`AuthServer::base_url`].
    fn local(&self, endpoint: &str) -> String {
        let path = reqwest::Url::parse(endpoint).map(|u| u.path().to_owned()).unwrap_or_default();
        format!("{}{path}", self.base_url())
    }

    /// Begins a code flow for `client_id` with PKCE S256, a random `state` and a fresh loopback
    /// listener. Follow [`CodeFlow::authorization_url`] with [`AuthServer::follow_as_person`].
    pub fn begin_code_flow(&self, client_id: &str, scopes: &[&str]) -> CodeFlow {
        use base64::Engine as _;
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a loopback listener");
        let redirect_uri = format!("http://127.0.0.1:{}/callback", listener.local_addr().unwrap().port());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::{BufRead, BufReader, Write};
            let Ok((stream, _)) = listener.accept() else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            let target = line.split_whitespace().nth(1).unwrap_or("");
            let _ = tx.send(target.split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default());
            let body = "Signed in; you can return to the application.\n";
            let _ = (&stream).write_all(
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())
                    .as_bytes(),
            );
        });
        let code_verifier = random_hex(32).expect("random bytes");
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(<sha2::Sha256 as sha2::Digest>::digest(code_verifier.as_bytes()));
        let state = random_hex(8).expect("random bytes");
        let mut url = reqwest::Url::parse(&self.authorization_endpoint("common")).expect("a valid URL");
        url.query_pairs_mut()
            .append_pair("client_id", client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &scopes.join(" "))
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        CodeFlow { authorization_url: url.to_string(), redirect_uri, state, code_verifier, redirect: rx }
    }

    /// A POST to the token endpoint with `fields`: the tokens, or the error as answered.
    pub fn token_request(&self, fields: &[(&str, &str)]) -> Result<Tokens, TokenError> {
        self.post_form(&self.local(&self.token_endpoint("common")), fields).and_then(|(status, body)| {
            let json: serde_json::Value =
                serde_json::from_str(&body).map_err(|_| TokenError { status, body: body.clone() })?;
            let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            match text("access_token") {
                Some(access_token) if status == 200 => Ok(Tokens {
                    access_token,
                    refresh_token: text("refresh_token"),
                    expires_in: json.get("expires_in").and_then(|v| v.as_u64()),
                    scope: text("scope"),
                }),
                _ => Err(TokenError { status, body }),
            }
        })
    }

    fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> Result<(u16, String), TokenError> {
        let client = client(&self.browser()).expect("an HTTP client");
        let (url, body) = (url.to_string(), form(fields));
        block_on(async move {
            let r =
                client.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await?;
            let status = r.status().as_u16();
            Ok((status, r.text().await?))
        })
        .map_err(|e| TokenError { status: 0, body: e.to_string() })
    }

    /// The whole code flow for the public client, as an application does it: the person signs
    /// in as `user` and approves; the code is exchanged. Panics when any step fails.
    pub fn sign_in(&self, user: &str, scopes: &[&str]) -> Tokens {
        self.sign_in_as_client(&self.client_id.clone(), user, scopes)
    }

    /// [`AuthServer::sign_in`] for another client (e.g. `other-app`: its tokens are foreign to
    /// the mail servers).
    pub fn sign_in_as_client(&self, client_id: &str, user: &str, scopes: &[&str]) -> Tokens {
        let flow = self.begin_code_flow(client_id, scopes);
        let answer = self.follow_as_person(&flow.authorization_url, user, Consent::Approve);
        assert_eq!(answer.status, 200, "the redirect listener answers: {answer:?}");
        let query = flow.redirect_query().expect("the browser came back");
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("state").as_deref(), Some(flow.state.as_str()), "state comes back");
        let code = get("code").unwrap_or_else(|| panic!("no code in the redirect: {query}"));
        self.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &flow.redirect_uri),
            ("code_verifier", &flow.code_verifier),
            ("client_id", client_id),
        ])
        .unwrap_or_else(|e| panic!("code exchange: {e:?}"))
    }

    /// A refresh-token grant for the public client.
    pub fn refresh(&self, refresh_token: &str) -> Result<Tokens, TokenError> {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.client_id),
        ])
    }

    /// Starts a device authorization for the public client.
    pub fn device_authorization(&self, scopes: &[&str]) -> DeviceCode {
        let (status, body) = self
            .post_form(
                &self.local(&self.device_authorization_endpoint("common")),
                &[("client_id", &self.client_id), ("scope", &scopes.join(" "))],
            )
            .unwrap_or_else(|e| panic!("device authorization: {e:?}"));
        let json: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|_| panic!("device authorization answered {status}: {body}"));
        let text =
            |k: &str| json.get(k).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("no {k} in {body}")).to_owned();
        DeviceCode {
            device_code: text("device_code"),
            user_code: text("user_code"),
            verification_uri: text("verification_uri"),
            expires_in: json.get("expires_in").and_then(|v| v.as_u64()).unwrap_or(0),
        }
    }

    /// One device-code poll at the token endpoint (RFC 8628 §3.4).
    pub fn poll_device(&self, device_code: &str) -> Result<Tokens, TokenError> {
        self.token_request(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
            ("client_id", &self.client_id),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_read_with_their_hidden_fields() {
        let html = r#"<p>x</p><form id="op.deviceConfirmForm" method="post" action="https://h/device?a=1&amp;b=2">
<input type="hidden" name="xsrf" value="abc"/>
<input
    value="WXYZ" type="text" name="user_code" autofocus autocomplete="off"></input>
<input type="hidden" name="confirm" value="yes"/>
</form><form action="/other"><input name="no"></form>"#;
        let form = Form::parse(html).unwrap();
        assert_eq!(form.action, "https://h/device?a=1&b=2");
        assert!(form.method_post);
        assert_eq!(
            form.fields,
            vec![("xsrf".into(), "abc".into()), ("user_code".into(), "WXYZ".into()), ("confirm".into(), "yes".into())]
        );
    }
}
