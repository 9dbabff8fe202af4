//! Discovery and the technician's check from an address alone (`doctor`): the use cases that
//! start from an address rather than from settings.

use super::validate::check_host;
use super::ReportedDiscovery;
use super::{ConnectRequest, DoctorOutcome, DoctorRequest, Engine, MailboxServer};
use crate::account::{self, IncomingServer, MailboxSettings, OutgoingSettings, Protocol, Side};
use crate::address::EmailAddress;
use crate::diagnose::Diagnosis;
use crate::diagnose::DiagnosisCode;
use crate::discover::sources::http::HttpSources;
use crate::discover::trace::TraceStep;
use crate::discover::{self, DiscoverRequest, Discovery, DiscoverySink, Walk};
use crate::logging::{self, mask_address, LoggedDiscovery};
use crate::net::dns::DnsResolver;
use crate::net::Dial;
use crate::progress::{Progress, ProgressSink};
use crate::protocol::{imap, pop3, smtp};
use crate::report::{AttemptLog, HelpDeskReport, ReportInput};
use crate::secrets::Credentials;

impl Engine {
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
                    checked: &crate::tr!("eng-checked-connected-only"),
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
            checked: &crate::tr!("eng-checked-discovery-only"),
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
            check_host(&endpoint.host, "host", crate::tr!("eng-type-host"))?;
            let dial = Dial {
                // Nothing secret is sent: the check stops before signing in.
                allow_plaintext_password: true,
                ..self.dial_for(settings, MailboxServer::Incoming, &progress)
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
