//! The administrator's policy beyond browser sign-in: what keeps mailboxes connected. It is the
//! same system-wide, read-only file as the sign-in's (`oauth`, `locked`: see oauth::clients),
//! read here for its own keys; each reader ignores the other's.
//!
//! ```json
//! { "errorThresholds": { "incoming": 5, "outgoing": 3 } }
//! ```

use crate::diagnose::Diagnosis;
use crate::oauth::errors::SignInError;
use serde::Deserialize;
use std::num::NonZeroU32;
use std::path::Path;

/// Errors in a row after which the checks disable a mailbox, when the policy does not say.
pub const DEFAULT_ERROR_THRESHOLD: u32 = 5;

/// The policy's rules for keeping mailboxes connected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConnectionPolicy {
    pub error_thresholds: ErrorThresholds,
}

/// After how many errors in a row each side disables the mailbox. Zero is refused (the file is
/// then malformed): a mailbox must be allowed at least one error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ErrorThresholds {
    pub incoming: NonZeroU32,
    pub outgoing: NonZeroU32,
}

impl Default for ErrorThresholds {
    fn default() -> Self {
        let five = NonZeroU32::new(DEFAULT_ERROR_THRESHOLD).expect("not zero");
        ErrorThresholds { incoming: five, outgoing: five }
    }
}

impl ConnectionPolicy {
    /// The policy at `path`; no file there is no policy (the defaults). A file that is there but
    /// cannot be read or parsed fails closed, naming the file: checking with the defaults would
    /// quietly undo what the administrator set.
    pub fn load(path: Option<&Path>) -> Result<ConnectionPolicy, Diagnosis> {
        let Some(path) = path else { return Ok(ConnectionPolicy::default()) };
        let unusable = |message: String| {
            Diagnosis::of_sign_in(&SignInError::PolicyUnusable { path: path.display().to_string(), message })
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConnectionPolicy::default()),
            Err(e) => return Err(unusable(format!("it cannot be read: {e}"))),
        };
        serde_json::from_str(&text).map_err(|e| unusable(format!("it is not valid: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<ConnectionPolicy, Diagnosis> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, text).unwrap();
        ConnectionPolicy::load(Some(&path))
    }

    #[test]
    fn thresholds_default_to_five_and_the_policy_sets_each_side() {
        assert_eq!(ConnectionPolicy::load(Some(Path::new("/nonexistent/policy.json"))).unwrap(), Default::default());
        let p =
            load(r#"{"oauth": {"googleClientId": "x"}, "locked": true, "errorThresholds": {"outgoing": 2}}"#).unwrap();
        assert_eq!(p.error_thresholds.incoming.get(), 5);
        assert_eq!(p.error_thresholds.outgoing.get(), 2);
    }

    #[test]
    fn a_malformed_policy_fails_closed_and_names_the_file() {
        for text in ["{", r#"{"errorThresholds": {"incoming": 0}}"#, r#"{"errorThresholds": {"incomming": 3}}"#] {
            let d = load(text).expect_err(text);
            assert_eq!(d.code, crate::DiagnosisCode::SignInPolicy, "{text}");
            assert!(d.what_happened.contains("policy.json"), "{text}: {}", d.what_happened);
        }
    }
}
