//! The engine's browser sign-in use cases: which buttons work, one sign-in at a time (and its
//! cancel), and access tokens for the checks of a mailbox with a grant.

use super::clients::{ClientFor, ClientRegistration, ClientSources};
use super::errors::SignInError;
use super::http::IssuerHttp;
use super::issuer::{self, IssuerEndpoints};
use super::tokens::{self, TokenCache};
use super::{authorization, device, Browser, IssuerChoice, SignInEvent, SignInMode, SignInOption, SignInRequest};
use crate::account::MailboxSettings;
use crate::diagnose::Diagnosis;
use crate::logging::mask_address;
use crate::report::{HelpDeskReport, SignInTrail};
use crate::secrets::{Credentials, OAuth2Grant};
use crate::service::{now_ms, Engine};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// A sign-in and its help-desk report.
#[derive(Debug, Clone)]
pub struct ReportedSignIn {
    pub outcome: Result<OAuth2Grant, Diagnosis>,
    pub report: HelpDeskReport,
}

/// The sign-in state an engine and its clones share.
#[derive(Clone)]
pub(crate) struct OAuthState {
    pub(crate) http: IssuerHttp,
    pub(crate) tokens: TokenCache,
    /// Held for the whole of a sign-in: only one runs at a time.
    running: Arc<tokio::sync::Mutex<()>>,
    /// Set while a sign-in runs; `cancel_sign_in` sends `true`.
    cancel: Arc<Mutex<Option<watch::Sender<bool>>>>,
    /// The grants this engine's sign-ins issued (no token in them), until the next sign-in lets
    /// go of those no mailbox was saved with (see [`Engine::discard_sign_in`]). What the front
    /// end sends back names one of these (or a saved mailbox's) by its entry; the issuer, client
    /// and token endpoint used are always the engine's own (see [`Engine::trusted_grant`]).
    signed_in: Arc<Mutex<Vec<OAuth2Grant>>>,
}

/// Every keychain entry a sign-in writes starts so; a discard touches no other.
const SIGN_IN_ENTRY_PREFIX: &str = "oauth2:";

impl OAuthState {
    pub fn new(http: IssuerHttp) -> OAuthState {
        OAuthState {
            http,
            tokens: TokenCache::default(),
            running: Arc::default(),
            cancel: Arc::default(),
            signed_in: Arc::default(),
        }
    }
}

impl Engine {
    /// The "Sign in with Google / Microsoft" buttons: available when a client id is set
    /// somewhere (policy, configuration, build), otherwise what an administrator must set.
    pub fn sign_in_options(&self) -> Vec<SignInOption> {
        let sources = self.client_sources();
        [("google", ClientFor::Google), ("microsoft", ClientFor::Microsoft)]
            .into_iter()
            .map(|(provider, who)| {
                let found = sources
                    .as_ref()
                    .map_err(|e| e.clone_words())
                    .and_then(|s| s.client(who, None).map(drop).map_err(|e| Diagnosis::of_sign_in(&e).what_happened));
                SignInOption { provider: provider.into(), available: found.is_ok(), why_not: found.err() }
            })
            .collect()
    }

    /// Signs in with the provider (browser or device code) for the mailbox in `request`. The
    /// refresh token goes to the keychain at once, under the entry the grant names; the access
    /// token stays in this engine's memory. The grant never holds a token.
    #[tracing::instrument(name = "sign_in", skip_all, fields(address = %mask_address(request.settings.email.as_str()), mode = ?request.mode))]
    pub async fn sign_in(
        &self,
        request: &SignInRequest,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> Result<OAuth2Grant, Diagnosis> {
        let _turn = self.sign_in_turn()?;
        self.sign_in_during_turn(request, on_event).await
    }

    /// [`Engine::sign_in`], with the help-desk report of it: the issuer, which endpoint answered
    /// what and when, and the diagnosis when it failed. Never a token, code or verifier.
    #[tracing::instrument(name = "sign_in", skip_all, fields(address = %mask_address(request.settings.email.as_str()), mode = ?request.mode))]
    pub async fn sign_in_reported(
        &self,
        request: &SignInRequest,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> ReportedSignIn {
        let trail = SignInTrail::new();
        let outcome = match self.sign_in_turn() {
            Ok(_turn) => self.sign_in_traced(request, on_event, &trail).await,
            Err(d) => Err(d),
        };
        if let Err(d) = &outcome {
            trail.failed(d);
        }
        let report = HelpDeskReport::of_sign_in(&request.settings, &trail, outcome.as_ref().err());
        ReportedSignIn { outcome, report }
    }

    /// The one sign-in turn of this engine: held for the whole of a sign-in, and by a use case
    /// that must keep its new grant from the next sign-in (which lets go of earlier unsaved ones)
    /// until it has saved it.
    pub(crate) fn sign_in_turn(&self) -> Result<tokio::sync::MutexGuard<'_, ()>, Diagnosis> {
        self.oauth.running.try_lock().map_err(|_| Diagnosis::of_sign_in(&SignInError::AlreadyRunning))
    }

    /// [`Engine::sign_in`], the caller holding [`Engine::sign_in_turn`].
    pub(crate) async fn sign_in_during_turn(
        &self,
        request: &SignInRequest,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
    ) -> Result<OAuth2Grant, Diagnosis> {
        self.sign_in_traced(request, on_event, &SignInTrail::new()).await
    }

    /// [`Engine::sign_in_during_turn`], its steps kept in `trail`.
    pub(crate) async fn sign_in_traced(
        &self,
        request: &SignInRequest,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
        trail: &SignInTrail,
    ) -> Result<OAuth2Grant, Diagnosis> {
        let (cancel, mut cancelled) = watch::channel(false);
        *self.oauth.cancel.lock().unwrap_or_else(|p| p.into_inner()) = Some(cancel);
        let recording = |event: SignInEvent| {
            trail.event(&event);
            on_event(event);
        };
        let result = self.sign_in_running(request, &recording, trail, async move {
            let _ = cancelled.wait_for(|c| *c).await;
        });
        let result = result.await;
        self.oauth.cancel.lock().unwrap_or_else(|p| p.into_inner()).take();
        match &result {
            Ok(grant) => {
                tracing::info!("signed in");
                // A new sign-in means the earlier ones were left: those never saved go.
                let earlier = std::mem::replace(
                    &mut *self.oauth.signed_in.lock().unwrap_or_else(|p| p.into_inner()),
                    vec![grant.clone()],
                );
                for earlier in earlier {
                    if let Err(e) = self.discard_entry(&earlier.refresh_token_entry).await {
                        tracing::warn!("an earlier sign-in that was never saved stays in the keychain: {e}");
                    }
                }
            }
            Err(e) => tracing::info!("sign-in ended: {e}"),
        }
        result.map_err(|e| Diagnosis::of_sign_in(&e))
    }

    /// Lets go of a sign-in no mailbox was saved with: its refresh token leaves the keychain,
    /// its access token this engine's memory. A grant a saved mailbox uses (or an entry that is
    /// not a sign-in's) is left alone, so calling it after a save is harmless. Front ends call it
    /// when the user leaves without saving; the next sign-in does it for the earlier ones.
    /// Whether the sign-in was discarded.
    #[tracing::instrument(name = "discard_sign_in", skip_all)]
    pub async fn discard_sign_in(&self, grant: &OAuth2Grant) -> Result<bool, Diagnosis> {
        let entry = grant.refresh_token_entry.as_str();
        let discarded = self.discard_entry(entry).await?;
        self.oauth.signed_in.lock().unwrap_or_else(|p| p.into_inner()).retain(|g| g.refresh_token_entry != entry);
        Ok(discarded)
    }

    /// The grant as this engine knows it, for the entry `grant` names: from one of its own
    /// sign-ins, or from the saved mailbox that keeps that entry. A grant that names neither is
    /// refused: its issuer and token endpoint came from outside the engine (over IPC), and a
    /// refresh token must never be sent where they point.
    pub(crate) async fn trusted_grant(&self, grant: &OAuth2Grant) -> Result<OAuth2Grant, SignInError> {
        let entry = grant.refresh_token_entry.as_str();
        let issued = self
            .oauth
            .signed_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|g| g.refresh_token_entry == entry)
            .cloned();
        if let Some(issued) = issued {
            return Ok(issued);
        }
        let saved = self.list_mailboxes().await.unwrap_or_default();
        saved
            .into_iter()
            .filter(|m| m.keychain_account == entry)
            .find_map(|m| m.grant)
            .ok_or(SignInError::BadInput { field: "credentials", message: crate::tr!("signin-unknown-grant") })
    }

    async fn discard_entry(&self, entry: &str) -> Result<bool, Diagnosis> {
        if !entry.starts_with(SIGN_IN_ENTRY_PREFIX) {
            return Ok(false);
        }
        // A store that cannot be read keeps the token: it may be a saved mailbox's.
        let saved = self.list_mailboxes().await?;
        if saved.iter().any(|m| m.keychain_account == entry) {
            return Ok(false);
        }
        self.keychain().delete(entry).await.map_err(|e| Diagnosis::of(&e, None))?;
        self.oauth.tokens.forget(entry);
        tracing::info!("let go of a sign-in that was never saved");
        Ok(true)
    }

    /// Stops the sign-in that is running, if any.
    pub fn cancel_sign_in(&self) {
        if let Some(cancel) = self.oauth.cancel.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = cancel.send(true);
        }
    }

    async fn sign_in_running(
        &self,
        request: &SignInRequest,
        on_event: &(dyn Fn(SignInEvent) + Send + Sync),
        trail: &SignInTrail,
        cancelled: impl std::future::Future<Output = ()>,
    ) -> Result<OAuth2Grant, SignInError> {
        let address = &request.settings.email;
        let sources = self.client_sources()?;
        let (endpoints, client) =
            self.issuer_and_client(&sources, &request.issuer, request.client_id.as_deref()).await?;
        trail.issuer(
            &endpoints.issuer,
            endpoints.authorization.as_str(),
            endpoints.token.as_str(),
            endpoints.device.as_ref().map(url::Url::as_str),
        );
        let scopes = endpoints.scopes(&request.settings);
        let http = &self.oauth.http;
        let tokens = match request.mode {
            SignInMode::Browser => {
                let browser = Browser { command: self.config().browser_command.clone() };
                let flow = authorization::BrowserSignIn {
                    http,
                    issuer: &endpoints,
                    client: &client,
                    scopes,
                    login_hint: address.as_str(),
                    deadline: self.config().deadlines.sign_in,
                    browser: &browser,
                    on_event,
                };
                authorization::sign_in(flow, cancelled).await?
            }
            SignInMode::Device => {
                let flow = device::DeviceSignIn { http, issuer: &endpoints, client: &client, scopes, on_event };
                device::sign_in(flow, cancelled).await?
            }
        };
        trail.tokens_received();
        let refresh = tokens
            .refresh_token
            .clone()
            .ok_or_else(|| SignInError::NoRefreshToken { issuer: endpoints.issuer.clone() })?;
        // A new entry per sign-in: saving, and undoing a failed save, never touch another's.
        let entry = format!("{SIGN_IN_ENTRY_PREFIX}{}#{}", address.as_str().to_lowercase(), now_ms());
        self.keychain().store(&entry, &refresh).await.map_err(SignInError::Keychain)?;
        self.oauth.tokens.put(&entry, &tokens);
        Ok(OAuth2Grant {
            issuer: endpoints.issuer.clone(),
            client_id: client.client_id.clone(),
            refresh_token_entry: entry,
            // Kept where the endpoints are not built in (see the field).
            token_url: (endpoints.kind == issuer::IssuerKind::Other).then(|| endpoints.token.to_string()),
            access_token: None,
        })
    }

    fn client_sources(&self) -> Result<ClientSources, SignInError> {
        ClientSources::new(&self.config().oauth, self.config().policy_file.as_ref())
    }

    /// The issuer's endpoints and the client to use there. The client is looked up first, so
    /// a provider that is not set up says so without any network request.
    async fn issuer_and_client(
        &self,
        sources: &ClientSources,
        choice: &IssuerChoice,
        requested_client: Option<&str>,
    ) -> Result<(IssuerEndpoints, ClientRegistration), SignInError> {
        match choice {
            IssuerChoice::Google => {
                Ok((IssuerEndpoints::google(), sources.client(ClientFor::Google, requested_client)?))
            }
            IssuerChoice::Microsoft { tenant } => {
                let client = sources.client(ClientFor::Microsoft, requested_client)?;
                let tenant = sources.tenant(tenant.as_deref())?;
                Ok((IssuerEndpoints::microsoft(&tenant)?, client))
            }
            IssuerChoice::Issuer { url, authorization_url, token_url, scope } => {
                let client = sources.client(ClientFor::Issuer(url), requested_client)?;
                let scope = scope.clone().or_else(|| client.scope.clone());
                let endpoints = issuer::discover(
                    &self.oauth.http,
                    url,
                    authorization_url.as_deref(),
                    token_url.as_deref(),
                    scope.as_deref(),
                )
                .await?;
                Ok((endpoints, client))
            }
        }
    }

    /// `credentials` ready to send: a grant gets its access token, from memory or refreshed
    /// first (`force_refresh`: the server refused the one in memory). Also says whether the
    /// token came from memory.
    pub(crate) async fn ready_credentials(
        &self,
        credentials: &Credentials,
        settings: &MailboxSettings,
        force_refresh: bool,
    ) -> Result<(Credentials, bool), Diagnosis> {
        let Credentials::OAuth2(grant) = credentials else { return Ok((credentials.clone(), false)) };
        let entry = grant.refresh_token_entry.as_str();
        let cache = &self.oauth.tokens;
        if force_refresh {
            cache.forget_access(entry);
        }
        let with = |token| Credentials::OAuth2(OAuth2Grant { access_token: Some(token), ..grant.clone() });
        // A caller inside this process (a test, a technician's tool) may hand a token of its
        // own; it never arrives over IPC (not deserialized). Not "from memory": a refusal of
        // it is reported as it is, not answered by a refresh.
        if let Some(token) = grant.access_token.as_ref().filter(|t| !t.is_empty() && !force_refresh) {
            return Ok((with(token.clone()), false));
        }
        if let Some(token) = cache.fresh(entry) {
            return Ok((with(token), true));
        }
        let _one_at_a_time = cache.refreshing.lock().await;
        // Another check may have refreshed it while this one waited.
        if let Some(token) = cache.fresh(entry) {
            return Ok((with(token), true));
        }
        let refreshed = self.refresh_grant(grant, settings).await.map_err(|e| Diagnosis::of_sign_in(&e))?;
        Ok((with(refreshed), false))
    }

    async fn refresh_grant(
        &self,
        grant: &OAuth2Grant,
        settings: &MailboxSettings,
    ) -> Result<crate::secrets::Secret, SignInError> {
        let grant = &self.trusted_grant(grant).await?;
        let entry = grant.refresh_token_entry.as_str();
        let cache = &self.oauth.tokens;
        let refresh_token = match cache.unsaved_refresh(entry) {
            Some(token) => token,
            None => self.keychain().read(entry).await.map_err(SignInError::Keychain)?,
        };
        let sources = self.client_sources().unwrap_or_default();
        let choice = IssuerChoice::from_url(&grant.issuer);
        let endpoints = match &choice {
            IssuerChoice::Google => IssuerEndpoints::google(),
            IssuerChoice::Microsoft { tenant } => {
                IssuerEndpoints::microsoft(tenant.as_deref().unwrap_or(issuer::DEFAULT_TENANT))?
            }
            IssuerChoice::Issuer { url, .. } => match grant.token_url.as_deref() {
                Some(token) => IssuerEndpoints::token_endpoint_only(url, token)?,
                // A grant stored before the token endpoint was kept.
                None => issuer::discover(&self.oauth.http, url, None, None, None).await?,
            },
        };
        let who = match &choice {
            IssuerChoice::Google => ClientFor::Google,
            IssuerChoice::Microsoft { .. } => ClientFor::Microsoft,
            IssuerChoice::Issuer { url, .. } => ClientFor::Issuer(url),
        };
        // The grant's own client; its secret only when the configuration has that same client.
        let client = sources.client(who, Some(&grant.client_id)).unwrap_or(ClientRegistration {
            client_id: grant.client_id.clone(),
            client_secret: None,
            scope: None,
        });
        // RFC 6749 6: omitted scopes mean those granted; Microsoft wants the resource's named
        // (offline_access is not a scope of the refresh token itself).
        let scopes = match endpoints.kind {
            issuer::IssuerKind::Microsoft { .. } => {
                endpoints.scopes(settings).into_iter().filter(|s| s != issuer::OFFLINE_ACCESS).collect()
            }
            _ => Vec::new(),
        };
        let tokens = tokens::refresh(&self.oauth.http, &endpoints, &client, &refresh_token, &scopes).await?;
        if let Some(rotated) = tokens.refresh_token.as_ref().filter(|r| r.expose() != refresh_token.expose()) {
            // The new refresh token is in the keychain before the old one is let go; if the
            // keychain refuses it, memory keeps it until a later write works.
            match self.keychain().store(entry, rotated).await {
                Ok(()) => cache.keep_unsaved_refresh(entry, None),
                Err(e) => {
                    tracing::warn!("the keychain did not take the renewed sign-in; it is kept in memory: {e}");
                    cache.keep_unsaved_refresh(entry, Some(rotated.clone()));
                }
            }
        }
        cache.put(entry, &tokens);
        tracing::info!("renewed the access token");
        Ok(tokens.access_token)
    }
}

impl SignInError {
    /// The words of this error, for a button's explanation.
    fn clone_words(&self) -> String {
        Diagnosis::of_sign_in(self).what_happened
    }
}
