//! The browser sign-in: authorization code with PKCE S256 (RFC 7636) and a random `state`,
//! through the loopback redirect (RFC 8252), the issuer checked by RFC 9207 where it takes
//! part; then the code exchanged for tokens (RFC 6749 4.1.3).

use super::clients::ClientRegistration;
use super::errors::{OAuthErrorAnswer, SignInError};
use super::http::{IssuerHttp, IssuerHttpError};
use super::issuer::IssuerEndpoints;
use super::loopback::{Loopback, LoopbackEnd};
use super::{SignInEvent, Tokens};
use crate::secrets::Secret;
use oauth2::basic::{BasicClient, BasicErrorResponse};
pub use oauth2::PkceCodeVerifier;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
};
use std::future::Future;
use std::time::Duration;

/// Everything one browser sign-in needs.
pub struct BrowserSignIn<'a> {
    pub http: &'a IssuerHttp,
    pub issuer: &'a IssuerEndpoints,
    pub client: &'a ClientRegistration,
    pub scopes: Vec<String>,
    /// The address, so the provider's page starts with the right account.
    pub login_hint: &'a str,
    /// How long the browser has to come back.
    pub deadline: Duration,
    pub browser: &'a super::Browser,
    pub on_event: &'a (dyn Fn(SignInEvent) + Send + Sync),
}

/// Runs the browser sign-in until tokens, an error, or `cancelled` completes.
pub async fn sign_in(s: BrowserSignIn<'_>, cancelled: impl Future<Output = ()>) -> Result<Tokens, SignInError> {
    let loopback = Loopback::bind().await.map_err(|e| SignInError::RedirectUnusable {
        message: crate::tr!("signin-detail-cannot-listen", error = e.to_string()),
    })?;
    let redirect_uri = loopback.redirect_uri();
    let client = code_client(s.issuer, s.client, &redirect_uri)?;
    // RFC 7636 4.2: S256, from a random 32-byte verifier.
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(s.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .add_extra_param("login_hint", s.login_hint);
    for (name, value) in s.issuer.extra_authorization_parameters() {
        request = request.add_extra_param(name, value);
    }
    let (url, state) = request.url();
    let opened = s.browser.open(url.as_str()).await;
    (s.on_event)(SignInEvent::BrowserOpened {
        url: url.to_string(),
        opened,
        deadline_at_ms: crate::service::now_ms() + s.deadline.as_millis() as i64,
    });
    tracing::info!(opened, "waiting for the browser to come back");
    let redirect = tokio::select! {
        served = loopback.serve_one(state.secret(), s.deadline) => served,
        () = cancelled => return Err(SignInError::Cancelled),
    };
    let redirect = redirect.map_err(|end| match end {
        LoopbackEnd::TimedOut => SignInError::BrowserTimedOut { seconds: s.deadline.as_secs() },
        other => other.into(),
    })?;
    // RFC 9207 2.4: an `iss` must be the issuer's; an issuer that sends it always must have.
    match &redirect.iss {
        Some(iss) if iss.trim_end_matches('/') != s.issuer.issuer.trim_end_matches('/') => {
            return Err(SignInError::IssuerMismatch {
                expected: s.issuer.issuer.clone(),
                got: Some(crate::server_text::shown_plain(iss)),
            });
        }
        None if s.issuer.iss_parameter_supported => {
            return Err(SignInError::IssuerMismatch { expected: s.issuer.issuer.clone(), got: None });
        }
        _ => {}
    }
    if let Some(answer) = redirect.error {
        return Err(refused(s.issuer, s.client, answer));
    }
    let code =
        redirect.code.ok_or_else(|| SignInError::RedirectUnusable { message: crate::tr!("signin-detail-no-code") })?;
    (s.on_event)(SignInEvent::Exchanging);
    exchange_code(s.http, s.issuer, s.client, &redirect_uri, code, verifier).await
}

/// The client of the code flow, redirecting to `redirect_uri`.
type CodeClient = BasicClient<
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn code_client(
    issuer: &IssuerEndpoints,
    client: &ClientRegistration,
    redirect_uri: &str,
) -> Result<CodeClient, SignInError> {
    let redirect_uri = RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|e| SignInError::RedirectUnusable { message: e.to_string() })?;
    let mut oauth = BasicClient::new(ClientId::new(client.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(issuer.authorization.clone()))
        .set_token_uri(TokenUrl::from_url(issuer.token.clone()))
        .set_redirect_uri(redirect_uri);
    if let Some(secret) = &client.client_secret {
        oauth = oauth.set_client_secret(ClientSecret::new(secret.clone()));
    }
    Ok(oauth)
}

/// The code exchange (RFC 6749 4.1.3) with the PKCE verifier (RFC 7636 4.5): the last step of
/// the browser sign-in. A code works once; the issuer refuses it again (RFC 6749 4.1.2).
pub async fn exchange_code(
    http: &IssuerHttp,
    issuer: &IssuerEndpoints,
    client: &ClientRegistration,
    redirect_uri: &str,
    code: String,
    verifier: PkceCodeVerifier,
) -> Result<Tokens, SignInError> {
    let tokens = code_client(issuer, client, redirect_uri)?
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await
        .map_err(|e| token_error(issuer, client, e))?;
    Ok(tokens_of(&tokens))
}

/// The tokens of a token answer, as secrets.
pub(crate) fn tokens_of(answer: &oauth2::basic::BasicTokenResponse) -> Tokens {
    Tokens {
        access_token: Secret::new(answer.access_token().secret().clone()),
        refresh_token: answer.refresh_token().map(|r| Secret::new(r.secret().clone())),
        expires_in: answer.expires_in(),
    }
}

/// An OAuth error answer as the sign-in's error (with Microsoft's admin-consent page).
pub(crate) fn refused(issuer: &IssuerEndpoints, client: &ClientRegistration, answer: OAuthErrorAnswer) -> SignInError {
    SignInError::Refused {
        issuer: issuer.issuer.clone(),
        admin_consent_url: issuer.admin_consent_url(&client.client_id),
        answer,
    }
}

/// A failed request to the token endpoint. The answer's body is never quoted: a half-readable
/// token answer may hold a token.
pub(crate) fn token_error(
    issuer: &IssuerEndpoints,
    client: &ClientRegistration,
    error: RequestTokenError<IssuerHttpError, BasicErrorResponse>,
) -> SignInError {
    match error {
        RequestTokenError::ServerResponse(answer) => refused(
            issuer,
            client,
            OAuthErrorAnswer::new(
                answer.error().as_ref(),
                answer.error_description().map(String::as_str),
                answer.error_uri().map(String::as_str),
            ),
        ),
        RequestTokenError::Request(e) => {
            SignInError::IssuerUnreachable { issuer: issuer.issuer.clone(), message: format!("{}: {e}", issuer.token) }
        }
        RequestTokenError::Parse(e, _) => SignInError::UnexpectedAnswer {
            issuer: issuer.issuer.clone(),
            message: crate::tr!("signin-detail-token-answer-unreadable", at = e.path().to_string()),
        },
        RequestTokenError::Other(message) => SignInError::UnexpectedAnswer {
            issuer: issuer.issuer.clone(),
            message: crate::server_text::shown_plain(&message),
        },
    }
}

#[cfg(test)]
mod tests {
    use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

    /// RFC 7636 appendix B: the S256 challenge of the example verifier.
    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        let verifier = PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        assert_eq!(challenge.as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(challenge.method().as_str(), "S256");
    }

    /// Each sign-in gets its own verifier (32 random bytes, 43 characters) and state.
    #[test]
    fn verifiers_and_states_are_random() {
        let (c1, v1) = PkceCodeChallenge::new_random_sha256();
        let (c2, v2) = PkceCodeChallenge::new_random_sha256();
        assert_ne!(v1.secret(), v2.secret());
        assert_ne!(c1.as_str(), c2.as_str());
        assert_eq!(v1.secret().len(), 43);
        let (s1, s2) = (oauth2::CsrfToken::new_random(), oauth2::CsrfToken::new_random());
        assert_ne!(s1.secret(), s2.secret());
        assert!(s1.secret().len() >= 22, "at least 128 bits of state");
    }
}
