//! The commands that keep saved mailboxes connected: status, check, enable, disable,
//! set-default, rename, update-password, reconnect, folders, edit, remove. The same engine calls as the app;
//! `--json` prints one document `{"ok": …, …}`. Exit codes as the other commands: 0 when it
//! worked (for `check`: every side of every mailbox checked succeeded), 1 with a diagnosis, 2
//! for a usage problem.

use super::{fail, mailbox_id, print_diagnosis, print_sign_in_event, read_password, SecurityArg, SignInArg};
use inlet_core::account::Side;
use inlet_core::folders::FolderTree;
use inlet_core::health::{CheckAllOptions, CheckOutcome, MailboxCheck, MailboxDetails};
use inlet_core::mailbox_edit::{ServerEdit, SettingsEdit};
use inlet_core::oauth::SignInMode;
use inlet_core::store::{MailboxRecord, MailboxStatus};
use inlet_core::tr;
use inlet_core::{Diagnosis, Engine};
use std::process::ExitCode;

/// What one of these commands does.
#[derive(clap::Subcommand)]
pub enum KeepCommand {
    /// Every status field of a saved mailbox (its number or address, see `list`) and its recent
    /// checks.
    Status { mailbox: String },
    /// Check a saved mailbox, or every enabled one with --all: sign in and read the chosen
    /// folders' STATUS (POP3: STAT; SMTP: EHLO and AUTH). Changes no mail, sends none. Records
    /// the outcome; after too many errors in a row the mailbox is disabled.
    Check {
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        mailbox: Option<String>,
        #[arg(long)]
        all: bool,
        /// With --all: only the mailboxes whose back-off is over (for a timer).
        #[arg(long, requires = "all")]
        due: bool,
        /// With --all: how many mailboxes are checked at once.
        #[arg(long, requires = "all", default_value_t = CheckAllOptions::default().concurrency)]
        concurrency: usize,
    },
    /// Enable a mailbox (its error counts start afresh).
    Enable { mailbox: String },
    /// Disable a mailbox: it is no longer checked until it is enabled.
    Disable { mailbox: String },
    /// Make a mailbox the default one.
    SetDefault { mailbox: String },
    /// Name a mailbox (an empty name shows its address again), and describe it.
    Rename {
        mailbox: String,
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Check a new password against the server, then keep it in the keychain in place of the old
    /// one (which stays when the server refuses the new one). Enables the mailbox.
    UpdatePassword {
        mailbox: String,
        /// Read the new password from standard input (the only way to pass it).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sign in again with the stored settings and credentials; every setting stays. A mailbox
    /// that signs in with the provider signs in anew (its grant revoked or expired): the page to
    /// open, or the code to enter, is printed as with `connect --sign-in`.
    Reconnect {
        mailbox: String,
        /// How a mailbox that signs in with the provider signs in again (default: browser).
        #[arg(long, value_enum, value_name = "HOW")]
        sign_in: Option<SignInArg>,
    },
    /// The chosen folders of a mailbox. --load lists the server's folders now (signing in with
    /// the stored password); --set saves a new selection, each folder checked against that list.
    Folders {
        mailbox: String,
        #[arg(long)]
        load: bool,
        /// The folders to choose, by name or path, comma-separated or repeated.
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        set: Vec<String>,
    },
    /// Change a mailbox's server settings. The new settings are checked against the servers
    /// before they are saved; when the check fails, nothing changes.
    Edit {
        mailbox: String,
        /// The incoming server's name.
        #[arg(long)]
        host: Option<String>,
        #[arg(long)]
        port: Option<u16>,
        #[arg(long, value_enum)]
        security: Option<SecurityArg>,
        /// The incoming login name; "" goes back to the address (and its local part).
        #[arg(long)]
        username: Option<String>,
        #[arg(long)]
        smtp_host: Option<String>,
        #[arg(long)]
        smtp_port: Option<u16>,
        #[arg(long, value_enum)]
        smtp_security: Option<SecurityArg>,
        #[arg(long)]
        smtp_username: Option<String>,
    },
    /// Remove a mailbox and its keychain entries. Its history is kept, marked removed, unless
    /// --erase.
    Remove {
        mailbox: String,
        #[arg(long)]
        erase: bool,
    },
}

pub async fn run(engine: &Engine, command: KeepCommand, json: bool) -> ExitCode {
    let id = |mailbox: &str| {
        let mailbox = mailbox.to_owned();
        async move { mailbox_id(engine, &mailbox).await }
    };
    let outcome = match command {
        KeepCommand::Status { mailbox } => match id(&mailbox).await {
            Ok(id) => return print_details(engine.mailbox_details(id).await, json),
            Err(d) => Err(d),
        },
        KeepCommand::Check { mailbox, all, due, concurrency } => {
            let checks = if all {
                engine.check_all(CheckAllOptions { concurrency, due_only: due }).await
            } else {
                match id(mailbox.as_deref().unwrap_or_default()).await {
                    Ok(id) => engine.check_mailbox(id).await.map(|c| vec![c]),
                    Err(d) => Err(d),
                }
            };
            return match checks {
                Ok(checks) => print_checks(&checks, json),
                Err(d) => fail(&d, json),
            };
        }
        KeepCommand::Enable { mailbox } => with_id(id(&mailbox).await, |id| engine.set_mailbox_enabled(id, true)).await,
        KeepCommand::Disable { mailbox } => {
            with_id(id(&mailbox).await, |id| engine.set_mailbox_enabled(id, false)).await
        }
        KeepCommand::SetDefault { mailbox } => with_id(id(&mailbox).await, |id| engine.set_default_mailbox(id)).await,
        KeepCommand::Rename { mailbox, name, description } => {
            with_id(id(&mailbox).await, |id| engine.describe_mailbox(id, Some(name), description)).await
        }
        KeepCommand::UpdatePassword { mailbox, password_stdin } => {
            if !password_stdin {
                eprintln!("{}", tr!("cli-new-password-stdin"));
                return ExitCode::from(2);
            }
            let password = match read_password() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{}", tr!("cli-password-unreadable", error = e.to_string()));
                    return ExitCode::from(2);
                }
            };
            let updated = with_id(id(&mailbox).await, |id| engine.update_password(id, password)).await;
            engine.settle_keychain().await;
            updated
        }
        KeepCommand::Reconnect { mailbox, sign_in } => {
            with_id(id(&mailbox).await, |id| reconnect(engine, id, sign_in)).await
        }
        KeepCommand::Folders { mailbox, load, set } => {
            let id = match id(&mailbox).await {
                Ok(id) => id,
                Err(d) => return fail(&d, json),
            };
            return folders(engine, id, load, &set, json).await;
        }
        KeepCommand::Edit {
            mailbox,
            host,
            port,
            security,
            username,
            smtp_host,
            smtp_port,
            smtp_security,
            smtp_username,
        } => {
            let edit = SettingsEdit {
                incoming: ServerEdit { host, port, security: security.map(Into::into), username },
                outgoing: ServerEdit {
                    host: smtp_host,
                    port: smtp_port,
                    security: smtp_security.map(Into::into),
                    username: smtp_username,
                },
            };
            with_id(id(&mailbox).await, |id| async move { engine.edit_mailbox_settings(id, &edit).await }).await
        }
        KeepCommand::Remove { mailbox, erase } => {
            let removed = match id(&mailbox).await {
                Ok(id) => engine.remove_mailbox_with(id, erase).await.map(|()| id),
                Err(d) => Err(d),
            };
            return match removed {
                Ok(id) => {
                    if json {
                        println!("{}", serde_json::json!({ "ok": true, "id": id, "erased": erase }));
                    } else if erase {
                        println!("{}", tr!("cli-removed-erased", id = id.to_string()));
                    } else {
                        println!("{}", tr!("cli-removed-kept", id = id.to_string()));
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&d, json),
            };
        }
    };
    match outcome {
        Ok(record) => {
            if json {
                println!("{}", serde_json::json!({ "ok": true, "mailbox": record }));
            } else {
                println!("{}", summary(&record));
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(&d, json),
    }
}

/// `reconnect`: a mailbox with a grant (or any, with --sign-in) signs in anew; one with a
/// password signs in with the stored one.
async fn reconnect(engine: &Engine, id: i64, sign_in: Option<SignInArg>) -> Result<MailboxRecord, Diagnosis> {
    let has_grant = engine.mailbox_details(id).await?.mailbox.grant.is_some();
    if !has_grant && sign_in.is_none() {
        return engine.reconnect_mailbox(id).await;
    }
    let mode = match sign_in.unwrap_or(SignInArg::Browser) {
        SignInArg::Browser => SignInMode::Browser,
        SignInArg::Device => SignInMode::Device,
    };
    let reconnected = engine.reconnect_with_sign_in(id, mode, &print_sign_in_event).await;
    engine.settle_keychain().await;
    reconnected
}

async fn with_id<F, Fut>(id: Result<i64, Diagnosis>, action: F) -> Result<MailboxRecord, Diagnosis>
where
    F: FnOnce(i64) -> Fut,
    Fut: std::future::Future<Output = Result<MailboxRecord, Diagnosis>>,
{
    action(id?).await
}

/// One line: number, name or address, badge.
fn summary(m: &MailboxRecord) -> String {
    let name = m.name.as_deref().map(|n| format!("{n} <{}>", m.settings.email)).unwrap_or(m.settings.email.to_string());
    let default = if m.is_default { format!(" {}", tr!("cli-default")) } else { String::new() };
    format!("#{} {name}{default}: {}", m.id, badge(&m.status))
}

fn badge(s: &MailboxStatus) -> String {
    serde_json::to_value(s.badge).ok().and_then(|v| v.as_str().map(|b| b.replace('_', " "))).unwrap_or_default()
}

fn time(at: Option<i64>) -> String {
    match at {
        None => tr!("cli-never"),
        Some(ms) => time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_else(|| ms.to_string()),
    }
}

fn print_details(details: Result<MailboxDetails, Diagnosis>, json: bool) -> ExitCode {
    let details = match details {
        Ok(details) => details,
        Err(d) => return fail(&d, json),
    };
    if json {
        println!("{}", serde_json::json!({ "ok": true, "mailbox": details.mailbox, "history": details.history }));
        return ExitCode::SUCCESS;
    }
    let m = &details.mailbox;
    let s = &m.status;
    println!("{}", summary(m));
    if let Some(description) = &m.description {
        println!("  {}: {description}", tr!("cli-description"));
    }
    println!("  {}: {}", tr!("cli-incoming"), m.settings.incoming.settings().endpoint.display());
    if let Some(o) = &m.settings.outgoing {
        println!("  {}: {}", tr!("cli-outgoing"), o.endpoint.display());
    }
    let enabled = if s.enabled {
        tr!("cli-enabled-yes")
    } else if s.disabled_automatically {
        tr!("cli-enabled-auto-disabled")
    } else {
        tr!("cli-enabled-no")
    };
    println!("  {}: {enabled}", tr!("cli-enabled"));
    let who = m.modified_by.clone().unwrap_or_else(|| tr!("cli-unknown"));
    println!("  {}", tr!("cli-last-modified", at = time(m.modified_at), who = who));
    println!("  {}: {}", tr!("cli-last-check"), time(s.last_check_at));
    println!("  {}: {}", tr!("cli-last-success-incoming"), time(s.last_success_at));
    let error = |code: Option<inlet_core::DiagnosisCode>, title: &Option<String>, at: Option<i64>| match code {
        Some(code) => tr!("cli-error-at", title = title.clone().unwrap_or_default(), code = code.name(), at = time(at)),
        None => tr!("cli-none"),
    };
    println!(
        "  {}: {}",
        tr!("cli-last-error-incoming"),
        error(s.last_error_code, &s.last_error_title, s.last_error_at)
    );
    println!("  {}: {}", tr!("cli-errors-incoming"), s.consecutive_errors);
    if m.settings.outgoing.is_some() {
        println!("  {}: {}", tr!("cli-last-success-outgoing"), time(s.last_outgoing_success_at));
        println!(
            "  {}: {}",
            tr!("cli-last-error-outgoing"),
            error(s.last_outgoing_error_code, &s.last_outgoing_error_title, s.last_outgoing_error_at)
        );
        println!("  {}: {}", tr!("cli-errors-outgoing"), s.consecutive_outgoing_errors);
    }
    if let Some(next) = s.next_check_at {
        println!("  {}", tr!("cli-backing-off", count = s.consecutive_temporary_failures, at = time(Some(next))));
    }
    if details.history.is_empty() {
        println!("  {}", tr!("cli-no-checks"));
    } else {
        println!("  {}", tr!("cli-recent-checks"));
        for h in &details.history {
            println!(
                "    {} {} {} {} ms{}",
                time(Some(h.at)),
                side_name(h.side),
                h.outcome.name(),
                h.duration_ms,
                h.code.map(|c| format!(" ({})", c.name())).unwrap_or_default()
            );
        }
    }
    ExitCode::SUCCESS
}

fn side_name(side: Side) -> String {
    match side {
        Side::Incoming => tr!("cli-side-incoming"),
        Side::Outgoing => tr!("cli-side-outgoing"),
    }
}

fn print_checks(checks: &[MailboxCheck], json: bool) -> ExitCode {
    let ok = checks.iter().all(|c| c.sides.iter().all(|s| s.outcome == CheckOutcome::Success));
    if json {
        println!("{}", serde_json::json!({ "ok": ok, "checks": checks }));
    } else {
        if checks.is_empty() {
            println!("{}", tr!("cli-no-enabled-mailbox"));
        }
        for c in checks {
            let sides: Vec<String> = c
                .sides
                .iter()
                .map(|s| format!("{} {} ({} ms)", side_name(s.side), s.outcome.name(), s.duration_ms))
                .collect();
            println!("#{} {}: {} — {}", c.id, c.email, sides.join(", "), badge(&c.status));
            if c.disabled_now {
                println!("  {}", tr!("cli-disabled-fix"));
            }
            for d in c.sides.iter().filter_map(|s| s.diagnosis.as_ref()) {
                print_diagnosis(d);
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `folders`: --set first (it saves), then what is asked to be shown: the server's list with
/// --load, the chosen folders otherwise.
async fn folders(engine: &Engine, id: i64, load: bool, set: &[String], json: bool) -> ExitCode {
    let record = if set.is_empty() {
        engine.mailbox_details(id).await.map(|d| d.mailbox)
    } else {
        engine.set_mailbox_folders(id, set).await
    };
    let record = match record {
        Ok(record) => record,
        Err(d) => return fail(&d, json),
    };
    let tree = if load {
        match engine.load_mailbox_folders(id).await {
            Ok(tree) => Some(tree),
            Err(d) => return fail(&d, json),
        }
    } else {
        None
    };
    if json {
        println!("{}", serde_json::json!({ "ok": true, "mailbox": record, "folders": tree }));
        return ExitCode::SUCCESS;
    }
    if !set.is_empty() {
        println!("{}", tr!("cli-folders-saved", count = record.folders.len(), id = id.to_string()));
    }
    match &tree {
        Some(tree) => print_tree(tree, &record),
        None if record.folders.is_empty() => println!("{}", tr!("cli-no-folders-chosen")),
        None => {
            for f in &record.folders {
                println!("{}", f.path);
            }
        }
    }
    ExitCode::SUCCESS
}

/// The server's folders, indented by depth, the chosen ones marked with `*`.
fn print_tree(tree: &FolderTree, record: &MailboxRecord) {
    for f in &tree.folders {
        let chosen = if record.folders.iter().any(|c| c.raw_name == f.raw_name) { "*" } else { " " };
        let counts = match (f.messages, f.unseen) {
            (Some(m), Some(u)) => format!(" {}", tr!("cli-folder-messages-unseen", messages = m, unseen = u)),
            (Some(m), None) => format!(" {}", tr!("cli-folder-messages", messages = m)),
            _ => String::new(),
        };
        let unusable = if f.selectable { String::new() } else { format!(" {}", tr!("cli-folder-cannot-be-chosen")) };
        println!("{chosen} {}{}{counts}{unusable}", "  ".repeat(f.depth as usize), f.name);
    }
}
