# Inlet's window: the frame around every view (header, loading, language setting).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.

app-your-mailboxes = Your mailboxes
app-demo-mode = Demo mode: canned data in a browser. Nothing is sent to a server.
app-loading-mailboxes = Loading your mailboxes…

## The language setting in the header.

language-label = Language
language-follow-system = System ({ $language ->
    [de] German
   *[en] English
})
language-english = English
language-german = Deutsch

## Words every view uses (buttons and links); a view's own wording goes in its own file.

common-back = Back
common-next = Next
common-cancel = Cancel
common-close = Close
common-save = Save
common-try-again = Try again
common-show-details = Show details
common-hide-details = Hide details
common-copy = Copy
common-copied = Copied
common-optional = (optional)
