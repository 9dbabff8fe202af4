# inlet-cli: what the terminal front end prints (crates/inlet-cli). The diagnoses it prints come from
# diagnoses.ftl and engine.ftl. Leading spaces are added by the program, not here (Fluent trims them).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

## Problems with the command line itself

cli-config-unusable = inlet-cli: Die Konfigurationsdatei { $path } kann nicht verwendet werden.
cli-log-unwritable = inlet-cli: Das Protokoll kann nicht geschrieben werden: { $error }
cli-dns-wants = inlet-cli: --dns erwartet HOST:PORT mit einer IP-Adresse, z. B. 127.0.0.1:5353
cli-connect-to-wants = inlet-cli: --connect-to erwartet HOST:PORT:HOST2:PORT2, erhalten: { $entry }
cli-password-or-sign-in = inlet-cli: Geben Sie das Passwort mit --password-stdin über die Standardeingabe an, oder melden Sie sich mit --sign-in browser|device an
cli-new-password-stdin = inlet-cli: Geben Sie das neue Passwort mit --password-stdin über die Standardeingabe an
cli-unknown-issuer = inlet-cli: Inlet weiß nicht, wer die Anmeldung für diese Adresse übernimmt: Nennen Sie ihn mit --issuer google|microsoft|URL
cli-password-unreadable = inlet-cli: Das Passwort kann nicht gelesen werden: { $error }
cli-password-prompt = Passwort:
cli-password-too-long = länger als { $limit } Bytes
cli-sign-in-kept = inlet-cli: Die Anmeldung bleibt im Schlüsselbund: { $text }
cli-mailbox-unknown = Kein gespeichertes Postfach hat diese Adresse oder Nummer; siehe `inlet-cli list`.
cli-mailbox-ambiguous = Mehrere gespeicherte Postfächer haben diese Adresse; geben Sie die Nummer an, die `inlet-cli list` zeigt.

## A diagnosis, printed

cli-what-happened = Was ist passiert
cli-what-to-do = Was Sie tun können
cli-provider = Anbieter
cli-outgoing-server = (Postausgangsserver)
cli-incoming-server = (Posteingangsserver)
# The certificate a server presented; each value follows its label.
cli-certificate = Zertifikat: Inhaber
cli-certificate-issuer = Aussteller
cli-certificate-valid = gültig von { $from } bis { $to }
cli-certificate-names = Namen
cli-code = Code

## connect and add

cli-trusting = Dem Zertifikat { $fingerprint } von { $server } wird wie gewünscht vertraut; es wird erneut geprüft.
# $encrypted is "yes" or "no".
cli-signed-in = Angemeldet bei { $address } als { $username } ({ $encrypted ->
    [yes] verschlüsselt
   *[no] NICHT verschlüsselt
}).
cli-outgoing-signed-in = Postausgang: angemeldet bei { $address } als { $username } ({ $encrypted ->
    [yes] verschlüsselt
   *[no] NICHT verschlüsselt
}); bietet { $mechanisms }.
cli-pop3-inbox = POP3 kennt nur den Posteingang: { $count ->
    [one] { $count } Nachricht wartet.
   *[other] { $count } Nachrichten warten.
}
cli-imap-offered = Dieser Anbieter bietet auch IMAP unter { $server } ({ $security }): IMAP hält Ihre Ordner und das Gelesene auf allen Geräten gleich.
cli-folders-heading = { $count } Ordner (Trennzeichen { $delimiter }):
cli-folder-counts = { $messages } Nachrichten, { $unread } ungelesen
cli-folder-not-selectable = (nicht auswählbar)
cli-test-message-sent = Testnachricht an { $email } gesendet.
cli-saved = Als Postfach #{ $id } gespeichert.

## Signing in through the browser or with a code

cli-browser-opened = Ihr Browser wurde zur Anmeldung geöffnet. Falls er die Seite nicht zeigt, öffnen Sie diese Adresse:
cli-browser-open-this = Öffnen Sie diese Adresse in einem Browser auf diesem Computer, um sich anzumelden:
cli-browser-waiting = Es wird bis zu { $seconds } s gewartet, bis der Browser zurückkommt…
cli-device-code = Öffnen Sie auf einem beliebigen Gerät { $url } und geben Sie den Code { $code } ein
cli-device-or-open = (oder öffnen Sie { $url })
cli-device-waiting = Warten auf die Freigabe (der Code gilt etwa { $minutes } Min.)…
cli-exchanging = Beim Anbieter angemeldet; die Berechtigung wird abgeholt…

## list and untrust

cli-no-mailboxes = Keine gespeicherten Postfächer.
# $enabled is "yes" or "no"; $last is cli-list-last-error or nothing.
cli-list-line = #{ $id } { $email } über { $server } — { $enabled ->
    [yes] aktiv
   *[no] deaktiviert
}, { $errors } Fehler in Folge{ $last }
cli-list-last-error = , letzter Fehler: { $title }
cli-list-browser = meldet sich über den Browser bei { $issuer } an (App { $client })
cli-list-trusts = vertraut dem Zertifikat auf { $server } (SHA-256 { $fingerprint })
cli-untrusted = Postfach #{ $id } vertraut keinem festgelegten Zertifikat auf { $server } mehr.

## discover

cli-settings-for = Einstellungen für { $email } (gefunden in { $ms } ms)
cli-mailbox-type = Postfachtyp: { $kind }
cli-found-provider = Anbieter: { $name } ({ $detected })
cli-incoming-best = Posteingang (beste zuerst):
cli-outgoing-best = Postausgang (beste zuerst):
cli-verified = ✓ geprüft
cli-not-answered = ✗ hat nicht geantwortet
cli-not-checked = ? nicht geprüft
cli-login = , Benutzername { $username }
cli-sign-in-mechanisms = Anmeldung: { $mechanisms }
cli-needs-confirmation = braucht Ihre Bestätigung: { $why }
cli-from-provider = Vom Anbieter:
cli-autodiscover-wants-password =
    Autodiscover der Domain nennt die Einstellungen nur gegen Ihr Passwort: Starten Sie erneut mit
    --autodiscover-password-stdin, wenn Sie ihm Ihr Passwort anvertrauen.
cli-redirects-waiting = Weiterleitungen, die auf Ihre Entscheidung warten (erneut starten mit --follow URL, um einer zu folgen):
cli-sources = Quellen:
cli-what-was-asked = Was gefragt wurde:

## keep

cli-removed-erased = Postfach #{ $id } entfernt, sein Passwort und sein Verlauf gelöscht.
cli-removed-kept = Postfach #{ $id } entfernt und sein Passwort gelöscht; sein Verlauf bleibt erhalten.
cli-default = (Standard)
cli-never = nie
cli-none = keiner
cli-unknown = unbekannt
cli-description = Beschreibung
cli-incoming = Posteingang
cli-outgoing = Postausgang
cli-enabled = Aktiv
cli-enabled-yes = ja
cli-enabled-auto-disabled = nein (nach zu vielen Fehlern in Folge)
cli-enabled-no = nein
cli-last-modified = Zuletzt geändert: { $at } von { $who }
cli-last-check = Letzte Prüfung
cli-last-success-incoming = Letzter Erfolg Posteingang
cli-last-error-incoming = Letzter Fehler Posteingang
cli-errors-incoming = Fehler in Folge Posteingang
cli-last-success-outgoing = Letzter Erfolg Postausgang
cli-last-error-outgoing = Letzter Fehler Postausgang
cli-errors-outgoing = Fehler in Folge Postausgang
cli-error-at = { $title } ({ $code }) am { $at }
cli-backing-off = Pause nach { $count } vorübergehenden Fehlern: nächste Prüfung am { $at }
cli-no-checks = Noch keine Prüfungen.
cli-recent-checks = Letzte Prüfungen (neueste zuerst):
cli-side-incoming = Posteingang
cli-side-outgoing = Postausgang
cli-no-enabled-mailbox = Kein aktives Postfach zu prüfen.
cli-disabled-fix = Nach zu vielen Fehlern in Folge deaktiviert: Beheben Sie das Problem unten und aktivieren Sie es dann wieder.
cli-folders-saved = Gespeichert: { $count } Ordner für #{ $id } ausgewählt.
cli-no-folders-chosen = Keine Ordner ausgewählt: Prüfungen lesen INBOX.
cli-folder-messages-unseen = ({ $messages } Nachrichten, { $unseen } ungelesen)
cli-folder-messages = ({ $messages } Nachrichten)
cli-folder-cannot-be-chosen = [nicht auswählbar]
