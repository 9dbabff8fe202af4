# Inlet's engine: texts the engine writes (diagnoses, provider advice), read by the app and the CLI.
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

## Languages, named in the language of the text around them.

language-name = { $language ->
    [de] Deutsch
   *[en] Englisch
}

## Connection stages (progress lines, the report's "Failed stage", the CLI).
# .during: the stage inside a sentence ("… did not answer within 10 s while: signing in.").

eng-stage-resolving = Server wird gesucht
    .during = Server suchen
eng-stage-connecting = Verbindung wird hergestellt
    .during = Verbindung herstellen
eng-stage-tls = Verbindung wird verschlüsselt (TLS)
    .during = Verbindung verschlüsseln (TLS)
eng-stage-greeting = Warten auf die Begrüßung des Servers
    .during = Begrüßung des Servers abwarten
eng-stage-capabilities = Fähigkeiten des Servers werden abgefragt
    .during = Fähigkeiten des Servers abfragen
eng-stage-starttls = Wechsel zu einer verschlüsselten Verbindung (STARTTLS)
    .during = zu einer verschlüsselten Verbindung wechseln (STARTTLS)
eng-stage-signing-in = Anmeldung
    .during = Anmeldung
eng-stage-listing-folders = Ordner werden geladen
    .during = Ordner laden
eng-stage-checking-mailbox = Postfach wird geprüft
    .during = Postfach prüfen
eng-stage-looking-for-imap = IMAP beim selben Anbieter wird gesucht
    .during = IMAP beim selben Anbieter suchen
eng-stage-sending-test-message = Testnachricht wird gesendet
    .during = Testnachricht senden
eng-stage-saving = Speichern
    .during = Speichern

## Diagnoses built from the engine's errors (crates/inlet-core/src/diagnose/from_error.rs).
# The value is the title; .happened says what happened, .todo what to do (one step per sentence).
# $target is a server as host:port; $stage is a connection stage (see above, its .during form).

eng-invalid-input = Bitte prüfen Sie Ihre Eingabe
    .todo = Korrigieren Sie das markierte Feld und versuchen Sie es erneut.
eng-host-not-found = Server nicht gefunden
    .happened = Der Name „{ $host }“ führt zu keinem Server.
    .todo = Prüfen Sie den Servernamen auf Tippfehler. Die Hilfeseiten Ihres Anbieters nennen den richtigen (oft imap.ihre-domain). Wenn er stimmt, prüfen Sie, ob dieser Computer online ist.
eng-connection-refused = Der Server hat die Verbindung abgelehnt
    .happened = { $target } hat geantwortet, aber auf diesem Port nimmt nichts Verbindungen an.
    .todo = Prüfen Sie die Portnummer und die Sicherheitseinstellung: IMAP nutzt meist 993 mit TLS oder 143 mit STARTTLS, POP3 995 oder 110.
eng-unreachable = Der Server ist nicht erreichbar
    .happened = Es gibt keinen Netzwerkweg zu { $target }.
    .todo = Prüfen Sie, ob dieser Computer online ist und ob keine Firewall und kein VPN die Mail-Ports sperrt.
eng-timed-out = Der Server hat nicht rechtzeitig geantwortet
    .happened = { $target } hat nicht innerhalb von { $seconds } s geantwortet (Schritt: { $stage }).
    .todo-connecting = Prüfen Sie den Servernamen und den Port. Eine Firewall verwirft die Verbindung vielleicht stillschweigend.
    .todo-tls = Der Port erwartet vielleicht eine andere Sicherheitseinstellung (TLS auf 993, STARTTLS auf 143), oder der Server ist überlastet. Prüfen Sie die Einstellungen und versuchen Sie es später erneut.
    .todo = Der Server ist langsam oder überlastet. Versuchen Sie es in ein paar Minuten erneut.
eng-cert-untrusted = Dem Zertifikat des Servers wird nicht vertraut
    .happened = { $target } hat ein Zertifikat vorgelegt, für das keine Stelle bürgt, der dieser Computer vertraut.
    .todo = Fahren Sie nur fort, wenn Sie wissen, dass dieser Server ein eigenes Zertifikat verwendet: Vergleichen Sie den Fingerabdruck unten mit dem, den Ihr Administrator oder Anbieter Ihnen nennt.
eng-cert-expired = Das Zertifikat des Servers ist abgelaufen
    .happened = { $target } hat ein Zertifikat vorgelegt, dessen Enddatum überschritten ist.
    .todo = Das muss der Administrator des Servers beheben: Sagen Sie ihm, dass das Zertifikat abgelaufen ist. Umgehen Sie es nicht, solange er es nicht bestätigt.
eng-cert-not-yet-valid = Das Zertifikat des Servers ist noch nicht gültig
    .happened = { $target } hat ein Zertifikat vorgelegt, dessen Anfangsdatum in der Zukunft liegt.
    .todo = Prüfen Sie Datum und Uhrzeit dieses Computers. Wenn sie stimmen, informieren Sie den Administrator des Servers.
eng-cert-wrong-host = Das Zertifikat gehört zu einem anderen Server
    .happened = { $target } hat ein Zertifikat vorgelegt, das für andere Namen ausgestellt ist als den, den Sie eingegeben haben.
    .todo = Verwenden Sie den Servernamen aus dem Zertifikat (siehe unten), wenn Ihr Anbieter ihn bestätigt; andernfalls informieren Sie den Administrator.
eng-cert-invalid = Das Zertifikat des Servers ist ungültig
    .happened = { $target } hat ein Zertifikat vorgelegt, das nicht geprüft werden konnte.
    .todo = Informieren Sie den Administrator des Servers; verbinden Sie sich nicht, bevor es behoben ist.
eng-cert-changed = Das Zertifikat des Servers hat sich geändert
    .happened = { $target } hat ein anderes Zertifikat vorgelegt als das, dem Sie vertrauen wollten. Das kann eine gewöhnliche Erneuerung sein oder jemand, der die Verbindung abfängt.
    .todo = Fahren Sie erst fort, wenn Sie den Grund kennen: Fragen Sie Ihren Administrator oder Anbieter, ob das Zertifikat ersetzt wurde. Wenn ja, entfernen Sie das alte vertrauenswürdige Zertifikat und vertrauen Sie dem neuen, nachdem Sie seinen Fingerabdruck verglichen haben.
eng-tls-failed = Es konnte keine sichere Verbindung aufgebaut werden
    .happened = Der Verschlüsselungs-Handshake mit { $target } ist fehlgeschlagen.
    .todo = Prüfen Sie die Sicherheitseinstellung für diesen Port: TLS für 993 (IMAP) oder 995 (POP3), STARTTLS für 143 oder 110.
eng-starttls-not-offered = Dieser Server bietet auf diesem Port keine Verschlüsselung an
    .happened = { $target } hat kein STARTTLS angeboten, daher hat Inlet aufgehört, bevor Ihr Passwort gesendet wurde.
    .todo = Versuchen Sie stattdessen TLS (Port 993 für IMAP, 995 für POP3). Wenn Ihr Anbieter wirklich keine Verschlüsselung anbietet, fragen Sie ihn danach, bevor Sie „keine Verschlüsselung“ wählen.
eng-encryption-required = Der Server verlangt Verschlüsselung
    .happened = { $target } nimmt keine Passwörter über eine unverschlüsselte Verbindung an.
    .todo = Wählen Sie TLS (Port 993) oder STARTTLS (Port 143).
eng-plaintext-not-confirmed = Ihr Passwort würde unverschlüsselt gesendet
    .happened = Die Verbindung zu { $target } ist nicht verschlüsselt, und Sie haben nicht bestätigt, dass Ihr Passwort darüber gesendet werden darf.
    .todo = Wählen Sie TLS oder STARTTLS. Bestätigen Sie „keine Verschlüsselung“ nur, wenn Sie verstehen, dass jeder im Netzwerk Ihr Passwort mitlesen könnte.
# $names: the login names tried, joined by eng-auth-failed-or-as; $count: how many.
eng-auth-failed = Der Server hat das Passwort nicht angenommen
    .happened = { $count ->
        [0] { $target } hat die Anmeldung abgelehnt.
       *[other] { $target } hat die Anmeldung als { $names } abgelehnt.
    }
    .todo = Prüfen Sie das Passwort (vielleicht wurde es kürzlich geändert). Wenn Ihr Konto die Bestätigung in zwei Schritten nutzt, erstellen Sie bei Ihrem Anbieter ein App-Passwort und verwenden Sie es hier. Wenn Ihr Benutzername nicht Ihre E-Mail-Adresse ist, geben Sie ihn im Feld Benutzername ein.
# Between two login names in eng-auth-failed.happened ("alice or as alice@example.com"); mind the spaces.
eng-auth-failed-or-as = { " oder als " }
eng-no-sign-in-method = Keine Anmeldemethode, die Inlet nutzen kann
    .happened = { $target } bietet nur Anmeldemethoden an, die Inlet hier nicht unterstützt.
    .todo = Prüfen Sie die Sicherheitseinstellung (manche Server erlauben Passwörter nur über TLS), oder fragen Sie Ihren Anbieter, welche Methode Sie verwenden sollen.
eng-connection-closed = Der Server hat die Verbindung beendet
    .happened = { $target } hat die Verbindung getrennt (Schritt: { $stage }).
    .todo = Prüfen Sie den Port und die Sicherheitseinstellung. Wenn sie stimmen, begrenzt der Server vielleicht die Verbindungen; versuchen Sie es in ein paar Minuten erneut.
eng-protocol-error = Die Antwort des Servers ergab keinen Sinn
    .happened = { $target } hat etwas geantwortet, das nicht das Mail-Protokoll ist, das Inlet erwartet hat (Schritt: { $stage }).
    .todo = Prüfen Sie, ob dieser Port für das gewählte Mail-Protokoll gedacht ist (IMAP 993/143, POP3 995/110).
eng-server-refused = Der Server hat eine Anfrage abgelehnt
    .happened = { $target } hat eine Anfrage abgelehnt (Schritt: { $stage }).
    .todo = Die Worte des Servers stehen unten; der Support Ihres Anbieters kann sagen, was sie bedeuten.
eng-temporary-failure = Der Server hat ein vorübergehendes Problem
    .happened = { $target } kann die Anfrage gerade nicht bearbeiten (Schritt: { $stage }). Das ist ein Problem auf der Seite des Servers, kein falsches Passwort.
    .todo = Hier muss nichts geändert werden: Warten Sie ein paar Minuten und versuchen Sie es erneut. Wenn es immer wieder passiert, informieren Sie Ihren Anbieter oder Administrator; die Worte des Servers stehen unten.
eng-port-expects-starttls = Dieser Port beginnt nicht mit Verschlüsselung
    .happened = Inlet hat sofort eine sichere Verbindung (TLS) begonnen, aber { $target } hat unverschlüsselt geantwortet: Dieser Port erwartet STARTTLS oder keine Verschlüsselung.
    .todo = Wählen Sie STARTTLS für diesen Port, oder verwenden Sie den TLS-Port (993 für IMAP, 995 für POP3, 465 für SMTP). Versuchen Sie es dann erneut.
eng-port-expects-tls = Dieser Port erwartet Verschlüsselung von Anfang an
    .happened = { $target } hat unverschlüsselt nichts gesendet, beantwortet aber sofort eine sichere Verbindung (TLS): Dieser Port erwartet SSL/TLS, nicht STARTTLS oder keine Verschlüsselung.
    .todo = Wählen Sie SSL/TLS für diesen Port, oder verwenden Sie Port 143 für STARTTLS (IMAP). Versuchen Sie es dann erneut.
# $path: the policy file; $message: why it cannot be used (technical, in English).
eng-policy-unusable = Die Inlet-Richtlinie Ihres Administrators kann nicht gelesen werden
    .happened = Die Richtliniendatei { $path } ist vorhanden, aber: { $message }. Inlet arbeitet nicht ohne die Regeln, die Ihr Administrator festgelegt hat.
    .todo = Ihr Administrator muss die Richtliniendatei korrigieren oder entfernen.
eng-keychain-locked = Ihr Schlüsselbund ist gesperrt
    .happened = Inlet bewahrt Passwörter nur im Schlüsselbund Ihres Systems auf, und der ist gesperrt; daher wurde nichts gespeichert.
    .todo = Entsperren Sie Ihren Schlüsselbund (Ihren Anmelde-Schlüsselbund) und speichern Sie erneut.
eng-keychain-unavailable = Kein Schlüsselbund verfügbar
    .happened = Inlet bewahrt Passwörter nur im Schlüsselbund Ihres Systems auf, und keiner läuft; daher wurde nichts gespeichert.
    .todo = Starten Sie den Schlüsselbund Ihres Desktops (GNOME Keyring oder KWallet mit dem Secret Service) und speichern Sie erneut.
eng-keychain-failed = Der Schlüsselbund hat das Passwort abgelehnt
    .happened = Der Schlüsselbund des Systems hat einen Fehler gemeldet; daher wurde nichts gespeichert.
    .todo = Versuchen Sie es erneut. Wenn es weiter fehlschlägt, starten Sie Ihren Schlüsselbund oder Ihre Sitzung neu.
eng-store-failed = Inlet konnte seine Daten nicht speichern
    .happened = Das Schreiben der Postfachliste ist fehlgeschlagen; nichts wurde geändert.
    .todo = Prüfen Sie, ob Ihre Festplatte nicht voll ist und ob Inlet in seinen Datenordner schreiben darf.
eng-mailbox-not-found = Dieses Postfach ist nicht in Inlet
    .happened = Kein gespeichertes Postfach hat die Nummer { $id }.
    .todo = Laden Sie die Postfachliste neu.
eng-already-saved = Dieses Postfach ist bereits verbunden
    .happened = { $email } mit diesem Server ist bereits in Ihrer Postfachliste.
    .todo = Öffnen Sie es in der Postfachliste, um es neu zu verbinden oder sein Passwort zu ändern.
eng-cancelled = Abgebrochen
    .happened = Sie haben die Verbindung abgebrochen.
    .todo = Beginnen Sie erneut, wenn Sie so weit sind.

## Evidence lines for a technician: the labels are translated, the values after them are not.

eng-evidence-field = Feld: { $field }
eng-evidence-lookup = Suche nach { $host }: { $message }
eng-evidence-no-answer = { $target }: keine Antwort nach { $seconds } s
eng-evidence-no-greeting = { $target }: keine Begrüßung nach { $seconds } s
eng-evidence-trusted-fingerprint = vertrauter Fingerabdruck: { $fingerprint }
eng-evidence-tried-usernames = versuchte Benutzernamen: { $names }
eng-evidence-server-said = Antwort des Servers: { $said }
eng-evidence-offered = angeboten: { $methods }
eng-evidence-mailbox-type = Postfachtyp: { $kind }
# $source: where the code is defined, e.g. "RFC 5530" or eng-evidence-providers-own.
eng-evidence-imap-code = IMAP-Antwortcode: { $code } ({ $source })
eng-evidence-imap-code-argument = IMAP-Antwortcode: { $code } { $argument } ({ $source })
eng-evidence-providers-own = eigener Code des Anbieters
eng-evidence-pop3-code = POP3-Antwortcode: { $code } (RFC 2449, RFC 3206)
eng-evidence-smtp-enhanced = SMTP-Antwort: { $reply }, erweiterter Status { $enhanced } (RFC 5321, RFC 3463)
eng-evidence-smtp-reply = SMTP-Antwort: { $reply } (RFC 5321)

## Diagnoses the engine builds itself (crates/inlet-core/src/diagnose/mod.rs).

# $domain: the part of the address after @.
eng-settings-not-found = Einstellungen nicht gefunden
    .happened = Inlet hat überall nachgefragt, wo die Mailserver von { $domain } üblicherweise bekannt sind (die eigene Konfiguration, die Anbieterdatenbank von Thunderbird, DNS, die üblichen Servernamen), und keine Stelle hat einen Posteingangsserver genannt.
    .todo = Geben Sie die Servereinstellungen von Hand ein: Die Hilfeseiten Ihres Anbieters oder Ihre IT-Abteilung nennen sie (suchen Sie nach „IMAP-Server“ oder „Posteingangsserver“). Das Formular ist mit den wahrscheinlichsten Namen ausgefüllt.
eng-policy-adding = Das Hinzufügen von Postfächern ist nicht erlaubt
    .todo = Bitten Sie Ihren Administrator, das Postfach für Sie hinzuzufügen oder das Hinzufügen von Postfächern zu erlauben.
eng-policy-removing = Das Entfernen von Postfächern ist nicht erlaubt
    .todo = Bitten Sie Ihren Administrator, das Postfach für Sie zu entfernen oder das Entfernen von Postfächern zu erlauben.
# $kind: the mailbox type's technical name (imap, gmail, ...).
eng-policy-mailbox-type = Diese Art von Postfach ist nicht erlaubt
    .happened = Die Richtlinie Ihres Administrators erlaubt keine Postfächer vom Typ „{ $kind }“.
    .todo = Wählen Sie einen der Typen, die Ihr Administrator erlaubt. Bitten Sie Ihren Administrator um Hilfe.
# $minimum: a TLS version ("TLS 1.3").
eng-policy-tls-version = Die Verschlüsselung des Servers ist älter, als Ihr Administrator erlaubt
    .happened = { $target } bietet keine TLS-Version an, die so neu ist wie { $minimum }, die älteste, die die Richtlinie Ihres Administrators erlaubt; daher hat Inlet keine Verbindung hergestellt.
    .todo = Fragen Sie Ihren Administrator: Der Mailserver muss { $minimum } anbieten, oder die Richtlinie muss eine ältere Version erlauben.
# A mailbox turned off after repeated errors. $side: incoming or outgoing; $count: errors in a row;
# $last: the last error (eng-last-error-titled, its code, or eng-last-error-unknown).
eng-mailbox-disabled = Dieses Postfach wurde nach wiederholten Fehlern ausgeschaltet
    .happened = Inlet hat { $email } ausgeschaltet, nachdem sein { $side ->
        [outgoing] Postausgangsserver
       *[incoming] Posteingangsserver
    } { $count ->
        [one] { $count } Prüfung
       *[other] { $count } Prüfungen
    } in Folge nicht bestanden hat; so meldet es sich nicht immer wieder mit dem gespeicherten Passwort an. Der letzte Fehler: { $last }.
    .todo-password = Beheben Sie zuerst die Ursache des letzten Fehlers: { $last }. Ändern Sie dann das Passwort des Postfachs: Inlet prüft das neue beim Server und schaltet das Postfach wieder ein.
    .todo-sign-in = Beheben Sie zuerst die Ursache des letzten Fehlers: { $last }. Verbinden Sie das Postfach dann neu (melden Sie sich erneut an): Es wird wieder eingeschaltet, sobald die Anmeldung klappt.
    .todo = Beheben Sie zuerst die Ursache des letzten Fehlers: { $last }. Schalten Sie das Postfach dann wieder ein oder verbinden Sie es neu: Sein Fehlerzähler beginnt von vorn.
    .evidence-count = automatisch ausgeschaltet nach { $count } Fehlern in Folge ({ $side ->
        [outgoing] Postausgang
       *[incoming] Posteingang
    })
    .evidence-last = letzter Fehler ({ $side ->
        [outgoing] Postausgang
       *[incoming] Posteingang
    }): { $last }
# $title: the last error's title; $code: its stable code (authentication_failed).
eng-last-error-titled = „{ $title }“ ({ $code })
eng-last-error-unknown = ein Fehler

## Advice that names ports, rewritten for the outgoing server (SMTP: 465 TLS, 587 STARTTLS).

eng-out-connection-refused = Prüfen Sie den Port und die Sicherheitseinstellung des Postausgangsservers: Zum Versenden wird meist 587 mit STARTTLS oder 465 mit TLS verwendet (Port 25 ist oft gesperrt).
eng-out-timed-out-tls = Der Port erwartet vielleicht eine andere Sicherheitseinstellung (TLS auf 465, STARTTLS auf 587), oder der Server ist überlastet. Prüfen Sie die Einstellungen für den Postausgang und versuchen Sie es später erneut.
eng-out-timed-out-connecting = Prüfen Sie den Namen und den Port des Postausgangsservers (587 oder 465). Manche Netzwerke sperren die Ports zum Versenden von E-Mails.
eng-out-tls-failed = Prüfen Sie die Sicherheitseinstellung für diesen Port: TLS für 465, STARTTLS für 587.
eng-out-starttls-not-offered = Versuchen Sie stattdessen TLS auf Port 465. Wenn Ihr Anbieter wirklich keine Verschlüsselung anbietet, fragen Sie ihn danach, bevor Sie „keine Verschlüsselung“ wählen.
eng-out-encryption-required = Wählen Sie STARTTLS (Port 587) oder TLS (Port 465) für den Postausgangsserver.
eng-out-protocol-error = Prüfen Sie, ob dieser Port zum Versenden von E-Mails gedacht ist (SMTP-Submission: 587 oder 465), nicht zum Empfangen.
eng-out-port-expects-starttls = Wählen Sie STARTTLS für diesen Port (587), oder verwenden Sie den TLS-Port (465).
eng-out-port-expects-tls = Wählen Sie SSL/TLS für diesen Port (465), oder verwenden Sie Port 587 für STARTTLS. Versuchen Sie es dann erneut.
eng-out-auth-failed = Prüfen Sie das Passwort des Postausgangsservers: Die meisten Anbieter verwenden dasselbe wie für den Posteingang (setzen Sie das Häkchen bei „Gleiches Passwort wie für den Posteingang“). Wenn Ihr Konto die Bestätigung in zwei Schritten nutzt, verwenden Sie ein App-Passwort. Wenn der Postausgangsserver einen anderen Anmeldenamen erwartet, geben Sie ihn im Feld Benutzername für den Postausgang ein.

## Advice that names ports, rewritten for POP3 (995 with TLS, 110 with STARTTLS).

eng-pop-connection-refused = Prüfen Sie die Portnummer und die Sicherheitseinstellung: POP3 nutzt meist 995 mit TLS oder 110 mit STARTTLS.
eng-pop-timed-out-tls = Der Port erwartet vielleicht eine andere Sicherheitseinstellung (TLS auf 995, STARTTLS auf 110), oder der Server ist überlastet. Prüfen Sie die Einstellungen und versuchen Sie es später erneut.
eng-pop-tls-failed = Prüfen Sie die Sicherheitseinstellung für diesen Port: TLS für 995, STARTTLS für 110 (POP3).
eng-pop-starttls-not-offered = Versuchen Sie stattdessen TLS auf Port 995. Wenn Ihr Anbieter wirklich keine Verschlüsselung anbietet, fragen Sie ihn danach, bevor Sie „keine Verschlüsselung“ wählen.
eng-pop-encryption-required = Wählen Sie TLS (Port 995) oder STARTTLS (Port 110).
eng-pop-protocol-error = Prüfen Sie, ob dieser Port für POP3 gedacht ist (995 mit TLS, 110 mit STARTTLS), nicht für ein anderes Mail-Protokoll.
eng-pop-port-expects-starttls = Wählen Sie STARTTLS für diesen Port (110), oder verwenden Sie den TLS-Port (995).
eng-pop-port-expects-tls = Wählen Sie SSL/TLS für diesen Port (995), oder verwenden Sie Port 110 für STARTTLS. Versuchen Sie es dann erneut.

## "Same password as incoming" refused by the outgoing server.

eng-shared-password-incoming-accepted = Der Posteingangsserver hat dieses Passwort angenommen, also möchte der Postausgangsserver ein anderes oder einen anderen Anmeldenamen: Entfernen Sie das Häkchen bei „Gleiches Passwort wie für den Posteingang“ und geben Sie das eigene Passwort des Postausgangsservers (oder ein App-Passwort) ein, oder geben Sie seinen Anmeldenamen im Feld Benutzername für den Postausgang ein.
eng-shared-password-incoming-refused = Der Posteingangsserver hat dasselbe Passwort abgelehnt: Korrigieren Sie zuerst das Passwort (der Postausgangsserver verwendet es auch) und versuchen Sie es dann erneut.

## Advice for a refused sign-in, by provider (shown under the diagnosis).

eng-hint-gmail = Gmail nimmt Ihr Google-Passwort in Mail-Programmen nicht an. Melden Sie sich stattdessen mit Google an (im Browser, ab dem ersten Schritt). Oder schalten Sie in Ihrem Google-Konto die Bestätigung in zwei Schritten ein, erstellen Sie dort ein App-Passwort (Sicherheit → Bestätigung in zwei Schritten → App-Passwörter) und geben Sie es hier statt Ihres Passworts ein.
eng-hint-outlook = Microsoft hat die Anmeldung mit Passwort für Outlook.com (Hotmail, Live, MSN) in Mail-Programmen abgeschaltet: Jedes Passwort wird abgelehnt, auch App-Passwörter. Melden Sie sich stattdessen mit Microsoft an (im Browser, ab dem ersten Schritt).
eng-hint-yahoo = Yahoo Mail nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie ein App-Passwort unter Kontoinformationen → Kontosicherheit → App-Passwort generieren und geben Sie es hier ein.
eng-hint-aol = AOL Mail nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie ein App-Passwort unter Kontoinformationen → Kontosicherheit → App-Passwort generieren und geben Sie es hier ein.
eng-hint-icloud = iCloud Mail braucht ein app-spezifisches Passwort: Erstellen Sie eines in Ihrem Apple Account unter Anmeldung und Sicherheit → App-spezifische Passwörter (die Zwei-Faktor-Authentifizierung muss eingeschaltet sein).
eng-hint-fastmail = Fastmail braucht für Mail-Programme ein App-Passwort: Erstellen Sie eines unter Einstellungen → Datenschutz & Sicherheit.
eng-hint-gmx = Schalten Sie zuerst in den Einstellungen Ihres Postfachs (Webmail) den Zugriff über POP3 und IMAP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein App-Passwort.
eng-hint-zoho = Schalten Sie zuerst in Zoho Mail unter Einstellungen → Mail-Konten den Zugriff über IMAP oder POP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein app-spezifisches Passwort.
eng-hint-yandex = Erlauben Sie Mail-Programme in Yandex Mail unter Einstellungen → E-Mail-Programme und verwenden Sie dann ein App-Passwort.
eng-hint-mailru = Mail.ru nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie in den Sicherheitseinstellungen Ihres Kontos ein Passwort für externe Anwendungen und geben Sie es hier ein.

## The administrator's policy (the mailbox list says why "Add mailbox" is missing).

eng-policy-adding-not-allowed = Ihr Administrator hat das Hinzufügen von Postfächern nicht erlaubt. Bitten Sie ihn um Hilfe.
eng-policy-removing-not-allowed = Ihr Administrator hat das Entfernen von Postfächern nicht erlaubt. Bitten Sie ihn um Hilfe.

## What is wrong with what the person typed (shown under the field).

eng-address-empty = Geben Sie Ihre E-Mail-Adresse ein.
eng-address-no-at = Eine E-Mail-Adresse sieht so aus: name@example.com.
eng-address-no-local-part = Der Teil vor dem @ fehlt.
eng-address-not-a-domain = Der Teil nach dem @ muss eine Domain sein, etwa example.com.
eng-address-spaces = Eine E-Mail-Adresse darf keine Leerzeichen enthalten.
# $server: host:port; $fingerprint: what is stored; $problem: why it is no fingerprint (technical).
eng-trusted-fingerprint-invalid = Das für { $server } als vertrauenswürdig gespeicherte Zertifikat hat keinen SHA-256-Fingerabdruck ({ $fingerprint }): { $problem }.
# $host: what was typed; $problem: too-long, slash or other; $advice: eng-type-host or eng-type-outgoing-host.
eng-host-invalid = Der Servername „{ $host }“ { $problem ->
        [too-long] ist länger als 253 Zeichen
        [slash] enthält einen Schrägstrich
       *[other] ist kein gültiger Servername
    }. { $advice }
eng-type-host = Geben Sie den Servernamen ein, z. B. imap.example.com.
eng-type-outgoing-host = Geben Sie den Namen des Postausgangsservers ein, z. B. smtp.example.com.
eng-port-out-of-range = Der Port muss zwischen 1 und 65535 liegen.
eng-type-password = Geben Sie Ihr Passwort ein.
eng-type-new-password = Geben Sie das neue Passwort ein.
# $wanted, $given: ways to sign in ("password", "OAuth2").
eng-sign-in-method-mismatch = Laut den Einstellungen erfolgt die Anmeldung mit { $wanted }, angegeben wurde aber { $given }.
eng-no-outgoing-server = Dieses Postfach hat keinen Postausgangsserver, der geändert werden könnte.
eng-choose-a-folder = Wählen Sie mindestens einen Ordner.
# $names: folder names as the server spells them, each in eng-quoted, joined by ", ".
eng-unknown-folders = Der Server hat keinen wählbaren Ordner namens { $names }. Laden Sie die Liste, um die Ordner des Servers zu sehen.
eng-quoted = „{ $text }“
eng-nothing-to-change = Nichts zu ändern: Geben Sie einen neuen Wert ein.
eng-name-too-long = Ein Name ist eine Zeile mit höchstens 200 Zeichen.
eng-signs-in-with-browser = Dieses Postfach meldet sich über den Browser an und hat kein Passwort: Verbinden Sie es stattdessen neu.
eng-signs-in-with-password = Dieses Postfach meldet sich mit einem Passwort an, nicht über den Browser: Verbinden Sie es neu oder ändern Sie sein Passwort.

## The desktop notification when the checks turn a mailbox off.

# $mailbox: its name and address, or the address.
eng-notice-disabled-summary = Inlet hat { $mailbox } ausgeschaltet
# $side: incoming or outgoing; $count: failed checks in a row; $why: ": " and the last error's title, or nothing.
eng-notice-disabled-body = Sein { $side ->
        [outgoing] Postausgangsserver
       *[incoming] Posteingangsserver
    } hat { $count ->
        [one] { $count } Prüfung
       *[other] { $count } Prüfungen
    } in Folge nicht bestanden{ $why }. Inlet prüft es nicht mehr, bis Sie das beheben und es wieder einschalten.

## After a failed connection: whether other ports and hosts answer (added to "What happened").

# $server: host:port.
eng-reach-answers-now = { $server } antwortet jetzt: Der Fehler ist vorbei. Versuchen Sie es erneut.
# $open: the ports that answer ("993, 143"); $port: the one that does not.
eng-reach-port-blocked = { $host } antwortet auf Port { $open }, aber nicht auf Port { $port }: Dieses Netzwerk (oder eine Firewall auf dem Weg) sperrt Port { $port }, oder der Server bietet dort keine E-Mail an. Versuchen Sie ein anderes Netzwerk oder bitten Sie dessen Administrator, den Port zu öffnen; andernfalls prüfen Sie den Port in den Einstellungen Ihres Anbieters.
eng-reach-server-down = Andere Server im Internet antworten, aber { $host } antwortet auf keinem seiner Mail-Ports: Der Server ist ausgefallen, oder sein Name führt zur falschen Adresse. Versuchen Sie es später erneut oder fragen Sie Ihren Anbieter.
eng-reach-offline = Kein Server antwortet, nicht einmal bekannte: Dieser Computer ist offline, oder dieses Netzwerk sperrt ausgehende Verbindungen. Prüfen Sie die Netzwerkverbindung (WLAN, Kabel, VPN, die Anmeldeseite eines öffentlichen Netzwerks).
eng-reach-unknown = { $host } antwortet auf keinem seiner Mail-Ports.
eng-probe-open = antwortet
eng-probe-refused = abgelehnt
eng-probe-timed-out = keine Antwort
eng-probe-unreachable = kein Weg
eng-probe-not-found = Name nicht gefunden
# Evidence lines. $server: host:port; $result: eng-probe-*; $probes: "host:port result, ...".
eng-reach-evidence-again = Erreichbarkeit: { $server } erneut gefragt: { $result }
eng-reach-evidence-same-server = Erreichbarkeit: derselbe Server: { $probes }
eng-reach-evidence-other-hosts = Erreichbarkeit: andere Server: { $probes }

## The help-desk report (Markdown for a ticket): headings and labels; the facts stay as they are.

eng-report-title = Inlet-Bericht für den Support
eng-report-address = Adresse
eng-report-outcome = Ergebnis
# $title: the diagnosis's title; $code: its stable code.
eng-report-outcome-failed = fehlgeschlagen: { $title } (`{ $code }`)
# $checked: what was checked.
eng-report-outcome-ok = OK ({ $checked })
eng-report-checked = Geprüft
eng-report-app = App
eng-report-os = Betriebssystem
eng-report-created = Erstellt
eng-report-masked = Die Adresse und die Servernamen sind unkenntlich gemacht.
# $side: incoming, outgoing or none (a mailbox with one server).
eng-report-diagnosis = { $side ->
        [outgoing] Diagnose (Postausgangsserver)
        [incoming] Diagnose (Posteingangsserver)
       *[none] Diagnose
    }: { $title } (`{ $code }`)
eng-report-what-happened = Was ist passiert:
eng-report-what-to-do = Was Sie tun können:
eng-report-provider = Anbieter:
eng-report-failed-stage = Fehlgeschlagener Schritt: { $stage }
eng-report-certificate = Zertifikat: Inhaber { $subject }, Aussteller { $issuer }, gültig von { $from } bis { $to }, SHA-256 { $fingerprint }
eng-report-evidence = Belege:
eng-report-settings = Einstellungen
# $protocol: IMAP or POP3; $server: host:port; $security: TLS, STARTTLS...; $login: the login name; $method: how it signs in.
eng-report-incoming = Posteingang: { $protocol } { $server } ({ $security }), Anmeldename { $login }, Anmeldung { $method }
eng-report-login-default = die Adresse, dann der Teil vor dem @
eng-report-outgoing = Postausgang: SMTP { $server } ({ $security }), Anmeldename { $login }
eng-report-login-as-incoming = wie Posteingang
eng-report-outgoing-none = Postausgang: keiner
eng-report-attempts = Verbindungsversuche
eng-report-no-attempts = Keine.
# $number: 1, 2...; $server: host:port; $side: incoming or outgoing.
eng-report-attempt = { $number }. { $server } ({ $side ->
        [outgoing] Postausgang
       *[incoming] Posteingang
    })
eng-report-attempt-failed = { $number }. { $server } ({ $side ->
        [outgoing] Postausgang
       *[incoming] Posteingang
    }, fehlgeschlagen bei: { $stage })
eng-report-column-stage = Schritt
eng-report-column-started = Beginn (ms)
eng-report-column-took = Dauer (ms)
eng-report-column-result = Ergebnis
eng-report-column-detail = Einzelheiten
eng-report-stage-done = erledigt
eng-report-stage-failed = FEHLGESCHLAGEN
eng-report-stage-unfinished = nicht beendet
eng-report-greeting = Begrüßung
eng-report-capabilities = Fähigkeiten
# $username: the login name; $method: PLAIN, LOGIN...; $result: eng-report-sign-in-*.
eng-report-sign-in-tried = Anmeldung versucht: { $username } mit { $method }: { $result }
eng-report-sign-in-accepted = angenommen
eng-report-sign-in-refused = abgelehnt
eng-report-sign-in-failed = fehlgeschlagen
eng-report-provider-sign-in = Anmeldung beim Anbieter
eng-report-discovery = Ermittlung der Einstellungen
eng-report-column-step = Schritt
eng-report-column-source = Quelle
eng-report-column-asked = Gefragt
eng-report-column-ms = ms
eng-report-column-outcome = Ergebnis

## Finding the settings (discovery): the sources asked, and why a server was proposed.

eng-source-provider = Bekannte Anbieter
eng-source-autoconfig = Die Konfiguration der Domain
eng-source-ispdb = Anbieterdatenbank von Thunderbird
eng-source-autodiscover = Autodiscover
eng-source-redirect = Bestätigte Weiterleitung
eng-source-srv = DNS-Diensteinträge
eng-source-mx = DNS-Mailserver (MX)
eng-source-autoconfig-http = Die Konfiguration der Domain (unverschlüsselt)
eng-source-guess = Übliche Servernamen ausprobieren
eng-source-verification = Server prüfen
# How a server will be signed in to, as far as discovery can tell.
eng-sign-in-password = Passwort
eng-sign-in-browser-only = nur über die Anmeldeseite des Anbieters (OAuth2), kein Passwort
eng-sign-in-unknown = erst bei der Anmeldung bekannt
# The "Checking the servers" line. $ok: how many answered; $total: how many were checked.
eng-checks-answered = { $total ->
        [one] { $ok } von { $total } Server hat geantwortet
       *[other] { $ok } von { $total } Servern haben geantwortet
    }
# $servers: host:port, ... checked while guessing.
eng-checks-while-guessing = { $servers } beim Ausprobieren üblicher Namen geprüft
# Beside each proposed server: where it came from. .provider: the same, where the provider it names is shown.
eng-found-autoconfig = aus der eigenen Konfiguration von { $domain }
    .provider = eigene Konfiguration von { $domain }
eng-found-ispdb = aus der Anbieterdatenbank von Thunderbird
    .provider = Anbieterdatenbank von Thunderbird
eng-found-autodiscover = vom Autodiscover-Dienst von { $domain }
    .provider = Autodiscover-Dienst von { $domain }
eng-found-autoconfig-http = aus der Konfiguration von { $domain } (unverschlüsselt)
    .provider = Konfiguration von { $domain } (unverschlüsselt)
# $host: where the domain's configuration points.
eng-found-redirect = von { $host }, worauf { $domain } verweist (von Ihnen bestätigt)
    .provider = { $host }, worauf { $domain } verweist (von Ihnen bestätigt)
eng-found-microsoft = von Microsofts Autodiscover
    .provider = Microsofts Autodiscover
# $hoster: the domain the MX record names.
eng-found-mx-hoster = aus dem DNS: Die E-Mails von { $domain } verwaltet { $hoster }
    .provider = DNS: Die E-Mails von { $domain } verwaltet { $hoster }
eng-found-mx-provider = aus dem DNS: Die E-Mails von { $domain } liegen bei { $provider }
eng-found-srv = aus dem DNS (Diensteinträge von { $domain })
eng-found-table = aus Inlets Liste der Anbieter ({ $provider })
eng-found-guess-verified = geraten und geprüft
eng-found-guess-unverified = ein üblicher Servername, nicht geprüft: Fragen Sie Ihren Anbieter danach
# Why the person must confirm a server before Inlet uses it ("why Inlet asks").
eng-confirm-srv-outside = Das DNS von { $domain } verweist auf { $host }, das nicht zu { $domain } gehört; DNS-Antworten können gefälscht sein
# $host: the mail server the MX record names.
eng-confirm-mx-provider = Die E-Mails von { $domain } gehen an { $provider } (sein MX-Eintrag nennt { $host }); bestätigen Sie, dass Ihr Postfach bei { $provider } liegt
eng-confirm-mx-hoster = Die E-Mails von { $domain } gehen an { $hoster } (sein MX-Eintrag nennt { $host }); bestätigen Sie, dass Ihr Postfach dort liegt
eng-confirm-unencrypted = Die Konfiguration von { $domain } kam über eine unverschlüsselte Verbindung, die jeder auf dem Weg hätte verändern können
eng-confirm-guess = nichts hat diesen Server bestätigt
# How the provider was recognised.
eng-detected-mx = Die MX-Einträge von { $domain } verweisen auf { $provider }
eng-detected-table = { $domain } gehört zu { $provider }

## Advice shown next to a provider's settings (by the provider table, crates/inlet-core/src/providers.rs).

eng-provider-hint-gmail = Google nimmt Ihr normales Passwort in Mail-Programmen nicht an: Melden Sie sich mit Google an, oder verwenden Sie ein App-Passwort (dafür muss die Bestätigung in zwei Schritten eingeschaltet sein). Um POP zu nutzen, schalten Sie es in Gmail unter Einstellungen → Weiterleitung und POP/IMAP ein.
eng-provider-hint-google-workspace = Melden Sie sich mit Google an. Der Administrator Ihrer Organisation entscheidet, ob Mail-Programme, IMAP und POP genutzt werden dürfen; fragen Sie ihn, wenn die Anmeldung klappt, aber keine E-Mails ankommen.
eng-provider-hint-outlook = Outlook.com lässt Mail-Programme nur über die Anmeldung mit Microsoft zu; Passwörter werden abgelehnt. Um POP zu nutzen, schalten Sie es in Outlook.com unter Einstellungen → E-Mail → Weiterleitung und IMAP ein.
eng-provider-hint-microsoft365 = Melden Sie sich mit Ihrem Microsoft-Konto der Arbeit oder Schule an. Der Administrator Ihrer Organisation entscheidet, ob IMAP, POP und das Senden über SMTP erlaubt sind; fragen Sie ihn, wenn die Anmeldung klappt, aber keine E-Mails ankommen.
eng-provider-hint-yahoo = Yahoo nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie ein App-Passwort unter Kontoinformationen → Kontosicherheit → App-Passwort generieren und verwenden Sie es hier.
eng-provider-hint-aol = AOL nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie ein App-Passwort unter Kontoinformationen → Kontosicherheit → App-Passwort generieren und verwenden Sie es hier.
eng-provider-hint-icloud = iCloud braucht ein app-spezifisches Passwort: Erstellen Sie eines in Ihrem Apple Account unter Anmeldung und Sicherheit → App-spezifische Passwörter (die Zwei-Faktor-Authentifizierung muss eingeschaltet sein).
eng-provider-hint-fastmail = Fastmail braucht für Mail-Programme ein App-Passwort: Erstellen Sie eines unter Einstellungen → Datenschutz & Sicherheit.
eng-provider-hint-gmx = Schalten Sie zuerst in den Einstellungen Ihres GMX-Postfachs den Zugriff über POP3 und IMAP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein App-Passwort.
eng-provider-hint-webde = Schalten Sie zuerst in den Einstellungen Ihres WEB.DE-Postfachs den Zugriff über POP3 und IMAP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein App-Passwort.
eng-provider-hint-zoho = Schalten Sie in Zoho Mail unter Einstellungen → Mail-Konten den Zugriff über IMAP oder POP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein app-spezifisches Passwort. Konten einer Organisation verwenden imappro.zoho.com und smtppro.zoho.com.
eng-provider-hint-zoho-eu = Schalten Sie in Zoho Mail unter Einstellungen → Mail-Konten den Zugriff über IMAP oder POP ein. Mit eingeschalteter Zwei-Faktor-Authentifizierung verwenden Sie ein app-spezifisches Passwort. Konten einer Organisation verwenden imappro.zoho.eu und smtppro.zoho.eu.
eng-provider-hint-yandex = Erlauben Sie Mail-Programme in Yandex Mail unter Einstellungen → E-Mail-Programme und verwenden Sie dann ein App-Passwort.
eng-provider-hint-mailru = Mail.ru nimmt Ihr normales Passwort in Mail-Programmen nicht an: Erstellen Sie in den Sicherheitseinstellungen Ihres Kontos ein Passwort für externe Anwendungen und verwenden Sie es hier.

## Checks of a request before anything is sent (crates/inlet-core/src/service).

eng-add-outgoing-first = Fügen Sie zuerst einen Postausgangsserver hinzu.
eng-type-outgoing-password = Geben Sie das Passwort des Postausgangsservers ein, oder wählen Sie „wie Posteingang“.
eng-sign-in-unknown-grant = Inlet kennt diese Anmeldung nicht: Melden Sie sich erneut über den Browser an.
eng-sign-in-not-in-keychain = Diese Anmeldung ist nicht mehr im Schlüsselbund: Melden Sie sich erneut über den Browser an.
# $server: host:port.
eng-no-trusted-certificate = Dieses Postfach vertraut keinem Zertifikat für { $server }.
eng-no-password-to-give = Dieses Postfach meldet sich über den Browser an und hat kein Passwort: Verbinden Sie es mit seiner Anmeldung neu.
eng-no-password-to-keep = Eine Anmeldung über den Browser hat kein Passwort, das gespeichert werden könnte.
# A keychain failure while removing a mailbox.
eng-not-removed = Inlet bewahrt Passwörter nur im Schlüsselbund Ihres Systems auf und konnte das Passwort dieses Postfachs dort nicht löschen; daher wurde das Postfach nicht entfernt.
    .todo-locked = Entsperren Sie Ihren Schlüsselbund (Ihren Anmelde-Schlüsselbund) und entfernen Sie das Postfach erneut.
    .todo = Stellen Sie sicher, dass Ihr Schlüsselbund läuft und entsperrt ist, und entfernen Sie das Postfach dann erneut.

## What Inlet tried while finding the settings: each source's line and its steps' outcomes
## (the window's "What Inlet tried" and the help-desk report). Host names, addresses, record
## values, error texts of libraries and what a server sent stay as they are.

# $ms: milliseconds (a number).
eng-step-no-answer-within = keine Antwort innerhalb von { $ms } ms
# One SRV record: $server is host:port.
eng-srv-record = { $server } (Priorität { $priority }, Gewichtung { $weight })
# $records: the SRV records found (eng-srv-record, joined by ", ").
eng-srv-records-dot-ignored = { $records } (und ein Ziel „.“, nicht beachtet)
eng-srv-not-offered = Ziel „.“: Die Domain bietet diesen Dienst nicht an
eng-srv-none = keine SRV-Einträge
eng-srv-summary-none = keine Einträge für Mail-Dienste
eng-srv-summary-not-offered = Die Domain gibt an, hier keinen Mail-Dienst anzubieten
eng-mx-null = Null-MX („.“): Die Domain nimmt keine E-Mails an
eng-mx-none = keine MX-Einträge
eng-mx-summary-null = Die Domain nimmt keine E-Mails an (Null-MX)
# $host: the first mail server the MX records name.
eng-mx-no-provider = MX { $host }: kein bekannter Anbieter
eng-mx-own = MX { $host } gehört der Domain selbst
# $hoster: the domain of that mail server.
eng-mx-nothing-known = MX { $host }: über { $hoster } ist nichts bekannt
eng-guess-none-answered = Kein üblicher Servername hat geantwortet
# DNS lookups. $problem: technical (in English); $code: a DNS answer code (SERVFAIL...), $meaning: its standard name.
eng-dns-invalid-name = ungültiger Name: { $problem }
eng-dns-no-such-name = kein solcher Name (NXDOMAIN)
eng-dns-no-records = keine Einträge dieser Art
eng-dns-server-answered = Der Server antwortete { $code } ({ $meaning })
# A configuration document (autoconfig, Autodiscover) and what it said.
eng-doc-no-servers = ein Dokument ohne Server
# $types: server types Inlet does not use (e.g. "exchange, jmap").
eng-doc-only-other-servers = nur Server, die Inlet nicht unterstützt: { $types }
# $host: the other domain's server; $domain: the domain of the address.
eng-doc-points-to-host = verweist auf { $host }, eine andere Domain: Folgen Sie dem nur, wenn Sie ihr vertrauen
    .explanation = Die Konfiguration von { $domain } verweist auf { $host }, das nicht zu { $domain } gehört. Folgen Sie dem nur, wenn Sie wissen, dass { $host } Ihre E-Mails verwaltet.
eng-doc-nothing-there = nichts vorhanden
eng-doc-no-answer = keine Antwort in der vorgesehenen Zeit
# $email: the other address the answer names; $domain: its domain; $own: the domain of the person's address.
eng-doc-points-to-address = verweist auf die Einstellungen von { $email }: Folgen Sie dem nur, wenn Sie { $domain } vertrauen
    .explanation = Laut Autodiscover von { $own } sind Ihre Einstellungen die von { $email }. Folgen Sie dem nur, wenn Sie wissen, dass { $domain } Ihre E-Mails verwaltet.
eng-doc-wants-password = Der Server möchte Ihr Passwort, bevor er die Einstellungen nennt; Inlet sendet es nur, wenn Sie zustimmen
# Advice when the provider's configuration says mail apps must be enabled but gives no text.
eng-doc-enable-default = Erlauben Sie zuerst in den Einstellungen Ihres Kontos den Zugriff durch Mail-Programme.
# A link to the provider's documentation that has no title.
eng-doc-help-page = Die Hilfeseite des Anbieters
# HTTP requests (autoconfig, Autodiscover, Thunderbird's database). "HTTP 401" and the like stay.
eng-http-not-needed-autoconfig = nicht nötig: Der Autoconfig-Server hat zuerst geantwortet
eng-http-not-needed-autodiscover = nicht nötig: autodiscover.{ $domain } hat zuerst geantwortet
eng-http-not-https-address = { $url } ist keine HTTPS-Adresse
# $problem: the parser's error (technical, in English).
eng-http-not-a-url = { $url } ist keine Web-Adresse: { $problem }
eng-http-ispdb-url = Die Adresse der ISPDB lässt sich nicht bilden: { $problem }
eng-http-not-a-domain = { $domain } ist kein gültiger Domainname
eng-http-autoconfig-document = Autoconfig-Dokument: { $incoming } Posteingangs-, { $outgoing } Postausgangsserver
eng-http-no-settings = keine Einstellungen in der Antwort
# $status: an HTTP status code (3xx).
eng-http-redirect-without-location = HTTP { $status } ohne brauchbares Ziel (Location)
eng-http-401-wants-password = HTTP 401: Der Server möchte Ihr Passwort, bevor er die Einstellungen nennt
eng-http-401-refused = HTTP 401: Der Server hat Benutzername und Passwort nicht angenommen
eng-http-401-sending = HTTP 401: Der Server möchte das Passwort; es wird wie vereinbart gesendet
# $schemes: the HTTP sign-in methods the server named (NTLM, Negotiate...).
eng-http-401-other-scheme = HTTP 401: Der Server verlangt eine Anmeldung, die Inlet hier nicht anbietet ({ $schemes })
eng-http-redirect-not-https = Weiterleitung zu { $url } abgelehnt: kein HTTPS
# $cause: what redirected, e.g. "HTTP 302".
eng-http-redirect-other-domain = { $cause }: Weiterleitung zu einer anderen Domain, { $url }
eng-http-redirect = { $cause }: Weiterleitung zu { $url }
eng-http-too-many-redirects = mehr als { $limit } Weiterleitungen
# $content_type: what the server said it sent.
eng-http-not-xml = Der Server hat { $content_type } statt einer XML-Antwort von Autodiscover gesendet
eng-http-redirect-not-a-url = Die Antwort leitet zu { $url } weiter, das keine Web-Adresse ist: { $problem }
eng-http-redirect-to-itself = Die Antwort leitet die Adresse auf sich selbst weiter
eng-http-redirect-address = Der Server sagt, es solle für eine andere Adresse erneut gefragt werden: { $email }
eng-http-not-json-type = Der Server hat { $content_type } statt JSON gesendet
eng-http-exchange-not-used = nicht verwendet: { $types } (Exchange-eigene Protokolle)
eng-http-spa = { $protocol } verlangt „Secure Password Authentication“ (NTLM)
eng-http-no-mail-server = Die Antwort nennt keinen IMAP-, POP3- oder SMTP-Server
# $size: bytes, or eng-http-size-over; $limit: bytes.
eng-http-too-large = Die Antwort ist zu groß ({ $size } Bytes; die Grenze ist { $limit })
eng-http-size-over = über { $size }
eng-http-reading-failed = Die Antwort konnte nicht gelesen werden: { $problem }
eng-http-invalid-json = Die Antwort ist kein gültiges JSON: { $problem }
# $answered: the protocol the answer names; $protocol: the one asked for.
eng-http-other-protocol = Die Antwort gilt für { $answered }, nicht für { $protocol }
eng-http-no-server = Die Antwort nennt keinen Server
# $raw: what the answer gave as the server's address.
eng-http-not-a-server-address = { $raw } ist keine Serveradresse: { $problem }
eng-http-not-that-server = { $raw } ist kein { $protocol }-Server
eng-http-no-host = { $raw } nennt keinen Servernamen
eng-http-port-zero = { $raw } nennt Port 0, auf dem kein Server erreichbar sein kann
eng-http-not-https-url = { $url } ist keine https://-Adresse
# $problem: why the certificate was refused (eng-http-unknown-issuer, or technical).
eng-http-certificate-refused = Zertifikat abgelehnt: { $problem }
eng-http-unknown-issuer = von einer unbekannten Stelle ausgestellt (nicht vertrauenswürdig)
# Instead of a host name when the request has none.
eng-http-the-server = der Server
eng-http-no-such-name = { $host } gibt es nicht (kein solcher Name im DNS)
eng-http-dns-no-answer = Das DNS hat für { $host } nicht geantwortet
eng-http-lookup-failed = { $host } konnte nicht nachgeschlagen werden: { $problem }
eng-http-refused = { $host } hat die Verbindung abgelehnt (dort nimmt nichts Verbindungen an)
eng-http-no-answer = { $host } hat nicht rechtzeitig geantwortet
eng-http-cannot-connect = Keine Verbindung zu { $host }: { $problem }
# Guessing server names was left out (the person turned connecting to servers off).
eng-guess-skipped = nicht gefragt: keine Verbindungen zu Mailservern (ohne Prüfung)
eng-guess-not-asked = nicht gefragt
# What redirected, in eng-http-redirect ("HTTP 302" otherwise).
eng-http-cause-redirect-url = das redirectUrl der Antwort
# Why Autodiscover was not asked with the address and password (the password is never quoted).
eng-http-pox-not-an-address = Die Adresse ist keine E-Mail-Adresse
eng-http-pox-user-name = Der Benutzername kann nicht mit HTTP Basic gesendet werden (leer, oder mit einem Doppelpunkt oder einem Steuerzeichen)
eng-http-pox-password = Das Passwort kann nicht mit HTTP Basic gesendet werden (es enthält ein Steuerzeichen)
# Checking a proposed server without signing in. $security: TLS, STARTTLS or eng-security-none;
# $offered: eng-verify-sign-in-methods or eng-verify-no-sign-in-method.
eng-verify-answered = { $protocol }-Server hat geantwortet ({ $security }); { $offered }
# $methods: what the server lists (PLAIN, LOGIN, XOAUTH2...).
eng-verify-sign-in-methods = Anmeldung: { $methods }
eng-verify-no-sign-in-method = keine Anmeldeverfahren angegeben

## Words for a connection's security and a sign-in method (the CLI, the report, messages).

eng-security-none = ohne Verschlüsselung
# Inside a sentence: "The settings say to sign in with a password".
eng-auth-password = per Passwort
eng-auth-browser = über den Browser

## The help-desk report: the steps of a sign-in with the provider, and what was checked.
# Step names (the report's "Step" column).

eng-trail-step-issuer = Aussteller (Issuer)
eng-trail-step-authorization = Anmeldeseite (Authorization Endpoint)
eng-trail-step-device = Geräteanmeldung (Device Authorization Endpoint)
eng-trail-step-token = Token-Endpunkt
eng-trail-step-token-waiting = Token-Endpunkt (wartet auf die Eingabe des Codes)
eng-trail-step-redirect = Weiterleitung zu Inlet
eng-trail-step-after-tokens = nach den Tokens
eng-trail-loopback = 127.0.0.1 (nur dieser Computer)
# $page, $token, $device: web addresses of the provider.
eng-trail-endpoints = Anmeldeseite { $page }, Token-Endpunkt { $token }
eng-trail-endpoints-device = Anmeldeseite { $page }, Token-Endpunkt { $token }, Geräteanmeldung { $device }
eng-trail-browser-opened = Der Browser wurde mit der Anmeldeseite des Anbieters geöffnet
eng-trail-browser-not-opened = Kein Browser gestartet: Die Adresse wurde zum Kopieren angezeigt
eng-trail-device-code = ein Code zur Eingabe auf { $page } (der Code wird nicht gezeigt)
eng-trail-exchanging = Der Browser kam mit einem Autorisierungscode zurück (nicht gezeigt); er wird eingetauscht
eng-trail-tokens-received = Tokens erhalten (das Refresh-Token kommt in den Schlüsselbund, das Access-Token bleibt im Arbeitsspeicher; keines wird gezeigt)
# What was checked (the report's "Checked:" line and "OK (…)").
eng-checked-signed-in = angemeldet
eng-checked-test-message = Testnachricht senden
eng-checked-connected-only = verbunden, ohne Anmeldung
eng-checked-discovery-only = nur die Suche nach den Einstellungen
eng-checked-provider-sign-in = Anmeldung beim Anbieter
eng-checked-provider-sign-in-again = erneute Anmeldung beim Anbieter
eng-checked-saving = Postfach speichern
eng-checked-loading-folders = Ordner laden
eng-checked-saving-folders = gewählte Ordner speichern
eng-checked-changed-settings = geänderte Einstellungen prüfen
eng-checked-updating-password = Passwort ändern
eng-checked-reconnecting = Postfach neu verbinden
# The "server" of the saving step in the report's attempts.
eng-report-this-computer = dieser Computer (der Schlüsselbund und die Postfachliste von Inlet)
