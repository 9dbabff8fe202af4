//! Logs a help-desk technician can read: one span per use case (host, port, masked address,
//! duration, outcome) and one event per network step (stage, target, elapsed time). Never a
//! secret, never a whole address.
//!
//! Libraries are the risk: lettre, rustls, hickory, reqwest, hyper, zbus and keyring have their own
//! debug output, which Inlet does not control (a protocol library's trace may quote the commands it
//! sends, a password among them). So only Inlet's own targets follow the verbosity; every other
//! target is capped at warn, whatever the verbosity, and the `log` crate is bridged with the same
//! cap (records below it are not even formatted).

use crate::diagnose::Diagnosis;
use crate::discover::{DiscoveryEvent, DiscoverySink};
use crate::progress::{AttemptNote, ProgressEvent, ProgressSink, Side, StageState};
use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

/// The targets that follow the verbosity: the engine, the CLI and the desktop shell. Everything
/// else stays at warn.
const OWN_TARGETS: &[&str] = &["inlet_core", "inlet_cli", "inlet_app", "inlet"];

/// Each log file is rotated when it passes this size, and this many files are kept (the current
/// one included), so the logs never take more than about 5 MiB.
const LOG_FILE_LIMIT: u64 = 1024 * 1024;
const LOG_FILES_KEPT: usize = 5;
const LOG_FILE_NAME: &str = "inlet.log";

/// How logging is set up, once per process.
#[derive(Debug, Clone, Default)]
pub struct LogSettings {
    /// 0: warnings only; 1 (`-v`): each use case and network step; 2 (`-vv`): everything Inlet
    /// logs. Libraries stay at warnings in every case.
    pub verbosity: u8,
    /// Where the rotating log file goes (usually `logs/` under the app's data directory); none
    /// for no file.
    pub directory: Option<PathBuf>,
    /// Also write to standard error (the CLI does; the desktop app has nobody reading it).
    pub stderr: bool,
}

/// Installs the global subscriber. Call it once, before the engine does anything; the desktop
/// shell and the CLI both do. Fails when the log folder cannot be made private or the file
/// cannot be opened, or when a subscriber is already installed.
pub fn init(settings: &LogSettings) -> io::Result<()> {
    let own_level = match settings.verbosity {
        0 => LevelFilter::WARN,
        1 => LevelFilter::INFO,
        _ => LevelFilter::TRACE,
    };
    let filter =
        Targets::new().with_default(LevelFilter::WARN).with_targets(OWN_TARGETS.iter().map(|t| (*t, own_level)));
    // The file always has the use cases and their outcome, even without -v: it is what a
    // technician asks for after the fact.
    let file_filter = Targets::new()
        .with_default(LevelFilter::WARN)
        .with_targets(OWN_TARGETS.iter().map(|t| (*t, own_level.max(LevelFilter::INFO))));

    let file_layer = match &settings.directory {
        Some(dir) => Some(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(Mutex::new(RotatingFile::open(dir)?))
                .with_filter(file_filter),
        ),
        None => None,
    };
    let stderr_layer = settings.stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(io::stderr)
            .with_ansi(io::stderr().is_terminal())
            .with_filter(filter)
    });
    let subscriber = tracing_subscriber::registry().with(file_layer).with(stderr_layer);
    tracing::subscriber::set_global_default(subscriber).map_err(io::Error::other)?;
    // Libraries that use the `log` crate (rustls, reqwest, keyring): warnings and errors only.
    // An application that already installed a `log` logger keeps it.
    let _ = tracing_log::LogTracer::builder().with_max_level(tracing_log::log::LevelFilter::Warn).init();
    Ok(())
}

/// The log file path inside a log directory, for the app to show ("send us this file").
pub fn log_file(directory: &Path) -> PathBuf {
    directory.join(LOG_FILE_NAME)
}

/// A size-bounded rotating log file, created 0600 in a 0700 folder. Written by hand because
/// tracing-appender rotates by date only and sets no file mode, and file-rotate panics when its
/// folder disappears under it; this one reports an I/O error instead.
struct RotatingFile {
    path: PathBuf,
    file: File,
    written: u64,
}

impl RotatingFile {
    fn open(directory: &Path) -> io::Result<RotatingFile> {
        make_private_dir(directory)?;
        let path = log_file(directory);
        let file = open_private(&path)?;
        let written = file.metadata()?.len();
        Ok(RotatingFile { path, file, written })
    }

    /// inlet.log → inlet.log.1 → … → inlet.log.(KEPT-1), the oldest dropped.
    fn rotate(&mut self) -> io::Result<()> {
        let numbered = |n: usize| self.path.with_file_name(format!("{LOG_FILE_NAME}.{n}"));
        let _ = std::fs::remove_file(numbered(LOG_FILES_KEPT - 1));
        for n in (1..LOG_FILES_KEPT - 1).rev() {
            let _ = std::fs::rename(numbered(n), numbered(n + 1));
        }
        std::fs::rename(&self.path, numbered(1))?;
        self.file = open_private(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written > 0 && self.written + buf.len() as u64 > LOG_FILE_LIMIT {
            self.rotate()?;
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    // An existing folder (made by an older version, or by hand) is made private too.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn make_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        // `mode` only applies when the file is created; an existing one is tightened as well.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// An address as logs show it: the first character of the local part, then the domain
/// (`a…@example.com`), enough to tell two mailboxes apart without naming anyone.
pub(crate) fn mask_address(address: &str) -> String {
    let address = address.trim();
    match crate::address::split(address) {
        Some((local, domain)) => format!("{}@{domain}", mask_name(local)),
        None => mask_name(address),
    }
}

fn mask_name(name: &str) -> String {
    match name.chars().next() {
        Some(first) => format!("{first}…"),
        None => String::new(),
    }
}

/// `text` with every occurrence of `address` (any case) masked, and its local part too where it
/// stands as a word of its own (a login name: "signed in as alice").
pub(crate) fn mask_in(text: &str, address: &str) -> String {
    let address = address.trim();
    if address.is_empty() {
        return text.to_owned();
    }
    let masked = replace_words(text, address, &mask_address(address));
    // Autoconfig URLs carry the address percent-encoded (?emailaddress=alice%40example.com).
    let masked = replace_words(&masked, &address.replace('@', "%40"), &mask_address(address).replace('@', "%40"));
    match crate::address::split(address) {
        Some((local, _)) if !local.is_empty() => replace_words(&masked, local, &mask_name(local)),
        _ => masked,
    }
}

/// Replaces `word` (ASCII case-insensitive) where neither neighbour continues a name.
fn replace_words(text: &str, word: &str, with: &str) -> String {
    let continues_name = |c: char| c.is_alphanumeric() || "._-+@".contains(c);
    // ASCII lower-casing keeps every byte offset, so positions found in the copy hold in `text`.
    let (haystack, needle) = (text.to_ascii_lowercase(), word.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = haystack[from..].find(&needle) {
        let (start, end) = (from + found, from + found + needle.len());
        let before = text[..start].chars().next_back();
        // A full stop ends a sentence unless a name goes on after it ("alice.smith").
        let mut after = text[end..].chars();
        let after = match after.next() {
            Some('.') => after.next().filter(|c| c.is_alphanumeric()),
            other => other,
        };
        if before.is_some_and(continues_name) || after.is_some_and(continues_name) {
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.push_str(&text[rest..start]);
        out.push_str(with);
        rest = end;
        from = end;
    }
    out.push_str(&text[rest..]);
    out
}

/// Runs a use case and logs how it ended: how long it took, and `ok` or the diagnosis code and
/// the stage that failed. Call it inside the use case's span.
pub async fn outcome<T>(use_case: impl Future<Output = Result<T, Diagnosis>>) -> Result<T, Diagnosis> {
    let started = Instant::now();
    let result = use_case.await;
    let duration_ms = started.elapsed().as_millis() as u64;
    match &result {
        Ok(_) => tracing::info!(duration_ms, outcome = "ok", "finished"),
        Err(d) => tracing::info!(duration_ms, outcome = %d.code_str(), stage = ?d.stage, "failed: {}", d.title),
    }
    result
}

/// A progress sink that also logs each network step (stage, state, target, elapsed time), with
/// the address masked in its details, then passes the event on.
pub(crate) struct LoggedSteps<'a> {
    sink: &'a dyn ProgressSink,
    address: String,
}

impl<'a> LoggedSteps<'a> {
    pub fn new(sink: &'a dyn ProgressSink, address: &str) -> LoggedSteps<'a> {
        LoggedSteps { sink, address: address.to_owned() }
    }
}

impl ProgressSink for LoggedSteps<'_> {
    fn emit(&self, event: ProgressEvent) {
        let detail = event.detail.as_deref().map(|d| mask_in(d, &self.address)).unwrap_or_default();
        let target = event.target.as_deref().unwrap_or("");
        let (side, stage, state, elapsed_ms) = (event.side, event.stage, event.state, event.elapsed_ms);
        match event.state {
            StageState::Done | StageState::Failed => {
                tracing::info!(?side, ?stage, ?state, target, elapsed_ms, detail, "step")
            }
            StageState::Started | StageState::Update => {
                tracing::debug!(?side, ?stage, ?state, target, elapsed_ms, detail, "step")
            }
        }
        self.sink.emit(event);
    }

    fn note(&self, side: Side, note: AttemptNote) {
        self.sink.note(side, note);
    }
}

/// The same for discovery: each source asked, what it answered and when, the address masked.
pub(crate) struct LoggedDiscovery<'a> {
    sink: &'a dyn DiscoverySink,
    address: String,
}

impl<'a> LoggedDiscovery<'a> {
    pub fn new(sink: &'a dyn DiscoverySink, address: &str) -> LoggedDiscovery<'a> {
        LoggedDiscovery { sink, address: address.to_owned() }
    }
}

impl DiscoverySink for LoggedDiscovery<'_> {
    fn emit(&self, event: DiscoveryEvent) {
        let detail = event.detail.as_deref().map(|d| mask_in(d, &self.address)).unwrap_or_default();
        let (source, status, elapsed_ms) = (event.source, event.status, event.elapsed_ms);
        match status {
            Some(_) => tracing::info!(?source, ?status, elapsed_ms, detail, "source"),
            None => tracing::debug!(?source, elapsed_ms, detail, "source"),
        }
        self.sink.emit(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked() {
        assert_eq!(mask_address("alice@example.com"), "a…@example.com");
        assert_eq!(mask_address(" Émile@exemple.fr "), "É…@exemple.fr");
        assert_eq!(mask_address("bob"), "b…");
        assert_eq!(mask_address(""), "");
    }

    #[test]
    fn the_address_and_its_login_name_are_masked_in_text() {
        let a = "alice@example.com";
        assert_eq!(mask_in("signed in as alice@example.com", a), "signed in as a…@example.com");
        assert_eq!(mask_in("refused as ALICE@Example.com, then as alice", a), "refused as a…@example.com, then as a…");
        // Other words that merely contain the local part are left alone.
        assert_eq!(mask_in("malice alice.smith alice2 alice", a), "malice alice.smith alice2 a…");
        assert_eq!(mask_in("12 folders", a), "12 folders");
        assert_eq!(mask_in("signed in as alice.", a), "signed in as a….");
        assert_eq!(mask_in("über alice", "alice@x.y"), "über a…");
        assert_eq!(
            mask_in("https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=alice%40example.com", a),
            "https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=a…%40example.com"
        );
    }

    #[test]
    fn the_log_file_rotates_and_stays_bounded_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let mut file = RotatingFile::open(&logs).unwrap();
        let line = vec![b'x'; 64 * 1024];
        for _ in 0..(LOG_FILES_KEPT + 3) * 17 {
            file.write_all(&line).unwrap();
        }
        let mut names: Vec<String> =
            std::fs::read_dir(&logs).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names.len(), LOG_FILES_KEPT, "{names:?}");
        for name in &names {
            let meta = std::fs::metadata(logs.join(name)).unwrap();
            assert!(meta.len() <= LOG_FILE_LIMIT, "{name}: {}", meta.len());
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{name}");
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&logs).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }
}
