// The error view: a wrong password fixed on the error screen itself, the help-desk report
// (copied and saved, with its stage timings and no password), and an account over its
// connection limit, which is temporary and never a wrong password.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import tls from 'node:tls';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, launchApp, screenshot, servers,
  setChecked, shown, steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

const WRONG = 'not-the-password-7';

/** Every form a password can take in a sign-in: itself, base64, and SASL PLAIN's. */
function passwordForms(password) {
  return [
    password,
    Buffer.from(password).toString('base64'),
    Buffer.from(`\0${ALICE}\0${password}`).toString('base64'),
    Buffer.from(`${ALICE}\0${ALICE}\0${password}`).toString('base64'),
  ];
}

/** The error view fits the window: its scroll box has nothing to scroll. */
async function assertFits(browser, what) {
  const box = await browser.execute(() => {
    const body = document.querySelector('.step-body');
    return { scroll: body.scrollHeight, client: body.clientHeight, window: `${innerWidth}x${innerHeight}` };
  });
  assert.ok(box.scroll <= box.client + 1, `${what} fits the ${box.window} window without scrolling: ${JSON.stringify(box)}`);
}

/** The report the "Copy report" button copies, asked of the same command. */
async function lastReport(browser, format, masked) {
  return browser.executeAsync((f, m, done) => {
    window.__TAURI_INTERNALS__.invoke('last_report', { format: f, masked: m }).then(done, (e) => done(`error: ${JSON.stringify(e)}`));
  }, format, masked);
}

/**
 * Signs alice in to `port` (IMAPS, test CA) and keeps the connection open: the Dovecot that
 * takes one connection per user and address then refuses the next one.
 */
function holdSignedIn(port) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(servers.caFile), servername: 'localhost' });
    let heard = '';
    let asked = false;
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      heard += chunk;
      if (!asked && heard.includes('* OK')) {
        asked = true;
        socket.write(`a LOGIN "${ALICE}" "${ALICE_PASSWORD}"\r\n`);
      }
      if (/^a OK/m.test(heard)) resolve(socket);
      else if (/^a (NO|BAD)/m.test(heard)) reject(new Error(`the held sign-in was refused: ${heard}`));
    });
    socket.on('error', reject);
  });
}

describe('the error view: fixed in place, reported, and a temporary refusal', () => {
  let app;
  let held = null;
  const step = steps(() => app?.browser, 'error-view');

  before(async () => {
    app = await launchApp('error-view', { keychainService: 'inlet-e2e-error-view' });
  });
  after(async () => {
    held?.destroy();
    await app?.browser.deleteSession();
  });

  step('a wrong password, the same for both servers', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, WRONG);
    await fillServer(browser, {
      host: 'localhost',
      port: servers.imapsPort,
      security: 'tls',
      smtp: { host: 'localhost', port: servers.smtpPort, security: 'starttls' },
    });
    await setChecked(browser, tid('smtp-same-password'), true);
    await browser.$(tid('next')).click();
    await waitForTitle(browser, 'Inlet could not connect', SLOW);
  });

  step('the view: code beside the title, numbered steps, who acts, the password right there, said once', async () => {
    const { browser } = app;
    const panels = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="diagnosis"]')].map((p) => `${p.dataset.side}:${p.dataset.code}`),
    );
    assert.deepEqual(panels, ['incoming:authentication_failed'], 'both servers refused one password: one panel');
    assert.match(await browser.$(tid('both-refused')).getText(), /Both servers refused this password/);
    assert.equal(await browser.$(tid('diagnosis-code')).getText(), 'authentication_failed');
    assert.ok((await browser.$$(`${tid('diagnosis-steps')} li`)).length >= 1, 'numbered steps');
    assert.equal(await browser.$(tid('who-acts')).getText(), 'You can fix this yourself');
    assert.equal(await browser.$(tid('fix-password')).isDisplayed(), true, 'the password field is on the error view');
    // The server's own words are behind Details, closed.
    assert.equal(await browser.$(tid('diagnosis-details')).getAttribute('open'), null);
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'diagnosis-title');
    const text = await browser.$('main').getText();
    for (const form of passwordForms(WRONG)) assert.ok(!text.includes(form), 'no password on screen');
    await assertFits(browser, 'the wrong-password view');
    await screenshot(browser, '31-error-view-password');
  });

  step('Copy report: the stage timings, the diagnosis, no password', async () => {
    const { browser } = app;
    await browser.$(tid('copy-report')).click();
    await browser.waitUntil(async () => /Report copied|clipboard/.test(await browser.$(tid('report-status')).getText()), {
      timeout: 10_000,
      timeoutMsg: 'Copy report said nothing',
    });
    const report = await lastReport(browser, 'markdown', false);
    assert.match(report, /^# Inlet help-desk report/);
    assert.match(report, /\| Stage \| Started \(ms\) \| Took \(ms\) \| Result \| Detail \|/, 'the stage timings');
    assert.match(report, /\| Signing in \| \d+ \| \d+ \| FAILED \|/, 'the failed sign-in with its timing');
    assert.match(report, /authentication_failed/);
    assert.match(report, /\(outgoing/, 'the outgoing server’s attempt too');
    assert.match(report, new RegExp(ALICE.replace('.', '\\.')), 'the address, unmasked unless asked');
    for (const form of passwordForms(WRONG)) assert.ok(!report.includes(form), `no password in the report (${form})`);
    // What the clipboard got, where the window lets a page read it back.
    const copied = await browser.executeAsync((done) => {
      navigator.clipboard.readText().then(done, () => done(null));
    });
    if (copied !== null) assert.equal(copied, report, 'the clipboard holds the report');
  });

  step('Save report, masked, as JSON: a new file in the Downloads folder (else home), said where', async () => {
    const { browser } = app;
    await setChecked(browser, tid('report-masked'), true);
    await browser.$(tid('report-format')).selectByAttribute('value', 'json');
    await browser.$(tid('save-report')).click();
    const where = await shown(browser, tid('report-path'));
    const path = await where.getText();
    assert.match(path, /inlet-report-\d{8}-\d{6}\.json$/);
    assert.equal(dirname(path), process.env.HOME, 'no Downloads or Documents folder is set up here: the home folder');
    const saved = readFileSync(path, 'utf8');
    const json = JSON.parse(saved);
    assert.equal(json.masked, true);
    assert.equal(json.outcome.code, 'authentication_failed');
    assert.ok(json.attempts.some((a) => a.stages.some((s) => s.stage === 'signing_in' && s.state === 'failed')));
    assert.ok(!saved.includes(ALICE), 'the address is masked');
    for (const form of passwordForms(WRONG)) assert.ok(!saved.includes(form), 'no password in the saved report');
    await screenshot(browser, '32-error-view-report-saved');
  });

  step('the right password typed on the error view, Try again by keyboard: the folders', async () => {
    const { browser } = app;
    await typeInto(browser, tid('fix-password'), ALICE_PASSWORD);
    await browser.keys('Enter');
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
  });

  step('an account over its connection limit: temporary, no password fields, not a wrong password', async () => {
    const { browser } = app;
    held = await holdSignedIn(servers.limitedImapsPort);
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Mail servers');
    await typeInto(browser, tid('port'), String(servers.limitedImapsPort));
    await browser.$(tid('next')).click();
    await waitForTitle(browser, 'Inlet could not connect', SLOW);
    const diagnosis = await shown(browser, tid('diagnosis'));
    assert.equal(await diagnosis.getAttribute('data-code'), 'too_many_connections');
    assert.equal(await browser.$(tid('diagnosis-code')).getText(), 'too_many_connections');
    assert.equal(await browser.$(tid('who-acts')).getText(), 'You can fix this yourself');
    assert.equal(await browser.$(tid('fix-fields')).isExisting(), false, 'the password was right: no field to retype it');
    assert.doesNotMatch(await diagnosis.getText(), /password is wrong/i);
    // The server's own words, behind Details.
    await browser.$(`${tid('diagnosis-details')} summary`).click();
    assert.match(await browser.$(`${tid('diagnosis-details')} pre`).getText(), /LIMIT/);
    await browser.$(`${tid('diagnosis-details')} summary`).click();
    await assertFits(browser, 'the connection-limit view');
    await screenshot(browser, '33-error-view-too-many-connections');
    const report = await lastReport(browser, 'markdown', false);
    assert.match(report, /too_many_connections/);
    assert.match(report, /\| Signing in \| \d+ \| \d+ \| FAILED \|/);
    for (const form of passwordForms(ALICE_PASSWORD)) assert.ok(!report.includes(form), 'no password in the report');
  });

  step('the other connection closed, Try again connects', async () => {
    const { browser } = app;
    await new Promise((resolve) => {
      held.once('close', resolve);
      held.destroy();
    });
    held = null;
    // Dovecot counts the closed connection out within moments; a few tries, generously spaced.
    const ends = ['Choose folders to sync', 'Inlet could not connect'];
    for (let attempt = 1; ; attempt++) {
      await browser.$(tid('retry')).click();
      let title = '';
      await browser.waitUntil(async () => ends.includes((title = await browser.$(tid('step-title')).getText())), {
        timeout: SLOW,
        timeoutMsg: 'the connection did not end',
      });
      if (title === ends[0]) break;
      assert.ok(attempt < 5, 'still over the connection limit after the other connection closed');
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
