//! Changing a saved mailbox after setup: its chosen folders ("Load" the server's current list,
//! then save a new selection) and its server settings (host, port, security, username, for
//! incoming and outgoing). Every change is checked against the server before it is stored, and
//! stored in one transaction: a failure leaves the mailbox exactly as it was.

use crate::account::{normalize_host, IncomingServer, MailboxSettings, Security, Side};
use crate::diagnose::Diagnosis;
use crate::error::{EngineError, Result};
use crate::folders::FolderTree;
use crate::health::{action_status, change_now, history_of, CheckScope};
use crate::policy::ConnectionPolicy;
use crate::progress::{NoProgress, Progress, ProgressSink};
use crate::protocol::{imap, pop3};
use crate::report::{ActionLog, ReportedAction};
use crate::secrets::Credentials;
use crate::service::{blocking, now_ms, pop3_inbox, username_candidates, validate, Engine, MailboxServer};
use crate::store::{ChosenFolder, MailboxRecord, MailboxStatus, RecordedCheck, Store};
use serde::Deserialize;

/// What to change on one server; None leaves it as it is. An empty username clears it (the
/// address and its local part are then tried, as at setup).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, rename_all = "camelCase")]
pub struct ServerEdit {
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<Security>,
    pub username: Option<String>,
}

impl ServerEdit {
    pub fn is_empty(&self) -> bool {
        *self == ServerEdit::default()
    }
}

/// The settings edit of a mailbox: its incoming and its outgoing server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, rename_all = "camelCase")]
pub struct SettingsEdit {
    pub incoming: ServerEdit,
    pub outgoing: ServerEdit,
}

/// Applies one server's edit to its endpoint and username.
fn apply(edit: &ServerEdit, endpoint: &mut crate::account::Endpoint, username: &mut Option<String>) {
    if let Some(host) = &edit.host {
        endpoint.host = normalize_host(host);
    }
    if let Some(port) = edit.port {
        endpoint.port = port;
    }
    if let Some(security) = edit.security {
        endpoint.security = security;
    }
    if let Some(name) = &edit.username {
        let name = name.trim();
        *username = (!name.is_empty()).then(|| name.to_owned());
    }
}

/// `settings` with `edit` applied.
fn edited(settings: &MailboxSettings, edit: &SettingsEdit) -> Result<MailboxSettings> {
    let mut next = settings.clone();
    let incoming = next.incoming.settings_mut();
    apply(&edit.incoming, &mut incoming.endpoint, &mut incoming.username);
    if !edit.outgoing.is_empty() {
        let outgoing = next
            .outgoing
            .as_mut()
            .ok_or(EngineError::InvalidInput { field: "outgoing", message: crate::tr!("eng-no-outgoing-server") })?;
        apply(&edit.outgoing, &mut outgoing.endpoint, &mut outgoing.username);
    }
    Ok(next)
}

impl Engine {
    /// The server's current folders of a saved mailbox ("Load"), signing in with its stored
    /// credentials. Nothing is stored. POP3 has only the inbox.
    pub async fn load_mailbox_folders(&self, id: i64) -> std::result::Result<FolderTree, Diagnosis> {
        self.load_mailbox_folders_logged(id, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::load_mailbox_folders`], with the help-desk report of a load that failed.
    pub async fn load_mailbox_folders_reported(&self, id: i64, sink: &dyn ProgressSink) -> ReportedAction<FolderTree> {
        let log = ActionLog::new(sink);
        let outcome = self.load_mailbox_folders_logged(id, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-loading-folders"))
    }

    #[tracing::instrument(name = "load_mailbox_folders", skip_all, err(Display), fields(id))]
    async fn load_mailbox_folders_logged(
        &self,
        id: i64,
        log: &ActionLog<'_>,
    ) -> std::result::Result<FolderTree, Diagnosis> {
        let record = self.saved_in_use(id).await?;
        log.checking(&record.settings, &[]);
        let credentials = self.stored_credentials(&record).await?;
        log.checking(&record.settings, &credentials.all());
        let progress = Progress::new(&log.connections);
        self.with_grant(&record.settings, &credentials.incoming, false, |c| {
            let (record, progress) = (&record, &progress);
            async move { self.fetch_folders(record, &c, progress).await }
        })
        .await
    }

    /// Saves a new folder selection: each name (a folder's raw name or its path) is looked up
    /// in the server's current list, so only folders that exist are saved, with their roles.
    /// One transaction; an unknown name changes nothing.
    pub async fn set_mailbox_folders(
        &self,
        id: i64,
        names: &[String],
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.set_mailbox_folders_logged(id, names, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::set_mailbox_folders`], with the help-desk report of a choice that failed.
    pub async fn set_mailbox_folders_reported(
        &self,
        id: i64,
        names: &[String],
        sink: &dyn ProgressSink,
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.set_mailbox_folders_logged(id, names, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-saving-folders"))
    }

    #[tracing::instrument(name = "set_mailbox_folders", skip_all, err(Display), fields(id))]
    async fn set_mailbox_folders_logged(
        &self,
        id: i64,
        names: &[String],
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        if names.is_empty() {
            return Err(Diagnosis::invalid_input("folders", &crate::tr!("eng-choose-a-folder")));
        }
        let tree = self.load_mailbox_folders_logged(id, log).await?;
        let mut chosen: Vec<ChosenFolder> = Vec::new();
        let mut unknown = Vec::new();
        for name in names {
            let found = tree.folders.iter().find(|f| f.selectable && (f.raw_name == *name || f.path == *name));
            match found {
                Some(f) if chosen.iter().any(|c| c.raw_name == f.raw_name) => {}
                Some(f) => {
                    chosen.push(ChosenFolder { raw_name: f.raw_name.clone(), path: f.path.clone(), role: f.role })
                }
                None => unknown.push(crate::server_text::shown_plain(name)),
            }
        }
        if !unknown.is_empty() {
            return Err(Diagnosis::invalid_input(
                "folders",
                &crate::tr!(
                    "eng-unknown-folders",
                    names = unknown
                        .iter()
                        .map(|n| crate::tr!("eng-quoted", text = n.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        self.change(move |store, change| store.set_folders(id, &chosen, change)).await
    }

    /// Changes a mailbox's server settings. The edited settings are checked against the
    /// servers first (sign in with the stored credentials, the chosen folders' STATUS, SMTP
    /// EHLO and AUTH); only when every side succeeds are they stored, with that check, in one
    /// transaction, and the mailbox enabled with its error counts reset. On failure nothing
    /// changes and the diagnosis says why.
    pub async fn edit_mailbox_settings(
        &self,
        id: i64,
        edit: &SettingsEdit,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.edit_mailbox_settings_logged(id, edit, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::edit_mailbox_settings`], with the help-desk report of an edit that failed: the
    /// new settings, each connection to them with its stage timings, the diagnosis.
    pub async fn edit_mailbox_settings_reported(
        &self,
        id: i64,
        edit: &SettingsEdit,
        sink: &dyn ProgressSink,
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.edit_mailbox_settings_logged(id, edit, &log).await;
        log.reported(outcome, &crate::tr!("eng-checked-changed-settings"))
    }

    #[tracing::instrument(name = "edit_mailbox_settings", skip_all, err(Display), fields(id))]
    async fn edit_mailbox_settings_logged(
        &self,
        id: i64,
        edit: &SettingsEdit,
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        log.checking(&record.settings, &[]);
        let settings = edited(&record.settings, edit).map_err(|e| Diagnosis::of(&e, None))?;
        log.checking(&settings, &[]);
        if settings == record.settings {
            return Err(Diagnosis::invalid_input("settings", &crate::tr!("eng-nothing-to-change")));
        }
        let credentials = self.stored_credentials(&record).await?;
        validate(&settings, &credentials.incoming).map_err(|e| Diagnosis::of(&e, Some(settings.email.as_str())))?;
        let edited_record = MailboxRecord { settings: settings.clone(), ..record.clone() };
        let scope = CheckScope { incoming: true, outgoing: true, force_refresh: false };
        log.checking(&settings, &credentials.all());
        let sides = self.run_sides(&edited_record, &credentials, scope, &log.connections).await;
        if let Some(refused) = sides.iter().find_map(|s| s.diagnosis.clone()) {
            return Err(refused);
        }
        let thresholds = ConnectionPolicy::load(self.config().policy_file.as_deref())?.error_thresholds;
        let dir = self.config().resolved_data_dir();
        let now = now_ms();
        let history = history_of(&sides, now);
        blocking(move || {
            let change = change_now();
            let update = |before: &MailboxStatus| action_status(before, &sides, now, thresholds);
            Store::open(&dir)?.record_checked_settings(
                id,
                &settings,
                &RecordedCheck { history: &history, update: &update, change: Some(&change) },
            )
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// Signs in to the incoming server and reads its folders (IMAP LIST; POP3: the inbox).
    async fn fetch_folders(
        &self,
        record: &MailboxRecord,
        credentials: &Credentials,
        progress: &Progress<'_>,
    ) -> std::result::Result<FolderTree, Diagnosis> {
        let settings = &record.settings;
        let deadlines = &self.config().deadlines;
        let dial = self.dial_for(settings, MailboxServer::Incoming, progress);
        let usernames = username_candidates(settings);
        let loaded: Result<FolderTree> = async {
            match &settings.incoming {
                IncomingServer::Imap(_) => {
                    let connected = imap::connect(&dial).await?;
                    let mut signed_in = imap::sign_in(connected, &usernames, credentials, deadlines, progress).await?;
                    let folders = imap::load_folders(&mut signed_in, deadlines, progress).await;
                    imap::log_out(&mut signed_in).await;
                    folders
                }
                IncomingServer::Pop3(_) => {
                    pop3::check(&dial, &usernames, credentials).await.map(|c| pop3_inbox(c.message_count))
                }
            }
        }
        .await;
        loaded.map_err(|e| {
            Diagnosis::of(&e, Some(settings.email.as_str()))
                .on(Side::Incoming)
                .for_protocol(settings.incoming.protocol())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailboxSettings {
        serde_json::from_value(serde_json::json!({
            "kind": "imap", "email": "alice@example.test",
            "incoming": {"protocol": "imap", "endpoint": {"host": "imap.example.test", "port": 993, "security": "tls"},
                         "username": "alice", "auth": "password", "allowPlaintextPassword": false},
            "outgoing": null, "trustedCertificates": []
        }))
        .unwrap()
    }

    #[test]
    fn an_edit_changes_only_what_it_names() {
        let before = settings();
        let edit = SettingsEdit {
            incoming: ServerEdit {
                host: Some(" Mail.Example.TEST. ".into()),
                username: Some(" ".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let after = edited(&before, &edit).unwrap();
        let incoming = after.incoming.settings();
        assert_eq!((incoming.endpoint.host.as_str(), incoming.endpoint.port), ("mail.example.test", 993));
        assert_eq!((incoming.endpoint.security, incoming.username.as_deref()), (Security::Tls, None));
        assert_eq!((after.email, after.kind, after.outgoing), (before.email.clone(), before.kind, None));
        let outgoing =
            SettingsEdit { outgoing: ServerEdit { port: Some(587), ..Default::default() }, ..Default::default() };
        assert!(edited(&before, &outgoing).is_err(), "no outgoing server to change");
    }
}
