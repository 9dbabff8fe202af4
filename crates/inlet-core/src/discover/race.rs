//! The race: every source of discovery starts at once, each under its own deadline. The answer is
//! the best-ranked source that has candidates once every better-ranked source has finished, or,
//! when a better-ranked source is still silent, `grace` after the first answer arrived: a source
//! that never answers cannot hold the answer back. The rest are cancelled. While the race goes on,
//! the best candidates of each answer are already being checked ([`Checks`]).
//!
//! Only the scheduler lives here: the sources are in [`super::sources`], the checks in
//! [`super::verify`], the sequential baseline in [`super::sequential`].

use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};

use super::proposal::{SourceId, SourceStatus};
use super::sources::{Found, Source};
use super::verify::Checks;

/// Every source at once; see the module docs for when the answer is decided.
pub(crate) async fn race<'a, 'n>(
    sources: Vec<Source<'a>>,
    grace: Duration,
    mut checks: Option<&mut Checks<'n>>,
    emit: &(dyn Fn(SourceId, Option<SourceStatus>, Option<String>) + Sync),
) -> Vec<Found> {
    let started = Instant::now();
    let ids: Vec<SourceId> = sources.iter().map(|s| s.0).collect();
    let mut done: Vec<Option<Found>> = vec![None; sources.len()];
    let mut running: FuturesUnordered<_> = sources
        .into_iter()
        .enumerate()
        .map(|(i, (id, deadline, _, work))| async move {
            let t = Instant::now();
            let found = match tokio::time::timeout(deadline, work).await {
                Ok(found) => found,
                Err(_) => {
                    Found::ended(id, SourceStatus::TimedOut, format!("no answer within {} ms", deadline.as_millis()))
                }
            };
            (i, Found { elapsed: t.elapsed(), ..found })
        })
        .collect();
    let mut first_answer: Option<Instant> = None;
    // Early checks are driven here while the race goes on; their results are shared.
    let mut early = FuturesUnordered::new();
    while !running.is_empty() {
        if decided(&ids, &done, |f| !f.incoming.is_empty()) && decided(&ids, &done, |f| !f.outgoing.is_empty()) {
            break;
        }
        let grace_over = async {
            match first_answer {
                Some(t) => tokio::time::sleep_until((t + grace).into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some((i, found)) = running.next() => {
                emit(found.source, Some(found.status), Some(found.summary.clone()));
                if let Some(checks) = checks.as_deref_mut() {
                    early.extend(checks.start_for(&found));
                }
                if first_answer.is_none() && !found.incoming.is_empty() {
                    first_answer = Some(Instant::now());
                }
                done[i] = Some(found);
            }
            _ = early.next(), if !early.is_empty() => {}
            _ = grace_over => break,
        }
    }
    drop(running); // cancels the sources still running
    let elapsed = started.elapsed();
    ids.iter()
        .zip(done)
        .map(|(id, found)| {
            found.unwrap_or_else(|| {
                let f = Found::ended(*id, SourceStatus::Cancelled, "stopped: a better answer was already there".into());
                emit(*id, Some(SourceStatus::Cancelled), Some(f.summary.clone()));
                Found { elapsed, ..f }
            })
        })
        .collect()
}

/// Whether the best-ranked source with something for one side has answered, and every
/// better-ranked source has finished.
fn decided(ids: &[SourceId], done: &[Option<Found>], has: impl Fn(&Found) -> bool) -> bool {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i]);
    for i in order {
        match &done[i] {
            None => return false,
            Some(f) if has(f) => return true,
            Some(_) => {}
        }
    }
    false
}
