# Inlet's engine: texts the engine writes (diagnoses, provider advice), read by the app and the CLI.
# Each language folder has the same files with the same message ids; see crates/inlet-core/src/i18n.rs.

## Languages, named in the language of the text around them.

language-name = { $language ->
    [de] German
   *[en] English
}
