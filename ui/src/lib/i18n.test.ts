import { describe, expect, it } from 'vitest';
import { catalogFiles, LANGUAGES, negotiate, t, useLanguage } from './i18n.svelte';

// Every source file of the window, to find the ids it asks for.
const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!../**/bindings/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** The literal ids of `t('…')` calls (a call with a computed id is checked by its own test). */
function idsAskedFor(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [file, source] of Object.entries(sources)) {
    for (const m of source.matchAll(/\bt\(\s*'([a-z0-9.-]+)'/g)) ids.set(m[1], file);
  }
  return ids;
}

describe('the message catalog', () => {
  it('has the same files in every language', () => {
    const english = Object.keys(catalogFiles('en')).sort();
    expect(english.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) expect(Object.keys(catalogFiles(lang)).sort()).toEqual(english);
  });

  it('has every id the window asks for, in every language', () => {
    const asked = idsAskedFor();
    expect(asked.size).toBeGreaterThan(0);
    const errors: string[] = [];
    for (const lang of LANGUAGES) {
      useLanguage(lang);
      const original = console.error;
      // Called without its arguments, a message complains of them; only a missing one counts.
      console.error = () => {};
      try {
        for (const [id, file] of asked) {
          if (t(id).startsWith('⟦')) errors.push(`${lang}: ${id} (asked for in ${file})`);
        }
      } finally {
        console.error = original;
      }
    }
    useLanguage('en');
    expect(errors).toEqual([]);
  });

  it('marks a missing message instead of hiding it', () => {
    const original = console.error;
    console.error = () => {};
    try {
      expect(t('no-such-message')).toBe('⟦no-such-message⟧');
    } finally {
      console.error = original;
    }
  });

  it('speaks German when asked, with its arguments', () => {
    useLanguage('de');
    expect(t('language-follow-system', { language: 'de' })).toBe('System (Deutsch)');
    expect(document.documentElement.lang).toBe('de');
    useLanguage('en');
    expect(t('language-follow-system', { language: 'de' })).toBe('System (German)');
  });

  it('follows the OS locale it is given', () => {
    expect(negotiate(['de-DE', 'en-US'])).toBe('de');
    expect(negotiate(['de-AT'])).toBe('de');
    expect(negotiate(['fr-FR'])).toBe('en');
    expect(negotiate([])).toBe('en');
  });
});
