//! Ranking: the candidates of every source in one order (better sources first, a server that
//! answered before one that did not), duplicates merged.

use super::proposal::Candidate;

/// Whether `host` is `domain` or one of its subdomains.
pub(crate) fn within_domain(host: &str, domain: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Orders candidates best first: verified before unchecked before failed, then by source rank,
/// keeping each source's own order. Duplicates (same server) are merged into the best-ranked.
pub(crate) fn rank(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    fn check(c: &Candidate) -> u8 {
        match &c.verification {
            Some(v) if v.verified => 0,
            None => 1,
            Some(_) => 2,
        }
    }
    // Stable: a source's own order of preference survives.
    candidates.sort_by_key(|c| c.source);
    let mut merged: Vec<Candidate> = Vec::new();
    for c in candidates {
        match merged.iter_mut().find(|m| m.same_server(&c)) {
            Some(existing) => {
                // A source that vouches for the same server lifts the need to confirm; one that
                // merely found it too (a guess, a DNS answer) does not.
                if c.needs_confirmation.is_none() && c.source.vouches() {
                    existing.needs_confirmation = None;
                }
                if existing.username.is_none() {
                    existing.username = c.username;
                }
                if existing.verification.is_none() {
                    existing.verification = c.verification;
                }
            }
            None => merged.push(c),
        }
    }
    merged.sort_by_key(|c| (check(c), c.source));
    merged
}
