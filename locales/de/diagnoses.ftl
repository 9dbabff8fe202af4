# Diagnoses: the catalog of what went wrong and what to do (crates/inlet-core/src/diagnose/catalog.rs).
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.
# See locales/en/diagnoses.ftl for the variables; each line of a `.steps…` attribute is one numbered step.
# „Erneut versuchen" is the German name of the "Try again" button (common-try-again).

## Refusals that say more than "wrong password".

diag-app-password-required = Ein App-Passwort wird benötigt
    .what-happened = { $target } nimmt in Mail-Programmen nicht das eigentliche Passwort Ihres Kontos an: { $provider } verlangt ein App-Passwort, also ein eigenes Passwort nur für ein Programm. Ihr Passwort ist vermutlich richtig.
    .what-happened-any-provider = { $target } nimmt in Mail-Programmen nicht das eigentliche Passwort Ihres Kontos an: Ihr Anbieter verlangt ein App-Passwort, also ein eigenes Passwort nur für ein Programm. Ihr Passwort ist vermutlich richtig.
    .steps-google =
        Schalten Sie in Ihrem Google-Konto die Bestätigung in zwei Schritten ein (myaccount.google.com → Sicherheit).
        Erstellen Sie dort ein App-Passwort: Sicherheit → Bestätigung in zwei Schritten → App-Passwörter.
        Geben Sie hier das App-Passwort statt Ihres Google-Passworts ein und wählen Sie dann „Erneut versuchen".
    .steps-yahoo =
        Melden Sie sich im Browser bei Ihrem Yahoo-Konto an und öffnen Sie Kontoinformationen → Kontosicherheit.
        Wählen Sie „App-Passwort generieren" und nennen Sie es Inlet.
        Geben Sie hier das App-Passwort statt Ihres Yahoo-Passworts ein und wählen Sie dann „Erneut versuchen".
    .steps-aol =
        Melden Sie sich im Browser bei Ihrem AOL-Konto an und öffnen Sie Kontoinformationen → Kontosicherheit.
        Wählen Sie „App-Passwort generieren" und nennen Sie es Inlet.
        Geben Sie hier das App-Passwort statt Ihres AOL-Passworts ein und wählen Sie dann „Erneut versuchen".
    .steps-icloud =
        Melden Sie sich bei Ihrem Apple Account an (account.apple.com) und öffnen Sie Anmeldung und Sicherheit → App-spezifische Passwörter.
        Erstellen Sie ein Passwort für Inlet (die Zwei-Faktor-Authentifizierung muss eingeschaltet sein).
        Geben Sie es hier statt des Passworts Ihres Apple Accounts ein und wählen Sie dann „Erneut versuchen".
    .steps-any-provider =
        Melden Sie sich auf der Website Ihres Anbieters an und suchen Sie nach App-Passwörtern (oft unter „Sicherheit" oder „Kontosicherheit").
        Erstellen Sie eines für Inlet.
        Geben Sie es hier statt Ihres üblichen Passworts ein und wählen Sie dann „Erneut versuchen".

diag-web-sign-in-required = Melden Sie sich zuerst im Browser an
    .what-happened = { $target } möchte, dass Sie sich auf der Website von { $provider } anmelden, bevor ein Mail-Programm es darf: Der Server hat eine Anmeldung bemerkt, die er bestätigen lassen will, oder seine Regeln haben sich geändert. Das Passwort ist nicht falsch.
    .what-happened-any-provider = { $target } möchte, dass Sie sich auf der Website Ihres Anbieters anmelden, bevor ein Mail-Programm es darf: Der Server hat eine Anmeldung bemerkt, die er bestätigen lassen will, oder seine Regeln haben sich geändert. Das Passwort ist nicht falsch.
    .steps-google =
        Melden Sie sich auf diesem Computer im Browser bei Gmail an und führen Sie jede Prüfung durch, um die Google Sie bittet.
        Zeigt Google eine Sicherheitswarnung zu einer blockierten Anmeldung, bestätigen Sie, dass Sie es waren.
        Kommen Sie zurück und wählen Sie innerhalb weniger Minuten „Erneut versuchen". Ist die Bestätigung in zwei Schritten eingeschaltet, geben Sie hier ein App-Passwort ein.
    .steps-any-provider =
        Melden Sie sich auf diesem Computer im Browser auf der Website Ihres Anbieters bei Ihrem Postfach an und führen Sie jede Prüfung durch, um die er Sie bittet.
        Kommen Sie zurück und wählen Sie innerhalb weniger Minuten „Erneut versuchen".

diag-protocol-disabled = { $protocol } ist für dieses Postfach ausgeschaltet
    .what-happened = { $target } hat Ihre Anmeldedaten angenommen, aber der Zugriff über { $protocol } ist für dieses Postfach ausgeschaltet, deshalb können Mail-Programme es nicht nutzen. Ihr Passwort ist nicht das Problem.
    .steps-gmail-pop =
        Öffnen Sie Gmail im Browser: Einstellungen → Alle Einstellungen aufrufen → Weiterleitung und POP/IMAP.
        Schalten Sie unter „POP-Download" POP ein und speichern Sie.
        Wählen Sie „Erneut versuchen".
    .steps-gmail-imap =
        Öffnen Sie Gmail im Browser: Einstellungen → Alle Einstellungen aufrufen → Weiterleitung und POP/IMAP.
        Schalten Sie unter „IMAP-Zugriff" IMAP ein und speichern Sie.
        Wählen Sie „Erneut versuchen".
    .steps-google-workspace =
        Bitten Sie Ihren Google-Workspace-Administrator, den Zugriff über { $protocol } für Ihr Konto zu erlauben (Admin-Konsole → Apps → Google Workspace → Gmail → Endnutzerzugriff).
        Sobald das geschehen ist, wählen Sie „Erneut versuchen".
    .steps-outlook =
        Öffnen Sie Outlook.com im Browser: Einstellungen → E-Mail → Weiterleitung und IMAP, und erlauben Sie { $protocol }.
        Wählen Sie „Erneut versuchen".
    .steps-microsoft365 =
        Bitten Sie Ihren Microsoft-365-Administrator, { $protocol } für Ihr Postfach einzuschalten (Exchange Admin Center → das Postfach → E-Mail-Apps verwalten).
        Sobald das geschehen ist, wählen Sie „Erneut versuchen".
    .steps-any-provider =
        Schalten Sie den Zugriff über { $protocol } in den Einstellungen Ihres Postfachs im Browser ein (suchen Sie nach „POP/IMAP" oder „Mail-Apps"), oder bitten Sie Ihren Administrator darum.
        Bietet Ihr Anbieter IMAP an und Sie haben POP gewählt (oder umgekehrt), wählen Sie das Verfahren, das er anbietet.
        Wählen Sie „Erneut versuchen".

diag-basic-auth-disabled = Ihre Organisation hat die Anmeldung mit Passwort ausgeschaltet
    .what-happened-smtp = { $target } versendet keine E-Mails nach einer Anmeldung mit Passwort: Authentifiziertes SMTP (SMTP AUTH) ist für Ihre Organisation oder für dieses Postfach ausgeschaltet. Ihr Passwort ist nicht das Problem.
    .what-happened = { $target } lehnt Anmeldungen mit Passwort (Standardauthentifizierung) für Ihre Organisation ab. Ihr Passwort ist nicht das Problem.
    .steps-smtp =
        Bitten Sie Ihren Microsoft-365-Administrator, „Authentifiziertes SMTP" für dieses Postfach (Exchange Admin Center → das Postfach → E-Mail-Apps verwalten → Authentifiziertes SMTP) oder für die Organisation einzuschalten.
        Auch die Sicherheitsstandards in Microsoft Entra ID schalten es aus; der Administrator entscheidet, ob es genutzt werden darf.
        Sobald es eingeschaltet ist, wählen Sie „Erneut versuchen".
    .steps =
        Fragen Sie Ihren Administrator, ob sich Mail-Programme mit Passwort anmelden dürfen; Microsoft hat das für IMAP und POP in Exchange Online ausgeschaltet.
        Wo Ihre Organisation es erlaubt, melden Sie sich mit Microsoft an statt mit einem Passwort.

diag-password-or-sign-in-blocked = Das Passwort wurde abgelehnt, oder die Anmeldung mit Passwort ist ausgeschaltet
    .what-happened = { $target } antwortete „{ $said }". Das sendet Microsoft sowohl bei einem falschen Passwort als auch dann, wenn die Anmeldung mit Passwort für Mail-Programme in der Organisation oder für das Postfach ausgeschaltet ist. Ein falsches Passwort ist wahrscheinlicher.
    .steps =
        Melden Sie sich mit derselben Adresse und demselben Passwort bei Outlook im Web an (outlook.office.com). Schlägt auch das fehl, ist das Passwort falsch: Korrigieren Sie es hier und wählen Sie „Erneut versuchen".
        Klappt die Anmeldung im Web, ist das Passwort richtig und die Anmeldung mit Passwort für Mail-Programme ausgeschaltet: Bitten Sie Ihren Administrator, die Anmeldung über IMAP, POP oder SMTP für dieses Postfach zu erlauben, oder melden Sie sich stattdessen mit Microsoft an.

diag-throttled = Der Server bremst dieses Konto
    .what-happened = { $target } begrenzt, wie oft sich dieses Konto anmelden oder arbeiten darf, und die Grenze ist erreicht: Zu viele Programme oder Geräte nutzen es gleichzeitig, oder zu viel in kurzer Zeit. Ihre Eingaben sind nicht falsch.
    .wait = Warten Sie einige Minuten und wählen Sie dann „Erneut versuchen".
    .wait-asked = Warten Sie { $minutes ->
        [one] eine Minute
       *[other] { $minutes } Minuten
    } (darum hat der Server gebeten) und wählen Sie dann „Erneut versuchen".
    .steps =
        Schließen Sie andere Programme und Geräte, die dieses Postfach oft abrufen, oder trennen Sie Dienste, die Sie nicht mehr nutzen: Jedes davon zählt zur selben Grenze.
        Wenn es wieder passiert, fragen Sie Ihren Anbieter nach seinen Grenzen.

diag-too-many-connections = Zu viele Verbindungen zu diesem Postfach
    .what-happened = { $target } erlaubt nur wenige gleichzeitige Verbindungen zu einem Postfach, und andere Programme oder Geräte belegen sie schon. Ihre Eingaben sind nicht falsch.
    .steps =
        Schließen Sie andere Mail-Programme, Telefone oder Dienste, die mit diesem Postfach verbunden sind, oder trennen Sie die, die Sie nicht mehr nutzen.
        Warten Sie einige Minuten, bis deren Verbindungen enden, und wählen Sie dann „Erneut versuchen".

diag-bandwidth-exceeded = Dieses Konto hat seine tägliche Übertragungsgrenze erreicht
    .what-happened = { $target } hat den Zugriff für Mail-Programme auf dieses Konto angehalten, weil es mehr heruntergeladen oder hochgeladen hat, als der Anbieter an einem Tag erlaubt. Ihre Eingaben sind nicht falsch.
    .steps =
        Warten Sie: Die Grenze wird innerhalb eines Tages zurückgesetzt (bei Gmail nach bis zu 24 Stunden).
        Halten Sie in der Zwischenzeit andere Programme davon ab, dieses Postfach abzugleichen, und wählen Sie dann „Erneut versuchen".

diag-account-disabled = Dieses Konto ist deaktiviert
    .what-happened = { $target } meldet, dass sich dieses Konto nicht anmelden darf: Sein Administrator oder Anbieter hat es deaktiviert. Ihr Passwort ist nicht das Problem.
    .steps =
        Fragen Sie Ihren Administrator oder Anbieter, warum das Konto deaktiviert ist; die Worte des Servers stehen unten.
        Sobald es wieder aktiviert ist, wählen Sie „Erneut versuchen": Hier muss nichts geändert werden.

diag-account-locked = Dieses Konto ist gesperrt
    .what-happened = { $target } hat dieses Konto gesperrt, meist nach zu vielen Anmeldungen mit einem falschen Passwort.
    .steps =
        Warten Sie, bis die Sperre endet (oft 15 bis 30 Minuten), oder entsperren Sie das Konto auf der Website Ihres Anbieters.
        Prüfen Sie, ob andere Programme und Geräte noch ein altes Passwort verwenden: Sie sperren das Konto immer wieder.
        Prüfen Sie hier das Passwort und wählen Sie dann „Erneut versuchen".

diag-password-expired = Ihr Passwort ist abgelaufen
    .what-happened = { $target } meldet, dass das Passwort dieses Kontos abgelaufen ist und vor jeder Anmeldung geändert werden muss.
    .steps =
        Ändern Sie Ihr Passwort auf der Website Ihres Anbieters (oder auf der Passwortseite Ihrer Organisation).
        Geben Sie hier das neue Passwort ein und wählen Sie dann „Erneut versuchen".

diag-mailbox-in-use = Ein anderes Programm nutzt dieses Postfach
    .what-happened = { $target } lässt immer nur ein Programm zugleich dieses Postfach nutzen, und ein anderes hat es geöffnet (POP3 sperrt das Postfach, solange ein Programm es herunterlädt). Ihre Eingaben sind nicht falsch.
    .steps =
        Schließen Sie andere Mail-Programme oder Telefone, die dieses Postfach herunterladen, oder warten Sie, bis sie fertig sind.
        Wählen Sie in einigen Minuten „Erneut versuchen".

diag-not-authorized = Dieses Konto darf dieses Postfach nicht nutzen
    .what-happened = { $target } hat die Anmeldung angenommen, aber dieses Konto darf dieses Postfach nicht nutzen.
    .steps =
        Prüfen Sie den Benutzernamen: Bei einem gemeinsamen Postfach sagt Ihnen Ihr Administrator, mit welchem Namen Sie sich anmelden.
        Bitten Sie Ihren Administrator, Ihrem Konto Zugriff auf dieses Postfach zu geben.

diag-server-busy = Der Server nimmt gerade keine Verbindungen an
    .what-happened = { $target } hat geantwortet, die Verbindung aber sofort abgewiesen: Er ist ausgelastet oder wird gewartet.
    .steps =
        Warten Sie einige Minuten und wählen Sie dann „Erneut versuchen".
        Wenn es wieder passiert, sagen Sie es Ihrem Anbieter; die Worte des Servers stehen unten.

diag-connection-blocked = Der Server weist dieses Netzwerk ab
    .what-happened = { $target } bedient diesen Computer oder dieses Netzwerk nach seinen Regeln nicht (die Adresse steht vielleicht auf einer Sperrliste, oder nur bestimmte Netzwerke dürfen den Server nutzen).
    .steps =
        Versuchen Sie es zur Bestätigung aus einem anderen Netzwerk (etwa über den Hotspot eines Telefons).
        Fragen Sie Ihren Anbieter oder Administrator, ob die Adresse dieses Netzwerks gesperrt ist; die Worte des Servers stehen unten.

diag-server-error = Der Server hat einen eigenen Fehler gemeldet
    .what-happened = { $target } hat ein Problem auf seiner Seite gemeldet. Ihre Eingaben sind nicht falsch.
    .steps =
        Wählen Sie später „Erneut versuchen".
        Wenn es wieder passiert, senden Sie den Bericht an Ihren Anbieter: Die Worte des Servers stehen unten.

diag-sender-not-allowed = Dieses Konto darf nicht von dieser Adresse senden
    .what-happened = { $target } hat Sie angemeldet, aber das Senden von dieser Adresse für dieses Konto abgelehnt.
    .steps =
        Prüfen Sie, ob die Adresse des Postfachs die ist, die diesem Konto gehört.
        Um von einer anderen Adresse zu senden, muss Ihr Administrator es erlauben („Senden als"), oder Ihr Anbieter muss sie als Alias bestätigen.

## Added to what happened.

diag-server-alert = Die Nachricht des Servers an Sie: „{ $alert }"
