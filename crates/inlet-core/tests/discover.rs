//! Discovery end to end in the engine: every source against real servers started here (dnsmasq
//! for DNS, an HTTPS server with the test CA for autoconfig, ISPDB and Autodiscover, Dovecot and
//! an SMTP server as the servers found), alone and all together, racing under deadlines.
//!
//! Mail servers listen on random ports, so `connect_to` sends `imap.example.test:993` and friends
//! there, as curl's `--connect-to` would; names still resolve through the test DNS server and TLS
//! still checks the name.

mod common;

use std::net::Ipv4Addr;
use std::sync::Mutex;
use std::time::Duration;

use common::pki;
use inlet_core::account::{MailboxKind, Protocol, Security};
use inlet_core::config::{ConnectTo, DiscoveryLimits, EngineConfig};
use inlet_core::discover::proposal::{HintKind, SignIn, SourceReport};
use inlet_core::discover::{DiscoverRequest, Discovery, DiscoveryEvent, SourceId, SourceStatus, Walk};
use inlet_core::{DiagnosisCode, Engine};
use inlet_testkit::{DnsRecords, Dnsmasq, Dovecot, DovecotOptions, HttpsServer, Route, SmtpOptions, SmtpServer};

/// Names the test HTTPS server answers for (its certificate covers them all).
const WEB_HOSTS: &[&str] = &[
    "autoconfig.autoconf.test",
    "autoconf.test",
    "autoconfig.example.test",
    "example.test",
    "autoconfig.conflict.test",
    "conflict.test",
    "autoconfig.redirect.test",
    "redirect.test",
    "autoconfig.elsewhere.test",
    "autoconfig.hoster.test",
    "hoster.test",
    "outlook.office365.com",
    "autodiscover.pox.test",
    "pox.test",
];

fn limits() -> DiscoveryLimits {
    DiscoveryLimits {
        dns: Duration::from_secs(2),
        http: Duration::from_secs(3),
        guess: Duration::from_secs(4),
        guess_stagger: Duration::from_millis(50),
        probe: Duration::from_secs(3),
        grace: Duration::from_millis(500),
    }
}

/// The mail servers discovery is supposed to find.
struct MailServers {
    dovecot: Dovecot,
    smtp: SmtpServer,
}

fn mail_servers() -> MailServers {
    MailServers {
        dovecot: Dovecot::start(pki(), DovecotOptions::default()).expect("dovecot"),
        smtp: SmtpServer::start(pki(), SmtpOptions::default()).expect("smtp server"),
    }
}

impl MailServers {
    /// `imap.example.test` and `mail.example.test` on the standard ports → the test servers.
    fn connect_to(&self) -> Vec<ConnectTo> {
        let d = &self.dovecot;
        let s = &self.smtp;
        let mut out = Vec::new();
        for host in ["imap.example.test", "mail.example.test"] {
            for (port, to) in [(993, d.imaps_port()), (143, d.imap_port()), (995, d.pop3s_port()), (110, d.pop3_port())]
            {
                out.push(ConnectTo { host: host.into(), port, to_host: "127.0.0.1".into(), to_port: to });
            }
        }
        for (port, to) in [(465, s.smtps_port()), (587, s.smtp_port())] {
            out.push(ConnectTo { host: "mail.example.test".into(), port, to_host: "127.0.0.1".into(), to_port: to });
        }
        out
    }
}

fn web(routes: Vec<Route>) -> HttpsServer {
    let mut names: Vec<&str> = WEB_HOSTS.to_vec();
    names.extend(["localhost", "127.0.0.1"]);
    let (cert, key) = pki().issue(&names);
    HttpsServer::start_with_cert(&cert, &key, routes)
}

/// Every name discovery may look up: the mail hosts resolve to loopback, others are NXDOMAIN.
fn base_records() -> DnsRecords {
    DnsRecords::default().a("imap.example.test", Ipv4Addr::LOCALHOST).a("mail.example.test", Ipv4Addr::LOCALHOST)
}

fn engine(dns: &Dnsmasq, web: &HttpsServer, mail: Option<&MailServers>) -> Engine {
    Engine::new(engine_config(dns, web, mail)).expect("engine")
}

fn engine_config(dns: &Dnsmasq, web: &HttpsServer, mail: Option<&MailServers>) -> EngineConfig {
    let mut connect_to: Vec<ConnectTo> = WEB_HOSTS
        .iter()
        .map(|h| ConnectTo { host: h.to_string(), port: 443, to_host: "127.0.0.1".into(), to_port: web.port() })
        .collect();
    if let Some(m) = mail {
        connect_to.extend(m.connect_to());
    }
    EngineConfig {
        extra_ca_files: vec![pki().ca_pem_path().to_path_buf()],
        dns_server: Some(dns.addr()),
        ispdb_url: format!("https://127.0.0.1:{}/v1.1/", web.port()),
        connect_to,
        discovery: limits(),
        ..Default::default()
    }
}

#[derive(Default)]
struct Events(Mutex<Vec<DiscoveryEvent>>);
impl inlet_core::discover::DiscoverySink for Events {
    fn emit(&self, event: DiscoveryEvent) {
        self.0.lock().unwrap().push(event);
    }
}

async fn discover(engine: &Engine, email: &str) -> Discovery {
    engine.discover(&DiscoverRequest::new(email), &Events::default()).await.expect("discovery runs")
}

fn report(d: &Discovery, source: SourceId) -> &SourceReport {
    d.sources.iter().find(|r| r.source == source).unwrap_or_else(|| panic!("no report for {source:?}: {:?}", d.sources))
}

fn autoconfig_doc(imap_host: &str, imap_port: u16, socket: &str, smtp_host: &str, smtp_port: u16) -> String {
    format!(
        r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="provider.test">
  <domain>autoconf.test</domain><displayName>Provider Test Mail</displayName>
  <incomingServer type="imap"><hostname>{imap_host}</hostname><port>{imap_port}</port>
    <socketType>{socket}</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>{smtp_host}</hostname><port>{smtp_port}</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
  <enable visiturl="https://provider.test/settings/imap"><instruction>Turn on IMAP access in your mail settings.</instruction></enable>
  <documentation url="https://provider.test/help/imap"><descr lang="en">Setting up a mail app</descr><descr lang="de">Mailprogramm einrichten</descr></documentation>
</emailProvider></clientConfig>"#
    )
}

// ---- each source alone ----------------------------------------------------------------------

#[tokio::test]
async fn the_domains_own_autoconfig_gives_verified_settings_and_instructions() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let engine = engine(&dns, &web, Some(&mail));
    let events = Events::default();
    let d = engine.discover(&DiscoverRequest::new("alice@autoconf.test"), &events).await.unwrap();

    assert!(d.diagnosis.is_none(), "{:?}", d.diagnosis);
    let imap = &d.incoming[0];
    assert_eq!(
        (imap.protocol, imap.endpoint.host.as_str(), imap.endpoint.port),
        (Protocol::Imap, "imap.example.test", 993)
    );
    assert_eq!(imap.source, SourceId::Autoconfig);
    assert_eq!(imap.found_by, "from autoconf.test's own configuration");
    assert_eq!(imap.username.as_deref(), Some("alice@autoconf.test"));
    assert!(imap.needs_confirmation.is_none(), "a document served by the domain over HTTPS is trusted");
    let v = imap.verification.as_ref().expect("the proposal was verified");
    assert!(v.verified, "{v:?}");
    assert!(v.password, "Dovecot offers PLAIN: {v:?}");
    let smtp = &d.outgoing[0];
    assert_eq!(
        (smtp.endpoint.host.as_str(), smtp.endpoint.port, smtp.endpoint.security),
        ("mail.example.test", 465, Security::Tls)
    );
    assert!(smtp.verified(), "{:?}", smtp.verification);
    assert_eq!(d.kind, MailboxKind::Imap);

    // <enable> and <documentation> are shown, in English.
    let enable = d.hints.iter().find(|h| h.kind == HintKind::Enable).expect("the <enable> hint");
    assert_eq!(enable.text, "Turn on IMAP access in your mail settings.");
    assert_eq!(enable.url.as_deref(), Some("https://provider.test/settings/imap"));
    assert!(d.hints.iter().any(|h| h.kind == HintKind::Documentation && h.text == "Setting up a mail app"));

    // The better sources are done, the rest were stopped: no guessing once the answer was in.
    assert_eq!(report(&d, SourceId::Autoconfig).status, SourceStatus::Found);
    assert_eq!(report(&d, SourceId::Guess).status, SourceStatus::Cancelled);
    assert!(d.trace.iter().any(|t| t.source == "verify" && t.query.contains("imap.example.test:993")));
    // The address never appears in the trace or the reports (it is sent to the domain's own
    // autoconfig host only, and shown there as …@autoconf.test).
    let shown = format!("{:?} {:?}", d.trace, d.sources);
    assert!(!shown.contains("alice@") && !shown.contains("alice%40"), "{shown}");
    // Live progress: every source started, and ended.
    let events = events.0.lock().unwrap();
    assert!(events.iter().any(|e| e.source == SourceId::Ispdb && e.status.is_none()));
    assert!(events.iter().any(|e| e.source == SourceId::Autoconfig && e.status == Some(SourceStatus::Found)));
    assert!(events.iter().any(|e| e.source == SourceId::Verification && e.status == Some(SourceStatus::Found)));
    // The verification says which servers it checks and which one each answer is about, as
    // values (the wizard shows them without reading the words).
    let start = events.iter().find(|e| e.source == SourceId::Verification && e.status.is_none()).expect("a start");
    assert!(start.checking.iter().any(|t| t == "imap.example.test:993"), "{start:?}");
    let checks: Vec<_> = events.iter().filter(|e| e.source == SourceId::Verification && e.status.is_some()).collect();
    assert!(!checks.is_empty() && checks.len() <= start.checking.len(), "{checks:?}");
    for check in &checks {
        let target = check.target.as_deref().expect("the server checked");
        assert!(start.checking.iter().any(|t| t == target), "{target} was not announced: {start:?}");
        assert!(!check.detail.as_deref().unwrap_or_default().starts_with(target), "{check:?}");
    }
    let imap = checks.iter().find(|e| e.target.as_deref() == Some("imap.example.test:993")).expect("IMAP checked");
    assert_eq!(imap.status, Some(SourceStatus::Found));
    assert!(events
        .iter()
        .filter(|e| e.source != SourceId::Verification)
        .all(|e| e.checking.is_empty() && e.target.is_none()));
}

/// The race can end after guessing already checked the servers the domain's configuration
/// names: the proposal is the configuration's, the checks are the guesses', and the report says
/// they answered (it read "Failed, 0 of 0 server(s) answered", the end-to-end flake).
#[tokio::test]
async fn a_configuration_that_answers_after_guessing_keeps_the_guesses_checks() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    // example.test's configuration answers late (a handshake and two round trips at 250 ms each
    // way: about 2 s), long after guessing on loopback; a long grace still lets it win.
    let slow_web = inlet_testkit::DelayProxy::start(web.addr(), Duration::from_millis(250));
    let mut config = engine_config(&dns, &web, Some(&mail));
    for c in config.connect_to.iter_mut().filter(|c| c.host.ends_with("example.test") && c.port == 443) {
        c.to_port = slow_web.port();
    }
    config.discovery.grace = Duration::from_secs(5);
    config.discovery.http = Duration::from_secs(6);
    let engine = Engine::new(config).unwrap();
    let d = discover(&engine, "alice@example.test").await;

    assert_eq!(report(&d, SourceId::Guess).status, SourceStatus::Found, "guessing answered first: {:?}", d.sources);
    let imap = &d.incoming[0];
    assert_eq!(
        (imap.source, imap.endpoint.host.as_str(), imap.endpoint.port),
        (SourceId::Autoconfig, "imap.example.test", 993)
    );
    assert!(imap.verified() && d.outgoing[0].verified());
    let checks = report(&d, SourceId::Verification);
    assert_eq!(checks.status, SourceStatus::Found, "{checks:?}");
    assert!(checks.summary.contains("imap.example.test:993"), "{checks:?}");
}

#[tokio::test]
async fn the_ispdb_is_asked_for_the_domain_and_never_sees_the_address() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let doc = autoconfig_doc("imap.example.test", 143, "STARTTLS", "mail.example.test", 465);
    let web = web(vec![Route::ok("/v1.1/ispdb-only.test", "text/xml", doc)]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "bob@ispdb-only.test").await;

    let imap = &d.incoming[0];
    assert_eq!(imap.source, SourceId::Ispdb);
    assert_eq!(imap.found_by, "from Thunderbird's provider database");
    assert_eq!((imap.endpoint.port, imap.endpoint.security), (143, Security::Starttls));
    assert!(imap.verified(), "STARTTLS then capabilities: {:?}", imap.verification);
    assert!(web.requests().iter().any(|r| r == "GET /v1.1/ispdb-only.test HTTP/1.1"));
    assert!(web.requests().iter().filter(|r| r.contains("/v1.1/")).all(|r| !r.contains("bob")));
    assert!(d.trace.iter().all(|t| !t.query.contains("bob@")), "the trace hides the address");
}

#[tokio::test]
async fn srv_records_in_priority_order_and_hosts_elsewhere_need_confirmation() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(
        base_records()
            .srv("_imaps._tcp.srv.test", "mail.example.test", 993, 10, 1)
            .srv("_imaps._tcp.srv.test", "imap.example.test", 993, 0, 1)
            .srv("_submission._tcp.srv.test", "mail.example.test", 587, 0, 1)
            .srv("_pop3._tcp.srv.test", ".", 0, 0, 0),
    )
    .unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "carol@srv.test").await;

    let hosts: Vec<(&str, SourceId)> = d.incoming.iter().map(|c| (c.endpoint.host.as_str(), c.source)).collect();
    assert_eq!(hosts[..2], [("imap.example.test", SourceId::Srv), ("mail.example.test", SourceId::Srv)], "{hosts:?}");
    let first = &d.incoming[0];
    assert!(first.verified());
    assert_eq!(first.found_by, "from DNS (srv.test's service records)");
    let why = first.needs_confirmation.as_deref().expect("a host outside srv.test must be confirmed");
    assert!(why.contains("imap.example.test") && why.contains("not part of srv.test"), "{why}");
    let smtp = &d.outgoing[0];
    assert_eq!((smtp.endpoint.port, smtp.endpoint.security), (587, Security::Starttls));
    assert!(smtp.verified(), "{:?}", smtp.verification);
}

#[tokio::test]
async fn guessing_finds_the_usual_names_and_says_so() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    // No autoconfig, ISPDB, SRV or MX for example.test: only guessing can find the servers.
    let web = web(vec![]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "dave@example.test").await;

    assert!(d.diagnosis.is_none(), "{:?}", d.diagnosis);
    let imap = &d.incoming[0];
    assert_eq!(
        (imap.endpoint.host.as_str(), imap.endpoint.port, imap.source),
        ("imap.example.test", 993, SourceId::Guess)
    );
    assert_eq!(imap.found_by, "guessed and verified");
    assert!(imap.needs_confirmation.is_none(), "a name inside the address's domain");
    assert!(imap.verified());
    let smtp = &d.outgoing[0];
    assert_eq!((smtp.endpoint.host.as_str(), smtp.endpoint.port), ("mail.example.test", 465));
    assert!(smtp.verified());
    // smtp.example.test was tried first and does not exist: the trace says so.
    assert!(d.trace.iter().any(|t| t.source == "guess" && t.query.contains("smtp.example.test:465")));
    // The servers offer PLAIN and LOGIN: the password is the way in.
    assert_eq!((imap.sign_in, smtp.sign_in), (SignIn::Password, SignIn::Password));
    // Guesses are checked as they are found: no second check, and the report says they answered
    // (it once read "Failed: 0 of 0 server(s) answered").
    assert!(!d.trace.iter().any(|t| t.source == "verify"), "{:?}", d.trace);
    let checks = report(&d, SourceId::Verification);
    assert_eq!(checks.status, SourceStatus::Found, "{checks:?}");
    assert_eq!(checks.summary, "imap.example.test:993, mail.example.test:465 checked while trying usual names");
}

#[tokio::test]
async fn a_server_that_offers_only_oauth2_is_marked_for_browser_sign_in() {
    // A provider that turned passwords off: Dovecot advertises XOAUTH2 and OAUTHBEARER only.
    let mail = MailServers {
        dovecot: Dovecot::start(pki(), DovecotOptions { oauth_only: true, ..Default::default() }).expect("dovecot"),
        smtp: SmtpServer::start(pki(), SmtpOptions::default()).expect("smtp server"),
    };
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "erin@example.test").await;

    let imap = &d.incoming[0];
    assert!(imap.verified(), "{imap:?}");
    let v = imap.verification.as_ref().unwrap();
    assert!(v.oauth2 && !v.password, "{v:?}");
    assert_eq!(imap.sign_in, SignIn::BrowserOnly, "what the server really offers, not a password");
    // The outgoing server still takes a password.
    assert_eq!(d.outgoing[0].sign_in, SignIn::Password);
    // No source names who signs erin in: said plainly, with who can name the issuer.
    assert_eq!(d.sign_in_offer, None);
    let hint = d
        .hints
        .iter()
        .find(|h| h.text.contains("accepts only sign-in through your provider's page"))
        .unwrap_or_else(|| panic!("no word on the missing issuer: {:?}", d.hints));
    assert_eq!(hint.kind, HintKind::Instruction);
    assert!(hint.text.contains("imap.example.test") && hint.text.contains("administrator"), "{}", hint.text);
}

#[tokio::test]
async fn a_custom_domain_at_microsoft_with_srv_records_is_still_offered_microsoft_sign_in() {
    // contoso.test: MX at Microsoft 365, and SRV records naming token-only servers elsewhere.
    // The SRV answer decides the race; Microsoft's Autodiscover v2 never answers, so the MX
    // source is still at work when the race ends and is stopped.
    let mail = MailServers {
        dovecot: Dovecot::start(pki(), DovecotOptions { oauth_only: true, ..Default::default() }).expect("dovecot"),
        smtp: SmtpServer::start(pki(), SmtpOptions::default()).expect("smtp server"),
    };
    let dns = Dnsmasq::start(
        base_records()
            .mx("contoso.test", "contoso-test.mail.protection.outlook.com", 0)
            .srv("_imaps._tcp.contoso.test", "imap.example.test", 993, 0, 1)
            .srv("_submission._tcp.contoso.test", "mail.example.test", 587, 0, 1),
    )
    .unwrap();
    let web = web(vec![]);
    let silent = inlet_testkit::faults::SilentServer::start();
    let mut config = engine_config(&dns, &web, Some(&mail));
    for c in config.connect_to.iter_mut().filter(|c| c.host == "outlook.office365.com") {
        c.to_port = silent.port();
    }
    let engine = Engine::new(config).unwrap();
    let d = discover(&engine, "dana@contoso.test").await;

    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.source), ("imap.example.test", SourceId::Srv), "{imap:?}");
    assert_eq!(imap.sign_in, SignIn::BrowserOnly);
    assert_eq!(report(&d, SourceId::Mx).status, SourceStatus::Cancelled, "the SRV records won the race");
    assert_eq!(d.sign_in_offer, Some(inlet_core::oauth::IssuerChoice::Microsoft { tenant: None }));
    let provider = d.provider.as_ref().expect("the MX names the provider");
    assert_eq!(provider.id, "microsoft365");
    assert!(provider.detected_by.contains("MX"), "{}", provider.detected_by);
    // The type is that of the servers proposed (which prefill the form), not Microsoft's own.
    assert_eq!(d.kind, MailboxKind::Imap);
    assert!(!d.hints.iter().any(|h| h.text.contains("says who signs you in")), "{:?}", d.hints);
}

#[tokio::test]
async fn pox_autodiscover_gives_settings_without_credentials() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let answer = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account><AccountType>email</AccountType><Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>imap.example.test</Server><Port>993</Port>
        <LoginName>nina.pox</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired></Protocol>
      <Protocol><Type>SMTP</Type><Server>mail.example.test</Server><Port>587</Port>
        <LoginName>nina.pox</LoginName><SPA>off</SPA><SSL>on</SSL><Encryption>TLS</Encryption><AuthRequired>on</AuthRequired></Protocol>
    </Account>
  </Response>
</Autodiscover>"#;
    let web = web(vec![Route::post("/autodiscover/autodiscover.xml", "text/xml", answer)]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "nina@pox.test").await;

    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.source), ("imap.example.test", SourceId::AutodiscoverPox));
    assert_eq!(imap.found_by, "from pox.test's Autodiscover service");
    assert_eq!(imap.username.as_deref(), Some("nina.pox"), "<LoginName> is the login");
    assert!(imap.verified());
    let smtp = &d.outgoing[0];
    assert_eq!((smtp.endpoint.port, smtp.endpoint.security), (587, Security::Starttls));
    // The address went in the POST body to the domain's own server, and no password with it.
    let posts: Vec<_> = web.logged().into_iter().filter(|r| r.method == "POST").collect();
    assert!(posts.iter().any(|r| r.body.contains("nina@pox.test")));
    assert!(posts.iter().all(|r| r.authorization.is_none()));
}

/// What discovery proposes is what the connection uses: the proposal signs in through the same
/// `connect_to`, and a mail host name resolves through the configured DNS server (here on the
/// server's real port, without any `connect_to`).
#[tokio::test]
async fn connections_use_the_same_network_settings_as_discovery() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, common::ALICE).await;
    let imap = &d.incoming[0];
    let mut request = common::request(
        common::ALICE,
        common::ALICE_PASSWORD,
        &imap.endpoint.host,
        imap.endpoint.port,
        imap.endpoint.security,
    );
    request.settings.incoming.settings_mut().username = imap.username.clone();
    let report = engine.connect(&request, &common::Recorder::default()).await.expect("signed in with the proposal");
    assert_eq!(report.username_used, common::ALICE);

    let direct = common::request(
        common::ALICE,
        common::ALICE_PASSWORD,
        "mail.example.test",
        mail.dovecot.imaps_port(),
        Security::Tls,
    );
    engine
        .connect(&direct, &common::Recorder::default())
        .await
        .expect("mail.example.test resolved by the test DNS server");
    assert!(dns.log().contains("query[A] mail.example.test"), "{}", dns.log());
}

#[tokio::test]
async fn autodiscover_gets_the_password_only_when_the_user_gives_it() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let answer = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account><AccountType>email</AccountType><Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>imap.example.test</Server><Port>993</Port><SSL>on</SSL></Protocol>
    </Account>
  </Response>
</Autodiscover>"#;
    let web = web(vec![Route::post("/autodiscover/autodiscover.xml", "text/xml", answer)
        .requiring_basic_auth("olga@pox.test", "s3cret-Olga")]);
    let engine = engine(&dns, &web, Some(&mail));

    let d = engine
        .discover(&DiscoverRequest { probe: false, ..DiscoverRequest::new("olga@pox.test") }, &Events::default())
        .await
        .unwrap();
    assert!(d.autodiscover_wants_password, "the 401 is reported: {:?}", d.sources);
    assert!(d.incoming.iter().all(|c| c.source != SourceId::AutodiscoverPox));
    assert!(web.logged().iter().all(|r| r.authorization.is_none()), "no password without consent");

    let agreed = DiscoverRequest {
        probe: false,
        autodiscover_password: Some(inlet_core::Secret::new("s3cret-Olga")),
        ..DiscoverRequest::new("olga@pox.test")
    };
    let d = engine.discover(&agreed, &Events::default()).await.unwrap();
    assert!(!d.autodiscover_wants_password);
    assert_eq!(d.incoming[0].source, SourceId::AutodiscoverPox);
    assert!(web.logged().iter().any(|r| r.authorization.is_some()));
    let shown = format!("{:?}", d);
    assert!(!shown.contains("s3cret-Olga"), "the password is in no report");
}

#[tokio::test]
async fn autoconfig_over_plain_http_must_be_confirmed() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let plain = HttpsServer::start_plain(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let mut config = engine_config(&dns, &web, Some(&mail));
    config.connect_to.push(ConnectTo {
        host: "autoconfig.plain.test".into(),
        port: 80,
        to_host: "127.0.0.1".into(),
        to_port: plain.port(),
    });
    let engine = Engine::new(config).unwrap();
    let d = discover(&engine, "pat@plain.test").await;

    let imap = &d.incoming[0];
    assert_eq!(imap.source, SourceId::AutoconfigHttp);
    assert!(imap.verified());
    let why = imap.needs_confirmation.as_deref().expect("an unencrypted document is never trusted as is");
    assert!(why.contains("unencrypted"), "{why}");
    // Asked without the address: it would cross the network in clear.
    assert!(plain.requests().iter().any(|r| r == "GET /mail/config-v1.1.xml HTTP/1.1"), "{:?}", plain.requests());
    assert_eq!(imap.username.as_deref(), Some("pat@plain.test"), "placeholders are filled locally");
}

// ---- all together ---------------------------------------------------------------------------

#[tokio::test]
async fn one_source_that_never_answers_does_not_hold_the_answer() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records().srv("_imaps._tcp.example.test", "imap.example.test", 993, 0, 1)).unwrap();
    // The ISPDB (better ranked than DNS) hangs.
    let web = web(vec![Route::hang("/v1.1/example.test")]);
    let engine = engine(&dns, &web, Some(&mail));
    let events = Events::default();
    let d = engine.discover(&DiscoverRequest::new("erin@example.test"), &events).await.unwrap();

    assert_eq!(d.incoming[0].endpoint.host, "imap.example.test");
    assert_eq!(d.incoming[0].source, SourceId::Srv);
    assert!(d.incoming[0].verified());
    // The grace after DNS answered ended the race, not the ISPDB's deadline: it was stopped
    // while still waiting (a deadline would have made it TimedOut), and only after SRV answered.
    assert_eq!(report(&d, SourceId::Ispdb).status, SourceStatus::Cancelled);
    let ended = |source: SourceId, status: SourceStatus| {
        events.0.lock().unwrap().iter().position(|e| e.source == source && e.status == Some(status))
    };
    let srv_found = ended(SourceId::Srv, SourceStatus::Found).expect("SRV answered");
    let ispdb_stopped = ended(SourceId::Ispdb, SourceStatus::Cancelled).expect("the ISPDB was stopped");
    assert!(srv_found < ispdb_stopped);
}

#[tokio::test]
async fn conflicting_sources_the_better_ranked_wins() {
    let mail = mail_servers();
    // DNS says STARTTLS on mail.example.test; the domain's own document says TLS on imap.example.test.
    let dns = Dnsmasq::start(base_records().srv("_imap._tcp.conflict.test", "mail.example.test", 143, 0, 1)).unwrap();
    let web = web(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "frank@conflict.test").await;

    assert_eq!(d.incoming[0].source, SourceId::Autoconfig);
    assert_eq!(d.incoming[0].endpoint.host, "imap.example.test");
    assert!(d.incoming[0].verified());
}

#[tokio::test]
async fn a_redirect_to_another_domain_waits_for_the_users_confirmation() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    let target = "https://autoconfig.elsewhere.test/shared/config-v1.1.xml";
    let web = web(vec![
        Route::redirect("/mail/config-v1.1.xml", 302, target),
        Route::ok(
            "/shared/config-v1.1.xml",
            "text/xml",
            autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
        ),
    ]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = engine
        .discover(&DiscoverRequest { probe: false, ..DiscoverRequest::new("gina@redirect.test") }, &Events::default())
        .await
        .unwrap();
    let offer = d.redirects.iter().find(|r| r.to == target).expect("the redirect is offered");
    assert_eq!(offer.source, SourceId::Autoconfig);
    assert!(offer.explanation.contains("autoconfig.elsewhere.test"), "{}", offer.explanation);
    assert!(!web.requests().iter().any(|r| r.contains("/shared/")), "not followed without confirmation");
    assert!(d.incoming.iter().all(|c| c.source != SourceId::Redirect));
    let diagnosis = d.diagnosis.as_ref().expect("no settings without the redirect");
    assert!(diagnosis.what_happened.contains("points to another domain"), "{}", diagnosis.what_happened);
    assert!(diagnosis.what_to_do.starts_with("If you know that the other domain"), "{}", diagnosis.what_to_do);

    // The user confirmed: now it is fetched, and its servers are proposed.
    let confirmed = DiscoverRequest { follow: vec![target.to_owned()], ..DiscoverRequest::new("gina@redirect.test") };
    let d = engine.discover(&confirmed, &Events::default()).await.unwrap();
    assert!(web.requests().iter().any(|r| r.starts_with("GET /shared/config-v1.1.xml")));
    let imap = d.incoming.iter().find(|c| c.source == SourceId::Redirect).expect("servers from the redirect");
    assert!(
        imap.found_by.contains("autoconfig.elsewhere.test") && imap.found_by.contains("you confirmed"),
        "{}",
        imap.found_by
    );
    assert!(d.redirects.is_empty(), "a followed redirect is not offered again");
}

#[tokio::test]
async fn an_mx_at_google_is_recognised_as_google_workspace() {
    let dns = Dnsmasq::start(base_records().mx("workspace.test", "aspmx.l.google.com", 1).mx(
        "workspace.test",
        "alt1.aspmx.l.google.com",
        5,
    ))
    .unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, None);
    let request = DiscoverRequest { probe: false, ..DiscoverRequest::new("hank@workspace.test") };
    let d = engine.discover(&request, &Events::default()).await.unwrap();

    assert_eq!(d.kind, MailboxKind::Gmail);
    let provider = d.provider.as_ref().expect("provider detected");
    assert_eq!(provider.id, "google-workspace");
    assert!(provider.detected_by.contains("MX"), "{}", provider.detected_by);
    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.source), ("imap.gmail.com", SourceId::Mx));
    assert!(imap.needs_confirmation.as_deref().is_some_and(|w| w.contains("Google")), "{imap:?}");
    assert!(d.hints.iter().any(|h| h.text.contains("Sign in with Google")));
    assert_eq!(d.sign_in_offer, Some(inlet_core::oauth::IssuerChoice::Google), "routes to browser sign-in");
}

#[tokio::test]
async fn an_mx_at_microsoft_asks_autodiscover_v2_and_detects_microsoft_365() {
    let dns = Dnsmasq::start(base_records().mx("tenant.test", "tenant-test.mail.protection.outlook.com", 0)).unwrap();
    let web = web(vec![Route::ok(
        "/autodiscover/autodiscover.json/v1.0/ivy@tenant.test?Protocol=IMAP",
        "application/json",
        r#"{"Protocol":"IMAP","Url":"imap://outlook.office365.com:993"}"#,
    )]);
    let engine = engine(&dns, &web, None);
    let request = DiscoverRequest { probe: false, ..DiscoverRequest::new("ivy@tenant.test") };
    let d = engine.discover(&request, &Events::default()).await.unwrap();

    assert_eq!(d.kind, MailboxKind::Microsoft365);
    assert_eq!(d.provider.as_ref().map(|p| p.id.as_str()), Some("microsoft365"));
    assert_eq!(d.sign_in_offer, Some(inlet_core::oauth::IssuerChoice::Microsoft { tenant: None }));
    assert!(
        web.requests().iter().any(|r| r.contains("autodiscover.json/v1.0/ivy@tenant.test?Protocol=IMAP")),
        "{:?}",
        web.requests()
    );
    let first = &d.incoming[0];
    assert_eq!((first.endpoint.host.as_str(), first.endpoint.port), ("outlook.office365.com", 993));
    assert!(d.trace.iter().any(|t| t.source == "autodiscover-v2"));
}

#[tokio::test]
async fn an_mx_at_a_hoster_feeds_the_hosters_domain_back_into_the_ispdb() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records().mx("customer.test", "mx1.hoster.test", 10)).unwrap();
    let web = web(vec![Route::ok(
        "/v1.1/hoster.test",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "jack@customer.test").await;

    assert!(web.requests().iter().any(|r| r == "GET /v1.1/hoster.test HTTP/1.1"), "{:?}", web.requests());
    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.source), ("imap.example.test", SourceId::Mx));
    assert!(imap.found_by.contains("hoster.test"), "{}", imap.found_by);
    assert!(imap.needs_confirmation.as_deref().is_some_and(|w| w.contains("hoster.test")));
    assert!(imap.verified());
}

/// The hoster's name comes from an MX answer, which nothing authenticates: whoever forged it
/// would receive the request. Only the domain goes there; the address fills the document's
/// placeholders here.
#[tokio::test]
async fn an_mx_chosen_hoster_is_asked_without_the_address() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records().mx("customer.test", "mx1.hoster.test", 10)).unwrap();
    // Only the hoster's own autoconfig answers (customer.test has no web host of its own).
    let web = web(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    let engine = engine(&dns, &web, Some(&mail));
    let d = discover(&engine, "jack.local@customer.test").await;

    let at_hoster: Vec<_> =
        web.logged().into_iter().filter(|r| r.header("host") == Some("autoconfig.hoster.test")).collect();
    assert!(!at_hoster.is_empty(), "the hoster's autoconfig was asked: {:?}", web.requests());
    for r in &at_hoster {
        assert!(!r.target.contains("jack") && !r.target.contains("emailaddress"), "{}", r.request_line);
    }
    assert!(
        web.logged().iter().all(|r| !r.target.contains("jack") && !r.body.contains("jack")),
        "{:?}",
        web.requests()
    );
    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.source), ("imap.example.test", SourceId::Mx));
    assert_eq!(imap.username.as_deref(), Some("jack.local@customer.test"), "placeholders are filled locally");
    assert!(imap.needs_confirmation.as_deref().is_some_and(|w| w.contains("hoster.test")), "{imap:?}");
}

/// A document fetched over plain HTTP could have been changed on the way, even when its servers
/// are inside the address's domain; guessing finding the same servers does not vouch for it.
#[tokio::test]
async fn plain_http_autoconfig_inside_the_domain_must_be_confirmed() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records()).unwrap();
    // example.test publishes nothing over HTTPS (404s), no SRV, no MX.
    let web = web(vec![]);
    let plain = HttpsServer::start_plain(vec![Route::ok(
        "/mail/config-v1.1.xml",
        "text/xml",
        autoconfig_doc("imap.example.test", 993, "SSL", "mail.example.test", 465),
    )]);
    // The document arrives after guessing found the same servers (a connection and a round trip
    // at 600 ms each way: about 2.4 s, against guessing on loopback); a long grace lets it count.
    let slow_plain = inlet_testkit::DelayProxy::start(plain.addr(), Duration::from_millis(600));
    let mut config = engine_config(&dns, &web, Some(&mail));
    config.connect_to.push(ConnectTo {
        host: "autoconfig.example.test".into(),
        port: 80,
        to_host: "127.0.0.1".into(),
        to_port: slow_plain.port(),
    });
    config.discovery.grace = Duration::from_secs(10);
    config.discovery.http = Duration::from_secs(10);
    let engine = Engine::new(config).unwrap();
    let d = discover(&engine, "pat@example.test").await;

    assert!(!plain.requests().is_empty(), "the plain-HTTP document was fetched");
    assert_eq!(report(&d, SourceId::AutoconfigHttp).status, SourceStatus::Found, "{:?}", d.sources);
    assert_eq!(report(&d, SourceId::Guess).status, SourceStatus::Found, "guessing answered too: {:?}", d.sources);
    for c in [&d.incoming[0], &d.outgoing[0]] {
        assert_eq!(c.source, SourceId::AutoconfigHttp, "{c:?}");
        assert!(c.endpoint.host.ends_with(".example.test"), "{c:?}");
        let why = c.needs_confirmation.as_deref().unwrap_or_else(|| panic!("must be confirmed: {c:?}"));
        assert!(why.contains("unencrypted") && why.contains("example.test"), "{why}");
    }
}

#[tokio::test]
async fn nothing_found_anywhere_gives_a_diagnosis_and_a_prefilled_guess() {
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, None);
    let d = discover(&engine, "kim@nowhere.test").await;

    let diagnosis = d.diagnosis.as_ref().expect("a diagnosis");
    assert_eq!(diagnosis.code, DiagnosisCode::SettingsNotFound);
    assert!(diagnosis.what_happened.contains("nowhere.test"));
    assert!(!diagnosis.evidence.is_empty(), "each source's outcome is in the evidence");
    let imap = &d.incoming[0];
    assert_eq!((imap.endpoint.host.as_str(), imap.endpoint.port), ("imap.nowhere.test", 993));
    assert!(imap.verification.is_none() && imap.needs_confirmation.is_some());
    assert_eq!(d.outgoing[0].endpoint.host, "smtp.nowhere.test");
    // Failures read as plain words, not as an HTTP library's error chain.
    let plain = report(&d, SourceId::AutoconfigHttp);
    assert_eq!(plain.summary, "autoconfig.nowhere.test does not exist (no such name in DNS)");
    // A name that does not exist publishes nothing: that is "nothing there", not a failure.
    assert_eq!(plain.status, SourceStatus::NotFound);
    for source in [SourceId::Autoconfig, SourceId::Ispdb, SourceId::Srv, SourceId::Mx, SourceId::Guess] {
        assert_ne!(report(&d, source).status, SourceStatus::Found, "{source:?}");
    }
}

#[tokio::test]
async fn a_discovery_that_finds_nothing_is_reported_with_its_trace_and_no_password() {
    // The DNS server answers nothing for nowhere.test, the web servers have nothing either.
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, None);
    const CANARY: &str = "canary-autodiscover-Pa55";
    let request = DiscoverRequest {
        autodiscover_password: Some(inlet_core::Secret::new(CANARY)),
        ..DiscoverRequest::new("kim@nowhere.test")
    };
    let reported = engine.discover_reported(&request, &Events::default()).await;
    let found = reported.outcome.expect("discovery runs");
    assert_eq!(found.diagnosis.as_ref().map(|d| d.code), Some(DiagnosisCode::SettingsNotFound));

    let report = reported.report.expect("a discovery without settings has a report");
    assert_eq!(report.outcome.code.as_deref(), Some("settings_not_found"));
    assert_eq!(report.outcome.checked, "discovery only");
    assert_eq!(report.discovery, found.trace, "the whole trace of the discovery");
    assert!(
        report.discovery.iter().any(|t| t.query.contains("nowhere.test") && t.source.contains("srv")),
        "the DNS lookups that answered nothing: {:?}",
        report.discovery
    );
    let markdown = report.to_markdown();
    assert!(markdown.contains("## Discovery") && markdown.contains("| Source | Asked | Result | ms | Outcome |"));
    assert!(markdown.contains("(`settings_not_found`)") && markdown.contains("nowhere.test"), "{markdown}");
    // Each step with how long it took.
    let escaped = |text: &str| text.replace('_', "\\_");
    for step in &report.discovery {
        let row = format!("| {} | {} | ", escaped(&step.source), escaped(&step.query));
        let timed = format!(" | {} | ", step.elapsed_ms);
        assert!(markdown.lines().any(|l| l.starts_with(&row) && l.contains(&timed)), "{step:?} in {markdown}");
    }

    let masked = report.masked().to_markdown();
    assert!(masked.contains("## Discovery"), "{masked}");
    assert!(!masked.to_lowercase().contains("nowhere.test") && !masked.contains("kim@"), "{masked}");
    for text in [markdown, masked, report.to_json()] {
        assert!(!text.contains(CANARY), "the password given to Autodiscover is in the report");
    }
}

#[tokio::test]
async fn a_known_provider_is_answered_from_the_table_at_once() {
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, None);
    let request = DiscoverRequest { probe: false, ..DiscoverRequest::new("lee@gmail.com") };
    let d = engine.discover(&request, &Events::default()).await.unwrap();

    assert_eq!(d.kind, MailboxKind::Gmail);
    assert_eq!(d.incoming[0].endpoint.host, "imap.gmail.com");
    assert_eq!(d.incoming[0].source, SourceId::Provider);
    assert!(d.incoming[0].needs_confirmation.is_none());
    assert!(d.hints.iter().any(|h| h.text.contains("app password")));
    assert!(web.requests().is_empty(), "nothing better to wait for: the other sources were stopped");
    // At once: no other source was waited for (each was stopped, or not asked at all).
    for r in d.sources.iter().filter(|r| r.source != SourceId::Provider) {
        assert!(matches!(r.status, SourceStatus::Cancelled | SourceStatus::Skipped), "{r:?}");
    }
}

#[tokio::test]
async fn a_wrong_address_is_refused_before_any_lookup() {
    let dns = Dnsmasq::start(base_records()).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, None);
    let d = engine.discover(&DiscoverRequest::new("not an address"), &Events::default()).await.expect_err("refused");
    assert_eq!(d.code, DiagnosisCode::InvalidInput);
    assert!(web.requests().is_empty());
    // The only query is the test kit's own readiness probe.
    let queries: Vec<String> = dns
        .log()
        .lines()
        .filter(|l| l.contains("query[") && !l.contains("inlet-testkit-probe"))
        .map(str::to_owned)
        .collect();
    assert!(queries.is_empty(), "no DNS query: {queries:?}");
}

#[tokio::test]
async fn the_sequential_walk_reaches_the_same_answer() {
    let mail = mail_servers();
    let dns = Dnsmasq::start(base_records().srv("_imaps._tcp.example.test", "imap.example.test", 993, 0, 1)).unwrap();
    let web = web(vec![]);
    let engine = engine(&dns, &web, Some(&mail));
    let raced = discover(&engine, "max@example.test").await;
    let walked = engine
        .discover_walking(&DiscoverRequest::new("max@example.test"), Walk::Sequential, &Events::default())
        .await
        .unwrap();
    assert_eq!(raced.incoming[0].endpoint, walked.incoming[0].endpoint);
    assert!(walked.incoming[0].verified());
    assert_eq!(report(&walked, SourceId::Guess).status, SourceStatus::Skipped);
}
