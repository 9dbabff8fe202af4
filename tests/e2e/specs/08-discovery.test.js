// Discovery, from the address alone: alice@example.test → example.test's own autoconfig document
// (served by the test HTTPS server) names imap.example.test:993 and mail.example.test:465, both
// checked without a password → "Use these settings" → the password → the real Dovecot and SMTP
// server (the app's connectTo sends those names there) → folders → saved. Then bob@elsewhere.test,
// whose DNS service records point to hosts outside elsewhere.test: "Needs your confirmation"
// holds "Use these settings" back until ticked. Then carol@oauthonly.test, whose server offers
// OAuth2 sign-in only: the proposal says a password will not work. Then an address whose domain has nothing: the
// live progress while its autoconfig host stays silent, Cancel, and the diagnosis with the usual
// names filled in for typing by hand. Last, bob@corp.test, whose Autodiscover tells the settings
// only for his password: it goes there only when typed and asked for, and is kept for Sign in.
// Keyboard where a person would use it.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ADDRESS_TITLE, ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, autodiscoverRequests, copyReport, launchApp, progressRows,
  reportOf, screenshot, scrollTo, servers, setChecked, shown, steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

const NOWHERE = 'someone@nowhere.test';
/** bob signs in as "bob" (the engine tries the whole address, then the part before @). */
const BOB = 'bob@elsewhere.test';
const BOB_CORP = 'bob@corp.test';
/** oauthonly.test's DNS names a server that offers OAuth2 sign-in only. */
const CAROL = 'carol@oauthonly.test';
/** moved.test's configuration redirects to example.test's. */
const MOVED = 'alice@moved.test';

/** The web sources' deadline in this spec (ms): how long nowhere.test's silent host keeps discovery busy. */
const NOWHERE_WEB_DEADLINE = 12_000;
/** Waiting for a moment within that time: the other sources end at once, so this is plenty. */
const WITHIN_DEADLINE = NOWHERE_WEB_DEADLINE - 2_000;

/** The data-testid of the focused element, or of its closest ancestor that has one. */
async function focused(browser) {
  return browser.execute(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null);
}

/** The discovery rows on screen, read in one call, as `source:status`. */
async function discoveryRows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="discovery-row"]')].map((r) => `${r.dataset.source}:${r.dataset.status}`),
  );
}

describe('discovery: the settings found from the address', () => {
  let app;
  const step = steps(() => app?.browser, 'discovery');

  before(async () => {
    // nowhere.test's configuration host never answers: discovery for it runs until the web
    // deadline, which is long here so that the steps that watch it (and picture it) have
    // seconds to spare, not milliseconds.
    app = await launchApp('discovery', {
      configure: (config) => {
        config.discovery.http = NOWHERE_WEB_DEADLINE;
      },
    });
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('address step: the address has focus; type it and press Enter', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE, SLOW);
    await browser.waitUntil(async () => (await focused(browser)) === 'address', {
      timeoutMsg: 'the address field does not have focus when the wizard opens',
    });
    assert.match(await browser.$('nav[aria-label="Progress through the setup"]').getText(), /Step 1 of 4 · Email address/);
    await browser.keys(ALICE.split(''));
    await screenshot(browser, '16-address');
    await browser.keys('Enter');
  });

  step('the proposal: example.test’s own configuration, verified, and what to enable first', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    const incoming = await shown(browser, tid('proposal-incoming'));
    assert.equal(await browser.$(tid('proposal-incoming-server')).getText(), 'imap.example.test:993');
    assert.match(await incoming.getText(), /TLS/);
    assert.equal(await incoming.getAttribute('data-verified'), 'true', 'the incoming server was checked and answered');
    assert.match(await browser.$(tid('proposal-incoming-verification')).getText(), /^Verified\s+The server answered over an encrypted connection\./);
    // The technician's words are behind "Show details" (read from the DOM).
    assert.match(await browser.$(tid('proposal-incoming-technical')).getProperty('textContent'), /^IMAP server answered over TLS; sign-in: /);
    assert.equal(await browser.$(tid('proposal-incoming-found-by')).getProperty('textContent'), 'from example.test\'s own configuration');
    assert.equal(await browser.$(tid('proposal-incoming-login')).getText(), ALICE);
    // Dovecot offered PLAIN and LOGIN when it was checked: the password is the way in.
    assert.equal(await browser.$(tid('proposal-incoming-sign-in')).getText(), 'Password');
    assert.equal(await browser.$(tid('browser-only')).isExisting(), false);
    assert.equal(await browser.$(tid('proposal-outgoing-server')).getText(), 'mail.example.test:465');
    assert.equal(await browser.$(tid('proposal-outgoing')).getAttribute('data-verified'), 'true');
    assert.match(await browser.$(tid('proposal-kind')).getText(), /IMAP mailbox/);
    // The provider's <enable>: first, and its address as text.
    const hints = await browser.$$(tid('hint'));
    assert.ok(hints.length >= 1, 'the provider’s instructions are shown');
    assert.equal(await hints[0].getAttribute('data-kind'), 'enable');
    const enable = await hints[0].getText();
    assert.match(enable, /Before you continue/);
    assert.match(enable, /Turn on access for mail apps first/);
    assert.match(enable, /https:\/\/example\.test\/settings\/mail-apps/);
    // Hosts inside the domain, from its own configuration over HTTPS: nothing to confirm.
    assert.equal(await browser.$(tid('needs-confirmation')).isExisting(), false);
    assert.equal(await focused(browser), 'use-settings', 'Enter would take the proposal');
    assert.match(await browser.$('nav[aria-label="Progress through the setup"]').getText(), /Step 2 of 4 · Settings/);
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '18-proposal');
  });

  step('what Inlet tried: each source, and every question asked', async () => {
    const { browser } = app;
    const report = await shown(browser, tid('discovery-report'));
    await scrollTo(browser, tid('discovery-report'), 'end');
    await report.$('summary').click();
    const sources = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="discovery-sources"] tbody tr')].map((r) => `${r.dataset.source}:${r.dataset.status}`),
    );
    assert.ok(sources.includes('autoconfig:found'), `the domain’s configuration found it: ${sources.join(', ')}`);
    assert.ok(sources.includes('verification:found'), `the servers were checked: ${sources.join(', ')}`);
    const trace = await browser.$(tid('discovery-trace')).getText();
    assert.match(trace, /https:\/\/autoconfig\.example\.test\/mail\/config-v1\.1\.xml/);
    assert.doesNotMatch(trace, /alice@/, 'the trace never shows the address');
    await report.$('summary').click();
    await browser.execute(() => document.activeElement?.blur());
  });

  step('“Use these settings”, then only the password', async () => {
    const { browser } = app;
    await browser.$(tid('use-settings')).click();
    await waitForTitle(browser, 'Sign in');
    assert.equal(await browser.$(tid('email-shown')).getText(), ALICE);
    assert.equal(await browser.$(tid('username')).getValue(), ALICE, 'the login name the configuration gives');
    await browser.waitUntil(async () => (await focused(browser)) === 'password', { timeoutMsg: 'the password field has no focus' });
    await browser.keys(ALICE_PASSWORD.split(''));
    await browser.keys('Enter');
  });

  step('connects to the servers found, both at once, and loads the folders', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
    const rows = await progressRows(browser);
    assert.ok(!rows.some((r) => r.endsWith(':failed')), `no step failed: ${rows.join(', ')}`);
    // mail.example.test:465 is the SMTP server (implicit TLS), reached through connectTo.
    assert.match(await browser.$(tid('outgoing-ok')).getText(), new RegExp(`mail\\.example\\.test:465 accepted ${ALICE.replace(/\./g, '\\.')}`));
    const inbox = browser.$(`${tid('folder-row', '[data-raw-name="INBOX"]')} ${tid('folder-check')}`);
    assert.equal(await inbox.isSelected(), true, 'INBOX is chosen by default');
    await browser.$(tid('save')).click();
  });

  step('saved with the discovered servers', async () => {
    const { browser } = app;
    const summary = await shown(browser, tid('saved-summary'), SLOW);
    const text = await summary.getText();
    assert.match(text, /imap\.example\.test:993/);
    assert.match(await browser.$(tid('saved-outgoing')).getText(), /mail\.example\.test:465.*SMTP.*TLS/);
    await browser.$(tid('go-to-list')).click();
    await (await shown(browser, tid('add-mailbox'))).click();
  });

  step('servers outside the domain (from DNS): “Needs your confirmation” first', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), BOB);
    await browser.keys('Enter');
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    assert.equal(await browser.$(tid('proposal-incoming-server')).getText(), 'imap.example.test:993');
    assert.match(await browser.$(tid('proposal-incoming-found-by')).getProperty('textContent'), /^from DNS \(elsewhere\.test's service records\)$/);
    assert.equal(await browser.$(tid('proposal-incoming')).getAttribute('data-verified'), 'true');
    const notice = await shown(browser, tid('needs-confirmation'));
    assert.match(await notice.getText(), /Your domain’s mail seems to be handled by imap\.example\.test and mail\.example\.test\. Is that your email provider\?/);
    // The reason, one click away.
    assert.match(
      await browser.$(tid('confirmation-reason')).getProperty('textContent'),
      /imap\.example\.test: elsewhere\.test's DNS points to imap\.example\.test, which is not part of elsewhere\.test/,
    );
    const use = browser.$(tid('use-settings'));
    assert.equal(await use.isEnabled(), false, '“Use these settings” waits for the confirmation');
    // The page is read from its top; Tab reaches the box.
    assert.equal(await focused(browser), 'step-title');
    await browser.keys('Tab');
    assert.equal(await focused(browser), 'confirm-proposal');
    await browser.keys('Space');
    await use.waitForEnabled({ timeoutMsg: '“Use these settings” stayed disabled after the confirmation' });
    await browser.execute(() => document.activeElement?.blur());
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '20-needs-confirmation');
    await use.click();
  });

  step('bob signs in on the confirmed servers; Back leads to the address again', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Sign in');
    const bob = servers.users.find(([user]) => user === 'bob');
    assert.ok(bob, `the test servers have a user bob: ${JSON.stringify(servers.users)}`);
    await typeInto(browser, tid('password'), bob[1]);
    await browser.keys('Enter');
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Sign in');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Inlet found your settings');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, ADDRESS_TITLE);
  });

  step('a server that takes OAuth2 sign-in only: the proposal says a password will not work', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), CAROL);
    await browser.keys('Enter');
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    assert.equal(await browser.$(tid('proposal-incoming-server')).getText(), `imap.example.test:${servers.oauthSrvPort}`);
    // Checked without a password: the server answered and offered XOAUTH2 and OAUTHBEARER only.
    assert.equal(await browser.$(tid('proposal-incoming')).getAttribute('data-verified'), 'true');
    assert.match(await browser.$(tid('proposal-incoming-technical')).getProperty('textContent'), /sign-in: XOAUTH2, OAUTHBEARER$/);
    const signIn = browser.$(tid('proposal-incoming-sign-in'));
    assert.equal(await signIn.getAttribute('data-sign-in'), 'browser_only');
    assert.equal(await browser.$(tid('proposal-outgoing-sign-in')).getText(), 'Password');
    const note = await shown(browser, tid('browser-only'));
    assert.match(await note.getText(), /A password will not work here/);
    assert.match(await note.getText(), /imap\.example\.test accepts only sign-in through your provider’s page \(OAuth2\)/);
    await scrollTo(browser, tid('proposal-incoming'), 'start');
    await screenshot(browser, '23-password-will-not-work');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, ADDRESS_TITLE);
  });

  step('an address with nothing to find: live progress while a source is silent, Esc cancels', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), NOWHERE);
    await browser.keys('Enter');
    await waitForTitle(browser, 'Looking for your settings');
    // The domain's configuration host never answers (until the web deadline); the other sources
    // end at once.
    let rows = [];
    await browser.waitUntil(
      async () => {
        rows = await discoveryRows(browser);
        return rows.includes('autoconfig:running') && rows.includes('srv:not_found') && rows.includes('mx:not_found');
      },
      { timeout: WITHIN_DEADLINE, interval: 50, timeoutMsg: `no moment with the configuration still looking and DNS done: ${rows.join(', ')}` },
    );
    assert.equal(await focused(browser), 'cancel', 'Cancel has focus while looking');
    await browser.keys('Escape');
    await waitForTitle(browser, ADDRESS_TITLE);
    assert.equal(await browser.$(tid('address')).getValue(), NOWHERE, 'the address is kept');
  });

  step('again, to the end: the progress, then the diagnosis', async () => {
    const { browser } = app;
    await browser.$(tid('find')).click();
    await waitForTitle(browser, 'Looking for your settings');
    assert.match(await browser.$(tid('discovery-line')).getText(), /^Looking up nowhere\.test’s mail settings…$/);
    let rows = [];
    await browser.waitUntil(
      async () => {
        rows = await discoveryRows(browser);
        return rows.includes('autoconfig:running') && rows.filter((r) => !r.endsWith(':running')).length >= 5;
      },
      { timeout: WITHIN_DEADLINE, interval: 50, timeoutMsg: `no moment with most sources done and one still looking: ${rows.join(', ')}` },
    );
    await browser.action('pointer').move({ x: 1, y: 1, origin: 'viewport' }).perform();
    await screenshot(browser, '17-discovering');
    // The picture shows discovery still looking only if it still was once the picture was taken.
    rows = await discoveryRows(browser);
    assert.ok(rows.includes('autoconfig:running'), `discovery ended before the screenshot (17-discovering.png): ${rows.join(', ')}`);

    await waitForTitle(browser, 'Let’s enter your settings', SLOW);
    const diagnosis = await shown(browser, tid('diagnosis'));
    assert.equal(await diagnosis.getAttribute('data-code'), 'settings_not_found');
    assert.match(await diagnosis.getText(), /nowhere\.test/);
    assert.equal(await focused(browser), 'diagnosis-title', 'the diagnosis is read out first');
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '19-settings-not-found');
  });

  step('Copy report at the diagnosis: discovery’s trace; masked, no address or domain', async () => {
    const { browser } = app;
    const copied = await copyReport(browser);
    const report = await reportOf(browser, 'discovery', false);
    assert.match(report, /^# Inlet help-desk report/);
    assert.match(report, /settings_not_found/);
    assert.match(report, /Checked: discovery only/);
    assert.match(report, /## Discovery\n\n\| Source \| Asked \| Result \| ms \| Outcome \|/, 'the trace, as a table');
    assert.match(report, /\| dns-srv \| SRV \\_imaps\.\\_tcp\.nowhere\.test \| [a-z_]+ \| \d+ \|/, 'each DNS question asked, with what came back and when');
    assert.match(report, /autoconfig\.nowhere\.test/, 'the web sources too');
    assert.match(report, /someone@nowhere\.test/, 'the address, unmasked unless asked');
    if (copied !== null) assert.equal(copied, report, 'the clipboard holds the discovery’s report');

    await setChecked(browser, tid('report-masked'), true);
    const copiedMasked = await copyReport(browser);
    const masked = await reportOf(browser, 'discovery', true);
    assert.match(masked, /## Discovery/, 'the trace stays');
    assert.match(masked, /SRV \\_imaps\.\\_tcp\.n….test/, 'its questions with the domain masked');
    assert.match(masked, /The address and host names are masked/);
    assert.ok(!masked.includes('someone@'), 'no address');
    assert.ok(!masked.toLowerCase().includes('nowhere.test'), 'no domain');
    if (copiedMasked !== null) {
      await browser.waitUntil(async () => (await browser.executeAsync((done) => navigator.clipboard.readText().then(done, () => done(null)))) === masked, {
        timeout: 10_000,
        timeoutMsg: 'the clipboard did not get the masked report',
      });
    }
    await setChecked(browser, tid('report-masked'), false);
  });

  step('“Enter settings by hand”: the servers step, filled with the usual names', async () => {
    const { browser } = app;
    await browser.$(tid('enter-by-hand')).click();
    await waitForTitle(browser, 'Mail servers');
    assert.equal(await browser.$(tid('host')).getValue(), 'imap.nowhere.test');
    assert.equal(await browser.$(tid('port')).getValue(), '993');
    assert.equal(await browser.$(tid('smtp-host')).getValue(), 'smtp.nowhere.test');
    assert.equal(await browser.$(tid('next')).getText(), 'Next', 'the password comes after the servers');
  });

  step('Autodiscover wants the password: asked only when the user agrees, then the settings', async () => {
    const { browser } = app;
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Let’s enter your settings');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), BOB_CORP);
    await browser.keys('Enter');
    await waitForTitle(browser, 'One more step', SLOW);
    const offer = await shown(browser, tid('autodiscover-offer'));
    assert.match(await offer.getText(), /Sign in to get your settings from corp\.test/);
    assert.equal(await focused(browser), 'autodiscover-password', 'the way on has the focus');
    await browser.action('pointer').move({ x: 1, y: 1, origin: 'viewport' }).perform();
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '21-autodiscover-password');
    // The server's own record: Autodiscover was asked, refused (401), and no request to that
    // server (corp.test's autoconfig is asked there too) carried credentials.
    const asked = await autodiscoverRequests();
    const isAutodiscover = (r) => r.request.startsWith('POST /autodiscover/autodiscover.xml ');
    assert.ok(asked.some(isAutodiscover), `corp.test’s Autodiscover was asked: ${JSON.stringify(asked)}`);
    assert.ok(asked.filter(isAutodiscover).every((r) => r.refusedForAuth), `refused (401): ${JSON.stringify(asked)}`);
    assert.deepEqual(
      asked.filter((r) => r.authorization),
      [],
      `no Authorization header before the user agreed: ${JSON.stringify(asked)}`,
    );
    const bob = servers.users.find(([user]) => user === 'bob');
    await typeInto(browser, tid('autodiscover-password'), bob[1]);
    // Enter in that field asks Autodiscover (it does not take the page's own button).
    await browser.keys('Enter');
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    assert.equal(await browser.$(tid('proposal-incoming-server')).getText(), 'imap.example.test:993');
    assert.equal(await browser.$(tid('proposal-incoming-found-by')).getProperty('textContent'), 'from corp.test\'s Autodiscover service');
    assert.equal(await browser.$(tid('proposal-incoming-login')).getText(), 'bob');
    // Now it got bob's credentials, and they were the right ones.
    const answered = await autodiscoverRequests();
    assert.deepEqual(answered.slice(0, asked.length), asked, 'the record only grows');
    assert.ok(
      answered.slice(asked.length).some((r) => isAutodiscover(r) && r.authorization && !r.refusedForAuth),
      `a request with the password, accepted, once the user agreed: ${JSON.stringify(answered)}`,
    );
    await browser.$(tid('use-settings')).click();
    await waitForTitle(browser, 'Sign in');
    assert.equal(await browser.$(tid('password')).getValue(), bob[1], 'the password given to Autodiscover is the mailbox’s');
    await browser.keys('Enter');
    await waitForTitle(browser, 'Choose folders to sync', SLOW);
  });

  step('a redirect to another domain: offered, and followed only when asked', async () => {
    const { browser } = app;
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Sign in');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, 'Inlet found your settings');
    await browser.$(tid('back')).click();
    await waitForTitle(browser, ADDRESS_TITLE);
    await typeInto(browser, tid('address'), MOVED);
    await browser.keys('Enter');
    await waitForTitle(browser, 'One more step', SLOW);
    const offer = await shown(browser, tid('redirect-offer'));
    assert.match(await offer.getText(), /moved\.test's configuration points to autoconfig\.example\.test, which is not part of moved\.test/);
    assert.match(await offer.getText(), /https:\/\/autoconfig\.example\.test\/mail\/config-v1\.1\.xml/);
    await browser.action('pointer').move({ x: 1, y: 1, origin: 'viewport' }).perform();
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '22-redirect');
    await browser.$(tid('follow-redirect')).click();
    await waitForTitle(browser, 'Inlet found your settings', SLOW);
    assert.equal(await browser.$(tid('proposal-incoming-server')).getText(), 'imap.example.test:993');
    assert.equal(
      await browser.$(tid('proposal-incoming-found-by')).getProperty('textContent'),
      'from autoconfig.example.test, where moved.test points (you confirmed it)',
    );
    assert.equal(await browser.$(tid('redirect-offer')).isExisting(), false, 'a followed redirect is not offered again');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
