//! How many times the client waits for Dovecot while it signs in and loads a folder tree: a
//! fixed few, whatever the number of folders. Counted on the wire, over plain IMAP through a
//! capturing proxy (Dovecot accepts a password in clear from 127.0.0.1), so every command the
//! client wrote is readable.

mod common;

use common::*;
use inlet_core::account::Security;
use inlet_core::progress::{Stage, StageState};
use inlet_testkit::{CaptureProxy, Dovecot, DovecotOptions};

#[tokio::test]
async fn signing_in_and_loading_1000_folders_takes_three_commands() {
    let server = Dovecot::start(
        pki(),
        DovecotOptions { extra_folders: inlet_testkit::make_folders_tree(1000), ..Default::default() },
    )
    .unwrap();
    let proxy = CaptureProxy::start(server.imap_addr());
    let dir = tempfile::tempdir().unwrap();
    let mut req = request(ALICE, ALICE_PASSWORD, "127.0.0.1", proxy.port(), Security::None);
    req.settings.incoming.settings_mut().allow_plaintext_password = true;
    let progress = Recorder::default();
    let report = engine(dir.path()).connect(&req, &progress).await.expect("connects");
    assert!(report.folders.folders.len() > 1000, "{}", report.folders.folders.len());
    assert!(report.capabilities.iter().any(|c| c == "LIST-STATUS"), "{:?}", report.capabilities);

    let sent = String::from_utf8(proxy.client_bytes()).unwrap();
    let verbs: Vec<String> =
        sent.lines().map(|line| line.split(' ').skip(1).take(2).collect::<Vec<_>>().join(" ")).collect();
    // AUTHENTICATE PLAIN with its message on the same line (SASL-IR, RFC 4959): no round trip
    // for the empty challenge. No CAPABILITY: Dovecot announces them in its OK to the sign-in.
    // One LIST with the counts (LIST-STATUS, RFC 5819). LOGOUT.
    assert_eq!(verbs, ["AUTHENTICATE PLAIN", "LIST \"\"", "LOGOUT"], "sent {} lines", sent.lines().count());

    // The listing reports its progress once per 500 folders (each folder brings a LIST and a
    // STATUS answer; counting answers instead of folders said "500 so far" twice).
    let counts: Vec<String> = progress
        .events()
        .into_iter()
        .filter(|e| e.stage == Stage::ListingFolders && e.state == StageState::Update)
        .filter_map(|e| e.detail)
        .collect();
    assert_eq!(counts, ["500 so far", "1000 so far"]);
}
