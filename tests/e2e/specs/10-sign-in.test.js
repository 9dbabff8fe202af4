// Sign in with Microsoft, end to end: dana@contoso.test (contoso.test's mail is at Microsoft by
// its MX) → "Sign in with Microsoft" on the address step → the settings found → the provider's
// page. This app has no browser it can start (the config names one that does not exist), so the
// wizard shows the address to copy with a countdown; the spec is the person who copies it into a
// browser (inlet-test-servers' oauth-browser, signing in as dana at the test authorization server
// in Microsoft's URL shapes, which redirects to the app's loopback listener) → the folders of a
// Dovecot that takes only that server's tokens → saved, the refresh token in the keychain, never
// in a file. Then the device flow: "Use a code on another device" → the code on screen → the
// person approves it on "another device" (the servers' approve-device command) → the folders.
// Between them, the proposal (contoso.test's service records name servers outside the domain, to
// confirm): its main action is Sign in with Microsoft, in view; Esc on the sign-in screen cancels
// back to it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import {
  ADDRESS_TITLE, SLOW, assertNoCspTrouble, copyReport, filesUnder, keychainAccounts, launchApp, reportOf, screenshot,
  scrollTo, serverCommand, servers, shown, steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

const oauth = servers.oauth;
const DANA = oauth.user;

/** The data-testid of the focused element, or of its closest ancestor that has one. */
async function focused(browser) {
  return browser.execute(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null);
}

/**
 * After "Sign in with Microsoft": the sign-in screen, or first the proposal when something there
 * asks for a look (then its main action, "Sign in with Microsoft", as a person would).
 */
async function toSignInScreen(browser) {
  await browser.waitUntil(
    async () => {
      const title = await browser.$(tid('step-title')).getText().catch(() => '');
      return title === 'Finish signing in in your browser' || title === 'Inlet found your settings';
    },
    { timeout: SLOW, timeoutMsg: 'neither the sign-in screen nor the proposal came' },
  );
  if ((await browser.$(tid('step-title')).getText()) === 'Inlet found your settings') {
    const confirm = browser.$(tid('confirm-proposal'));
    if (await confirm.isExisting()) await confirm.click();
    await browser.$(tid('sign-in')).click();
    await waitForTitle(browser, 'Finish signing in in your browser', SLOW);
  }
}

describe('sign in with Microsoft: browser and device code', () => {
  let app;
  const step = steps(() => app?.browser, 'sign-in');

  before(async () => {
    app = await launchApp('sign-in', {
      keychainService: 'inlet-e2e-sign-in',
      configure: (config) => {
        // No browser can be started: the wizard must show the address to copy.
        config.browserCommand = ['/nonexistent/inlet-e2e-browser'];
      },
    });
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('address step: “Sign in with Microsoft” with the address typed', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE, SLOW);
    await typeInto(browser, tid('address'), DANA);
    const button = await shown(browser, tid('sign-in-microsoft'));
    assert.equal(await button.getText(), 'Sign in with Microsoft');
    assert.equal(await button.getAttribute('data-available'), 'true', 'the test client id is configured');
    // Google has no client id here: its button stays, saying what an administrator must set.
    assert.equal(await browser.$(tid('sign-in-google')).getAttribute('aria-disabled'), 'true');
    assert.ok((await browser.$(tid('sign-in-google-why-not')).getText()).length > 0);
    await screenshot(browser, '26-sign-in-address');
    await button.click();
  });

  step('no browser opened: the address to copy, a countdown and Cancel', async () => {
    const { browser } = app;
    await toSignInScreen(browser);
    assert.match(await browser.$(tid('no-browser')).getText(), /Inlet could not open a browser/);
    const url = await (await shown(browser, tid('sign-in-url'))).getText();
    assert.ok(url.startsWith('https://login.microsoftonline.com/'), `Microsoft's authorize address: ${url}`);
    assert.match(url, /code_challenge_method=S256/);
    assert.equal(await focused(browser), 'sign-in-url-copy', 'the Copy button has the focus');
    assert.match(await browser.$(tid('countdown')).getText(), /Time left\s*\d+:\d\d/);
    assert.ok(await browser.$(tid('cancel')).isDisplayed());
    await screenshot(browser, '27-sign-in-copy-address');
    app.url = url;
  });

  step('the person pastes it into a browser and approves: the folders of the token-only Dovecot', async () => {
    const { browser } = app;
    const [exe, ...args] = oauth.browserCommand;
    const person = spawnSync(exe, [...args, app.url], { encoding: 'utf8', timeout: SLOW });
    assert.equal(person.status, 0, `the browser reached the app's loopback page: ${person.stderr}`);
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
    const inbox = browser.$(`${tid('folder-row', '[data-raw-name="INBOX"]')} ${tid('folder-check')}`);
    assert.equal(await inbox.isSelected(), true, 'INBOX is chosen by default');
    for (const folder of oauth.folders.filter((f) => !f.includes('/'))) {
      assert.ok(await browser.$(tid('folder-row', `[data-raw-name="${folder}"]`)).isExisting(), `${folder} is listed`);
    }
    await screenshot(browser, '28-sign-in-folders');
    await browser.$(tid('save')).click();
  });

  step('saved: the refresh token in the keychain only, the grant in the store', async () => {
    const { browser } = app;
    await shown(browser, tid('saved-summary'), SLOW);
    await waitForTitle(browser, 'Mailbox saved');
    assert.ok(keychainAccounts(app.keychainService).length > 0, 'a keychain entry holds the refresh token');
    // Nothing the app wrote holds a token: Microsoft-style tokens from this server are long
    // opaque strings; the store names only the keychain entry.
    for (const file of filesUnder(app.dataDir)) {
      const text = readFileSync(file, 'latin1');
      assert.doesNotMatch(text, /"(access|refresh)_?[tT]oken"\s*:\s*"[^"]{16,}/, `${file} holds no token`);
    }
    await browser.$(tid('go-to-list')).click();
  });

  step('the mailbox list: Sign in again (a new browser sign-in, every setting kept)', async () => {
    const { browser } = app;
    const entries = keychainAccounts(app.keychainService).length;
    await (await shown(browser, tid('sign-in-again'), SLOW)).click();
    const url = await (await shown(browser, tid('sign-in-again-url'), SLOW)).getText();
    assert.match(url, /^https:\/\/login\.microsoftonline\.com\/.*code_challenge_method=S256/);
    const [exe, ...args] = oauth.browserCommand;
    const person = spawnSync(exe, [...args, url], { encoding: 'utf8', timeout: SLOW });
    assert.equal(person.status, 0, `the browser reached the app's loopback page: ${person.stderr}`);
    await browser.waitUntil(async () => !(await browser.$(tid('signing-in-again')).isExisting()), {
      timeout: SLOW,
      timeoutMsg: 'the sign-in again ended',
    });
    assert.equal(await browser.$(tid('diagnosis')).isExisting(), false, 'no diagnosis: the mailbox signed in again');
    assert.equal(keychainAccounts(app.keychainService).length, entries, 'still one keychain entry per mailbox');
    await (await shown(browser, tid('add-mailbox'))).click();
  });

  step('the proposal, when its servers need a look first: Sign in with Microsoft is its main action, in view; Esc cancels back to it', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), DANA);
    await browser.$(tid('sign-in-microsoft')).click();
    // contoso.test's service records name servers outside contoso.test: confirm them first.
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    const offer = await shown(browser, tid('sign-in-offer'));
    assert.match(await offer.getText(), /accept only sign-in through Microsoft’s page/);
    assert.match(await offer.getText(), /Your browser opens at Microsoft’s page; no password is typed into Inlet/);
    assert.equal(await browser.$(tid('use-password')).isExisting(), false, 'these servers take no password');
    const button = browser.$(tid('sign-in'));
    assert.equal(await button.getText(), 'Sign in with Microsoft');
    assert.equal(await button.isEnabled(), false, 'held back until the servers are confirmed');
    await browser.$(tid('confirm-proposal')).click();
    assert.equal(await button.isEnabled(), true);
    // The main action sits in the button bar, in view however long the proposal is.
    const inView = await browser.execute(() => {
      const b = document.querySelector('[data-testid="sign-in"]');
      const r = b.getBoundingClientRect();
      return b.closest('.actions') !== null && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, '"Sign in with Microsoft" is in the button bar, visible without scrolling');
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '30-sign-in-proposal');
    await button.click();
    await waitForTitle(browser, 'Finish signing in in your browser', SLOW);
    await browser.keys('Escape');
    await waitForTitle(browser, 'Inlet found your settings');
    await browser.$(tid('back')).click();
  });

  step('the person declines at the provider: the error view, and Copy report with the sign-in’s steps (no state, challenge or token)', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), DANA);
    await browser.$(tid('sign-in-microsoft')).click();
    await toSignInScreen(browser);
    const url = await (await shown(browser, tid('sign-in-url'))).getText();
    const [exe, ...args] = oauth.browserCommand;
    const person = spawnSync(exe, [...args, '--deny', url], { encoding: 'utf8', timeout: SLOW });
    assert.notEqual(person.error?.code, 'ETIMEDOUT', `the browser came back: ${person.stderr}`);
    await waitForTitle(browser, 'Sign-in did not finish', SLOW);
    assert.equal(await browser.$(tid('diagnosis')).getAttribute('data-code'), 'sign_in_denied');

    const copied = await copyReport(browser);
    const report = await reportOf(browser, 'sign_in', false);
    assert.match(report, /^# Inlet help-desk report/);
    assert.match(report, /sign\\_in\\_denied|sign_in_denied/);
    assert.match(report, /Checked: signing in with the provider/);
    assert.match(report, /## Sign-in with the provider\n\n\| Step \| Asked \| Result \| ms \| Outcome \|/);
    assert.match(report, /\| issuer \| https:\/\/login\.microsoftonline\.com\/[^|]* \| found \| \d+ \|/, 'the issuer');
    assert.match(report, /\| authorization endpoint \| https:\/\/login\.microsoftonline\.com\/[^|?]*authorize \| found \| \d+ \|/, 'the sign-in page, without its query');
    assert.match(report, /\| redirect to Inlet \| [^|]* \| failed \| \d+ \| [^\n]*access\\_denied/, 'the provider’s answer on the way back');
    // Nothing of the authorization request that could be replayed: its state and PKCE challenge.
    const asked = new URL(url).searchParams;
    for (const name of ['state', 'code_challenge']) {
      assert.ok(asked.get(name)?.length > 8, `the address had a ${name}`);
      assert.ok(!report.includes(asked.get(name)), `no ${name} in the report`);
    }
    assert.ok(report.includes(DANA), 'the address, unmasked unless asked');
    if (copied !== null) assert.equal(copied, report, 'the clipboard holds the sign-in’s report');
    const masked = JSON.parse(await reportOf(browser, 'sign_in', true, 'json'));
    assert.equal(masked.outcome.code, 'sign_in_denied');
    assert.ok(masked.signIn.length >= 3, 'the steps, in the JSON too');
    assert.ok(!JSON.stringify(masked).includes(DANA), 'the address masked');

    // Back where the sign-in started, then to the address.
    for (let i = 0; i < 3 && (await browser.$(tid('step-title')).getText()) !== ADDRESS_TITLE; i++) {
      await browser.$(tid('back')).click();
      await browser.pause(300);
    }
  });

  step('device code: the code large, its address, waiting by itself', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), DANA);
    await browser.$(tid('sign-in-microsoft')).click();
    await toSignInScreen(browser);
    await browser.$(tid('use-device')).click();
    await waitForTitle(browser, 'Enter this code on the other device', SLOW);
    const code = await (await shown(browser, tid('user-code'))).getText();
    assert.match(code, /^[A-Z0-9-]{6,}$/, `a user code: ${code}`);
    assert.equal(await focused(browser), 'user-code-copy');
    assert.match(await browser.$(tid('verification-uri')).getText(), /^https:\/\//);
    assert.match(await browser.$(tid('device-waiting')).getText(), /Waiting for you to approve on the other device/);
    assert.match(await browser.$(tid('countdown')).getText(), /The code expires in\s*\d+:\d\d/);
    await screenshot(browser, '29-sign-in-device-code');
    await serverCommand(`approve-device ${code}`, SLOW);
    // It goes on by itself: connects with the new grant and lists the folders.
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
    await assertNoCspTrouble(browser, assert);
  });
});
