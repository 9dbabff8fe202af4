//! IMAP against servers that misbehave on purpose: a small real IMAP server on 127.0.0.1
//! (inlet_testkit::faults::HostileImap) leads the client to sizes that overflow, lines that never
//! end, passwords quoted back and terminal escape sequences. Every case must end in a diagnosis:
//! no panic, no unbounded memory, no secret and no control character in what is shown.

mod common;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use common::*;
use inlet_core::account::Security;
use inlet_core::progress::{ProgressEvent, Stage};
use inlet_core::{imap, ConnectRequest, Deadlines, Diagnosis, DiagnosisCode};
use inlet_testkit::faults::{HostileImap, ImapFault, ImapStep};

/// Plain IMAP, with the user's consent to send the password unencrypted (the hostile server has
/// no TLS; the engine refuses plain text otherwise).
fn plain_request(email: &str, password: &str, server: &HostileImap) -> ConnectRequest {
    let mut req = request(email, password, "127.0.0.1", server.port(), Security::None);
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    req
}

async fn failing_connect(
    server: &HostileImap,
    password: &str,
    deadlines: Deadlines,
) -> (Diagnosis, Vec<ProgressEvent>) {
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    let d = engine_with(dir.path(), deadlines)
        .connect(&plain_request(ALICE, password, server), &rec)
        .await
        .expect_err("the hostile server makes the connection fail");
    (d, rec.events())
}

/// Everything of a diagnosis and of the progress that a person or a script could see.
fn everything_shown(d: &Diagnosis, events: &[ProgressEvent]) -> Vec<String> {
    let mut shown = vec![serde_json::to_string(d).unwrap(), format!("{d:?}")];
    shown.extend(events.iter().map(|e| serde_json::to_string(e).unwrap()));
    shown
}

#[tokio::test]
async fn a_status_literal_that_overflows_is_a_protocol_error_not_a_panic() {
    // usize::MAX on 64 bits (adding it to anything overflows), and more digits than any integer.
    for size in ["18446744073709551615", "99999999999999999999999999"] {
        let server = HostileImap::start(ImapFault::Literal { at: ImapStep::Status, size: size.into() });
        let (d, _) = failing_connect(&server, ALICE_PASSWORD, short_deadlines()).await;
        assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::ListingFolders)), "{size}: {d:?}");
        assert!(d.evidence.iter().any(|e| e.contains("literal")), "{size}: {:?}", d.evidence);
    }
}

#[tokio::test]
async fn a_huge_literal_is_refused_before_anything_is_allocated_for_it() {
    // 400 MB: only our bound stops it (the crate we used to frame answers allowed 512 MiB). Allocating it
    // and then waiting for bytes that never come would end in a timeout, not a protocol error.
    for at in [ImapStep::List, ImapStep::Status] {
        let server = HostileImap::start(ImapFault::Literal { at, size: "400000000".into() });
        let (d, _) = failing_connect(&server, ALICE_PASSWORD, short_deadlines()).await;
        assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::ListingFolders)), "{at:?}: {d:?}");
        assert!(d.evidence.iter().any(|e| e.contains("400000000")), "{at:?}: {:?}", d.evidence);
    }
}

#[tokio::test]
async fn a_line_that_never_ends_is_refused_at_the_bound_in_every_reader() {
    // The greeting and LIST go through the connection's answer reader, STATUS through the
    // pipeline's own reader over the same bound.
    // 16 MiB without a line end, then silence: without a bound the client would hold it all and
    // wait for the rest until the deadline.
    for (at, stage) in [
        (ImapStep::Greeting, Stage::Greeting),
        (ImapStep::List, Stage::ListingFolders),
        (ImapStep::Status, Stage::ListingFolders),
    ] {
        let server = HostileImap::start(ImapFault::UnendingLine { at, bytes: 16 << 20 });
        let (d, _) = failing_connect(&server, ALICE_PASSWORD, short_deadlines()).await;
        assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(stage)), "{at:?}: {d:?}");
        let bound = imap::MAX_RESPONSE_BYTES.to_string();
        assert!(
            d.evidence.iter().any(|e| e.contains("line longer than") && e.contains(&bound)),
            "{at:?}: {:?}",
            d.evidence
        );
    }
}

#[tokio::test]
async fn a_password_the_server_quotes_back_is_never_shown() {
    // The quote and backslash make LOGIN escape the password (RFC 3501 quoted string), so the
    // echo of LOGIN's arguments holds a form other than the password itself.
    let canary = r#"canary-"7731\zz"#;
    for capabilities in ["IMAP4rev1 AUTH=PLAIN", "IMAP4rev1"] {
        let server = HostileImap::start_with_capabilities(
            capabilities,
            ImapFault::RefuseSignIn { said: format!("you sent |{ALICE}|{canary}") },
        );
        let (d, events) = failing_connect(&server, canary, Deadlines::default()).await;
        assert_eq!(d.code, DiagnosisCode::AuthenticationFailed, "{capabilities}: {d:?}");
        // The server's words are still there, without the password.
        assert!(
            d.evidence.iter().any(|e| e.contains("you sent") && e.contains(inlet_core::server_text::REMOVED)),
            "{capabilities}: {:?}",
            d.evidence
        );
        let forms = [
            canary.to_owned(),
            "7731".to_owned(),
            BASE64.encode(canary),
            BASE64.encode(format!("\0{ALICE}\0{canary}")),
            BASE64.encode(format!("\0alice\0{canary}")),
        ];
        for text in everything_shown(&d, &events) {
            for form in &forms {
                assert!(!text.contains(form.as_str()), "{capabilities}: {form:?} shown in {text}");
            }
        }
    }
}

#[tokio::test]
async fn terminal_escape_sequences_from_the_server_are_neutralised() {
    let escapes = "\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let control = |text: &str| text.chars().any(char::is_control);

    // A greeting the client accepts: its text reaches the progress events.
    let server = HostileImap::start(ImapFault::Greeting(format!("* OK {escapes} ready")));
    let dir = tempfile::tempdir().unwrap();
    let rec = Recorder::default();
    engine(dir.path()).connect(&plain_request(ALICE, ALICE_PASSWORD, &server), &rec).await.expect("connects");
    let events = rec.events();
    assert!(events.iter().any(|e| e.detail.as_deref().is_some_and(|t| t.contains("pwned"))), "{events:?}");
    for e in &events {
        assert!(!e.detail.as_deref().is_some_and(control), "{e:?}");
    }

    // A greeting that refuses: its text reaches the diagnosis.
    let server = HostileImap::start(ImapFault::Greeting(format!("* BYE {escapes} go away")));
    let (d, events) = failing_connect(&server, ALICE_PASSWORD, Deadlines::default()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ServerBusy, Some(Stage::Greeting)), "{d:?}");
    assert!(d.evidence.iter().any(|e| e.contains("pwned") && e.contains("go away")), "{:?}", d.evidence);
    for text in [&d.title, &d.what_happened, &d.what_to_do].into_iter().chain(&d.evidence) {
        assert!(!control(text), "{text:?}");
    }
    for e in &events {
        assert!(!e.detail.as_deref().is_some_and(control), "{e:?}");
    }
}

#[tokio::test]
async fn folder_names_are_shown_without_control_characters_and_kept_raw_for_commands() {
    // Sent as they are in a quoted string, and spelled in modified UTF-7 (`&ABs-` is ESC,
    // `&AAc-` is BEL): both decode to names holding terminal escape sequences.
    for (raw, shown_part) in [
        ("Evil\u{1b}]0;pwned\u{7}\u{1b}[2J", "pwned"),
        ("Sneaky&ABs-]0;owned&AAc-&ABs-[2J", "owned"),
        ("Parent\u{1b}[31m/Child\u{9b}2J", "Child"),
    ] {
        let server = HostileImap::start(ImapFault::FolderNamed(raw.to_owned()));
        let dir = tempfile::tempdir().unwrap();
        let report = engine(dir.path())
            .connect(&plain_request(ALICE, ALICE_PASSWORD, &server), &Recorder::default())
            .await
            .expect("connects");
        let tree = &report.folders;
        let folder = tree.folders.iter().find(|f| f.raw_name == raw).unwrap_or_else(|| panic!("{raw:?}: {tree:?}"));
        assert!(folder.path.contains(shown_part), "{raw:?}: {folder:?}");
        let control = |text: &str| text.chars().any(char::is_control);
        for f in &tree.folders {
            assert!(!control(&f.path) && !control(&f.name), "{raw:?}: {f:?}");
        }
        // What a script reads: the shown names, parsed back from the JSON, hold none either.
        let json: serde_json::Value = serde_json::to_value(&report).unwrap();
        for f in json["folders"]["folders"].as_array().unwrap() {
            for field in ["path", "name"] {
                assert!(!control(f[field].as_str().unwrap()), "{raw:?}: {f}");
            }
        }
    }
}

#[tokio::test]
async fn a_server_that_lists_folders_forever_is_stopped_at_the_folder_cap() {
    let server = HostileImap::start(ImapFault::EndlessList { name_bytes: 0 });
    let (d, _) = failing_connect(&server, ALICE_PASSWORD, Deadlines::default()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::ListingFolders)), "{d:?}");
    let cap = format!("more than {} folders", imap::MAX_FOLDERS);
    assert!(d.evidence.iter().any(|e| e.contains(&cap)), "{:?}", d.evidence);
}

#[tokio::test]
async fn a_server_that_lists_long_names_forever_is_stopped_at_the_listing_size_cap() {
    // 32 KB names: each line is within the bound of one answer, and the size cap is reached
    // long before the folder cap.
    let server = HostileImap::start(ImapFault::EndlessList { name_bytes: 32 * 1024 });
    let (d, _) = failing_connect(&server, ALICE_PASSWORD, Deadlines::default()).await;
    assert_eq!((d.code, d.stage), (DiagnosisCode::ProtocolError, Some(Stage::ListingFolders)), "{d:?}");
    let cap = format!("folder list went past {} bytes", imap::MAX_FOLDER_LISTING_BYTES);
    assert!(d.evidence.iter().any(|e| e.contains(&cap)), "{:?}", d.evidence);
}
