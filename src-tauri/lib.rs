//! The desktop shell: one thin function per IPC command, each converting arguments, calling the
//! engine (crates/inlet-core) and mapping the result. No mailbox logic lives here.

// Diagnosis is the commands' error value as it crosses IPC (serialized once per command); boxing
// it would save nothing that matters.
#![allow(clippy::result_large_err)]

mod commands;
mod running;

use inlet_core::config::{ConfigLookup, ConfigProblem};
use inlet_core::Engine;
use running::Running;

/// State shared by the commands: the engine (or why there is none: the window then shows the
/// start-up problem), and the connects and discoveries in flight so Cancel can stop them.
pub struct AppState {
    engine: Result<Engine, ConfigProblem>,
    running_connects: Running,
    running_discoveries: Running,
}

/// The engine for the configuration file (see `inlet_core::config::ConfigLookup`: INLET_CONFIG,
/// else the platform's config.json, else defaults), or the problem that keeps it from starting.
fn start_engine() -> Result<Engine, ConfigProblem> {
    let lookup = ConfigLookup::from_environment(None);
    let config = lookup.load()?;
    // The loader already checked what usually goes wrong (the JSON, the CA files); anything the
    // engine still refuses is shown the same way.
    Engine::new(config).map_err(|d| ConfigProblem {
        path: lookup.file().map_or_else(|| "(none: the default settings)".to_owned(), |p| p.display().to_string()),
        what_happened: d.what_happened,
        what_to_do: d.what_to_do,
    })
}

pub fn run() {
    let engine = start_engine();
    if let Err(problem) = &engine {
        // The window says it too; this is for whoever started the app from a terminal.
        eprintln!("inlet: {problem}");
    }
    tauri::Builder::default()
        .manage(AppState { engine, running_connects: Running::default(), running_discoveries: Running::default() })
        .invoke_handler(tauri::generate_handler![
            commands::startup_problem,
            commands::discover_settings,
            commands::cancel_discovery,
            commands::connect_mailbox,
            commands::cancel_connect,
            commands::save_mailbox,
            commands::list_mailboxes,
            commands::remove_mailbox,
            commands::send_test_message,
            commands::remove_trusted_certificate,
        ])
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Inlet");
}
