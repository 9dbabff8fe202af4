//! POP3 (RFC 1939, CAPA from RFC 2449, STLS from RFC 2595, SASL PLAIN from RFC 5034).
//! No maintained async POP3 crate exists, so this small client is written here on tokio.
//!
//! A check is: connect (implicit TLS, STLS, or plain only when the user confirmed it), greeting,
//! CAPA, sign in with the first username the server accepts, STAT (the liveness check: it proves
//! the mailbox opens and says how many messages wait), QUIT. POP3 has only the inbox, so when the
//! same provider also offers IMAP, [`imap_alternative`] finds it (without credentials) so the
//! wizard can offer to switch.

use crate::account::{default_port, Endpoint, Protocol, Security};
use crate::config::Deadlines;
use crate::discover::guess;
use crate::error::{EngineError, Result};
use crate::net::{self, with_deadline, Dial, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::secrets::Secret;
use crate::server_text::{shown, shown_plain, Redactor};
use base64::Engine as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zeroize::Zeroizing;

/// What a successful POP3 check found.
#[derive(Debug, Clone)]
pub struct Pop3Report {
    pub address: SocketAddr,
    pub username: String,
    pub encrypted: bool,
    pub capabilities: Vec<String>,
    pub message_count: u32,
    pub mailbox_octets: u64,
}

/// The longest line accepted from a server, in octets. RFC 1939 section 3 limits a response to
/// 512 characters including CRLF (RFC 2449 section 4 keeps that for CAPA lines). Real servers
/// overstep it (long greetings, IMPLEMENTATION strings, long SASL lists), so the bound has a wide
/// margin, 16 times the RFC's; but it is a bound: lines are read in chunks and the read stops
/// as soon as this many octets arrived without a line end, so a server sending garbage or a line
/// that never ends fails at once with a clear error instead of filling our memory until a deadline.
const MAX_LINE: usize = 8 * 1024;
/// A multi-line answer (CAPA) is bounded too, besides its deadline.
const MAX_LINES: usize = 1000;
/// RFC 5034 section 4: the AUTH command with its initial response must fit in 255 octets
/// (including CRLF); longer credentials go on their own line after an empty challenge.
const MAX_AUTH_COMMAND: usize = 255;
/// QUIT and LOGOUT are courtesy: a slow server must not hold a finished check.
const GOODBYE_LIMIT: Duration = Duration::from_secs(2);
/// The IMAP probes start this far apart, so a provider is not hit with every probe at once and
/// the preferred candidate usually answers first.
const PROBE_STAGGER: Duration = Duration::from_millis(150);

/// Connect (TLS, STLS or confirmed plain), sign in with the first accepted username, STAT, QUIT.
pub async fn check(dial: &Dial<'_>, usernames: &[String], password: &Secret) -> Result<Pop3Report> {
    let Dial { endpoint, deadlines, progress, .. } = *dial;
    let target = endpoint.display();
    // A line break would end the command early and start another one with the rest (command
    // injection); NUL separates the fields of SASL PLAIN (RFC 4616).
    let forbidden = |s: &str| s.contains(['\r', '\n', '\0']);
    if usernames.is_empty() || usernames.iter().any(|u| u.is_empty() || forbidden(u)) {
        return Err(EngineError::InvalidInput {
            field: "username",
            message: "The username must not be empty or contain line breaks.".into(),
        });
    }
    if forbidden(password.expose()) {
        return Err(EngineError::InvalidInput {
            field: "password",
            message: "The password must not contain line breaks.".into(),
        });
    }

    // Whatever the server says from here on may quote the password back (`-ERR unknown command:
    // PASS <password>`), in clear or in the SASL PLAIN form of any username tried.
    let mut redactor = Redactor::new().secret(password.expose());
    for username in usernames {
        redactor.add_sasl_plain(username, password.expose());
    }
    let redactor = Arc::new(redactor);
    let reopen = || open(dial, redactor.clone());
    let mut session = reopen().await?;
    let method = choose_method(&session)?;
    let mut tried: Vec<String> = Vec::new();
    let mut last_said = String::new();
    let mut fresh = true;
    let mut signed_in_as = None;
    let mut next = usernames.iter();
    let mut pending = next.next();
    while let Some(username) = pending {
        progress.emit(Stage::SigningIn, StageState::Started, Some(&target), Some(format!("as {username}")));
        let outcome = with_deadline(
            Stage::SigningIn,
            &target,
            deadlines.command,
            authenticate(&mut session.conn, method, username, password),
        )
        .await;
        match outcome {
            Ok(Ok(())) => {
                tried.push(username.clone());
                progress.emit(
                    Stage::SigningIn,
                    StageState::Done,
                    Some(&target),
                    Some(format!("signed in as {username}")),
                );
                signed_in_as = Some(username.clone());
                break;
            }
            Ok(Err(said)) => {
                tried.push(username.clone());
                if let Some(refusal) = not_about_credentials(&said) {
                    // The server got past the password and refused for another reason: trying
                    // another username would not help, and "wrong password" would mislead.
                    let (code, temporary) = refusal;
                    progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), Some(format!("[{code}]")));
                    let stage = Stage::SigningIn;
                    return Err(if temporary {
                        EngineError::TemporaryFailure { stage, target, server_said: said }
                    } else {
                        EngineError::ServerRefused { stage, target, server_said: said }
                    });
                }
                progress.emit(
                    Stage::SigningIn,
                    StageState::Update,
                    Some(&target),
                    Some(format!("refused as {username}")),
                );
                last_said = said;
                fresh = false;
                pending = next.next();
            }
            // RFC 1939 lets a server close the connection after a failed sign-in (many do after
            // one or a few). The next username then gets a new connection, once.
            Err(EngineError::ConnectionClosed { .. }) if !fresh => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Update,
                    Some(&target),
                    Some("the server closed the connection after the refusal; connecting again".into()),
                );
                session = reopen().await?;
                fresh = true;
            }
            Err(e) => {
                progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), None);
                return Err(e);
            }
        }
    }
    let Some(username) = signed_in_as else {
        progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), None);
        return Err(EngineError::AuthenticationFailed { target, tried, server_said: last_said });
    };

    // STAT (RFC 1939 section 5): the cheapest command that proves the mailbox really opened.
    progress.emit(Stage::CheckingMailbox, StageState::Started, Some(&target), None);
    let stat = with_deadline(Stage::CheckingMailbox, &target, deadlines.command, async {
        session.conn.command("STAT", Stage::CheckingMailbox).await
    })
    .await
    .and_then(|reply| parse_stat(reply, &target));
    let (message_count, mailbox_octets) = match stat {
        Ok(counts) => counts,
        Err(e) => {
            progress.emit(Stage::CheckingMailbox, StageState::Failed, Some(&target), None);
            return Err(e);
        }
    };
    progress.emit(
        Stage::CheckingMailbox,
        StageState::Done,
        Some(&target),
        Some(format!(
            "{message_count} {} ({mailbox_octets} bytes)",
            if message_count == 1 { "message" } else { "messages" }
        )),
    );

    // QUIT ends the session cleanly (RFC 1939 section 6); nothing is deleted since we marked nothing.
    let _ = tokio::time::timeout(GOODBYE_LIMIT.min(deadlines.command), async {
        let _ = session.conn.command("QUIT", Stage::CheckingMailbox).await;
        let _ = session.conn.stream.shutdown().await;
    })
    .await;

    Ok(Pop3Report {
        address: session.address,
        username,
        encrypted: session.encrypted,
        capabilities: session.capabilities.lines,
        message_count,
        mailbox_octets,
    })
}

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

// ---- the session ----------------------------------------------------------------------------

/// What CAPA said. `supported` is false when the server answered CAPA with -ERR (RFC 1939-only
/// servers): then nothing is known and USER/PASS is the one method every server has.
#[derive(Debug, Clone, Default)]
struct Capabilities {
    supported: bool,
    lines: Vec<String>,
}

impl Capabilities {
    fn has(&self, name: &str) -> bool {
        self.lines.iter().any(|l| l.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case(name)))
    }
    /// RFC 2449 section 6.3: `SASL PLAIN LOGIN ...`.
    fn sasl_mechanisms(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                words
                    .next()
                    .filter(|w| w.eq_ignore_ascii_case("SASL"))
                    .map(|_| words.map(str::to_ascii_uppercase).collect::<Vec<_>>())
            })
            .flatten()
            .collect()
    }
}

struct Session {
    conn: Conn,
    address: SocketAddr,
    capabilities: Capabilities,
    encrypted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// AUTH PLAIN with an initial response (RFC 5034, RFC 4616).
    SaslPlain,
    /// USER then PASS (RFC 1939 section 7).
    UserPass,
}

/// What a POP3 server offers before sign-in, as seen by [`probe`].
#[derive(Debug, Clone)]
pub struct Offer {
    /// CAPA lines (empty when the server has no CAPA).
    pub capabilities: Vec<String>,
    /// SASL mechanisms (CAPA `SASL`), upper-cased.
    pub sasl_mechanisms: Vec<String>,
    /// USER/PASS is accepted (CAPA lists USER, or the server predates CAPA).
    pub user_pass: bool,
    pub encrypted: bool,
}

/// Discovery's check, without credentials: connect, TLS or STLS as the endpoint says, greeting,
/// CAPA, QUIT. Nothing secret is sent, so a plain endpoint is probed too (the user is still
/// asked before a password goes over it).
pub async fn probe(
    endpoint: &Endpoint,
    network: &Network,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Offer> {
    // Nothing secret is sent, so there is nothing to remove; the text is still cleaned.
    let dial = Dial { endpoint, allow_plaintext_password: true, network, trusted: &[], deadlines, progress };
    let mut session = open(&dial, Arc::default()).await?;
    let caps = &session.capabilities;
    let offer = Offer {
        capabilities: caps.lines.clone(),
        sasl_mechanisms: caps.sasl_mechanisms(),
        user_pass: !caps.supported || caps.has("USER"),
        encrypted: session.encrypted,
    };
    // QUIT is a courtesy the caller need not wait for: its round trip runs on its own.
    tokio::spawn(async move {
        let _ = tokio::time::timeout(GOODBYE_LIMIT, session.conn.command("QUIT", Stage::Greeting)).await;
    });
    Ok(offer)
}

/// Connects, reads the greeting and CAPA, upgrades with STLS when asked. Refuses, before any
/// password is sent, a plain connection the user did not explicitly accept.
async fn open(dial: &Dial<'_>, redactor: Arc<Redactor>) -> Result<Session> {
    let Dial { endpoint, allow_plaintext_password, network, trusted, deadlines, progress } = *dial;
    let target = endpoint.display();
    let (tcp, address) = net::connect_tcp(network, &endpoint.host, endpoint.port, deadlines, progress).await?;
    let stream = match endpoint.security {
        Security::Tls => MailStream::Tls(Box::new(
            net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress).await?,
        )),
        Security::Starttls | Security::None => MailStream::Plain(tcp),
    };
    let mut conn = Conn::new(stream, target.clone(), redactor.clone());
    read_greeting(&mut conn, deadlines, progress).await?;
    let mut capabilities = read_capabilities(&mut conn, deadlines, progress).await?;
    let mut encrypted = endpoint.security == Security::Tls;

    match endpoint.security {
        Security::Starttls => {
            // STLS is advertised in CAPA (RFC 2595 section 4). A server without CAPA may still
            // have it, and asking costs nothing secret; a server whose CAPA omits it does not.
            if capabilities.supported && !capabilities.has("STLS") {
                // Never continue in clear when the user asked for encryption (RFC 8314 section 3).
                progress.emit(Stage::Starttls, StageState::Failed, Some(&target), Some("not offered".into()));
                return Err(EngineError::StarttlsNotOffered { target });
            }
            progress.emit(Stage::Starttls, StageState::Started, Some(&target), None);
            let reply =
                with_deadline(Stage::Starttls, &target, deadlines.command, conn.command("STLS", Stage::Starttls)).await;
            match reply {
                Ok(Reply::Ok(_)) => {}
                Ok(Reply::Err(said)) => {
                    progress.emit(Stage::Starttls, StageState::Failed, Some(&target), Some(said));
                    return Err(EngineError::StarttlsNotOffered { target });
                }
                Ok(Reply::Continue) => {
                    progress.emit(Stage::Starttls, StageState::Failed, Some(&target), None);
                    return Err(EngineError::Protocol {
                        stage: Stage::Starttls,
                        target,
                        message: "\"+\" in answer to STLS".into(),
                    });
                }
                Err(e) => {
                    progress.emit(Stage::Starttls, StageState::Failed, Some(&target), None);
                    return Err(e);
                }
            }
            progress.emit(Stage::Starttls, StageState::Done, Some(&target), None);
            let tcp = conn.into_plain_for_tls(Stage::Starttls)?;
            let tls_stream =
                net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress).await?;
            conn = Conn::new(MailStream::Tls(Box::new(tls_stream)), target.clone(), redactor);
            // What was learned in clear may have been forged: ask again (RFC 2595 section 4).
            capabilities = read_capabilities(&mut conn, deadlines, progress).await?;
            encrypted = true;
        }
        Security::None => {
            // A server that lists neither USER nor SASL PLAIN in clear wants encryption first
            // (e.g. Dovecot with disable_plaintext_auth).
            if capabilities.supported
                && !capabilities.has("USER")
                && !capabilities.sasl_mechanisms().iter().any(|m| m == "PLAIN")
            {
                return Err(EngineError::EncryptionRequired { target });
            }
            if !allow_plaintext_password {
                return Err(EngineError::PlaintextNotConfirmed { target });
            }
        }
        Security::Tls => {}
    }
    Ok(Session { conn, address, capabilities, encrypted })
}

/// SASL PLAIN when CAPA lists it (one round trip, and it is the standard), USER/PASS when CAPA
/// lists USER or is not supported at all.
fn choose_method(session: &Session) -> Result<Method> {
    let caps = &session.capabilities;
    let mechanisms = caps.sasl_mechanisms();
    if mechanisms.iter().any(|m| m == "PLAIN") {
        Ok(Method::SaslPlain)
    } else if !caps.supported || caps.has("USER") {
        Ok(Method::UserPass)
    } else if !session.encrypted {
        Err(EngineError::EncryptionRequired { target: session.conn.target.clone() })
    } else {
        Err(EngineError::NoUsableAuthMechanism { target: session.conn.target.clone(), offered: mechanisms })
    }
}

async fn read_greeting(conn: &mut Conn, deadlines: &Deadlines, progress: &Progress<'_>) -> Result<()> {
    let target = conn.target.clone();
    progress.emit(Stage::Greeting, StageState::Started, Some(&target), None);
    let result = with_deadline(Stage::Greeting, &target, deadlines.greeting, async {
        let line = conn.read_line(Stage::Greeting).await?;
        // RFC 1939 section 4: the greeting is a positive response; -ERR means "not now".
        match parse_reply(&line).map(|reply| conn.shown_reply(reply)) {
            Some(Reply::Ok(text)) => Ok(text),
            Some(Reply::Err(text)) => {
                Err(EngineError::ServerRefused { stage: Stage::Greeting, target: target.clone(), server_said: text })
            }
            Some(Reply::Continue) | None => Err(EngineError::Protocol {
                stage: Stage::Greeting,
                target: target.clone(),
                message: format!("not a POP3 greeting: {}", conn.shown(&line)),
            }),
        }
    })
    .await;
    match result {
        Ok(text) => {
            progress.emit(Stage::Greeting, StageState::Done, Some(&target), Some(text));
            Ok(())
        }
        Err(e) => {
            progress.emit(Stage::Greeting, StageState::Failed, Some(&target), None);
            Err(e)
        }
    }
}

/// CAPA (RFC 2449 section 5): `+OK` then one capability per line, ended by a line with a dot.
async fn read_capabilities(conn: &mut Conn, deadlines: &Deadlines, progress: &Progress<'_>) -> Result<Capabilities> {
    let target = conn.target.clone();
    progress.emit(Stage::Capabilities, StageState::Started, Some(&target), None);
    let result = with_deadline(Stage::Capabilities, &target, deadlines.command, async {
        match conn.command("CAPA", Stage::Capabilities).await? {
            Reply::Err(_) => Ok(Capabilities::default()),
            Reply::Continue => Err(EngineError::Protocol {
                stage: Stage::Capabilities,
                target: target.clone(),
                message: "\"+\" in answer to CAPA".into(),
            }),
            Reply::Ok(_) => {
                Ok(Capabilities { supported: true, lines: conn.read_multiline(Stage::Capabilities).await? })
            }
        }
    })
    .await;
    match result {
        Ok(caps) => {
            let detail =
                if caps.supported { caps.lines.join(" ") } else { "CAPA not supported; using USER/PASS".into() };
            progress.emit(Stage::Capabilities, StageState::Done, Some(&target), Some(detail));
            Ok(caps)
        }
        Err(e) => {
            progress.emit(Stage::Capabilities, StageState::Failed, Some(&target), None);
            Err(e)
        }
    }
}

/// One sign-in attempt: `Ok(Ok(()))` signed in, `Ok(Err(server's words))` refused. Every copy
/// of the password made here (the SASL message, its base64 form, the command lines) is built at
/// its final size in a `Zeroizing` buffer, so it is wiped when dropped and no reallocation leaves
/// a stray copy behind; none ever appears in an error.
async fn authenticate(
    conn: &mut Conn,
    method: Method,
    username: &str,
    password: &Secret,
) -> Result<std::result::Result<(), String>> {
    let stage = Stage::SigningIn;
    let unexpected = |conn: &Conn, what: &str| EngineError::Protocol {
        stage,
        target: conn.target.clone(),
        message: what.to_owned(),
    };
    let reply = match method {
        Method::SaslPlain => {
            // RFC 4616: authzid (empty: act as ourselves) NUL authcid NUL password.
            let message = secret_line(&["\0", username, "\0", password.expose()]);
            let engine = &base64::engine::general_purpose::STANDARD;
            let mut response =
                Zeroizing::new(String::with_capacity(base64::encoded_len(message.len(), true).unwrap_or(0)));
            engine.encode_string(message.as_bytes(), &mut response);
            drop(message);
            let with_initial = secret_line(&["AUTH PLAIN ", &response]);
            let mut reply = if with_initial.len() + 2 <= MAX_AUTH_COMMAND {
                conn.send_secret(&with_initial, stage).await?;
                conn.read_reply(stage).await?
            } else {
                conn.send("AUTH PLAIN", stage).await?;
                match conn.read_reply(stage).await? {
                    Reply::Continue => {
                        conn.send_secret(&secret_line(&[&response]), stage).await?;
                        conn.read_reply(stage).await?
                    }
                    other => other,
                }
            };
            if reply == Reply::Continue {
                // PLAIN has one message; a further challenge is not PLAIN. Cancel (RFC 5034 section 4).
                conn.send("*", stage).await?;
                reply = conn.read_reply(stage).await?;
            }
            reply
        }
        Method::UserPass => match conn.command(&format!("USER {username}"), stage).await? {
            // Some servers refuse an unknown user at USER already.
            Reply::Err(said) => return Ok(Err(said)),
            Reply::Continue => return Err(unexpected(conn, "unexpected \"+\" after USER")),
            Reply::Ok(_) => {
                conn.send_secret(&secret_line(&["PASS ", password.expose()]), stage).await?;
                conn.read_reply(stage).await?
            }
        },
    };
    match reply {
        Reply::Ok(_) => Ok(Ok(())),
        Reply::Err(said) => Ok(Err(said)),
        Reply::Continue => Err(unexpected(conn, "the server kept asking for more during sign-in")),
    }
}

/// Response codes that say the credentials are not the problem, with whether the trouble is
/// passing: the mailbox is locked by another client (IN-USE) or the server limits how often one
/// may sign in (LOGIN-DELAY), both RFC 2449 section 8; a temporary or permanent system error
/// (SYS/TEMP, SYS/PERM, RFC 3206 section 4). Only SYS/PERM is lasting; the others go away by
/// waiting, so they are never a wrong password.
fn not_about_credentials(said: &str) -> Option<(String, bool)> {
    let code = said.strip_prefix('[')?.split(']').next()?.to_ascii_uppercase();
    let temporary = match code.as_str() {
        "IN-USE" | "LOGIN-DELAY" | "SYS/TEMP" => true,
        "SYS/PERM" => false,
        _ => return None,
    };
    Some((code, temporary))
}

/// One line of a sign-in, built at its final size in a buffer that is wiped
/// when dropped, so the password leaves no unwiped copy behind in freed memory.
fn secret_line(parts: &[&str]) -> Zeroizing<String> {
    let mut line = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    parts.iter().for_each(|p| line.push_str(p));
    line
}

/// `+OK nn mm` (RFC 1939 section 5): the number of messages and their size in octets.
fn parse_stat(reply: Reply, target: &str) -> Result<(u32, u64)> {
    let text = match reply {
        Reply::Ok(text) => text,
        Reply::Err(said) => {
            return Err(EngineError::ServerRefused {
                stage: Stage::CheckingMailbox,
                target: target.to_owned(),
                server_said: said,
            })
        }
        Reply::Continue => String::from("+"),
    };
    let mut words = text.split_whitespace();
    match (words.next().and_then(|n| n.parse().ok()), words.next().and_then(|n| n.parse().ok())) {
        (Some(count), Some(octets)) => Ok((count, octets)),
        _ => Err(EngineError::Protocol {
            stage: Stage::CheckingMailbox,
            target: target.to_owned(),
            message: format!("STAT answered without counts: {text}"),
        }),
    }
}

// ---- lines on the wire ----------------------------------------------------------------------

/// A status line (RFC 1939 section 3): `+OK text`, `-ERR text`, or a SASL continuation `+ data`
/// (RFC 5034 section 4).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reply {
    Ok(String),
    Err(String),
    Continue,
}

fn parse_reply(line: &str) -> Option<Reply> {
    // The indicators are upper case in the RFC; a few servers send them otherwise.
    let rest = |indicator: &str| -> Option<String> {
        let head = line.get(..indicator.len())?;
        if !head.eq_ignore_ascii_case(indicator) {
            return None;
        }
        let tail = &line[indicator.len()..];
        (tail.is_empty() || tail.starts_with(' ')).then(|| tail.trim().to_owned())
    };
    if let Some(text) = rest("+OK") {
        return Some(Reply::Ok(text));
    }
    if let Some(text) = rest("-ERR") {
        return Some(Reply::Err(text));
    }
    (line == "+" || line.starts_with("+ ")).then_some(Reply::Continue)
}

/// A connection with our own line buffer: bounded lines, and the buffer stays inspectable so
/// STLS can prove nothing arrived in clear after the server's go-ahead. Every answer leaves it
/// through [`shown`], so what the server says is never shown or stored with the password in it
/// or with control characters that a terminal would act on.
struct Conn {
    stream: MailStream,
    buf: Vec<u8>,
    target: String,
    redactor: Arc<Redactor>,
}

impl Conn {
    fn new(stream: MailStream, target: String, redactor: Arc<Redactor>) -> Conn {
        Conn { stream, buf: Vec::new(), target, redactor }
    }

    /// Server text as it may be shown or stored.
    fn shown(&self, text: &str) -> String {
        shown(text, &self.redactor)
    }

    fn shown_reply(&self, reply: Reply) -> Reply {
        match reply {
            Reply::Ok(text) => Reply::Ok(self.shown(&text)),
            Reply::Err(text) => Reply::Err(self.shown(&text)),
            Reply::Continue => Reply::Continue,
        }
    }

    /// One line without its CRLF (a bare LF is accepted too), at most [`MAX_LINE`] octets, read
    /// in chunks: the read stops as soon as the buffer holds more than that without a line end.
    async fn read_line(&mut self, stage: Stage) -> Result<String> {
        let mut scanned = 0;
        loop {
            if let Some(pos) = self.buf[scanned..].iter().position(|b| *b == b'\n').map(|p| p + scanned) {
                if pos > MAX_LINE {
                    return Err(self.too_long(stage));
                }
                let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            scanned = self.buf.len();
            if self.buf.len() > MAX_LINE {
                return Err(self.too_long(stage));
            }
            let mut chunk = [0u8; 4096];
            let n = self.stream.read(&mut chunk).await.map_err(|e| io_error(e, stage, &self.target))?;
            if n == 0 {
                return Err(EngineError::ConnectionClosed { stage, target: self.target.clone() });
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn too_long(&self, stage: Stage) -> EngineError {
        EngineError::Protocol {
            stage,
            target: self.target.clone(),
            message: format!(
                "the server sent a line longer than {MAX_LINE} octets (POP3 allows 512, RFC 1939); not a POP3 \
                 server, or a broken one"
            ),
        }
    }

    async fn read_reply(&mut self, stage: Stage) -> Result<Reply> {
        let line = self.read_line(stage).await?;
        match parse_reply(&line) {
            Some(reply) => Ok(self.shown_reply(reply)),
            None => Err(EngineError::Protocol {
                stage,
                target: self.target.clone(),
                message: format!("not a POP3 answer: {}", self.shown(&line)),
            }),
        }
    }

    /// The lines of a multi-line answer up to the terminating ".", dot-unstuffed (RFC 1939 section 3).
    async fn read_multiline(&mut self, stage: Stage) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        while lines.len() < MAX_LINES {
            let line = self.read_line(stage).await?;
            if line == "." {
                return Ok(lines);
            }
            let line = self.shown(line.strip_prefix('.').unwrap_or(&line));
            if !line.is_empty() {
                lines.push(line);
            }
        }
        Err(EngineError::Protocol {
            stage,
            target: self.target.clone(),
            message: format!("more than {MAX_LINES} lines"),
        })
    }

    async fn send(&mut self, line: &str, stage: Stage) -> Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.write(&bytes, stage).await
    }

    async fn send_secret(&mut self, line: &str, stage: Stage) -> Result<()> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(line.len() + 2));
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.write(&bytes, stage).await
    }

    async fn write(&mut self, bytes: &[u8], stage: Stage) -> Result<()> {
        self.stream.write_all(bytes).await.map_err(|e| io_error(e, stage, &self.target))?;
        self.stream.flush().await.map_err(|e| io_error(e, stage, &self.target))
    }

    async fn command(&mut self, line: &str, stage: Stage) -> Result<Reply> {
        self.send(line, stage).await?;
        self.read_reply(stage).await
    }

    /// The plain stream, for the TLS handshake after STLS / STARTTLS. Bytes already received
    /// after the go-ahead would have been injected in clear by someone on the path (the
    /// STARTTLS command-injection flaw, CVE-2011-0411): refuse rather than carry them over.
    fn into_plain_for_tls(self, stage: Stage) -> Result<tokio::net::TcpStream> {
        if !self.buf.is_empty() {
            return Err(EngineError::Protocol {
                stage,
                target: self.target,
                message: "the server sent data before the TLS handshake".into(),
            });
        }
        match self.stream {
            MailStream::Plain(tcp) => Ok(tcp),
            MailStream::Tls(_) => {
                Err(EngineError::Protocol { stage, target: self.target, message: "TLS is already active".into() })
            }
        }
    }
}

fn io_error(e: std::io::Error, stage: Stage, target: &str) -> EngineError {
    use std::io::ErrorKind::*;
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target: target.to_owned() }
        }
        _ => EngineError::Protocol { stage, target: target.to_owned(), message: shown_plain(&e.to_string()) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_parsed() {
        assert_eq!(parse_reply("+OK Dovecot ready."), Some(Reply::Ok("Dovecot ready.".into())));
        assert_eq!(parse_reply("+OK"), Some(Reply::Ok(String::new())));
        assert_eq!(
            parse_reply("-ERR [AUTH] Authentication failed."),
            Some(Reply::Err("[AUTH] Authentication failed.".into()))
        );
        assert_eq!(parse_reply("+ "), Some(Reply::Continue));
        assert_eq!(parse_reply("+OKAY"), None);
        assert_eq!(parse_reply("* OK IMAP4rev1"), None);
        assert_eq!(not_about_credentials("[IN-USE] Mailbox locked"), Some(("IN-USE".into(), true)));
        assert_eq!(not_about_credentials("[SYS/PERM] Gone for good"), Some(("SYS/PERM".into(), false)));
        assert_eq!(not_about_credentials("[AUTH] Authentication failed."), None);
        assert_eq!(parse_stat(Reply::Ok("7 3267".into()), "t").unwrap(), (7, 3267));
        assert!(parse_stat(Reply::Ok("seven".into()), "t").is_err());
    }

    #[test]
    fn capabilities_are_read() {
        let caps =
            Capabilities { supported: true, lines: vec!["USER".into(), "SASL PLAIN login".into(), "STLS".into()] };
        assert!(caps.has("user") && caps.has("STLS") && !caps.has("TOP"));
        assert_eq!(caps.sasl_mechanisms(), vec!["PLAIN", "LOGIN"]);
    }

    // "The best candidate waits for better ones" is tested with the shared search, in
    // discover::guess.
}
