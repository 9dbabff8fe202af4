//! Starts the real servers the end-to-end tests (tests/e2e) and the demo talk to: a test PKI, a
//! private Dovecot with a realistic mailbox, a second Dovecot with a self-signed certificate, an
//! SMTP submission server (aiosmtpd), a private keychain (D-Bus + gnome-keyring), and for
//! discovery a DNS server (dnsmasq) and an HTTPS server with example.test's autoconfig document.
//!
//! When everything answers it prints ONE line of JSON to stdout, e.g.
//!
//! ```json
//! {"host":"127.0.0.1","imapsPort":40123,"imapsSlowPort":40125,"imapPort":40124,"pop3Port":..,"pop3sPort":..,
//!  "untrustedImapsPort":40130,"oauthImapsPort":40131,"oauthSrvPort":1993,"smtpPort":40140,"smtpsPort":40141,"smtpMailDir":"/tmp/inlet-smtp-x/received",
//!  "caFile":"/tmp/inlet-pki-x/ca.pem","users":[["alice@example.test","wonderland-42"],["bob","builder-7"]],
//!  "folders":["Projets","Projets/Réunions",..],"inboxMessages":12,"inboxUnseen":8,
//!  "untrustedFolders":["Travail"],
//!  "keychainEnv":{"DBUS_SESSION_BUS_ADDRESS":"unix:path=/tmp/inlet-keychain-x/bus"},
//!  "dovecotDir":"/tmp/inlet-dovecot-x","keychainDir":"/tmp/inlet-keychain-x",
//!  "controlDir":"/tmp/inlet-test-servers-x",
//!  "dnsPort":40150,"dnsAddr":"127.0.0.1:40150","httpsPort":40151,"autodiscoverPort":40153,"silentPort":40152}
//! ```
//!
//! - `imapsSlowPort`: the main Dovecot's IMAPS port behind a latency proxy (700 ms each way).
//! - `limitedImapsPort`: IMAPS of a Dovecot with the same users that takes one signed-in
//!   connection per user and address (`mail_max_userip_connections = 1`): while a test holds
//!   one, the next sign-in gets `NO [LIMIT] Maximum number of connections from user+IP
//!   exceeded`, what an account over its provider's connection limit sees.
//! - `untrustedImapsPort`: IMAPS of the second Dovecot (same users, a small mailbox), whose
//!   certificate is self-signed (`CertKind::Untrusted`) until a `swap-untrusted` command.
//! - `oauthImapsPort`: IMAPS of a third Dovecot that offers XOAUTH2 and OAUTHBEARER only (a
//!   provider that turned passwords off; every sign-in fails). `oauthonly.test`'s SRV records
//!   name `imap.example.test` on port `oauthSrvPort` (the app's `connectTo` sends it here) and
//!   `mail.example.test:465`.
//! - `smtpPort` (STARTTLS, like 587) and `smtpsPort` (implicit TLS, like 465): the submission
//!   server, certificate from the test CA, the same users; it keeps every message it accepts in
//!   `smtpMailDir` as `N.eml` (the DATA bytes) and `N.env` (MAIL FROM, then one RCPT TO a line),
//!   `.env` written last.
//! - `dnsAddr` (`dnsPort` on 127.0.0.1): dnsmasq answering `imap.example.test` and
//!   `mail.example.test` with 127.0.0.1, SRV records of `elsewhere.test` naming those two hosts
//!   (`_imaps._tcp` port 993, `_submissions._tcp` port 465: hosts outside the domain, which the
//!   user must confirm), and every other name with NXDOMAIN (the app's `dnsServer`).
//! - `httpsPort`: HTTPS with a certificate from the test CA for `autoconfig.example.test`,
//!   `example.test`, `autoconfig.moved.test`, `localhost` and `127.0.0.1`, serving `/mail/config-v1.1.xml`: example.test's
//!   autoconfig document (IMAP `imap.example.test:993` and SMTP `mail.example.test:465`, both
//!   TLS, with an `<enable>` instruction and a help page); every other path is 404 (so the ISPDB
//!   at `https://127.0.0.1:{httpsPort}/v1.1/` knows no domain). The app's `connectTo` sends
//!   `autoconfig.example.test:443` and `example.test:443` here, and `imap.example.test:993`,
//!   `mail.example.test:465`/`587` to Dovecot and the SMTP server, whose certificates name them.
//!   For `alice@moved.test` (`autoconfig.moved.test:443` pointed here too) the same path answers
//!   302 to `https://autoconfig.example.test/mail/config-v1.1.xml`: a redirect to another domain,
//!   which discovery follows only once the user confirms it.
//! - `autodiscoverPort`: HTTPS for `autodiscover.corp.test` and `corp.test` (test CA), where
//!   POX Autodiscover (`POST /autodiscover/autodiscover.xml`) answers 401 unless it gets HTTP
//!   Basic `bob@corp.test` with bob's password; then IMAP `imap.example.test:993` and SMTP
//!   `mail.example.test:465`, login name `bob`. Discovery for bob@corp.test finds nothing until
//!   the user agrees to give Autodiscover the password.
//! - `oauth`: "Sign in with Microsoft" for `dana@contoso.test` (`oauth.user`): an OAuth 2.0
//!   authorization server in Microsoft's URL shapes (`inlet_testkit::AuthServer`, port
//!   `oauth.authPort`, public client `oauth.clientId`, certificate from the test CA for
//!   `login.microsoftonline.com`), and a Dovecot (`oauth.imapsPort`, `oauth.pop3sPort`; folders
//!   `oauth.folders`, `oauth.inboxMessages` in INBOX) and an SMTP server (`oauth.smtpPort`
//!   STARTTLS, `oauth.smtpsPort`) that take only bearer tokens (XOAUTH2, OAUTHBEARER) and check
//!   them at that server's introspection. contoso.test's MX is Microsoft's
//!   (`contoso-test.mail.protection.outlook.com`); its SRV records name `imap.example.test` on
//!   port `oauth.imapSrvPort` and `mail.example.test` on `oauth.smtpSrvPort`. `oauth.connectTo`
//!   holds the entries for the app's `connectTo` (login.microsoftonline.com:443, those SRV
//!   targets, outlook.office365.com:993/995 and smtp.office365.com:587), and
//!   `oauth.browserCommand` the app's browser command: this program's `oauth-browser`, which
//!   signs in as dana and approves.
//! - `silentPort`: accepts connections and never says a word: `autoconfig.nowhere.test:443`
//!   pointed here keeps discovery of `…@nowhere.test` (which finds nothing) busy until the web
//!   deadline, long enough to watch its progress.
//!
//! Then it keeps running until its standard input closes or it gets SIGTERM, SIGINT or SIGHUP,
//! and tears everything down (the servers' `Drop`s kill their processes and delete their temp
//! dirs). If it is killed outright, the kernel still kills the servers (see `process.rs`).
//!
//! While running, it reads commands on standard input, one a line:
//!
//! - `swap-untrusted KIND`: the untrusted Dovecot serves another certificate on the same ports
//!   from now on (`Dovecot::swap_cert`); KIND is a `CertKind` (`ValidAlt`, `Untrusted`, `Valid`,
//!   `Expired`, `WrongHost`).
//!
//! - `autodiscover-requests`: writes what the Autodiscover server (`autodiscoverPort`) received
//!   so far to `controlDir/autodiscover-requests.json`, in order: `[{"request": "POST
//!   /autodiscover/autodiscover.xml HTTP/1.1", "authorization": true, "refusedForAuth": false}]`
//!   (whether an Authorization header came, and whether the request was refused for want of
//!   the right credentials; never the header itself, which holds the password).
//!
//! - `approve-device CODE`: the device flow's person on another device: the bearer user
//!   (`oauth.user`) enters CODE on the authorization server's device page and approves.
//!
//! - `set-password USER PASSWORD`: the main Dovecot (`imapsPort`, `imapPort`, the POP3 ports and
//!   `imapsSlowPort` in front of it) takes PASSWORD for USER from now on, as an administrator's
//!   password change would (`Dovecot::set_password`). The answer and stderr never repeat it.
//!
//! A command may start with `@ID ` (letters, digits, `-`, `_`): its answer, `ok` or
//! `error: …`, is then written to the file `controlDir/ID` (atomically, once the command is
//! done), so whoever sent it can wait for that file. Every answer also goes to stderr.
//!
//! Run as root (Dovecot needs it), e.g. `cargo run -p inlet-testkit --bin inlet-test-servers`.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use std::net::Ipv4Addr;

use inlet_testkit::faults::SilentServer;
use inlet_testkit::oauth::{AuthServer, AuthServerOptions, Style};
use inlet_testkit::{
    CertKind, DelayProxy, DnsRecords, Dnsmasq, Dovecot, DovecotOAuth2, DovecotOptions, HttpsServer, Keychain, Route,
    SmtpOptions, SmtpServer, TestPki,
};

/// The mailbox of the first user (alice): nested folders, a non-ASCII one, an Archive with mail.
const FOLDERS: [&str; 9] = [
    "Projets",
    "Projets/Réunions",
    "Projets/Budget 2025",
    "Clients",
    "Clients/Acme",
    "Clients/Acme/Factures",
    "Newsletters",
    "Receipts",
    "Famille & Amis",
];
const INBOX_MESSAGES: usize = 12;
/// The mailbox of alice on the untrusted server: small, so its folder step is quick to check.
const UNTRUSTED_FOLDERS: [&str; 1] = ["Travail"];
const UNTRUSTED_INBOX_MESSAGES: usize = 3;
/// Latency each way on `imapsSlowPort`: a connection there takes several seconds, long enough
/// to see (and screenshot) the progress of each step with seconds to spare on a busy machine
/// (at 150 ms the last steps were sometimes over before the picture; at 400 ms, now and then on
/// a loaded 2-core machine, before the test could read the rows).
const SLOW_DELAY: Duration = Duration::from_millis(700);
/// The port oauthonly.test's SRV record names for the OAuth2-only Dovecot (the app's connectTo
/// sends imap.example.test there to `oauthImapsPort`).
const OAUTH_ONLY_PORT: u16 = 1993;
/// The Microsoft 365 mailbox that signs in with the browser: its domain's MX is Microsoft's, its
/// service records name imap.example.test and mail.example.test on these ports.
const BEARER_USER: &str = "dana@contoso.test";
const BEARER_IMAP_SRV_PORT: u16 = 2993;
const BEARER_SMTP_SRV_PORT: u16 = 2587;
const BEARER_FOLDERS: [&str; 2] = ["Projects", "Projects/Launch"];
const BEARER_INBOX_MESSAGES: usize = 5;

/// example.test's own autoconfig document (Thunderbird's format, v1.1): what discovery should
/// find for alice@example.test, with what the provider asks users to do first.
const AUTOCONFIG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.test">
    <domain>example.test</domain>
    <displayName>Example Test Mail</displayName>
    <displayShortName>Example</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.example.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>mail.example.test</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <enable visiturl="https://example.test/settings/mail-apps">
      <instruction>Turn on access for mail apps first: Settings, then Mail apps, then Allow IMAP.</instruction>
    </enable>
    <documentation url="https://example.test/help/mail-apps">
      <descr lang="en">Setting up a mail app</descr>
    </documentation>
  </emailProvider>
</clientConfig>
"#;

/// corp.test's POX Autodiscover answer ([MS-OXDSCLI]), given only to bob with his password.
const AUTODISCOVER: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type><Server>imap.example.test</Server><Port>993</Port>
        <LoginName>bob</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type><Server>mail.example.test</Server><Port>465</Port>
        <LoginName>bob</LoginName><SPA>off</SPA><SSL>on</SSL><AuthRequired>on</AuthRequired>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
"#;

/// The signal that ended the wait, 0 while none has come.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    SIGNAL.store(sig, Ordering::SeqCst);
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("oauth-browser") {
        return oauth_browser(&args[1..]);
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inlet-test-servers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Handlers (not a blocked mask): children get default dispositions back at exec.
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        unsafe {
            libc::signal(sig, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
        }
    }

    let pki = TestPki::generate();
    let opts = DovecotOptions {
        cert: CertKind::Valid,
        extra_folders: FOLDERS.iter().map(|s| s.to_string()).collect(),
        subscribe: vec!["INBOX".into(), "Projets".into(), "Projets/Réunions".into(), "Clients/Acme".into()],
        inbox_messages: INBOX_MESSAGES,
        folder_messages: vec![
            ("Archive".into(), 40, 0),
            ("Projets/Réunions".into(), 6, 2),
            ("Clients/Acme/Factures".into(), 9, 1),
            ("Newsletters".into(), 15, 15),
        ],
        ..DovecotOptions::default()
    };
    // aiosmtpd (a Python start, ~0.3 s) starts on its own thread meanwhile.
    let smtp = {
        let pki = pki.clone();
        std::thread::spawn(move || SmtpServer::start(&pki, SmtpOptions::default()))
    };
    let mut dovecot = Dovecot::start(&pki, opts)?;
    let mut untrusted = Dovecot::start(
        &pki,
        DovecotOptions {
            cert: CertKind::Untrusted,
            extra_folders: UNTRUSTED_FOLDERS.iter().map(|s| s.to_string()).collect(),
            inbox_messages: UNTRUSTED_INBOX_MESSAGES,
            ..DovecotOptions::default()
        },
    )?;
    // A provider that turned passwords off (XOAUTH2/OAUTHBEARER only), found through
    // oauthonly.test's service records: the proposal warns that a password will not work.
    let oauth_only = Dovecot::start(&pki, DovecotOptions { oauth_only: true, ..DovecotOptions::default() })?;
    // An account over its connection limit (the error view's throttled case).
    let limited = Dovecot::start(&pki, DovecotOptions { max_userip_connections: 1, ..DovecotOptions::default() })?;
    // Sign in with Microsoft: the authorization server (Microsoft's URL shapes), and dana's
    // Dovecot and SMTP server, which take bearer tokens only and check them there. Their
    // certificates name Microsoft 365's hosts too, for a proposal that names those.
    let auth = AuthServer::try_start(
        &pki,
        AuthServerOptions {
            style: Style::Microsoft,
            users: vec![BEARER_USER.into(), "alice@example.test".into()],
            ..AuthServerOptions::default()
        },
    )?;
    let bearer = Dovecot::start(
        &pki,
        DovecotOptions {
            users: vec![(BEARER_USER.into(), random_password())],
            cert_names: ["imap.example.test", "outlook.office365.com", "localhost", "127.0.0.1"]
                .map(String::from)
                .into(),
            extra_folders: BEARER_FOLDERS.iter().map(|s| s.to_string()).collect(),
            inbox_messages: BEARER_INBOX_MESSAGES,
            oauth_only: true,
            oauth2: Some(DovecotOAuth2::introspecting(&auth)),
            ..DovecotOptions::default()
        },
    )?;
    let bearer_smtp = SmtpServer::start(
        &pki,
        SmtpOptions {
            users: vec![(BEARER_USER.into(), random_password())],
            cert_names: ["mail.example.test", "smtp.office365.com", "localhost", "127.0.0.1"].map(String::from).into(),
            auth_mechanisms: Vec::new(),
            ..SmtpOptions::default()
        }
        .with_oauth2(&auth),
    )?;
    let keychain = Keychain::start()?;
    let slow = DelayProxy::start(dovecot.imaps_addr(), SLOW_DELAY);
    let dns = Dnsmasq::start(
        DnsRecords::default()
            .a("imap.example.test", Ipv4Addr::LOCALHOST)
            .a("mail.example.test", Ipv4Addr::LOCALHOST)
            .srv("_imaps._tcp.elsewhere.test", "imap.example.test", 993, 0, 1)
            .srv("_submissions._tcp.elsewhere.test", "mail.example.test", 465, 0, 1)
            .srv("_imaps._tcp.oauthonly.test", "imap.example.test", OAUTH_ONLY_PORT, 0, 1)
            .srv("_submissions._tcp.oauthonly.test", "mail.example.test", 465, 0, 1)
            .mx("contoso.test", "contoso-test.mail.protection.outlook.com", 0)
            .srv("_imaps._tcp.contoso.test", "imap.example.test", BEARER_IMAP_SRV_PORT, 0, 1)
            .srv("_submission._tcp.contoso.test", "mail.example.test", BEARER_SMTP_SRV_PORT, 0, 1),
    )?;
    let (web_cert, web_key) =
        pki.issue(&["autoconfig.example.test", "example.test", "autoconfig.moved.test", "localhost", "127.0.0.1"]);
    let web = HttpsServer::start_with_cert(
        &web_cert,
        &web_key,
        vec![
            // Routes match the path and query, not the host: the exact query goes first.
            Route::redirect(
                "/mail/config-v1.1.xml?emailaddress=alice%40moved.test",
                302,
                "https://autoconfig.example.test/mail/config-v1.1.xml",
            ),
            Route::ok("/mail/config-v1.1.xml", "text/xml; charset=utf-8", AUTOCONFIG),
        ],
    );
    let bob_password = dovecot
        .users()
        .iter()
        .find(|(user, _)| user == "bob")
        .map(|(_, password)| password.clone())
        .ok_or("the test Dovecot has no user bob")?;
    let (corp_cert, corp_key) = pki.issue(&["autodiscover.corp.test", "corp.test", "localhost", "127.0.0.1"]);
    let autodiscover = HttpsServer::start_with_cert(
        &corp_cert,
        &corp_key,
        vec![Route::post("/autodiscover/autodiscover.xml", "text/xml; charset=utf-8", AUTODISCOVER)
            .requiring_basic_auth("bob@corp.test", &bob_password)],
    );
    let silent = SilentServer::start();
    let smtp = smtp.join().map_err(|_| "the SMTP server's start panicked")??;
    let control = tempfile::Builder::new().prefix("inlet-test-servers-").tempdir()?;

    let servers = Servers {
        pki: &pki,
        dovecot: &dovecot,
        untrusted: &untrusted,
        oauth_only: &oauth_only,
        limited: &limited,
        smtp: &smtp,
        keychain: &keychain,
        slow: &slow,
        dns: &dns,
        web: &web,
        autodiscover: &autodiscover,
        silent: &silent,
        auth: &auth,
        bearer: &bearer,
        bearer_smtp: &bearer_smtp,
    };
    let line = ready_json(&servers, control.path());
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    drop(out);
    eprintln!(
        "inlet-test-servers: ready (IMAPS 127.0.0.1:{}, IMAP 127.0.0.1:{}, untrusted IMAPS 127.0.0.1:{}, \
         SMTP 127.0.0.1:{} STARTTLS / {} TLS, DNS {}, HTTPS 127.0.0.1:{}); close stdin or send SIGTERM to stop",
        dovecot.imaps_port(),
        dovecot.imap_port(),
        untrusted.imaps_port(),
        smtp.smtp_port(),
        smtp.smtps_port(),
        dns.addr(),
        web.port(),
    );

    // Standard input: commands and EOF, read on a thread, so signals are noticed meanwhile.
    let (tx, rx) = mpsc::channel::<Input>();
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut line = String::new();
        loop {
            line.clear();
            match stdin.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {
                    if tx.send(Input::Line(line.trim().to_owned())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // Not UTF-8, or the pipe broke: skip what was read; a broken pipe ends in EOF next.
                Err(e) if e.kind() == std::io::ErrorKind::InvalidData => continue,
                Err(_) => break,
            }
        }
        let _ = tx.send(Input::Eof);
    });
    let why = loop {
        let sig = SIGNAL.load(Ordering::SeqCst);
        if sig != 0 {
            break format!("signal {sig}");
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Input::Line(line)) if line.is_empty() => {}
            Ok(Input::Line(line)) => {
                command(&line, &pki, &mut untrusted, &autodiscover, &auth, control.path(), &mut dovecot)
            }
            Ok(Input::Eof) | Err(mpsc::RecvTimeoutError::Disconnected) => break "stdin closed".to_string(),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    eprintln!("inlet-test-servers: {why}; stopping");
    drop(silent);
    drop(autodiscover);
    drop(web);
    drop(dns);
    drop(slow);
    drop(smtp);
    drop(keychain);
    drop(untrusted);
    drop(oauth_only);
    drop(limited);
    drop(bearer_smtp);
    drop(bearer);
    drop(auth);
    drop(dovecot);
    drop(control);
    drop(pki);
    Ok(())
}

/// `oauth-browser [--user LOGIN] [--deny] [--ca FILE] [--server ADDR] URL`: the browser the
/// engine starts in tests. A person signs in as LOGIN (default alice@example.test) at the
/// authorization server and approves (or, with `--deny`, declines); the browser follows the
/// redirect to the application's loopback listener. FILE is the test CA (else
/// `$INLET_OAUTH_CA`); ADDR the server (`127.0.0.1:PORT`, else `$INLET_OAUTH_SERVER`), to which
/// every non-loopback https host goes. Prints the last page's status and URL on stderr; exits
/// 0 when the application's listener answered 2xx.
fn oauth_browser(args: &[String]) -> ExitCode {
    use inlet_testkit::oauth::{follow_as_person, Browser, Consent};
    let mut user = "alice@example.test".to_string();
    let mut consent = Consent::Approve;
    let mut ca = std::env::var("INLET_OAUTH_CA").ok();
    let mut server = std::env::var("INLET_OAUTH_SERVER").ok();
    let mut url = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--user" => user = it.next().cloned().unwrap_or_default(),
            "--deny" => consent = Consent::Deny,
            "--ca" => ca = it.next().cloned(),
            "--server" => server = it.next().cloned(),
            other if !other.starts_with("--") && url.is_none() => url = Some(other.to_string()),
            other => {
                eprintln!("oauth-browser: unknown argument {other:?}");
                return ExitCode::from(2);
            }
        }
    }
    let usage =
        "usage: inlet-test-servers oauth-browser [--user LOGIN] [--deny] [--ca FILE] [--server 127.0.0.1:PORT] URL";
    let (Some(url), Some(ca), Some(server)) = (url, ca, server) else {
        eprintln!("{usage} (the CA and server may come from INLET_OAUTH_CA and INLET_OAUTH_SERVER)");
        return ExitCode::from(2);
    };
    let Ok(server) = server.parse() else {
        eprintln!("oauth-browser: --server must be an address like 127.0.0.1:PORT, not {server:?}");
        return ExitCode::from(2);
    };
    match follow_as_person(&Browser { server, ca_file: ca.into() }, &url, &user, consent) {
        Ok(page) => {
            eprintln!("oauth-browser: {} {}", page.status, page.final_url);
            if (200..300).contains(&page.status) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("oauth-browser: {e}");
            ExitCode::FAILURE
        }
    }
}

enum Input {
    Line(String),
    Eof,
}

/// Runs one command line (see the module docs) and answers it.
fn command(
    line: &str,
    pki: &TestPki,
    untrusted: &mut Dovecot,
    autodiscover: &HttpsServer,
    auth: &AuthServer,
    control: &Path,
    main: &mut Dovecot,
) {
    let (id, rest) = match line.strip_prefix('@') {
        Some(tagged) => {
            let (id, rest) = tagged.split_once(char::is_whitespace).unwrap_or((tagged, ""));
            (Some(id), rest.trim())
        }
        None => (None, line),
    };
    let id = id.filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    let words: Vec<&str> = rest.split_whitespace().collect();
    let answer = match words[..] {
        ["swap-untrusted", kind] => match cert_kind(kind) {
            Some(kind) => match untrusted.swap_cert(pki, kind) {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("error: {e}"),
            },
            None => {
                format!("error: unknown certificate kind {kind:?} (ValidAlt, Untrusted, Valid, Expired, WrongHost)")
            }
        },
        ["autodiscover-requests"] => {
            match write_atomically(&control.join("autodiscover-requests.json"), &autodiscover_record(autodiscover)) {
                Ok(()) => "ok".to_string(),
                Err(e) => format!("error: {e}"),
            }
        }
        // The device flow's person on another device: the bearer user enters CODE and approves.
        ["approve-device", code] => {
            let approve = || auth.approve_device(code, BEARER_USER, inlet_testkit::oauth::Consent::Approve);
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(approve)) {
                Ok(page) if (200..300).contains(&page.status) => "ok".to_string(),
                Ok(page) => format!("error: the device page answered {}", page.status),
                Err(_) => "error: approving the device code failed (see above)".to_string(),
            }
        }
        ["set-password", user, password] => match main.set_password(user, password) {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("error: {e}"),
        },
        _ => {
            format!("error: unknown command {rest:?} (swap-untrusted KIND, autodiscover-requests, approve-device CODE, set-password USER PASSWORD)")
        }
    };
    // A new password is not repeated in the log.
    let said = match words[..] {
        ["set-password", user, _] => format!("set-password {user} (password not shown)"),
        _ => rest.to_string(),
    };
    eprintln!("inlet-test-servers: {said}: {answer}");
    if let Some(id) = id {
        if let Err(e) = write_atomically(&control.join(id), &format!("{answer}\n")) {
            eprintln!("inlet-test-servers: could not write the answer to @{id}: {e}");
        }
    }
}

/// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("answer");
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path))
}

/// The Autodiscover server's record as JSON (see the module docs): no credentials in it.
fn autodiscover_record(autodiscover: &HttpsServer) -> String {
    let entries: Vec<String> = autodiscover
        .logged()
        .iter()
        .map(|r| {
            format!(
                "{{\"request\":{},\"authorization\":{},\"refusedForAuth\":{}}}",
                json_str(&r.request_line),
                r.authorization.is_some(),
                r.refused_for_auth
            )
        })
        .collect();
    format!("[{}]\n", entries.join(","))
}

fn cert_kind(name: &str) -> Option<CertKind> {
    let name = name.to_ascii_lowercase().replace(['-', '_'], "");
    CertKind::ALL.into_iter().find(|k| format!("{k:?}").to_ascii_lowercase() == name)
}

struct Servers<'a> {
    pki: &'a TestPki,
    dovecot: &'a Dovecot,
    untrusted: &'a Dovecot,
    oauth_only: &'a Dovecot,
    limited: &'a Dovecot,
    smtp: &'a SmtpServer,
    keychain: &'a Keychain,
    slow: &'a DelayProxy,
    dns: &'a Dnsmasq,
    web: &'a HttpsServer,
    autodiscover: &'a HttpsServer,
    silent: &'a SilentServer,
    auth: &'a AuthServer,
    bearer: &'a Dovecot,
    bearer_smtp: &'a SmtpServer,
}

fn ready_json(servers: &Servers, control: &Path) -> String {
    let Servers {
        pki,
        dovecot,
        untrusted,
        oauth_only,
        limited,
        smtp,
        keychain,
        slow,
        dns,
        web,
        autodiscover,
        silent,
        auth,
        bearer,
        bearer_smtp,
    } = servers;
    let users: Vec<String> =
        dovecot.users().iter().map(|(u, p)| format!("[{},{}]", json_str(u), json_str(p))).collect();
    let folders: Vec<String> = FOLDERS.iter().map(|f| json_str(f)).collect();
    let untrusted_folders: Vec<String> = UNTRUSTED_FOLDERS.iter().map(|f| json_str(f)).collect();
    let env: Vec<String> = keychain.env().iter().map(|(k, v)| format!("{}:{}", json_str(k), json_str(v))).collect();
    format!(
        concat!(
            "{{\"host\":{host},\"imapsPort\":{imaps},\"imapsSlowPort\":{slow},\"imapPort\":{imap},\"pop3sPort\":{pop3s},\"pop3Port\":{pop3},",
            "\"untrustedImapsPort\":{untrusted},\"oauthImapsPort\":{oauth},\"oauthSrvPort\":{oauth_srv},\"limitedImapsPort\":{limited},\"smtpPort\":{smtp},\"smtpsPort\":{smtps},\"smtpMailDir\":{smtpdir},",
            "\"caFile\":{ca},\"users\":[{users}],\"folders\":[{folders}],",
            "\"inboxMessages\":{inbox},\"inboxUnseen\":{unseen},",
            "\"untrustedFolders\":[{ufolders}],\"untrustedInboxMessages\":{uinbox},",
            "\"keychainEnv\":{{{env}}},\"dovecotDir\":{ddir},\"keychainDir\":{kdir},\"controlDir\":{cdir},",
            "\"dnsPort\":{dns_port},\"dnsAddr\":{dns_addr},\"httpsPort\":{https},\"autodiscoverPort\":{autodiscover},\"silentPort\":{silent},",
            "\"oauth\":{bearer_json}}}"
        ),
        host = json_str(dovecot.host()),
        imaps = dovecot.imaps_port(),
        slow = slow.port(),
        imap = dovecot.imap_port(),
        pop3s = dovecot.pop3s_port(),
        pop3 = dovecot.pop3_port(),
        untrusted = untrusted.imaps_port(),
        oauth = oauth_only.imaps_port(),
        oauth_srv = OAUTH_ONLY_PORT,
        limited = limited.imaps_port(),
        smtp = smtp.smtp_port(),
        smtps = smtp.smtps_port(),
        smtpdir = json_str(&smtp.dir().join("received").to_string_lossy()),
        ca = json_str(&pki.ca_pem_path().to_string_lossy()),
        users = users.join(","),
        folders = folders.join(","),
        inbox = INBOX_MESSAGES,
        unseen = INBOX_MESSAGES - INBOX_MESSAGES / 3,
        ufolders = untrusted_folders.join(","),
        uinbox = UNTRUSTED_INBOX_MESSAGES,
        env = env.join(","),
        ddir = json_str(&dovecot.dir().to_string_lossy()),
        kdir = json_str(&keychain.dir().to_string_lossy()),
        cdir = json_str(&control.to_string_lossy()),
        dns_port = dns.port(),
        dns_addr = json_str(&dns.addr().to_string()),
        https = web.port(),
        autodiscover = autodiscover.port(),
        silent = silent.port(),
        bearer_json = oauth_json(auth, bearer, bearer_smtp, &pki.ca_pem_path().to_string_lossy()),
    )
}

/// The `oauth` member of the ready line (see the module docs).
fn oauth_json(auth: &AuthServer, bearer: &Dovecot, smtp: &SmtpServer, ca: &str) -> String {
    let route = |host: &str, port: u16, to: u16| {
        format!("{{\"host\":{},\"port\":{port},\"toHost\":\"127.0.0.1\",\"toPort\":{to}}}", json_str(host))
    };
    let mut connect_to: Vec<String> = auth.connect_to().iter().map(|c| route(&c.host, c.port, c.to_port)).collect();
    connect_to.extend([
        route("imap.example.test", BEARER_IMAP_SRV_PORT, bearer.imaps_port()),
        route("mail.example.test", BEARER_SMTP_SRV_PORT, smtp.smtp_port()),
        route("outlook.office365.com", 993, bearer.imaps_port()),
        route("outlook.office365.com", 995, bearer.pop3s_port()),
        route("smtp.office365.com", 587, smtp.smtp_port()),
    ]);
    let exe = std::env::current_exe().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let browser: Vec<String> = [
        exe.as_str(),
        "oauth-browser",
        "--user",
        BEARER_USER,
        "--ca",
        ca,
        "--server",
        &format!("127.0.0.1:{}", auth.port()),
    ]
    .iter()
    .map(|a| json_str(a))
    .collect();
    let folders: Vec<String> = BEARER_FOLDERS.iter().map(|f| json_str(f)).collect();
    format!(
        concat!(
            "{{\"issuer\":{issuer},\"authPort\":{port},\"clientId\":{client},\"tenant\":\"common\",\"user\":{user},",
            "\"imapsPort\":{imaps},\"pop3sPort\":{pop3s},\"smtpPort\":{smtp},\"smtpsPort\":{smtps},",
            "\"imapSrvPort\":{imap_srv},\"smtpSrvPort\":{smtp_srv},\"folders\":[{folders}],\"inboxMessages\":{inbox},",
            "\"connectTo\":[{connect_to}],\"browserCommand\":[{browser}]}}"
        ),
        issuer = json_str(&auth.issuer()),
        port = auth.port(),
        client = json_str(auth.client_id()),
        user = json_str(BEARER_USER),
        imaps = bearer.imaps_port(),
        pop3s = bearer.pop3s_port(),
        smtp = smtp.smtp_port(),
        smtps = smtp.smtps_port(),
        imap_srv = BEARER_IMAP_SRV_PORT,
        smtp_srv = BEARER_SMTP_SRV_PORT,
        folders = folders.join(","),
        inbox = BEARER_INBOX_MESSAGES,
        connect_to = connect_to.join(","),
        browser = browser.join(","),
    )
}

/// A password nobody types: the bearer mailbox's users file needs one.
fn random_password() -> String {
    let mut buf = [0u8; 12];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf));
    if read.is_err() {
        buf = std::process::id().to_le_bytes().repeat(3).try_into().unwrap_or_default();
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A JSON string literal (the testkit has no serde_json, and this is all we need).
fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
