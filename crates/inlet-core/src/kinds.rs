//! What the wizard prefills for each mailbox kind, and the usual ports: data only (the UI keeps
//! the labels and words). Derived from the provider table ([`crate::providers`]) and
//! [`default_port`], so the form and discovery never disagree about a provider's servers.
//!
//! The UI reads it from a generated file (`ui/src/lib/bindings/mailbox-defaults.ts`), written by
//! `cargo test -p inlet-core --features ts --lib`; without the feature, the same test fails when
//! the committed file is out of date.

use serde::{Deserialize, Serialize};

use crate::account::{default_port, Endpoint, MailboxKind, Protocol, Security};
use crate::providers::{self, Provider, ServerEntry};

/// The prefilled servers of one mailbox kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct KindDefaults {
    pub kind: MailboxKind,
    /// The provider's preferred IMAP server; None for the kinds without a provider.
    pub incoming: Option<Endpoint>,
    /// The provider's preferred SMTP server; None for the kinds without a provider.
    pub outgoing: Option<Endpoint>,
    /// Whether "Also check the outgoing server" starts ticked.
    pub check_outgoing: bool,
}

/// The port `protocol` usually uses with `security` (see [`default_port`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct UsualPort {
    pub protocol: Protocol,
    pub security: Security,
    pub port: u16,
}

/// Everything the wizard prefills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct MailboxDefaults {
    /// In the order the first step shows them.
    pub kinds: Vec<KindDefaults>,
    /// Every protocol with every security choice.
    pub ports: Vec<UsualPort>,
}

/// The provider whose servers a kind prefills. Exchange Online is Microsoft 365's service, and
/// an on-premises Exchange server has no well-known name: both start from Microsoft 365's.
fn provider_of(kind: MailboxKind) -> Option<&'static Provider> {
    let id = match kind {
        MailboxKind::Gmail => "gmail",
        MailboxKind::Microsoft365 | MailboxKind::Exchange => "microsoft365",
        MailboxKind::Imap | MailboxKind::Pop3 => return None,
    };
    providers::all().iter().find(|p| p.id == id)
}

fn endpoint(entries: &[ServerEntry], protocol: Protocol) -> Option<Endpoint> {
    entries.iter().find(|s| s.protocol == protocol).map(|s| Endpoint {
        host: s.host.to_owned(),
        port: s.port,
        security: s.security,
    })
}

/// The defaults of one kind.
pub fn kind_defaults(kind: MailboxKind) -> KindDefaults {
    let provider = provider_of(kind);
    KindDefaults {
        kind,
        incoming: provider.and_then(|p| endpoint(p.incoming, Protocol::Imap)),
        outgoing: provider.and_then(|p| endpoint(p.outgoing, Protocol::Smtp)),
        // The providers' own sign-in (OAuth2) arrives later, and they often refuse SMTP sign-in
        // with a password (Microsoft turns it off by default): checking the outgoing server
        // would mostly fail there, so it is the user's choice.
        check_outgoing: provider.is_none(),
    }
}

/// The kinds in the order of the first step, and every usual port.
pub fn mailbox_defaults() -> MailboxDefaults {
    let kinds =
        [MailboxKind::Imap, MailboxKind::Gmail, MailboxKind::Microsoft365, MailboxKind::Exchange, MailboxKind::Pop3];
    let mut ports = Vec::new();
    for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Smtp] {
        for security in [Security::Tls, Security::Starttls, Security::None] {
            ports.push(UsualPort { protocol, security, port: default_port(protocol, security) });
        }
    }
    MailboxDefaults { kinds: kinds.into_iter().map(kind_defaults).collect(), ports }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kinds_prefill_what_the_provider_table_says() {
        let defaults = mailbox_defaults();
        let gmail = by_domain_first("gmail.com");
        let kind = |k: MailboxKind| defaults.kinds.iter().find(|d| d.kind == k).cloned().unwrap();
        // Google documents both 465 (TLS) and 587 (STARTTLS); the table prefers 465, so does the form.
        assert_eq!(kind(MailboxKind::Gmail).incoming, Some(gmail.0));
        assert_eq!(kind(MailboxKind::Gmail).outgoing, Some(gmail.1));
        assert_eq!(
            kind(MailboxKind::Gmail).outgoing,
            Some(Endpoint { host: "smtp.gmail.com".into(), port: 465, security: Security::Tls })
        );
        let m365 = providers::all().iter().find(|p| p.kind == MailboxKind::Microsoft365 && p.id == "microsoft365");
        let m365 = m365.expect("Microsoft 365 in the table");
        for k in [MailboxKind::Microsoft365, MailboxKind::Exchange] {
            assert_eq!(kind(k).incoming.as_ref().map(|e| e.host.as_str()), Some(m365.incoming[0].host));
            assert_eq!(
                kind(k).outgoing.as_ref().map(|e| (e.host.as_str(), e.port)),
                Some((m365.outgoing[0].host, 587))
            );
            assert!(!kind(k).check_outgoing);
        }
        for k in [MailboxKind::Imap, MailboxKind::Pop3] {
            assert_eq!((kind(k).incoming, kind(k).outgoing, kind(k).check_outgoing), (None, None, true));
        }
        assert!(!kind(MailboxKind::Gmail).check_outgoing);
        let order: Vec<MailboxKind> = defaults.kinds.iter().map(|d| d.kind).collect();
        assert_eq!(
            order,
            [
                MailboxKind::Imap,
                MailboxKind::Gmail,
                MailboxKind::Microsoft365,
                MailboxKind::Exchange,
                MailboxKind::Pop3
            ]
        );
    }

    /// What discovery proposes for an address at `domain` from the table alone: the first IMAP
    /// and SMTP servers.
    fn by_domain_first(domain: &str) -> (Endpoint, Endpoint) {
        let p = providers::by_domain(domain).expect("a known provider");
        (endpoint(p.incoming, Protocol::Imap).unwrap(), endpoint(p.outgoing, Protocol::Smtp).unwrap())
    }

    #[test]
    fn every_usual_port_is_listed_once() {
        let ports = mailbox_defaults().ports;
        assert_eq!(ports.len(), 9);
        let smtp_tls = ports.iter().find(|p| p.protocol == Protocol::Smtp && p.security == Security::Tls);
        assert_eq!(smtp_tls.map(|p| p.port), Some(465));
        for p in &ports {
            assert_eq!(p.port, default_port(p.protocol, p.security));
        }
    }

    /// The UI's copy, as TypeScript: the type comes from the generated bindings, the value from
    /// here.
    fn ui_file() -> String {
        let json = serde_json::to_string_pretty(&mailbox_defaults()).expect("serializable");
        format!(
            "// Generated from the engine (crates/inlet-core/src/kinds.rs) by `cargo test -p inlet-core --features ts --lib`. Do not edit.\n\
             import type {{ MailboxDefaults }} from './MailboxDefaults';\n\n\
             export const MAILBOX_DEFAULTS: MailboxDefaults = {json};\n"
        )
    }

    #[test]
    fn the_ui_copy_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings/mailbox-defaults.ts");
        let expected = ui_file();
        if cfg!(feature = "ts") {
            std::fs::write(&path, &expected).expect("write the UI's copy");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == expected,
            "ui/src/lib/bindings/mailbox-defaults.ts is out of date: run cargo test -p inlet-core --features ts --lib"
        );
    }
}
