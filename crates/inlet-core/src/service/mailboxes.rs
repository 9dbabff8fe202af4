//! The saved mailboxes: saving (keychain and store, both or neither), listing, removing,
//! trusted certificates and the stored password.

use super::connect::outgoing_credentials;
use super::validate::validate;
use super::ReportedSave;
use super::{blocking, now_ms, outgoing_account, Engine, SaveRequest};
use crate::account;
use crate::diagnose::Diagnosis;
use crate::error::{EngineError, Result};
use crate::logging::{self, mask_address};
use crate::progress::{Progress, ProgressSink, Stage, StageState};
use crate::recovery::ChangeLock;
use crate::report::{AttemptLog, HelpDeskReport, ReportInput};
use crate::secrets::{Credentials, Secret};
use crate::store::{IntentAction, MailboxRecord, Store};

impl Engine {
    /// Save a mailbox: password to the keychain, settings and folders to the store. Both or
    /// neither: if the keychain refuses, nothing is stored; if the store fails, the keychain entry
    /// is removed again.
    #[tracing::instrument(name = "save_mailbox", skip_all, err(Display), fields(address = %mask_address(request.settings.email.as_str())))]
    pub async fn save_mailbox(
        &self,
        request: &SaveRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let progress = Progress::new(sink);
        progress.emit(Stage::Saving, StageState::Started, None, None);
        let result = self.save_inner(request).await;
        progress.emit(Stage::Saving, if result.is_ok() { StageState::Done } else { StageState::Failed }, None, None);
        result.map_err(|e| Diagnosis::of(&e, Some(request.settings.email.as_str())))
    }

    /// [`Engine::save_mailbox`], with the help-desk report of a save that failed: the settings,
    /// the saving stage with its timing, and the diagnosis (a locked keychain, a full disk).
    pub async fn save_reported(&self, request: &SaveRequest, sink: &dyn ProgressSink) -> ReportedSave {
        let log = AttemptLog::new(sink);
        let outcome = self.save_mailbox(request, &log).await;
        let report = outcome.as_ref().err().map(|d| {
            let credentials: Vec<&Credentials> =
                std::iter::once(&request.credentials).chain(request.outgoing_credentials.as_ref()).collect();
            HelpDeskReport::build(ReportInput {
                address: request.settings.email.as_str(),
                settings: Some(&request.settings),
                discovery: &[],
                attempts: log.saving().into_iter().collect(),
                diagnosis: Some(d),
                checked: &crate::tr!("eng-checked-saving"),
                credentials: &credentials,
            })
        });
        ReportedSave { outcome, report }
    }

    async fn save_inner(&self, request: &SaveRequest) -> Result<MailboxRecord> {
        // The administrator's policy first: a refused mailbox type or adding turned off stops
        // before anything reaches the keychain.
        self.policy_now()?.allows_adding(&request.settings).map_err(EngineError::PolicyForbids)?;
        validate(&request.settings, &request.credentials)?;
        // With a grant, its refresh token is already in the keychain (sign-in put it there):
        // its entry becomes the mailbox's, and nothing else is written.
        // The grant as the engine issued it: the front end names it, but its issuer, client and
        // token endpoint are never taken from there.
        let grant = match &request.credentials {
            Credentials::OAuth2(grant) => Some(self.trusted_grant(grant).await.map_err(|_| {
                EngineError::InvalidInput { field: "credentials", message: crate::tr!("eng-sign-in-unknown-grant") }
            })?),
            Credentials::Password(_) => None,
        };
        let password = match &grant {
            Some(grant) => {
                self.keychain.read(&grant.refresh_token_entry).await.map_err(|_| EngineError::InvalidInput {
                    field: "credentials",
                    message: crate::tr!("eng-sign-in-not-in-keychain"),
                })?;
                None
            }
            None => Some(keychain_secret(&request.credentials)?),
        };
        let dir = self.config.resolved_data_dir();
        let settings = request.settings.clone();
        let existing = {
            let (dir, settings) = (dir.clone(), settings.clone());
            blocking(move || Store::open(&dir)?.find_same(&settings)).await?
        };
        if existing.is_some() {
            return Err(EngineError::AlreadySaved { email: settings.email.into() });
        }
        let now = now_ms();
        let account = match &grant {
            Some(grant) => grant.refresh_token_entry.clone(),
            None => format!("{}#{now}", settings.email.as_str().to_lowercase()),
        };
        let outgoing_secret = match &settings.outgoing {
            Some(o) if !o.same_password => Some(keychain_secret(outgoing_credentials(
                o,
                &request.credentials,
                request.outgoing_credentials.as_ref(),
            )?)?),
            _ => None,
        };
        // Should this process die before the mailbox is stored, the entries written are deleted
        // by the next run (see recovery.rs). A grant's own entry is the sign-in's and stays.
        let written: Vec<String> = password
            .map(|_| account.clone())
            .into_iter()
            .chain(outgoing_secret.as_ref().map(|_| outgoing_account(&account)))
            .collect();
        let lock = ChangeLock::take(&dir)?;
        let intent = {
            let (dir, owner, written) = (dir.clone(), lock.owner().to_owned(), written.clone());
            blocking(move || Store::open(&dir)?.begin_intent(&owner, IntentAction::Save, None, &written)).await?
        };
        let end_intent = |dir: std::path::PathBuf| async move {
            let _ = blocking(move || Store::open(&dir)?.end_intent(intent)).await;
        };
        if let Some(password) = password {
            if let Err(e) = self.keychain.store(&account, password).await {
                end_intent(dir).await;
                return Err(e);
            }
        }
        if let Some(secret) = &outgoing_secret {
            if let Err(e) = self.keychain.store(&outgoing_account(&account), secret).await {
                if grant.is_none() {
                    let _ = self.keychain.delete(&account).await;
                }
                end_intent(dir).await;
                return Err(e);
            }
        }
        let folders = request.folders.clone();
        let account_for_store = account.clone();
        let grant_for_store = grant.clone();
        let stored = {
            let dir = dir.clone();
            blocking(move || {
                Store::open(&dir)?.insert_ending_intent(
                    &settings,
                    &folders,
                    &account_for_store,
                    grant_for_store.as_ref(),
                    now,
                    intent,
                )
            })
            .await
        };
        if stored.is_err() {
            // A grant's refresh token stays: the sign-in it belongs to can still be saved again.
            if grant.is_none() {
                let _ = self.keychain.delete(&account).await;
            }
            let _ = self.keychain.delete(&outgoing_account(&account)).await;
            end_intent(dir).await;
        }
        drop(lock);
        stored
    }

    #[tracing::instrument(name = "list_mailboxes", skip_all)]
    pub async fn list_mailboxes(&self) -> std::result::Result<Vec<MailboxRecord>, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        logging::outcome(async {
            self.finish_interrupted_changes_logged().await;
            blocking(move || Store::open(&dir)?.list()).await.map_err(|e| Diagnosis::of(&e, None))
        })
        .await
    }

    /// Remove a mailbox and its keychain entries, keeping its history marked removed (see
    /// [`Engine::remove_mailbox_with`] to erase it). The entries go first: if the keychain refuses
    /// (locked, not answering), the mailbox stays listed with its password and can be removed
    /// again later, instead of leaving a password nobody can see or remove. Deleting an entry
    /// that is already gone succeeds, so a removal that stopped halfway completes on retry.
    #[tracing::instrument(name = "remove_mailbox", skip_all, err(Display), fields(id))]
    pub async fn remove_mailbox(&self, id: i64) -> std::result::Result<(), Diagnosis> {
        self.remove_mailbox_with(id, false).await
    }

    /// Waits until the keychain has finished undoing writes that answered after their deadline
    /// (see [`crate::secrets::Keychain::store`]). Front ends call it before they exit.
    pub async fn settle_keychain(&self) {
        self.keychain.settle().await
    }

    /// Stop trusting the pinned certificate of `host:port` for a saved mailbox. The next connect
    /// there verifies the server's certificate normally again.
    #[tracing::instrument(name = "remove_trusted_certificate", skip_all, err(Display), fields(id, host, port))]
    pub async fn remove_trusted_certificate(
        &self,
        id: i64,
        host: &str,
        port: u16,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        let host = host.to_owned();
        blocking(move || {
            let mut store = Store::open(&dir)?;
            let mut settings = store.get(id)?.settings;
            let before = settings.trusted_certificates.len();
            settings.trusted_certificates.retain(|t| !t.is_for(&host, port));
            if settings.trusted_certificates.len() == before {
                return Err(EngineError::InvalidInput {
                    field: "trusted_certificate",
                    message: crate::tr!("eng-no-trusted-certificate", server = account::host_port(&host, port)),
                });
            }
            store.update_settings(id, &settings)
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// The stored password of a mailbox (for reconnects); it never leaves the engine otherwise.
    #[tracing::instrument(name = "stored_password", skip_all, err(Display), fields(id = record.id))]
    pub async fn stored_password(&self, record: &MailboxRecord) -> std::result::Result<Secret, Diagnosis> {
        // A grant's entry holds its refresh token, which never leaves the engine: such a
        // mailbox reconnects with its grant (`record.grant`).
        if record.grant.is_some() {
            return Err(Diagnosis::invalid_input("credentials", &crate::tr!("eng-no-password-to-give")));
        }
        self.keychain.read(&record.keychain_account).await.map_err(|e| Diagnosis::of(&e, None))
    }
}

/// The password a saved mailbox keeps in the keychain (a grant's refresh token is stored by
/// the sign-in itself).
fn keychain_secret(credentials: &Credentials) -> Result<&Secret> {
    match credentials {
        Credentials::Password(password) => Ok(password),
        Credentials::OAuth2(_) => {
            Err(EngineError::InvalidInput { field: "credentials", message: crate::tr!("eng-no-password-to-keep") })
        }
    }
}
