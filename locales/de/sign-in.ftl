# Signing in through the provider's page (OAuth 2.0): its diagnoses and messages
# (crates/inlet-core/src/diagnose/sign_in.rs, oauth/).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
# `.what-to-do` is split into numbered steps at each sentence's end: no "z. B.", "d. h." inside.

## Set-up and policy.

signin-not-set-up = Die Anmeldung bei diesem Anbieter ist nicht eingerichtet
    .what-happened = In dieser Inlet-Installation ist keine App-Registrierung für die Anmeldung mit { $provider } eingerichtet. Ein Administrator muss Inlet bei { $provider } registrieren (als Desktop-App mit Loopback-Weiterleitung) und „{ $key }" unter „oauth" in der Richtliniendatei ({ $file }) oder in der config.json von Inlet eintragen.
    .what-happened-other-provider = In dieser Inlet-Installation ist keine App-Registrierung für die Anmeldung bei diesem Anbieter eingerichtet. Ein Administrator muss Inlet bei diesem Anbieter registrieren (als Desktop-App mit Loopback-Weiterleitung) und „issuers" (issuer und clientId) unter „oauth" in der Richtliniendatei ({ $file }) oder in der config.json von Inlet eintragen.
    .what-to-do = Bitten Sie Ihren Administrator (oder wer Inlet installiert hat), sie einzurichten. Verwenden Sie bis dahin ein App-Passwort, wo Ihr Anbieter eines anbietet.

signin-policy-locked = Die Richtlinie Ihrer Organisation legt diese Einstellung fest
    .what-happened = Die Inlet-Richtlinie Ihres Administrators legt { $what ->
        [tenant] den Microsoft-Mandanten
       *[client-id] die Client-ID
    } für die Anmeldung fest, und es wurde ein anderer Wert verlangt.
    .what-to-do = Melden Sie sich an, ohne eine Client-ID oder einen Mandanten zu wählen, oder fragen Sie Ihren Administrator.

signin-policy-unusable = Die Inlet-Richtlinie Ihres Administrators kann nicht gelesen werden
    .what-happened-unreadable = Die Richtliniendatei { $path } ist vorhanden, kann aber nicht gelesen werden: { $error }. Ohne die Regeln Ihres Administrators meldet Inlet sich nicht an.
    .what-happened-invalid = Die Richtliniendatei { $path } ist vorhanden, aber nicht gültig: { $error }. Ohne die Regeln Ihres Administrators meldet Inlet sich nicht an.
    .what-to-do = Ihr Administrator muss die Richtliniendatei korrigieren oder entfernen.

## The sign-in itself.

signin-busy = Eine Anmeldung läuft bereits
    .what-happened = Inlet führt immer nur eine Anmeldung aus, und eine andere ist noch nicht abgeschlossen.
    .what-to-do = Schließen Sie die andere Anmeldung ab oder brechen Sie sie ab, und versuchen Sie es dann erneut.

signin-cancelled = Anmeldung abgebrochen
    .what-happened = Sie haben die Anmeldung beendet. Es wurde nichts gespeichert.
    .what-to-do = Starten Sie die Anmeldung erneut, wenn Sie so weit sind.

signin-timed-out = Die Anmeldung kam nicht rechtzeitig zurück
    .what-happened = Inlet hat { $seconds ->
        [one] eine Sekunde
       *[other] { $seconds } Sekunden
    } gewartet, dass die Seite des Anbieters Sie zurückschickt, doch das ist nicht geschehen.
    .what-to-do = Versuchen Sie es erneut und schließen Sie die Anmeldung in der angezeigten Zeit ab. Schickt die Seite Sie nie zurück (bei einer Fernsitzung oder auf einem anderen Computer), wählen Sie stattdessen „Mit einem Code anmelden".

signin-state-mismatch = Die Antwort gehört nicht zu dieser Anmeldung
    .what-happened = Der Browser kam mit einer Antwort zurück, die nicht zu der Anmeldung gehört, die Inlet gestartet hat (ihr „state" passte nicht), deshalb hat Inlet sie nicht beachtet.
    .what-to-do = Starten Sie die Anmeldung erneut in Inlet und schließen Sie sie in dem Browserfenster ab, das Inlet öffnet.

signin-issuer-mismatch = Die Antwort kam von einem anderen Anbieter
    .what-happened = Inlet hat die Antwort von { $expected } erwartet, aber sie gibt an, von { $got } zu stammen, deshalb hat Inlet sie nicht beachtet (RFC 9207).
    .what-happened-no-issuer = Inlet hat die Antwort von { $expected } erwartet, aber sie nennt keinen Absender, deshalb hat Inlet sie nicht beachtet (RFC 9207).
    .what-to-do = Starten Sie die Anmeldung erneut. Wenn es wieder passiert, sagen Sie es Ihrem Administrator: Möglicherweise fängt jemand Anmeldungen ab.

signin-redirect-unusable = Die Antwort der Anmeldung war nicht verwendbar
    .what-happened = Der Browser kam ohne ein Ergebnis der Anmeldung zu Inlet zurück.
    .what-to-do = Starten Sie die Anmeldung erneut.

signin-issuer-unreachable = Der Anmeldedienst ist nicht erreichbar
    .what-happened = Inlet hat keine Antwort von { $issuer } bekommen. Ihre Anmeldung bleibt erhalten.
    .what-to-do = Prüfen Sie, ob dieser Computer online ist, und versuchen Sie es in einigen Minuten erneut.

signin-issuer-metadata = Der Anmeldedienst des Anbieters ist nicht wie erwartet eingerichtet
    .what-happened = { $issuer } beschreibt seine Anmeldung nicht so, wie OAuth 2.0 es verlangt.
    .what-to-do = Das muss der Anbieter oder Ihr Administrator beheben; die Einzelheiten stehen unten.

signin-no-device-flow = Die Anmeldung mit einem Code wird nicht angeboten
    .what-happened = { $issuer } bietet keine Anmeldung mit einem Code auf einem anderen Gerät an.
    .what-to-do = Melden Sie sich stattdessen mit dem Browser auf diesem Computer an.

signin-no-refresh-token = Der Anbieter lässt Inlet nicht angemeldet bleiben
    .what-happened = { $issuer } hat Sie angemeldet, Inlet aber keine dauerhafte Erlaubnis gegeben (kein Refresh-Token), daher bräuchte das Postfach jede Stunde eine neue Anmeldung.
    .what-to-do = Melden Sie sich erneut an und erlauben Sie Inlet, den Zugriff zu behalten. Wenn es wieder passiert, hat Ihr Administrator das vielleicht eingeschränkt.

signin-unexpected-answer = Die Antwort des Anmeldedienstes ergab keinen Sinn
    .what-happened = { $issuer } hat etwas geantwortet, das Inlet nicht lesen konnte.
    .what-to-do = Versuchen Sie es später erneut. Wenn es wieder passiert, helfen die Einzelheiten unten Ihrem Administrator.

## The provider refused (its OAuth error answer, read in oauth/errors.rs).

signin-denied = Sie haben die Anmeldung abgelehnt
    .what-happened = { $issuer } meldet, dass die Erlaubnis für Inlet abgelehnt wurde.
    .what-to-do = Melden Sie sich erneut an und erlauben Sie Inlet, Ihre E-Mails zu lesen und zu senden.

signin-client-rejected = Der Anbieter akzeptiert diese App nicht
    .what-happened = { $issuer } kennt die App-Registrierung nicht, die Inlet verwendet hat.
    .what-to-do = Ein Administrator muss die für Inlet eingetragene Client-ID prüfen (Richtliniendatei oder config.json).

signin-scope-rejected = Die App darf keinen Zugriff auf E-Mails anfragen
    .what-happened = { $issuer } hat die E-Mail-Berechtigungen abgelehnt, die Inlet angefragt hat.
    .what-to-do = Ein Administrator muss den Zugriff auf E-Mails (IMAP, POP, SMTP) für die App-Registrierung erlauben, die Inlet verwendet.

signin-consent-required = Der Administrator Ihrer Organisation muss Inlet genehmigen
    .what-happened = { $issuer } verlangt, dass ein Administrator Ihrer Organisation Inlet genehmigt, bevor sich dort jemand damit anmelden kann. Sie können das nicht selbst tun.
    .what-to-do = Senden Sie Ihrem Administrator den Genehmigungslink unten (Administratorzustimmung). Sobald er zugestimmt hat, melden Sie sich erneut an.

signin-other-tenant = Dieses Konto gehört zu einer anderen Organisation
    .what-happened = { $issuer } meldet, dass das Konto, mit dem Sie sich angemeldet haben, nicht zu der Organisation (dem Mandanten) gehört, für die diese Anmeldung gedacht ist.
    .what-to-do = Melden Sie sich mit Ihrem Konto dieser Organisation an, oder wählen Sie den Mandanten „common". Ihr Administrator kann das Konto einladen, wenn es Zugriff haben soll.

signin-conditional-access = Ihre Organisation verlangt einen weiteren Anmeldeschritt
    .what-happened = { $issuer } verlangt eine Mehrfaktor-Authentifizierung oder sperrt die Anmeldung nach den Regeln für bedingten Zugriff Ihrer Organisation.
    .what-to-do = Führen Sie den zusätzlichen Schritt im Browser aus; sind Sie gesperrt, fragen Sie Ihren Administrator, welches Gerät oder Netzwerk erlaubt ist.

signin-app-unknown = Inlet ist in Ihrer Organisation nicht bekannt
    .what-happened = { $issuer } meldet, dass die App, die Inlet verwendet, nicht im Verzeichnis Ihrer Organisation registriert ist.
    .what-to-do = Ihr Administrator muss Inlet registrieren (oder eine eigene Client-ID Ihrer Organisation dafür eintragen).

signin-public-client-disabled = Diese App-Registrierung erlaubt keine Anmeldung aus Desktop-Apps
    .what-happened = { $issuer } lehnt für diese App-Registrierung Anmeldungen aus Desktop-Apps ab (öffentliche Clientflows sind ausgeschaltet).
    .what-to-do = Ein Administrator muss „Allow public client flows" für die App-Registrierung einschalten, die Inlet verwendet.

signin-single-tenant-app = Diese App funktioniert nur in ihrer eigenen Organisation
    .what-happened = { $issuer } meldet, dass die App-Registrierung nur für eine Organisation gilt, die Anmeldung aber für jedes Konto gedacht war.
    .what-to-do = Ein Administrator muss den Mandanten (microsoftTenant) auf den der Organisation setzen oder die Registrierung mehrinstanzenfähig machen.

signin-expired = Melden Sie sich erneut an
    .what-happened = { $issuer } akzeptiert die Erlaubnis von Inlet für dieses Postfach nicht mehr (sie wurde widerrufen oder zu lange nicht genutzt). Alle Einstellungen bleiben erhalten.
    .what-to-do = Melden Sie sich erneut mit dem Browser an; das Postfach behält alle seine Einstellungen.

signin-blocked-by-admin = Ihre Organisation sperrt diese App
    .what-happened = { $issuer } meldet, dass der Administrator Ihrer Organisation Inlet den Zugriff auf dieses Konto nicht erlaubt.
    .what-to-do = Bitten Sie Ihren Administrator, Inlet in der Google Admin-Konsole zu erlauben (API-Steuerung).

signin-org-internal = Diese App ist auf eine andere Organisation beschränkt
    .what-happened = { $issuer } meldet, dass die App-Registrierung, die Inlet verwendet, nur innerhalb der Organisation genutzt werden darf, die sie erstellt hat.
    .what-to-do = Wer Inlet eingerichtet hat, muss eine Registrierung verwenden, die für Ihre Organisation offen ist (oder Ihr Administrator trägt Ihre eigene ein).

signin-app-unverified = Google sperrt diese App als nicht bestätigt
    .what-happened = { $issuer } sperrt die App-Registrierung, die Inlet verwendet, weil Google sie nicht bestätigt hat.
    .what-to-do = Wer Inlet eingerichtet hat, muss die Registrierung bestätigen lassen, oder Ihr Administrator stuft sie als vertrauenswürdig ein.

signin-temporarily-unavailable = Der Anmeldedienst hat ein vorübergehendes Problem
    .what-happened = { $issuer } kann die Anmeldung gerade nicht bedienen. Ihre Anmeldung bleibt erhalten.
    .what-to-do = Warten Sie einige Minuten und versuchen Sie es erneut.

signin-device-code-expired = Der Code ist abgelaufen
    .what-happened = Der Code wurde nicht rechtzeitig eingegeben und bestätigt.
    .what-to-do = Beginnen Sie erneut und geben Sie den neuen Code in der angezeigten Zeit ein.

signin-refused = Der Anbieter hat die Anmeldung abgelehnt
    .what-happened = { $issuer } hat die Anmeldung abgelehnt; seine eigenen Worte stehen unten.
    .what-to-do = Versuchen Sie es erneut. Wenn es weiter fehlschlägt, zeigen Sie die Worte unten Ihrem Administrator.

## After signing in.

signin-mail-access-off = Der Mailserver akzeptiert diese Anmeldung nicht
    .what-happened = Sie haben sich bei Ihrem Anbieter angemeldet, aber der Mailserver hat die erteilte Erlaubnis abgelehnt: Vielleicht ist IMAP oder POP für dieses Postfach ausgeschaltet, oder Sie haben sich mit einem anderen Konto angemeldet als dem dieses Postfachs.
    .what-to-do = Prüfen Sie, ob Sie sich mit dem eigenen Konto dieses Postfachs angemeldet haben. Schalten Sie dann IMAP oder POP für das Postfach ein (in seinen Einstellungen im Browser, oder fragen Sie Ihren Administrator: In Microsoft 365 ist das eine Einstellung je Postfach).

## Evidence lines (for the technician).

signin-evidence-answered = Antwort des Anmeldedienstes: { $error }
signin-evidence-answered-described = Antwort des Anmeldedienstes: { $error } ({ $description })
signin-evidence-explanation = Erklärung des Anmeldedienstes: { $uri }
signin-evidence-admin-consent = Administratorzustimmung: { $url }

## What the user typed, refused.

signin-unknown-grant = Inlet kennt diese Anmeldung nicht (vielleicht wurde sie verworfen): Melden Sie sich erneut mit dem Browser an.
signin-tenant-invalid = „{ $tenant }" ist kein Microsoft-Mandant: Verwenden Sie common, organizations, consumers, die ID des Mandanten oder seine Domain (contoso.onmicrosoft.com).
signin-url-invalid = „{ $value }" ist keine URL: { $error }.
signin-url-not-https = „{ $value }" muss eine https://-URL sein: Die Anmeldung läuft nie über unverschlüsseltes HTTP.

## Details shown under a sign-in diagnosis (for the technician).

signin-detail-not-metadata = { $url } enthält keine Metadaten eines Anmeldedienstes: { $error }
signin-detail-other-issuer = { $url } beschreibt einen anderen Anmeldedienst ({ $issuer })
signin-detail-names-no = { $url } nennt keinen Eintrag „{ $name }"
signin-detail-no-metadata = Keine Metadaten gefunden ({ $tried })
signin-detail-cannot-listen = Inlet kann auf 127.0.0.1 keine Verbindungen annehmen: { $error }
signin-detail-no-code = Die Weiterleitung enthielt keinen Code
signin-detail-token-answer-unreadable = Die Antwort mit dem Token konnte nicht gelesen werden (bei { $at })
signin-detail-answer-unreadable = Die Antwort von { $endpoint } konnte nicht gelesen werden (bei { $at })

## The page the browser shows when it comes back to Inlet (a tab in the user's browser).

signin-page-done = Angemeldet
    .text = Sie können diesen Tab schließen und zu Inlet zurückkehren.
signin-page-failed = Anmeldung nicht abgeschlossen
    .text = Kehren Sie zu Inlet zurück, um zu sehen, was passiert ist, und versuchen Sie es erneut.
