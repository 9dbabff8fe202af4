//! The store's schema: every version of it, in order.

/// Schema versions, applied in order; `PRAGMA user_version` says how many ran.
pub(super) const MIGRATIONS: &[&str] = &[
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
