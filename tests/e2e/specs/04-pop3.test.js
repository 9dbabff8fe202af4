// POP3: only the inbox. The wizard connects over POP3 with implicit TLS, shows how many messages
// wait in the inbox instead of a folder tree, and saves the mailbox without an outgoing server.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, SLOW, assertNoCspTrouble, chooseKind, fillAccount, fillServer, launchApp, screenshot,
  servers, shown, steps, tid, waitForTitle,
} from '../lib/harness.js';

describe('POP3: connect, see the inbox, save', () => {
  let app;
  const step = steps(() => app?.browser, 'pop3');
  const target = `localhost:${servers.pop3sPort}`;

  before(async () => {
    app = await launchApp('pop3');
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('type, account and server steps: POP3 over TLS, no outgoing server', async () => {
    const { browser } = app;
    await chooseKind(browser, 'pop3');
    await fillAccount(browser, ALICE, ALICE_PASSWORD);
    await waitForTitle(browser, 'Mail servers');
    // The server step proposes POP3's usual name and port.
    assert.equal(await browser.$(tid('host')).getValue(), 'pop.example.test');
    assert.equal(await browser.$(tid('port')).getValue(), '995');
    await fillServer(browser, { host: 'localhost', port: servers.pop3sPort, security: 'tls', smtp: null });
    await browser.$(tid('next')).click();
  });

  step('the inbox: how many messages wait, no folder tree', async () => {
    const { browser } = app;
    const inbox = await shown(browser, tid('pop3-inbox'), SLOW);
    await waitForTitle(browser, 'Your inbox');
    assert.match(await inbox.getText(), new RegExp(`: ${servers.inboxMessages} messages are waiting`));
    assert.equal(await browser.$(tid('folder-tree')).isExisting(), false, 'no folder tree for POP3');
    assert.equal(await browser.$(tid('outgoing-ok')).isExisting(), false, 'the outgoing server was not checked');
    // The title has focus: POP3 has nothing to choose.
    assert.equal(await browser.execute(() => document.activeElement?.getAttribute('data-testid')), 'step-title');
    // (The "also offers IMAP" note needs imap.<domain> on ports 993/143, which tests do not have.)
    await screenshot(browser, '12-pop3-inbox');
    await browser.$(tid('save')).click();
  });

  step('saved: POP3, inbox only, no outgoing server', async () => {
    const { browser } = app;
    const summary = await shown(browser, tid('saved-summary'), SLOW);
    await waitForTitle(browser, 'Mailbox saved');
    const text = await summary.getText();
    assert.match(text, new RegExp(`${target.replace(/\./g, '\\.')}\\s*· POP3 · TLS`));
    assert.match(text, /Inbox only \(POP3\)/);
    assert.equal(await browser.$(tid('saved-outgoing')).getText(), 'Not set up');
    assert.equal(await browser.$(tid('send-test')).isExisting(), false, 'no test message without an outgoing server');
    await browser.$(tid('go-to-list')).click();
  });

  step('mailbox list: the POP3 mailbox', async () => {
    const { browser } = app;
    const row = await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`), SLOW);
    assert.match(await row.getText(), new RegExp(`POP3 ${target.replace(/\./g, '\\.')} · TLS · inbox only`));
    assert.equal(await row.$(tid('mailbox-outgoing')).isExisting(), false);
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
