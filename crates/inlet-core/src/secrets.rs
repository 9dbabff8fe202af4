//! The OS keychain, and the one type that holds a secret. Nothing else in the engine keeps a
//! password: the store only has a reference to the keychain entry.

use crate::account::AuthMethod;
use crate::error::{EngineError, KeychainProblem, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

/// A secret (a password). Its Debug and Display never show the value, so it cannot leak into a
/// log or an error by accident; it is deliberately not Serialize.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The value, for the one place that must send it (a sign-in) or store it (the keychain).
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // Overwrite the bytes before the allocation is freed, so a freed password does not linger.
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// What a sign-in proves who the user is with: a password, or an OAuth2 grant (browser sign-in,
/// RFC 6749) whose refresh token is kept in the keychain only. Debug never shows a secret; not
/// Serialize, so it cannot be written to a file by accident.
///
/// Over IPC: `{"password": "…"}` or `{"oauth2": {"issuer": …, "clientId": …, "refreshTokenEntry": …}}`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Credentials {
    Password(#[cfg_attr(feature = "ts", ts(type = "string"))] Secret),
    #[serde(rename = "oauth2")]
    OAuth2(OAuth2Grant),
}

impl Credentials {
    pub fn password(value: impl Into<String>) -> Credentials {
        Credentials::Password(Secret::new(value))
    }

    /// The sign-in method these credentials are for.
    pub fn method(&self) -> AuthMethod {
        match self {
            Credentials::Password(_) => AuthMethod::Password,
            Credentials::OAuth2(_) => AuthMethod::OAuth2,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password(_) => f.write_str("Password(<redacted>)"),
            Credentials::OAuth2(grant) => f.debug_tuple("OAuth2").field(grant).finish(),
        }
    }
}

/// An OAuth2 grant: who issued it to which client, where its refresh token is kept in the
/// keychain (an entry name, never the token), and, in memory only, the current access token.
///
/// Serialized (to the front end, which passes it back to connect and save) without the access
/// token, which is skipped both ways.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct OAuth2Grant {
    /// The authorization server, e.g. `https://accounts.google.com`.
    pub issuer: String,
    pub client_id: String,
    /// The keychain entry holding the refresh token.
    pub refresh_token_entry: String,
    /// The issuer's token endpoint, for an issuer whose endpoints are not built in: a refresh
    /// (RFC 6749 6) then needs no metadata, which an issuer named only by an autoconfig
    /// `<oAuth2>` element may not publish. None: built in, or found from the metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub token_url: Option<String>,
    /// The bearer token sent to the mail server (RFC 6750). Never crosses IPC and never stored:
    /// the engine obtains it with the refresh token.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub access_token: Option<Secret>,
}

impl OAuth2Grant {
    /// The access token to send; without one, browser sign-in must run again first.
    pub fn access_token(&self) -> Result<&Secret> {
        self.access_token.as_ref().filter(|t| !t.is_empty()).ok_or_else(|| EngineError::InvalidInput {
            field: "credentials",
            message: "There is no access token for this mailbox yet: sign in with the browser first.".into(),
        })
    }
}

impl fmt::Debug for OAuth2Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2Grant")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("refresh_token_entry", &self.refresh_token_entry)
            .field("token_url", &self.token_url)
            .field("access_token", &self.access_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The keychain, under one service name. All calls block (D-Bus), so they run on the blocking
/// pool, each limited by a deadline: a keychain that waits for an unlock prompt nobody answers
/// must not hold the app forever.
#[derive(Clone)]
pub struct Keychain {
    service: String,
    deadline: Duration,
    /// Clean-ups of writes that outlived their deadline (see [`Keychain::store`]).
    late_writes: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Keychain {
    pub fn new(service: impl Into<String>, deadline: Duration) -> Keychain {
        Keychain { service: service.into(), deadline, late_writes: Arc::default() }
    }

    /// Stores `secret` under `account`. Callers give each save attempt its own account name, so
    /// that undoing one attempt can never touch another's entry.
    ///
    /// Both-or-neither, whatever the timing: a write that misses its deadline is reported as
    /// failed (the caller then stores no mailbox), but a D-Bus call in flight cannot be called
    /// back and may still land later. So a late write is followed, once it has ended, by a
    /// delete of its entry; no secret outlives a save that failed. [`Keychain::settle`] waits
    /// for those clean-ups.
    pub async fn store(&self, account: &str, secret: &Secret) -> Result<()> {
        let (service, account, secret) = (self.service.clone(), account.to_owned(), secret.clone());
        let entry = account.clone();
        let mut write =
            tokio::task::spawn_blocking(move || keyring::Entry::new(&service, &entry)?.set_password(secret.expose()));
        match tokio::time::timeout(self.deadline, &mut write).await {
            Ok(done) => joined(done),
            Err(_) => {
                let keychain = self.clone();
                let cleanup = tokio::spawn(async move {
                    // Whether it stored the secret or failed, the write is over now; deleting
                    // what is not there is success.
                    let _ = write.await;
                    if let Err(e) = keychain.delete_without_deadline(account).await {
                        tracing::warn!("could not delete a keychain entry written after its deadline: {e}");
                    }
                });
                self.late_writes.lock().unwrap_or_else(|p| p.into_inner()).push(cleanup);
                Err(self.too_slow())
            }
        }
    }

    pub async fn read(&self, account: &str) -> Result<Secret> {
        let (service, account) = (self.service.clone(), account.to_owned());
        self.blocking(move || keyring::Entry::new(&service, &account)?.get_password()).await.map(Secret)
    }

    /// The secrets of this service's entries, keyed by entry name, read with one Secret Service
    /// search by our service attribute and then one `GetSecret` per item, on one connection (the
    /// secret-service crate does not offer the service's `GetSecrets` for many items at once).
    /// [`Keychain::read`] looks each entry up by its attributes, and gnome-keyring answers such a
    /// lookup by scanning every item it holds: reading n entries one by one costs it n² item
    /// matches (at 1,000 mailboxes, a second of its CPU beside the checks on two cores).
    ///
    /// Best effort, for callers that read many entries at once and fall back to
    /// [`Keychain::read`] for any entry missing here: locked items are left out (the per-entry
    /// read unlocks them, or fails with the usual diagnosis), as are entries stored twice
    /// (ambiguous to the per-entry read too) and secrets that are not UTF-8; a keychain that is
    /// absent, fails or misses the deadline gives an empty map.
    pub async fn read_many(&self, wanted: std::collections::HashSet<String>) -> HashMap<String, Secret> {
        if wanted.is_empty() {
            return HashMap::new();
        }
        let service = self.service.clone();
        let search = tokio::task::spawn_blocking(move || read_unlocked(&service, &wanted));
        let failed = match tokio::time::timeout(self.deadline, search).await {
            Ok(Ok(Ok(found))) => return found,
            Ok(Ok(Err(e))) => e.to_string(),
            Ok(Err(e)) => e.to_string(),
            Err(_) => "it missed its deadline".to_owned(),
        };
        tracing::debug!("no batch read of the keychain, each entry is read alone: {failed}");
        HashMap::new()
    }

    /// Deletes the entry; deleting what is not there is success, so removal is repeatable. A
    /// delete that misses its deadline may still happen later: callers keep the mailbox (it can
    /// be removed again) rather than lose its record while its password stays.
    pub async fn delete(&self, account: &str) -> Result<()> {
        let (service, account) = (self.service.clone(), account.to_owned());
        self.blocking(move || delete_entry(&service, &account)).await
    }

    /// Waits until every clean-up of a late write (see [`Keychain::store`]) has finished. A
    /// front end calls it before it exits, so a slow keychain's late entry is still removed.
    pub(crate) async fn settle(&self) {
        loop {
            let pending = std::mem::take(&mut *self.late_writes.lock().unwrap_or_else(|p| p.into_inner()));
            if pending.is_empty() {
                return;
            }
            for cleanup in pending {
                let _ = cleanup.await;
            }
        }
    }

    async fn delete_without_deadline(&self, account: String) -> Result<()> {
        let service = self.service.clone();
        joined(tokio::task::spawn_blocking(move || delete_entry(&service, &account)).await)
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> keyring::Result<T> + Send + 'static) -> Result<T> {
        match tokio::time::timeout(self.deadline, tokio::task::spawn_blocking(f)).await {
            Ok(done) => joined(done),
            Err(_) => Err(self.too_slow()),
        }
    }

    fn too_slow(&self) -> EngineError {
        EngineError::Keychain {
            problem: KeychainProblem::Locked,
            message: format!(
                "the keychain did not answer within {} s (waiting to be unlocked?)",
                self.deadline.as_secs_f64()
            ),
        }
    }
}

/// The unlocked items of `service` whose entry name is in `wanted`, with their secrets. Each
/// item is written by the keyring crate with the attributes `service` and `username` (the entry
/// name); see zbus-secret-service-keyring-store.
fn read_unlocked(
    service: &str,
    wanted: &std::collections::HashSet<String>,
) -> std::result::Result<HashMap<String, Secret>, secret_service::Error> {
    use secret_service::{blocking::SecretService, EncryptionType};
    // Encrypted over the bus, as the keyring crate reads them.
    let keychain = SecretService::connect(EncryptionType::Dh)?;
    let found = keychain.search_items(HashMap::from([("service", service)]))?;
    let mut secrets = HashMap::new();
    let mut twice = Vec::new();
    for item in &found.unlocked {
        let Some(entry) = item.get_attributes()?.remove("username").filter(|name| wanted.contains(name)) else {
            continue;
        };
        let bytes = Zeroizing::new(item.get_secret()?);
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        if secrets.insert(entry.clone(), Secret::new(text)).is_some() {
            twice.push(entry);
        }
    }
    for entry in twice {
        secrets.remove(&entry);
    }
    Ok(secrets)
}

fn delete_entry(service: &str, account: &str) -> keyring::Result<()> {
    match keyring::Entry::new(service, account)?.delete_credential() {
        Err(keyring::Error::NoEntry) => Ok(()),
        other => other,
    }
}

fn joined<T>(done: std::result::Result<keyring::Result<T>, tokio::task::JoinError>) -> Result<T> {
    match done {
        Ok(result) => result.map_err(keychain_error),
        Err(e) => Err(EngineError::Keychain { problem: KeychainProblem::Failed, message: e.to_string() }),
    }
}

fn keychain_error(e: keyring::Error) -> EngineError {
    use keyring::Error as K;
    let problem = match &e {
        K::NoStorageAccess(_) => KeychainProblem::Locked,
        K::NoDefaultStore => KeychainProblem::Unavailable,
        K::PlatformFailure(inner) => {
            let text = inner.to_string().to_lowercase();
            if text.contains("locked") || text.contains("dismissed") || text.contains("prompt") {
                KeychainProblem::Locked
            } else {
                KeychainProblem::Unavailable
            }
        }
        _ => KeychainProblem::Failed,
    };
    EngineError::Keychain { problem, message: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn credentials_never_show_a_secret() {
        let password = Credentials::password("hunter2");
        assert_eq!(format!("{password:?}"), "Password(<redacted>)");
        let grant = OAuth2Grant {
            issuer: "https://accounts.example.test".into(),
            client_id: "inlet".into(),
            refresh_token_entry: "alice@example.test#1/refresh".into(),
            token_url: None,
            access_token: Some(Secret::new("ya29.token-canary")),
        };
        let shown = format!("{:?}", Credentials::OAuth2(grant));
        assert!(!shown.contains("token-canary") && shown.contains("<redacted>"), "{shown}");
        assert!(shown.contains("accounts.example.test"), "{shown}");
    }

    #[test]
    fn credentials_arrive_over_ipc_without_an_access_token() {
        let password: Credentials = serde_json::from_str(r#"{"password":"pw"}"#).unwrap();
        assert!(matches!(&password, Credentials::Password(p) if p.expose() == "pw"));
        let grant: Credentials = serde_json::from_str(
            r#"{"oauth2":{"issuer":"https://i.test","clientId":"c","refreshTokenEntry":"e","accessToken":"t"}}"#,
        )
        .unwrap();
        assert_eq!(grant.method(), AuthMethod::OAuth2);
        let Credentials::OAuth2(grant) = grant else { panic!() };
        assert!(grant.access_token.is_none(), "an access token is never taken from the front end");
    }

    #[test]
    fn a_grant_serializes_without_its_access_token() {
        let grant = OAuth2Grant {
            issuer: "https://accounts.example.test".into(),
            client_id: "inlet".into(),
            refresh_token_entry: "oauth2:alice@example.test#1".into(),
            token_url: None,
            access_token: Some(Secret::new("ya29.token-canary")),
        };
        let json = serde_json::to_string(&grant).unwrap();
        assert!(!json.contains("token-canary") && !json.contains("accessToken"), "{json}");
        assert!(json.contains(r#""refreshTokenEntry":"oauth2:alice@example.test#1""#), "{json}");
    }

    #[test]
    fn secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }
}
