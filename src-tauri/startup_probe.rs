//! The start-up probe for `./dev bench --desktop`: with `INLET_STARTUP_PROBE` set, the window is
//! told so (one global in its start-up script) and, once the address step is painted and its field
//! has the focus, calls `startup_painted`, which prints one line to standard output. Without the
//! variable nothing is injected and the window never calls it.

use std::io::Write;
use std::sync::OnceLock;
use std::time::Instant;

/// The variable that turns the probe on.
pub const VARIABLE: &str = "INLET_STARTUP_PROBE";

/// What the bench looks for on the app's standard output.
pub const LINE_PREFIX: &str = "inlet-startup-probe: painted";

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Taken first thing in `run`, so the printed figure covers the shell's own start-up work.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The script the window runs before the UI when the probe is on (None: it is off).
pub fn window_script() -> Option<&'static str> {
    std::env::var_os(VARIABLE).map(|_| "window.__INLET_STARTUP_PROBE__ = true;")
}

/// The address step is painted and ready for typing: say when, counted from the start of `run`
/// (the bench times exec to this line itself). Does nothing when the probe is off.
#[tauri::command]
pub fn startup_painted() {
    if std::env::var_os(VARIABLE).is_none() {
        return;
    }
    let since_run = STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{LINE_PREFIX} {since_run:.1} ms after the shell started");
    let _ = out.flush();
}
