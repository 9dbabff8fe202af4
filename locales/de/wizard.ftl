# The window: wizard (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

## The step indicator at the top of the wizard (StepIndicator, wizard.svelte.ts).

wiz-step-address = E-Mail-Adresse
wiz-step-settings = Einstellungen
wiz-step-connect = Verbinden
wiz-step-folders = Ordner
wiz-step-progress = Schritt { $number } von { $total } · { $title }
wiz-step-done = Fertig · Postfach gespeichert
wiz-steps-label = Fortschritt der Einrichtung

## Mailbox types (kinds.ts).

wiz-kind-imap-blurb = Jeder Anbieter oder Ihr eigener Mailserver. Behält Ihre Ordner.
wiz-kind-gmail-blurb = Gmail und Google Workspace.
wiz-kind-gmail-note = Sie melden sich in Ihrem Browser bei Google an; in Inlet wird kein Passwort eingegeben. Ein App-Passwort funktioniert weiterhin, wo Ihr Konto eines erlaubt.
wiz-kind-microsoft365-blurb = Outlook.com sowie Arbeits- und Schulkonten.
wiz-kind-microsoft365-note = Sie melden sich in Ihrem Browser bei Microsoft an; in Inlet wird kein Passwort eingegeben. Inlet liest E-Mails über IMAP: Ihr Administrator muss IMAP für Ihr Konto eventuell erst erlauben.
wiz-kind-exchange-blurb = Exchange Online oder der Exchange-Server Ihrer Organisation.
wiz-kind-exchange-note = Exchange Online: Sie melden sich in Ihrem Browser bei Microsoft an, und Inlet liest E-Mails über IMAP. Für einen Server im eigenen Haus fragen Sie Ihren Administrator nach dessen IMAP-Namen.
wiz-kind-pop3-blurb = Ältere Server, die nur den Posteingang herausgeben.
wiz-kind-pop3-note = POP3 lädt nur Ihren Posteingang herunter: Ordner und der Status gelesen/ungelesen werden nicht abgeglichen. Wenn Ihr Anbieter auch IMAP anbietet, sagt Inlet es Ihnen nach dem Verbinden.
wiz-kind-mailbox = { $kind }-Postfach

## Servers and their security (kinds.ts, SecurityField).

wiz-side-incoming = Posteingang ({ $protocol })
wiz-side-outgoing = Postausgang (SMTP)
wiz-security-tls = TLS (von Anfang an verschlüsselt)
wiz-security-starttls = STARTTLS (wechselt zur Verschlüsselung)
wiz-security-none = Keine Verschlüsselung
wiz-security-label = Sicherheit
wiz-security-tls-hint = { $usual ->
    [yes] Die übliche Wahl: Port
   *[no] Port
} { $port }, verschlüsselt, bevor irgendetwas gesendet wird.
wiz-security-starttls-hint = { $usual ->
    [yes] Die übliche Wahl: Port
   *[no] Port
} { $port }, dann wechselt die Verbindung zur Verschlüsselung, bevor Sie sich anmelden.
wiz-security-none-hint = Port { $port } ohne Verschlüsselung. Nur für einen Server in Ihrem eigenen Netzwerk.

## Checks of what is typed (validation.ts), shown under the fields.

wiz-error-password-empty = Geben Sie Ihr Passwort ein.
wiz-error-username-spaces = Ein Benutzername darf keine Leerzeichen enthalten.
wiz-error-host-empty = Geben Sie den Servernamen ein, z. B. { $example }.
wiz-error-host-scheme = Geben Sie nur den Servernamen ein, ohne { $scheme }:// oder https://.
wiz-error-host-spaces = Ein Servername darf keine Leerzeichen enthalten.
wiz-error-host-path = Geben Sie nur den Servernamen ein, ohne Pfad.
wiz-error-host-address = Das sieht nach einer E-Mail-Adresse aus; geben Sie den Servernamen ein, z. B. { $example }.
wiz-error-host-port = Tragen Sie den Port im Feld „Port“ ein, nicht hinter dem Servernamen.
wiz-error-port-empty = Geben Sie den Port ein, meist { $port }.
wiz-error-port-range = Der Port muss eine ganze Zahl zwischen 1 und 65535 sein.
wiz-error-plaintext = Bestätigen Sie, dass Ihr Passwort unverschlüsselt gesendet wird.
wiz-error-outgoing-password = Geben Sie das Passwort des Postausgangsservers ein, oder setzen Sie den Haken bei „Gleiches Passwort wie beim Posteingang“.

## How each place discovery asked ended (discovery.ts, DiscoveryProgress, DiscoveryReport).

wiz-status-found = Gefunden
wiz-status-not-found = Nichts gefunden
wiz-status-not-offered = Nicht angeboten
wiz-status-timed-out = Keine Antwort in der Zeit
wiz-status-failed = Fehlgeschlagen
wiz-status-cancelled = Nicht nötig
wiz-status-skipped = Übersprungen
wiz-status-looking = wird gesucht
wiz-status-stopped = abgebrochen

## A found server, checked or not (discovery.ts, CandidateCard).

wiz-verified = Geprüft
wiz-not-verified = Nicht geprüft
wiz-verified-plain = Der Server hat geantwortet, ohne Verschlüsselung.
wiz-verified-encrypted = Der Server hat über eine verschlüsselte Verbindung geantwortet.
wiz-verify-certificate = { $detail } Sie sehen das Zertifikat und entscheiden beim Verbinden.
wiz-verify-unchecked = Inlet hat diesen Server noch nicht geprüft; das geschieht beim Verbinden.
wiz-sign-in-password = Passwort
wiz-sign-in-browser-only = Nur über die Anmeldeseite Ihres Anbieters (OAuth2)
wiz-sign-in-unknown = Zeigt sich bei der Anmeldung
wiz-login-either = { $address } oder { $local }
wiz-incoming-mail = Posteingang
wiz-outgoing-mail = Postausgang
wiz-card-login = Anmeldename
wiz-card-sign-in = Anmeldung
wiz-card-found = Gefunden
wiz-card-checked = Geprüft
wiz-needs-confirmation = Braucht Ihre Bestätigung

## Step: the kind of mailbox (TypeStep).

wiz-type-title = Postfach verbinden
wiz-type-lead = Einrichtung von Hand: Wählen Sie die Art des Postfachs und geben Sie dann seine Server ein. Inlet prüft sie und meldet sich an; Ihr Passwort bleibt im Schlüsselbund Ihres Systems.
wiz-type-question = Welche Art von Postfach ist es?

## Step: the email address (AddressStep).

wiz-address-title = Wie lautet Ihre E-Mail-Adresse?
wiz-address-lead = Inlet findet die Einstellungen Ihres Postfachs, meldet sich an und lässt Sie wählen, welche Ordner abgeglichen werden. Ihr Passwort oder Ihre Anmeldung bleibt im Schlüsselbund Ihres Systems.
wiz-email-label = E-Mail-Adresse
wiz-email-placeholder = name@example.com
wiz-address-hint = Inlet sucht die Mailserver Ihres Anbieters und prüft, ob sie antworten. Es wird kein Passwort gesendet.
wiz-providers-title = Postfach bei Google oder Microsoft? Melden Sie sich bei Ihrem Anbieter an
wiz-providers-lead = Für Gmail, Google Workspace, Outlook.com und Microsoft 365. Ihr Browser öffnet die Seite des Anbieters; in Inlet wird kein Passwort eingegeben.
wiz-set-up-manually = Von Hand einrichten
wiz-find-settings = Meine Einstellungen suchen

## Step: looking for the settings (DiscoveringStep, DiscoveryProgress).

wiz-discovering-checking = Inlet prüft, ob die Mailserver von { $domain } antworten…
wiz-discovering-following = Inlet sucht die Mail-Einstellungen von { $domain } und wohin sie verweisen…
wiz-discovering-looking = Inlet sucht die Mail-Einstellungen von { $domain }…
wiz-discovering-say-checking = Die gefundenen Server werden geprüft…
wiz-discovering-say-looking = Ihre Einstellungen werden gesucht…
wiz-discovering-say-problem = { $title }.
wiz-discovering-title = Ihre Einstellungen werden gesucht
wiz-discovering-failed-title = Inlet konnte Ihre Einstellungen nicht nachschlagen
wiz-discovering-failed-lead = An Ihren Mailserver wurde nichts gesendet. Hier steht, was schiefging und was Sie tun können.
wiz-discovering-quiet = Das dauert meist nur wenige Sekunden. Es wird kein Passwort gesendet.
wiz-press-esc = Mit Esc abbrechen
wiz-progress-label = Wo Inlet sucht

## What discovery tried, for a technician (DiscoveryReport).

wiz-report-summary = Was Inlet versucht hat
wiz-report-sources = Wo Inlet gesucht hat, nach Vertrauen geordnet
wiz-report-source = Quelle
wiz-report-result = Ergebnis
wiz-report-time = Zeit
wiz-report-details = Details
wiz-report-trace = Jede gestellte Anfrage
wiz-report-asked = Gefragt
wiz-report-answer = Antwort
wiz-report-copy = Für Ihren IT-Support kopieren
wiz-report-heading = Suche nach Einstellungen für { $domain } ({ $elapsed })

## Step: the settings found (ProposalStep, AutodiscoverOffer).

wiz-proposal-found = Inlet hat Ihre Einstellungen gefunden
wiz-proposal-one-more = Noch ein Schritt
wiz-proposal-enter = Geben Sie Ihre Einstellungen ein
wiz-proposal-not-found = Inlet konnte Ihre Einstellungen nicht finden
wiz-proposal-blocked-plain = Ein Server ohne Verschlüsselung: Prüfen Sie ihn unter „Einstellungen bearbeiten“.
wiz-proposal-blocked-confirm = Bestätigen Sie die Server, um fortzufahren.
wiz-proposal-lead-autodiscover = Der Maildienst von { $domain } gibt seine Einstellungen heraus, sobald Sie sich mit dem Passwort Ihres Postfachs anmelden. Oder Sie geben sie selbst ein.
wiz-proposal-lead-redirect = Die Konfiguration von { $domain } verweist auf eine andere Domain. Folgen Sie ihr, wenn Sie ihr vertrauen, oder geben Sie die Einstellungen selbst ein.
wiz-proposal-lead-unpublished = { $domain } veröffentlicht seine Mail-Einstellungen nicht; das ist bei einer eigenen Domain üblich. Geben Sie sie selbst ein: Inlet trägt die wahrscheinlichsten Servernamen als Ausgangspunkt ein.
wiz-proposal-lead-problem = Sie können die Einstellungen selbst eingeben: Inlet trägt die wahrscheinlichsten Servernamen für { $domain } als Ausgangspunkt ein.
wiz-proposal-lead-sign-in = Für { $email }. Prüfen Sie sie und melden Sie sich dann bei { $provider } an.
wiz-proposal-lead-password = Für { $email }. Prüfen Sie sie und fahren Sie dann mit Ihrem Passwort fort.
wiz-detected = — erkannt: { $how }
wiz-before-you-continue = Bevor Sie fortfahren
wiz-confirm-question = Die E-Mails Ihrer Domain scheinen von { $hosts } bearbeitet zu werden. Ist das Ihr E-Mail-Anbieter?
wiz-confirm-yes = Ja, das ist mein E-Mail-Anbieter
wiz-why-asked = Warum Inlet fragt
wiz-why-asked-text = Inlet sendet Ihr Passwort nur an die Server, die Sie bestätigen: Wer diese Antworten manipuliert, könnte es sonst erhalten.
wiz-how-you-sign-in = Wie Sie sich anmelden
wiz-oauth-only-provider = { $hosts } { $count ->
    [one] akzeptiert
   *[other] akzeptieren
} nur die Anmeldung über die Seite von { $provider } (OAuth2).
wiz-browser-opens = Ihr Browser öffnet die Seite von { $provider }; in Inlet wird kein Passwort eingegeben.
wiz-use-password-instead = Stattdessen ein Passwort verwenden (App-Passwort)
wiz-password-wont-work = Ein Passwort funktioniert hier nicht
wiz-oauth-only-unknown = { $hosts } { $count ->
    [one] akzeptiert
   *[other] akzeptieren
} nur die Anmeldung über die Seite Ihres Anbieters (OAuth2). Inlet weiß nicht, welche Anmeldeseite dazu gehört. Wenn dieses Postfach bei Google oder Microsoft liegt, gehen Sie zurück und wählen Sie „Mit Google anmelden“ oder „Mit Microsoft anmelden“; andernfalls fragen Sie Ihren Anbieter oder Administrator, wie sich Mail-Programme anmelden.
wiz-from-provider = Von Ihrem Anbieter
wiz-other-servers = Weitere gefundene Server
wiz-needs-confirmation-short = braucht Ihre Bestätigung
wiz-redirects-title = Ihre Domain verweist anderswohin
wiz-follow-redirect = Diesem Verweis folgen
wiz-enter-by-hand = Einstellungen von Hand eingeben
wiz-edit-settings = Einstellungen bearbeiten
wiz-use-password = Ein Passwort verwenden (App-Passwort)
wiz-use-settings = Diese Einstellungen verwenden
wiz-autodiscover-title = Melden Sie sich an, um Ihre Einstellungen von { $domain } zu erhalten
wiz-autodiscover-lead = Geben Sie das Passwort dieses Postfachs ein. Inlet sendet es nur, wenn Sie darum bitten: an den Autodiscover-Dienst von { $domain }, über eine verschlüsselte Verbindung, mit Ihrer Adresse als Benutzername.
wiz-autodiscover-refused = Autodiscover hat dieses Passwort nicht angenommen. Prüfen Sie es und fragen Sie erneut, oder geben Sie die Einstellungen von Hand ein.
wiz-autodiscover-empty = Geben Sie das Passwort dieses Postfachs ein.
wiz-password-label = Passwort
wiz-autodiscover-ask = Meine Einstellungen abrufen
wiz-browser-not-opened = Ihr Browser hat sich nicht geöffnet. Kopieren Sie die Adresse oben in Ihren Browser.

## Step: the mail servers (ServerStep).

wiz-server-title = Mailserver
wiz-server-lead-not-found = Inlet konnte die Einstellungen von { $domain } nicht finden und hat die üblichen Namen eingetragen. Die Hilfeseiten Ihres Anbieters nennen die genauen Einstellungen.
wiz-server-lead-not-found-no-domain = Inlet konnte die Einstellungen Ihrer Domain nicht finden und hat die üblichen Namen eingetragen. Die Hilfeseiten Ihres Anbieters nennen die genauen Einstellungen.
wiz-server-lead-found = Inlet hat die Einstellungen eingetragen, die es für { $domain } gefunden hat. Ändern Sie sie nur, wenn Ihr Anbieter etwas anderes angibt.
wiz-server-lead-found-no-domain = Inlet hat die Einstellungen eingetragen, die es für Ihre Adresse gefunden hat. Ändern Sie sie nur, wenn Ihr Anbieter etwas anderes angibt.
wiz-server-lead-provider = Inlet hat die Server von { $kind } eingetragen. Ändern Sie sie nur, wenn Ihr Anbieter etwas anderes angibt.
wiz-server-lead-guessed = Inlet hat die üblichen Namen für { $domain } geraten. Die Hilfeseiten Ihres Anbieters nennen die genauen Einstellungen.
wiz-server-lead-typed = Die Hilfeseiten Ihres Anbieters nennen diese Einstellungen, oft unter „{ $protocol }“, „SMTP“ oder „andere Mail-Programme“.
wiz-server-confirm-both = Bestätigen Sie beide Warnungen, um fortzufahren.
wiz-server-confirm-one = Bestätigen Sie die Warnung, um fortzufahren.
wiz-server-check-these = Prüfen Sie diese Server, bevor Sie verbinden
wiz-server-host = { $protocol }-Server
wiz-server-port = Port
wiz-outgoing-title = Postausgangsserver
wiz-smtp-enabled = Auch den Postausgangsserver prüfen
wiz-smtp-enabled-hint = Inlet meldet sich auch dort an, damit Sie wissen, dass das Senden funktioniert. Es wird keine Nachricht gesendet.
wiz-smtp-disabled-hint = Inlet prüft nur den Posteingangsserver und speichert keine Einstellungen für den Postausgang.
wiz-smtp-host = SMTP-Server
wiz-username = Benutzername
wiz-smtp-username-placeholder = Wie beim Posteingang
wiz-smtp-username-hint = Leer lassen, um den Benutzernamen zu verwenden, den der Posteingangsserver akzeptiert.
wiz-same-password = Gleiches Passwort wie beim Posteingang
wiz-outgoing-password = Passwort für den Postausgang
wiz-reveal-outgoing-password = Passwort für den Postausgang
wiz-sign-in-with = Mit { $provider } anmelden
wiz-connect = Verbinden

## Step: the account (AccountStep, PasswordField).

wiz-sign-in-title = Anmelden
wiz-sign-in-lead-browser = Inlet meldet sich bei { $host } mit Ihrem { $provider }-Konto an: Ihr Browser öffnet die Seite von { $provider }, und die Anmeldung wird im Schlüsselbund Ihres Systems aufbewahrt.
wiz-sign-in-lead-password = Inlet meldet sich bei { $host } mit dem Passwort dieses Postfachs an und bewahrt es im Schlüsselbund Ihres Systems auf.
wiz-change = Ändern
wiz-change-address = die E-Mail-Adresse
wiz-account-title = Ihr Konto
wiz-account-lead-browser = Die Adresse dieses Postfachs. Sie melden sich in Ihrem Browser bei { $provider } an, sobald die Server geprüft sind.
wiz-account-lead-password = Die Adresse und das Passwort, mit denen Sie dieses Postfach lesen.
wiz-no-password-typed = In Inlet wird kein Passwort eingegeben: Die Seite von { $provider } fragt in Ihrem Browser danach.
wiz-use-browser = Stattdessen in Ihrem Browser mit { $provider } anmelden
wiz-app-password = App-Passwort
wiz-gmail-app-password-hint = Bei eingeschalteter Bestätigung in zwei Schritten akzeptiert Gmail nur ein App-Passwort: Google-Konto → Sicherheit → App-Passwörter.
wiz-username-hint-found = Der Anmeldename aus den Einstellungen Ihres Anbieters. Leer lassen, um Ihre vollständige Adresse und dann den Teil vor dem @ zu versuchen.
wiz-username-hint = Leer lassen: Inlet versucht Ihre vollständige Adresse, dann den Teil vor dem @.
wiz-show = Anzeigen
wiz-hide = Verbergen
wiz-reveal-password = Passwort
