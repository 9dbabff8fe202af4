//! Browser sign-in (OAuth 2.0, RFC 6749) for Google, Microsoft and any issuer discovery names:
//! authorization code with PKCE (RFC 7636) through a loopback redirect (RFC 8252), or the
//! device authorization grant (RFC 8628); then tokens that last (refresh, rotation).
//!
//! - [`issuer`]: where an issuer's endpoints are (built in, or RFC 8414 / OIDC metadata).
//! - [`clients`]: which client id to use (config file, policy file, build time).
//! - [`http`]: the one HTTP client for the issuer's endpoints (our TLS, `connect_to`, no redirects).
//! - [`authorization`]: the browser flow; [`loopback`] its redirect listener.
//! - [`device`]: the device flow.
//! - [`tokens`]: the in-memory access-token cache, refresh and rotation.
//! - [`errors`]: OAuth error answers (RFC 6749 5.2, Microsoft AADSTS, Google) as diagnoses.
//!
//! The refresh token lives in the keychain only; the access token in memory only. Neither ever
//! reaches a file, a log, an event or an error.

pub mod authorization;
pub mod clients;
pub mod device;
pub mod errors;
pub mod http;
pub mod issuer;
pub mod loopback;
pub mod session;
pub mod tokens;

use crate::account::MailboxSettings;
use serde::{Deserialize, Serialize};

/// Whom the user signs in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "provider", rename_all = "camelCase")]
pub enum IssuerChoice {
    Google,
    /// `tenant`: `common`, `organizations`, `consumers`, a tenant id or a tenant's domain.
    /// None: the configured tenant, else `common`.
    Microsoft {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        tenant: Option<String>,
    },
    /// Any other issuer, by its URL (`https://…`). Its endpoints come from its metadata
    /// (RFC 8414, OpenID Connect Discovery), or from an autoconfig `<oAuth2>` element, which
    /// names them (and the scope) directly.
    #[serde(rename_all = "camelCase")]
    Issuer {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        authorization_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        token_url: Option<String>,
        /// Space-separated, as in autoconfig's `<scope>`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        scope: Option<String>,
    },
}

impl IssuerChoice {
    /// The issuer `url` names, as a choice: Google's and Microsoft's own issuers are theirs
    /// (so their scopes and built-in endpoints apply), any other is a discovered issuer.
    pub fn from_url(url: &str) -> IssuerChoice {
        issuer::choice_for_url(url)
    }

    pub fn label(&self) -> &'static str {
        match self {
            IssuerChoice::Google => "Google",
            IssuerChoice::Microsoft { .. } => "Microsoft",
            IssuerChoice::Issuer { .. } => "your provider",
        }
    }
}

/// How the sign-in reaches the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub enum SignInMode {
    /// The system browser on this machine, back through a loopback redirect (RFC 8252).
    Browser,
    /// A code to type on any device (RFC 8628): for remote sessions, where the browser cannot
    /// reach this machine.
    Device,
}

/// What the wizard sends to sign in. The scopes follow from the settings (the incoming
/// protocol, and SMTP when an outgoing server is given); the address is the login hint.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    pub settings: MailboxSettings,
    pub issuer: IssuerChoice,
    pub mode: SignInMode,
    /// A client id other than the configured one (where the administrator's policy allows).
    #[serde(default)]
    pub client_id: Option<String>,
}

/// What the sign-in tells the front end while it runs. Never carries a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SignInEvent {
    /// The provider's page, and whether a browser was started with it (false: show the URL to
    /// copy). The sign-in gives up at `deadline_at_ms` (milliseconds since the Unix epoch, as
    /// the device code's `expires_at_ms`).
    #[serde(rename_all = "camelCase")]
    BrowserOpened {
        url: String,
        opened: bool,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        deadline_at_ms: i64,
    },
    /// The device flow: the code to type at the URL (RFC 8628 3.2), valid until `expires_at_ms`
    /// (milliseconds since the Unix epoch).
    #[serde(rename_all = "camelCase")]
    DeviceCode {
        user_code: String,
        verification_uri: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        verification_uri_complete: Option<String>,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
    },
    /// The provider answered; Inlet is exchanging the code for tokens.
    Exchanging,
}

/// One "Sign in with …" button: whether it can work here, and if not, what an administrator
/// must set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SignInOption {
    /// `google` or `microsoft`.
    pub provider: String,
    pub available: bool,
    pub why_not: Option<String>,
}

/// Tokens just obtained. Debug never shows them.
pub struct Tokens {
    pub access_token: crate::secrets::Secret,
    pub refresh_token: Option<crate::secrets::Secret>,
    /// None: the issuer said nothing; the token is then used until a server refuses it.
    pub expires_in: Option<std::time::Duration>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("expires_in", &self.expires_in).finish_non_exhaustive()
    }
}

/// The page to open in the system browser: an absolute http or https address, else None
/// (`javascript:`, `file:`, `data:` and the like never reach a browser). The one check for every
/// link the app opens: a provider's instructions, a help page, a sign-in page.
pub fn web_link(url: &str) -> Option<url::Url> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "https" | "http").then_some(parsed)
}

/// How the provider's page is opened: the system browser, or a configured command (tests play
/// the person with one).
#[derive(Debug, Clone, Default)]
pub struct Browser {
    pub command: Option<Vec<String>>,
}

impl Browser {
    /// Opens `url` (http and https only); whether a browser was started. The command's own
    /// outcome is not waited for: the redirect, or the deadline, tells how the sign-in went.
    pub async fn open(&self, url: &str) -> bool {
        if web_link(url).is_none() {
            return false;
        }
        match self.command.as_deref() {
            Some([program, args @ ..]) => {
                let spawned = tokio::process::Command::new(program)
                    .args(args)
                    .arg(url)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .spawn();
                match spawned {
                    Ok(mut child) => {
                        // Reaped in the background, so no zombie is left.
                        tokio::spawn(async move {
                            let _ = child.wait().await;
                        });
                        true
                    }
                    Err(e) => {
                        tracing::warn!("the configured browser command could not start: {e}");
                        false
                    }
                }
            }
            Some([]) => false,
            None => {
                let url = url.to_owned();
                // `hardened` makes the crate itself refuse anything but http(s) too.
                tokio::task::spawn_blocking(move || webbrowser::open(&url).is_ok()).await.unwrap_or(false)
            }
        }
    }
}
