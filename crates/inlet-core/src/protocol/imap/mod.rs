//! IMAP: connect (TLS, STARTTLS or, when the user chose it, plain), read capabilities, sign in with
//! a password, and load the folder tree in a number of round trips that does not grow with the
//! number of folders (LIST-STATUS, RFC 5819, or pipelined STATUS commands).
//!
//! The commands are written here, with our own tags; the answers are framed here too (a line
//! plus the literals it announces, [`read_answer`]) and parsed by imap-proto, each one once and
//! in place. Writing the commands ourselves keeps the server's answers typed and the password in
//! buffers we wipe. We used to let async-imap frame the answers: it copied what followed each
//! answer into a fresh zeroed buffer and parsed incomplete answers again as bytes arrived, which
//! cost more CPU than anything else in loading a 10,000-folder tree. Every read goes through
//! [`Bounded`], which refuses an answer larger than [`MAX_RESPONSE_BYTES`] as its bytes arrive,
//! and every word of the server that is shown or stored goes through
//! [`shown`](crate::server_text::shown).

mod folders;
mod signin;
mod wire;

use crate::account::Security;
use crate::config::Deadlines;
use crate::error::{EngineError, Result};
use crate::net::{self, with_deadline, Dial, MailStream};
use crate::progress::{Progress, Stage, StageState};
use crate::protocol::Mechanism;
use crate::server_text::{shown, shown_plain, Redactor};
use imap_proto::{Response, ResponseCode};
use std::net::SocketAddr;
use std::time::Duration;

pub use folders::{load_folders, status_of};
pub use signin::sign_in;
use wire::*;

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

/// Server capabilities (RFC 3501 7.2.1), read once from the server's answer: the names as the
/// server sent them, upper-cased and made safe, for the report; and the ones the engine acts on.
#[derive(Debug, Clone, Default)]
pub struct Capabilities {
    /// Every capability, for the report.
    pub names: Vec<String>,
    /// STARTTLS (RFC 3501 6.2.1).
    pub starttls: bool,
    /// LOGINDISABLED: no LOGIN command here (RFC 3501 6.2.3).
    pub login_disabled: bool,
    /// The SASL mechanisms of `AUTH=` (RFC 3501 6.2.2), in the server's order.
    pub auth: Vec<Mechanism>,
    /// LIST-EXTENDED (RFC 5258).
    pub list_extended: bool,
    /// LIST-STATUS (RFC 5819).
    pub list_status: bool,
    /// SPECIAL-USE (RFC 6154).
    pub special_use: bool,
    /// LITERAL+ (RFC 7888).
    pub literal_plus: bool,
    /// SASL-IR: the first SASL message may go on the AUTHENTICATE line (RFC 4959).
    pub sasl_ir: bool,
}

impl Capabilities {
    /// The SASL mechanisms of `AUTH=` (RFC 3501 6.2.2).
    pub fn auth_mechanisms(&self) -> Vec<Mechanism> {
        self.auth.clone()
    }

    fn from_proto(caps: &[imap_proto::Capability<'_>]) -> Capabilities {
        let mut out = Capabilities::default();
        for cap in caps {
            match cap {
                imap_proto::Capability::Imap4rev1 => out.names.push("IMAP4REV1".to_owned()),
                imap_proto::Capability::Auth(m) => {
                    out.names.push(shown_plain(&format!("AUTH={}", m.to_ascii_uppercase())));
                    out.auth.push(Mechanism::from_name(m));
                }
                imap_proto::Capability::Atom(a) => {
                    let name = a.to_ascii_uppercase();
                    match name.as_str() {
                        "STARTTLS" => out.starttls = true,
                        "LOGINDISABLED" => out.login_disabled = true,
                        "LIST-EXTENDED" => out.list_extended = true,
                        "LIST-STATUS" => out.list_status = true,
                        "SPECIAL-USE" => out.special_use = true,
                        "LITERAL+" => out.literal_plus = true,
                        "SASL-IR" => out.sasl_ir = true,
                        _ => {}
                    }
                    // The names are the server's text, shown in the report: made safe like any
                    // server text.
                    out.names.push(shown_plain(&name));
                }
            }
        }
        out
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
    pub(super) redactor: Redactor,
}

/// Connects and reads capabilities; with STARTTLS, upgrades first. Refuses, before any password
/// is sent, a plain connection the user did not explicitly accept.
pub async fn connect(dial: &Dial<'_>) -> Result<Connected> {
    let Dial { endpoint, allow_plaintext_password, network, trusted, deadlines, progress } = *dial;
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
    let mut capabilities = match read_greeting(&mut connection, &conversation, progress).await {
        Ok(capabilities) => capabilities,
        Err(e) => return Err(net::explain_greeting_timeout(e, endpoint, network, deadlines).await),
    };
    if capabilities.names.is_empty() {
        capabilities = read_capabilities(&mut connection, &conversation, progress).await?;
    } else {
        report_capabilities(&capabilities, &target, progress);
    }

    let mut encrypted = endpoint.security == Security::Tls;
    match endpoint.security {
        Security::Starttls => {
            if !capabilities.starttls {
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
            if capabilities.login_disabled && !capabilities.auth.contains(&Mechanism::Plain) {
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
                // BYE at the greeting (RFC 3501 7.1.5): the server will not serve us now.
                Response::Data { status: imap_proto::Status::Bye, outcome } => Err(EngineError::ServerRefused {
                    stage: Stage::Greeting,
                    target: target.to_owned(),
                    server_said: shown(&words(outcome), conversation.redactor),
                    code: crate::error::ServerCode::imap(&words(outcome)),
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
    progress.emit(Stage::Capabilities, StageState::Done, Some(target), Some(shown_plain(&caps.names.join(" "))));
}

/// Logs out politely, without letting a slow server hold us.
pub(crate) async fn log_out(signed_in: &mut SignedIn) {
    let deadlines = Deadlines::all(Duration::from_secs(2));
    let SignedIn { session, target, redactor, .. } = signed_in;
    let conversation = Conversation { target, deadlines: &deadlines, redactor };
    let logout = session.run("LOGOUT", Stage::ListingFolders, &conversation, |_| Ok(()));
    let _ = tokio::time::timeout(deadlines.command, logout).await;
}

#[cfg(test)]
mod tests {
    use super::folders::*;
    use super::signin::*;
    use super::wire::*;
    use super::*;
    use crate::secrets::Secret;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine as _;
    use imap_proto::RequestId;

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

    #[tokio::test]
    async fn an_answer_already_read_is_framed_as_the_reader_frames_it() {
        let big_literal = format!("* STATUS {{{}}}\r\n", MAX_RESPONSE_BYTES);
        let answers: [&[u8]; 7] = [
            b"* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Projets/R&AOk-unions\"\r\n",
            b"* STATUS {5}\r\nab\ncd (MESSAGES 1 UNSEEN 0)\r\n",
            b"* LIST () \"/\" {0}\r\n\r\n",
            b"* OK {not a literal} {}\r\n",
            b"* LIST () \"/\" {3}\r\n{1}\r\n\r\n",
            b"A1 OK done\n",
            big_literal.as_bytes(),
        ];
        for answer in answers {
            // The answer, then the start of another.
            let input = [answer, b"* LIST () \"/\" x\r\n"].concat();
            let mut frame = Vec::new();
            let framed = read_answer(&mut tokio::io::BufReader::new(&input[..]), &mut frame).await;
            for cut in 0..=input.len() {
                let expected = match framed {
                    Ok(true) if frame.len() <= cut => Some(frame.len()),
                    _ => None,
                };
                assert_eq!(
                    buffered_answer(&input[..cut]),
                    expected,
                    "{:?} cut at {cut}",
                    String::from_utf8_lossy(answer)
                );
            }
        }
    }

    #[test]
    fn the_scan_follows_literals_and_bounds_each_answer() {
        let mut scan = AnswerScan::default();
        // A literal's data may hold line ends; they do not end the answer.
        scan.feed(&mut b"* LIST () \"/\" {7}\r\na\r\nb\r\nc".to_vec()).unwrap();
        assert_eq!(scan.literal_left, 0);
        assert!(scan.answer > 0, "still inside the answer: {scan:?}");
        scan.feed(&mut b"\r\n".to_vec()).unwrap();
        assert_eq!(scan.answer, 0, "answer complete");
        // Many short answers in a row are fine, whatever their total.
        for _ in 0..(4 * MAX_RESPONSE_BYTES / 32) {
            scan.feed(&mut b"* LIST () \"/\" folder-0123456\r\n".to_vec()).unwrap();
        }
        // One line past the bound, in small pieces, is not.
        let mut scan = AnswerScan::default();
        let piece = [b'x'; 1000];
        let fed = (0..).map(|_| scan.feed(&mut { piece })).take_while(Result::is_ok).count();
        assert_eq!(fed, MAX_RESPONSE_BYTES / 1000);
        assert_eq!(scan.feed(&mut b"\r\n".to_vec()), Err(TooLarge::Line), "stays failed");
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
            scan.feed(&mut a.to_vec()).unwrap();
            assert_eq!(scan.feed(&mut b.to_vec()), Err(TooLarge::Literal(size)));
        }
        // Braces that announce nothing.
        let mut scan = AnswerScan::default();
        scan.feed(&mut b"* OK {not a literal} {}\r\n* OK {5}x\r\n".to_vec()).unwrap();
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
    fn capabilities_are_read_once_into_what_the_engine_acts_on() {
        let line = b"* CAPABILITY IMAP4rev1 STARTTLS auth=plain AUTH=XOAUTH2 LOGINDISABLED list-status SPECIAL-USE LITERAL+ ID\r\n";
        let (_, response) = Response::parse(line).unwrap();
        let Response::Capabilities(caps) = response else { panic!("{response:?}") };
        let caps = Capabilities::from_proto(&caps);
        assert_eq!(
            caps.names,
            [
                "IMAP4REV1",
                "STARTTLS",
                "AUTH=PLAIN",
                "AUTH=XOAUTH2",
                "LOGINDISABLED",
                "LIST-STATUS",
                "SPECIAL-USE",
                "LITERAL+",
                "ID"
            ]
        );
        assert!(caps.starttls && caps.login_disabled && caps.list_status && caps.special_use && caps.literal_plus);
        assert!(!caps.list_extended);
        assert_eq!(caps.auth, [Mechanism::Plain, Mechanism::XOAuth2]);
        let (_, response) = Response::parse(b"* CAPABILITY IMAP4rev1 LIST-EXTENDED\r\n").unwrap();
        let Response::Capabilities(caps) = response else { panic!("{response:?}") };
        let caps = Capabilities::from_proto(&caps);
        assert!(caps.list_extended && !caps.starttls && !caps.login_disabled && caps.auth.is_empty());
    }

    #[test]
    fn temporary_failures_are_read_from_the_response_code() {
        let done = |said: &str| Completion { verdict: Verdict::No, said: said.into(), capabilities: None };
        assert!(done("[unavailable] try later").is_temporary_failure());
        assert!(done("[LIMIT] Maximum number of connections").is_temporary_failure());
        assert!(!done("[AUTHENTICATIONFAILED] Authentication failed.").is_temporary_failure());
        assert!(!done("Authentication failed [UNAVAILABLE]").is_temporary_failure());
        assert!(!Completion { verdict: Verdict::Bad, said: "[UNAVAILABLE]".into(), capabilities: None }
            .is_temporary_failure());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}

#[cfg(test)]
mod fuzz;
