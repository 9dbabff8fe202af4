//! The desktop shell: one thin function per IPC command, each converting arguments, calling the
//! engine (crates/inlet-core) and mapping the result. No mailbox logic lives here.

mod commands;

use inlet_core::{Engine, EngineConfig};
use std::sync::Mutex;

/// State shared by the commands: the engine, and the connect in flight so Cancel can stop it.
pub struct AppState {
    engine: Engine,
    running_connect: Mutex<Option<tokio::task::AbortHandle>>,
    running_discovery: Mutex<Option<tokio::task::AbortHandle>>,
}

/// The configuration file: `INLET_CONFIG` names one (tests point it at their servers), else
/// `config.json` in the platform's config directory when present, else defaults.
fn load_config() -> EngineConfig {
    let path = std::env::var_os("INLET_CONFIG").map(std::path::PathBuf::from).or_else(|| {
        let dirs = directories_config_dir()?;
        let candidate = dirs.join("config.json");
        candidate.exists().then_some(candidate)
    });
    match path {
        Some(p) => EngineConfig::from_json_file(&p).unwrap_or_else(|e| {
            eprintln!("inlet: {e}; using defaults");
            EngineConfig::default()
        }),
        None => EngineConfig::default(),
    }
}

fn directories_config_dir() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".config")))?;
    Some(home.join("inlet"))
}

pub fn run() {
    let engine = Engine::new(load_config()).unwrap_or_else(|d| panic!("{}: {}", d.title, d.what_happened));
    tauri::Builder::default()
        .manage(AppState { engine, running_connect: Mutex::new(None), running_discovery: Mutex::new(None) })
        .invoke_handler(tauri::generate_handler![
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
