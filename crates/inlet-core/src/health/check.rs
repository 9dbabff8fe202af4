//! The health check itself: one mailbox or all that are due, signing in on each side with the
//! stored password or grant, and recording the outcome (alone, or in batches for `check_all`).

use super::*;
use crate::account::{IncomingServer, MailboxSettings, OutgoingSettings, Side};
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::error::Result;
use crate::notify;
use crate::policy::{ConnectionPolicy, ErrorThresholds};
use crate::progress::{NoProgress, Progress, ProgressSink};
use crate::protocol::{imap, pop3, smtp};
use crate::secrets::{Credentials, Secret};
use crate::service::{blocking, now_ms, outgoing_account, username_candidates, Engine, MailboxServer};
use crate::store::{MailboxRecord, MailboxStatus, RecordedCheck, Store};
use futures::StreamExt;
use std::time::Instant;

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
    pub(super) async fn with_passwords_read_ahead(&self, due: Vec<MailboxRecord>) -> Vec<(MailboxRecord, ReadAhead)> {
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

    /// Runs a scheduled or asked-for check of `record` and records it.
    pub(super) async fn check_record(
        &self,
        record: &MailboxRecord,
        thresholds: ErrorThresholds,
    ) -> Result<MailboxCheck> {
        self.check_record_with(record, thresholds, ReadAhead::default(), Recording::Alone).await
    }

    pub(super) async fn check_record_with(
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
    pub(super) async fn stored_credentials_read_ahead(
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

    pub(super) async fn outgoing_password(
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
    pub(super) async fn check_incoming_side(
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
    pub(super) async fn check_outgoing_side(
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
}

/// The passwords of one mailbox that a `check_all` read before its checks started; None: read
/// when the check starts.
#[derive(Default)]
pub(super) struct ReadAhead {
    incoming: Option<Secret>,
    outgoing: Option<Secret>,
}

/// Where a check's outcome goes: its own transaction, or the batch writer of a `check_all`.
pub(super) enum Recording<'a> {
    Alone,
    Batched(&'a tokio::sync::mpsc::UnboundedSender<PendingCheck>),
}

/// A check done, waiting to be recorded by the [`BatchWriter`].
pub(super) struct PendingCheck {
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
