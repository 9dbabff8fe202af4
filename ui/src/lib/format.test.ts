import { afterEach, describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatRelative } from './format';
import { useLanguage } from './i18n.svelte';
import { timeline } from './mailbox-status.svelte';

describe('format', () => {
  afterEach(() => useLanguage('en'));

  const now = Date.UTC(2026, 11, 5, 12, 0, 0);

  it('says relative times, counts and durations in English', () => {
    expect(formatRelative(now - 10_000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 86_400_000, now)).toBe('yesterday');
    expect(formatCount(1200)).toBe('1,200');
    expect(formatDuration(840)).toBe('840 ms');
    expect(formatDuration(2400)).toBe('2.4 s');
    expect(formatDuration(65_000)).toBe('1 min 5 s');
  });

  it('says them in German once the language is German', () => {
    useLanguage('de');
    expect(formatRelative(now - 10_000, now)).toBe('gerade eben');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('vor 5 Minuten');
    expect(formatRelative(now - 86_400_000, now)).toBe('gestern');
    expect(formatRelative(now - 3 * 86_400_000, now)).toBe('vor 3 Tagen');
    expect(formatCount(1200)).toBe('1.200');
    expect(formatDuration(2400)).toBe('2,4 s');
  });

  it('labels a check of the history in German', () => {
    useLanguage('de');
    const [mark] = timeline([{ at: now, side: 'outgoing', outcome: 'failed', code: 'authentication_failed', durationMs: 80 } as never]);
    expect(mark.label).toMatch(/^Versand, .+: fehlgeschlagen \(authentication_failed\)$/);
    const [worked] = timeline([{ at: now, side: 'incoming', outcome: 'success', code: null, durationMs: 120 } as never]);
    expect(worked.label).toMatch(/^Empfang, .+: erfolgreich in 120 ms$/);
  });
});
