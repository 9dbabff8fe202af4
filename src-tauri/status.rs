//! The mailbox list's status side: each mailbox's details and checks, enable/disable, default,
//! name and description, the administrator's policy, a saved mailbox's help-desk report, and the
//! checks on a schedule while the window is open (each finished check is sent to the window as a
//! `mailbox-checked` event so the list refreshes live). One engine call per command.

use crate::commands::engine;
use crate::reports::{save_in_downloads, ReportFormat};
use crate::AppState;
use inlet_core::diagnose::Diagnosis;
use inlet_core::health::{CheckAllOptions, MailboxCheck, MailboxDetails};
use inlet_core::policy::PolicySummary;
use inlet_core::progress::NoProgress;
use inlet_core::report::HelpDeskReport;
use inlet_core::schedule::{CheckSchedule, ScheduleEvent, ScheduleOptions};
use inlet_core::store::MailboxRecord;
use std::sync::Mutex;
use tauri::{Emitter, Manager, State};

/// The event the window hears after each scheduled check (its payload is the `MailboxCheck`).
pub const MAILBOX_CHECKED: &str = "mailbox-checked";

#[tauri::command]
pub async fn mailbox_details(state: State<'_, AppState>, id: i64) -> Result<MailboxDetails, Diagnosis> {
    engine(&state)?.mailbox_details(id).await
}

/// "Check now" on one mailbox: signs in and reads its folders' status; recorded like a scheduled check.
#[tauri::command]
pub async fn check_mailbox(state: State<'_, AppState>, id: i64) -> Result<MailboxCheck, Diagnosis> {
    engine(&state)?.check_mailbox(id).await
}

/// "Check all": every enabled mailbox now, whatever its back-off.
#[tauri::command]
pub async fn check_all(state: State<'_, AppState>) -> Result<Vec<MailboxCheck>, Diagnosis> {
    engine(&state)?.check_all(CheckAllOptions::default()).await
}

#[tauri::command]
pub async fn set_mailbox_enabled(
    state: State<'_, AppState>,
    id: i64,
    enabled: bool,
) -> Result<MailboxRecord, Diagnosis> {
    engine(&state)?.set_mailbox_enabled(id, enabled).await
}

#[tauri::command]
pub async fn set_default_mailbox(state: State<'_, AppState>, id: i64) -> Result<MailboxRecord, Diagnosis> {
    engine(&state)?.set_default_mailbox(id).await
}

#[tauri::command]
pub async fn describe_mailbox(
    state: State<'_, AppState>,
    id: i64,
    name: Option<String>,
    description: Option<String>,
) -> Result<MailboxRecord, Diagnosis> {
    engine(&state)?.describe_mailbox(id, name, description).await
}

/// What the administrator's policy lets the user do (the list hides "Add" and says why).
#[tauri::command]
pub fn policy_summary(state: State<'_, AppState>) -> Result<PolicySummary, Diagnosis> {
    engine(&state)?.policy_summary()
}

/// A saved mailbox checked again with its stored credentials, as a help-desk report (never a
/// password or token).
async fn report_of(state: &State<'_, AppState>, id: i64, masked: bool) -> Result<HelpDeskReport, Diagnosis> {
    let report = engine(state)?.mailbox_report(id, &NoProgress).await?.report;
    Ok(if masked { report.masked() } else { report })
}

#[tauri::command]
pub async fn mailbox_report(
    state: State<'_, AppState>,
    id: i64,
    format: ReportFormat,
    masked: bool,
) -> Result<String, Diagnosis> {
    Ok(format.render(&report_of(&state, id, masked).await?))
}

/// Saves that report as a new file in the Downloads folder; answers with its path.
#[tauri::command]
pub async fn save_mailbox_report(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
    format: ReportFormat,
    masked: bool,
) -> Result<String, Diagnosis> {
    save_in_downloads(&app, &report_of(&state, id, masked).await?, format)
}

/// The running schedule, stopped when the app exits.
#[derive(Default)]
pub struct Schedule(Mutex<Option<CheckSchedule>>);

/// Starts the checks on a schedule (when the engine started), each finished check sent to the
/// window.
pub fn start_schedule(app: &tauri::AppHandle) {
    let Ok(engine) = app.state::<AppState>().engine.clone() else {
        return;
    };
    let window = app.clone();
    let on_event = move |event: ScheduleEvent| match event {
        ScheduleEvent::Checked(check) => {
            let _ = window.emit(MAILBOX_CHECKED, &*check);
        }
        ScheduleEvent::RoundFinished { paused: true, .. } => {
            tracing::info!("checks paused: this machine has no network");
        }
        ScheduleEvent::RoundFinished { .. } => {}
        ScheduleEvent::RoundFailed(d) => tracing::warn!("scheduled checks could not run: {d}"),
    };
    // Spawned inside the app's runtime, where it keeps running.
    let schedule =
        tauri::async_runtime::block_on(
            async move { CheckSchedule::start(engine, ScheduleOptions::default(), on_event) },
        );
    *app.state::<Schedule>().0.lock().unwrap_or_else(|e| e.into_inner()) = Some(schedule);
}

/// Stops the schedule (the app is closing).
pub async fn stop_schedule(app: &tauri::AppHandle) {
    let running = app.state::<Schedule>().0.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(schedule) = running {
        schedule.stop().await;
    }
}
