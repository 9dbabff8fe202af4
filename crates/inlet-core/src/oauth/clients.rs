//! Which client id (and Microsoft tenant) a sign-in uses. Four places, strongest first:
//!
//! 1. the administrator's policy file (system-wide, read-only for users), which may lock its
//!    values so that nobody signs in with another app;
//! 2. a client id given for this sign-in (the CLI's `--client-id`, a help-desk technician),
//!    refused when the policy locks it;
//! 3. the user's configuration file (`oauth` in config.json);
//! 4. Inlet's own client ids, set when Inlet is built (`INLET_GOOGLE_CLIENT_ID`,
//!    `INLET_MICROSOFT_CLIENT_ID`). No other application's client id ships.
//!
//! Where none is set, the sign-in button says what an administrator must set.

use super::errors::{PolicyProblem, SignInError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Inlet's own registrations, from the build's environment; empty means unset.
const BUILT_GOOGLE_CLIENT_ID: Option<&str> = option_env!("INLET_GOOGLE_CLIENT_ID");
/// Google's "desktop app" clients have a secret that is not secret (RFC 8252 8.5); it is still
/// set at build time, never in the source.
const BUILT_GOOGLE_CLIENT_SECRET: Option<&str> = option_env!("INLET_GOOGLE_CLIENT_SECRET");
const BUILT_MICROSOFT_CLIENT_ID: Option<&str> = option_env!("INLET_MICROSOFT_CLIENT_ID");

/// The `oauth` part of the configuration file, and of the policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OAuthConfig {
    pub google_client_id: Option<String>,
    pub google_client_secret: Option<String>,
    pub microsoft_client_id: Option<String>,
    /// `common`, `organizations`, `consumers`, a tenant id or domain.
    pub microsoft_tenant: Option<String>,
    /// Client registrations at other issuers (a company's own identity provider).
    pub issuers: Vec<IssuerClient>,
}

/// A client registered at another issuer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IssuerClient {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Space-separated scopes the mail servers of this issuer want.
    pub scope: Option<String>,
}

/// The administrator's policy file (JSON): `{"oauth": {…as in config.json…}, "locked": true}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Policy {
    pub oauth: OAuthConfig,
    /// The policy's client ids and tenant are the only ones allowed: a client id or tenant
    /// given for one sign-in is refused.
    pub locked: bool,
}

impl Policy {
    /// The policy at `path`; a file that is not there is no policy. One that is there but
    /// cannot be read or parsed is an error: ignoring it would quietly undo what the
    /// administrator set.
    pub fn load(path: Option<&Path>) -> Result<Policy, SignInError> {
        let Some(path) = path else { return Ok(Policy::default()) };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Policy::default()),
            Err(e) => return Err(policy_problem(path, PolicyProblem::Unreadable, e.to_string())),
        };
        serde_json::from_str(&text).map_err(|e| policy_problem(path, PolicyProblem::Invalid, e.to_string()))
    }
}

fn policy_problem(path: &Path, problem: PolicyProblem, message: String) -> SignInError {
    SignInError::PolicyUnusable { path: path.display().to_string(), problem, message }
}

/// Which provider's registration is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientFor<'a> {
    Google,
    Microsoft,
    Issuer(&'a str),
}

/// The client a sign-in uses.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientRegistration {
    pub client_id: String,
    /// Only for clients that have one (Google desktop apps); not a secret in the OAuth sense
    /// (RFC 8252 8.5), still never logged.
    pub client_secret: Option<String>,
    /// Scopes the configuration names for another issuer.
    pub scope: Option<String>,
}

impl std::fmt::Debug for ClientRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRegistration").field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// The places a client id can come from, in one value (see the module's order).
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientSources {
    pub policy: Policy,
    pub config: OAuthConfig,
    /// Inlet's own, from the build; tests set their own.
    pub built: OAuthConfig,
}

impl ClientSources {
    /// The sources of this process: `policy_file`, the configuration, the build's ids.
    pub fn new(config: &OAuthConfig, policy_file: Option<&PathBuf>) -> Result<ClientSources, SignInError> {
        Ok(ClientSources {
            policy: Policy::load(policy_file.map(PathBuf::as_path))?,
            config: config.clone(),
            built: built(),
        })
    }

    /// The registration for `who`, with `requested` (a client id given for this sign-in).
    pub fn client(&self, who: ClientFor<'_>, requested: Option<&str>) -> Result<ClientRegistration, SignInError> {
        let requested = requested.map(str::trim).filter(|r| !r.is_empty());
        let from = |c: &OAuthConfig| -> Option<ClientRegistration> {
            match who {
                ClientFor::Google => {
                    c.google_client_id.as_deref().filter(|id| !id.trim().is_empty()).map(|id| ClientRegistration {
                        client_id: id.trim().to_owned(),
                        client_secret: c.google_client_secret.clone(),
                        scope: None,
                    })
                }
                ClientFor::Microsoft => c
                    .microsoft_client_id
                    .as_deref()
                    .filter(|id| !id.trim().is_empty())
                    .map(|id| ClientRegistration { client_id: id.trim().to_owned(), client_secret: None, scope: None }),
                ClientFor::Issuer(issuer) => {
                    c.issuers.iter().find(|i| same_issuer(&i.issuer, issuer) && !i.client_id.trim().is_empty()).map(
                        |i| ClientRegistration {
                            client_id: i.client_id.trim().to_owned(),
                            client_secret: i.client_secret.clone(),
                            scope: i.scope.clone(),
                        },
                    )
                }
            }
        };
        let policy = from(&self.policy.oauth);
        if let Some(requested) = requested {
            if self.policy.locked && policy.as_ref().is_none_or(|p| p.client_id != requested) {
                return Err(SignInError::PolicyLocked { what: "client-id" });
            }
            // The configured secret belongs to the configured client only.
            let same = policy.clone().or_else(|| from(&self.config)).or_else(|| from(&self.built));
            let (client_secret, scope) = match same {
                Some(c) if c.client_id == requested => (c.client_secret, c.scope),
                Some(c) => (None, c.scope),
                None => (None, None),
            };
            return Ok(ClientRegistration { client_id: requested.to_owned(), client_secret, scope });
        }
        if self.policy.locked {
            return policy.ok_or(SignInError::NotConfigured { provider: provider_name(who) });
        }
        policy
            .or_else(|| from(&self.config))
            .or_else(|| from(&self.built))
            .ok_or(SignInError::NotConfigured { provider: provider_name(who) })
    }

    /// The Microsoft tenant: the one asked for (unless the policy locks it), the policy's, the
    /// configuration's, else `common`.
    pub fn tenant(&self, requested: Option<&str>) -> Result<String, SignInError> {
        let requested = requested.map(str::trim).filter(|t| !t.is_empty());
        let policy = self.policy.oauth.microsoft_tenant.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(requested) = requested {
            if self.policy.locked && policy.is_some_and(|p| !p.eq_ignore_ascii_case(requested)) {
                return Err(SignInError::PolicyLocked { what: "tenant" });
            }
            return Ok(requested.to_owned());
        }
        Ok(policy
            .or(self.config.microsoft_tenant.as_deref().map(str::trim).filter(|t| !t.is_empty()))
            .unwrap_or(super::issuer::DEFAULT_TENANT)
            .to_owned())
    }
}

fn same_issuer(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/').eq_ignore_ascii_case(b.trim().trim_end_matches('/'))
}

fn provider_name(who: ClientFor<'_>) -> &'static str {
    match who {
        ClientFor::Google => "Google",
        ClientFor::Microsoft => "Microsoft",
        ClientFor::Issuer(_) => "this provider",
    }
}

/// Inlet's own registrations from the build (empty values are unset).
fn built() -> OAuthConfig {
    let set = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    OAuthConfig {
        google_client_id: set(BUILT_GOOGLE_CLIENT_ID),
        google_client_secret: set(BUILT_GOOGLE_CLIENT_SECRET),
        microsoft_client_id: set(BUILT_MICROSOFT_CLIENT_ID),
        ..Default::default()
    }
}

/// What an administrator must set for `provider` to offer its sign-in, in words for the button.
pub(crate) fn what_to_configure(provider: &str) -> String {
    let file = crate::config::DEFAULT_POLICY_FILE;
    let key = match provider {
        "Google" => "googleClientId",
        "Microsoft" => "microsoftClientId",
        _ => return crate::tr!("signin-not-set-up.what-happened-other-provider", file = file),
    };
    crate::tr!("signin-not-set-up.what-happened", provider = provider, key = key, file = file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(google: Option<&str>, ms: Option<&str>, tenant: Option<&str>) -> OAuthConfig {
        OAuthConfig {
            google_client_id: google.map(Into::into),
            microsoft_client_id: ms.map(Into::into),
            microsoft_tenant: tenant.map(Into::into),
            ..Default::default()
        }
    }

    fn sources(policy: OAuthConfig, locked: bool, config: OAuthConfig, built: OAuthConfig) -> ClientSources {
        ClientSources { policy: Policy { oauth: policy, locked }, config, built }
    }

    #[test]
    fn the_policy_wins_then_the_config_then_the_build() {
        let all = sources(
            config(Some("policy-g"), None, None),
            false,
            config(Some("config-g"), Some("config-m"), None),
            config(Some("built-g"), Some("built-m"), None),
        );
        assert_eq!(all.client(ClientFor::Google, None).unwrap().client_id, "policy-g");
        assert_eq!(all.client(ClientFor::Microsoft, None).unwrap().client_id, "config-m");
        let built_only =
            sources(OAuthConfig::default(), false, OAuthConfig::default(), config(None, Some("built-m"), None));
        assert_eq!(built_only.client(ClientFor::Microsoft, None).unwrap().client_id, "built-m");
        assert!(matches!(
            built_only.client(ClientFor::Google, None),
            Err(SignInError::NotConfigured { provider: "Google" })
        ));
    }

    #[test]
    fn a_requested_client_id_is_used_unless_the_policy_locks_another() {
        let open = sources(config(Some("policy-g"), None, None), false, OAuthConfig::default(), OAuthConfig::default());
        assert_eq!(open.client(ClientFor::Google, Some("mine")).unwrap().client_id, "mine");
        let locked = sources(
            config(Some("policy-g"), None, None),
            true,
            config(None, Some("config-m"), None),
            OAuthConfig::default(),
        );
        assert!(matches!(locked.client(ClientFor::Google, Some("mine")), Err(SignInError::PolicyLocked { .. })));
        assert_eq!(locked.client(ClientFor::Google, Some("policy-g")).unwrap().client_id, "policy-g");
        // Locked: what the policy does not set is not taken from elsewhere either.
        assert!(matches!(locked.client(ClientFor::Microsoft, None), Err(SignInError::NotConfigured { .. })));
    }

    #[test]
    fn a_secret_goes_only_with_its_own_client() {
        let mut c = config(Some("config-g"), None, None);
        c.google_client_secret = Some("not-so-secret".into());
        let s = sources(OAuthConfig::default(), false, c, OAuthConfig::default());
        assert_eq!(s.client(ClientFor::Google, None).unwrap().client_secret.as_deref(), Some("not-so-secret"));
        assert_eq!(s.client(ClientFor::Google, Some("other")).unwrap().client_secret, None);
        assert!(!format!("{:?}", s.client(ClientFor::Google, None).unwrap()).contains("not-so-secret"));
    }

    #[test]
    fn tenants_follow_the_same_order() {
        let s = sources(
            config(None, None, Some("policy-t")),
            false,
            config(None, None, Some("config-t")),
            OAuthConfig::default(),
        );
        assert_eq!(s.tenant(None).unwrap(), "policy-t");
        assert_eq!(s.tenant(Some("asked")).unwrap(), "asked");
        let s = sources(OAuthConfig::default(), false, config(None, None, Some("config-t")), OAuthConfig::default());
        assert_eq!(s.tenant(None).unwrap(), "config-t");
        assert_eq!(ClientSources::default().tenant(None).unwrap(), "common");
        let locked =
            sources(config(None, None, Some("contoso.com")), true, OAuthConfig::default(), OAuthConfig::default());
        assert!(matches!(locked.tenant(Some("fabrikam.com")), Err(SignInError::PolicyLocked { .. })));
    }

    #[test]
    fn issuers_are_matched_by_url() {
        let c = OAuthConfig {
            issuers: vec![IssuerClient {
                issuer: "https://id.example.test/".into(),
                client_id: "corp".into(),
                scope: Some("mail".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let s = sources(OAuthConfig::default(), false, c, OAuthConfig::default());
        let r = s.client(ClientFor::Issuer("https://ID.example.test"), None).unwrap();
        assert_eq!((r.client_id.as_str(), r.scope.as_deref()), ("corp", Some("mail")));
    }

    #[test]
    fn a_missing_policy_file_is_no_policy_and_a_broken_one_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Policy::load(Some(&dir.path().join("none.json"))).unwrap(), Policy::default());
        let broken = dir.path().join("policy.json");
        std::fs::write(&broken, "{ not json").unwrap();
        assert!(matches!(Policy::load(Some(&broken)), Err(SignInError::PolicyUnusable { .. })));
        std::fs::write(
            &broken,
            r#"{"oauth": {"microsoftClientId": "corp-app", "microsoftTenant": "contoso.com"}, "locked": true}"#,
        )
        .unwrap();
        let p = Policy::load(Some(&broken)).unwrap();
        assert!(p.locked);
        assert_eq!(p.oauth.microsoft_client_id.as_deref(), Some("corp-app"));
    }
}
