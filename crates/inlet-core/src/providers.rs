//! The built-in provider table (discovery's first source, and the sign-in advice of diagnoses). Well-known public settings of the big mail
//! providers, the ways they let a mail app sign in, and plain-words hints — written as our own
//! data. Looked up by the address's domain ([`by_domain`]) or, for custom domains hosted at a
//! provider, by the domain's MX hosts ([`by_mx`]).

use serde::Serialize;

use crate::account::{default_port, MailboxKind, Protocol, Security};

/// What the server expects as the login name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameForm {
    /// The full address, e.g. `emily@example.com`.
    Email,
    /// The part before the `@`, e.g. `emily`.
    LocalPart,
}

impl UsernameForm {
    /// The login name for `email` in this form.
    pub fn apply(self, email: &str) -> String {
        let email = email.trim();
        match self {
            UsernameForm::Email => email.to_owned(),
            UsernameForm::LocalPart => crate::address::split(email).map_or(email, |(local, _)| local).to_owned(),
        }
    }
}

/// One server of a provider, in the provider's order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerEntry {
    pub protocol: Protocol,
    pub host: &'static str,
    pub port: u16,
    pub security: Security,
    pub username: UsernameForm,
}

/// A way a provider lets a mail app sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderAuth {
    /// The account's regular password.
    Password,
    /// A separate password generated in the provider's account settings for mail apps.
    AppPassword,
    /// Signing in with the provider in a browser (OAuth 2.0, SASL XOAUTH2/OAUTHBEARER).
    OAuth2,
}

/// A mail provider we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// Stable identifier, e.g. "gmail".
    pub id: &'static str,
    /// Display name, e.g. "Gmail".
    pub name: &'static str,
    pub kind: MailboxKind,
    /// Address domains served by this provider, lowercase. Empty for hosting-only entries
    /// (custom domains), which are found through [`Provider::mx_suffixes`].
    pub domains: &'static [&'static str],
    /// MX host suffixes, lowercase, without a leading dot. A host matches when it equals the
    /// suffix or ends with "." + suffix.
    pub mx_suffixes: &'static [&'static str],
    /// IMAP and POP3 servers, preferred first.
    pub incoming: &'static [ServerEntry],
    /// SMTP servers, preferred first.
    pub outgoing: &'static [ServerEntry],
    /// Accepted ways to sign in, preferred first.
    pub auth: &'static [ProviderAuth],
    /// The provider's own help page about mail-app settings.
    pub help_url: Option<&'static str>,
}

/// A server on its protocol's usual port for `security`, signed in to with the full address.
const fn entry(protocol: Protocol, host: &'static str, security: Security) -> ServerEntry {
    ServerEntry { protocol, host, port: default_port(protocol, security), security, username: UsernameForm::Email }
}

/// IMAP with implicit TLS (RFC 8314), port 993.
const fn imap(host: &'static str) -> ServerEntry {
    entry(Protocol::Imap, host, Security::Tls)
}

/// POP3 with implicit TLS (RFC 8314), port 995.
const fn pop3(host: &'static str) -> ServerEntry {
    entry(Protocol::Pop3, host, Security::Tls)
}

/// SMTP submission with implicit TLS (RFC 8314), port 465.
const fn smtps(host: &'static str) -> ServerEntry {
    entry(Protocol::Smtp, host, Security::Tls)
}

/// SMTP submission with STARTTLS (RFC 6409), port 587.
const fn submission(host: &'static str) -> ServerEntry {
    entry(Protocol::Smtp, host, Security::Starttls)
}

const fn local_part(entry: ServerEntry) -> ServerEntry {
    ServerEntry { username: UsernameForm::LocalPart, ..entry }
}

use ProviderAuth::{AppPassword, OAuth2, Password};

impl Provider {
    /// Plain-words advice shown next to the settings.
    pub fn hint(&self) -> Option<String> {
        Some(match self.id {
            "gmail" => crate::tr!("eng-provider-hint-gmail"),
            "google-workspace" => crate::tr!("eng-provider-hint-google-workspace"),
            "outlook" => crate::tr!("eng-provider-hint-outlook"),
            "microsoft365" => crate::tr!("eng-provider-hint-microsoft365"),
            "yahoo" => crate::tr!("eng-provider-hint-yahoo"),
            "aol" => crate::tr!("eng-provider-hint-aol"),
            "icloud" => crate::tr!("eng-provider-hint-icloud"),
            "fastmail" => crate::tr!("eng-provider-hint-fastmail"),
            "gmx" | "gmx-com" => crate::tr!("eng-provider-hint-gmx"),
            "webde" => crate::tr!("eng-provider-hint-webde"),
            "zoho" => crate::tr!("eng-provider-hint-zoho"),
            "zoho-eu" => crate::tr!("eng-provider-hint-zoho-eu"),
            "yandex" => crate::tr!("eng-provider-hint-yandex"),
            "mailru" => crate::tr!("eng-provider-hint-mailru"),
            _ => return None,
        })
    }
}

static PROVIDERS: &[Provider] = &[
    Provider {
        id: "gmail",
        name: "Gmail",
        kind: MailboxKind::Gmail,
        domains: &["gmail.com", "googlemail.com"],
        // gmail.com's MX hosts are on google.com too; custom domains there are Google Workspace.
        mx_suffixes: &[],
        incoming: &[imap("imap.gmail.com"), pop3("pop.gmail.com")],
        outgoing: &[smtps("smtp.gmail.com"), submission("smtp.gmail.com")],
        auth: &[OAuth2, AppPassword],
        help_url: Some("https://support.google.com/mail/answer/7126229"),
    },
    Provider {
        id: "google-workspace",
        name: "Google Workspace",
        kind: MailboxKind::Gmail,
        domains: &[],
        // aspmx.l.google.com, alt1.aspmx.l.google.com, smtp.google.com, aspmx2.googlemail.com
        mx_suffixes: &["google.com", "googlemail.com"],
        incoming: &[imap("imap.gmail.com"), pop3("pop.gmail.com")],
        outgoing: &[smtps("smtp.gmail.com"), submission("smtp.gmail.com")],
        auth: &[OAuth2, AppPassword],
        help_url: Some("https://support.google.com/mail/answer/7126229"),
    },
    Provider {
        id: "outlook",
        name: "Outlook.com",
        kind: MailboxKind::Microsoft365,
        domains: &[
            "outlook.com",
            "outlook.de",
            "outlook.fr",
            "outlook.es",
            "outlook.it",
            "hotmail.com",
            "hotmail.co.uk",
            "hotmail.de",
            "hotmail.fr",
            "hotmail.it",
            "hotmail.es",
            "live.com",
            "live.co.uk",
            "live.fr",
            "msn.com",
        ],
        // outlook-com.olc.protection.outlook.com, hotmail-com.olc.protection.outlook.com
        mx_suffixes: &["olc.protection.outlook.com"],
        incoming: &[imap("outlook.office365.com"), pop3("outlook.office365.com")],
        outgoing: &[submission("smtp-mail.outlook.com")],
        auth: &[OAuth2],
        help_url: None,
    },
    Provider {
        id: "microsoft365",
        name: "Microsoft 365",
        kind: MailboxKind::Microsoft365,
        domains: &[],
        // tenant-com.mail.protection.outlook.com
        mx_suffixes: &["mail.protection.outlook.com"],
        incoming: &[imap("outlook.office365.com"), pop3("outlook.office365.com")],
        outgoing: &[submission("smtp.office365.com")],
        auth: &[OAuth2],
        help_url: None,
    },
    Provider {
        id: "yahoo",
        name: "Yahoo Mail",
        kind: MailboxKind::Imap,
        domains: &["yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de"],
        // mta5.am0.yahoodns.net (AOL's MX hosts are there too; aol.com is matched by domain)
        mx_suffixes: &["yahoodns.net"],
        incoming: &[imap("imap.mail.yahoo.com"), pop3("pop.mail.yahoo.com")],
        outgoing: &[smtps("smtp.mail.yahoo.com"), submission("smtp.mail.yahoo.com")],
        auth: &[OAuth2, AppPassword],
        help_url: None,
    },
    Provider {
        id: "aol",
        name: "AOL Mail",
        kind: MailboxKind::Imap,
        domains: &["aol.com", "aim.com"],
        mx_suffixes: &[],
        incoming: &[imap("imap.aol.com"), pop3("pop.aol.com")],
        outgoing: &[smtps("smtp.aol.com")],
        auth: &[OAuth2, AppPassword],
        help_url: None,
    },
    Provider {
        id: "icloud",
        name: "iCloud Mail",
        kind: MailboxKind::Imap,
        domains: &["icloud.com", "me.com", "mac.com"],
        // mx01.mail.icloud.com
        mx_suffixes: &["mail.icloud.com"],
        // Apple: the IMAP user name is the part before the @; SMTP takes the full address.
        incoming: &[local_part(imap("imap.mail.me.com"))],
        outgoing: &[submission("smtp.mail.me.com")],
        auth: &[AppPassword],
        help_url: Some("https://support.apple.com/en-us/102525"),
    },
    Provider {
        id: "fastmail",
        name: "Fastmail",
        kind: MailboxKind::Imap,
        domains: &["fastmail.com", "fastmail.fm"],
        // in1-smtp.messagingengine.com
        mx_suffixes: &["messagingengine.com"],
        incoming: &[imap("imap.fastmail.com"), pop3("pop.fastmail.com")],
        outgoing: &[smtps("smtp.fastmail.com"), submission("smtp.fastmail.com")],
        auth: &[AppPassword],
        help_url: Some("https://www.fastmail.help/hc/en-us/articles/1500000278342"),
    },
    Provider {
        id: "gmx",
        name: "GMX",
        kind: MailboxKind::Imap,
        domains: &["gmx.de", "gmx.net", "gmx.at", "gmx.ch"],
        // mx00.gmx.net, mx01.emig.gmx.net
        mx_suffixes: &["gmx.net"],
        incoming: &[imap("imap.gmx.net"), pop3("pop.gmx.net")],
        outgoing: &[submission("mail.gmx.net")],
        auth: &[Password, AppPassword],
        help_url: None,
    },
    Provider {
        id: "gmx-com",
        name: "GMX.com",
        kind: MailboxKind::Imap,
        domains: &["gmx.com"],
        mx_suffixes: &["gmx.com"],
        incoming: &[imap("imap.gmx.com"), pop3("pop.gmx.com")],
        outgoing: &[submission("mail.gmx.com")],
        auth: &[Password, AppPassword],
        help_url: None,
    },
    Provider {
        id: "webde",
        name: "WEB.DE",
        kind: MailboxKind::Imap,
        domains: &["web.de"],
        // mx-ha02.web.de
        mx_suffixes: &["web.de"],
        incoming: &[imap("imap.web.de"), pop3("pop3.web.de")],
        outgoing: &[submission("smtp.web.de")],
        auth: &[Password, AppPassword],
        help_url: None,
    },
    Provider {
        id: "zoho",
        name: "Zoho Mail",
        kind: MailboxKind::Imap,
        domains: &["zoho.com", "zohomail.com"],
        // mx.zoho.com
        mx_suffixes: &["zoho.com", "zohomail.com"],
        incoming: &[imap("imap.zoho.com"), imap("imappro.zoho.com"), pop3("pop.zoho.com")],
        outgoing: &[smtps("smtp.zoho.com"), submission("smtp.zoho.com"), smtps("smtppro.zoho.com")],
        auth: &[Password, AppPassword],
        help_url: None,
    },
    Provider {
        id: "zoho-eu",
        name: "Zoho Mail (EU)",
        kind: MailboxKind::Imap,
        domains: &[],
        // mx.zoho.eu
        mx_suffixes: &["zoho.eu"],
        incoming: &[imap("imap.zoho.eu"), imap("imappro.zoho.eu"), pop3("pop.zoho.eu")],
        outgoing: &[smtps("smtp.zoho.eu"), submission("smtp.zoho.eu"), smtps("smtppro.zoho.eu")],
        auth: &[Password, AppPassword],
        help_url: None,
    },
    Provider {
        id: "yandex",
        name: "Yandex Mail",
        kind: MailboxKind::Imap,
        domains: &["yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz", "yandex.ua"],
        // mx.yandex.net (Yandex 360), mx.yandex.ru
        mx_suffixes: &["yandex.net", "yandex.ru"],
        incoming: &[imap("imap.yandex.com"), pop3("pop.yandex.com")],
        outgoing: &[smtps("smtp.yandex.com")],
        auth: &[OAuth2, AppPassword],
        help_url: None,
    },
    Provider {
        id: "mailru",
        name: "Mail.ru",
        kind: MailboxKind::Imap,
        domains: &["mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru"],
        // mxs.mail.ru, emx.mail.ru
        mx_suffixes: &["mail.ru"],
        incoming: &[imap("imap.mail.ru"), pop3("pop.mail.ru")],
        outgoing: &[smtps("smtp.mail.ru")],
        auth: &[OAuth2, AppPassword],
        help_url: None,
    },
];

/// The whole table.
pub fn all() -> &'static [Provider] {
    PROVIDERS
}

fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The provider serving addresses at exactly `domain` (any case, trailing dot allowed; an
/// address `user@domain` is accepted too). Subdomains don't match.
pub fn by_domain(domain: &str) -> Option<&'static Provider> {
    let domain = normalize(crate::address::split(domain).map_or(domain, |(_, d)| d));
    if domain.is_empty() {
        return None;
    }
    PROVIDERS.iter().find(|p| p.domains.iter().any(|d| *d == domain))
}

fn host_matches(host: &str, suffix: &str) -> bool {
    host == suffix || host.strip_suffix(suffix).is_some_and(|rest| rest.ends_with('.'))
}

/// The provider hosting a domain's mail, from its MX hosts `(preference, host)` (any order, any
/// case, trailing dots allowed). Hosts are looked at from the lowest preference up; the first
/// one under a provider's MX suffix names it.
pub(crate) fn by_mx(hosts: &[(u16, String)]) -> Option<&'static Provider> {
    let mut hosts: Vec<(u16, String)> =
        hosts.iter().map(|(p, h)| (*p, normalize(h))).filter(|(_, h)| !h.is_empty()).collect();
    hosts.sort();
    hosts.iter().find_map(|(_, host)| PROVIDERS.iter().find(|p| p.mx_suffixes.iter().any(|s| host_matches(host, s))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Inlet's browser sign-in is Google's and Microsoft's (other issuers only when an
    /// administrator configures them): no hint offers another provider's sign-in.
    #[test]
    fn hints_offer_only_the_sign_ins_inlet_has() {
        for p in all() {
            let hint = p.hint().unwrap_or_default().to_lowercase();
            let offers = hint.contains("sign in with");
            let ours = matches!(p.kind, MailboxKind::Gmail | MailboxKind::Microsoft365);
            assert!(!offers || ours, "{}: {hint}", p.id);
        }
    }

    fn mx(hosts: &[(u16, &str)]) -> Option<&'static str> {
        let hosts: Vec<(u16, String)> = hosts.iter().map(|(p, h)| (*p, h.to_string())).collect();
        by_mx(&hosts).map(|p| p.id)
    }

    #[test]
    fn every_provider_is_complete_and_sane() {
        let mut ids = HashSet::new();
        for p in all() {
            assert!(ids.insert(p.id), "duplicate id {}", p.id);
            assert!(!p.name.is_empty());
            assert!(!p.auth.is_empty(), "{} has no auth", p.id);
            assert!(!p.domains.is_empty() || !p.mx_suffixes.is_empty(), "{} is unreachable", p.id);
            assert!(p.incoming.iter().any(|s| s.protocol == Protocol::Imap), "{} has no IMAP", p.id);
            assert!(p.incoming.iter().all(|s| s.protocol != Protocol::Smtp), "{} SMTP as incoming", p.id);
            assert!(p.outgoing.iter().any(|s| s.protocol == Protocol::Smtp), "{} has no SMTP", p.id);
            assert!(p.outgoing.iter().all(|s| s.protocol == Protocol::Smtp), "{} non-SMTP outgoing", p.id);
            for s in p.incoming.iter().chain(p.outgoing) {
                assert_ne!(s.security, Security::None, "{} {} unencrypted", p.id, s.host);
                let ok = s.port == default_port(s.protocol, s.security);
                assert!(ok, "{} {}:{} unexpected port", p.id, s.host, s.port);
                assert_eq!(s.host, s.host.to_ascii_lowercase());
                assert!(s.host.contains('.') && !s.host.ends_with('.'));
            }
            for d in p.domains.iter().chain(p.mx_suffixes) {
                assert_eq!(*d, d.to_ascii_lowercase());
                assert!(d.contains('.') && !d.starts_with('.') && !d.ends_with('.'), "{d}");
            }
            if let Some(url) = p.help_url {
                assert!(url.starts_with("https://"));
            }
        }
    }

    #[test]
    fn no_domain_or_mx_suffix_belongs_to_two_providers() {
        let mut domains = HashSet::new();
        let mut suffixes = HashSet::new();
        for p in all() {
            for d in p.domains {
                assert!(domains.insert(*d), "domain {d} listed twice");
            }
            for s in p.mx_suffixes {
                assert!(suffixes.insert(*s), "MX suffix {s} listed twice");
            }
        }
    }

    #[test]
    fn finds_providers_by_domain() {
        for (domain, id) in [
            ("gmail.com", "gmail"),
            ("googlemail.com", "gmail"),
            ("outlook.com", "outlook"),
            ("hotmail.com", "outlook"),
            ("icloud.com", "icloud"),
            ("me.com", "icloud"),
            ("yahoo.com", "yahoo"),
            ("aol.com", "aol"),
            ("fastmail.com", "fastmail"),
            ("gmx.de", "gmx"),
            ("gmx.com", "gmx-com"),
            ("web.de", "webde"),
            ("zoho.com", "zoho"),
            ("yandex.ru", "yandex"),
            ("mail.ru", "mailru"),
        ] {
            assert_eq!(by_domain(domain).map(|p| p.id), Some(id), "{domain}");
        }
        assert!(by_domain("example.com").is_none());
        assert!(by_domain("").is_none());
        // Exact domains only.
        assert!(by_domain("mail.gmail.com").is_none());
        assert!(by_domain("notgmail.com").is_none());
    }

    #[test]
    fn by_domain_ignores_case_and_trailing_dot() {
        assert_eq!(by_domain("GMail.COM").map(|p| p.id), Some("gmail"));
        assert_eq!(by_domain(" Hotmail.com. ").map(|p| p.id), Some("outlook"));
        assert_eq!(by_domain("Emily@iCloud.com").map(|p| p.id), Some("icloud"));
    }

    #[test]
    fn finds_providers_by_mx() {
        assert_eq!(mx(&[(1, "aspmx.l.google.com"), (5, "alt1.aspmx.l.google.com")]), Some("google-workspace"));
        assert_eq!(mx(&[(1, "smtp.google.com")]), Some("google-workspace"));
        assert_eq!(mx(&[(10, "aspmx2.googlemail.com")]), Some("google-workspace"));
        assert_eq!(mx(&[(0, "example-com.mail.protection.outlook.com")]), Some("microsoft365"));
        assert_eq!(mx(&[(2, "hotmail-com.olc.protection.outlook.com")]), Some("outlook"));
        assert_eq!(mx(&[(1, "mta5.am0.yahoodns.net")]), Some("yahoo"));
        assert_eq!(mx(&[(10, "mx01.mail.icloud.com")]), Some("icloud"));
        assert_eq!(mx(&[(10, "in1-smtp.messagingengine.com")]), Some("fastmail"));
        assert_eq!(mx(&[(10, "mx.zoho.eu")]), Some("zoho-eu"));
        assert_eq!(mx(&[(10, "mx.yandex.net")]), Some("yandex"));
        assert_eq!(mx(&[(10, "mx00.gmx.net")]), Some("gmx"));
        assert_eq!(mx(&[(10, "mx.example.net")]), None);
        assert_eq!(mx(&[]), None);
        // Suffixes match on a label boundary only.
        assert_eq!(mx(&[(10, "notgoogle.com")]), None);
        assert_eq!(mx(&[(10, "evilmail.protection.outlook.com.example")]), None);
    }

    #[test]
    fn by_mx_prefers_the_lowest_preference_and_ignores_case() {
        assert_eq!(mx(&[(10, "ASPMX.L.GOOGLE.COM.")]), Some("google-workspace"));
        assert_eq!(mx(&[(20, "aspmx.l.google.com"), (10, "tenant.mail.protection.outlook.com")]), Some("microsoft365"));
        // An unknown filter in front of a known provider still names the provider.
        assert_eq!(mx(&[(5, "filter.example.net"), (10, "aspmx.l.google.com")]), Some("google-workspace"));
    }
}
