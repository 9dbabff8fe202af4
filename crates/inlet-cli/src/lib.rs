//! inlet-cli: the Inlet engine in a terminal, for help-desk technicians and scripts. It makes the
//! same engine calls as the desktop app and prints every stage as it happens.

use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use inlet_core::account::{
    default_port, host_port, AuthMethod, Endpoint, IncomingServer, MailboxKind, MailboxSettings, OutgoingSettings,
    Protocol, Security, ServerSettings, Side, TrustedCertificate,
};
use inlet_core::address::EmailAddress;
use inlet_core::certificate::Sha256Fingerprint;
use inlet_core::config::ConnectTo;
use inlet_core::discover::{DiscoverRequest, Discovery, DiscoveryEvent, SourceStatus};
use inlet_core::logging::{self, LogSettings};
use inlet_core::oauth::{IssuerChoice, SignInEvent, SignInMode, SignInRequest};
use inlet_core::progress::{ProgressEvent, StageState};
use inlet_core::report::HelpDeskReport;
use inlet_core::secrets::Credentials;
use inlet_core::store::ChosenFolder;
use inlet_core::tr;
use inlet_core::{ConnectReport, ConnectRequest, Deadlines, Diagnosis, DoctorRequest, Engine, SaveRequest, Secret};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use zeroize::Zeroizing;

mod keep;

#[derive(Parser)]
#[command(name = "inlet-cli", version, about = "Connect and check mailboxes from a terminal, with the Inlet engine.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Read the settings from this configuration file (JSON, as the app's config.json) instead of
    /// $INLET_CONFIG or the platform's config.json (e.g. ~/.config/inlet/config.json). The
    /// options below override it (--ca-file and --connect-to add to it).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print JSON instead of text (progress lines are left out).
    #[arg(long, global = true)]
    json: bool,
    /// Trust the CA certificates in this PEM file besides the system's (repeatable).
    #[arg(long = "ca-file", global = true, value_name = "PEM")]
    ca_files: Vec<PathBuf>,
    /// Where Inlet keeps its mailbox list (default: the platform's app data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Deadline in seconds for each network step.
    #[arg(long, global = true, value_name = "SECONDS")]
    timeout: Option<u64>,
    /// Ask this DNS server (instead of the system's) for SRV, MX and host addresses.
    #[arg(long, global = true, value_name = "HOST:PORT")]
    dns: Option<String>,
    /// Thunderbird's ISPDB base URL (https, ending with /).
    #[arg(long = "ispdb-url", global = true, value_name = "URL")]
    ispdb_url: Option<String>,
    /// Like curl: connections meant for HOST:PORT go to HOST2:PORT2 (TLS still checks HOST).
    /// PORT 0 matches any port. Repeatable.
    #[arg(long = "connect-to", global = true, value_name = "HOST:PORT:HOST2:PORT2")]
    connect_to: Vec<String>,
    /// Log each step on standard error and in a log file (-v); -vv logs everything Inlet does.
    /// Libraries only ever log their warnings, and no password is ever logged.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    /// Where the log file goes with -v (default: logs/ in the data directory).
    #[arg(long, global = true, value_name = "DIR")]
    log_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the incoming server (and the outgoing one when given): sign in, print the folder
    /// tree. Saves nothing and sends no mail.
    Connect(ConnectArgs),
    /// Like `connect`, then save the mailbox (its password, or its browser sign-in, in the
    /// keychain; its settings and folders in Inlet's list).
    Add(ConnectArgs),
    /// Find the server settings for an address: every source at once (known providers, the
    /// domain's autoconfig, Thunderbird's ISPDB, DNS SRV and MX, usual names), then a check of
    /// the best servers without credentials. Prints the proposal and everything that was asked.
    Discover {
        email: String,
        /// Do not connect to the proposed servers to verify them.
        #[arg(long)]
        no_probe: bool,
        /// Follow a redirect that discovery offered (you trust its target). Repeatable.
        #[arg(long, value_name = "URL")]
        follow: Vec<String>,
        /// Read the account's password from standard input and give it to the domain's
        /// Autodiscover, which asked for it (HTTP Basic over HTTPS; nowhere else).
        #[arg(long)]
        autodiscover_password_stdin: bool,
    },
    /// List the saved mailboxes and their status.
    List,
    /// Diagnose an address for a help desk: find its settings (or use --host/--port/--security/
    /// --protocol), connect to its servers and, with --password-stdin, sign in. Saves nothing.
    /// Prints the diagnosis and the help-desk report (Markdown; with --json one document with
    /// the code as a field). Exit code 0 when everything worked, 1 when something failed.
    Doctor {
        email: String,
        /// The incoming server to check instead of discovering one.
        #[arg(long)]
        host: Option<String>,
        /// Default: the protocol's port for the security setting (993, 143, 995, 110).
        #[arg(long, requires = "host")]
        port: Option<u16>,
        #[arg(long, value_enum, requires = "host")]
        security: Option<SecurityArg>,
        #[arg(long, value_enum, requires = "host")]
        protocol: Option<ProtocolArg>,
        /// Login name; by default the whole address, then the part before @.
        #[arg(long)]
        username: Option<String>,
        /// Read the password from standard input and check signing in too.
        #[arg(long)]
        password_stdin: bool,
        /// Confirm sending the password unencrypted with --security none.
        #[arg(long)]
        allow_plaintext_password: bool,
        /// The outgoing (SMTP submission) server to check as well, beside --host.
        #[arg(long, requires = "host")]
        smtp_host: Option<String>,
        /// Default: 465 with TLS, 587 with STARTTLS.
        #[arg(long, requires = "smtp_host")]
        smtp_port: Option<u16>,
        #[arg(long, value_enum, default_value = "starttls")]
        smtp_security: SecurityArg,
        /// Outgoing login name; by default the incoming one. The incoming password is used.
        #[arg(long, requires = "smtp_host")]
        smtp_username: Option<String>,
        /// Mask the address and host names in the report.
        #[arg(long)]
        mask: bool,
    },
    /// The help-desk report of a saved mailbox (its number or address, see `list`): checks it
    /// again with its stored password and prints everything tried, in Markdown (default) or
    /// JSON (--json). Exit code 0 when the check worked, 1 when it failed.
    Report {
        mailbox: String,
        /// Markdown, for a ticket (the default; overrides --json).
        #[arg(long)]
        markdown: bool,
        /// Mask the address and host names.
        #[arg(long)]
        mask: bool,
    },
    #[command(flatten)]
    Keep(keep::KeepCommand),
    /// Stop trusting the certificate pinned for HOST:PORT on saved mailbox ID (see `list`).
    Untrust {
        #[arg(long)]
        id: i64,
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
    },
}

/// Where and how `connect` and `add` sign in.
#[derive(clap::Args)]
struct ConnectArgs {
    #[arg(long)]
    email: String,
    #[arg(long, value_enum, default_value = "imap")]
    protocol: ProtocolArg,
    #[arg(long)]
    host: String,
    /// Default: 993 (IMAP TLS), 143 (IMAP STARTTLS), 995 (POP3 TLS), 110 (POP3 STLS).
    #[arg(long)]
    port: Option<u16>,
    #[arg(long, value_enum, default_value = "tls")]
    security: SecurityArg,
    /// The outgoing (SMTP submission) server to check as well.
    #[arg(long)]
    smtp_host: Option<String>,
    /// Default: 465 with TLS, 587 with STARTTLS.
    #[arg(long)]
    smtp_port: Option<u16>,
    #[arg(long, value_enum, default_value = "starttls")]
    smtp_security: SecurityArg,
    /// Outgoing login name; by default the incoming one. The incoming password is used.
    #[arg(long)]
    smtp_username: Option<String>,
    /// Trust the certificate with this SHA-256 fingerprint (as printed after a trust failure,
    /// with or without colons) on the server that presents it; a server presenting another
    /// certificate is verified as usual. Repeatable: one per server.
    #[arg(long, value_name = "SHA256")]
    trust_fingerprint: Vec<String>,
    /// Also send one test message from the address to itself through the outgoing server.
    #[arg(long)]
    send_test_message: bool,
    /// Login name; by default the whole address, then the part before @.
    #[arg(long)]
    username: Option<String>,
    /// Read the password from standard input (the only way to pass it: never on the command line).
    #[arg(long)]
    password_stdin: bool,
    /// Sign in with the provider instead of a password: `browser` prints the page to open and
    /// waits for it to come back (on this machine); `device` prints a code to enter on any device.
    #[arg(long, value_enum, value_name = "HOW")]
    sign_in: Option<SignInArg>,
    /// Whom to sign in with: google, microsoft, or an issuer's https URL. Default: the
    /// provider of the address, when Inlet knows it.
    #[arg(long, value_name = "google|microsoft|URL")]
    issuer: Option<String>,
    /// The Microsoft tenant (common, organizations, consumers, a tenant ID or domain).
    #[arg(long)]
    tenant: Option<String>,
    /// The app registration (client id) to sign in with, where the administrator's policy allows.
    #[arg(long)]
    client_id: Option<String>,
    /// Confirm sending the password unencrypted with --security none.
    #[arg(long)]
    allow_plaintext_password: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum SignInArg {
    Browser,
    Device,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProtocolArg {
    Imap,
    Pop3,
}

#[derive(Clone, Copy, ValueEnum)]
enum SecurityArg {
    Tls,
    Starttls,
    None,
}

/// The CLI's entry point: the `inlet-cli` binary, and the app's binary when it is called by that
/// name (the .deb installs `inlet-cli` as a link to it; see src-tauri/main.rs).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // One thread: a check is one conversation at a time (or two, joined), all waiting on the
    // network. A multi-threaded runtime hands every readiness event from a worker to the main
    // thread, which cost more CPU in context switches than the parsing it could spread.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> ExitCode {
    // The OS's language until the engine reads the user's choice from its data folder (which the
    // configuration names): a broken configuration is reported in it.
    inlet_core::i18n::set_language(inlet_core::i18n::os_language());
    // The same file the app reads, so a technician checks with the app's own settings.
    let mut config = match inlet_core::config::load_config(cli.config.as_deref()) {
        Ok(config) => config,
        Err(problem) => {
            eprintln!(
                "{}\n  {}: {}\n  {}: {}",
                tr!("cli-config-unusable", path = problem.path.as_str()),
                tr!("cli-what-happened"),
                problem.what_happened,
                tr!("cli-what-to-do"),
                problem.what_to_do
            );
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &cli.data_dir {
        config.data_dir = Some(dir.clone());
    }
    // A log file only when asked for (-v or --log-dir): a script's plain run leaves nothing behind.
    // It goes under the data directory the configuration names, as the app's does.
    let directory = (cli.verbose > 0 || cli.log_dir.is_some())
        .then(|| cli.log_dir.clone().unwrap_or_else(|| config.resolved_data_dir().join("logs")));
    if let Err(e) = logging::init(&LogSettings { verbosity: cli.verbose, directory, stderr: true }) {
        eprintln!("{}", tr!("cli-log-unwritable", error = e.to_string()));
        return ExitCode::from(2);
    }
    config.extra_ca_files.extend(cli.ca_files.iter().cloned());
    if let Some(secs) = cli.timeout {
        config.deadlines = Deadlines::all(Duration::from_secs(secs));
    }
    if let Some(dns) = &cli.dns {
        match dns.parse() {
            Ok(addr) => config.dns_server = Some(addr),
            Err(_) => {
                eprintln!("{}", tr!("cli-dns-wants"));
                return ExitCode::from(2);
            }
        }
    }
    if let Some(url) = &cli.ispdb_url {
        config.ispdb_url = url.clone();
    }
    for entry in &cli.connect_to {
        match parse_connect_to(entry) {
            Some(c) => config.connect_to.push(c),
            None => {
                eprintln!("{}", tr!("cli-connect-to-wants", entry = format!("{entry:?}")));
                return ExitCode::from(2);
            }
        }
    }
    let engine = match Engine::new(config) {
        Ok(engine) => engine,
        Err(d) => return fail(&d, cli.json),
    };
    match cli.command {
        command @ (Command::Connect(_) | Command::Add(_)) => {
            let save = matches!(command, Command::Add(_));
            let (Command::Connect(args) | Command::Add(args)) = command else { unreachable!() };
            let ConnectArgs {
                email,
                protocol,
                host,
                port,
                security,
                smtp_host,
                smtp_port,
                smtp_security,
                smtp_username,
                trust_fingerprint,
                send_test_message,
                username,
                password_stdin,
                sign_in,
                issuer,
                tenant,
                client_id,
                allow_plaintext_password,
            } = args;
            if sign_in.is_none() && !password_stdin {
                eprintln!("{}", tr!("cli-password-or-sign-in"));
                return ExitCode::from(2);
            }
            let fingerprints = match parse_fingerprints(&trust_fingerprint) {
                Ok(f) => f,
                Err(message) => {
                    eprintln!("inlet-cli: {message}");
                    return ExitCode::from(2);
                }
            };
            // Refused as the engine refused it when it took the address as text.
            let email = match EmailAddress::parse(&email) {
                Ok(email) => email,
                Err(problem) => return fail(&Diagnosis::invalid_input("email", &problem.message()), cli.json),
            };
            let security = security.into();
            let protocol = match protocol {
                ProtocolArg::Imap => Protocol::Imap,
                ProtocolArg::Pop3 => Protocol::Pop3,
            };
            let port = port.unwrap_or(default_port(protocol, security));
            let outgoing = smtp_host.map(|host| {
                let security: Security = smtp_security.into();
                OutgoingSettings {
                    endpoint: Endpoint {
                        host,
                        port: smtp_port.unwrap_or(default_port(Protocol::Smtp, security)),
                        security,
                    },
                    username: smtp_username,
                    same_password: true,
                    allow_plaintext_password,
                }
            });
            let settings = MailboxSettings {
                kind: if protocol == Protocol::Pop3 { MailboxKind::Pop3 } else { MailboxKind::Imap },
                email,
                incoming: {
                    let server = ServerSettings {
                        endpoint: Endpoint { host, port, security },
                        username,
                        auth: if sign_in.is_some() { AuthMethod::OAuth2 } else { AuthMethod::Password },
                        allow_plaintext_password,
                    };
                    if protocol == Protocol::Pop3 {
                        IncomingServer::Pop3(server)
                    } else {
                        IncomingServer::Imap(server)
                    }
                },
                outgoing,
                trusted_certificates: Vec::new(),
            };
            // Asked before anything is typed or sent: the policy may not allow this mailbox.
            if let (true, Err(d)) = (save, engine.may_add(&settings)) {
                return fail(&d, cli.json);
            }
            let credentials = match sign_in {
                Some(mode) => {
                    let Some(issuer) = issuer_choice(issuer.as_deref(), tenant, settings.email.as_str()) else {
                        eprintln!("{}", tr!("cli-unknown-issuer"));
                        return ExitCode::from(2);
                    };
                    let mode = match mode {
                        SignInArg::Browser => SignInMode::Browser,
                        SignInArg::Device => SignInMode::Device,
                    };
                    let request = SignInRequest { settings: settings.clone(), issuer, mode, client_id };
                    match engine.sign_in(&request, &print_sign_in_event).await {
                        Ok(grant) => Credentials::OAuth2(grant),
                        Err(d) => return fail(&d, cli.json),
                    }
                }
                None => match read_password() {
                    Ok(p) => Credentials::Password(p),
                    Err(e) => {
                        eprintln!("{}", tr!("cli-password-unreadable", error = e.to_string()));
                        return ExitCode::from(2);
                    }
                },
            };
            let signed_in = match &credentials {
                Credentials::OAuth2(grant) => Some(grant.clone()),
                Credentials::Password(_) => None,
            };
            let exit = async {
                let mut request = ConnectRequest { settings, credentials, outgoing_credentials: None };
                let json = cli.json;
                let print = move |e: ProgressEvent| {
                    if !json {
                        eprintln!("{}", progress_line(&e));
                    }
                };
                let mut outcome = engine.connect(&request, &print).await;
                // Which certificate each server presents is only known once it was refused: each
                // fingerprint is pinned on the server that presented that certificate, nowhere
                // else, and the check runs again.
                if let Err(refused) = &outcome {
                    let pins = pins_where_presented(refused, &request.settings, &fingerprints);
                    if !pins.is_empty() {
                        if !json {
                            for p in &pins {
                                eprintln!(
                                    "{}",
                                    tr!(
                                        "cli-trusting",
                                        fingerprint = p.sha256_fingerprint.to_string(),
                                        server = host_port(&p.host, p.port)
                                    )
                                );
                            }
                        }
                        request.settings.trusted_certificates = pins;
                        outcome = engine.connect(&request, &print).await;
                    }
                }
                match outcome {
                    Ok(report) => {
                        if cli.json {
                            print_connected_json(&report);
                        } else {
                            println!(
                                "{}",
                                tr!(
                                    "cli-signed-in",
                                    address = report.address.as_str(),
                                    username = report.username_used.as_str(),
                                    encrypted = yes_no(report.encrypted)
                                )
                            );
                            if let Some(o) = &report.outgoing {
                                println!(
                                    "{}",
                                    tr!(
                                        "cli-outgoing-signed-in",
                                        address = o.address.as_str(),
                                        username = o.username_used.as_str(),
                                        encrypted = yes_no(o.encrypted),
                                        mechanisms = o.auth_mechanisms.join(", ")
                                    )
                                );
                            }
                            if let Some(count) = report.message_count {
                                println!("{}", tr!("cli-pop3-inbox", count = count));
                                if let Some(imap) = &report.imap_alternative {
                                    println!(
                                        "{}",
                                        tr!(
                                            "cli-imap-offered",
                                            server = imap.display().to_string(),
                                            security = imap.security.label()
                                        )
                                    );
                                }
                            } else {
                                println!(
                                    "{}",
                                    tr!(
                                        "cli-folders-heading",
                                        count = report.folders.folders.len(),
                                        delimiter = format!("{:?}", report.folders.delimiter.as_deref().unwrap_or(""))
                                    )
                                );
                            }
                            // One buffered write for the whole tree, not one per folder.
                            let mut tree = String::new();
                            for f in report.folders.folders.iter().filter(|_| report.message_count.is_none()) {
                                let role = f
                                    .role
                                    .map(|r| format!(" [{}]", serde_json::to_value(r).unwrap().as_str().unwrap()))
                                    .unwrap_or_default();
                                let counts = match (f.messages, f.unseen) {
                                    (Some(m), Some(u)) => {
                                        format!("  {}", tr!("cli-folder-counts", messages = m, unread = u))
                                    }
                                    _ if !f.selectable => format!("  {}", tr!("cli-folder-not-selectable")),
                                    _ => String::new(),
                                };
                                let indent = "  ".repeat(f.depth as usize + 1);
                                tree.push_str(&format!("{indent}{}{role}{counts}\n", f.name));
                            }
                            print_bytes(tree.as_bytes());
                        }
                        if send_test_message {
                            // Send as the login name the check found working (the local part when the
                            // server refused the whole address), not the address again.
                            let mut request = request.clone();
                            if let (Some(o), Some(checked)) = (request.settings.outgoing.as_mut(), &report.outgoing) {
                                o.username = Some(checked.username_used.clone());
                            }
                            match engine.send_test_message(&request, &print).await {
                                Ok(()) => {
                                    if !cli.json {
                                        println!(
                                            "{}",
                                            tr!("cli-test-message-sent", email = request.settings.email.to_string())
                                        );
                                    }
                                }
                                Err(d) => return fail(&d, cli.json),
                            }
                        }
                        if save {
                            return save_mailbox(&engine, &request, &report, cli.json).await;
                        }
                        ExitCode::SUCCESS
                    }
                    Err(d) => fail(&d, cli.json),
                }
            }
            .await;
            // A sign-in no mailbox was saved with leaves the keychain (a saved one stays).
            if let Some(grant) = signed_in {
                if let Err(d) = engine.discard_sign_in(&grant).await {
                    eprintln!("{}", tr!("cli-sign-in-kept", text = d.what_happened.as_str()));
                }
            }
            exit
        }
        Command::Keep(command) => keep::run(&engine, command, cli.json).await,
        Command::Untrust { id, host, port } => match engine.remove_trusted_certificate(id, &host, port).await {
            Ok(record) => {
                if cli.json {
                    println!("{}", serde_json::json!({ "ok": true, "mailbox": record }));
                } else {
                    println!(
                        "{}",
                        tr!("cli-untrusted", id = id.to_string(), server = inlet_core::account::host_port(&host, port))
                    );
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d, cli.json),
        },
        Command::Discover { email, no_probe, follow, autodiscover_password_stdin } => {
            let autodiscover_password = if autodiscover_password_stdin {
                match read_password() {
                    Ok(p) => Some(p),
                    Err(e) => {
                        eprintln!("{}", tr!("cli-password-unreadable", error = e.to_string()));
                        return ExitCode::from(2);
                    }
                }
            } else {
                None
            };
            let request = DiscoverRequest { email, probe: !no_probe, follow, autodiscover_password };
            let json = cli.json;
            let print = move |e: DiscoveryEvent| {
                if !json {
                    eprintln!("{}", discovery_line(&e));
                }
            };
            match engine.discover(&request, &print).await {
                Ok(found) => {
                    if json {
                        println!("{}", serde_json::json!({ "ok": found.diagnosis.is_none(), "discovery": found }));
                    } else {
                        print_discovery(&found);
                    }
                    if found.diagnosis.is_some() {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(d) => fail(&d, cli.json),
            }
        }
        Command::Doctor {
            email,
            host,
            port,
            security,
            protocol,
            username,
            password_stdin,
            allow_plaintext_password,
            smtp_host,
            smtp_port,
            smtp_security,
            smtp_username,
            mask,
        } => {
            let email = match EmailAddress::parse(&email) {
                Ok(email) => email,
                Err(problem) => return fail(&Diagnosis::invalid_input("email", &problem.message()), cli.json),
            };
            let credentials = if password_stdin {
                match read_password() {
                    Ok(p) => Some(Credentials::Password(p)),
                    Err(e) => {
                        eprintln!("{}", tr!("cli-password-unreadable", error = e.to_string()));
                        return ExitCode::from(2);
                    }
                }
            } else {
                None
            };
            let settings = host.map(|host| {
                let protocol = match protocol.unwrap_or(ProtocolArg::Imap) {
                    ProtocolArg::Imap => Protocol::Imap,
                    ProtocolArg::Pop3 => Protocol::Pop3,
                };
                let security: Security = security.unwrap_or(SecurityArg::Tls).into();
                let server = ServerSettings {
                    endpoint: Endpoint { host, port: port.unwrap_or(default_port(protocol, security)), security },
                    username: username.clone(),
                    auth: AuthMethod::Password,
                    allow_plaintext_password,
                };
                let outgoing = smtp_host.map(|host| {
                    let security: Security = smtp_security.into();
                    let port = smtp_port.unwrap_or(default_port(Protocol::Smtp, security));
                    OutgoingSettings {
                        endpoint: Endpoint { host, port, security },
                        username: smtp_username,
                        same_password: true,
                        allow_plaintext_password,
                    }
                });
                MailboxSettings {
                    kind: if protocol == Protocol::Pop3 { MailboxKind::Pop3 } else { MailboxKind::Imap },
                    email: email.clone(),
                    incoming: if protocol == Protocol::Pop3 {
                        IncomingServer::Pop3(server)
                    } else {
                        IncomingServer::Imap(server)
                    },
                    outgoing,
                    trusted_certificates: Vec::new(),
                }
            });
            let json = cli.json;
            let print_step = move |e: ProgressEvent| {
                if !json {
                    eprintln!("{}", progress_line(&e));
                }
            };
            let print_source = move |e: DiscoveryEvent| {
                if !json {
                    eprintln!("{}", discovery_line(&e));
                }
            };
            let request = DoctorRequest { email, settings, credentials };
            let found = engine.doctor(&request, &print_source, &print_step).await;
            let report = if mask { found.report.masked() } else { found.report };
            print_help_desk_report(&report, json, true)
        }
        Command::Report { mailbox, markdown, mask } => {
            let id = match mailbox_id(&engine, &mailbox).await {
                Ok(id) => id,
                Err(d) => return fail(&d, cli.json),
            };
            let json = cli.json && !markdown;
            let print_step = move |e: ProgressEvent| {
                if !json {
                    eprintln!("{}", progress_line(&e));
                }
            };
            match engine.mailbox_report(id, &print_step).await {
                Ok(checked) => {
                    let report = if mask { checked.report.masked() } else { checked.report };
                    print_help_desk_report(&report, json, false)
                }
                Err(d) => fail(&d, cli.json),
            }
        }
        Command::List => match engine.list_mailboxes().await {
            Ok(list) => {
                if cli.json {
                    println!("{}", serde_json::json!({ "ok": true, "mailboxes": list }));
                } else if list.is_empty() {
                    println!("{}", tr!("cli-no-mailboxes"));
                } else {
                    for m in list {
                        let s = &m.status;
                        let last = s.last_error_title.as_deref().map(|t| tr!("cli-list-last-error", title = t));
                        println!(
                            "{}",
                            tr!(
                                "cli-list-line",
                                id = m.id.to_string(),
                                email = m.settings.email.to_string(),
                                server = m.settings.incoming.settings().endpoint.display().to_string(),
                                enabled = yes_no(s.enabled),
                                errors = s.consecutive_errors,
                                last = last.unwrap_or_default()
                            )
                        );
                        if let Some(grant) = &m.grant {
                            println!(
                                "    {}",
                                tr!(
                                    "cli-list-browser",
                                    issuer = grant.issuer.to_string(),
                                    client = grant.client_id.to_string()
                                )
                            );
                        }
                        for t in &m.settings.trusted_certificates {
                            println!(
                                "    {}",
                                tr!(
                                    "cli-list-trusts",
                                    server = inlet_core::account::host_port(&t.host, t.port),
                                    fingerprint = t.sha256_fingerprint.to_string()
                                )
                            );
                        }
                    }
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d, cli.json),
        },
    }
}

/// A saved mailbox by its number, or by its address when exactly one mailbox has it.
async fn mailbox_id(engine: &Engine, mailbox: &str) -> Result<i64, Diagnosis> {
    if let Ok(id) = mailbox.trim().parse::<i64>() {
        return Ok(id);
    }
    let list = engine.list_mailboxes().await?;
    let same: Vec<i64> =
        list.iter().filter(|m| m.settings.email.as_str().eq_ignore_ascii_case(mailbox.trim())).map(|m| m.id).collect();
    match same.as_slice() {
        [id] => Ok(*id),
        [] => Err(Diagnosis::invalid_input("mailbox", &tr!("cli-mailbox-unknown"))),
        _ => Err(Diagnosis::invalid_input("mailbox", &tr!("cli-mailbox-ambiguous"))),
    }
}

/// The report on standard output: Markdown, after the diagnosis on standard error (`doctor`
/// prints the diagnosis first, as every command does), or one JSON document with the code as a
/// field. Exit code 0 when the check worked, 1 when it failed.
fn print_help_desk_report(report: &HelpDeskReport, json: bool, print_diagnosis_first: bool) -> ExitCode {
    // The report's own diagnosis: masked with it when asked.
    let diagnosis = report.diagnosis.as_ref();
    if json {
        let document = serde_json::json!({
            "ok": report.outcome.ok,
            "code": report.outcome.code,
            "diagnosis": report.diagnosis,
            "report": report,
        });
        println!("{document}");
    } else {
        if let (Some(d), true) = (diagnosis, print_diagnosis_first) {
            print_diagnosis(d);
            if let Some(other) = &d.also {
                print_diagnosis(other);
            }
            eprintln!();
        }
        print_bytes(report.to_markdown().as_bytes());
    }
    if !report.outcome.ok {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `HOST:PORT:HOST2:PORT2` (an IPv6 HOST2 in brackets).
/// `{"ok":true,"report":…}` and a line end, serialised straight from the report into
/// `out`. Going through `serde_json::json!` built a `Value` tree first (a map and a string per
/// field of every folder), which took more CPU than loading the folders; the document is the
/// same, its keys in the report's field order instead of sorted.
fn write_connected_json(report: &inlet_core::ConnectReport, out: &mut impl std::io::Write) -> std::io::Result<()> {
    out.write_all(br#"{"ok":true,"report":"#)?;
    serde_json::to_writer(&mut *out, report)?;
    out.write_all(b"}\n")
}

/// Prints the connect document through one 64 KiB buffer (println! would write it in 1 KiB
/// pieces, each searched for line ends; one buffer for the whole document would be megabytes).
/// A closed pipe is ignored: a script that stopped reading still gets the exit code.
fn print_connected_json(report: &inlet_core::ConnectReport) {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let _ = write_connected_json(report, &mut out).and_then(|()| out.flush());
}

/// Writes to standard output at once. A closed pipe is ignored (println! would panic): a script
/// that stopped reading still gets the exit code.
fn print_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(bytes).and_then(|()| stdout.flush());
}

fn parse_connect_to(entry: &str) -> Option<ConnectTo> {
    let (host, rest) = entry.split_once(':')?;
    let (port, rest) = rest.split_once(':')?;
    let (to_host, to_port) = rest.rsplit_once(':')?;
    let to_host = to_host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || to_host.is_empty() {
        return None;
    }
    Some(ConnectTo {
        host: host.to_owned(),
        port: port.parse().ok()?,
        to_host: to_host.to_owned(),
        to_port: to_port.parse().ok()?,
    })
}

/// One line per discovery event.
fn discovery_line(e: &DiscoveryEvent) -> String {
    let mark = match e.status {
        None => "…",
        Some(SourceStatus::Found) => "✓",
        Some(SourceStatus::NotFound | SourceStatus::Skipped) => "·",
        Some(SourceStatus::Cancelled) => "–",
        Some(SourceStatus::TimedOut | SourceStatus::Failed) => "✗",
    };
    let mut line = format!("{:>6} ms {mark} {}", e.elapsed_ms, e.label);
    if let Some(target) = &e.target {
        line.push_str(&format!(": {target}"));
    }
    if let Some(d) = e.detail.as_deref().filter(|d| !d.is_empty()) {
        line.push_str(&format!(": {d}"));
    }
    line
}

fn print_discovery(found: &Discovery) {
    let kind = serde_json::to_value(found.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    println!("{}", tr!("cli-settings-for", email = found.email.to_string(), ms = found.elapsed_ms.to_string()));
    println!("{}", tr!("cli-mailbox-type", kind = kind));
    if let Some(p) = &found.provider {
        println!("{}", tr!("cli-found-provider", name = p.name.to_string(), detected = p.detected_by.to_string()));
    }
    for (title, list) in [(tr!("cli-incoming-best"), &found.incoming), (tr!("cli-outgoing-best"), &found.outgoing)] {
        println!("\n{title}");
        for c in list {
            let mark = match &c.verification {
                Some(v) if v.verified => tr!("cli-verified"),
                Some(_) => tr!("cli-not-answered"),
                None => tr!("cli-not-checked"),
            };
            let user = c.username.as_deref().map(|u| tr!("cli-login", username = u)).unwrap_or_default();
            println!(
                "  {} {} ({}{user}) — {} — {mark}",
                c.protocol.label(),
                c.endpoint.display(),
                c.endpoint.security.label(),
                c.found_by
            );
            if let Some(v) = &c.verification {
                println!("      {}", v.detail);
            }
            println!("      {}", tr!("cli-sign-in-mechanisms", mechanisms = c.sign_in.label()));
            if let Some(why) = &c.needs_confirmation {
                println!("      {}", tr!("cli-needs-confirmation", why = why.to_string()));
            }
        }
    }
    if !found.hints.is_empty() {
        println!("\n{}", tr!("cli-from-provider"));
        for h in &found.hints {
            let url = h.url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default();
            println!("  - {}{url}", h.text);
        }
    }
    if found.autodiscover_wants_password {
        println!("\n{}", tr!("cli-autodiscover-wants-password"));
    }
    if !found.redirects.is_empty() {
        println!("\n{}", tr!("cli-redirects-waiting"));
        for r in &found.redirects {
            println!("  - {}\n    {}", r.to, r.explanation);
        }
    }
    println!("\n{}", tr!("cli-sources"));
    for s in &found.sources {
        let status =
            serde_json::to_value(s.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        println!("  {:<42} {:<10} {:>6} ms  {}", s.label, status, s.elapsed_ms, s.summary);
    }
    println!("\n{}", tr!("cli-what-was-asked"));
    for t in &found.trace {
        let status =
            serde_json::to_value(t.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        println!("  [{}] {} — {status}, {} ms: {}", t.source, t.query, t.elapsed_ms, t.outcome);
    }
    if let Some(d) = &found.diagnosis {
        eprintln!(
            "\n✗ {}\n  {}: {}\n  {}: {}",
            d.title,
            tr!("cli-what-happened"),
            d.what_happened,
            tr!("cli-what-to-do"),
            d.what_to_do
        );
    }
}

/// One line per progress event: elapsed time, stage, target and detail.
fn progress_line(e: &ProgressEvent) -> String {
    let mark = match e.state {
        StageState::Started => "…",
        StageState::Update => "·",
        StageState::Done => "✓",
        StageState::Failed => "✗",
    };
    let side = match e.side {
        Side::Incoming => "in ",
        Side::Outgoing => "out",
    };
    let mut line = format!("{:>6} ms {side} {mark} {}", e.elapsed_ms, e.stage.label());
    if let Some(t) = &e.target {
        line.push_str(&format!(" — {t}"));
    }
    if let Some(d) = &e.detail {
        line.push_str(&format!(": {d}"));
    }
    line
}

/// The `--trust-fingerprint` values, each read however it is written (see `Sha256Fingerprint`).
fn parse_fingerprints(given: &[String]) -> Result<Vec<Sha256Fingerprint>, String> {
    given.iter().map(|fp| fp.parse().map_err(|e| format!("--trust-fingerprint {fp:?}: {e}"))).collect()
}

/// Pins for the given fingerprints on the servers whose refused certificate is one of them: the
/// incoming diagnosis and the outgoing one beside it (or alone, when only it failed).
fn pins_where_presented(
    refused: &Diagnosis,
    settings: &MailboxSettings,
    fingerprints: &[Sha256Fingerprint],
) -> Vec<TrustedCertificate> {
    let mut pins = Vec::new();
    for d in std::iter::once(refused).chain(refused.also.as_deref()) {
        let Some(cert) = &d.certificate else { continue };
        let Ok(presented) = cert.sha256_fingerprint.parse::<Sha256Fingerprint>() else { continue };
        if !fingerprints.contains(&presented) {
            continue;
        }
        let endpoint = match (d.side, &settings.outgoing) {
            (Some(Side::Outgoing), Some(o)) => &o.endpoint,
            (Some(Side::Outgoing), None) => continue,
            _ => &settings.incoming.settings().endpoint,
        };
        pins.push(TrustedCertificate {
            host: endpoint.host.clone(),
            port: endpoint.port,
            sha256_fingerprint: presented.to_string(),
            subject: cert.subject.clone(),
            not_after: cert.not_after.clone(),
        });
    }
    pins
}

impl From<SecurityArg> for Security {
    fn from(s: SecurityArg) -> Security {
        match s {
            SecurityArg::Tls => Security::Tls,
            SecurityArg::Starttls => Security::Starttls,
            SecurityArg::None => Security::None,
        }
    }
}

/// Longer than any password; the buffer is allocated once at this size so reading never
/// reallocates (a reallocation would leave an unwiped copy behind).
const PASSWORD_LIMIT: usize = 4096;

/// The password from standard input. At a terminal it is typed with echo off (rpassword turns
/// the terminal's echo off for the line, and prompts on the terminal itself); otherwise it is
/// read whole from the pipe.
///
/// Copies: the buffers here are wiped when dropped (Zeroizing), and so is the Secret (its Drop).
/// What remains is out of reach of this program: the kernel's pipe or terminal buffers,
/// rpassword's own line buffer if it grew while reading a long line, and the copies the sign-in
/// makes to send it (the IMAP, POP3 or SMTP command being written).
fn read_password() -> std::io::Result<Secret> {
    if std::io::stdin().is_terminal() {
        let typed = Zeroizing::new(rpassword::prompt_password(format!("{} ", tr!("cli-password-prompt")))?);
        return Ok(Secret::new(typed.as_str()));
    }
    let mut text = Zeroizing::new(String::with_capacity(PASSWORD_LIMIT + 64));
    std::io::stdin().take(PASSWORD_LIMIT as u64 + 1).read_to_string(&mut text)?;
    if text.len() > PASSWORD_LIMIT {
        return Err(std::io::Error::other(tr!("cli-password-too-long", limit = PASSWORD_LIMIT)));
    }
    // Only the line ending the shell or `echo` adds is removed; other spaces are part of it.
    let trimmed = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text);
    Ok(Secret::new(trimmed))
}

/// The issuer `--issuer` names (google, microsoft, a URL), or the address's provider's.
fn issuer_choice(named: Option<&str>, tenant: Option<String>, email: &str) -> Option<IssuerChoice> {
    let named = match named {
        Some(n) => n.trim().to_ascii_lowercase(),
        None => match inlet_core::providers::by_domain(email)?.kind {
            MailboxKind::Gmail => "google".into(),
            MailboxKind::Microsoft365 | MailboxKind::Exchange => "microsoft".into(),
            _ => return None,
        },
    };
    Some(match named.as_str() {
        "google" => IssuerChoice::Google,
        "microsoft" => IssuerChoice::Microsoft { tenant },
        _ => match IssuerChoice::from_url(named.as_str()) {
            IssuerChoice::Microsoft { tenant: from_url } => IssuerChoice::Microsoft { tenant: tenant.or(from_url) },
            other => other,
        },
    })
}

/// What the person must do, on standard error (also with --json: it is for the person).
fn print_sign_in_event(event: SignInEvent) {
    match event {
        SignInEvent::BrowserOpened { url, opened, deadline_at_ms } => {
            if opened {
                eprintln!("{}", tr!("cli-browser-opened"));
            } else {
                eprintln!("{}", tr!("cli-browser-open-this"));
            }
            eprintln!("  {url}");
            let seconds = (deadline_at_ms - inlet_core::service::now_ms()).max(0) / 1000;
            eprintln!("{}", tr!("cli-browser-waiting", seconds = seconds));
        }
        SignInEvent::DeviceCode { user_code, verification_uri, verification_uri_complete, expires_at_ms } => {
            let minutes = (expires_at_ms - inlet_core::service::now_ms()).max(0) / 60_000;
            eprintln!("{}", tr!("cli-device-code", url = verification_uri.to_string(), code = user_code.to_string()));
            if let Some(complete) = verification_uri_complete {
                eprintln!("  {}", tr!("cli-device-or-open", url = complete.to_string()));
            }
            eprintln!("{}", tr!("cli-device-waiting", minutes = minutes));
        }
        SignInEvent::Exchanging => eprintln!("{}", tr!("cli-exchanging")),
    }
}

/// `add`: saves the mailbox that was just checked, with every folder it can open.
async fn save_mailbox(engine: &Engine, request: &ConnectRequest, report: &ConnectReport, json: bool) -> ExitCode {
    let mut settings = request.settings.clone();
    settings.incoming.settings_mut().username = Some(report.username_used.clone());
    if let (Some(o), Some(checked)) = (settings.outgoing.as_mut(), &report.outgoing) {
        o.username = Some(checked.username_used.clone());
    }
    let folders = report
        .folders
        .folders
        .iter()
        .filter(|f| f.selectable)
        .map(|f| ChosenFolder { raw_name: f.raw_name.clone(), path: f.path.clone(), role: f.role })
        .collect();
    let save = SaveRequest {
        settings,
        folders,
        credentials: request.credentials.clone(),
        outgoing_credentials: request.outgoing_credentials.clone(),
    };
    let outcome = engine.save_mailbox(&save, &|_: ProgressEvent| {}).await;
    engine.settle_keychain().await;
    match outcome {
        Ok(record) => {
            if json {
                println!("{}", serde_json::json!({ "ok": true, "mailbox": record }));
            } else {
                println!("{}", tr!("cli-saved", id = record.id.to_string()));
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d, json),
    }
}

/// The selector value of a yes/no message argument (`$encrypted`, `$enabled`).
fn yes_no(yes: bool) -> &'static str {
    if yes {
        "yes"
    } else {
        "no"
    }
}

fn fail(d: &Diagnosis, json: bool) -> ExitCode {
    if json {
        println!("{}", serde_json::json!({ "ok": false, "diagnosis": d }));
    } else {
        print_diagnosis(d);
        if let Some(other) = &d.also {
            print_diagnosis(other);
        }
    }
    ExitCode::from(1)
}

fn print_diagnosis(d: &Diagnosis) {
    let side = match d.side {
        Some(Side::Outgoing) => format!(" {}", tr!("cli-outgoing-server")),
        Some(Side::Incoming) => format!(" {}", tr!("cli-incoming-server")),
        None => String::new(),
    };
    eprintln!(
        "\n✗ {}{side}\n  {}: {}\n  {}: {}",
        d.title,
        tr!("cli-what-happened"),
        d.what_happened,
        tr!("cli-what-to-do"),
        d.what_to_do
    );
    if let Some(hint) = &d.provider_hint {
        eprintln!("  {}: {hint}", tr!("cli-provider"));
    }
    if let Some(c) = &d.certificate {
        let valid = tr!("cli-certificate-valid", from = c.not_before.to_string(), to = c.not_after.to_string());
        eprintln!(
            "  {} {}\n               {} {}\n               {valid}\n               SHA-256 {}\n               {} {}",
            tr!("cli-certificate"),
            c.subject,
            tr!("cli-certificate-issuer"),
            c.issuer,
            c.sha256_fingerprint,
            tr!("cli-certificate-names"),
            c.names.join(", ")
        );
    }
    for line in &d.evidence {
        eprintln!("  · {line}");
    }
    eprintln!("  ({}: {})", tr!("cli-code"), serde_json::to_value(d.code).unwrap().as_str().unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;
    use inlet_core::folders::{FolderCounts, FolderTree, ListedFolder};

    #[test]
    fn the_connect_document_is_the_one_the_json_macro_made() {
        let listed = ["INBOX", "Sent", "Projets/R&AOk-unions", "a\"b\\c"]
            .iter()
            .map(|name| ListedFolder {
                raw_name: name.to_string(),
                delimiter: Some("/".into()),
                attributes: vec!["\\HasNoChildren".into()],
            })
            .collect();
        let counts = [("INBOX".to_owned(), FolderCounts { messages: Some(3), unseen: Some(1) })].into();
        let report = inlet_core::ConnectReport {
            protocol: Protocol::Imap,
            address: "127.0.0.1:993".into(),
            username_used: "alice".into(),
            encrypted: true,
            capabilities: vec!["IMAP4REV1".into()],
            folders: FolderTree::build(listed, &counts, &Default::default()),
            message_count: None,
            imap_alternative: None,
            outgoing: None,
            elapsed_ms: 12,
        };
        let mut printed = Vec::new();
        write_connected_json(&report, &mut printed).unwrap();
        assert_eq!(printed.last(), Some(&b'\n'));
        let ours: serde_json::Value = serde_json::from_slice(&printed).unwrap();
        assert_eq!(ours, serde_json::json!({ "ok": true, "report": report }));
    }
}
