//! Keeping saved mailboxes connected: the health check (sign in, read the chosen folders'
//! STATUS, POP3 STAT, SMTP EHLO and AUTH; never a message, nothing about the mail changes), what
//! it records (status per side, a bounded history, automatic disabling after too many errors in
//! a row, back-off of temporary conditions), and the actions on a saved mailbox (update the
//! password, reconnect, enable or disable, set as default, rename, remove). Each action is one
//! store transaction: a failure leaves the mailbox exactly as it was.
//!
//! Here: the status model (badges, outcomes, how a check's result changes the status, back-off,
//! when a mailbox is due); `check.rs`: the check of one mailbox or of all that are due;
//! `actions.rs`: the actions.

use crate::account::{MailboxSettings, Side};
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::policy::{CheckIntervalBounds, ErrorThresholds};
use crate::secrets::Credentials;
use crate::service::now_ms;
use crate::store::{Change, MailboxRecord, MailboxStatus};
use serde::{Deserialize, Serialize};
use std::time::Instant;

mod actions;
mod check;

/// What the mailbox list shows for a mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum StatusBadge {
    Working,
    /// The last check of a side failed for a reason that counts (wrong password, server gone…).
    Failing,
    /// The server asked to slow down or was busy: checks back off, nothing is counted.
    Throttled,
    /// Disabled by someone, or by the checks after too many errors in a row.
    Disabled,
    /// The browser sign-in is no longer valid (revoked, expired): sign in again.
    NeedsSignIn,
}

/// How one side of one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    Success,
    /// An error that counts towards automatic disabling.
    Failed,
    /// A server's temporary condition: backs off, does not count.
    Throttled,
    /// The check could not run on this machine (no network, keychain locked): backs off, does
    /// not count, says nothing about the mailbox.
    Paused,
}

impl CheckOutcome {
    pub fn name(self) -> &'static str {
        match self {
            CheckOutcome::Success => "success",
            CheckOutcome::Failed => "failed",
            CheckOutcome::Throttled => "throttled",
            CheckOutcome::Paused => "paused",
        }
    }

    /// A stored name; one this version does not know reads as a failure.
    pub fn from_name(name: &str) -> CheckOutcome {
        match name {
            "success" => CheckOutcome::Success,
            "throttled" => CheckOutcome::Throttled,
            "paused" => CheckOutcome::Paused,
            _ => CheckOutcome::Failed,
        }
    }

    /// How a failure with this code counts. The temporary conditions of the diagnosis catalog
    /// never count as errors: the help-center articles' advice for them is to wait and use fewer
    /// connected apps, and disabling the mailbox would not help.
    pub fn of_failure(code: DiagnosisCode) -> CheckOutcome {
        use DiagnosisCode as C;
        match code {
            C::Throttled | C::TooManyConnections | C::ServerTemporaryFailure | C::ServerBusy | C::IssuerUnavailable => {
                CheckOutcome::Throttled
            }
            // Nothing to do with the mailbox: this machine has no network, or its keychain is
            // locked or not running.
            C::NetworkUnreachable | C::KeychainLocked | C::KeychainUnavailable => CheckOutcome::Paused,
            _ => CheckOutcome::Failed,
        }
    }
}

/// One row of a mailbox's recent checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct CheckRecord {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub at: i64,
    pub side: Side,
    pub outcome: CheckOutcome,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duration_ms: u64,
    pub code: Option<DiagnosisCode>,
}

/// One side of a check as it ran.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SideCheck {
    pub side: Side,
    pub outcome: CheckOutcome,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub duration_ms: u64,
    /// Why it did not succeed.
    pub diagnosis: Option<Diagnosis>,
}

/// A mailbox's check: what each side did, and the status recorded.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxCheck {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub email: String,
    pub sides: Vec<SideCheck>,
    pub status: MailboxStatus,
    /// This check disabled the mailbox (its errors in a row reached the threshold).
    pub disabled_now: bool,
    /// After this check the mailbox is off because of its errors in a row (now or before):
    /// `mailbox_disabled`, naming the last error and how to bring the mailbox back.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<Diagnosis>,
}

/// A mailbox with its recent checks, newest first (the details view).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxDetails {
    pub mailbox: MailboxRecord,
    pub history: Vec<CheckRecord>,
}

/// Which mailboxes [`Engine::check_all`] checks, and how many at once.
#[derive(Debug, Clone, Copy)]
pub struct CheckAllOptions {
    /// Mailboxes checked at the same time (each opens one connection per side).
    pub concurrency: usize,
    /// Only those whose back-off is over (a scheduled run); false: every enabled one ("check now").
    pub due_only: bool,
}

impl Default for CheckAllOptions {
    fn default() -> Self {
        CheckAllOptions { concurrency: 16, due_only: false }
    }
}

/// The first back-off after a temporary condition, doubled each time up to [`BACKOFF_CAP_MS`].
pub const BACKOFF_BASE_MS: i64 = 60_000;
pub const BACKOFF_CAP_MS: i64 = 3_600_000;

/// The wait before the next scheduled check after `failures` temporary conditions in a row:
/// exponential, capped, and jittered by `jitter` in [0, 1) to between half and all of it, so
/// mailboxes throttled together do not come back together.
pub fn backoff_ms(failures: u32, jitter: f64) -> i64 {
    let exponent = failures.saturating_sub(1).min(20);
    let full = BACKOFF_BASE_MS.saturating_mul(1 << exponent).min(BACKOFF_CAP_MS);
    let factor = 0.5 + 0.5 * jitter.clamp(0.0, 1.0);
    (full as f64 * factor) as i64
}

/// The badge of a status.
pub fn badge(s: &MailboxStatus) -> StatusBadge {
    let needs_sign_in = |code: Option<DiagnosisCode>, count: u32| count > 0 && code == Some(DiagnosisCode::NeedsSignIn);
    if !s.enabled {
        StatusBadge::Disabled
    } else if needs_sign_in(s.last_error_code, s.consecutive_errors)
        || needs_sign_in(s.last_outgoing_error_code, s.consecutive_outgoing_errors)
    {
        StatusBadge::NeedsSignIn
    } else if s.consecutive_errors > 0 || s.consecutive_outgoing_errors > 0 {
        StatusBadge::Failing
    } else if s.throttled {
        StatusBadge::Throttled
    } else {
        StatusBadge::Working
    }
}

/// The status after a check's `sides`, from the stored one. Errors that count add up per side
/// and a success resets its side; temporary conditions back off; reaching a side's threshold
/// disables the mailbox until someone enables it.
pub fn next_status(
    before: &MailboxStatus,
    sides: &[SideCheck],
    now: i64,
    thresholds: ErrorThresholds,
    jitter: f64,
) -> MailboxStatus {
    let mut s = before.clone();
    s.last_check_at = Some(now);
    let (mut waiting, mut throttled) = (false, false);
    for side in sides {
        let (success_at, code, title, error_at, count) = match side.side {
            Side::Incoming => (
                &mut s.last_success_at,
                &mut s.last_error_code,
                &mut s.last_error_title,
                &mut s.last_error_at,
                &mut s.consecutive_errors,
            ),
            Side::Outgoing => (
                &mut s.last_outgoing_success_at,
                &mut s.last_outgoing_error_code,
                &mut s.last_outgoing_error_title,
                &mut s.last_outgoing_error_at,
                &mut s.consecutive_outgoing_errors,
            ),
        };
        let mut note_error = || {
            if let Some(d) = &side.diagnosis {
                *code = Some(d.code);
                *title = Some(d.title.clone());
                *error_at = Some(now);
            }
        };
        match side.outcome {
            CheckOutcome::Success => {
                *success_at = Some(now);
                *count = 0;
            }
            CheckOutcome::Failed => {
                note_error();
                *count = count.saturating_add(1);
            }
            CheckOutcome::Throttled => {
                note_error();
                throttled = true;
                waiting = true;
            }
            CheckOutcome::Paused => waiting = true,
        }
    }
    if waiting {
        s.consecutive_temporary_failures = s.consecutive_temporary_failures.saturating_add(1);
        s.next_check_at = Some(now + backoff_ms(s.consecutive_temporary_failures, jitter));
    } else {
        s.consecutive_temporary_failures = 0;
        s.next_check_at = None;
    }
    s.throttled = throttled;
    if s.enabled
        && (s.consecutive_errors >= thresholds.incoming.get()
            || s.consecutive_outgoing_errors >= thresholds.outgoing.get())
    {
        s.enabled = false;
        s.disabled_automatically = true;
    }
    s.badge = badge(&s);
    s
}

/// The status after an action's successful check (update password, reconnect, edit settings):
/// its sides recorded, then the mailbox enabled with its counts reset.
pub(crate) fn action_status(
    before: &MailboxStatus,
    sides: &[SideCheck],
    now: i64,
    thresholds: ErrorThresholds,
) -> MailboxStatus {
    let mut s = next_status(before, sides, now, thresholds, 0.0);
    s.enabled = true;
    s.disabled_automatically = false;
    s.consecutive_errors = 0;
    s.consecutive_outgoing_errors = 0;
    s.badge = badge(&s);
    s
}

/// The operating-system user making a change ("last modified by"). From the session's
/// environment: it names who is logged in, which is what the details view shows.
pub fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        // A session without those (a service, a container, a test harness): the account this
        // process runs as, from the system's user database.
        .or_else(|| Some(whoami::username()).filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

pub(crate) fn change_now() -> Change {
    Change { at: now_ms(), by: os_user() }
}

/// `mailbox_disabled` for a mailbox the checks turned off, None for any other.
fn disabled_automatically(record: &MailboxRecord) -> Option<Diagnosis> {
    let s = &record.status;
    (!s.enabled && s.disabled_automatically).then(|| Diagnosis::mailbox_disabled(record.settings.email.as_str(), s))
}

/// The credentials a check signs in with: the incoming ones, and the outgoing server's own when
/// it does not share them.
pub(crate) struct CheckCredentials {
    pub(crate) incoming: Credentials,
    pub(crate) outgoing: Option<Credentials>,
}

impl CheckCredentials {
    /// Both, for the report to redact.
    pub(crate) fn all(&self) -> Vec<&Credentials> {
        std::iter::once(&self.incoming).chain(self.outgoing.as_ref()).collect()
    }
}

/// Which sides a check covers, and whether a grant's access token is renewed first.
#[derive(Clone, Copy)]
pub(crate) struct CheckScope {
    pub(crate) incoming: bool,
    pub(crate) outgoing: bool,
    pub(crate) force_refresh: bool,
}

/// Whether a scheduled run checks a mailbox now: its back-off is over, and its last check is
/// at least the policy's shortest interval ago.
pub(crate) fn is_due(status: &MailboxStatus, now: i64, bounds: &CheckIntervalBounds) -> bool {
    status.next_check_at.is_none_or(|at| at <= now)
        && status.last_check_at.is_none_or(|at| now.saturating_sub(at) >= bounds.min_ms())
}

/// The sides a mailbox has.
fn sides_of(settings: &MailboxSettings) -> impl Iterator<Item = Side> {
    std::iter::once(Side::Incoming).chain(settings.outgoing.as_ref().map(|_| Side::Outgoing))
}

fn failed_side(side: Side, d: Diagnosis, duration_ms: u64) -> SideCheck {
    SideCheck { side, outcome: CheckOutcome::of_failure(d.code), duration_ms, diagnosis: Some(d) }
}

fn timed(side: Side, outcome: std::result::Result<(), Diagnosis>, started: Instant) -> SideCheck {
    let duration_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(()) => SideCheck { side, outcome: CheckOutcome::Success, duration_ms, diagnosis: None },
        Err(d) => failed_side(side, d, duration_ms),
    }
}

pub(crate) fn history_of(sides: &[SideCheck], now: i64) -> Vec<CheckRecord> {
    sides
        .iter()
        .map(|s| CheckRecord {
            at: now,
            side: s.side,
            outcome: s.outcome,
            duration_ms: s.duration_ms,
            code: s.diagnosis.as_ref().map(|d| d.code),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status() -> MailboxStatus {
        MailboxStatus {
            enabled: true,
            last_check_at: None,
            last_success_at: None,
            last_error_code: None,
            last_error_title: None,
            last_error_at: None,
            consecutive_errors: 0,
            last_outgoing_success_at: None,
            last_outgoing_error_code: None,
            last_outgoing_error_title: None,
            last_outgoing_error_at: None,
            consecutive_outgoing_errors: 0,
            consecutive_temporary_failures: 0,
            throttled: false,
            next_check_at: None,
            disabled_automatically: false,
            badge: StatusBadge::Working,
        }
    }

    fn side(side: Side, code: Option<DiagnosisCode>) -> SideCheck {
        match code {
            None => SideCheck { side, outcome: CheckOutcome::Success, duration_ms: 5, diagnosis: None },
            Some(code) => {
                let mut d = Diagnosis::invalid_input("test", "a test failure");
                d.code = code;
                failed_side(side, d, 5)
            }
        }
    }

    #[test]
    fn errors_count_per_side_reset_on_success_and_disable_at_the_threshold() {
        let t = ErrorThresholds {
            incoming: std::num::NonZeroU32::new(3).unwrap(),
            outgoing: std::num::NonZeroU32::new(2).unwrap(),
        };
        let wrong = [side(Side::Incoming, Some(DiagnosisCode::AuthenticationFailed)), side(Side::Outgoing, None)];
        let s1 = next_status(&status(), &wrong, 1, t, 0.5);
        assert_eq!((s1.consecutive_errors, s1.consecutive_outgoing_errors, s1.badge), (1, 0, StatusBadge::Failing));
        assert_eq!(s1.last_error_at, Some(1));
        let s2 = next_status(&s1, &wrong, 2, t, 0.5);
        assert!(s2.enabled);
        let s3 = next_status(&s2, &wrong, 3, t, 0.5);
        assert!(!s3.enabled && s3.disabled_automatically);
        assert_eq!(s3.badge, StatusBadge::Disabled);
        let ok = next_status(&s2, &[side(Side::Incoming, None)], 4, t, 0.5);
        assert_eq!((ok.consecutive_errors, ok.badge), (0, StatusBadge::Working));
        assert_eq!(ok.last_error_code, Some(DiagnosisCode::AuthenticationFailed), "the last error is kept");
    }

    #[test]
    fn temporary_conditions_back_off_and_never_count() {
        let t = ErrorThresholds::default();
        let mut s = status();
        let mut waits = Vec::new();
        for (i, code) in [DiagnosisCode::Throttled, DiagnosisCode::TooManyConnections, DiagnosisCode::ServerBusy]
            .into_iter()
            .chain(std::iter::repeat_n(DiagnosisCode::ServerTemporaryFailure, 10))
            .enumerate()
        {
            s = next_status(&s, &[side(Side::Incoming, Some(code))], 1000, t, 0.999);
            assert_eq!((s.consecutive_errors, s.badge, s.enabled), (0, StatusBadge::Throttled, true), "{i}");
            waits.push(s.next_check_at.unwrap() - 1000);
        }
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert!(waits[1] > waits[0] && *waits.last().unwrap() <= BACKOFF_CAP_MS, "{waits:?}");
        // No network: paused, the badge unchanged, nothing counted.
        let paused =
            next_status(&status(), &[side(Side::Incoming, Some(DiagnosisCode::NetworkUnreachable))], 1, t, 0.0);
        assert_eq!((paused.badge, paused.consecutive_errors, paused.last_error_code), (StatusBadge::Working, 0, None));
        assert!(paused.next_check_at.is_some());
        assert_eq!(backoff_ms(1, 0.0), BACKOFF_BASE_MS / 2);
        assert_eq!(backoff_ms(40, 0.9999999), BACKOFF_CAP_MS - 1);
    }

    #[test]
    fn a_scheduled_run_waits_for_the_back_off_and_the_policys_shortest_interval() {
        let bounds = CheckIntervalBounds { min_minutes: 5, max_minutes: 60 };
        let minute = 60_000;
        let mut s = status();
        assert!(is_due(&s, 10 * minute, &bounds), "never checked");
        s.last_check_at = Some(10 * minute);
        assert!(!is_due(&s, 14 * minute, &bounds));
        assert!(is_due(&s, 15 * minute, &bounds));
        s.next_check_at = Some(20 * minute);
        assert!(!is_due(&s, 19 * minute, &bounds), "backing off");
        assert!(is_due(&s, 20 * minute, &bounds));
    }

    #[test]
    fn a_revoked_grant_needs_sign_in() {
        let s = next_status(
            &status(),
            &[side(Side::Incoming, Some(DiagnosisCode::NeedsSignIn))],
            1,
            ErrorThresholds::default(),
            0.0,
        );
        assert_eq!(s.badge, StatusBadge::NeedsSignIn);
    }
}
