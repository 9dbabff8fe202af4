//! The help-desk reports of the wizard's last connect, discovery, sign-in and save, kept for the
//! error views' "Copy report" and "Save report", and the provider's help page opened in the
//! system browser.

use crate::AppState;
use inlet_core::diagnose::Diagnosis;
use inlet_core::discover::trace::TraceStep;
use inlet_core::error::EngineError;
use inlet_core::report::HelpDeskReport;
use serde::Deserialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{Manager, State};

/// Which error view asks for its report: each keeps the last report of its own kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The check of the servers (the connect step); what a call without a kind means.
    #[default]
    Connect,
    /// A discovery that found no settings, or failed.
    Discovery,
    /// A sign-in with the provider (browser or device code).
    SignIn,
    /// Saving the mailbox (the keychain, the list of mailboxes).
    Save,
    /// "Send me a test message" after saving.
    TestMessage,
    /// An action on a saved mailbox that failed (update the password, reconnect, sign in again,
    /// load or choose folders, change the settings).
    MailboxAction,
}

const KINDS: usize = 6;

impl ReportKind {
    fn slot(self) -> usize {
        match self {
            ReportKind::Connect => 0,
            ReportKind::Discovery => 1,
            ReportKind::SignIn => 2,
            ReportKind::Save => 3,
            ReportKind::TestMessage => 4,
            ReportKind::MailboxAction => 5,
        }
    }

    /// What the view would have to do first, when there is no report yet.
    fn missing(self) -> &'static str {
        match self {
            ReportKind::Connect => "there is no connection to report on yet: connect first",
            ReportKind::Discovery => "there is no failed discovery to report on",
            ReportKind::SignIn => "there is no sign-in to report on yet",
            ReportKind::Save => "there is no failed save to report on",
            ReportKind::TestMessage => "there is no test message that failed to report on",
            ReportKind::MailboxAction => "there is no failed change of a mailbox to report on",
        }
    }
}

/// What the error views' report buttons read: the last report of each kind, and the trace of
/// the last discovery (the report of a connect to the settings it found includes it).
#[derive(Default)]
pub struct Reports {
    last: Mutex<[Option<HelpDeskReport>; KINDS]>,
    discovery: Mutex<Option<(String, Vec<TraceStep>)>>,
}

impl Reports {
    /// Keeps the trace of a discovery for `email`.
    pub fn discovered(&self, email: &str, trace: Vec<TraceStep>) {
        *self.discovery.lock().unwrap_or_else(|e| e.into_inner()) = Some((email.trim().to_lowercase(), trace));
    }

    /// The trace of the last discovery, when it was for `email`.
    pub fn trace_for(&self, email: &str) -> Vec<TraceStep> {
        match &*self.discovery.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((found_for, trace)) if *found_for == email.trim().to_lowercase() => trace.clone(),
            _ => Vec::new(),
        }
    }

    /// A new connect starts: until it ends, there is no report (a cancelled one leaves none).
    pub fn forget(&self) {
        self.replace(ReportKind::Connect, None);
    }

    pub fn keep(&self, report: HelpDeskReport) {
        self.replace(ReportKind::Connect, Some(report));
    }

    /// The report of `kind` from now on (None: there is none, e.g. while a new one runs).
    pub fn replace(&self, kind: ReportKind, report: Option<HelpDeskReport>) {
        self.last.lock().unwrap_or_else(|e| e.into_inner())[kind.slot()] = report;
    }

    fn last(&self, kind: ReportKind, masked: bool) -> Result<HelpDeskReport, Diagnosis> {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let report = last[kind.slot()].as_ref().ok_or_else(|| no_report(kind))?;
        Ok(if masked { report.masked() } else { report.clone() })
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Markdown,
    Json,
}

impl ReportFormat {
    pub(crate) fn render(self, report: &HelpDeskReport) -> String {
        match self {
            ReportFormat::Markdown => report.to_markdown(),
            ReportFormat::Json => report.to_json(),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Markdown => "md",
            ReportFormat::Json => "json",
        }
    }
}

fn no_report(kind: ReportKind) -> Diagnosis {
    Diagnosis::invalid_input("report", kind.missing())
}

/// The report of the wizard's last connect (or of the last discovery, sign-in or save, by
/// `kind`), in Markdown (to paste into a ticket) or JSON; with the address and host names masked
/// when asked. Never a password or token (the engine removes every form of them when it builds
/// the report).
#[tauri::command]
pub fn last_report(
    state: State<'_, AppState>,
    format: ReportFormat,
    masked: bool,
    kind: Option<ReportKind>,
) -> Result<String, Diagnosis> {
    Ok(format.render(&state.reports.last(kind.unwrap_or_default(), masked)?))
}

/// Saves the last report of `kind` (the connect's when none is given) as a new file in the user's Downloads folder (else Documents,
/// else the home folder) and answers with its path, for the view to say where it went. Inlet has
/// no save dialog (no dialog plugin): the folder a browser's downloads go to is where a person
/// looks for a file they just saved.
#[tauri::command]
pub fn save_report(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    format: ReportFormat,
    masked: bool,
    kind: Option<ReportKind>,
) -> Result<String, Diagnosis> {
    save_in_downloads(&app, &state.reports.last(kind.unwrap_or_default(), masked)?, format)
}

/// Writes `report` as a new file in the Downloads folder (else Documents, else home) and answers
/// with its path; also the details view's report of a saved mailbox.
pub(crate) fn save_in_downloads(
    app: &tauri::AppHandle,
    report: &HelpDeskReport,
    format: ReportFormat,
) -> Result<String, Diagnosis> {
    let paths = app.path();
    let dir = paths
        .download_dir()
        .or_else(|_| paths.document_dir())
        .or_else(|_| paths.home_dir())
        .map_err(|e| write_failed(Path::new("your Downloads folder"), &e.to_string()))?;
    let stem = format!("inlet-report-{}", file_time(&report.created_at));
    let path = write_new(&dir, &stem, format.extension(), format.render(report).as_bytes())?;
    Ok(path.display().to_string())
}

/// `20250102-030405` from the report's RFC 3339 time.
fn file_time(created_at: &str) -> String {
    let digits: String = created_at.chars().take(19).filter(char::is_ascii_digit).collect();
    if digits.len() == 14 {
        format!("{}-{}", &digits[..8], &digits[8..])
    } else {
        "now".to_owned()
    }
}

/// Writes `bytes` to a file of `dir` that did not exist before (`stem.ext`, else `stem-2.ext`…),
/// so a report saved twice in a second never replaces another file.
fn write_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf, Diagnosis> {
    for n in 1..100 {
        let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem}-{n}.{ext}") };
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                return file.write_all(bytes).map(|()| path.clone()).map_err(|e| write_failed(&path, &e.to_string()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(write_failed(&path, &e.to_string())),
        }
    }
    Err(write_failed(dir, "too many reports of the same second"))
}

fn write_failed(path: &Path, message: &str) -> Diagnosis {
    let mut d = Diagnosis::of(&EngineError::Store { message: format!("{}: {message}", path.display()) }, None);
    d.title = "Inlet could not save the report".into();
    d.what_happened = format!("Writing the report to {} failed.", path.display());
    d.advise("Use Copy report instead and paste it into your message to the help desk.");
    d.stage = None;
    d
}

/// Opens a provider's page (a diagnosis's help link, the instructions' "turn on IMAP here") in
/// the system browser, never in the app's window: the configured browser command, else the
/// system's. Only http and https pages (the engine's `web_link` decides). Whether a browser
/// started.
#[tauri::command]
pub async fn open_help_page(state: State<'_, AppState>, url: String) -> Result<bool, Diagnosis> {
    let engine = state.engine.as_ref().map_err(|p| Diagnosis::invalid_input("configuration", &p.to_string()))?;
    let Some(link) = inlet_core::oauth::web_link(&url) else {
        return Err(Diagnosis::invalid_input("url", "only http and https pages are opened"));
    };
    let browser = inlet_core::oauth::Browser { command: engine.config().browser_command.clone() };
    Ok(browser.open(link.as_str()).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_files_are_named_by_their_time() {
        assert_eq!(file_time("2025-01-02T03:04:05.678Z"), "20250102-030405");
        assert_eq!(file_time("garbage"), "now");
    }

    #[test]
    fn a_second_report_of_the_same_second_gets_a_file_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_new(dir.path(), "inlet-report-x", "md", b"one").unwrap();
        let second = write_new(dir.path(), "inlet-report-x", "md", b"two").unwrap();
        assert_eq!(first.file_name().unwrap(), "inlet-report-x.md");
        assert_eq!(second.file_name().unwrap(), "inlet-report-x-2.md");
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&second).unwrap(), b"two");
    }

    #[test]
    fn each_error_view_reads_the_report_of_its_own_kind() {
        let reports = Reports::default();
        let report = |address: &str| inlet_core::report::HelpDeskReport::of_discovery(address, &[], None, &[]);
        reports.keep(report("connect@example.com"));
        reports.replace(ReportKind::SignIn, Some(report("sign-in@example.com")));
        assert_eq!(reports.last(ReportKind::Connect, false).unwrap().address, "connect@example.com");
        assert_eq!(reports.last(ReportKind::SignIn, false).unwrap().address, "sign-in@example.com");
        assert!(reports.last(ReportKind::Discovery, false).is_err(), "no discovery failed yet");
        reports.forget();
        assert!(reports.last(ReportKind::Connect, false).is_err());
        assert!(reports.last(ReportKind::SignIn, false).is_ok(), "a new connect keeps the sign-in's report");
        // What the front end sends: no kind is the connect's.
        let kind: Option<ReportKind> = serde_json::from_str("\"sign_in\"").unwrap();
        assert_eq!(kind, Some(ReportKind::SignIn));
        let kind: Option<ReportKind> = serde_json::from_str("\"mailbox_action\"").unwrap();
        assert_eq!(kind, Some(ReportKind::MailboxAction));
    }

    #[test]
    fn the_trace_goes_with_the_address_it_was_found_for() {
        let reports = Reports::default();
        let step = TraceStep {
            source: "dns".into(),
            query: "SRV _imaps._tcp.example.com".into(),
            elapsed_ms: 3,
            status: inlet_core::discover::trace::StepStatus::Found,
            outcome: "imap.example.com:993".into(),
        };
        reports.discovered("Alice@Example.com ", vec![step.clone()]);
        assert_eq!(reports.trace_for("alice@example.com"), vec![step]);
        assert!(reports.trace_for("bob@example.com").is_empty());
    }
}
