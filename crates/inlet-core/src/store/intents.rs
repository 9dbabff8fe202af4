//! Keychain changes in progress (intents): what a save or a removal records before it touches
//! the keychain, so the next run can finish or undo it should the process die (see recovery.rs).

use super::{Change, ChosenFolder, MailboxRecord, Store, MARK_REMOVED};
use crate::account::MailboxSettings;
use crate::error::{EngineError, Result};
use crate::secrets::OAuth2Grant;
use rusqlite::{params, OptionalExtension};

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

impl Store {
    /// Records a keychain change about to start (committed before the keychain is touched).
    pub(crate) fn begin_intent(
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
    pub(crate) fn end_intent(&mut self, intent: i64) -> Result<()> {
        self.conn.execute("DELETE FROM keychain_intents WHERE id = ?1", params![intent])?;
        Ok(())
    }

    /// [`Store::insert_with_grant`], ending the save's intent in the same transaction.
    pub(crate) fn insert_ending_intent(
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
    pub(crate) fn remove_ending_intent(&mut self, id: i64, erase: bool, change: &Change, intent: i64) -> Result<()> {
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
    pub(crate) fn intent_open(&self, intent: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM keychain_intents WHERE id = ?1", params![intent], |_| Ok(()))
            .optional()?
            .is_some())
    }
}
