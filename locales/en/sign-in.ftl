# Signing in through the provider's page (OAuth 2.0): its diagnoses and messages
# (crates/inlet-core/src/diagnose/sign_in.rs, oauth/).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
#
# One message per diagnosis: its value is the title, `.what-happened` explains, `.what-to-do` is
# split into numbered steps at each sentence's end (so write no abbreviation with a full stop
# inside a step, like "e.g." in German "z. B.").
# $issuer: the sign-in service's address, e.g. "https://login.microsoftonline.com/common/v2.0".

## Set-up and policy.

# $provider: Google or Microsoft; $key: the setting's name in the file (not translated); $file: the policy file's path.
signin-not-set-up = Sign-in with this provider is not set up
    .what-happened = No app registration for signing in with { $provider } is set up in this copy of Inlet. An administrator must register Inlet with { $provider } (a desktop app with a loopback redirect) and set "{ $key }" under "oauth" in the policy file ({ $file }) or in Inlet's config.json.
    .what-happened-other-provider = No app registration for signing in with this provider is set up in this copy of Inlet. An administrator must register Inlet with this provider (a desktop app with a loopback redirect) and set "issuers (issuer and clientId)" under "oauth" in the policy file ({ $file }) or in Inlet's config.json.
    .what-to-do = Ask your administrator (or whoever installed Inlet) to set it up. Until then, use an app password where your provider offers one.

# $what: which setting the policy fixes.
signin-policy-locked = Your organisation's policy fixes this setting
    .what-happened = Your administrator's Inlet policy sets the { $what ->
        [tenant] Microsoft tenant
       *[client-id] client id
    } for sign-in, and another one was asked for.
    .what-to-do = Sign in without choosing a client id or tenant, or ask your administrator.

# $path: the policy file; $error: the system's or the parser's words (not translated).
signin-policy-unusable = Your administrator's Inlet policy cannot be read
    .what-happened-unreadable = The policy file { $path } is there, but it cannot be read: { $error }. Inlet does not sign in without the rules your administrator set.
    .what-happened-invalid = The policy file { $path } is there, but it is not valid: { $error }. Inlet does not sign in without the rules your administrator set.
    .what-to-do = Your administrator must correct or remove the policy file.

## The sign-in itself.

signin-busy = A sign-in is already running
    .what-happened = Inlet runs one sign-in at a time, and another one has not finished.
    .what-to-do = Finish or cancel the other sign-in, then try again.

signin-cancelled = Sign-in cancelled
    .what-happened = You stopped the sign-in. Nothing was saved.
    .what-to-do = Start the sign-in again when you are ready.

# $seconds: how long Inlet waited; "sign in with a code" is the name of the choice in the window.
signin-timed-out = The sign-in did not come back in time
    .what-happened = Inlet waited { $seconds } s for the provider's page to send you back, and it did not.
    .what-to-do = Try again and finish signing in within the time shown. If the page never sends you back (a remote session, another computer), choose "sign in with a code" instead.

signin-state-mismatch = The sign-in answer was not for this sign-in
    .what-happened = The browser came back with an answer that does not belong to the sign-in Inlet started (its state did not match), so Inlet ignored it.
    .what-to-do = Start the sign-in again from Inlet and finish it in the browser window it opens.

# $expected, $got: sign-in services' addresses.
signin-issuer-mismatch = The sign-in answer came from another provider
    .what-happened = Inlet expected the answer from { $expected }, but it says it is from { $got }, so Inlet ignored it (RFC 9207).
    .what-happened-no-issuer = Inlet expected the answer from { $expected }, but it says it is from nobody, so Inlet ignored it (RFC 9207).
    .what-to-do = Start the sign-in again. If it keeps happening, tell your administrator: something may be intercepting sign-ins.

signin-redirect-unusable = The sign-in answer could not be used
    .what-happened = The browser came back to Inlet without a sign-in result.
    .what-to-do = Start the sign-in again.

signin-issuer-unreachable = The sign-in service cannot be reached
    .what-happened = Inlet could not get an answer from { $issuer }. Your sign-in is kept.
    .what-to-do = Check that this computer is online, then try again in a few minutes.

signin-issuer-metadata = The provider's sign-in service is not set up as expected
    .what-happened = { $issuer } does not describe its sign-in the way OAuth 2.0 requires.
    .what-to-do = This is for the provider or your administrator to fix; the details are below.

signin-no-device-flow = Sign-in with a code is not offered
    .what-happened = { $issuer } does not offer sign-in with a code on another device.
    .what-to-do = Sign in with the browser on this computer instead.

signin-no-refresh-token = The provider did not let Inlet stay signed in
    .what-happened = { $issuer } signed you in but gave Inlet no lasting permission (no refresh token), so the mailbox would need a new sign-in every hour.
    .what-to-do = Sign in again and allow Inlet to keep access. If it keeps happening, your administrator may have limited it.

signin-unexpected-answer = The sign-in service's answer made no sense
    .what-happened = { $issuer } answered something Inlet could not read.
    .what-to-do = Try again later. If it keeps happening, the details below help your administrator.

## The provider refused (its OAuth error answer, read in oauth/errors.rs).

signin-denied = You declined the sign-in
    .what-happened = { $issuer } says the permission for Inlet was declined.
    .what-to-do = Sign in again and allow Inlet to read and send your mail.

signin-client-rejected = The provider does not accept this app
    .what-happened = { $issuer } does not recognise the app registration Inlet used.
    .what-to-do = An administrator must check the client id set for Inlet (policy file or config.json).

signin-scope-rejected = The app may not ask for mail access
    .what-happened = { $issuer } refused the mail permissions Inlet asked for.
    .what-to-do = An administrator must allow mail access (IMAP, POP, SMTP) for the app registration Inlet uses.

signin-consent-required = Your organisation's administrator must approve Inlet
    .what-happened = { $issuer } needs an administrator of your organisation to approve Inlet before anyone there can sign in with it. You cannot do this yourself.
    .what-to-do = Send your administrator the approval link below (admin consent). Once they approve, sign in again.

# "common" is a tenant's name (not translated).
signin-other-tenant = This account belongs to another organisation
    .what-happened = { $issuer } says the account you signed in with is not part of the organisation (tenant) this sign-in is for.
    .what-to-do = Sign in with your account of that organisation, or choose the tenant "common". Your administrator can invite the account if it should have access.

signin-conditional-access = Your organisation requires another sign-in step
    .what-happened = { $issuer } requires multi-factor authentication or blocks sign-in under your organisation's conditional-access rules.
    .what-to-do = Complete the extra step in the browser; if you are blocked, ask your administrator which device or network is allowed.

signin-app-unknown = Inlet is not known in your organisation
    .what-happened = { $issuer } says the app Inlet uses is not registered in your organisation's directory.
    .what-to-do = Your administrator must register Inlet (or set your organisation's own client id for it).

# "Allow public client flows" is the name of the setting in Microsoft Entra (English in every language).
signin-public-client-disabled = This app registration does not allow desktop sign-in
    .what-happened = { $issuer } refuses sign-in from desktop apps for this app registration (public client flows are off).
    .what-to-do = An administrator must turn on "Allow public client flows" for the app registration Inlet uses.

signin-single-tenant-app = This app works only in its own organisation
    .what-happened = { $issuer } says the app registration is for one organisation only, and the sign-in was for any account.
    .what-to-do = An administrator must set the tenant (microsoftTenant) to the organisation's, or make the registration multi-tenant.

signin-expired = Sign in again
    .what-happened = { $issuer } no longer accepts Inlet's permission for this mailbox (it was revoked, or unused for too long). Every setting is kept.
    .what-to-do = Sign in again with the browser; the mailbox keeps all its settings.

signin-blocked-by-admin = Your organisation blocks this app
    .what-happened = { $issuer } says your organisation's administrator does not allow Inlet to access this account.
    .what-to-do = Ask your administrator to allow Inlet in the Google Admin console (API controls).

signin-org-internal = This app is limited to another organisation
    .what-happened = { $issuer } says the app registration Inlet uses may only be used inside the organisation that created it.
    .what-to-do = Whoever set up Inlet must use a registration open to your organisation (or your administrator sets your own).

signin-app-unverified = Google blocks this app as unverified
    .what-happened = { $issuer } blocks the app registration Inlet uses because Google has not verified it.
    .what-to-do = Whoever set up Inlet must have the registration verified, or your administrator marks it trusted.

signin-temporarily-unavailable = The sign-in service has a temporary problem
    .what-happened = { $issuer } cannot serve the sign-in right now. Your sign-in is kept.
    .what-to-do = Wait a few minutes and try again.

signin-device-code-expired = The code ran out
    .what-happened = The code was not entered and approved in time.
    .what-to-do = Start again and enter the new code within the time shown.

signin-refused = The provider refused the sign-in
    .what-happened = { $issuer } refused the sign-in; its own words are below.
    .what-to-do = Try again. If it keeps failing, show the words below to your administrator.

## After signing in.

signin-mail-access-off = The mail server does not accept this sign-in
    .what-happened = You signed in with your provider, but the mail server refused the permission it gave: IMAP or POP may be turned off for this mailbox, or you signed in with another account than this mailbox's.
    .what-to-do = Check that you signed in with this mailbox's own account. Then turn on IMAP or POP for the mailbox (in its web settings, or ask your administrator: in Microsoft 365 it is a setting per mailbox).

## Evidence lines (for the technician); $error, $description, $uri, $url are the provider's own, not translated.

signin-evidence-answered = the issuer answered: { $error }
signin-evidence-answered-described = the issuer answered: { $error } ({ $description })
signin-evidence-explanation = the issuer's explanation: { $uri }
signin-evidence-admin-consent = admin consent: { $url }

## What the user typed, refused.

signin-unknown-grant = Inlet does not know this sign-in (it may have been let go of): sign in with the browser again.
# $tenant: what was typed; "common", "organizations", "consumers" are tenant names (not translated).
signin-tenant-invalid = "{ $tenant }" is not a Microsoft tenant: use common, organizations, consumers, the tenant's ID or its domain (contoso.onmicrosoft.com).
# $value: what was typed; $error: the URL parser's words (not translated).
signin-url-invalid = "{ $value }" is not a URL: { $error }.
signin-url-not-https = "{ $value }" must be an https:// URL: sign-in never goes over plain HTTP.

## Details shown under a sign-in diagnosis (for the technician). $url, $endpoint: addresses;
## $error: the system's or parser's words; $at: where in the answer (a JSON path); none translated.

signin-detail-not-metadata = { $url } is not issuer metadata: { $error }
# $issuer: the sign-in service the document names instead.
signin-detail-other-issuer = { $url } describes another issuer ({ $issuer })
# $name: the field of the metadata (authorization_endpoint, token_endpoint; not translated).
signin-detail-names-no = { $url } names no { $name }
# $tried: the addresses tried, each with its HTTP status.
signin-detail-no-metadata = no metadata found ({ $tried })
signin-detail-cannot-listen = cannot listen on 127.0.0.1: { $error }
signin-detail-no-code = the redirect carried no code
signin-detail-token-answer-unreadable = the token answer could not be read (at { $at })
signin-detail-answer-unreadable = the answer of { $endpoint } could not be read (at { $at })

## The page the browser shows when it comes back to Inlet (a tab in the user's browser).

signin-page-done = Signed in
    .text = You can close this tab and return to Inlet.
signin-page-failed = Sign-in did not finish
    .text = Return to Inlet to see what happened and try again.
