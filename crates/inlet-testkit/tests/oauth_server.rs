//! The test authorization server does what real providers do, by hand over plain HTTP: PKCE
//! enforced, codes usable once, refresh tokens rotated, the device flow, introspection that
//! rejects unknown, revoked and foreign tokens, and the providers' URL shapes and errors.

use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Consent, ErrorStage, ScriptedError, Style};
use inlet_testkit::TestPki;

const IMAP: &str = "https://outlook.office.com/IMAP.AccessAsUser.All";
const ALICE: &str = "alice@example.test";

fn code_of(query: &str) -> (Option<String>, Vec<(String, String)>) {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    (pairs.iter().find(|(k, _)| k == "code").map(|(_, v)| v.clone()), pairs)
}

#[test]
fn code_flow_with_pkce_works_once_and_refresh_rotates() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });

    let flow = server.begin_code_flow(server.client_id(), &[IMAP, "offline_access"]);
    assert!(flow.authorization_url.starts_with("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?"));
    let page = server.follow_as_person(&flow.authorization_url, ALICE, Consent::Approve);
    assert_eq!(page.status, 200, "{page:?}");
    let (code, pairs) = code_of(&flow.redirect_query().expect("redirected"));
    let code = code.expect("a code");
    assert!(pairs.contains(&("state".into(), flow.state.clone())));
    // Microsoft sends no RFC 9207 iss.
    assert!(!pairs.iter().any(|(k, _)| k == "iss"), "{pairs:?}");

    let exchange = |verifier: &str| {
        server.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &flow.redirect_uri),
            ("code_verifier", verifier),
            ("client_id", server.client_id()),
        ])
    };
    // A wrong verifier is refused (PKCE, RFC 7636 §4.6).
    let wrong = exchange("0123456789012345678901234567890123456789abcdefgh").expect_err("wrong verifier");
    assert_eq!(wrong.error().as_deref(), Some("invalid_grant"), "{wrong:?}");
    // The right one works, once; a replayed code is refused and the tokens it gave are revoked
    // (RFC 6749 §4.1.2).
    let tokens = exchange(&flow.code_verifier).expect("the code exchange");
    assert!(server.introspect(&tokens.access_token));
    let replay = exchange(&flow.code_verifier).expect_err("a replayed code");
    assert_eq!(replay.error().as_deref(), Some("invalid_grant"));
    assert!(!server.introspect(&tokens.access_token), "tokens of a replayed code are revoked");

    // Refresh rotates: a new refresh token, the old one refused.
    let tokens = server.sign_in(ALICE, &[IMAP]);
    let first = tokens.refresh_token.clone().expect("a refresh token");
    let refreshed = server.refresh(&first).expect("refresh");
    let second = refreshed.refresh_token.clone().expect("a rotated refresh token");
    assert_ne!(first, second);
    assert!(server.introspect(&refreshed.access_token));
    assert_eq!(server.refresh(&first).expect_err("the old refresh token").error().as_deref(), Some("invalid_grant"));
    // Reuse of a rotated refresh token looks like theft: the whole grant is revoked (RFC 9700 §4.14.2).
    assert!(!server.introspect(&refreshed.access_token));
    assert!(server.refresh(&second).is_err());
}

#[test]
fn pkce_is_required() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions::default());
    let flow = server.begin_code_flow(server.client_id(), &["mail"]);
    let without: String =
        flow.authorization_url.split('&').filter(|p| !p.starts_with("code_challenge")).collect::<Vec<_>>().join("&");
    let page = server.follow_as_person(&without, ALICE, Consent::Approve);
    // oidc-provider sends the error back to the client's redirect_uri.
    let (code, pairs) = code_of(&flow.redirect_query().expect("redirected with an error"));
    assert!(code.is_none(), "{page:?}");
    assert!(pairs.contains(&("error".into(), "invalid_request".into())), "{pairs:?}");
}

#[test]
fn introspection_rejects_unknown_revoked_and_foreign_tokens() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions::default());
    assert!(!server.introspect("not-a-token-this-server-issued"));

    let alice = server.sign_in(ALICE, &["mail"]);
    let bob = server.sign_in("bob", &["mail"]);
    assert!(server.introspect(&alice.access_token));
    assert!(server.introspect(&bob.access_token));

    // A token issued to another application is not for the mail servers.
    let foreign = server.sign_in_as_client("other-app", ALICE, &["mail"]);
    assert!(!server.introspect(&foreign.access_token));

    // Alice's grants: to Inlet and to the other application.
    assert_eq!(server.revoke_all(ALICE), 2);
    assert!(!server.introspect(&alice.access_token), "revoked");
    assert_eq!(
        server.refresh(alice.refresh_token.as_deref().unwrap()).unwrap_err().error().as_deref(),
        Some("invalid_grant")
    );
    assert!(server.introspect(&bob.access_token), "another user's grant stays");
}

#[test]
fn device_flow_is_approved_or_denied_by_the_person() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Google, ..Default::default() });
    let device = server.device_authorization(&["https://mail.google.com/"]);
    let pending = server.poll_device(&device.device_code).expect_err("not yet approved");
    assert_eq!(pending.error().as_deref(), Some("authorization_pending"));
    let page = server.approve_device(&device.user_code, ALICE, Consent::Approve);
    assert_eq!(page.status, 200, "{page:?}");
    let tokens = server.poll_device(&device.device_code).expect("approved");
    assert!(server.introspect(&tokens.access_token));
    assert!(tokens.refresh_token.is_some());

    let device = server.device_authorization(&["https://mail.google.com/"]);
    server.approve_device(&device.user_code, ALICE, Consent::Deny);
    let denied = server.poll_device(&device.device_code).expect_err("denied");
    assert_eq!(denied.error().as_deref(), Some("access_denied"), "{denied:?}");
}

#[test]
fn scripted_errors_are_answered_as_the_provider_words_them() {
    let pki = TestPki::generate();
    let consent = "AADSTS65001: The user or administrator has not consented to use the application.";
    let server = AuthServer::start(
        &pki,
        AuthServerOptions {
            style: Style::Microsoft,
            scripted_errors: vec![ScriptedError::new("bob", ErrorStage::Authorization, "invalid_grant", consent)],
            ..Default::default()
        },
    );
    let flow = server.begin_code_flow(server.client_id(), &[IMAP]);
    server.follow_as_person(&flow.authorization_url, "bob", Consent::Approve);
    let (_, pairs) = code_of(&flow.redirect_query().unwrap());
    assert!(pairs.contains(&("error".into(), "invalid_grant".into())), "{pairs:?}");
    assert!(pairs.contains(&("error_description".into(), consent.into())), "{pairs:?}");

    // Denied consent: access_denied at the redirect.
    let flow = server.begin_code_flow(server.client_id(), &[IMAP]);
    server.follow_as_person(&flow.authorization_url, ALICE, Consent::Deny);
    let (code, pairs) = code_of(&flow.redirect_query().unwrap());
    assert!(code.is_none());
    assert!(pairs.contains(&("error".into(), "access_denied".into())), "{pairs:?}");

    // A refresh token expired through inactivity, set after sign-in.
    let tokens = server.sign_in(ALICE, &[IMAP, "offline_access"]);
    let expired = "AADSTS700082: The refresh token has expired due to inactivity.";
    server.set_scripted_errors(&[ScriptedError::new(ALICE, ErrorStage::Refresh, "invalid_grant", expired)]);
    let err = server.refresh(tokens.refresh_token.as_deref().unwrap()).unwrap_err();
    assert_eq!(err.status, 400);
    assert_eq!(err.error().as_deref(), Some("invalid_grant"));
    assert!(err.body.contains("AADSTS700082") && err.body.contains("\"error_codes\":[700082]"), "{}", err.body);
}

#[test]
fn metadata_names_the_styles_endpoints() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions::default());
    let page = server.follow_as_person(
        &format!("{}/.well-known/oauth-authorization-server", server.base_url()),
        ALICE,
        Consent::Approve,
    );
    assert!(page.body.contains(&format!("\"issuer\":\"{}\"", server.issuer())), "{}", page.body);
    assert!(page.body.contains("\"code_challenge_methods_supported\":[\"S256\"]"), "{}", page.body);

    let ms = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let page = ms.follow_as_person(
        "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
        ALICE,
        Consent::Approve,
    );
    assert!(
        page.body.contains("\"token_endpoint\":\"https://login.microsoftonline.com/organizations/oauth2/v2.0/token\""),
        "{}",
        page.body
    );
}

/// The `oauth-browser` command (the browser the engine starts in tests) signs in as the given
/// user and brings the code back to the application's listener, or the refusal with `--deny`.
#[test]
fn oauth_browser_command_follows_as_a_person() {
    let pki = TestPki::generate();
    let server = AuthServer::start(&pki, AuthServerOptions { style: Style::Microsoft, ..Default::default() });
    let run = |flow: &inlet_testkit::oauth::CodeFlow, extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inlet-test-servers"))
            .arg("oauth-browser")
            .args(["--user", "bob", "--ca"])
            .arg(pki.ca_pem_path())
            .args(["--server", &format!("127.0.0.1:{}", server.port())])
            .args(extra)
            .arg(&flow.authorization_url)
            .output()
            .expect("the command runs")
    };
    let flow = server.begin_code_flow(server.client_id(), &[IMAP]);
    let out = run(&flow, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(code_of(&flow.redirect_query().unwrap()).0.is_some());

    let flow = server.begin_code_flow(server.client_id(), &[IMAP]);
    let out = run(&flow, &["--deny"]);
    assert!(out.status.success(), "the listener answered: {}", String::from_utf8_lossy(&out.stderr));
    let (code, pairs) = code_of(&flow.redirect_query().unwrap());
    assert!(code.is_none() && pairs.contains(&("error".into(), "access_denied".into())), "{pairs:?}");
}
