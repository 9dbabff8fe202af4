//! The web sources of discovery against a real HTTPS server (inlet-testkit's `HttpsServer`) with
//! the test PKI: ISPDB, domain autoconfig (both URLs), Autodiscover v2, and every way a web
//! answer can go wrong (content type, size, redirect, silence, certificate).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use inlet_core::account::{Protocol, Security};
use inlet_core::config::{ConnectTo, EngineConfig};
use inlet_core::discover::sources::http::{
    AddressInRequest, HttpOutcome, HttpSources, SourceResult, SOURCE_AUTOCONFIG, SOURCE_ISPDB,
};
use inlet_core::discover::trace::StepStatus;
use inlet_core::net::TlsContext;
use inlet_testkit::{CertKind, HttpsServer, Route, TestPki};

const EMAIL: &str = "alice@example.test";
const DEADLINE: Duration = Duration::from_secs(10);

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ispdb-sample").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

const DOC: &str = r#"<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="example.test">
  <domain>example.test</domain>
  <incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>"#;

/// HTTP sources trusting the test CA, with `hosts` on port 443 sent to the server.
fn sources(pki: &TestPki, server: &HttpsServer, hosts: &[&str]) -> HttpSources {
    let config = EngineConfig {
        extra_ca_files: vec![pki.ca_pem_path().to_path_buf()],
        ispdb_url: format!("{}/v1.1/", server.base_url()),
        connect_to: hosts
            .iter()
            .map(|h| ConnectTo { host: h.to_string(), port: 443, to_host: "127.0.0.1".into(), to_port: server.port() })
            .collect(),
        ..Default::default()
    };
    let tls = TlsContext::new(&config.extra_ca_files).unwrap();
    HttpSources::new(&config, &tls).unwrap()
}

fn failed(result: &SourceResult) -> &str {
    match &result.outcome {
        HttpOutcome::Failed(why) => why,
        other => panic!("expected Failed, got {other:?} ({:?})", result.trace),
    }
}

#[tokio::test]
async fn ispdb_is_asked_for_the_domain_only() {
    let pki = TestPki::generate();
    let server = HttpsServer::start(&pki, vec![Route::ok("/v1.1/aol.com", "text/xml", sample("aol.com.xml"))]);
    let http = sources(&pki, &server, &[]);

    let result = http.ispdb("aol.com", "someone@aol.com", DEADLINE).await;
    let HttpOutcome::Found(found) = &result.outcome else { panic!("{result:?}") };
    assert!(found.trusted);
    assert_eq!(found.document.provider_id.as_deref(), Some("aol.com"));
    assert!(found.document.incoming.iter().any(|s| s.protocol == Protocol::Imap));
    assert_eq!(result.trace.len(), 1);
    let step = &result.trace[0];
    assert_eq!((step.source.as_str(), step.status), (SOURCE_ISPDB, StepStatus::Found));
    assert_eq!(step.query, format!("GET {}/v1.1/aol.com", server.base_url()));
    assert!(!step.query.contains("someone"));

    // What went over the wire: the domain, never the address.
    assert_eq!(server.requests(), vec!["GET /v1.1/aol.com HTTP/1.1"]);

    let missing = http.ispdb("unknown.test", EMAIL, DEADLINE).await;
    assert_eq!(missing.outcome, HttpOutcome::NotFound);
    assert!(server.requests().iter().all(|r| !r.contains("alice") && !r.contains("someone")));
}

#[tokio::test]
async fn domain_autoconfig_prefers_the_autoconfig_host_and_sends_the_address_there() {
    let pki = TestPki::generate();
    let (cert, key) = pki.issue(&["autoconfig.example.test", "example.test"]);
    let routes = vec![
        Route::ok("/mail/config-v1.1.xml", "text/xml; charset=utf-8", DOC),
        Route::ok(
            "/.well-known/autoconfig/mail/config-v1.1.xml",
            "application/xml",
            DOC.replace("imap.example.test", "other.example.test"),
        ),
    ];
    let server = HttpsServer::start_with_cert(&cert, &key, routes);
    let http = sources(&pki, &server, &["autoconfig.example.test", "example.test"]);

    let result = http.domain_autoconfig("example.test", EMAIL, AddressInRequest::Sent, DEADLINE).await;
    let HttpOutcome::Found(found) = &result.outcome else { panic!("{result:?}") };
    assert_eq!(found.document.incoming[0].host, "imap.example.test");
    assert_eq!(found.document.incoming[0].username.as_deref(), Some(EMAIL));
    assert_eq!(found.url, "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=…@example.test");
    assert!(
        result.trace.iter().all(|s| s.source == SOURCE_AUTOCONFIG && !s.query.contains("alice")),
        "{:?}",
        result.trace
    );
    assert!(result.trace.iter().any(|s| s.query.contains("autoconfig.example.test") && s.status == StepStatus::Found));
    assert!(server
        .requests()
        .contains(&"GET /mail/config-v1.1.xml?emailaddress=alice%40example.test HTTP/1.1".to_owned()));
}

/// A domain an MX answer named (a hoster) is asked for its document without the address.
#[tokio::test]
async fn domain_autoconfig_can_withhold_the_address() {
    let pki = TestPki::generate();
    let (cert, key) = pki.issue(&["autoconfig.example.test", "example.test"]);
    let routes = vec![
        Route::ok("/mail/config-v1.1.xml", "text/xml", DOC),
        Route::status("/.well-known/autoconfig/mail/config-v1.1.xml", 404),
    ];
    let server = HttpsServer::start_with_cert(&cert, &key, routes);
    let http = sources(&pki, &server, &["autoconfig.example.test", "example.test"]);

    let result = http.domain_autoconfig("example.test", EMAIL, AddressInRequest::Withheld, DEADLINE).await;
    let HttpOutcome::Found(found) = &result.outcome else { panic!("{result:?}") };
    assert_eq!(found.url, "https://autoconfig.example.test/mail/config-v1.1.xml");
    assert_eq!(found.document.incoming[0].username.as_deref(), Some(EMAIL), "placeholders are filled locally");
    assert!(server.requests().contains(&"GET /mail/config-v1.1.xml HTTP/1.1".to_owned()), "{:?}", server.requests());
    assert!(server.requests().iter().all(|r| !r.contains("alice") && !r.contains("emailaddress")));
}

#[tokio::test]
async fn domain_autoconfig_falls_back_to_the_well_known_path() {
    let pki = TestPki::generate();
    let (cert, key) = pki.issue(&["autoconfig.example.test", "example.test"]);
    let routes = vec![
        Route::status("/mail/config-v1.1.xml", 404),
        Route::ok("/.well-known/autoconfig/mail/config-v1.1.xml", "text/xml", DOC),
    ];
    let server = HttpsServer::start_with_cert(&cert, &key, routes);
    let http = sources(&pki, &server, &["autoconfig.example.test", "example.test"]);

    let result = http.domain_autoconfig("example.test", EMAIL, AddressInRequest::Sent, DEADLINE).await;
    let HttpOutcome::Found(found) = &result.outcome else { panic!("{result:?}") };
    assert_eq!(found.url, "https://example.test/.well-known/autoconfig/mail/config-v1.1.xml");
    let statuses: Vec<_> = result.trace.iter().map(|s| s.status).collect();
    assert_eq!(statuses, vec![StepStatus::NotFound, StepStatus::Found]);
}

#[tokio::test]
async fn an_html_page_is_refused_for_its_content_type() {
    let pki = TestPki::generate();
    let server = HttpsServer::start(&pki, vec![Route::ok("/v1.1/example.test", "text/html", "<html>Welcome</html>")]);
    let result = sources(&pki, &server, &[]).ispdb("example.test", EMAIL, DEADLINE).await;
    let why = failed(&result);
    assert!(why.contains("text/html") && why.contains("instead of an XML autoconfig document"), "{why}");
    assert_eq!(result.trace[0].status, StepStatus::Failed);
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let pki = TestPki::generate();
    let mut big = b"<?xml version=\"1.0\"?><clientConfig><!--".to_vec();
    big.resize(2 * 1024 * 1024, b'x');
    let server = HttpsServer::start(&pki, vec![Route::ok("/v1.1/example.test", "text/xml", big)]);
    let result = sources(&pki, &server, &[]).ispdb("example.test", EMAIL, DEADLINE).await;
    assert!(failed(&result).contains("too large"), "{result:?}");
}

#[tokio::test]
async fn a_redirect_to_another_domain_is_returned_not_followed() {
    let pki = TestPki::generate();
    let (cert, key) = pki.issue(&["autoconfig.example.test", "example.test"]);
    let routes = vec![
        Route::redirect("/mail/config-v1.1.xml", 302, "https://autoconfig.elsewhere.test/mail/config-v1.1.xml"),
        Route::status("/.well-known/autoconfig/mail/config-v1.1.xml", 404),
    ];
    let server = HttpsServer::start_with_cert(&cert, &key, routes);
    let http = sources(&pki, &server, &["autoconfig.example.test", "example.test"]);
    let result = http.domain_autoconfig("example.test", EMAIL, AddressInRequest::Sent, DEADLINE).await;
    assert_eq!(
        result.outcome,
        HttpOutcome::Redirect { to: "https://autoconfig.elsewhere.test/mail/config-v1.1.xml".into() }
    );
    assert!(!server.requests().iter().any(|r| r.contains("elsewhere")));
}

#[tokio::test]
async fn a_same_domain_redirect_is_followed() {
    let pki = TestPki::generate();
    let server = HttpsServer::start(
        &pki,
        vec![
            Route::redirect("/v1.1/example.test", 301, "/v1.1/moved/example.test"),
            Route::ok("/v1.1/moved/example.test", "text/xml", DOC),
        ],
    );
    let result = sources(&pki, &server, &[]).ispdb("example.test", EMAIL, DEADLINE).await;
    assert!(matches!(result.outcome, HttpOutcome::Found(_)), "{result:?}");
    assert_eq!(result.trace.len(), 2);
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_deadline() {
    let pki = TestPki::generate();
    let server = HttpsServer::start(&pki, vec![Route::hang("/v1.1/example.test")]);
    let http = sources(&pki, &server, &[]);
    let deadline = Duration::from_millis(500);
    let started = Instant::now();
    let result = http.ispdb("example.test", EMAIL, deadline).await;
    let took = started.elapsed();
    // The caller's deadline fired (the server never answers, so nothing else would end it); the
    // upper bound only leaves room for a busy machine.
    assert_eq!(result.outcome, HttpOutcome::TimedOut, "{result:?}");
    assert!(took >= deadline && took < deadline + Duration::from_secs(5), "took {took:?}");
    assert_eq!(result.trace[0].status, StepStatus::TimedOut);
    assert_eq!(server.requests(), vec!["GET /v1.1/example.test HTTP/1.1"]);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let pki = TestPki::generate();
    let (cert, key) = pki.cert(CertKind::Untrusted);
    let server = HttpsServer::start_with_cert(&cert, &key, vec![Route::ok("/v1.1/example.test", "text/xml", DOC)]);
    let result = sources(&pki, &server, &[]).ispdb("example.test", EMAIL, DEADLINE).await;
    let why = failed(&result);
    assert!(why.starts_with("certificate"), "{why}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn autodiscover_v2_json_names_the_servers() {
    let pki = TestPki::generate();
    let (cert, key) = pki.issue(&["outlook.office365.com"]);
    let path = format!("/autodiscover/autodiscover.json/v1.0/{EMAIL}");
    let routes = vec![
        Route::ok(
            &format!("{path}?Protocol=IMAP"),
            "application/json; charset=utf-8",
            r#"{"Protocol":"IMAP","Url":"imap://outlook.office365.com:993"}"#,
        ),
        Route::ok(
            &format!("{path}?Protocol=SMTP"),
            "application/json",
            r#"{"Protocol":"SMTP","Url":"smtp://smtp.office365.com:587"}"#,
        ),
    ];
    let server = HttpsServer::start_with_cert(&cert, &key, routes);
    let http = sources(&pki, &server, &["outlook.office365.com"]);
    let result = http.autodiscover_v2(EMAIL, DEADLINE).await;
    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    let got: Vec<_> = endpoints.iter().map(|e| (e.protocol, e.endpoint.display(), e.endpoint.security)).collect();
    assert_eq!(
        got,
        vec![
            (Protocol::Imap, "outlook.office365.com:993".to_owned(), Security::Tls),
            (Protocol::Smtp, "smtp.office365.com:587".to_owned(), Security::Starttls),
        ]
    );
    assert!(
        result.trace.iter().all(|s| !s.query.contains("alice") && s.query.contains("…@example.test")),
        "{:?}",
        result.trace
    );
}
