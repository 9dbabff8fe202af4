//! The use cases both front ends call. Each takes a progress sink and answers with a Diagnosis on
//! failure, never a bare string.

use crate::account::{self, Endpoint, IncomingServer, MailboxSettings, OutgoingSettings, Protocol, Security, Side};
use crate::address::EmailAddress;
use crate::config::EngineConfig;
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::discover::sources::http::HttpSources;
use crate::discover::trace::TraceStep;
use crate::discover::{self, DiscoverRequest, Discovery, DiscoverySink, Walk};
use crate::error::{EngineError, Result};
use crate::folders::{Folder, FolderRole, FolderTree};
use crate::host::{HostName, HostProblem};
use crate::logging::{self, mask_address, LoggedDiscovery, LoggedSteps};
use crate::net::dns::DnsResolver;
use crate::net::{Dial, Network};
use crate::oauth::http::IssuerHttp;
use crate::oauth::session::OAuthState;
use crate::progress::{Progress, ProgressSink, Stage, StageState};
use crate::protocol::{imap, pop3, smtp};
use crate::reachability;
use crate::recovery::ChangeLock;
use crate::report::{AttemptLog, HelpDeskReport, ReportInput};
use crate::secrets::{Credentials, Keychain, Secret};
use crate::server_text::shown_plain;
use crate::store::{ChosenFolder, IntentAction, MailboxRecord, Store};
use serde::{Deserialize, Serialize};

/// What the wizard sends to connect: the settings and the credentials (the password the user
/// typed, or an OAuth2 grant).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectRequest {
    pub settings: MailboxSettings,
    pub credentials: Credentials,
    /// The outgoing server's own credentials, when they are not the incoming ones.
    #[serde(default)]
    pub outgoing_credentials: Option<Credentials>,
}

/// What the outgoing check found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct OutgoingReport {
    pub address: String,
    pub username_used: String,
    pub encrypted: bool,
    pub extensions: Vec<String>,
    pub auth_mechanisms: Vec<String>,
}

/// What a successful connection found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConnectReport {
    pub protocol: Protocol,
    /// The address that answered, e.g. 127.0.0.1:993.
    pub address: String,
    /// The username the server accepted (the whole address or its local part when none was given).
    pub username_used: String,
    pub encrypted: bool,
    pub capabilities: Vec<String>,
    /// IMAP: the whole tree. POP3: only the inbox, which is all POP3 has.
    pub folders: FolderTree,
    /// POP3: messages waiting (STAT).
    pub message_count: Option<u32>,
    /// POP3: an IMAP server found at the same provider, to offer switching (folders, sync state).
    pub imap_alternative: Option<Endpoint>,
    /// The outgoing check, when an outgoing server was given.
    pub outgoing: Option<OutgoingReport>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub elapsed_ms: u64,
}

/// What the wizard sends to save: the settings that worked (with the usernames the servers
/// accepted), the chosen folders and the credentials, whose secret goes to the keychain only.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SaveRequest {
    pub settings: MailboxSettings,
    pub folders: Vec<ChosenFolder>,
    pub credentials: Credentials,
    #[serde(default)]
    pub outgoing_credentials: Option<Credentials>,
}

/// A check and its help-desk report.
#[derive(Debug, Clone)]
pub struct ReportedCheck {
    pub outcome: std::result::Result<ConnectReport, Diagnosis>,
    pub report: HelpDeskReport,
}

/// A discovery and, when it ended without settings (a diagnosis, or a failure), the help-desk
/// report of it.
#[derive(Debug, Clone)]
pub struct ReportedDiscovery {
    pub outcome: std::result::Result<Discovery, Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// A save and, when it failed, the help-desk report of it.
#[derive(Debug, Clone)]
pub struct ReportedSave {
    pub outcome: std::result::Result<MailboxRecord, Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// A test message and, when it was not sent, the help-desk report of it.
#[derive(Debug, Clone)]
pub struct ReportedTestMessage {
    pub outcome: std::result::Result<(), Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

/// What `doctor` checks: an address, with settings given or discovered, and with or without
/// signing in.
#[derive(Debug, Clone)]
pub struct DoctorRequest {
    pub email: EmailAddress,
    /// The settings to check; None: discovered (every source, as the wizard does).
    pub settings: Option<MailboxSettings>,
    /// Sign in with these; None: connect, read the greeting and what the servers offer, and
    /// stop before signing in.
    pub credentials: Option<Credentials>,
}

/// What `doctor` found: the diagnosis when something failed, and the report of everything tried.
#[derive(Debug, Clone)]
pub struct DoctorOutcome {
    pub diagnosis: Option<Diagnosis>,
    pub report: HelpDeskReport,
}

#[derive(Clone)]
pub struct Engine {
    config: EngineConfig,
    network: Network,
    keychain: Keychain,
    /// Browser sign-in: the issuer's HTTP client, the access tokens in memory, the running
    /// sign-in (see oauth::session).
    pub(crate) oauth: OAuthState,
}

impl Engine {
    pub fn new(config: EngineConfig) -> std::result::Result<Engine, Diagnosis> {
        let network = Network::from_config(&config).map_err(|e| Diagnosis::of(&e, None))?;
        let keychain = Keychain::new(config.keychain_service.clone(), config.deadlines.keychain);
        let issuer_http =
            IssuerHttp::new(&config, &network.tls).map_err(|e| Diagnosis::invalid_input("configuration", &e))?;
        Ok(Engine { config, network, keychain, oauth: OAuthState::new(issuer_http) })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub(crate) fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    pub(crate) fn network(&self) -> &Network {
        &self.network
    }

    /// From an email address to ranked, verified settings, all sources racing (see
    /// [`discover::race`]). Sends no credentials.
    #[tracing::instrument(name = "discover", skip_all, fields(address = %mask_address(&request.email)))]
    pub async fn discover(
        &self,
        request: &DiscoverRequest,
        sink: &dyn DiscoverySink,
    ) -> std::result::Result<Discovery, Diagnosis> {
        let sources = LoggedDiscovery::new(sink, &request.email);
        logging::outcome(self.discover_walking(request, Walk::Race, &sources)).await
    }

    /// [`Engine::discover`], with the help-desk report of a discovery that found no settings
    /// (its trace and diagnosis) or failed, for the error view's Copy report and Save report.
    pub async fn discover_reported(&self, request: &DiscoverRequest, sink: &dyn DiscoverySink) -> ReportedDiscovery {
        let outcome = self.discover(request, sink).await;
        let (trace, diagnosis) = match &outcome {
            Ok(found) => (found.trace.as_slice(), found.diagnosis.as_ref()),
            Err(d) => (&[][..], Some(d)),
        };
        // A cancelled discovery is no failure to report.
        let report = diagnosis.filter(|d| d.code != DiagnosisCode::Cancelled).map(|d| {
            let password = request.autodiscover_password.clone().map(Credentials::Password);
            let secrets: Vec<&Credentials> = password.iter().collect();
            HelpDeskReport::of_discovery(&request.email, trace, Some(d), &secrets)
        });
        ReportedDiscovery { outcome, report }
    }

    /// [`Engine::discover`] with a chosen walk (the benchmark compares both).
    pub async fn discover_walking(
        &self,
        request: &DiscoverRequest,
        walk: Walk,
        sink: &dyn DiscoverySink,
    ) -> std::result::Result<Discovery, Diagnosis> {
        let config = &self.config;
        let http = HttpSources::new(config, &self.network.tls)
            .map_err(|e| Diagnosis::invalid_input("configuration", &e.to_string()))?;
        let dns = match self.network.resolver() {
            Some(configured) => configured.clone(),
            None => {
                DnsResolver::from_config(config).map_err(|e| Diagnosis::invalid_input("dns_server", &e.to_string()))?
            }
        };
        discover::discover(request, &self.network, &http, &dns, &config.discovery, walk, sink).await
    }

    /// Check the incoming server (sign in, load folders) and the outgoing one, at the same time.
    /// Nothing is saved.
    #[tracing::instrument(name = "connect", skip_all, fields(
        address = %mask_address(request.settings.email.as_str()),
        protocol = ?request.settings.incoming.protocol(),
        host = %request.settings.incoming.settings().endpoint.host,
        port = request.settings.incoming.settings().endpoint.port,
        outgoing = %request.settings.outgoing.as_ref().map(|o| o.endpoint.display()).unwrap_or_default(),
    ))]
    pub async fn connect(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<ConnectReport, Diagnosis> {
        let steps = LoggedSteps::new(sink, request.settings.email.as_str());
        logging::outcome(self.connect_checked(request, &steps)).await
    }

    /// With a grant: the access token from memory or refreshed first; a token from memory that
    /// the server refuses (revoked since) is renewed once, so a revoked grant is diagnosed as
    /// "sign in again" rather than as a refusal.
    async fn connect_checked(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<ConnectReport, Diagnosis> {
        if !uses_grant(request) {
            return self.connect_ready(request, sink).await;
        }
        let (ready, from_memory) = self.ready_request(request, false).await?;
        let mut outcome = self.connect_ready(&ready, sink).await;
        if from_memory && outcome.as_ref().is_err_and(|d| d.code == DiagnosisCode::AuthenticationFailed) {
            let (ready, _) = self.ready_request(request, true).await?;
            outcome = self.connect_ready(&ready, sink).await;
        }
        outcome.map_err(Diagnosis::token_refused_by_mail_server)
    }

    /// `request` with its grants' access tokens (see [`Engine::connect_checked`]).
    async fn ready_request(
        &self,
        request: &ConnectRequest,
        force_refresh: bool,
    ) -> std::result::Result<(ConnectRequest, bool), Diagnosis> {
        let settings = &request.settings;
        let (credentials, from_memory) = self.ready_credentials(&request.credentials, settings, force_refresh).await?;
        let outgoing_credentials = match &request.outgoing_credentials {
            Some(c) => Some(self.ready_credentials(c, settings, force_refresh).await?.0),
            None => None,
        };
        Ok((ConnectRequest { settings: settings.clone(), credentials, outgoing_credentials }, from_memory))
    }

    async fn connect_ready(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<ConnectReport, Diagnosis> {
        let progress = Progress::new(sink);
        let email = request.settings.email.as_str();
        if let Err(e) = validate(&request.settings, &request.credentials) {
            return Err(Diagnosis::of(&e, Some(email)));
        }
        let incoming = self.check_incoming(request, &progress);
        let outgoing = async {
            match &request.settings.outgoing {
                Some(o) => Some(self.check_outgoing(request, o, &progress.for_side(Side::Outgoing)).await),
                None => None,
            }
        };
        let (incoming, outgoing) = tokio::join!(incoming, outgoing);
        let shared_password = request.settings.outgoing.as_ref().is_some_and(|o| o.same_password);
        let incoming_accepted = match &incoming {
            Ok(_) => Some(true),
            Err(EngineError::AuthenticationFailed { .. }) => Some(false),
            Err(_) => None,
        };
        let outgoing = outgoing.transpose().map_err(|e| {
            let d = Diagnosis::of(&e, Some(email)).on(Side::Outgoing);
            if shared_password {
                d.with_shared_password(incoming_accepted)
            } else {
                d
            }
        });
        match (incoming, outgoing) {
            (Ok(mut report), Ok(outgoing)) => {
                report.outgoing = outgoing;
                report.elapsed_ms = progress.elapsed_ms();
                Ok(report)
            }
            (Ok(_), Err(outgoing)) => Err(outgoing),
            (Err(e), outgoing) => {
                let mut d = Diagnosis::of(&e, Some(email))
                    .on(Side::Incoming)
                    .for_protocol(request.settings.incoming.protocol());
                d.also = outgoing.err().map(Box::new);
                Err(d)
            }
        }
    }

    async fn check_incoming(&self, request: &ConnectRequest, progress: &Progress<'_>) -> Result<ConnectReport> {
        let settings = &request.settings;
        let incoming = settings.incoming.settings();
        let deadlines = &self.config.deadlines;
        let trusted = &settings.trusted_certificates;
        let usernames = username_candidates(settings);
        let dial = Dial {
            endpoint: &incoming.endpoint,
            allow_plaintext_password: incoming.allow_plaintext_password,
            network: &self.network,
            trusted,
            deadlines,
            progress,
        };
        match &settings.incoming {
            IncomingServer::Imap(_) => {
                let connected = imap::connect(&dial).await?;
                let mut signed_in =
                    imap::sign_in(connected, &usernames, &request.credentials, deadlines, progress).await?;
                let folders = imap::load_folders(&mut signed_in, deadlines, progress).await;
                imap::log_out(&mut signed_in).await;
                Ok(ConnectReport {
                    protocol: Protocol::Imap,
                    address: signed_in.address.to_string(),
                    username_used: signed_in.username.clone(),
                    encrypted: signed_in.encrypted,
                    capabilities: signed_in.capabilities.names.clone(),
                    folders: folders?,
                    message_count: None,
                    imap_alternative: None,
                    outgoing: None,
                    elapsed_ms: 0,
                })
            }
            IncomingServer::Pop3(_) => {
                let domain = settings.email.domain();
                let check = pop3::check(&dial, &usernames, &request.credentials);
                let alternative = discover::alternative::imap_alternative(
                    &incoming.endpoint.host,
                    domain,
                    &self.network,
                    deadlines,
                    progress,
                );
                let (checked, alternative) = tokio::join!(check, alternative);
                let checked = checked?;
                Ok(ConnectReport {
                    protocol: Protocol::Pop3,
                    address: checked.address.to_string(),
                    username_used: checked.username,
                    encrypted: checked.encrypted,
                    capabilities: checked.capabilities,
                    folders: pop3_inbox(checked.message_count),
                    message_count: Some(checked.message_count),
                    imap_alternative: alternative,
                    outgoing: None,
                    elapsed_ms: 0,
                })
            }
        }
    }

    async fn check_outgoing(
        &self,
        request: &ConnectRequest,
        outgoing: &OutgoingSettings,
        progress: &Progress<'_>,
    ) -> Result<OutgoingReport> {
        let usernames = match &outgoing.username {
            Some(u) if !u.trim().is_empty() => vec![u.trim().to_owned()],
            _ => username_candidates(&request.settings),
        };
        let credentials = outgoing_credentials(outgoing, &request.credentials, request.outgoing_credentials.as_ref())?;
        let dial = Dial {
            endpoint: &outgoing.endpoint,
            allow_plaintext_password: outgoing.allow_plaintext_password,
            network: &self.network,
            trusted: &request.settings.trusted_certificates,
            deadlines: &self.config.deadlines,
            progress,
        };
        let report = smtp::check(&dial, &usernames, credentials).await?;
        Ok(OutgoingReport {
            address: report.address.to_string(),
            username_used: report.username,
            encrypted: report.encrypted,
            extensions: report.extensions,
            auth_mechanisms: report.auth_mechanisms,
        })
    }

    /// [`Engine::connect`], recorded for the help-desk report. A failed connection (refused, timed
    /// out, no route) is followed by the reachability check, whose result joins the diagnosis.
    /// `discovery`: the trace of the discovery that found these settings, if one did.
    pub async fn connect_reported(
        &self,
        request: &ConnectRequest,
        discovery: &[TraceStep],
        sink: &dyn ProgressSink,
    ) -> ReportedCheck {
        let log = AttemptLog::new(sink);
        let outcome = match self.connect(request, &log).await {
            Ok(report) => Ok(report),
            Err(d) => Err(self.with_reachability(d, &request.settings).await),
        };
        let credentials: Vec<&Credentials> =
            std::iter::once(&request.credentials).chain(request.outgoing_credentials.as_ref()).collect();
        let report = HelpDeskReport::build(ReportInput {
            address: request.settings.email.as_str(),
            settings: Some(&request.settings),
            discovery,
            attempts: log.attempts(request.settings.incoming.protocol()),
            diagnosis: outcome.as_ref().err(),
            checked: "signed in",
            credentials: &credentials,
        });
        ReportedCheck { outcome, report }
    }

    /// The diagnosis with the reachability check of each server whose connection failed.
    async fn with_reachability(&self, d: Diagnosis, settings: &MailboxSettings) -> Diagnosis {
        let limits = &self.config.reachability;
        let endpoint_of = |d: &Diagnosis| match (d.side, &settings.outgoing) {
            (Some(Side::Outgoing), Some(o)) => o.endpoint.clone(),
            _ => settings.incoming.settings().endpoint.clone(),
        };
        let check = |d: Option<&Diagnosis>| {
            let endpoint = d.filter(|d| reachability::applies_to(d)).map(endpoint_of);
            async move {
                match endpoint {
                    Some(e) => Some(reachability::check(&self.network, &e.host, e.port, limits).await),
                    None => None,
                }
            }
        };
        let (this, also) = tokio::join!(check(Some(&d)), check(d.also.as_deref()));
        let mut d = match this {
            Some(r) => d.with_reachability(r),
            None => d,
        };
        // Only the outgoing diagnosis that had a check is taken out to be replaced: one that
        // needed none stays as it is.
        if let Some(r) = also {
            if let Some(other) = d.also.take() {
                d.also = Some(Box::new(other.with_reachability(r)));
            }
        }
        d
    }

    /// A check from the address alone, for a technician: discovery (unless settings are given),
    /// then the servers, signing in only with credentials. Nothing is saved. Always answers with
    /// the report of everything tried.
    #[tracing::instrument(name = "doctor", skip_all, fields(address = %mask_address(request.email.as_str())))]
    pub async fn doctor(
        &self,
        request: &DoctorRequest,
        discovery_sink: &dyn DiscoverySink,
        sink: &dyn ProgressSink,
    ) -> DoctorOutcome {
        let email = request.email.as_str();
        let mut trace = Vec::new();
        let settings = match &request.settings {
            Some(settings) => settings.clone(),
            None => {
                let asked = DiscoverRequest {
                    email: email.to_owned(),
                    probe: true,
                    follow: Vec::new(),
                    autodiscover_password: None,
                };
                let found = match self.discover(&asked, discovery_sink).await {
                    Ok(found) => found,
                    Err(d) => return self.doctor_stopped(request, &[], d),
                };
                trace = found.trace.clone();
                // Without settings found, the candidates are unverified guesses for the form.
                match (settings_from_discovery(&request.email, &found), found.diagnosis.clone()) {
                    (Some(settings), None) => settings,
                    (_, d) => {
                        let d = d.unwrap_or_else(|| Diagnosis::settings_not_found(request.email.domain(), Vec::new()));
                        return self.doctor_stopped(request, &trace, d);
                    }
                }
            }
        };
        match &request.credentials {
            Some(credentials) => {
                let connect = ConnectRequest { settings, credentials: credentials.clone(), outgoing_credentials: None };
                let checked = self.connect_reported(&connect, &trace, sink).await;
                DoctorOutcome { diagnosis: checked.outcome.err(), report: checked.report }
            }
            None => {
                let log = AttemptLog::new(sink);
                let diagnosis = match self.reach_servers(&settings, &log).await {
                    Ok(()) => None,
                    Err(d) => Some(self.with_reachability(d, &settings).await),
                };
                let report = HelpDeskReport::build(ReportInput {
                    address: email,
                    settings: Some(&settings),
                    discovery: &trace,
                    attempts: log.attempts(settings.incoming.protocol()),
                    diagnosis: diagnosis.as_ref(),
                    checked: "connected without signing in",
                    credentials: &[],
                });
                DoctorOutcome { diagnosis, report }
            }
        }
    }

    /// The doctor's answer when there was nothing to connect to.
    fn doctor_stopped(&self, request: &DoctorRequest, trace: &[TraceStep], d: Diagnosis) -> DoctorOutcome {
        let report = HelpDeskReport::build(ReportInput {
            address: request.email.as_str(),
            settings: request.settings.as_ref(),
            discovery: trace,
            attempts: Vec::new(),
            diagnosis: Some(&d),
            checked: "discovery only",
            credentials: &[],
        });
        DoctorOutcome { diagnosis: Some(d), report }
    }

    /// Connects to both servers, reads their greeting and what they offer, and stops before
    /// signing in (no credentials are needed, none are sent).
    async fn reach_servers(
        &self,
        settings: &MailboxSettings,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<(), Diagnosis> {
        let progress = Progress::new(sink);
        let outgoing_progress = progress.for_side(Side::Outgoing);
        let deadlines = &self.config.deadlines;
        let email = settings.email.as_str();
        let protocol = settings.incoming.protocol();
        let incoming = async {
            let endpoint = &settings.incoming.settings().endpoint;
            check_host(&endpoint.host, "host", "Type the server name, e.g. imap.example.com.")?;
            let dial = Dial {
                endpoint,
                // Nothing secret is sent: the check stops before signing in.
                allow_plaintext_password: true,
                network: &self.network,
                trusted: &settings.trusted_certificates,
                deadlines,
                progress: &progress,
            };
            match protocol {
                Protocol::Pop3 => pop3::probe(endpoint, &self.network, deadlines, &progress).await.map(drop),
                _ => imap::connect(&dial).await.map(drop),
            }
        };
        let outgoing = async {
            match &settings.outgoing {
                Some(o) => Some(smtp::probe(&o.endpoint, &self.network, deadlines, &outgoing_progress).await.map(drop)),
                None => None,
            }
        };
        let (incoming, outgoing) = tokio::join!(incoming, outgoing);
        let outgoing = outgoing.transpose().map_err(|e| Diagnosis::of(&e, Some(email)).on(Side::Outgoing));
        match (incoming, outgoing) {
            (Ok(()), Ok(_)) => Ok(()),
            (Ok(()), Err(d)) => Err(d),
            (Err(e), outgoing) => {
                let mut d = Diagnosis::of(&e, Some(email)).on(Side::Incoming).for_protocol(protocol);
                d.also = outgoing.err().map(Box::new);
                Err(d)
            }
        }
    }

    /// Checks a saved mailbox again with its stored password or grant and answers with the report of
    /// that check (nothing about the mailbox changes). Fails only when the check cannot start
    /// (no such mailbox, the keychain does not give the password).
    #[tracing::instrument(name = "mailbox_report", skip_all, fields(id))]
    pub async fn mailbox_report(
        &self,
        id: i64,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<ReportedCheck, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        let record = blocking(move || Store::open(&dir)?.get(id)).await.map_err(|e| Diagnosis::of(&e, None))?;
        // Its password, or its grant (a mailbox that signs in with the browser: the access token
        // is renewed from the stored refresh token, which never leaves the engine).
        let credentials = self.stored_credentials(&record).await?;
        let request = ConnectRequest {
            settings: record.settings.clone(),
            credentials: credentials.incoming,
            outgoing_credentials: credentials.outgoing,
        };
        Ok(self.connect_reported(&request, &[], sink).await)
    }

    /// Sends one message from the user's address to itself through the outgoing server.
    #[tracing::instrument(name = "send_test_message", skip_all, fields(
        address = %mask_address(request.settings.email.as_str()),
        outgoing = %request.settings.outgoing.as_ref().map(|o| o.endpoint.display()).unwrap_or_default(),
    ))]
    pub async fn send_test_message(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<(), Diagnosis> {
        let steps = LoggedSteps::new(sink, request.settings.email.as_str());
        logging::outcome(async {
            let ready = match uses_grant(request) {
                true => self.ready_request(request, false).await?.0,
                false => request.clone(),
            };
            self.send_test_message_checked(&ready, &steps).await
        })
        .await
    }

    /// [`Engine::send_test_message`], with the help-desk report of a test message that was not
    /// sent: the outgoing server's stages with their timings, what it said, and the diagnosis.
    pub async fn send_test_message_reported(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> ReportedTestMessage {
        let log = AttemptLog::new(sink);
        let outcome = self.send_test_message(request, &log).await;
        let report = outcome.as_ref().err().map(|d| {
            let credentials: Vec<&Credentials> =
                std::iter::once(&request.credentials).chain(request.outgoing_credentials.as_ref()).collect();
            HelpDeskReport::build(ReportInput {
                address: request.settings.email.as_str(),
                settings: Some(&request.settings),
                discovery: &[],
                attempts: log.attempts(request.settings.incoming.protocol()),
                diagnosis: Some(d),
                checked: "sending a test message",
                credentials: &credentials,
            })
        });
        ReportedTestMessage { outcome, report }
    }

    async fn send_test_message_checked(
        &self,
        request: &ConnectRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<(), Diagnosis> {
        let progress = Progress::new(sink).for_side(Side::Outgoing);
        let email = request.settings.email.as_str();
        let result = async {
            let outgoing = request.settings.outgoing.as_ref().ok_or(EngineError::InvalidInput {
                field: "outgoing",
                message: "Add an outgoing server first.".into(),
            })?;
            let username = outgoing
                .username
                .clone()
                .filter(|u| !u.trim().is_empty())
                .or_else(|| request.settings.incoming.settings().username.clone())
                .unwrap_or_else(|| email.to_owned());
            let credentials =
                outgoing_credentials(outgoing, &request.credentials, request.outgoing_credentials.as_ref())?;
            let dial = Dial {
                endpoint: &outgoing.endpoint,
                allow_plaintext_password: outgoing.allow_plaintext_password,
                network: &self.network,
                trusted: &request.settings.trusted_certificates,
                deadlines: &self.config.deadlines,
                progress: &progress,
            };
            smtp::send_test_message(&dial, &username, credentials, email).await
        }
        .await;
        result.map_err(|e| Diagnosis::of(&e, Some(email)).on(Side::Outgoing))
    }

    /// Save a mailbox: password to the keychain, settings and folders to the store. Both or
    /// neither: if the keychain refuses, nothing is stored; if the store fails, the keychain entry
    /// is removed again.
    #[tracing::instrument(name = "save_mailbox", skip_all, err(Display), fields(address = %mask_address(request.settings.email.as_str())))]
    pub async fn save_mailbox(
        &self,
        request: &SaveRequest,
        sink: &dyn ProgressSink,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let progress = Progress::new(sink);
        progress.emit(Stage::Saving, StageState::Started, None, None);
        let result = self.save_inner(request).await;
        progress.emit(Stage::Saving, if result.is_ok() { StageState::Done } else { StageState::Failed }, None, None);
        result.map_err(|e| Diagnosis::of(&e, Some(request.settings.email.as_str())))
    }

    /// [`Engine::save_mailbox`], with the help-desk report of a save that failed: the settings,
    /// the saving stage with its timing, and the diagnosis (a locked keychain, a full disk).
    pub async fn save_reported(&self, request: &SaveRequest, sink: &dyn ProgressSink) -> ReportedSave {
        let log = AttemptLog::new(sink);
        let outcome = self.save_mailbox(request, &log).await;
        let report = outcome.as_ref().err().map(|d| {
            let credentials: Vec<&Credentials> =
                std::iter::once(&request.credentials).chain(request.outgoing_credentials.as_ref()).collect();
            HelpDeskReport::build(ReportInput {
                address: request.settings.email.as_str(),
                settings: Some(&request.settings),
                discovery: &[],
                attempts: log.saving().into_iter().collect(),
                diagnosis: Some(d),
                checked: "saving the mailbox",
                credentials: &credentials,
            })
        });
        ReportedSave { outcome, report }
    }

    async fn save_inner(&self, request: &SaveRequest) -> Result<MailboxRecord> {
        // The administrator's policy first: a refused mailbox type or adding turned off stops
        // before anything reaches the keychain.
        self.policy_now()?.allows_adding(&request.settings).map_err(EngineError::PolicyForbids)?;
        validate(&request.settings, &request.credentials)?;
        // With a grant, its refresh token is already in the keychain (sign-in put it there):
        // its entry becomes the mailbox's, and nothing else is written.
        // The grant as the engine issued it: the front end names it, but its issuer, client and
        // token endpoint are never taken from there.
        let grant = match &request.credentials {
            Credentials::OAuth2(grant) => {
                Some(self.trusted_grant(grant).await.map_err(|_| EngineError::InvalidInput {
                    field: "credentials",
                    message: "Inlet does not know this sign-in: sign in with the browser again.".into(),
                })?)
            }
            Credentials::Password(_) => None,
        };
        let password = match &grant {
            Some(grant) => {
                self.keychain.read(&grant.refresh_token_entry).await.map_err(|_| EngineError::InvalidInput {
                    field: "credentials",
                    message: "This sign-in is no longer in the keychain: sign in with the browser again.".into(),
                })?;
                None
            }
            None => Some(keychain_secret(&request.credentials)?),
        };
        let dir = self.config.resolved_data_dir();
        let settings = request.settings.clone();
        let existing = {
            let (dir, settings) = (dir.clone(), settings.clone());
            blocking(move || Store::open(&dir)?.find_same(&settings)).await?
        };
        if existing.is_some() {
            return Err(EngineError::AlreadySaved { email: settings.email.into() });
        }
        let now = now_ms();
        let account = match &grant {
            Some(grant) => grant.refresh_token_entry.clone(),
            None => format!("{}#{now}", settings.email.as_str().to_lowercase()),
        };
        let outgoing_secret = match &settings.outgoing {
            Some(o) if !o.same_password => Some(keychain_secret(outgoing_credentials(
                o,
                &request.credentials,
                request.outgoing_credentials.as_ref(),
            )?)?),
            _ => None,
        };
        // Should this process die before the mailbox is stored, the entries written are deleted
        // by the next run (see recovery.rs). A grant's own entry is the sign-in's and stays.
        let written: Vec<String> = password
            .map(|_| account.clone())
            .into_iter()
            .chain(outgoing_secret.as_ref().map(|_| outgoing_account(&account)))
            .collect();
        let lock = ChangeLock::take(&dir)?;
        let intent = {
            let (dir, owner, written) = (dir.clone(), lock.owner().to_owned(), written.clone());
            blocking(move || Store::open(&dir)?.begin_intent(&owner, IntentAction::Save, None, &written)).await?
        };
        let end_intent = |dir: std::path::PathBuf| async move {
            let _ = blocking(move || Store::open(&dir)?.end_intent(intent)).await;
        };
        if let Some(password) = password {
            if let Err(e) = self.keychain.store(&account, password).await {
                end_intent(dir).await;
                return Err(e);
            }
        }
        if let Some(secret) = &outgoing_secret {
            if let Err(e) = self.keychain.store(&outgoing_account(&account), secret).await {
                if grant.is_none() {
                    let _ = self.keychain.delete(&account).await;
                }
                end_intent(dir).await;
                return Err(e);
            }
        }
        let folders = request.folders.clone();
        let account_for_store = account.clone();
        let grant_for_store = grant.clone();
        let stored = {
            let dir = dir.clone();
            blocking(move || {
                Store::open(&dir)?.insert_ending_intent(
                    &settings,
                    &folders,
                    &account_for_store,
                    grant_for_store.as_ref(),
                    now,
                    intent,
                )
            })
            .await
        };
        if stored.is_err() {
            // A grant's refresh token stays: the sign-in it belongs to can still be saved again.
            if grant.is_none() {
                let _ = self.keychain.delete(&account).await;
            }
            let _ = self.keychain.delete(&outgoing_account(&account)).await;
            end_intent(dir).await;
        }
        drop(lock);
        stored
    }

    #[tracing::instrument(name = "list_mailboxes", skip_all)]
    pub async fn list_mailboxes(&self) -> std::result::Result<Vec<MailboxRecord>, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        logging::outcome(async {
            self.finish_interrupted_changes_logged().await;
            blocking(move || Store::open(&dir)?.list()).await.map_err(|e| Diagnosis::of(&e, None))
        })
        .await
    }

    /// Remove a mailbox and its keychain entries, keeping its history marked removed (see
    /// [`Engine::remove_mailbox_with`] to erase it). The entries go first: if the keychain refuses
    /// (locked, not answering), the mailbox stays listed with its password and can be removed
    /// again later, instead of leaving a password nobody can see or remove. Deleting an entry
    /// that is already gone succeeds, so a removal that stopped halfway completes on retry.
    #[tracing::instrument(name = "remove_mailbox", skip_all, err(Display), fields(id))]
    pub async fn remove_mailbox(&self, id: i64) -> std::result::Result<(), Diagnosis> {
        self.remove_mailbox_with(id, false).await
    }

    /// Waits until the keychain has finished undoing writes that answered after their deadline
    /// (see [`Keychain::store`]). Front ends call it before they exit.
    pub async fn settle_keychain(&self) {
        self.keychain.settle().await
    }

    /// Stop trusting the pinned certificate of `host:port` for a saved mailbox. The next connect
    /// there verifies the server's certificate normally again.
    #[tracing::instrument(name = "remove_trusted_certificate", skip_all, err(Display), fields(id, host, port))]
    pub async fn remove_trusted_certificate(
        &self,
        id: i64,
        host: &str,
        port: u16,
    ) -> std::result::Result<MailboxRecord, Diagnosis> {
        let dir = self.config.resolved_data_dir();
        let host = host.to_owned();
        blocking(move || {
            let mut store = Store::open(&dir)?;
            let mut settings = store.get(id)?.settings;
            let before = settings.trusted_certificates.len();
            settings.trusted_certificates.retain(|t| !t.is_for(&host, port));
            if settings.trusted_certificates.len() == before {
                return Err(EngineError::InvalidInput {
                    field: "trusted_certificate",
                    message: format!("This mailbox trusts no certificate for {}.", account::host_port(&host, port)),
                });
            }
            store.update_settings(id, &settings)
        })
        .await
        .map_err(|e| Diagnosis::of(&e, None))
    }

    /// The stored password of a mailbox (for reconnects); it never leaves the engine otherwise.
    #[tracing::instrument(name = "stored_password", skip_all, err(Display), fields(id = record.id))]
    pub async fn stored_password(&self, record: &MailboxRecord) -> std::result::Result<Secret, Diagnosis> {
        // A grant's entry holds its refresh token, which never leaves the engine: such a
        // mailbox reconnects with its grant (`record.grant`).
        if record.grant.is_some() {
            return Err(Diagnosis::invalid_input(
                "credentials",
                "This mailbox signs in with the browser and has no password: reconnect it with its sign-in.",
            ));
        }
        self.keychain.read(&record.keychain_account).await.map_err(|e| Diagnosis::of(&e, None))
    }
}

/// The credentials the outgoing server gets: the incoming ones ("same password"), or its own.
fn outgoing_credentials<'a>(
    outgoing: &OutgoingSettings,
    incoming: &'a Credentials,
    own: Option<&'a Credentials>,
) -> Result<&'a Credentials> {
    if outgoing.same_password {
        return Ok(incoming);
    }
    own.filter(|c| !matches!(c, Credentials::Password(p) if p.is_empty())).ok_or(EngineError::InvalidInput {
        field: "outgoing_password",
        message: "Type the outgoing server's password, or choose \"same as incoming\".".into(),
    })
}

/// Whether the check needs an access token for a grant first.
fn uses_grant(request: &ConnectRequest) -> bool {
    matches!(request.credentials, Credentials::OAuth2(_))
        || matches!(request.outgoing_credentials, Some(Credentials::OAuth2(_)))
}

/// The password a saved mailbox keeps in the keychain (a grant's refresh token is stored by
/// the sign-in itself).
fn keychain_secret(credentials: &Credentials) -> Result<&Secret> {
    match credentials {
        Credentials::Password(password) => Ok(password),
        Credentials::OAuth2(_) => Err(EngineError::InvalidInput {
            field: "credentials",
            message: "A browser sign-in has no password to keep.".into(),
        }),
    }
}

/// POP3 has only the inbox: one folder, with the count STAT gave.
pub(crate) fn pop3_inbox(messages: u32) -> FolderTree {
    FolderTree {
        delimiter: None,
        folders: vec![Folder {
            raw_name: "INBOX".into(),
            path: "INBOX".into(),
            name: "INBOX".into(),
            parent: None,
            depth: 0,
            role: Some(FolderRole::Inbox),
            role_guessed: false,
            selectable: true,
            placeholder: false,
            subscribed: true,
            has_children: false,
            messages: Some(messages),
            unseen: None,
        }],
    }
}

/// Without an explicit username, try the whole address, then its local part: the two forms
/// providers use (the reference articles' most common IMAP advice).
pub fn username_candidates(settings: &MailboxSettings) -> Vec<String> {
    match settings.incoming.settings().username.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => vec![u.to_owned()],
        None => vec![settings.email.as_str().to_owned(), settings.email.local_part().to_owned()],
    }
}

/// A server name the user typed: missing or with spaces, `what_to_type` says what goes there;
/// anything else that is no host name (a URL, `host:port`, an address) is named.
fn check_host(host: &str, field: &'static str, what_to_type: &str) -> Result<()> {
    match HostName::parse(host) {
        Ok(_) => Ok(()),
        Err(HostProblem::Empty | HostProblem::Spaces) => {
            Err(EngineError::InvalidInput { field, message: what_to_type.to_owned() })
        }
        Err(problem) => Err(EngineError::InvalidInput {
            field,
            message: format!("The server name \"{}\" {problem}. {what_to_type}", shown_plain(host)),
        }),
    }
}

pub(crate) fn validate(settings: &MailboxSettings, credentials: &Credentials) -> Result<()> {
    let incoming = settings.incoming.settings();
    let endpoint = &incoming.endpoint;
    check_host(&endpoint.host, "host", "Type the server name, e.g. imap.example.com.")?;
    if endpoint.port == 0 {
        return Err(EngineError::InvalidInput {
            field: "port",
            message: "The port must be between 1 and 65535.".into(),
        });
    }
    match credentials {
        Credentials::Password(password) if password.is_empty() => {
            return Err(EngineError::InvalidInput { field: "password", message: "Type your password.".into() });
        }
        Credentials::Password(_) => {}
        // A grant gets its access token just before it is used (from memory or refreshed).
        Credentials::OAuth2(_) => {}
    }
    if credentials.method() != incoming.auth {
        return Err(EngineError::InvalidInput {
            field: "auth",
            message: format!(
                "The settings say to sign in with {}, but {} was given.",
                incoming.auth.label(),
                credentials.method().label()
            ),
        });
    }
    if endpoint.security == Security::None && !incoming.allow_plaintext_password {
        return Err(EngineError::PlaintextNotConfirmed { target: endpoint.display() });
    }
    if let Some(o) = &settings.outgoing {
        check_host(&o.endpoint.host, "outgoing_host", "Type the outgoing server name, e.g. smtp.example.com.")?;
        if o.endpoint.port == 0 {
            return Err(EngineError::InvalidInput {
                field: "outgoing_port",
                message: "The port must be between 1 and 65535.".into(),
            });
        }
        if o.endpoint.security == Security::None && !o.allow_plaintext_password {
            return Err(EngineError::PlaintextNotConfirmed { target: o.endpoint.display() });
        }
    }
    account::validate_trusted_certificates(&settings.trusted_certificates)
}

pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| EngineError::Store { message: e.to_string() })?
}

/// A keychain failure during a removal: the keychain's diagnosis speaks of saving.
pub(crate) fn not_removed(mut d: Diagnosis) -> Diagnosis {
    d.what_happened = "Inlet keeps passwords only in your system keychain, and could not delete this mailbox's \
                       password there, so the mailbox was not removed."
        .into();
    d.advise(match d.code {
        DiagnosisCode::KeychainLocked => "Unlock your keychain (your login keyring) and remove the mailbox again.",
        _ => "Make sure your keychain is running and unlocked, then remove the mailbox again.",
    });
    d
}

/// The settings discovery proposes: its best incoming server (IMAP or POP3) and its best
/// outgoing one, with the login name the source gave. None without an incoming server.
fn settings_from_discovery(email: &EmailAddress, found: &Discovery) -> Option<MailboxSettings> {
    let incoming = found.incoming.iter().find(|c| matches!(c.protocol, Protocol::Imap | Protocol::Pop3))?;
    let server = account::ServerSettings {
        endpoint: incoming.endpoint.clone(),
        username: incoming.username.clone(),
        auth: account::AuthMethod::Password,
        allow_plaintext_password: false,
    };
    Some(MailboxSettings {
        kind: found.kind,
        email: email.clone(),
        incoming: match incoming.protocol {
            Protocol::Pop3 => IncomingServer::Pop3(server),
            _ => IncomingServer::Imap(server),
        },
        // An outgoing server that did not answer discovery's check, or a guess nobody vouched
        // for, is no proposal: no outgoing server is checked then.
        outgoing: found
            .outgoing
            .iter()
            .find(|c| match &c.verification {
                Some(v) => v.verified,
                None => c.source != discover::SourceId::Guess,
            })
            .map(|c| OutgoingSettings {
                endpoint: c.endpoint.clone(),
                username: c.username.clone(),
                same_password: true,
                allow_plaintext_password: false,
            }),
        trusted_certificates: Vec::new(),
    })
}

/// The keychain entry of the outgoing password, when it differs from the incoming one.
pub(crate) fn outgoing_account(account: &str) -> String {
    format!("{account}/outgoing")
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
