//! Shared set-up for the engine's integration tests: real servers from inlet-testkit.
#![allow(dead_code)]

use inlet_core::account::{
    AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, Security, ServerSettings,
};
use inlet_core::progress::ProgressEvent;
use inlet_core::secrets::Credentials;
use inlet_core::{ConnectRequest, Deadlines, Engine, EngineConfig};
use inlet_testkit::TestPki;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The keychain for this test binary: a private gnome-keyring. The keyring crate binds to one
/// Secret Service per process, so it is started once and installed for the whole process.
pub fn keychain() -> &'static inlet_testkit::Keychain {
    static KEYCHAIN: OnceLock<inlet_testkit::Keychain> = OnceLock::new();
    KEYCHAIN.get_or_init(|| {
        let k = inlet_testkit::Keychain::start().expect("gnome-keyring starts");
        k.install_for_this_process();
        k
    })
}

/// Tests that share the keychain take turns.
pub static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const ALICE: &str = "alice@example.test";
pub const ALICE_PASSWORD: &str = "wonderland-42";

/// One PKI per test binary: generating keys is cheap but there is no reason to repeat it.
pub fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(TestPki::generate)
}

pub fn engine(data_dir: &Path) -> Engine {
    engine_with(data_dir, Deadlines::default())
}

pub fn engine_with(data_dir: &Path, deadlines: Deadlines) -> Engine {
    Engine::new(EngineConfig {
        data_dir: Some(data_dir.to_path_buf()),
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        keychain_service: format!("inlet-test-{}", std::process::id()),
        deadlines,
        ..Default::default()
    })
    .expect("engine")
}

pub fn short_deadlines() -> Deadlines {
    Deadlines::all(Duration::from_millis(1500))
}

pub fn request(email: &str, password: &str, host: &str, port: u16, security: Security) -> ConnectRequest {
    ConnectRequest {
        settings: MailboxSettings {
            kind: MailboxKind::Imap,
            email: email.parse().expect("a test address"),
            incoming: IncomingServer::Imap(ServerSettings {
                endpoint: Endpoint { host: host.into(), port, security },
                username: None,
                auth: AuthMethod::Password,
                allow_plaintext_password: false,
            }),
            outgoing: None,
            trusted_certificates: Vec::new(),
        },
        credentials: Credentials::password(password),
        outgoing_credentials: None,
    }
}

/// Collects progress events for assertions.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<ProgressEvent>>);
impl inlet_core::progress::ProgressSink for Recorder {
    fn emit(&self, event: ProgressEvent) {
        self.0.lock().unwrap().push(event);
    }
}
impl Recorder {
    pub fn events(&self) -> Vec<ProgressEvent> {
        self.0.lock().unwrap().clone()
    }
}
