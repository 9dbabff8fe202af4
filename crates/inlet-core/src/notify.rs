//! The desktop notification when the checks disable a mailbox: it names the mailbox and says
//! why. Sent with notify-rust over D-Bus (the freedesktop Desktop Notifications
//! specification's `org.freedesktop.Notifications.Notify`), by the app and by `inlet-cli check`
//! alike, so a check run by the systemd timer notifies too.

use crate::account::Side;
use crate::health::MailboxCheck;
use crate::policy::ErrorThresholds;
use crate::store::MailboxRecord;

/// What the notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabledNotice {
    pub summary: String,
    pub body: String,
}

/// The notice for a mailbox `check` just disabled: the mailbox by its name (and address), the
/// side whose errors reached the threshold, the last error's title, and what to do.
pub(crate) fn disabled_notice(
    record: &MailboxRecord,
    check: &MailboxCheck,
    thresholds: ErrorThresholds,
) -> DisabledNotice {
    let email = record.settings.email.as_str();
    let mailbox = match &record.name {
        Some(name) => format!("{name} ({email})"),
        None => email.to_owned(),
    };
    let s = &check.status;
    let (side, count, title) = if s.consecutive_errors >= thresholds.incoming.get() {
        (Side::Incoming, s.consecutive_errors, s.last_error_title.as_deref())
    } else {
        (Side::Outgoing, s.consecutive_outgoing_errors, s.last_outgoing_error_title.as_deref())
    };
    let server = match side {
        Side::Incoming => "incoming",
        Side::Outgoing => "outgoing",
    };
    let why = title.map(|t| format!(": {t}")).unwrap_or_default();
    DisabledNotice {
        summary: crate::tr!("eng-notice-disabled-summary", mailbox = mailbox),
        body: crate::tr!("eng-notice-disabled-body", side = server, count = count, why = why),
    }
}

/// Shows `notice` on the desktop. Blocking D-Bus calls run off the async threads (zbus on
/// tokio refuses a blocking call from async code). A desktop without a notification service is
/// no reason to fail the check: the caller logs the error.
pub async fn show(notice: DisabledNotice) -> Result<(), String> {
    tokio::task::spawn_blocking(move || {
        notify_rust::Notification::new()
            .appname("Inlet")
            .summary(&notice.summary)
            .body(&notice.body)
            .icon("dialog-warning")
            .show()
            .map(drop)
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}
