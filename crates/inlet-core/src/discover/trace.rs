//! The trace of discovery: one step per thing asked (a DNS query, an HTTP fetch, a probe), with
//! how long it took and what came of it. Every source records its steps with these types, so
//! the wizard's "what we tried" list and the help-desk report read one shape.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What came of one step of discovery, in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Usable records came back.
    Found,
    /// The name does not exist (NXDOMAIN) or has no records of the type asked (NODATA).
    NotFound,
    /// The domain says explicitly that the service is not offered (an SRV target of ".",
    /// RFC 2782; a null MX, RFC 7505).
    NotOffered,
    /// No answer within the deadline.
    TimedOut,
    /// The server answered with an error (SERVFAIL, REFUSED, …) or could not be reached.
    Failed,
}

/// One step of discovery: what was asked, how long it took, what came of it. Shown in the
/// wizard's "what we tried" list and in the help-desk report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct TraceStep {
    /// Which source: [`SOURCE_SRV`](super::sources::dns::SOURCE_SRV),
    /// [`SOURCE_MX`](super::sources::dns::SOURCE_MX), … (the other sources of discovery add theirs)
    pub source: String,
    /// What was asked, e.g. `SRV _imaps._tcp.example.com`.
    pub query: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    pub status: StepStatus,
    /// Plain words: "imap.example.com:993 (priority 0, weight 1)", "no such name (NXDOMAIN)",
    /// "no answer within 1500 ms".
    pub outcome: String,
}

impl TraceStep {
    pub(crate) fn new(
        source: &str,
        query: String,
        elapsed: Duration,
        status: StepStatus,
        outcome: String,
    ) -> TraceStep {
        TraceStep { source: source.to_owned(), query, elapsed_ms: elapsed.as_millis() as u64, status, outcome }
    }

    /// A timeout or a server failure: the empty answer is not a real "nothing there".
    pub fn is_failure(&self) -> bool {
        matches!(self.status, StepStatus::TimedOut | StepStatus::Failed)
    }
}
