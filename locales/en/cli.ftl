# inlet-cli: what the terminal front end prints (crates/inlet-cli). The diagnoses it prints come from
# diagnoses.ftl and engine.ftl. Leading spaces are added by the program, not here (Fluent trims them).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

## Problems with the command line itself

cli-config-unusable = inlet-cli: the configuration file { $path } cannot be used.
cli-log-unwritable = inlet-cli: cannot write the log: { $error }
cli-dns-wants = inlet-cli: --dns wants HOST:PORT with an IP address, e.g. 127.0.0.1:5353
cli-connect-to-wants = inlet-cli: --connect-to wants HOST:PORT:HOST2:PORT2, got { $entry }
cli-password-or-sign-in = inlet-cli: pass the password on standard input with --password-stdin, or sign in with --sign-in browser|device
cli-new-password-stdin = inlet-cli: pass the new password on standard input with --password-stdin
cli-unknown-issuer = inlet-cli: Inlet does not know who signs in for this address: name it with --issuer google|microsoft|URL
cli-password-unreadable = inlet-cli: cannot read the password: { $error }
cli-password-prompt = Password:
cli-password-too-long = longer than { $limit } bytes
cli-sign-in-kept = inlet-cli: the sign-in stays in the keychain: { $text }
cli-mailbox-unknown = No saved mailbox has this address or number; see `inlet-cli list`.
cli-mailbox-ambiguous = Several saved mailboxes have this address; give the number `inlet-cli list` shows.

## A diagnosis, printed

cli-what-happened = What happened
cli-what-to-do = What to do
cli-provider = Provider
cli-outgoing-server = (outgoing server)
cli-incoming-server = (incoming server)
# The certificate a server presented; each value follows its label.
cli-certificate = Certificate: subject
cli-certificate-issuer = issuer
cli-certificate-valid = valid { $from } to { $to }
cli-certificate-names = names
cli-code = code

## connect and add

cli-trusting = Trusting the certificate { $fingerprint } of { $server } as asked; checking again.
# $encrypted is "yes" or "no".
cli-signed-in = Signed in to { $address } as { $username } ({ $encrypted ->
    [yes] encrypted
   *[no] NOT encrypted
}).
cli-outgoing-signed-in = Outgoing: signed in to { $address } as { $username } ({ $encrypted ->
    [yes] encrypted
   *[no] NOT encrypted
}); offers { $mechanisms }.
cli-pop3-inbox = POP3 has only the inbox: { $count ->
    [one] { $count } message waiting.
   *[other] { $count } messages waiting.
}
cli-imap-offered = This provider also offers IMAP at { $server } ({ $security }): IMAP keeps your folders and what you read in sync across devices.
cli-folders-heading = { $count } folders (delimiter { $delimiter }):
cli-folder-counts = { $messages } messages, { $unread } unread
cli-folder-not-selectable = (not selectable)
cli-test-message-sent = Test message sent to { $email }.
cli-saved = Saved as mailbox #{ $id }.

## Signing in through the browser or with a code

cli-browser-opened = Your browser was opened to sign in. If it did not show the page, open this address:
cli-browser-open-this = Open this address in a browser on this computer to sign in:
cli-browser-waiting = Waiting up to { $seconds } s for the browser to come back…
cli-device-code = On any device, open { $url } and enter the code { $code }
cli-device-or-open = (or open { $url })
cli-device-waiting = Waiting for the approval (the code works for about { $minutes } min)…
cli-exchanging = Signed in with the provider; getting the permission…

## list and untrust

cli-no-mailboxes = No saved mailboxes.
# $enabled is "yes" or "no"; $last is cli-list-last-error or nothing.
cli-list-line = #{ $id } { $email } via { $server } — { $enabled ->
    [yes] enabled
   *[no] disabled
}, { $errors } consecutive errors{ $last }
cli-list-last-error = , last error: { $title }
cli-list-browser = signs in with the browser at { $issuer } (app { $client })
cli-list-trusts = trusts the certificate on { $server } (SHA-256 { $fingerprint })
cli-untrusted = Mailbox #{ $id } no longer trusts a pinned certificate on { $server }.

## discover

cli-settings-for = Settings for { $email } (found in { $ms } ms)
cli-mailbox-type = Mailbox type: { $kind }
cli-found-provider = Provider: { $name } ({ $detected })
cli-incoming-best = Incoming (best first):
cli-outgoing-best = Outgoing (best first):
cli-verified = ✓ verified
cli-not-answered = ✗ did not answer
cli-not-checked = ? not checked
cli-login = , login { $username }
cli-sign-in-mechanisms = sign-in: { $mechanisms }
cli-needs-confirmation = needs your confirmation: { $why }
cli-from-provider = From the provider:
cli-autodiscover-wants-password =
    The domain's Autodiscover tells the settings only for your password: run again with
    --autodiscover-password-stdin if you trust it with your password.
cli-redirects-waiting = Redirects waiting for your decision (run again with --follow URL to follow one):
cli-sources = Sources:
cli-what-was-asked = What was asked:

## keep

cli-removed-erased = Mailbox #{ $id } removed, its password and its history erased.
cli-removed-kept = Mailbox #{ $id } removed and its password deleted; its history is kept.
cli-default = (default)
cli-never = never
cli-none = none
cli-unknown = unknown
cli-description = Description
cli-incoming = Incoming
cli-outgoing = Outgoing
cli-enabled = Enabled
cli-enabled-yes = yes
cli-enabled-auto-disabled = no (after too many errors in a row)
cli-enabled-no = no
cli-last-modified = Last modified: { $at } by { $who }
cli-last-check = Last check
cli-last-success-incoming = Last successful incoming
cli-last-error-incoming = Last incoming error
cli-errors-incoming = Consecutive incoming errors
cli-last-success-outgoing = Last successful outgoing
cli-last-error-outgoing = Last outgoing error
cli-errors-outgoing = Consecutive outgoing errors
cli-error-at = { $title } ({ $code }) at { $at }
cli-backing-off = Backing off after { $count } temporary failures: next check at { $at }
cli-no-checks = No checks yet.
cli-recent-checks = Recent checks (newest first):
cli-side-incoming = incoming
cli-side-outgoing = outgoing
cli-no-enabled-mailbox = No enabled mailbox to check.
cli-disabled-fix = Disabled after too many errors in a row: fix the problem below, then enable it.
cli-folders-saved = Saved: { $count } folder(s) chosen for #{ $id }.
cli-no-folders-chosen = No folders chosen: checks read INBOX.
cli-folder-messages-unseen = ({ $messages } messages, { $unseen } unseen)
cli-folder-messages = ({ $messages } messages)
cli-folder-cannot-be-chosen = [cannot be chosen]
