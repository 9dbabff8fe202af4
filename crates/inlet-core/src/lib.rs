//! Inlet's engine: everything a mailbox connection needs, with no UI. The desktop app and the CLI
//! are thin front ends over `service::Engine`.

#![forbid(unsafe_code)]
// Diagnosis is the one error type at the engine's boundary (both front ends show it whole); it
// is returned once per use case, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod account;
pub mod address;
pub mod certificate;
pub mod config;
pub mod diagnose;
pub mod discover;
pub mod error;
pub mod folders;
#[cfg(test)]
mod fuzzing;
pub mod health;
pub mod host;
pub mod i18n;
pub mod kinds;
pub mod logging;
pub mod mailbox_edit;
pub mod net;
pub mod notify;
pub mod oauth;
pub mod policy;
pub mod progress;
pub mod protocol;
pub mod providers;
pub mod reachability;
mod recovery;
pub mod report;
pub mod schedule;
pub mod secrets;
pub mod server_text;
pub mod service;
pub mod store;

// The protocols keep their short paths (`inlet_core::imap`), used by the tests and the bench.
pub use protocol::{imap, pop3, smtp};

pub use config::{Deadlines, EngineConfig};
pub use diagnose::{Diagnosis, DiagnosisCode};
pub use secrets::Secret;
pub use service::{ConnectReport, ConnectRequest, DoctorOutcome, DoctorRequest, Engine, ReportedCheck, SaveRequest};
