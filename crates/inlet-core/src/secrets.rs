//! The OS keychain, and the one type that holds a secret. Nothing else in the engine keeps a
//! password: the store only has a reference to the keychain entry.

use crate::error::{EngineError, KeychainProblem, Result};
use serde::Deserialize;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

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

    /// Deletes the entry; deleting what is not there is success, so removal is repeatable. A
    /// delete that misses its deadline may still happen later: callers keep the mailbox (it can
    /// be removed again) rather than lose its record while its password stays.
    pub async fn delete(&self, account: &str) -> Result<()> {
        let (service, account) = (self.service.clone(), account.to_owned());
        self.blocking(move || delete_entry(&service, &account)).await
    }

    /// Waits until every clean-up of a late write (see [`Keychain::store`]) has finished. A
    /// front end calls it before it exits, so a slow keychain's late entry is still removed.
    pub async fn settle(&self) {
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
    fn secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }
}
