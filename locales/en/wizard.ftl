# The window: wizard (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

## The step indicator at the top of the wizard (StepIndicator, wizard.svelte.ts).

wiz-step-address = Email address
wiz-step-settings = Settings
wiz-step-connect = Connect
wiz-step-folders = Folders
# $number: the step's number; $total: how many steps; $title: the step's name (one of the above).
wiz-step-progress = Step { $number } of { $total } · { $title }
wiz-step-done = Done · Mailbox saved
wiz-steps-label = Progress through the setup

## Mailbox types (kinds.ts). The names (IMAP, Gmail, Microsoft 365, Exchange, POP3) are not translated.

wiz-kind-imap-blurb = Any provider or your own mail server. Keeps your folders.
wiz-kind-gmail-blurb = Gmail and Google Workspace.
wiz-kind-gmail-note = You sign in with Google in your browser; no password is typed into Inlet. An app password still works where your account allows one.
wiz-kind-microsoft365-blurb = Outlook.com and work or school accounts.
wiz-kind-microsoft365-note = You sign in with Microsoft in your browser; no password is typed into Inlet. Inlet reads mail over IMAP: your administrator may have to allow IMAP for your account.
wiz-kind-exchange-blurb = Exchange Online or your organisation’s Exchange server.
wiz-kind-exchange-note = Exchange Online: you sign in with Microsoft in your browser, and Inlet reads mail over IMAP. For an on-premises server, ask your administrator for its IMAP name.
wiz-kind-pop3-blurb = Older servers that only hand out the inbox.
wiz-kind-pop3-note = POP3 downloads only your inbox: folders and read/unread state are not synced. If your provider also offers IMAP, Inlet will tell you after connecting.
# $kind: a mailbox type's name ("IMAP", "Gmail").
wiz-kind-mailbox = { $kind } mailbox

## Servers and their security (kinds.ts, SecurityField).

# $protocol: IMAP or POP3.
wiz-side-incoming = Incoming ({ $protocol })
wiz-side-outgoing = Outgoing (SMTP)
wiz-security-tls = TLS (encrypted from the start)
wiz-security-starttls = STARTTLS (switches to encryption)
wiz-security-none = No encryption
wiz-security-label = Security
# The hint under the security choice. $port: the port number; $usual: "yes" when it is the usual choice.
wiz-security-tls-hint = { $usual ->
    [yes] The usual choice: port
   *[no] Port
} { $port }, encrypted before anything is sent.
wiz-security-starttls-hint = { $usual ->
    [yes] The usual choice: port
   *[no] Port
} { $port }, then the connection switches to encryption before you sign in.
wiz-security-none-hint = Port { $port } without encryption. Only for a server on your own network.

## Checks of what is typed (validation.ts), shown under the fields.

wiz-error-password-empty = Type your password.
wiz-error-username-spaces = A username cannot contain spaces.
# $example: a server name such as imap.example.com.
wiz-error-host-empty = Type the server name, e.g. { $example }.
# $scheme: the start of the example's name ("imap", "smtp").
wiz-error-host-scheme = Type only the server name, without { $scheme }:// or https://.
wiz-error-host-spaces = A server name cannot contain spaces.
wiz-error-host-path = Type only the server name, without a path.
wiz-error-host-address = This looks like an email address; type the server name, e.g. { $example }.
wiz-error-host-port = Put the port in the Port field, not after the server name.
# $port: the usual port number.
wiz-error-port-empty = Type the port, usually { $port }.
wiz-error-port-range = The port must be a whole number between 1 and 65535.
wiz-error-plaintext = Confirm that you understand your password will be sent unencrypted.
wiz-error-outgoing-password = Type the outgoing server’s password, or tick “Same password as incoming”.

## How each place discovery asked ended (discovery.ts, DiscoveryProgress, DiscoveryReport).

wiz-status-found = Found
wiz-status-not-found = Nothing there
wiz-status-not-offered = Not offered
wiz-status-timed-out = No answer in time
wiz-status-failed = Failed
wiz-status-cancelled = Not needed
wiz-status-skipped = Skipped
# Read out to screen readers while a place is asked, and when it was stopped.
wiz-status-looking = looking
wiz-status-stopped = stopped

## A found server, checked or not (discovery.ts, CandidateCard).

wiz-verified = Verified
wiz-not-verified = Not verified
wiz-verified-plain = The server answered, without encryption.
wiz-verified-encrypted = The server answered over an encrypted connection.
# $detail: what the check found wrong with the certificate (the engine's words).
wiz-verify-certificate = { $detail } You will see the certificate and decide when you connect.
wiz-verify-unchecked = Inlet has not checked this server; it will when you connect.
wiz-sign-in-password = Password
wiz-sign-in-browser-only = Your provider’s sign-in page only (OAuth2)
wiz-sign-in-unknown = Known when you sign in
# The login names tried: $address, the full address; $local, the part before @.
wiz-login-either = { $address }, or { $local }
wiz-incoming-mail = Incoming mail
wiz-outgoing-mail = Outgoing mail
wiz-card-login = Login
wiz-card-sign-in = Sign-in
wiz-card-found = Found
wiz-card-checked = Checked
wiz-needs-confirmation = Needs your confirmation

## Step: the kind of mailbox (TypeStep).

wiz-type-title = Connect your mailbox
wiz-type-lead = Set up by hand: choose the kind of mailbox, then type its servers. Inlet checks them and signs in; your password stays in your system keychain.
wiz-type-question = What kind of mailbox is it?

## Step: the email address (AddressStep).

wiz-address-title = What’s your email address?
wiz-address-lead = Inlet finds your mailbox’s settings, signs in and lets you choose which folders to sync. Your password or sign-in stays in your system keychain.
wiz-email-label = Email address
wiz-email-placeholder = name@example.com
wiz-address-hint = Inlet looks up your provider’s mail servers and checks that they answer. No password is sent.
wiz-providers-title = Google or Microsoft mailbox? Sign in with your provider
wiz-providers-lead = For Gmail, Google Workspace, Outlook.com and Microsoft 365. Your browser opens at the provider’s page; no password is typed into Inlet.
wiz-set-up-manually = Set up manually
wiz-find-settings = Find my settings

## Step: looking for the settings (DiscoveringStep, DiscoveryProgress).

# $domain: the address's domain ("example.com").
wiz-discovering-checking = Checking that { $domain }’s mail servers answer…
wiz-discovering-following = Looking up { $domain }’s mail settings, and where they point…
wiz-discovering-looking = Looking up { $domain }’s mail settings…
# Read out to screen readers.
wiz-discovering-say-checking = Checking the servers found…
wiz-discovering-say-looking = Looking for your settings…
# $title: the diagnosis's title, read out to screen readers.
wiz-discovering-say-problem = { $title }.
wiz-discovering-title = Looking for your settings
wiz-discovering-failed-title = Inlet could not look up your settings
wiz-discovering-failed-lead = Nothing was sent to your mail server. Here is what went wrong and what you can do.
wiz-discovering-quiet = This usually takes a few seconds. No password is sent.
wiz-press-esc = Press Esc to cancel
wiz-progress-label = Where Inlet looks

## What discovery tried, for a technician (DiscoveryReport).

wiz-report-summary = What Inlet tried
wiz-report-sources = Where Inlet looked, in order of trust
wiz-report-source = Source
wiz-report-result = Result
wiz-report-time = Time
wiz-report-details = Details
wiz-report-trace = Every question asked
wiz-report-asked = Asked
wiz-report-answer = Answer
wiz-report-copy = Copy for your help desk
# The first line of the copied text. $domain: the domain; $elapsed: how long it took ("1.2 s").
wiz-report-heading = Discovery for { $domain } ({ $elapsed })

## Step: the settings found (ProposalStep, AutodiscoverOffer).

wiz-proposal-found = Inlet found your settings
wiz-proposal-one-more = One more step
wiz-proposal-enter = Let’s enter your settings
wiz-proposal-not-found = Inlet could not find your settings
wiz-proposal-blocked-plain = A server without encryption: review it with Edit settings.
wiz-proposal-blocked-confirm = Confirm the servers to continue.
# $domain is shown in a fixed-width font.
wiz-proposal-lead-autodiscover = The mail service of { $domain } gives out its settings once you sign in with your mailbox password. Or enter them yourself.
wiz-proposal-lead-redirect = The configuration of { $domain } points to another domain. Follow it if you trust it, or enter the settings yourself.
wiz-proposal-lead-unpublished = { $domain } does not publish its mail settings, which is common for a custom domain. Enter them yourself: Inlet fills in the most likely server names to start from.
wiz-proposal-lead-problem = You can type the settings yourself: Inlet fills in the most likely server names for { $domain } to start from.
# $email is shown in a fixed-width font; $provider: Google or Microsoft.
wiz-proposal-lead-sign-in = For { $email }. Check them, then sign in with { $provider }.
wiz-proposal-lead-password = For { $email }. Check them, then continue with your password.
# After the provider's name. $how: how it was detected (the engine's words).
wiz-detected = — detected: { $how }
wiz-before-you-continue = Before you continue
# $hosts: one or two server names, shown in a fixed-width font.
wiz-confirm-question = Your domain’s mail seems to be handled by { $hosts }. Is that your email provider?
wiz-confirm-yes = Yes, that is my email provider
wiz-why-asked = Why Inlet asks
wiz-why-asked-text = Inlet sends your password only to the servers you confirm: someone who tampers with these answers could otherwise receive it.
wiz-how-you-sign-in = How you sign in
# $hosts: the server names ("a and b"); $count: how many; $provider: Google or Microsoft.
wiz-oauth-only-provider = { $hosts } { $count ->
    [one] accepts
   *[other] accept
} only sign-in through { $provider }’s page (OAuth2).
wiz-browser-opens = Your browser opens at { $provider }’s page; no password is typed into Inlet.
wiz-use-password-instead = Use a password instead (app password)
wiz-password-wont-work = A password will not work here
wiz-oauth-only-unknown = { $hosts } { $count ->
    [one] accepts
   *[other] accept
} only sign-in through your provider’s page (OAuth2). Inlet does not know which sign-in page belongs to them. If this mailbox is at Google or Microsoft, go Back and choose “Sign in with Google” or “Sign in with Microsoft”; otherwise ask your provider or administrator how mail apps sign in.
wiz-from-provider = From your provider
wiz-other-servers = Other servers found
# In the list of other servers found, after how it was found.
wiz-needs-confirmation-short = needs your confirmation
wiz-redirects-title = Your domain points elsewhere
wiz-follow-redirect = Follow this redirect
wiz-enter-by-hand = Enter settings by hand
wiz-edit-settings = Edit settings
wiz-use-password = Use a password (app password)
wiz-use-settings = Use these settings
# $domain: the domain whose Autodiscover service asks for a sign-in.
wiz-autodiscover-title = Sign in to get your settings from { $domain }
wiz-autodiscover-lead = Type the password of this mailbox. Inlet sends it only when you ask: to { $domain }’s Autodiscover service, over an encrypted connection, with your address as the user name.
wiz-autodiscover-refused = Autodiscover did not accept that password. Check it and ask again, or enter the settings by hand.
wiz-autodiscover-empty = Type the password of this mailbox.
wiz-password-label = Password
wiz-autodiscover-ask = Get my settings
# A link that could not be opened.
wiz-browser-not-opened = Your browser did not open. Copy the address above into it.

## Step: the mail servers (ServerStep).

wiz-server-title = Mail servers
# $domain: the address's domain.
wiz-server-lead-not-found = Inlet could not find the settings of { $domain } and filled in the usual names. Your provider’s help pages list the exact settings.
wiz-server-lead-not-found-no-domain = Inlet could not find the settings of your domain and filled in the usual names. Your provider’s help pages list the exact settings.
wiz-server-lead-found = Inlet filled in the settings it found for { $domain }. Change them only if your provider says otherwise.
wiz-server-lead-found-no-domain = Inlet filled in the settings it found for your address. Change them only if your provider says otherwise.
# $kind: the mailbox type's name ("Gmail").
wiz-server-lead-provider = Inlet filled in { $kind }’s servers. Change them only if your provider says otherwise.
wiz-server-lead-guessed = Inlet guessed the usual names for { $domain }. Your provider’s help pages list the exact settings.
# $protocol: IMAP or POP3.
wiz-server-lead-typed = Your provider’s help pages list these settings, often under “{ $protocol }”, “SMTP” or “other mail apps”.
wiz-server-confirm-both = Confirm both warnings to continue.
wiz-server-confirm-one = Confirm the warning to continue.
wiz-server-check-these = Check these servers before you connect
# $protocol: IMAP or POP3.
wiz-server-host = { $protocol } server
wiz-server-port = Port
wiz-outgoing-title = Outgoing mail server
wiz-smtp-enabled = Also check the outgoing server
wiz-smtp-enabled-hint = Inlet signs in to it as well, so you know sending works. No message is sent.
wiz-smtp-disabled-hint = Inlet checks only the incoming server and saves no outgoing settings.
wiz-smtp-host = SMTP server
wiz-username = Username
wiz-smtp-username-placeholder = Same as incoming
wiz-smtp-username-hint = Leave empty to use the username the incoming server accepts.
wiz-same-password = Same password as incoming
wiz-outgoing-password = Outgoing password
# For screen readers, after "Show" or "Hide".
wiz-reveal-outgoing-password = outgoing password
# $provider: Google or Microsoft.
wiz-sign-in-with = Sign in with { $provider }
wiz-connect = Connect

## Step: the account (AccountStep, PasswordField).

wiz-sign-in-title = Sign in
# $host is shown in a fixed-width font; $provider: Google or Microsoft.
wiz-sign-in-lead-browser = Inlet signs in to { $host } with your { $provider } account: your browser opens at { $provider }’s page, and the sign-in is kept in your system keychain.
wiz-sign-in-lead-password = Inlet signs in to { $host } with the password of this mailbox and keeps it in your system keychain.
wiz-change = Change
# For screen readers, after "Change".
wiz-change-address = the email address
wiz-account-title = Your account
wiz-account-lead-browser = The address of this mailbox. You sign in with { $provider } in your browser once the servers are checked.
wiz-account-lead-password = The address and password you use to read this mailbox.
wiz-no-password-typed = No password is typed into Inlet: { $provider }’s page asks for it, in your browser.
wiz-use-browser = Sign in with { $provider } in your browser instead
wiz-app-password = App password
wiz-gmail-app-password-hint = With 2-Step Verification on, Gmail accepts only an app password: Google Account → Security → App passwords.
wiz-username-hint-found = The login name your provider’s settings give. Leave empty to try your full address, then the part before @.
wiz-username-hint = Leave empty: Inlet tries your full address, then the part before @.
wiz-show = Show
wiz-hide = Hide
# For screen readers, after "Show" or "Hide".
wiz-reveal-password = password
