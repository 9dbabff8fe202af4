// No encryption: Connect stays disabled until the warning is confirmed (for each server that would
// get a password); the mailbox then connects on the plain IMAP port and is saved marked
// "Not encrypted".
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, launchApp, screenshot,
  scrollTo, servers, setChecked, shown, steps, tid,
} from '../lib/harness.js';

describe('plaintext: confirmed, connected, marked', () => {
  let app;
  const step = steps(() => app?.browser, 'plaintext');

  before(async () => {
    app = await launchApp('plaintext');
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('no encryption: Connect waits for the confirmation of each server', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await fillServer(browser, { host: 'localhost', port: servers.imapPort, security: 'none', smtp: null });
    const next = browser.$(tid('next'));
    await shown(browser, tid('plaintext-confirm'));
    assert.equal(await browser.$(tid('plaintext-confirm')).isSelected(), false, 'not confirmed by default');
    assert.equal(await next.isEnabled(), false, 'Connect is disabled until the warning is confirmed');
    assert.equal(await browser.$('#next-blocked').getText(), 'Confirm the warning to continue.');

    // The outgoing server without encryption needs its own confirmation.
    await setChecked(browser, tid('smtp-enabled'), true);
    await browser.$(tid('smtp-security')).selectByAttribute('value', 'none');
    await shown(browser, tid('smtp-plaintext-confirm'));
    assert.equal(await browser.$('#next-blocked').getText(), 'Confirm both warnings to continue.');
    await setChecked(browser, tid('plaintext-confirm'), true);
    assert.equal(await next.isEnabled(), false, 'still disabled: the outgoing warning is not confirmed');
    assert.equal(await browser.$('#next-blocked').getText(), 'Confirm the warning to continue.');
    // Only the incoming server, after all.
    await setChecked(browser, tid('smtp-enabled'), false);
    assert.equal(await next.isEnabled(), true, 'Connect is enabled once the warning is confirmed');
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '14-plaintext-warning');
    await next.click();
  });

  step('connects without encryption, saves, and the mailbox is marked "Not encrypted"', async () => {
    const { browser } = app;
    await shown(browser, tid('folder-tree'), SLOW);
    await browser.$(tid('save')).click();
    const summary = await shown(browser, tid('saved-summary'), SLOW);
    assert.match(await summary.getText(), new RegExp(`localhost:${servers.imapPort}\\s*· IMAP · No encryption`));
    const badge = await shown(browser, `${tid('saved-summary')} ${tid('plaintext-badge')}`);
    assert.equal(await badge.getText(), 'Not encrypted');
    await browser.$(tid('go-to-list')).click();
    const row = await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`), SLOW);
    const listBadge = await row.$(tid('plaintext-badge'));
    assert.equal(await listBadge.isDisplayed(), true, 'the list marks the mailbox');
    assert.equal(await listBadge.getText(), 'Not encrypted');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
