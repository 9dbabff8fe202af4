// Shared by the specs: the servers run.sh started, one fresh app per spec, small helpers.
// Each spec file runs in its own node process (node --test), one after another.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { remote } from 'webdriverio';
import { appConfig } from './config.js';

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

/** What inlet-test-servers reads on its standard input (a FIFO run.sh holds open). */
const SERVERS_IN = process.env.INLET_E2E_SERVERS_IN ?? join(WORK, 'servers.in');

/**
 * Sends a command to inlet-test-servers (e.g. `swap-untrusted ValidAlt`) and waits for its answer.
 * Throws when it answers with an error or not within `timeout` ms.
 */
export async function serverCommand(command, timeout = 15_000) {
  const id = `c${process.pid}-${Date.now()}`;
  const answer = join(servers.controlDir, id);
  // Non-blocking: if the servers are gone (no reader), this fails at once (ENXIO) instead of hanging.
  const fd = openSync(SERVERS_IN, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    writeSync(fd, `@${id} ${command}\n`);
  } finally {
    closeSync(fd);
  }
  const until = Date.now() + timeout;
  while (!existsSync(answer)) {
    if (Date.now() > until) throw new Error(`inlet-test-servers did not answer "${command}" within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const text = readFileSync(answer, 'utf8').trim();
  if (text !== 'ok') throw new Error(`inlet-test-servers: ${command}: ${text}`);
}

/** The SHA-256 fingerprint of a test certificate (`valid`, `valid-alt`, `untrusted`, …), as hex without separators. */
export function testCertFingerprint(stem) {
  const pem = readFileSync(join(dirname(servers.caFile), `${stem}.pem`), 'utf8');
  // The chain file starts with the leaf.
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

/** A fingerprint as shown (groups, colons, line breaks) reduced to hex, for comparisons. */
export function hexOnly(text) {
  return text.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** Waits long enough for a real connection (TLS, login, folder list) and a cold app start. */
export const SLOW = 30_000;
export const SCREENSHOT_DIR = process.env.INLET_E2E_SCREENSHOT_DIR ?? join(ROOT, 'docs', 'screenshots');

/**
 * Starts the app in a new WebDriver session, with its own engine config and empty data dir
 * (through launch-app.sh), and waits until the page has loaded. Options:
 * - `keychainService`: the keychain service name (default KEYCHAIN_SERVICE, shared by the specs;
 *   a spec that checks that nothing reached the keychain uses one of its own);
 * - `configure(config)`: changes the engine config (lib/config.js) before it is written;
 * - `configText`: the config file's whole text instead (e.g. a broken one);
 * - `dark`: the window follows a dark system theme (GTK_THEME=Adwaita:dark, which WebKitGTK
 *   reports to the page as prefers-color-scheme: dark);
 * - `locale`: the OS locale the app starts in (e.g. `de_DE.UTF-8`; launch-app.sh makes it LANG);
 *   without it, the run's own (C.UTF-8: English);
 * - `again`: an app launched before (and closed): starts with its config and data dir, as a
 *   restart does; the other config options are then ignored.
 */
export async function launchApp(
  name,
  { keychainService = KEYCHAIN_SERVICE, configure = () => {}, configText = null, dark = false, locale = null, again = null } = {},
) {
  let dataDir;
  let configPath;
  if (again) {
    ({ dataDir, configPath, keychainService } = again);
  } else {
    const dir = mkdtempSync(join(WORK, `${name}-`));
    dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    configPath = join(dir, 'config.json');
    const config = { ...appConfig(servers, dataDir), keychainService };
    configure(config);
    writeFileSync(configPath, configText ?? JSON.stringify(config, null, 2));
  }
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
        args: [
          `--inlet-config=${configPath}`,
          ...(dark ? ['--inlet-gtk-theme=Adwaita:dark'] : []),
          ...(locale ? [`--inlet-locale=${locale}`] : []),
        ],
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
  return { browser, dataDir, configPath, keychainService };
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

/**
 * Scrolls the element's scroll box (`.step-body` in the wizard, `.body` in the list) so that the
 * element is at its top (`start`), bottom (`end`) or middle (`center`). Element.scrollIntoView
 * would scroll the window's fixed layout too (header and buttons off screen in the picture).
 */
export async function scrollTo(browser, selector, block = 'start') {
  const done = await browser.execute(
    (sel, where) => {
      const el = document.querySelector(sel);
      let box = el?.parentElement;
      while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowY)) box = box.parentElement;
      if (!box) return false;
      // The gap between blocks; an element near the top (the title) scrolls the box to its very top.
      const margin = 16;
      const top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      const height = el.getBoundingClientRect().height;
      box.scrollTop =
        where === 'start' ? (top - margin < 32 ? 0 : top - margin)
        : where === 'end' ? top + height + margin - box.clientHeight
        : top - (box.clientHeight - height) / 2;
      return true;
    },
    selector,
    block,
  );
  if (!done) throw new Error(`${selector} is not inside a scroll box`);
}

/** Saves the window as docs/screenshots/NAME.png, once fonts are loaded and two frames painted. */
export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // The layout is fixed (header, scroll box, buttons); WebDriver's scrolling into view for a click
  // may have scrolled the window itself, which a person cannot do: put it back.
  await browser.execute(() => {
    const box = document.querySelector('.step-body') ?? document.querySelector('.page > .body');
    for (let el = box?.parentElement; el; el = el.parentElement) {
      el.scrollTop = 0;
      el.scrollLeft = 0;
    }
    document.scrollingElement?.scrollTo(0, 0);
  });
  await browser.executeAsync((done) => {
    document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  });
  await browser.saveScreenshot(join(SCREENSHOT_DIR, `${name}.png`));
  // Every pictured screen is a step a person sees: its decision fits the window and it passes the
  // accessibility audit. Checked after the picture is saved, so a failure can be looked at.
  await assertDecisionVisible(browser, name);
  await assertAccessible(browser, name);
  await assertNoMissingMessages(browser, name);
}

/**
 * Throws when the page asked the catalog for a message its language lacks (the window notes it in
 * window.__inletMissingMessages and shows the English one) or one English lacks too (shown as
 * ⟦id⟧): every pictured screen is complete in its language.
 */
export async function assertNoMissingMessages(browser, name = 'this step') {
  const { missing, marked } = await browser.execute(() => ({
    missing: [...(window.__inletMissingMessages ?? [])],
    marked: (document.body.textContent.match(/⟦[^⟧]*⟧/g) ?? []).slice(0, 10),
  }));
  if (missing.length > 0) throw new Error(`${name}: messages missing from the catalog: ${missing.join(', ')}`);
  if (marked.length > 0) throw new Error(`${name}: messages no language has: ${marked.join(', ')}`);
}

/**
 * Throws unless every primary button (`.btn.primary`) and every control marked `data-decision`
 * (what the step asks the person to read or tick) that is rendered lies wholly inside the window
 * and inside every box that clips it, with the scroll boxes at their top: visible without
 * scrolling. The scroll positions are put back afterwards.
 */
export async function assertDecisionVisible(browser, name = 'this step') {
  const hidden = await browser.execute(() => {
    const scrolled = [...document.querySelectorAll('*')].filter((el) => el.scrollTop !== 0);
    const positions = scrolled.map((el) => el.scrollTop);
    for (const el of scrolled) el.scrollTop = 0;
    const out = [];
    try {
      for (const el of document.querySelectorAll('.btn.primary, [data-decision]')) {
        const r = el.getBoundingClientRect();
        // Not rendered (a closed disclosure, another tab): nothing to see.
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        let clip = { top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth };
        for (let box = el.parentElement; box; box = box.parentElement) {
          const style = getComputedStyle(box);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const b = box.getBoundingClientRect();
          clip = {
            top: Math.max(clip.top, b.top),
            left: Math.max(clip.left, b.left),
            bottom: Math.min(clip.bottom, b.bottom),
            right: Math.min(clip.right, b.right),
          };
        }
        // One pixel of slack for rounding.
        if (r.top < clip.top - 1 || r.left < clip.left - 1 || r.bottom > clip.bottom + 1 || r.right > clip.right + 1) {
          const what = el.dataset.testid ?? el.dataset.decision ?? el.textContent.trim().slice(0, 40);
          out.push(
            `${what}: ${Math.round(r.top)}..${Math.round(r.bottom)} (visible ${Math.round(clip.top)}..${Math.round(clip.bottom)} ` +
              `of a ${window.innerWidth}x${window.innerHeight} window)`,
          );
        }
      }
    } finally {
      scrolled.forEach((el, i) => {
        el.scrollTop = positions[i];
      });
    }
    return out;
  });
  if (hidden.length > 0) {
    throw new Error(`${name}: the decision is not visible without scrolling:\n  ${hidden.join('\n  ')}`);
  }
}

/** axe-core's browser build, read once (it is pinned in tests/e2e/package.json). */
let axeSource = null;

/**
 * Runs axe-core (https://github.com/dequelabs/axe-core) in the real window and throws on any
 * serious or critical violation, listing each with the elements it found.
 */
export async function assertAccessible(browser, name = 'this step') {
  axeSource ??= readFileSync(join(ROOT, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await browser.execute(() => typeof window.axe === 'object'))) {
    await browser.execute(axeSource);
  }
  const result = await browser.executeAsync((done) => {
    window.axe
      .run(document, { resultTypes: ['violations'] })
      .then((r) => done(r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
      }))))
      .catch((e) => done({ error: String(e) }));
  });
  if (result.error) throw new Error(`${name}: axe-core failed: ${result.error}`);
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const text = bad.map((v) => `[${v.impact}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n  ');
    throw new Error(`${name}: accessibility violations (axe-core):\n  ${text}`);
  }
}

/**
 * The keychain accounts (`username` attributes) stored under `service` in the private keychain
 * run.sh started, read with secret-tool as a person would.
 */
export function keychainAccounts(service) {
  const search = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', service], { encoding: 'utf8' });
  // secret-tool prints "secret = …" on stdout and the attributes on stderr; with no item it
  // prints nothing and exits 1, which is not a failure.
  const found = search.stdout + search.stderr;
  const accounts = [...found.matchAll(/^attribute\.username = (.*)$/gm)].map((m) => m[1]);
  if (search.status !== 0 && (search.status !== 1 || found.trim() !== '')) {
    throw new Error(`secret-tool search failed (exit ${search.status}): ${found}`);
  }
  return accounts;
}

/**
 * After a failed connect: the store the app created at start exists and names no mailbox, and
 * the keychain holds nothing under the app's service. So that "nothing" means something, the
 * files looked at are listed and the keychain search is shown to find an item put there for it.
 */
export function assertNothingSaved(app, assert, email) {
  const files = filesUnder(app.dataDir);
  assert.ok(
    files.some((f) => f.endsWith('inlet.sqlite3')),
    `the app's store (created when it listed the mailboxes at start) is in ${app.dataDir}: ${files.join(', ')}`,
  );
  for (const f of files) {
    assert.ok(!readFileSync(f).includes(Buffer.from(email)), `${f} names ${email}`);
  }
  assert.notEqual(app.keychainService, KEYCHAIN_SERVICE, 'the spec has a keychain service of its own');
  assert.deepEqual(keychainAccounts(app.keychainService), [], `nothing in the keychain under ${app.keychainService}`);
  // The control: an item stored under the same service is found by the same search.
  const control = 'control@e2e.test';
  const stored = spawnSync(
    'secret-tool',
    ['store', '--label=inlet e2e control', 'service', app.keychainService, 'username', control],
    { input: 'control-secret', encoding: 'utf8' },
  );
  assert.equal(stored.status, 0, `secret-tool store failed: ${stored.stderr}`);
  try {
    assert.deepEqual(keychainAccounts(app.keychainService), [control], 'the search finds what is there');
  } finally {
    spawnSync('secret-tool', ['clear', 'service', app.keychainService, 'username', control]);
  }
}

/**
 * What corp.test's Autodiscover server received so far, in order: each request line, whether
 * it carried an Authorization header, and whether it was refused for want of the right one
 * (inlet-test-servers writes the record; the credentials themselves are never in it).
 */
export async function autodiscoverRequests() {
  await serverCommand('autodiscover-requests');
  return JSON.parse(readFileSync(join(servers.controlDir, 'autodiscover-requests.json'), 'utf8'));
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

/** The first step, "What's your email address?": its title once the app has started. */
export const ADDRESS_TITLE = 'What’s your email address?';

/** The first step: "Set up manually" instead of looking the settings up, on to the type step. */
export async function setUpManually(browser) {
  await waitForTitle(browser, ADDRESS_TITLE, SLOW);
  await (await shown(browser, tid('manual'))).click();
  await waitForTitle(browser, 'Connect your mailbox');
}

/** The first steps by hand: "Set up manually", then choose a mailbox type (`imap`, `pop3`, …) and go on. */
export async function chooseKind(browser, kind) {
  await setUpManually(browser);
  await (await shown(browser, tid(`kind-${kind}`))).click();
  await browser.$(tid('next')).click();
}

/** The account step: address and password, then go on. */
export async function fillAccount(browser, email, password) {
  await waitForTitle(browser, 'Your account');
  await typeInto(browser, tid('email'), email);
  await typeInto(browser, tid('password'), password);
  await browser.$(tid('next')).click();
}

/** Ticks or unticks a checkbox (by clicking it, as a person would) unless it already is so. */
export async function setChecked(browser, selector, checked) {
  const box = await shown(browser, selector);
  if ((await box.isSelected()) !== checked) await box.click();
  if ((await box.isSelected()) !== checked) throw new Error(`${selector} did not become ${checked ? 'ticked' : 'unticked'}`);
}

/**
 * The server step: the incoming server, and the outgoing one (`smtp: null` unticks "Also check
 * the outgoing server"; otherwise `{ host, port, security, password }`, where a password means
 * "Same password as incoming" is unticked). Does not press Connect.
 */
export async function fillServer(browser, { host, port, security, smtp = null }) {
  await waitForTitle(browser, 'Mail servers');
  await typeInto(browser, tid('host'), host);
  await typeInto(browser, tid('port'), String(port));
  await browser.$(tid('security')).selectByAttribute('value', security);
  if (smtp === null) {
    await setChecked(browser, tid('smtp-enabled'), false);
    return;
  }
  await setChecked(browser, tid('smtp-enabled'), true);
  await typeInto(browser, tid('smtp-host'), smtp.host);
  await typeInto(browser, tid('smtp-port'), String(smtp.port));
  await browser.$(tid('smtp-security')).selectByAttribute('value', smtp.security);
  if (smtp.password !== undefined) {
    await setChecked(browser, tid('smtp-same-password'), false);
    await typeInto(browser, tid('smtp-password'), smtp.password);
  }
}

/** The progress rows on screen, read in one call, as `side:stage:state`. */
export async function progressRows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="progress-row"]')].map(
      (r) => `${r.dataset.side}:${r.dataset.stage}:${r.dataset.state}`,
    ),
  );
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

/**
 * The report an error view's "Copy report" copies, asked of the same command: `kind` is the
 * view's (`discovery`, `sign_in`, `save`; none: the connect step's). The clipboard of the window
 * cannot always be read back, so the command's answer stands in for it.
 */
export async function reportOf(browser, kind, masked, format = 'markdown') {
  return browser.executeAsync((f, m, k, done) => {
    window.__TAURI_INTERNALS__.invoke('last_report', { format: f, masked: m, kind: k }).then(done, (e) => done(`error: ${JSON.stringify(e)}`));
  }, format, masked, kind);
}

/** Clicks "Copy report" and waits until the view says it copied (or offered the text to copy). */
export async function copyReport(browser) {
  await browser.$(tid('copy-report')).click();
  await browser.waitUntil(async () => /Report copied|clipboard/.test(await browser.$(tid('report-status')).getText()), {
    timeout: 10_000,
    timeoutMsg: 'Copy report said nothing',
  });
  // What the clipboard got, where the window lets a page read it back; else null.
  return browser.executeAsync((done) => {
    navigator.clipboard.readText().then(done, () => done(null));
  });
}
