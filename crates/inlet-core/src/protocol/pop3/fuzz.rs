//! Property-based tests over every POP3 reader of the server's bytes: status lines, CAPA,
//! multi-line answers, and the SASL challenges of AUTH, read from a real connection. Inputs are
//! real server transcripts (Dovecot, Gmail, Outlook), mutated, and random bytes. Each read ends
//! with a value or an error, never a panic, and the connection's buffer never holds more than
//! one line's bound ([`MAX_LINE`]) plus one read; a longer line fails naming the bound.

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
                        Some(Reply::Continue(_)) | None => {}
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
                            let n = lines.len();
                            let caps = Capabilities::from_lines(lines);
                            prop_assert!(caps.sasl.len() <= n * MAX_LINE);
                        }
                    }
                    bounded(&conn)?;
                    loop {
                        match conn.read_line(Stage::Capabilities).await {
                            // The bound is on the server's bytes; read as text, each byte that is not
                            // UTF-8 becomes U+FFFD (3 bytes), so the text is at most 3× as long.
                            Ok(line) => prop_assert!(line.len() <= 3 * MAX_LINE, "{} bytes", line.len()),
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
    let password = crate::secrets::Credentials::Password(crate::Secret::new("correct horse"));
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
