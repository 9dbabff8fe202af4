// The first steps by hand with the keyboard only: no click anywhere. (08-discovery goes from the
// address to the proposal and on with the keyboard.)
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ADDRESS_TITLE, ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, launchApp, steps, tid, waitForTitle,
} from '../lib/harness.js';

/** The data-testid of the focused element, or of its closest ancestor that has one. */
async function focused(browser) {
  return browser.execute(() => {
    const el = document.activeElement;
    return el?.closest('[data-testid]')?.getAttribute('data-testid') ?? el?.tagName ?? null;
  });
}

async function selectedKind(browser) {
  return browser.execute(() => document.querySelector('[data-selected="true"]')?.getAttribute('data-testid') ?? null);
}

describe('keyboard: set up by hand, the type and account steps without a mouse', () => {
  let app;
  const step = steps(() => app?.browser, 'keyboard');

  before(async () => {
    app = await launchApp('keyboard');
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('address step: the address has focus; Tab reaches the providers’ sign-in, then "Set up manually", Enter takes it', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE, SLOW);
    await browser.waitUntil(async () => (await focused(browser)) === 'address', {
      timeoutMsg: 'the address field does not have focus when the wizard opens',
    });
    await browser.keys('Tab');
    assert.equal(await focused(browser), 'sign-in-google', 'Tab moves from the address to "Sign in with Google"');
    await browser.keys('Tab');
    assert.equal(await focused(browser), 'sign-in-microsoft', 'then to "Sign in with Microsoft"');
    await browser.keys('Tab');
    assert.equal(await focused(browser), 'manual', 'then to "Set up manually"');
    await browser.keys('Enter');
  });

  step('type step: the chosen type has focus; arrows move the choice', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Connect your mailbox');
    await browser.waitUntil(async () => (await focused(browser))?.startsWith('kind-'), {
      timeoutMsg: 'no mailbox type has focus when the wizard opens',
    });
    const first = await selectedKind(browser);
    assert.equal(await focused(browser), first, 'focus is on the selected type');

    await browser.keys('ArrowRight');
    await browser.waitUntil(async () => (await selectedKind(browser)) !== first, {
      timeoutMsg: 'ArrowRight did not change the selected type',
    });
    const second = await selectedKind(browser);
    assert.equal(await focused(browser), second, 'focus follows the selection');

    // Back to IMAP (the first type): Home is not a radio key, so use ArrowLeft until it is selected.
    for (let i = 0; i < 6 && (await selectedKind(browser)) !== 'kind-imap'; i++) {
      await browser.keys('ArrowLeft');
    }
    assert.equal(await selectedKind(browser), 'kind-imap');
  });

  step('type step: Enter goes on to the account step', async () => {
    const { browser } = app;
    await browser.keys('Enter');
    await waitForTitle(browser, 'Your account');
    assert.equal(await focused(browser), 'email', 'the email field has focus');
  });

  step('account step: type, Tab, type, Enter goes on to the server step', async () => {
    const { browser } = app;
    await browser.keys(ALICE.split(''));
    await browser.keys('Tab');
    assert.equal(await focused(browser), 'password', 'Tab moves from email to password');
    await browser.keys(ALICE_PASSWORD.split(''));
    await browser.keys('Enter');
    await waitForTitle(browser, 'Mail servers');
    assert.equal(await focused(browser), 'host', 'the server field has focus');
    // The address typed with the keyboard reached the wizard: the server step guesses from its domain.
    assert.equal(await browser.$(tid('host')).getValue(), 'imap.example.test');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
