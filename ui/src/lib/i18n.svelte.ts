// The window's words, from the one message catalog (Project Fluent files in locales/ at the top of
// the repository, shared with the engine, which writes the diagnoses). `t(id, args)` is the only
// way a component shows text; the language follows the engine's setting: the user's choice, else
// the OS's locale.

import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { negotiateLanguages } from '@fluent/langneg';
import { invoke } from '@tauri-apps/api/core';
import { insideTauri, pageStart } from './api';
import type { Language } from './bindings/Language';
import type { LanguageSetting } from './bindings/LanguageSetting';

export const LANGUAGES: readonly Language[] = ['en', 'de'];

// The window's own files (the engine's, such as diagnoses.ftl, are the engine's to format), every
// language's bundled at build time: no request and no flash of untranslated text.
const files = import.meta.glob('../../../locales/*/{app,wizard,connect,mailboxes}.ftl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The window's catalog sources of one language, by file name ("wizard.ftl"). */
export function catalogFiles(language: Language): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [path, source] of Object.entries(files)) {
    const match = /locales\/([^/]+)\/([^/]+)$/.exec(path);
    if (match && match[1] === language) found[match[2]] = source;
  }
  return found;
}

function build(language: Language): FluentBundle {
  // Isolation marks are for mixing right-to-left text; Inlet's languages are left-to-right, and
  // the marks would end up in copied addresses and in the tests' text.
  const bundle = new FluentBundle(language, { useIsolating: false });
  for (const [name, source] of Object.entries(catalogFiles(language))) {
    const errors = bundle.addResource(new FluentResource(source));
    for (const e of errors) console.error(`locales/${language}/${name}: ${e.message}`);
  }
  return bundle;
}

// A language is parsed the first time a message is asked of it: start-up parses only the language
// it speaks (English too only if that language lacks a message). Measured by ./dev bench --desktop.
const bundles: Partial<Record<Language, FluentBundle>> = {};
function bundleOf(language: Language): FluentBundle {
  return (bundles[language] ??= build(language));
}

/** The language from the browser's list (WebKitGTK takes it from the OS locale). */
export function negotiate(requested: readonly string[]): Language {
  const [best] = negotiateLanguages(requested as string[], LANGUAGES as string[], {
    defaultLocale: 'en',
    strategy: 'lookup',
  });
  return (best as Language) ?? 'en';
}

class LanguageState {
  /** The language every `t()` answers in. Reading it makes a component follow a change. */
  current = $state<Language>('en');
  /** The engine's setting: the user's choice and the OS's language. */
  setting = $state<LanguageSetting | null>(null);
}

export const language = new LanguageState();

/** Speaks `lang` from now on, and tells the page (screen readers pick their voice by it). */
export function useLanguage(lang: Language): void {
  language.current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/**
 * Every message a language was asked for and lacked, as "de: id". The end-to-end run reads it
 * (window.__inletMissingMessages) after each screenshot and fails unless it is empty.
 */
export const missingMessages = new Set<string>();
if (typeof window !== 'undefined') {
  (window as unknown as { __inletMissingMessages: Set<string> }).__inletMissingMessages = missingMessages;
}

/**
 * The message `id` (or `id.attribute`) in the current language with `args` filled in. A message
 * the language lacks comes in English, and is noted in `missingMessages`; one English lacks too
 * is a bug, shown as ⟦id⟧ so that it is seen.
 */
export function t(id: string, args?: Record<string, FluentVariable>): string {
  const [messageId, attribute] = id.split('.', 2);
  for (const lang of [language.current, 'en'] as const) {
    const bundle = bundleOf(lang);
    const message = bundle.getMessage(messageId);
    const pattern = attribute ? message?.attributes[attribute] : message?.value;
    if (!pattern) {
      missingMessages.add(`${lang}: ${id}`);
      continue;
    }
    const errors: Error[] = [];
    const text = bundle.formatPattern(pattern, args ?? null, errors);
    for (const e of errors) console.error(`message ${id}: ${e.message}`);
    return text;
  }
  console.error(`message catalog: no message ${id}`);
  return `⟦${id}⟧`;
}

/**
 * The language to speak from the first paint: the setting the shell gave the page before its
 * first script (`pageStart`), else the browser's languages.
 * Synchronous, so nothing waits before the window is drawn.
 */
export function startLanguage(): void {
  const given = pageStart()?.language;
  if (given && LANGUAGES.includes(given.effective)) {
    language.setting = given;
    useLanguage(given.effective);
    return;
  }
  useLanguage(negotiate(navigator.languages ?? [navigator.language]));
}

/** Asks the engine which language to speak (the saved choice, else the OS's). */
export async function loadLanguage(): Promise<void> {
  if (!insideTauri()) {
    useLanguage(negotiate(navigator.languages ?? [navigator.language]));
    return;
  }
  const setting = await invoke<LanguageSetting>('language_setting');
  language.setting = setting;
  if (setting.effective !== language.current) useLanguage(setting.effective);
}

/** Keeps the user's choice (null: follow the system) and speaks it at once. */
export async function chooseLanguage(choice: Language | null): Promise<void> {
  if (!insideTauri()) {
    const system = negotiate(navigator.languages ?? [navigator.language]);
    language.setting = { chosen: choice, system, effective: choice ?? system };
    useLanguage(choice ?? system);
    return;
  }
  const setting = await invoke<LanguageSetting>('set_language', { choice });
  language.setting = setting;
  useLanguage(setting.effective);
}

/**
 * A sentence with an element inside it (a link, a bold name): the text before and after the
 * element, so that the translation decides where it goes. The message names the element's place
 * with the variable `name`; the element's own text is a message of its own.
 */
export function tAround(id: string, name: string, args: Record<string, FluentVariable> = {}): [string, string] {
  const mark = '\u{E000}'; // a private-use character: never in a translation
  const text = t(id, { ...args, [name]: mark });
  const at = text.indexOf(mark);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + mark.length)];
}
