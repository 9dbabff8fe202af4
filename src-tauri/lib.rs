//! The desktop shell: one thin function per IPC command, each converting arguments, calling the
//! engine (crates/inlet-core) and mapping the result. No mailbox logic lives here.

// Diagnosis is the commands' error value as it crosses IPC (serialized once per command); boxing
// it would save nothing that matters.
#![allow(clippy::result_large_err)]

mod actions;
mod commands;
mod reports;
mod running;
mod startup_probe;
mod status;
mod webview;

use inlet_core::config::{ConfigLookup, ConfigProblem};
use inlet_core::logging::LogSettings;
use inlet_core::Engine;
use reports::Reports;
use running::Running;
use tauri::Manager;

/// State shared by the commands: the engine (or why there is none: the window then shows the
/// start-up problem), and the connects and discoveries in flight so Cancel can stop them.
pub struct AppState {
    engine: Result<Engine, ConfigProblem>,
    running_connects: Running,
    running_discoveries: Running,
    /// The last connect's help-desk report, for the error view's Copy report and Save report.
    reports: Reports,
}

/// The engine for the configuration file (see `inlet_core::config::ConfigLookup`: INLET_CONFIG,
/// else the platform's config.json, else defaults), or the problem that keeps it from starting.
fn start_engine() -> Result<Engine, ConfigProblem> {
    // The OS's language until the engine reads the user's choice from its data folder (which the
    // configuration names): a broken configuration is reported in it.
    inlet_core::i18n::set_language(inlet_core::i18n::os_language());
    let lookup = ConfigLookup::from_environment(None);
    let config = lookup.load()?;
    start_log(&config.resolved_data_dir());
    // The loader already checked what usually goes wrong (the JSON, the CA files); anything the
    // engine still refuses is shown the same way.
    Engine::new(config).map_err(|d| ConfigProblem {
        path: lookup.file().map_or_else(|| inlet_core::tr!("cfg-no-file"), |p| p.display().to_string()),
        what_happened: d.what_happened,
        what_to_do: d.what_to_do,
    })
}

/// The technician's log: each use case and network step, in a rotating private file under the
/// data directory (`INLET_LOG=2` for everything Inlet logs). A log that cannot be written is no
/// reason not to start.
fn start_log(data_dir: &std::path::Path) {
    let verbosity = std::env::var("INLET_LOG").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let settings = LogSettings { verbosity, directory: Some(data_dir.join("logs")), stderr: false };
    if let Err(e) = inlet_core::logging::init(&settings) {
        eprintln!("inlet: no log file: {e}");
    }
}

/// How long closing the window waits for the keychain to finish undoing a late write (see
/// `Engine::settle_keychain`), so no password outlives a mailbox that was never saved.
const SETTLE_KEYCHAIN: std::time::Duration = std::time::Duration::from_secs(5);

pub fn run() {
    startup_probe::mark_start();
    webview::set_start_up_environment();
    let engine = start_engine();
    startup_probe::mark("engine-started");
    if let Err(problem) = &engine {
        // The window says it too; this is for whoever started the app from a terminal.
        eprintln!("inlet: {problem}");
    }
    // The page learns its language and the start-up problem (fixed for the process's life) before
    // its first script runs: no round trip to the shell, whose main thread is busy drawing the
    // window then. The page asks for the language again once it is shown, in case it was reloaded
    // after the user chose another.
    let start = serde_json::json!({
        "language": commands::language_of(&engine),
        "startupProblem": engine.as_ref().err(),
    });
    let mut page_script = format!("window.__INLET_START__ = {start};");
    if let Some(script) = startup_probe::window_script() {
        page_script.push_str(script);
    }
    tauri::Builder::default()
        .append_invoke_initialization_script(page_script)
        .manage(AppState {
            engine,
            running_connects: Running::default(),
            running_discoveries: Running::default(),
            reports: Reports::default(),
        })
        .manage(status::Schedule::default())
        .setup(|app| {
            startup_probe::mark("window-created");
            if let Some(window) = app.get_webview_window("main") {
                webview::tune(&window);
            }
            // The window and its web process exist: GTK and WebKit have read their settings.
            webview::forget_start_up_settings();
            status::start_schedule(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup_problem,
            commands::language_setting,
            commands::set_language,
            commands::check_address,
            commands::discover_settings,
            commands::cancel_discovery,
            commands::connect_mailbox,
            commands::cancel_connect,
            commands::save_mailbox,
            commands::list_mailboxes,
            commands::remove_mailbox,
            commands::send_test_message,
            commands::remove_trusted_certificate,
            commands::sign_in_options,
            commands::sign_in,
            commands::cancel_sign_in,
            commands::reconnect_with_sign_in,
            reports::last_report,
            reports::save_report,
            reports::open_help_page,
            actions::update_password,
            actions::reconnect_mailbox,
            actions::load_mailbox_folders,
            actions::set_mailbox_folders,
            actions::edit_mailbox_settings,
            status::mailbox_details,
            status::check_mailbox,
            status::check_all,
            status::set_mailbox_enabled,
            status::set_default_mailbox,
            status::describe_mailbox,
            status::policy_summary,
            status::mailbox_report,
            status::save_mailbox_report,
            startup_probe::startup_painted,
        ])
        .build(tauri::generate_context!("tauri.conf.json"))
        .expect("error while building Inlet")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                tauri::async_runtime::block_on(status::stop_schedule(app));
                if let Ok(engine) = &app.state::<AppState>().engine {
                    tauri::async_runtime::block_on(async {
                        let _ = tokio::time::timeout(SETTLE_KEYCHAIN, engine.settle_keychain()).await;
                    });
                }
            }
        });
}
