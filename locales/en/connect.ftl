# The window: connect (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.
# The second half of the wizard (connecting, the certificate, browser sign-in, folders, saved), the
# error view around the engine's diagnoses, and the start-up problem.

## Stages of a connection, one row each in the live list (ui/src/lib/progress.ts).

conn-stage-resolving = Looking up the server
conn-stage-connecting = Connecting
conn-stage-tls = Securing the connection (TLS)
conn-stage-greeting = Waiting for the server’s greeting
conn-stage-capabilities = Reading what the server supports
conn-stage-starttls = Switching to an encrypted connection (STARTTLS)
conn-stage-signing-in = Signing in
conn-stage-listing-folders = Loading folders
conn-stage-checking-mailbox = Checking the mailbox
conn-stage-looking-for-imap = Looking for IMAP at the same provider
conn-stage-sending-test-message = Sending a test message
conn-stage-saving = Saving
# A count under a stage: $current of $total folders (or messages) so far.
conn-progress-of = { $current } of { $total }
conn-progress-so-far = { $current } so far

## The progress list.

conn-progress-label = Progress
# Read out after a stage's name.
conn-progress-running = in progress
conn-progress-done = done
conn-progress-failed = failed
conn-progress-stopped = stopped

## The Connecting step and its error view.

# $host: the incoming server's name.
conn-connecting-title = Connecting to { $host }
# $host and $outgoing: the incoming and the outgoing server's names.
conn-connecting-title-both = Connecting to { $host } and { $outgoing }
conn-cancelled-title = Connection cancelled
conn-failed-title = Inlet could not connect
conn-connected-title = Connected
conn-connected = Connected.
conn-cancelling = Cancelling…
conn-starting = Starting…
conn-press-esc = Press Esc to cancel
# $target: the server (host:port), shown in a monospace font.
conn-checking = Inlet is checking { $target } step by step. This usually takes a few seconds.
# $target and $outgoing: the incoming and the outgoing server (host:port).
conn-checking-both = Inlet is checking { $target } and { $outgoing } step by step. This usually takes a few seconds.
# $target: the server (host:port) whose certificate is shown below.
conn-lead-certificate = Nothing was saved. Look at the certificate { $target } presented, then decide.
conn-lead-one-password = Nothing was saved. Here is what went wrong and how to fix it.
conn-lead-both-failed = Nothing was saved. Both servers failed: here is what went wrong with each and how to fix it.
# $target: the server (host:port) that failed.
conn-lead-failed = Nothing was saved. Here is what went wrong with { $target } and how to fix it.
conn-lead-failed-outgoing = Nothing was saved. Here is what went wrong with the outgoing server { $target } and how to fix it.
conn-loading-folders = Loading your folders…
conn-both-refused = Both servers refused this password: correct it here, and both use it.
# The two servers in one line: "Incoming (IMAP) and Outgoing (SMTP)".
conn-both-servers = { $incoming } and { $outgoing }
# Read out when the connection failed: the server, then the diagnosis's title.
conn-announce-failed = { $server }: { $title }.
conn-announce-title = { $title }.
conn-what-tried = What Inlet tried
conn-steps-label = Connection steps
conn-back-to-settings = Back to settings
conn-type-password = Type the password.
conn-type-outgoing-password = Type the outgoing server’s password.

## The sign-in fields on the error view (SignInFix).

conn-fix-label = Sign-in
conn-fix-label-outgoing = The outgoing server’s sign-in
conn-fix-password = Password
conn-fix-app-password = App password
conn-fix-outgoing-password = Outgoing server password
# The name of what the "show" button of a password field reveals.
conn-fix-reveal = password
conn-fix-reveal-outgoing = outgoing password
conn-fix-username = Username
conn-fix-outgoing-username = Outgoing username
conn-fix-username-placeholder = your address, then the part before @
conn-fix-outgoing-username-placeholder = as incoming

## The certificate screen.

conn-cert-unknown-title = Check the fingerprint before you trust this certificate.
# $selfSigned: "yes" when the certificate signed itself.
conn-cert-unknown-body = { $selfSigned ->
    [yes] It is self-signed: no
   *[no] No
} authority your computer knows vouches for it, which is normal for some company and home servers. Compare the fingerprint below with your provider’s (help pages, or ask them). If it differs or you cannot check, do not trust it: someone may be intercepting the connection.
# $date: the day it expired.
conn-cert-expired = This certificate expired on { $date }.
# $names: the names the certificate is for; $host: the server that was asked for.
conn-cert-wrong-host = This certificate is for { $names }, not for { $host }.
conn-cert-another-server = another server
# $date: the first day it is valid.
conn-cert-not-yet-valid = This certificate is valid only from { $date }.
conn-cert-invalid = This certificate could not be verified.
# $checkClock: "yes" when the certificate is not valid yet (the computer's clock may be wrong).
conn-cert-broken-body = That is a problem for the server’s administrator to fix{ $checkClock ->
    [yes] {" "}(after you checked that your computer’s date and time are right)
   *[no] {""}
}: tell them. Trusting the certificate anyway hides the problem, and Inlet could no longer tell this server from someone intercepting the connection. Do it only if the administrator confirms the fingerprint and cannot fix it soon.
# $name: the first name the certificate is for.
conn-cert-use-name = If your provider confirms that { $name } is their server, go back and type that name instead.
# $target: host:port.
conn-cert-changed-title = The certificate of { $target } changed since you trusted it.
conn-cert-changed-body = A renewed certificate does this, and so does someone intercepting the connection to read your mail. Do not continue until your provider or administrator confirms that they replaced it.
conn-cert-new-fingerprint = New fingerprint
conn-cert-trusted-before = Trusted before
conn-cert-forgotten = Inlet no longer knows its fingerprint.
conn-cert-same = The fingerprints are the same; the server may have sent another certificate chain.
conn-cert-untrust = Remove the trusted certificate
conn-cert-untrust-hint = Do this once your provider confirms the change: Inlet connects again and, unless an authority your computer knows vouches for the new certificate, shows it to you to compare and decide.
conn-cert-new = The new certificate
# $target: host:port, shown in a monospace font.
conn-cert-fingerprint-of = SHA-256 fingerprint of the certificate { $target } presented
conn-cert-confirm-unknown = I compared the fingerprint above with my provider’s. I understand that if this is someone else’s certificate, they can read my password and mail.
conn-cert-confirm-broken = I understand this certificate failed the security checks, and that trusting it could let someone read my password and mail.
conn-cert-trust = Trust this certificate
conn-cert-tick-first = Tick the box above first.
# $target: host:port, shown in a monospace font.
conn-cert-trust-scope = Inlet will accept exactly this certificate on { $target }, and will warn you if it ever changes.

## The certificate's facts.

conn-cert-presented = The certificate the server presented
conn-cert-issued-to = Issued to
conn-cert-issued-by = Issued by
conn-cert-self-signed = Self-signed
conn-cert-valid-from = Valid from
conn-cert-not-valid-yet = Not valid yet
conn-cert-valid-until = Valid until
conn-cert-expired-badge = Expired
conn-cert-valid-for = Valid for
conn-cert-fingerprint = SHA-256 fingerprint

## "No encryption" chosen (on the Servers step).

conn-plaintext-title = Your password would travel unencrypted.
conn-plaintext-title-outgoing = Your password would travel unencrypted to the outgoing server.
# $server: the server's name, or the words of conn-plaintext-the-server.
conn-plaintext-body = Anyone on the network between you and { $server } could read it. Choose TLS or STARTTLS if the server offers either.
conn-plaintext-body-outgoing = Anyone on the network between you and { $server } could read it, and the messages you send. Choose TLS or STARTTLS if the server offers either.
conn-plaintext-the-server = the server
conn-plaintext-the-outgoing-server = the outgoing server
conn-plaintext-confirm = I understand my password will be sent unencrypted
conn-plaintext-confirm-outgoing = I understand my password will be sent unencrypted to the outgoing server

## Browser sign-in (SigningInStep, SignInButton, Countdown).

# Stands for the provider's name when it is not known.
conn-signin-your-provider = your provider
conn-signin-cancelled = Sign-in cancelled
conn-signin-failed = Sign-in did not finish
conn-signin-enter-code = Enter this code on the other device
conn-signin-finishing = Finishing sign-in…
conn-signin-finish-in-browser = Finish signing in in your browser
# $provider: "Google", "Microsoft" or a server's name.
conn-signin-asking-code = Asking { $provider } for a code…
conn-signin-opening = Opening your browser…
# Read out: $code with spaces between its characters, $address the page to enter it at.
conn-signin-announce-code = Your code is { $code }. Enter it at { $address }.
conn-signin-announce-approved = Approved. Finishing sign-in.
conn-signin-announce-opened = { $provider }’s sign-in page is open in your browser.
conn-signin-announce-no-browser = No browser could be opened. Copy the address shown.
conn-signin-lead-failed = Nothing was saved. Here is what went wrong with the sign-in at { $provider } and how to fix it.
# $email: the address, shown in a monospace font.
conn-signin-lead-code = On a phone or another computer, open the address below, type this code and sign in with { $email }.
conn-signin-the-code = the code
conn-signin-address = Address
conn-signin-the-address = the address
conn-signin-waiting = Waiting for you to approve on the other device… Inlet goes on by itself.
conn-signin-code-expires = The code expires in
conn-signin-exchanging = You approved. Inlet is collecting the sign-in from { $provider }; your folders come next.
# $email: the address, shown in a monospace font.
conn-signin-browser-opened = Inlet opened { $provider }’s sign-in page in your browser. Sign in there as { $email } and allow Inlet to read your mail; this window goes on by itself.
conn-signin-no-browser = Inlet could not open a browser. Copy this address into a browser on this computer, sign in as { $email }, and this window goes on by itself.
conn-signin-the-sign-in-address = the sign-in address
conn-signin-show-url = Show the address to copy
conn-signin-other-computer = Is the browser on another computer (a remote session)?
conn-signin-use-device = Use a code on another device
conn-signin-device-intro = { $provider } gives a code to type on another device.
conn-signin-browser-intro = { $provider }’s sign-in page opens in your browser. No password is typed into Inlet.
conn-signin-use-browser = Use this computer’s browser
conn-signin-with = Sign in with { $provider }
conn-signin-not-set-up = An administrator has to set this sign-in up first.
conn-countdown-label = Time left
# Read out by screen readers: the time left to a sign-in's deadline.
conn-countdown-minutes-seconds = { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} left
conn-countdown-minutes = { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} left
conn-countdown-seconds = { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} left

## The Folders step.

conn-role-inbox = Inbox
conn-role-sent = Sent
conn-role-drafts = Drafts
conn-role-trash = Trash
conn-role-junk = Junk
conn-role-archive = Archive
conn-role-all = All mail
conn-role-flagged = Flagged
conn-role-important = Important
# Several folder names in a sentence: $first is "Inbox, Sent", $last is "Drafts".
conn-list-and = { $first } and { $last }
conn-folders-title = Choose folders to sync
# $user: the username, in bold.
conn-folders-signed-in = Signed in as { $user }. Found { $count ->
    [one] { $count } folder
   *[other] { $count } folders
}.
# $chosen: the folders chosen for the user ("Inbox, Sent and Drafts"); $chosenCount: how many.
conn-folders-signed-in-chosen = Signed in as { $user }. Found { $count ->
    [one] { $count } folder
   *[other] { $count } folders
}; { $chosen } { $chosenCount ->
    [one] is
   *[other] are
} chosen for you.
# $server: host:port in a monospace font; $user: the username, in bold.
conn-sending-works = Sending works too: { $server } accepted { $user }.
conn-sending-works-encrypted = Sending works too: { $server } accepted { $user } over an encrypted connection.
conn-pop3-title = Your inbox
conn-pop3-signed-in = Signed in as { $user } over POP3.
# The server did not say how many messages are waiting.
conn-pop3-summary-unknown = POP3 downloads only your inbox. Folders and read/unread state are not synced.
# $count: the messages waiting.
conn-pop3-summary = { $count ->
    [0] POP3 downloads only your inbox: no messages are waiting. Folders and read/unread state are not synced.
    [one] POP3 downloads only your inbox: 1 message is waiting. Folders and read/unread state are not synced.
   *[other] POP3 downloads only your inbox: { $count } messages are waiting. Folders and read/unread state are not synced.
}
# $offer: conn-imap-offered-title, in bold; $server: host:port; $security: "TLS", "STARTTLS".
conn-imap-offered = { $offer } at { $server } ({ $security }).
conn-imap-offered-title = Your provider also offers IMAP
conn-pop3-explained = POP3 downloads the mail in your inbox to one device, and mail apps often delete it from the server afterwards, so your other devices no longer see it. IMAP keeps your mail and folders on the server and syncs what you read, flag or delete across all your devices. Switch unless you need POP3.
conn-filter-label = Filter folders
conn-filter-placeholder = Filter by name
conn-select-shown = Select shown
conn-select-all = Select all
conn-clear-shown = Clear shown
conn-select-none = Select none
conn-folders-chosen = { $chosen } of { $total } folders chosen
conn-saving = Saving…
conn-choose-one = Choose at least one folder.
conn-save-pop3-again = Try saving as POP3 again
conn-save-pop3 = Save as POP3
conn-switch-to-imap = Switch to IMAP
conn-save-again = Try saving again
conn-save-mailbox = Save mailbox

## The folder list.

conn-folders-label = Folders
conn-no-folder-matches = No folder matches.
conn-folder-messages = { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
}
conn-folder-messages-unread = { $messages ->
    [one] { $messages } message
   *[other] { $messages } messages
} · { $unread } unread
# $where: the folder's parent ("Inbox/Receipts").
conn-folder-in = , in { $where }
conn-folder-in-short = in { $where }
# $path: the folder's path.
conn-folder-holds-others = { $path }: holds other folders, has no mail of its own
conn-role-guessed = Guessed from the folder’s name
conn-role-marked = Marked by the server

## The Saved step.

conn-saved-title = Mailbox saved
conn-saved-lead = Inlet will keep an eye on it and tell you when something needs your attention.
conn-saved-address = Address
conn-saved-incoming = Incoming server
conn-saved-not-encrypted = Not encrypted
conn-saved-username = Username
conn-saved-mail = Mail
conn-saved-folders = Folders
conn-saved-inbox-only = Inbox only (POP3)
conn-saved-folders-chosen = { $count ->
    [one] { $count } folder chosen
   *[other] { $count } folders chosen
}
conn-saved-outgoing = Outgoing server
conn-saved-not-set-up = Not set up
conn-saved-outgoing-username = Outgoing username
conn-saved-trusted = Trusted certificates
# A trusted certificate's tooltip: $subject, $date the last day it is valid, $fingerprint.
conn-saved-trusted-title = { $subject }, valid until { $date }. SHA-256 { $fingerprint }
conn-saved-both-passwords = Both passwords stored in your system keychain
conn-saved-password = Password stored in your system keychain
conn-test-title = Test sending
# $email: the address; $host: the outgoing server, in a monospace font.
conn-test-hint = Inlet sends one short message from { $email } to the same address through { $host }.
conn-test-sending = Sending…
conn-test-send-another = Send another
conn-test-send = Send me a test message
conn-test-announce-sending = Sending a test message…
conn-test-announce-sent = Sent to { $address }.
conn-test-sent = Sent to { $address } — check your inbox.
conn-test-steps = Test message steps
conn-saved-go-to-list = Go to mailbox list

## The error view around a diagnosis (DiagnosisPanel). The diagnosis's own words come from diagnoses.ftl.

conn-who-you = You can fix this yourself
conn-who-administrator = Your administrator needs to fix this
conn-who-provider = Your email provider needs to fix this
# Read out before the diagnosis's code (e.g. "authentication_failed").
conn-code = Code
conn-what-to-do = What to do
# $site: the help page's site ("support.google.com").
conn-open-help = Open the help page on { $site }
# Read out after conn-open-help.
conn-open-help-in-browser = (in your browser)
conn-help-not-opened = Inlet could not open your browser. Copy the address into it:
conn-help-address = the help page’s address
conn-for-administrator = For your administrator
conn-admin-consent = An administrator of your organisation can approve Inlet for everyone at this address:
conn-admin-consent-address = the administrator’s consent address
conn-details = Details
conn-copy-details = Copy details
# The lines of "Details", for a help desk: labels before raw values.
conn-detail-code = Code: { $code }
conn-detail-server = Server: { $side }
conn-detail-stage = Stage: { $stage } ({ $code })
conn-detail-reachability = Reachability: { $explanation }
conn-detail-certificate = Certificate SHA-256: { $fingerprint }

## The help-desk report buttons (ReportActions).

conn-report-label = Report for your help desk
conn-report-copy = Copy report
conn-report-save = Save report
conn-report-save-as = Save as
conn-report-mask = Hide my address
# Read out after conn-report-mask.
conn-report-mask-more = and the server names in the report
conn-report-copied = Report copied: paste it into your message to the help desk.
conn-report-no-clipboard = Inlet could not reach the clipboard: the report is selected below, press Ctrl+C.
# Followed by the file's path.
conn-report-saved = Report saved to
# $title and $whatToDo: the diagnosis's.
conn-report-not-saved = { $title }. { $whatToDo }
conn-report-text = The report

## Copy buttons (CopyText). $what: what is copied ("the code", "the address").

conn-copied-what = Copied { $what }

## Failures the window words itself (api.ts): something other than a diagnosis arrived.

conn-unexpected-title = Inlet could not finish this step
conn-unexpected-what-happened = Something inside Inlet went wrong before the server was asked anything.
conn-unexpected-what-to-do = Try again. If it keeps happening, restart Inlet and send the details below to your help desk.
conn-unexpected-step-1 = Try again.
conn-unexpected-step-2 = If it keeps happening, restart Inlet and send the details below to your help desk.
conn-unexpected-no-message = no message
conn-cancelled-what-happened = You stopped the connection before it finished. Nothing was saved.
conn-cancelled-what-to-do = Check the settings and try again when you are ready.

## Inlet could not start (StartupProblem).

conn-startup-title = Inlet could not start
conn-startup-lead = Its configuration file has a problem, so Inlet did not connect to anything and changed nothing.
conn-startup-file = The file
conn-startup-what-is-wrong = What is wrong
conn-startup-what-to-do = What to do
# $whatToDo: the engine's advice, already in the user's language.
conn-startup-then-restart = { $whatToDo } Then close Inlet and open it again.
