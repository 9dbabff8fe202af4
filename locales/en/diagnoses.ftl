# Diagnoses: the catalog of what went wrong and what to do (crates/inlet-core/src/diagnose/catalog.rs).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
#
# One message per diagnosis: its value is the title; `.what-happened` explains; each `.steps…`
# attribute is what to do, ONE NUMBERED STEP PER LINE (a translation may use more or fewer lines).
# Variables used throughout:
#   $target   the server as Inlet names it, e.g. "imap.example.com:993" (never translated)
#   $protocol IMAP, POP or SMTP
#   $provider the provider's name, e.g. "Gmail" (the `…-any-provider` forms are for an unknown one)
# "Try again" is the name of the button in the window.

## Refusals that say more than "wrong password".

diag-app-password-required = An app password is needed
    .what-happened = { $target } does not accept your account's own password in mail apps: { $provider } wants an app password, a separate password made for one app. Your password may well be right.
    .what-happened-any-provider = { $target } does not accept your account's own password in mail apps: your provider wants an app password, a separate password made for one app. Your password may well be right.
    .steps-google =
        Turn on 2-Step Verification in your Google Account (myaccount.google.com → Security).
        Create an app password there: Security → 2-Step Verification → App passwords.
        Type the app password here instead of your Google password, then choose Try again.
    .steps-yahoo =
        Sign in to your Yahoo account on the web and open Account Info → Account security.
        Choose Generate app password, and name it Inlet.
        Type the app password here instead of your Yahoo password, then choose Try again.
    .steps-aol =
        Sign in to your AOL account on the web and open Account Info → Account security.
        Choose Generate app password, and name it Inlet.
        Type the app password here instead of your AOL password, then choose Try again.
    .steps-icloud =
        Sign in to your Apple Account (account.apple.com) and open Sign-In and Security → App-Specific Passwords.
        Create a password for Inlet (two-factor authentication must be on).
        Type it here instead of your Apple Account password, then choose Try again.
    .steps-any-provider =
        Sign in to your provider's website and look for app passwords (often under Security or Account security).
        Create one for Inlet.
        Type it here instead of your usual password, then choose Try again.

diag-web-sign-in-required = Sign in on the web first
    .what-happened = { $target } wants you to sign in on { $provider }'s website before a mail app may: it saw a sign-in it wants to confirm, or its rules changed. This is not a wrong password.
    .what-happened-any-provider = { $target } wants you to sign in on your provider's website before a mail app may: it saw a sign-in it wants to confirm, or its rules changed. This is not a wrong password.
    .steps-google =
        Sign in to Gmail in a web browser on this computer, and complete any check Google asks for.
        If Google shows a security alert about a blocked sign-in, confirm that it was you.
        Come back and choose Try again within a few minutes. With 2-Step Verification on, use an app password here.
    .steps-any-provider =
        Sign in to your mailbox on your provider's website, in a browser on this computer, and complete any check it asks for.
        Come back and choose Try again within a few minutes.

# The steps name the settings pages of each provider; $protocol is IMAP or POP.
diag-protocol-disabled = { $protocol } is turned off for this mailbox
    .what-happened = { $target } accepted who you are, but { $protocol } access is turned off for this mailbox, so mail apps cannot use it. Your password is not the problem.
    .steps-gmail-pop =
        Open Gmail on the web: Settings → See all settings → Forwarding and POP/IMAP.
        Under POP download, turn on POP, and save.
        Choose Try again.
    .steps-gmail-imap =
        Open Gmail on the web: Settings → See all settings → Forwarding and POP/IMAP.
        Under IMAP access, turn on IMAP, and save.
        Choose Try again.
    .steps-google-workspace =
        Ask your Google Workspace administrator to allow { $protocol } access for your account (Admin console → Apps → Google Workspace → Gmail → End User Access).
        Once they have, choose Try again.
    .steps-outlook =
        Open Outlook.com on the web: Settings → Mail → Forwarding and IMAP, and allow { $protocol }.
        Choose Try again.
    .steps-microsoft365 =
        Ask your Microsoft 365 administrator to turn on { $protocol } for your mailbox (Exchange admin center → the mailbox → Manage email apps).
        Once they have, choose Try again.
    .steps-any-provider =
        Turn on { $protocol } access in your mailbox's settings on the web (look for "POP/IMAP" or "mail apps"), or ask your administrator to.
        If your provider offers IMAP and you chose POP (or the reverse), choose the one it offers.
        Choose Try again.

# Microsoft 365's "basic authentication" off; `-smtp` when sending is refused.
diag-basic-auth-disabled = Password sign-in is turned off by your organisation
    .what-happened-smtp = { $target } refuses to send mail for password sign-ins: authenticated SMTP (SMTP AUTH) is turned off for your organisation or for this mailbox. Your password is not the problem.
    .what-happened = { $target } refuses password sign-ins (basic authentication) for your organisation. Your password is not the problem.
    .steps-smtp =
        Ask your Microsoft 365 administrator to turn on Authenticated SMTP for this mailbox (Exchange admin center → the mailbox → Manage email apps → Authenticated SMTP), or for the organisation.
        Security defaults in Microsoft Entra ID turn it off too; the administrator decides whether it may be used.
        Once it is on, choose Try again.
    .steps =
        Ask your administrator whether mail apps may sign in with a password; Microsoft has turned it off for IMAP and POP in Exchange Online.
        Where your organisation allows it, sign in with Microsoft instead of a password.

# $said: the server's own words (not translated).
diag-password-or-sign-in-blocked = The password was refused, or password sign-in is turned off
    .what-happened = { $target } answered "{ $said }", which Microsoft sends both for a wrong password and when password sign-in for mail apps is turned off for the organisation or the mailbox. A wrong password is the more likely.
    .steps =
        Sign in to Outlook on the web (outlook.office.com) with the same address and password. If that fails too, the password is wrong: correct it here and choose Try again.
        If the web sign-in works, the password is right and password sign-in for mail apps is turned off: ask your administrator to allow IMAP, POP or SMTP sign-in for this mailbox, or sign in with Microsoft instead.

# `.wait-asked`: $minutes is how long the server asked to wait, in whole minutes (1 or more).
diag-throttled = The server is slowing this account down
    .what-happened = { $target } limits how often this account may sign in or work, and it reached the limit: too many apps or devices use it at once, or too much in a short time. Nothing you typed is wrong.
    .wait = Wait a few minutes, then choose Try again.
    .wait-asked = Wait { $minutes ->
        [one] a minute
       *[other] { $minutes } minutes
    } (the server asked for it), then choose Try again.
    .steps =
        Close other apps and devices that check this mailbox often, or disconnect services you no longer use: each one counts against the same limit.
        If it keeps happening, ask your provider about their limits.

diag-too-many-connections = Too many connections to this mailbox
    .what-happened = { $target } allows only a few connections at once to one mailbox, and other apps or devices already hold them. Nothing you typed is wrong.
    .steps =
        Close other mail apps, phones or services connected to this mailbox, or disconnect those you no longer use.
        Wait a few minutes for their connections to end, then choose Try again.

diag-bandwidth-exceeded = This account used up its daily transfer limit
    .what-happened = { $target } has paused mail-app access for this account because it downloaded or uploaded more than the provider allows in a day. Nothing you typed is wrong.
    .steps =
        Wait: the limit resets within a day (at Gmail, up to 24 hours).
        Meanwhile, stop other apps from syncing this mailbox, then choose Try again.

diag-account-disabled = This account is disabled
    .what-happened = { $target } says this account may not sign in: it was disabled by its administrator or provider. Your password is not the problem.
    .steps =
        Ask your administrator or provider why the account is disabled; the server's words are below.
        Once it is enabled again, choose Try again: nothing needs changing here.

diag-account-locked = This account is locked
    .what-happened = { $target } has locked this account, usually after too many sign-ins with a wrong password.
    .steps =
        Wait for the lock to end (often 15 to 30 minutes), or unlock the account on your provider's website.
        Check that other apps and devices do not still use an old password: they keep locking the account.
        Check the password here, then choose Try again.

diag-password-expired = Your password has expired
    .what-happened = { $target } says the password of this account has expired and must be changed before any sign-in.
    .steps =
        Change your password on your provider's website (or your organisation's password page).
        Type the new password here, then choose Try again.

diag-mailbox-in-use = Another program is using this mailbox
    .what-happened = { $target } lets only one program at a time use this mailbox, and another one has it open (POP3 locks the mailbox while a program downloads it). Nothing you typed is wrong.
    .steps =
        Close other mail programs or phones that download this mailbox, or wait until they finish.
        Choose Try again in a few minutes.

diag-not-authorized = This account may not use this mailbox
    .what-happened = { $target } accepted the sign-in, but this account is not allowed to use this mailbox.
    .steps =
        Check the username: for a shared mailbox, your administrator tells you which name to sign in with.
        Ask your administrator to give your account access to this mailbox.

diag-server-busy = The server is not taking connections right now
    .what-happened = { $target } answered, but turned the connection away at once: it is busy or being maintained.
    .steps =
        Wait a few minutes, then choose Try again.
        If it keeps happening, tell your provider; the server's words are below.

diag-connection-blocked = The server refuses this network
    .what-happened = { $target } refused to serve this computer or network by its policy (the address may be on a block list, or only some networks may use the server).
    .steps =
        Try from another network (a phone's hotspot, for example) to confirm.
        Ask your provider or administrator whether this network's address is blocked; the server's words are below.

diag-server-error = The server reported an error of its own
    .what-happened = { $target } reported a problem on its side. Nothing you typed is wrong.
    .steps =
        Choose Try again later.
        If it keeps happening, send the report to your provider: the server's words are below.

diag-sender-not-allowed = This account may not send from this address
    .what-happened = { $target } signed you in, but refused to send mail from this address for this account.
    .steps =
        Check that the mailbox's address is the one this account owns.
        To send from another address, your administrator must allow it ("Send As"), or your provider must verify it as an alias.

## Added to what happened.

# An IMAP [ALERT] (RFC 3501 7.1): the server's own words for the user, $alert not translated.
diag-server-alert = The server's message for you: "{ $alert }"
