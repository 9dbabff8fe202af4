//! Outgoing mail (SMTP submission, RFC 6409) with lettre: EHLO, STARTTLS (RFC 3207) or implicit
//! TLS (RFC 8314), AUTH with an advertised mechanism (PLAIN, LOGIN; RFC 4954), NOOP, QUIT.
//! Checking never sends mail; `send_test_message` sends exactly one, to the user's own address.
//!
//! One TLS policy for every protocol: certificates are verified by `net::tls_handshake` (rustls,
//! the configured CAs, the certificates the user pinned), never by lettre, which is built without
//! a TLS backend. lettre cannot take our rustls configuration, but
//! `AsyncSmtpConnection::connect_with_transport` takes any stream. So the part of the dialogue
//! before that stream exists is spoken here by hand, a few lines of RFC 5321 with a deadline on
//! every read and a cap on every line:
//!
//! - implicit TLS: TCP, our TLS handshake, then the greeting, read here;
//! - STARTTLS: TCP, the greeting, EHLO, STARTTLS only if advertised (else stop: never continue in
//!   clear), `220`, then our TLS handshake on the same socket;
//! - no encryption (only when the user chose it): TCP, the greeting.
//!
//! Then lettre gets the stream wrapped in [`Handover`], which first replays the greeting already
//! read, because `connect_with_transport` insists on reading one (after STARTTLS, RFC 3207 section
//! 4.2 has the server send no new greeting; the replayed bytes are the server's original one,
//! which lettre only checks for a positive code and discards). lettre then sends EHLO, which RFC
//! 3207 requires after TLS anyway, learns the extensions, and does AUTH, NOOP, MAIL/RCPT/DATA and
//! QUIT.

mod signin;
mod wire;

use crate::account::{Endpoint, Security};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::net::{self, with_deadline, Dial, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::protocol::sign_in;
use crate::protocol::{self, bearer, Mechanism, Method};
use crate::secrets::Credentials;
use crate::server_text::{shown, Redactor};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Data, Mail, Noop, Rcpt};
use lettre::transport::smtp::extension::{ClientId, MailParameter};
use lettre::Address;
use signin::*;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wire::*;

#[derive(Debug, Clone)]
pub struct SmtpReport {
    pub address: SocketAddr,
    pub username: String,
    pub encrypted: bool,
    pub extensions: Vec<String>,
    pub auth_mechanisms: Vec<String>,
}

/// The longest reply line accepted from a server, in octets. RFC 5321 4.5.3.1.5 limits a reply
/// line to 512 octets including CRLF; servers overstep it (long greetings and EHLO lines), so we
/// allow about twice that: 1000, which is lettre's own limit (`MAX_RESPONSE_LINE_BYTES`) for the
/// part of the dialogue it reads, so both halves accept the same lines. lettre applies its limit
/// only once a line has ended, and reads a line that never ends until memory or the deadline
/// runs out, so [`Handover`] enforces this bound on lettre's stream as the bytes arrive.
const MAX_REPLY_LINE: usize = 1000;
/// The most lines one reply may have (an EHLO answer has one per extension).
const MAX_REPLY_LINES: usize = 100;
/// How much of lettre's EHLO exchange [`Handover`] keeps, to report the extensions verbatim.
const MAX_TAP: usize = 64 * 1024;
/// QUIT is a courtesy: a slow server does not hold the user.
const QUIT_WAIT: Duration = Duration::from_secs(2);

/// Connects (TLS, STARTTLS or, when the user chose it, plain), reads the extensions, signs in
/// with the first username the server accepts, NOOP, QUIT. Sends no mail.
pub async fn check(dial: &Dial<'_>, usernames: &[String], credentials: &Credentials) -> Result<SmtpReport> {
    let redactor = redactor(usernames, credentials)?;
    let client = Client { dial, redactor: &redactor };
    let (mut session, username) = client.open_and_sign_in(usernames, credentials).await?;
    // The session is alive after sign-in (RFC 5321 4.1.1.9).
    let target = session.target.clone();
    with_deadline(Stage::SigningIn, &target, dial.deadlines.command, async {
        session.conn.command(Noop).await.map_err(|e| lettre_error(e, Stage::SigningIn, &target, &redactor))
    })
    .await?;
    quit(&mut session).await;
    Ok(SmtpReport {
        address: session.address,
        username,
        encrypted: session.encrypted,
        auth_mechanisms: protocol::names(&session.auth_mechanisms()),
        extensions: session.extensions.lines,
    })
}

/// What an SMTP server offers before sign-in, as seen by [`probe`].
#[derive(Debug, Clone)]
pub struct Offer {
    /// EHLO keywords with their parameters.
    pub extensions: Vec<String>,
    /// SASL mechanisms of `AUTH`.
    pub auth_mechanisms: Vec<Mechanism>,
    pub encrypted: bool,
}

/// Discovery's check, without credentials: connect, TLS or STARTTLS as the endpoint says,
/// greeting, EHLO, QUIT. Sends no mail and no password.
pub async fn probe(
    endpoint: &Endpoint,
    network: &Network,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Offer> {
    // Nothing secret is sent, so there is nothing to remove; the server's text is still cleaned.
    let redactor = Redactor::new();
    let dial = Dial { endpoint, allow_plaintext_password: false, network, trusted: &[], deadlines, progress };
    let session = Client { dial: &dial, redactor: &redactor }.open().await?;
    let offer = Offer {
        auth_mechanisms: session.auth_mechanisms(),
        extensions: session.extensions.lines.clone(),
        encrypted: session.encrypted,
    };
    // QUIT is a courtesy the caller need not wait for: its round trip runs on its own.
    tokio::spawn(async move {
        let mut session = session;
        quit(&mut session).await
    });
    Ok(offer)
}

/// Sends one short message from `email` to `email`, to prove outgoing mail works end to end.
pub async fn send_test_message(dial: &Dial<'_>, username: &str, credentials: &Credentials, email: &str) -> Result<()> {
    let Dial { deadlines, progress, .. } = *dial;
    let (message, address) = test_message(email)?;
    let usernames = [username.to_owned()];
    let redactor = redactor(&usernames, credentials)?;
    let client = Client { dial, redactor: &redactor };
    let (mut session, _) = client.open_and_sign_in(&usernames, credentials).await?;
    let target = session.target.clone();
    let stage = Stage::SendingTestMessage;
    progress.emit(stage, StageState::Started, Some(&target), Some(format!("from and to {email}")));
    // An address beyond ASCII needs SMTPUTF8 (RFC 6531) on MAIL, and a server that offers it.
    let utf8 = !address.to_string().is_ascii();
    let sent = async {
        if utf8 && !session.extensions.smtputf8 {
            return Err(protocol(
                stage,
                &target,
                "the address is not ASCII and the server does not offer SMTPUTF8".into(),
            ));
        }
        let parameters = if utf8 { vec![MailParameter::SmtpUtfEight] } else { Vec::new() };
        // MAIL, RCPT and DATA one by one (not lettre's `send`), so a refusal names what was refused.
        let (conn, limit, r) = (&mut session.conn, deadlines.command, &redactor);
        let sender = format!("the sender <{address}> was refused");
        step(conn.command(Mail::new(Some(address.clone()), parameters)), &sender, stage, &target, limit, r).await?;
        let recipient = format!("the recipient <{address}> was refused");
        step(conn.command(Rcpt::new(address.clone(), vec![])), &recipient, stage, &target, limit, r).await?;
        step(conn.command(Data), "DATA was refused", stage, &target, limit, r).await?;
        step(conn.message(&message), "the message was refused", stage, &target, limit, r).await
    }
    .await;
    match sent {
        Ok(accepted) => {
            let said = reply_text(accepted.code().to_string(), accepted.message(), &redactor);
            progress.emit(stage, StageState::Done, Some(&session.target), Some(format!("accepted: {said}")));
            quit(&mut session).await;
            Ok(())
        }
        Err(e) => {
            progress.emit(stage, StageState::Failed, Some(&session.target), None);
            quit(&mut session).await;
            Err(e)
        }
    }
}

/// One lettre command under its deadline; a refusal says `what` was refused, in the server's words.
async fn step<T>(
    command: impl std::future::Future<Output = std::result::Result<T, lettre::transport::smtp::Error>>,
    what: &str,
    stage: Stage,
    target: &str,
    limit: Duration,
    redactor: &Redactor,
) -> Result<T> {
    match tokio::time::timeout(limit, command).await {
        Err(_) => Err(timed_out(stage, target, limit)),
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) => Err(match lettre_error(e, stage, target, redactor) {
            EngineError::ServerRefused { stage, target, server_said, code } => {
                EngineError::ServerRefused { stage, target, server_said: format!("{what}: {server_said}"), code }
            }
            EngineError::TemporaryFailure { stage, target, server_said, code } => {
                EngineError::TemporaryFailure { stage, target, server_said: format!("{what}: {server_said}"), code }
            }
            other => other,
        }),
    }
}

/// The test message: From = To = the user's address, plain text, ASCII only (so it needs
/// neither 8BITMIME nor SMTPUTF8 for the body).
fn test_message(email: &str) -> Result<(Vec<u8>, Address)> {
    let invalid = |e: &dyn std::fmt::Display| EngineError::InvalidInput {
        field: "email",
        message: format!("{email} cannot be used as a sender address: {e}"),
    };
    let address: Address = email.trim().parse().map_err(|e| invalid(&e))?;
    let mailbox = Mailbox::new(None, address.clone());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let message = lettre::Message::builder()
        .from(mailbox.clone())
        .to(mailbox)
        .subject("Inlet test message")
        .message_id(Some(format!("<inlet-test.{nanos}.{}@{}>", std::process::id(), address.domain())))
        .header(ContentType::TEXT_PLAIN)
        .body(String::from(
            "This message was sent by Inlet to check that your outgoing mail server works.\r\n\
             You can delete it.\r\n",
        ))
        .map_err(|e| invalid(&e))?;
    Ok((message.formatted(), address))
}

/// Everything needed to open a connection, so a sign-in can reconnect between usernames.
struct Client<'a> {
    dial: &'a Dial<'a>,
    /// What the server says passes through it before it is shown or stored.
    redactor: &'a Redactor,
}

/// The secret in every form a server could quote back: itself, base64 (AUTH LOGIN), and the
/// SASL message of each username tried (535 replies have been seen to echo it).
fn redactor(usernames: &[String], credentials: &Credentials) -> Result<Redactor> {
    let mut redactor = Redactor::new();
    match credentials {
        Credentials::Password(password) => {
            redactor.add_secret(password.expose());
            for username in usernames {
                redactor.add_sasl_plain(username, password.expose());
            }
        }
        Credentials::OAuth2(grant) => {
            let token = grant.access_token()?;
            for username in usernames {
                bearer::redact(&mut redactor, username, token);
            }
        }
    }
    Ok(redactor)
}

/// A connection lettre has taken over, after EHLO.
struct Session {
    conn: AsyncSmtpConnection,
    address: SocketAddr,
    target: String,
    encrypted: bool,
    extensions: Extensions,
}

impl Session {
    fn auth_mechanisms(&self) -> Vec<Mechanism> {
        self.extensions.auth.clone()
    }
}

/// The EHLO extensions (RFC 5321 4.1.1.1), read once: the lines for the report, and the ones the
/// engine acts on.
#[derive(Debug, Clone, Default)]
struct Extensions {
    /// The keywords with their parameters, as the server sent them ("SIZE 35882577").
    lines: Vec<String>,
    /// STARTTLS (RFC 3207).
    starttls: bool,
    /// SMTPUTF8 (RFC 6531).
    smtputf8: bool,
    /// The SASL mechanisms of `AUTH` (RFC 4954), and of the pre-standard `AUTH=` form.
    auth: Vec<Mechanism>,
    /// SIZE and its limit in octets, 0 when none is given (RFC 1870).
    size: Option<u64>,
}

impl Extensions {
    fn from_lines(lines: Vec<String>) -> Extensions {
        let mut out = Extensions::default();
        for line in &lines {
            let upper = line.to_ascii_uppercase();
            let mut words = upper.split_whitespace();
            let Some(keyword) = words.next() else { continue };
            let mechanisms: Vec<&str> = match keyword {
                "STARTTLS" => {
                    out.starttls = true;
                    continue;
                }
                "SMTPUTF8" => {
                    out.smtputf8 = true;
                    continue;
                }
                "SIZE" => {
                    out.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0));
                    continue;
                }
                "AUTH" => words.collect(),
                _ => match keyword.strip_prefix("AUTH=") {
                    Some(first) => std::iter::once(first).chain(words).collect(),
                    None => continue,
                },
            };
            for m in mechanisms.into_iter().filter(|m| !m.is_empty()).map(Mechanism::from_name) {
                if !out.auth.contains(&m) {
                    out.auth.push(m);
                }
            }
        }
        Extensions { lines, ..out }
    }
}

impl Client<'_> {
    async fn open_and_sign_in(&self, usernames: &[String], credentials: &Credentials) -> Result<(Session, String)> {
        let first = self.open().await?;
        let target = self.dial.endpoint.display();
        // lettre picks the first mechanism of the list that its own reading of EHLO finds; the
        // one named first is ours, the rest keep lettre's order when the two readings differ.
        let offered = first.auth_mechanisms();
        let mechanism = match credentials {
            // OAUTHBEARER when offered, else XOAUTH2 (the bearer exchange is ours, see signin.rs);
            // `may_sign_in` refuses a server with neither.
            Credentials::OAuth2(_) => bearer::usable(&offered).into_iter().next().unwrap_or(Mechanism::XOAuth2),
            Credentials::Password(_) if offered.contains(&Mechanism::Plain) => Mechanism::Plain,
            Credentials::Password(_) => Mechanism::Login,
        };
        let mut attempts = SmtpAttempts { client: self, credentials, target: &target, session: Some(first) };
        let username =
            sign_in::sign_in(&target, usernames, &[Method::Sasl(mechanism)], self.dial.progress, &mut attempts).await?;
        let session = attempts.session.take().expect("a signed-in session");
        Ok((session, username))
    }

    /// Whether `credentials` may be sent on this session, checked before every AUTH.
    fn may_sign_in(&self, s: &Session, credentials: &Credentials) -> Result<()> {
        let target = &s.target;
        if !s.encrypted && !self.dial.allow_plaintext_password {
            return Err(EngineError::PlaintextNotConfirmed { target: target.clone() });
        }
        let offered = s.auth_mechanisms();
        if offered.is_empty() && !s.encrypted && s.extensions.starttls {
            // Servers that take passwords only over TLS do not advertise AUTH in clear.
            return Err(EngineError::EncryptionRequired { target: target.clone() });
        }
        let usable = |m: &Mechanism| match credentials {
            Credentials::Password(_) => matches!(m, Mechanism::Plain | Mechanism::Login),
            Credentials::OAuth2(_) => matches!(m, Mechanism::XOAuth2 | Mechanism::OAuthBearer),
        };
        if !offered.iter().any(usable) {
            return Err(EngineError::NoUsableAuthMechanism {
                target: target.clone(),
                offered: protocol::names(&offered),
            });
        }
        Ok(())
    }

    /// TCP, TLS as chosen, greeting, and lettre's EHLO.
    async fn open(&self) -> Result<Session> {
        let Dial { endpoint, network, trusted, deadlines, progress, .. } = *self.dial;
        let redactor = self.redactor;
        let target = endpoint.display();
        let (tcp, address) = net::connect_tcp(network, &endpoint.host, endpoint.port, deadlines, progress).await?;
        let client_id = client_id(&tcp);
        let handshake =
            |tcp| net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress);
        let (wire, greeting) = match endpoint.security {
            Security::Tls => {
                let stream = MailStream::Tls(Box::new(handshake(tcp).await?));
                let mut wire = Wire::new(stream, redactor);
                let greeting = read_greeting(&mut wire, &target, deadlines, progress).await?;
                (wire, greeting)
            }
            Security::None => {
                let mut wire = Wire::new(MailStream::Plain(tcp), redactor);
                let greeting = match read_greeting(&mut wire, &target, deadlines, progress).await {
                    Ok(greeting) => greeting,
                    Err(e) => return Err(net::explain_greeting_timeout(e, endpoint, network, deadlines).await),
                };
                (wire, greeting)
            }
            Security::Starttls => {
                let mut wire = Wire::new(MailStream::Plain(tcp), redactor);
                let greeting = match read_greeting(&mut wire, &target, deadlines, progress).await {
                    Ok(greeting) => greeting,
                    Err(e) => return Err(net::explain_greeting_timeout(e, endpoint, network, deadlines).await),
                };
                let tcp = starttls(wire, &client_id, &target, deadlines, progress).await?;
                let stream = MailStream::Tls(Box::new(handshake(tcp).await?));
                (Wire::new(stream, redactor), greeting)
            }
        };
        let encrypted = wire.stream.is_encrypted();

        // lettre takes over: it reads the replayed greeting and sends EHLO, whose answer the tap keeps.
        let after = (endpoint.security == Security::Starttls).then(|| "after encryption".to_owned());
        progress.emit(Stage::Capabilities, StageState::Started, Some(&target), after);
        let tap = Arc::new(Mutex::new(Some(Vec::new())));
        let mut replay = greeting.raw;
        replay.extend_from_slice(&wire.buf); // nothing, unless the server spoke out of turn
        let handover = Handover::new(replay, wire.stream, tap.clone());
        let conn = with_deadline(Stage::Capabilities, &target, deadlines.command, async {
            AsyncSmtpConnection::connect_with_transport(Box::new(handover), &client_id)
                .await
                .map_err(|e| lettre_error(e, Stage::Capabilities, &target, redactor))
        })
        .await?;
        let heard = tap.lock().unwrap().take().unwrap_or_default();
        let extensions = Extensions::from_lines(ehlo_extensions(&String::from_utf8_lossy(&heard), redactor));
        progress.emit(Stage::Capabilities, StageState::Done, Some(&target), Some(extensions.lines.join(", ")));
        Ok(Session { conn, address, target, encrypted, extensions })
    }
}

/// The EHLO argument: the address literal of our end of the connection (RFC 5321 4.1.4 asks
/// for the client's own name, or its address where it has no obvious name).
fn client_id(tcp: &tokio::net::TcpStream) -> ClientId {
    match tcp.local_addr().map(|a| a.ip()) {
        Ok(IpAddr::V4(ip)) => ClientId::Ipv4(ip),
        Ok(IpAddr::V6(ip)) => ClientId::Ipv6(ip),
        Err(_) => ClientId::Ipv4(std::net::Ipv4Addr::LOCALHOST),
    }
}

/// The plain part of STARTTLS (RFC 3207): EHLO, STARTTLS only if advertised, 220. Returns the
/// socket for the TLS handshake.
async fn starttls(
    mut wire: Wire<'_>,
    client_id: &ClientId,
    target: &str,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<tokio::net::TcpStream> {
    progress.emit(Stage::Capabilities, StageState::Started, Some(target), Some("before encryption".into()));
    let ehlo = wire.command(&format!("EHLO {client_id}"), Stage::Capabilities, target, deadlines.command).await?;
    if ehlo.code != ReplyCode::OK {
        return Err(wire.refused(Stage::Capabilities, target, &ehlo));
    }
    let extensions = Extensions::from_lines(ehlo.lines.iter().skip(1).map(|l| shown(l, wire.redactor)).collect());
    progress.emit(Stage::Capabilities, StageState::Done, Some(target), Some(extensions.lines.join(", ")));
    if !extensions.starttls {
        // Never continue in clear when the user asked for encryption (RFC 8314 section 3).
        progress.emit(Stage::Starttls, StageState::Failed, Some(target), Some("not offered".into()));
        return Err(EngineError::StarttlsNotOffered { target: target.to_owned() });
    }
    progress.emit(Stage::Starttls, StageState::Started, Some(target), None);
    let answer = wire.command("STARTTLS", Stage::Starttls, target, deadlines.command).await?;
    if answer.code != ReplyCode::SERVICE_READY {
        progress.emit(Stage::Starttls, StageState::Failed, Some(target), None);
        return Err(wire.refused(Stage::Starttls, target, &answer));
    }
    if !wire.buf.is_empty() {
        // Bytes after the 220 were sent before TLS, by the server or someone in the path; taking
        // them as answers inside TLS is the STARTTLS injection flaw (CVE-2011-0411 and kin).
        progress.emit(Stage::Starttls, StageState::Failed, Some(target), None);
        return Err(EngineError::Protocol {
            stage: Stage::Starttls,
            target: target.to_owned(),
            message: "the server sent data after agreeing to STARTTLS, before the TLS handshake".into(),
        });
    }
    progress.emit(Stage::Starttls, StageState::Done, Some(target), None);
    match wire.stream {
        MailStream::Plain(tcp) => Ok(tcp),
        MailStream::Tls(_) => unreachable!("STARTTLS starts from a plain stream"),
    }
}

async fn read_greeting(
    wire: &mut Wire<'_>,
    target: &str,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Reply> {
    progress.emit(Stage::Greeting, StageState::Started, Some(target), None);
    let greeting =
        with_deadline(Stage::Greeting, target, deadlines.greeting, wire.read_reply(Stage::Greeting, target)).await?;
    match greeting.code {
        ReplyCode::SERVICE_READY => {
            let first = greeting.lines.first().map(|l| shown(l, wire.redactor));
            progress.emit(Stage::Greeting, StageState::Done, Some(target), first);
            Ok(greeting)
        }
        // 554: "no SMTP service here" (RFC 5321 3.1); 421: busy, closing.
        _ => Err(wire.refused(Stage::Greeting, target, &greeting)),
    }
}

/// The EHLO answer's extension lines (every line after the first, which names the server), as
/// they may be shown and stored.
fn ehlo_extensions(answer: &str, redactor: &Redactor) -> Vec<String> {
    answer
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| l.len() >= 3 && l.as_bytes()[..3].iter().all(u8::is_ascii_digit))
        .skip(1)
        .map(|l| shown(l.get(4..).unwrap_or(""), redactor))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Says goodbye without letting a slow server hold us.
async fn quit(session: &mut Session) {
    if !session.conn.has_broken() {
        let _ = tokio::time::timeout(QUIT_WAIT, session.conn.quit()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::wire::*;
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[test]
    fn ehlo_extensions_are_every_line_after_the_first() {
        let answer =
            "250-mail.example.test\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN\r\n250 HELP\r\n";
        assert_eq!(
            ehlo_extensions(answer, &Redactor::new()),
            ["SIZE 33554432", "8BITMIME", "AUTH LOGIN PLAIN", "HELP"]
        );
    }

    #[test]
    fn extensions_are_read_once_into_what_the_engine_acts_on() {
        let lines =
            ["SIZE 33554432", "8BITMIME", "auth login PLAIN", "AUTH=PLAIN XOAUTH2", "STARTTLS", "SMTPUTF8", "HELP"];
        let ext = Extensions::from_lines(lines.iter().map(|l| l.to_string()).collect());
        assert_eq!(ext.lines, lines, "the report keeps the server's lines");
        assert!(ext.starttls && ext.smtputf8);
        assert_eq!(ext.size, Some(33_554_432));
        assert_eq!(ext.auth, [Mechanism::Login, Mechanism::Plain, Mechanism::XOAuth2]);
        let ext = Extensions::from_lines(vec!["SIZE".into(), "STARTTLSX".into(), "X-AUTH PLAIN".into()]);
        assert!(!ext.starttls && !ext.smtputf8 && ext.auth.is_empty());
        assert_eq!(ext.size, Some(0), "SIZE without a limit");
        assert_eq!(Extensions::from_lines(Vec::new()).size, None);
    }

    #[test]
    fn the_test_message_is_from_and_to_the_user() {
        let (bytes, address) = test_message("alice@example.test").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(address.to_string(), "alice@example.test");
        assert!(text.contains("From: alice@example.test\r\n"), "{text}");
        assert!(text.contains("To: alice@example.test\r\n"), "{text}");
        assert!(text.contains("Subject: Inlet test message\r\n"), "{text}");
        assert!(text.contains("sent by Inlet"), "{text}");
        assert!(test_message("not an address").is_err());
    }

    #[tokio::test]
    async fn replies_are_read_line_by_line_with_a_cap() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let serve = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            s.write_all(b"220-first\r\n220 second\r\n250 extra").await.unwrap();
            s.write_all(&[b'x'; MAX_REPLY_LINE + 10]).await.unwrap();
            s
        });
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let redactor = Redactor::new();
        let mut wire = Wire::new(MailStream::Plain(tcp), &redactor);
        let reply = wire.read_reply(Stage::Greeting, "t").await.unwrap();
        assert_eq!(
            (reply.code, reply.lines.clone()),
            (ReplyCode::SERVICE_READY, vec!["first".to_owned(), "second".to_owned()])
        );
        assert_eq!(reply.raw, b"220-first\r\n220 second\r\n");
        let _server = serve.await.unwrap();
        let too_long = wire.read_reply(Stage::Capabilities, "t").await.unwrap_err();
        assert!(matches!(too_long, EngineError::Protocol { stage: Stage::Capabilities, .. }), "{too_long:?}");
    }
}

#[cfg(test)]
mod fuzz;
