//! Keychain and store stay in step even when the process is killed between them.
//!
//! A save writes the password into the keychain, then the mailbox into the store; a removal
//! deletes the keychain entries, then the mailbox. The two share no transaction, so a process
//! killed in between (SIGKILL, power loss, a crash) would leave a password without its mailbox,
//! or a mailbox without its password. So each such change is first recorded in the store as an
//! intent, and the intent ends in the same transaction as the store's half of the change. An
//! intent left behind by a process that died is completed by the next run
//! ([`Engine::finish_interrupted_changes`]): a save's entries are deleted (its mailbox was never
//! stored), a removal is finished.
//!
//! Whether an intent's process is still running is told by a lock file it holds for the change
//! (an advisory lock the kernel releases when the process dies, however it dies), so one process
//! never undoes another's save in progress (the app and `inlet-cli` share the store).

use crate::diagnose::Diagnosis;
use crate::error::{EngineError, Result};
use crate::service::{blocking, now_ms, Engine};
use crate::store::{Change, IntentAction, Store};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The folder of the lock files, in the data dir.
const LOCKS: &str = "changes";

/// A change's lock: held from before its intent is recorded until after it ended. Dropping it
/// releases the lock and removes the file.
pub(crate) struct ChangeLock {
    owner: String,
    path: PathBuf,
    file: Option<File>,
}

impl ChangeLock {
    pub(crate) fn take(data_dir: &Path) -> Result<ChangeLock> {
        let dir = data_dir.join(LOCKS);
        crate::store::private_dir(&dir).map_err(|e| lock_error(&dir, e))?;
        let owner = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let path = dir.join(format!("{owner}.lock"));
        let file = OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| lock_error(&path, e))?;
        file.try_lock().map_err(|e| lock_error(&path, e.into()))?;
        Ok(ChangeLock { owner, path, file: Some(file) })
    }

    pub(crate) fn owner(&self) -> &str {
        &self.owner
    }
}

impl Drop for ChangeLock {
    fn drop(&mut self) {
        // The file first goes, then the lock: a recovery that finds no file knows the change ended
        // or its process died, and checks the intent again inside its transaction either way.
        let _ = std::fs::remove_file(&self.path);
        drop(self.file.take());
    }
}

fn lock_error(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Store { message: format!("cannot lock {}: {e}", path.display()) }
}

/// Whether the process that owns `owner`'s lock is gone: the lock file is missing, or its lock
/// can be taken (returned, held until the intent is dealt with).
fn owner_gone(data_dir: &Path, owner: &str) -> Option<Option<File>> {
    let path = data_dir.join(LOCKS).join(format!("{owner}.lock"));
    match OpenOptions::new().write(true).open(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
        Err(_) => None,
        Ok(file) => match file.try_lock() {
            Ok(()) => {
                let _ = std::fs::remove_file(&path);
                Some(Some(file))
            }
            Err(TryLockError::WouldBlock) => None,
            Err(TryLockError::Error(_)) => None,
        },
    }
}

impl Engine {
    /// [`Engine::finish_interrupted_changes`] before a listing or an action: a keychain that
    /// refuses now (locked) does not stop them; the next run tries again.
    pub(crate) async fn finish_interrupted_changes_logged(&self) {
        if let Err(d) = self.finish_interrupted_changes().await {
            tracing::warn!("an interrupted change could not be finished yet: {d}");
        }
    }

    /// Completes the keychain changes whose process died before it could finish them (see the
    /// module's documentation). Cheap when there are none: one query. Front ends need not call
    /// it: listing mailboxes and every action on a saved mailbox do.
    pub(crate) async fn finish_interrupted_changes(&self) -> std::result::Result<(), Diagnosis> {
        let dir = self.config().resolved_data_dir();
        let intents = {
            let dir = dir.clone();
            blocking(move || Store::open(&dir)?.interrupted()).await.map_err(|e| Diagnosis::of(&e, None))?
        };
        for intent in intents {
            let Some(_held) = owner_gone(&dir, &intent.owner) else { continue };
            // Checked again now that the owner is known gone: it may have ended the intent
            // between the listing and the lock.
            let (still_open, in_use) = {
                let dir = dir.clone();
                let first = intent.entries.first().cloned().unwrap_or_default();
                blocking(move || {
                    let store = Store::open(&dir)?;
                    Ok((store.intent_open(intent.id)?, store.uses_account(&first)?))
                })
                .await
                .map_err(|e| Diagnosis::of(&e, None))?
            };
            if !still_open {
                continue;
            }
            match intent.action {
                IntentAction::Save => {
                    // The mailbox was never stored (its insert ends the intent in the same
                    // transaction), so nothing uses these entries; `in_use` guards a grant's
                    // entry that another mailbox reuses.
                    if !in_use {
                        for entry in &intent.entries {
                            self.keychain().delete(entry).await.map_err(|e| Diagnosis::of(&e, None))?;
                        }
                    }
                    let id = intent.id;
                    let dir = dir.clone();
                    blocking(move || Store::open(&dir)?.end_intent(id)).await.map_err(|e| Diagnosis::of(&e, None))?;
                    tracing::info!(intent = intent.id, "undid a save interrupted before its mailbox was stored");
                }
                IntentAction::Remove { erase } => {
                    for entry in &intent.entries {
                        self.keychain()
                            .delete(entry)
                            .await
                            .map_err(|e| crate::service::not_removed(Diagnosis::of(&e, None)))?;
                    }
                    let (id, mailbox) = (intent.id, intent.mailbox_id.unwrap_or(-1));
                    let dir = dir.clone();
                    let change = Change { at: now_ms(), by: crate::health::os_user() };
                    blocking(move || Store::open(&dir)?.remove_ending_intent(mailbox, erase, &change, id))
                        .await
                        .map_err(|e| Diagnosis::of(&e, None))?;
                    tracing::info!(intent = intent.id, "finished a removal interrupted halfway");
                }
            }
        }
        Ok(())
    }
}
