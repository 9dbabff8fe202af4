//! Property-based tests over every SMTP reader of the server's bytes: our reply reader (greeting,
//! EHLO before STARTTLS), the EHLO extension list, and lettre's reading through [`Handover`]
//! (EHLO, AUTH's 334 challenges), on real connections. Inputs are real transcripts (Gmail,
//! Outlook, Postfix), mutated, and random bytes. Each read ends with a value or an error, never a
//! panic; our buffer never holds more than one line's bound ([`MAX_REPLY_LINE`]) plus one read,
//! a reply never more than [`MAX_REPLY_LINES`] lines, and a longer line fails naming the bound.

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
                                    matches!(e, EngineError::ConnectionClosed { .. } | EngineError::Protocol { .. }),
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
