import { invoke } from '@tauri-apps/api/core';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { insideTauri, tauriApi, type InletApi } from './lib/api';
import { loadLanguage } from './lib/i18n.svelte';
import { InletApp } from './lib/wizard.svelte';

async function pickApi(): Promise<{ api: InletApi; demo: boolean }> {
  if (insideTauri()) return { api: tauriApi, demo: false };
  // A plain browser (vite preview): canned data so the wizard can be looked at. Never in the app.
  const { createDemoApi } = await import('./lib/demo');
  const seedList = new URLSearchParams(window.location.search).has('list');
  return { api: createDemoApi({ seedList }), demo: true };
}

// The language first (one quick question to the engine), so the first paint is in it.
const [{ api, demo }] = await Promise.all([pickApi(), loadLanguage().catch(() => {})]);
const app = new InletApp(api);
mount(App, { target: document.getElementById('app')!, props: { app, api, demo } });
void app.start();

// ./dev bench --desktop (the shell sets this only when INLET_STARTUP_PROBE is): once the address
// field has the focus and two more frames have run (one was painted), tell the shell.
if ('__INLET_STARTUP_PROBE__' in window) {
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  void (async () => {
    while (document.activeElement?.id !== 'address') await frame();
    await frame();
    await frame();
    await invoke('startup_painted');
  })();
}
