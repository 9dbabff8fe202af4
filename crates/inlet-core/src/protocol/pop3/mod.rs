//! POP3 (RFC 1939, CAPA from RFC 2449, STLS from RFC 2595, SASL PLAIN from RFC 5034).
//! No maintained async POP3 crate exists, so this small client is written here on tokio.
//!
//! A check is: connect (implicit TLS, STLS, or plain only when the user confirmed it), greeting,
//! CAPA, sign in with the first username the server accepts, STAT (the liveness check: it proves
//! the mailbox opens and says how many messages wait), QUIT. POP3 has only the inbox; finding IMAP
//! next to a POP3 server is discovery's (`discover::alternative`).

mod signin;
mod wire;

use crate::account::{Endpoint, Security};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::net::{self, with_deadline, Dial, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::protocol::sign_in;
use crate::protocol::Mechanism;
use crate::secrets::Secret;
use crate::server_text::Redactor;
use signin::*;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use wire::*;

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
    let session = open(dial, redactor.clone()).await?;
    let method = choose_method(&session)?;
    let mut attempts = Pop3Attempts { dial, redactor, password, target: &target, session, fresh: true };
    let username = sign_in::sign_in(&target, usernames, &[method], progress, &mut attempts).await?;
    let mut session = attempts.session;

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
    fn sasl_mechanisms(&self) -> Vec<Mechanism> {
        self.lines
            .iter()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                words
                    .next()
                    .filter(|w| w.eq_ignore_ascii_case("SASL"))
                    .map(|_| words.map(Mechanism::from_name).collect::<Vec<_>>())
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

/// What a POP3 server offers before sign-in, as seen by [`probe`].
#[derive(Debug, Clone)]
pub struct Offer {
    /// CAPA lines (empty when the server has no CAPA).
    pub capabilities: Vec<String>,
    /// SASL mechanisms (CAPA `SASL`).
    pub sasl_mechanisms: Vec<Mechanism>,
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
                && !capabilities.sasl_mechanisms().contains(&Mechanism::Plain)
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

#[cfg(test)]
mod tests {
    use super::signin::*;
    use super::wire::*;
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
        assert_eq!(caps.sasl_mechanisms(), vec![Mechanism::Plain, Mechanism::Login]);
    }

    // "The best candidate waits for better ones" is tested with the shared search, in
    // discover::guess.
}

/// Property-based tests over every POP3 reader of the server's bytes: status lines, CAPA,
/// multi-line answers, and the SASL challenges of AUTH, read from a real connection. Inputs are
/// real server transcripts (Dovecot, Gmail, Outlook), mutated, and random bytes. Each read ends
/// with a value or an error, never a panic, and the connection's buffer never holds more than
/// one line's bound ([`MAX_LINE`]) plus one read; a longer line fails naming the bound.
#[cfg(test)]
mod fuzz {
    use super::signin::*;
    use super::wire::*;
    use super::*;
    use crate::fuzzing;
    use crate::protocol::Method;
    use proptest::prelude::*;

    const TRANSCRIPTS: &[&str] = &[
        "+OK Dovecot ready.\r\n+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\n\
         USER\r\nSASL PLAIN LOGIN\r\n.\r\n",
        "+OK Gpop ready for requests from 203.0.113.5 v12mb123456wrq\r\n+OK Capability list follows\r\nUSER\r\n\
         RESP-CODES\r\nEXPIRE 0\r\nLOGIN-DELAY 300\r\nTOP\r\nUIDL\r\nX-GOOGLE-RICO\r\nSASL PLAIN XOAUTH2 \
         OAUTHBEARER\r\n.\r\n",
        "+OK The Microsoft Exchange POP3 service is ready. \
         [UwBOADIAUABSADAAMgBDAEEAMAAwADAAMwAuAG4AYQBtAHAAcgBkADAAMgAuAHAAcgBvAGQA]\r\n+OK\r\nTOP\r\nUIDL\r\n\
         SASL PLAIN XOAUTH2\r\nUSER\r\n.\r\n",
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n-ERR unknown command\r\n",
        "+OK\r\nTOP\r\n..dot-stuffed\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n",
        "+ \r\n+OK Logged in.\r\n+OK 2 320\r\n",
        "+ \r\n-ERR [AUTH] Authentication failed.\r\n",
        "-ERR [IN-USE] Mailbox locked by another client\r\n",
        "-ERR [SYS/TEMP] Temporary system failure\r\n",
        "+ \r\n+ VXNlcm5hbWU6\r\n-ERR Authentication cancelled\r\n",
        "+OK\r\n+OK Logged in.\r\n",
    ];

    const TOKENS: &[&str] =
        &["+OK", "-ERR", "+ ", "+", ".", "..", " ", "[AUTH]", "[IN-USE]", "[SYS/PERM]", "SASL ", "PLAIN", "USER"];

    fn inputs() -> Vec<(&'static str, proptest::strategy::BoxedStrategy<Vec<u8>>)> {
        vec![
            ("mutated transcripts", fuzzing::mutated(TRANSCRIPTS).boxed()),
            ("random bytes", fuzzing::random(TOKENS).boxed()),
        ]
    }

    /// A transcript's first line made longer than the bound.
    fn oversized() -> impl Strategy<Value = Vec<u8>> {
        (0usize..TRANSCRIPTS.len(), 1usize..8192, any::<bool>()).prop_map(|(i, extra, ended)| {
            let filler: Vec<u8> = TRANSCRIPTS[i].bytes().filter(|&b| b != b'\n').collect();
            let mut line = b"+OK ".to_vec();
            while line.len() <= MAX_LINE + extra {
                line.extend_from_slice(&filler);
            }
            if ended {
                line.extend_from_slice(b"\r\n");
            }
            line
        })
    }

    fn bounded(conn: &Conn) -> Result<(), TestCaseError> {
        prop_assert!(conn.buf.len() <= MAX_LINE + 4096, "the buffer holds {} bytes", conn.buf.len());
        Ok(())
    }

    fn names_the_bound(e: &EngineError) -> bool {
        matches!(e, EngineError::Protocol { message, .. } if message.contains(&MAX_LINE.to_string()))
    }

    #[test]
    fn status_lines_parse_or_are_refused() {
        for (_, lines) in inputs() {
            fuzzing::runner()
                .run(&lines, |bytes| {
                    for line in String::from_utf8_lossy(&bytes).lines() {
                        match parse_reply(line) {
                            Some(Reply::Ok(text) | Reply::Err(text)) => {
                                prop_assert!(text.len() <= line.len());
                                let _ = not_about_credentials(&text);
                                let _ = parse_stat(Reply::Ok(text), "t");
                            }
                            Some(Reply::Continue) | None => {}
                        }
                    }
                    Ok(())
                })
                .unwrap();
        }
    }

    /// The greeting, CAPA and then every line, as `open` reads them, on a real connection.
    #[test]
    fn greeting_capa_and_lines_stay_within_the_bound() {
        let rt = fuzzing::runtime();
        let listener = rt.block_on(fuzzing::listener());
        let strategies = inputs().into_iter().chain([("oversized", oversized().boxed())]);
        for (what, strategy) in strategies {
            fuzzing::runner()
                .run(&strategy, |input| {
                    rt.block_on(async {
                        let tcp = fuzzing::served(&listener, input).await;
                        let mut conn = Conn::new(MailStream::Plain(tcp), "t".into(), Arc::default());
                        let greeting = conn.read_reply(Stage::Greeting).await;
                        bounded(&conn)?;
                        if what == "oversized" {
                            let refused = greeting.err();
                            prop_assert!(refused.as_ref().is_some_and(names_the_bound), "{refused:?}");
                            return Ok(());
                        }
                        if greeting.is_err() {
                            return Ok(());
                        }
                        if let Ok(Reply::Ok(_)) = conn.read_reply(Stage::Capabilities).await {
                            bounded(&conn)?;
                            if let Ok(lines) = conn.read_multiline(Stage::Capabilities).await {
                                prop_assert!(lines.len() <= MAX_LINES);
                                let caps = Capabilities { supported: true, lines };
                                let _ = (caps.has("USER"), caps.has("STLS"), caps.sasl_mechanisms());
                            }
                        }
                        bounded(&conn)?;
                        loop {
                            match conn.read_line(Stage::Capabilities).await {
                                Ok(line) => prop_assert!(line.len() <= MAX_LINE),
                                Err(e) => {
                                    prop_assert!(
                                        matches!(e, EngineError::ConnectionClosed { .. }) || names_the_bound(&e),
                                        "{what}: {e:?}"
                                    );
                                    break;
                                }
                            }
                            bounded(&conn)?;
                        }
                        Ok(())
                    })
                })
                .unwrap();
        }
    }

    /// AUTH PLAIN's challenges (`+ …`, RFC 5034 section 4) and USER/PASS, answered by mutated
    /// and random servers.
    #[test]
    fn sign_in_challenges_end_in_an_answer_or_an_error() {
        let rt = fuzzing::runtime();
        let listener = rt.block_on(fuzzing::listener());
        let password = Secret::new("correct horse");
        for (what, strategy) in inputs() {
            fuzzing::runner()
                .run(&(strategy, any::<bool>()), |(input, sasl)| {
                    rt.block_on(async {
                        let tcp = fuzzing::served(&listener, input).await;
                        let mut conn = Conn::new(MailStream::Plain(tcp), "t".into(), Arc::default());
                        let method = if sasl { Method::Sasl(Mechanism::Plain) } else { Method::Command };
                        match authenticate(&mut conn, &method, "alice", &password).await {
                            Ok(Ok(())) => {}
                            Ok(Err(said)) => {
                                let _ = not_about_credentials(&said);
                            }
                            Err(e) => prop_assert!(
                                matches!(e, EngineError::ConnectionClosed { .. } | EngineError::Protocol { .. }),
                                "{what}: {e:?}"
                            ),
                        }
                        bounded(&conn)
                    })
                })
                .unwrap();
        }
    }
}
