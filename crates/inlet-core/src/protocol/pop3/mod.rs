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
use crate::error::{EngineError, Result, ServerCode};
use crate::net::{self, with_deadline, Dial, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::protocol::{bearer, sign_in, Mechanism};
use crate::secrets::Credentials;
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
pub async fn check(dial: &Dial<'_>, usernames: &[String], credentials: &Credentials) -> Result<Pop3Report> {
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
    let secret = match credentials {
        Credentials::Password(password) => password,
        Credentials::OAuth2(grant) => grant.access_token()?,
    };
    if forbidden(secret.expose()) {
        return Err(EngineError::InvalidInput {
            field: "password",
            message: "The password must not contain line breaks.".into(),
        });
    }

    // Whatever the server says from here on may quote the secret back (`-ERR unknown command:
    // PASS <password>`), in clear or in the SASL message of any username tried.
    let mut redactor = Redactor::new().secret(secret.expose());
    for username in usernames {
        match credentials {
            Credentials::Password(password) => redactor.add_sasl_plain(username, password.expose()),
            Credentials::OAuth2(_) => bearer::redact(&mut redactor, username, secret),
        }
    }
    let redactor = Arc::new(redactor);
    let session = open(dial, redactor.clone()).await?;
    let method = choose_method(&session, credentials)?;
    let mut attempts = Pop3Attempts { dial, redactor, credentials, target: &target, session, fresh: true };
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

/// What CAPA said (RFC 2449 section 6), read once. `supported` is false when the server
/// answered CAPA with -ERR (RFC 1939-only servers): then nothing is known and USER/PASS is the
/// one method every server has.
#[derive(Debug, Clone, Default)]
struct Capabilities {
    supported: bool,
    /// The lines as the server sent them, for the report.
    lines: Vec<String>,
    /// USER: USER/PASS sign-in (RFC 2449 6.8).
    user: bool,
    /// STLS (RFC 2595 section 4).
    stls: bool,
    /// TOP (RFC 2449 6.2).
    top: bool,
    /// RESP-CODES: `[CODE]` at the start of -ERR texts (RFC 2449 6.4).
    resp_codes: bool,
    /// The mechanisms of `SASL PLAIN LOGIN ...` (RFC 2449 6.3).
    sasl: Vec<Mechanism>,
}

impl Capabilities {
    fn from_lines(lines: Vec<String>) -> Capabilities {
        let mut caps = Capabilities { supported: true, ..Capabilities::default() };
        for line in &lines {
            let mut words = line.split_whitespace();
            let Some(tag) = words.next() else { continue };
            match tag.to_ascii_uppercase().as_str() {
                "USER" => caps.user = true,
                "STLS" => caps.stls = true,
                "TOP" => caps.top = true,
                "RESP-CODES" => caps.resp_codes = true,
                "SASL" => caps.sasl.extend(words.map(Mechanism::from_name)),
                _ => {}
            }
        }
        Capabilities { lines, ..caps }
    }

    fn sasl_mechanisms(&self) -> Vec<Mechanism> {
        self.sasl.clone()
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
        user_pass: !caps.supported || caps.user,
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
    if let Err(e) = read_greeting(&mut conn, deadlines, progress).await {
        return Err(net::explain_greeting_timeout(e, endpoint, network, deadlines).await);
    }
    let mut capabilities = read_capabilities(&mut conn, deadlines, progress).await?;
    let mut encrypted = endpoint.security == Security::Tls;

    match endpoint.security {
        Security::Starttls => {
            // STLS is advertised in CAPA (RFC 2595 section 4). A server without CAPA may still
            // have it, and asking costs nothing secret; a server whose CAPA omits it does not.
            if capabilities.supported && !capabilities.stls {
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
                Ok(Reply::Continue(_)) => {
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
            if capabilities.supported && !capabilities.user && !capabilities.sasl.contains(&Mechanism::Plain) {
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
                let code = ServerCode::pop3(&text);
                Err(EngineError::ServerRefused {
                    stage: Stage::Greeting,
                    target: target.clone(),
                    server_said: text,
                    code,
                })
            }
            Some(Reply::Continue(_)) | None => Err(EngineError::Protocol {
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
            Reply::Continue(_) => Err(EngineError::Protocol {
                stage: Stage::Capabilities,
                target: target.clone(),
                message: "\"+\" in answer to CAPA".into(),
            }),
            Reply::Ok(_) => Ok(Capabilities::from_lines(conn.read_multiline(Stage::Capabilities).await?)),
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
                code: ServerCode::pop3(&said),
                server_said: said,
            })
        }
        Reply::Continue(_) => String::from("+"),
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
        assert_eq!(parse_reply("+ "), Some(Reply::Continue(String::new())));
        assert_eq!(parse_reply("+ eyJzIjoxfQ=="), Some(Reply::Continue("eyJzIjoxfQ==".into())));
        assert_eq!(parse_reply("+OKAY"), None);
        assert_eq!(parse_reply("* OK IMAP4rev1"), None);
        assert_eq!(not_about_credentials("[IN-USE] Mailbox locked"), Some((ResponseCode::InUse, true)));
        assert_eq!(not_about_credentials("[login-delay] wait"), Some((ResponseCode::LoginDelay, true)));
        assert_eq!(not_about_credentials("[SYS/TEMP] later"), Some((ResponseCode::SysTemp, true)));
        assert_eq!(not_about_credentials("[SYS/PERM] Gone for good"), Some((ResponseCode::SysPerm, false)));
        assert_eq!(not_about_credentials("[AUTH] Authentication failed."), None);
        assert_eq!(not_about_credentials("Mailbox locked [IN-USE]"), None);
        assert_eq!(ResponseCode::of("[AUTH] no"), Some(ResponseCode::Auth));
        assert_eq!(ResponseCode::of("[x-own/sub] no").map(|c| c.name().to_owned()), Some("X-OWN/SUB".to_owned()));
        assert_eq!(ResponseCode::SysTemp.name(), "SYS/TEMP");
        assert_eq!(parse_stat(Reply::Ok("7 3267".into()), "t").unwrap(), (7, 3267));
        assert!(parse_stat(Reply::Ok("seven".into()), "t").is_err());
    }

    #[test]
    fn capabilities_are_read() {
        let caps = Capabilities::from_lines(vec!["user".into(), "SASL PLAIN login".into(), "STLS".into()]);
        assert!(caps.supported && caps.user && caps.stls && !caps.top && !caps.resp_codes);
        assert_eq!(caps.sasl_mechanisms(), vec![Mechanism::Plain, Mechanism::Login]);
        assert_eq!(caps.lines, ["user", "SASL PLAIN login", "STLS"], "the report keeps the server's lines");
        let caps = Capabilities::from_lines(vec!["TOP".into(), "RESP-CODES".into(), "".into(), "USERS".into()]);
        assert!(caps.top && caps.resp_codes && !caps.user && caps.sasl.is_empty());
    }

    // "The best candidate waits for better ones" is tested with the shared search, in
    // discover::guess.
}

#[cfg(test)]
mod fuzz;
