//! Progress of a use case, stage by stage. The shell forwards it over a Tauri channel, the CLI prints it.

use crate::tr;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Which of a mailbox's two servers something is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Incoming,
    Outgoing,
}

/// The stages a connection goes through, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Resolving,
    Connecting,
    Tls,
    Greeting,
    Capabilities,
    Starttls,
    SigningIn,
    ListingFolders,
    /// POP3 STAT: how many messages wait in the mailbox.
    CheckingMailbox,
    /// Looking for an IMAP server at the same provider (for POP3 users).
    LookingForImap,
    SendingTestMessage,
    Saving,
}

impl Stage {
    /// The stage's name, as a progress line shows it.
    pub fn label(self) -> String {
        match self {
            Stage::Resolving => tr!("eng-stage-resolving"),
            Stage::Connecting => tr!("eng-stage-connecting"),
            Stage::Tls => tr!("eng-stage-tls"),
            Stage::Greeting => tr!("eng-stage-greeting"),
            Stage::Capabilities => tr!("eng-stage-capabilities"),
            Stage::Starttls => tr!("eng-stage-starttls"),
            Stage::SigningIn => tr!("eng-stage-signing-in"),
            Stage::ListingFolders => tr!("eng-stage-listing-folders"),
            Stage::CheckingMailbox => tr!("eng-stage-checking-mailbox"),
            Stage::LookingForImap => tr!("eng-stage-looking-for-imap"),
            Stage::SendingTestMessage => tr!("eng-stage-sending-test-message"),
            Stage::Saving => tr!("eng-stage-saving"),
        }
    }

    /// The stage inside a sentence ("… did not answer while: signing in").
    pub fn during(self) -> String {
        match self {
            Stage::Resolving => tr!("eng-stage-resolving.during"),
            Stage::Connecting => tr!("eng-stage-connecting.during"),
            Stage::Tls => tr!("eng-stage-tls.during"),
            Stage::Greeting => tr!("eng-stage-greeting.during"),
            Stage::Capabilities => tr!("eng-stage-capabilities.during"),
            Stage::Starttls => tr!("eng-stage-starttls.during"),
            Stage::SigningIn => tr!("eng-stage-signing-in.during"),
            Stage::ListingFolders => tr!("eng-stage-listing-folders.during"),
            Stage::CheckingMailbox => tr!("eng-stage-checking-mailbox.during"),
            Stage::LookingForImap => tr!("eng-stage-looking-for-imap.during"),
            Stage::SendingTestMessage => tr!("eng-stage-sending-test-message.during"),
            Stage::Saving => tr!("eng-stage-saving.during"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    Started,
    /// Still in the stage, with news (a count, another address).
    Update,
    Done,
    Failed,
}

/// One line of progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    /// Incoming or outgoing server: both are checked at once and the list shows both.
    pub side: Side,
    pub stage: Stage,
    pub state: StageState,
    /// The host (and port) this stage talks to, when it talks to one.
    pub target: Option<String>,
    /// Plain words: "127.0.0.1:993", "signed in as alice", "1,200 of 10,000 folders".
    pub detail: Option<String>,
    pub current: Option<u32>,
    pub total: Option<u32>,
    /// Milliseconds since the use case started.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// What the help-desk report keeps about a connection beyond its progress lines (see
/// `report::AttemptLog`). Never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptNote {
    /// One sign-in try: the login name and the method, a SASL mechanism's name (`PLAIN`,
    /// `XOAUTH2`) or None for the protocol's own command (IMAP LOGIN, POP3 USER/PASS).
    SignInTried { target: String, username: String, mechanism: Option<String> },
}

/// Where progress goes. Implemented by the Tauri channel forwarder, the CLI printer and tests.
pub trait ProgressSink: Send + Sync {
    fn emit(&self, event: ProgressEvent);

    /// A fact for the help-desk report; only the report's log keeps them, and a sink that wraps
    /// another passes them on.
    fn note(&self, _side: Side, _note: AttemptNote) {}
}

/// A sink that drops everything, for callers that do not show progress.
pub struct NoProgress;
impl ProgressSink for NoProgress {
    fn emit(&self, _: ProgressEvent) {}
}

impl<F: Fn(ProgressEvent) + Send + Sync> ProgressSink for F {
    fn emit(&self, event: ProgressEvent) {
        self(event)
    }
}

/// Stamps events with the time since the use case started.
pub struct Progress<'a> {
    sink: &'a dyn ProgressSink,
    started: Instant,
    side: Side,
}

impl<'a> Progress<'a> {
    pub fn new(sink: &'a dyn ProgressSink) -> Self {
        Progress { sink, started: Instant::now(), side: Side::Incoming }
    }

    /// The same clock, for the other server.
    pub fn for_side(&self, side: Side) -> Progress<'a> {
        Progress { sink: self.sink, started: self.started, side }
    }

    pub fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    pub fn emit(&self, stage: Stage, state: StageState, target: Option<&str>, detail: Option<String>) {
        self.sink.emit(ProgressEvent {
            side: self.side,
            stage,
            state,
            target: target.map(str::to_owned),
            detail,
            current: None,
            total: None,
            elapsed_ms: self.elapsed_ms(),
        });
    }

    /// A fact for the help-desk report (see [`AttemptNote`]).
    pub fn note(&self, note: AttemptNote) {
        self.sink.note(self.side, note);
    }

    pub fn count(&self, stage: Stage, target: Option<&str>, current: u32, total: Option<u32>) {
        let detail = match total {
            Some(total) => format!("{current} of {total}"),
            None => format!("{current} so far"),
        };
        self.sink.emit(ProgressEvent {
            side: self.side,
            stage,
            state: StageState::Update,
            target: target.map(str::to_owned),
            detail: Some(detail),
            current: Some(current),
            total,
            elapsed_ms: self.elapsed_ms(),
        });
    }
}
