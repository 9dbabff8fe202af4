//! The administrator's policy beyond browser sign-in: what users may do with mailboxes and what
//! keeps them connected. It is the same system-wide, read-only file as the sign-in's (`oauth`,
//! `locked`: see oauth::clients), read here for its own keys; each reader ignores the other's
//! top-level keys, and refuses unknown keys inside its own (a typo must not quietly undo a rule).
//!
//! ```json
//! {
//!   "mailboxes": { "allowAdding": false, "allowRemoving": false, "allowedTypes": ["imap", "microsoft365"] },
//!   "minTlsVersion": "1.3",
//!   "errorThresholds": { "incoming": 5, "outgoing": 3 },
//!   "checkInterval": { "minMinutes": 5, "maxMinutes": 60 }
//! }
//! ```
//!
//! Each rule is read again by every use case it governs, so a change applies without a restart;
//! the minimum TLS version is read when the engine starts (its TLS configuration is built then).

use crate::account::{MailboxKind, MailboxSettings, Protocol};
use crate::diagnose::Diagnosis;
use crate::error::EngineError;
use crate::service::Engine;
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;
use std::path::Path;

/// Errors in a row after which the checks disable a mailbox, when the policy does not say.
pub const DEFAULT_ERROR_THRESHOLD: u32 = 5;

/// What the mailbox list says where adding is not allowed (the help-center article's words).
pub fn adding_not_allowed() -> String {
    crate::tr!("eng-policy-adding-not-allowed")
}

/// What the mailbox list says where removing is not allowed.
pub fn removing_not_allowed() -> String {
    crate::tr!("eng-policy-removing-not-allowed")
}

/// The policy's rules for mailboxes and for keeping them connected.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConnectionPolicy {
    pub mailboxes: MailboxRules,
    pub min_tls_version: TlsVersion,
    pub error_thresholds: ErrorThresholds,
    pub check_interval: CheckIntervalBounds,
}

/// What users may do with mailboxes. Everything is allowed unless the policy says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MailboxRules {
    pub allow_adding: bool,
    pub allow_removing: bool,
    /// None: every type. An empty list allows none.
    pub allowed_types: Option<Vec<MailboxKind>>,
}

impl Default for MailboxRules {
    fn default() -> Self {
        MailboxRules { allow_adding: true, allow_removing: true, allowed_types: None }
    }
}

/// The oldest TLS version the engine speaks. TLS 1.0 and 1.1 are never offered (RFC 8996), so
/// the choice is between 1.2 and 1.3.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum TlsVersion {
    #[default]
    #[serde(rename = "1.2")]
    Tls12,
    #[serde(rename = "1.3")]
    Tls13,
}

impl TlsVersion {
    pub fn label(self) -> &'static str {
        match self {
            TlsVersion::Tls12 => "TLS 1.2",
            TlsVersion::Tls13 => "TLS 1.3",
        }
    }
}

/// After how many errors in a row each side disables the mailbox. Zero is refused (the file is
/// then malformed): a mailbox must be allowed at least one error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, deny_unknown_fields)]
pub struct ErrorThresholds {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub incoming: NonZeroU32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub outgoing: NonZeroU32,
}

impl Default for ErrorThresholds {
    fn default() -> Self {
        let five = NonZeroU32::new(DEFAULT_ERROR_THRESHOLD).expect("not zero");
        ErrorThresholds { incoming: five, outgoing: five }
    }
}

/// How often scheduled checks may run, in minutes: no mailbox is checked on schedule sooner than
/// `min_minutes` after its last check, and a chosen interval longer than `max_minutes` is cut to
/// it. The maximum must be at least 1 and not below the minimum (otherwise the file is malformed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckIntervalBounds {
    pub min_minutes: u32,
    pub max_minutes: u32,
}

/// Without a policy: no shortest interval (a scheduled run checks whatever is due), at least
/// once a day.
impl Default for CheckIntervalBounds {
    fn default() -> Self {
        CheckIntervalBounds { min_minutes: 0, max_minutes: 24 * 60 }
    }
}

impl CheckIntervalBounds {
    /// `minutes` within the bounds.
    pub fn clamp(&self, minutes: u32) -> u32 {
        minutes.clamp(self.min_minutes, self.max_minutes)
    }

    pub fn min_ms(&self) -> i64 {
        i64::from(self.min_minutes) * 60_000
    }
}

/// What the policy refuses, for the diagnosis that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyRefusal {
    Adding,
    Removing,
    /// A mailbox type (gmail, imap, pop3…) the policy does not list.
    MailboxType {
        kind: MailboxKind,
    },
    /// The server offers no TLS version as recent as the policy's minimum.
    TlsVersion {
        target: String,
        minimum: TlsVersion,
    },
}

/// What the policy lets the user do, for the front ends: the list hides "Add mailbox" (and says
/// `why_not_add`), the wizard offers only the allowed types, the details view hides Remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    pub may_add: bool,
    pub may_remove: bool,
    /// Why adding is not offered; None when it is.
    pub why_not_add: Option<String>,
    pub why_not_remove: Option<String>,
    /// The types the wizard may offer, in its order.
    pub allowed_types: Vec<MailboxKind>,
    pub min_tls_version: TlsVersion,
    pub error_thresholds: ErrorThresholds,
    pub check_interval: CheckIntervalBounds,
}

/// Every mailbox type, in the wizard's order.
const ALL_TYPES: [MailboxKind; 5] =
    [MailboxKind::Gmail, MailboxKind::Microsoft365, MailboxKind::Exchange, MailboxKind::Imap, MailboxKind::Pop3];

impl ConnectionPolicy {
    /// The policy at `path`; no file there is no policy (the defaults). A file that is there but
    /// cannot be read or parsed fails closed, naming the file: working with the defaults would
    /// quietly undo what the administrator set.
    pub fn load(path: Option<&Path>) -> Result<ConnectionPolicy, Diagnosis> {
        ConnectionPolicy::read(path).map_err(|e| Diagnosis::of(&e, None))
    }

    /// [`ConnectionPolicy::load`] as an engine error.
    pub fn read(path: Option<&Path>) -> Result<ConnectionPolicy, EngineError> {
        let Some(path) = path else { return Ok(ConnectionPolicy::default()) };
        let unusable = |message: String| EngineError::PolicyUnusable { path: path.display().to_string(), message };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConnectionPolicy::default()),
            Err(e) => return Err(unusable(format!("it cannot be read: {e}"))),
        };
        let policy: ConnectionPolicy =
            serde_json::from_str(&text).map_err(|e| unusable(format!("it is not valid: {e}")))?;
        let interval = policy.check_interval;
        if interval.max_minutes == 0 || interval.min_minutes > interval.max_minutes {
            return Err(unusable(format!(
                "its checkInterval is not valid: maxMinutes ({}) must be at least 1 and at least minMinutes ({})",
                interval.max_minutes, interval.min_minutes
            )));
        }
        Ok(policy)
    }

    /// Whether a mailbox of this type may be saved: its kind must be allowed, and a POP3
    /// mailbox needs "pop3" allowed whatever its kind.
    pub fn allows_type(&self, settings: &MailboxSettings) -> Result<(), PolicyRefusal> {
        let Some(allowed) = &self.mailboxes.allowed_types else { return Ok(()) };
        let pop3 = settings.incoming.protocol() == Protocol::Pop3;
        for kind in std::iter::once(settings.kind).chain(pop3.then_some(MailboxKind::Pop3)) {
            if !allowed.contains(&kind) {
                return Err(PolicyRefusal::MailboxType { kind });
            }
        }
        Ok(())
    }

    /// Whether a new mailbox with these settings may be added.
    pub fn allows_adding(&self, settings: &MailboxSettings) -> Result<(), PolicyRefusal> {
        if !self.mailboxes.allow_adding {
            return Err(PolicyRefusal::Adding);
        }
        self.allows_type(settings)
    }

    pub fn allows_removing(&self) -> Result<(), PolicyRefusal> {
        self.mailboxes.allow_removing.then_some(()).ok_or(PolicyRefusal::Removing)
    }

    pub fn summary(&self) -> PolicySummary {
        let rules = &self.mailboxes;
        PolicySummary {
            may_add: rules.allow_adding,
            may_remove: rules.allow_removing,
            why_not_add: (!rules.allow_adding).then(adding_not_allowed),
            why_not_remove: (!rules.allow_removing).then(removing_not_allowed),
            allowed_types: ALL_TYPES
                .into_iter()
                .filter(|k| rules.allowed_types.as_ref().is_none_or(|allowed| allowed.contains(k)))
                .collect(),
            min_tls_version: self.min_tls_version,
            error_thresholds: self.error_thresholds,
            check_interval: self.check_interval,
        }
    }
}

impl Engine {
    /// The administrator's policy as it is now (see [`ConnectionPolicy::read`]).
    pub(crate) fn policy_now(&self) -> Result<ConnectionPolicy, EngineError> {
        ConnectionPolicy::read(self.config().policy_file.as_deref())
    }

    /// Whether the policy lets a mailbox with these settings be added (the wizard and the CLI ask
    /// before connecting; saving asks again).
    pub fn may_add(&self, settings: &MailboxSettings) -> Result<(), Diagnosis> {
        let policy = self.policy_now().map_err(|e| Diagnosis::of(&e, None))?;
        policy.allows_adding(settings).map_err(|refused| Diagnosis::of_policy(&refused))
    }

    /// What the policy lets the user do, for the front ends (hide "Add mailbox" and say why,
    /// offer only the allowed types, hide Remove). An unusable policy file is its diagnosis:
    /// the front end then offers neither.
    pub fn policy_summary(&self) -> Result<PolicySummary, Diagnosis> {
        self.policy_now().map(|p| p.summary()).map_err(|e| Diagnosis::of(&e, None))
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
        for text in [
            "{",
            r#"{"errorThresholds": {"incoming": 0}}"#,
            r#"{"errorThresholds": {"incomming": 3}}"#,
            r#"{"mailboxes": {"allowAdd": false}}"#,
            r#"{"mailboxes": {"allowedTypes": ["imap", "exchange2010"]}}"#,
            r#"{"mailboxes": {"allowAdding": "no"}}"#,
            r#"{"minTlsVersion": "1.1"}"#,
            r#"{"checkInterval": {"maxMinutes": 0}}"#,
            r#"{"checkInterval": {"minMinutes": 90, "maxMinutes": 60}}"#,
        ] {
            let d = load(text).expect_err(text);
            assert_eq!(d.code, crate::DiagnosisCode::SignInPolicy, "{text}");
            assert!(d.what_happened.contains("policy.json"), "{text}: {}", d.what_happened);
        }
    }

    fn settings(kind: &str, protocol: &str) -> MailboxSettings {
        serde_json::from_value(serde_json::json!({
            "kind": kind, "email": "alice@example.test",
            "incoming": {"protocol": protocol, "endpoint": {"host": "mail.example.test", "port": 993, "security": "tls"},
                         "username": null, "auth": "password", "allowPlaintextPassword": false},
            "outgoing": null, "trustedCertificates": []
        }))
        .unwrap()
    }

    #[test]
    fn every_rule_is_read_and_the_summary_says_what_is_offered() {
        let p = load(
            r#"{"locked": true, "mailboxes": {"allowAdding": false, "allowRemoving": false, "allowedTypes": ["imap", "microsoft365"]},
                "minTlsVersion": "1.3", "checkInterval": {"minMinutes": 5, "maxMinutes": 60}}"#,
        )
        .unwrap();
        assert_eq!(p.min_tls_version, TlsVersion::Tls13);
        assert_eq!(p.allows_adding(&settings("imap", "imap")), Err(PolicyRefusal::Adding));
        assert_eq!(p.allows_removing(), Err(PolicyRefusal::Removing));
        assert_eq!(p.allows_type(&settings("imap", "imap")), Ok(()));
        assert_eq!(
            p.allows_type(&settings("gmail", "imap")),
            Err(PolicyRefusal::MailboxType { kind: MailboxKind::Gmail })
        );
        // POP3 needs "pop3" allowed, whatever kind the wizard started from.
        assert_eq!(
            p.allows_type(&settings("imap", "pop3")),
            Err(PolicyRefusal::MailboxType { kind: MailboxKind::Pop3 })
        );
        assert_eq!((p.check_interval.clamp(1), p.check_interval.clamp(600), p.check_interval.clamp(15)), (5, 60, 15));
        let summary = p.summary();
        assert_eq!((summary.may_add, summary.may_remove), (false, false));
        assert_eq!(summary.why_not_add, Some(adding_not_allowed()));
        assert_eq!(summary.allowed_types, [MailboxKind::Microsoft365, MailboxKind::Imap]);
        // No policy: everything allowed, TLS 1.2 and up.
        let open = ConnectionPolicy::default().summary();
        assert!(open.may_add && open.may_remove && open.why_not_add.is_none());
        assert_eq!((open.allowed_types.len(), open.min_tls_version), (5, TlsVersion::Tls12));
        // The refusal's words are the help-center article's.
        let d = Diagnosis::of_policy(&PolicyRefusal::Adding);
        assert_eq!(d.code, crate::DiagnosisCode::PolicyForbids);
        assert_eq!(d.what_happened, "Your administrator has not allowed adding mailboxes. Ask them for help.");
        assert_eq!(d.who_acts, crate::diagnose::WhoActs::Administrator);
    }
}
