import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { insideTauri, tauriApi, type InletApi } from './lib/api';
import { InletApp } from './lib/wizard.svelte';

async function pickApi(): Promise<{ api: InletApi; demo: boolean }> {
  if (insideTauri()) return { api: tauriApi, demo: false };
  // A plain browser (vite preview): canned data so the wizard can be looked at. Never in the app.
  const { createDemoApi } = await import('./lib/demo');
  const seedList = new URLSearchParams(window.location.search).has('list');
  return { api: createDemoApi({ seedList }), demo: true };
}

const { api, demo } = await pickApi();
const app = new InletApp(api);
mount(App, { target: document.getElementById('app')!, props: { app, api, demo } });
void app.start();
