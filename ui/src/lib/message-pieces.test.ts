import { describe, expect, it } from 'vitest';
import { catalogFiles, t, tAround, useLanguage } from './i18n.svelte';
import { tPieces } from './message-pieces';

describe('a sentence with an element inside', () => {
  it('tAround gives the text before and after the element, in each language', () => {
    expect(tAround('conn-lead-certificate', 'target')).toEqual([
      'Nothing was saved. Look at the certificate ',
      ' presented, then decide.',
    ]);
    // German puts the element elsewhere in the sentence: the translation decides.
    useLanguage('de');
    try {
      expect(tAround('conn-lead-certificate', 'target')).toEqual([
        'Es wurde nichts gespeichert. Sehen Sie sich das Zertifikat an, das ',
        ' vorgelegt hat, und entscheiden Sie dann.',
      ]);
    } finally {
      useLanguage('en');
    }
  });

  it('tAround fills in the other variables, plurals included', () => {
    expect(tAround('conn-folders-signed-in', 'user', { count: 1 })).toEqual(['Signed in as ', '. Found 1 folder.']);
    expect(tAround('conn-folders-signed-in', 'user', { count: 1200 })).toEqual(['Signed in as ', '. Found 1,200 folders.']);
  });

  it('tPieces cuts a sentence at two elements, in the order the translation has them', () => {
    expect(tPieces('conn-sending-works-encrypted', ['server', 'user'])).toEqual([
      { text: 'Sending works too: ', element: null },
      { text: '', element: 'server' },
      { text: ' accepted ', element: null },
      { text: '', element: 'user' },
      { text: ' over an encrypted connection.', element: null },
    ]);
    useLanguage('de');
    try {
      const pieces = tPieces('conn-imap-offered', ['offer', 'server'], { security: 'TLS' });
      expect(pieces.map((p) => p.element ?? p.text)).toEqual(['offer', ' unter ', 'server', ' (TLS).']);
      expect(t('conn-imap-offered-title')).toBe('Ihr Anbieter bietet auch IMAP an');
    } finally {
      useLanguage('en');
    }
  });
});

// The window's sources, to find every connect message they name (in tAround, tPieces, a ternary:
// places the catalog test's `t('…')` pattern does not see).
const sources = import.meta.glob(['../**/*.svelte', '../**/*.ts', '!../**/*.test.ts', '!../**/bindings/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('the connect messages the window names', () => {
  it('are in every language, wherever they are named', () => {
    const named = new Set<string>();
    for (const source of Object.values(sources)) for (const m of source.matchAll(/'(conn-[a-z0-9-]+)'/g)) named.add(m[1]);
    expect(named.size).toBeGreaterThan(100);
    for (const lang of ['en', 'de'] as const) {
      const catalog = catalogFiles(lang)['connect.ftl'];
      const defined = new Set([...catalog.matchAll(/^(conn-[a-z0-9-]+) =/gm)].map((m) => m[1]));
      expect([...named].filter((id) => !defined.has(id)).map((id) => `${lang}: ${id}`)).toEqual([]);
    }
  });
});
