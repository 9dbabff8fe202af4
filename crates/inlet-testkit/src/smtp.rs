//! A private SMTP submission server per test: aiosmtpd (PyPI) run by `smtp_server.py` (next to
//! this crate's Cargo.toml, embedded at build time), with a STARTTLS port (587-style) and an
//! implicit-TLS port (465-style) on 127.0.0.1, AUTH PLAIN and LOGIN, and every accepted message
//! kept on disk for [`SmtpServer::received`].
//!
//! Needs python3 with aiosmtpd: `python3 -m pip install aiosmtpd` (or Debian's
//! `python3-aiosmtpd`). The interpreter is the first of `$INLET_TESTKIT_PYTHON`, `python3` on
//! the PATH and `/usr/bin/python3` that can import aiosmtpd.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use crate::pki::{CertKind, TestPki};
use crate::process::{kill_group, spawn, wait_until, ExitGuard};

const SCRIPT: &str = include_str!("../smtp_server.py");

/// How long [`SmtpServer::start`] waits for the listeners. It normally takes about 0.1–0.3 s.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// The command that installs what this server needs, for error messages and the docs.
pub const INSTALL_HINT: &str = "python3 -m pip install aiosmtpd";

/// What the server accepts and how it behaves.
#[derive(Clone, Debug)]
pub struct SmtpOptions {
    /// `(login, password)` pairs accepted by AUTH.
    pub users: Vec<(String, String)>,
    /// The certificate of both ports (the STARTTLS upgrade and implicit TLS).
    pub cert: CertKind,
    /// Names for a certificate issued by the test CA instead of `cert`. Empty: `cert`.
    pub cert_names: Vec<String>,
    /// When false, the submission port offers no STARTTLS at all, and advertises AUTH in clear
    /// (so a client that would send its password unencrypted can be caught doing it). When true
    /// (the default) it requires STARTTLS before AUTH and MAIL, and offers AUTH only after TLS.
    pub starttls: bool,
    /// The SASL mechanisms advertised, a subset of `PLAIN` and `LOGIN` (both by default), and
    /// of `XOAUTH2` and `OAUTHBEARER` when [`SmtpOptions::oauth2`] is set.
    pub auth_mechanisms: Vec<String>,
    /// Bearer sign-in (XOAUTH2, OAUTHBEARER RFC 7628) checked at an authorization server's
    /// introspection; the token's account must be the user who signs in. A refused token gets
    /// the RFC 7628 JSON error challenge, then 535. See [`SmtpOptions::with_oauth2`].
    pub oauth2: Option<SmtpOAuth2>,
    /// Refuse MAIL FROM an address other than the login name (553), as submission servers
    /// usually do. On by default.
    pub sender_must_be_login: bool,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        SmtpOptions {
            users: vec![("alice@example.test".into(), "wonderland-42".into()), ("bob".into(), "builder-7".into())],
            cert: CertKind::Valid,
            cert_names: Vec::new(),
            starttls: true,
            auth_mechanisms: vec!["PLAIN".into(), "LOGIN".into()],
            sender_must_be_login: true,
            oauth2: None,
        }
    }
}

impl SmtpOptions {
    /// These options with bearer sign-in checked at `server`, XOAUTH2 and OAUTHBEARER offered
    /// beside the password mechanisms.
    pub fn with_oauth2(mut self, server: &crate::AuthServer) -> SmtpOptions {
        self.oauth2 = Some(SmtpOAuth2::introspecting(server));
        for m in ["XOAUTH2", "OAUTHBEARER"] {
            if !self.auth_mechanisms.iter().any(|have| have.eq_ignore_ascii_case(m)) {
                self.auth_mechanisms.push(m.into());
            }
        }
        self
    }
}

/// Where the SMTP server checks bearer tokens.
#[derive(Clone, Debug)]
pub struct SmtpOAuth2 {
    pub introspection_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The CA of the introspection endpoint's certificate.
    pub ca_file: PathBuf,
    /// The `scope` of the error challenge (the provider's SMTP scope).
    pub scope: String,
}

impl SmtpOAuth2 {
    pub fn introspecting(server: &crate::AuthServer) -> SmtpOAuth2 {
        let (id, secret) = server.introspection_client();
        let scope = match server.style() {
            crate::Style::Microsoft => "https://outlook.office.com/SMTP.Send",
            crate::Style::Google => "https://mail.google.com/",
            crate::Style::Generic => "smtp",
        };
        SmtpOAuth2 {
            introspection_url: server.introspection_url(),
            client_id: id.into(),
            client_secret: secret.into(),
            ca_file: server.ca_file().to_path_buf(),
            scope: scope.into(),
        }
    }
}

/// One message the server accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMessage {
    /// The envelope sender (MAIL FROM), without angle brackets.
    pub mail_from: String,
    /// The envelope recipients (RCPT TO), without angle brackets.
    pub rcpt_tos: Vec<String>,
    /// The message as transmitted in DATA (headers and body, CRLF line ends, dots unstuffed).
    pub data: Vec<u8>,
}

impl ReceivedMessage {
    /// The value of the first header named `name` (case-insensitive), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.data);
        let mut value: Option<String> = None;
        for line in text.split("\r\n").flat_map(|l| l.split('\n')) {
            if line.is_empty() {
                break;
            }
            match &mut value {
                Some(v) if line.starts_with([' ', '\t']) => {
                    v.push(' ');
                    v.push_str(line.trim());
                }
                Some(_) => break,
                None => {
                    if let Some((n, v)) = line.split_once(':') {
                        if n.trim().eq_ignore_ascii_case(name) {
                            value = Some(v.trim().to_owned());
                        }
                    }
                }
            }
        }
        value
    }
}

/// A running aiosmtpd. Dropping it kills the process and deletes its messages.
pub struct SmtpServer {
    // Drop::drop kills the process before any field (the dir) goes.
    _exit: ExitGuard,
    dir: tempfile::TempDir,
    child: Child,
    submission: u16,
    submissions: u16,
    users: Vec<(String, String)>,
}

impl SmtpServer {
    /// Writes the configuration, starts the server and returns once both ports accept
    /// connections. Fails with a message naming [`INSTALL_HINT`] when aiosmtpd is missing.
    pub fn start(pki: &TestPki, opts: SmtpOptions) -> io::Result<SmtpServer> {
        if opts.users.is_empty() {
            return Err(invalid("SmtpOptions::users is empty"));
        }
        let known: &[&str] =
            if opts.oauth2.is_some() { &["PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"] } else { &["PLAIN", "LOGIN"] };
        if opts.auth_mechanisms.is_empty()
            || opts.auth_mechanisms.iter().any(|m| !known.contains(&m.to_ascii_uppercase().as_str()))
        {
            return Err(invalid(
                "SmtpOptions::auth_mechanisms must be PLAIN and/or LOGIN (XOAUTH2, OAUTHBEARER with oauth2)",
            ));
        }
        let python = python()?;

        let dir = tempfile::Builder::new().prefix("inlet-smtp-").tempdir()?;
        let exit = ExitGuard::new(dir.path());
        let maildir = dir.path().join("received");
        fs::create_dir(&maildir)?;
        // Copies, so the server may outlive the TestPki (as with Dovecot).
        let (cert_src, key_src) = if opts.cert_names.is_empty() {
            pki.cert(opts.cert)
        } else {
            pki.issue(&opts.cert_names.iter().map(String::as_str).collect::<Vec<_>>())
        };
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        fs::copy(cert_src, &cert)?;
        fs::copy(key_src, &key)?;
        let script = dir.path().join("smtp_server.py");
        fs::write(&script, SCRIPT)?;
        let config = dir.path().join("config.json");
        fs::write(&config, config_json(&opts, dir.path(), &maildir, &cert, &key))?;

        let log = fs::File::create(dir.path().join("smtp.log"))?;
        let mut cmd = Command::new(python);
        cmd.arg(&script)
            .arg(&config)
            .current_dir(dir.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let mut child = spawn(cmd)?;
        exit.add_child(&child);

        let ports_file = dir.path().join("ports");
        let ready = wait_until(START_TIMEOUT, || {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(Err(format!("the SMTP server exited during start ({status})")));
            }
            let text = fs::read_to_string(&ports_file).ok()?;
            let ports: Vec<u16> = text.split_whitespace().filter_map(|p| p.parse().ok()).collect();
            match ports[..] {
                [a, b] if accepts(a) && accepts(b) => Some(Ok((a, b))),
                _ => None,
            }
        });
        let failure = match ready {
            Some(Ok((submission, submissions))) => {
                return Ok(SmtpServer { _exit: exit, dir, child, submission, submissions, users: opts.users })
            }
            Some(Err(message)) => message,
            None => format!("the SMTP server did not listen within {START_TIMEOUT:?}"),
        };
        kill_group(&mut child);
        Err(io::Error::other(format!("{failure}\n--- smtp.log ---\n{}", tail(&dir.path().join("smtp.log")))))
    }

    /// The submission port with STARTTLS (unless `starttls: false`), like 587.
    pub fn smtp_port(&self) -> u16 {
        self.submission
    }

    /// The submission port with implicit TLS, like 465.
    pub fn smtps_port(&self) -> u16 {
        self.submissions
    }

    pub fn smtp_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.submission).into()
    }

    pub fn smtps_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.submissions).into()
    }

    /// Always 127.0.0.1.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    /// The `(login, password)` pairs that can sign in.
    pub fn users(&self) -> &[(String, String)] {
        &self.users
    }

    /// Every message accepted so far, in the order they were accepted.
    pub fn received(&self) -> Vec<ReceivedMessage> {
        let maildir = self.dir.path().join("received");
        let mut envs: Vec<PathBuf> =
            fs::read_dir(&maildir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
        envs.retain(|p| p.extension().is_some_and(|e| e == "env"));
        envs.sort();
        envs.iter()
            .filter_map(|env| {
                let text = fs::read_to_string(env).ok()?;
                let mut lines = text.lines().map(str::to_owned);
                let mail_from = lines.next()?;
                let rcpt_tos = lines.filter(|l| !l.is_empty()).collect();
                let data = fs::read(env.with_extension("eml")).ok()?;
                Some(ReceivedMessage { mail_from, rcpt_tos, data })
            })
            .collect()
    }

    /// The server's log (aiosmtpd logs every command, never the AUTH payloads), for failure messages.
    pub fn log_tail(&self) -> String {
        tail(&self.dir.path().join("smtp.log"))
    }

    /// The temp dir holding config, log and messages.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// The interpreter to run the server with: the first candidate that imports aiosmtpd.
fn python() -> io::Result<&'static str> {
    static FOUND: OnceLock<Result<String, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let mut candidates: Vec<String> = Vec::new();
        if let Some(p) = std::env::var_os("INLET_TESTKIT_PYTHON") {
            candidates.push(p.to_string_lossy().into_owned());
        }
        candidates.push("python3".into());
        candidates.push("/usr/bin/python3".into());
        let mut tried = Vec::new();
        for candidate in candidates {
            let status = Command::new(&candidate)
                .args(["-c", "import aiosmtpd.smtp"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            match status {
                Ok(s) if s.success() => return Ok(candidate),
                Ok(_) => tried.push(format!("{candidate}: no aiosmtpd")),
                Err(e) => tried.push(format!("{candidate}: {e}")),
            }
        }
        Err(format!(
            "inlet_testkit::SmtpServer needs python3 with aiosmtpd; install it with `{INSTALL_HINT}` \
             (tried {})",
            tried.join("; ")
        ))
    });
    match found {
        Ok(p) => Ok(p.as_str()),
        Err(message) => Err(io::Error::new(io::ErrorKind::NotFound, message.clone())),
    }
}

fn config_json(opts: &SmtpOptions, state: &Path, maildir: &Path, cert: &Path, key: &Path) -> String {
    let users = opts
        .users
        .iter()
        .map(|(u, p)| format!("[{}, {}]", json_string(u), json_string(p)))
        .collect::<Vec<_>>()
        .join(", ");
    let mechanisms = opts.auth_mechanisms.iter().map(|m| json_string(m)).collect::<Vec<_>>().join(", ");
    let path = |p: &Path| json_string(&p.to_string_lossy());
    let oauth2 = match &opts.oauth2 {
        Some(o) => format!(
            "{{\"introspection_url\": {}, \"client_id\": {}, \"client_secret\": {}, \"ca_file\": {}, \"scope\": {}}}",
            json_string(&o.introspection_url),
            json_string(&o.client_id),
            json_string(&o.client_secret),
            path(&o.ca_file),
            json_string(&o.scope)
        ),
        None => "null".into(),
    };
    format!(
        "{{\"state_dir\": {}, \"maildir\": {}, \"cert\": {}, \"key\": {}, \"users\": [{users}], \
         \"starttls\": {}, \"auth_mechanisms\": [{mechanisms}], \"sender_must_be_login\": {}, \"oauth2\": {oauth2}}}\n",
        path(state),
        path(maildir),
        path(cert),
        path(key),
        opts.starttls,
        opts.sender_must_be_login,
    )
}

/// A JSON string literal (RFC 8259 section 7).
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(500)).is_ok()
}

fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(60)..].join("\n")
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), r#""a\"b\\c\u000a""#);
    }

    /// The submission port greets, offers STARTTLS and no AUTH before TLS, and refuses MAIL
    /// in clear; with `starttls: false` it offers AUTH in clear and no STARTTLS.
    #[test]
    fn submission_port_requires_starttls_unless_told_otherwise() {
        use std::io::{BufRead, BufReader, Write};
        fn ehlo(port: u16, then: Option<&str>) -> (Vec<String>, Option<String>) {
            let stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            let mut read_reply = || {
                let mut lines = Vec::new();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    assert!(!line.is_empty(), "closed after {lines:?}");
                    let last = line.as_bytes().get(3) != Some(&b'-');
                    lines.push(line.trim_end().to_owned());
                    if last {
                        return lines;
                    }
                }
            };
            assert!(read_reply()[0].starts_with("220 "));
            writer.write_all(b"EHLO client.test\r\n").unwrap();
            let caps = read_reply();
            let answer = then.map(|cmd| {
                writer.write_all(format!("{cmd}\r\n").as_bytes()).unwrap();
                read_reply().join("\n")
            });
            (caps, answer)
        }
        let pki = TestPki::generate();
        let server = SmtpServer::start(&pki, SmtpOptions::default()).expect("aiosmtpd starts");
        let (caps, mail) = ehlo(server.smtp_port(), Some("MAIL FROM:<alice@example.test>"));
        assert!(caps.iter().any(|c| c == "250-STARTTLS"), "{caps:?}");
        assert!(!caps.iter().any(|c| c.contains("AUTH")), "{caps:?}");
        assert!(mail.unwrap().starts_with("530 "));
        assert!(server.received().is_empty());

        let open = SmtpServer::start(&pki, SmtpOptions { starttls: false, ..Default::default() }).unwrap();
        let (caps, _) = ehlo(open.smtp_port(), None);
        assert!(!caps.iter().any(|c| c.contains("STARTTLS")), "{caps:?}");
        assert!(caps.iter().any(|c| c.contains("AUTH LOGIN PLAIN")), "{caps:?}");
    }

    #[test]
    fn headers_are_read_unfolded() {
        let m = ReceivedMessage {
            mail_from: String::new(),
            rcpt_tos: Vec::new(),
            data: b"From: a@b.test\r\nSubject: one\r\n two\r\nTo: c@d.test\r\n\r\nTo: not-a-header\r\n".to_vec(),
        };
        assert_eq!(m.header("subject").as_deref(), Some("one two"));
        assert_eq!(m.header("To").as_deref(), Some("c@d.test"));
        assert_eq!(m.header("Cc"), None);
    }
}
