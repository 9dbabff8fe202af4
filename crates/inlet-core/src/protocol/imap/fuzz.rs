//! Property-based tests over every IMAP reader of the server's bytes: our frame reader of the
//! pipelined STATUS phase, the [`Bounded`] scan under it, the connection's own answer reader with
//! imap-proto through it (greeting, untagged data), and the AUTHENTICATE challenge loop (with and
//! without the initial response of SASL-IR). Inputs are real
//! server transcripts (Dovecot, Gmail, Outlook), mutated, and random bytes; each reader must end
//! with a value or an error, never a panic, and never hold more than [`MAX_RESPONSE_BYTES`] of
//! one answer (a protocol error naming the bound when the input exceeds it).

use super::folders::{collect, read_frame};
use super::signin::{authenticate, plain_message_line};
use super::wire::*;
use super::*;
use crate::folders::FolderTreeBuilder;
use crate::fuzzing::{self, Trickle};
use crate::progress::NoProgress;
use crate::secrets::Secret;
use proptest::prelude::*;

const TRANSCRIPTS: &[&str] = &[
    "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot \
     ready.\r\n",
    "* OK Gimap ready for requests from 203.0.113.5 a1mb12345678wrz\r\n* CAPABILITY IMAP4rev1 UNSELECT IDLE \
     NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN \
     AUTH=OAUTHBEARER AUTH=XOAUTH\r\nA1 OK Thats all she wrote! a1mb12345678wrz\r\n",
    "* OK The Microsoft Exchange IMAP4 service is ready. \
     [TQBXADIAUABSADAANQBDAEEAMAAwADEANgAuAG4AYQBtAHAAcgBkADAANQAuAHAAcgBvAGQA]\r\n* CAPABILITY IMAP4 IMAP4rev1 \
     AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+\r\nA1 OK CAPABILITY \
     completed.\r\n",
    "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"\r\n* STATUS \"Sent\" (MESSAGES 12 UNSEEN 0)\r\n* LIST \
     (\\HasChildren) \".\" {12}\r\nINBOX.Ordner\r\n* STATUS {12}\r\nINBOX.Ordner (MESSAGES 3 UNSEEN 1)\r\n* LIST \
     (\\HasNoChildren \\Subscribed) \"/\" \"&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\"\r\nA2 OK List completed (0.001 \
     + 0.000 secs).\r\n",
    "* STATUS INBOX (MESSAGES 231 UNSEEN 5)\r\nS0 OK Status completed.\r\n* STATUS {5}\r\na\r\nb (MESSAGES 2 \
     UNSEEN 1)\r\nS1 NO Mailbox doesn't exist: b\r\n* STATUS \"[Gmail]/Sent Mail\" (MESSAGES 0 UNSEEN 0)\r\nS2 \
     OK Success\r\n",
    "* LIST (\\Noselect \\HasChildren) \"/\" \"[Gmail]\"\r\n* LIST (\\All \\HasNoChildren) \"/\" \"[Gmail]/All \
     Mail\"\r\n* LIST (\\HasNoChildren \\Junk) \"/\" \"[Gmail]/Spam\"\r\n* LIST (\\NonExistent) NIL \"x\"\r\nA3 \
     OK Success\r\n",
    "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n+ \r\nA1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n",
    "+ \r\n+ YmFzZTY0\r\nA1 BAD Authentication cancelled\r\n",
    "+ \r\nA1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
    "+ \r\nA1 NO [UNAVAILABLE] Temporary authentication failure. [host:2024-01-01 10:00:00]\r\n",
    "* BYE Too many invalid IMAP commands.\r\n",
    "* PREAUTH [CAPABILITY IMAP4rev1] Logged in as alice\r\n",
];

const TOKENS: &[&str] = &[
    "* ",
    "+ ",
    "A1 ",
    "S0 ",
    "OK ",
    "NO ",
    "BAD ",
    "BYE ",
    "[CAPABILITY ",
    "]",
    "(",
    ")",
    "\"",
    "\\",
    "{0}\r\n",
    "{5}\r\n",
    "{65536}\r\n",
    "{18446744073709551616}\r\n",
    "{3+}\r\n",
    "LIST ",
    "STATUS ",
    "MESSAGES 1 ",
    "UNSEEN 2",
    "NIL ",
    "\"/\" ",
    "INBOX",
];

/// One transcript's line, made longer than the bound; or a literal announced past it.
fn oversized() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0usize..TRANSCRIPTS.len(), 1usize..4096).prop_map(|(i, extra)| {
            let mut line = b"* OK ".to_vec();
            let filler = TRANSCRIPTS[i].as_bytes();
            while line.len() <= MAX_RESPONSE_BYTES + extra {
                line.extend(filler.iter().filter(|&&b| b != b'\n' && b != b'\r'));
            }
            line.extend_from_slice(b"\r\n");
            line
        }),
        (0usize..4096, MAX_RESPONSE_BYTES..usize::MAX).prop_map(|(pad, size)| {
            let mut line = format!("* STATUS {{{size}}}\r\n").into_bytes();
            line.extend(std::iter::repeat_n(b'x', pad));
            line
        }),
    ]
}

fn inputs() -> Vec<(&'static str, proptest::strategy::BoxedStrategy<Vec<u8>>)> {
    vec![
        ("mutated transcripts", fuzzing::mutated(TRANSCRIPTS).boxed()),
        ("random bytes", fuzzing::random(TOKENS).boxed()),
    ]
}

fn names_the_bound(e: &EngineError) -> bool {
    matches!(e, EngineError::Protocol { message, .. } if message.contains(&MAX_RESPONSE_BYTES.to_string()))
}

/// Frames `input` (handed on `piece` bytes at a time) until an error, checking each frame;
/// returns the frames and the error that ended them.
async fn frames(input: &[u8], piece: usize) -> (Vec<Vec<u8>>, EngineError) {
    // As in the STATUS phase: the frame reader reads through the connection's bound.
    let trickle = Bounded::new(Trickle { data: input.to_vec(), at: 0, piece });
    let mut reader = tokio::io::BufReader::with_capacity(piece.max(64), trickle);
    let deadlines = Deadlines::default();
    let mut frames = Vec::new();
    loop {
        let mut frame = Vec::new();
        match read_frame(&mut reader, &mut frame, "t", &deadlines).await {
            Ok(()) => frames.push(frame),
            Err(e) => {
                assert!(frame.len() <= MAX_RESPONSE_BYTES, "held {} bytes", frame.len());
                return (frames, e);
            }
        }
    }
}

#[test]
fn the_frame_reader_ends_every_input_within_its_bound() {
    let rt = fuzzing::runtime();
    for (what, strategy) in inputs() {
        let strategy = (strategy, 1usize..300);
        fuzzing::runner()
            .run(&strategy, |(input, piece)| {
                let (frames, end) = rt.block_on(frames(&input, piece));
                for frame in &frames {
                    prop_assert!(frame.len() <= MAX_RESPONSE_BYTES, "{what}: a frame of {} bytes", frame.len());
                    // What the STATUS phase does with a frame: parse it, keep its counts.
                    if let Ok((_, response)) = imap_proto::Response::parse(frame) {
                        collect(&response, &mut FolderTreeBuilder::default());
                    }
                }
                // Every byte is accounted for: all frames, then the end of the stream or a
                // refusal for size.
                let framed: usize = frames.iter().map(Vec::len).sum();
                match &end {
                    EngineError::ConnectionClosed { .. } => {}
                    e if names_the_bound(e) => prop_assert!(framed < input.len()),
                    e => prop_assert!(false, "{what}: {e:?}"),
                }
                // The scan under the reader agrees: it refuses exactly the inputs the frame
                // reader refuses, whatever the reads' sizes.
                let mut scan = AnswerScan::default();
                let scanned = input.clone().chunks_mut(piece).try_for_each(|chunk| scan.feed(chunk));
                prop_assert!(scan.answer <= MAX_RESPONSE_BYTES && scan.literal_left <= MAX_RESPONSE_BYTES);
                prop_assert_eq!(scanned.is_err(), framed < input.len() && names_the_bound(&end), "{}", what);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn oversized_answers_fail_naming_the_bound() {
    let rt = fuzzing::runtime();
    fuzzing::runner()
        .run(&(oversized(), 1usize..8192), |(input, piece)| {
            let (frames, end) = rt.block_on(frames(&input, piece));
            prop_assert!(frames.is_empty());
            prop_assert!(names_the_bound(&end), "{end:?}");
            let mut scan = AnswerScan::default();
            let refused = input.clone().chunks_mut(piece).try_for_each(|chunk| scan.feed(chunk));
            prop_assert!(refused.is_err());
            Ok(())
        })
        .unwrap();
}

/// The connection's answer reader over [`Bounded`] over a real connection: the greeting, then
/// every answer until the stream ends or fails.
#[test]
fn the_answer_reader_through_the_bound_reads_or_refuses() {
    let rt = fuzzing::runtime();
    let listener = rt.block_on(fuzzing::listener());
    let strategies = inputs().into_iter().chain([("oversized", oversized().boxed())]);
    for (what, strategy) in strategies {
        fuzzing::runner()
            .run(&strategy, |input| {
                let oversized = what == "oversized";
                rt.block_on(async {
                    let tcp = fuzzing::served(&listener, input).await;
                    let mut connection = ImapConnection::new(MailStream::Plain(tcp), 1);
                    let (deadlines, redactor) = (Deadlines::default(), Redactor::new());
                    let conversation = Conversation { target: "t", deadlines: &deadlines, redactor: &redactor };
                    let progress = Progress::new(&NoProgress);
                    let greeting = read_greeting(&mut connection, &conversation, &progress).await;
                    if oversized {
                        let refused = greeting.err();
                        prop_assert!(refused.as_ref().is_some_and(names_the_bound), "{what}: {refused:?}");
                        return Ok(());
                    }
                    if greeting.is_err() {
                        return Ok(());
                    }
                    loop {
                        let scan = &connection.reader.get_ref().scan;
                        prop_assert!(scan.answer <= MAX_RESPONSE_BYTES && scan.literal_left <= MAX_RESPONSE_BYTES);
                        prop_assert!(
                            connection.answer.len() <= MAX_RESPONSE_BYTES,
                            "{what}: held {}",
                            connection.answer.len()
                        );
                        let next =
                            connection.next(|response| collect(response, &mut FolderTreeBuilder::default())).await;
                        match next {
                            Ok(Some(())) => {}
                            Ok(None) => return Ok(()),
                            Err(e) => {
                                // Turned into the engine's error as the checks do.
                                let _ = io_error(e, Stage::Capabilities, "t");
                                return Ok(());
                            }
                        }
                    }
                })
            })
            .unwrap();
    }
}

/// AUTHENTICATE PLAIN's loop over the server's challenges (`+ …`), tagged ends and anything
/// else, on a real connection, with the message after the challenge or on the command line.
#[test]
fn authenticate_challenges_end_in_an_answer_or_an_error() {
    let rt = fuzzing::runtime();
    let listener = rt.block_on(fuzzing::listener());
    let password = Secret::new("correct horse");
    for (what, strategy) in inputs() {
        fuzzing::runner()
            .run(&(strategy, any::<bool>()), |(input, initial_response)| {
                rt.block_on(async {
                    let tcp = fuzzing::served(&listener, input).await;
                    let mut connection = ImapConnection::new(MailStream::Plain(tcp), 1);
                    let (deadlines, redactor) = (Deadlines::default(), Redactor::new());
                    let conversation = Conversation { target: "t", deadlines: &deadlines, redactor: &redactor };
                    match authenticate(
                        &mut connection,
                        &Mechanism::Plain,
                        &plain_message_line("alice", &password),
                        b"*\r\n",
                        initial_response,
                        &conversation,
                    )
                    .await
                    {
                        Ok(done) => {
                            let _ = (done.shown(&conversation), done.is_temporary_failure());
                        }
                        Err(e) => prop_assert!(
                            matches!(e, EngineError::ConnectionClosed { .. } | EngineError::Protocol { .. }),
                            "{what}: {e:?}"
                        ),
                    }
                    let scan = &connection.reader.get_ref().scan;
                    prop_assert!(scan.answer <= MAX_RESPONSE_BYTES);
                    prop_assert!(connection.answer.len() <= MAX_RESPONSE_BYTES);
                    Ok(())
                })
            })
            .unwrap();
    }
}

/// Found by the tests above: imap-proto 0.17 slices inside a character when a response code
/// is followed directly by a non-ASCII byte, which crashed the greeting and the sign-in.
#[test]
fn a_response_code_followed_by_8_bit_text_is_read_not_a_panic() {
    let rt = fuzzing::runtime();
    rt.block_on(async {
        let listener = fuzzing::listener().await;
        let greeting = b"* OK [ALERT]\xc3\xa9t\xc3\xa9 ready\r\n".to_vec();
        let mut sign_in = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n+ \r\n".to_vec();
        sign_in.extend_from_slice(b"A1 OK [CAPABILITY IMAP4rev1 IDLE]\x80\x00\x00 Logged in\r\n");
        // With SASL-IR no challenge comes: the tagged OK follows the greeting directly.
        let mut sign_in_ir = b"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n".to_vec();
        sign_in_ir.extend_from_slice(b"A1 OK [CAPABILITY IMAP4rev1 IDLE]\xc3\xa9 Logged in\r\n");
        for (input, initial_response) in [(greeting, false), (sign_in, false), (sign_in_ir, true)] {
            let tcp = fuzzing::served(&listener, input).await;
            let mut connection = ImapConnection::new(MailStream::Plain(tcp), 1);
            let (deadlines, redactor) = (Deadlines::default(), Redactor::new());
            let conversation = Conversation { target: "t", deadlines: &deadlines, redactor: &redactor };
            read_greeting(&mut connection, &conversation, &Progress::new(&NoProgress)).await.unwrap();
            let password = Secret::new("correct horse");
            let _ = authenticate(
                &mut connection,
                &Mechanism::Plain,
                &plain_message_line("alice", &password),
                b"*\r\n",
                initial_response,
                &conversation,
            )
            .await;
        }
    });
}
