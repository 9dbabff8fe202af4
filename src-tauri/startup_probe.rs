//! The start-up probe for `./dev bench --desktop`: with `INLET_STARTUP_PROBE` set, the window is
//! told so (one global in its start-up script) and, once the address step is painted and its field
//! has the focus, calls `startup_painted`, which prints one line to standard output. Without the
//! variable nothing is injected and the window never calls it.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The variable that turns the probe on.
pub const VARIABLE: &str = "INLET_STARTUP_PROBE";

/// What the bench looks for on the app's standard output.
pub const LINE_PREFIX: &str = "inlet-startup-probe: painted";

static STARTED: OnceLock<Instant> = OnceLock::new();

/// The shell's own phases (name, ms after `run` started), in order.
static SHELL_PHASES: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

/// Taken first thing in `run`, so the printed figure covers the shell's own start-up work.
pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The shell reached `phase` (cheap, and kept only for the probe's line).
pub fn mark(phase: &'static str) {
    let at = STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    SHELL_PHASES.lock().unwrap_or_else(|e| e.into_inner()).push((phase, at));
}

/// The script the window runs before the UI when the probe is on (None: it is off).
pub fn window_script() -> Option<&'static str> {
    // The first mark is the page's first script: everything before it is the shell and WebKit.
    std::env::var_os(VARIABLE).map(|_| "window.__INLET_STARTUP_PROBE__ = true; performance.mark('inlet-page-script');")
}

/// The address step is painted and ready for typing: say when, counted from the start of `run`
/// (the bench times exec to this line itself), with the shell's phases and the page's. Does
/// nothing when the probe is off.
#[tauri::command]
pub fn startup_painted(phases: Vec<(String, f64)>, page_now: f64) {
    if std::env::var_os(VARIABLE).is_none() {
        return;
    }
    let since_run = STARTED.get().map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
    let shell = SHELL_PHASES.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", probe_line(since_run, &shell, &phases, page_now));
    let _ = out.flush();
}

/// The probe's line (read by crates/inlet-bench/src/desktop.rs): "inlet-startup-probe: painted
/// 593.2 ms after the shell started; phases: engine-started=0.4 …". The page's phases are on its
/// own clock (`performance.now()`, which read `page_now` at the call); they are moved onto the
/// shell's, counting from the start of `run`, so the bench can say where start-up goes.
fn probe_line(since_run: f64, shell: &[(&str, f64)], page: &[(String, f64)], page_now: f64) -> String {
    let page = page
        .iter()
        // Names are the page's own marks; anything that could break the line is left out.
        .filter(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(|(name, at)| (name.as_str(), since_run - (page_now - at)));
    let phases: String = shell.iter().copied().chain(page).map(|(name, at)| format!(" {name}={at:.1}")).collect();
    format!("{LINE_PREFIX} {since_run:.1} ms after the shell started; phases:{phases}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_puts_the_pages_phases_on_the_shells_clock() {
        let shell = [("engine-started", 0.4), ("window-created", 142.0)];
        // The page's clock started 300 ms after `run`: at the call it read 293.2, the shell 593.2.
        let page = vec![("mounted".to_owned(), 93.6), ("focused".to_owned(), 293.2)];
        assert_eq!(
            probe_line(593.2, &shell, &page, 293.2),
            "inlet-startup-probe: painted 593.2 ms after the shell started; phases: engine-started=0.4 \
             window-created=142.0 mounted=393.6 focused=593.2"
        );
    }

    #[test]
    fn a_name_that_could_break_the_line_is_left_out() {
        let page = vec![("a b=1".to_owned(), 1.0), (String::new(), 2.0), ("ok".to_owned(), 3.0)];
        assert_eq!(
            probe_line(10.0, &[], &page, 10.0),
            format!("{LINE_PREFIX} 10.0 ms after the shell started; phases: ok=3.0")
        );
    }
}
