//! The use cases both front ends call. Each takes a progress sink and answers with a Diagnosis on
//! failure, never a bare string.

use crate::account::{self, MailboxSettings, Protocol, Security};
use crate::config::EngineConfig;
use crate::diagnose::Diagnosis;
use crate::error::{EngineError, Result};
use crate::folders::FolderTree;
use crate::imap;
use crate::net::TlsContext;
use crate::progress::{Progress, ProgressSink, Stage, StageState};
use crate::secrets::{Keychain, Secret};
use crate::store::{ChosenFolder, MailboxRecord, Store};
use serde::{Deserialize, Serialize};

/// What the wizard sends to connect: the settings and the password the user typed.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectRequest {
    pub settings: MailboxSettings,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub password: Secret,
}

/// What a successful connection found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectReport {
    /// The address that answered, e.g. 127.0.0.1:993.
    pub address: String,
    /// The username the server accepted (the whole address or its local part when none was given).
    pub username_used: String,
    pub encrypted: bool,
    pub capabilities: Vec<String>,
    pub folders: FolderTree,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// What the wizard sends to save: the settings (with the username that worked), the chosen
/// folders and the password, which goes to the keychain only.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    pub settings: MailboxSettings,
    pub folders: Vec<ChosenFolder>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub password: Secret,
}

#[derive(Clone)]
pub struct Engine {
    config: EngineConfig,
    tls: TlsContext,
    keychain: Keychain,
}

impl Engine {
    pub fn new(config: EngineConfig) -> std::result::Result<Engine, Diagnosis> {
        let tls = TlsContext::new(&config.extra_ca_files).map_err(|e| Diagnosis::of(&e, None))?;
        let keychain = Keychain::new(config.keychain_service.clone());
        Ok(Engine { config, tls, keychain })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Connect, sign in and load the folder tree. Nothing is saved.
    pub async fn connect(&self, request: &ConnectRequest, sink: &dyn ProgressSink) -> std::result::Result<ConnectReport, Diagnosis> {
        let progress = Progress::new(sink);
        self.connect_inner(request, &progress).await.map_err(|e| Diagnosis::of(&e, Some(&request.settings.email)))
    }

    async fn connect_inner(&self, request: &ConnectRequest, progress: &Progress<'_>) -> Result<ConnectReport> {
        let settings = &request.settings;
        validate(settings, &request.password)?;
        let incoming = &settings.incoming;
        if incoming.protocol != Protocol::Imap {
            return Err(EngineError::InvalidInput {
                field: "protocol",
                message: format!("{} is not supported yet; choose IMAP.", incoming.protocol.label()),
            });
        }
        let deadlines = &self.config.deadlines;
        let connected = imap::connect(&incoming.endpoint, incoming.allow_plaintext_password, &self.tls, deadlines, progress).await?;
        let usernames = username_candidates(settings);
        let mut signed_in = imap::sign_in(connected, &usernames, &request.password, deadlines, progress).await?;
        let folders = imap::load_folders(&mut signed_in, deadlines, progress).await;
        imap::log_out(&mut signed_in).await;
        Ok(ConnectReport {
            address: signed_in.address.to_string(),
            username_used: signed_in.username.clone(),
            encrypted: signed_in.encrypted,
            capabilities: signed_in.capabilities.0.clone(),
            folders: folders?,
            elapsed_ms: progress.elapsed_ms(),
        })
    }

    /// Save a mailbox: password to the keychain, settings and folders to the store. Both or
    /// neither: if the keychain refuses, nothing is stored; if the store fails, the keychain entry
    /// is removed again.
    pub async fn save_mailbox(&self, request: &SaveRequest, sink: &dyn ProgressSink) -> std::result::Result<MailboxRecord, Diagnosis> {
        let progress = Progress::new(sink);
        progress.emit(Stage::Saving, StageState::Started, None, None);
        let result = self.save_inner(request).await;
        progress.emit(Stage::Saving, if result.is_ok() { StageState::Done } else { StageState::Failed }, None, None);
        result.map_err(|e| Diagnosis::of(&e, Some(&request.settings.email)))
    }

    async fn save_inner(&self, request: &SaveRequest) -> Result<MailboxRecord> {
        validate(&request.settings, &request.password)?;
        let dir = self.config.resolved_data_dir();
        let settings = request.settings.clone();
        let existing = {
            let (dir, settings) = (dir.clone(), settings.clone());
            blocking(move || Store::open(&dir)?.find_same(&settings)).await?
        };
        if existing.is_some() {
            return Err(EngineError::AlreadySaved { email: settings.email });
        }
        let now = now_ms();
        let account = format!("{}#{now}", settings.email.to_lowercase());
        self.keychain.store(&account, &request.password).await?;
        let folders = request.folders.clone();
        let account_for_store = account.clone();
        let stored = blocking(move || Store::open(&dir)?.insert(&settings, &folders, &account_for_store, now)).await;
        if stored.is_err() {
            let _ = self.keychain.delete(&account).await;
        }
        stored
    }

    pub async fn list_mailboxes(&self) -> std::result::Result<Vec<MailboxRecord>, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        blocking(move || Store::open(&dir)?.list()).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// Remove a mailbox and its keychain entry.
    pub async fn remove_mailbox(&self, id: i64) -> std::result::Result<(), Diagnosis> {
        let dir = self.config.resolved_data_dir();
        let record = blocking(move || Store::open(&dir)?.delete(id)).await.map_err(|e| Diagnosis::of(&e, None))?;
        self.keychain.delete(&record.keychain_account).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// The stored password of a mailbox (for reconnects); it never leaves the engine otherwise.
    pub async fn stored_password(&self, record: &MailboxRecord) -> std::result::Result<Secret, Diagnosis> {
        self.keychain.read(&record.keychain_account).await.map_err(|e| Diagnosis::of(&e, None))
    }
}

/// Without an explicit username, try the whole address, then its local part: the two forms
/// providers use (the reference articles' most common IMAP advice).
pub fn username_candidates(settings: &MailboxSettings) -> Vec<String> {
    match settings.incoming.username.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => vec![u.to_owned()],
        None => {
            let email = settings.email.trim().to_owned();
            let local = account::local_part(&email).to_owned();
            if local == email { vec![email] } else { vec![email, local] }
        }
    }
}

fn validate(settings: &MailboxSettings, password: &Secret) -> Result<()> {
    account::validate_email(&settings.email)
        .map_err(|m| EngineError::InvalidInput { field: "email", message: m.to_owned() })?;
    let endpoint = &settings.incoming.endpoint;
    if endpoint.host.trim().is_empty() || endpoint.host.contains(char::is_whitespace) {
        return Err(EngineError::InvalidInput { field: "host", message: "Type the server name, e.g. imap.example.com.".into() });
    }
    if endpoint.port == 0 {
        return Err(EngineError::InvalidInput { field: "port", message: "The port must be between 1 and 65535.".into() });
    }
    if password.is_empty() {
        return Err(EngineError::InvalidInput { field: "password", message: "Type your password.".into() });
    }
    if endpoint.security == Security::None && !settings.incoming.allow_plaintext_password {
        return Err(EngineError::PlaintextNotConfirmed { target: endpoint.display() });
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| EngineError::Store { message: e.to_string() })?
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
