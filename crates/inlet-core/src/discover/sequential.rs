//! [`super::Walk::Sequential`]: the same sources one after another (stopping at the first with an
//! incoming server), and one check at a time: the baseline `./dev bench` compares the race
//! against, and what older clients do.

use std::time::Instant;

use super::proposal::{SourceId, SourceStatus};
use super::sources::{Found, Source};

/// One source after another in rank order, each to its end or deadline; stops after the first
/// that names an incoming server.
pub(crate) async fn sequential<'a>(
    mut sources: Vec<Source<'a>>,
    emit: &(dyn Fn(SourceId, Option<SourceStatus>, Option<String>) + Sync),
) -> Vec<Found> {
    sources.sort_by_key(|s| s.0);
    let mut out = Vec::new();
    let mut found_incoming = false;
    for (id, deadline, asks, work) in sources {
        if found_incoming {
            out.push(Found::ended(id, SourceStatus::Skipped, "not needed".into()));
            continue;
        }
        emit(id, None, Some(asks));
        let t = Instant::now();
        let found = match tokio::time::timeout(deadline, work).await {
            Ok(found) => found,
            Err(_) => Found::ended(id, SourceStatus::TimedOut, format!("no answer within {} ms", deadline.as_millis())),
        };
        emit(id, Some(found.status), Some(found.summary.clone()));
        found_incoming = !found.incoming.is_empty();
        out.push(Found { elapsed: t.elapsed(), ..found });
    }
    out
}
