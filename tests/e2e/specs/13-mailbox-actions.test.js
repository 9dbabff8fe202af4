// The actions on a saved mailbox, in the real window against the real Dovecot and keychain:
// alice is saved (her outgoing server with a password of its own), then her Manage panel:
// Update password with a wrong new password (refused in place, the old one still in the
// keychain), her password changed on Dovecot and updated (the keychain holds the new one),
// Reconnect (every setting kept), Change folders (the row's count follows), Edit settings to a
// port where nothing listens (the diagnosis in place, the mailbox unchanged), and Remove with
// "Also erase its history" (no keychain entry left). Dovecot gets alice's password back at the
// end, whatever happened, for the specs after this one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, keychainAccounts, launchApp,
  screenshot, serverCommand, servers, shown, steps, tid, typeInto,
} from '../lib/harness.js';

const KEYCHAIN = 'inlet-e2e-actions';
const NEW_PASSWORD = 'looking-glass-7';

/**
 * The one way this spec reaches a mailbox's actions panel (the lead may move the panel into the
 * details view: only this function changes then).
 */
async function openManage(browser, email) {
  const row = await shown(browser, tid('mailbox-row', `[data-email="${email}"]`), SLOW);
  if (!(await browser.$(tid('mailbox-manage')).isExisting())) await row.$(tid('manage-mailbox')).click();
  return shown(browser, tid('mailbox-manage'));
}

/** The password the keychain holds for alice's incoming server, read with secret-tool as a person would. */
function keychainPassword() {
  const [account] = keychainAccounts(KEYCHAIN).filter((a) => !a.endsWith('/outgoing'));
  assert.ok(account, `a keychain entry for alice under ${KEYCHAIN}`);
  const lookup = spawnSync('secret-tool', ['lookup', 'service', KEYCHAIN, 'username', account], { encoding: 'utf8' });
  assert.equal(lookup.status, 0, `secret-tool lookup failed: ${lookup.stderr}`);
  return lookup.stdout.trim();
}

/** What the row says about the servers and folders (its text without the status times). */
async function rowSettings(browser) {
  return browser.execute(
    (email) => [...document.querySelectorAll(`[data-testid="mailbox-row"][data-email="${email}"] .info > .server`)].map((l) => l.textContent.replace(/\s+/g, ' ').trim()),
    ALICE,
  );
}

/** The list page needs no scrolling: its scroll box shows all it holds. */
async function fitsWithoutScrolling(browser) {
  return browser.execute(() => {
    const box = document.querySelector('.page > .body');
    return { fits: box.scrollHeight <= box.clientHeight + 1, scroll: box.scrollHeight, client: box.clientHeight, window: [innerWidth, innerHeight] };
  });
}

describe('mailbox actions: update password, reconnect, change folders, edit settings, remove', () => {
  let app;
  const step = steps(() => app?.browser, 'mailbox-actions');

  before(async () => {
    app = await launchApp('mailbox-actions', { keychainService: KEYCHAIN });
  });
  after(async () => {
    await serverCommand(`set-password ${ALICE} ${ALICE_PASSWORD}`).catch((e) => console.log(`# ${e.message}`));
    await app?.browser.deleteSession();
  });

  step('alice is saved, her outgoing server with a password of its own', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await fillServer(browser, {
      host: 'localhost',
      port: servers.imapsPort,
      security: 'tls',
      smtp: { host: 'localhost', port: servers.smtpPort, security: 'starttls', password: ALICE_PASSWORD },
    });
    await browser.$(tid('next')).click();
    await shown(browser, tid('folder-tree'), SLOW);
    await browser.$(tid('save')).click();
    await shown(browser, tid('saved-summary'), SLOW);
    await browser.$(tid('go-to-list')).click();
    await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`), SLOW);
    assert.equal(keychainPassword(), ALICE_PASSWORD);
  });

  step('the Manage panel: every action, in the window without scrolling', async () => {
    const { browser } = app;
    const panel = await openManage(browser, ALICE);
    for (const action of ['manage-password', 'manage-reconnect', 'manage-folders', 'manage-settings', 'manage-setup-again']) {
      assert.equal(await panel.$(tid(action)).isDisplayed(), true, `${action} is offered`);
    }
    assert.equal(await browser.execute(() => document.activeElement?.dataset.testid), 'manage-password', 'focus on the first action');
    const fit = await fitsWithoutScrolling(browser);
    assert.ok(fit.fits, `the list with the panel fits: ${JSON.stringify(fit)}`);
    await screenshot(browser, '37-mailbox-manage');
  });

  step('update password: a wrong new one is refused in place, and the keychain keeps the old one', async () => {
    const { browser } = app;
    const panel = await openManage(browser, ALICE);
    await panel.$(tid('manage-password')).click();
    const field = await shown(browser, tid('update-password-field'));
    assert.equal(await browser.execute(() => document.activeElement?.dataset.testid), 'update-password-field');
    // The outgoing server has its own password: the panel says that one stays.
    assert.match(await browser.$(tid('password-scope')).getText(), /receiving only/);
    await field.setValue('not-her-password');
    await browser.keys('Enter');
    const problem = await shown(browser, tid('action-problem'), SLOW);
    assert.equal(await problem.$(tid('diagnosis')).getAttribute('data-code'), 'authentication_failed');
    assert.match(await problem.$(tid('diagnosis-code')).getProperty('textContent'), /authentication_failed/, 'the code is shown');
    assert.equal(keychainPassword(), ALICE_PASSWORD, 'the old password stays in the keychain');
    // Its help-desk report: what the engine tried for this action, never the password typed.
    assert.ok(await problem.$(tid('copy-report')).isDisplayed(), 'the refusal offers its report');
    const report = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__
        .invoke('last_report', { format: 'markdown', masked: false, kind: 'mailbox_action' })
        .then(done, (e) => done(`error: ${JSON.stringify(e)}`));
    });
    assert.match(report, /updating the password/);
    assert.match(report, /\| Signing in \| \d+ \| \d+ \| FAILED \|/, report);
    assert.ok(!report.includes('not-her-password') && !report.includes(ALICE_PASSWORD), 'no password in the report');
    const fit = await fitsWithoutScrolling(browser);
    assert.ok(fit.fits, `the refusal fits: ${JSON.stringify(fit)}`);
    await screenshot(browser, '39-update-password-refused');
  });

  step('update password: changed on the server, the new one is checked and saved', async () => {
    const { browser } = app;
    await serverCommand(`set-password ${ALICE} ${NEW_PASSWORD}`);
    await typeInto(browser, tid('update-password-field'), NEW_PASSWORD);
    await browser.$(tid('update-password-save')).click();
    const done = await shown(browser, tid('action-done'), SLOW);
    assert.match(await done.getText(), /accepted the new password/);
    assert.equal(await browser.$(tid('action-problem')).isExisting(), false);
    assert.equal(keychainPassword(), NEW_PASSWORD, 'the keychain holds the new password');
  });

  step('reconnect keeps every setting', async () => {
    const { browser } = app;
    const before = await rowSettings(browser);
    const panel = await openManage(browser, ALICE);
    await panel.$(tid('manage-reconnect')).click();
    await browser.waitUntil(async () => /Every setting stays/.test(await browser.$(tid('action-done')).getText().catch(() => '')), {
      timeout: SLOW,
      timeoutMsg: 'no "Reconnected" message',
    });
    assert.deepEqual(await rowSettings(browser), before);
    assert.equal(keychainPassword(), NEW_PASSWORD);
  });

  step('change folders: load, tick Junk, save; the row’s folder count changes', async () => {
    const { browser } = app;
    const [incomingBefore] = await rowSettings(browser);
    const count = Number(/(\d+) folders?/.exec(incomingBefore)?.[1]);
    const panel = await openManage(browser, ALICE);
    await panel.$(tid('manage-folders')).click();
    await (await shown(browser, tid('load-folders'))).click();
    await shown(browser, `${tid('mailbox-manage')} ${tid('folder-tree')}`, SLOW);
    const junk = browser.$(`${tid('folder-row', '[data-raw-name="Junk"]')} ${tid('folder-check')}`);
    await junk.scrollIntoView({ block: 'center' });
    assert.equal(await junk.isSelected(), false, 'Junk is not chosen yet');
    await browser.$(`${tid('folder-row', '[data-raw-name="Junk"]')} label`).click();
    assert.equal(await junk.isSelected(), true);
    assert.match(await browser.$(tid('folders-chosen')).getText(), new RegExp(`^${count + 1} of \\d+ folders chosen`));
    await browser.execute(() => document.querySelector('[data-testid="mailbox-manage"] [data-testid="folder-tree"]').scrollTo(0, 0));
    const fit = await fitsWithoutScrolling(browser);
    assert.ok(fit.fits, `the folder change fits: ${JSON.stringify(fit)}`);
    await screenshot(browser, '38-mailbox-change-folders');
    await browser.$(tid('save-folders')).click();
    await shown(browser, tid('action-done'), SLOW);
    const [incomingAfter] = await rowSettings(browser);
    assert.match(incomingAfter, new RegExp(`${count + 1} folders`), incomingAfter);
  });

  step('edit settings: a port where nothing listens is refused in place; the mailbox is unchanged', async () => {
    const { browser } = app;
    const before = await rowSettings(browser);
    const panel = await openManage(browser, ALICE);
    await panel.$(tid('manage-settings')).click();
    const port = await shown(browser, tid('edit-incoming-port'));
    assert.equal(await port.getValue(), String(servers.imapsPort));
    assert.equal(await browser.$(tid('edit-outgoing-port')).getValue(), String(servers.smtpPort));
    await typeInto(browser, tid('edit-incoming-port'), '1');
    await browser.$(tid('edit-save')).click();
    const problem = await shown(browser, tid('action-problem'), SLOW);
    const code = await problem.$(tid('diagnosis')).getAttribute('data-code');
    assert.equal(code, 'connection_refused', `the diagnosis: ${await problem.getText()}`);
    assert.deepEqual(await rowSettings(browser), before, 'the row shows the saved settings');
    const fit = await fitsWithoutScrolling(browser);
    assert.ok(fit.fits, `the refused edit fits: ${JSON.stringify(fit)}`);
    await screenshot(browser, '40-edit-settings-refused');
    // Reopened, the form starts from what is saved.
    await browser.keys('Escape');
    await panel.$(tid('manage-settings')).click();
    assert.equal(await (await shown(browser, tid('edit-incoming-port'))).getValue(), String(servers.imapsPort));
    await browser.keys('Escape');
  });

  step('remove with "Also erase its history": gone from the list and from the keychain', async () => {
    const { browser } = app;
    const row = await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`));
    await row.$(tid('remove-mailbox')).click();
    const erase = await shown(browser, tid('erase-history'));
    assert.equal(await erase.isSelected(), false, 'history is kept by default');
    await erase.click();
    await browser.$(tid('confirm-remove')).click();
    await browser.waitUntil(async () => !(await browser.$(tid('mailbox-row', `[data-email="${ALICE}"]`)).isExisting()), {
      timeout: SLOW,
      timeoutMsg: 'alice is still listed',
    });
    assert.deepEqual(keychainAccounts(KEYCHAIN), [], 'no keychain entry is left');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
