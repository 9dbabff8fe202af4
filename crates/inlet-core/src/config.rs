//! The engine's one configuration value. Everything tests or a technician must redirect (data
//! directory, extra trusted CAs, deadlines, keychain service name) lives here and is passed down;
//! nothing else in the engine reads the environment.

use crate::tr;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
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
    /// How long a browser sign-in waits for the browser to come back (the person reads the
    /// provider's page, types, maybe confirms on a phone).
    #[serde(with = "millis")]
    pub sign_in: Duration,
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
            sign_in: Duration::from_secs(300),
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
    /// The reachability check after a failed connection (see `reachability`).
    pub reachability: ReachabilityLimits,
    /// Browser sign-in (OAuth2): the client ids and tenant the user configured. An
    /// administrator's policy file ([`EngineConfig::policy_file`]) wins over these.
    #[serde(default)]
    pub oauth: crate::oauth::clients::OAuthConfig,
    /// The administrator's policy file: system-wide, read-only for users (in the spirit of
    /// Thunderbird's and Firefox's enterprise policies). None: no policy. A file that is named
    /// but missing means no policy either.
    #[serde(default = "default_policy_file")]
    pub policy_file: Option<PathBuf>,
    /// The command that opens the provider's sign-in page, the URL appended as its last
    /// argument. None: the system browser (the `webbrowser` crate). Tests put a browser they
    /// control here.
    #[serde(default)]
    pub browser_command: Option<Vec<String>>,
    /// How often the app checks its mailboxes while it runs (see `schedule`), in seconds; the
    /// administrator's policy bounds it (`checkInterval`).
    #[serde(default = "default_check_interval_seconds")]
    pub check_interval_seconds: u64,
}

/// A quarter of an hour: often enough to notice a changed password the same morning, rarely
/// enough that a mail server never sees it as load.
fn default_check_interval_seconds() -> u64 {
    15 * 60
}

/// What the reachability check asks when a connection fails: the server's other ports, and
/// well-known hosts that tell whether this computer reaches anything at all.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReachabilityLimits {
    /// The ports asked on the server besides the one that failed: the mail ports (IMAP 143 and
    /// 993, POP3 110 and 995, submission 587 and 465, SMTP 25) and HTTPS.
    pub ports: Vec<u16>,
    /// `host:port` of well-known servers that are almost always up; none of them answering
    /// means this computer is offline (or every connection out is blocked). Empty: not asked.
    pub reference_hosts: Vec<String>,
    /// For each probe; all run at once, so this is about how long the whole check takes.
    #[serde(with = "millis")]
    pub deadline: Duration,
}

impl Default for ReachabilityLimits {
    fn default() -> Self {
        ReachabilityLimits {
            ports: vec![143, 993, 110, 995, 587, 465, 25, 443],
            // Two addresses (no DNS needed) and one name, run by three companies.
            reference_hosts: vec!["1.1.1.1:443".into(), "9.9.9.9:443".into(), "www.google.com:443".into()],
            deadline: Duration::from_secs(4),
        }
    }
}

/// Where the administrator's policy file is looked for unless the configuration says otherwise.
pub(crate) const DEFAULT_POLICY_FILE: &str = "/etc/inlet/policy.json";

fn default_policy_file() -> Option<PathBuf> {
    Some(PathBuf::from(DEFAULT_POLICY_FILE))
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
pub(crate) const DEFAULT_ISPDB_URL: &str = "https://autoconfig.thunderbird.net/v1.1/";

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
            reachability: ReachabilityLimits::default(),
            oauth: Default::default(),
            policy_file: default_policy_file(),
            browser_command: None,
            check_interval_seconds: default_check_interval_seconds(),
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
    /// The CA files it names must hold certificates.
    pub(crate) fn from_json_file(path: &Path) -> Result<EngineConfig, ConfigProblem> {
        let problem = |what_happened: String, what_to_do: String| ConfigProblem {
            path: path.display().to_string(),
            what_happened,
            what_to_do,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| problem(tr!("cfg-unreadable", error = e.to_string()), tr!("cfg-unreadable-fix")))?;
        // serde_json's message names the line and column, which is what a person fixing it needs.
        let config: EngineConfig = serde_json::from_str(&text)
            .map_err(|e| problem(tr!("cfg-invalid", error = e.to_string()), tr!("cfg-invalid-fix")))?;
        for ca_file in &config.extra_ca_files {
            crate::certificate::read_ca_file(ca_file)
                .map_err(|p| problem(tr!("cfg-ca-named", problem = p), tr!("cfg-ca-fix")))?;
        }
        Ok(config)
    }
}

/// The environment variable that names the configuration file (tests point the app at their
/// servers with it).
pub(crate) const CONFIG_ENV: &str = "INLET_CONFIG";

/// Why the configuration could not be used: the file, what is wrong, what to do. Both front ends
/// show it whole (the app in its window, the CLI on stderr) instead of starting with settings
/// the user did not ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct ConfigProblem {
    /// The configuration file, as a path to show.
    pub path: String,
    pub what_happened: String,
    pub what_to_do: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = tr!(
            "cfg-problem",
            path = self.path.as_str(),
            what_happened = self.what_happened.as_str(),
            what_to_do = self.what_to_do.as_str()
        );
        f.write_str(&text)
    }
}

impl std::error::Error for ConfigProblem {}

/// Where the configuration file is looked for, in this order: a path the user gave (the CLI's
/// `--config`), the `INLET_CONFIG` variable, `config.json` in the platform's configuration
/// directory (e.g. ~/.config/inlet). A file named by the first two must exist; the last is
/// optional. No file: the defaults.
#[derive(Debug, Clone, Default)]
pub struct ConfigLookup {
    pub explicit: Option<PathBuf>,
    pub env: Option<PathBuf>,
    pub config_dir: Option<PathBuf>,
}

impl ConfigLookup {
    /// The lookup of this process: `explicit`, `INLET_CONFIG`, the platform's directory.
    pub fn from_environment(explicit: Option<&Path>) -> ConfigLookup {
        ConfigLookup {
            explicit: explicit.map(Path::to_path_buf),
            env: std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()).map(PathBuf::from),
            config_dir: directories::ProjectDirs::from("app", "Inlet", "inlet").map(|d| d.config_dir().to_path_buf()),
        }
    }

    /// The file to read, if any.
    pub fn file(&self) -> Option<PathBuf> {
        if let Some(named) = self.explicit.as_ref().or(self.env.as_ref()) {
            return Some(named.clone());
        }
        let default = self.config_dir.as_ref()?.join("config.json");
        // Only a file that is not there at all means "no configuration"; one that is there but
        // cannot be read is a problem to report.
        default.symlink_metadata().is_ok().then_some(default)
    }

    pub fn load(&self) -> Result<EngineConfig, ConfigProblem> {
        match self.file() {
            Some(path) => EngineConfig::from_json_file(&path),
            None => Ok(EngineConfig::default()),
        }
    }
}

/// The configuration of this process, for the app and the CLI alike (see [`ConfigLookup`]).
pub fn load_config(explicit: Option<&Path>) -> Result<EngineConfig, ConfigProblem> {
    ConfigLookup::from_environment(explicit).load()
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;
    pub(crate) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn named(path: &Path) -> ConfigLookup {
        ConfigLookup { env: Some(path.to_path_buf()), ..Default::default() }
    }

    #[test]
    fn no_file_anywhere_gives_the_defaults() {
        let empty = dir();
        let lookup = ConfigLookup { config_dir: Some(empty.path().to_path_buf()), ..Default::default() };
        assert_eq!(lookup.file(), None);
        assert_eq!(lookup.load().unwrap().keychain_service, "inlet");
    }

    #[test]
    fn the_platform_file_is_read_when_nothing_names_another() {
        let d = dir();
        write(d.path(), "config.json", r#"{"keychainService": "from-platform-dir"}"#);
        let lookup = ConfigLookup { config_dir: Some(d.path().to_path_buf()), ..Default::default() };
        assert_eq!(lookup.load().unwrap().keychain_service, "from-platform-dir");
    }

    #[test]
    fn an_explicit_path_beats_the_variable_which_beats_the_platform_file() {
        let d = dir();
        write(d.path(), "config.json", r#"{"keychainService": "platform"}"#);
        let env = write(d.path(), "env.json", r#"{"keychainService": "env"}"#);
        let explicit = write(d.path(), "explicit.json", r#"{"keychainService": "explicit"}"#);
        let mut lookup =
            ConfigLookup { explicit: Some(explicit), env: Some(env), config_dir: Some(d.path().to_path_buf()) };
        assert_eq!(lookup.load().unwrap().keychain_service, "explicit");
        lookup.explicit = None;
        assert_eq!(lookup.load().unwrap().keychain_service, "env");
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error_naming_it() {
        let d = dir();
        let missing = d.path().join("nope.json");
        let problem = named(&missing).load().unwrap_err();
        assert_eq!(problem.path, missing.display().to_string());
        assert!(problem.what_happened.contains("cannot be read"), "{problem:?}");
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error_naming_the_file_and_the_place() {
        let d = dir();
        let path = write(d.path(), "config.json", "{\n  \"dataDir\": \"/tmp\",\n  oops\n}");
        let problem = named(&path).load().unwrap_err();
        assert_eq!(problem.path, path.display().to_string());
        assert!(problem.what_happened.contains("not a valid Inlet configuration"), "{problem:?}");
        assert!(problem.what_happened.contains("line 3"), "the parser's place: {problem:?}");
        // The platform's file is not optional either once it is there.
        let lookup = ConfigLookup { config_dir: Some(d.path().to_path_buf()), ..Default::default() };
        assert_eq!(lookup.load().unwrap_err().path, path.display().to_string());
    }

    #[test]
    fn a_field_of_the_wrong_type_is_an_error() {
        let d = dir();
        let path = write(d.path(), "config.json", r#"{"dnsServer": "not an address"}"#);
        let problem = named(&path).load().unwrap_err();
        assert!(problem.what_happened.contains("not a valid Inlet configuration"), "{problem:?}");
    }

    #[test]
    fn a_ca_file_that_cannot_be_read_is_an_error_naming_both_files() {
        let d = dir();
        let ca = d.path().join("missing-ca.pem");
        let path = write(d.path(), "config.json", &format!(r#"{{"extraCaFiles": [{:?}]}}"#, ca.display().to_string()));
        let problem = named(&path).load().unwrap_err();
        assert_eq!(problem.path, path.display().to_string());
        assert!(problem.what_happened.contains(&ca.display().to_string()), "{problem:?}");
        assert!(problem.what_happened.contains("cannot be read"), "{problem:?}");
        assert!(problem.what_to_do.contains("extraCaFiles"), "{problem:?}");
    }

    #[test]
    fn a_ca_file_without_a_certificate_is_an_error() {
        let d = dir();
        let ca = write(d.path(), "ca.pem", "this is not a certificate\n");
        let path = write(d.path(), "config.json", &format!(r#"{{"extraCaFiles": [{:?}]}}"#, ca.display().to_string()));
        let problem = named(&path).load().unwrap_err();
        assert!(problem.what_happened.contains("holds no certificate"), "{problem:?}");
        assert!(problem.to_string().contains(&path.display().to_string()), "Display names the file: {problem}");
    }
}
