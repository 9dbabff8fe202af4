//! IPC commands. Each is a few lines: call the engine, forward progress over a channel.

use crate::AppState;
use inlet_core::diagnose::Diagnosis;
use inlet_core::discover::{DiscoverRequest, Discovery, DiscoveryEvent};
use inlet_core::progress::ProgressEvent;
use inlet_core::store::MailboxRecord;
use inlet_core::{ConnectReport, ConnectRequest, SaveRequest};
use std::future::Future;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::State;
use tokio::task::AbortHandle;

fn forward(channel: &Channel<ProgressEvent>) -> impl Fn(ProgressEvent) + Send + Sync + '_ {
    move |event| {
        let _ = channel.send(event);
    }
}

/// Runs `work` on a task of its own, kept in `slot` so that a cancel command can stop it; a
/// stopped task answers with the "cancelled" diagnosis.
// The Diagnosis is the commands' error value as it crosses IPC (serialized once per command);
// boxing it would save nothing that matters.
#[allow(clippy::result_large_err)]
async fn cancellable<T: Send + 'static>(
    slot: &Mutex<Option<AbortHandle>>,
    work: impl Future<Output = Result<T, Diagnosis>> + Send + 'static,
) -> Result<T, Diagnosis> {
    let task = tokio::spawn(work);
    *slot.lock().unwrap() = Some(task.abort_handle());
    let result = task.await;
    slot.lock().unwrap().take();
    result.unwrap_or_else(|_| Err(Diagnosis::cancelled()))
}

fn cancel(slot: &Mutex<Option<AbortHandle>>) {
    if let Some(task) = slot.lock().unwrap().take() {
        task.abort();
    }
}

#[tauri::command]
pub async fn connect_mailbox(
    state: State<'_, AppState>,
    request: ConnectRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<ConnectReport, Diagnosis> {
    let engine = state.engine.clone();
    cancellable(&state.running_connect, async move { engine.connect(&request, &forward(&on_progress)).await }).await
}

#[tauri::command]
pub async fn discover_settings(
    state: State<'_, AppState>,
    request: DiscoverRequest,
    on_progress: Channel<DiscoveryEvent>,
) -> Result<Discovery, Diagnosis> {
    let engine = state.engine.clone();
    let sink = move |event| {
        let _ = on_progress.send(event);
    };
    cancellable(&state.running_discovery, async move { engine.discover(&request, &sink).await }).await
}

#[tauri::command]
pub fn cancel_discovery(state: State<'_, AppState>) {
    cancel(&state.running_discovery);
}

#[tauri::command]
pub fn cancel_connect(state: State<'_, AppState>) {
    cancel(&state.running_connect);
}

#[tauri::command]
pub async fn save_mailbox(
    state: State<'_, AppState>,
    request: SaveRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<MailboxRecord, Diagnosis> {
    state.engine.save_mailbox(&request, &forward(&on_progress)).await
}

#[tauri::command]
pub async fn list_mailboxes(state: State<'_, AppState>) -> Result<Vec<MailboxRecord>, Diagnosis> {
    state.engine.list_mailboxes().await
}

#[tauri::command]
pub async fn remove_mailbox(state: State<'_, AppState>, id: i64) -> Result<(), Diagnosis> {
    state.engine.remove_mailbox(id).await
}

#[tauri::command]
pub async fn send_test_message(
    state: State<'_, AppState>,
    request: ConnectRequest,
    on_progress: Channel<ProgressEvent>,
) -> Result<(), Diagnosis> {
    state.engine.send_test_message(&request, &forward(&on_progress)).await
}

#[tauri::command]
pub async fn remove_trusted_certificate(
    state: State<'_, AppState>,
    id: i64,
    host: String,
    port: u16,
) -> Result<MailboxRecord, Diagnosis> {
    state.engine.remove_trusted_certificate(id, &host, port).await
}
