//! Saved mailboxes, their chosen folders and status fields, in SQLite (WAL). One transaction per
//! change, so a failure leaves the stored mailboxes exactly as they were.

use crate::account::{normalize_host, MailboxSettings, Protocol};
use crate::address::EmailAddress;
use crate::diagnose::DiagnosisCode;
use crate::error::{EngineError, Result};
use crate::folders::FolderRole;
use crate::health::{self, CheckOutcome, CheckRecord, StatusBadge};
use crate::progress::Side;
use crate::secrets::OAuth2Grant;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

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

/// Schema versions, applied in order; `PRAGMA user_version` says how many ran.
const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE mailboxes (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        settings TEXT NOT NULL,
        keychain_account TEXT NOT NULL UNIQUE,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        last_check_at INTEGER,
        last_success_at INTEGER,
        last_error_code TEXT,
        last_error_title TEXT,
        consecutive_errors INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE chosen_folders (
        mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        raw_name TEXT NOT NULL,
        path TEXT NOT NULL,
        role TEXT,
        PRIMARY KEY (mailbox_id, raw_name)
    );
"#,
    r#"
    ALTER TABLE mailboxes ADD COLUMN last_outgoing_success_at INTEGER;
    ALTER TABLE mailboxes ADD COLUMN last_outgoing_error_code TEXT;
    ALTER TABLE mailboxes ADD COLUMN last_outgoing_error_title TEXT;
    ALTER TABLE mailboxes ADD COLUMN consecutive_outgoing_errors INTEGER NOT NULL DEFAULT 0;
"#,
    // Browser sign-in: the grant's issuer and client (JSON); its refresh token is in the
    // keychain under keychain_account.
    r#"
    ALTER TABLE mailboxes ADD COLUMN oauth2_grant TEXT;
"#,
    // Keeping mailboxes connected: when each side last failed, back-off of temporary conditions,
    // automatic disabling, name, default, who changed it, removal that keeps the history, and
    // the recent checks.
    r#"
    ALTER TABLE mailboxes ADD COLUMN last_error_at INTEGER;
    ALTER TABLE mailboxes ADD COLUMN last_outgoing_error_at INTEGER;
    ALTER TABLE mailboxes ADD COLUMN consecutive_temporary_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE mailboxes ADD COLUMN throttled INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE mailboxes ADD COLUMN next_check_at INTEGER;
    ALTER TABLE mailboxes ADD COLUMN disabled_automatically INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE mailboxes ADD COLUMN name TEXT;
    ALTER TABLE mailboxes ADD COLUMN description TEXT;
    ALTER TABLE mailboxes ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE mailboxes ADD COLUMN modified_at INTEGER;
    ALTER TABLE mailboxes ADD COLUMN modified_by TEXT;
    ALTER TABLE mailboxes ADD COLUMN removed_at INTEGER;
    CREATE TABLE check_history (
        id INTEGER PRIMARY KEY,
        mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        side TEXT NOT NULL,
        outcome TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        code TEXT
    );
    CREATE INDEX check_history_by_mailbox ON check_history (mailbox_id, id);
"#,
    // Keychain changes in progress (a save or a removal touches the keychain and the store, which
    // share no transaction): what to undo or finish should the process die between the two.
    r#"
    CREATE TABLE keychain_intents (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        action TEXT NOT NULL,
        mailbox_id INTEGER,
        entries TEXT NOT NULL
    );
"#,
];

/// What a keychain change in progress was for, and so how it is completed when its process died
/// (see [`Store::interrupted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentAction {
    /// A save wrote `entries` into the keychain and had not stored its mailbox yet: without the
    /// mailbox they are deleted.
    Save,
    /// A removal of the mailbox was deleting `entries`: it is finished (entries deleted, the
    /// mailbox marked removed, or erased).
    Remove { erase: bool },
}

impl IntentAction {
    fn name(self) -> &'static str {
        match self {
            IntentAction::Save => "save",
            IntentAction::Remove { erase: false } => "remove",
            IntentAction::Remove { erase: true } => "erase",
        }
    }

    fn from_name(name: &str) -> Option<IntentAction> {
        match name {
            "save" => Some(IntentAction::Save),
            "remove" => Some(IntentAction::Remove { erase: false }),
            "erase" => Some(IntentAction::Remove { erase: true }),
            _ => None,
        }
    }
}

/// A keychain change in progress, recorded before the keychain is touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainIntent {
    pub id: i64,
    /// Names the lock file its process holds while the change runs (see `Engine`'s recovery).
    pub owner: String,
    pub action: IntentAction,
    /// Remove: the mailbox removed.
    pub mailbox_id: Option<i64>,
    /// The keychain entries (account names) written or deleted.
    pub entries: Vec<String>,
}

/// How many checks the history keeps per mailbox and side: enough for the details view's
/// timeline, bounded so a mailbox checked every few minutes for years stays small.
pub const HISTORY_PER_SIDE: usize = 50;

pub struct Store {
    conn: Connection,
}

/// Marks mailbox ?1 removed at ?2 by ?3, keeping its history. The keychain entry's name is freed
/// (its entry is deleted): a new sign-in that reuses it can be saved again.
const MARK_REMOVED: &str =
    "UPDATE mailboxes SET removed_at = ?2, enabled = 0, is_default = 0, modified_at = ?2, modified_by = ?3,
            keychain_account = 'removed/' || id || '/' || keychain_account
     WHERE id = ?1 AND removed_at IS NULL";

pub const FILE_NAME: &str = "inlet.sqlite3";

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
    pub fn find_same(&self, settings: &MailboxSettings) -> Result<Option<i64>> {
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
    pub fn insert_with_grant(
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
    pub fn update_settings(&mut self, id: i64, settings: &MailboxSettings) -> Result<MailboxRecord> {
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

    /// Records a keychain change about to start (committed before the keychain is touched).
    pub fn begin_intent(
        &mut self,
        owner: &str,
        action: IntentAction,
        mailbox_id: Option<i64>,
        entries: &[String],
    ) -> Result<i64> {
        let entries = serde_json::to_string(entries).map_err(|e| EngineError::Store { message: e.to_string() })?;
        self.conn.execute(
            "INSERT INTO keychain_intents (owner, action, mailbox_id, entries) VALUES (?1, ?2, ?3, ?4)",
            params![owner, action.name(), mailbox_id, entries],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Forgets a keychain change that ended (or was undone) without a store change of its own.
    pub fn end_intent(&mut self, intent: i64) -> Result<()> {
        self.conn.execute("DELETE FROM keychain_intents WHERE id = ?1", params![intent])?;
        Ok(())
    }

    /// [`Store::insert_with_grant`], ending the save's intent in the same transaction.
    pub fn insert_ending_intent(
        &mut self,
        settings: &MailboxSettings,
        folders: &[ChosenFolder],
        keychain_account: &str,
        grant: Option<&OAuth2Grant>,
        now: i64,
        intent: i64,
    ) -> Result<MailboxRecord> {
        self.insert_inner(settings, folders, keychain_account, grant, now, Some(intent))
    }

    /// Removes a mailbox (see [`Store::mark_removed`] and [`Store::delete`]) and ends the
    /// removal's intent, in one transaction. A mailbox already gone is no error: an interrupted
    /// removal may be finished twice.
    pub fn remove_ending_intent(&mut self, id: i64, erase: bool, change: &Change, intent: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        if erase {
            tx.execute("DELETE FROM mailboxes WHERE id = ?1", params![id])?;
        } else {
            tx.execute(MARK_REMOVED, params![id, change.at, change.by])?;
        }
        tx.execute("DELETE FROM keychain_intents WHERE id = ?1", params![intent])?;
        tx.commit()?;
        Ok(())
    }

    /// The keychain changes that started and have not ended: their process is running them, or
    /// died before it could finish.
    pub fn interrupted(&self) -> Result<Vec<KeychainIntent>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, owner, action, mailbox_id, entries FROM keychain_intents ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, owner, action, mailbox_id, entries) = row?;
            let action = IntentAction::from_name(&action)
                .ok_or_else(|| EngineError::Store { message: format!("keychain change {id} has an unknown action") })?;
            let entries = serde_json::from_str(&entries)
                .map_err(|e| EngineError::Store { message: format!("keychain change {id} is unreadable: {e}") })?;
            out.push(KeychainIntent { id, owner, action, mailbox_id, entries });
        }
        Ok(out)
    }

    /// Whether the intent is still recorded (its process has not ended it).
    pub fn intent_open(&self, intent: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM keychain_intents WHERE id = ?1", params![intent], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Whether a listed mailbox keeps its password (or its grant) in `account`.
    pub fn uses_account(&self, account: &str) -> Result<bool> {
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

    /// Records a check (or an action's check) in one transaction: the history rows, the status
    /// computed from the stored one, and the history trimmed to [`HISTORY_PER_SIDE`] per side.
    pub fn record_check(&mut self, id: i64, check: &RecordedCheck<'_>) -> Result<MailboxRecord> {
        self.record_check_with(id, None, check)
    }

    /// [`Store::record_check`] of an edit's check, with the edited `settings` written in the same
    /// transaction: the settings change only together with the check that approved them.
    pub fn record_checked_settings(
        &mut self,
        id: i64,
        settings: &MailboxSettings,
        check: &RecordedCheck<'_>,
    ) -> Result<MailboxRecord> {
        self.record_check_with(id, Some(settings), check)
    }

    /// Records the checks of several mailboxes in one transaction (see [`Store::record_check`]
    /// for each): checking many mailboxes pays one commit (one fsync) per batch instead of one
    /// per mailbox. A mailbox that is gone or no longer usable gets its own error and the others
    /// are recorded; a failure of the store itself fails them all, and none is recorded.
    pub fn record_checks(&mut self, checks: &[(i64, RecordedCheck<'_>)]) -> Result<Vec<Result<MailboxRecord>>> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut recorded = Vec::with_capacity(checks.len());
        for (id, check) in checks {
            recorded.push(Self::record_in(&tx, *id, None, check)?.map(|()| *id));
        }
        tx.commit()?;
        Ok(recorded.into_iter().map(|r| r.and_then(|id| self.get(id))).collect())
    }

    fn record_check_with(
        &mut self,
        id: i64,
        settings: Option<&MailboxSettings>,
        check: &RecordedCheck<'_>,
    ) -> Result<MailboxRecord> {
        // IMMEDIATE: the write lock is taken before the status is read, so two processes
        // checking the same mailbox cannot both read the old counts.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Self::record_in(&tx, id, settings, check)??;
        tx.commit()?;
        self.get(id)
    }

    /// Writes one mailbox's check inside `tx`. Outer error: the store failed; inner: this
    /// mailbox is gone or no longer usable, and nothing of it was written.
    fn record_in(
        tx: &rusqlite::Transaction<'_>,
        id: i64,
        settings: Option<&MailboxSettings>,
        check: &RecordedCheck<'_>,
    ) -> Result<Result<()>> {
        let before = match query_in(tx, "AND id = ?1", params![id])?.pop() {
            Some(Ok(record)) => record.status,
            Some(Err(NoLongerAccepted { id, why })) => {
                return Ok(Err(EngineError::Store { message: format!("mailbox {id} cannot be used: {why}") }))
            }
            None => return Ok(Err(EngineError::MailboxNotFound { id })),
        };
        let after = (check.update)(&before);
        write_status(tx, id, &after)?;
        if let Some(settings) = settings {
            let json = serde_json::to_string(settings).map_err(|e| EngineError::Store { message: e.to_string() })?;
            tx.execute("UPDATE mailboxes SET settings = ?2 WHERE id = ?1", params![id, json])?;
        }
        if let Some(change) = check.change {
            tx.execute(
                "UPDATE mailboxes SET modified_at = ?2, modified_by = ?3 WHERE id = ?1",
                params![id, change.at, change.by],
            )?;
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO check_history (mailbox_id, at, side, outcome, duration_ms, code) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for row in check.history {
            insert.execute(params![
                id,
                row.at,
                side_name(row.side),
                row.outcome.name(),
                row.duration_ms as i64,
                row.code
            ])?;
        }
        drop(insert);
        for side in ["incoming", "outgoing"] {
            tx.execute(
                "DELETE FROM check_history WHERE mailbox_id = ?1 AND side = ?2 AND id NOT IN (
                     SELECT id FROM check_history WHERE mailbox_id = ?1 AND side = ?2 ORDER BY id DESC LIMIT ?3)",
                params![id, side, HISTORY_PER_SIDE as i64],
            )?;
        }
        Ok(Ok(()))
    }

    /// The recent checks of a mailbox, newest first.
    pub fn history(&self, id: i64) -> Result<Vec<CheckRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, side, outcome, duration_ms, code FROM check_history WHERE mailbox_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            let side: String = r.get(1)?;
            let outcome: String = r.get(2)?;
            Ok(CheckRecord {
                at: r.get(0)?,
                side: if side == "outgoing" { Side::Outgoing } else { Side::Incoming },
                outcome: CheckOutcome::from_name(&outcome),
                duration_ms: r.get::<_, i64>(3)?.max(0) as u64,
                code: stored_code(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Enables or disables a mailbox. Enabling starts its error counts afresh (otherwise the
    /// next error would disable it again at once) and ends any back-off.
    pub fn set_enabled(&mut self, id: i64, enabled: bool, change: &Change) -> Result<MailboxRecord> {
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
    pub fn set_default(&mut self, id: i64, change: &Change) -> Result<MailboxRecord> {
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
    pub fn set_folders(&mut self, id: i64, folders: &[ChosenFolder], change: &Change) -> Result<MailboxRecord> {
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

/// Writes every status field of a mailbox (inside the caller's transaction).
fn write_status(tx: &Transaction<'_>, id: i64, s: &MailboxStatus) -> Result<()> {
    tx.execute(
        "UPDATE mailboxes SET enabled = ?2, last_check_at = ?3, last_success_at = ?4, last_error_code = ?5,
                last_error_title = ?6, last_error_at = ?7, consecutive_errors = ?8, last_outgoing_success_at = ?9,
                last_outgoing_error_code = ?10, last_outgoing_error_title = ?11, last_outgoing_error_at = ?12,
                consecutive_outgoing_errors = ?13, consecutive_temporary_failures = ?14, throttled = ?15,
                next_check_at = ?16, disabled_automatically = ?17
         WHERE id = ?1",
        params![
            id,
            s.enabled,
            s.last_check_at,
            s.last_success_at,
            s.last_error_code,
            s.last_error_title,
            s.last_error_at,
            s.consecutive_errors,
            s.last_outgoing_success_at,
            s.last_outgoing_error_code,
            s.last_outgoing_error_title,
            s.last_outgoing_error_at,
            s.consecutive_outgoing_errors,
            s.consecutive_temporary_failures,
            s.throttled,
            s.next_check_at,
            s.disabled_automatically,
        ],
    )?;
    Ok(())
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Incoming => "incoming",
        Side::Outgoing => "outgoing",
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

/// A diagnosis code is stored as its stable snake_case name (`authentication_failed`), the same
/// text the UI and the CLI's JSON use, so the column stays readable and needs no migration.
impl ToSql for DiagnosisCode {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(self.name())))
    }
}

/// The code in a stored status. A name this version does not know (written by another version)
/// reads as no code rather than making every mailbox unreadable; the title beside it still says
/// what failed.
fn stored_code(text: Option<String>) -> Option<DiagnosisCode> {
    text.and_then(|t| t.parse().ok())
}

#[cfg(unix)]
const PRIVATE_DIR: u32 = 0o700;
const PRIVATE_FILE: u32 = 0o600;

fn store_error(path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Store { message: format!("cannot make {} private: {e}", path.display()) }
}

/// Creates `dir` (and missing parents) readable by its owner only, and tightens it to that if it
/// already exists. For every folder the engine keeps data in (the store, logs).
#[cfg(unix)]
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    // The mode is given at creation, so the folder is never open to others, not even briefly;
    // the umask can only take bits away from 0700.
    std::fs::DirBuilder::new().recursive(true).mode(PRIVATE_DIR).create(dir)?;
    tighten(dir, PRIVATE_DIR)
}

/// Creates `path` empty if it is missing, readable and writable by its owner only, and tightens
/// an existing file to that (its content is kept). For every file the engine writes (the store,
/// logs).
#[cfg(unix)]
pub fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().append(true).create(true).mode(PRIVATE_FILE).open(path)?;
    tighten(path, PRIVATE_FILE)
}

/// Sets exactly `mode` when the permission bits differ.
#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::metadata(path)?.permissions().mode() & 0o777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

/// Elsewhere the app's data folder is inside the user's own profile, which is private already.
#[cfg(not(unix))]
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

#[cfg(not(unix))]
pub fn private_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().append(true).create(true).open(path).map(drop)
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
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
    use std::os::unix::fs::PermissionsExt;

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

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn error_codes_are_stored_by_their_stable_names() {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        let settings: MailboxSettings = serde_json::from_value(serde_json::json!({
            "kind": "imap", "email": "alice@example.test",
            "incoming": {"protocol": "imap", "endpoint": {"host": "imap.example.test", "port": 993, "security": "tls"},
                         "username": null, "auth": "password", "allowPlaintextPassword": false},
            "outgoing": null, "trustedCertificates": []
        }))
        .unwrap();
        let id = store.insert(&settings, &[], "alice@example.test#1", 1).unwrap().id;
        store
            .conn
            .execute(
                "UPDATE mailboxes SET last_error_code = ?1, last_outgoing_error_code = 'a_code_of_a_later_version' WHERE id = ?2",
                params![DiagnosisCode::AuthenticationFailed, id],
            )
            .unwrap();
        let stored: String = store
            .conn
            .query_row("SELECT last_error_code FROM mailboxes WHERE id = ?1", params![id], |r| r.get(0))
            .unwrap();
        assert_eq!(stored, "authentication_failed");
        let status = store.get(id).unwrap().status;
        assert_eq!(status.last_error_code, Some(DiagnosisCode::AuthenticationFailed));
        assert_eq!(status.last_outgoing_error_code, None, "an unknown name reads as no code");
        assert_eq!(DiagnosisCode::ServerTemporaryFailure.name(), "server_temporary_failure");
        assert_eq!("timed_out".parse::<DiagnosisCode>().unwrap(), DiagnosisCode::TimedOut);
    }

    #[test]
    fn private_file_tightens_an_existing_file_and_keeps_its_content() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("inlet.log");
        std::fs::write(&log, b"earlier lines\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        private_file(&log).unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(std::fs::read(&log).unwrap(), b"earlier lines\n");
    }

    #[test]
    fn private_dir_creates_missing_folders_and_tightens_an_existing_one() {
        let tmp = tempfile::tempdir().unwrap();
        let nested = tmp.path().join("a").join("b");
        private_dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        std::fs::set_permissions(&nested, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
    }
}
