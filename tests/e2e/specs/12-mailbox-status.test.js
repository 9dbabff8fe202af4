// Keeping a mailbox connected, as the list and its details show it: alice's IMAP mailbox saved
// through the wizard, then checked on a schedule (every 3 s here) and the list updated live;
// the details view with every status field and the recent checks as marks; Check now adds a
// mark. Then an administrator changes alice's password on Dovecot: checks fail, the errors in a
// row count up, and at the policy's threshold (2 here) the mailbox is disabled and the list says
// so. Last, a policy that forbids adding: no Add button, and the sentence that says why.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, launchApp, screenshot,
  serverCommand, servers, shown, steps, tid, waitForTitle,
} from '../lib/harness.js';

const KEYCHAIN = 'inlet-e2e-status';
const CHANGED_PASSWORD = 'changed-by-the-admin-9';
const ROW = tid('mailbox-row', `[data-email="${ALICE}"]`);

/** A policy file with `policy` in a directory of its own. */
function policyFile(name, policy) {
  const dir = mkdtempSync(join(process.env.INLET_E2E_WORK, `${name}-`));
  const path = join(dir, 'policy.json');
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

/** The number in "N in a row" (0 for "none"). */
async function inARow(browser, id) {
  const text = await browser.$(tid(id)).getText();
  return text === 'none' ? 0 : Number(text.split(' ')[0]);
}

describe('mailbox status: live checks, details, auto-disable, and the policy', () => {
  let app;
  let passwordChanged = false;
  const step = steps(() => app?.browser, 'mailbox-status');

  before(async () => {
    const policy = policyFile('status-policy', { errorThresholds: { incoming: 2, outgoing: 2 } });
    app = await launchApp('mailbox-status', {
      keychainService: KEYCHAIN,
      configure: (config) => {
        config.policyFile = policy;
        // Rounds of checks every 3 s (the policy sets no shortest interval), so the list's live
        // updates are seen within the test.
        config.checkIntervalSeconds = 3;
      },
    });
  });
  after(async () => {
    if (passwordChanged) await serverCommand(`set-password ${ALICE} ${ALICE_PASSWORD}`).catch(() => {});
    await app?.browser.deleteSession();
  });

  step('save alice (IMAP over TLS, no outgoing server) through the wizard', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await waitForTitle(browser, 'Mail servers');
    await fillServer(browser, { host: 'localhost', port: servers.imapsPort, security: 'tls', smtp: null });
    await browser.$(tid('next')).click();
    await (await shown(browser, tid('save'), SLOW)).click();
    await (await shown(browser, tid('go-to-list'), SLOW)).click();
  });

  step('the list: name, type, default marker, and "Working" after a scheduled check, live', async () => {
    const { browser } = app;
    const row = await shown(browser, ROW, SLOW);
    assert.equal(await row.$(tid('mailbox-name')).getText(), ALICE);
    assert.equal(await row.$(tid('mailbox-type')).getText(), 'IMAP');
    assert.ok(await row.$(tid('default-marker')).isExisting(), 'the first mailbox is the default one');
    // No click: the schedule checks it again and the window hears the check (a newer time).
    const lastCheck = async () => row.$('time').getAttribute('datetime').catch(() => null);
    const first = await lastCheck();
    await browser.waitUntil(async () => (await lastCheck()) !== first, {
      timeout: SLOW,
      timeoutMsg: 'no scheduled check reached the list',
    });
    assert.match(await row.$('time').getText(), /^Checked /);
    assert.equal(await row.$(tid('status-badge')).getText(), 'Working');
    assert.equal(await row.getAttribute('data-badge'), 'working');
    // The exact time is one focus away.
    const time = await row.$('time');
    assert.equal(await time.getAttribute('tabindex'), '0');
    assert.match(await time.getAttribute('aria-label'), /^Checked .+, .*\d/);
    await shown(browser, tid('check-all'));
    await shown(browser, tid('add-mailbox')); // adding is allowed by this policy
    await screenshot(browser, '34-status-list');
  });

  step('the details view: every field, the timeline; Check now adds a mark', async () => {
    const { browser } = app;
    await browser.$(ROW).$(tid('open-details')).click();
    await shown(browser, tid('mailbox-details'));
    assert.equal(await browser.$(tid('details-badge')).getText(), 'Working');
    for (const field of [
      'field-last-check', 'field-last-success', 'field-incoming-success', 'field-outgoing-success',
      'field-consecutive', 'field-modified', 'field-incoming-error', 'field-outgoing-error',
    ]) {
      assert.ok(await browser.$(tid(field)).isExisting(), `${field} is shown`);
    }
    assert.equal(await inARow(browser, 'consecutive-incoming'), 0);
    assert.match(await browser.$(tid('field-modified')).getText(), / by \S+/);
    await shown(browser, tid('timeline'));
    const before = (await browser.$$(tid('timeline-mark'))).length;
    assert.ok(before >= 1, 'the scheduled checks are in the timeline');
    await browser.$(tid('details-check-now')).click();
    await browser.waitUntil(async () => (await browser.$(tid('details-said')).getText()) === 'Check worked.', {
      timeout: SLOW,
      timeoutMsg: 'Check now did not finish',
    });
    const marks = await browser.$$(tid('timeline-mark'));
    assert.ok(marks.length > before, `a mark was added (${before} → ${marks.length})`);
    assert.equal(await marks[marks.length - 1].getAttribute('data-outcome'), 'success');
    assert.match(await marks[marks.length - 1].getAttribute('aria-label'), /^Incoming, .+: worked in /);
    // Fits the 900×680 window without scrolling.
    const overflow = await browser.execute(() => {
      const box = document.querySelector('[data-testid="mailbox-details"] > .body');
      return box ? box.scrollHeight - box.clientHeight : -1;
    });
    assert.ok(overflow <= 0, `the details view scrolls by ${overflow}px`);
    await screenshot(browser, '35-status-details');
  });

  step('the password changed on the server: checks fail, errors count up, disabled at the threshold', async () => {
    const { browser } = app;
    await serverCommand(`set-password ${ALICE} ${CHANGED_PASSWORD}`);
    passwordChanged = true;
    await browser.$(tid('details-check-now')).click();
    await browser.waitUntil(async () => /^Check failed/.test(await browser.$(tid('details-said')).getText()), {
      timeout: SLOW,
      timeoutMsg: 'Check now did not fail after the password changed',
    });
    assert.ok((await inARow(browser, 'consecutive-incoming')) >= 1, 'the errors in a row count up');
    assert.match(await browser.$(tid('field-incoming-error')).getText(), /authentication_failed/);
    // The next scheduled check (every 3 s) reaches the policy's threshold of 2; the open view
    // hears it. (A check already under way when it was disabled may still add one.)
    await browser.waitUntil(async () => (await browser.$(tid('details-badge')).getText()) === 'Disabled', {
      timeout: SLOW,
      timeoutMsg: 'not disabled at the threshold',
    });
    assert.ok((await inARow(browser, 'consecutive-incoming')) >= 2, 'disabled after two errors in a row');
    assert.equal(await browser.$(tid('details-enable')).getText(), 'Enable');
    await browser.keys('Escape');
    const row = await shown(browser, ROW);
    await browser.waitUntil(async () => (await row.$(tid('status-badge')).getText()) === 'Disabled', {
      timeout: 10_000,
      timeoutMsg: 'the list does not say Disabled',
    });
    assert.equal(await row.getAttribute('data-badge'), 'disabled');
    assert.equal(
      await browser.execute(() => document.activeElement?.getAttribute('data-testid')),
      'open-details',
      'Esc returns to the list, focus on the Details button',
    );
    await screenshot(browser, '36-status-disabled');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });

  step('a policy that forbids adding: no Add button, and the sentence that says why', async () => {
    const { dataDir } = app;
    await app.browser.deleteSession();
    const forbids = policyFile('status-no-adding', { mailboxes: { allowAdding: false } });
    app = await launchApp('mailbox-status-no-adding', {
      keychainService: KEYCHAIN,
      configure: (config) => {
        // The same store: alice's mailbox is listed.
        config.dataDir = dataDir;
        config.policyFile = forbids;
      },
    });
    const { browser } = app;
    await shown(browser, ROW, SLOW);
    const note = await shown(browser, tid('adding-not-allowed'));
    assert.equal(await note.getText(), 'Your administrator has not allowed adding mailboxes. Ask them for help.');
    assert.equal(await browser.$(tid('add-mailbox')).isExisting(), false, 'no Add button');
  });
});
