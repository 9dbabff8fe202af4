//! Getting a byte stream to a server: resolve, connect to every address (happy eyeballs, RFC 8305),
//! TLS with rustls (OS roots plus the CAs the configuration adds), and a deadline on each step.
//!
//! One file, over the usual size: one path from a host name to a verified stream (the dial, TCP
//! with happy eyeballs, the TLS context and its recording verifier, the TLS error wording); each
//! step hands its result and its deadline to the next, so they are read together.

pub mod dns;

use dns::{DnsError, DnsResolver};

use crate::account::{host_port, normalize_host, Endpoint, TrustedCertificate};
use crate::certificate::{read_ca_file, CertificateInfo, Sha256Fingerprint};
use crate::config::{ConnectTo, Deadlines, EngineConfig};
use crate::error::{CertificateProblem, EngineError, Result};
use crate::policy::{ConnectionPolicy, PolicyRefusal, TlsVersion};
use crate::progress::{Progress, Stage, StageState};
use futures::stream::{FuturesUnordered, StreamExt};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// A connection, plain or encrypted. Plain exists for STARTTLS (before the upgrade) and for the
/// explicit "no encryption" choice.
#[derive(Debug)]
pub(crate) enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl MailStream {
    pub(crate) fn is_encrypted(&self) -> bool {
        matches!(self, MailStream::Tls(_))
    }
}

impl AsyncRead for MailStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_flush(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Where a check goes and how it may get there: the endpoint, whether the user accepted sending
/// a password there in clear, the network, the certificates the user trusted, the deadlines, and
/// where progress goes. One value for the POP3 and SMTP checks instead of the same six
/// parameters on each.
pub struct Dial<'a> {
    pub endpoint: &'a Endpoint,
    pub allow_plaintext_password: bool,
    pub network: &'a Network,
    pub trusted: &'a [TrustedCertificate],
    pub deadlines: &'a Deadlines,
    pub progress: &'a Progress<'a>,
}

/// Runs one step under its deadline; a miss becomes `TimedOut` naming the stage.
pub(crate) async fn with_deadline<T>(
    stage: Stage,
    target: &str,
    limit: Duration,
    step: impl Future<Output = Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, step).await {
        Ok(result) => result,
        Err(_) => Err(EngineError::TimedOut { stage, target: target.to_owned(), seconds: limit.as_secs().max(1) }),
    }
}

/// The trust anchors: the operating system's roots plus any CA files the configuration names
/// (the tests' own CA, a company CA). Built once per engine. The configured files are read at
/// once (a bad one is a configuration error); the system's roots, whose reading and parsing was
/// about 5% of a whole connection check, only when a certificate first needs them: a server
/// that a configured CA vouches for never does (see [`RecordingVerifier`]).
#[derive(Clone)]
pub struct TlsContext {
    anchors: Anchors,
    /// The configured CAs alone; None when there are none.
    configured_roots: Option<Arc<RootCertStore>>,
    /// The oldest TLS version offered (the administrator's policy; TLS 1.2 without one).
    min_version: TlsVersion,
    /// The mail connections' rustls configurations, one per set of certificates the user
    /// trusted (sorted fingerprints; empty: no pin, WebPKI decides), made at first use.
    ///
    /// Shared so that TLS sessions resume (RFC 8446 section 2.2): a configuration keeps the
    /// tickets servers gave in its session store, and rustls resumes a session only with the
    /// very configuration (verifier) that verified it. One configuration per connection meant a
    /// full handshake, certificate chain and the server's signature, for every check of the
    /// same server. Per trust setting, because a resumed session skips the verifier: a session
    /// a CA vouched for never stands in for a pinned certificate, nor the reverse.
    mail_configs: Arc<Mutex<MailConfigs>>,
}

/// Key: the trusted certificates' SHA-256 fingerprints, sorted (empty: no pin).
type MailConfigs = HashMap<Vec<[u8; 32]>, Arc<rustls::ClientConfig>>;

/// Where the trust anchors come from: the configured CAs, and every anchor (read at first need).
#[derive(Clone)]
struct Anchors {
    /// The configured CAs, in the order of their files.
    configured: Arc<Vec<CertificateDer<'static>>>,
    /// The system's roots followed by the configured CAs, read at first need.
    all_roots: Arc<OnceLock<Arc<RootCertStore>>>,
}

impl Anchors {
    /// Every trust anchor: the system's roots, then the configured CAs.
    fn all_roots(&self) -> Arc<RootCertStore> {
        let roots = self.all_roots.get_or_init(|| {
            let mut roots = RootCertStore::empty();
            // A machine without a CA bundle still works with the configured CAs; errors here are
            // individual unreadable certificates, which we skip like every TLS client does.
            let native = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(native.certs);
            roots.add_parsable_certificates(self.configured.iter().cloned());
            Arc::new(roots)
        });
        roots.clone()
    }
}

tokio::task_local! {
    /// What the verifier saw during the handshake running in this task: the configurations
    /// are shared between connections, so the verifier records into the handshake's own slot.
    static SEEN: Arc<Mutex<Seen>>;
}

impl TlsContext {
    pub fn new(extra_ca_files: &[impl AsRef<Path>]) -> Result<TlsContext> {
        let mut configured = Vec::new();
        for file in extra_ca_files {
            let file = file.as_ref();
            let certs =
                read_ca_file(file).map_err(|message| EngineError::InvalidInput { field: "ca_file", message })?;
            configured.extend(certs);
        }
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(configured.iter().cloned());
        let configured_roots = (!roots.is_empty()).then(|| Arc::new(roots));
        Ok(TlsContext {
            anchors: Anchors { configured: Arc::new(configured), all_roots: Arc::default() },
            configured_roots,
            min_version: TlsVersion::default(),
            mail_configs: Arc::default(),
        })
    }

    /// The same trust anchors, offering no TLS version older than `min_version`.
    pub(crate) fn with_min_version(mut self, min_version: TlsVersion) -> TlsContext {
        self.min_version = min_version;
        // Configurations made for the old versions do not apply.
        self.mail_configs = Arc::default();
        self
    }

    pub fn min_version(&self) -> TlsVersion {
        self.min_version
    }

    /// The versions offered: 1.3 and 1.2, or 1.3 alone.
    fn versions(&self) -> &'static [&'static rustls::SupportedProtocolVersion] {
        match self.min_version {
            TlsVersion::Tls12 => rustls::DEFAULT_VERSIONS,
            TlsVersion::Tls13 => TLS13_ONLY,
        }
    }

    /// A rustls client configuration over the same trust anchors (ring provider, WebPKI
    /// verification, no pinning), for clients that do their own connecting (the HTTP sources of
    /// discovery, the sign-in's issuer client). Made at every engine start, so it reads the
    /// system's roots only when a certificate needs them, as the mail connections do.
    pub(crate) fn client_config(&self) -> rustls::ClientConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let configured = self.configured_verifier(&provider);
        let verifier = Arc::new(RecordingVerifier {
            configured,
            anchors: self.anchors.clone(),
            provider: provider.clone(),
            pins: Vec::new(),
        });
        rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(self.versions())
            .expect("ring supports TLS 1.2 and 1.3")
            .dangerous() // only to install the verifier that delegates to webpki (see RecordingVerifier)
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth()
    }

    /// WebPKI over the configured CAs alone, when there are any.
    fn configured_verifier(&self, provider: &Arc<rustls::crypto::CryptoProvider>) -> Option<Arc<WebPkiServerVerifier>> {
        self.configured_roots.as_ref().map(|roots| {
            WebPkiServerVerifier::builder_with_provider(roots.clone(), provider.clone())
                .build()
                .expect("a root store that is not empty, with the ring provider, always builds a verifier")
        })
    }

    /// The connector for mail connections under `pins` (see `mail_configs`). A handshake run
    /// inside `SEEN.scope` records what the server presented there.
    fn connector(&self, pins: Vec<Sha256Fingerprint>) -> tokio_rustls::TlsConnector {
        let mut key: Vec<[u8; 32]> = pins.iter().map(|p| *p.as_bytes()).collect();
        key.sort_unstable();
        key.dedup();
        let mut configs = self.mail_configs.lock().unwrap();
        let config = configs.entry(key).or_insert_with(|| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let configured = self.configured_verifier(&provider);
            let verifier = Arc::new(RecordingVerifier {
                configured,
                anchors: self.anchors.clone(),
                provider: provider.clone(),
                pins,
            });
            let config = rustls::ClientConfig::builder_with_provider(provider)
                .with_protocol_versions(self.versions())
                .expect("ring supports TLS 1.2 and 1.3")
                .dangerous() // only to install a verifier that delegates to webpki and records the cert
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth();
            Arc::new(config)
        });
        tokio_rustls::TlsConnector::from(config.clone())
    }
}

static TLS13_ONLY: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS13];

/// How the engine reaches servers: the trust anchors for TLS, and how host names become
/// addresses (the system resolver, or the configured DNS server, and curl-style `connect_to`
/// overrides). Cheap to clone.
#[derive(Clone)]
pub struct Network {
    pub tls: TlsContext,
    resolver: Option<DnsResolver>,
    connect_to: Arc<Vec<ConnectTo>>,
}

impl Network {
    /// The system resolver, the operating system's roots plus `extra_ca_files`.
    pub fn new(extra_ca_files: &[impl AsRef<Path>]) -> Result<Network> {
        Ok(Network::direct(TlsContext::new(extra_ca_files)?))
    }

    /// The system resolver and these trust anchors.
    pub fn direct(tls: TlsContext) -> Network {
        Network { tls, resolver: None, connect_to: Arc::new(Vec::new()) }
    }

    /// Everything the configuration redirects: extra CAs, the DNS server (mail hosts are then
    /// resolved there too, so a name discovery found is the name connected to), `connect_to`.
    /// The administrator's policy file gives the oldest TLS version; one that cannot be used
    /// stops the engine from starting (fails closed, naming the file).
    pub fn from_config(config: &EngineConfig) -> Result<Network> {
        let policy = ConnectionPolicy::read(config.policy_file.as_deref())?;
        let tls = TlsContext::new(&config.extra_ca_files)?.with_min_version(policy.min_tls_version);
        let resolver = match config.dns_server {
            Some(_) => Some(
                DnsResolver::from_config(config)
                    .map_err(|e| EngineError::InvalidInput { field: "dns_server", message: e.to_string() })?,
            ),
            None => None,
        };
        Ok(Network { tls, resolver, connect_to: Arc::new(config.connect_to.clone()) })
    }

    /// The configured DNS server's resolver; None: the system resolver.
    pub fn resolver(&self) -> Option<&DnsResolver> {
        self.resolver.as_ref()
    }

    /// The `connect_to` override for `host:port`: port 0 in the entry matches any port, and a
    /// `to_port` of 0 keeps the port asked for. Host names compare as `normalize_host` makes them.
    fn redirect(&self, host: &str, port: u16) -> Option<(String, u16)> {
        let host = normalize_host(host);
        self.connect_to
            .iter()
            .find(|c| normalize_host(&c.host) == host && (c.port == 0 || c.port == port))
            .map(|c| (c.to_host.clone(), if c.to_port == 0 { port } else { c.to_port }))
    }

    /// The addresses to connect to for `host:port`, within `limit`.
    async fn addresses(&self, host: &str, port: u16, limit: Duration) -> Result<Vec<SocketAddr>> {
        let (host, port) = self.redirect(host, port).unwrap_or_else(|| (host.to_owned(), port));
        let not_found = |message: String| EngineError::HostNotFound { host: host.clone(), message };
        match &self.resolver {
            Some(resolver) => match resolver.lookup_ip(&host, limit).await {
                Ok(ips) => Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect()),
                Err(DnsError::TimedOut { .. }) => Err(EngineError::TimedOut {
                    stage: Stage::Resolving,
                    target: host.clone(),
                    seconds: limit.as_secs().max(1),
                }),
                Err(e) => Err(not_found(e.to_string())),
            },
            None => {
                with_deadline(Stage::Resolving, &host, limit, async {
                    tokio::net::lookup_host((host.as_str(), port))
                        .await
                        .map(|it| it.collect())
                        .map_err(|e| not_found(e.to_string()))
                })
                .await
            }
        }
    }
}

/// What the verifier saw: the server's certificate, and whether it differed from the pinned one.
#[derive(Debug, Default)]
struct Seen {
    certificate: Option<Vec<u8>>,
    pin_mismatch: bool,
}

/// Verifies exactly like rustls' WebPKI verifier over every trust anchor, and keeps the server's
/// certificate so a refusal can show the user what was presented (subject, issuer, dates,
/// fingerprint). A certificate the configured CAs alone vouch for is accepted without reading
/// the system's roots (with them it would be accepted all the same); any other is verified over
/// every anchor, so a refusal is the one it always was. Where the user trusted certificates for
/// this host and port, exactly those are accepted (any one of them) and any other is refused,
/// even one a CA vouches for: a change is never accepted silently.
struct RecordingVerifier {
    /// WebPKI over the configured CAs alone, when there are any.
    configured: Option<Arc<WebPkiServerVerifier>>,
    /// Where every anchor comes from, read at first need.
    anchors: Anchors,
    provider: Arc<rustls::crypto::CryptoProvider>,
    /// Empty: no pin, WebPKI decides.
    pins: Vec<Sha256Fingerprint>,
}

impl fmt::Debug for RecordingVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingVerifier").field("pins", &self.pins).finish_non_exhaustive()
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Outside a handshake's scope (the HTTP clients' configuration) nothing is recorded.
        let record = |what: &dyn Fn(&mut Seen)| {
            let _ = SEEN.try_with(|seen| what(&mut seen.lock().unwrap()));
        };
        record(&|seen| seen.certificate = Some(end_entity.to_vec()));
        if !self.pins.is_empty() {
            if self.pins.contains(&Sha256Fingerprint::of(end_entity)) {
                return Ok(ServerCertVerified::assertion());
            }
            record(&|seen| seen.pin_mismatch = true);
            return Err(rustls::Error::General("the certificate differs from the trusted one".into()));
        }
        if let Some(configured) = &self.configured {
            if let Ok(verified) =
                configured.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            {
                return Ok(verified);
            }
        }
        let every_anchor = WebPkiServerVerifier::builder_with_provider(self.anchors.all_roots(), self.provider.clone())
            .build()
            // No anchor at all (no system bundle, no configured CA): no issuer can be known.
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))?;
        every_anchor.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }
    // The signatures of the handshake are checked as WebPkiServerVerifier checks them, with the
    // provider's algorithms; no trust anchor is involved.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Resolves the host and connects to its addresses, starting a new attempt every 250 ms while the
/// earlier ones are pending (RFC 8305 section 5); the first to connect wins.
pub async fn connect_tcp(
    network: &Network,
    host: &str,
    port: u16,
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<(TcpStream, SocketAddr)> {
    let target = host_port(host, port);
    progress.emit(Stage::Resolving, StageState::Started, Some(host), None);
    let addresses = network.addresses(host, port, deadlines.resolve).await?;
    if addresses.is_empty() {
        return Err(EngineError::HostNotFound { host: host.to_owned(), message: "no addresses".into() });
    }
    let listed = addresses.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>().join(", ");
    progress.emit(Stage::Resolving, StageState::Done, Some(host), Some(listed));

    let addresses = interleave_families(addresses);
    let mut attempts = FuturesUnordered::new();
    let mut pending = addresses.iter().copied().peekable();
    let mut errors: Vec<(SocketAddr, io::Error)> = Vec::new();
    let attempt = |addr: SocketAddr| {
        let limit = deadlines.connect;
        async move {
            progress.emit(Stage::Connecting, StageState::Started, Some(&target_of(addr)), None);
            let r = tokio::time::timeout(limit, TcpStream::connect(addr)).await;
            (addr, r)
        }
    };
    attempts.push(attempt(pending.next().unwrap()));
    loop {
        let stagger = tokio::time::sleep(Duration::from_millis(250));
        tokio::select! {
            next = attempts.next() => match next {
                Some((addr, Ok(Ok(stream)))) => {
                    let _ = stream.set_nodelay(true);
                    progress.emit(Stage::Connecting, StageState::Done, Some(&target), Some(format!("connected to {}", target_of(addr))));
                    return Ok((stream, addr));
                }
                Some((addr, Ok(Err(e)))) => {
                    errors.push((addr, e));
                    if let Some(next) = pending.next() { attempts.push(attempt(next)); }
                }
                Some((addr, Err(_))) => {
                    errors.push((addr, io::Error::new(io::ErrorKind::TimedOut, "connect timed out")));
                    if let Some(next) = pending.next() { attempts.push(attempt(next)); }
                }
                None => break,
            },
            _ = stagger, if pending.peek().is_some() => {
                if let Some(next) = pending.next() { attempts.push(attempt(next)); }
            }
        }
    }
    progress.emit(Stage::Connecting, StageState::Failed, Some(&target), None);
    let tried = errors.iter().map(|(a, e)| format!("{}: {e}", target_of(*a))).collect::<Vec<_>>();
    if errors.iter().all(|(_, e)| e.kind() == io::ErrorKind::TimedOut) {
        return Err(EngineError::TimedOut {
            stage: Stage::Connecting,
            target,
            seconds: deadlines.connect.as_secs().max(1),
        });
    }
    if errors.iter().any(|(_, e)| e.kind() == io::ErrorKind::ConnectionRefused) {
        return Err(EngineError::ConnectionRefused { target, addresses: tried });
    }
    Err(EngineError::Unreachable { target, message: tried.join("; ") })
}

fn target_of(addr: SocketAddr) -> String {
    addr.to_string()
}

/// IPv6 and IPv4 alternate so a broken family costs one stagger step, not all of them.
fn interleave_families(addresses: Vec<SocketAddr>) -> Vec<SocketAddr> {
    let (v6, v4): (Vec<_>, Vec<_>) = addresses.into_iter().partition(|a| a.is_ipv6());
    let mut out = Vec::with_capacity(v6.len() + v4.len());
    let (mut a, mut b) = (v6.into_iter(), v4.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => break,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
    out
}

/// The TLS handshake under its deadline. Certificate refusals become `EngineError::Certificate`
/// with the presented certificate, so the UI can show it.
pub async fn tls_handshake(
    tcp: TcpStream,
    host: &str,
    port: u16,
    network: &Network,
    trusted: &[TrustedCertificate],
    deadlines: &Deadlines,
    progress: &Progress<'_>,
) -> Result<TlsStream<TcpStream>> {
    let target = host_port(host, port);
    // Every certificate the user trusted here; `host.` is the same host as `host`.
    let pins = trusted.iter().filter(|t| t.is_for(host, port)).map(|t| t.fingerprint()).collect::<Result<Vec<_>>>()?;
    progress.emit(Stage::Tls, StageState::Started, Some(&target), None);
    let name = ServerName::try_from(host.to_owned()).map_err(|_| EngineError::InvalidInput {
        field: "host",
        message: format!("{host} is not a valid host name"),
    })?;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let pinned = !pins.is_empty();
    let connector = network.tls.connector(pins.clone());
    let result = with_deadline(Stage::Tls, &target, deadlines.tls, async {
        SEEN.scope(seen.clone(), connector.connect(name, tcp))
            .await
            .map_err(|e| tls_error(&target, e, &seen, &pins, network.tls.min_version))
    })
    .await;
    match result {
        Ok(stream) => {
            let (_, conn) = stream.get_ref();
            let version = conn.protocol_version().map(|v| format!("{v:?}")).unwrap_or_default();
            let how = if pinned { "the certificate you trusted" } else { "certificate verified" };
            progress.emit(Stage::Tls, StageState::Done, Some(&target), Some(format!("{version}, {how}")));
            Ok(stream)
        }
        Err(e) => {
            progress.emit(Stage::Tls, StageState::Failed, Some(&target), None);
            Err(e)
        }
    }
}

/// How long the check "does this port speak TLS at once?" may take: a TLS server answers a
/// ClientHello at once, so a few seconds are plenty.
const TLS_PROBE_LIMIT: Duration = Duration::from_secs(5);

/// A plain-text greeting that did not come in time (STARTTLS or no encryption chosen) may mean
/// the port speaks TLS at once and waits, silent, for the client's ClientHello (RFC 8314: 993,
/// 995, 465). Tries a TLS handshake on a new connection to the same port under a short deadline
/// and, when the server answers it in TLS (the handshake completes, or it presents a
/// certificate, or it sends a TLS alert), the timeout becomes `PortSpeaksTls`. Anything else
/// (silence again, plain text, a refused connection) keeps the timeout as it was.
pub(crate) async fn explain_greeting_timeout(
    error: EngineError,
    endpoint: &Endpoint,
    network: &Network,
    deadlines: &Deadlines,
) -> EngineError {
    let EngineError::TimedOut { stage: Stage::Greeting, target, seconds } = &error else { return error };
    if endpoint.security == crate::account::Security::Tls {
        return error;
    }
    let (host, port) = (endpoint.host.as_str(), endpoint.port);
    // The probe is no step of the user's connection: it shows in the evidence, not the progress.
    let quiet = Progress::new(&crate::progress::NoProgress);
    let probe = async {
        let (tcp, _) = connect_tcp(network, host, port, deadlines, &quiet).await.ok()?;
        let name = ServerName::try_from(host.to_owned()).ok()?;
        let connector = network.tls.connector(Vec::new());
        match connector.connect(name, tcp).await {
            Ok(stream) => {
                let version = stream.get_ref().1.protocol_version().map(|v| format!("{v:?}")).unwrap_or_default();
                Some(format!("a TLS handshake on the same port succeeded ({version})"))
            }
            Err(e) => match e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
                Some(rustls::Error::InvalidCertificate(_)) => {
                    Some("a TLS handshake on the same port was answered with the server's certificate".to_owned())
                }
                Some(rustls::Error::AlertReceived(alert)) => {
                    Some(format!("a TLS handshake on the same port was answered with the TLS alert {alert:?}"))
                }
                Some(rustls::Error::PeerIncompatible(why)) => {
                    Some(format!("a TLS handshake on the same port was answered in TLS ({why:?})"))
                }
                _ => None,
            },
        }
    };
    match tokio::time::timeout(deadlines.tls.min(TLS_PROBE_LIMIT), probe).await {
        Ok(Some(answered)) => EngineError::PortSpeaksTls { target: target.clone(), seconds: *seconds, answered },
        _ => error,
    }
}

fn tls_error(
    target: &str,
    e: io::Error,
    seen: &Mutex<Seen>,
    pins: &[Sha256Fingerprint],
    min_version: TlsVersion,
) -> EngineError {
    let rustls_error = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>());
    let certificate = || seen.lock().unwrap().certificate.as_deref().and_then(CertificateInfo::from_der).map(Box::new);
    if seen.lock().unwrap().pin_mismatch {
        return EngineError::CertificateChanged {
            target: target.to_owned(),
            pinned_fingerprint: pins.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
            certificate: certificate(),
        };
    }
    if min_version > TlsVersion::Tls12 && rustls_error.is_some_and(is_version_mismatch) {
        return EngineError::PolicyForbids(PolicyRefusal::TlsVersion {
            target: target.to_owned(),
            minimum: min_version,
        });
    }
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(cert_error)) => {
            let problem = match cert_error {
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => CertificateProblem::Expired,
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    CertificateProblem::NotYetValid
                }
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                    CertificateProblem::WrongHost
                }
                CertificateError::UnknownIssuer => CertificateProblem::Untrusted,
                // A CA certificate presented as the server's own, what `openssl req -x509` makes
                // by default: webpki refuses it before looking for an issuer, but no authority
                // vouches for it, as for any self-signed certificate. The user decides by its
                // fingerprint.
                CertificateError::Other(other) if is_ca_used_as_end_entity(other) => CertificateProblem::Untrusted,
                CertificateError::Revoked => CertificateProblem::Revoked,
                _ => CertificateProblem::Invalid,
            };
            EngineError::Certificate {
                target: target.to_owned(),
                problem,
                certificate: certificate(),
                message: cert_error.to_string(),
            }
        }
        // The first bytes were no TLS record at all: the server speaks plain text on this port.
        Some(other @ rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType)) => {
            EngineError::TlsPortSpeaksPlainText { target: target.to_owned(), message: other.to_string() }
        }
        Some(other) => EngineError::Tls { target: target.to_owned(), message: other.to_string() },
        None if e.kind() == io::ErrorKind::UnexpectedEof => EngineError::Tls {
            target: target.to_owned(),
            message: "the server closed the connection during the TLS handshake (is this port for TLS?)".into(),
        },
        None => EngineError::Tls { target: target.to_owned(), message: e.to_string() },
    }
}

/// The handshake failed because the two sides share no TLS version: the server's
/// `protocol_version` alert (RFC 8446 6.2), or a server that answered with a version not offered.
fn is_version_mismatch(error: &rustls::Error) -> bool {
    use rustls::PeerIncompatible as P;
    matches!(
        error,
        rustls::Error::AlertReceived(rustls::AlertDescription::ProtocolVersion)
            | rustls::Error::PeerIncompatible(
                P::ServerDoesNotSupportTls12Or13
                    | P::ServerTlsVersionIsDisabledByOurConfig
                    | P::SupportedVersionsExtensionRequired
            )
    )
}

fn is_ca_used_as_end_entity(error: &rustls::OtherError) -> bool {
    matches!(error.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
}
