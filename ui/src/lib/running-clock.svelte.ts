// How long a running row has been running, for the progress lists. The engine reports a
// duration only when a step ends, so a running one counts the seconds since it first appeared
// on screen, ticking once a second while anything runs, and shows nothing in its first second.

import { t } from './i18n.svelte';

/** Call during a component's setup; `anyRunning` is read reactively. */
export function runningClock(anyRunning: () => boolean): (key: string) => string {
  let now = $state(Date.now());
  const since = new Map<string, number>();

  $effect(() => {
    if (!anyRunning()) return;
    now = Date.now();
    const timer = setInterval(() => (now = Date.now()), 1000);
    return () => clearInterval(timer);
  });

  return (key) => {
    let start = since.get(key);
    if (start === undefined) {
      start = Date.now();
      since.set(key, start);
    }
    const seconds = Math.floor((now - start) / 1000);
    return seconds >= 1 ? t('mbx-running-seconds', { seconds }) : '';
  };
}
