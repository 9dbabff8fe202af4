//! The HTTP client for the issuer's endpoints (metadata, token, device authorization). The
//! `oauth2` crate speaks the protocol; requests go through this client, built like discovery's
//! web client: the engine's rustls trust anchors ([`TlsContext`]), `connect_to` overrides, the
//! configured DNS server, no proxy. It follows no redirect: a token endpoint that redirects
//! would take the code and the PKCE verifier elsewhere (RFC 6749 3.2 gives the endpoint, and
//! OAuth 2.0 Security BCP 4.11 warns against following). Every request has a deadline.

use crate::config::EngineConfig;
use crate::discover::sources::http::{chain, overrides};
use crate::net::dns::DnsResolver;
use crate::net::TlsContext;
use std::time::Duration;

/// Largest answer read from an issuer (a token answer is a few kilobytes, metadata less).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Why a request to the issuer got no HTTP answer (the words name no token: requests carry
/// them only in their bodies, and reqwest's errors name the URL, never the body).
#[derive(Debug, Clone, thiserror::Error)]
pub enum IssuerHttpError {
    #[error("no answer within {0} s")]
    TimedOut(u64),
    #[error("{0}")]
    Failed(String),
    #[error("the answer is larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    /// A redirect, not followed (see the module).
    #[error("HTTP {0}: a redirect, which Inlet does not follow here")]
    Redirected(u16),
    /// A 5xx answer that is not an OAuth error: the issuer's own failure, passing.
    #[error("HTTP {0}: the server failed")]
    ServerFailed(u16),
}

#[derive(Clone)]
pub struct IssuerHttp {
    client: reqwest::Client,
    deadline: Duration,
}

impl IssuerHttp {
    pub fn new(config: &EngineConfig, tls: &TlsContext) -> Result<IssuerHttp, String> {
        let mut tls_config = tls.client_config();
        tls_config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .https_only(true)
            .user_agent(concat!("Inlet/", env!("CARGO_PKG_VERSION")))
            .http1_only();
        for (host, addrs) in overrides(&config.connect_to, 443).map_err(|e| e.to_string())? {
            builder = builder.resolve_to_addrs(&host, &addrs);
        }
        if config.dns_server.is_some() {
            builder = builder.dns_resolver(DnsResolver::from_config(config).map_err(|e| e.to_string())?);
        }
        let client = builder.build().map_err(|e| chain(&e))?;
        // A token answer is one request and answer: the command deadline is the right size.
        Ok(IssuerHttp { client, deadline: config.deadlines.command })
    }

    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// One request, whole answer, under the deadline; redirects come back as they are.
    pub async fn execute(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, IssuerHttpError> {
        let deadline = self.deadline;
        match tokio::time::timeout(deadline, self.execute_unbounded(request)).await {
            Ok(result) => result,
            Err(_) => Err(IssuerHttpError::TimedOut(deadline.as_secs().max(1))),
        }
    }

    async fn execute_unbounded(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, IssuerHttpError> {
        let request = reqwest::Request::try_from(request).map_err(|e| IssuerHttpError::Failed(chain(&e)))?;
        let mut response = self.client.execute(request).await.map_err(|e| IssuerHttpError::Failed(chain(&e)))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(IssuerHttpError::Redirected(status.as_u16()));
        }
        let mut answer = oauth2::http::Response::builder().status(status);
        if let Some(headers) = answer.headers_mut() {
            *headers = response.headers().clone();
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| IssuerHttpError::Failed(chain(&e)))? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(IssuerHttpError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        // RFC 6749 5.2 errors are JSON with `error`, and a 503 may carry
        // `temporarily_unavailable`: only a 5xx without one is the server failing.
        if status.is_server_error() && !is_oauth_error(&body) {
            return Err(IssuerHttpError::ServerFailed(status.as_u16()));
        }
        answer.body(body).map_err(|e| IssuerHttpError::Failed(e.to_string()))
    }

    /// A GET of a JSON document (issuer metadata).
    pub(crate) async fn get_json(&self, url: &url::Url) -> Result<(u16, Vec<u8>), IssuerHttpError> {
        let request = oauth2::http::Request::builder()
            .method(oauth2::http::Method::GET)
            .uri(url.as_str())
            .header(oauth2::http::header::ACCEPT, "application/json")
            .body(Vec::new())
            .map_err(|e| IssuerHttpError::Failed(e.to_string()))?;
        let answer = self.execute(request).await?;
        Ok((answer.status().as_u16(), answer.into_body()))
    }
}

fn is_oauth_error(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.get("error").is_some_and(|e| e.is_string()))
}

/// The `oauth2` crate's view of [`IssuerHttp`]: it calls this for every request of a flow.
impl<'c> oauth2::AsyncHttpClient<'c> for IssuerHttp {
    type Error = IssuerHttpError;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<oauth2::HttpResponse, IssuerHttpError>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.execute(request))
    }
}
