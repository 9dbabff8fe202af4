# Inlet's engine: texts the engine writes (diagnoses, provider advice), read by the app and the CLI.
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

## Languages, named in the language of the text around them.

language-name = { $language ->
    [de] German
   *[en] English
}

## Connection stages (progress lines, the report's "Failed stage", the CLI).
# .during: the stage inside a sentence ("… did not answer within 10 s while: signing in.").

eng-stage-resolving = Looking up the server
    .during = looking up the server
eng-stage-connecting = Connecting
    .during = connecting
eng-stage-tls = Securing the connection (TLS)
    .during = securing the connection (TLS)
eng-stage-greeting = Waiting for the server's greeting
    .during = waiting for the server's greeting
eng-stage-capabilities = Reading what the server supports
    .during = reading what the server supports
eng-stage-starttls = Switching to an encrypted connection (STARTTLS)
    .during = switching to an encrypted connection (STARTTLS)
eng-stage-signing-in = Signing in
    .during = signing in
eng-stage-listing-folders = Loading folders
    .during = loading folders
eng-stage-checking-mailbox = Checking the mailbox
    .during = checking the mailbox
eng-stage-looking-for-imap = Looking for IMAP at the same provider
    .during = looking for IMAP at the same provider
eng-stage-sending-test-message = Sending a test message
    .during = sending a test message
eng-stage-saving = Saving
    .during = saving

## Diagnoses built from the engine's errors (crates/inlet-core/src/diagnose/from_error.rs).
# The value is the title; .happened says what happened, .todo what to do (one step per sentence).
# $target is a server as host:port; $stage is a connection stage (see above, its .during form).

eng-invalid-input = Please check what you typed
    .todo = Correct the highlighted field and try again.
eng-host-not-found = Server not found
    .happened = The name "{ $host }" does not lead to any server.
    .todo = Check the server name for typos. Your provider's help pages list the right one (often imap.your-domain). If it is right, check that this computer is online.
eng-connection-refused = The server refused the connection
    .happened = { $target } answered, but nothing accepts connections on that port.
    .todo = Check the port number and the security setting: IMAP usually uses 993 with TLS or 143 with STARTTLS, POP3 995 or 110.
eng-unreachable = The server cannot be reached
    .happened = No network path to { $target }.
    .todo = Check that this computer is online and that no firewall or VPN blocks mail ports.
eng-timed-out = The server did not answer in time
    .happened = { $target } did not answer within { $seconds } s while: { $stage }.
    .todo-connecting = Check the server name and port. A firewall may be silently dropping the connection.
    .todo-tls = The port may expect a different security setting (TLS on 993, STARTTLS on 143), or the server is overloaded. Check the settings, then try again later.
    .todo = The server is slow or overloaded. Try again in a few minutes.
eng-cert-untrusted = The server's certificate is not trusted
    .happened = { $target } presented a certificate that no authority this computer trusts has vouched for.
    .todo = Only continue if you know this server uses its own certificate: compare the fingerprint below with the one your administrator or provider gives you.
eng-cert-expired = The server's certificate has expired
    .happened = { $target } presented a certificate that is past its end date.
    .todo = This is for the server's administrator to fix: tell them the certificate expired. Do not work around it unless they confirm.
eng-cert-not-yet-valid = The server's certificate is not valid yet
    .happened = { $target } presented a certificate whose start date is in the future.
    .todo = Check this computer's date and time. If they are right, tell the server's administrator.
eng-cert-wrong-host = The certificate is for another server
    .happened = { $target } presented a certificate issued for other names than the one you typed.
    .todo = Use the server name the certificate lists (see below) if your provider confirms it; otherwise tell the administrator.
eng-cert-invalid = The server's certificate is not valid
    .happened = { $target } presented a certificate that could not be verified.
    .todo = Tell the server's administrator; do not connect until it is fixed.
eng-cert-changed = The server's certificate has changed
    .happened = { $target } presented a different certificate from the one you chose to trust. This can be a routine renewal, or someone intercepting the connection.
    .todo = Do not continue until you know why: ask your administrator or provider whether they replaced the certificate. If they did, remove the old trusted certificate and trust the new one after comparing its fingerprint.
eng-tls-failed = A secure connection could not be set up
    .happened = The encryption handshake with { $target } failed.
    .todo = Check the security setting for this port: TLS for 993 (IMAP) or 995 (POP3), STARTTLS for 143 or 110.
eng-starttls-not-offered = This server does not offer encryption on this port
    .happened = { $target } did not offer STARTTLS, so Inlet stopped before sending your password.
    .todo = Try TLS instead (port 993 for IMAP, 995 for POP3). If your provider really offers no encryption, ask them about it before choosing "no encryption".
eng-encryption-required = The server requires encryption
    .happened = { $target } does not accept passwords over an unencrypted connection.
    .todo = Choose TLS (port 993) or STARTTLS (port 143).
eng-plaintext-not-confirmed = Your password would be sent unencrypted
    .happened = The connection to { $target } is not encrypted, and you have not confirmed sending your password over it.
    .todo = Choose TLS or STARTTLS. Only if you understand that anyone on the network could read your password, confirm "no encryption".
# $names: the login names tried, joined by eng-auth-failed-or-as; $count: how many.
eng-auth-failed = The server did not accept the password
    .happened = { $count ->
        [0] { $target } refused to sign in.
       *[other] { $target } refused to sign in as { $names }.
    }
    .todo = Check the password (it may have been changed recently). If your account uses two-step verification, create an app password at your provider and use it here. If your username is not your email address, type it in the username field.
# Between two login names in eng-auth-failed.happened ("alice or as alice@example.com"); mind the spaces.
eng-auth-failed-or-as = { " or as " }
eng-no-sign-in-method = No sign-in method Inlet can use
    .happened = { $target } offers only sign-in methods Inlet does not support here.
    .todo = Check the security setting (some servers allow passwords only over TLS), or ask your provider which method to use.
eng-connection-closed = The server closed the connection
    .happened = { $target } hung up while: { $stage }.
    .todo = Check the port and security setting. If they are right, the server may be limiting connections; try again in a few minutes.
eng-protocol-error = The server's answer made no sense
    .happened = { $target } answered something that is not the mail protocol Inlet expected while: { $stage }.
    .todo = Check that this port is for the mail protocol you chose (IMAP 993/143, POP3 995/110).
eng-server-refused = The server refused a request
    .happened = { $target } refused a request while: { $stage }.
    .todo = The server's own words are below; your provider's support can tell what they mean.
eng-temporary-failure = The server has a temporary problem
    .happened = { $target } said it cannot serve the request right now, while: { $stage }. This is a problem on the server's side, not a wrong password.
    .todo = Nothing needs changing here: wait a few minutes and try again. If it keeps happening, tell your provider or administrator; the server's own words are below.
eng-port-expects-starttls = This port does not start with encryption
    .happened = Inlet started a secure connection (TLS) at once, but { $target } answered in plain text: this port expects STARTTLS, or no encryption.
    .todo = Choose STARTTLS for this port, or use the TLS port (993 for IMAP, 995 for POP3, 465 for SMTP). Then try again.
eng-port-expects-tls = This port expects encryption from the start
    .happened = { $target } sent nothing in plain text, but answers a secure connection (TLS) at once: this port expects SSL/TLS, not STARTTLS or no encryption.
    .todo = Choose SSL/TLS for this port, or use port 143 for STARTTLS (IMAP). Then try again.
# $path: the policy file; $message: why it cannot be used (technical, in English).
eng-policy-unusable = Your administrator's Inlet policy cannot be read
    .happened = The policy file { $path } is there, but { $message }. Inlet does not work without the rules your administrator set.
    .todo = Your administrator must correct or remove the policy file.
eng-keychain-locked = Your keychain is locked
    .happened = Inlet keeps passwords only in your system keychain, and it is locked, so nothing was saved.
    .todo = Unlock your keychain (your login keyring) and save again.
eng-keychain-unavailable = No keychain is available
    .happened = Inlet keeps passwords only in your system keychain, and none is running, so nothing was saved.
    .todo = Start your desktop's keychain (GNOME Keyring or KWallet with the Secret Service) and save again.
eng-keychain-failed = The keychain refused the password
    .happened = The system keychain reported an error, so nothing was saved.
    .todo = Try again. If it keeps failing, restart your keychain or your session.
eng-store-failed = Inlet could not save its data
    .happened = Writing the mailbox list failed; nothing was changed.
    .todo = Check that your disk is not full and that Inlet's data folder is writable.
eng-mailbox-not-found = That mailbox is not in Inlet
    .happened = No saved mailbox has the number { $id }.
    .todo = Refresh the mailbox list.
eng-already-saved = This mailbox is already connected
    .happened = { $email } with this server is already in your mailbox list.
    .todo = Open it from the mailbox list to reconnect or update its password.
eng-cancelled = Cancelled
    .happened = You stopped the connection.
    .todo = Start again when you are ready.

## Evidence lines for a technician: the labels are translated, the values after them are not.

eng-evidence-field = field: { $field }
eng-evidence-lookup = lookup of { $host }: { $message }
eng-evidence-no-answer = { $target }: no answer after { $seconds } s
eng-evidence-no-greeting = { $target }: no greeting after { $seconds } s
eng-evidence-trusted-fingerprint = trusted fingerprint: { $fingerprint }
eng-evidence-tried-usernames = tried usernames: { $names }
eng-evidence-server-said = server said: { $said }
eng-evidence-offered = offered: { $methods }
eng-evidence-mailbox-type = mailbox type: { $kind }
# $source: where the code is defined, e.g. "RFC 5530" or eng-evidence-providers-own.
eng-evidence-imap-code = IMAP response code: { $code } ({ $source })
eng-evidence-imap-code-argument = IMAP response code: { $code } { $argument } ({ $source })
eng-evidence-providers-own = provider's own
eng-evidence-pop3-code = POP3 response code: { $code } (RFC 2449, RFC 3206)
eng-evidence-smtp-enhanced = SMTP reply: { $reply }, enhanced status { $enhanced } (RFC 5321, RFC 3463)
eng-evidence-smtp-reply = SMTP reply: { $reply } (RFC 5321)

## Diagnoses the engine builds itself (crates/inlet-core/src/diagnose/mod.rs).

# $domain: the part of the address after @.
eng-settings-not-found = Settings not found
    .happened = Inlet asked every place that usually knows the mail servers of { $domain } (its own configuration, Thunderbird's provider database, DNS, the usual server names) and none of them answered with an incoming server.
    .todo = Enter the server settings by hand: your provider's help pages or your IT department list them (look for "IMAP server" or "incoming mail server"). The form is filled with the most likely names.
eng-policy-adding = Adding mailboxes is not allowed
    .todo = Ask your administrator to add the mailbox for you, or to allow adding mailboxes.
eng-policy-removing = Removing mailboxes is not allowed
    .todo = Ask your administrator to remove the mailbox for you, or to allow removing mailboxes.
# $kind: the mailbox type's technical name (imap, gmail, ...).
eng-policy-mailbox-type = This type of mailbox is not allowed
    .happened = Your administrator's policy does not allow mailboxes of the type "{ $kind }".
    .todo = Choose one of the types your administrator allows. Ask your administrator for help.
# $minimum: a TLS version ("TLS 1.3").
eng-policy-tls-version = The server's encryption is older than your administrator allows
    .happened = { $target } offers no TLS version as recent as { $minimum }, the oldest your administrator's policy allows, so Inlet did not connect.
    .todo = Ask your administrator: the mail server must offer { $minimum }, or the policy must allow an older version.
# A mailbox turned off after repeated errors. $side: incoming or outgoing; $count: errors in a row;
# $last: the last error (eng-last-error-titled, its code, or eng-last-error-unknown).
eng-mailbox-disabled = This mailbox was turned off after repeated errors
    .happened = Inlet turned off { $email } after its { $side ->
        [outgoing] outgoing
       *[incoming] incoming
    } server failed { $count ->
        [one] { $count } check
       *[other] { $count } checks
    } in a row, so it does not sign in with the stored password again and again. The last error: { $last }.
    .todo-password = Fix the cause of the last error first: { $last }. Then update the mailbox's password: Inlet checks the new one with the server and turns the mailbox on again.
    .todo-sign-in = Fix the cause of the last error first: { $last }. Then reconnect the mailbox (sign in again): it is turned on again when the sign-in works.
    .todo = Fix the cause of the last error first: { $last }. Then turn the mailbox on again (enable it) or reconnect it: its error count starts afresh.
    .evidence-count = turned off automatically after { $count } { $side } errors in a row
    .evidence-last = last { $side } error: { $last }
# $title: the last error's title; $code: its stable code (authentication_failed).
eng-last-error-titled = "{ $title }" ({ $code })
eng-last-error-unknown = an error

## Advice that names ports, rewritten for the outgoing server (SMTP: 465 TLS, 587 STARTTLS).

eng-out-connection-refused = Check the outgoing port and security setting: submission usually uses 587 with STARTTLS or 465 with TLS (port 25 is often blocked).
eng-out-timed-out-tls = The port may expect a different security setting (TLS on 465, STARTTLS on 587), or the server is overloaded. Check the outgoing settings, then try again later.
eng-out-timed-out-connecting = Check the outgoing server name and port (587 or 465). Some networks block outgoing mail ports.
eng-out-tls-failed = Check the security setting for this port: TLS for 465, STARTTLS for 587.
eng-out-starttls-not-offered = Try TLS on port 465 instead. If your provider really offers no encryption, ask them about it before choosing "no encryption".
eng-out-encryption-required = Choose STARTTLS (port 587) or TLS (port 465) for the outgoing server.
eng-out-protocol-error = Check that this port is for sending mail (SMTP submission: 587 or 465), not for receiving it.
eng-out-port-expects-starttls = Choose STARTTLS for this port (587), or use the TLS port (465).
eng-out-port-expects-tls = Choose SSL/TLS for this port (465), or use port 587 for STARTTLS. Then try again.
eng-out-auth-failed = Check the outgoing server's password: most providers use the same one as for incoming mail (tick "Same password as incoming"). If your account uses two-step verification, use an app password. If the outgoing server expects another login name, type it in the outgoing username field.

## Advice that names ports, rewritten for POP3 (995 with TLS, 110 with STARTTLS).

eng-pop-connection-refused = Check the port number and the security setting: POP3 usually uses 995 with TLS or 110 with STARTTLS.
eng-pop-timed-out-tls = The port may expect a different security setting (TLS on 995, STARTTLS on 110), or the server is overloaded. Check the settings, then try again later.
eng-pop-tls-failed = Check the security setting for this port: TLS for 995, STARTTLS for 110 (POP3).
eng-pop-starttls-not-offered = Try TLS on port 995 instead. If your provider really offers no encryption, ask them about it before choosing "no encryption".
eng-pop-encryption-required = Choose TLS (port 995) or STARTTLS (port 110).
eng-pop-protocol-error = Check that this port is for POP3 (995 with TLS, 110 with STARTTLS), not for another mail protocol.
eng-pop-port-expects-starttls = Choose STARTTLS for this port (110), or use the TLS port (995).
eng-pop-port-expects-tls = Choose SSL/TLS for this port (995), or use port 110 for STARTTLS. Then try again.

## "Same password as incoming" refused by the outgoing server.

eng-shared-password-incoming-accepted = The incoming server accepted this password, so the outgoing server wants another one or another login name: untick "Same password as incoming" and type the outgoing server's own password (or an app password), or type its login name in the outgoing username field.
eng-shared-password-incoming-refused = The incoming server refused the same password: correct the password first (the outgoing server uses it too), then try again.

## Advice for a refused sign-in, by provider (shown under the diagnosis).

eng-hint-gmail = Gmail does not take your Google password in mail apps. Sign in with Google instead (in the browser, from the first step). Or turn on 2-Step Verification in your Google Account, create an app password there (Security → 2-Step Verification → App passwords) and type it here instead of your password.
eng-hint-outlook = Microsoft has turned off password sign-in for Outlook.com (Hotmail, Live, MSN) in mail apps: every password is refused, app passwords too. Sign in with Microsoft instead (in the browser, from the first step).
eng-hint-yahoo = Yahoo Mail does not take your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and type it here.
eng-hint-aol = AOL Mail does not take your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and type it here.
eng-hint-icloud = iCloud Mail needs an app-specific password: create one in your Apple Account under Sign-In and Security → App-Specific Passwords (two-factor authentication must be on).
eng-hint-fastmail = Fastmail needs an app password for mail apps: create one under Settings → Privacy & Security.
eng-hint-gmx = Turn on POP3 and IMAP access in your mailbox settings (webmail) first. With two-factor authentication on, use an app password.
eng-hint-zoho = Turn on IMAP or POP access in Zoho Mail under Settings → Mail Accounts first. With two-factor authentication on, use an app-specific password.
eng-hint-yandex = Allow mail apps in Yandex Mail under Settings → Email clients, then use an app password.
eng-hint-mailru = Mail.ru does not take your regular password in mail apps: create a password for external applications in your account's security settings and type it here.

## The administrator's policy (the mailbox list says why "Add mailbox" is missing).

eng-policy-adding-not-allowed = Your administrator has not allowed adding mailboxes. Ask them for help.
eng-policy-removing-not-allowed = Your administrator has not allowed removing mailboxes. Ask them for help.

## What is wrong with what the person typed (shown under the field).

eng-address-empty = Type your email address.
eng-address-no-at = An email address looks like name@example.com.
eng-address-no-local-part = The part before @ is missing.
eng-address-not-a-domain = The part after @ must be a domain such as example.com.
eng-address-spaces = An email address cannot contain spaces.
# $server: host:port; $fingerprint: what is stored; $problem: why it is no fingerprint (technical).
eng-trusted-fingerprint-invalid = The certificate trusted for { $server } is not a SHA-256 fingerprint ({ $fingerprint }): { $problem }.
# $host: what was typed; $problem: too-long, slash or other; $advice: eng-type-host or eng-type-outgoing-host.
eng-host-invalid = The server name "{ $host }" { $problem ->
        [too-long] is longer than 253 characters
        [slash] contains a slash
       *[other] is not a hostname
    }. { $advice }
eng-type-host = Type the server name, e.g. imap.example.com.
eng-type-outgoing-host = Type the outgoing server name, e.g. smtp.example.com.
eng-port-out-of-range = The port must be between 1 and 65535.
eng-type-password = Type your password.
eng-type-new-password = Type the new password.
# $wanted, $given: ways to sign in ("password", "OAuth2").
eng-sign-in-method-mismatch = The settings say to sign in with { $wanted }, but { $given } was given.
eng-no-outgoing-server = This mailbox has no outgoing server to change.
eng-choose-a-folder = Choose at least one folder.
# $names: folder names as the server spells them, each in eng-quoted, joined by ", ".
eng-unknown-folders = The server has no folder that can be chosen named { $names }. Load the list to see the folders it has.
eng-quoted = "{ $text }"
eng-nothing-to-change = Nothing to change: give a new value.
eng-name-too-long = A name is one line of at most 200 characters.
eng-signs-in-with-browser = This mailbox signs in with the browser and has no password: reconnect it instead.
eng-signs-in-with-password = This mailbox signs in with a password, not with the browser: reconnect it, or update its password.

## The desktop notification when the checks turn a mailbox off.

# $mailbox: its name and address, or the address.
eng-notice-disabled-summary = Inlet turned off { $mailbox }
# $side: incoming or outgoing; $count: failed checks in a row; $why: ": " and the last error's title, or nothing.
eng-notice-disabled-body = Its { $side ->
        [outgoing] outgoing
       *[incoming] incoming
    } server failed { $count ->
        [one] { $count } check
       *[other] { $count } checks
    } in a row{ $why }. Inlet does not check it until you fix this and turn it on again.

## After a failed connection: whether other ports and hosts answer (added to "What happened").

# $server: host:port.
eng-reach-answers-now = { $server } answers now: the failure has passed. Try again.
# $open: the ports that answer ("993, 143"); $port: the one that does not.
eng-reach-port-blocked = { $host } answers on port { $open } but not on port { $port }: this network (or a firewall on the way) blocks port { $port }, or the server does not offer mail on it. Try another network, or ask its administrator to open the port; otherwise check the port in your provider's settings.
eng-reach-server-down = Other servers on the internet answer, but { $host } answers on none of its mail ports: the server is down or its name leads to the wrong address. Try again later, or ask your provider.
eng-reach-offline = No server answers, not even well-known ones: this computer is offline, or this network blocks connections out. Check the network connection (Wi-Fi, cable, VPN, a sign-in page of a public network).
eng-reach-unknown = { $host } answers on none of its mail ports.
eng-probe-open = answers
eng-probe-refused = refused
eng-probe-timed-out = no answer
eng-probe-unreachable = no route
eng-probe-not-found = name not found
# Evidence lines. $server: host:port; $result: eng-probe-*; $probes: "host:port result, ...".
eng-reach-evidence-again = reachability: { $server } asked again: { $result }
eng-reach-evidence-same-server = reachability: the same server: { $probes }
eng-reach-evidence-other-hosts = reachability: other hosts: { $probes }

## The help-desk report (Markdown for a ticket): headings and labels; the facts stay as they are.

eng-report-title = Inlet help-desk report
eng-report-address = Address
eng-report-outcome = Outcome
# $title: the diagnosis's title; $code: its stable code.
eng-report-outcome-failed = failed: { $title } (`{ $code }`)
# $checked: what was checked.
eng-report-outcome-ok = OK ({ $checked })
eng-report-checked = Checked
eng-report-app = App
eng-report-os = OS
eng-report-created = Created
eng-report-masked = The address and host names are masked.
# $side: incoming, outgoing or none (a mailbox with one server).
eng-report-diagnosis = { $side ->
        [outgoing] Diagnosis (outgoing server)
        [incoming] Diagnosis (incoming server)
       *[none] Diagnosis
    }: { $title } (`{ $code }`)
eng-report-what-happened = What happened:
eng-report-what-to-do = What to do:
eng-report-provider = Provider:
eng-report-failed-stage = Failed stage: { $stage }
eng-report-certificate = Certificate: subject { $subject }, issuer { $issuer }, valid { $from } to { $to }, SHA-256 { $fingerprint }
eng-report-evidence = Evidence:
eng-report-settings = Settings
# $protocol: IMAP or POP3; $server: host:port; $security: TLS, STARTTLS...; $login: the login name; $method: how it signs in.
eng-report-incoming = Incoming: { $protocol } { $server } ({ $security }), login { $login }, sign-in { $method }
eng-report-login-default = the address, then its local part
eng-report-outgoing = Outgoing: SMTP { $server } ({ $security }), login { $login }
eng-report-login-as-incoming = as incoming
eng-report-outgoing-none = Outgoing: none
eng-report-attempts = Connection attempts
eng-report-no-attempts = None.
# $number: 1, 2...; $server: host:port; $side: incoming or outgoing.
eng-report-attempt = { $number }. { $server } ({ $side ->
        [outgoing] outgoing
       *[incoming] incoming
    })
eng-report-attempt-failed = { $number }. { $server } ({ $side ->
        [outgoing] outgoing
       *[incoming] incoming
    }, failed at: { $stage })
eng-report-column-stage = Stage
eng-report-column-started = Started (ms)
eng-report-column-took = Took (ms)
eng-report-column-result = Result
eng-report-column-detail = Detail
eng-report-stage-done = done
eng-report-stage-failed = FAILED
eng-report-stage-unfinished = unfinished
eng-report-greeting = Greeting
eng-report-capabilities = Capabilities
# $username: the login name; $method: PLAIN, LOGIN...; $result: eng-report-sign-in-*.
eng-report-sign-in-tried = Sign-in tried: { $username } with { $method }: { $result }
eng-report-sign-in-accepted = accepted
eng-report-sign-in-refused = refused
eng-report-sign-in-failed = failed
eng-report-provider-sign-in = Sign-in with the provider
eng-report-discovery = Discovery
eng-report-column-step = Step
eng-report-column-source = Source
eng-report-column-asked = Asked
eng-report-column-ms = ms
eng-report-column-outcome = Outcome

## Finding the settings (discovery): the sources asked, and why a server was proposed.

eng-source-provider = Known providers
eng-source-autoconfig = The domain's configuration
eng-source-ispdb = Thunderbird's provider database
eng-source-autodiscover = Autodiscover
eng-source-redirect = Confirmed redirect
eng-source-srv = DNS service records
eng-source-mx = DNS mail servers (MX)
eng-source-autoconfig-http = The domain's configuration (unencrypted)
eng-source-guess = Trying usual server names
eng-source-verification = Checking the servers
# How a server will be signed in to, as far as discovery can tell.
eng-sign-in-password = password
eng-sign-in-browser-only = the provider's sign-in page only (OAuth2), not a password
eng-sign-in-unknown = not known until you sign in
# The "Checking the servers" line. $ok: how many answered; $total: how many were checked.
eng-checks-answered = { $total ->
        [one] { $ok } of { $total } server answered
       *[other] { $ok } of { $total } servers answered
    }
# $servers: host:port, ... checked while guessing.
eng-checks-while-guessing = { $servers } checked while trying usual names
# Beside each proposed server: where it came from. .provider: the same, where the provider it names is shown.
eng-found-autoconfig = from { $domain }'s own configuration
    .provider = { $domain }'s own configuration
eng-found-ispdb = from Thunderbird's provider database
    .provider = Thunderbird's provider database
eng-found-autodiscover = from { $domain }'s Autodiscover service
    .provider = { $domain }'s Autodiscover service
eng-found-autoconfig-http = from { $domain }'s configuration (unencrypted)
    .provider = { $domain }'s configuration (unencrypted)
# $host: where the domain's configuration points.
eng-found-redirect = from { $host }, where { $domain } points (you confirmed it)
    .provider = { $host }, where { $domain } points (you confirmed it)
eng-found-microsoft = from Microsoft's Autodiscover
    .provider = Microsoft's Autodiscover
# $hoster: the domain the MX record names.
eng-found-mx-hoster = from DNS: { $domain }'s mail is handled by { $hoster }
    .provider = DNS: { $domain }'s mail is handled by { $hoster }
eng-found-mx-provider = from DNS: { $domain }'s mail is at { $provider }
eng-found-srv = from DNS ({ $domain }'s service records)
eng-found-table = from Inlet's list of providers ({ $provider })
eng-found-guess-verified = guessed and verified
eng-found-guess-unverified = a usual server name, not verified: check it with your provider
# Why the person must confirm a server before Inlet uses it ("why Inlet asks").
eng-confirm-srv-outside = { $domain }'s DNS points to { $host }, which is not part of { $domain }; DNS answers can be forged
# $host: the mail server the MX record names.
eng-confirm-mx-provider = { $domain }'s mail goes to { $provider } (its MX record names { $host }); confirm that your mailbox is at { $provider }
eng-confirm-mx-hoster = { $domain }'s mail goes to { $hoster } (its MX record names { $host }); confirm that your mailbox is there
eng-confirm-unencrypted = { $domain }'s configuration came over an unencrypted connection, which anyone on the way could have changed
eng-confirm-guess = nothing confirmed this server
# How the provider was recognised.
eng-detected-mx = { $domain }'s MX records point to { $provider }
eng-detected-table = { $domain } is { $provider }'s

## Advice shown next to a provider's settings (by the provider table, crates/inlet-core/src/providers.rs).

eng-provider-hint-gmail = Google doesn't accept your regular password in mail apps: sign in with Google, or use an app password (needs 2-Step Verification). To use POP, turn it on in Gmail under Settings → Forwarding and POP/IMAP.
eng-provider-hint-google-workspace = Sign in with Google. Your organization's administrator decides whether mail apps, IMAP and POP may be used; ask them if sign-in works but mail doesn't.
eng-provider-hint-outlook = Outlook.com only lets mail apps in through Microsoft sign-in; passwords are refused. To use POP, turn it on in Outlook.com under Settings → Mail → Forwarding and IMAP.
eng-provider-hint-microsoft365 = Sign in with your work or school Microsoft account. Your organization's administrator decides whether IMAP, POP and SMTP sending are allowed; ask them if sign-in works but mail doesn't.
eng-provider-hint-yahoo = Yahoo doesn't accept your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and use it here.
eng-provider-hint-aol = AOL doesn't accept your regular password in mail apps: create an app password under Account Info → Account security → Generate app password and use it here.
eng-provider-hint-icloud = iCloud needs an app-specific password: create one in your Apple Account under Sign-In and Security → App-Specific Passwords (two-factor authentication must be on).
eng-provider-hint-fastmail = Fastmail needs an app password for mail apps: create one under Settings → Privacy & Security.
eng-provider-hint-gmx = Turn on POP3 and IMAP access in your GMX mailbox settings first. With two-factor authentication on, use an app password.
eng-provider-hint-webde = Turn on POP3 and IMAP access in your WEB.DE mailbox settings first. With two-factor authentication on, use an app password.
eng-provider-hint-zoho = Turn on IMAP or POP access in Zoho Mail under Settings → Mail Accounts. With two-factor authentication on, use an app-specific password. Accounts of an organization use imappro.zoho.com and smtppro.zoho.com.
eng-provider-hint-zoho-eu = Turn on IMAP or POP access in Zoho Mail under Settings → Mail Accounts. With two-factor authentication on, use an app-specific password. Accounts of an organization use imappro.zoho.eu and smtppro.zoho.eu.
eng-provider-hint-yandex = Allow mail apps in Yandex Mail under Settings → Email clients, then use an app password.
eng-provider-hint-mailru = Mail.ru doesn't accept your regular password in mail apps: create a password for external applications in your account's security settings and use it here.

## Checks of a request before anything is sent (crates/inlet-core/src/service).

eng-add-outgoing-first = Add an outgoing server first.
eng-type-outgoing-password = Type the outgoing server's password, or choose "same as incoming".
eng-sign-in-unknown-grant = Inlet does not know this sign-in: sign in with the browser again.
eng-sign-in-not-in-keychain = This sign-in is no longer in the keychain: sign in with the browser again.
# $server: host:port.
eng-no-trusted-certificate = This mailbox trusts no certificate for { $server }.
eng-no-password-to-give = This mailbox signs in with the browser and has no password: reconnect it with its sign-in.
eng-no-password-to-keep = A browser sign-in has no password to keep.
# A keychain failure while removing a mailbox.
eng-not-removed = Inlet keeps passwords only in your system keychain, and could not delete this mailbox's password there, so the mailbox was not removed.
    .todo-locked = Unlock your keychain (your login keyring) and remove the mailbox again.
    .todo = Make sure your keychain is running and unlocked, then remove the mailbox again.

## What Inlet tried while finding the settings: each source's line and its steps' outcomes
## (the window's "What Inlet tried" and the help-desk report). Host names, addresses, record
## values, error texts of libraries and what a server sent stay as they are.

# $ms: milliseconds (a number).
eng-step-no-answer-within = no answer within { $ms } ms
# One SRV record: $server is host:port.
eng-srv-record = { $server } (priority { $priority }, weight { $weight })
# $records: the SRV records found (eng-srv-record, joined by ", ").
eng-srv-records-dot-ignored = { $records } (and a "." target, ignored)
eng-srv-not-offered = target ".": the domain does not offer this service
eng-srv-none = no SRV records
eng-srv-summary-none = no mail service records
eng-srv-summary-not-offered = the domain says it offers no mail service here
eng-mx-null = null MX ("."): the domain accepts no mail
eng-mx-none = no MX records
eng-mx-summary-null = the domain takes no mail (null MX)
# $host: the first mail server the MX records name.
eng-mx-no-provider = MX { $host }: no provider recognised
eng-mx-own = MX { $host } is the domain's own
# $hoster: the domain of that mail server.
eng-mx-nothing-known = MX { $host }: nothing known about { $hoster }
eng-guess-none-answered = no usual server name answered
# DNS lookups. $problem: technical (in English); $code: a DNS answer code (SERVFAIL...), $meaning: its standard name.
eng-dns-invalid-name = invalid name: { $problem }
eng-dns-no-such-name = no such name (NXDOMAIN)
eng-dns-no-records = no records of this type
eng-dns-server-answered = the server answered { $code } ({ $meaning })
# A configuration document (autoconfig, Autodiscover) and what it said.
eng-doc-no-servers = a document without servers
# $types: server types Inlet does not use (e.g. "exchange, jmap").
eng-doc-only-other-servers = only servers Inlet does not speak: { $types }
# $host: the other domain's server; $domain: the domain of the address.
eng-doc-points-to-host = points to { $host }, another domain: follow only if you trust it
    .explanation = { $domain }'s configuration points to { $host }, which is not part of { $domain }. Follow it only if you know { $host } handles your mail.
eng-doc-nothing-there = nothing there
eng-doc-no-answer = no answer in time
# $email: the other address the answer names; $domain: its domain; $own: the domain of the person's address.
eng-doc-points-to-address = points to the settings of { $email }: follow only if you trust { $domain }
    .explanation = { $own }'s Autodiscover says your settings are those of { $email }. Follow it only if you know { $domain } handles your mail.
eng-doc-wants-password = the server wants your password before it tells the settings; Inlet sends it only if you agree
# Advice when the provider's configuration says mail apps must be enabled but gives no text.
eng-doc-enable-default = Enable mail app access in your account's settings first.
# A link to the provider's documentation that has no title.
eng-doc-help-page = The provider's help page
# HTTP requests (autoconfig, Autodiscover, Thunderbird's database). "HTTP 401" and the like stay.
eng-http-not-needed-autoconfig = not needed: the autoconfig host answered first
eng-http-not-needed-autodiscover = not needed: autodiscover.{ $domain } answered first
eng-http-not-https-address = { $url } is not an HTTPS address
# $problem: the parser's error (technical, in English).
eng-http-not-a-url = { $url } is not a URL: { $problem }
eng-http-ispdb-url = cannot build the ISPDB URL: { $problem }
eng-http-not-a-domain = { $domain } is not a valid domain name
eng-http-autoconfig-document = autoconfig document: { $incoming } incoming, { $outgoing } outgoing server(s)
eng-http-no-settings = no settings in the answer
# $status: an HTTP status code (3xx).
eng-http-redirect-without-location = HTTP { $status } without a usable Location
eng-http-401-wants-password = HTTP 401: the server wants your password before it tells the settings
eng-http-401-refused = HTTP 401: the server did not accept the user name and password
eng-http-401-sending = HTTP 401: the server wants the password; sending it, as agreed
# $schemes: the HTTP sign-in methods the server named (NTLM, Negotiate...).
eng-http-401-other-scheme = HTTP 401: the server wants a sign-in Inlet does not offer here ({ $schemes })
eng-http-redirect-not-https = redirect to { $url } refused: not HTTPS
# $cause: what redirected, e.g. "HTTP 302".
eng-http-redirect-other-domain = { $cause }: redirect to another domain, { $url }
eng-http-redirect = { $cause }: redirect to { $url }
eng-http-too-many-redirects = more than { $limit } redirects
# $content_type: what the server said it sent.
eng-http-not-xml = the server sent { $content_type } instead of an XML Autodiscover answer
eng-http-redirect-not-a-url = the answer redirects to { $url }, which is not a URL: { $problem }
eng-http-redirect-to-itself = the answer redirects the address to itself
eng-http-redirect-address = the server says to ask again for another address, { $email }
eng-http-not-json-type = the server sent { $content_type } instead of JSON
eng-http-exchange-not-used = not used: { $types } (Exchange's own protocols)
eng-http-spa = { $protocol } asks for Secure Password Authentication (NTLM)
eng-http-no-mail-server = the answer names no IMAP, POP3 or SMTP server
# $size: bytes, or eng-http-size-over; $limit: bytes.
eng-http-too-large = the answer is too large ({ $size } bytes; the limit is { $limit })
eng-http-size-over = over { $size }
eng-http-reading-failed = reading the answer failed: { $problem }
eng-http-invalid-json = the answer is not valid JSON: { $problem }
# $answered: the protocol the answer names; $protocol: the one asked for.
eng-http-other-protocol = the answer is for { $answered }, not { $protocol }
eng-http-no-server = the answer names no server
# $raw: what the answer gave as the server's address.
eng-http-not-a-server-address = { $raw } is not a server address: { $problem }
eng-http-not-that-server = { $raw } is not a { $protocol } server
eng-http-no-host = { $raw } names no host
eng-http-port-zero = { $raw } names port 0, where no server can listen
eng-http-not-https-url = { $url } is not an https:// URL
# $problem: why the certificate was refused (eng-http-unknown-issuer, or technical).
eng-http-certificate-refused = certificate refused: { $problem }
eng-http-unknown-issuer = issued by an unknown authority (not trusted)
# Instead of a host name when the request has none.
eng-http-the-server = the server
eng-http-no-such-name = { $host } does not exist (no such name in DNS)
eng-http-dns-no-answer = DNS gave no answer for { $host }
eng-http-lookup-failed = { $host } could not be looked up: { $problem }
eng-http-refused = { $host } refused the connection (nothing listens there)
eng-http-no-answer = { $host } did not answer in time
eng-http-cannot-connect = cannot connect to { $host }: { $problem }
# Guessing server names was left out (the person turned connecting to servers off).
eng-guess-skipped = not asked: no connections to mail servers (no probe)
eng-guess-not-asked = not asked
# What redirected, in eng-http-redirect ("HTTP 302" otherwise).
eng-http-cause-redirect-url = the answer's redirectUrl
# Why Autodiscover was not asked with the address and password (the password is never quoted).
eng-http-pox-not-an-address = the address is not an email address
eng-http-pox-user-name = the user name cannot be sent with HTTP Basic (empty, or with a colon or a control character)
eng-http-pox-password = the password cannot be sent with HTTP Basic (it has a control character)
# Checking a proposed server without signing in. $security: TLS, STARTTLS or eng-security-none;
# $offered: eng-verify-sign-in-methods or eng-verify-no-sign-in-method.
eng-verify-answered = { $protocol } server answered over { $security }; { $offered }
# $methods: what the server lists (PLAIN, LOGIN, XOAUTH2...).
eng-verify-sign-in-methods = sign-in: { $methods }
eng-verify-no-sign-in-method = no sign-in method advertised

## Words for a connection's security and a sign-in method (the CLI, the report, messages).

eng-security-none = no encryption
# Inside a sentence: "The settings say to sign in with a password".
eng-auth-password = a password
eng-auth-browser = browser sign-in

## The help-desk report: the steps of a sign-in with the provider, and what was checked.
# Step names (the report's "Step" column).

eng-trail-step-issuer = issuer
eng-trail-step-authorization = authorization endpoint
eng-trail-step-device = device authorization endpoint
eng-trail-step-token = token endpoint
eng-trail-step-token-waiting = token endpoint (waiting for the code to be typed)
eng-trail-step-redirect = redirect to Inlet
eng-trail-step-after-tokens = after the tokens
eng-trail-loopback = 127.0.0.1 (loopback)
# $page, $token, $device: web addresses of the provider.
eng-trail-endpoints = sign-in page { $page }, token endpoint { $token }
eng-trail-endpoints-device = sign-in page { $page }, token endpoint { $token }, device authorization { $device }
eng-trail-browser-opened = the browser was opened at the provider's sign-in page
eng-trail-browser-not-opened = no browser started: the address was shown to copy
eng-trail-device-code = a code to type at { $page } (the code is not shown)
eng-trail-exchanging = the browser came back with an authorization code (not shown); exchanging it
eng-trail-tokens-received = tokens received (the refresh token goes to the keychain, the access token stays in memory; neither is shown)
# What was checked (the report's "Checked:" line and "OK (…)").
eng-checked-signed-in = signed in
eng-checked-test-message = sending a test message
eng-checked-connected-only = connected without signing in
eng-checked-discovery-only = discovery only
eng-checked-provider-sign-in = signing in with the provider
eng-checked-provider-sign-in-again = signing in with the provider again
eng-checked-saving = saving the mailbox
eng-checked-loading-folders = loading the folders
eng-checked-saving-folders = saving the chosen folders
eng-checked-changed-settings = checking the changed settings
eng-checked-updating-password = updating the password
eng-checked-reconnecting = reconnecting the mailbox
# The "server" of the saving step in the report's attempts.
eng-report-this-computer = this computer (the keychain and Inlet's list of mailboxes)
