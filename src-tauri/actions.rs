//! IPC commands that act on a saved mailbox (update its password, reconnect, change its folders
//! or its servers, remove it): one engine call each. Every one checks against the server before
//! it changes anything, and a failure leaves the mailbox as it was (see inlet_core::health and
//! inlet_core::mailbox_edit). The report of a failure is kept for the Manage panel's "Copy
//! report" and "Save report" (`ReportKind::MailboxAction`); a new action forgets the last one.

use crate::commands::engine;
use crate::reports::ReportKind;
use crate::AppState;
use inlet_core::diagnose::Diagnosis;
use inlet_core::folders::FolderTree;
use inlet_core::mailbox_edit::SettingsEdit;
use inlet_core::progress::NoProgress;
use inlet_core::report::ReportedAction;
use inlet_core::secrets::Secret;
use inlet_core::store::MailboxRecord;
use tauri::State;

/// Checks the new password against the server, then keeps it in the keychain in place of the old
/// one. It arrives like connect's password (a `Secret`: never logged, never serialized back).
#[tauri::command]
pub async fn update_password(
    state: State<'_, AppState>,
    id: i64,
    password: Secret,
) -> Result<MailboxRecord, Diagnosis> {
    kept(&state, engine(&state)?.update_password_reported(id, password, &NoProgress).await)
}

/// Signs in again with the stored settings and password; every setting stays.
#[tauri::command]
pub async fn reconnect_mailbox(state: State<'_, AppState>, id: i64) -> Result<MailboxRecord, Diagnosis> {
    kept(&state, engine(&state)?.reconnect_mailbox_reported(id, &NoProgress).await)
}

/// The server's current folders ("Load folders"); nothing is stored.
#[tauri::command]
pub async fn load_mailbox_folders(state: State<'_, AppState>, id: i64) -> Result<FolderTree, Diagnosis> {
    kept(&state, engine(&state)?.load_mailbox_folders_reported(id, &NoProgress).await)
}

/// Saves a new folder selection (raw names), each checked against the server's list.
#[tauri::command]
pub async fn set_mailbox_folders(
    state: State<'_, AppState>,
    id: i64,
    folders: Vec<String>,
) -> Result<MailboxRecord, Diagnosis> {
    kept(&state, engine(&state)?.set_mailbox_folders_reported(id, &folders, &NoProgress).await)
}

/// Changes the servers' host, port, security or username, checked before it is saved.
#[tauri::command]
pub async fn edit_mailbox_settings(
    state: State<'_, AppState>,
    id: i64,
    edit: SettingsEdit,
) -> Result<MailboxRecord, Diagnosis> {
    kept(&state, engine(&state)?.edit_mailbox_settings_reported(id, &edit, &NoProgress).await)
}

/// The action's outcome, its report (or none, when it succeeded) kept for the Manage panel.
pub(crate) fn kept<T>(state: &AppState, reported: ReportedAction<T>) -> Result<T, Diagnosis> {
    state.reports.replace(ReportKind::MailboxAction, reported.report);
    reported.outcome
}
