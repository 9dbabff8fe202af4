//! Tokens that last: the access token in memory (never written anywhere), renewed with the
//! refresh token from the keychain a minute before it expires (RFC 6749 6). A rotated refresh
//! token is in the keychain before the old one is let go; while the keychain refuses it, it
//! is kept in memory so the grant is not lost. `invalid_grant` means the user must sign in
//! again; network errors, 5xx and `temporarily_unavailable` keep the grant and are retried
//! with backoff.

use super::authorization::{token_error, tokens_of};
use super::clients::ClientRegistration;
use super::errors::SignInError;
use super::http::IssuerHttp;
use super::issuer::IssuerEndpoints;
use super::Tokens;
use crate::secrets::Secret;
use oauth2::basic::BasicClient;
use oauth2::{ClientId, ClientSecret, RefreshToken, Scope, TokenUrl};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Renew this long before the access token expires, so a check never starts with a token
/// about to run out.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Retries of a refresh that failed for a passing reason, and the first pause (doubled each time).
const REFRESH_RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

struct Cached {
    access: Secret,
    /// None: the issuer gave no lifetime; used until it is refused.
    expires_at: Option<Instant>,
}

/// The access tokens of this process, by the keychain entry of their grant's refresh token.
#[derive(Clone, Default)]
pub(crate) struct TokenCache {
    access: Arc<Mutex<HashMap<String, Cached>>>,
    /// Rotated refresh tokens the keychain has not taken yet (see the module).
    unsaved_refresh: Arc<Mutex<HashMap<String, Secret>>>,
    /// One refresh at a time: with rotation, two at once would spend the same refresh token.
    pub(crate) refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl TokenCache {
    pub fn put(&self, entry: &str, tokens: &Tokens) {
        let expires_at = tokens.expires_in.map(|d| Instant::now() + d);
        self.lock().insert(entry.to_owned(), Cached { access: tokens.access_token.clone(), expires_at });
    }

    /// The access token of `entry` if it is good for at least [`REFRESH_MARGIN`] more.
    pub fn fresh(&self, entry: &str) -> Option<Secret> {
        let now = Instant::now();
        self.lock()
            .get(entry)
            .filter(|c| c.expires_at.is_none_or(|at| at > now + REFRESH_MARGIN))
            .map(|c| c.access.clone())
    }

    /// Drops the access token only (a server refused it); the grant stays.
    pub(crate) fn forget_access(&self, entry: &str) {
        self.lock().remove(entry);
    }

    /// The access token of `from` now belongs to `to` (a new sign-in's refresh token moved
    /// into a saved mailbox's entry); whatever `to` had is dropped.
    pub(crate) fn carry_over(&self, from: &str, to: &str) {
        self.forget(to);
        let mut access = self.lock();
        if let Some(cached) = access.remove(from) {
            access.insert(to.to_owned(), cached);
        }
    }

    pub fn forget(&self, entry: &str) {
        self.lock().remove(entry);
        self.unsaved_refresh.lock().unwrap_or_else(|p| p.into_inner()).remove(entry);
    }

    pub(crate) fn unsaved_refresh(&self, entry: &str) -> Option<Secret> {
        self.unsaved_refresh.lock().unwrap_or_else(|p| p.into_inner()).get(entry).cloned()
    }

    pub(crate) fn keep_unsaved_refresh(&self, entry: &str, token: Option<Secret>) {
        let mut map = self.unsaved_refresh.lock().unwrap_or_else(|p| p.into_inner());
        match token {
            Some(t) => map.insert(entry.to_owned(), t),
            None => map.remove(entry),
        };
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cached>> {
        self.access.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One refresh (RFC 6749 6), retried with backoff while the failure is passing.
pub async fn refresh(
    http: &IssuerHttp,
    issuer: &IssuerEndpoints,
    client: &ClientRegistration,
    refresh_token: &Secret,
    scopes: &[String],
) -> Result<Tokens, SignInError> {
    let mut oauth = BasicClient::new(ClientId::new(client.client_id.clone()))
        .set_token_uri(TokenUrl::from_url(issuer.token.clone()));
    if let Some(secret) = &client.client_secret {
        oauth = oauth.set_client_secret(ClientSecret::new(secret.clone()));
    }
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let mut pause = FIRST_BACKOFF;
    let mut attempt = 0;
    loop {
        let result = oauth
            .exchange_refresh_token(&token)
            .add_scopes(scopes.iter().cloned().map(Scope::new))
            .request_async(http)
            .await
            .map_err(|e| token_error(issuer, client, e));
        match result {
            Ok(answer) => return Ok(tokens_of(&answer)),
            Err(e) if e.is_temporary() && attempt < REFRESH_RETRIES => {
                attempt += 1;
                tracing::info!(attempt, "the token refresh failed for a passing reason; trying again");
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(access: &str, lifetime: Option<Duration>) -> Tokens {
        Tokens { access_token: Secret::new(access), refresh_token: None, expires_in: lifetime }
    }

    #[test]
    fn a_token_is_renewed_a_minute_before_it_expires() {
        let cache = TokenCache::default();
        cache.put("a", &tokens("long", Some(Duration::from_secs(3600))));
        cache.put("b", &tokens("short", Some(Duration::from_secs(59))));
        cache.put("c", &tokens("forever", None));
        assert_eq!(cache.fresh("a").unwrap().expose(), "long");
        assert!(cache.fresh("b").is_none(), "less than a minute left: refresh first");
        assert_eq!(cache.fresh("c").unwrap().expose(), "forever");
        cache.forget("a");
        assert!(cache.fresh("a").is_none());
    }
}
