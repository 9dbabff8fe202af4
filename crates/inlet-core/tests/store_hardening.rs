//! The mailbox store on disk: private to its owner whatever the umask, an older looser store
//! tightened on start, a store written by an earlier version still loading, and the duplicate
//! check seeing `host.` and `host` as one server.

mod common;
mod keychain_entries;

use common::*;
use inlet_core::account::{Protocol, Security};
use inlet_core::folders::FolderRole;
use inlet_core::secrets::Credentials;
use inlet_core::store::{ChosenFolder, Store};
use inlet_core::{DiagnosisCode, SaveRequest};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The umask most systems give a user session: without care, folders become 0755 and files
/// 0644, readable by every local user. Set for the whole test binary (it is process-wide).
fn normal_umask() {
    static SET: OnceLock<()> = OnceLock::new();
    SET.get_or_init(|| {
        // SAFETY: umask(2) only swaps the process's file-creation mask; it cannot fail.
        unsafe { libc::umask(0o022) };
    });
}

/// The permission bits in octal, as `ls -l` and chmod speak of them ("600").
fn mode(path: &Path) -> String {
    let meta = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    format!("{:o}", meta.permissions().mode() & 0o777)
}

fn companion(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

/// The store of the version before the engine reshape, built from its committed SQL dump (not
/// by this version's code).
fn write_old_store(dir: &Path) -> PathBuf {
    write_store_fixture(dir, "store-v2.sql")
}

/// A store from one of the committed SQL dumps of earlier versions.
fn write_store_fixture(dir: &Path, fixture: &str) -> PathBuf {
    let db = Store::path_in(dir);
    let sql = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture))
        .expect("fixture");
    rusqlite::Connection::open(&db).unwrap().execute_batch(&sql).expect("the fixture loads into SQLite");
    db
}

#[test]
fn a_new_store_is_private_to_its_owner_under_a_normal_umask() {
    normal_umask();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data").join("inlet");
    let mut store = Store::open(&dir).expect("opens");
    // A write, so SQLite has surely made its -wal and -shm files.
    store.insert(&request(ALICE, ALICE_PASSWORD, "imap.x.test", 993, Security::Tls).settings, &[], "a#1", 1).unwrap();

    let db = Store::path_in(&dir);
    assert_eq!(mode(&dir), "700", "store folder");
    assert_eq!(mode(&db), "600", "database");
    assert_eq!(mode(&companion(&db, "-wal")), "600", "write-ahead log");
    assert_eq!(mode(&companion(&db, "-shm")), "600", "shared-memory index");
    drop(store);

    // Opened again (as on every start and every use), still private.
    let _again = Store::open(&dir).unwrap();
    for file in [db.clone(), companion(&db, "-wal"), companion(&db, "-shm")] {
        assert_eq!(mode(&file), "600", "{}", file.display());
    }
}

#[test]
fn an_older_store_readable_by_everyone_is_tightened_on_start() {
    normal_umask();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inlet");
    std::fs::DirBuilder::new().mode(0o755).create(&dir).unwrap();
    let db = write_old_store(&dir);
    // What an earlier version left: everything world-readable, a -wal and -shm from a crash.
    for file in [db.clone(), companion(&db, "-wal"), companion(&db, "-shm")] {
        if !file.exists() {
            std::fs::write(&file, b"").unwrap();
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();

    let store = Store::open(&dir).expect("opens");
    assert_eq!(store.list().unwrap().len(), 2, "nothing lost while tightening");
    assert_eq!(mode(&dir), "700", "store folder");
    for file in [db.clone(), companion(&db, "-wal"), companion(&db, "-shm")] {
        assert_eq!(mode(&file), "600", "{}", file.display());
    }
}

#[tokio::test]
async fn a_store_written_before_the_engine_reshape_still_loads() {
    let tmp = tempfile::tempdir().unwrap();
    write_old_store(tmp.path());

    let list = engine(tmp.path()).list_mailboxes().await.expect("loads");
    assert_eq!(list.len(), 2);

    let alice = &list[0];
    assert_eq!(alice.id, 1);
    assert_eq!(alice.settings.email.as_str(), "alice@example.test");
    assert_eq!(alice.settings.incoming.protocol(), Protocol::Imap);
    assert_eq!(alice.settings.incoming.settings().endpoint.host, "imap.example.test");
    assert_eq!(alice.settings.incoming.settings().endpoint.port, 993);
    assert_eq!(alice.settings.incoming.settings().endpoint.security, Security::Tls);
    assert_eq!(alice.settings.incoming.settings().username.as_deref(), Some("alice"));
    let outgoing = alice.settings.outgoing.as_ref().expect("outgoing server");
    assert_eq!((outgoing.endpoint.host.as_str(), outgoing.endpoint.port), ("smtp.example.test", 587));
    assert!(!outgoing.same_password);
    assert_eq!(alice.settings.trusted_certificates.len(), 1);
    assert_eq!(alice.settings.trusted_certificates[0].sha256_fingerprint, "AB:CD");
    assert_eq!(
        alice.folders,
        vec![
            ChosenFolder { raw_name: "INBOX".into(), path: "INBOX".into(), role: Some(FolderRole::Inbox) },
            ChosenFolder { raw_name: "Sent Items".into(), path: "Sent Items".into(), role: Some(FolderRole::Sent) },
        ]
    );
    assert_eq!(alice.keychain_account, "alice@example.test#1700000000000");
    assert_eq!(alice.created_at, 1_700_000_000_000);
    assert!(alice.status.enabled);
    assert_eq!(alice.status.last_success_at, Some(1_700_000_000_000));
    assert_eq!(alice.status.last_outgoing_success_at, Some(1_700_000_000_000));

    let bob = &list[1];
    assert_eq!(bob.settings.email.as_str(), "bob@example.test");
    assert_eq!(bob.settings.incoming.protocol(), Protocol::Pop3);
    assert_eq!(bob.settings.incoming.settings().endpoint.security, Security::None);
    assert!(bob.settings.incoming.settings().allow_plaintext_password);
    assert!(bob.settings.outgoing.is_none());
    assert_eq!(bob.folders.len(), 1);
    assert_eq!(bob.keychain_account, "bob@example.test#1700000001000");
}

/// The store of the version before status and health checks (schema 3, with a browser sign-in
/// that was disabled while failing) loads, gets the new fields with their neutral values, and
/// takes a check's record, a rename and a removal that keeps the history.
#[tokio::test]
async fn a_store_written_before_status_and_checks_still_loads_and_takes_them() {
    use inlet_core::health::{CheckOutcome, CheckRecord, StatusBadge};
    use inlet_core::store::{Change, RecordedCheck};
    let tmp = tempfile::tempdir().unwrap();
    write_store_fixture(tmp.path(), "store-v3.sql");

    let list = engine(tmp.path()).list_mailboxes().await.expect("loads");
    assert_eq!(list.iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2, 3]);
    let alice = &list[0];
    assert_eq!(alice.status.badge, StatusBadge::Working);
    assert_eq!((alice.name.as_deref(), alice.is_default, alice.modified_by.as_deref()), (None, false, None));
    let carol = &list[2];
    assert_eq!(carol.grant.as_ref().map(|g| g.client_id.as_str()), Some("inlet-test-client"));
    assert_eq!((carol.status.enabled, carol.status.consecutive_errors), (false, 3));
    assert_eq!(carol.status.last_error_code, Some(DiagnosisCode::NeedsSignIn));
    assert_eq!(carol.status.badge, StatusBadge::Disabled);
    assert!(!carol.status.disabled_automatically && carol.status.last_error_at.is_none());

    let mut store = Store::open(tmp.path()).unwrap();
    assert!(store.history(1).unwrap().is_empty());
    let row = CheckRecord {
        at: 1_800_000_000_000,
        side: inlet_core::account::Side::Incoming,
        outcome: CheckOutcome::Success,
        duration_ms: 12,
        code: None,
    };
    let update = |before: &inlet_core::store::MailboxStatus| {
        let mut s = before.clone();
        s.last_check_at = Some(row.at);
        s
    };
    let checked = store
        .record_check(1, &RecordedCheck { history: std::slice::from_ref(&row), update: &update, change: None })
        .unwrap();
    assert_eq!(checked.status.last_check_at, Some(row.at));
    assert_eq!(store.history(1).unwrap(), vec![row]);
    let change = Change { at: 1_800_000_000_001, by: "tester".into() };
    let named = store.describe(2, Some("Bob at home"), None, &change).unwrap();
    assert_eq!((named.name.as_deref(), named.modified_by.as_deref()), (Some("Bob at home"), Some("tester")));
    store.mark_removed(1, &change).unwrap();
    assert_eq!(store.list().unwrap().iter().map(|m| m.id).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(store.removed_at(1).unwrap(), Some(change.at));
    assert_eq!(store.history(1).unwrap().len(), 1, "the history is kept");
}

/// Earlier versions read any text as the address and SMTP as an incoming protocol; this one
/// refuses both when settings are read. A mailbox stored so (by hand: every version checked the
/// address before saving) is left out of the list, its row kept, and the others still load.
#[tokio::test]
async fn a_stored_mailbox_this_version_refuses_does_not_hide_the_others() {
    for (part, now, why) in [
        (r#""email":"bob@example.test""#, r#""email":"bob@localhost""#, "its address is not an email address"),
        (r#""protocol":"pop3""#, r#""protocol":"smtp""#, "its incoming server is an SMTP server"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let db = write_old_store(tmp.path());
        let changed = rusqlite::Connection::open(&db)
            .unwrap()
            .execute("UPDATE mailboxes SET settings = replace(settings, ?1, ?2) WHERE id = 2", [part, now])
            .unwrap();
        assert_eq!(changed, 1);

        let list = engine(tmp.path()).list_mailboxes().await.unwrap_or_else(|d| panic!("{now}: {d:?}"));
        assert_eq!(list.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1], "{now}");
        let store = Store::open(tmp.path()).unwrap();
        assert!(store.exists(2).unwrap(), "{now}: the row is kept");
        let refused = store.get(2).expect_err(now).to_string();
        assert!(refused.contains(why) && !refused.contains("bob@"), "{now}: {refused}");
    }
}

#[tokio::test]
async fn a_trailing_dot_names_the_same_server_so_the_mailbox_is_already_saved() {
    let keychain = keychain();
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let save = |host: &str| SaveRequest {
        settings: request(ALICE, ALICE_PASSWORD, host, 993, Security::Tls).settings,
        folders: vec![],
        credentials: Credentials::password(ALICE_PASSWORD),
        outgoing_credentials: None,
    };
    let saved = engine.save_mailbox(&save("imap.x.test"), &Recorder::default()).await.expect("saved");

    for same in ["imap.x.test.", "IMAP.X.Test."] {
        let d = engine.save_mailbox(&save(same), &Recorder::default()).await.expect_err(same);
        assert_eq!(d.code, DiagnosisCode::AlreadySaved, "{same:?}: {d:?}");
    }
    assert_eq!(engine.list_mailboxes().await.unwrap().len(), 1);

    engine.remove_mailbox(saved.id).await.expect("removed");
    let service = engine.config().keychain_service.clone();
    assert_eq!(keychain_entries::count_service(keychain, &service), 0, "no password left behind");
}
