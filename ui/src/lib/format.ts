// Small formatting helpers shared by the steps: numbers, durations and dates in the current
// language (`language.current`), their words from the catalog (locales/*/mailboxes.ftl).

import { language, t } from './i18n.svelte';

/** 1200 → "1,200" ("1.200" in German). */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(language.current).format(n);
}

/** Milliseconds for the progress list: "840 ms", "2.4 s", "1 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return t('mbx-duration-ms', { ms: Math.max(0, Math.round(ms)) });
  if (ms < 60_000) return t('mbx-duration-seconds', { seconds: ms / 1000 });
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return t('mbx-duration-minutes', { minutes, seconds });
}

/** Unix milliseconds → "just now", "5 minutes ago", "yesterday", "3 days ago" (in the current language). */
export function formatRelative(at: number, now: number = Date.now()): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return t('mbx-just-now');
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['minute', 60_000],
    ['hour', 3_600_000],
    ['day', 86_400_000],
    ['month', 2_592_000_000],
    ['year', 31_536_000_000],
  ];
  let chosen = units[0];
  for (const unit of units) {
    if (abs >= unit[1]) chosen = unit;
  }
  const relative = new Intl.RelativeTimeFormat(language.current, { numeric: 'auto' });
  return relative.format(Math.round(diff / chosen[1]), chosen[0]);
}

/** An absolute date for a tooltip. */
export function formatDateTime(at: number): string {
  return new Date(at).toLocaleString(language.current);
}

/** RFC 3339 → a readable date; the original when it does not parse. */
export function formatCertDate(rfc3339: string): string {
  const at = Date.parse(rfc3339);
  if (Number.isNaN(at)) return rfc3339;
  return new Date(at).toLocaleString(language.current, { dateStyle: 'medium', timeStyle: 'short' });
}
