//! The device authorization grant (RFC 8628), for sessions where the browser is on another
//! machine: the code and URL are shown, and Inlet polls the token endpoint at the issuer's
//! interval, 5 s slower after each `slow_down` (3.5), until approval, denial, expiry or cancel.
//! The polling itself is the `oauth2` crate's.

use super::authorization::{refused, token_error, tokens_of};
use super::clients::ClientRegistration;
use super::errors::{OAuthErrorAnswer, SignInError};
use super::http::{IssuerHttp, IssuerHttpError};
use super::issuer::IssuerEndpoints;
use super::{SignInEvent, Tokens};
use oauth2::basic::BasicClient;
use oauth2::{ClientId, ClientSecret, DeviceAuthorizationUrl, RequestTokenError, Scope, TokenUrl};
use oauth2::{DeviceCodeErrorResponse, StandardDeviceAuthorizationResponse};
use std::future::Future;
use std::time::Duration;

pub struct DeviceSignIn<'a> {
    pub http: &'a IssuerHttp,
    pub issuer: &'a IssuerEndpoints,
    pub client: &'a ClientRegistration,
    pub scopes: Vec<String>,
    pub on_event: &'a (dyn Fn(SignInEvent) + Send + Sync),
}

pub async fn sign_in(s: DeviceSignIn<'_>, cancelled: impl Future<Output = ()>) -> Result<Tokens, SignInError> {
    let device_url =
        s.issuer.device.clone().ok_or_else(|| SignInError::NoDeviceFlow { issuer: s.issuer.issuer.clone() })?;
    let mut client = BasicClient::new(ClientId::new(s.client.client_id.clone()))
        .set_device_authorization_url(DeviceAuthorizationUrl::from_url(device_url.clone()))
        .set_token_uri(TokenUrl::from_url(s.issuer.token.clone()));
    if let Some(secret) = &s.client.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.clone()));
    }
    let work = async {
        let details: StandardDeviceAuthorizationResponse = client
            .exchange_device_code()
            .add_scopes(s.scopes.iter().cloned().map(Scope::new))
            .request_async(s.http)
            .await
            .map_err(|e| token_error(s.issuer, s.client, e))?;
        let expires_in = details.expires_in();
        (s.on_event)(SignInEvent::DeviceCode {
            user_code: details.user_code().secret().clone(),
            verification_uri: details.verification_uri().to_string(),
            verification_uri_complete: details.verification_uri_complete().map(|u| u.secret().clone()),
            expires_at_ms: crate::service::now_ms() + expires_in.as_millis() as i64,
        });
        tracing::info!(expires_in_s = expires_in.as_secs(), "waiting for the device code to be approved");
        // The crate stops at expiry (RFC 8628 3.5: the code is then useless).
        let tokens = client
            .exchange_device_access_token(&details)
            .set_max_backoff_interval(Duration::from_secs(60))
            .request_async(s.http, tokio::time::sleep, None)
            .await
            .map_err(|e| device_error(s.issuer, s.client, &s.issuer.token, e))?;
        (s.on_event)(SignInEvent::Exchanging);
        Ok(tokens_of(&tokens))
    };
    tokio::select! {
        done = work => done,
        () = cancelled => Err(SignInError::Cancelled),
    }
}

fn device_error(
    issuer: &IssuerEndpoints,
    client: &ClientRegistration,
    endpoint: &impl std::fmt::Display,
    error: RequestTokenError<IssuerHttpError, DeviceCodeErrorResponse>,
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
            SignInError::IssuerUnreachable { issuer: issuer.issuer.clone(), message: format!("{endpoint}: {e}") }
        }
        RequestTokenError::Parse(e, _) => SignInError::UnexpectedAnswer {
            issuer: issuer.issuer.clone(),
            message: crate::tr!(
                "signin-detail-answer-unreadable",
                endpoint = endpoint.to_string(),
                at = e.path().to_string()
            ),
        },
        RequestTokenError::Other(message) => SignInError::UnexpectedAnswer {
            issuer: issuer.issuer.clone(),
            message: crate::server_text::shown_plain(&message),
        },
    }
}
