//! IPC commands. Each is a few lines: call the engine, forward progress over a channel.

use crate::reports::ReportKind;
use crate::AppState;
use inlet_core::account::AddressCheck;
use inlet_core::config::ConfigProblem;
use inlet_core::diagnose::Diagnosis;
use inlet_core::discover::{DiscoverRequest, Discovery, DiscoveryEvent};
use inlet_core::i18n::{Language, LanguageSetting};
use inlet_core::oauth::{SignInEvent, SignInMode, SignInOption, SignInRequest};
use inlet_core::progress::ProgressEvent;
use inlet_core::secrets::OAuth2Grant;
use inlet_core::store::MailboxRecord;
use inlet_core::{ConnectReport, ConnectRequest, Engine, SaveRequest};
use tauri::ipc::Channel;
use tauri::State;

fn forward(channel: &Channel<ProgressEvent>) -> impl Fn(ProgressEvent) + Send + Sync + '_ {
    move |event| {
        let _ = channel.send(event);
    }
}

/// The engine, or, when the configuration kept it from starting, a diagnosis saying so (the UI
/// shows the start-up problem instead and calls nothing else; this is for a call that comes anyway).
pub(crate) fn engine<'a>(state: &'a State<'_, AppState>) -> Result<&'a Engine, Diagnosis> {
    state.engine.as_ref().map_err(|problem| Diagnosis::invalid_input("configuration", &problem.to_string()))
}

/// Why the app could not start its engine (a bad configuration file), or None: the window shows
/// it in place of the wizard.
#[tauri::command]
pub fn startup_problem(state: State<'_, AppState>) -> Option<ConfigProblem> {
    state.engine.as_ref().err().cloned()
}

/// The language the window speaks: the user's choice, else the OS's. Without an engine (a bad
/// configuration) there is no saved choice to read: the OS's language.
#[tauri::command]
pub fn language_setting(state: State<'_, AppState>) -> LanguageSetting {
    language_of(&state.engine)
}

/// The language setting of `engine`, or the OS's language when there is no engine.
pub fn language_of(engine: &Result<Engine, ConfigProblem>) -> LanguageSetting {
    match engine {
        Ok(engine) => engine.language_setting(),
        Err(_) => inlet_core::i18n::os_setting(),
    }
}

/// Keeps the user's choice of language (None: follow the system).
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, choice: Option<Language>) -> Result<LanguageSetting, Diagnosis> {
    engine(&state)?.set_language(choice)
}

/// What the engine makes of the address being typed: asked on every keystroke, answers at once
/// (no network), and works even when the configuration kept the engine from starting.
#[tauri::command]
pub fn check_address(email: String) -> AddressCheck {
    inlet_core::account::check_address(&email)
}

#[tauri::command]
pub async fn connect_mailbox(
    state: State<'_, AppState>,
    request: ConnectRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<ConnectReport, Diagnosis> {
    let engine = engine(&state)?.clone();
    // Recorded for the help-desk report (with the trace of the discovery that found these
    // settings), which the error view's Copy report and Save report read.
    let trace = state.reports.trace_for(request.settings.email.as_str());
    state.reports.forget();
    let checked = state
        .running_connects
        .run(async move { Ok(engine.connect_reported(&request, &trace, &forward(&on_progress)).await) })
        .await?;
    state.reports.keep(checked.report);
    checked.outcome
}

#[tauri::command]
pub async fn discover_settings(
    state: State<'_, AppState>,
    request: DiscoverRequest,
    on_progress: Channel<DiscoveryEvent>,
) -> Result<Discovery, Diagnosis> {
    let engine = engine(&state)?.clone();
    let sink = move |event| {
        let _ = on_progress.send(event);
    };
    // A discovery that finds no settings (or fails) leaves its report for the error view.
    state.reports.replace(ReportKind::Discovery, None);
    let reported =
        state.running_discoveries.run(async move { Ok(engine.discover_reported(&request, &sink).await) }).await?;
    state.reports.replace(ReportKind::Discovery, reported.report);
    let discovery = reported.outcome?;
    state.reports.discovered(&discovery.email, discovery.trace.clone());
    Ok(discovery)
}

#[tauri::command]
pub fn cancel_discovery(state: State<'_, AppState>) {
    state.running_discoveries.cancel();
}

#[tauri::command]
pub fn cancel_connect(state: State<'_, AppState>) {
    state.running_connects.cancel();
}

#[tauri::command]
pub async fn save_mailbox(
    state: State<'_, AppState>,
    request: SaveRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<MailboxRecord, Diagnosis> {
    let saved = engine(&state)?.save_reported(&request, &forward(&on_progress)).await;
    state.reports.replace(ReportKind::Save, saved.report);
    saved.outcome
}

#[tauri::command]
pub async fn list_mailboxes(state: State<'_, AppState>) -> Result<Vec<MailboxRecord>, Diagnosis> {
    engine(&state)?.list_mailboxes().await
}

/// Removes a mailbox and its keychain entries; its history is kept, marked removed, unless `erase`.
#[tauri::command]
pub async fn remove_mailbox(state: State<'_, AppState>, id: i64, erase: bool) -> Result<(), Diagnosis> {
    engine(&state)?.remove_mailbox_with(id, erase).await
}

#[tauri::command]
pub async fn send_test_message(
    state: State<'_, AppState>,
    request: ConnectRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<(), Diagnosis> {
    let sent = engine(&state)?.send_test_message_reported(&request, &forward(&on_progress)).await;
    state.reports.replace(ReportKind::TestMessage, sent.report);
    sent.outcome
}

#[tauri::command]
pub async fn remove_trusted_certificate(
    state: State<'_, AppState>,
    id: i64,
    host: String,
    port: u16,
) -> Result<MailboxRecord, Diagnosis> {
    engine(&state)?.remove_trusted_certificate(id, &host, port).await
}

/// The "Sign in with Google / Microsoft" buttons: which can work here, and for the others what an
/// administrator must set. Empty when the engine did not start (the window shows why instead).
#[tauri::command]
pub fn sign_in_options(state: State<'_, AppState>) -> Vec<SignInOption> {
    state.engine.as_ref().map(Engine::sign_in_options).unwrap_or_default()
}

/// Browser (or device code) sign-in: the page to open or the code to type come over the channel;
/// the answer is the grant, which names the keychain entry of the refresh token and holds no token.
#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    request: SignInRequest,
    on_event: Channel<SignInEvent>,
) -> Result<OAuth2Grant, Diagnosis> {
    let sink = move |event| {
        let _ = on_event.send(event);
    };
    let signed_in = engine(&state)?.sign_in_reported(&request, &sink).await;
    state.reports.replace(ReportKind::SignIn, Some(signed_in.report));
    signed_in.outcome
}

/// A saved mailbox that signs in with its provider signs in again in the browser (its grant
/// revoked or expired): checked with the new sign-in, every setting kept; on failure it stays as
/// it was.
#[tauri::command]
pub async fn reconnect_with_sign_in(
    state: State<'_, AppState>,
    id: i64,
    on_event: Channel<SignInEvent>,
) -> Result<MailboxRecord, Diagnosis> {
    let sink = move |event| {
        let _ = on_event.send(event);
    };
    let reported = engine(&state)?.reconnect_with_sign_in_reported(id, SignInMode::Browser, &sink).await;
    crate::actions::kept(&state, reported)
}

/// Stops the sign-in in flight; it then answers with the "cancelled" diagnosis. The engine stops
/// it itself (its loopback listener and polling end cleanly), so no task is aborted here.
#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) {
    if let Ok(engine) = &state.engine {
        engine.cancel_sign_in();
    }
}
