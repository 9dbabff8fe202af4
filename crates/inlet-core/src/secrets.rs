//! The OS keychain, and the one type that holds a secret. Nothing else in the engine keeps a
//! password: the store only has a reference to the keychain entry.

use crate::error::{EngineError, KeychainProblem, Result};
use serde::Deserialize;
use std::fmt;

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

/// The keychain, under one service name. All calls block (D-Bus), so they run on the blocking pool.
#[derive(Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    pub fn new(service: impl Into<String>) -> Keychain {
        Keychain { service: service.into() }
    }

    pub async fn store(&self, account: &str, secret: &Secret) -> Result<()> {
        let (service, account, secret) = (self.service.clone(), account.to_owned(), secret.clone());
        blocking(move || keyring::Entry::new(&service, &account)?.set_password(secret.expose())).await
    }

    pub async fn read(&self, account: &str) -> Result<Secret> {
        let (service, account) = (self.service.clone(), account.to_owned());
        blocking(move || keyring::Entry::new(&service, &account)?.get_password()).await.map(Secret)
    }

    pub async fn delete(&self, account: &str) -> Result<()> {
        let (service, account) = (self.service.clone(), account.to_owned());
        // Deleting what is not there is success: removal must be repeatable.
        blocking(move || match keyring::Entry::new(&service, &account)?.delete_credential() {
            Err(keyring::Error::NoEntry) => Ok(()),
            other => other,
        })
        .await
    }
}

/// A keychain that waits for an unlock prompt nobody answers must not hold the app forever.
const KEYCHAIN_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> keyring::Result<T> + Send + 'static) -> Result<T> {
    match tokio::time::timeout(KEYCHAIN_DEADLINE, tokio::task::spawn_blocking(f)).await {
        Ok(Ok(result)) => result.map_err(keychain_error),
        Ok(Err(e)) => Err(EngineError::Keychain { problem: KeychainProblem::Failed, message: e.to_string() }),
        Err(_) => Err(EngineError::Keychain {
            problem: KeychainProblem::Locked,
            message: format!(
                "the keychain did not answer within {} s (waiting to be unlocked?)",
                KEYCHAIN_DEADLINE.as_secs()
            ),
        }),
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
    fn secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }
}
