//! The one message catalog: every text a person reads, in English and German, from the Fluent
//! files in `locales/` at the top of the repository (https://projectfluent.org). The engine's
//! texts (diagnoses, provider advice) are looked up here; the UI reads the same files for its
//! own. The language follows the OS locale unless the user chose one (kept in the data folder).
//!
//! `fluent-bundle` does the parsing, plural rules and formatting; this module only picks the
//! language and falls back to English for a message a translation lacks.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages Inlet speaks; every one is complete (a test compares each to English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    De,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::En, Language::De];

    /// The BCP 47 tag: "en", "de".
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }

    /// The language a locale name asks for ("de_DE.UTF-8", "de-AT", "en"), when Inlet speaks it.
    pub fn from_locale(locale: &str) -> Option<Language> {
        // POSIX names carry an encoding and a modifier ("de_DE.UTF-8@euro"); BCP 47 uses '-'.
        let name = locale.split(['.', '@']).next().unwrap_or_default().replace('_', "-");
        let id: LanguageIdentifier = name.parse().ok()?;
        Language::ALL.into_iter().find(|l| l.tag() == id.language.as_str())
    }

    fn index(self) -> u8 {
        self as u8
    }
}

/// The engine's files of the catalog, with the CLI's (the window has its own in the same folders). A message id
/// is unique across every file of a language (the catalog tests check it).
const ENGINE_FILES: [&str; 5] = ["engine", "diagnoses", "sign-in", "cli", "config"];

fn sources(language: Language) -> [&'static str; ENGINE_FILES.len()] {
    match language {
        Language::En => [
            include_str!("../../../locales/en/engine.ftl"),
            include_str!("../../../locales/en/diagnoses.ftl"),
            include_str!("../../../locales/en/sign-in.ftl"),
            include_str!("../../../locales/en/cli.ftl"),
            include_str!("../../../locales/en/config.ftl"),
        ],
        Language::De => [
            include_str!("../../../locales/de/engine.ftl"),
            include_str!("../../../locales/de/diagnoses.ftl"),
            include_str!("../../../locales/de/sign-in.ftl"),
            include_str!("../../../locales/de/cli.ftl"),
            include_str!("../../../locales/de/config.ftl"),
        ],
    }
}

type Bundle = FluentBundle<FluentResource>;

/// A language's bundle, parsed the first time a message is asked of it: the app holds only the
/// language it speaks (English too only if that language lacks a message). Both parsed came to
/// 1.2 MB of the app's heap (heaptrack, idle on the address step).
fn bundle(language: Language) -> &'static Bundle {
    static BUNDLES: [OnceLock<Bundle>; 2] = [OnceLock::new(), OnceLock::new()];
    BUNDLES[language.index() as usize].get_or_init(|| build(language))
}

fn build(language: Language) -> Bundle {
    let id: LanguageIdentifier = language.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The isolation marks Fluent puts around each argument are for mixing right-to-left text;
    // Inlet's languages are left-to-right, and the marks would end up in reports and logs.
    bundle.set_use_isolating(false);
    for source in sources(language) {
        // The catalog is part of the program: a syntax error is a bug the tests catch.
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
        bundle.add_resource_overriding(resource);
    }
    bundle
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The language the engine's texts are in from now on.
pub fn set_language(language: Language) {
    CURRENT.store(language.index(), Ordering::Relaxed);
}

pub fn language() -> Language {
    if let Some(language) = THREAD_LANGUAGE.with(|l| l.get()) {
        return language;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Language::De,
        _ => Language::En,
    }
}

thread_local! {
    static THREAD_LANGUAGE: std::cell::Cell<Option<Language>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with the engine's texts in `language` on this thread only: for tests, which run side
/// by side in one process and must not change each other's language.
pub fn with_language<T>(language: Language, f: impl FnOnce() -> T) -> T {
    let before = THREAD_LANGUAGE.with(|l| l.replace(Some(language)));
    let result = f();
    THREAD_LANGUAGE.with(|l| l.set(before));
    result
}

/// The OS's preferred language that Inlet speaks (LC_ALL, LC_MESSAGES, LANG on Linux), else
/// English.
pub fn os_language() -> Language {
    sys_locale::get_locales().find_map(|l| Language::from_locale(&l)).unwrap_or(Language::En)
}

/// The message `id` (or `id.attribute`) in the current language, with `args` filled in.
/// A message the language lacks comes in English; one English lacks too is a bug, shown as
/// `⟦id⟧` so that it is seen, and logged.
pub fn text(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    text_in(language(), id, args)
}

pub fn text_in(language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let (message_id, attribute) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for lang in [language, Language::En] {
        let bundle = bundle(lang);
        let Some(message) = bundle.get_message(message_id) else { continue };
        let pattern = match attribute {
            Some(a) => message.get_attribute(a).map(|a| a.value()),
            None => message.value(),
        };
        let Some(pattern) = pattern else { continue };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(id, ?errors, "message catalog: formatting failed");
            // A variable the message names and the code does not pass (or under another name) is
            // a bug: debug builds, every test included, stop on it.
            debug_assert!(false, "message {id}: {errors:?}");
        }
        return text.into_owned();
    }
    tracing::error!(id, "message catalog: no such message");
    format!("⟦{id}⟧")
}

/// `tr!("id")` or `tr!("id", name = value, …)`: the message in the current language.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::text($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $id,
            &[$((::std::stringify!($name), $crate::i18n::arg($value))),+],
        )
    };
}

/// A Fluent argument from a string or a number.
pub fn arg<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    value.into()
}

/// The user's choice of language, when they made one, and the language in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "camelCase")]
pub struct LanguageSetting {
    /// None: follow the OS.
    pub chosen: Option<Language>,
    /// The OS's language (what "follow the system" gives).
    pub system: Language,
    /// The language in effect: `chosen`, else `system`.
    pub effective: Language,
}

const CHOICE_FILE: &str = "language";

fn choice_file(data_dir: &Path) -> PathBuf {
    data_dir.join(CHOICE_FILE)
}

/// The language chosen in the app's settings, if any (a file holding "en" or "de"). An
/// unreadable or unknown choice counts as none: the OS locale decides.
pub fn load_choice(data_dir: &Path) -> Option<Language> {
    let text = std::fs::read_to_string(choice_file(data_dir)).ok()?;
    Language::ALL.into_iter().find(|l| l.tag() == text.trim())
}

/// Keeps the user's choice (None: follow the OS), written whole or not at all.
pub fn save_choice(data_dir: &Path, choice: Option<Language>) -> std::io::Result<()> {
    let path = choice_file(data_dir);
    match choice {
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        Some(language) => {
            crate::store::private_dir(data_dir)?;
            let temporary = data_dir.join(format!("{CHOICE_FILE}.new"));
            std::fs::write(&temporary, language.tag())?;
            std::fs::rename(&temporary, &path)
        }
    }
}

/// The setting when there is no data folder to read a choice from (the engine did not start):
/// the OS's language.
pub fn os_setting() -> LanguageSetting {
    with_choice(None)
}

/// The setting as it stands: the saved choice and the OS's language.
pub fn setting(data_dir: &Path) -> LanguageSetting {
    with_choice(load_choice(data_dir))
}

/// `chosen` (if any) over the OS's language.
fn with_choice(chosen: Option<Language>) -> LanguageSetting {
    let system = os_language();
    LanguageSetting { chosen, system, effective: chosen.unwrap_or(system) }
}

#[cfg(test)]
mod tests;
