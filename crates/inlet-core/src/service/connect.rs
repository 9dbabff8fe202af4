//! Checking settings without saving them: connect (incoming and outgoing at once), its
//! help-desk report, a saved mailbox's report, and the test message.

use super::validate::validate;
use super::ReportedTestMessage;
use super::{
    blocking, pop3_inbox, username_candidates, ConnectReport, ConnectRequest, Engine, MailboxServer, OutgoingReport,
    ReportedCheck,
};
use crate::account::{IncomingServer, MailboxSettings, OutgoingSettings, Protocol, Side};
use crate::diagnose::{Diagnosis, DiagnosisCode};
use crate::discover;
use crate::discover::trace::TraceStep;
use crate::error::{EngineError, Result};
use crate::logging::{self, mask_address, LoggedSteps};
use crate::progress::{Progress, ProgressSink};
use crate::protocol::{imap, pop3, smtp};
use crate::reachability;
use crate::report::{AttemptLog, HelpDeskReport, ReportInput};
use crate::secrets::Credentials;
use crate::store::Store;

impl Engine {
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
        let usernames = username_candidates(settings);
        let dial = self.dial_for(settings, MailboxServer::Incoming, progress);
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
        let dial = self.dial_for(&request.settings, MailboxServer::Outgoing(outgoing), progress);
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
            checked: &crate::tr!("eng-checked-signed-in"),
            credentials: &credentials,
        });
        ReportedCheck { outcome, report }
    }

    /// The diagnosis with the reachability check of each server whose connection failed.
    pub(super) async fn with_reachability(&self, d: Diagnosis, settings: &MailboxSettings) -> Diagnosis {
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
                checked: &crate::tr!("eng-checked-test-message"),
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
                message: crate::tr!("eng-add-outgoing-first"),
            })?;
            let username = outgoing
                .username
                .clone()
                .filter(|u| !u.trim().is_empty())
                .or_else(|| request.settings.incoming.settings().username.clone())
                .unwrap_or_else(|| email.to_owned());
            let credentials =
                outgoing_credentials(outgoing, &request.credentials, request.outgoing_credentials.as_ref())?;
            let dial = self.dial_for(&request.settings, MailboxServer::Outgoing(outgoing), &progress);
            smtp::send_test_message(&dial, &username, credentials, email).await
        }
        .await;
        result.map_err(|e| Diagnosis::of(&e, Some(email)).on(Side::Outgoing))
    }
}

/// The credentials the outgoing server gets: the incoming ones ("same password"), or its own.
pub(super) fn outgoing_credentials<'a>(
    outgoing: &OutgoingSettings,
    incoming: &'a Credentials,
    own: Option<&'a Credentials>,
) -> Result<&'a Credentials> {
    if outgoing.same_password {
        return Ok(incoming);
    }
    own.filter(|c| !matches!(c, Credentials::Password(p) if p.is_empty())).ok_or(EngineError::InvalidInput {
        field: "outgoing_password",
        message: crate::tr!("eng-type-outgoing-password"),
    })
}

/// Whether the check needs an access token for a grant first.
fn uses_grant(request: &ConnectRequest) -> bool {
    matches!(request.credentials, Credentials::OAuth2(_))
        || matches!(request.outgoing_credentials, Some(Credentials::OAuth2(_)))
}
