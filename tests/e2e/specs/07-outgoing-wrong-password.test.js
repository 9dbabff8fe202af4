// The incoming server accepts the password, the outgoing one has its own, and it is wrong: the
// diagnosis is about the outgoing server (data-side="outgoing"), and nothing is saved. Then the
// incoming password is wrong too: a diagnosis for each server, so both can be fixed at once.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, assertNothingSaved, launchApp,
  progressRows, screenshot, scrollTo, servers, shown, steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

const WRONG = 'not-the-smtp-password';
const WRONG_IMAP = 'not-the-imap-password';

describe('outgoing wrong password: the diagnosis names the outgoing server', () => {
  let app;
  const step = steps(() => app?.browser, 'outgoing-wrong-password');

  before(async () => {
    // A keychain service of its own: the happy path stores alice under the shared one.
    app = await launchApp('outgoing-wrong-password', { keychainService: 'inlet-e2e-outgoing-wrong-password' });
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('fill in the wizard with a wrong outgoing password', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await fillServer(browser, {
      host: 'localhost',
      port: servers.imapsPort,
      security: 'tls',
      smtp: { host: 'localhost', port: servers.smtpPort, security: 'starttls', password: WRONG },
    });
    assert.equal(await browser.$(tid('smtp-same-password')).isSelected(), false);
    await browser.$(tid('next')).click();
  });

  step('the diagnosis: authentication_failed on the outgoing server', async () => {
    const { browser } = app;
    const diagnosis = await shown(browser, tid('diagnosis'), SLOW);
    await waitForTitle(browser, 'Inlet could not connect');
    assert.equal(await diagnosis.getAttribute('data-code'), 'authentication_failed');
    assert.equal(await diagnosis.getAttribute('data-side'), 'outgoing');
    assert.equal(await browser.$(tid('diagnosis-side')).getText(), `Outgoing (SMTP) · localhost:${servers.smtpPort}`);
    const rows = await progressRows(browser);
    assert.ok(rows.includes('outgoing:signing_in:failed'), `outgoing sign-in failed; rows: ${rows.join(', ')}`);
    assert.ok(!rows.some((r) => r.startsWith('incoming:') && r.endsWith(':failed')), `nothing failed on the incoming side; rows: ${rows.join(', ')}`);
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'diagnosis-title');
    const text = await diagnosis.getText();
    assert.doesNotMatch(text, new RegExp(WRONG), 'the diagnosis never shows the password');
    assert.doesNotMatch(text, new RegExp(ALICE_PASSWORD), 'the diagnosis never shows the password');
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '15-outgoing-wrong-password');
  });

  step('both passwords wrong: a diagnosis for each server', async () => {
    const { browser } = app;
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Mail servers');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Your account');
    await typeInto(browser, tid('password'), WRONG_IMAP);
    await browser.$(tid('next')).click();
    await waitForTitle(browser, 'Mail servers');
    await browser.$(tid('next')).click();
    await waitForTitle(browser, 'Inlet could not connect', SLOW);
    const panels = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="diagnosis"]')].map((p) => `${p.dataset.side}:${p.dataset.code}`),
    );
    assert.deepEqual(panels, ['incoming:authentication_failed', 'outgoing:authentication_failed']);
    const also = await shown(browser, tid('also-problem'));
    assert.match(await also.getText(), new RegExp(`Outgoing \\(SMTP\\) · localhost:${servers.smtpPort}`));
    assert.match(await browser.$(tid('step-title')).getText(), /Inlet could not connect/);
    assert.match(await browser.$('.lead').getText(), /Both servers failed/);
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'diagnosis-title');
    const text = await browser.$('main').getText();
    assert.doesNotMatch(text, new RegExp(`${WRONG}|${WRONG_IMAP}`), 'no password on screen');
    await scrollTo(browser, tid('diagnosis'), 'start');
    await screenshot(browser, '24-both-servers-failed');
  });

  step('nothing was saved: not in the store, not in the keychain', async () => {
    assertNothingSaved(app, assert, ALICE);
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
