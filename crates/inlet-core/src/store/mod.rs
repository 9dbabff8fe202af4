//! Saved mailboxes, their chosen folders and status fields, in SQLite (WAL). One transaction per
//! change, so a failure leaves the stored mailboxes exactly as they were.
//!
//! This file holds the mailbox rows (saving, reading, listing, changing); beside it: `schema`
//! (the migrations), `intents` (keychain changes in progress), `history` (recorded checks and
//! status) and `files` (private folders and files).
//!
//! One file, a little over the usual size: every mailbox row is read through one query and its
//! row types, and every change of a row is one transaction next to it.

use crate::account::{normalize_host, MailboxSettings, Protocol};
use crate::address::EmailAddress;
use crate::diagnose::DiagnosisCode;
use crate::error::{EngineError, Result};
use crate::folders::FolderRole;
use crate::health::{self, CheckRecord, StatusBadge};
use crate::secrets::OAuth2Grant;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod files;
mod history;
mod intents;
mod schema;

pub(crate) use files::{private_dir, private_file};
use files::{store_error, tighten, PRIVATE_FILE};
use history::stored_code;
pub use intents::{IntentAction, KeychainIntent};
use schema::MIGRATIONS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ChosenFolder {
    pub raw_name: String,
    pub path: String,
    pub role: Option<FolderRole>,
}

/// Health of a saved mailbox, as the mailbox list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxStatus {
    pub enabled: bool,
    /// Unix milliseconds.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_check_at: Option<i64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_success_at: Option<i64>,
    /// Diagnosis code, title and time of the incoming server's last failure. Kept after a
    /// success (the details view shows the last error and when it was); the counter says whether
    /// it still holds.
    pub last_error_code: Option<DiagnosisCode>,
    pub last_error_title: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_error_at: Option<i64>,
    /// Incoming errors in a row; a success resets it. Temporary conditions (throttling, a busy
    /// server, no network) do not count.
    pub consecutive_errors: u32,
    /// The outgoing server's own results (a mailbox can receive but fail to send, and vice versa).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_outgoing_success_at: Option<i64>,
    pub last_outgoing_error_code: Option<DiagnosisCode>,
    pub last_outgoing_error_title: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_outgoing_error_at: Option<i64>,
    pub consecutive_outgoing_errors: u32,
    /// Checks in a row that met a temporary condition or could not run (no network, keychain
    /// locked): they back off instead of counting as errors.
    pub consecutive_temporary_failures: u32,
    /// The last check met a server's temporary condition (throttled, too many connections, busy).
    pub throttled: bool,
    /// While backing off: not checked on schedule before this time (Unix milliseconds).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub next_check_at: Option<i64>,
    /// Disabled by the checks after too many errors in a row, not by someone.
    pub disabled_automatically: bool,
    /// What the list shows, computed from the fields above (see [`health::badge`]).
    pub badge: StatusBadge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxRecord {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub settings: MailboxSettings,
    pub folders: Vec<ChosenFolder>,
    pub status: MailboxStatus,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at: i64,
    /// The keychain entry holding the password (a reference, never the password).
    #[serde(skip)]
    pub keychain_account: String,
    /// Browser sign-in: who issued the grant to which client, and its keychain entry (never a
    /// token). None: the mailbox signs in with a password.
    #[serde(default)]
    pub grant: Option<OAuth2Grant>,
    /// The name the user gave it, and a description; None: the list shows the address.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The mailbox new mail goes out from by default; at most one is.
    #[serde(default)]
    pub is_default: bool,
    /// The last change someone made (save, rename, enable, password…), and who: the OS user.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub modified_at: Option<i64>,
    #[serde(default)]
    pub modified_by: Option<String>,
}

/// Who changed a mailbox, and when (Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: i64,
    pub by: String,
}

/// A check's result for one mailbox, as it is recorded: one row of history per side checked,
/// and the new status computed from the old one (see [`Store::record_check`]).
pub struct RecordedCheck<'a> {
    pub history: &'a [CheckRecord],
    /// The new status from the stored one; it runs inside the transaction, so two checks of one
    /// mailbox never lose each other's counts.
    pub update: &'a dyn Fn(&MailboxStatus) -> MailboxStatus,
    /// An action (update password, reconnect) records its check as a change someone made.
    pub change: Option<&'a Change>,
}

/// A grant as the store keeps it: its refresh token's entry is the row's keychain_account.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredGrant {
    issuer: String,
    client_id: String,
    /// Absent in grants stored before it was kept (they refresh through the metadata).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_url: Option<String>,
}

/// How many checks the history keeps per mailbox and side: enough for the details view's
/// timeline, bounded so a mailbox checked every few minutes for years stays small.
pub(crate) const HISTORY_PER_SIDE: usize = 50;

pub struct Store {
    conn: Connection,
}

/// Marks mailbox ?1 removed at ?2 by ?3, keeping its history. The keychain entry's name is freed
/// (its entry is deleted): a new sign-in that reuses it can be saved again.
const MARK_REMOVED: &str =
    "UPDATE mailboxes SET removed_at = ?2, enabled = 0, is_default = 0, modified_at = ?2, modified_by = ?3,
            keychain_account = 'removed/' || id || '/' || keychain_account
     WHERE id = ?1 AND removed_at IS NULL";

pub(crate) const FILE_NAME: &str = "inlet.sqlite3";

impl Store {
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(FILE_NAME)
    }

    /// The database and the two files SQLite keeps beside it in WAL mode.
    fn files_in(dir: &Path) -> [PathBuf; 3] {
        let db = Self::path_in(dir);
        let companion = |suffix: &str| {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        };
        [companion("-wal"), companion("-shm"), db]
    }

    /// Opens (and creates or migrates) the store in `dir`. The folder and every file in it are
    /// private to the user (0700 / 0600 on Unix), created so before SQLite opens them, and an
    /// older, looser store is tightened here on every start.
    pub fn open(dir: &Path) -> Result<Store> {
        private_dir(dir)
            .map_err(|e| EngineError::Store { message: format!("cannot create {}: {e}", dir.display()) })?;
        let files = Self::files_in(dir);
        // SQLite creates the -wal and -shm files itself with the database file's mode
        // (os_unix.c, findCreateFileMode); making all three first, empty and private, means no
        // file of the store ever exists with the umask's looser mode, whatever SQLite does.
        for file in &files {
            private_file(file).map_err(|e| store_error(file, e))?;
        }
        let path = files[2].clone();
        let mut conn = Connection::open(&path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < MIGRATIONS.len() {
            let tx = conn.transaction()?;
            for sql in &MIGRATIONS[version..] {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "user_version", MIGRATIONS.len())?;
            tx.commit()?;
        }
        // Checked again now that SQLite has (re)created its files: it deletes an empty -wal of a
        // new database and makes it again.
        for file in &files {
            match tighten(file, PRIVATE_FILE) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(store_error(file, e)),
                _ => {}
            }
        }
        Ok(Store { conn })
    }

    /// Whether a mailbox with this address and incoming server is already saved.
    pub(crate) fn find_same(&self, settings: &MailboxSettings) -> Result<Option<i64>> {
        for record in self.list()? {
            let s = &record.settings;
            if s.email.as_str().eq_ignore_ascii_case(settings.email.as_str())
                && s.incoming.protocol() == settings.incoming.protocol()
                && normalize_host(&s.incoming.settings().endpoint.host)
                    == normalize_host(&settings.incoming.settings().endpoint.host)
            {
                return Ok(Some(record.id));
            }
        }
        Ok(None)
    }

    /// Saves a mailbox that was just checked successfully at `now`.
    pub fn insert(
        &mut self,
        settings: &MailboxSettings,
        folders: &[ChosenFolder],
        keychain_account: &str,
        now: i64,
    ) -> Result<MailboxRecord> {
        self.insert_with_grant(settings, folders, keychain_account, None, now)
    }

    /// [`Store::insert`] of a mailbox that signs in with `grant` (its refresh token is the
    /// keychain entry `keychain_account`).
    pub(crate) fn insert_with_grant(
        &mut self,
        settings: &MailboxSettings,
        folders: &[ChosenFolder],
        keychain_account: &str,
        grant: Option<&OAuth2Grant>,
        now: i64,
    ) -> Result<MailboxRecord> {
        self.insert_inner(settings, folders, keychain_account, grant, now, None)
    }

    fn insert_inner(
        &mut self,
        settings: &MailboxSettings,
        folders: &[ChosenFolder],
        keychain_account: &str,
        grant: Option<&OAuth2Grant>,
        now: i64,
        ending_intent: Option<i64>,
    ) -> Result<MailboxRecord> {
        let tx = self.conn.transaction()?;
        let json = serde_json::to_string(settings).map_err(|e| EngineError::Store { message: e.to_string() })?;
        let grant_json = grant
            .map(|g| {
                serde_json::to_string(&StoredGrant {
                    issuer: g.issuer.clone(),
                    client_id: g.client_id.clone(),
                    token_url: g.token_url.clone(),
                })
            })
            .transpose()
            .map_err(|e| EngineError::Store { message: e.to_string() })?;
        // The first mailbox is the default one until the user picks another.
        let is_default: bool = tx.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM mailboxes WHERE is_default = 1 AND removed_at IS NULL)",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO mailboxes (email, settings, keychain_account, created_at, last_check_at, last_success_at,
                                    last_outgoing_success_at, oauth2_grant, is_default, modified_at, modified_by)
             VALUES (?1, ?2, ?3, ?4, ?4, ?4, ?5, ?6, ?7, ?4, ?8)",
            params![
                settings.email.as_str(),
                json,
                keychain_account,
                now,
                settings.outgoing.as_ref().map(|_| now),
                grant_json,
                is_default,
                health::os_user(),
            ],
        )?;
        let id = tx.last_insert_rowid();
        write_folders(&tx, id, folders)?;
        if let Some(intent) = ending_intent {
            tx.execute("DELETE FROM keychain_intents WHERE id = ?1", params![intent])?;
        }
        tx.commit()?;
        self.get(id)
    }

    pub fn get(&self, id: i64) -> Result<MailboxRecord> {
        match self.query("AND id = ?1", params![id])?.pop() {
            Some(Ok(record)) => Ok(record),
            Some(Err(NoLongerAccepted { id, why })) => {
                Err(EngineError::Store { message: format!("mailbox {id} cannot be used: {why}") })
            }
            None => Err(EngineError::MailboxNotFound { id }),
        }
    }

    /// The saved mailboxes. One saved with settings this version no longer accepts is left out
    /// (and logged) rather than hiding every other mailbox; its row stays as it is.
    pub fn list(&self) -> Result<Vec<MailboxRecord>> {
        let rows = self.query("", params![])?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                row.map_err(|NoLongerAccepted { id, why }| {
                    tracing::warn!("mailbox {id} is left out of the list: {why}")
                })
                .ok()
            })
            .collect())
    }

    /// Replaces a mailbox's settings (e.g. a removed trusted certificate), in one transaction.
    pub(crate) fn update_settings(&mut self, id: i64, settings: &MailboxSettings) -> Result<MailboxRecord> {
        let json = serde_json::to_string(settings).map_err(|e| EngineError::Store { message: e.to_string() })?;
        let changed = self.conn.execute("UPDATE mailboxes SET settings = ?1 WHERE id = ?2", params![json, id])?;
        if changed == 0 {
            return Err(EngineError::MailboxNotFound { id });
        }
        self.get(id)
    }

    /// Deletes the mailbox with its folders and history (removal with "erase").
    pub fn delete(&mut self, id: i64) -> Result<MailboxRecord> {
        let record = self.get(id)?;
        self.conn.execute("DELETE FROM mailboxes WHERE id = ?1", params![id])?;
        Ok(record)
    }

    /// Removal that keeps the history: the row stays, marked removed (no list shows it, no
    /// check runs), disabled and no longer the default.
    pub fn mark_removed(&mut self, id: i64, change: &Change) -> Result<MailboxRecord> {
        let record = self.get(id)?;
        self.conn.execute(MARK_REMOVED, params![id, change.at, change.by])?;
        Ok(record)
    }

    /// When a mailbox was removed with its history kept; None: not removed (or erased).
    pub fn removed_at(&self, id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT removed_at FROM mailboxes WHERE id = ?1", params![id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Whether a listed mailbox keeps its password (or its grant) in `account`.
    pub(crate) fn uses_account(&self, account: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM mailboxes WHERE keychain_account = ?1 AND removed_at IS NULL",
                params![account],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Enables or disables a mailbox. Enabling starts its error counts afresh (otherwise the
    /// next error would disable it again at once) and ends any back-off.
    pub(crate) fn set_enabled(&mut self, id: i64, enabled: bool, change: &Change) -> Result<MailboxRecord> {
        let sql = if enabled {
            "UPDATE mailboxes SET enabled = 1, disabled_automatically = 0, consecutive_errors = 0,
                    consecutive_outgoing_errors = 0, consecutive_temporary_failures = 0, throttled = 0,
                    next_check_at = NULL, modified_at = ?2, modified_by = ?3
             WHERE id = ?1 AND removed_at IS NULL"
        } else {
            "UPDATE mailboxes SET enabled = 0, disabled_automatically = 0, modified_at = ?2, modified_by = ?3
             WHERE id = ?1 AND removed_at IS NULL"
        };
        self.change_one(id, sql, params![id, change.at, change.by])
    }

    /// Makes this mailbox the default one, and no other.
    pub(crate) fn set_default(&mut self, id: i64, change: &Change) -> Result<MailboxRecord> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE mailboxes SET is_default = 0 WHERE is_default = 1 AND id != ?1", params![id])?;
        let changed = tx.execute(
            "UPDATE mailboxes SET is_default = 1, modified_at = ?2, modified_by = ?3 WHERE id = ?1 AND removed_at IS NULL",
            params![id, change.at, change.by],
        )?;
        if changed == 0 {
            return Err(EngineError::MailboxNotFound { id });
        }
        tx.commit()?;
        self.get(id)
    }

    /// Replaces the chosen folders of a listed mailbox, in one transaction.
    pub(crate) fn set_folders(&mut self, id: i64, folders: &[ChosenFolder], change: &Change) -> Result<MailboxRecord> {
        let tx = self.conn.transaction()?;
        let changed = tx.execute(
            "UPDATE mailboxes SET modified_at = ?2, modified_by = ?3 WHERE id = ?1 AND removed_at IS NULL",
            params![id, change.at, change.by],
        )?;
        if changed == 0 {
            return Err(EngineError::MailboxNotFound { id });
        }
        write_folders(&tx, id, folders)?;
        tx.commit()?;
        self.get(id)
    }

    /// Names and describes a mailbox (None: no name, the address is shown; no description).
    pub fn describe(
        &mut self,
        id: i64,
        name: Option<&str>,
        description: Option<&str>,
        change: &Change,
    ) -> Result<MailboxRecord> {
        self.change_one(
            id,
            "UPDATE mailboxes SET name = ?4, description = ?5, modified_at = ?2, modified_by = ?3
             WHERE id = ?1 AND removed_at IS NULL",
            params![id, change.at, change.by, name, description],
        )
    }

    /// One UPDATE of one listed mailbox; none changed means there is no such mailbox.
    fn change_one(&mut self, id: i64, sql: &str, args: impl rusqlite::Params) -> Result<MailboxRecord> {
        if self.conn.execute(sql, args)? == 0 {
            return Err(EngineError::MailboxNotFound { id });
        }
        self.get(id)
    }

    /// The listed (not removed) mailboxes matching `filter` (`AND …`), in id order.
    fn query(&self, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Stored>> {
        query_in(&self.conn, filter, args)
    }
}

/// [`Store::query`] on a connection or inside a transaction.
fn query_in(conn: &Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Stored>> {
    {
        let sql = format!(
            "SELECT id, settings, keychain_account, enabled, created_at, last_check_at, last_success_at,
                    last_error_code, last_error_title, consecutive_errors,
                    last_outgoing_success_at, last_outgoing_error_code, last_outgoing_error_title,
                    consecutive_outgoing_errors, oauth2_grant,
                    last_error_at, last_outgoing_error_at, consecutive_temporary_failures, throttled,
                    next_check_at, disabled_automatically, name, description, is_default, modified_at, modified_by
             FROM mailboxes WHERE removed_at IS NULL {filter} ORDER BY id"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            let mut status = MailboxStatus {
                enabled: r.get(3)?,
                last_check_at: r.get(5)?,
                last_success_at: r.get(6)?,
                last_error_code: stored_code(r.get(7)?),
                last_error_title: r.get(8)?,
                last_error_at: r.get(15)?,
                consecutive_errors: r.get(9)?,
                last_outgoing_success_at: r.get(10)?,
                last_outgoing_error_code: stored_code(r.get(11)?),
                last_outgoing_error_title: r.get(12)?,
                last_outgoing_error_at: r.get(16)?,
                consecutive_outgoing_errors: r.get(13)?,
                consecutive_temporary_failures: r.get(17)?,
                throttled: r.get(18)?,
                next_check_at: r.get(19)?,
                disabled_automatically: r.get(20)?,
                badge: StatusBadge::Working,
            };
            status.badge = health::badge(&status);
            Ok(Row {
                id: r.get(0)?,
                json: r.get(1)?,
                keychain_account: r.get(2)?,
                status,
                created_at: r.get(4)?,
                grant: r.get(14)?,
                name: r.get(21)?,
                description: r.get(22)?,
                is_default: r.get(23)?,
                modified_at: r.get(24)?,
                modified_by: r.get(25)?,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let Row {
                id,
                json,
                keychain_account,
                status,
                created_at,
                grant,
                name,
                description,
                is_default,
                modified_at,
                modified_by,
            } = row?;
            let settings = match serde_json::from_str(&json) {
                Ok(settings) => settings,
                Err(e) => {
                    let why = no_longer_accepted(&json).ok_or_else(|| EngineError::Store {
                        message: format!("mailbox {id} has unreadable settings: {e}"),
                    })?;
                    out.push(Err(NoLongerAccepted { id, why }));
                    continue;
                }
            };
            let grant = grant
                .map(|g| serde_json::from_str::<StoredGrant>(&g))
                .transpose()
                .map_err(|e| EngineError::Store { message: format!("mailbox {id} has an unreadable sign-in: {e}") })?
                .map(|g| OAuth2Grant {
                    issuer: g.issuer,
                    client_id: g.client_id,
                    refresh_token_entry: keychain_account.clone(),
                    token_url: g.token_url,
                    access_token: None,
                });
            out.push(Ok(MailboxRecord {
                id,
                settings,
                folders: folders_in(conn, id)?,
                status,
                created_at,
                keychain_account,
                grant,
                name,
                description,
                is_default,
                modified_at,
                modified_by,
            }));
        }
        Ok(out)
    }
}

/// One row of `mailboxes` as read, before its settings are parsed.
struct Row {
    id: i64,
    json: String,
    keychain_account: String,
    status: MailboxStatus,
    created_at: i64,
    grant: Option<String>,
    name: Option<String>,
    description: Option<String>,
    is_default: bool,
    modified_at: Option<i64>,
    modified_by: Option<String>,
}

fn folders_in(conn: &Connection, id: i64) -> Result<Vec<ChosenFolder>> {
    {
        let mut stmt = conn.prepare_cached(
            "SELECT raw_name, path, role FROM chosen_folders WHERE mailbox_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            let role: Option<String> = r.get(2)?;
            Ok(ChosenFolder {
                raw_name: r.get(0)?,
                path: r.get(1)?,
                role: role.and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Has a mailbox with this id (listed or removed with its history kept)? Used by tests and
    /// the CLI.
    pub fn exists(&self, id: i64) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM mailboxes WHERE id = ?1", params![id], |_| Ok(())).optional()?.is_some())
    }
}

/// A stored mailbox as this version reads it.
type Stored = std::result::Result<MailboxRecord, NoLongerAccepted>;

/// Settings an earlier version read and this one refuses; `why` names the part, never its text.
struct NoLongerAccepted {
    id: i64,
    why: String,
}

/// Why stored settings that earlier versions read are refused now, or None when they are
/// unreadable for another reason. Earlier versions kept the address as any text and the incoming
/// protocol as any of IMAP, POP3 and SMTP; both are checked when settings are read now. (Neither
/// came from Inlet's own front ends: every version checked the address this way before saving,
/// and the wizard and the CLI offer only IMAP and POP3.)
fn no_longer_accepted(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Earlier {
        email: String,
        incoming: EarlierIncoming,
    }
    #[derive(Deserialize)]
    struct EarlierIncoming {
        protocol: Protocol,
    }
    let earlier: Earlier = serde_json::from_str(json).ok()?;
    if let Err(problem) = EmailAddress::parse(&earlier.email) {
        return Some(format!("its address is not an email address ({problem})"));
    }
    (earlier.incoming.protocol == Protocol::Smtp).then(|| "its incoming server is an SMTP server".to_owned())
}

fn write_folders(tx: &Transaction<'_>, id: i64, folders: &[ChosenFolder]) -> Result<()> {
    tx.execute("DELETE FROM chosen_folders WHERE mailbox_id = ?1", params![id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO chosen_folders (mailbox_id, position, raw_name, path, role) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, f) in folders.iter().enumerate() {
        let role = f.role.and_then(|r| serde_json::to_value(r).ok()).and_then(|v| v.as_str().map(str::to_owned));
        stmt.execute(params![id, i as i64, f.raw_name, f.path, role])?;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Grants stored before the token endpoint was kept still read (and refresh via metadata);
    /// a grant without one is stored as before.
    #[test]
    fn grants_stored_without_a_token_endpoint_still_read() {
        let old: StoredGrant =
            serde_json::from_str(r#"{"issuer":"https://id.example.test","clientId":"app"}"#).unwrap();
        assert_eq!((old.issuer.as_str(), old.client_id.as_str()), ("https://id.example.test", "app"));
        assert_eq!(old.token_url, None);
        assert_eq!(serde_json::to_string(&old).unwrap(), r#"{"issuer":"https://id.example.test","clientId":"app"}"#);
    }

    /// The app opens the store from several threads at once (a scheduled check, "Check now", the
    /// list). SQLite deletes the -wal file when the last connection closes, so it can vanish
    /// between Store::open creating it and making it private; that is no failure (SQLite makes
    /// it again with the database's mode). Seen in the end-to-end run as "cannot make
    /// …-wal private: No such file or directory".
    #[test]
    fn opening_the_store_while_other_connections_close_does_not_fail() {
        let tmp = tempfile::tempdir().unwrap();
        Store::open(tmp.path()).unwrap();
        let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let dir = tmp.path().to_owned();
                std::thread::spawn(move || -> Result<usize> {
                    let mut opened = 0;
                    while std::time::Instant::now() < until {
                        Store::open(&dir)?.list()?;
                        opened += 1;
                    }
                    Ok(opened)
                })
            })
            .collect();
        for worker in workers {
            let opened = worker.join().unwrap().unwrap_or_else(|e| panic!("an open failed: {e}"));
            assert!(opened > 0);
        }
        let mode = |name: &str| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(tmp.path().join(name)).map(|m| m.permissions().mode() & 0o777)
        };
        assert_eq!(mode("inlet.sqlite3").unwrap(), 0o600);
        for companion in ["inlet.sqlite3-wal", "inlet.sqlite3-shm"] {
            if let Ok(m) = mode(companion) {
                assert_eq!(m, 0o600, "{companion}");
            }
        }
    }
}
