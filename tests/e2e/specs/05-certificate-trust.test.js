// A self-signed certificate: the certificate screen shows it with its fingerprint; the user
// confirms and trusts exactly that certificate, and the folders load. Then the server changes its
// certificate (to one the test CA signed): the wizard refuses it as "changed", shows both
// fingerprints, offers no way to trust it from there; removing the old trust connects again and
// the new certificate is judged afresh (here it is valid, so the folders load).
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, hexOnly, launchApp,
  screenshot, scrollTo, serverCommand, servers, setChecked, shown, steps, testCertFingerprint, tid, waitForTitle,
} from '../lib/harness.js';

/** The folder step of the untrusted server's mailbox is up (its one extra folder is listed). */
async function foldersLoaded(browser) {
  await shown(browser, tid('folder-tree'), SLOW);
  await waitForTitle(browser, 'Choose folders to sync');
  const [folder] = servers.untrustedFolders;
  assert.ok(await browser.$(tid('folder-row', `[data-raw-name="${folder}"]`)).isExisting(), `${folder} is listed`);
}

describe('certificate trust: untrusted, trusted, then changed', () => {
  let app;
  let swapped = false;
  const step = steps(() => app?.browser, 'certificate-trust');
  const untrusted = testCertFingerprint('untrusted');
  const validAlt = testCertFingerprint('valid-alt');

  before(async () => {
    app = await launchApp('certificate-trust');
  });
  after(async () => {
    await app?.browser.deleteSession();
    // Leave the server as the next run expects it.
    if (swapped) await serverCommand('swap-untrusted Untrusted');
  });

  step('fill in the wizard for the server with a self-signed certificate', async () => {
    const { browser } = app;
    await chooseKind(browser, 'imap');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await fillServer(browser, { host: 'localhost', port: servers.untrustedImapsPort, security: 'tls', smtp: null });
    await browser.$(tid('next')).click();
  });

  step('the certificate screen: untrusted, its fingerprint, trust needs the confirmation', async () => {
    const { browser } = app;
    const diagnosis = await shown(browser, tid('diagnosis'), SLOW);
    assert.equal(await diagnosis.getAttribute('data-code'), 'certificate_untrusted');
    const panel = await shown(browser, tid('certificate-panel'));
    assert.equal(await panel.getAttribute('data-variant'), 'unknown');
    const fingerprint = await shown(browser, tid('certificate-fingerprint'));
    assert.equal(hexOnly(await fingerprint.getProperty('textContent')), untrusted, 'the fingerprint of the certificate the server sent');
    assert.match(await browser.$(tid('certificate-warning')).getText(), /self-signed/i);
    assert.equal(await browser.$(tid('progress-row', '[data-stage="tls"]')).getAttribute('data-state'), 'failed');
    assert.equal(await browser.$(tid('progress-row', '[data-stage="signing_in"]')).isExisting(), false, 'no sign-in');
    const trust = browser.$(tid('trust-certificate'));
    assert.equal(await trust.isEnabled(), false, '"Trust this certificate" waits for the confirmation');
    assert.equal(await browser.$(tid('trust-confirm')).isSelected(), false);
    // The picture: the page as it opens; the fingerprint, the confirmation and Trust fit the window.
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '10-certificate-untrusted');
  });

  step('confirm and trust: the same server connects and lists its folders', async () => {
    const { browser } = app;
    await browser.$(tid('trust-confirm')).scrollIntoView({ block: 'center' });
    await setChecked(browser, tid('trust-confirm'), true);
    const trust = browser.$(tid('trust-certificate'));
    await trust.waitForEnabled({ timeoutMsg: '"Trust this certificate" stayed disabled after the confirmation' });
    await trust.click();
    await foldersLoaded(browser);
  });

  step('the server changes its certificate: refused as changed, both fingerprints shown', async () => {
    const { browser } = app;
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Mail servers');
    // Same host and port, another certificate (signed by the test CA, so only the pin refuses it).
    await serverCommand('swap-untrusted ValidAlt');
    swapped = true;
    await browser.$(tid('next')).click();
    const diagnosis = await shown(browser, tid('diagnosis'), SLOW);
    assert.equal(await diagnosis.getAttribute('data-code'), 'certificate_changed');
    const panel = await shown(browser, tid('certificate-panel'));
    assert.equal(await panel.getAttribute('data-variant'), 'changed');
    assert.equal(hexOnly(await browser.$(tid('certificate-fingerprint')).getProperty('textContent')), validAlt, 'the new fingerprint');
    assert.equal(hexOnly(await browser.$(tid('previous-fingerprint')).getProperty('textContent')), untrusted, 'the trusted one');
    assert.match(await browser.$(tid('certificate-warning')).getText(), new RegExp(`localhost:${servers.untrustedImapsPort} changed`));
    assert.equal(await browser.$(tid('trust-certificate')).isExisting(), false, 'a changed certificate cannot be trusted from here');
    assert.equal(await browser.$(tid('trust-confirm')).isExisting(), false);
    await shown(browser, tid('untrust-certificate'));
    // The picture as it opens: the warning, both fingerprints and the one way on (remove the old trust).
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '11-certificate-changed');
  });

  step('remove the old trust: the new certificate is judged afresh (valid) and the folders load', async () => {
    const { browser } = app;
    const untrust = browser.$(tid('untrust-certificate'));
    await untrust.scrollIntoView({ block: 'center' });
    await untrust.click();
    await foldersLoaded(browser);
    await browser.$(tid('save')).click();
    await shown(browser, tid('saved-summary'), SLOW);
    assert.equal(await browser.$(tid('trusted-certificates')).isExisting(), false, 'no certificate pinned any more');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
