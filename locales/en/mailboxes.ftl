# The window: mailboxes (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

## Times, sizes and durations (format.ts, running-clock.svelte.ts, RelativeTime.svelte).

# A check's time that is less than a minute ago (longer ones come from the browser: "5 minutes ago").
mbx-just-now = just now
# Durations in the progress lists and the check history; $ms, $seconds, $minutes are numbers.
mbx-duration-ms = { $ms } ms
mbx-duration-seconds = { NUMBER($seconds, minimumFractionDigits: 1, maximumFractionDigits: 1) } s
mbx-duration-minutes = { $minutes } min { $seconds } s
# How long a running step has been running so far.
mbx-running-seconds = { $seconds } s…
# What a screen reader reads for a time: $shown is the text on screen ("Checked 5 minutes ago"),
# $exact the date and time.
mbx-time-read-out = { $shown }, { $exact }

## The list of saved mailboxes (MailboxList.svelte).

mbx-list-title = Mailboxes
mbx-list-label = Saved mailboxes
mbx-checking = Checking…
mbx-check-all = Check all
mbx-check-now = Check now
mbx-add-another = Add another mailbox
mbx-empty = No mailboxes yet.
mbx-empty-hint = Add one to let Inlet check it for you.
mbx-loading = Loading…
mbx-default = Default
mbx-default-title = New mail goes out from this mailbox by default
mbx-not-encrypted = Not encrypted
# The tooltip of "Not encrypted".
mbx-plaintext-title = Your password travels unencrypted to { $sides ->
    [both] the incoming and the outgoing server
    [outgoing] the outgoing server
   *[incoming] the incoming server
}.
# A POP3 mailbox has no folders, only its inbox.
mbx-inbox-only = inbox only
mbx-folder-count = { $count ->
    [one] { $count } folder
   *[other] { $count } folders
}
# $server is "host:port"; $fingerprint the certificate's fingerprint, shortened.
mbx-trust-description = Trusts a certificate for { $server }, fingerprint { $fingerprint }
mbx-stop-trusting = Stop trusting
mbx-stop-trusting-label = Stop trusting the certificate for { $server }
# $time is a relative time ("5 minutes ago").
mbx-checked-at = Checked { $time }
mbx-last-worked-at = last worked { $time }
mbx-never-checked = Never checked
mbx-last-sent-at = last sent OK { $time }
# The last error of a mailbox, after its status badge. $title is the diagnosis' title; $count how
# many checks in a row failed (0: the last one worked again).
mbx-last-error = Last error: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 error in a row)
   *[other] {" "}({ $count } errors in a row)
}
# The same, for a mailbox that also has an outgoing server.
mbx-last-error-receiving = Receiving — last error: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 error in a row)
   *[other] {" "}({ $count } errors in a row)
}
mbx-last-error-sending = Sending — last error: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 error in a row)
   *[other] {" "}({ $count } errors in a row)
}
# In place of an error's title the engine did not keep.
mbx-unknown = unknown
mbx-sending-fails = Sending fails
mbx-sending-works = Sending works
mbx-sending-not-checked = Sending not checked yet
mbx-remove-label = Remove { $email }?
mbx-remove-question = Forget this mailbox and delete its password from the keychain? Its history is kept, marked removed.
mbx-erase-history = Also erase its history
mbx-keep = Keep
mbx-remove = Remove
mbx-remove-named = Remove { $email }
mbx-check-now-named = Check now: { $name }
mbx-details = Details
mbx-details-named = Details of { $name }
mbx-finish-in-browser = Finish signing in in your browser…
mbx-no-browser = No browser opened. Open this address in one:
mbx-sign-in-again = Sign in again
mbx-sign-in-again-named = Sign in again for { $email }
mbx-update-password = Update password
mbx-update-password-named = Update password of { $email }
mbx-manage = Manage
mbx-manage-named = Manage { $email }
# A screen reader's announcement when a mailbox's status changes: "alice@example.com: Failing".
mbx-status-changed = { $name }: { $status }

## The status badges (mailbox-status.svelte.ts): the engine decides the badge, these are its words.

mbx-badge-working = Working
mbx-badge-working-hint = The last check signed in and read the folders.
mbx-badge-failing = Failing
mbx-badge-failing-hint = The last check failed. Open Details to see why.
mbx-badge-throttled = Throttled
mbx-badge-throttled-hint = The server asked Inlet to slow down. Checks wait longer; close other apps connected to this mailbox.
mbx-badge-disabled = Disabled
mbx-badge-disabled-hint = Inlet does not check this mailbox until it is enabled.
mbx-badge-disabled-automatically-hint = Turned off after too many errors in a row. Fix the cause, then enable it.
mbx-badge-needs-sign-in = Needs sign-in
mbx-badge-needs-sign-in-hint = Sign in again in the browser.
mbx-adding-not-allowed = Your administrator has not allowed adding mailboxes. Ask them for help.

## One mailbox's details (MailboxDetails.svelte).

mbx-never = never
mbx-none = none
mbx-actions = Actions
mbx-enable = Enable
mbx-disable = Disable
mbx-set-default = Set as default
mbx-rename = Rename or describe
mbx-name = Name
mbx-description = Description
mbx-field-last-check = Last check
mbx-field-last-success = Last successful check
mbx-field-incoming-worked = Incoming worked
mbx-field-outgoing-worked = Outgoing worked
mbx-no-outgoing-server = no outgoing server
mbx-field-errors-in-a-row = Errors in a row
# Before the count of failed checks in a row of each server.
mbx-incoming = incoming
mbx-outgoing = outgoing
# A counter of failed checks; 0 reads "none".
mbx-in-a-row = { $count ->
    [0] none
   *[other] { $count } in a row
}
mbx-field-modified = Last modified
mbx-not-modified = not since it was added
# After the time of the last change: who changed it ($who is a name or an account).
mbx-modified-by = by { $who }
mbx-field-incoming-error = Last incoming error
mbx-field-outgoing-error = Last outgoing error
mbx-field-waiting = Waiting until
# After the time a throttled mailbox is checked again.
mbx-server-asked-slow-down = (the server asked to slow down)
# The heading of a failed check's diagnosis; $title is the diagnosis' title.
mbx-diagnosis-summary = { $side ->
    [outgoing] Outgoing
   *[incoming] Incoming
}: { $title } — what to do
mbx-recent-checks = Recent checks
mbx-no-checks = No checks yet.
mbx-legend-worked = worked
mbx-legend-failed = failed
mbx-legend-throttled = throttled
mbx-legend-paused = paused
mbx-legend-order = oldest left, newest right
mbx-report = Report
mbx-report-title = Report for your help desk
mbx-change-title = Change this mailbox
# One mark of the check history, on hover and for screen readers: "Incoming, 5 Dec 2026, 10:04: worked in 120 ms".
# $at is the date and time, $outcome what happened (one of the mbx-outcome-… messages).
mbx-timeline-mark = { $side ->
    [outgoing] Outgoing
   *[incoming] Incoming
}, { $at }: { $outcome }
# The same with the diagnosis' code ($code, e.g. authentication_failed).
mbx-timeline-mark-code = { $side ->
    [outgoing] Outgoing
   *[incoming] Incoming
}, { $at }: { $outcome } ({ $code })
mbx-outcome-worked-in = worked in { $duration }
mbx-outcome-failed = failed
mbx-outcome-throttled = throttled (server busy)
mbx-outcome-paused = paused (no network or keychain)
# The result of "Check now" in the details, on the status line.
mbx-check-worked = Check worked.
mbx-check-not-worked = { $outcome ->
    [throttled] Check throttled (server busy)
    [paused] Check paused (no network or keychain)
   *[failed] Check failed
}: { $title }
# In place of a diagnosis' title the check did not return.
mbx-see-below = see below

## The actions on a saved mailbox (MailboxManage.svelte, mailbox-actions.svelte.ts).

mbx-check-and-save = Check and save
mbx-new-password = New password
mbx-receiving = Receiving ({ $protocol })
mbx-sending = Sending (SMTP)
# Screen-reader labels of the fields of one server; $server is "Receiving (IMAP)" or "Sending (SMTP)".
mbx-field-server = { $server }: server
mbx-field-port = { $server }: port
mbx-field-security = { $server }: security
mbx-field-login-name = { $server }: login name (optional)
# Placeholder of an empty login name: the email address is used.
mbx-login-name-placeholder = the address
mbx-reconnect = Reconnect
mbx-change-folders = Change folders
mbx-edit-settings = Edit settings
mbx-setup-again = Disconnect and set up again
mbx-password-hint = Inlet checks the new password with the server before it replaces the old one. If the server refuses it, the old one stays.
mbx-password-scope = This changes the password for receiving only: the outgoing server’s own password stays as it is (to change it, use “Disconnect and set up again”).
mbx-reconnecting = Signing in with the saved settings…
mbx-folders-hint = Inlet checks the folders you tick. Load the list the server has now to change them.
mbx-load-folders = Load folders
mbx-folders-chosen = { $chosen } of { $count ->
    [one] { $count } folder chosen.
   *[other] { $count } folders chosen.
}
mbx-save-folders = Save folders
mbx-head-server = Server
mbx-head-port = Port
mbx-head-security = Security
mbx-head-login-name = Login name
mbx-settings-hint = Inlet signs in with the new settings first. If that fails, nothing changes.
mbx-setup-again-hint = Inlet removes this mailbox (its password leaves the keychain; its history is kept) and opens the setup with its settings filled in. You type the password again there.
mbx-remove-and-setup-again = Remove and set up again
mbx-keep-it = Keep it
mbx-type-new-password = Type the new password.
mbx-password-accepted = The server accepted the new password. It is saved in the keychain in place of the old one.
mbx-reconnected = Reconnected: the server accepted the saved password. Every setting stays as it was.
mbx-choose-a-folder = Choose at least one folder.
mbx-folders-saved = Folders saved: { $count ->
    [one] { $count } folder is checked from now on.
   *[other] { $count } folders are checked from now on.
}
mbx-nothing-changed = Nothing changed yet: change a field first.
mbx-settings-saved = The servers accepted the new settings. They are saved.
