//! The actions on a saved mailbox: details, enable or disable, default, rename, update the
//! password, reconnect (also with a new browser sign-in), remove. Each is one store transaction.

use super::*;
use crate::diagnose::Diagnosis;
use crate::error::Result;
use crate::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use crate::policy::{ConnectionPolicy, ErrorThresholds};
use crate::progress::{NoProgress, ProgressSink};
use crate::recovery::ChangeLock;
use crate::report::{ActionLog, ReportedAction};
use crate::secrets::{Credentials, OAuth2Grant, Secret};
use crate::service::{blocking, now_ms, outgoing_account, Engine};
use crate::store::{Change, IntentAction, MailboxRecord, MailboxStatus, RecordedCheck, Store};

impl Engine {
    /// A saved mailbox with its recent checks.
    pub async fn mailbox_details(&self, id: i64) -> std::result::Result<MailboxDetails, Diagnosis> {
        let dir = self.config().resolved_data_dir();
        blocking(move || {
            let store = Store::open(&dir)?;
            Ok(MailboxDetails { mailbox: store.get(id)?, history: store.history(id)? })
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// Enables or disables a mailbox (enabling starts its error counts afresh).
    #[tracing::instrument(name = "set_mailbox_enabled", skip_all, err(Display), fields(id, enabled))]
    pub async fn set_mailbox_enabled(&self, id: i64, enabled: bool) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.change(move |store, change| store.set_enabled(id, enabled, change)).await
    }

    /// Makes a mailbox the default one.
    #[tracing::instrument(name = "set_default_mailbox", skip_all, err(Display), fields(id))]
    pub async fn set_default_mailbox(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.change(move |store, change| store.set_default(id, change)).await
    }

    /// Names and describes a mailbox; empty text clears the name or the description.
    #[tracing::instrument(name = "describe_mailbox", skip_all, err(Display), fields(id))]
    pub async fn describe_mailbox(
        &self,
        id: i64,
        name: Option<String>,
        description: Option<String>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let cleaned = |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let (name, description) = (cleaned(name), cleaned(description));
        if name.as_ref().is_some_and(|n| n.chars().count() > 200 || n.chars().any(char::is_control)) {
            return Err(Diagnosis::invalid_input("name", &crate::tr!("eng-name-too-long")));
        }
        self.change(move |store, change| store.describe(id, name.as_deref(), description.as_deref(), change)).await
    }

    /// Checks `password` against the server (the incoming one, and the outgoing one when it
    /// shares the password) and only then puts it in the keychain in place of the old one,
    /// enabling the mailbox and recording the check. A refused password changes nothing; should
    /// the store fail after the keychain took the new password, the old one is put back.
    pub async fn update_password(&self, id: i64, password: Secret) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.update_password_logged(id, password, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::update_password`], with the help-desk report of a refused password: the
    /// settings, each connection with its stage timings, the diagnosis. Never the password.
    pub async fn update_password_reported(
        &self,
        id: i64,
        password: Secret,
        sink: &dyn ProgressSink,
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.update_password_logged(id, password, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-updating-password"))
    }

    #[tracing::instrument(name = "update_password", skip_all, err(Display), fields(id))]
    pub(super) async fn update_password_logged(
        &self,
        id: i64,
        password: Secret,
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        if password.is_empty() {
            return Err(Diagnosis::invalid_input("password", &crate::tr!("eng-type-new-password")));
        }
        let record = self.saved(id).await?;
        if record.grant.is_some() {
            return Err(Diagnosis::invalid_input("credentials", &crate::tr!("eng-signs-in-with-browser")));
        }
        let shares = record.settings.outgoing.as_ref().is_some_and(|o| o.same_password);
        let credentials = CheckCredentials {
            incoming: Credentials::Password(password.clone()),
            outgoing: match &record.settings.outgoing {
                Some(o) if !o.same_password => Some(self.outgoing_password(&record, o).await?),
                _ => None,
            },
        };
        let scope = CheckScope { incoming: true, outgoing: shares, force_refresh: false };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        if let Some(refused) = sides.iter().find_map(|s| s.diagnosis.clone()) {
            return Err(refused);
        }
        let account = record.keychain_account.clone();
        let old = self.keychain().read(&account).await.ok();
        self.keychain().store(&account, &password).await.map_err(|e| Diagnosis::of(&e, None))?;
        match self.record_action_check(&record, sides).await {
            Ok(updated) => Ok(updated),
            Err(d) => {
                let restored = match &old {
                    Some(old) => self.keychain().store(&account, old).await,
                    None => self.keychain().delete(&account).await,
                };
                if let Err(e) = restored {
                    tracing::warn!("could not put the old password back after the store failed: {e}");
                }
                Err(d)
            }
        }
    }

    /// Signs in again with the stored settings and credentials (a grant's access token renewed
    /// first). On success the mailbox is enabled with its error counts reset; every setting
    /// stays. On failure nothing changes and the diagnosis says why.
    pub async fn reconnect_mailbox(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.reconnect_mailbox_logged(id, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::reconnect_mailbox`], with the help-desk report of a reconnect that failed.
    pub async fn reconnect_mailbox_reported(&self, id: i64, sink: &dyn ProgressSink) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.reconnect_mailbox_logged(id, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-reconnecting"))
    }

    #[tracing::instrument(name = "reconnect_mailbox", skip_all, err(Display), fields(id))]
    pub(super) async fn reconnect_mailbox_logged(
        &self,
        id: i64,
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        log.checking(&record.settings, &[]);
        let credentials = self.stored_credentials(&record).await?;
        let scope = CheckScope { incoming: true, outgoing: true, force_refresh: true };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        if let Some(refused) = sides.iter().find_map(|s| s.diagnosis.clone()) {
            return Err(refused);
        }
        self.record_action_check(&record, sides).await
    }

    /// Signs a mailbox with a grant in again (its grant revoked, or expired through inactivity):
    /// a new sign-in (`mode`) with the mailbox's own settings, issuer and client, then the same
    /// check as [`Engine::reconnect_mailbox`] with the new grant. Only when that check passes does
    /// the new refresh token take the old one's place in the mailbox's own keychain entry, the
    /// sign-in's own entry let go of, and the mailbox enabled with its counts reset; every
    /// setting and the folder choice stay. A declined sign-in or a failed check changes nothing.
    pub async fn reconnect_with_sign_in(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.reconnect_with_sign_in_logged(id, mode, on_event, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::reconnect_with_sign_in`], with the help-desk report of a failure: the sign-in's
    /// steps (which endpoint answered what), the check's connections, the diagnosis. Never a
    /// token, an authorization code or a verifier.
    pub async fn reconnect_with_sign_in_reported(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(&NoProgress);
        let outcome = self.reconnect_with_sign_in_logged(id, mode, on_event, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-provider-sign-in-again"))
    }

    #[tracing::instrument(name = "reconnect_with_sign_in", skip_all, err(Display), fields(id, mode = ?mode))]
    pub(super) async fn reconnect_with_sign_in_logged(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        log.checking(&record.settings, &[]);
        let Some(saved_grant) = record.grant.clone() else {
            return Err(Diagnosis::invalid_input("credentials", &crate::tr!("eng-signs-in-with-password")));
        };
        // Read first: a keychain that cannot give the outgoing password fails before the browser opens.
        let stored = self.stored_credentials(&record).await?;
        let request = SignInRequest {
            settings: record.settings.clone(),
            issuer: IssuerChoice::from_url(&saved_grant.issuer),
            mode,
            client_id: Some(saved_grant.client_id.clone()),
        };
        // Held until the new grant is saved or let go of: another sign-in would let go of it.
        let _turn = self.sign_in_turn()?;
        let signed_in = match self.sign_in_traced(&request, on_event, &log.sign_in).await {
            Ok(grant) => grant,
            Err(d) => {
                log.sign_in.failed(&d);
                return Err(d);
            }
        };
        let credentials =
            CheckCredentials { incoming: Credentials::OAuth2(signed_in.clone()), outgoing: stored.outgoing };
        let scope = CheckScope { incoming: true, outgoing: true, force_refresh: false };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        let replaced = match sides.iter().find_map(|s| s.diagnosis.clone()) {
            Some(refused) => Err(refused),
            None => self.replace_refresh_token(&record, &signed_in, sides).await,
        };
        if let Err(e) = self.discard_sign_in(&signed_in).await {
            // It stays listed as this engine's sign-in: the next one lets go of it.
            tracing::warn!("the new sign-in's own keychain entry stays for now: {e}");
        }
        replaced
    }

    /// Moves the refresh token of `signed_in` into `record`'s own keychain entry (its access
    /// token along in memory) and records the action's check. Should the store fail, the old
    /// refresh token is put back.
    pub(super) async fn replace_refresh_token(
        &self,
        record: &MailboxRecord,
        signed_in: &OAuth2Grant,
        sides: Vec<SideCheck>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let (from, to) = (signed_in.refresh_token_entry.as_str(), record.keychain_account.as_str());
        let new_token = match self.oauth.tokens.unsaved_refresh(from) {
            // Rotated during the check, and not taken by the keychain then.
            Some(token) => token,
            None => self.keychain().read(from).await.map_err(|e| Diagnosis::of(&e, None))?,
        };
        let old_token = self.keychain().read(to).await.ok();
        self.keychain().store(to, &new_token).await.map_err(|e| Diagnosis::of(&e, None))?;
        match self.record_action_check(record, sides).await {
            Ok(updated) => {
                self.oauth.tokens.carry_over(from, to);
                Ok(updated)
            }
            Err(d) => {
                let restored = match &old_token {
                    Some(old) => self.keychain().store(to, old).await,
                    None => self.keychain().delete(to).await,
                };
                if let Err(e) = restored {
                    tracing::warn!("could not put the old sign-in back after the store failed: {e}");
                }
                Err(d)
            }
        }
    }

    /// Removes a mailbox: its keychain entries first (see [`Engine::remove_mailbox`] for why),
    /// then either its row with everything about it (`erase`), or only its listing, keeping its
    /// history marked removed.
    #[tracing::instrument(name = "remove_mailbox_with", skip_all, err(Display), fields(id, erase))]
    pub async fn remove_mailbox_with(&self, id: i64, erase: bool) -> std::result::Result<(), Diagnosis> {
        ConnectionPolicy::load(self.config().policy_file.as_deref())?
            .allows_removing()
            .map_err(|refused| Diagnosis::of_policy(&refused))?;
        let record = self.saved(id).await?;
        let dir = self.config().resolved_data_dir();
        // Should this process die between the keychain and the store, the next run finishes the
        // removal (see recovery.rs) rather than leave a mailbox without its password.
        let lock = ChangeLock::take(&dir).map_err(|e| Diagnosis::of(&e, None))?;
        let entries = [outgoing_account(&record.keychain_account), record.keychain_account.clone()];
        let intent = {
            let (dir, owner, entries) = (dir.clone(), lock.owner().to_owned(), entries.to_vec());
            blocking(move || {
                Store::open(&dir)?.begin_intent(&owner, IntentAction::Remove { erase }, Some(id), &entries)
            })
            .await
            .map_err(|e| Diagnosis::of(&e, None))?
        };
        if let Err(d) = self.delete_keychain_entries(&record).await {
            // Refused (locked, not answering): the mailbox stays, with its intent ended, and can
            // be removed again.
            let _ = blocking(move || Store::open(&dir)?.end_intent(intent)).await;
            return Err(d);
        }
        let removed = blocking(move || Store::open(&dir)?.remove_ending_intent(id, erase, &change_now(), intent))
            .await
            .map_err(|e| Diagnosis::of(&e, None));
        drop(lock);
        removed
    }

    /// A listed mailbox that may sign in with its stored credentials: not one the checks turned
    /// off after its errors in a row (signing in again with what failed is how accounts get
    /// locked); that one says `mailbox_disabled` until its password is updated, it is
    /// reconnected or turned on again.
    pub(crate) async fn saved_in_use(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        match disabled_automatically(&record) {
            Some(disabled) => Err(disabled),
            None => Ok(record),
        }
    }

    /// A listed mailbox.
    pub(crate) async fn saved(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.finish_interrupted_changes_logged().await;
        let dir = self.config().resolved_data_dir();
        blocking(move || Store::open(&dir)?.get(id)).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// One store change made by the OS user now.
    pub(crate) async fn change(
        &self,
        apply: impl FnOnce(&mut Store, &Change) -> Result<MailboxRecord> + Send + 'static,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let dir = self.config().resolved_data_dir();
        blocking(move || apply(&mut Store::open(&dir)?, &change_now())).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// Records the check an action ran (update password, reconnect) as a change: its sides'
    /// results, then the mailbox enabled with its counts reset.
    pub(super) async fn record_action_check(
        &self,
        record: &MailboxRecord,
        sides: Vec<SideCheck>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let thresholds = ErrorThresholds::default();
        let (dir, id) = (self.config().resolved_data_dir(), record.id);
        let now = now_ms();
        let history = history_of(&sides, now);
        blocking(move || {
            let change = change_now();
            let update = |before: &MailboxStatus| action_status(before, &sides, now, thresholds);
            Store::open(&dir)?
                .record_check(id, &RecordedCheck { history: &history, update: &update, change: Some(&change) })
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// Deletes a mailbox's keychain entries, the outgoing one first (should the keychain stop
    /// between the two, the mailbox keeps the password it needs to receive).
    pub(crate) async fn delete_keychain_entries(&self, record: &MailboxRecord) -> std::result::Result<(), Diagnosis> {
        for account in [outgoing_account(&record.keychain_account), record.keychain_account.clone()] {
            self.keychain().delete(&account).await.map_err(|e| crate::service::not_removed(Diagnosis::of(&e, None)))?;
        }
        // With a grant, the entry was its refresh token; its access token goes from memory too.
        self.oauth.tokens.forget(&record.keychain_account);
        Ok(())
    }
}
