//! Checks recorded for a mailbox: the status fields and the bounded check history.

use super::{query_in, MailboxRecord, MailboxStatus, NoLongerAccepted, RecordedCheck, Store, HISTORY_PER_SIDE};
use crate::account::MailboxSettings;
use crate::diagnose::DiagnosisCode;
use crate::error::{EngineError, Result};
use crate::health::{CheckOutcome, CheckRecord};
use crate::progress::Side;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, ToSql, Transaction};

impl Store {
    /// Records a check (or an action's check) in one transaction: the history rows, the status
    /// computed from the stored one, and the history trimmed to [`HISTORY_PER_SIDE`] per side.
    pub fn record_check(&mut self, id: i64, check: &RecordedCheck<'_>) -> Result<MailboxRecord> {
        self.record_check_with(id, None, check)
    }

    /// [`Store::record_check`] of an edit's check, with the edited `settings` written in the same
    /// transaction: the settings change only together with the check that approved them.
    pub(crate) fn record_checked_settings(
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
}

/// Writes every status field of a mailbox (inside the caller's transaction).
pub(super) fn write_status(tx: &Transaction<'_>, id: i64, s: &MailboxStatus) -> Result<()> {
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
pub(super) fn stored_code(text: Option<String>) -> Option<DiagnosisCode> {
    text.and_then(|t| t.parse().ok())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

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
}
