# Inlet's window: the frame around every view (header, loading, language setting).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

app-your-mailboxes = Ihre Postfächer
app-demo-mode = Demo-Modus: Beispieldaten im Browser. Es wird nichts an einen Server gesendet.
app-loading-mailboxes = Ihre Postfächer werden geladen…

## The language setting in the header.

language-label = Sprache
language-follow-system = System ({ $language ->
    [de] Deutsch
   *[en] Englisch
})
language-english = English
language-german = Deutsch

## Words every view uses (buttons and links); a view's own wording goes in its own file.

common-back = Zurück
common-next = Weiter
common-cancel = Abbrechen
common-close = Schließen
common-save = Speichern
common-try-again = Erneut versuchen
common-show-details = Details anzeigen
common-hide-details = Details ausblenden
common-copy = Kopieren
common-copied = Kopiert
common-optional = (optional)
