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
use crate::protocol::{self, Mechanism, Method};
use crate::secrets::Secret;
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
pub async fn check(dial: &Dial<'_>, usernames: &[String], password: &Secret) -> Result<SmtpReport> {
    let redactor = redactor(usernames, password);
    let client = Client { dial, redactor: &redactor };
    let (mut session, username) = client.open_and_sign_in(usernames, password).await?;
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
        extensions: session.extensions,
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
        extensions: session.extensions.clone(),
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
pub async fn send_test_message(dial: &Dial<'_>, username: &str, password: &Secret, email: &str) -> Result<()> {
    let Dial { deadlines, progress, .. } = *dial;
    let (message, address) = test_message(email)?;
    let usernames = [username.to_owned()];
    let redactor = redactor(&usernames, password);
    let client = Client { dial, redactor: &redactor };
    let (mut session, _) = client.open_and_sign_in(&usernames, password).await?;
    let target = session.target.clone();
    let stage = Stage::SendingTestMessage;
    progress.emit(stage, StageState::Started, Some(&target), Some(format!("from and to {email}")));
    // An address beyond ASCII needs SMTPUTF8 (RFC 6531) on MAIL, and a server that offers it.
    let utf8 = !address.to_string().is_ascii();
    let sent = async {
        if utf8 && !session.has("SMTPUTF8") {
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
            EngineError::ServerRefused { stage, target, server_said } => {
                EngineError::ServerRefused { stage, target, server_said: format!("{what}: {server_said}") }
            }
            EngineError::TemporaryFailure { stage, target, server_said } => {
                EngineError::TemporaryFailure { stage, target, server_said: format!("{what}: {server_said}") }
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

/// The password in every form a server could quote back: itself, base64 (AUTH LOGIN), and the
/// SASL PLAIN message of each username tried (535 replies have been seen to echo it).
fn redactor(usernames: &[String], password: &Secret) -> Redactor {
    let mut redactor = Redactor::new().secret(password.expose());
    for username in usernames {
        redactor.add_sasl_plain(username, password.expose());
    }
    redactor
}

/// A connection lettre has taken over, after EHLO.
struct Session {
    conn: AsyncSmtpConnection,
    address: SocketAddr,
    target: String,
    encrypted: bool,
    /// The EHLO keywords with their parameters, as the server sent them ("SIZE 35882577").
    extensions: Vec<String>,
}

impl Session {
    fn has(&self, keyword: &str) -> bool {
        self.extensions.iter().any(|e| e.split_whitespace().next().is_some_and(|k| k.eq_ignore_ascii_case(keyword)))
    }

    /// The SASL mechanisms of `AUTH` (and of the pre-standard `AUTH=` form).
    fn auth_mechanisms(&self) -> Vec<Mechanism> {
        let mut out: Vec<Mechanism> = Vec::new();
        for e in &self.extensions {
            let upper = e.to_ascii_uppercase();
            let list = upper.strip_prefix("AUTH ").or_else(|| upper.strip_prefix("AUTH="));
            for m in list.into_iter().flat_map(str::split_whitespace).map(Mechanism::from_name) {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        out
    }
}

impl Client<'_> {
    async fn open_and_sign_in(&self, usernames: &[String], password: &Secret) -> Result<(Session, String)> {
        let first = self.open().await?;
        let target = self.dial.endpoint.display();
        // lettre picks the first mechanism of the list that its own reading of EHLO finds; the
        // one named first is ours, the rest keep lettre's order when the two readings differ.
        let offered = first.auth_mechanisms();
        let mechanism = if offered.contains(&Mechanism::Plain) { Mechanism::Plain } else { Mechanism::Login };
        let mut attempts = SmtpAttempts { client: self, password, target: &target, session: Some(first) };
        let username =
            sign_in::sign_in(&target, usernames, &[Method::Sasl(mechanism)], self.dial.progress, &mut attempts).await?;
        let session = attempts.session.take().expect("a signed-in session");
        Ok((session, username))
    }

    /// Whether a password may be sent on this session, checked before every AUTH.
    fn may_sign_in(&self, s: &Session) -> Result<()> {
        let target = &s.target;
        if !s.encrypted && !self.dial.allow_plaintext_password {
            return Err(EngineError::PlaintextNotConfirmed { target: target.clone() });
        }
        let offered = s.auth_mechanisms();
        if offered.is_empty() && !s.encrypted && s.has("STARTTLS") {
            // Servers that take passwords only over TLS do not advertise AUTH in clear.
            return Err(EngineError::EncryptionRequired { target: target.clone() });
        }
        if !offered.iter().any(|m| matches!(m, Mechanism::Plain | Mechanism::Login)) {
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
                let greeting = read_greeting(&mut wire, &target, deadlines, progress).await?;
                (wire, greeting)
            }
            Security::Starttls => {
                let mut wire = Wire::new(MailStream::Plain(tcp), redactor);
                let greeting = read_greeting(&mut wire, &target, deadlines, progress).await?;
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
        let extensions = ehlo_extensions(&String::from_utf8_lossy(&heard), redactor);
        progress.emit(Stage::Capabilities, StageState::Done, Some(&target), Some(extensions.join(", ")));
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
    let extensions = ehlo.lines.iter().skip(1).map(|l| shown(l, wire.redactor)).collect::<Vec<_>>();
    progress.emit(Stage::Capabilities, StageState::Done, Some(target), Some(extensions.join(", ")));
    if !extensions.iter().any(|e| e.trim().eq_ignore_ascii_case("STARTTLS")) {
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

/// Property-based tests over every SMTP reader of the server's bytes: our reply reader (greeting,
/// EHLO before STARTTLS), the EHLO extension list, and lettre's reading through [`Handover`]
/// (EHLO, AUTH's 334 challenges), on real connections. Inputs are real transcripts (Gmail,
/// Outlook, Postfix), mutated, and random bytes. Each read ends with a value or an error, never a
/// panic; our buffer never holds more than one line's bound ([`MAX_REPLY_LINE`]) plus one read,
/// a reply never more than [`MAX_REPLY_LINES`] lines, and a longer line fails naming the bound.
#[cfg(test)]
mod fuzz {
    use super::wire::*;
    use super::*;
    use crate::fuzzing;
    use lettre::transport::smtp::authentication::{Credentials, Mechanism as LettreMechanism};
    use proptest::prelude::*;

    const GREETINGS: &[&str] = &[
        "220 smtp.gmail.com ESMTP a1-20020a05600c000100b0040e4b5cf9c0sm1234567wmq.0 - gsmtp\r\n",
        "220 AM0PR02CA0123.outlook.office365.com Microsoft ESMTP MAIL Service ready at Mon, 1 Jan 2024 10:00:00 \
         +0000\r\n",
        "220-mail.example.test ESMTP Postfix (Debian/GNU)\r\n220 no UCE\r\n",
    ];

    const TRANSCRIPTS: &[&str] = &[
        "250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN \
         PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n\
         250-CHUNKING\r\n250 SMTPUTF8\r\n334 \r\n535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 \
         https://support.google.com/mail/?p=BadCredentials\r\n",
        "250-AM0PR02CA0123.outlook.office365.com Hello [203.0.113.5]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n\
         250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH LOGIN XOAUTH2\r\n250-8BITMIME\r\n250-BINARYMIME\r\n\
         250-CHUNKING\r\n250 SMTPUTF8\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication \
         successful\r\n",
        "250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n\
         250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n\
         250 CHUNKING\r\n235 2.7.0 Authentication successful\r\n",
        "250 mail.example.test\r\n454 4.7.0 Temporary authentication failure\r\n",
        "250-x\r\n250 AUTH PLAIN\r\n334 \r\n334 bW9yZQ==\r\n501 5.5.2 Cannot decode response\r\n",
        "421 4.7.0 Try again later, closing connection.\r\n",
        "554 5.7.1 No SMTP service here\r\n",
    ];

    const TOKENS: &[&str] =
        &["220", "250", "334", "235", "535", "454", "-", " ", "AUTH", "PLAIN", "LOGIN", "STARTTLS", "5.7.8", "="];

    /// A greeting, then a mutated or random rest.
    fn inputs() -> Vec<(&'static str, proptest::strategy::BoxedStrategy<Vec<u8>>)> {
        let with_greeting = |rest: proptest::strategy::BoxedStrategy<Vec<u8>>| {
            (prop::sample::select(GREETINGS), rest).prop_map(|(g, rest)| [g.as_bytes(), &rest].concat()).boxed()
        };
        vec![
            ("mutated transcripts", with_greeting(fuzzing::mutated(TRANSCRIPTS).boxed())),
            ("mutated greetings", fuzzing::mutated(&[GREETINGS, TRANSCRIPTS].concat()).boxed()),
            ("random bytes", with_greeting(fuzzing::random(TOKENS).boxed())),
        ]
    }

    /// A greeting, then a line longer than the bound.
    fn oversized() -> impl Strategy<Value = Vec<u8>> {
        (0usize..TRANSCRIPTS.len(), 1usize..2048, any::<bool>()).prop_map(|(i, extra, ended)| {
            let filler: Vec<u8> = TRANSCRIPTS[i].bytes().filter(|&b| b != b'\n').collect();
            let mut input = GREETINGS[0].as_bytes().to_vec();
            let mut line = b"250-".to_vec();
            while line.len() <= MAX_REPLY_LINE + extra {
                line.extend_from_slice(&filler);
            }
            input.extend(line);
            if ended {
                input.extend_from_slice(b"\r\n");
            }
            input
        })
    }

    fn names_the_bound(e: &EngineError) -> bool {
        matches!(e, EngineError::Protocol { message, .. } if message.contains(&MAX_REPLY_LINE.to_string()))
    }

    fn bounded(wire: &Wire<'_>) -> Result<(), TestCaseError> {
        prop_assert!(wire.buf.len() <= MAX_REPLY_LINE + 1024, "the buffer holds {} bytes", wire.buf.len());
        Ok(())
    }

    /// Our reply reader, reply after reply, as the greeting and the EHLO before STARTTLS use it.
    #[test]
    fn replies_are_read_or_refused_within_the_bound() {
        let rt = fuzzing::runtime();
        let listener = rt.block_on(fuzzing::listener());
        let redactor = Redactor::new();
        for (what, strategy) in inputs().into_iter().chain([("oversized", oversized().boxed())]) {
            fuzzing::runner()
                .run(&strategy, |input| {
                    rt.block_on(async {
                        let tcp = fuzzing::served(&listener, input).await;
                        let mut wire = Wire::new(MailStream::Plain(tcp), &redactor);
                        loop {
                            let read = wire.read_reply(Stage::Capabilities, "t").await;
                            bounded(&wire)?;
                            match read {
                                Ok(reply) => {
                                    prop_assert!(reply.lines.len() <= MAX_REPLY_LINES);
                                    prop_assert!(reply.raw.len() <= MAX_REPLY_LINES * (MAX_REPLY_LINE + 1));
                                    let _ = ehlo_extensions(&String::from_utf8_lossy(&reply.raw), &redactor);
                                    let _ = wire.refused(Stage::Capabilities, "t", &reply);
                                }
                                Err(e) => {
                                    if what == "oversized" {
                                        prop_assert!(names_the_bound(&e), "{e:?}");
                                    }
                                    prop_assert!(
                                        matches!(
                                            e,
                                            EngineError::ConnectionClosed { .. } | EngineError::Protocol { .. }
                                        ),
                                        "{what}: {e:?}"
                                    );
                                    return Ok(());
                                }
                            }
                        }
                    })
                })
                .unwrap();
        }
    }

    /// What `open` does after the greeting: lettre reads through [`Handover`] (the replayed
    /// greeting, EHLO's answer), then AUTH reads the 334 challenges.
    #[test]
    fn lettre_through_the_handover_reads_or_refuses() {
        let rt = fuzzing::runtime();
        let listener = rt.block_on(fuzzing::listener());
        let redactor = Redactor::new();
        for (what, strategy) in inputs().into_iter().chain([("oversized", oversized().boxed())]) {
            fuzzing::runner()
                .run(&strategy, |input| {
                    rt.block_on(async {
                        let tcp = fuzzing::served(&listener, input).await;
                        let client_id = client_id(&tcp);
                        let mut wire = Wire::new(MailStream::Plain(tcp), &redactor);
                        let Ok(greeting) = wire.read_reply(Stage::Greeting, "t").await else { return Ok(()) };
                        let tap = Arc::new(Mutex::new(Some(Vec::new())));
                        let mut replay = greeting.raw;
                        replay.extend_from_slice(&wire.buf);
                        let handover = Handover::new(replay, wire.stream, tap.clone());
                        let limit = Duration::from_secs(20);
                        let connected = tokio::time::timeout(
                            limit,
                            AsyncSmtpConnection::connect_with_transport(Box::new(handover), &client_id),
                        )
                        .await;
                        prop_assert!(connected.is_ok(), "{what}: lettre did not finish on a closed stream");
                        let heard = tap.lock().unwrap().take().unwrap_or_default();
                        prop_assert!(heard.len() <= MAX_TAP);
                        let _ = ehlo_extensions(&String::from_utf8_lossy(&heard), &redactor);
                        let mut conn = match connected.unwrap() {
                            Ok(conn) => conn,
                            Err(e) => {
                                let e = lettre_error(e, Stage::Capabilities, "t", &redactor);
                                if what == "oversized" {
                                    prop_assert!(names_the_bound(&e), "{e:?}");
                                }
                                return Ok(());
                            }
                        };
                        let credentials = Credentials::new("alice".into(), "correct horse".into());
                        let mechanisms = [LettreMechanism::Plain, LettreMechanism::Login];
                        let auth = tokio::time::timeout(limit, conn.auth(&mechanisms, &credentials)).await;
                        prop_assert!(auth.is_ok(), "{what}: AUTH did not finish on a closed stream");
                        if let Ok(Err(e)) = auth {
                            let _ = lettre_error(e, Stage::SigningIn, "t", &redactor);
                        }
                        Ok(())
                    })
                })
                .unwrap();
        }
    }

    #[test]
    fn ehlo_extensions_never_exceed_the_lines() {
        let redactor = Redactor::new();
        for texts in [fuzzing::mutated(TRANSCRIPTS).boxed(), fuzzing::random(TOKENS).boxed()] {
            fuzzing::runner()
                .run(&texts, |bytes| {
                    let text = String::from_utf8_lossy(&bytes);
                    prop_assert!(ehlo_extensions(&text, &redactor).len() <= text.lines().count());
                    Ok(())
                })
                .unwrap();
        }
    }
}
