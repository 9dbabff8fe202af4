# The window: mailboxes (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

## Times, sizes and durations (format.ts, running-clock.svelte.ts, RelativeTime.svelte).

mbx-just-now = gerade eben
mbx-duration-ms = { $ms } ms
mbx-duration-seconds = { NUMBER($seconds, minimumFractionDigits: 1, maximumFractionDigits: 1) } s
mbx-duration-minutes = { $minutes } min { $seconds } s
mbx-running-seconds = { $seconds } s…
mbx-time-read-out = { $shown }, { $exact }

## The list of saved mailboxes (MailboxList.svelte).

mbx-list-title = Postfächer
mbx-list-label = Gespeicherte Postfächer
mbx-checking = Wird geprüft…
mbx-check-all = Alle prüfen
mbx-check-now = Jetzt prüfen
mbx-add-another = Weiteres Postfach hinzufügen
mbx-empty = Noch keine Postfächer.
mbx-empty-hint = Fügen Sie eines hinzu, damit Inlet es für Sie prüft.
mbx-loading = Wird geladen…
mbx-default = Standard
mbx-default-title = Neue E-Mails werden standardmäßig von diesem Postfach aus gesendet
mbx-not-encrypted = Nicht verschlüsselt
mbx-plaintext-title = Ihr Passwort wird unverschlüsselt { $sides ->
    [both] an den Posteingangs- und den Postausgangsserver
    [outgoing] an den Postausgangsserver
   *[incoming] an den Posteingangsserver
} übertragen.
mbx-inbox-only = nur Posteingang
mbx-folder-count = { $count ->
    [one] { $count } Ordner
   *[other] { $count } Ordner
}
mbx-trust-description = Vertraut einem Zertifikat für { $server }, Fingerabdruck { $fingerprint }
mbx-stop-trusting = Nicht mehr vertrauen
mbx-stop-trusting-label = Dem Zertifikat für { $server } nicht mehr vertrauen
mbx-checked-at = Geprüft { $time }
mbx-last-worked-at = zuletzt erfolgreich { $time }
mbx-never-checked = Noch nie geprüft
mbx-last-sent-at = zuletzt erfolgreich gesendet { $time }
mbx-last-error = Letzter Fehler: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 Fehler in Folge)
   *[other] {" "}({ $count } Fehler in Folge)
}
mbx-last-error-receiving = Empfang – letzter Fehler: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 Fehler in Folge)
   *[other] {" "}({ $count } Fehler in Folge)
}
mbx-last-error-sending = Versand – letzter Fehler: { $title }{ $count ->
    [0] {""}
    [one] {" "}(1 Fehler in Folge)
   *[other] {" "}({ $count } Fehler in Folge)
}
mbx-unknown = unbekannt
mbx-sending-fails = Senden schlägt fehl
mbx-sending-works = Senden funktioniert
mbx-sending-not-checked = Senden noch nicht geprüft
mbx-remove-label = { $email } entfernen?
mbx-remove-question = Dieses Postfach vergessen und sein Passwort aus dem Schlüsselbund löschen? Sein Verlauf bleibt erhalten und wird als entfernt markiert.
mbx-erase-history = Auch den Verlauf löschen
mbx-keep = Behalten
mbx-remove = Entfernen
mbx-remove-named = { $email } entfernen
mbx-check-now-named = Jetzt prüfen: { $name }
mbx-details = Details
mbx-details-named = Details zu { $name }
mbx-finish-in-browser = Schließen Sie die Anmeldung in Ihrem Browser ab…
mbx-no-browser = Es hat sich kein Browser geöffnet. Öffnen Sie diese Adresse in einem Browser:
mbx-sign-in-again = Erneut anmelden
mbx-sign-in-again-named = Erneut anmelden für { $email }
mbx-update-password = Passwort ändern
mbx-update-password-named = Passwort ändern für { $email }
mbx-manage = Verwalten
mbx-manage-named = { $email } verwalten
mbx-status-changed = { $name }: { $status }

## The status badges (mailbox-status.svelte.ts).

mbx-badge-working = Funktioniert
mbx-badge-working-hint = Bei der letzten Prüfung hat die Anmeldung geklappt und die Ordner wurden gelesen.
mbx-badge-failing = Fehler
mbx-badge-failing-hint = Die letzte Prüfung ist fehlgeschlagen. Öffnen Sie „Details“, um den Grund zu sehen.
mbx-badge-throttled = Gebremst
mbx-badge-throttled-hint = Der Server hat Inlet gebeten, langsamer zu machen. Prüfungen warten länger; schließen Sie andere Apps, die mit diesem Postfach verbunden sind.
mbx-badge-disabled = Ausgeschaltet
mbx-badge-disabled-hint = Inlet prüft dieses Postfach erst wieder, wenn es eingeschaltet ist.
mbx-badge-disabled-automatically-hint = Nach zu vielen Fehlern in Folge ausgeschaltet. Beheben Sie die Ursache und schalten Sie es dann wieder ein.
mbx-badge-needs-sign-in = Anmeldung nötig
mbx-badge-needs-sign-in-hint = Melden Sie sich im Browser erneut an.
mbx-adding-not-allowed = Ihr Administrator hat das Hinzufügen von Postfächern nicht erlaubt. Bitten Sie ihn um Hilfe.

## One mailbox's details (MailboxDetails.svelte).

mbx-never = nie
mbx-none = keine
mbx-actions = Aktionen
mbx-enable = Einschalten
mbx-disable = Ausschalten
mbx-set-default = Als Standard festlegen
mbx-rename = Umbenennen oder beschreiben
mbx-name = Name
mbx-description = Beschreibung
mbx-field-last-check = Letzte Prüfung
mbx-field-last-success = Letzte erfolgreiche Prüfung
mbx-field-incoming-worked = Empfang zuletzt erfolgreich
mbx-field-outgoing-worked = Versand zuletzt erfolgreich
mbx-no-outgoing-server = kein Postausgangsserver
mbx-field-errors-in-a-row = Fehler in Folge
mbx-incoming = Empfang
mbx-outgoing = Versand
mbx-in-a-row = { $count ->
    [0] keine
   *[other] { $count } in Folge
}
mbx-field-modified = Zuletzt geändert
mbx-not-modified = nicht seit dem Hinzufügen
mbx-modified-by = von { $who }
mbx-field-incoming-error = Letzter Fehler beim Empfang
mbx-field-outgoing-error = Letzter Fehler beim Versand
mbx-field-waiting = Wartet bis
mbx-server-asked-slow-down = (der Server hat gebeten, langsamer zu machen)
mbx-diagnosis-summary = { $side ->
    [outgoing] Versand
   *[incoming] Empfang
}: { $title } – was Sie tun können
mbx-recent-checks = Letzte Prüfungen
mbx-no-checks = Noch keine Prüfungen.
mbx-legend-worked = erfolgreich
mbx-legend-failed = fehlgeschlagen
mbx-legend-throttled = gebremst
mbx-legend-paused = pausiert
mbx-legend-order = älteste links, neueste rechts
mbx-report = Bericht
mbx-report-title = Bericht für Ihre IT-Abteilung
mbx-change-title = Dieses Postfach ändern
mbx-timeline-mark = { $side ->
    [outgoing] Versand
   *[incoming] Empfang
}, { $at }: { $outcome }
mbx-timeline-mark-code = { $side ->
    [outgoing] Versand
   *[incoming] Empfang
}, { $at }: { $outcome } ({ $code })
mbx-outcome-worked-in = erfolgreich in { $duration }
mbx-outcome-failed = fehlgeschlagen
mbx-outcome-throttled = gebremst (Server ausgelastet)
mbx-outcome-paused = pausiert (kein Netzwerk oder Schlüsselbund)
mbx-check-worked = Prüfung erfolgreich.
mbx-check-not-worked = { $outcome ->
    [throttled] Prüfung gebremst (Server ausgelastet)
    [paused] Prüfung pausiert (kein Netzwerk oder Schlüsselbund)
   *[failed] Prüfung fehlgeschlagen
}: { $title }
mbx-see-below = siehe unten

## The actions on a saved mailbox (MailboxManage.svelte, mailbox-actions.svelte.ts).

mbx-check-and-save = Prüfen und speichern
mbx-new-password = Neues Passwort
mbx-receiving = Empfang ({ $protocol })
mbx-sending = Versand (SMTP)
mbx-field-server = { $server }: Server
mbx-field-port = { $server }: Port
mbx-field-security = { $server }: Sicherheit
mbx-field-login-name = { $server }: Anmeldename (optional)
mbx-login-name-placeholder = die E-Mail-Adresse
mbx-reconnect = Neu verbinden
mbx-change-folders = Ordner ändern
mbx-edit-settings = Einstellungen bearbeiten
mbx-setup-again = Trennen und neu einrichten
mbx-password-hint = Inlet prüft das neue Passwort beim Server, bevor es das alte ersetzt. Lehnt der Server es ab, bleibt das alte Passwort.
mbx-password-scope = Damit ändern Sie nur das Passwort für den Empfang: Das eigene Passwort des Postausgangsservers bleibt, wie es ist (um es zu ändern, verwenden Sie „Trennen und neu einrichten“).
mbx-reconnecting = Anmeldung mit den gespeicherten Einstellungen…
mbx-folders-hint = Inlet prüft die Ordner, die Sie ankreuzen. Laden Sie die aktuelle Liste des Servers, um sie zu ändern.
mbx-load-folders = Ordner laden
mbx-folders-chosen = { $chosen } von { $count ->
    [one] { $count } Ordner ausgewählt.
   *[other] { $count } Ordnern ausgewählt.
}
mbx-save-folders = Ordner speichern
mbx-head-server = Server
mbx-head-port = Port
mbx-head-security = Sicherheit
mbx-head-login-name = Anmeldename
mbx-settings-hint = Inlet meldet sich zuerst mit den neuen Einstellungen an. Klappt das nicht, ändert sich nichts.
mbx-setup-again-hint = Inlet entfernt dieses Postfach (sein Passwort wird aus dem Schlüsselbund gelöscht, sein Verlauf bleibt erhalten) und öffnet die Einrichtung mit seinen Einstellungen. Dort geben Sie das Passwort erneut ein.
mbx-remove-and-setup-again = Entfernen und neu einrichten
mbx-keep-it = Behalten
mbx-type-new-password = Geben Sie das neue Passwort ein.
mbx-password-accepted = Der Server hat das neue Passwort angenommen. Es ist anstelle des alten im Schlüsselbund gespeichert.
mbx-reconnected = Neu verbunden: Der Server hat das gespeicherte Passwort angenommen. Alle Einstellungen bleiben, wie sie waren.
mbx-choose-a-folder = Wählen Sie mindestens einen Ordner.
mbx-folders-saved = Ordner gespeichert: { $count ->
    [one] { $count } Ordner wird
   *[other] { $count } Ordner werden
} ab jetzt geprüft.
mbx-nothing-changed = Noch nichts geändert: Ändern Sie zuerst ein Feld.
mbx-settings-saved = Die Server haben die neuen Einstellungen angenommen. Sie sind gespeichert.
