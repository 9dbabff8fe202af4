//! The use cases both front ends call. Each takes a progress sink and answers with a Diagnosis on
//! failure, never a bare string.
//!
//! This file holds what every use case shares: the request and report types, the `Engine`
//! itself and small helpers. The use cases live beside it by concern: `doctor` (discovery and
//! the technician's check from an address), `connect` (checks that save nothing), `mailboxes`
//! (saving, listing, removing) and `validate` (the settings the user typed).

use crate::account::{Endpoint, MailboxSettings, OutgoingSettings, Protocol};
use crate::address::EmailAddress;
use crate::config::EngineConfig;
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::discover::Discovery;
use crate::error::{EngineError, Result};
use crate::folders::{Folder, FolderRole, FolderTree};
use crate::net::{Dial, Network};
use crate::oauth::http::IssuerHttp;
use crate::oauth::session::OAuthState;
use crate::progress::Progress;
use crate::report::HelpDeskReport;
use crate::secrets::{Credentials, Keychain};
use crate::store::{ChosenFolder, MailboxRecord};
use serde::{Deserialize, Serialize};

mod connect;
mod doctor;
mod mailboxes;
mod validate;

pub(crate) use validate::validate;

/// What the wizard sends to connect: the settings and the credentials (the password the user
/// typed, or an OAuth2 grant).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectRequest {
    pub settings: MailboxSettings,
    pub credentials: Credentials,
    /// The outgoing server's own credentials, when they are not the incoming ones.
    #[serde(default)]
    pub outgoing_credentials: Option<Credentials>,
}

/// What the outgoing check found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct OutgoingReport {
    pub address: String,
    pub username_used: String,
    pub encrypted: bool,
    pub extensions: Vec<String>,
    pub auth_mechanisms: Vec<String>,
}

/// What a successful connection found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectReport {
    pub protocol: Protocol,
    /// The address that answered, e.g. 127.0.0.1:993.
    pub address: String,
    /// The username the server accepted (the whole address or its local part when none was given).
    pub username_used: String,
    pub encrypted: bool,
    pub capabilities: Vec<String>,
    /// IMAP: the whole tree. POP3: only the inbox, which is all POP3 has.
    pub folders: FolderTree,
    /// POP3: messages waiting (STAT).
    pub message_count: Option<u32>,
    /// POP3: an IMAP server found at the same provider, to offer switching (folders, sync state).
    pub imap_alternative: Option<Endpoint>,
    /// The outgoing check, when an outgoing server was given.
    pub outgoing: Option<OutgoingReport>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// What the wizard sends to save: the settings that worked (with the usernames the servers
/// accepted), the chosen folders and the credentials, whose secret goes to the keychain only.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    pub settings: MailboxSettings,
    pub folders: Vec<ChosenFolder>,
    pub credentials: Credentials,
    #[serde(default)]
    pub outgoing_credentials: Option<Credentials>,
}

/// A check and its help-desk report.
#[derive(Debug, Clone)]
pub struct ReportedCheck {
    pub outcome: std::result::Result<ConnectReport, Diagnosis>,
    pub report: HelpDeskReport,
}

/// A discovery and, when it ended without settings (a diagnosis, or a failure), the help-desk
/// report of it.
#[derive(Debug, Clone)]
pub struct ReportedDiscovery {
    pub outcome: std::result::Result<Discovery, Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// A save and, when it failed, the help-desk report of it.
#[derive(Debug, Clone)]
pub struct ReportedSave {
    pub outcome: std::result::Result<MailboxRecord, Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// A test message and, when it was not sent, the help-desk report of it.
#[derive(Debug, Clone)]
pub struct ReportedTestMessage {
    pub outcome: std::result::Result<(), Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// What `doctor` checks: an address, with settings given or discovered, and with or without
/// signing in.
#[derive(Debug, Clone)]
pub struct DoctorRequest {
    pub email: EmailAddress,
    /// The settings to check; None: discovered (every source, as the wizard does).
    pub settings: Option<MailboxSettings>,
    /// Sign in with these; None: connect, read the greeting and what the servers offer, and
    /// stop before signing in.
    pub credentials: Option<Credentials>,
}

/// What `doctor` found: the diagnosis when something failed, and the report of everything tried.
#[derive(Debug, Clone)]
pub struct DoctorOutcome {
    pub diagnosis: Option<Diagnosis>,
    pub report: HelpDeskReport,
}

#[derive(Clone)]
pub struct Engine {
    config: EngineConfig,
    network: Network,
    keychain: Keychain,
    /// Browser sign-in: the issuer's HTTP client, the access tokens in memory, the running
    /// sign-in (see oauth::session).
    pub(crate) oauth: OAuthState,
}

impl Engine {
    pub fn new(config: EngineConfig) -> std::result::Result<Engine, Diagnosis> {
        let network = Network::from_config(&config).map_err(|e| Diagnosis::of(&e, None))?;
        let keychain = Keychain::new(config.keychain_service.clone(), config.deadlines.keychain);
        let issuer_http =
            IssuerHttp::new(&config, &network.tls).map_err(|e| Diagnosis::invalid_input("configuration", &e))?;
        crate::i18n::set_language(crate::i18n::setting(&config.resolved_data_dir()).effective);
        Ok(Engine { config, network, keychain, oauth: OAuthState::new(issuer_http) })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The language setting: the user's choice (none: follow the OS) and the one in effect.
    pub fn language_setting(&self) -> crate::i18n::LanguageSetting {
        crate::i18n::setting(&self.config.resolved_data_dir())
    }

    /// Keeps the user's choice of language (None: follow the OS) and speaks it from now on.
    pub fn set_language(
        &self,
        choice: Option<crate::i18n::Language>,
    ) -> std::result::Result<crate::i18n::LanguageSetting, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        crate::i18n::save_choice(&dir, choice).map_err(|e| {
            Diagnosis::of(&crate::error::EngineError::Store { message: format!("cannot keep the language: {e}") }, None)
        })?;
        let setting = crate::i18n::setting(&dir);
        crate::i18n::set_language(setting.effective);
        Ok(setting)
    }

    pub(crate) fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    /// How to dial one of a mailbox's servers: the engine's network and deadlines, the mailbox's
    /// trusted certificates, the server's endpoint and whether it may take a password in the
    /// clear. Every use case dials a saved or typed mailbox through here.
    pub(crate) fn dial_for<'a>(
        &'a self,
        settings: &'a MailboxSettings,
        server: MailboxServer<'a>,
        progress: &'a Progress<'a>,
    ) -> Dial<'a> {
        let (endpoint, allow_plaintext_password) = match server {
            MailboxServer::Incoming => {
                let incoming = settings.incoming.settings();
                (&incoming.endpoint, incoming.allow_plaintext_password)
            }
            MailboxServer::Outgoing(outgoing) => (&outgoing.endpoint, outgoing.allow_plaintext_password),
        };
        Dial {
            endpoint,
            allow_plaintext_password,
            network: &self.network,
            trusted: &settings.trusted_certificates,
            deadlines: &self.config.deadlines,
            progress,
        }
    }
}

/// Which server of a mailbox [`Engine::dial_for`] dials: the incoming one, or the outgoing one
/// given (the mailbox's own, or the one being checked).
#[derive(Clone, Copy)]
pub(crate) enum MailboxServer<'a> {
    Incoming,
    Outgoing(&'a OutgoingSettings),
}

/// POP3 has only the inbox: one folder, with the count STAT gave.
pub(crate) fn pop3_inbox(messages: u32) -> FolderTree {
    FolderTree {
        delimiter: None,
        folders: vec![Folder {
            raw_name: "INBOX".into(),
            path: "INBOX".into(),
            name: "INBOX".into(),
            parent: None,
            depth: 0,
            role: Some(FolderRole::Inbox),
            role_guessed: false,
            selectable: true,
            placeholder: false,
            subscribed: true,
            has_children: false,
            messages: Some(messages),
            unseen: None,
        }],
    }
}

/// Without an explicit username, try the whole address, then its local part: the two forms
/// providers use (the reference articles' most common IMAP advice).
pub(crate) fn username_candidates(settings: &MailboxSettings) -> Vec<String> {
    match settings.incoming.settings().username.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => vec![u.to_owned()],
        None => vec![settings.email.as_str().to_owned(), settings.email.local_part().to_owned()],
    }
}

pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| EngineError::Store { message: e.to_string() })?
}

/// A keychain failure during a removal: the keychain's diagnosis speaks of saving.
pub(crate) fn not_removed(mut d: Diagnosis) -> Diagnosis {
    d.what_happened = crate::tr!("eng-not-removed");
    d.advise(&match d.code {
        DiagnosisCode::KeychainLocked => crate::tr!("eng-not-removed.todo-locked"),
        _ => crate::tr!("eng-not-removed.todo"),
    });
    d
}

/// The keychain entry of the outgoing password, when it differs from the incoming one.
pub(crate) fn outgoing_account(account: &str) -> String {
    format!("{account}/outgoing")
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
