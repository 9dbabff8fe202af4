//! IMAP: connect (TLS, STARTTLS or, when the user chose it, plain), read capabilities, sign in with
//! a password, and load the folder tree in a number of round trips that does not grow with the
//! number of folders (LIST-STATUS, RFC 5819, or pipelined STATUS commands).

use crate::account::{Endpoint, Security, TrustedCertificate};
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::folders::{FolderCounts, FolderTree, ListedFolder};
use crate::net::{self, with_deadline, MailStream, Network};
use crate::progress::{Progress, Stage, StageState};
use crate::secrets::Secret;
use imap_proto::{MailboxDatum, NameAttribute, RequestId, Response, StatusAttribute};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::time::Duration;

pub type ImapClient = async_imap::Client<MailStream>;
pub type ImapSession = async_imap::Session<MailStream>;

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
    fn from_proto(caps: &[imap_proto::Capability<'_>]) -> Capabilities {
        Capabilities(
            caps.iter()
                .map(|c| match c {
                    imap_proto::Capability::Imap4rev1 => "IMAP4REV1".to_owned(),
                    imap_proto::Capability::Auth(m) => format!("AUTH={}", m.to_ascii_uppercase()),
                    imap_proto::Capability::Atom(a) => a.to_ascii_uppercase(),
                })
                .collect(),
        )
    }
}

/// A connection that is ready for sign-in.
pub struct Connected {
    pub client: ImapClient,
    pub capabilities: Capabilities,
    pub address: SocketAddr,
    pub target: String,
    pub encrypted: bool,
}

/// A signed-in session.
pub struct SignedIn {
    pub session: ImapSession,
    pub capabilities: Capabilities,
    pub address: SocketAddr,
    pub target: String,
    pub username: String,
    pub encrypted: bool,
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
    let mut client = async_imap::Client::new(stream);
    let mut capabilities = read_greeting(&mut client, &target, deadlines, progress).await?;
    if capabilities.0.is_empty() {
        capabilities = read_capabilities(&mut client, &target, deadlines, progress).await?;
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
            with_deadline(Stage::Starttls, &target, deadlines.command, async {
                client
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(|e| imap_error(e, Stage::Starttls, &target))
            })
            .await?;
            progress.emit(Stage::Starttls, StageState::Done, Some(&target), None);
            let MailStream::Plain(tcp) = client.into_inner() else {
                unreachable!("STARTTLS starts from a plain stream")
            };
            let tls_stream =
                net::tls_handshake(tcp, &endpoint.host, endpoint.port, network, trusted, deadlines, progress).await?;
            client = async_imap::Client::new(MailStream::Tls(Box::new(tls_stream)));
            // Capabilities learned before TLS must be discarded (RFC 3501 6.2.1).
            capabilities = read_capabilities(&mut client, &target, deadlines, progress).await?;
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
    Ok(Connected { client, capabilities, address, target, encrypted })
}

async fn read_greeting(
    client: &mut ImapClient,
    target: &str,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Capabilities> {
    progress.emit(Stage::Greeting, StageState::Started, Some(target), None);
    let greeting = with_deadline(Stage::Greeting, target, deadlines.greeting, async {
        client.read_response().await.map_err(|e| io_error(e, Stage::Greeting, target))
    })
    .await?;
    let Some(greeting) = greeting else {
        return Err(EngineError::ConnectionClosed { stage: Stage::Greeting, target: target.to_owned() });
    };
    match greeting.parsed() {
        Response::Data { status: imap_proto::Status::Ok | imap_proto::Status::PreAuth, outcome } => {
            let text = outcome.information.as_deref().unwrap_or("").to_owned();
            progress.emit(Stage::Greeting, StageState::Done, Some(target), Some(text));
            Ok(match &outcome.code {
                Some(imap_proto::ResponseCode::Capabilities(caps)) => Capabilities::from_proto(caps),
                _ => Capabilities::default(),
            })
        }
        Response::Data { status: imap_proto::Status::Bye, outcome } => Err(EngineError::ServerRefused {
            stage: Stage::Greeting,
            target: target.to_owned(),
            server_said: outcome.information.as_deref().unwrap_or("BYE").to_owned(),
        }),
        other => Err(EngineError::Protocol {
            stage: Stage::Greeting,
            target: target.to_owned(),
            message: format!("not an IMAP greeting: {}", short(&format!("{other:?}"))),
        }),
    }
}

async fn read_capabilities(
    client: &mut ImapClient,
    target: &str,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<Capabilities> {
    progress.emit(Stage::Capabilities, StageState::Started, Some(target), None);
    // async-imap hands untagged answers of a raw command to this channel.
    let (tx, rx) = async_channel::unbounded();
    with_deadline(Stage::Capabilities, target, deadlines.command, async {
        client
            .run_command_and_check_ok("CAPABILITY", Some(tx))
            .await
            .map_err(|e| imap_error(e, Stage::Capabilities, target))
    })
    .await?;
    let mut caps = Capabilities::default();
    while let Ok(async_imap::types::UnsolicitedResponse::Other(data)) = rx.try_recv() {
        if let Response::Capabilities(c) = data.parsed() {
            caps = Capabilities::from_proto(c);
        }
    }
    report_capabilities(&caps, target, progress);
    Ok(caps)
}

fn report_capabilities(caps: &Capabilities, target: &str, progress: &Progress<'_>) {
    progress.emit(Stage::Capabilities, StageState::Done, Some(target), Some(caps.0.join(" ")));
}

/// AUTHENTICATE PLAIN's one message (RFC 4616): authzid NUL authcid NUL password.
struct PlainAuth<'a> {
    username: &'a str,
    password: &'a Secret,
}
impl async_imap::Authenticator for PlainAuth<'_> {
    type Response = Vec<u8>;
    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.username.len() + self.password.expose().len() + 2);
        out.push(0);
        out.extend_from_slice(self.username.as_bytes());
        out.push(0);
        out.extend_from_slice(self.password.expose().as_bytes());
        out
    }
}

/// Signs in with the first username the server accepts. Uses AUTHENTICATE PLAIN when advertised,
/// LOGIN otherwise (RFC 3501 6.2.3), never LOGIN when the server disabled it.
pub async fn sign_in(
    connected: Connected,
    usernames: &[String],
    password: &Secret,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<SignedIn> {
    let Connected { mut client, capabilities, address, target, encrypted } = connected;
    let use_plain = capabilities.has("AUTH=PLAIN");
    if !use_plain && capabilities.has("LOGINDISABLED") {
        return Err(EngineError::NoUsableAuthMechanism { target, offered: capabilities.auth_mechanisms() });
    }
    let mut tried = Vec::new();
    let mut last_said = String::new();
    for username in usernames {
        progress.emit(Stage::SigningIn, StageState::Started, Some(&target), Some(format!("as {username}")));
        let attempt = async {
            if use_plain {
                client.authenticate("PLAIN", PlainAuth { username, password }).await
            } else {
                client.login(username, password.expose()).await
            }
        };
        let outcome = match tokio::time::timeout(deadlines.command, attempt).await {
            Ok(outcome) => outcome,
            Err(_) => {
                return Err(EngineError::TimedOut {
                    stage: Stage::SigningIn,
                    target,
                    seconds: deadlines.command.as_secs().max(1),
                })
            }
        };
        tried.push(username.clone());
        match outcome {
            Ok(mut session) => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Done,
                    Some(&target),
                    Some(format!("signed in as {username}")),
                );
                // Servers may announce more after sign-in (RFC 3501 7.2.1).
                let caps = with_deadline(Stage::Capabilities, &target, deadlines.command, async {
                    session.capabilities().await.map_err(|e| imap_error(e, Stage::Capabilities, &target))
                })
                .await?;
                let capabilities = Capabilities(caps.iter().map(capability_name).collect());
                return Ok(SignedIn { session, capabilities, address, target, username: username.clone(), encrypted });
            }
            Err((async_imap::error::Error::No(said), returned)) => {
                progress.emit(
                    Stage::SigningIn,
                    StageState::Update,
                    Some(&target),
                    Some(format!("refused as {username}")),
                );
                last_said = server_text(&said);
                client = returned;
            }
            Err((e, _)) => return Err(imap_error(e, Stage::SigningIn, &target)),
        }
    }
    progress.emit(Stage::SigningIn, StageState::Failed, Some(&target), None);
    Err(EngineError::AuthenticationFailed { target, tried, server_said: last_said })
}

fn capability_name(c: &async_imap::types::Capability) -> String {
    match c {
        async_imap::types::Capability::Imap4rev1 => "IMAP4REV1".into(),
        async_imap::types::Capability::Auth(m) => format!("AUTH={}", m.to_ascii_uppercase()),
        async_imap::types::Capability::Atom(a) => a.to_ascii_uppercase(),
    }
}

/// Loads the whole folder tree with counts.
pub async fn load_folders(
    signed_in: &mut SignedIn,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<FolderTree> {
    let target = signed_in.target.clone();
    let caps = signed_in.capabilities.clone();
    let session = &mut signed_in.session;
    progress.emit(Stage::ListingFolders, StageState::Started, Some(&target), None);

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

    let mut listed = Vec::new();
    let mut counts: HashMap<String, FolderCounts> = HashMap::new();
    let id = run(session, &command, &target, deadlines).await?;
    read_until_done(session, &id, &target, deadlines, |response| {
        collect(response, &mut listed, &mut counts);
        if listed.len() % 500 == 0 && !listed.is_empty() {
            progress.count(Stage::ListingFolders, Some(&target), listed.len() as u32, None);
        }
    })
    .await?;

    let mut subscribed = HashSet::new();
    if !extended {
        let id = run(session, "LSUB \"\" \"*\"", &target, deadlines).await?;
        let mut lsub = Vec::new();
        read_until_done(session, &id, &target, deadlines, |r| collect(r, &mut lsub, &mut HashMap::new())).await?;
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
        pipelined_status(session, &selectable, &mut counts, &target, deadlines, progress).await?;
    }
    let tree = FolderTree::build(listed, &counts, &subscribed);
    progress.emit(
        Stage::ListingFolders,
        StageState::Done,
        Some(&target),
        Some(format!("{} folders", tree.folders.len())),
    );
    Ok(tree)
}

/// STATUS for every folder in one pipeline (RFC 3501 5.5 allows it): all commands are written
/// while the answers are read at the same time, so the whole batch costs about one round trip
/// whatever the number of folders. Writing everything before reading could deadlock once both
/// sides' buffers fill, hence one writer and one reader over the split stream. async-imap cannot
/// read and write at once, so this phase frames the answers itself (lines plus literals, RFC 3501
/// 4.3) and still parses each one with imap-proto. It runs right after the tagged end of LIST,
/// when async-imap's read buffer is empty, and ends on the last tagged answer, reading no further.
async fn pipelined_status(
    session: &mut ImapSession,
    folders: &[String],
    counts: &mut HashMap<String, FolderCounts>,
    target: &str,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<()> {
    use tokio::io::{AsyncWriteExt, BufReader};
    if folders.is_empty() {
        return Ok(());
    }
    let total = folders.len() as u32;
    let stream: &mut MailStream = session.as_mut();
    let (read_half, mut write_half) = tokio::io::split(stream);

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
        let mut reader = BufReader::with_capacity(64 * 1024, read_half);
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
                Ok((_, response)) => collect(&response, &mut Vec::new(), counts),
                Err(_) => {
                    return Err(EngineError::Protocol {
                        stage: Stage::ListingFolders,
                        target: target.to_owned(),
                        message: format!("unreadable answer: {}", short(&String::from_utf8_lossy(&frame))),
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

/// Longest answer line we accept; a server streaming one endless line must not exhaust memory.
const MAX_FRAME: usize = 1 << 20;

/// Reads one complete response: a line, plus any literal `{n}` it announces and the rest of the
/// line after it (RFC 3501 4.3), under a deadline per read.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    frame: &mut Vec<u8>,
    target: &str,
    deadlines: &Deadlines,
) -> Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    loop {
        let start = frame.len();
        let n = with_deadline(Stage::ListingFolders, target, deadlines.command, async {
            reader.read_until(b'\n', frame).await.map_err(|e| io_error(e, Stage::ListingFolders, target))
        })
        .await?;
        if n == 0 || frame.last() != Some(&b'\n') {
            // End of stream, possibly in the middle of a line.
            return Err(EngineError::ConnectionClosed { stage: Stage::ListingFolders, target: target.to_owned() });
        }
        if frame.len() > MAX_FRAME {
            return Err(EngineError::Protocol {
                stage: Stage::ListingFolders,
                target: target.to_owned(),
                message: "an answer longer than 1 MiB".into(),
            });
        }
        let line = &frame[start..];
        let literal = line
            .strip_suffix(b"\r\n")
            .and_then(|l| l.strip_suffix(b"}"))
            .and_then(|l| l.iter().rposition(|&c| c == b'{').map(|p| &l[p + 1..]))
            .and_then(|n| std::str::from_utf8(n).ok())
            .and_then(|n| n.trim_end_matches('+').parse::<usize>().ok());
        match literal {
            None => return Ok(()),
            Some(len) if frame.len() + len > MAX_FRAME => {
                return Err(EngineError::Protocol {
                    stage: Stage::ListingFolders,
                    target: target.to_owned(),
                    message: "a literal longer than 1 MiB".into(),
                })
            }
            Some(len) => {
                let at = frame.len();
                frame.resize(at + len, 0);
                with_deadline(Stage::ListingFolders, target, deadlines.command, async {
                    reader
                        .read_exact(&mut frame[at..])
                        .await
                        .map(|_| ())
                        .map_err(|e| io_error(e, Stage::ListingFolders, target))
                })
                .await?;
            }
        }
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

async fn run(session: &mut ImapSession, command: &str, target: &str, deadlines: &Deadlines) -> Result<RequestId> {
    with_deadline(Stage::ListingFolders, target, deadlines.command, async {
        session.run_command(command).await.map_err(|e| imap_error(e, Stage::ListingFolders, target))
    })
    .await
}

/// Reads one answer under the command deadline and hands it to `f` (async-imap does not let us
/// name its response type, so callers look at the parsed form only).
async fn next_response<T>(
    session: &mut ImapSession,
    target: &str,
    deadlines: &Deadlines,
    f: impl FnOnce(&Response<'_>) -> T,
) -> Result<T> {
    let read = with_deadline(Stage::ListingFolders, target, deadlines.command, async {
        session.read_response().await.map_err(|e| io_error(e, Stage::ListingFolders, target))
    })
    .await?;
    match read {
        Some(data) => Ok(f(data.parsed())),
        None => Err(EngineError::ConnectionClosed { stage: Stage::ListingFolders, target: target.to_owned() }),
    }
}

/// Reads answers until the tagged completion of `id`; each read has its own deadline, so a long
/// listing that keeps arriving is never cut, and a stalled one is.
async fn read_until_done(
    session: &mut ImapSession,
    id: &RequestId,
    target: &str,
    deadlines: &Deadlines,
    mut each: impl FnMut(&Response<'_>),
) -> Result<()> {
    loop {
        let done = next_response(session, target, deadlines, |response| {
            if let Response::Done { tag, status, outcome } = response {
                if tag == id {
                    return Some(match status {
                        imap_proto::Status::Ok => Ok(()),
                        _ => Err(EngineError::ServerRefused {
                            stage: Stage::ListingFolders,
                            target: target.to_owned(),
                            server_said: outcome.information.as_deref().unwrap_or("").to_owned(),
                        }),
                    });
                }
            }
            each(response);
            None
        })
        .await?;
        if let Some(result) = done {
            return result;
        }
    }
}

/// Logs out politely, without letting a slow server hold us.
pub async fn log_out(signed_in: &mut SignedIn) {
    let _ = tokio::time::timeout(Duration::from_secs(2), signed_in.session.logout()).await;
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

/// async-imap formats NO/BAD as `code: Some(..), info: Some("text")`; keep the server's words.
fn server_text(said: &str) -> String {
    let info = said.split("info: Some(\"").nth(1).and_then(|s| s.rsplit_once("\")")).map(|(s, _)| s);
    let code = said.split("code: Some(").nth(1).and_then(|s| s.split(')').next()).filter(|c| !c.is_empty());
    match (code, info) {
        (Some(code), Some(info)) => format!("[{}] {info}", code.trim_matches('"')),
        (None, Some(info)) => info.to_owned(),
        _ => said.to_owned(),
    }
}

fn short(s: &str) -> String {
    s.chars().take(200).collect()
}

fn io_error(e: std::io::Error, stage: Stage, target: &str) -> EngineError {
    use std::io::ErrorKind::*;
    match e.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => {
            EngineError::ConnectionClosed { stage, target: target.to_owned() }
        }
        _ => EngineError::Protocol { stage, target: target.to_owned(), message: short(&e.to_string()) },
    }
}

fn imap_error(e: async_imap::error::Error, stage: Stage, target: &str) -> EngineError {
    use async_imap::error::Error;
    match e {
        Error::Io(e) => io_error(e, stage, target),
        Error::ConnectionLost => EngineError::ConnectionClosed { stage, target: target.to_owned() },
        Error::No(s) | Error::Bad(s) => {
            EngineError::ServerRefused { stage, target: target.to_owned(), server_said: server_text(&s) }
        }
        other => EngineError::Protocol { stage, target: target.to_owned(), message: short(&other.to_string()) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_lines_and_literals() {
        let input: &[u8] = b"* STATUS {5}\r\na\r\nb\" (MESSAGES 2 UNSEEN 1)\r\nS0 OK done\r\n* STATUS \"x\" ";
        let mut reader = tokio::io::BufReader::new(input);
        let d = Deadlines::default();
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

    #[test]
    fn quoting_and_server_text() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            server_text(r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
    }
}
