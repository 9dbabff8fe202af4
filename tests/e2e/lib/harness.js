// Shared by the specs: the servers run.sh started, one fresh app per spec, small helpers.
// Each spec file runs in its own node process (node --test), one after another.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { remote } from 'webdriverio';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the specs through tests/e2e/run.sh`);
  return v;
}

export const ROOT = need('INLET_E2E_ROOT');
const WORK = need('INLET_E2E_WORK');

/** What inlet-test-servers printed: ports, CA file, users, keychain env. */
export const servers = JSON.parse(readFileSync(need('INLET_E2E_SERVERS'), 'utf8'));
export const [[ALICE, ALICE_PASSWORD]] = servers.users;
export const KEYCHAIN_SERVICE = 'inlet-e2e';

/** Waits long enough for a real connection (TLS, login, folder list) and a cold app start. */
export const SLOW = 30_000;
export const SCREENSHOT_DIR = process.env.INLET_E2E_SCREENSHOT_DIR ?? join(ROOT, 'docs', 'screenshots');

/**
 * Starts the app in a new WebDriver session, with its own engine config and empty data dir
 * (through launch-app.sh), and waits until the page has loaded.
 */
export async function launchApp(name) {
  const dir = mkdtempSync(join(WORK, `${name}-`));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({
    dataDir,
    extraCaFiles: [servers.caFile],
    keychainService: KEYCHAIN_SERVICE,
    deadlines: { resolve: 5000, connect: 5000, tls: 5000, greeting: 5000, command: 10000 },
  }, null, 2));
  const browser = await remote({
    hostname: '127.0.0.1',
    port: Number(need('INLET_E2E_DRIVER_PORT')),
    logLevel: 'error',
    connectionRetryTimeout: 60_000,
    connectionRetryCount: 0,
    waitforTimeout: 10_000,
    capabilities: {
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': {
        application: need('INLET_E2E_LAUNCHER'),
        args: [`--inlet-config=${configPath}`],
      },
    },
  });
  const url = await browser.getUrl();
  if (!url.startsWith('tauri://')) {
    await browser.deleteSession().catch(() => {});
    throw new Error(
      `the app loaded ${url}, not its built-in UI (tauri://localhost): it was built without ` +
        '`--features custom-protocol`; run `cargo build -p inlet --features custom-protocol`',
    );
  }
  await browser.waitUntil(
    async () => (await browser.execute(() => document.readyState)) === 'complete',
    { timeout: SLOW, timeoutMsg: 'the page did not finish loading' },
  );
  // Record Content-Security-Policy violations from now on (the app's CSP is strict: style-src 'self').
  await browser.execute(() => {
    window.__inletCspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__inletCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}: ${e.sample}`);
    });
  });
  return { browser, dataDir, configPath };
}

/** CSP violations seen since launchApp (e.g. an inline style attribute blocked by style-src 'self'). */
export async function cspViolations(browser) {
  return browser.execute(() => window.__inletCspViolations ?? ['the CSP listener is gone (page reloaded?)']);
}

/** Whether the app's stylesheet is loaded and applied (it would not be if the CSP blocked it). */
export async function stylesApplied(browser) {
  return browser.execute(() => {
    const sheets = [...document.styleSheets].filter((s) => { try { return s.cssRules.length > 0; } catch { return false; } });
    const bg = getComputedStyle(document.body).backgroundColor;
    return { sheets: sheets.length, bodyBackground: bg };
  });
}

/** `[data-testid="id"]` plus an optional attribute selector suffix. */
export function tid(id, suffix = '') {
  return `[data-testid="${id}"]${suffix}`;
}

/** Saves the window as docs/screenshots/NAME.png, once fonts are loaded and two frames painted. */
export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await browser.executeAsync((done) => {
    document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  });
  await browser.saveScreenshot(join(SCREENSHOT_DIR, `${name}.png`));
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** The element with this test id, after waiting for it to be displayed. */
export async function shown(browser, selector, timeout = 10_000) {
  const el = browser.$(selector);
  await el.waitForDisplayed({ timeout, timeoutMsg: `${selector} was not displayed within ${timeout} ms` });
  return el;
}

/** Waits until the wizard (or list) shows the page whose heading is `title`. */
export async function waitForTitle(browser, title, timeout = 10_000) {
  await browser.waitUntil(
    async () => {
      const el = browser.$(tid('step-title'));
      return (await el.isExisting()) && (await el.getText()) === title;
    },
    { timeout, timeoutMsg: `no page titled "${title}" within ${timeout} ms` },
  );
}

/** Replaces an input's value (setValue('') would fail, so clearValue first). */
export async function typeInto(browser, selector, text) {
  const el = await shown(browser, selector);
  await el.clearValue();
  await el.setValue(text);
}

/**
 * A spec's steps as node:test tests that run in order against one app; once a step has failed,
 * the later ones are skipped rather than failing for the same reason, and the page as it was
 * (screenshot, HTML) goes to tests/e2e/artifacts/ for the CI log reader.
 */
export function steps(getBrowser, specName) {
  let broken = null;
  let n = 0;
  return (name, fn) => {
    const index = ++n;
    return it(name, async (t) => {
      if (broken) {
        t.skip(`skipped: step "${broken}" failed`);
        return;
      }
      try {
        await fn(t);
      } catch (error) {
        broken = name;
        await saveFailure(getBrowser(), `${specName}-${index}`).catch(() => {});
        throw error;
      }
    });
  };
}

export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

async function saveFailure(browser, name) {
  if (!browser) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  await browser.saveScreenshot(join(ARTIFACTS, `${name}.png`));
  writeFileSync(join(ARTIFACTS, `${name}.html`), await browser.getPageSource());
  console.log(`# failure screenshot and HTML: tests/e2e/artifacts/${name}.{png,html}`);
}

/** The last step of every spec: the stylesheet was applied and the CSP blocked nothing. */
export async function assertNoCspTrouble(browser, assert) {
  const styles = await stylesApplied(browser);
  assert.ok(styles.sheets > 0, `no stylesheet with rules is loaded: ${JSON.stringify(styles)}`);
  assert.deepEqual(await cspViolations(browser), [], 'Content-Security-Policy violations');
}
