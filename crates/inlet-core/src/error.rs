//! Typed errors inside the engine. Each one becomes a `Diagnosis` at the boundary (see diagnose.rs).
//! No variant ever carries a secret.

use crate::certificate::CertificateInfo;
pub use crate::diagnose::evidence::ServerCode;
use crate::progress::Stage;
use thiserror::Error;

/// Why a certificate was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Signed by nobody we trust (self-signed or an unknown CA).
    Untrusted,
    Expired,
    NotYetValid,
    /// Valid, but issued for other host names.
    WrongHost,
    Revoked,
    /// Anything else rustls refused (bad signature, unsupported key, ...).
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeychainProblem {
    Locked,
    Unavailable,
    Failed,
}

#[derive(Debug, Error)]
pub enum EngineError {
    #[error("invalid {field}: {message}")]
    InvalidInput { field: &'static str, message: String },

    #[error("host {host} not found: {message}")]
    HostNotFound { host: String, message: String },

    #[error("connection to {target} refused")]
    ConnectionRefused { target: String, addresses: Vec<String> },

    #[error("network unreachable for {target}: {message}")]
    Unreachable { target: String, message: String },

    #[error("timed out after {seconds}s at stage {stage:?} with {target}")]
    TimedOut { stage: Stage, target: String, seconds: u64 },

    #[error("certificate of {target} refused: {problem:?}")]
    Certificate {
        target: String,
        problem: CertificateProblem,
        certificate: Option<Box<CertificateInfo>>,
        message: String,
    },

    #[error("certificate of {target} changed from the trusted {pinned_fingerprint}")]
    CertificateChanged { target: String, pinned_fingerprint: String, certificate: Option<Box<CertificateInfo>> },

    #[error("TLS with {target} failed: {message}")]
    Tls { target: String, message: String },

    #[error("{target} does not offer STARTTLS")]
    StarttlsNotOffered { target: String },

    #[error("{target} refuses to sign in without encryption")]
    EncryptionRequired { target: String },

    #[error("refused to send a password over an unencrypted connection without confirmation")]
    PlaintextNotConfirmed { target: String },

    #[error("sign-in failed at {target} as {tried:?}: {server_said}")]
    /// `code`: the typed code of the refusal that tells the most (see `protocol::sign_in`).
    AuthenticationFailed { target: String, tried: Vec<String>, server_said: String, code: ServerCode },

    #[error("{target} offers no sign-in method Inlet supports: {offered:?}")]
    NoUsableAuthMechanism { target: String, offered: Vec<String> },

    #[error("{target} closed the connection during {stage:?}")]
    ConnectionClosed { stage: Stage, target: String },

    #[error("unexpected answer from {target} during {stage:?}: {message}")]
    Protocol { stage: Stage, target: String, message: String },

    /// The server said its trouble is its own and passing: IMAP `NO [UNAVAILABLE]` (RFC 5530),
    /// POP3 `-ERR [SYS/TEMP]` (RFC 3206), SMTP 454 / 4.x.x (RFC 4954, RFC 3463). Never a wrong password.
    #[error("{target} has a temporary failure during {stage:?}: {server_said}")]
    TemporaryFailure { stage: Stage, target: String, server_said: String, code: ServerCode },

    #[error("the server refused a command during {stage:?}: {server_said}")]
    ServerRefused { stage: Stage, target: String, server_said: String, code: ServerCode },

    #[error("keychain: {message}")]
    Keychain { problem: KeychainProblem, message: String },

    #[error("storage: {message}")]
    Store { message: String },

    #[error("no such mailbox: {id}")]
    MailboxNotFound { id: i64 },

    #[error("mailbox already saved: {email}")]
    AlreadySaved { email: String },

    #[error("cancelled")]
    Cancelled,

    /// TLS was started at once, and the server's first bytes were no TLS record: it spoke in
    /// plain text (a port that expects STARTTLS or no encryption).
    #[error("{target} answered the TLS handshake in plain text: {message}")]
    TlsPortSpeaksPlainText { target: String, message: String },

    /// STARTTLS or no encryption was chosen, no greeting came in plain text, and a TLS
    /// handshake on the same port was answered: the port speaks TLS at once (993, 995, 465).
    #[error("{target} sent no greeting in {seconds} s and answers a TLS handshake: {answered}")]
    PortSpeaksTls { target: String, seconds: u64, answered: String },

    /// The administrator's policy does not allow it (see `policy`).
    #[error("not allowed by the administrator's policy: {0:?}")]
    PolicyForbids(crate::policy::PolicyRefusal),

    /// The administrator's policy file is there but cannot be used (see `policy`).
    #[error("the policy file {path} cannot be used: {message}")]
    PolicyUnusable { path: String, message: String },
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::Store { message: e.to_string() }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
