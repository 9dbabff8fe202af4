//! The help-desk report: one document of everything a check tried, for a ticket. Discovery's
//! trace, each connection attempt with its stage timings, the server's greeting, its
//! capabilities and the sign-in methods tried, the diagnosis, Inlet's version and the OS. In
//! Markdown (to paste into a ticket) and JSON.
//!
//! Never a password or a token: the report is built from what the engine already made safe to
//! show (progress details, diagnoses, server text through `server_text::shown`), and every string
//! of it passes the sign-in's [`Redactor`] once more before it leaves. The address and host names
//! are masked on request.
//!
//! One file, over the usual size: one document, recorded (the attempt log) and written (Markdown
//! and JSON) from the same types; splitting them would let the two views drift apart.

use crate::account::{MailboxSettings, Protocol};
use crate::diagnose::Diagnosis;
use crate::discover::trace::{StepStatus, TraceStep};
use crate::logging::mask_in;
use crate::oauth::SignInEvent;
use crate::progress::{AttemptNote, ProgressEvent, ProgressSink, Side, Stage, StageState};
use crate::secrets::Credentials;
use crate::server_text::Redactor;
use crate::tr;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

/// How one stage of a connection went, with its timing (milliseconds since the check started).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct StageTiming {
    pub stage: Stage,
    /// Done, Failed, or Started when the stage never ended (a deadline elsewhere, a cancel).
    pub state: StageState,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub started_ms: u64,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub ended_ms: Option<u64>,
    /// What the stage said last ("connected to 127.0.0.1:993", "TLSv1.3, …", "refused as bob").
    pub detail: Option<String>,
}

/// How one sign-in try ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SignInResult {
    Accepted,
    Refused,
    /// The try ended the sign-in without a yes or no (a temporary failure, a broken connection).
    Failed,
}

/// One sign-in try: the login name and the method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct SignInTry {
    pub username: String,
    /// The SASL mechanism (`PLAIN`, `LOGIN`, `XOAUTH2`…), or the protocol's own command (IMAP
    /// `LOGIN`, POP3 `USER/PASS`).
    pub method: String,
    pub result: SignInResult,
}

/// One connection to one server: its stages, what the server said, the sign-in tries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub side: Side,
    /// The server asked (host name, as typed or found).
    pub server: String,
    pub stages: Vec<StageTiming>,
    /// The server's greeting, as made safe to show.
    pub greeting: Option<String>,
    /// Each capability list read (before and after STARTTLS, or after signing in).
    pub capabilities: Vec<String>,
    pub sign_in: Vec<SignInTry>,
    /// The stage that failed, when one did.
    pub failed_stage: Option<Stage>,
}

/// What the engine records while it connects, for the report: every progress event and note,
/// passed on to the sink it wraps. Folded into [`Attempt`]s afterwards.
pub(crate) struct AttemptLog<'a> {
    inner: &'a dyn ProgressSink,
    records: Mutex<Vec<Record>>,
}

enum Record {
    Event(ProgressEvent),
    Note(Side, AttemptNote),
}

impl<'a> AttemptLog<'a> {
    pub fn new(inner: &'a dyn ProgressSink) -> AttemptLog<'a> {
        AttemptLog { inner, records: Mutex::new(Vec::new()) }
    }

    /// The connections made so far, in the order they started. A new connection starts at
    /// each name lookup of a side (POP3 reconnects after a refusal, a second check).
    pub fn attempts(&self, protocol: Protocol) -> Vec<Attempt> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut attempts: Vec<Attempt> = Vec::new();
        let mut current: [Option<usize>; 2] = [None, None];
        let slot = |side: Side| usize::from(side == Side::Outgoing);
        for record in records.iter() {
            match record {
                Record::Event(e) => {
                    // The lookup for IMAP beside a POP3 mailbox is no connection of its own.
                    if matches!(e.stage, Stage::LookingForImap | Stage::Saving) {
                        continue;
                    }
                    let starts = e.stage == Stage::Resolving && e.state == StageState::Started;
                    let index = match current[slot(e.side)] {
                        Some(i) if !starts => i,
                        _ => {
                            attempts.push(Attempt {
                                side: e.side,
                                server: e.target.clone().unwrap_or_default(),
                                stages: Vec::new(),
                                greeting: None,
                                capabilities: Vec::new(),
                                sign_in: Vec::new(),
                                failed_stage: None,
                            });
                            current[slot(e.side)] = Some(attempts.len() - 1);
                            attempts.len() - 1
                        }
                    };
                    record_event(&mut attempts[index], e);
                }
                Record::Note(side, AttemptNote::SignInTried { username, mechanism, .. }) => {
                    if let Some(i) = current[slot(*side)] {
                        let side_protocol = if *side == Side::Outgoing { Protocol::Smtp } else { protocol };
                        attempts[i].sign_in.push(SignInTry {
                            username: username.clone(),
                            method: mechanism.clone().unwrap_or_else(|| own_command(side_protocol).to_owned()),
                            result: SignInResult::Failed,
                        });
                    }
                }
            }
        }
        attempts
    }
}

impl AttemptLog<'_> {
    /// The saving stage, as an attempt of its own on this computer (the keychain and Inlet's
    /// list of mailboxes): [`AttemptLog::attempts`] leaves it out, being no connection.
    pub fn saving(&self) -> Option<Attempt> {
        let records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut attempt = Attempt {
            side: Side::Incoming,
            server: tr!("eng-report-this-computer"),
            stages: Vec::new(),
            greeting: None,
            capabilities: Vec::new(),
            sign_in: Vec::new(),
            failed_stage: None,
        };
        for record in records.iter() {
            if let Record::Event(e) = record {
                if e.stage == Stage::Saving {
                    record_event(&mut attempt, e);
                }
            }
        }
        (!attempt.stages.is_empty()).then_some(attempt)
    }
}

/// What an action on a saved mailbox (update the password, reconnect, sign in again, load or
/// choose folders, edit the settings) records for the report of its failure: its connections,
/// the settings it checked and the credentials it used (only to redact every form of them),
/// and the steps of a sign-in with the provider when it ran one.
pub struct ActionLog<'a> {
    pub(crate) connections: AttemptLog<'a>,
    pub(crate) sign_in: SignInTrail,
    tried: Mutex<Option<(MailboxSettings, Vec<Credentials>)>>,
}

/// An action on a saved mailbox and, when it failed, the help-desk report of what it tried.
#[derive(Debug, Clone)]
pub struct ReportedAction<T> {
    pub outcome: std::result::Result<T, Diagnosis>,
    pub report: Option<HelpDeskReport>,
}

impl<'a> ActionLog<'a> {
    /// A log whose progress goes on to `sink`.
    pub fn new(sink: &'a dyn ProgressSink) -> ActionLog<'a> {
        ActionLog { connections: AttemptLog::new(sink), sign_in: SignInTrail::new(), tried: Mutex::new(None) }
    }

    /// The settings about to be checked (for an edit: the new ones) and the credentials the
    /// check signs in with. Called again (a new sign-in's grant), it takes the place of the last.
    pub(crate) fn checking(&self, settings: &MailboxSettings, credentials: &[&Credentials]) {
        let tried = (settings.clone(), credentials.iter().map(|c| (*c).clone()).collect());
        *self.tried.lock().unwrap_or_else(|e| e.into_inner()) = Some(tried);
    }

    /// `outcome` with the report of its failure, `checked` saying what the action was.
    pub(crate) fn reported<T>(&self, outcome: std::result::Result<T, Diagnosis>, checked: &str) -> ReportedAction<T> {
        let report = outcome.as_ref().err().map(|d| self.report(d, checked));
        ReportedAction { outcome, report }
    }

    fn report(&self, diagnosis: &Diagnosis, checked: &str) -> HelpDeskReport {
        let tried = self.tried.lock().unwrap_or_else(|e| e.into_inner());
        let settings = tried.as_ref().map(|(s, _)| s);
        let credentials: Vec<&Credentials> = tried.iter().flat_map(|(_, c)| c.iter()).collect();
        let protocol = settings.map_or(Protocol::Imap, |s| s.incoming.protocol());
        let mut report = HelpDeskReport::build(ReportInput {
            address: settings.map_or("", |s| s.email.as_str()),
            settings,
            discovery: &[],
            attempts: self.connections.attempts(protocol),
            diagnosis: Some(diagnosis),
            checked,
            credentials: &credentials,
        });
        // Made of Inlet's own words and the endpoints without their query (see SignInTrail).
        report.sign_in = self.sign_in.steps();
        report
    }
}

/// The protocol's own password command.
fn own_command(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "LOGIN command",
        Protocol::Pop3 => "USER/PASS",
        Protocol::Smtp => "AUTH",
    }
}

fn record_event(attempt: &mut Attempt, e: &ProgressEvent) {
    let detail = e.detail.clone().filter(|d| !d.is_empty());
    match (e.stage, e.state) {
        (Stage::Greeting, StageState::Done) => attempt.greeting = detail.clone(),
        (Stage::Capabilities, StageState::Done) => attempt.capabilities.extend(detail.clone()),
        (Stage::SigningIn, StageState::Update) => {
            if let Some(last) = attempt.sign_in.last_mut() {
                if detail.as_deref().is_some_and(|d| d.starts_with("refused as")) {
                    last.result = SignInResult::Refused;
                }
            }
        }
        (Stage::SigningIn, StageState::Done) => {
            if let Some(last) = attempt.sign_in.last_mut() {
                last.result = SignInResult::Accepted;
            }
        }
        _ => {}
    }
    if e.state == StageState::Failed {
        attempt.failed_stage = Some(e.stage);
    }
    // One timing per stage: from its first start to its end (the sign-in stage spans every try).
    let open = attempt.stages.iter_mut().rev().find(|s| s.stage == e.stage && s.state == StageState::Started);
    match (open, e.state) {
        (Some(timing), StageState::Done | StageState::Failed) => {
            timing.state = e.state;
            timing.ended_ms = Some(e.elapsed_ms);
            if detail.is_some() {
                timing.detail = detail;
            }
        }
        (Some(timing), _) => {
            if detail.is_some() {
                timing.detail = detail;
            }
        }
        (None, StageState::Started | StageState::Update) => attempt.stages.push(StageTiming {
            stage: e.stage,
            state: StageState::Started,
            started_ms: e.elapsed_ms,
            ended_ms: None,
            detail,
        }),
        (None, state) => attempt.stages.push(StageTiming {
            stage: e.stage,
            state,
            started_ms: e.elapsed_ms,
            ended_ms: Some(e.elapsed_ms),
            detail,
        }),
    }
}

impl ProgressSink for AttemptLog<'_> {
    fn emit(&self, event: ProgressEvent) {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).push(Record::Event(event.clone()));
        self.inner.emit(event);
    }

    fn note(&self, side: Side, note: AttemptNote) {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).push(Record::Note(side, note.clone()));
        self.inner.note(side, note);
    }
}

/// The steps of a browser or device sign-in, for the report: which issuer, which endpoint
/// answered what, and when (ms since the sign-in started). Made of Inlet's own words, the
/// endpoints' addresses without their query (where the state, the PKCE challenge and the login
/// hint travel) and the diagnosis: never a token, an authorization code, the PKCE verifier or
/// the device's user code.
pub struct SignInTrail {
    started: Instant,
    steps: Mutex<Vec<TraceStep>>,
    /// What the sign-in reached, to tell which endpoint a failure came from.
    reached: Mutex<Reached>,
}

#[derive(Default)]
struct Reached {
    token_endpoint: Option<String>,
    browser: bool,
    device: bool,
    exchanging: bool,
    tokens: bool,
}

impl Default for SignInTrail {
    fn default() -> Self {
        SignInTrail::new()
    }
}

impl SignInTrail {
    pub fn new() -> SignInTrail {
        SignInTrail { started: Instant::now(), steps: Mutex::default(), reached: Mutex::default() }
    }

    fn push(&self, step: &str, asked: &str, status: StepStatus, outcome: &str) {
        let elapsed_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.steps.lock().unwrap_or_else(|e| e.into_inner()).push(TraceStep {
            source: step.to_owned(),
            query: asked.to_owned(),
            elapsed_ms,
            status,
            outcome: outcome.to_owned(),
        });
    }

    fn reached(&self) -> std::sync::MutexGuard<'_, Reached> {
        self.reached.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The issuer's endpoints are known (built in, or read from its metadata).
    pub fn issuer(&self, issuer: &str, authorization: &str, token: &str, device: Option<&str>) {
        let token = endpoint_only(token);
        let page = endpoint_only(authorization);
        let outcome = match device {
            Some(device) => {
                tr!("eng-trail-endpoints-device", page = page, token = token.as_str(), device = endpoint_only(device))
            }
            None => tr!("eng-trail-endpoints", page = page, token = token.as_str()),
        };
        self.reached().token_endpoint = Some(token);
        self.push(&tr!("eng-trail-step-issuer"), &endpoint_only(issuer), StepStatus::Found, &outcome);
    }

    /// What the sign-in told the front end.
    pub fn event(&self, event: &SignInEvent) {
        match event {
            SignInEvent::BrowserOpened { url, opened, .. } => {
                self.reached().browser = true;
                let outcome =
                    if *opened { tr!("eng-trail-browser-opened") } else { tr!("eng-trail-browser-not-opened") };
                self.push(&tr!("eng-trail-step-authorization"), &endpoint_only(url), StepStatus::Found, &outcome);
            }
            SignInEvent::DeviceCode { verification_uri, .. } => {
                self.reached().device = true;
                let outcome = tr!("eng-trail-device-code", page = endpoint_only(verification_uri));
                self.push(&tr!("eng-trail-step-device"), "", StepStatus::Found, &outcome);
            }
            SignInEvent::Exchanging => {
                self.reached().exchanging = true;
                let outcome = tr!("eng-trail-exchanging");
                let asked = tr!("eng-trail-loopback");
                self.push(&tr!("eng-trail-step-redirect"), &asked, StepStatus::Found, &outcome);
            }
        }
    }

    /// The token endpoint gave the tokens.
    pub fn tokens_received(&self) {
        let token = {
            let mut reached = self.reached();
            reached.tokens = true;
            reached.token_endpoint.clone().unwrap_or_default()
        };
        let outcome = tr!("eng-trail-tokens-received");
        self.push(&tr!("eng-trail-step-token"), &token, StepStatus::Found, &outcome);
    }

    /// The sign-in ended with `d`: recorded at the step it stopped at.
    pub fn failed(&self, d: &Diagnosis) {
        let (step, asked) = {
            let r = self.reached();
            let token = r.token_endpoint.clone().unwrap_or_default();
            match () {
                _ if r.tokens => (tr!("eng-trail-step-after-tokens"), String::new()),
                _ if r.exchanging => (tr!("eng-trail-step-token"), token),
                _ if r.device => (tr!("eng-trail-step-token-waiting"), token),
                _ if r.browser => (tr!("eng-trail-step-redirect"), tr!("eng-trail-loopback")),
                _ if r.token_endpoint.is_some() => (tr!("eng-trail-step-authorization"), String::new()),
                _ => (tr!("eng-trail-step-issuer"), String::new()),
            }
        };
        let status = if d.code == crate::diagnose::DiagnosisCode::SignInTimedOut {
            StepStatus::TimedOut
        } else {
            StepStatus::Failed
        };
        let mut outcome = format!("{} ({})", d.title, d.code_str());
        for evidence in &d.evidence {
            let _ = write!(outcome, "; {evidence}");
        }
        self.push(&step, &asked, status, &outcome);
    }

    pub fn steps(&self) -> Vec<TraceStep> {
        self.steps.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// An endpoint's address without its query, fragment or user info: a sign-in's query carries
/// the state, the PKCE challenge and the login hint, none of which belongs in a report.
fn endpoint_only(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// How the check ended, in a word and a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ReportOutcome {
    pub ok: bool,
    /// The diagnosis code when it failed (`authentication_failed`).
    pub code: Option<String>,
    /// What was checked: "signed in", "connected without signing in".
    pub checked: String,
}

/// The help-desk report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct HelpDeskReport {
    /// "Inlet 0.1.0".
    pub app: String,
    /// "linux x86_64 (Debian GNU/Linux 12 (bookworm))".
    pub os: String,
    /// When the report was made, RFC 3339 in UTC.
    pub created_at: String,
    pub address: String,
    /// The address and host names are masked.
    pub masked: bool,
    pub outcome: ReportOutcome,
    pub diagnosis: Option<Diagnosis>,
    pub settings: Option<MailboxSettings>,
    pub attempts: Vec<Attempt>,
    /// Discovery's trace, when the settings were discovered for this check.
    pub discovery: Vec<TraceStep>,
    /// The steps of a sign-in with the provider (which issuer, which endpoint answered what),
    /// when the report is of one. Never a token, a code or a verifier: see [`SignInTrail`].
    #[serde(default)]
    pub sign_in: Vec<TraceStep>,
}

/// What a report is made of.
pub struct ReportInput<'a> {
    pub address: &'a str,
    pub settings: Option<&'a MailboxSettings>,
    pub discovery: &'a [TraceStep],
    pub attempts: Vec<Attempt>,
    pub diagnosis: Option<&'a Diagnosis>,
    pub checked: &'a str,
    /// The credentials used: every form of their secret is removed from every string.
    pub credentials: &'a [&'a Credentials],
}

impl HelpDeskReport {
    pub fn build(input: ReportInput<'_>) -> HelpDeskReport {
        let mut attempts = input.attempts;
        // A stage that ended by a deadline reports no end of its own: the diagnosis names it.
        for d in input.diagnosis.into_iter().chain(input.diagnosis.and_then(|d| d.also.as_deref())) {
            let side = d.side.unwrap_or(Side::Incoming);
            let (Some(stage), Some(attempt)) = (d.stage, attempts.iter_mut().rev().find(|a| a.side == side)) else {
                continue;
            };
            if attempt.failed_stage.is_none() {
                attempt.failed_stage = Some(stage);
                if let Some(t) =
                    attempt.stages.iter_mut().rev().find(|t| t.stage == stage && t.state == StageState::Started)
                {
                    t.state = StageState::Failed;
                }
            }
        }
        let report = HelpDeskReport {
            app: format!("Inlet {}", env!("CARGO_PKG_VERSION")),
            os: os_description(),
            created_at: now_rfc3339(),
            address: input.address.to_owned(),
            masked: false,
            outcome: ReportOutcome {
                ok: input.diagnosis.is_none(),
                code: input.diagnosis.map(|d| d.code_str()),
                checked: input.checked.to_owned(),
            },
            diagnosis: input.diagnosis.cloned(),
            settings: input.settings.cloned(),
            attempts,
            discovery: input.discovery.to_vec(),
            sign_in: Vec::new(),
        };
        let usernames: BTreeSet<String> =
            report.attempts.iter().flat_map(|a| a.sign_in.iter().map(|t| t.username.clone())).collect();
        let mut redactor = Redactor::new();
        for credentials in input.credentials {
            let secret = match credentials {
                Credentials::Password(password) => Some(password.expose().to_owned()),
                Credentials::OAuth2(grant) => grant.access_token().ok().map(|t| t.expose().to_owned()),
            };
            if let Some(secret) = secret.filter(|s| !s.is_empty()) {
                redactor.add_secret(&secret);
                for username in &usernames {
                    redactor.add_sasl_plain(username, &secret);
                }
            }
        }
        report.map_strings(|s| redactor.redact(s))
    }

    /// The report of a discovery that ended in a diagnosis (or failed): its trace and the
    /// diagnosis. `secrets`: the password given to the domain's Autodiscover, if any.
    pub fn of_discovery(
        address: &str,
        trace: &[TraceStep],
        diagnosis: Option<&Diagnosis>,
        secrets: &[&Credentials],
    ) -> HelpDeskReport {
        HelpDeskReport::build(ReportInput {
            address,
            settings: None,
            discovery: trace,
            attempts: Vec::new(),
            diagnosis,
            checked: &tr!("eng-checked-discovery-only"),
            credentials: secrets,
        })
    }

    /// The report of a sign-in with the provider: its steps and how it ended.
    pub fn of_sign_in(
        settings: &MailboxSettings,
        trail: &SignInTrail,
        diagnosis: Option<&Diagnosis>,
    ) -> HelpDeskReport {
        let mut report = HelpDeskReport::build(ReportInput {
            address: settings.email.as_str(),
            settings: Some(settings),
            discovery: &[],
            attempts: Vec::new(),
            diagnosis,
            checked: &tr!("eng-checked-provider-sign-in"),
            credentials: &[],
        });
        report.sign_in = trail.steps();
        report
    }

    /// The same report with the address (and the login names made of it) and every host name
    /// masked: `a…@e….com`, `imap.e….com`. IP addresses stay: they tell a technician where a
    /// name led without naming the provider.
    pub fn masked(&self) -> HelpDeskReport {
        let address = self.address.clone();
        let mut sites: BTreeSet<String> = BTreeSet::new();
        if let Some((_, domain)) = crate::address::split(&address) {
            sites.extend(site_of(domain));
        }
        if let Some(settings) = &self.settings {
            sites.extend(site_of(&settings.incoming.settings().endpoint.host));
            if let Some(o) = &settings.outgoing {
                sites.extend(site_of(&o.endpoint.host));
            }
        }
        for attempt in &self.attempts {
            sites.extend(site_of(&attempt.server));
        }
        if let Some(r) = self.diagnosis.as_ref().and_then(|d| d.reachability.as_ref()) {
            sites.extend(r.other_hosts.iter().filter_map(|p| site_of(&p.host)));
        }
        let mut masked = self.map_strings(|s| {
            let mut text = mask_in(s, &address);
            for site in &sites {
                text = mask_site(&text, site);
            }
            text
        });
        masked.masked = true;
        masked
    }

    /// Every string of the report passed through `f` (the report goes through its JSON form,
    /// so no field can be forgotten), except the names of enum values (`stage`, `state`…),
    /// which are words of Inlet's and must still read as their type afterwards.
    fn map_strings(&self, f: impl Fn(&str) -> String) -> HelpDeskReport {
        fn walk(value: &mut serde_json::Value, key: Option<&str>, f: &dyn Fn(&str) -> String) {
            match value {
                serde_json::Value::String(s) if !key.is_some_and(|k| ENUM_KEYS.contains(&k)) => *s = f(s),
                serde_json::Value::Array(items) => items.iter_mut().for_each(|v| walk(v, key, f)),
                serde_json::Value::Object(map) => map.iter_mut().for_each(|(k, v)| walk(v, Some(k), f)),
                _ => {}
            }
        }
        let mut value = serde_json::to_value(self).unwrap_or_default();
        walk(&mut value, None, &f);
        // Should a string still fail to read back, the report loses its contents rather than
        // keep text that was not passed through `f`.
        serde_json::from_value(value).unwrap_or_else(|_| HelpDeskReport {
            address: f(&self.address),
            outcome: self.outcome.clone(),
            diagnosis: None,
            settings: None,
            attempts: Vec::new(),
            discovery: Vec::new(),
            sign_in: Vec::new(),
            ..self.clone()
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Markdown for a ticket.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = self.write_markdown(&mut md);
        md
    }

    fn write_markdown(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "# {}\n", tr!("eng-report-title"))?;
        writeln!(md, "- {}: {}", tr!("eng-report-address"), cell(&self.address))?;
        let outcome = match (&self.outcome.code, &self.diagnosis) {
            (Some(code), Some(d)) => tr!("eng-report-outcome-failed", title = d.title.as_str(), code = code.as_str()),
            _ => tr!("eng-report-outcome-ok", checked = self.outcome.checked.as_str()),
        };
        writeln!(md, "- {}: {}", tr!("eng-report-outcome"), cell(&outcome))?;
        writeln!(md, "- {}: {}", tr!("eng-report-checked"), cell(&self.outcome.checked))?;
        writeln!(md, "- {}: {}", tr!("eng-report-app"), self.app)?;
        writeln!(md, "- {}: {}", tr!("eng-report-os"), cell(&self.os))?;
        writeln!(md, "- {}: {}", tr!("eng-report-created"), self.created_at)?;
        if self.masked {
            writeln!(md, "- {}", tr!("eng-report-masked"))?;
        }
        for d in self.diagnosis.iter().chain(self.diagnosis.as_ref().and_then(|d| d.also.as_deref())) {
            let side = match d.side {
                Some(Side::Outgoing) => "outgoing",
                Some(Side::Incoming) => "incoming",
                None => "none",
            };
            let heading = tr!("eng-report-diagnosis", side = side, title = cell(&d.title), code = d.code_str());
            writeln!(md, "\n## {heading}\n")?;
            writeln!(md, "**{}** {}\n", tr!("eng-report-what-happened"), cell(&d.what_happened))?;
            writeln!(md, "**{}** {}\n", tr!("eng-report-what-to-do"), cell(&d.what_to_do))?;
            if let Some(hint) = &d.provider_hint {
                writeln!(md, "**{}** {}\n", tr!("eng-report-provider"), cell(hint))?;
            }
            if let Some(stage) = d.stage {
                writeln!(md, "{}\n", tr!("eng-report-failed-stage", stage = stage.label()))?;
            }
            if let Some(c) = &d.certificate {
                let line = tr!(
                    "eng-report-certificate",
                    subject = cell(&c.subject),
                    issuer = cell(&c.issuer),
                    from = c.not_before.as_str(),
                    to = c.not_after.as_str(),
                    fingerprint = c.sha256_fingerprint.as_str()
                );
                writeln!(md, "{line}\n")?;
            }
            if !d.evidence.is_empty() {
                writeln!(md, "{}\n", tr!("eng-report-evidence"))?;
                for line in &d.evidence {
                    writeln!(md, "- {}", cell(line))?;
                }
            }
        }
        if let Some(s) = &self.settings {
            writeln!(md, "\n## {}\n", tr!("eng-report-settings"))?;
            let incoming = s.incoming.settings();
            let login = match incoming.username.as_deref() {
                Some(name) => cell(name),
                None => tr!("eng-report-login-default"),
            };
            let line = tr!(
                "eng-report-incoming",
                protocol = s.incoming.protocol().label(),
                server = cell(&incoming.endpoint.display()),
                security = incoming.endpoint.security.label(),
                login = login,
                method = incoming.auth.label()
            );
            writeln!(md, "- {line}")?;
            match &s.outgoing {
                Some(o) => {
                    let login = match o.username.as_deref() {
                        Some(name) => cell(name),
                        None => tr!("eng-report-login-as-incoming"),
                    };
                    let line = tr!(
                        "eng-report-outgoing",
                        server = cell(&o.endpoint.display()),
                        security = o.endpoint.security.label(),
                        login = login
                    );
                    writeln!(md, "- {line}")?
                }
                None => writeln!(md, "- {}", tr!("eng-report-outgoing-none"))?,
            }
        }
        writeln!(md, "\n## {}\n", tr!("eng-report-attempts"))?;
        if self.attempts.is_empty() {
            writeln!(md, "{}\n", tr!("eng-report-no-attempts"))?;
        }
        for (n, a) in self.attempts.iter().enumerate() {
            let side = if a.side == Side::Outgoing { "outgoing" } else { "incoming" };
            let (number, server) = ((n + 1).to_string(), cell(&a.server));
            let heading = match a.failed_stage {
                Some(stage) => tr!(
                    "eng-report-attempt-failed",
                    number = number,
                    server = server,
                    side = side,
                    stage = stage.label()
                ),
                None => tr!("eng-report-attempt", number = number, server = server, side = side),
            };
            writeln!(md, "### {heading}\n")?;
            writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                tr!("eng-report-column-stage"),
                tr!("eng-report-column-started"),
                tr!("eng-report-column-took"),
                tr!("eng-report-column-result"),
                tr!("eng-report-column-detail")
            )?;
            writeln!(md, "|---|---:|---:|---|---|")?;
            for s in &a.stages {
                let took = s.ended_ms.map(|e| e.saturating_sub(s.started_ms).to_string()).unwrap_or("–".into());
                let state = match s.state {
                    StageState::Done => tr!("eng-report-stage-done"),
                    StageState::Failed => tr!("eng-report-stage-failed"),
                    _ => tr!("eng-report-stage-unfinished"),
                };
                writeln!(
                    md,
                    "| {} | {} | {took} | {state} | {} |",
                    s.stage.label(),
                    s.started_ms,
                    cell(s.detail.as_deref().unwrap_or(""))
                )?;
            }
            writeln!(md)?;
            if let Some(g) = &a.greeting {
                writeln!(md, "- {}: {}", tr!("eng-report-greeting"), cell(g))?;
            }
            for c in &a.capabilities {
                writeln!(md, "- {}: {}", tr!("eng-report-capabilities"), cell(c))?;
            }
            for t in &a.sign_in {
                let result = match t.result {
                    SignInResult::Accepted => tr!("eng-report-sign-in-accepted"),
                    SignInResult::Refused => tr!("eng-report-sign-in-refused"),
                    SignInResult::Failed => tr!("eng-report-sign-in-failed"),
                };
                let line = tr!(
                    "eng-report-sign-in-tried",
                    username = cell(&t.username),
                    method = cell(&t.method),
                    result = result
                );
                writeln!(md, "- {line}")?;
            }
            writeln!(md)?;
        }
        if !self.sign_in.is_empty() {
            writeln!(md, "## {}\n", tr!("eng-report-provider-sign-in"))?;
            write_trace(md, &tr!("eng-report-column-step"), &self.sign_in)?;
        }
        if !self.discovery.is_empty() {
            writeln!(md, "## {}\n", tr!("eng-report-discovery"))?;
            write_trace(md, &tr!("eng-report-column-source"), &self.discovery)?;
        }
        Ok(())
    }
}

/// A trace as a table: what was asked, how it ended, when (ms since the start) and in words.
fn write_trace(md: &mut String, first_column: &str, steps: &[TraceStep]) -> std::fmt::Result {
    writeln!(
        md,
        "| {first_column} | {} | {} | {} | {} |",
        tr!("eng-report-column-asked"),
        tr!("eng-report-column-result"),
        tr!("eng-report-column-ms"),
        tr!("eng-report-column-outcome")
    )?;
    writeln!(md, "|---|---|---|---:|---|")?;
    for t in steps {
        let status =
            serde_json::to_value(t.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        writeln!(
            md,
            "| {} | {} | {status} | {} | {} |",
            cell(&t.source),
            cell(&t.query),
            t.elapsed_ms,
            cell(&t.outcome)
        )?;
    }
    writeln!(md)
}

/// The keys whose string values are enum names (in every type of the report that has them).
const ENUM_KEYS: &[&str] = &[
    "stage",
    "state",
    "side",
    "failedStage",
    "result",
    "verdict",
    "status",
    "kind",
    "protocol",
    "security",
    "auth",
    "code",
];

/// Text in a Markdown table cell or list item: one line, no column break, no markup.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '|' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The part of a host name that names its owner: the last two labels (`example.com` of
/// `imap.example.com`). None for IP addresses and names of one label (`localhost`).
fn site_of(host: &str) -> Option<String> {
    let host = crate::account::normalize_host(host);
    if host.parse::<std::net::IpAddr>().is_ok() || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    (labels.len() >= 2).then(|| labels[labels.len() - 2..].join("."))
}

/// `site` (`example.com`) masked to `e….com` wherever it stands as a name or the end of one
/// (`imap.example.com`, `alice@example.com`), in any case.
fn mask_site(text: &str, site: &str) -> String {
    let Some((name, top)) = site.split_once('.') else { return text.to_owned() };
    let Some(first) = name.chars().next() else { return text.to_owned() };
    let replacement = format!("{first}….{top}");
    let continues = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    // ASCII lower-casing keeps every byte offset, so positions found in the copy hold in `text`.
    let (haystack, needle) = (text.to_ascii_lowercase(), site.to_ascii_lowercase());
    let mut out = String::with_capacity(text.len());
    let (mut rest, mut from) = (0, 0);
    while let Some(found) = haystack[from..].find(&needle) {
        let (start, end) = (from + found, from + found + needle.len());
        let before = text[..start].chars().next_back();
        let mut after = text[end..].chars();
        let after = match after.next() {
            // A dot goes on into a longer name (`example.com.evil.net`) only before a letter.
            Some('.') => after.next().filter(|c| c.is_alphanumeric()),
            other => other,
        };
        if before.is_some_and(continues) || after.is_some_and(continues) {
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        out.push_str(&text[rest..start]);
        out.push_str(&replacement);
        rest = end;
        from = end;
    }
    out.push_str(&text[rest..]);
    out
}

/// The operating system, its architecture and, on Linux, the distribution's name from
/// os-release (read by hand: a dozen lines, where a crate would bring a dependency for one field).
fn os_description() -> String {
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    let pretty = ["/etc/os-release", "/usr/lib/os-release"].iter().find_map(|path| {
        let text = std::fs::read_to_string(path).ok()?;
        text.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim().trim_matches('"').to_owned())
    });
    match pretty.filter(|p| !p.is_empty()) {
        Some(name) => format!("{base} ({})", crate::server_text::shown_plain(&name)),
        None => base,
    }
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_are_masked_where_they_end_a_name() {
        assert_eq!(mask_site("imap.example.com:993", "example.com"), "imap.e….com:993");
        assert_eq!(mask_site("a…@Example.COM", "example.com"), "a…@e….com");
        assert_eq!(mask_site("SRV _imaps._tcp.example.com.", "example.com"), "SRV _imaps._tcp.e….com.");
        assert_eq!(mask_site("myexample.com example.community", "example.com"), "myexample.com example.community");
        assert_eq!(site_of("IMAP.Example.com."), Some("example.com".into()));
        assert_eq!(site_of("127.0.0.1"), None);
        assert_eq!(site_of("localhost"), None);
    }

    #[test]
    fn a_cell_stays_one_line_without_markup() {
        assert_eq!(cell("a|b\nc `d`"), "a\\|b c \\`d\\`");
    }
}

#[cfg(test)]
mod trail_tests {
    use super::*;
    use crate::i18n::{with_language, Language};

    /// The sign-in's steps are words for a technician, in the user's language; the provider's
    /// addresses stay as they are, without their query.
    #[test]
    fn the_sign_in_steps_are_in_the_chosen_language() {
        let steps = |language| {
            with_language(language, || {
                let trail = SignInTrail::new();
                trail.issuer(
                    "https://id.example.test",
                    "https://id.example.test/authorize?state=s",
                    "https://id.example.test/token",
                    None,
                );
                trail.tokens_received();
                trail.steps()
            })
        };
        let de = steps(Language::De);
        assert_eq!(de[0].source, "Aussteller (Issuer)");
        assert_eq!(
            de[0].outcome,
            "Anmeldeseite https://id.example.test/authorize, Token-Endpunkt https://id.example.test/token"
        );
        assert_eq!(de[1].source, "Token-Endpunkt");
        let en = steps(Language::En);
        assert_eq!(
            en[0].outcome,
            "sign-in page https://id.example.test/authorize, token endpoint https://id.example.test/token"
        );
        assert_eq!(en[1].source, "token endpoint");
    }
}
