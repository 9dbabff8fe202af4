//! Where an issuer's endpoints are, and which scopes a mailbox asks it for.
//!
//! Google's and Microsoft's endpoints are built in (no metadata round trip before the browser
//! opens). Any other issuer publishes them: RFC 8414 metadata
//! (`/.well-known/oauth-authorization-server`), else OpenID Connect Discovery
//! (`/.well-known/openid-configuration`); the document's `issuer` must be the one asked for
//! (RFC 8414 3.3), so a document cannot send the sign-in elsewhere. An autoconfig `<oAuth2>`
//! element may name the endpoints itself.

use super::errors::SignInError;
use super::http::IssuerHttp;
use super::IssuerChoice;
use crate::account::{MailboxSettings, Protocol};
use serde::Deserialize;
use url::Url;

pub(crate) const GOOGLE_ISSUER: &str = "https://accounts.google.com";
const GOOGLE_AUTHORIZE: &str = "https://accounts.google.com/o/oauth2/v2/auth";
const GOOGLE_TOKEN: &str = "https://oauth2.googleapis.com/token";
const GOOGLE_DEVICE: &str = "https://oauth2.googleapis.com/device/code";
/// Google's one scope for IMAP, POP and SMTP (developers.google.com/gmail/imap/xoauth2-protocol).
pub(crate) const GOOGLE_MAIL_SCOPE: &str = "https://mail.google.com/";

pub(crate) const MICROSOFT_LOGIN: &str = "https://login.microsoftonline.com";
/// Microsoft's delegated mail scopes (learn.microsoft.com, "Authenticate an IMAP, POP or SMTP
/// connection using OAuth").
const MICROSOFT_IMAP_SCOPE: &str = "https://outlook.office.com/IMAP.AccessAsUser.All";
const MICROSOFT_POP_SCOPE: &str = "https://outlook.office.com/POP.AccessAsUser.All";
const MICROSOFT_SMTP_SCOPE: &str = "https://outlook.office.com/SMTP.Send";
/// Asks Microsoft's and other OpenID issuers for a refresh token.
pub(crate) const OFFLINE_ACCESS: &str = "offline_access";
/// A Microsoft tenant when none is configured: work, school and personal accounts alike.
pub(crate) const DEFAULT_TENANT: &str = "common";

/// Whose issuer it is: decides scopes, extra parameters and which error words apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerKind {
    Google,
    Microsoft { tenant: String },
    Other,
}

/// Everything a flow needs to know about an issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerEndpoints {
    /// The issuer identifier, as the grant keeps it.
    pub issuer: String,
    pub kind: IssuerKind,
    pub authorization: Url,
    pub token: Url,
    /// RFC 8628's device authorization endpoint, when the issuer has one.
    pub device: Option<Url>,
    /// RFC 9207: the issuer says it adds `iss` to its authorization responses, so one
    /// without it is refused.
    pub iss_parameter_supported: bool,
    /// Scopes the source names (autoconfig `<scope>`, the configuration), for other issuers.
    pub scope: Option<String>,
    /// The issuer lists `offline_access` among its scopes (OpenID Connect's refresh tokens).
    pub offers_offline_access: bool,
}

impl IssuerEndpoints {
    pub fn google() -> IssuerEndpoints {
        IssuerEndpoints {
            issuer: GOOGLE_ISSUER.into(),
            kind: IssuerKind::Google,
            authorization: Url::parse(GOOGLE_AUTHORIZE).expect("a valid constant"),
            token: Url::parse(GOOGLE_TOKEN).expect("a valid constant"),
            device: Some(Url::parse(GOOGLE_DEVICE).expect("a valid constant")),
            iss_parameter_supported: false,
            scope: None,
            offers_offline_access: false,
        }
    }

    /// Microsoft identity platform v2.0 endpoints of `tenant` (checked by [`valid_tenant`]).
    pub fn microsoft(tenant: &str) -> Result<IssuerEndpoints, SignInError> {
        if !valid_tenant(tenant) {
            return Err(SignInError::BadInput {
                field: "tenant",
                message: crate::tr!("signin-tenant-invalid", tenant = crate::server_text::shown_plain(tenant)),
            });
        }
        let base = format!("{MICROSOFT_LOGIN}/{tenant}");
        let url = |path: &str| Url::parse(&format!("{base}{path}")).expect("a checked tenant makes a valid URL");
        Ok(IssuerEndpoints {
            issuer: format!("{base}/v2.0"),
            kind: IssuerKind::Microsoft { tenant: tenant.to_owned() },
            authorization: url("/oauth2/v2.0/authorize"),
            token: url("/oauth2/v2.0/token"),
            device: Some(url("/oauth2/v2.0/devicecode")),
            iss_parameter_supported: false,
            scope: None,
            offers_offline_access: true,
        })
    }

    /// An issuer for a refresh only (RFC 6749 6), which talks to the token endpoint alone: the
    /// one a grant keeps. `authorization` is the token endpoint too, never used.
    pub(crate) fn token_endpoint_only(issuer: &str, token_url: &str) -> Result<IssuerEndpoints, SignInError> {
        let token = https_url(token_url, "token_url")?;
        Ok(IssuerEndpoints {
            issuer: https_url(issuer, "issuer")?.as_str().trim_end_matches('/').to_owned(),
            kind: IssuerKind::Other,
            authorization: token.clone(),
            token,
            device: None,
            iss_parameter_supported: false,
            scope: None,
            offers_offline_access: false,
        })
    }

    /// The scopes a mailbox with `settings` needs here: only what it uses (IMAP or POP, SMTP
    /// when it has an outgoing server), and a refresh token.
    pub fn scopes(&self, settings: &MailboxSettings) -> Vec<String> {
        match &self.kind {
            IssuerKind::Google => vec![GOOGLE_MAIL_SCOPE.into()],
            IssuerKind::Microsoft { .. } => {
                let mut scopes = vec![match settings.incoming.protocol() {
                    Protocol::Pop3 => MICROSOFT_POP_SCOPE,
                    _ => MICROSOFT_IMAP_SCOPE,
                }
                .to_owned()];
                if settings.outgoing.is_some() {
                    scopes.push(MICROSOFT_SMTP_SCOPE.into());
                }
                scopes.push(OFFLINE_ACCESS.into());
                scopes
            }
            IssuerKind::Other => {
                let mut scopes: Vec<String> =
                    self.scope.as_deref().unwrap_or_default().split_whitespace().map(str::to_owned).collect();
                if self.offers_offline_access && !scopes.iter().any(|s| s == OFFLINE_ACCESS) {
                    scopes.push(OFFLINE_ACCESS.into());
                }
                scopes
            }
        }
    }

    /// Parameters the issuer needs besides the standard ones: Google gives a refresh token
    /// only with `access_type=offline` (developers.google.com/identity/protocols/oauth2/native-app).
    pub(crate) fn extra_authorization_parameters(&self) -> Vec<(&'static str, &'static str)> {
        match self.kind {
            IssuerKind::Google => vec![("access_type", "offline")],
            _ => Vec::new(),
        }
    }

    /// Microsoft's admin-consent page for this tenant and client: where an administrator
    /// grants the app for the whole organisation (AADSTS65001, AADSTS90094).
    pub fn admin_consent_url(&self, client_id: &str) -> Option<String> {
        let IssuerKind::Microsoft { tenant } = &self.kind else { return None };
        // The tenant-independent names have no administrator; the page then asks which tenant.
        let tenant = match tenant.as_str() {
            "common" | "consumers" => "organizations",
            t => t,
        };
        let mut url = Url::parse(&format!("{MICROSOFT_LOGIN}/{tenant}/adminconsent")).ok()?;
        url.query_pairs_mut().append_pair("client_id", client_id);
        Some(url.into())
    }
}

/// `common`, `organizations`, `consumers`, a tenant id (a GUID) or a domain: letters, digits,
/// `-` and `.` only, so it cannot change the URL it is put in.
pub(crate) fn valid_tenant(tenant: &str) -> bool {
    !tenant.is_empty()
        && tenant.len() <= 253
        && tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !tenant.starts_with('.')
}

/// The choice an issuer URL (or bare host, as ISPDB writes `<issuer>accounts.google.com`)
/// stands for.
pub(crate) fn choice_for_url(url: &str) -> IssuerChoice {
    let trimmed = url.trim().trim_end_matches('/');
    let with_scheme = if trimmed.contains("://") { trimmed.to_owned() } else { format!("https://{trimmed}") };
    if let Ok(parsed) = Url::parse(&with_scheme) {
        match parsed.host_str() {
            Some("accounts.google.com") => return IssuerChoice::Google,
            Some("login.microsoftonline.com") => {
                let tenant = parsed.path_segments().and_then(|mut s| s.next()).filter(|t| valid_tenant(t));
                return IssuerChoice::Microsoft { tenant: tenant.map(str::to_owned) };
            }
            _ => {}
        }
    }
    IssuerChoice::Issuer { url: with_scheme, authorization_url: None, token_url: None, scope: None }
}

/// RFC 8414 / OpenID Connect Discovery metadata: the fields Inlet uses.
#[derive(Debug, Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
    #[serde(default)]
    scopes_supported: Vec<String>,
}

/// The endpoints of an issuer named by URL: from what the source named (autoconfig), else
/// from its metadata.
pub async fn discover(
    http: &IssuerHttp,
    issuer: &str,
    authorization_url: Option<&str>,
    token_url: Option<&str>,
    scope: Option<&str>,
) -> Result<IssuerEndpoints, SignInError> {
    let issuer_url = https_url(issuer, "issuer")?;
    let issuer = issuer_url.as_str().trim_end_matches('/').to_owned();
    if let (Some(authorization), Some(token)) = (authorization_url, token_url) {
        return Ok(IssuerEndpoints {
            authorization: https_url(authorization, "authorization_url")?,
            token: https_url(token, "token_url")?,
            device: None,
            iss_parameter_supported: false,
            scope: scope.map(str::to_owned),
            offers_offline_access: false,
            kind: IssuerKind::Other,
            issuer,
        });
    }
    let mut tried = Vec::new();
    for url in metadata_urls(&issuer_url) {
        let (status, body) = http
            .get_json(&url)
            .await
            .map_err(|e| SignInError::IssuerUnreachable { issuer: issuer.clone(), message: format!("{url}: {e}") })?;
        if status == 404 || status == 410 {
            tried.push(format!("{url}: HTTP {status}"));
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(SignInError::IssuerUnreachable {
                issuer: issuer.clone(),
                message: format!("{url}: HTTP {status}"),
            });
        }
        let metadata: Metadata = serde_json::from_slice(&body).map_err(|e| SignInError::IssuerMetadata {
            issuer: issuer.clone(),
            message: crate::tr!("signin-detail-not-metadata", url = url.as_str(), error = e.to_string()),
        })?;
        // RFC 8414 3.3: the document must be about the issuer asked for.
        if metadata.issuer.trim_end_matches('/') != issuer {
            return Err(SignInError::IssuerMetadata {
                issuer: issuer.clone(),
                message: crate::tr!(
                    "signin-detail-other-issuer",
                    url = url.as_str(),
                    issuer = crate::server_text::shown_plain(&metadata.issuer)
                ),
            });
        }
        let endpoint = |value: Option<String>, name: &'static str| -> Result<Url, SignInError> {
            let value = value.ok_or_else(|| SignInError::IssuerMetadata {
                issuer: issuer.clone(),
                message: crate::tr!("signin-detail-names-no", url = url.as_str(), name = name),
            })?;
            https_url(&value, name)
        };
        let offers_offline_access = metadata.scopes_supported.iter().any(|s| s == OFFLINE_ACCESS);
        return Ok(IssuerEndpoints {
            authorization: endpoint(metadata.authorization_endpoint, "authorization_endpoint")?,
            token: endpoint(metadata.token_endpoint, "token_endpoint")?,
            device: metadata
                .device_authorization_endpoint
                .map(|d| https_url(&d, "device_authorization_endpoint"))
                .transpose()?,
            iss_parameter_supported: metadata.authorization_response_iss_parameter_supported,
            scope: scope.map(str::to_owned),
            offers_offline_access,
            kind: IssuerKind::Other,
            issuer: issuer.clone(),
        });
    }
    Err(SignInError::IssuerMetadata {
        issuer,
        message: crate::tr!("signin-detail-no-metadata", tried = tried.join("; ")),
    })
}

/// RFC 8414 section 3's URL (the well-known part before the issuer's path), then OpenID
/// Connect Discovery's (appended to the issuer).
fn metadata_urls(issuer: &Url) -> Vec<Url> {
    let path = issuer.path().trim_end_matches('/');
    let mut rfc8414 = issuer.clone();
    rfc8414.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    let mut oidc = issuer.clone();
    oidc.set_path(&format!("{path}/.well-known/openid-configuration"));
    vec![rfc8414, oidc]
}

/// An https URL, or the reason it is not one.
fn https_url(value: &str, field: &'static str) -> Result<Url, SignInError> {
    let url = Url::parse(value.trim()).map_err(|e| SignInError::BadInput {
        field,
        message: crate::tr!(
            "signin-url-invalid",
            value = crate::server_text::shown_plain(value),
            error = e.to_string()
        ),
    })?;
    if url.scheme() != "https" {
        return Err(SignInError::BadInput {
            field,
            message: crate::tr!("signin-url-not-https", value = crate::server_text::shown_plain(value)),
        });
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_urls_name_google_microsoft_or_another() {
        assert_eq!(choice_for_url("accounts.google.com"), IssuerChoice::Google);
        assert_eq!(choice_for_url("https://accounts.google.com/"), IssuerChoice::Google);
        assert_eq!(choice_for_url("login.microsoftonline.com"), IssuerChoice::Microsoft { tenant: None });
        assert_eq!(
            choice_for_url("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"),
            IssuerChoice::Microsoft { tenant: Some("contoso.onmicrosoft.com".into()) }
        );
        assert!(
            matches!(choice_for_url("login.aol.com"), IssuerChoice::Issuer { url, .. } if url == "https://login.aol.com")
        );
    }

    #[test]
    fn tenants_cannot_change_the_url() {
        for good in ["common", "organizations", "consumers", "72f988bf-86f1-41af-91ab-2d7cd011db47", "contoso.com"] {
            assert!(valid_tenant(good), "{good}");
            assert!(IssuerEndpoints::microsoft(good).is_ok());
        }
        for bad in ["", "a/b", "x?y", "evil.com#", "..", ".x", "a b"] {
            assert!(!valid_tenant(bad), "{bad}");
        }
        let ms = IssuerEndpoints::microsoft("organizations").unwrap();
        assert_eq!(ms.issuer, "https://login.microsoftonline.com/organizations/v2.0");
        assert_eq!(ms.token.as_str(), "https://login.microsoftonline.com/organizations/oauth2/v2.0/token");
    }

    #[test]
    fn metadata_urls_follow_rfc_8414_then_openid() {
        let urls = metadata_urls(&Url::parse("https://id.example.test/tenant1").unwrap());
        assert_eq!(urls[0].as_str(), "https://id.example.test/.well-known/oauth-authorization-server/tenant1");
        assert_eq!(urls[1].as_str(), "https://id.example.test/tenant1/.well-known/openid-configuration");
        let urls = metadata_urls(&Url::parse("https://id.example.test").unwrap());
        assert_eq!(urls[0].as_str(), "https://id.example.test/.well-known/oauth-authorization-server");
    }

    #[test]
    fn admin_consent_names_the_tenant_and_client() {
        let url = IssuerEndpoints::microsoft("contoso.com").unwrap().admin_consent_url("app-id").unwrap();
        assert_eq!(url, "https://login.microsoftonline.com/contoso.com/adminconsent?client_id=app-id");
        assert!(IssuerEndpoints::google().admin_consent_url("x").is_none());
    }
}
