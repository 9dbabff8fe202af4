# The window: mailboxes (ui/src/lib).
# Each language folder has the same files with the same message ids; see ui/src/lib/i18n.svelte.ts.
