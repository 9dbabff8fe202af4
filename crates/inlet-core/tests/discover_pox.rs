//! POX Autodiscover ([MS-OXDSCLI]) against a real HTTPS server (inlet-testkit's `HttpsServer`)
//! with the test PKI: the request sent, the settings read, credentials only with consent,
//! redirects (HTTP, redirectUrl, redirectAddr), silence, bad answers, and which host wins.

use std::time::{Duration, Instant};

use base64::Engine as _;
use inlet_core::account::{Protocol, Security};
use inlet_core::config::{ConnectTo, EngineConfig};
use inlet_core::discover::formats::pox::RESPONSE_SCHEMA;
use inlet_core::discover::sources::http::{
    HttpOutcome, HttpSources, PoxCredentials, SourceResult, SOURCE_AUTODISCOVER_POX,
};
use inlet_core::discover::trace::StepStatus;
use inlet_core::net::TlsContext;
use inlet_core::secrets::Secret;
use inlet_testkit::{HttpsServer, Route, TestPki};

const EMAIL: &str = "alice@example.test";
const PASSWORD: &str = "Wonderland-42!";
const PATH: &str = "/autodiscover/autodiscover.xml";
const DEADLINE: Duration = Duration::from_secs(10);
/// Every name a test server answers for: the two Autodiscover hosts, a host of the same domain
/// and one of another domain (so that following a redirect there would show in the log).
const NAMES: [&str; 4] =
    ["autodiscover.example.test", "example.test", "mail.example.test", "autodiscover.elsewhere.test"];

/// A hoster's answer: IMAP on 993 (SSL), SMTP on 587 (Encryption TLS), a login name.
fn settings(imap_host: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="{RESPONSE_SCHEMA}">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type><Server>{imap_host}</Server><Port>993</Port>
        <LoginName>{EMAIL}</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type><Server>smtp.example.test</Server><Port>587</Port>
        <LoginName>{EMAIL}</LoginName><SPA>off</SPA><SSL>on</SSL><Encryption>TLS</Encryption><AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol><Type>WEB</Type><External><OWAUrl AuthenticationMethod="Fba">https://mail.example.test/owa/</OWAUrl></External></Protocol>
    </Account>
  </Response>
</Autodiscover>"#
    )
}

fn account(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="{RESPONSE_SCHEMA}"><Account><AccountType>email</AccountType>{inner}</Account></Response>
</Autodiscover>"#
    )
}

/// A server for all of [`NAMES`].
fn server(pki: &TestPki, routes: Vec<Route>) -> HttpsServer {
    let (cert, key) = pki.issue(&NAMES);
    HttpsServer::start_with_cert(&cert, &key, routes)
}

/// HTTP sources trusting the test CA, each host on port 443 sent to its server.
fn sources(pki: &TestPki, hosts: &[(&str, &HttpsServer)]) -> HttpSources {
    let config = EngineConfig {
        extra_ca_files: vec![pki.ca_pem_path().to_path_buf()],
        connect_to: hosts
            .iter()
            .map(|(h, s)| ConnectTo { host: h.to_string(), port: 443, to_host: "127.0.0.1".into(), to_port: s.port() })
            .collect(),
        ..Default::default()
    };
    let tls = TlsContext::new(&config.extra_ca_files).unwrap();
    HttpSources::new(&config, &tls).unwrap()
}

/// Sources sending every name of [`NAMES`] to `server`.
fn all_to(pki: &TestPki, server: &HttpsServer) -> HttpSources {
    let hosts: Vec<(&str, &HttpsServer)> = NAMES.iter().map(|n| (*n, server)).collect();
    sources(pki, &hosts)
}

fn failed(result: &SourceResult) -> &str {
    match &result.outcome {
        HttpOutcome::Failed(why) => why,
        other => panic!("expected Failed, got {other:?} ({:?})", result.trace),
    }
}

/// No step of the trace names the address (only `…@domain`).
fn assert_address_hidden(result: &SourceResult) {
    for step in &result.trace {
        assert_eq!(step.source, SOURCE_AUTODISCOVER_POX);
        assert!(!step.query.contains("alice") && !step.outcome.contains("alice"), "{step:?}");
    }
}

#[tokio::test]
async fn a_settings_answer_names_the_servers_and_the_request_carries_address_and_schema() {
    let pki = TestPki::generate();
    let server = server(&pki, vec![Route::post(PATH, "text/xml; charset=utf-8", settings("imap.example.test"))]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;

    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    let got: Vec<_> = endpoints
        .iter()
        .map(|e| (e.protocol, e.endpoint.display(), e.endpoint.security, e.username.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Protocol::Imap, "imap.example.test:993".to_owned(), Security::Tls, Some(EMAIL)),
            (Protocol::Smtp, "smtp.example.test:587".to_owned(), Security::Starttls, Some(EMAIL)),
        ]
    );
    let first = &result.trace[0];
    assert_eq!(first.query, "POST https://autodiscover.example.test/autodiscover/autodiscover.xml");
    assert_eq!(first.status, StepStatus::Found);
    assert!(first.outcome.contains("IMAP imap.example.test:993 (TLS)") && first.outcome.contains("WEB"), "{first:?}");
    assert_address_hidden(&result);

    // What went over the wire: a POST of the address and the schema, and no credentials.
    let logged = server.logged();
    assert!(!logged.is_empty());
    for request in &logged {
        assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", PATH));
        assert!(request.header("content-type").unwrap_or("").starts_with("text/xml"), "{request:?}");
        assert!(request.body.contains(&format!("<EMailAddress>{EMAIL}</EMailAddress>")), "{}", request.body);
        assert!(request
            .body
            .contains(&format!("<AcceptableResponseSchema>{RESPONSE_SCHEMA}</AcceptableResponseSchema>")));
        assert_eq!(request.authorization, None, "credentials sent without consent");
    }
}

#[tokio::test]
async fn a_401_without_consent_asks_for_the_password_and_sends_nothing() {
    let pki = TestPki::generate();
    let route = Route::post(PATH, "text/xml", settings("imap.example.test")).requiring_basic_auth(EMAIL, PASSWORD);
    let server = server(&pki, vec![route]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;

    assert_eq!(result.outcome, HttpOutcome::CredentialsRequired, "{result:?}");
    assert!(
        result.trace.iter().any(|s| s.outcome.contains("the server wants your password before it tells the settings")),
        "{:?}",
        result.trace
    );
    let logged = server.logged();
    assert_eq!(logged.len(), 2, "one request per host, no retry: {logged:?}");
    assert!(logged.iter().all(|r| r.authorization.is_none() && r.refused_for_auth));
}

#[tokio::test]
async fn with_consent_the_password_goes_as_basic_and_never_into_the_trace() {
    let pki = TestPki::generate();
    let route = Route::post(PATH, "text/xml", settings("imap.example.test")).requiring_basic_auth(EMAIL, PASSWORD);
    let server = server(&pki, vec![route]);
    let http = all_to(&pki, &server);
    let password = Secret::new(PASSWORD);
    let credentials = PoxCredentials { username: EMAIL, password: &password };

    let result = http.autodiscover_pox("example.test", EMAIL, Some(credentials), DEADLINE).await;
    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    assert_eq!(endpoints[0].endpoint.display(), "imap.example.test:993");

    // The server asked first (401 to a request without credentials), then got them.
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{PASSWORD}"));
    let logged = server.logged();
    assert!(logged.iter().any(|r| r.authorization.is_none() && r.refused_for_auth), "{logged:?}");
    assert!(logged
        .iter()
        .any(|r| r.authorization.as_deref() == Some(format!("Basic {token}").as_str()) && !r.refused_for_auth));

    // The password (plain or encoded) is in no trace, outcome or Debug output.
    for text in [format!("{result:?}"), format!("{credentials:?}"), serde_json::to_string(&result).unwrap()] {
        assert!(!text.contains(PASSWORD) && !text.contains(&token), "{text}");
    }
    assert_address_hidden(&result);

    // A wrong password is refused in plain words, and the password still appears nowhere.
    let wrong = Secret::new("not-the-password");
    let refused = http
        .autodiscover_pox("example.test", EMAIL, Some(PoxCredentials { username: EMAIL, password: &wrong }), DEADLINE)
        .await;
    assert!(failed(&refused).contains("did not accept the user name and password"), "{refused:?}");
    assert!(!format!("{refused:?}").contains("not-the-password"));
}

#[tokio::test]
async fn redirect_addr_asks_again_for_another_address() {
    let pki = TestPki::generate();
    let answer = account("<Action>redirectAddr</Action><RedirectAddr>alice@elsewhere.test</RedirectAddr>");
    let server = server(&pki, vec![Route::post(PATH, "text/xml", answer)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(result.outcome, HttpOutcome::RedirectAddress { email: "alice@elsewhere.test".into() }, "{result:?}");
    assert!(result.trace.iter().any(|s| s.outcome.contains("another address, …@elsewhere.test")), "{:?}", result.trace);
    assert_address_hidden(&result);
}

#[tokio::test]
async fn redirect_url_to_another_domain_is_returned_not_followed() {
    let pki = TestPki::generate();
    let to = "https://autodiscover.elsewhere.test/autodiscover/autodiscover.xml";
    let answer = account(&format!("<Action>redirectUrl</Action><RedirectUrl>{to}</RedirectUrl>"));
    let server = server(&pki, vec![Route::post(PATH, "text/xml", answer)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(result.outcome, HttpOutcome::Redirect { to: to.into() }, "{result:?}");
    let hosts: Vec<_> = server.logged().iter().map(|r| r.header("host").unwrap_or("").to_owned()).collect();
    assert!(hosts.iter().all(|h| !h.contains("elsewhere")), "{hosts:?}");
}

#[tokio::test]
async fn an_http_redirect_to_another_domain_is_returned_not_followed() {
    let pki = TestPki::generate();
    let to = "https://autodiscover.elsewhere.test/autodiscover/autodiscover.xml";
    let server = server(&pki, vec![Route::redirect(PATH, 302, to)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(result.outcome, HttpOutcome::Redirect { to: to.into() }, "{result:?}");
    // autodiscover.elsewhere.test goes to the same server: had it been followed, the log would
    // show a third request.
    let logged = server.logged();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert!(logged.iter().all(|r| !r.header("host").unwrap_or("").contains("elsewhere")));
}

#[tokio::test]
async fn a_same_domain_redirect_is_followed_with_the_same_post() {
    let pki = TestPki::generate();
    let routes = vec![
        Route::redirect(PATH, 302, "https://mail.example.test/ad/autodiscover.xml"),
        Route::post("/ad/autodiscover.xml", "text/xml", settings("imap.example.test")),
    ];
    let server = server(&pki, routes);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert!(matches!(result.outcome, HttpOutcome::FoundEndpoints { .. }), "{result:?}");
    let followed: Vec<_> = server.logged().into_iter().filter(|r| r.target == "/ad/autodiscover.xml").collect();
    assert!(!followed.is_empty());
    assert!(followed.iter().all(|r| r.method == "POST" && r.body.contains("<EMailAddress>")), "{followed:?}");
}

#[tokio::test]
async fn a_plain_http_redirect_is_refused() {
    let pki = TestPki::generate();
    let server =
        server(&pki, vec![Route::redirect(PATH, 302, "http://mail.example.test/autodiscover/autodiscover.xml")]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert!(failed(&result).contains("not HTTPS"), "{result:?}");
}

#[tokio::test]
async fn a_silent_server_times_out_within_the_deadline() {
    let pki = TestPki::generate();
    let server = server(&pki, vec![Route::hang(PATH)]);
    let http = all_to(&pki, &server);
    let deadline = Duration::from_millis(500);
    let started = Instant::now();
    let result = http.autodiscover_pox("example.test", EMAIL, None, deadline).await;
    let took = started.elapsed();
    // The caller's deadline fired (the server never answers, so nothing else would end it); the
    // upper bound only leaves room for a busy machine.
    assert_eq!(result.outcome, HttpOutcome::TimedOut, "{result:?}");
    assert!(took >= deadline && took < deadline + Duration::from_secs(5), "took {took:?}");
    assert_eq!(result.trace.len(), 2);
    assert!(result.trace.iter().all(|s| s.status == StepStatus::TimedOut));
}

#[tokio::test]
async fn malformed_xml_and_wrong_content_types_fail_cleanly() {
    let pki = TestPki::generate();
    let broken = Route::post(PATH, "text/xml", "<Autodiscover><Response><Account>");
    let server = server(&pki, vec![broken]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert!(failed(&result).contains("not well-formed XML"), "{result:?}");

    let html = Route::post(PATH, "text/html", "<html><body>Welcome to example.test</body></html>");
    let server = self::server(&pki, vec![html]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    let why = failed(&result);
    assert!(why.contains("text/html") && why.contains("instead of an XML Autodiscover answer"), "{why}");

    let page = Route::post(PATH, "text/xml", "<html><body>Welcome</body></html>");
    let server = self::server(&pki, vec![page]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert!(failed(&result).contains("not an Autodiscover answer"), "{result:?}");
}

#[tokio::test]
async fn error_answers_are_not_found_or_failed_in_plain_words() {
    let pki = TestPki::generate();
    let unknown = account("<Error Time=\"10:00:00.0000000\" Id=\"1\"><ErrorCode>500</ErrorCode><Message>The email address alice@example.test can't be found.</Message><DebugData/></Error>");
    let server = server(&pki, vec![Route::post(PATH, "text/xml", unknown)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(result.outcome, HttpOutcome::NotFound, "{result:?}");
    assert!(
        result.trace.iter().all(|s| s.outcome.starts_with("the server does not know this address")),
        "{:?}",
        result.trace
    );
    assert_address_hidden(&result);

    let internal = account("<Error><ErrorCode>603</ErrorCode><Message>Internal error</Message></Error>");
    let server = self::server(&pki, vec![Route::post(PATH, "text/xml", internal)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(failed(&result), "the server failed (internal error) (Autodiscover error 603: Internal error)");

    // Exchange's own protocols only: nothing for us, and the trace says why.
    let exchange =
        account("<Action>settings</Action><Protocol><Type>EXCH</Type><Server>mbx.example.local</Server></Protocol>");
    let server = self::server(&pki, vec![Route::post(PATH, "text/xml", exchange)]);
    let result = all_to(&pki, &server).autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    assert_eq!(result.outcome, HttpOutcome::NotFound);
    assert!(
        result.trace[0].outcome.contains("no IMAP, POP3 or SMTP server") && result.trace[0].outcome.contains("EXCH")
    );
}

#[tokio::test]
async fn the_autodiscover_host_is_preferred_over_the_domain() {
    let pki = TestPki::generate();
    let preferred = server(&pki, vec![Route::post(PATH, "text/xml", settings("imap.first.example.test"))]);
    let other = server(&pki, vec![Route::post(PATH, "text/xml", settings("imap.second.example.test"))]);
    let http = sources(&pki, &[("autodiscover.example.test", &preferred), ("example.test", &other)]);
    let result = http.autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    assert_eq!(endpoints[0].endpoint.host, "imap.first.example.test");

    // When the autodiscover host has nothing, the domain's own answer counts.
    let empty = server(&pki, vec![Route::status(PATH, 404)]);
    let http = sources(&pki, &[("autodiscover.example.test", &empty), ("example.test", &other)]);
    let result = http.autodiscover_pox("example.test", EMAIL, None, DEADLINE).await;
    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    assert_eq!(endpoints[0].endpoint.host, "imap.second.example.test");
    let queries: Vec<_> = result.trace.iter().map(|s| (s.query.as_str(), s.status)).collect();
    assert_eq!(
        queries,
        vec![
            ("POST https://autodiscover.example.test/autodiscover/autodiscover.xml", StepStatus::NotFound),
            ("POST https://example.test/autodiscover/autodiscover.xml", StepStatus::Found),
        ]
    );
}

#[tokio::test]
async fn a_confirmed_redirect_target_is_asked_directly() {
    let pki = TestPki::generate();
    let server = server(&pki, vec![Route::post(PATH, "text/xml", settings("imap.elsewhere.test"))]);
    let http = all_to(&pki, &server);
    let result = http
        .autodiscover_pox_at("https://autodiscover.elsewhere.test/autodiscover/autodiscover.xml", EMAIL, None, DEADLINE)
        .await;
    let HttpOutcome::FoundEndpoints { endpoints } = &result.outcome else { panic!("{result:?}") };
    assert_eq!(endpoints[0].endpoint.host, "imap.elsewhere.test");
    assert_eq!(result.trace[0].query, "POST https://autodiscover.elsewhere.test/autodiscover/autodiscover.xml");
    assert_eq!(server.logged().len(), 1);
    assert_eq!(server.logged()[0].header("host"), Some("autodiscover.elsewhere.test"));

    let plain = http
        .autodiscover_pox_at("http://autodiscover.elsewhere.test/autodiscover/autodiscover.xml", EMAIL, None, DEADLINE)
        .await;
    assert!(failed(&plain).contains("not an HTTPS address"), "{plain:?}");
    assert_eq!(server.logged().len(), 1);
}
