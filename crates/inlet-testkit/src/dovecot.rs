//! A private Dovecot 2.3 (IMAP and POP3) per test, on free ports of 127.0.0.1, with its mail,
//! config, sockets and logs in a temp dir. Mailboxes are written straight to disk before start:
//! that takes about a second for 10,000 folders, where IMAP CREATE would take many minutes.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use crate::mutf7;
use crate::pki::{CertKind, TestPki};
use crate::process::{kill_group, spawn, wait_until, ExitGuard};
use crate::proxy::Relay;

/// How long [`Dovecot::start`] waits for the listeners. It normally takes 50–100 ms.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The address the STARTTLS-less listeners really bind to when `starttls` is false (see
/// [`DovecotOptions::starttls`]). All of 127.0.0.0/8 is loopback on Linux, without setup.
const NO_TLS_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// The special-use folders every user gets (created and subscribed by Dovecot on first login).
pub const SPECIAL_FOLDERS: [(&str, &str); 5] =
    [("Drafts", "\\Drafts"), ("Sent", "\\Sent"), ("Trash", "\\Trash"), ("Junk", "\\Junk"), ("Archive", "\\Archive")];

/// What to put in a [`Dovecot`]. Mailbox contents (`extra_folders`, `subscribe`,
/// `inbox_messages`, `folder_messages`) go to the **first** user only; the others start empty.
///
/// Folder paths use `/` between levels, in plain Unicode (they are encoded to IMAP's modified
/// UTF-7 on disk, as Dovecot expects). A name must not contain `.` (the on-disk level separator
/// of the Maildir++ layout) nor be empty at any level.
#[derive(Clone, Debug)]
pub struct DovecotOptions {
    /// `(login, password)` pairs. Neither may contain `:` or a line break (passwd-file format).
    pub users: Vec<(String, String)>,
    /// The server certificate, from the [`TestPki`] given to [`Dovecot::start`].
    pub cert: CertKind,
    /// Names for a certificate issued by the test CA instead of `cert` (e.g. a provider's host
    /// name, reached through the application's `connect_to`). Empty: `cert`.
    pub cert_names: Vec<String>,
    /// Folders created on disk before start. Only the listed folders are created: if a child is
    /// listed without its parent (`"Projets/Réunions"` alone), Dovecot lists the parent as
    /// `\NonExistent` (`\Noselect` for old clients), which is a case clients must handle.
    pub extra_folders: Vec<String>,
    /// Folders written to the user's `subscriptions` file (they need not exist).
    pub subscribe: Vec<String>,
    /// Messages written into INBOX. Every third one (the 3rd, 6th, …) is \Seen, so
    /// `inbox_messages - inbox_messages / 3` are unseen.
    pub inbox_messages: usize,
    /// `(folder, total, unseen)`: messages to write into a folder (created if not listed in
    /// `extra_folders`; `"INBOX"` means the inbox). The first `unseen` messages are unseen.
    pub folder_messages: Vec<(String, usize, usize)>,
    /// When set, Dovecot's `imap_capability` is exactly this string (before and after login;
    /// Dovecot still adds STARTTLS and AUTH= before login), e.g. to hide LIST-STATUS.
    pub imap_capability: Option<String>,
    /// When false, the plain IMAP and POP3 ports offer no STARTTLS/STLS at all (a server
    /// without TLS on its plain ports); the implicit-TLS ports work as usual.
    ///
    /// Dovecot 2.3 cannot turn TLS off per listener, only per local address (`local` filter).
    /// So in that mode the plain listeners bind 127.0.0.2 with `local 127.0.0.2 { ssl = no }`,
    /// and an in-process relay forwards 127.0.0.1:`imap_port()`/`pop3_port()` to them.
    /// Clients still connect to 127.0.0.1 only; Dovecot logs `lip=127.0.0.2` for them.
    pub starttls: bool,
    /// Dovecot's `ssl = required` and `disable_plaintext_auth = yes`: no sign-in before TLS, so
    /// the plain ports advertise LOGINDISABLED (IMAP) until STARTTLS (a server that requires
    /// encryption). The plain listeners sit behind the same relay as with `starttls: false`,
    /// because Dovecot treats a client on the server's own address as secure.
    pub tls_required: bool,
    /// Sign-in through OAuth2 only (`auth_mechanisms = xoauth2 oauthbearer`, an `oauth2`
    /// passdb): a provider that turned passwords off. Without [`DovecotOptions::oauth2`] no
    /// token server is configured, so every sign-in fails (for tests of what the server
    /// advertises); with it, bearer tokens are checked there.
    pub oauth_only: bool,
    /// Bearer sign-in (XOAUTH2 and OAUTHBEARER) checked at an authorization server's
    /// introspection ([`crate::AuthServer`]), alongside passwords (or instead, with `oauth_only`).
    /// The token's `username` must be the login name.
    pub oauth2: Option<DovecotOAuth2>,
    /// The temp dir stays mode 0700, so Dovecot's auth process (the `dovecot` user) cannot read
    /// its users file: every sign-in gets `NO [UNAVAILABLE] Temporary authentication failure`
    /// (RFC 5530), a real temporary server-side failure (TESTING-NOTES).
    pub auth_backend_unreadable: bool,
    /// Logins Dovecot refuses even with the right password (the `nologin` and `reason` extra
    /// fields of a passdb): it answers `NO [CONTACTADMIN] <reason>` (IMAP) or
    /// `-ERR [CONTACTADMIN] <reason>` (POP3), the way an administrator disables an account.
    /// These logins need not be in `users`. They live in a dict passdb, whose JSON values may
    /// hold spaces (passwd-file's extra fields cannot).
    pub disabled_logins: Vec<DisabledLogin>,
    /// Dovecot's `mail_max_userip_connections`: at most this many signed-in connections per user
    /// and address; one more gets `NO [LIMIT]` (IMAP) or `-ERR [IN-USE]` (POP3).
    pub max_userip_connections: u32,
    /// Dovecot's `pop3_lock_session`: one POP3 session per mailbox at a time; another one waits
    /// for the lock for a second (`mail_max_lock_timeout`), then gets `-ERR [IN-USE]` (RFC 2449
    /// section 8.1.1).
    pub pop3_lock_session: bool,
    /// 0: Dovecot's defaults, a new `imap-login` and a new `imap` process for every connection
    /// (`service_count = 1`). N: Dovecot's documented high-performance mode, the way a server for
    /// many users runs (doc.dovecot.org, "Login processes"): N long-lived `imap-login` processes
    /// each serving many connections (`service_count = 0`; a process keeps its TLS session
    /// ticket key, so a client can resume its session), `imap` processes reused for up to 100
    /// users and kept ready, and an auth cache. Used by the bench, for both clients alike.
    pub login_processes: u32,
}

/// A login Dovecot refuses with the administrator's reason, password right or not.
#[derive(Clone, Debug)]
pub struct DisabledLogin {
    pub login: String,
    pub password: String,
    /// Sent to the client after `[CONTACTADMIN]`. One line.
    pub reason: String,
}

impl Default for DovecotOptions {
    fn default() -> Self {
        DovecotOptions {
            users: vec![("alice@example.test".into(), "wonderland-42".into()), ("bob".into(), "builder-7".into())],
            cert: CertKind::Valid,
            cert_names: Vec::new(),
            extra_folders: Vec::new(),
            subscribe: Vec::new(),
            inbox_messages: 0,
            folder_messages: Vec::new(),
            imap_capability: None,
            starttls: true,
            tls_required: false,
            oauth_only: false,
            oauth2: None,
            auth_backend_unreadable: false,
            disabled_logins: Vec::new(),
            max_userip_connections: 1000,
            pop3_lock_session: false,
            login_processes: 0,
        }
    }
}

/// Where Dovecot's `oauth2` passdb checks tokens (RFC 7662 introspection, `introspection_mode =
/// post`). Dovecot 2.3's HTTP client trusts the CA named by `tls_ca_cert_file`, so it talks
/// HTTPS to the server like any client, with the test CA.
#[derive(Clone, Debug)]
pub struct DovecotOAuth2 {
    /// With the client's credentials in it (`https://ID:SECRET@127.0.0.1:PORT/...`): Dovecot
    /// sends them as HTTP Basic.
    pub introspection_url: String,
    /// The CA the server's certificate chains to (copied into Dovecot's dir).
    pub ca_file: PathBuf,
}

impl DovecotOAuth2 {
    /// Checks tokens at `server`'s introspection.
    pub fn introspecting(server: &crate::AuthServer) -> DovecotOAuth2 {
        DovecotOAuth2 {
            introspection_url: server.introspection_url_with_credentials(),
            ca_file: server.ca_file().to_path_buf(),
        }
    }
}

/// A running private Dovecot. Dropping it kills all its processes (a few milliseconds) and
/// deletes its mail.
pub struct Dovecot {
    // Drop::drop kills the processes before any field (this dir, the relays) goes.
    _exit: ExitGuard,
    dir: tempfile::TempDir,
    child: Child,
    imap: u16,
    imaps: u16,
    pop3: u16,
    pop3s: u16,
    users: Vec<(String, String)>,
    /// Only when `starttls` is false: 127.0.0.1 → 127.0.0.2 for the plain ports.
    _relays: Vec<Relay>,
}

/// Gives each instance its own `instance_name` (it names processes and the log prefix).
static INSTANCES: AtomicUsize = AtomicUsize::new(0);

impl Dovecot {
    /// Writes the mailboxes and config, starts `dovecot -F`, and returns once all four
    /// listeners answer (IMAP and POP3 greetings read on the plain ports, so authentication is
    /// up too). Errors carry the tail of Dovecot's log.
    ///
    /// Must run as root (as the project's machines and CI do): Dovecot's login processes
    /// switch to its own system users. Mail processes run as the `dovecot` user, which owns the mail.
    pub fn start(pki: &TestPki, opts: DovecotOptions) -> io::Result<Dovecot> {
        if unsafe { libc::geteuid() } != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "inlet_testkit::Dovecot must run as root (Dovecot switches to its system users)",
            ));
        }
        if opts.users.is_empty() {
            return Err(invalid("DovecotOptions::users is empty"));
        }
        if opts.imap_capability.as_deref().is_some_and(|c| c.contains(['\n', '\r'])) {
            return Err(invalid("DovecotOptions::imap_capability must be one line"));
        }
        let (uid, gid) = dovecot_user()?;

        let dir = tempfile::Builder::new().prefix("inlet-dovecot-").tempdir_in(temp_base())?;
        let exit = ExitGuard::new(dir.path());
        // Dovecot's unprivileged processes must be able to walk into it (unless the test wants
        // its auth backend broken).
        let mode = if opts.auth_backend_unreadable { 0o700 } else { 0o755 };
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(mode))?;
        for sub in ["run", "state", "ssl", "home"] {
            fs::create_dir(dir.path().join(sub))?;
        }
        if opts.cert_names.is_empty() {
            install_cert(pki, opts.cert, dir.path())?;
        } else {
            let names: Vec<&str> = opts.cert_names.iter().map(String::as_str).collect();
            install_cert_files(pki.issue(&names), dir.path())?;
        }
        write_passwd(dir.path(), &opts.users)?;
        write_disabled_logins(dir.path(), &opts.disabled_logins)?;
        write_mail(dir.path(), &opts)?;
        chown_tree(&dir.path().join("home"), uid, gid)?;

        let instance = format!("inlet-test-{}-{}", std::process::id(), INSTANCES.fetch_add(1, Ordering::Relaxed));
        // Ports are picked by binding port 0 and releasing it, then Dovecot binds them. Another
        // process can grab one in between; then Dovecot fails with "Address already in use" and
        // we try again with fresh ports.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::try_start(dir.path(), &instance, &opts, uid, gid) {
                Ok(started) => {
                    let (child, [imap, imaps, pop3, pop3s], relays) = started;
                    exit.add_child(&child);
                    return Ok(Dovecot {
                        _exit: exit,
                        dir,
                        child,
                        imap,
                        imaps,
                        pop3,
                        pop3s,
                        users: opts.users,
                        _relays: relays,
                    });
                }
                Err(e) if attempt < 3 && e.kind() == io::ErrorKind::AddrInUse => continue,
                Err(e) => return Err(e),
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn try_start(
        dir: &Path,
        instance: &str,
        opts: &DovecotOptions,
        uid: u32,
        gid: u32,
    ) -> io::Result<(Child, [u16; 4], Vec<Relay>)> {
        let plain_ip = if opts.starttls && !opts.tls_required { Ipv4Addr::LOCALHOST } else { NO_TLS_IP };
        // All four are held open together while picking, so they are distinct.
        let ports = free_ports(&[Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST, plain_ip, plain_ip])?;
        let (imaps, pop3s) = (ports[0], ports[1]);
        let plain_ports = &ports[2..];
        let (dovecot_imap, dovecot_pop3) = (plain_ports[0], plain_ports[1]);

        let conf = config(dir, instance, opts, uid, gid, [dovecot_imap, imaps, dovecot_pop3, pop3s]);
        let conf_path = dir.join("dovecot.conf");
        fs::write(&conf_path, conf)?;
        if let Some(oauth2) = &opts.oauth2 {
            fs::copy(&oauth2.ca_file, dir.join("ssl").join("oauth2-ca.pem"))?;
            fs::write(
                dir.join("oauth2.conf"),
                format!(
                    "introspection_mode = post\nintrospection_url = {}\n\
                     username_attribute = username\nactive_attribute = active\nactive_value = true\n\
                     tls_ca_cert_file = {}\ntimeout_msecs = 10000\n",
                    oauth2.introspection_url,
                    dir.join("ssl").join("oauth2-ca.pem").display()
                ),
            )?;
        } else if opts.oauth_only {
            fs::write(
                dir.join("oauth2.conf"),
                "introspection_mode = post\nintrospection_url = http://127.0.0.1:9/introspect\n\
                 username_attribute = username\nactive_attribute = active\nactive_value = true\n",
            )?;
        }
        let log_path = dir.join("dovecot.log");
        // A fresh log per attempt, so errors show this attempt only.
        let _ = fs::remove_file(&log_path);

        let (relays, imap, pop3) = if opts.starttls && !opts.tls_required {
            (Vec::new(), dovecot_imap, dovecot_pop3)
        } else {
            let imap_relay = Relay::start(Ipv4Addr::LOCALHOST, (NO_TLS_IP, dovecot_imap).into(), Duration::ZERO, None)?;
            let pop3_relay = Relay::start(Ipv4Addr::LOCALHOST, (NO_TLS_IP, dovecot_pop3).into(), Duration::ZERO, None)?;
            let ports = (imap_relay.addr.port(), pop3_relay.addr.port());
            (vec![imap_relay, pop3_relay], ports.0, ports.1)
        };

        // Startup errors (bad config, busy port) go to stderr before the log is open.
        let stderr = fs::File::create(dir.join("dovecot.stderr"))?;
        let mut cmd = Command::new("dovecot");
        cmd.arg("-F").arg("-c").arg(&conf_path).stdin(Stdio::null()).stdout(stderr.try_clone()?).stderr(stderr);
        let mut child = spawn(cmd).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                io::Error::new(
                    e.kind(),
                    "dovecot not found: install the Debian packages dovecot-core dovecot-imapd dovecot-pop3d",
                )
            } else {
                e
            }
        })?;

        let ready = wait_until(START_TIMEOUT, || {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(Err(status));
            }
            let up = greets(imap, b"* OK") && greets(pop3, b"+OK") && accepts(imaps) && accepts(pop3s);
            up.then_some(Ok(()))
        });
        let failure = match ready {
            Some(Ok(())) => return Ok((child, [imap, imaps, pop3, pop3s], relays)),
            Some(Err(status)) => format!("dovecot exited during start ({status})"),
            None => format!("dovecot did not accept connections within {START_TIMEOUT:?}"),
        };
        kill_group(&mut child);
        let tail = log_tail_of(dir);
        let kind = if tail.contains("Address already in use") {
            io::ErrorKind::AddrInUse
        } else if ready.is_none() {
            io::ErrorKind::TimedOut
        } else {
            io::ErrorKind::Other
        };
        // The temp dir is deleted when this error is returned, so the config goes in the message.
        let conf = fs::read_to_string(&conf_path).unwrap_or_default();
        Err(io::Error::new(kind, format!("{failure}\n{tail}--- dovecot.conf ---\n{conf}")))
    }

    /// The IMAP port with STARTTLS offered (unless `starttls: false`), like 143.
    pub fn imap_port(&self) -> u16 {
        self.imap
    }

    /// The IMAP port with implicit TLS, like 993.
    pub fn imaps_port(&self) -> u16 {
        self.imaps
    }

    /// The POP3 port with STLS offered (unless `starttls: false`), like 110.
    pub fn pop3_port(&self) -> u16 {
        self.pop3
    }

    /// The POP3 port with implicit TLS, like 995.
    pub fn pop3s_port(&self) -> u16 {
        self.pop3s
    }

    /// Always 127.0.0.1.
    pub fn host(&self) -> &'static str {
        "127.0.0.1"
    }

    pub fn imap_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.imap).into()
    }

    pub fn imaps_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.imaps).into()
    }

    pub fn pop3_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.pop3).into()
    }

    pub fn pop3s_addr(&self) -> SocketAddr {
        (Ipv4Addr::LOCALHOST, self.pop3s).into()
    }

    /// The `(login, password)` pairs that can log in.
    pub fn users(&self) -> &[(String, String)] {
        &self.users
    }

    /// The last 60 lines of Dovecot's log (and anything it printed to stderr), for failure messages.
    pub fn log_tail(&self) -> String {
        log_tail_of(self.dir.path())
    }

    /// Changes a user's password on the server, as an administrator would: the next sign-in
    /// needs the new one. Signed-in sessions stay.
    pub fn set_password(&mut self, user: &str, password: &str) -> io::Result<()> {
        let entry = self
            .users
            .iter_mut()
            .find(|(login, _)| login == user)
            .ok_or_else(|| invalid(&format!("no user {user:?}")))?;
        entry.1 = password.to_owned();
        let passwd = self.dir.path().join("passwd");
        let before = fs::metadata(&passwd)?.modified()?;
        write_passwd(self.dir.path(), &self.users)?;
        // Dovecot's passwd-file reloads when the file's mtime (in whole seconds) or size changed
        // (db-passwd-file.c): a change within the same second and of the same length would go
        // unseen, so the mtime moves on by at least a second.
        let later = SystemTime::now().max(before + Duration::from_secs(1));
        fs::File::options().write(true).open(&passwd)?.set_modified(later)?;
        // And it looks at the file at most once per second of its clock: a sign-in in the same
        // second as the last one would still be checked against the old password.
        std::thread::sleep(Duration::from_millis(1100));
        Ok(())
    }

    /// A user's Maildir (INBOX's `cur/new/tmp` are in it, other folders are `.Name` dirs).
    /// Files written there must be owned by the `dovecot` user.
    pub fn mail_dir(&self, user: &str) -> PathBuf {
        mail_dir(self.dir.path(), user)
    }

    /// The temp dir holding config, log, mail and sockets.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Serves another certificate from now on, without losing mail or ports: copies the
    /// files and has Dovecot reload its config (SIGHUP). Connections opened after this returns
    /// get the new certificate; open ones keep theirs.
    pub fn swap_cert(&mut self, pki: &TestPki, kind: CertKind) -> io::Result<()> {
        install_cert(pki, kind, self.dir.path())?;
        let log = self.dir.path().join("dovecot.log");
        let count = |s: &str| fs::read_to_string(&log).map(|t| t.matches(s).count()).unwrap_or(0);
        let before = count("reloading configuration");
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGHUP);
        }
        // The master logs the reload after it has re-read the config; new login processes
        // (one per connection) then start with the new certificate.
        wait_until(START_TIMEOUT, || (count("reloading configuration") > before).then_some(()))
            .ok_or_else(|| io::Error::other(format!("dovecot did not reload; log tail:\n{}", self.log_tail())))?;
        // The config process is restarted asynchronously after the log line; wait until it
        // answers again, i.e. a fresh IMAP connection gets its greeting.
        wait_until(START_TIMEOUT, || greets(self.imap, b"* OK").then_some(()))
            .ok_or_else(|| io::Error::other(format!("dovecot did not come back; log tail:\n{}", self.log_tail())))
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}

/// A deterministic folder tree of `n` paths for the 1,000- and 10,000-folder tests and the bench.
///
/// Parents come before their children and every parent is in the list (take any prefix and it
/// is still a complete tree). Three levels, e.g. `Clients`, `Clients/Client 007`,
/// `Clients/Client 007/2024`; top-level and second-level names include non-ASCII (`Équipe`,
/// `日本語`, `Личное`, `案件 003`) and `&` (escaped as `&-` in modified UTF-7). No name is a
/// special-use folder or INBOX.
pub fn make_folders_tree(n: usize) -> Vec<String> {
    const TOP: [(&str, &str); 8] = [
        ("Clients", "Client"),
        ("Projets", "Projet"),
        ("Équipe", "Membre"),
        ("日本語", "案件"),
        ("Fournisseurs", "Fournisseur"),
        ("Réunions", "Réunion"),
        ("Личное", "Папка"),
        ("Ops & Infra", "Service"),
    ];
    const CHILDREN: usize = 100;
    const YEARS: [&str; 6] = ["2019", "2020", "2021", "2022", "2023", "2024"];

    let mut out = Vec::with_capacity(n);
    'outer: for round in 0.. {
        for (top, child) in TOP {
            let top = if round == 0 { top.to_string() } else { format!("{top} {}", round + 1) };
            for path in std::iter::once(top.clone()).chain((1..=CHILDREN).flat_map(|c| {
                let mid = format!("{top}/{child} {c:03}");
                std::iter::once(mid.clone()).chain(YEARS.iter().map(move |y| format!("{mid}/{y}")))
            })) {
                if out.len() == n {
                    break 'outer;
                }
                out.push(path);
            }
        }
    }
    out
}

// ---- config ---------------------------------------------------------------------------------

fn config(dir: &Path, instance: &str, opts: &DovecotOptions, uid: u32, gid: u32, ports: [u16; 4]) -> String {
    let d = dir.display();
    let [imap, imaps, pop3, pop3s] = ports;
    let ssl = if opts.tls_required { "required" } else { "yes" };
    let plaintext_disabled = if opts.tls_required { "yes" } else { "no" };
    let mechanisms = match (opts.oauth_only, opts.oauth2.is_some()) {
        (true, _) => "xoauth2 oauthbearer",
        (false, true) => "plain login xoauth2 oauthbearer",
        (false, false) => "plain login",
    };
    let password_mechanisms = if opts.oauth2.is_some() { "\n  mechanisms = plain login" } else { "" };
    let max_userip = opts.max_userip_connections;
    let pop3_lock = if opts.pop3_lock_session { "yes" } else { "no" };
    let high_performance = match opts.login_processes {
        0 => String::new(),
        n => format!(
            r#"# High-performance mode (see DovecotOptions::login_processes).
service imap-login {{
  service_count = 0
  process_min_avail = {n}
  process_limit = {n}
  client_limit = 10000
}}
service imap {{
  service_count = 100
  process_min_avail = 16
  process_limit = 1024
}}
auth_cache_size = 64M
auth_cache_ttl = 1 hour
"#
        ),
    };
    let mut c = String::new();
    // Everything lives under the temp dir; nothing from /etc/dovecot is read.
    let _ = write!(
        c,
        r#"# Written by inlet-testkit for one test.
instance_name = {instance}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1

# Root runs the master; mail processes run as the dovecot system user (uid {uid} is
# below the default first_valid_uid of 500).
first_valid_uid = 0
first_valid_gid = 0

# Throwaway mail: no fsync (the first LIST of 10,000 folders drops from ~70 s to ~1 s).
mail_fsync = never
mail_location = maildir:~/Maildir

ssl = {ssl}
ssl_cert = <{d}/ssl/cert.pem
ssl_key = <{d}/ssl/key.pem

# Plain logins on the plain ports are allowed (Dovecot would allow them from 127.0.0.1 anyway);
# whether the client sends a password in the clear is for the client to decide, and tested.
disable_plaintext_auth = {plaintext_disabled}
auth_mechanisms = {mechanisms}
auth_verbose = yes
# Failed logins answer after ~0.5 s (Dovecot's fixed flush interval for failures) instead of 2 s;
# the growing anvil penalty is off below.
auth_failure_delay = 0
# Benchmarks open many connections per user from one address (1000 unless a test limits it).
mail_max_userip_connections = {max_userip}
pop3_lock_session = {pop3_lock}
# A second POP3 session waits this long for the lock, then gets -ERR [IN-USE].
mail_max_lock_timeout = 1s

passdb {{
  driver = dict
  args = {d}/dict-auth.conf{password_mechanisms}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd{password_mechanisms}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}

namespace inbox {{
  inbox = yes
  separator = /
"#
    );
    for (name, flag) in SPECIAL_FOLDERS {
        let _ = writeln!(c, "  mailbox {name} {{\n    special_use = {flag}\n    auto = subscribe\n  }}");
    }
    c.push_str("}\n\n");
    if opts.oauth_only || opts.oauth2.is_some() {
        // Tokens are checked at the authorization server's introspection; without one, at an
        // introspection URL where nothing listens (TESTING-NOTES).
        let _ = writeln!(
            c,
            "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {d}/oauth2.conf\n}}\n"
        );
    }
    if let Some(cap) = &opts.imap_capability {
        let _ = writeln!(c, "imap_capability = {cap}\n");
    }
    let plain_address = if opts.starttls && !opts.tls_required {
        String::new()
    } else if opts.tls_required {
        // Dovecot counts a client whose address equals the server's as secure and would allow
        // plain logins; behind the relay the client is 127.0.0.1 and the server 127.0.0.2.
        format!("\n    address = {NO_TLS_IP}")
    } else {
        // See DovecotOptions::starttls: TLS off for the plain listeners' address only.
        let _ = writeln!(c, "local {NO_TLS_IP} {{\n  ssl = no\n}}\n");
        format!("\n    address = {NO_TLS_IP}")
    };
    let _ = write!(
        c,
        r#"service imap-login {{
  inet_listener imap {{
    port = {imap}{plain_address}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {pop3}{plain_address}
  }}
  inet_listener pop3s {{
    port = {pop3s}
    ssl = yes
  }}
}}
{high_performance}# No auth penalty for failed logins from one IP (tests fail logins on purpose).
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"#
    );
    c
}

fn install_cert(pki: &TestPki, kind: CertKind, dir: &Path) -> io::Result<()> {
    install_cert_files(pki.cert(kind), dir)
}

fn install_cert_files((cert, key): (PathBuf, PathBuf), dir: &Path) -> io::Result<()> {
    // Write-then-rename, so a reload never reads half a file.
    for (from, to) in [(cert, "cert.pem"), (key, "key.pem")] {
        let tmp = dir.join("ssl").join(format!("{to}.new"));
        fs::copy(&from, &tmp)?;
        fs::rename(&tmp, dir.join("ssl").join(to))?;
    }
    Ok(())
}

fn write_passwd(dir: &Path, users: &[(String, String)]) -> io::Result<()> {
    let mut text = String::new();
    for (user, pass) in users {
        let bad = |s: &str| s.is_empty() || s.contains([':', '\n', '\r']);
        if bad(user) || bad(pass) || user.contains('/') {
            return Err(invalid(&format!("unusable login or password for {user:?}")));
        }
        let _ = writeln!(text, "{user}:{{PLAIN}}{pass}");
    }
    fs::write(dir.join("passwd"), text)
}

/// The dict passdb of [`DovecotOptions::disabled_logins`]: Dovecot's file dict (key and value
/// on alternate lines) and its config. Always written, empty when there are none.
fn write_disabled_logins(dir: &Path, logins: &[DisabledLogin]) -> io::Result<()> {
    let mut dict = String::new();
    for l in logins {
        let bad = |s: &str| s.is_empty() || s.contains(['\n', '\r', '"', '\\', '/']);
        if bad(&l.login) || bad(&l.password) || l.reason.contains(['\n', '\r', '"', '\\']) {
            return Err(invalid(&format!("unusable disabled login {:?}", l.login)));
        }
        let _ = writeln!(
            dict,
            "shared/passdb/{}\n{{\"password\":\"{}\",\"nologin\":\"y\",\"reason\":\"{}\"}}",
            l.login, l.password, l.reason
        );
    }
    fs::write(dir.join("auth.dict"), dict)?;
    fs::write(
        dir.join("dict-auth.conf"),
        format!(
            "uri = file:{}\npassword_key = passdb/%u\nuser_key = userdb/%u\niterate_disable = yes\n\
             default_pass_scheme = PLAIN\n",
            dir.join("auth.dict").display()
        ),
    )
}

// ---- mail on disk ---------------------------------------------------------------------------

fn mail_dir(dir: &Path, user: &str) -> PathBuf {
    dir.join("home").join(user).join("Maildir")
}

/// The Maildir++ directory of a folder: `Projets/Réunions` → `Maildir/.Projets.R&AOk-unions`.
fn folder_dir(maildir: &Path, folder: &str) -> io::Result<PathBuf> {
    if folder.eq_ignore_ascii_case("INBOX") {
        return Ok(maildir.to_path_buf());
    }
    let mut name = String::new();
    for level in folder.split('/') {
        if level.is_empty() || level.contains(['.', '\n', '\r', '\0']) {
            return Err(invalid(&format!(
                "folder {folder:?}: levels must be non-empty and must not contain '.' (Maildir++ separator)"
            )));
        }
        name.push('.');
        name.push_str(&mutf7::encode(level));
    }
    Ok(maildir.join(name))
}

fn make_maildir(path: &Path) -> io::Result<()> {
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(path.join(sub))?;
    }
    Ok(())
}

fn write_mail(dir: &Path, opts: &DovecotOptions) -> io::Result<()> {
    for (user, _) in &opts.users {
        make_maildir(&mail_dir(dir, user))?;
    }
    let first = &opts.users[0].0;
    let maildir = mail_dir(dir, first);

    for folder in &opts.extra_folders {
        make_maildir(&folder_dir(&maildir, folder)?)?;
    }

    if !opts.subscribe.is_empty() {
        // Dovecot 2.3's format: a version header, then one name per line with the hierarchy
        // separator written as a tab and each level in modified UTF-7.
        let mut text = String::from("V\t2\n\n");
        for folder in &opts.subscribe {
            let levels: Vec<String> = folder.split('/').map(mutf7::encode).collect();
            text.push_str(&levels.join("\t"));
            text.push('\n');
        }
        fs::write(maildir.join("subscriptions"), text)?;
    }

    // Unseen = all but every third, interleaved rather than in one block.
    write_messages(&maildir, first, "INBOX", opts.inbox_messages, |i| i % 3 != 2)?;
    for (folder, total, unseen) in &opts.folder_messages {
        if unseen > total {
            return Err(invalid(&format!("folder_messages {folder:?}: unseen {unseen} > total {total}")));
        }
        let path = folder_dir(&maildir, folder)?;
        make_maildir(&path)?;
        write_messages(&path, first, folder, *total, |i| i < *unseen)?;
    }
    Ok(())
}

/// Writes small RFC 5322 messages: unseen ones into `new/` (as a delivery agent would), seen
/// ones into `cur/` with the `:2,S` flag suffix. File times match the Date header, so
/// INTERNALDATE is deterministic too.
fn write_messages(
    folder_path: &Path,
    user: &str,
    folder: &str,
    count: usize,
    unseen: impl Fn(usize) -> bool,
) -> io::Result<()> {
    // 2024-01-01T00:00:00Z, one message a minute.
    const BASE: u64 = 1_704_067_200;
    let tag: u32 = folder.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    for i in 0..count {
        let secs = BASE + 60 * i as u64;
        let when = time::OffsetDateTime::from_unix_timestamp(secs as i64).expect("valid timestamp");
        let date = when.format(&time::format_description::well_known::Rfc2822).expect("formatting date");
        let n = i + 1;
        let body = format!(
            "From: Sender {n} <sender{n}@example.test>\n\
             To: <{user}>\n\
             Subject: Test message {n} in {folder}\n\
             Date: {date}\n\
             Message-ID: <{tag:08x}.{n}@inlet.test>\n\
             MIME-Version: 1.0\n\
             Content-Type: text/plain; charset=utf-8\n\
             \n\
             This is test message {n} in {folder}.\n"
        );
        let base = format!("{secs}.M{i}T{tag:08x}.inlet-testkit");
        let path = if unseen(i) {
            folder_path.join("new").join(base)
        } else {
            folder_path.join("cur").join(format!("{base}:2,S"))
        };
        fs::write(&path, body)?;
        let file = fs::File::options().write(true).open(&path)?;
        file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))?;
    }
    Ok(())
}

/// Hands the mail to the user the mail processes run as (files were written as root).
fn chown_tree(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))?;
    if path.is_dir() {
        for entry in fs::read_dir(path)? {
            chown_tree(&entry?.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// The uid and gid of the `dovecot` system user that the Debian package creates.
fn dovecot_user() -> io::Result<(u32, u32)> {
    let passwd = fs::read_to_string("/etc/passwd")?;
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.len() > 3 && f[0] == "dovecot")
        .and_then(|f| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
        .ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, "no `dovecot` user: install the Debian package dovecot-core")
        })
}

// ---- helpers --------------------------------------------------------------------------------

/// Where Dovecot's temp dirs go: `$INLET_TESTKIT_TMPDIR` if set, else `/dev/shm` when it is a
/// roomy tmpfs, else the usual temp dir. On the project's machines creating 10,000 Maildir++
/// folders (30,000 directories) took ~13 s in /tmp (ext4) and well under a second in tmpfs, and
/// Dovecot's first LIST over them is much faster there too. 1 GiB free is asked for because a
/// container's default 64 MiB /dev/shm would fill up with 10,000 folders' index files.
fn temp_base() -> PathBuf {
    if let Some(dir) = std::env::var_os("INLET_TESTKIT_TMPDIR") {
        return PathBuf::from(dir);
    }
    let shm = Path::new("/dev/shm");
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    let c_path = c"/dev/shm";
    let roomy = unsafe { libc::statvfs(c_path.as_ptr(), &mut st) } == 0
        && (st.f_bavail as u64).saturating_mul(st.f_frsize as u64) >= 1 << 30
        && unsafe { libc::access(c_path.as_ptr(), libc::W_OK) } == 0;
    if roomy {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// A free port on each of `ips`: all bound at once (so they differ), then released.
fn free_ports(ips: &[Ipv4Addr]) -> io::Result<Vec<u16>> {
    let listeners = ips.iter().map(|&ip| TcpListener::bind((ip, 0))).collect::<io::Result<Vec<_>>>()?;
    listeners.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(500)).is_ok()
}

/// Whether a fresh connection gets a real greeting starting with `prefix`. While Dovecot's auth
/// process is still starting, imap-login first sends "* OK Waiting for authentication process";
/// that does not count.
fn greets(port: u16, prefix: &[u8]) -> bool {
    let Ok(stream) = TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = Vec::new();
    if BufReader::new(&stream).read_until(b'\n', &mut line).is_err() {
        return false;
    }
    line.starts_with(prefix) && !String::from_utf8_lossy(&line).contains("Waiting for authentication")
}

fn log_tail_of(dir: &Path) -> String {
    let mut out = String::new();
    for name in ["dovecot.stderr", "dovecot.log"] {
        if let Ok(text) = fs::read_to_string(dir.join(name)) {
            let lines: Vec<&str> = text.lines().collect();
            let tail = &lines[lines.len().saturating_sub(60)..];
            if !tail.is_empty() {
                let _ = writeln!(out, "--- {name} ---\n{}", tail.join("\n"));
            }
        }
    }
    out
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_string())
}
