// Dark mode: the window under a dark GTK theme (GTK_THEME=Adwaita:dark, which WebKitGTK reports to
// the page as prefers-color-scheme: dark) shows the app's dark colours. The way through is the
// discovery one of spec 08 (alice@example.test → example.test's own configuration → the real
// Dovecot): the address, the proposal and the mailbox list are pictured dark for the README, and
// each passes the fold check and the accessibility audit (contrast included) like every screenshot.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ADDRESS_TITLE, ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, launchApp, screenshot, shown, steps, tid, typeInto,
  waitForTitle,
} from '../lib/harness.js';

/** What the page reports: the colour scheme it is asked for, and the colours the body got. */
async function scheme(browser) {
  return browser.execute(() => ({
    dark: window.matchMedia('(prefers-color-scheme: dark)').matches,
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
  }));
}

/** The relative luminance (WCAG 2) of an `rgb(r, g, b)` colour: 0 black … 1 white. */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((c) => {
    const v = Number(c) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('dark mode: the app follows a dark system theme', () => {
  let app;
  const step = steps(() => app?.browser, 'dark-mode');

  before(async () => {
    app = await launchApp('dark-mode', { dark: true });
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('the address step, dark: a dark background and light text', async () => {
    const { browser } = app;
    await waitForTitle(browser, ADDRESS_TITLE, SLOW);
    const s = await scheme(browser);
    assert.equal(s.dark, true, 'the page is asked for the dark scheme');
    assert.ok(luminance(s.background) < 0.05, `a dark background: ${s.background}`);
    assert.ok(luminance(s.text) > 0.6, `light text: ${s.text}`);
    await typeInto(browser, tid('address'), ALICE);
    await screenshot(browser, '41-dark-address');
    await browser.keys('Enter');
  });

  step('the proposal, dark', async () => {
    const { browser } = app;
    const use = await shown(browser, tid('use-settings'), SLOW);
    await shown(browser, tid('proposal-incoming'));
    await browser.execute(() => document.activeElement?.blur());
    await screenshot(browser, '42-dark-proposal');
    await use.click();
  });

  step('the password, the folders, saved: on to the mailbox list', async () => {
    const { browser } = app;
    await typeInto(browser, tid('password'), ALICE_PASSWORD);
    await browser.keys('Enter');
    await (await shown(browser, tid('save'), SLOW)).click();
    await (await shown(browser, tid('go-to-list'), SLOW)).click();
  });

  step('the mailbox list, dark', async () => {
    const { browser } = app;
    await shown(browser, tid('mailbox-list'));
    await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`));
    await screenshot(browser, '43-dark-mailbox-list');
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
