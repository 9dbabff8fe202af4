import { invoke } from '@tauri-apps/api/core';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { insideTauri, tauriApi, type InletApi } from './lib/api';
import { loadLanguage, startLanguage } from './lib/i18n.svelte';
import { InletApp } from './lib/wizard.svelte';

async function pickApi(): Promise<{ api: InletApi; demo: boolean }> {
  if (insideTauri()) return { api: tauriApi, demo: false };
  // A plain browser (vite preview): canned data so the wizard can be looked at. Never in the app.
  const { createDemoApi } = await import('./lib/demo');
  const seedList = new URLSearchParams(window.location.search).has('list');
  return { api: createDemoApi({ seedList }), demo: true };
}

performance.mark('inlet-modules-run');

// The language the shell gave the page (no question to the engine before the first paint), then
// the engine's own answer once the window is shown (the page may have been reloaded since).
startLanguage();
const { api, demo } = await pickApi();
const app = new InletApp(api);
mount(App, { target: document.getElementById('app')!, props: { app, api, demo } });
performance.mark('inlet-mounted');
void app.start();
void loadLanguage().catch(() => {});

// ./dev bench --desktop (the shell sets this only when INLET_STARTUP_PROBE is): once the address
// field has the focus and two more frames have run (one was painted), tell the shell, with the
// page's marks along the way (performance.mark, "inlet-…"), so the bench shows where time goes.
if ('__INLET_STARTUP_PROBE__' in window) {
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  void (async () => {
    while (document.activeElement?.id !== 'address') {
      // Another first view (saved mailboxes, a start-up problem): nothing to report, and a loop of
      // animation frames must not keep the page drawing.
      if (app.view !== 'loading' && app.view !== 'wizard') return;
      await frame();
    }
    performance.mark('inlet-focused');
    await frame();
    await frame();
    const phases = performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('inlet-'))
      .map((m) => [m.name.slice('inlet-'.length), m.startTime]);
    const [page] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    if (page) phases.unshift(['document-arrived', page.responseEnd]);
    await invoke('startup_painted', { phases, pageNow: performance.now() });
  })();
}
