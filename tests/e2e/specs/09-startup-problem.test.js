// A configuration file the app cannot use: it starts anyway and says so in its window, naming
// the file, what is wrong and what to do, instead of crashing (a CA file that cannot be read)
// or quietly using defaults (a file that does not parse).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { assertNoCspTrouble, launchApp, screenshot, shown, SLOW, steps, tid, waitForTitle } from '../lib/harness.js';

const TITLE = 'Inlet could not start';

describe('a broken configuration file: the window says which and what is wrong', () => {
  let app;
  const step = steps(() => app?.browser, 'startup-problem');

  after(async () => {
    await app?.browser.deleteSession();
  });

  step('a file that does not parse: the file, the parser’s place, what to do', async () => {
    app = await launchApp('config-does-not-parse', { configText: '{\n  "dataDir": "/tmp/inlet",\n  oops\n}\n' });
    const { browser, configPath } = app;
    await waitForTitle(browser, TITLE, SLOW);
    assert.equal(await (await shown(browser, tid('startup-config-path'))).getText(), configPath);
    const what = await browser.$(tid('startup-what-happened')).getText();
    assert.match(what, /not a valid Inlet configuration/);
    assert.match(what, /line 3/, 'where in the file');
    assert.match(await browser.$(tid('startup-what-to-do')).getText(), /Correct the file/);
    // Nothing else is offered: no wizard, no list.
    assert.equal(await browser.$(tid('address')).isExisting(), false, 'no wizard');
    assert.equal(await browser.$(tid('mailbox-list')).isExisting(), false, 'no mailbox list');
    await screenshot(browser, '25-startup-problem');
    await assertNoCspTrouble(browser, assert);
    await browser.deleteSession();
    app = null;
  });

  step('a CA file that cannot be read: named with the configuration file, and no crash', async () => {
    let missingCa = null;
    app = await launchApp('config-missing-ca', {
      configure: (config) => {
        missingCa = join(config.dataDir, '..', 'no-such-ca.pem');
        config.extraCaFiles = [...config.extraCaFiles, missingCa];
      },
    });
    const { browser, configPath } = app;
    await waitForTitle(browser, TITLE, SLOW);
    assert.equal(await (await shown(browser, tid('startup-config-path'))).getText(), configPath);
    const what = await browser.$(tid('startup-what-happened')).getText();
    assert.ok(what.includes(missingCa), `names the CA file ${missingCa}: ${what}`);
    assert.match(what, /cannot be read/);
    assert.match(await browser.$(tid('startup-what-to-do')).getText(), /extraCaFiles/);
  });
});
