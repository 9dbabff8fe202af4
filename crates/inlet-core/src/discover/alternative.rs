//! IMAP next to a POP3 server: POP3 has only the inbox, so when the same provider also offers
//! IMAP, [`imap_alternative`] finds it (without credentials) so the wizard can offer to switch.
//! It searches like discovery's guessing ([`guess::first_working`]).

use std::net::IpAddr;
use std::time::Duration;

use crate::account::{default_port, Endpoint, Protocol, Security};
use crate::config::Deadlines;
use crate::discover::sources::guess;
use crate::net::Network;
use crate::progress::{Progress, Stage, StageState};

/// The IMAP probes start this far apart, so a provider is not hit with every probe at once and
/// the preferred candidate usually answers first.
const PROBE_STAGGER: Duration = Duration::from_millis(150);

/// Probes, without credentials, whether the provider behind `email_domain` / `pop3_host` also
/// offers IMAP (imap.<domain> and the POP3 host's sibling on 993 TLS, then 143 STARTTLS).
pub async fn imap_alternative(
    pop3_host: &str,
    email_domain: &str,
    network: &Network,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Option<Endpoint> {
    probe_imap_candidates(&imap_candidates(pop3_host, email_domain), network, deadlines, progress).await
}

/// Where IMAP usually lives next to a POP3 server, best first: implicit TLS (993, RFC 8314) on
/// every host before STARTTLS (143) on any. Hosts: `imap.<email domain>`, the POP3 host's
/// `imap.` sibling (`pop.x` / `pop3.x` → `imap.x`), and the POP3 host itself (many providers
/// serve both protocols on one name). No duplicates; IP addresses get no `imap.` prefix.
pub fn imap_candidates(pop3_host: &str, email_domain: &str) -> Vec<Endpoint> {
    let norm = |s: &str| s.trim().trim_end_matches('.').to_ascii_lowercase();
    let is_name = |s: &str| !s.is_empty() && s.trim_matches(['[', ']']).parse::<IpAddr>().is_err();
    let (pop, domain) = (norm(pop3_host), norm(email_domain));
    let mut hosts: Vec<String> = Vec::new();
    if is_name(&domain) {
        hosts.push(format!("imap.{domain}"));
    }
    if is_name(&pop) {
        if let Some(rest) = ["pop3.", "pop."].iter().find_map(|p| pop.strip_prefix(p)).filter(|r| !r.is_empty()) {
            hosts.push(format!("imap.{rest}"));
        }
    }
    if !pop.is_empty() {
        hosts.push(pop);
    }
    let mut seen = std::collections::HashSet::new();
    hosts.retain(|h| seen.insert(h.clone()));
    [Security::Tls, Security::Starttls]
        .into_iter()
        .map(|security| (default_port(Protocol::Imap, security), security))
        .flat_map(|(port, security)| hosts.iter().map(move |host| Endpoint { host: host.clone(), port, security }))
        .collect()
}

/// Probes `candidates` (best first) in parallel with staggered starts, without credentials:
/// connect, TLS (or STARTTLS) with a certificate the system trusts, the IMAP greeting and
/// capabilities (discovery's check, `discover::probe`). Returns the best
/// candidate that works: a later one that answers first waits for the better ones still pending.
/// The whole search takes at most `deadlines.connect`, so it never holds up the POP3 check for
/// longer than that; whatever works by then is the answer.
pub async fn probe_imap_candidates(
    candidates: &[Endpoint],
    network: &Network,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Option<Endpoint> {
    let listed = candidates.iter().map(Endpoint::display).collect::<Vec<_>>().join(", ");
    progress.emit(Stage::LookingForImap, StageState::Started, None, Some(listed.clone()));
    // The same search as discovery's guessing: staggered starts like happy eyeballs (RFC 8305),
    // the next at once when one fails, a worse answer waiting for the better ones still running.
    // The probes' own steps stay out of the user's progress.
    let imap: Vec<(Protocol, Endpoint)> = candidates.iter().map(|e| (Protocol::Imap, e.clone())).collect();
    let searched = guess::first_working(&imap, network, PROBE_STAGGER, deadlines.connect, deadlines.connect).await;
    let found = searched.found.map(|g| g.endpoint);
    match &found {
        Some(e) => progress.emit(
            Stage::LookingForImap,
            StageState::Done,
            Some(&e.display()),
            Some(format!(
                "IMAP is also offered at {} ({}); it keeps your folders on the server",
                e.display(),
                e.security.label()
            )),
        ),
        None if candidates.is_empty() => {
            progress.emit(Stage::LookingForImap, StageState::Done, None, Some("no server name to try".into()))
        }
        None => progress.emit(
            Stage::LookingForImap,
            StageState::Done,
            None,
            Some(format!("no IMAP server answered at {listed}")),
        ),
    }
    found
}
