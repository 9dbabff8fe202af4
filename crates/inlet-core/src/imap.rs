//! IMAP: connect (TLS, STARTTLS or, when the user chose it, plain), read capabilities, sign in with
//! a password, and load the folder tree in a number of round trips that does not grow with the
//! number of folders (LIST-STATUS, RFC 5819, or pipelined STATUS commands).
//!
//! The commands are written here, with our own tags; the answers are framed here too (a line
//! plus the literals it announces, [`read_answer`]) and parsed by imap-proto, each one once and
//! in place. Writing the commands ourselves keeps the server's answers typed and the password in
//! buffers we wipe. We used to let async-imap frame the answers: it copied what followed each
//! answer into a fresh zeroed buffer and parsed incomplete answers again as bytes arrived, which
//! cost more CPU than anything else in loading a 10,000-folder tree. Every read
//! goes through [`Bounded`], which refuses an answer larger than [`MAX_RESPONSE_BYTES`] as its
//! bytes arrive, and every word of the server that is shown or stored goes through
//! [`shown`](crate::server_text::shown).

use crate::account::{Endpoint, Security, TrustedCertificate};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::folders::{FolderCounts, FolderTree, ListedFolder};
use crate::net::{self, with_deadline, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::secrets::Secret;
use crate::server_text::{shown, shown_plain, Redactor};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use imap_proto::{MailboxDatum, NameAttribute, RequestId, Response, ResponseCode, StatusAttribute};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use zeroize::Zeroizing;

/// The most bytes one answer of the server may take: its line, plus the literals it announces
/// and the rest of the line after each (RFC 3501 4.3). A connection check reads a greeting, a
/// capability list and one short answer per folder, all far below this; a server sending more in
/// one answer is broken or hostile. The bound holds as the bytes arrive, so our framing never
/// holds more, and a line that never ends fails at once instead of at a deadline.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// The most folders one listing may name. Real mailboxes stay far below (a 10,000-folder tree is
/// already a stress test, and the app shows every folder); a server listing more is broken or
/// hostile, and without a cap it could grow the folder list until memory runs out.
pub const MAX_FOLDERS: usize = 100_000;

/// The most bytes the folder listing (LIST, LSUB, STATUS) may take in all. [`MAX_FOLDERS`]
/// folders of ordinary names with their counts are about 16 MB; the cap holds even when a
/// server sends fewer, longer lines (each of which [`MAX_RESPONSE_BYTES`] bounds on its own).
pub const MAX_FOLDER_LISTING_BYTES: usize = 64 * 1024 * 1024;

/// Server capabilities, upper-cased (RFC 3501 7.2.1).
#[derive(Debug, Clone, Default)]
pub struct Capabilities(pub Vec<String>);

impl Capabilities {
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|c| c.eq_ignore_ascii_case(name))
    }
    pub fn auth_mechanisms(&self) -> Vec<String> {
        self.0.iter().filter_map(|c| c.strip_prefix("AUTH=")).map(str::to_owned).collect()
    }
    /// The names are the server's text, shown in the report: made safe like any server text.
    fn from_proto(caps: &[imap_proto::Capability<'_>]) -> Capabilities {
        Capabilities(
            caps.iter()
                .map(|c| match c {
                    imap_proto::Capability::Imap4rev1 => "IMAP4REV1".to_owned(),
                    imap_proto::Capability::Auth(m) => shown_plain(&format!("AUTH={}", m.to_ascii_uppercase())),
                    imap_proto::Capability::Atom(a) => shown_plain(&a.to_ascii_uppercase()),
                })
                .collect(),
        )
    }
}

/// A connection that is ready for sign-in.
pub struct Connected {
    pub connection: ImapConnection,
    pub capabilities: Capabilities,
    pub address: SocketAddr,
    pub target: String,
    pub encrypted: bool,
}

/// A signed-in session.
pub struct SignedIn {
    pub session: ImapConnection,
    pub capabilities: Capabilities,
    pub address: SocketAddr,
    pub target: String,
    pub username: String,
    pub encrypted: bool,
    /// The password's forms, removed from whatever the server says for the rest of the session.
    redactor: Redactor,
}

/// One IMAP connection: we write the commands, and frame the answers read through [`Bounded`]
/// (one complete answer at a time in `answer`), imap-proto parses them.
pub struct ImapConnection {
    reader: tokio::io::BufReader<Bounded<MailStream>>,
    /// The answer being read, its buffer kept from one answer to the next.
    answer: Vec<u8>,
    next_tag: u32,
}

/// Who a step talks to, how long each read may take, and what must never be shown of what the
/// server says.
struct Conversation<'a> {
    target: &'a str,
    deadlines: &'a Deadlines,
    redactor: &'a Redactor,
}

/// How a command ended (RFC 3501 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Ok,
    No,
    Bad,
}

/// The tagged end of a command: its verdict and the server's words, as sent (not yet made safe
/// to show; see [`Completion::shown`]).
struct Completion {
    verdict: Verdict,
    said: String,
    /// The `[CAPABILITY …]` code of the answer, when it carried one (RFC 3501 7.1: a server may
    /// announce its capabilities so, sparing the client a CAPABILITY command).
    capabilities: Option<Capabilities>,
}

impl Completion {
    fn shown(&self, conversation: &Conversation<'_>) -> String {
        shown(&self.said, conversation.redactor)
    }

    /// `NO [UNAVAILABLE]`: the server's own trouble, passing (RFC 5530 section 3: "temporary
    /// failure because a subsystem is down"), never the user's credentials or request.
    fn is_temporary_failure(&self) -> bool {
        self.verdict == Verdict::No && rfc5530_code(&self.said).is_some_and(|c| c.eq_ignore_ascii_case("UNAVAILABLE"))
    }

    /// A refused command as an error: a temporary failure, or the server's refusal.
    fn refused(&self, stage: Stage, conversation: &Conversation<'_>) -> EngineError {
        let (target, server_said) = (conversation.target.to_owned(), self.shown(conversation));
        if self.is_temporary_failure() {
            EngineError::TemporaryFailure { stage, target, server_said }
        } else {
            EngineError::ServerRefused { stage, target, server_said }
        }
    }
}

impl ImapConnection {
    fn new(stream: MailStream, next_tag: u32) -> ImapConnection {
        ImapConnection {
            reader: tokio::io::BufReader::with_capacity(READ_CHUNK, Bounded::new(stream)),
            answer: Vec::new(),
            next_tag,
        }
    }

    fn new_tag(&mut self) -> RequestId {
        let tag = RequestId(format!("A{}", self.next_tag));
        self.next_tag = self.next_tag.wrapping_add(1);
        tag
    }

    /// Writes bytes as they are (a whole command line, CRLF included) and flushes them.
    async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let stream = self.reader.get_mut();
        stream.write_all(bytes).await?;
        stream.flush().await
    }

    /// Sends `command` under a new tag; returns the tag.
    async fn send(&mut self, command: &str) -> io::Result<RequestId> {
        let tag = self.new_tag();
        self.write(format!("{} {command}\r\n", tag.0).as_bytes()).await?;
        Ok(tag)
    }

    /// The next answer, handed to `f` (it borrows from our buffer); None when the server closed
    /// the connection between answers.
    async fn next<T>(&mut self, f: impl FnOnce(&Response<'_>) -> T) -> io::Result<Option<T>> {
        self.answer.clear();
        if !read_answer(&mut self.reader, &mut self.answer).await? {
            return Ok(None);
        }
        match Response::parse(&self.answer) {
            Ok((_, response)) => Ok(Some(f(&response))),
            Err(_) => Err(io::Error::new(io::ErrorKind::InvalidData, "not an IMAP answer")),
        }
    }

    /// Sends `command` and reads answers until its tagged end, each read under the command
    /// deadline (a long answer that keeps arriving is never cut, a stalled one is). Untagged
    /// answers go to `each`.
    async fn run(
        &mut self,
        command: &str,
        stage: Stage,
        conversation: &Conversation<'_>,
        each: impl FnMut(&Response<'_>) -> Result<()>,
    ) -> Result<Completion> {
        let target = conversation.target;
        let tag = with_deadline(stage, target, conversation.deadlines.command, async {
            self.send(command).await.map_err(|e| io_error(e, stage, target))
        })
        .await?;
        self.finish(&tag, stage, conversation, each).await
    }

    /// Reads answers until the tagged end of `tag`; an error of `each` ends the reading.
    async fn finish(
        &mut self,
        tag: &RequestId,
        stage: Stage,
        conversation: &Conversation<'_>,
        mut each: impl FnMut(&Response<'_>) -> Result<()>,
    ) -> Result<Completion> {
        let target = conversation.target;
        loop {
            let read = with_deadline(stage, target, conversation.deadlines.command, async {
                self.next(|response| match response {
                    Response::Done { tag: done, status, outcome } if done == tag => {
                        Ok(Some(completion(status, outcome)))
                    }
                    other => each(other).map(|()| None),
                })
                .await
                .map_err(|e| io_error(e, stage, target))
            })
            .await?;
            match read {
                None => return Err(EngineError::ConnectionClosed { stage, target: target.to_owned() }),
                Some(Ok(Some(done))) => return Ok(done),
                Some(Ok(None)) => {}
                Some(Err(e)) => return Err(e),
            }
        }
    }

    /// The stream under the framing, for the listing's byte budget.
    fn stream(&mut self) -> &mut Bounded<MailStream> {
        self.reader.get_mut()
    }

    /// The connection itself. Whatever was read ahead is dropped with it.
    fn into_stream(self) -> MailStream {
        self.reader.into_inner().inner
    }
}

fn completion(status: &imap_proto::Status, outcome: &imap_proto::Outcome<'_>) -> Completion {
    let verdict = match status {
        imap_proto::Status::Ok => Verdict::Ok,
        imap_proto::Status::No => Verdict::No,
        // BAD, or a status no tagged answer may carry (PREAUTH, BYE).
        _ => Verdict::Bad,
    };
    let capabilities = match &outcome.code {
        Some(ResponseCode::Capabilities(caps)) => Some(Capabilities::from_proto(caps)),
        _ => None,
    };
    Completion { verdict, said: words(outcome), capabilities }
}

/// The server's words in a status answer: its text, after the one response code worth showing.
fn words(outcome: &imap_proto::Outcome<'_>) -> String {
    let text = outcome.information.as_deref().unwrap_or("");
    match outcome.code {
        Some(ResponseCode::Alert) => format!("[ALERT] {text}"),
        _ => text.to_owned(),
    }
}

/// The response code of RFC 5530 at the start of `said` (`[UNAVAILABLE] …` → `UNAVAILABLE`).
/// imap-proto types only RFC 3501's codes; the others stay at the start of the text.
fn rfc5530_code(said: &str) -> Option<&str> {
    let rest = said.strip_prefix('[')?;
    let end = rest.find([']', ' '])?;
    Some(&rest[..end]).filter(|code| !code.is_empty())
}

/// Connects and reads capabilities; with STARTTLS, upgrades first. Refuses, before any password
/// is sent, a plain connection the user did not explicitly accept.
pub async fn connect(
    endpoint: &Endpoint,
    allow_plaintext_password: bool,
    network: &Network,
    trusted: &[TrustedCertificate],
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Connected> {
    let target = endpoint.display();
    let (tcp, address) = net::connect_tcp(network, &endpoint.host, endpoint.port, deadlines, progress).await?;
    let stream = match endpoint.security {
        Security::Tls => MailStream::Tls(Box::new(
            net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress).await?,
        )),
        Security::Starttls | Security::None => MailStream::Plain(tcp),
    };
    // No credential has been sent on this connection: nothing to remove from what it says.
    let no_secrets = Redactor::new();
    let conversation = Conversation { target: &target, deadlines, redactor: &no_secrets };
    let mut connection = ImapConnection::new(stream, 1);
    let mut capabilities = read_greeting(&mut connection, &conversation, progress).await?;
    if capabilities.0.is_empty() {
        capabilities = read_capabilities(&mut connection, &conversation, progress).await?;
    } else {
        report_capabilities(&capabilities, &target, progress);
    }

    let mut encrypted = endpoint.security == Security::Tls;
    match endpoint.security {
        Security::Starttls => {
            if !capabilities.has("STARTTLS") {
                // Never continue in clear when the user asked for encryption (RFC 8314 section 3).
                progress.emit(Stage::Starttls, StageState::Failed, Some(&target), Some("not offered".into()));
                return Err(EngineError::StarttlsNotOffered { target });
            }
            progress.emit(Stage::Starttls, StageState::Started, Some(&target), None);
            let done = connection.run("STARTTLS", Stage::Starttls, &conversation, |_| Ok(())).await?;
            if done.verdict != Verdict::Ok {
                progress.emit(Stage::Starttls, StageState::Failed, Some(&target), None);
                return Err(done.refused(Stage::Starttls, &conversation));
            }
            progress.emit(Stage::Starttls, StageState::Done, Some(&target), None);
            let next_tag = connection.next_tag;
            // Anything the server sent after its OK arrived in clear and is dropped here, unread.
            let MailStream::Plain(tcp) = connection.into_stream() else {
                unreachable!("STARTTLS starts from a plain stream")
            };
            let tls_stream =
                net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress).await?;
            connection = ImapConnection::new(MailStream::Tls(Box::new(tls_stream)), next_tag);
            // Capabilities learned before TLS must be discarded (RFC 3501 6.2.1).
            capabilities = read_capabilities(&mut connection, &conversation, progress).await?;
            encrypted = true;
        }
        Security::None => {
            if capabilities.has("LOGINDISABLED") && !capabilities.has("AUTH=PLAIN") {
                return Err(EngineError::EncryptionRequired { target });
            }
            if !allow_plaintext_password {
                return Err(EngineError::PlaintextNotConfirmed { target });
            }
        }
        Security::Tls => {}
    }
    Ok(Connected { connection, capabilities, address, target, encrypted })
}

async fn read_greeting(
    connection: &mut ImapConnection,
    conversation: &Conversation<'_>,
    progress: &Progress<'_>,
) -> Result<Capabilities> {
    let target = conversation.target;
    progress.emit(Stage::Greeting, StageState::Started, Some(target), None);
    let greeting = with_deadline(Stage::Greeting, target, conversation.deadlines.greeting, async {
        connection
            .next(|response| match response {
                Response::Data { status: imap_proto::Status::Ok | imap_proto::Status::PreAuth, outcome } => {
                    let capabilities = match &outcome.code {
                        Some(ResponseCode::Capabilities(caps)) => Capabilities::from_proto(caps),
                        _ => Capabilities::default(),
                    };
                    Ok((shown(&words(outcome), conversation.redactor), capabilities))
                }
                Response::Data { status: imap_proto::Status::Bye, outcome } => Err(EngineError::ServerRefused {
                    stage: Stage::Greeting,
                    target: target.to_owned(),
                    server_said: shown(&words(outcome), conversation.redactor),
                }),
                other => Err(EngineError::Protocol {
                    stage: Stage::Greeting,
                    target: target.to_owned(),
                    message: match other {
                        Response::Data { outcome, .. } | Response::Continue(outcome) => {
                            format!("not an IMAP greeting: {}", shown(&words(outcome), conversation.redactor))
                        }
                        _ => "not an IMAP greeting".to_owned(),
                    },
                }),
            })
            .await
            .map_err(|e| io_error(e, Stage::Greeting, target))
    })
    .await?;
    let Some(greeting) = greeting else {
        return Err(EngineError::ConnectionClosed { stage: Stage::Greeting, target: target.to_owned() });
    };
    let (text, capabilities) = greeting?;
    progress.emit(Stage::Greeting, StageState::Done, Some(target), Some(text));
    Ok(capabilities)
}

async fn read_capabilities(
    connection: &mut ImapConnection,
    conversation: &Conversation<'_>,
    progress: &Progress<'_>,
) -> Result<Capabilities> {
    progress.emit(Stage::Capabilities, StageState::Started, Some(conversation.target), None);
    let caps = ask_capabilities(connection, conversation).await?;
    report_capabilities(&caps, conversation.target, progress);
    Ok(caps)
}

/// CAPABILITY (RFC 3501 6.1.1), without progress events.
async fn ask_capabilities(connection: &mut ImapConnection, conversation: &Conversation<'_>) -> Result<Capabilities> {
    let mut caps = Capabilities::default();
    let done = connection
        .run("CAPABILITY", Stage::Capabilities, conversation, |response| {
            if let Response::Capabilities(c) = response {
                caps = Capabilities::from_proto(c);
            }
            Ok(())
        })
        .await?;
    if done.verdict != Verdict::Ok {
        return Err(done.refused(Stage::Capabilities, conversation));
    }
    Ok(caps)
}

fn report_capabilities(caps: &Capabilities, target: &str, progress: &Progress<'_>) {
    progress.emit(Stage::Capabilities, StageState::Done, Some(target), Some(shown_plain(&caps.0.join(" "))));
}

/// Signs in with the first username the server accepts. Uses AUTHENTICATE PLAIN when advertised,
/// LOGIN otherwise (RFC 3501 6.2.3), never LOGIN when the server disabled it. A temporary failure
/// of the server (`NO [UNAVAILABLE]`) ends the attempts: another username would meet it too.
///
/// Copies of the password: the caller's [`Secret`], the redactor's forms and the command buffers
/// built here are all wiped when dropped. What remains is outside our reach: rustls's record
/// buffers on the way out (or the kernel's socket buffers on a plain connection), and any echo of
/// it by the server, which sits in our read buffers until the next answers overwrite it.
pub async fn sign_in(
    connected: Connected,
    usernames: &[String],
    password: &Secret,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<SignedIn> {
    let Connected { mut connection, capabilities, address, target, encrypted } = connected;
    let use_plain = capabilities.has("AUTH=PLAIN");
    // The SASL message goes on the command line itself when the server allows (RFC 4959),
    // instead of after a round trip for its empty challenge.
    let initial_response = capabilities.has("SASL-IR");
    if !use_plain && capabilities.has("LOGINDISABLED") {
        return Err(EngineError::NoUsableAuthMechanism { target, offered: capabilities.auth_mechanisms() });
    }
    // Every form of the password a server could quote back: as typed, in base64, in each SASL
    // PLAIN message, and escaped as LOGIN sends it.
    let mut redactor = Redactor::new().secret(password.expose());
    if !use_plain {
        redactor.add_secret(&quoted_inside(password.expose()));
    }
    let mut tried = Vec::new();
    let mut last_said = String::new();
    for username in usernames {
        redactor.add_sasl_plain(username, password.expose());
        let conversation = Conversation { target: &target, deadlines, redactor: &redactor };
        progress.emit(Stage::SigningIn, StageState::Started, Some(&target), Some(format!("as {username}")));
        let attempt = async {
            if use_plain {
                authenticate_plain(&mut connection, username, password, initial_response, &conversation).await
            } else {
                login(&mut connection, username, password, &conversation).await
            }
        };
        let done = match tokio::time::timeout(deadlines.command, attempt).await {
            Ok(done) => done?,
            Err(_) => {
                return Err(EngineError::TimedOut {
                    stage: Stage::SigningIn,
                    target,
                    seconds: deadlines.command.as_secs().max(1),
                })
            }
        };
        tried.push(username.clone());
        match done.verdict {
            Verdict::Ok => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Done,
                    Some(&target),
                    Some(format!("signed in as {username}")),
                );
                // Servers may announce more after sign-in (RFC 3501 7.2.1); most say it in the
                // tagged OK itself, which saves a round trip.
                let capabilities = match done.capabilities {
                    Some(announced) => announced,
                    None => ask_capabilities(&mut connection, &conversation).await?,
                };
                return Ok(SignedIn {
                    session: connection,
                    capabilities,
                    address,
                    target,
                    username: username.clone(),
                    encrypted,
                    redactor,
                });
            }
            Verdict::No if done.is_temporary_failure() => {
                progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), None);
                return Err(done.refused(Stage::SigningIn, &conversation));
            }
            Verdict::No => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Update,
                    Some(&target),
                    Some(format!("refused as {username}")),
                );
                last_said = done.shown(&conversation);
            }
            // BAD: the server did not understand the command; another username would not help.
            Verdict::Bad => return Err(done.refused(Stage::SigningIn, &conversation)),
        }
    }
    progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), None);
    Err(EngineError::AuthenticationFailed { target, tried, server_said: last_said })
}

/// AUTHENTICATE PLAIN (RFC 3501 6.2.2): the command, the server's empty challenge, our one
/// message; then the tagged end. With `initial_response` (the server offers SASL-IR, RFC 4959)
/// the message travels on the command line and no challenge is awaited.
async fn authenticate_plain(
    connection: &mut ImapConnection,
    username: &str,
    password: &Secret,
    initial_response: bool,
    conversation: &Conversation<'_>,
) -> Result<Completion> {
    enum Step {
        Challenge,
        Done(Completion),
        Other,
    }
    let io = |e| io_error(e, Stage::SigningIn, conversation.target);
    let (tag, mut answered) = if initial_response {
        let tag = connection.new_tag();
        let message = plain_message_line(username, password);
        let command = format!("{} AUTHENTICATE PLAIN ", tag.0);
        // Sized up front so it is never reallocated, and wiped when dropped.
        let mut line = Zeroizing::new(Vec::with_capacity(command.len() + message.len()));
        line.extend_from_slice(command.as_bytes());
        line.extend_from_slice(&message);
        connection.write(&line).await.map_err(io)?;
        (tag, true)
    } else {
        (connection.send("AUTHENTICATE PLAIN").await.map_err(io)?, false)
    };
    loop {
        let step = connection
            .next(|response| match response {
                Response::Continue(_) => Step::Challenge,
                Response::Done { tag: done, status, outcome } if *done == tag => {
                    Step::Done(completion(status, outcome))
                }
                _ => Step::Other,
            })
            .await
            .map_err(io)?;
        match step {
            None => {
                return Err(EngineError::ConnectionClosed {
                    stage: Stage::SigningIn,
                    target: conversation.target.to_owned(),
                })
            }
            Some(Step::Done(done)) => return Ok(done),
            Some(Step::Challenge) if !answered => {
                connection.write(&plain_message_line(username, password)).await.map_err(io)?;
                answered = true;
            }
            // PLAIN has one message: a second challenge is declined with "*" (RFC 3501 6.2.2),
            // and the server then ends the command with BAD.
            Some(Step::Challenge) => connection.write(b"*\r\n").await.map_err(io)?,
            Some(Step::Other) => {}
        }
    }
}

/// The SASL PLAIN message (RFC 4616: authzid NUL authcid NUL password, no authzid here), in
/// base64 and ended by CRLF. Both buffers are sized up front, so neither is reallocated (which
/// would leave an unwiped copy behind), and wiped when dropped.
fn plain_message_line(username: &str, password: &Secret) -> Zeroizing<Vec<u8>> {
    let secret = password.expose().as_bytes();
    let mut message = Zeroizing::new(Vec::with_capacity(username.len() + secret.len() + 2));
    message.push(0);
    message.extend_from_slice(username.as_bytes());
    message.push(0);
    message.extend_from_slice(secret);
    let encoded = base64::encoded_len(message.len(), true).expect("a sign-in message is far below usize::MAX bytes");
    let mut line = Zeroizing::new(vec![0u8; encoded + 2]);
    BASE64.encode_slice(message.as_slice(), &mut line[..encoded]).expect("the buffer is sized by encoded_len");
    line[encoded..].copy_from_slice(b"\r\n");
    line
}

/// LOGIN with both arguments as quoted strings (RFC 3501 6.2.3, 4.3).
async fn login(
    connection: &mut ImapConnection,
    username: &str,
    password: &Secret,
    conversation: &Conversation<'_>,
) -> Result<Completion> {
    // A quoted string cannot carry CR, LF or NUL; refused before anything is sent.
    for (field, value) in [("username", username), ("password", password.expose())] {
        if value.contains(['\r', '\n', '\0']) {
            return Err(EngineError::InvalidInput {
                field,
                message: format!("the {field} contains a line break or NUL, which IMAP LOGIN cannot send"),
            });
        }
    }
    let tag = connection.new_tag();
    let line = login_line(&tag, username, password);
    let io = |e| io_error(e, Stage::SigningIn, conversation.target);
    connection.write(&line).await.map_err(io)?;
    connection.finish(&tag, Stage::SigningIn, conversation, |_| Ok(())).await
}

/// `<tag> LOGIN "<username>" "<password>"` CRLF in one buffer, sized up front (every character
/// could need escaping) so it is never reallocated, and wiped when dropped.
fn login_line(tag: &RequestId, username: &str, password: &Secret) -> Zeroizing<Vec<u8>> {
    let password = password.expose();
    let most = tag.0.len() + " LOGIN ".len() + 2 * username.len() + 2 + 1 + 2 * password.len() + 2 + 2;
    let mut line = Zeroizing::new(Vec::with_capacity(most));
    line.extend_from_slice(tag.0.as_bytes());
    line.extend_from_slice(b" LOGIN ");
    for (i, value) in [username, password].into_iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.push(b'"');
        for &b in value.as_bytes() {
            if b == b'"' || b == b'\\' {
                line.push(b'\\');
            }
            line.push(b);
        }
        line.push(b'"');
    }
    line.extend_from_slice(b"\r\n");
    line
}

/// What LOGIN puts between the quotes for `value` (RFC 3501 4.3): `"` and `\` escaped. Wiped when
/// dropped; sized up front so it is never reallocated.
fn quoted_inside(value: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(2 * value.len()));
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Loads the whole folder tree with counts.
pub async fn load_folders(
    signed_in: &mut SignedIn,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<FolderTree> {
    let SignedIn { session, capabilities: caps, target, redactor, .. } = signed_in;
    let conversation = Conversation { target, deadlines, redactor };
    let target = conversation.target;
    progress.emit(Stage::ListingFolders, StageState::Started, Some(target), None);

    let extended = caps.has("LIST-EXTENDED") || caps.has("LIST-STATUS");
    let mut returns = Vec::new();
    // CHILDREN is not asked for: the tree itself says which folders have children.
    if extended {
        returns.push("SUBSCRIBED");
    }
    if caps.has("SPECIAL-USE") {
        returns.push("SPECIAL-USE");
    }
    let list_status = caps.has("LIST-STATUS");
    if list_status {
        returns.push("STATUS (MESSAGES UNSEEN)");
    }
    let command = if returns.is_empty() {
        "LIST \"\" \"*\"".to_owned()
    } else {
        format!("LIST \"\" \"*\" RETURN ({})", returns.join(" "))
    };

    // Every byte of the listing counts against one budget, whichever command brings it.
    session.stream().listing_budget = Some(MAX_FOLDER_LISTING_BYTES);
    let mut listed = Vec::new();
    let mut counts: HashMap<String, FolderCounts> = HashMap::new();
    let done = session
        .run(&command, Stage::ListingFolders, &conversation, |response| {
            collect(response, &mut listed, &mut counts);
            too_many_folders(listed.len().max(counts.len()), target)?;
            if listed.len() % 500 == 0 && !listed.is_empty() {
                progress.count(Stage::ListingFolders, Some(target), listed.len() as u32, None);
            }
            Ok(())
        })
        .await?;
    if done.verdict != Verdict::Ok {
        return Err(done.refused(Stage::ListingFolders, &conversation));
    }

    let mut subscribed = HashSet::new();
    if !extended {
        let mut lsub = Vec::new();
        let done = session
            .run("LSUB \"\" \"*\"", Stage::ListingFolders, &conversation, |r| {
                collect(r, &mut lsub, &mut HashMap::new());
                too_many_folders(lsub.len(), target)
            })
            .await?;
        if done.verdict != Verdict::Ok {
            return Err(done.refused(Stage::ListingFolders, &conversation));
        }
        subscribed = lsub.into_iter().map(|f| f.raw_name).collect();
    }

    if !list_status {
        let selectable: Vec<String> = listed
            .iter()
            .filter(|f| {
                !f.attributes
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("\\Noselect") || a.eq_ignore_ascii_case("\\NonExistent"))
            })
            .map(|f| f.raw_name.clone())
            .collect();
        pipelined_status(session, &selectable, &mut counts, &conversation, progress).await?;
    }
    session.stream().listing_budget = None;
    let tree = FolderTree::build(listed, &counts, &subscribed);
    progress.emit(
        Stage::ListingFolders,
        StageState::Done,
        Some(target),
        Some(format!("{} folders", tree.folders.len())),
    );
    Ok(tree)
}

/// STATUS for every folder in one pipeline (RFC 3501 5.5 allows it): all commands are written
/// while the answers are read at the same time, so the whole batch costs about one round trip
/// whatever the number of folders. Writing everything before reading could deadlock once both
/// sides' buffers fill, hence one writer and one reader over the split connection. It runs right
/// after the tagged end of LIST, reads through the connection's own buffer (nothing read ahead
/// is lost), and ends on the last tagged answer.
async fn pipelined_status(
    session: &mut ImapConnection,
    folders: &[String],
    counts: &mut HashMap<String, FolderCounts>,
    conversation: &Conversation<'_>,
    progress: &Progress<'_>,
) -> Result<()> {
    use tokio::io::BufReader;
    if folders.is_empty() {
        return Ok(());
    }
    let (target, deadlines) = (conversation.target, conversation.deadlines);
    let total = folders.len() as u32;
    let (read_half, mut write_half) = tokio::io::split(&mut session.reader);

    let writer = async {
        let mut batch = Vec::with_capacity(64 * 1024);
        for (i, name) in folders.iter().enumerate() {
            batch.extend_from_slice(format!("S{i} STATUS {} (MESSAGES UNSEEN)\r\n", quote(name)).as_bytes());
            if batch.len() >= 60 * 1024 || i + 1 == folders.len() {
                with_deadline(Stage::ListingFolders, target, deadlines.command, async {
                    write_half.write_all(&batch).await.map_err(|e| io_error(e, Stage::ListingFolders, target))
                })
                .await?;
                batch.clear();
            }
        }
        with_deadline(Stage::ListingFolders, target, deadlines.command, async {
            write_half.flush().await.map_err(|e| io_error(e, Stage::ListingFolders, target))
        })
        .await
    };

    let reader = async {
        let mut reader = BufReader::with_capacity(READ_CHUNK, read_half);
        let mut done = 0u32;
        let mut frame = Vec::new();
        while done < total {
            frame.clear();
            read_frame(&mut reader, &mut frame, target, deadlines).await?;
            match imap_proto::Response::parse(&frame) {
                Ok((_, Response::Done { tag, .. })) if tag.0.starts_with('S') => {
                    // A folder that vanished meanwhile answers NO; its counts stay unknown.
                    done += 1;
                    if done.is_multiple_of(250) || done == total {
                        progress.count(Stage::ListingFolders, Some(target), done, Some(total));
                    }
                }
                Ok((_, response)) => {
                    collect(&response, &mut Vec::new(), counts);
                    too_many_folders(counts.len(), target)?;
                }
                Err(_) => {
                    return Err(EngineError::Protocol {
                        stage: Stage::ListingFolders,
                        target: target.to_owned(),
                        message: format!(
                            "unreadable answer: {}",
                            shown(&String::from_utf8_lossy(&frame), conversation.redactor)
                        ),
                    })
                }
            }
        }
        Ok(())
    };
    let (written, read) = tokio::join!(writer, reader);
    written?;
    read
}

/// How much is read from the connection at once.
const READ_CHUNK: usize = 64 * 1024;

/// Reads one complete answer (for the pipelined STATUS phase) under the command deadline: a
/// server that stalls in the middle of an answer is cut, one that keeps sending answers is not.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    frame: &mut Vec<u8>,
    target: &str,
    deadlines: &Deadlines,
) -> Result<()> {
    let stage = Stage::ListingFolders;
    let read = with_deadline(stage, target, deadlines.command, async {
        read_answer(reader, frame).await.map_err(|e| io_error(e, stage, target))
    })
    .await?;
    if read {
        Ok(())
    } else {
        Err(EngineError::ConnectionClosed { stage, target: target.to_owned() })
    }
}

/// Reads one complete answer into `frame`: a line, plus any literal `{n}` it announces and the
/// rest of the line after it (RFC 3501 4.3). False when the stream ended before the answer's
/// first byte; ending inside it is an `UnexpectedEof` error. Never keeps more than
/// [`MAX_RESPONSE_BYTES`]: a longer line fails as soon as it passes the bound, and a literal
/// announced larger fails before anything is read for it. Written by hand, like [`Bounded`]:
/// the framing crates we know either keep no bound or copy the rest of the buffer per answer.
async fn read_answer<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R, frame: &mut Vec<u8>) -> io::Result<bool> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let refuse = |why: TooLarge| io::Error::new(io::ErrorKind::InvalidData, why);
    let cut = || io::Error::new(io::ErrorKind::UnexpectedEof, "the connection ended inside an answer");
    loop {
        let start = frame.len();
        loop {
            let chunk = reader.fill_buf().await?;
            if chunk.is_empty() {
                // End of stream: between answers, or in the middle of a line.
                return if frame.is_empty() { Ok(false) } else { Err(cut()) };
            }
            let (take, line_ended) = match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (chunk.len(), false),
            };
            if frame.len().checked_add(take).is_none_or(|len| len > MAX_RESPONSE_BYTES) {
                return Err(refuse(TooLarge::Line));
            }
            frame.extend_from_slice(&chunk[..take]);
            reader.consume(take);
            if line_ended {
                break;
            }
        }
        let size = match literal_announced(&frame[start..]) {
            None => return Ok(true),
            Some(size) => size,
        };
        let end = size.and_then(|size| frame.len().checked_add(size)).filter(|&end| end <= MAX_RESPONSE_BYTES);
        let Some(end) = end else {
            return Err(refuse(TooLarge::Literal(size)));
        };
        let wanted = (end - frame.len()) as u64;
        (&mut *reader).take(wanted).read_to_end(frame).await?;
        if frame.len() != end {
            return Err(cut());
        }
    }
}

/// Whether a whole line (LF included) ends by announcing a literal (`{n}` or `{n+}` before CRLF,
/// RFC 3501 4.3, RFC 7888): `Some(Some(n))`, or `Some(None)` when `n` is more than a `usize` holds.
fn literal_announced(line: &[u8]) -> Option<Option<usize>> {
    let body = line.strip_suffix(b"\n")?;
    let announce = body.iter().fold(Announce::Nothing, |state, &b| state.next(b));
    announce.size_at_line_end()
}

/// How far the end of a line looks like a literal announcement, byte by byte: `{`, digits (their
/// value, None once it overflows), an optional `+`, `}`, CR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Announce {
    #[default]
    Nothing,
    Open,
    Digits(Option<usize>),
    Plus(Option<usize>),
    Closed(Option<usize>),
    ClosedCr(Option<usize>),
}

impl Announce {
    fn next(self, b: u8) -> Announce {
        let digit = |value: Option<usize>| value?.checked_mul(10)?.checked_add(usize::from(b - b'0'));
        match (self, b) {
            (_, b'{') => Announce::Open,
            (Announce::Open, b'0'..=b'9') => Announce::Digits(digit(Some(0))),
            (Announce::Digits(value), b'0'..=b'9') => Announce::Digits(digit(value)),
            (Announce::Digits(value), b'+') => Announce::Plus(value),
            (Announce::Digits(value) | Announce::Plus(value), b'}') => Announce::Closed(value),
            (Announce::Closed(value), b'\r') => Announce::ClosedCr(value),
            _ => Announce::Nothing,
        }
    }

    /// At a line's LF: the announced size, if the line announced a literal.
    fn size_at_line_end(self) -> Option<Option<usize>> {
        match self {
            Announce::Closed(value) | Announce::ClosedCr(value) => Some(value),
            _ => None,
        }
    }
}

/// Why an answer was refused for its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TooLarge {
    /// A line went past [`MAX_RESPONSE_BYTES`] without its end.
    Line,
    /// A literal was announced that does not fit in what is left of the bound (None: its size is
    /// more than a `usize` holds).
    Literal(Option<usize>),
    /// The folder listing as a whole went past [`MAX_FOLDER_LISTING_BYTES`].
    Listing,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = MAX_RESPONSE_BYTES;
        match self {
            TooLarge::Line => write!(
                f,
                "the server sent a line longer than {bound} bytes without ending it; Inlet reads at most {bound} \
                 bytes of one answer"
            ),
            TooLarge::Literal(Some(size)) => write!(
                f,
                "the server announced a literal of {size} bytes; Inlet reads at most {bound} bytes of one answer"
            ),
            TooLarge::Listing => write!(
                f,
                "the server's folder list went past {MAX_FOLDER_LISTING_BYTES} bytes; Inlet reads at most that much \
                 of it"
            ),
            TooLarge::Literal(None) => write!(
                f,
                "the server announced a literal larger than any size Inlet can count; Inlet reads at most {bound} \
                 bytes of one answer"
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

/// Fails once a listing names more than [`MAX_FOLDERS`] folders.
fn too_many_folders(named: usize, target: &str) -> Result<()> {
    if named <= MAX_FOLDERS {
        return Ok(());
    }
    Err(EngineError::Protocol {
        stage: Stage::ListingFolders,
        target: target.to_owned(),
        message: format!("the server listed more than {MAX_FOLDERS} folders; Inlet reads at most {MAX_FOLDERS}"),
    })
}

/// A connection whose reads fail once one answer passes [`MAX_RESPONSE_BYTES`], before the bytes
/// are handed on: a line failing to end, or a literal announced too large (refused when its
/// announcement arrives, before a reader can reserve room for it). Written by hand: no crate
/// bounds IMAP answers as they stream in. It also keeps the folder listing's byte budget.
#[derive(Debug)]
struct Bounded<S> {
    inner: S,
    scan: AnswerScan,
    /// While the folders are listed: the bytes the listing may still take.
    listing_budget: Option<usize>,
}

impl<S> Bounded<S> {
    fn new(inner: S) -> Bounded<S> {
        Bounded { inner, scan: AnswerScan::default(), listing_budget: None }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        if let Err(why) = this.scan.check() {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, why)));
        }
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let read = buf.filled().len() - before;
        if let Some(left) = this.listing_budget.as_mut() {
            match left.checked_sub(read) {
                Some(rest) => *left = rest,
                None => {
                    buf.set_filled(before);
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, TooLarge::Listing)));
                }
            }
        }
        match this.scan.feed(&buf.filled()[before..]) {
            Ok(()) => Poll::Ready(Ok(())),
            Err(why) => {
                // Not handed on: the reader sees an error, never the bytes past the bound.
                buf.set_filled(before);
                Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, why)))
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Where the bytes read so far stand among the server's answers (RFC 3501 4.3: an answer ends at
/// a CRLF that does not announce a literal; a literal is `{n}` CRLF and then n bytes of data).
#[derive(Debug, Default)]
struct AnswerScan {
    /// Bytes of the current answer so far, its announced literals included.
    answer: usize,
    /// Bytes of a literal still to come: data, not protocol.
    literal_left: usize,
    /// The end of the current line, as far as it may announce a literal.
    announce: Announce,
    /// Once over the bound, every later read fails too.
    failed: Option<TooLarge>,
}

impl AnswerScan {
    fn check(&self) -> std::result::Result<(), TooLarge> {
        self.failed.map_or(Ok(()), Err)
    }

    fn feed(&mut self, bytes: &[u8]) -> std::result::Result<(), TooLarge> {
        self.check()?;
        let outcome = self.advance(bytes);
        if let Err(why) = outcome {
            self.failed = Some(why);
        }
        outcome
    }

    fn advance(&mut self, mut bytes: &[u8]) -> std::result::Result<(), TooLarge> {
        while !bytes.is_empty() {
            if self.literal_left > 0 {
                // Counted in `answer` when announced.
                let n = self.literal_left.min(bytes.len());
                self.literal_left -= n;
                bytes = &bytes[n..];
                continue;
            }
            let line_end = bytes.iter().position(|&b| b == b'\n');
            let (body, rest) = bytes.split_at(line_end.unwrap_or(bytes.len()));
            self.answer = self.answer.saturating_add(body.len() + usize::from(line_end.is_some()));
            if self.answer > MAX_RESPONSE_BYTES {
                return Err(TooLarge::Line);
            }
            // Only the part after the line's last `{` can announce a literal.
            let from = match body.iter().rposition(|&b| b == b'{') {
                Some(at) => at,
                None if self.announce == Announce::Nothing => body.len(),
                None => 0,
            };
            self.announce = body[from..].iter().fold(self.announce, |state, &b| state.next(b));
            if line_end.is_none() {
                return Ok(());
            }
            bytes = &rest[1..];
            match std::mem::take(&mut self.announce).size_at_line_end() {
                // The answer is complete.
                None => self.answer = 0,
                Some(size) => {
                    let fits = size.filter(|&n| self.answer.checked_add(n).is_some_and(|t| t <= MAX_RESPONSE_BYTES));
                    let Some(n) = fits else { return Err(TooLarge::Literal(size)) };
                    self.answer += n;
                    self.literal_left = n;
                }
            }
        }
        Ok(())
    }
}
fn collect(response: &Response<'_>, listed: &mut Vec<ListedFolder>, counts: &mut HashMap<String, FolderCounts>) {
    match response {
        Response::MailboxData(MailboxDatum::List(data)) => listed.push(ListedFolder {
            raw_name: data.name.to_string(),
            delimiter: data.delimiter.as_ref().map(|d| d.to_string()),
            attributes: data.name_attributes.iter().map(attribute_name).collect(),
        }),
        Response::MailboxData(MailboxDatum::Status { mailbox, status }) => {
            let entry = counts.entry(mailbox.to_string()).or_default();
            for s in status.iter().cloned() {
                match s {
                    StatusAttribute::Messages(n) => entry.messages = Some(n),
                    StatusAttribute::Unseen(n) => entry.unseen = Some(n),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn attribute_name(a: &NameAttribute<'_>) -> String {
    match a {
        NameAttribute::NoInferiors => "\\Noinferiors".into(),
        NameAttribute::NoSelect => "\\Noselect".into(),
        NameAttribute::Marked => "\\Marked".into(),
        NameAttribute::Unmarked => "\\Unmarked".into(),
        NameAttribute::All => "\\All".into(),
        NameAttribute::Archive => "\\Archive".into(),
        NameAttribute::Drafts => "\\Drafts".into(),
        NameAttribute::Flagged => "\\Flagged".into(),
        NameAttribute::Junk => "\\Junk".into(),
        NameAttribute::Sent => "\\Sent".into(),
        NameAttribute::Trash => "\\Trash".into(),
        NameAttribute::Extension(s) => s.to_string(),
        _ => String::new(),
    }
}

/// Logs out politely, without letting a slow server hold us.
pub async fn log_out(signed_in: &mut SignedIn) {
    let deadlines = Deadlines::all(Duration::from_secs(2));
    let SignedIn { session, target, redactor, .. } = signed_in;
    let conversation = Conversation { target, deadlines: &deadlines, redactor };
    let logout = session.run("LOGOUT", Stage::ListingFolders, &conversation, |_| Ok(()));
    let _ = tokio::time::timeout(deadlines.command, logout).await;
}

/// An IMAP quoted string (RFC 3501 4.3): backslash and double quote escaped.
fn quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// An error of the connection as the diagnosis shows it. Only our own words and the operating
/// system's or TLS's are kept: a parse error could quote the server's bytes, which neither the
/// redactor nor the cleaning can be sure to catch.
fn io_error(e: io::Error, stage: Stage, target: &str) -> EngineError {
    use std::io::ErrorKind::*;
    let target = target.to_owned();
    if let Some(why) = e.get_ref().and_then(|inner| inner.downcast_ref::<TooLarge>()) {
        return EngineError::Protocol { stage, target, message: why.to_string() };
    }
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target }
        }
        _ if e.raw_os_error().is_some() || e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            EngineError::Protocol { stage, target, message: shown_plain(&e.to_string()) }
        }
        _ => {
            EngineError::Protocol { stage, target, message: "the server's answer is not valid IMAP (RFC 3501)".into() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadlines() -> Deadlines {
        Deadlines::default()
    }

    #[tokio::test]
    async fn frames_lines_and_literals() {
        let input: &[u8] = b"* STATUS {5}\r\na\r\nb\" (MESSAGES 2 UNSEEN 1)\r\nS0 OK done\r\n* STATUS \"x\" ";
        let mut reader = tokio::io::BufReader::new(input);
        let d = deadlines();
        let mut frame = Vec::new();
        read_frame(&mut reader, &mut frame, "t", &d).await.unwrap();
        assert_eq!(frame, b"* STATUS {5}\r\na\r\nb\" (MESSAGES 2 UNSEEN 1)\r\n");
        frame.clear();
        read_frame(&mut reader, &mut frame, "t", &d).await.unwrap();
        assert_eq!(frame, b"S0 OK done\r\n");
        frame.clear();
        // A cut-off answer is a closed connection, not a hang or a panic.
        let e = read_frame(&mut reader, &mut frame, "t", &d).await.unwrap_err();
        assert!(matches!(e, EngineError::ConnectionClosed { .. }), "{e:?}");
    }

    #[tokio::test]
    async fn an_endless_line_fails_at_the_bound_without_holding_more() {
        // An endless stream of `x`: the reader must stop at the bound, not at memory's end.
        let mut reader = tokio::io::BufReader::with_capacity(4096, tokio::io::repeat(b'x'));
        let mut frame = Vec::new();
        let e = read_frame(&mut reader, &mut frame, "t", &deadlines()).await.unwrap_err();
        let EngineError::Protocol { message, .. } = &e else { panic!("{e:?}") };
        assert!(message.contains("line longer than") && message.contains(&MAX_RESPONSE_BYTES.to_string()), "{message}");
        assert!(frame.len() <= MAX_RESPONSE_BYTES);
    }

    #[tokio::test]
    async fn literal_sizes_are_checked_arithmetic() {
        for (announced, expected) in [
            ("18446744073709551615", "18446744073709551615"),
            ("99999999999999999999999999", "larger than any size"),
            ("400000000", "400000000"),
        ] {
            let input = format!("* STATUS {{{announced}}}\r\n");
            let mut reader = tokio::io::BufReader::new(input.as_bytes());
            let mut frame = Vec::new();
            let e = read_frame(&mut reader, &mut frame, "t", &deadlines()).await.unwrap_err();
            let EngineError::Protocol { message, .. } = &e else { panic!("{e:?}") };
            assert!(message.contains(expected), "{announced}: {message}");
            assert!(frame.capacity() < MAX_RESPONSE_BYTES, "nothing reserved for the literal");
        }
    }

    #[test]
    fn the_scan_follows_literals_and_bounds_each_answer() {
        let mut scan = AnswerScan::default();
        // A literal's data may hold line ends; they do not end the answer.
        scan.feed(b"* LIST () \"/\" {7}\r\na\r\nb\r\nc").unwrap();
        assert_eq!(scan.literal_left, 0);
        assert!(scan.answer > 0, "still inside the answer: {scan:?}");
        scan.feed(b"\r\n").unwrap();
        assert_eq!(scan.answer, 0, "answer complete");
        // Many short answers in a row are fine, whatever their total.
        for _ in 0..(4 * MAX_RESPONSE_BYTES / 32) {
            scan.feed(b"* LIST () \"/\" folder-0123456\r\n").unwrap();
        }
        // One line past the bound, in small pieces, is not.
        let mut scan = AnswerScan::default();
        let piece = [b'x'; 1000];
        let fed = (0..).map(|_| scan.feed(&piece)).take_while(Result::is_ok).count();
        assert_eq!(fed, MAX_RESPONSE_BYTES / 1000);
        assert_eq!(scan.feed(b"\r\n"), Err(TooLarge::Line), "stays failed");
    }

    #[test]
    fn the_scan_refuses_a_literal_as_soon_as_it_is_announced() {
        for (announcement, size) in [
            (&b"* STATUS {400000000}\r\n"[..], Some(400_000_000)),
            (b"* STATUS {000000000000000000000000400000000}\r\n", Some(400_000_000)),
            (b"* STATUS {18446744073709551615}\r\n", Some(usize::MAX)),
            (b"* STATUS {99999999999999999999999999}\r\n", None),
        ] {
            let mut scan = AnswerScan::default();
            // Split across reads, the announcement is still recognised.
            let (a, b) = announcement.split_at(12);
            scan.feed(a).unwrap();
            assert_eq!(scan.feed(b), Err(TooLarge::Literal(size)));
        }
        // Braces that announce nothing.
        let mut scan = AnswerScan::default();
        scan.feed(b"* OK {not a literal} {}\r\n* OK {5}x\r\n").unwrap();
        assert_eq!((scan.answer, scan.literal_left), (0, 0));
    }

    #[test]
    fn sign_in_buffers_carry_exactly_the_credentials() {
        let password = Secret::new(r#"pa"ss\word"#);
        let line = plain_message_line("alice", &password);
        let encoded = std::str::from_utf8(&line).unwrap().strip_suffix("\r\n").unwrap();
        assert_eq!(BASE64.decode(encoded).unwrap(), b"\0alice\0pa\"ss\\word");
        let line = login_line(&RequestId("A3".into()), "al\"ice", &password);
        assert_eq!(
            &line[..],
            br#"A3 LOGIN "al\"ice" "pa\"ss\\word""#.iter().chain(b"\r\n").copied().collect::<Vec<_>>()
        );
        assert_eq!(quoted_inside(password.expose()).as_str(), r#"pa\"ss\\word"#);
    }

    #[test]
    fn rfc5530_codes_are_read_from_the_text() {
        assert_eq!(rfc5530_code("[UNAVAILABLE] Temporary authentication failure."), Some("UNAVAILABLE"));
        assert_eq!(rfc5530_code("[AUTHENTICATIONFAILED] Authentication failed."), Some("AUTHENTICATIONFAILED"));
        assert_eq!(rfc5530_code("Authentication failed [UNAVAILABLE]"), None);
        assert_eq!(rfc5530_code("[] nothing"), None);
        let done = |said: &str| Completion { verdict: Verdict::No, said: said.into(), capabilities: None };
        assert!(done("[unavailable] try later").is_temporary_failure());
        assert!(!done("[AUTHENTICATIONFAILED] Authentication failed.").is_temporary_failure());
        assert!(!Completion { verdict: Verdict::Bad, said: "[UNAVAILABLE]".into(), capabilities: None }
            .is_temporary_failure());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
