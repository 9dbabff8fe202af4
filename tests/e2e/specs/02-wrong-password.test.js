// A wrong password: the wizard goes as far as signing in, then explains what went wrong.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ALICE, SLOW, assertNoCspTrouble, assertNothingSaved, fillServer, launchApp, screenshot, scrollTo, servers, setUpManually, shown,
  steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

describe('wrong password: the diagnosis says so', () => {
  let app;
  const step = steps(() => app?.browser, 'wrong-password');

  before(async () => {
    // A keychain service of its own: the happy path stores alice under the shared one.
    app = await launchApp('wrong-password', { keychainService: 'inlet-e2e-wrong-password' });
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('fill in the wizard with a wrong password', async () => {
    const { browser } = app;
    await setUpManually(browser);
    await (await shown(browser, tid('kind-imap'))).click();
    await browser.$(tid('next')).click();
    await waitForTitle(browser, 'Your account');
    await typeInto(browser, tid('email'), ALICE);
    await typeInto(browser, tid('password'), 'not-the-password');
    await browser.$(tid('next')).click();
    // Only the incoming server (the outgoing one has its own spec, 07-outgoing-wrong-password).
    await fillServer(browser, { host: 'localhost', port: servers.imapsPort, security: 'tls', smtp: null });
    await browser.$(tid('next')).click();
  });

  step('the diagnosis: authentication_failed, with a visible title', async () => {
    const { browser } = app;
    const diagnosis = await shown(browser, tid('diagnosis'), SLOW);
    assert.equal(await diagnosis.getAttribute('data-code'), 'authentication_failed');
    const title = await shown(browser, tid('diagnosis-title'));
    assert.notEqual((await title.getText()).trim(), '', 'the diagnosis has a title');
    // The steps before signing in are done; signing in failed; no folder was listed.
    const row = (stage) => browser.$(tid('progress-row', `[data-stage="${stage}"]`));
    assert.equal(await row('tls').getAttribute('data-state'), 'done');
    assert.equal(await row('signing_in').getAttribute('data-state'), 'failed');
    assert.equal(await row('listing_folders').isExisting(), false, 'no folder listing after a failed sign-in');
    await waitForTitle(browser, 'Inlet could not connect');
    // Focus moves to the diagnosis, so a screen reader reads it and the keyboard starts there.
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'diagnosis-title');
    const text = await diagnosis.getText();
    assert.match(text, /What to do/, 'the diagnosis says what to do');
    assert.doesNotMatch(text, /not-the-password/, 'the diagnosis never shows the password');
    // The page from its top for the picture: title, lead and the whole panel.
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '08-wrong-password');
  });

  step('nothing was saved: not in the store, not in the keychain', async () => {
    assertNothingSaved(app, assert, ALICE);
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
