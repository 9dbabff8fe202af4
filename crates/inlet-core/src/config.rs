//! The engine's one configuration value. Everything tests or a technician must redirect (data
//! directory, extra trusted CAs, deadlines, keychain service name) lives here and is passed down;
//! nothing else in the engine reads the environment.

use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A deadline for every network step. Short enough that a dead server is reported in seconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Deadlines {
    #[serde(with = "millis")]
    pub resolve: Duration,
    #[serde(with = "millis")]
    pub connect: Duration,
    #[serde(with = "millis")]
    pub tls: Duration,
    #[serde(with = "millis")]
    pub greeting: Duration,
    /// For each command's answer; while a long answer keeps arriving, each read gets this long.
    #[serde(with = "millis")]
    pub command: Duration,
    /// For each keychain call (a locked keychain may wait for an unlock prompt nobody answers).
    #[serde(with = "millis")]
    pub keychain: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            resolve: Duration::from_secs(10),
            connect: Duration::from_secs(10),
            tls: Duration::from_secs(10),
            greeting: Duration::from_secs(10),
            command: Duration::from_secs(20),
            keychain: Duration::from_secs(20),
        }
    }
}

impl Deadlines {
    /// Every network step limited to `d` (tests that wait for a deadline use a short one); the
    /// keychain keeps its own.
    pub fn all(d: Duration) -> Deadlines {
        Deadlines { resolve: d, connect: d, tls: d, greeting: d, command: d, ..Deadlines::default() }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EngineConfig {
    /// Where the mailbox store lives. None: the platform's app data directory.
    pub data_dir: Option<PathBuf>,
    /// PEM files with CA certificates to trust besides the operating system's.
    pub extra_ca_files: Vec<PathBuf>,
    /// The keychain service name under which passwords are stored.
    pub keychain_service: String,
    pub deadlines: Deadlines,
    /// The DNS server asked for SRV, MX and address lookups during discovery (tests point it at
    /// their own server). None: the system resolver (/etc/resolv.conf on Unix).
    #[serde(default)]
    pub dns_server: Option<SocketAddr>,
    /// Thunderbird's autoconfig database (ISPDB), asked as `{ispdb_url}{domain}`. Only the
    /// domain is sent there, never the address.
    #[serde(default = "default_ispdb_url")]
    pub ispdb_url: String,
    /// Like curl's `--connect-to HOST:PORT:TO_HOST:TO_PORT`: connections meant for `host:port`
    /// (discovery's web requests and every mail connection) go to `to_host:to_port` instead,
    /// while the TLS name check and the Host header still use `host` (tests serve
    /// `autoconfig.example.test` and `imap.example.test:993` from 127.0.0.1; a technician can
    /// test a new server before DNS points at it).
    #[serde(default)]
    pub connect_to: Vec<ConnectTo>,
    pub discovery: DiscoveryLimits,
}

/// Deadlines of discovery's sources. Each source has its own: one that never answers costs at
/// most its deadline, and once another source has an answer, at most `grace` more.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DiscoveryLimits {
    /// SRV and MX lookups.
    #[serde(with = "millis")]
    pub dns: Duration,
    /// Each web source (ISPDB, autoconfig, Autodiscover), redirects included.
    #[serde(with = "millis")]
    pub http: Duration,
    /// Guessing host names, all probes together.
    #[serde(with = "millis")]
    pub guess: Duration,
    /// Between the starts of two guesses.
    #[serde(with = "millis")]
    pub guess_stagger: Duration,
    /// One check of a candidate without credentials.
    #[serde(with = "millis")]
    pub probe: Duration,
    /// How long an answer waits for better-ranked sources still running.
    #[serde(with = "millis")]
    pub grace: Duration,
}

impl Default for DiscoveryLimits {
    fn default() -> Self {
        DiscoveryLimits {
            dns: Duration::from_secs(4),
            http: Duration::from_secs(6),
            guess: Duration::from_secs(8),
            guess_stagger: Duration::from_millis(150),
            probe: Duration::from_secs(5),
            grace: Duration::from_millis(800),
        }
    }
}

/// The public ISPDB of Thunderbird (autoconfig format v1.1).
pub const DEFAULT_ISPDB_URL: &str = "https://autoconfig.thunderbird.net/v1.1/";

fn default_ispdb_url() -> String {
    DEFAULT_ISPDB_URL.to_owned()
}

/// One `--connect-to` override (see [`EngineConfig::connect_to`]). `port` 0 matches any port;
/// `to_port` 0 keeps the port asked for. `to_host` is an IP address (or a name, resolved once
/// when the HTTP client is built, or at each mail connection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectTo {
    pub host: String,
    pub port: u16,
    pub to_host: String,
    pub to_port: u16,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            data_dir: None,
            extra_ca_files: Vec::new(),
            keychain_service: "inlet".into(),
            deadlines: Deadlines::default(),
            dns_server: None,
            ispdb_url: default_ispdb_url(),
            connect_to: Vec::new(),
            discovery: DiscoveryLimits::default(),
        }
    }
}

impl EngineConfig {
    /// The data directory: the configured one, or the platform's (e.g. ~/.local/share/inlet).
    pub fn resolved_data_dir(&self) -> PathBuf {
        if let Some(dir) = &self.data_dir {
            return dir.clone();
        }
        directories::ProjectDirs::from("app", "Inlet", "inlet")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".inlet"))
    }

    /// Reads a JSON configuration file (the app's `config.json`); missing fields take defaults.
    pub fn from_json_file(path: &std::path::Path) -> Result<EngineConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{} is not a valid configuration: {e}", path.display()))
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}
