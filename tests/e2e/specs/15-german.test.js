// The app on a German desktop (LANG=de_DE.UTF-8): the window and the engine's diagnoses speak
// German, every pictured screen is complete in German (screenshot() fails on a message the
// catalog lacks), and the language chosen in the header overrides the desktop's, kept across a
// restart, until "System" is chosen again.
//
// `germanOf` finds the German of an English text through the catalog, so the spec asserts the
// translation the catalog holds, not a copy of it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  ADDRESS_TITLE, ALICE, ALICE_PASSWORD, ROOT, SLOW, assertNoCspTrouble, launchApp, screenshot, scrollTo, servers,
  setChecked, shown, steps, tid, typeInto,
} from '../lib/harness.js';

const LOCALE = 'de_DE.UTF-8';
const KEYCHAIN = 'inlet-e2e-german';
const ROW = tid('mailbox-row', `[data-email="${ALICE}"]`);
/** The engine's title of a password the server refused (diagnose/from_error.rs). */
const WRONG_PASSWORD_TITLE = 'The server did not accept the password';

/** Every single-line message of one language's catalog, id → text. */
function catalog(language) {
  const dir = join(ROOT, 'locales', language);
  const messages = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ftl'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/^([a-z][a-z0-9-]*) = (.+)$/gm)) messages.set(m[1], m[2]);
  }
  return messages;
}
const english = catalog('en');
const german = catalog('de');

/** The German of a text the English catalog has as one message; null while it has none. */
function germanOf(text) {
  for (const [id, value] of english) if (value === text) return german.get(id) ?? null;
  return null;
}

/** The step's heading, once it is there. */
async function title(browser) {
  return (await shown(browser, tid('step-title'), SLOW)).getText();
}

async function pageLanguage(browser) {
  return browser.execute(() => document.documentElement.lang);
}

async function waitForLanguage(browser, lang) {
  await browser.waitUntil(async () => (await pageLanguage(browser)) === lang, {
    timeout: SLOW,
    timeoutMsg: `the page did not switch to ${lang}`,
  });
}

async function choose(browser, value) {
  await (await shown(browser, tid('language'))).selectByAttribute('value', value);
}

describe('German: the app follows a German desktop, and the choice in the header overrides it', () => {
  let app;
  const step = steps(() => app?.browser, 'german');

  before(async () => {
    app = await launchApp('german', { locale: LOCALE, keychainService: KEYCHAIN });
  });
  after(async () => {
    await app?.browser.deleteSession().catch(() => {});
  });

  step('the address step in German', async () => {
    const { browser } = app;
    await waitForLanguage(browser, 'de');
    // The header's own words are German today.
    assert.equal(await browser.$('.language .label').getText(), 'Sprache');
    const heading = await title(browser);
    const expected = germanOf(ADDRESS_TITLE);
    assert.ok(expected, `the address step's heading is in the catalog: "${ADDRESS_TITLE}"`);
    assert.equal(heading, expected, 'the address step asks in German');
    await screenshot(browser, '51-de-address');
  });

  step('a wrong password against the real Dovecot: the diagnosis in German', async () => {
    const { browser } = app;
    await (await shown(browser, tid('manual'))).click();
    await (await shown(browser, tid('kind-imap'))).click();
    await browser.$(tid('next')).click();
    await typeInto(browser, tid('email'), ALICE);
    await typeInto(browser, tid('password'), 'not-the-password');
    await browser.$(tid('next')).click();
    await typeInto(browser, tid('host'), 'localhost');
    await typeInto(browser, tid('port'), String(servers.imapsPort));
    await browser.$(tid('security')).selectByAttribute('value', 'tls');
    await setChecked(browser, tid('smtp-enabled'), false);
    await browser.$(tid('next')).click();

    const diagnosis = await shown(browser, tid('diagnosis'), SLOW);
    assert.equal(await diagnosis.getAttribute('data-code'), 'authentication_failed');
    assert.equal(await pageLanguage(browser), 'de');
    const shownTitle = (await browser.$(tid('diagnosis-title')).getText()).trim();
    // The engine writes the title in the language of the desktop.
    const expected = germanOf(WRONG_PASSWORD_TITLE);
    assert.ok(expected, `the engine's title is in the catalog: "${WRONG_PASSWORD_TITLE}"`);
    assert.equal(shownTitle, expected, "the engine's title is German");
    const text = await diagnosis.getText();
    // The panel's own heading (what happened is said without one).
    for (const label of ['What to do']) {
      const de = germanOf(label);
      assert.ok(de, `"${label}" is in the catalog`);
      assert.ok(text.includes(de), `the panel says "${de}"`);
      assert.ok(!text.includes(label), `the panel no longer says "${label}"`);
    }
    assert.doesNotMatch(text, /not-the-password/, 'the diagnosis never shows the password');
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '52-de-wrong-password');
  });

  step('the right password, saved: the mailbox list in German', async () => {
    const { browser } = app;
    // The password field on the error view (spec 11), then the folders, Save and the list.
    await typeInto(browser, tid('fix-password'), ALICE_PASSWORD);
    await browser.keys('Enter');
    await (await shown(browser, tid('save'), SLOW)).click();
    await (await shown(browser, tid('go-to-list'), SLOW)).click();
    const row = await shown(browser, ROW, SLOW);
    assert.equal(await title(browser), 'Postfächer');
    assert.equal(await browser.$(tid('mailbox-list')).getAttribute('aria-label'), 'Gespeicherte Postfächer');
    assert.equal(await row.$(tid('check-now')).getText(), 'Jetzt prüfen');
    assert.equal(await row.$(tid('manage-mailbox')).getText(), 'Verwalten');
    assert.match(await row.$(tid('mailbox-status')).getText(), /Geprüft (gerade eben|vor \d+ Minuten?)|Noch nie geprüft/);
    const badges = [...german].filter(([id]) => /^mbx-badge-[a-z-]+$/.test(id) && !id.endsWith('-hint')).map(([, text]) => text);
    assert.ok(badges.includes(await row.$(tid('status-badge')).getText()), 'the status badge is German');
    await screenshot(browser, '53-de-mailbox-list');
  });

  step('English chosen in the header: the page switches at once', async () => {
    const { browser } = app;
    await choose(browser, 'en');
    await waitForLanguage(browser, 'en');
    assert.equal(await title(browser), 'Mailboxes');
    assert.equal(await browser.$(ROW).$(tid('check-now')).getText(), 'Check now');
    assert.equal(await browser.$('.language .label').getText(), 'Language');
  });

  step('restarted on the same data: still English, the choice was kept', async () => {
    await app.browser.deleteSession();
    const before = app;
    app = null;
    app = await launchApp('german', { locale: LOCALE, again: before });
    const { browser } = app;
    await shown(browser, ROW, SLOW);
    await waitForLanguage(browser, 'en');
    assert.equal(await title(browser), 'Mailboxes');
    assert.equal(await browser.$(tid('language')).getValue(), 'en');
  });

  step('"System" chosen: German again, as the desktop is', async () => {
    const { browser } = app;
    await choose(browser, 'system');
    await waitForLanguage(browser, 'de');
    assert.equal(await title(browser), 'Postfächer');
    assert.equal(await browser.$('.language .label').getText(), 'Sprache');
    assert.equal(await browser.$(ROW).$(tid('check-now')).getText(), 'Jetzt prüfen');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
