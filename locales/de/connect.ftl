# The window: connect (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.
# The second half of the wizard (connecting, the certificate, browser sign-in, folders, saved), the
# error view around the engine's diagnoses, and the start-up problem.

## Stages of a connection, one row each in the live list (ui/src/lib/progress.ts).

conn-stage-resolving = Server wird gesucht
conn-stage-connecting = Verbindung wird hergestellt
conn-stage-tls = Verbindung wird gesichert (TLS)
conn-stage-greeting = Warten auf die Begrüßung des Servers
conn-stage-capabilities = Fähigkeiten des Servers werden gelesen
conn-stage-starttls = Wechsel zu einer verschlüsselten Verbindung (STARTTLS)
conn-stage-signing-in = Anmeldung
conn-stage-listing-folders = Ordner werden geladen
conn-stage-checking-mailbox = Postfach wird geprüft
conn-stage-looking-for-imap = IMAP beim selben Anbieter wird gesucht
conn-stage-sending-test-message = Testnachricht wird gesendet
conn-stage-saving = Wird gespeichert
conn-progress-of = { $current } von { $total }
conn-progress-so-far = bisher { $current }

## The progress list.

conn-progress-label = Fortschritt
conn-progress-running = läuft
conn-progress-done = erledigt
conn-progress-failed = fehlgeschlagen
conn-progress-stopped = abgebrochen

## The Connecting step and its error view.

conn-connecting-title = Verbindung zu { $host }
conn-connecting-title-both = Verbindung zu { $host } und { $outgoing }
conn-cancelled-title = Verbindung abgebrochen
conn-failed-title = Inlet konnte keine Verbindung herstellen
conn-connected-title = Verbunden
conn-connected = Verbunden.
conn-cancelling = Wird abgebrochen…
conn-starting = Wird gestartet…
conn-press-esc = Mit Esc abbrechen
conn-checking = Inlet prüft { $target } Schritt für Schritt. Das dauert meist nur wenige Sekunden.
conn-checking-both = Inlet prüft { $target } und { $outgoing } Schritt für Schritt. Das dauert meist nur wenige Sekunden.
conn-lead-certificate = Es wurde nichts gespeichert. Sehen Sie sich das Zertifikat an, das { $target } vorgelegt hat, und entscheiden Sie dann.
conn-lead-one-password = Es wurde nichts gespeichert. Hier steht, was schiefging und wie Sie es beheben.
conn-lead-both-failed = Es wurde nichts gespeichert. Beide Server sind gescheitert: Hier steht für jeden, was schiefging und wie Sie es beheben.
conn-lead-failed = Es wurde nichts gespeichert. Hier steht, was bei { $target } schiefging und wie Sie es beheben.
conn-lead-failed-outgoing = Es wurde nichts gespeichert. Hier steht, was beim Postausgangsserver { $target } schiefging und wie Sie es beheben.
conn-loading-folders = Ihre Ordner werden geladen…
conn-both-refused = Beide Server haben dieses Passwort abgelehnt: Korrigieren Sie es hier, dann verwenden beide das neue.
conn-both-servers = { $incoming } und { $outgoing }
conn-announce-failed = { $server }: { $title }.
conn-announce-title = { $title }.
conn-what-tried = Was Inlet versucht hat
conn-steps-label = Schritte der Verbindung
conn-back-to-settings = Zurück zu den Einstellungen
conn-type-password = Geben Sie das Passwort ein.
conn-type-outgoing-password = Geben Sie das Passwort des Postausgangsservers ein.

## The sign-in fields on the error view (SignInFix).

conn-fix-label = Anmeldung
conn-fix-label-outgoing = Anmeldung am Postausgangsserver
conn-fix-password = Passwort
conn-fix-app-password = App-Passwort
conn-fix-outgoing-password = Passwort des Postausgangsservers
conn-fix-reveal = Passwort
conn-fix-reveal-outgoing = Passwort für den Postausgang
conn-fix-username = Benutzername
conn-fix-outgoing-username = Benutzername für den Postausgang
conn-fix-username-placeholder = Ihre Adresse, sonst der Teil vor dem @
conn-fix-outgoing-username-placeholder = wie beim Posteingang

## The certificate screen.

conn-cert-unknown-title = Prüfen Sie den Fingerabdruck, bevor Sie diesem Zertifikat vertrauen.
conn-cert-unknown-body = { $selfSigned ->
    [yes] Es ist selbst signiert: Keine
   *[no] Keine
} Stelle, die Ihr Computer kennt, bürgt dafür. Bei manchen Firmen- und Heimservern ist das normal. Vergleichen Sie den Fingerabdruck unten mit dem Ihres Anbieters (Hilfeseiten, oder fragen Sie nach). Weicht er ab oder können Sie ihn nicht prüfen, vertrauen Sie dem Zertifikat nicht: Womöglich fängt jemand die Verbindung ab.
conn-cert-expired = Dieses Zertifikat ist am { $date } abgelaufen.
conn-cert-wrong-host = Dieses Zertifikat gilt für { $names }, nicht für { $host }.
conn-cert-another-server = einen anderen Server
conn-cert-not-yet-valid = Dieses Zertifikat gilt erst ab dem { $date }.
conn-cert-invalid = Dieses Zertifikat konnte nicht geprüft werden.
conn-cert-broken-body = Das muss der Administrator des Servers beheben{ $checkClock ->
    [yes] {" "}(prüfen Sie vorher, ob Datum und Uhrzeit Ihres Computers stimmen)
   *[no] {""}
}: Sagen Sie ihm Bescheid. Wenn Sie dem Zertifikat trotzdem vertrauen, bleibt das Problem verborgen, und Inlet kann diesen Server nicht mehr von jemandem unterscheiden, der die Verbindung abfängt. Tun Sie das nur, wenn der Administrator den Fingerabdruck bestätigt und das Problem nicht bald beheben kann.
conn-cert-use-name = Wenn Ihr Anbieter bestätigt, dass { $name } sein Server ist, gehen Sie zurück und geben Sie stattdessen diesen Namen ein.
conn-cert-changed-title = Das Zertifikat von { $target } hat sich geändert, seit Sie ihm vertraut haben.
conn-cert-changed-body = Das passiert, wenn ein Zertifikat erneuert wird, aber auch, wenn jemand die Verbindung abfängt, um Ihre E-Mails zu lesen. Machen Sie erst weiter, wenn Ihr Anbieter oder Administrator bestätigt, dass er es ausgetauscht hat.
conn-cert-new-fingerprint = Neuer Fingerabdruck
conn-cert-trusted-before = Bisher vertraut
conn-cert-forgotten = Inlet kennt seinen Fingerabdruck nicht mehr.
conn-cert-same = Die Fingerabdrücke sind gleich; der Server hat vielleicht eine andere Zertifikatskette geschickt.
conn-cert-untrust = Vertrauenswürdiges Zertifikat entfernen
conn-cert-untrust-hint = Tun Sie das, sobald Ihr Anbieter den Austausch bestätigt: Inlet verbindet sich neu und zeigt Ihnen das neue Zertifikat zum Vergleichen und Entscheiden, sofern keine Stelle, die Ihr Computer kennt, dafür bürgt.
conn-cert-new = Das neue Zertifikat
conn-cert-fingerprint-of = SHA-256-Fingerabdruck des Zertifikats, das { $target } vorgelegt hat
conn-cert-confirm-unknown = Ich habe den Fingerabdruck oben mit dem meines Anbieters verglichen. Mir ist klar: Gehört das Zertifikat jemand anderem, kann diese Person mein Passwort und meine E-Mails lesen.
conn-cert-confirm-broken = Mir ist klar, dass dieses Zertifikat die Sicherheitsprüfung nicht bestanden hat und dass jemand mein Passwort und meine E-Mails lesen könnte, wenn ich ihm vertraue.
conn-cert-trust = Diesem Zertifikat vertrauen
conn-cert-tick-first = Setzen Sie zuerst oben das Häkchen.
conn-cert-trust-scope = Inlet akzeptiert auf { $target } genau dieses Zertifikat und warnt Sie, falls es sich jemals ändert.

## The certificate's facts.

conn-cert-presented = Das Zertifikat, das der Server vorgelegt hat
conn-cert-issued-to = Ausgestellt für
conn-cert-issued-by = Ausgestellt von
conn-cert-self-signed = Selbst signiert
conn-cert-valid-from = Gültig ab
conn-cert-not-valid-yet = Noch nicht gültig
conn-cert-valid-until = Gültig bis
conn-cert-expired-badge = Abgelaufen
conn-cert-valid-for = Gültig für
conn-cert-fingerprint = SHA-256-Fingerabdruck

## "No encryption" chosen (on the Servers step).

conn-plaintext-title = Ihr Passwort würde unverschlüsselt übertragen.
conn-plaintext-title-outgoing = Ihr Passwort würde unverschlüsselt an den Postausgangsserver übertragen.
conn-plaintext-body = Jeder im Netzwerk zwischen Ihnen und { $server } könnte es mitlesen. Wählen Sie TLS oder STARTTLS, wenn der Server eines davon anbietet.
conn-plaintext-body-outgoing = Jeder im Netzwerk zwischen Ihnen und { $server } könnte es mitlesen, ebenso die Nachrichten, die Sie senden. Wählen Sie TLS oder STARTTLS, wenn der Server eines davon anbietet.
conn-plaintext-the-server = dem Server
conn-plaintext-the-outgoing-server = dem Postausgangsserver
conn-plaintext-confirm = Mir ist klar, dass mein Passwort unverschlüsselt gesendet wird
conn-plaintext-confirm-outgoing = Mir ist klar, dass mein Passwort unverschlüsselt an den Postausgangsserver gesendet wird

## Browser sign-in (SigningInStep, SignInButton, Countdown).

conn-signin-your-provider = Ihrem Anbieter
conn-signin-cancelled = Anmeldung abgebrochen
conn-signin-failed = Anmeldung nicht abgeschlossen
conn-signin-enter-code = Geben Sie diesen Code auf dem anderen Gerät ein
conn-signin-finishing = Anmeldung wird abgeschlossen…
conn-signin-finish-in-browser = Schließen Sie die Anmeldung in Ihrem Browser ab
conn-signin-asking-code = Code wird bei { $provider } angefordert…
conn-signin-opening = Ihr Browser wird geöffnet…
conn-signin-announce-code = Ihr Code lautet { $code }. Geben Sie ihn unter { $address } ein.
conn-signin-announce-approved = Bestätigt. Die Anmeldung wird abgeschlossen.
conn-signin-announce-opened = Die Anmeldeseite von { $provider } ist in Ihrem Browser geöffnet.
conn-signin-announce-no-browser = Es konnte kein Browser geöffnet werden. Kopieren Sie die angezeigte Adresse.
conn-signin-lead-failed = Es wurde nichts gespeichert. Hier steht, was bei der Anmeldung bei { $provider } schiefging und wie Sie es beheben.
conn-signin-lead-code = Öffnen Sie auf einem Smartphone oder einem anderen Computer die Adresse unten, geben Sie diesen Code ein und melden Sie sich mit { $email } an.
conn-signin-the-code = den Code
conn-signin-address = Adresse
conn-signin-the-address = die Adresse
conn-signin-waiting = Warten auf Ihre Bestätigung auf dem anderen Gerät… Inlet macht dann von selbst weiter.
conn-signin-code-expires = Der Code läuft ab in
conn-signin-exchanging = Sie haben bestätigt. Inlet holt die Anmeldung bei { $provider } ab; danach folgen Ihre Ordner.
conn-signin-browser-opened = Inlet hat die Anmeldeseite von { $provider } in Ihrem Browser geöffnet. Melden Sie sich dort als { $email } an und erlauben Sie Inlet, Ihre E-Mails zu lesen; dieses Fenster macht von selbst weiter.
conn-signin-no-browser = Inlet konnte keinen Browser öffnen. Kopieren Sie diese Adresse in einen Browser auf diesem Computer und melden Sie sich als { $email } an; dieses Fenster macht von selbst weiter.
conn-signin-the-sign-in-address = die Anmeldeadresse
conn-signin-show-url = Adresse zum Kopieren anzeigen
conn-signin-other-computer = Läuft der Browser auf einem anderen Computer (einer Fernsitzung)?
conn-signin-use-device = Code auf einem anderen Gerät verwenden
conn-signin-device-intro = Sie erhalten von { $provider } einen Code, den Sie auf einem anderen Gerät eingeben.
conn-signin-browser-intro = Die Anmeldeseite von { $provider } öffnet sich in Ihrem Browser. In Inlet wird kein Passwort eingegeben.
conn-signin-use-browser = Browser dieses Computers verwenden
conn-signin-with = Mit { $provider } anmelden
conn-signin-not-set-up = Diese Anmeldung muss zuerst ein Administrator einrichten.
conn-countdown-label = Verbleibende Zeit
conn-countdown-minutes-seconds = noch { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
} { $seconds ->
    [one] { $seconds } Sekunde
   *[other] { $seconds } Sekunden
}
conn-countdown-minutes = noch { $minutes ->
    [one] { $minutes } Minute
   *[other] { $minutes } Minuten
}
conn-countdown-seconds = noch { $seconds ->
    [one] { $seconds } Sekunde
   *[other] { $seconds } Sekunden
}

## The Folders step.

conn-role-inbox = Posteingang
conn-role-sent = Gesendet
conn-role-drafts = Entwürfe
conn-role-trash = Papierkorb
conn-role-junk = Spam
conn-role-archive = Archiv
conn-role-all = Alle E-Mails
conn-role-flagged = Markiert
conn-role-important = Wichtig
conn-list-and = { $first } und { $last }
conn-folders-title = Ordner zum Synchronisieren wählen
conn-folders-signed-in = Angemeldet als { $user }. { $count ->
    [one] { $count } Ordner
   *[other] { $count } Ordner
} gefunden.
conn-folders-signed-in-chosen = Angemeldet als { $user }. { $count ->
    [one] { $count } Ordner
   *[other] { $count } Ordner
} gefunden; { $chosen } { $chosenCount ->
    [one] ist
   *[other] sind
} schon für Sie ausgewählt.
conn-sending-works = Senden klappt auch: { $server } hat { $user } angenommen.
conn-sending-works-encrypted = Senden klappt auch: { $server } hat { $user } über eine verschlüsselte Verbindung angenommen.
conn-pop3-title = Ihr Posteingang
conn-pop3-signed-in = Angemeldet als { $user } über POP3.
conn-pop3-summary-unknown = POP3 lädt nur Ihren Posteingang herunter. Ordner und der Gelesen-Status werden nicht synchronisiert.
conn-pop3-summary = { $count ->
    [0] POP3 lädt nur Ihren Posteingang herunter: Es warten keine Nachrichten. Ordner und der Gelesen-Status werden nicht synchronisiert.
    [one] POP3 lädt nur Ihren Posteingang herunter: 1 Nachricht wartet. Ordner und der Gelesen-Status werden nicht synchronisiert.
   *[other] POP3 lädt nur Ihren Posteingang herunter: { $count } Nachrichten warten. Ordner und der Gelesen-Status werden nicht synchronisiert.
}
conn-imap-offered = { $offer } unter { $server } ({ $security }).
conn-imap-offered-title = Ihr Anbieter bietet auch IMAP an
conn-pop3-explained = POP3 lädt die E-Mails in Ihrem Posteingang auf ein Gerät herunter, und E-Mail-Programme löschen sie danach oft vom Server, sodass Ihre anderen Geräte sie nicht mehr sehen. IMAP behält Ihre E-Mails und Ordner auf dem Server und gleicht ab, was Sie lesen, markieren oder löschen, auf allen Ihren Geräten. Wechseln Sie, außer Sie brauchen POP3.
conn-filter-label = Ordner filtern
conn-filter-placeholder = Nach Namen filtern
conn-select-shown = Angezeigte auswählen
conn-select-all = Alle auswählen
conn-clear-shown = Angezeigte abwählen
conn-select-none = Keine auswählen
conn-folders-chosen = { $chosen } von { $total } Ordnern ausgewählt
conn-saving = Wird gespeichert…
conn-choose-one = Wählen Sie mindestens einen Ordner.
conn-save-pop3-again = Erneut als POP3 speichern
conn-save-pop3 = Als POP3 speichern
conn-switch-to-imap = Zu IMAP wechseln
conn-save-again = Erneut speichern
conn-save-mailbox = Postfach speichern

## The folder list.

conn-folders-label = Ordner
conn-no-folder-matches = Kein Ordner passt.
conn-folder-messages = { $messages ->
    [one] { $messages } Nachricht
   *[other] { $messages } Nachrichten
}
conn-folder-messages-unread = { $messages ->
    [one] { $messages } Nachricht
   *[other] { $messages } Nachrichten
} · { $unread } ungelesen
conn-folder-in = , in { $where }
conn-folder-in-short = in { $where }
conn-folder-holds-others = { $path }: enthält andere Ordner, aber selbst keine E-Mails
conn-role-guessed = Am Namen des Ordners erkannt
conn-role-marked = Vom Server gekennzeichnet

## The Saved step.

conn-saved-title = Postfach gespeichert
conn-saved-lead = Inlet behält es im Blick und sagt Ihnen Bescheid, wenn etwas Ihre Aufmerksamkeit braucht.
conn-saved-address = Adresse
conn-saved-incoming = Posteingangsserver
conn-saved-not-encrypted = Nicht verschlüsselt
conn-saved-username = Benutzername
conn-saved-mail = E-Mails
conn-saved-folders = Ordner
conn-saved-inbox-only = Nur Posteingang (POP3)
conn-saved-folders-chosen = { $count ->
    [one] { $count } Ordner ausgewählt
   *[other] { $count } Ordner ausgewählt
}
conn-saved-outgoing = Postausgangsserver
conn-saved-not-set-up = Nicht eingerichtet
conn-saved-outgoing-username = Benutzername für den Postausgang
conn-saved-trusted = Vertrauenswürdige Zertifikate
conn-saved-trusted-title = { $subject }, gültig bis { $date }. SHA-256 { $fingerprint }
conn-saved-both-passwords = Beide Passwörter im Schlüsselbund Ihres Systems gespeichert
conn-saved-password = Passwort im Schlüsselbund Ihres Systems gespeichert
conn-test-title = Senden testen
conn-test-hint = Inlet sendet eine kurze Nachricht von { $email } an dieselbe Adresse über { $host }.
conn-test-sending = Wird gesendet…
conn-test-send-another = Noch eine senden
conn-test-send = Testnachricht an mich senden
conn-test-announce-sending = Testnachricht wird gesendet…
conn-test-announce-sent = An { $address } gesendet.
conn-test-sent = An { $address } gesendet – sehen Sie in Ihrem Posteingang nach.
conn-test-steps = Schritte der Testnachricht
conn-saved-go-to-list = Zur Liste der Postfächer

## The error view around a diagnosis (DiagnosisPanel). The diagnosis's own words come from diagnoses.ftl.

conn-who-you = Das können Sie selbst beheben
conn-who-administrator = Das muss Ihr Administrator beheben
conn-who-provider = Das muss Ihr E-Mail-Anbieter beheben
conn-code = Code
conn-what-to-do = Was Sie tun können
conn-open-help = Hilfeseite auf { $site } öffnen
conn-open-help-in-browser = (in Ihrem Browser)
conn-help-not-opened = Inlet konnte Ihren Browser nicht öffnen. Kopieren Sie die Adresse hinein:
conn-help-address = die Adresse der Hilfeseite
conn-for-administrator = Für Ihren Administrator
conn-admin-consent = Ein Administrator Ihrer Organisation kann Inlet unter dieser Adresse für alle freigeben:
conn-admin-consent-address = die Freigabeadresse für den Administrator
conn-details = Details
conn-copy-details = Details kopieren
conn-detail-code = Code: { $code }
conn-detail-server = Server: { $side }
conn-detail-stage = Schritt: { $stage } ({ $code })
conn-detail-reachability = Erreichbarkeit: { $explanation }
conn-detail-certificate = Zertifikat SHA-256: { $fingerprint }

## The help-desk report buttons (ReportActions).

conn-report-label = Bericht für Ihren Support
conn-report-copy = Bericht kopieren
conn-report-save = Bericht speichern
conn-report-save-as = Speichern als
conn-report-mask = Meine Adresse verbergen
conn-report-mask-more = und die Servernamen im Bericht
conn-report-copied = Bericht kopiert: Fügen Sie ihn in Ihre Nachricht an den Support ein.
conn-report-no-clipboard = Inlet konnte nicht auf die Zwischenablage zugreifen: Der Bericht ist unten markiert, drücken Sie Strg+C.
conn-report-saved = Bericht gespeichert unter
conn-report-not-saved = { $title }. { $whatToDo }
conn-report-text = Der Bericht

## Copy buttons (CopyText). $what: what is copied ("the code", "the address").

conn-copied-what = { $what } kopiert

## Failures the window words itself (api.ts): something other than a diagnosis arrived.

conn-unexpected-title = Inlet konnte diesen Schritt nicht abschließen
conn-unexpected-what-happened = In Inlet ist etwas schiefgegangen, bevor der Server überhaupt gefragt wurde.
conn-unexpected-what-to-do = Versuchen Sie es noch einmal. Passiert es wieder, starten Sie Inlet neu und schicken Sie die Details unten an Ihren Support.
conn-unexpected-step-1 = Versuchen Sie es noch einmal.
conn-unexpected-step-2 = Passiert es wieder, starten Sie Inlet neu und schicken Sie die Details unten an Ihren Support.
conn-unexpected-no-message = keine Meldung
conn-cancelled-what-happened = Sie haben die Verbindung abgebrochen, bevor sie fertig war. Es wurde nichts gespeichert.
conn-cancelled-what-to-do = Prüfen Sie die Einstellungen und versuchen Sie es erneut, wenn Sie so weit sind.

## Inlet could not start (StartupProblem).

conn-startup-title = Inlet konnte nicht starten
conn-startup-lead = Seine Konfigurationsdatei hat ein Problem. Deshalb hat Inlet keine Verbindung aufgebaut und nichts verändert.
conn-startup-file = Die Datei
conn-startup-what-is-wrong = Was nicht stimmt
conn-startup-what-to-do = Was Sie tun können
conn-startup-then-restart = { $whatToDo } Schließen Sie Inlet danach und öffnen Sie es erneut.
