// The whole wizard by hand, as a person would go through it: "Set up manually" on the first
// step (08-discovery finds the settings instead), IMAP, alice's address and password, the
// incoming server over implicit TLS and the outgoing one (SMTP, STARTTLS) checked at the same
// time, the progress of each step, the folder choice, save, a test message, the mailbox list.
// Then what the engine really did: the SMTP server got the message from alice, and the password
// is in the keychain and in no file of the app.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import {
  ALICE, ALICE_PASSWORD, KEYCHAIN_SERVICE, SLOW, assertNoCspTrouble, filesUnder, fillServer, launchApp,
  progressRows, screenshot, scrollTo, servers, setUpManually, shown, steps, tid, typeInto, waitForTitle,
} from '../lib/harness.js';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SMTP_TARGET = `localhost:${servers.smtpPort}`;

/** The messages the SMTP server accepted: envelope (MAIL FROM, RCPT TO) and the DATA bytes. */
function receivedMessages() {
  return readdirSync(servers.smtpMailDir)
    .filter((f) => f.endsWith('.env'))
    .sort()
    .map((f) => {
      const [mailFrom, ...rcptTos] = readFileSync(join(servers.smtpMailDir, f), 'utf8').split('\n').filter(Boolean);
      const data = readFileSync(join(servers.smtpMailDir, f.replace(/\.env$/, '.eml')), 'utf8');
      return { mailFrom, rcptTos, data };
    });
}

describe('happy path: connect an IMAP mailbox and save it', () => {
  let app;
  const step = steps(() => app?.browser, 'happy-path');

  before(async () => {
    app = await launchApp('happy-path');
  });
  after(async () => {
    await app?.browser.deleteSession();
  });

  step('address step: set up manually; type step: choose IMAP', async () => {
    const { browser } = app;
    await setUpManually(browser);
    await screenshot(browser, '01-type');
    await (await shown(browser, tid('kind-imap'))).click();
    assert.equal(await browser.$(tid('kind-imap')).getAttribute('data-selected'), 'true');
    await browser.$(tid('next')).click();
  });

  step('account step: email and password', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Your account');
    await typeInto(browser, tid('email'), ALICE);
    await typeInto(browser, tid('password'), ALICE_PASSWORD);
    await screenshot(browser, '02-account');
    await browser.$(tid('next')).click();
  });

  step('server step: incoming localhost IMAPS (TLS), outgoing localhost SMTP (STARTTLS)', async () => {
    const { browser } = app;
    await waitForTitle(browser, 'Mail servers');
    // Checked by default for IMAP, with the usual guesses from the address.
    assert.equal(await browser.$(tid('smtp-enabled')).isSelected(), true, 'the outgoing server is checked by default');
    assert.equal(await browser.$(tid('smtp-host')).getValue(), 'smtp.example.test');
    assert.equal(await browser.$(tid('smtp-security')).getValue(), 'starttls');
    assert.equal(await browser.$(tid('smtp-same-password')).isSelected(), true);
    // The incoming IMAPS port is behind a latency proxy (700 ms each way), so each step of the
    // connection stays on screen long enough to be seen; the server is the same Dovecot. The
    // outgoing server is the SMTP submission port, direct.
    await fillServer(browser, {
      host: 'localhost',
      port: servers.imapsSlowPort,
      security: 'tls',
      smtp: { host: 'localhost', port: servers.smtpPort, security: 'starttls' },
    });
    assert.equal(await browser.$(tid('security')).getValue(), 'tls');
    assert.equal(await browser.$(tid('smtp-port')).getValue(), String(servers.smtpPort));
    assert.equal(await browser.$(tid('smtp-plaintext-confirm')).isExisting(), false, 'no plaintext warning for STARTTLS');
    await browser.execute(() => document.activeElement?.blur());
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '03-server');
    await scrollTo(browser, 'section.outgoing', 'end');
    await screenshot(browser, '09-outgoing-settings');
    await browser.$(tid('next')).click();
  });

  step('connecting: both servers at once, each step as it happens', async () => {
    const { browser } = app;
    await shown(browser, tid('progress-list'));
    // Mid-way: the incoming server's TLS is done, signing in and listing folders still to come
    // (a few seconds more through the proxy); the outgoing server, direct, is already signed in.
    // Read the rows in one call, then take the picture.
    let rows = [];
    await browser.waitUntil(
      async () => {
        rows = await progressRows(browser);
        return rows.includes('incoming:tls:done') && rows.includes('outgoing:signing_in:done');
      },
      { timeout: SLOW, interval: 50, timeoutMsg: `incoming TLS and outgoing sign-in never both showed as done: ${rows.join(', ')}` },
    );
    // One group of rows per server, read while the rows are on screen.
    const groups = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="progress-list"] > [data-side]')].map((g) => g.dataset.side),
    );
    await screenshot(browser, '04-connecting');
    for (const stage of ['resolving', 'connecting', 'tls']) {
      assert.ok(rows.includes(`incoming:${stage}:done`), `incoming ${stage} is done; rows: ${rows.join(', ')}`);
    }
    for (const stage of ['connecting', 'greeting', 'starttls', 'signing_in']) {
      assert.ok(rows.includes(`outgoing:${stage}:done`), `outgoing ${stage} is done; rows: ${rows.join(', ')}`);
    }
    assert.ok(rows.every((r) => r.startsWith('incoming:') || r.endsWith(':done')), `every outgoing step is done; rows: ${rows.join(', ')}`);
    assert.ok(!rows.some((r) => r.endsWith(':failed')), `no step failed; rows: ${rows.join(', ')}`);
    assert.ok(!rows.includes('incoming:listing_folders:done'), `caught mid-way; rows: ${rows.join(', ')}`);
    assert.deepEqual(groups, ['incoming', 'outgoing'], 'one group of rows per server');
    // The picture shows the connection mid-way only if it still was once the picture was taken.
    const after = await progressRows(browser);
    assert.ok(
      after.length > 0 && !after.includes('incoming:listing_folders:done'),
      `the connection finished before the screenshot (04-connecting.png); rows now: ${after.join(', ')}`,
    );
  });

  step('folders step: Inbox, Sent, Drafts and Archive chosen by default and listed first, tick Junk', async () => {
    const { browser } = app;
    await shown(browser, tid('folder-tree'), SLOW);
    await waitForTitle(browser, 'Choose folders to sync');
    // The outgoing server answered too.
    const outgoing = await shown(browser, tid('outgoing-ok'));
    assert.match(await outgoing.getText(), new RegExp(`${escape(SMTP_TARGET)} accepted ${escape(ALICE)} over an encrypted connection`));
    const inbox = browser.$(`${tid('folder-row', '[data-raw-name="INBOX"]')} ${tid('folder-check')}`);
    assert.equal(await inbox.isSelected(), true, 'INBOX is chosen by default');
    assert.match(await browser.$(`${tid('folder-row', '[data-raw-name="INBOX"]')} label`).getProperty('textContent'), /^\s*Inbox\s*$/, 'shown as Inbox, not INBOX');
    // Dovecot flags them (SPECIAL-USE, RFC 6154): they come first, marked, and chosen.
    const special = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="folder-row"]')]
        .slice(0, 6)
        .map((r) => `${r.dataset.rawName}:${r.dataset.role ?? ''}:${r.querySelector('input')?.checked ?? ''}`),
    );
    assert.deepEqual(special, ['INBOX:inbox:true', 'Sent:sent:true', 'Drafts:drafts:true', 'Archive:archive:true', 'Junk:junk:false', 'Trash:trash:false']);

    // Nested and non-ASCII folders are listed under their display names.
    // (Its raw name is modified UTF-7; the row may be scrolled out of view, so read the DOM.)
    const reunions = browser.$(`${tid('folder-row', '[data-raw-name="Projets/R&AOk-unions"]')} label`);
    assert.ok(await reunions.isExisting(), 'Projets/Réunions is listed');
    assert.equal(await reunions.getAttribute('title'), 'Projets/Réunions');
    assert.match(await reunions.getProperty('textContent'), /^\s*Réunions/);

    const junk = browser.$(`${tid('folder-row', '[data-raw-name="Junk"]')} ${tid('folder-check')}`);
    await junk.scrollIntoView({ block: 'center' });
    assert.equal(await junk.isSelected(), false, 'Junk is not chosen by default');
    const before = await browser.$(tid('folder-count')).getText();
    await browser.$(`${tid('folder-row', '[data-raw-name="Junk"]')} label`).click();
    assert.equal(await junk.isSelected(), true, 'Junk is chosen after the click');
    await browser.waitUntil(async () => (await browser.$(tid('folder-count')).getText()) !== before, {
      timeoutMsg: `the folder count stayed "${before}"`,
    });
    await browser.execute(() => document.querySelector('[data-testid="folder-tree"]').scrollTo(0, 0));
    await screenshot(browser, '05-folders');
    await browser.$(tid('save')).click();
  });

  step('saved step: the summary', async () => {
    const { browser } = app;
    const summary = await shown(browser, tid('saved-summary'), SLOW);
    await waitForTitle(browser, 'Mailbox saved');
    const text = await summary.getText();
    assert.match(text, new RegExp(ALICE.replace(/\./g, '\\.')));
    assert.match(text, new RegExp(`localhost:${servers.imapsSlowPort}`));
    assert.match(text, /5 folders chosen/);
    assert.match(await browser.$(tid('saved-outgoing')).getText(), new RegExp(`${escape(SMTP_TARGET)}.*SMTP.*STARTTLS`));
    assert.doesNotMatch(text, new RegExp(ALICE_PASSWORD), 'the summary never shows the password');
    assert.equal(await browser.$(tid('plaintext-badge')).isExisting(), false, 'both servers are encrypted');
    await screenshot(browser, '06-saved');
  });

  step('saved step: send a test message', async () => {
    const { browser } = app;
    const before = receivedMessages().length;
    const button = await shown(browser, tid('send-test'));
    await button.click();
    const sent = await shown(browser, tid('test-sent'), SLOW);
    assert.match(await sent.getText(), new RegExp(`Sent to ${escape(ALICE)}`));
    assert.equal(await browser.$(tid('diagnosis')).isExisting(), false, 'no diagnosis after sending');
    // The pointer off the button (its hover look reads as "disabled" in a picture).
    await browser.action('pointer').move({ x: 1, y: 1, origin: 'viewport' }).perform();
    // The page as it opened: the test sending and its result fit without scrolling.
    await scrollTo(browser, tid('step-title'), 'start');
    await screenshot(browser, '13-test-message-sent');

    // The SMTP server has it: from alice, to alice.
    const messages = receivedMessages();
    assert.equal(messages.length, before + 1, `one message arrived in ${servers.smtpMailDir}`);
    const message = messages.at(-1);
    assert.equal(message.mailFrom, ALICE, 'MAIL FROM');
    assert.deepEqual(message.rcptTos, [ALICE], 'RCPT TO');
    assert.match(message.data, new RegExp(`^From:.*${escape(ALICE)}`, 'mi'), message.data);
    assert.match(message.data, new RegExp(`^To:.*${escape(ALICE)}`, 'mi'), message.data);
    assert.match(message.data, /^Subject: .+/mi, message.data);
    assert.ok(!message.data.includes(ALICE_PASSWORD), 'the message does not contain the password');
    await browser.$(tid('go-to-list')).click();
  });

  step('mailbox list: alice is there', async () => {
    const { browser } = app;
    await shown(browser, tid('mailbox-list'));
    const row = await shown(browser, tid('mailbox-row', `[data-email="${ALICE}"]`));
    assert.match(await row.getText(), new RegExp(ALICE.replace(/\./g, '\\.')));
    assert.match(await row.$(tid('mailbox-outgoing')).getText(), new RegExp(`SMTP ${escape(SMTP_TARGET)}`));
    assert.equal(await row.$(tid('plaintext-badge')).isExisting(), false);
    await screenshot(browser, '07-mailbox-list');
  });

  step('the password is in the keychain, and in no file of the app', async () => {
    // Secret Service (the private gnome-keyring run.sh started): one item for alice.
    const search = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', KEYCHAIN_SERVICE], {
      encoding: 'utf8',
    });
    assert.equal(search.status, 0, `secret-tool search failed: ${search.stderr}`);
    // secret-tool prints "secret = …" on stdout and the attributes on stderr.
    const found = search.stdout + search.stderr;
    // One "secret = …" line per item and its attributes; the keychain account is "<email>#<time>".
    assert.match(found, new RegExp(`attribute\\.username = ${ALICE.replace(/\./g, '\\.')}#\\d+`), found);
    assert.match(found, new RegExp(`secret = ${ALICE_PASSWORD}`), 'the keychain holds the password');

    // The data dir holds the store (SQLite, maybe with a WAL): the mailbox is there, the password not.
    const files = filesUnder(app.dataDir);
    assert.ok(files.length > 0, 'the app wrote its store');
    const everything = Buffer.concat(files.map((f) => readFileSync(f)));
    assert.ok(everything.includes(Buffer.from(ALICE)), 'the store names the mailbox (the right files were read)');
    assert.ok(everything.includes(Buffer.from('Archive')), 'the store holds the folder ticked in the wizard');
    for (const encoding of ['utf8', 'utf16le']) {
      assert.ok(!everything.includes(Buffer.from(ALICE_PASSWORD, encoding)), `password (${encoding}) found in ${app.dataDir}`);
    }
    // Nor in the webview's own storage (HOME and XDG dirs of the app, set by run.sh).
    for (const dir of [process.env.HOME, process.env.XDG_DATA_HOME, process.env.XDG_CACHE_HOME, process.env.XDG_CONFIG_HOME]) {
      for (const f of filesUnder(dir)) {
        const bytes = readFileSync(f);
        assert.ok(!bytes.includes(Buffer.from(ALICE_PASSWORD)), `password found in ${f}`);
      }
    }
  });

  step('styles applied, no Content-Security-Policy violation', async () => {
    await assertNoCspTrouble(app.browser, assert);
  });
});
