//! Real servers for Inlet's tests, on 127.0.0.1 with ports chosen at run time, each torn down
//! when dropped (also when the test panics). No mocks: the client code under test talks to a real
//! Dovecot, a real TLS stack with real certificates, a real Secret Service.
//!
//! - [`TestPki`]: a test CA and good/expired/wrong-host/untrusted server certificates.
//! - [`Dovecot`]: a private IMAP/POP3 server with users, folders and messages written to disk.
//! - [`faults`]: servers that never answer, close or reset at once, or stop after the greeting.
//! - [`DelayProxy`] (latency) and [`CaptureProxy`] (records what the client sent).
//! - [`Keychain`]: a private D-Bus session with gnome-keyring.
//! - [`AuthServer`]: a real OAuth 2.0 authorization server (oidc-provider on Node) whose
//!   introspection the mail servers check bearer tokens against.
//! - [`Dnsmasq`]: a private DNS server with the A/MX/SRV/TXT records a test gives it; [`SilentDns`] never answers.
//!
//! Everything here is blocking and thread-based, usable with or without a tokio runtime (from
//! async tests, start servers before the client work or in `spawn_blocking`; starting takes
//! ~0.1 s). Each instance has its own temp dir and ports, so tests may run in parallel.
//!
//! Needs, on Debian: `dovecot-core dovecot-imapd dovecot-pop3d` (run as root), and for the
//! keychain `dbus gnome-keyring libsecret-tools`.
//!
//! ```no_run
//! use inlet_testkit::{Dovecot, DovecotOptions, TestPki};
//!
//! let pki = TestPki::generate();
//! let server = Dovecot::start(&pki, DovecotOptions {
//!     extra_folders: vec!["Projets/Réunions".into()],
//!     inbox_messages: 3,
//!     ..Default::default()
//! })?;
//! // Connect to 127.0.0.1:server.imaps_port(), trusting pki.ca_pem_path(),
//! // as alice@example.test / wonderland-42.
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Cleanup: `Drop` kills a server's whole process group (milliseconds) and deletes its temp dir.
//! Servers kept in a `static` (never dropped) are cleaned up by an exit hook, and if the test
//! process is killed outright the kernel kills the servers (`PR_SET_PDEATHSIG`); see `process.rs`.

pub mod dns;
mod dovecot;
pub mod faults;
pub mod https;
mod keychain;
pub mod mutf7;
pub mod oauth;
mod pki;
mod process;
mod proxy;
pub mod smtp;

pub use dns::{DnsRecords, Dnsmasq, ErrorDns, SilentDns};
pub use dovecot::{make_folders_tree, Dovecot, DovecotOAuth2, DovecotOptions, SPECIAL_FOLDERS};
pub use https::{HttpsServer, Route};
pub use keychain::Keychain;
pub use oauth::{AuthServer, AuthServerOptions, Consent, Style};
pub use pki::{CertKind, TestPki, SERVER_NAMES};
pub use proxy::{CaptureProxy, DelayProxy, UdpDelayProxy};
pub use smtp::{SmtpOAuth2, SmtpOptions, SmtpServer};
