//! Keeping saved mailboxes connected: the health check (sign in, read the chosen folders'
//! STATUS, POP3 STAT, SMTP EHLO and AUTH; never a message, nothing about the mail changes), what
//! it records (status per side, a bounded history, automatic disabling after too many errors in
//! a row, back-off of temporary conditions), and the actions on a saved mailbox (update the
//! password, reconnect, enable or disable, set as default, rename, remove). Each action is one
//! store transaction: a failure leaves the mailbox exactly as it was.

use crate::account::{IncomingServer, MailboxSettings, OutgoingSettings, Side};
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::error::Result;
use crate::notify;
use crate::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use crate::policy::{CheckIntervalBounds, ConnectionPolicy, ErrorThresholds};
use crate::progress::{NoProgress, Progress, ProgressSink};
use crate::protocol::{imap, pop3, smtp};
use crate::recovery::ChangeLock;
use crate::report::{ActionLog, ReportedAction};
use crate::secrets::{Credentials, OAuth2Grant, Secret};
use crate::service::{blocking, now_ms, outgoing_account, username_candidates, Engine, MailboxServer};
use crate::store::{Change, IntentAction, MailboxRecord, MailboxStatus, RecordedCheck, Store};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::time::Instant;

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

impl Engine {
    /// Checks one saved mailbox (enabled or not) and records the outcome in one transaction.
    /// Fails only when there is no such mailbox, the policy is unusable, or the store fails.
    #[tracing::instrument(name = "check_mailbox", skip_all, fields(id))]
    pub async fn check_mailbox(&self, id: i64) -> std::result::Result<MailboxCheck, Diagnosis> {
        let policy = ConnectionPolicy::load(self.config().policy_file.as_deref())?;
        let record = self.saved(id).await?;
        self.check_record(&record, policy.error_thresholds).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// Checks every enabled mailbox (with `due_only`, those whose back-off is over), at most
    /// `concurrency` at once. A mailbox whose check could not be recorded is left out and logged.
    #[tracing::instrument(name = "check_all", skip_all)]
    pub async fn check_all(&self, options: CheckAllOptions) -> std::result::Result<Vec<MailboxCheck>, Diagnosis> {
        let policy = ConnectionPolicy::load(self.config().policy_file.as_deref())?;
        let now = now_ms();
        let due: Vec<MailboxRecord> = self
            .list_mailboxes()
            .await?
            .into_iter()
            .filter(|m| m.status.enabled)
            .filter(|m| !options.due_only || is_due(&m.status, now, &policy.check_interval))
            .collect();
        let thresholds = policy.error_thresholds;
        let due = self.with_passwords_read_ahead(due).await;
        let (writer, to_record) = BatchWriter::start(self.config().resolved_data_dir());
        // Owned records and senders, each moved into its check: a closure that borrows them makes
        // a future that is not Send for every lifetime, which the app's commands and tokio::spawn need.
        let mut checks: Vec<MailboxCheck> = futures::stream::iter(due)
            .map(|(record, read_ahead)| {
                let to_record = to_record.clone();
                async move {
                    let recording = Recording::Batched(&to_record);
                    self.check_record_with(&record, thresholds, read_ahead, recording).await
                }
            })
            .buffer_unordered(options.concurrency.max(1))
            .filter_map(|checked| async move {
                checked.map_err(|e| tracing::warn!("a check could not be recorded: {e}")).ok()
            })
            .collect()
            .await;
        drop(to_record);
        // Every check already has its answer; a writer that panicked answered "stopped" to the rest.
        if let Err(e) = writer.await {
            tracing::warn!("the store's writer stopped: {e}");
        }
        checks.sort_by_key(|c| c.id);
        Ok(checks)
    }

    /// Pairs each record with its passwords, read from the keychain in one batch (see
    /// [`crate::secrets::Keychain::read_many`]); a password the batch did not bring is read on
    /// its own when its check starts, as a single check reads it.
    async fn with_passwords_read_ahead(&self, due: Vec<MailboxRecord>) -> Vec<(MailboxRecord, ReadAhead)> {
        let entries = |record: &MailboxRecord| {
            let incoming = record.grant.is_none().then(|| record.keychain_account.clone());
            let outgoing = record
                .settings
                .outgoing
                .as_ref()
                .filter(|o| !o.same_password)
                .map(|_| outgoing_account(&record.keychain_account));
            incoming.into_iter().chain(outgoing)
        };
        let mut read = self.keychain().read_many(due.iter().flat_map(entries).collect()).await;
        due.into_iter()
            .map(|record| {
                let read_ahead = ReadAhead {
                    incoming: read.remove(&record.keychain_account),
                    outgoing: read.remove(&outgoing_account(&record.keychain_account)),
                };
                (record, read_ahead)
            })
            .collect()
    }

    /// A saved mailbox with its recent checks.
    pub async fn mailbox_details(&self, id: i64) -> std::result::Result<MailboxDetails, Diagnosis> {
        let dir = self.config().resolved_data_dir();
        blocking(move || {
            let store = Store::open(&dir)?;
            Ok(MailboxDetails { mailbox: store.get(id)?, history: store.history(id)? })
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// Enables or disables a mailbox (enabling starts its error counts afresh).
    #[tracing::instrument(name = "set_mailbox_enabled", skip_all, err(Display), fields(id, enabled))]
    pub async fn set_mailbox_enabled(&self, id: i64, enabled: bool) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.change(move |store, change| store.set_enabled(id, enabled, change)).await
    }

    /// Makes a mailbox the default one.
    #[tracing::instrument(name = "set_default_mailbox", skip_all, err(Display), fields(id))]
    pub async fn set_default_mailbox(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.change(move |store, change| store.set_default(id, change)).await
    }

    /// Names and describes a mailbox; empty text clears the name or the description.
    #[tracing::instrument(name = "describe_mailbox", skip_all, err(Display), fields(id))]
    pub async fn describe_mailbox(
        &self,
        id: i64,
        name: Option<String>,
        description: Option<String>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let cleaned = |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let (name, description) = (cleaned(name), cleaned(description));
        if name.as_ref().is_some_and(|n| n.chars().count() > 200 || n.chars().any(char::is_control)) {
            return Err(Diagnosis::invalid_input("name", "A name is one line of at most 200 characters."));
        }
        self.change(move |store, change| store.describe(id, name.as_deref(), description.as_deref(), change)).await
    }

    /// Checks `password` against the server (the incoming one, and the outgoing one when it
    /// shares the password) and only then puts it in the keychain in place of the old one,
    /// enabling the mailbox and recording the check. A refused password changes nothing; should
    /// the store fail after the keychain took the new password, the old one is put back.
    pub async fn update_password(&self, id: i64, password: Secret) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.update_password_logged(id, password, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::update_password`], with the help-desk report of a refused password: the
    /// settings, each connection with its stage timings, the diagnosis. Never the password.
    pub async fn update_password_reported(
        &self,
        id: i64,
        password: Secret,
        sink: &dyn ProgressSink,
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.update_password_logged(id, password, &log).await;
        log.reported(outcome, "updating the password")
    }

    #[tracing::instrument(name = "update_password", skip_all, err(Display), fields(id))]
    async fn update_password_logged(
        &self,
        id: i64,
        password: Secret,
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        if password.is_empty() {
            return Err(Diagnosis::invalid_input("password", "Type the new password."));
        }
        let record = self.saved(id).await?;
        if record.grant.is_some() {
            return Err(Diagnosis::invalid_input(
                "credentials",
                "This mailbox signs in with the browser and has no password: reconnect it instead.",
            ));
        }
        let shares = record.settings.outgoing.as_ref().is_some_and(|o| o.same_password);
        let credentials = CheckCredentials {
            incoming: Credentials::Password(password.clone()),
            outgoing: match &record.settings.outgoing {
                Some(o) if !o.same_password => Some(self.outgoing_password(&record, o).await?),
                _ => None,
            },
        };
        let scope = CheckScope { incoming: true, outgoing: shares, force_refresh: false };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        if let Some(refused) = sides.iter().find_map(|s| s.diagnosis.clone()) {
            return Err(refused);
        }
        let account = record.keychain_account.clone();
        let old = self.keychain().read(&account).await.ok();
        self.keychain().store(&account, &password).await.map_err(|e| Diagnosis::of(&e, None))?;
        match self.record_action_check(&record, sides).await {
            Ok(updated) => Ok(updated),
            Err(d) => {
                let restored = match &old {
                    Some(old) => self.keychain().store(&account, old).await,
                    None => self.keychain().delete(&account).await,
                };
                if let Err(e) = restored {
                    tracing::warn!("could not put the old password back after the store failed: {e}");
                }
                Err(d)
            }
        }
    }

    /// Signs in again with the stored settings and credentials (a grant's access token renewed
    /// first). On success the mailbox is enabled with its error counts reset; every setting
    /// stays. On failure nothing changes and the diagnosis says why.
    pub async fn reconnect_mailbox(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.reconnect_mailbox_logged(id, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::reconnect_mailbox`], with the help-desk report of a reconnect that failed.
    pub async fn reconnect_mailbox_reported(&self, id: i64, sink: &dyn ProgressSink) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(sink);
        let outcome = self.reconnect_mailbox_logged(id, &log).await;
        log.reported(outcome, "reconnecting the mailbox")
    }

    #[tracing::instrument(name = "reconnect_mailbox", skip_all, err(Display), fields(id))]
    async fn reconnect_mailbox_logged(
        &self,
        id: i64,
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        log.checking(&record.settings, &[]);
        let credentials = self.stored_credentials(&record).await?;
        let scope = CheckScope { incoming: true, outgoing: true, force_refresh: true };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        if let Some(refused) = sides.iter().find_map(|s| s.diagnosis.clone()) {
            return Err(refused);
        }
        self.record_action_check(&record, sides).await
    }

    /// Signs a mailbox with a grant in again (its grant revoked, or expired through inactivity):
    /// a new sign-in (`mode`) with the mailbox's own settings, issuer and client, then the same
    /// check as [`Engine::reconnect_mailbox`] with the new grant. Only when that check passes does
    /// the new refresh token take the old one's place in the mailbox's own keychain entry, the
    /// sign-in's own entry let go of, and the mailbox enabled with its counts reset; every
    /// setting and the folder choice stay. A declined sign-in or a failed check changes nothing.
    pub async fn reconnect_with_sign_in(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.reconnect_with_sign_in_logged(id, mode, on_event, &ActionLog::new(&NoProgress)).await
    }

    /// [`Engine::reconnect_with_sign_in`], with the help-desk report of a failure: the sign-in's
    /// steps (which endpoint answered what), the check's connections, the diagnosis. Never a
    /// token, an authorization code or a verifier.
    pub async fn reconnect_with_sign_in_reported(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> ReportedAction<MailboxRecord> {
        let log = ActionLog::new(&NoProgress);
        let outcome = self.reconnect_with_sign_in_logged(id, mode, on_event, &log).await;
        log.reported(outcome, "signing in with the provider again")
    }

    #[tracing::instrument(name = "reconnect_with_sign_in", skip_all, err(Display), fields(id, mode = ?mode))]
    async fn reconnect_with_sign_in_logged(
        &self,
        id: i64,
        mode: SignInMode,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
        log: &ActionLog<'_>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        log.checking(&record.settings, &[]);
        let Some(saved_grant) = record.grant.clone() else {
            return Err(Diagnosis::invalid_input(
                "credentials",
                "This mailbox signs in with a password, not with the browser: reconnect it, or update its password.",
            ));
        };
        // Read first: a keychain that cannot give the outgoing password fails before the browser opens.
        let stored = self.stored_credentials(&record).await?;
        let request = SignInRequest {
            settings: record.settings.clone(),
            issuer: IssuerChoice::from_url(&saved_grant.issuer),
            mode,
            client_id: Some(saved_grant.client_id.clone()),
        };
        // Held until the new grant is saved or let go of: another sign-in would let go of it.
        let _turn = self.sign_in_turn()?;
        let signed_in = match self.sign_in_traced(&request, on_event, &log.sign_in).await {
            Ok(grant) => grant,
            Err(d) => {
                log.sign_in.failed(&d);
                return Err(d);
            }
        };
        let credentials =
            CheckCredentials { incoming: Credentials::OAuth2(signed_in.clone()), outgoing: stored.outgoing };
        let scope = CheckScope { incoming: true, outgoing: true, force_refresh: false };
        log.checking(&record.settings, &credentials.all());
        let sides = self.run_sides(&record, &credentials, scope, &log.connections).await;
        let replaced = match sides.iter().find_map(|s| s.diagnosis.clone()) {
            Some(refused) => Err(refused),
            None => self.replace_refresh_token(&record, &signed_in, sides).await,
        };
        if let Err(e) = self.discard_sign_in(&signed_in).await {
            // It stays listed as this engine's sign-in: the next one lets go of it.
            tracing::warn!("the new sign-in's own keychain entry stays for now: {e}");
        }
        replaced
    }

    /// Moves the refresh token of `signed_in` into `record`'s own keychain entry (its access
    /// token along in memory) and records the action's check. Should the store fail, the old
    /// refresh token is put back.
    async fn replace_refresh_token(
        &self,
        record: &MailboxRecord,
        signed_in: &OAuth2Grant,
        sides: Vec<SideCheck>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let (from, to) = (signed_in.refresh_token_entry.as_str(), record.keychain_account.as_str());
        let new_token = match self.oauth.tokens.unsaved_refresh(from) {
            // Rotated during the check, and not taken by the keychain then.
            Some(token) => token,
            None => self.keychain().read(from).await.map_err(|e| Diagnosis::of(&e, None))?,
        };
        let old_token = self.keychain().read(to).await.ok();
        self.keychain().store(to, &new_token).await.map_err(|e| Diagnosis::of(&e, None))?;
        match self.record_action_check(record, sides).await {
            Ok(updated) => {
                self.oauth.tokens.carry_over(from, to);
                Ok(updated)
            }
            Err(d) => {
                let restored = match &old_token {
                    Some(old) => self.keychain().store(to, old).await,
                    None => self.keychain().delete(to).await,
                };
                if let Err(e) = restored {
                    tracing::warn!("could not put the old sign-in back after the store failed: {e}");
                }
                Err(d)
            }
        }
    }

    /// Removes a mailbox: its keychain entries first (see [`Engine::remove_mailbox`] for why),
    /// then either its row with everything about it (`erase`), or only its listing, keeping its
    /// history marked removed.
    #[tracing::instrument(name = "remove_mailbox_with", skip_all, err(Display), fields(id, erase))]
    pub async fn remove_mailbox_with(&self, id: i64, erase: bool) -> std::result::Result<(), Diagnosis> {
        ConnectionPolicy::load(self.config().policy_file.as_deref())?
            .allows_removing()
            .map_err(|refused| Diagnosis::of_policy(&refused))?;
        let record = self.saved(id).await?;
        let dir = self.config().resolved_data_dir();
        // Should this process die between the keychain and the store, the next run finishes the
        // removal (see recovery.rs) rather than leave a mailbox without its password.
        let lock = ChangeLock::take(&dir).map_err(|e| Diagnosis::of(&e, None))?;
        let entries = [outgoing_account(&record.keychain_account), record.keychain_account.clone()];
        let intent = {
            let (dir, owner, entries) = (dir.clone(), lock.owner().to_owned(), entries.to_vec());
            blocking(move || {
                Store::open(&dir)?.begin_intent(&owner, IntentAction::Remove { erase }, Some(id), &entries)
            })
            .await
            .map_err(|e| Diagnosis::of(&e, None))?
        };
        if let Err(d) = self.delete_keychain_entries(&record).await {
            // Refused (locked, not answering): the mailbox stays, with its intent ended, and can
            // be removed again.
            let _ = blocking(move || Store::open(&dir)?.end_intent(intent)).await;
            return Err(d);
        }
        let removed = blocking(move || Store::open(&dir)?.remove_ending_intent(id, erase, &change_now(), intent))
            .await
            .map_err(|e| Diagnosis::of(&e, None));
        drop(lock);
        removed
    }

    /// A listed mailbox that may sign in with its stored credentials: not one the checks turned
    /// off after its errors in a row (signing in again with what failed is how accounts get
    /// locked); that one says `mailbox_disabled` until its password is updated, it is
    /// reconnected or turned on again.
    pub(crate) async fn saved_in_use(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        let record = self.saved(id).await?;
        match disabled_automatically(&record) {
            Some(disabled) => Err(disabled),
            None => Ok(record),
        }
    }

    /// A listed mailbox.
    pub(crate) async fn saved(&self, id: i64) -> std::result::Result<MailboxRecord, Diagnosis> {
        self.finish_interrupted_changes_logged().await;
        let dir = self.config().resolved_data_dir();
        blocking(move || Store::open(&dir)?.get(id)).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// One store change made by the OS user now.
    pub(crate) async fn change(
        &self,
        apply: impl FnOnce(&mut Store, &Change) -> Result<MailboxRecord> + Send + 'static,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let dir = self.config().resolved_data_dir();
        blocking(move || apply(&mut Store::open(&dir)?, &change_now())).await.map_err(|e| Diagnosis::of(&e, None))
    }

    /// Records the check an action ran (update password, reconnect) as a change: its sides'
    /// results, then the mailbox enabled with its counts reset.
    async fn record_action_check(
        &self,
        record: &MailboxRecord,
        sides: Vec<SideCheck>,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let thresholds = ErrorThresholds::default();
        let (dir, id) = (self.config().resolved_data_dir(), record.id);
        let now = now_ms();
        let history = history_of(&sides, now);
        blocking(move || {
            let change = change_now();
            let update = |before: &MailboxStatus| action_status(before, &sides, now, thresholds);
            Store::open(&dir)?
                .record_check(id, &RecordedCheck { history: &history, update: &update, change: Some(&change) })
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// Runs a scheduled or asked-for check of `record` and records it.
    async fn check_record(&self, record: &MailboxRecord, thresholds: ErrorThresholds) -> Result<MailboxCheck> {
        self.check_record_with(record, thresholds, ReadAhead::default(), Recording::Alone).await
    }

    async fn check_record_with(
        &self,
        record: &MailboxRecord,
        thresholds: ErrorThresholds,
        read_ahead: ReadAhead,
        recording: Recording<'_>,
    ) -> Result<MailboxCheck> {
        let sides = match self.stored_credentials_read_ahead(record, read_ahead).await {
            Ok(credentials) => {
                let scope = CheckScope { incoming: true, outgoing: true, force_refresh: false };
                self.run_sides(record, &credentials, scope, &NoProgress).await
            }
            // Without its credentials the check cannot start: each side gets the keychain's
            // diagnosis (locked: paused; the entry gone: an error that counts).
            Err(d) => sides_of(&record.settings).map(|side| failed_side(side, d.clone(), 0)).collect(),
        };
        let (dir, id) = (self.config().resolved_data_dir(), record.id);
        let now = now_ms();
        let jitter = fastrand::f64();
        let history = history_of(&sides, now);
        let was_enabled = record.status.enabled;
        let recorded = match recording {
            Recording::Alone => {
                let sides = sides.clone();
                blocking(move || {
                    let update = |before: &MailboxStatus| next_status(before, &sides, now, thresholds, jitter);
                    Store::open(&dir)?
                        .record_check(id, &RecordedCheck { history: &history, update: &update, change: None })
                })
                .await?
            }
            Recording::Batched(to_record) => {
                let (done, recorded) = tokio::sync::oneshot::channel();
                let pending = PendingCheck { id, history, sides: sides.clone(), now, jitter, thresholds, done };
                to_record.send(pending).map_err(|_| writer_gone())?;
                recorded.await.map_err(|_| writer_gone())??
            }
        };
        let check = MailboxCheck {
            id,
            email: record.settings.email.as_str().to_owned(),
            sides,
            disabled_now: was_enabled && !recorded.status.enabled && recorded.status.disabled_automatically,
            disabled: disabled_automatically(&recorded),
            status: recorded.status,
        };
        if check.disabled_now {
            tracing::warn!(id, "disabled after too many errors in a row");
            // Said on the desktop too: the mailbox stays off until someone turns it on.
            if let Err(e) = notify::show(notify::disabled_notice(record, &check, thresholds)).await {
                tracing::warn!(id, "no desktop notification: {e}");
            }
        }
        Ok(check)
    }

    /// The stored credentials of a mailbox: its password or grant, and the outgoing server's own
    /// password when it has one.
    pub(crate) async fn stored_credentials(
        &self,
        record: &MailboxRecord,
    ) -> std::result::Result<CheckCredentials, Diagnosis> {
        self.stored_credentials_read_ahead(record, ReadAhead::default()).await
    }

    /// [`Engine::stored_credentials`], taking the passwords already read where there are.
    async fn stored_credentials_read_ahead(
        &self,
        record: &MailboxRecord,
        read_ahead: ReadAhead,
    ) -> std::result::Result<CheckCredentials, Diagnosis> {
        let incoming = match (&record.grant, read_ahead.incoming) {
            (Some(grant), _) => Credentials::OAuth2(grant.clone()),
            (None, Some(password)) => Credentials::Password(password),
            (None, None) => Credentials::Password(
                self.keychain().read(&record.keychain_account).await.map_err(|e| Diagnosis::of(&e, None))?,
            ),
        };
        let outgoing = match (&record.settings.outgoing, read_ahead.outgoing) {
            (Some(o), Some(password)) if !o.same_password => Some(Credentials::Password(password)),
            (Some(o), _) if !o.same_password => Some(self.outgoing_password(record, o).await?),
            _ => None,
        };
        Ok(CheckCredentials { incoming, outgoing })
    }

    async fn outgoing_password(
        &self,
        record: &MailboxRecord,
        _outgoing: &OutgoingSettings,
    ) -> std::result::Result<Credentials, Diagnosis> {
        self.keychain()
            .read(&outgoing_account(&record.keychain_account))
            .await
            .map(Credentials::Password)
            .map_err(|e| Diagnosis::of(&e, None).on(Side::Outgoing))
    }

    /// Both sides at the same time, each timed, their stages told to `sink` on one clock (an
    /// action's report records them there).
    pub(crate) async fn run_sides(
        &self,
        record: &MailboxRecord,
        credentials: &CheckCredentials,
        scope: CheckScope,
        sink: &dyn ProgressSink,
    ) -> Vec<SideCheck> {
        let settings = &record.settings;
        let progress = Progress::new(sink);
        let progress = &progress;
        let incoming = async {
            if !scope.incoming {
                return None;
            }
            let started = Instant::now();
            let outcome = self.with_grant(settings, &credentials.incoming, scope.force_refresh, |c| async move {
                self.check_incoming_side(record, &c, progress).await
            });
            Some(timed(Side::Incoming, outcome.await, started))
        };
        let outgoing = async {
            let outgoing = settings.outgoing.as_ref().filter(|_| scope.outgoing)?;
            let started = Instant::now();
            let own = credentials.outgoing.as_ref().unwrap_or(&credentials.incoming);
            let outcome = self.with_grant(settings, own, scope.force_refresh, |c| async move {
                self.check_outgoing_side(settings, outgoing, &c, &progress.for_side(Side::Outgoing)).await
            });
            Some(timed(Side::Outgoing, outcome.await, started))
        };
        let (incoming, outgoing) = tokio::join!(incoming, outgoing);
        incoming.into_iter().chain(outgoing).collect()
    }

    /// Runs `check` with `credentials` made ready: a grant gets its access token (from memory,
    /// or refreshed); a token from memory that the server refuses is renewed once, so a revoked
    /// grant is diagnosed as "sign in again".
    pub(crate) async fn with_grant<T, F, Fut>(
        &self,
        settings: &MailboxSettings,
        credentials: &Credentials,
        force_refresh: bool,
        check: F,
    ) -> std::result::Result<T, Diagnosis>
    where
        F: Fn(Credentials) -> Fut,
        Fut: std::future::Future<Output = std::result::Result<T, Diagnosis>>,
    {
        if !matches!(credentials, Credentials::OAuth2(_)) {
            return check(credentials.clone()).await;
        }
        let (ready, from_memory) = self.ready_credentials(credentials, settings, force_refresh).await?;
        let mut outcome = check(ready).await;
        if from_memory && outcome.as_ref().is_err_and(|d| d.code == DiagnosisCode::AuthenticationFailed) {
            let (ready, _) = self.ready_credentials(credentials, settings, true).await?;
            outcome = check(ready).await;
        }
        outcome.map_err(Diagnosis::token_refused_by_mail_server)
    }

    /// IMAP: sign in, STATUS of the chosen folders (INBOX when none was chosen), LOGOUT.
    /// POP3: sign in, STAT, QUIT.
    async fn check_incoming_side(
        &self,
        record: &MailboxRecord,
        credentials: &Credentials,
        progress: &Progress<'_>,
    ) -> std::result::Result<(), Diagnosis> {
        let settings = &record.settings;
        let deadlines = &self.config().deadlines;
        let dial = self.dial_for(settings, MailboxServer::Incoming, progress);
        let usernames = username_candidates(settings);
        let checked: Result<()> = async {
            match &settings.incoming {
                IncomingServer::Imap(_) => {
                    let connected = imap::connect(&dial).await?;
                    let mut signed_in = imap::sign_in(connected, &usernames, credentials, deadlines, progress).await?;
                    let mut folders: Vec<String> = record.folders.iter().map(|f| f.raw_name.clone()).collect();
                    if folders.is_empty() {
                        folders.push("INBOX".to_owned());
                    }
                    let status = imap::status_of(&mut signed_in, &folders, deadlines, progress).await;
                    imap::log_out(&mut signed_in).await;
                    status.map(drop)
                }
                IncomingServer::Pop3(_) => pop3::check(&dial, &usernames, credentials).await.map(drop),
            }
        }
        .await;
        checked.map_err(|e| {
            Diagnosis::of(&e, Some(settings.email.as_str()))
                .on(Side::Incoming)
                .for_protocol(settings.incoming.protocol())
        })
    }

    /// SMTP: EHLO, AUTH, NOOP, QUIT. Never a message.
    async fn check_outgoing_side(
        &self,
        settings: &MailboxSettings,
        outgoing: &OutgoingSettings,
        credentials: &Credentials,
        progress: &Progress<'_>,
    ) -> std::result::Result<(), Diagnosis> {
        let usernames = match &outgoing.username {
            Some(u) if !u.trim().is_empty() => vec![u.trim().to_owned()],
            _ => username_candidates(settings),
        };
        let dial = self.dial_for(settings, MailboxServer::Outgoing(outgoing), progress);
        smtp::check(&dial, &usernames, credentials)
            .await
            .map(drop)
            .map_err(|e| Diagnosis::of(&e, Some(settings.email.as_str())).on(Side::Outgoing))
    }

    /// Deletes a mailbox's keychain entries, the outgoing one first (should the keychain stop
    /// between the two, the mailbox keeps the password it needs to receive).
    pub(crate) async fn delete_keychain_entries(&self, record: &MailboxRecord) -> std::result::Result<(), Diagnosis> {
        for account in [outgoing_account(&record.keychain_account), record.keychain_account.clone()] {
            self.keychain().delete(&account).await.map_err(|e| crate::service::not_removed(Diagnosis::of(&e, None)))?;
        }
        // With a grant, the entry was its refresh token; its access token goes from memory too.
        self.oauth.tokens.forget(&record.keychain_account);
        Ok(())
    }
}

/// The passwords of one mailbox that a `check_all` read before its checks started; None: read
/// when the check starts.
#[derive(Default)]
struct ReadAhead {
    incoming: Option<Secret>,
    outgoing: Option<Secret>,
}

/// Where a check's outcome goes: its own transaction, or the batch writer of a `check_all`.
enum Recording<'a> {
    Alone,
    Batched(&'a tokio::sync::mpsc::UnboundedSender<PendingCheck>),
}

/// A check done, waiting to be recorded by the [`BatchWriter`].
struct PendingCheck {
    id: i64,
    history: Vec<CheckRecord>,
    sides: Vec<SideCheck>,
    now: i64,
    jitter: f64,
    thresholds: ErrorThresholds,
    done: tokio::sync::oneshot::Sender<Result<MailboxRecord>>,
}

/// Records the checks of a `check_all` on one connection to the store, every check that is
/// done by the time the previous batch is written in one transaction. A connection per check
/// had the concurrent checks' transactions wait for each other in SQLite's busy handler, which
/// sleeps (strace of 1,000 checks at 16 at once: 5,700 sleeps, 2,000 fsyncs, most of the wall
/// time); now one writer never waits for another of ours, and pays one commit per batch. Each
/// mailbox's check is still recorded whole or not at all (see [`Store::record_checks`]).
struct BatchWriter;

impl BatchWriter {
    /// Starts the writer; it ends once every sender is dropped and the last batch is written.
    fn start(
        dir: std::path::PathBuf,
    ) -> (tokio::task::JoinHandle<()>, tokio::sync::mpsc::UnboundedSender<PendingCheck>) {
        let (to_record, mut pending) = tokio::sync::mpsc::unbounded_channel::<PendingCheck>();
        let writer = tokio::task::spawn_blocking(move || {
            let mut store: Option<Store> = None;
            while let Some(first) = pending.blocking_recv() {
                let mut batch = vec![first];
                while let Ok(more) = pending.try_recv() {
                    batch.push(more);
                }
                if store.is_none() {
                    match Store::open(&dir) {
                        Ok(opened) => store = Some(opened),
                        Err(e) => {
                            let message = e.to_string();
                            for check in batch {
                                let _ =
                                    check.done.send(Err(crate::error::EngineError::Store { message: message.clone() }));
                            }
                            continue;
                        }
                    }
                }
                let updates: Vec<_> = batch
                    .iter()
                    .map(|c| move |before: &MailboxStatus| next_status(before, &c.sides, c.now, c.thresholds, c.jitter))
                    .collect();
                let checks: Vec<(i64, RecordedCheck<'_>)> = batch
                    .iter()
                    .zip(&updates)
                    .map(|(c, update)| (c.id, RecordedCheck { history: &c.history, update, change: None }))
                    .collect();
                let results = store.as_mut().expect("opened above").record_checks(&checks);
                drop(checks);
                match results {
                    Ok(results) => {
                        for (check, result) in batch.into_iter().zip(results) {
                            let _ = check.done.send(result);
                        }
                    }
                    Err(e) => {
                        let message = e.to_string();
                        for check in batch {
                            let _ = check.done.send(Err(crate::error::EngineError::Store { message: message.clone() }));
                        }
                    }
                }
            }
        });
        (writer, to_record)
    }
}

fn writer_gone() -> crate::error::EngineError {
    crate::error::EngineError::Store { message: "the store's writer stopped".into() }
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
