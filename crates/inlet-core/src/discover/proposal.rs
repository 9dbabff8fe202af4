//! What discovery hands the wizard and the CLI: ranked candidate servers, each saying where it
//! was found, whether it was verified and whether the user must confirm it; the provider's own
//! instructions; the sources' reports and the full trace.

use crate::tr;
use serde::{Deserialize, Serialize};

use super::formats::autoconfig::AuthKind;
use super::trace::TraceStep;
use super::verify::Verification;
use crate::account::{Endpoint, MailboxKind, Protocol};
use crate::diagnose::Diagnosis;

/// Where a candidate came from. The order is the ranking: when sources disagree, the earlier
/// one wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SourceId {
    /// Inlet's own table of well-known providers, by the address's domain.
    Provider,
    /// The domain's own autoconfig document over HTTPS.
    Autoconfig,
    /// Thunderbird's ISPDB.
    Ispdb,
    /// The domain's POX Autodiscover (Exchange and hosters).
    AutodiscoverPox,
    /// A redirect the user confirmed.
    Redirect,
    /// DNS SRV records (RFC 6186, RFC 8314).
    Srv,
    /// The MX records name the provider; its settings come from our table, Autodiscover v2
    /// (Microsoft) or the ISPDB and autoconfig of the provider's domain.
    Mx,
    /// The domain's autoconfig document over plain HTTP (allowed by the autoconfig
    /// specification; anyone on the path could have changed it).
    AutoconfigHttp,
    /// Usual host names and ports, probed.
    Guess,
    /// Checking the proposed servers without credentials.
    Verification,
}

impl SourceId {
    /// The name shown in the progress list and the report.
    pub fn label(self) -> String {
        match self {
            SourceId::Provider => tr!("eng-source-provider"),
            SourceId::Autoconfig => tr!("eng-source-autoconfig"),
            SourceId::Ispdb => tr!("eng-source-ispdb"),
            SourceId::AutodiscoverPox => tr!("eng-source-autodiscover"),
            SourceId::Redirect => tr!("eng-source-redirect"),
            SourceId::Srv => tr!("eng-source-srv"),
            SourceId::Mx => tr!("eng-source-mx"),
            SourceId::AutoconfigHttp => tr!("eng-source-autoconfig-http"),
            SourceId::Guess => tr!("eng-source-guess"),
            SourceId::Verification => tr!("eng-source-verification"),
        }
    }

    /// Whether naming a server vouches for it: Inlet's own table, documents fetched over
    /// verified HTTPS, a redirect the user confirmed. DNS answers, a document fetched over plain
    /// HTTP and guesses do not: someone on the path could have chosen what they say (a guess
    /// only shows that a server with the usual name answers).
    pub fn vouches(self) -> bool {
        match self {
            SourceId::Provider
            | SourceId::Autoconfig
            | SourceId::Ispdb
            | SourceId::AutodiscoverPox
            | SourceId::Redirect => true,
            SourceId::Srv | SourceId::Mx | SourceId::AutoconfigHttp | SourceId::Guess | SourceId::Verification => false,
        }
    }
}

/// One proposed server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub protocol: Protocol,
    pub endpoint: Endpoint,
    /// The login name the source gives; None: the full address, then the local part.
    pub username: Option<String>,
    /// Sign-in methods the source names (may be empty).
    pub auth: Vec<AuthKind>,
    pub source: SourceId,
    /// Plain words: "from example.com's own configuration", "from DNS", "guessed and verified".
    pub found_by: String,
    /// Why the user must confirm this server before it is used (a host outside the address's
    /// domain that no trusted source vouches for, a document fetched without encryption...).
    pub needs_confirmation: Option<String>,
    /// The check without credentials, when one was made.
    pub verification: Option<Verification>,
    /// How the user will sign in here (see [`Candidate::decide_sign_in`]); set once discovery
    /// has checked the servers.
    pub sign_in: SignIn,
}

/// How the user signs in to a server, as far as discovery can tell without credentials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SignIn {
    /// With a password (or an app password): the server offers PLAIN, LOGIN or USER/PASS, or,
    /// unchecked, the source says so.
    Password,
    /// Only through the provider's sign-in page (OAuth2): the server offers XOAUTH2 or
    /// OAUTHBEARER and no password mechanism, or the source names OAuth2 alone.
    BrowserOnly,
    /// Not known before signing in: not checked and the source says nothing, or the server
    /// lists its methods only later (submission servers may, RFC 4954).
    #[default]
    Unknown,
}

impl SignIn {
    /// Plain words, for the CLI and the report.
    pub fn label(self) -> String {
        match self {
            SignIn::Password => tr!("eng-sign-in-password"),
            SignIn::BrowserOnly => tr!("eng-sign-in-browser-only"),
            SignIn::Unknown => tr!("eng-sign-in-unknown"),
        }
    }
}

impl Candidate {
    pub fn verified(&self) -> bool {
        self.verification.as_ref().is_some_and(|v| v.verified)
    }

    /// The sign-in the server really offers, when it was checked and named its methods;
    /// otherwise what the source says (autoconfig `<authentication>`, the provider table).
    pub(crate) fn decide_sign_in(&self) -> SignIn {
        if let Some(v) = self.verification.as_ref().filter(|v| v.verified && (v.password || v.oauth2)) {
            return if v.password { SignIn::Password } else { SignIn::BrowserOnly };
        }
        let password = self.auth.iter().any(|a| matches!(a, AuthKind::PasswordCleartext | AuthKind::PasswordEncrypted));
        if password {
            SignIn::Password
        } else if self.auth.contains(&AuthKind::OAuth2) {
            SignIn::BrowserOnly
        } else {
            SignIn::Unknown
        }
    }

    /// Same server, same protocol and security: two sources naming it are one candidate.
    pub(crate) fn same_server(&self, other: &Candidate) -> bool {
        self.protocol == other.protocol
            && self.endpoint.port == other.endpoint.port
            && self.endpoint.security == other.endpoint.security
            && self.endpoint.host.eq_ignore_ascii_case(&other.endpoint.host)
    }
}

/// Something the provider says the user must know or do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Hint {
    pub kind: HintKind,
    pub text: String,
    pub url: Option<String>,
    pub source: SourceId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Must be done before mail apps work ("enable IMAP in settings", autoconfig `<enable>`).
    Enable,
    /// Advice (`<instruction>`, the provider table's hint: "use an app password").
    Instruction,
    /// A help page (`<documentation>`).
    Documentation,
}

/// A source pointed somewhere else; followed only when the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct RedirectOffer {
    pub source: SourceId,
    /// The URL (or address, for an Autodiscover `redirectAddr`) pointed to.
    pub to: String,
    /// Plain words for the confirmation question.
    pub explanation: String,
}

/// How a source ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SourceStatus {
    Found,
    NotFound,
    TimedOut,
    Failed,
    /// A better-ranked source answered first; this one was stopped.
    Cancelled,
    /// Not asked (e.g. Autodiscover v2 when the domain's mail is not at Microsoft).
    Skipped,
}

/// One source's line in the report: what it asked, how long it took, what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SourceReport {
    pub source: SourceId,
    pub label: String,
    pub status: SourceStatus,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    pub summary: String,
}

/// The provider behind the address, when discovery recognised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DetectedProvider {
    pub id: String,
    pub name: String,
    /// "the address's domain", "example.com's MX records point to Google"...
    pub detected_by: String,
}

/// Discovery's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub email: String,
    pub domain: String,
    /// The mailbox type, detected (a custom domain at Google Workspace is `gmail`).
    pub kind: MailboxKind,
    pub provider: Option<DetectedProvider>,
    /// Best first: the first is the proposal.
    pub incoming: Vec<Candidate>,
    pub outgoing: Vec<Candidate>,
    pub hints: Vec<Hint>,
    pub redirects: Vec<RedirectOffer>,
    pub sources: Vec<SourceReport>,
    pub trace: Vec<TraceStep>,
    /// Set when no incoming server was found: what happened and what to do. The candidates are
    /// then the best guesses, unverified, to prefill the manual form.
    pub diagnosis: Option<Diagnosis>,
    /// The domain's Autodiscover would tell the settings for the account's password: ask the
    /// user, and only if they agree, discover again with `autodiscover_password`.
    pub autodiscover_wants_password: bool,
    /// Sign in with the provider in the browser: the address is Google's or Microsoft's (by
    /// the provider table or the domain's MX), or autoconfig/ISPDB names an OAuth2 issuer.
    /// None: no issuer is known (a server that offers only XOAUTH2/OAUTHBEARER then says so
    /// in its candidate's `signIn`).
    #[serde(default)]
    pub sign_in_offer: Option<crate::oauth::IssuerChoice>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// A progress line of discovery, for the wizard's live list and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryEvent {
    pub source: SourceId,
    pub label: String,
    /// None while running.
    pub status: Option<SourceStatus>,
    /// What is being asked ("autoconfig.example.com", "imap.example.com:993") or what came of it
    /// ("IMAP server answered over TLS").
    pub detail: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
    /// The verification's start: every server it is about to check (`host:port`, as
    /// [`Endpoint::display`] writes it), in order. Empty for every other event.
    pub checking: Vec<String>,
    /// One check of the verification: the server checked (`host:port`). `status` says whether
    /// it answered (found) or not (failed), `detail` what came of it. None for every other event.
    pub target: Option<String>,
}

impl DiscoveryEvent {
    /// A source started (`status` None, `detail` what it asks) or ended.
    pub fn source(source: SourceId, status: Option<SourceStatus>, detail: Option<String>) -> Self {
        DiscoveryEvent {
            source,
            label: source.label(),
            status,
            detail,
            elapsed_ms: 0,
            checking: Vec::new(),
            target: None,
        }
    }

    /// The verification starts, to check `targets`.
    pub fn checking(targets: &[Endpoint]) -> Self {
        let checking: Vec<String> = targets.iter().map(Endpoint::display).collect();
        DiscoveryEvent {
            checking: checking.clone(),
            ..Self::source(SourceId::Verification, None, Some(checking.join(", ")))
        }
    }

    /// The verification checked `target`.
    pub fn checked(target: &Endpoint, verified: bool, detail: &str) -> Self {
        let status = if verified { SourceStatus::Found } else { SourceStatus::Failed };
        DiscoveryEvent {
            target: Some(target.display()),
            ..Self::source(SourceId::Verification, Some(status), Some(detail.to_owned()))
        }
    }
}

/// Where discovery's progress goes.
pub trait DiscoverySink: Send + Sync {
    fn emit(&self, event: DiscoveryEvent);
}

impl<F: Fn(DiscoveryEvent) + Send + Sync> DiscoverySink for F {
    fn emit(&self, event: DiscoveryEvent) {
        self(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Security;
    use crate::discover::rank::{rank, within_domain};

    fn candidate(host: &str, source: SourceId, verified: Option<bool>) -> Candidate {
        Candidate {
            protocol: Protocol::Imap,
            endpoint: Endpoint { host: host.into(), port: 993, security: Security::Tls },
            username: None,
            auth: vec![],
            source,
            found_by: String::new(),
            needs_confirmation: (source == SourceId::Srv).then(|| "outside".into()),
            verification: verified.map(|ok| Verification {
                verified: ok,
                elapsed_ms: 1,
                detail: String::new(),
                auth_mechanisms: vec![],
                password: ok,
                oauth2: false,
                certificate_problem: false,
            }),
            sign_in: SignIn::Unknown,
        }
    }

    #[test]
    fn sign_in_follows_the_server_when_it_said_and_the_source_otherwise() {
        let mut c = candidate("imap.example.com", SourceId::Autoconfig, None);
        assert_eq!(c.decide_sign_in(), SignIn::Unknown, "nothing known");
        c.auth = vec![AuthKind::OAuth2];
        assert_eq!(c.decide_sign_in(), SignIn::BrowserOnly, "the source names OAuth2 alone");
        c.auth = vec![AuthKind::OAuth2, AuthKind::PasswordCleartext];
        assert_eq!(c.decide_sign_in(), SignIn::Password);

        // Checked: what the server offered wins over the source.
        let mut v = Verification {
            verified: true,
            elapsed_ms: 1,
            detail: String::new(),
            auth_mechanisms: vec!["XOAUTH2".into()],
            password: false,
            oauth2: true,
            certificate_problem: false,
        };
        c.verification = Some(v.clone());
        assert_eq!(c.decide_sign_in(), SignIn::BrowserOnly);
        // A server that named no method (submission before STARTTLS): back to the source.
        v.oauth2 = false;
        c.verification = Some(v.clone());
        assert_eq!(c.decide_sign_in(), SignIn::Password);
        // A check that failed says nothing about sign-in.
        c.auth = vec![];
        c.verification = Some(Verification { verified: false, password: true, ..v });
        assert_eq!(c.decide_sign_in(), SignIn::Unknown);
    }

    #[test]
    fn better_sources_win_and_verification_outranks_them() {
        let ranked = rank(vec![
            candidate("srv.example.net", SourceId::Srv, None),
            candidate("imap.example.com", SourceId::Ispdb, None),
            candidate("mail.example.com", SourceId::Guess, Some(true)),
            candidate("imap.example.org", SourceId::Autoconfig, Some(false)),
        ]);
        let hosts: Vec<&str> = ranked.iter().map(|c| c.endpoint.host.as_str()).collect();
        assert_eq!(hosts, ["mail.example.com", "imap.example.com", "srv.example.net", "imap.example.org"]);
    }

    #[test]
    fn duplicates_merge_and_a_trusted_source_lifts_the_confirmation() {
        let ranked = rank(vec![
            candidate("IMAP.example.com", SourceId::Srv, None),
            candidate("imap.example.com", SourceId::Ispdb, Some(true)),
        ]);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].source, SourceId::Ispdb);
        assert!(ranked[0].needs_confirmation.is_none());
    }

    #[test]
    fn a_guess_does_not_lift_the_confirmation() {
        // Guessing found and checked the server a plain-HTTP document or an MX answer named:
        // the check counts, the reason to confirm stays.
        for (named_by, why) in [(SourceId::AutoconfigHttp, "unencrypted"), (SourceId::Mx, "the MX names a hoster")] {
            let mut named = candidate("imap.example.com", named_by, None);
            named.needs_confirmation = Some(why.into());
            let guessed = candidate("imap.example.com", SourceId::Guess, Some(true));
            let ranked = rank(vec![named, guessed]);
            assert_eq!(ranked.len(), 1);
            assert_eq!((ranked[0].source, ranked[0].needs_confirmation.as_deref()), (named_by, Some(why)));
            assert!(ranked[0].verified(), "the check still counts");
        }
    }

    #[test]
    fn domain_membership() {
        assert!(within_domain("imap.example.com", "example.com"));
        assert!(within_domain("example.com.", "EXAMPLE.com"));
        assert!(!within_domain("badexample.com", "example.com"));
        assert!(!within_domain("imap.example.net", "example.com"));
    }
}
