//! Checks on a schedule while the app runs: every interval (the configuration's, bounded by the
//! administrator's policy, jittered so many machines do not check together), the mailboxes that
//! are due (enabled, their back-off over, not checked sooner than the policy allows) are checked
//! at most `concurrency` at once, each check reported as soon as it ends. While this machine has
//! no network, a round checks only one mailbox to see whether the network is back: the others are
//! left as they are instead of all noting the same pause. A schedule runs until it is stopped.

use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::health::{is_due, CheckAllOptions, CheckOutcome, MailboxCheck, SideCheck};
use crate::policy::{CheckIntervalBounds, ConnectionPolicy};
use crate::service::{now_ms, Engine};
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::watch;

/// How a schedule runs.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleOptions {
    /// The wait before the first round (the app lets its window open first).
    pub first_round_after: Duration,
    /// Mailboxes checked at the same time, as in [`CheckAllOptions`].
    pub concurrency: usize,
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions {
            first_round_after: Duration::from_secs(5),
            concurrency: CheckAllOptions::default().concurrency,
        }
    }
}

/// What a running schedule reports.
#[derive(Debug, Clone)]
pub enum ScheduleEvent {
    /// One mailbox's check ended and was recorded.
    Checked(Box<MailboxCheck>),
    /// A round ended: how many mailboxes it checked, and whether checks are paused because this
    /// machine has no network.
    RoundFinished { round: u64, checked: usize, paused: bool },
    /// A round could not start (the policy file is malformed, the store cannot be read); the
    /// next one tries again.
    RoundFailed(Box<Diagnosis>),
}

/// A running schedule. Dropping it does not stop it: [`CheckSchedule::stop`] does.
pub struct CheckSchedule {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl CheckSchedule {
    /// Starts checking on the current tokio runtime; `on_event` hears each check and round.
    pub fn start(
        engine: Engine,
        options: ScheduleOptions,
        on_event: impl Fn(ScheduleEvent) + Send + Sync + 'static,
    ) -> CheckSchedule {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(async move { engine.run_schedule(options, stopped, &on_event).await });
        CheckSchedule { stop, task }
    }

    /// Stops the schedule (a check in flight is abandoned: its result is not recorded) and waits
    /// until it has ended, so nothing is reported after this returns.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The time between rounds: the configured seconds within the policy's bounds (in minutes), and
/// never less than a second.
pub fn round_interval(configured_seconds: u64, bounds: &CheckIntervalBounds) -> Duration {
    let (min, max) = (u64::from(bounds.min_minutes) * 60, u64::from(bounds.max_minutes) * 60);
    Duration::from_secs(configured_seconds.clamp(min, max.max(min)).max(1))
}

/// `interval` stretched or shortened by up to a tenth (`jitter` in [0, 1)), so that machines
/// started together do not keep checking the same servers at the same moment.
pub fn jittered(interval: Duration, jitter: f64) -> Duration {
    interval.mul_f64(0.9 + 0.2 * jitter.clamp(0.0, 1.0))
}

/// The check could not reach the network from this machine (health.rs records that as a pause,
/// not as an error of the mailbox).
pub fn found_no_network(sides: &[SideCheck]) -> bool {
    sides.iter().any(|side| {
        side.outcome == CheckOutcome::Paused
            && side.diagnosis.as_ref().is_some_and(|d| d.code == DiagnosisCode::NetworkUnreachable)
    })
}

impl Engine {
    /// Runs rounds of checks until `stopped` turns true (see the module's description).
    async fn run_schedule(
        &self,
        options: ScheduleOptions,
        mut stopped: watch::Receiver<bool>,
        on_event: &(dyn Fn(ScheduleEvent) + Send + Sync),
    ) {
        let mut wait = options.first_round_after;
        let mut paused = false;
        let mut round = 0u64;
        loop {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.wait_for(|stop| *stop) => return,
            }
            round += 1;
            let bounds = tokio::select! {
                ran = self.run_round(options.concurrency, paused, on_event) => match ran {
                    Ok((checked, no_network, bounds)) => {
                        paused = no_network;
                        on_event(ScheduleEvent::RoundFinished { round, checked, paused });
                        bounds
                    }
                    Err(d) => {
                        on_event(ScheduleEvent::RoundFailed(Box::new(d)));
                        CheckIntervalBounds::default()
                    }
                },
                _ = stopped.wait_for(|stop| *stop) => return,
            };
            wait = jittered(round_interval(self.config().check_interval_seconds, &bounds), fastrand::f64());
        }
    }

    /// One round: the due mailboxes checked (only the first while `paused`), each reported as it
    /// ends. Answers how many were checked, whether the network is (still) missing, and the
    /// policy's interval bounds.
    async fn run_round(
        &self,
        concurrency: usize,
        paused: bool,
        on_event: &(dyn Fn(ScheduleEvent) + Send + Sync),
    ) -> Result<(usize, bool, CheckIntervalBounds), Diagnosis> {
        // Read each round: an administrator's change applies without a restart.
        let policy = ConnectionPolicy::load(self.config().policy_file.as_deref())?;
        let now = now_ms();
        let mut due: Vec<i64> = self
            .list_mailboxes()
            .await?
            .into_iter()
            .filter(|m| m.status.enabled && is_due(&m.status, now, &policy.check_interval))
            .map(|m| m.id)
            .collect();
        let mut checked = 0;
        if paused {
            // One check tells whether the network is back before every mailbox tries.
            let Some(first) = (!due.is_empty()).then(|| due.remove(0)) else {
                return Ok((0, true, policy.check_interval));
            };
            match self.check_mailbox(first).await {
                Ok(check) => {
                    checked += 1;
                    let still_none = found_no_network(&check.sides);
                    on_event(ScheduleEvent::Checked(Box::new(check)));
                    if still_none {
                        return Ok((checked, true, policy.check_interval));
                    }
                }
                Err(d) => tracing::warn!("a scheduled check failed: {d}"),
            }
        }
        let mut no_network = false;
        let mut checks =
            futures::stream::iter(due).map(|id| self.check_mailbox(id)).buffer_unordered(concurrency.max(1));
        while let Some(finished) = checks.next().await {
            match finished {
                Ok(check) => {
                    checked += 1;
                    no_network |= found_no_network(&check.sides);
                    on_event(ScheduleEvent::Checked(Box::new(check)));
                }
                // Removed meanwhile, or the store failed: the others go on.
                Err(d) => tracing::warn!("a scheduled check failed: {d}"),
            }
        }
        Ok((checked, no_network, policy.check_interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Side;

    #[test]
    fn the_configured_interval_stays_within_the_policys_bounds() {
        let bounds = CheckIntervalBounds { min_minutes: 5, max_minutes: 60 };
        assert_eq!(round_interval(60, &bounds), Duration::from_secs(300), "raised to the minimum");
        assert_eq!(round_interval(7200, &bounds), Duration::from_secs(3600), "cut to the maximum");
        assert_eq!(round_interval(900, &bounds), Duration::from_secs(900));
        assert_eq!(round_interval(0, &CheckIntervalBounds::default()), Duration::from_secs(1), "never busy-looping");
    }

    #[test]
    fn jitter_moves_a_round_by_at_most_a_tenth() {
        let ten = Duration::from_secs(10);
        assert_eq!(jittered(ten, 0.0), Duration::from_secs(9));
        assert_eq!(jittered(ten, 0.5), ten);
        assert!(jittered(ten, 0.999) <= Duration::from_secs(11));
    }

    fn sides_with(outcome: CheckOutcome, code: Option<DiagnosisCode>) -> Vec<SideCheck> {
        let diagnosis = code.map(|code| {
            let mut d = Diagnosis::invalid_input("network", "test");
            d.code = code;
            d
        });
        vec![SideCheck { side: Side::Incoming, outcome, duration_ms: 1, diagnosis }]
    }

    #[test]
    fn only_a_missing_network_pauses_the_schedule() {
        assert!(found_no_network(&sides_with(CheckOutcome::Paused, Some(DiagnosisCode::NetworkUnreachable))));
        // A locked keychain pauses that check, but says nothing about the network.
        assert!(!found_no_network(&sides_with(CheckOutcome::Paused, Some(DiagnosisCode::KeychainLocked))));
        assert!(!found_no_network(&sides_with(CheckOutcome::Throttled, Some(DiagnosisCode::Throttled))));
        assert!(!found_no_network(&sides_with(CheckOutcome::Success, None)));
    }
}
