// Small formatting helpers shared by the steps.

const numberFormat = new Intl.NumberFormat('en-US');

/** 1200 → "1,200". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** Milliseconds for the progress list: "840 ms", "2.4 s", "1 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Unix milliseconds → "just now", "5 minutes ago", "yesterday", "3 days ago". */
export function formatRelative(at: number, now: number = Date.now()): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'just now';
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
  return relative.format(Math.round(diff / chosen[1]), chosen[0]);
}

/** An absolute date for a tooltip. */
export function formatDateTime(at: number): string {
  return new Date(at).toLocaleString();
}

/** RFC 3339 → a readable date; the original when it does not parse. */
export function formatCertDate(rfc3339: string): string {
  const at = Date.parse(rfc3339);
  if (Number.isNaN(at)) return rfc3339;
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
