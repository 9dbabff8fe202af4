//! The catalog is complete: every language has every English message, with the same
//! attributes and the same variables, and every id the engine asks for exists.

use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// One message's shape: its attributes (the value is "") and the variables each uses.
type Shape = BTreeMap<String, BTreeSet<String>>;

fn variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    let inline = match expression {
        ast::Expression::Select { selector, variants } => {
            for v in variants {
                variables(&v.value, into);
            }
            selector
        }
        ast::Expression::Inline(inline) => inline,
    };
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                if let ast::InlineExpression::VariableReference { id } = a {
                    into.insert(id.name.to_owned());
                }
            }
        }
        _ => {}
    }
}

/// Every message of a file, by id, with its shape; panics on a syntax error or an id given twice.
pub(crate) fn shapes(source: &str, name: &str, into: &mut BTreeMap<String, Shape>) {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name}: Fluent syntax errors: {errors:?}"));
    for entry in resource.body {
        let (id, value, attributes) = match entry {
            ast::Entry::Message(m) => (m.id.name.to_owned(), m.value, m.attributes),
            ast::Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
            _ => continue,
        };
        let mut shape = Shape::new();
        if let Some(value) = &value {
            variables(value, shape.entry(String::new()).or_default());
        }
        for a in &attributes {
            variables(&a.value, shape.entry(a.id.name.to_owned()).or_default());
        }
        assert!(into.insert(id.clone(), shape).is_none(), "{name}: the id {id} is given twice");
    }
}

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales")
}

/// The whole catalog of a language: the engine's files and the window's (every .ftl file).
fn catalog(language: Language) -> BTreeMap<String, Shape> {
    let mut all = BTreeMap::new();
    for name in file_names(language) {
        let path = locales().join(language.tag()).join(&name);
        shapes(&std::fs::read_to_string(&path).unwrap(), &format!("locales/{}/{name}", language.tag()), &mut all);
    }
    all
}

fn file_names(language: Language) -> BTreeSet<String> {
    std::fs::read_dir(locales().join(language.tag()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ftl"))
        .collect()
}

#[test]
fn every_language_has_the_same_files_and_the_engine_reads_its_own() {
    let english = file_names(Language::En);
    for language in Language::ALL {
        assert_eq!(file_names(language), english, "locales/{} has other files than English", language.tag());
        // What the engine compiled in is what is on disk.
        for (file, source) in ENGINE_FILES.iter().zip(sources(language)) {
            let on_disk = std::fs::read_to_string(locales().join(language.tag()).join(format!("{file}.ftl"))).unwrap();
            assert_eq!(source, on_disk);
        }
    }
}

#[test]
fn every_language_has_every_english_message_with_the_same_shape() {
    let english = catalog(Language::En);
    assert!(!english.is_empty());
    for language in Language::ALL {
        let other = catalog(language);
        for (id, shape) in &english {
            let Some(theirs) = other.get(id) else {
                panic!("locales/{}: the message {id} is missing", language.tag());
            };
            let ours: BTreeSet<_> = shape.keys().collect();
            let their_keys: BTreeSet<_> = theirs.keys().collect();
            assert_eq!(ours, their_keys, "locales/{}: {id} has other attributes than English", language.tag());
            for (attribute, vars) in shape {
                assert_eq!(
                    vars,
                    &theirs[attribute],
                    "locales/{}: {id}.{attribute} uses other variables than English",
                    language.tag()
                );
            }
        }
        let extra: Vec<_> = other.keys().filter(|id| !english.contains_key(*id)).collect();
        assert!(extra.is_empty(), "locales/{}: messages English lacks: {extra:?}", language.tag());
    }
}

/// The ids in `tr!("…")` calls of the engine's sources (the literal first argument).
fn ids_asked_for(dir: &Path, into: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // The catalog's own module names ids only in its documentation and tests.
        if path.file_stem().is_some_and(|s| s == "i18n") {
            continue;
        }
        if path.is_dir() {
            ids_asked_for(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for part in source.split("tr!(\"").skip(1) {
                if let Some(id) = part.split('"').next() {
                    into.insert(id.to_owned());
                }
            }
        }
    }
}

#[test]
fn every_id_the_engine_and_the_cli_ask_for_exists_in_english() {
    let english = catalog(Language::En);
    let mut asked = BTreeSet::new();
    ids_asked_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut asked);
    // The CLI's texts are in the engine's catalog too (cli.ftl).
    ids_asked_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../inlet-cli/src"), &mut asked);
    for id in asked {
        let (message, attribute) = id.split_once('.').map_or((id.as_str(), ""), |(m, a)| (m, a));
        let shape = english.get(message).unwrap_or_else(|| panic!("tr!(\"{id}\"): no such message"));
        assert!(shape.contains_key(attribute), "tr!(\"{id}\"): the message has no such attribute");
    }
}

#[test]
fn a_locale_name_picks_the_language() {
    assert_eq!(Language::from_locale("de_DE.UTF-8"), Some(Language::De));
    assert_eq!(Language::from_locale("de-AT"), Some(Language::De));
    assert_eq!(Language::from_locale("de_CH.UTF-8@euro"), Some(Language::De));
    assert_eq!(Language::from_locale("en_GB"), Some(Language::En));
    assert_eq!(Language::from_locale("fr_FR.UTF-8"), None);
    assert_eq!(Language::from_locale("C"), None);
    assert_eq!(Language::from_locale(""), None);
}

#[test]
fn the_same_message_reads_in_each_language_with_its_arguments() {
    let en = text_in(Language::En, "language-name", &[("language", arg("de"))]);
    let de = text_in(Language::De, "language-name", &[("language", arg("de"))]);
    assert_eq!(en, "German");
    assert_eq!(de, "Deutsch");
}

#[test]
fn a_missing_message_is_marked_not_hidden() {
    assert_eq!(text_in(Language::De, "no-such-message", &[]), "⟦no-such-message⟧");
}

#[test]
fn the_choice_is_kept_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert_eq!(load_choice(&data), None);
    save_choice(&data, Some(Language::De)).unwrap();
    assert_eq!(load_choice(&data), Some(Language::De));
    assert_eq!(setting(&data).effective, Language::De);
    save_choice(&data, None).unwrap();
    assert_eq!(load_choice(&data), None);
    save_choice(&data, None).unwrap(); // clearing twice is fine
    std::fs::write(data.join("language"), "klingon").unwrap();
    assert_eq!(load_choice(&data), None, "an unknown choice is no choice");
}

#[test]
fn a_thread_can_speak_its_own_language_without_changing_the_others() {
    let german = with_language(Language::De, || tr!("language-name", language = "en"));
    assert_eq!(german, "Englisch");
    assert_eq!(with_language(Language::En, || tr!("language-name", language = "en")), "English");
    // Another thread is not affected by this one's choice.
    let other = with_language(Language::De, || std::thread::spawn(language).join().unwrap());
    assert_eq!(other, language());
}

#[test]
#[should_panic(expected = "language-name")]
fn a_message_without_its_argument_stops_a_debug_build() {
    text_in(Language::En, "language-name", &[]);
}
