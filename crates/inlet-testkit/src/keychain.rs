//! A private Secret Service (the OS keychain on Linux desktops) for tests: its own D-Bus session
//! bus and its own gnome-keyring, in a temp dir, so tests never see or touch a real keychain.

use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::process::{kill_group, spawn, wait_until, ExitGuard};

const SECRETS_NAME: &str = "org.freedesktop.secrets";
const SECRETS_PATH: &str = "/org/freedesktop/secrets";
/// What gnome-keyring names the collection it creates with `--unlock` (checked with 42.1).
const LOGIN_COLLECTION: &str = "/org/freedesktop/secrets/collection/login";
/// gnome-keyring's collection kept in memory only (never written to disk).
const SESSION_COLLECTION: &str = "/org/freedesktop/secrets/collection/session";

/// A running D-Bus session bus with an unlocked gnome-keyring on it. Dropping it kills both.
pub struct Keychain {
    exit: ExitGuard,
    dir: tempfile::TempDir,
    bus_address: String,
    // Field order is drop order, but Drop below kills explicitly anyway.
    keyring: Option<Child>,
    dbus: Option<Child>,
}

impl Keychain {
    /// Starts `dbus-daemon` and `gnome-keyring-daemon --unlock` and waits (up to 10 s) until the
    /// keyring owns `org.freedesktop.secrets` on the bus. About 0.1 s.
    ///
    /// Needs the Debian packages `dbus gnome-keyring` (and `libsecret-tools` for `secret-tool`).
    pub fn start() -> io::Result<Keychain> {
        let dir = tempfile::Builder::new().prefix("inlet-keychain-").tempdir()?;
        for sub in ["home", "data", "config", "cache", "runtime"] {
            fs::create_dir(dir.path().join(sub))?;
        }
        // XDG_RUNTIME_DIR must be private, or gnome-keyring refuses to use it.
        fs::set_permissions(dir.path().join("runtime"), fs::Permissions::from_mode(0o700))?;

        let exit = ExitGuard::new(dir.path());
        let mut keychain = Keychain { exit, dir, bus_address: String::new(), keyring: None, dbus: None };

        // 1. The bus. It prints its address once it listens.
        let mut dbus = Command::new("dbus-daemon");
        dbus.args(["--session", "--nofork", "--print-address"])
            .arg(format!("--address=unix:path={}", keychain.dir.path().join("bus").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file(&keychain.dir.path().join("dbus.log"))?);
        keychain.isolate_env(&mut dbus);
        let mut child = spawn(dbus).map_err(|e| not_installed(e, "dbus-daemon", "dbus"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        keychain.exit.add_child(&child);
        keychain.dbus = Some(child);
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        if !line.trim().starts_with("unix:") {
            return Err(keychain.error("dbus-daemon did not print its address"));
        }
        keychain.bus_address = line.trim().to_string();

        // 2. The keyring, unlocked with a password read from stdin (it creates the login
        //    keyring with that password on first use, which is always here).
        let mut keyring = Command::new("gnome-keyring-daemon");
        keyring
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(log_file(&keychain.dir.path().join("keyring.log"))?)
            .stderr(log_file(&keychain.dir.path().join("keyring.log"))?);
        keychain.isolate_env(&mut keyring);
        let mut child = spawn(keyring).map_err(|e| not_installed(e, "gnome-keyring-daemon", "gnome-keyring"))?;
        {
            let mut stdin = child.stdin.take().expect("piped stdin");
            stdin.write_all(b"inlet-test-keyring")?;
            // Dropping stdin sends EOF, which ends the password.
        }
        keychain.exit.add_child(&child);
        keychain.keyring = Some(child);

        let owned = wait_until(Duration::from_secs(10), || {
            if let Some(Ok(Some(_))) = keychain.keyring.as_mut().map(|c| c.try_wait()) {
                return Some(false);
            }
            let reply = keychain
                .dbus_send(&[
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    &format!("string:{SECRETS_NAME}"),
                ])
                .ok()?;
            reply.contains("boolean true").then_some(true)
        });
        match owned {
            Some(true) => Ok(keychain),
            Some(false) => Err(keychain.error("gnome-keyring-daemon exited")),
            None => Err(keychain.error("gnome-keyring-daemon did not own org.freedesktop.secrets within 10 s")),
        }
    }

    /// The value for `DBUS_SESSION_BUS_ADDRESS`: all a Secret Service client needs.
    pub fn bus_address(&self) -> &str {
        &self.bus_address
    }

    /// Environment variables for a child process (e.g. the desktop app in an e2e test) that
    /// should use this keychain. Only the bus address: HOME and the XDG dirs stay the caller's
    /// business, so the app's own config location is not tied to the keychain.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("DBUS_SESSION_BUS_ADDRESS".to_string(), self.bus_address.clone())]
    }

    /// Points this process's `DBUS_SESSION_BUS_ADDRESS` at this keychain.
    ///
    /// Call it before the code under test first touches the keyring, and before starting other
    /// threads that read the environment. A process can use only one keychain this way: the
    /// `keyring` crate sets up its store once and keeps using that bus connection. Tests that
    /// need a keychain therefore share one per test binary (or run in their own binary).
    pub fn install_for_this_process(&self) {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
    }

    /// Locks the default collection (the one new secrets go to), as a screen lock would.
    /// Reads then need an unlock prompt, which nobody answers here: clients see "locked".
    pub fn lock(&self) -> io::Result<()> {
        let collection = self.default_collection()?;
        self.dbus_send(&[
            &format!("--dest={SECRETS_NAME}"),
            SECRETS_PATH,
            "org.freedesktop.Secret.Service.Lock",
            &format!("array:objpath:{collection}"),
        ])?;
        Ok(())
    }

    /// Points the `default` alias (where clients put new secrets) at gnome-keyring's `session`
    /// collection, which lives in memory only. Writing to the persistent collection rewrites
    /// and re-encrypts its whole file on every write, so filling it grows with the square of
    /// its size (10,000 passwords: most of an hour); for benchmarks that need many secrets.
    /// Clients search every collection, so they find these secrets as any other.
    pub fn keep_new_secrets_in_memory(&self) -> io::Result<()> {
        self.dbus_send(&[
            &format!("--dest={SECRETS_NAME}"),
            SECRETS_PATH,
            "org.freedesktop.Secret.Service.SetAlias",
            "string:default",
            &format!("objpath:{SESSION_COLLECTION}"),
        ])?;
        match self.default_collection()? {
            path if path == SESSION_COLLECTION => Ok(()),
            other => Err(self.error(&format!("the default alias still names {other}"))),
        }
    }

    /// Whether the default collection is locked.
    pub fn is_locked(&self) -> io::Result<bool> {
        let collection = self.default_collection()?;
        let reply = self.dbus_send(&[
            &format!("--dest={SECRETS_NAME}"),
            &collection,
            "org.freedesktop.DBus.Properties.Get",
            "string:org.freedesktop.Secret.Collection",
            "string:Locked",
        ])?;
        Ok(reply.contains("boolean true"))
    }

    /// The object path the `default` alias points to (`.../collection/login` with gnome-keyring).
    pub fn default_collection(&self) -> io::Result<String> {
        let reply = self.dbus_send(&[
            &format!("--dest={SECRETS_NAME}"),
            SECRETS_PATH,
            "org.freedesktop.Secret.Service.ReadAlias",
            "string:default",
        ])?;
        // The reply's last line reads: object path "/org/freedesktop/secrets/collection/login"
        let path = reply.split('"').nth(1).unwrap_or("/");
        Ok(if path == "/" { LOGIN_COLLECTION.to_string() } else { path.to_string() })
    }

    /// The temp dir holding the bus socket, keyring files and daemon logs.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A `Command` whose environment points at this keychain (for `secret-tool` and the like).
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        self.isolate_env(&mut cmd);
        cmd
    }

    /// HOME and XDG dirs inside the temp dir, so neither daemon reads or writes the real user's files.
    fn isolate_env(&self, cmd: &mut Command) {
        let d = self.dir.path();
        cmd.env("HOME", d.join("home"))
            .env("XDG_DATA_HOME", d.join("data"))
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("XDG_CACHE_HOME", d.join("cache"))
            .env("XDG_RUNTIME_DIR", d.join("runtime"))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        if self.bus_address.is_empty() {
            cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
        } else {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
        }
    }

    fn dbus_send(&self, args: &[&str]) -> io::Result<String> {
        let out = self
            .command("dbus-send")
            .args(["--session", "--print-reply", "--reply-timeout=5000"])
            .args(args)
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "dbus-send {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn error(&self, what: &str) -> io::Error {
        let mut msg = format!("Keychain: {what}");
        for log in ["dbus.log", "keyring.log"] {
            if let Ok(text) = fs::read_to_string(self.dir.path().join(log)) {
                msg.push_str(&format!("\n--- {log} ---\n{}", text.trim_end()));
            }
        }
        io::Error::other(msg)
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        for child in [self.keyring.as_mut(), self.dbus.as_mut()].into_iter().flatten() {
            kill_group(child);
        }
    }
}

fn log_file(path: &PathBuf) -> io::Result<fs::File> {
    fs::OpenOptions::new().create(true).append(true).open(path)
}

fn not_installed(e: io::Error, program: &str, package: &str) -> io::Error {
    if e.kind() == io::ErrorKind::NotFound {
        io::Error::new(e.kind(), format!("{program} not found: install the Debian package `{package}`"))
    } else {
        e
    }
}
