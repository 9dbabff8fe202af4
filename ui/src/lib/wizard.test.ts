import { afterEach, describe, expect, it, vi } from 'vitest';
import { diagnosis, event, FakeApi, hugeTree, record, report, settle } from '../test/fakes';
import { InletApp, Wizard } from './wizard.svelte';

function filledWizard(api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.next(); // type → account
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next(); // → server
  return { api, wizard };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('wizard navigation', () => {
  it('keeps everything typed across Back and Next', () => {
    const { wizard } = filledWizard();
    wizard.username = 'alice';
    wizard.setHost('mail.example.net');
    wizard.setPort('1993');
    wizard.back();
    expect(wizard.step).toBe('account');
    wizard.back();
    expect(wizard.step).toBe('type');
    wizard.next();
    expect(wizard.email).toBe('alice@example.com');
    expect(wizard.password).toBe('secret');
    expect(wizard.username).toBe('alice');
    wizard.next();
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('mail.example.net');
    expect(wizard.port).toBe('1993');
  });

  it('stays on the account step while it has errors', () => {
    const wizard = new Wizard(new FakeApi());
    wizard.next();
    wizard.email = 'alice';
    expect(wizard.next()).toBe(false);
    expect(wizard.step).toBe('account');
    expect(wizard.accountSubmitted).toBe(true);
    expect(Object.keys(wizard.accountErrors)).toEqual(['email', 'password']);
  });

  it('prefills the host from the address’s domain, until the user types one', () => {
    const { wizard } = filledWizard();
    expect(wizard.host).toBe('imap.example.com');
    expect(wizard.port).toBe('993');
    expect(wizard.security).toBe('tls');
    // Another address: the guess follows it.
    wizard.back();
    wizard.email = 'bob@Example.ORG';
    wizard.next();
    expect(wizard.host).toBe('imap.example.org');
    // A typed host is kept.
    wizard.setHost('mail.example.org');
    wizard.back();
    wizard.email = 'bob@other.test';
    wizard.next();
    expect(wizard.host).toBe('mail.example.org');
    // Emptying the field hands it back to the guess.
    wizard.setHost('');
    wizard.back();
    wizard.next();
    expect(wizard.host).toBe('imap.other.test');
  });

  it('flips the default port with the security, unless a port was typed', () => {
    const { wizard } = filledWizard();
    wizard.setSecurity('starttls');
    expect(wizard.port).toBe('143');
    wizard.setSecurity('tls');
    expect(wizard.port).toBe('993');
    wizard.setSecurity('none');
    expect(wizard.port).toBe('143');
    wizard.setPort('2993');
    wizard.setSecurity('tls');
    expect(wizard.port).toBe('2993');
    wizard.setSecurity('starttls');
    expect(wizard.port).toBe('2993');
  });

  it('prefills Gmail and Microsoft 365 servers', () => {
    const wizard = new Wizard(new FakeApi());
    wizard.chooseKind('gmail');
    wizard.next();
    wizard.email = 'alice@company.example';
    wizard.password = 'app-password';
    wizard.next();
    expect([wizard.host, wizard.port, wizard.security]).toEqual(['imap.gmail.com', '993', 'tls']);

    const m365 = new Wizard(new FakeApi());
    m365.setSecurity('starttls');
    m365.chooseKind('microsoft365');
    expect([m365.host, m365.port, m365.security]).toEqual(['outlook.office365.com', '993', 'tls']);
    m365.chooseKind('exchange');
    expect(m365.host).toBe('outlook.office365.com');
    // Back to plain IMAP: the provider's host goes, the domain guess comes back.
    m365.chooseKind('imap');
    m365.email = 'carol@example.net';
    m365.password = 'x';
    m365.next();
    m365.next();
    expect(m365.host).toBe('imap.example.net');
  });

  it('does not overwrite a typed host when a provider is chosen', () => {
    const wizard = new Wizard(new FakeApi());
    wizard.setHost('imap.mine.example');
    wizard.chooseKind('gmail');
    expect(wizard.host).toBe('imap.mine.example');
  });

  it('needs the plaintext confirmation before connecting without encryption', () => {
    const { api, wizard } = filledWizard();
    wizard.setSecurity('none');
    expect(wizard.serverCanContinue).toBe(false);
    expect(wizard.next()).toBe(false);
    expect(api.connects).toHaveLength(0);
    wizard.plaintextConfirmed = true;
    expect(wizard.serverCanContinue).toBe(true);
    expect(wizard.next()).toBe(true);
    expect(api.lastConnect.request.settings.incoming.allowPlaintextPassword).toBe(true);
  });
});

describe('connecting', () => {
  it('shows progress and opens the folders with the inbox chosen', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    expect(wizard.step).toBe('connecting');
    expect(wizard.connecting).toBe(true);
    const { request, onProgress, result } = api.lastConnect;
    expect(request.settings.incoming.endpoint).toEqual({ host: 'imap.example.com', port: 993, security: 'tls' });
    expect(request.password).toBe('secret');
    onProgress(event({ stage: 'resolving', state: 'started' }));
    onProgress(event({ stage: 'resolving', state: 'done', detail: '127.0.0.1' }));
    expect(wizard.rows.map((r) => r.state)).toEqual(['done']);
    result.resolve(report());
    await settle();
    expect(wizard.step).toBe('folders');
    expect(wizard.connecting).toBe(false);
    expect(wizard.selection.values()).toEqual(['INBOX']);
  });

  it('shows the diagnosis on failure, and Back and Try again work', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.onProgress(event({ stage: 'signing_in', state: 'started' }));
    api.lastConnect.result.reject(diagnosis());
    await settle();
    expect(wizard.step).toBe('connecting');
    expect(wizard.problem?.code).toBe('authentication_failed');
    expect(wizard.rows[0].interrupted).toBe(true);
    wizard.retry();
    expect(api.connects).toHaveLength(2);
    expect(wizard.problem).toBeNull();
    expect(wizard.rows).toEqual([]);
    api.lastConnect.result.reject(diagnosis({ code: 'timed_out', title: 'No answer' }));
    await settle();
    wizard.back();
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('imap.example.com');
  });

  it('wraps a rejection that is not a Diagnosis', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject('command connect_mailbox not found');
    await settle();
    expect(wizard.problem?.code).toBe('unexpected');
    expect(wizard.problem?.evidence).toEqual(['command connect_mailbox not found']);
  });

  it('cancels through the engine', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    await wizard.cancel();
    await settle();
    expect(api.cancelConnect).toHaveBeenCalledOnce();
    expect(wizard.connecting).toBe(false);
    expect(wizard.problem?.code).toBe('cancelled');
  });

  it('stops waiting when the engine does not confirm a cancel', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    api.cancelRejects = false;
    const { wizard } = filledWizard(api);
    wizard.next();
    await wizard.cancel();
    expect(wizard.cancelling).toBe(true);
    vi.advanceTimersByTime(5000);
    expect(wizard.connecting).toBe(false);
    expect(wizard.problem?.code).toBe('cancelled');
    // A late answer from the abandoned attempt changes nothing.
    api.lastConnect.result.resolve(report());
    await vi.runAllTimersAsync();
    expect(wizard.step).toBe('connecting');
  });
});

describe('saving', () => {
  async function atFolders(api = new FakeApi(), usernameUsed = 'alice') {
    const { wizard } = filledWizard(api);
    wizard.next();
    api.lastConnect.result.resolve(report(undefined, usernameUsed));
    await settle();
    return { api, wizard };
  }

  it('saves the settings with the username that worked and the chosen folders', async () => {
    const { api, wizard } = await atFolders();
    wizard.selection.set('Sent', true);
    const saving = wizard.save();
    expect(wizard.saving).toBe(true);
    const { request, onProgress, result } = api.lastSave;
    expect(request.settings.incoming.username).toBe('alice');
    expect(request.folders.map((f) => f.rawName)).toEqual(['INBOX', 'Sent']);
    expect(request.password).toBe('secret');
    onProgress(event({ stage: 'saving', state: 'started', target: null }));
    result.resolve(record(7, 'alice@example.com'));
    expect(await saving).toBe(true);
    expect(wizard.step).toBe('saved');
    expect(wizard.saved?.id).toBe(7);
    expect(wizard.password).toBe('');
  });

  it('shows a save failure and lets the user try again', async () => {
    const { api, wizard } = await atFolders();
    const saving = wizard.save();
    api.lastSave.result.reject(diagnosis({ code: 'keychain_locked', title: 'Your keychain is locked', stage: 'saving' }));
    expect(await saving).toBe(false);
    expect(wizard.step).toBe('folders');
    expect(wizard.saveProblem?.code).toBe('keychain_locked');
    void wizard.save();
    expect(api.saves).toHaveLength(2);
    expect(wizard.saveProblem).toBeNull();
  });

  it('saves nothing when no folder is chosen', async () => {
    const { api, wizard } = await atFolders();
    wizard.selection.selectNone();
    expect(await wizard.save()).toBe(false);
    expect(api.saves).toHaveLength(0);
  });

  it('handles a tree of 10,000 folders', async () => {
    const api = new FakeApi();
    const { wizard } = filledWizard(api);
    wizard.next();
    api.lastConnect.result.resolve(report(hugeTree(10_000)));
    await settle();
    wizard.selection.selectAll(wizard.report!.folders.folders);
    void wizard.save();
    expect(api.lastSave.request.folders.length).toBe(wizard.selection.size);
    expect(api.lastSave.request.folders.every((f) => !f.rawName.match(/^Group \d*0$/))).toBe(true);
  });
});

describe('the app', () => {
  it('opens the wizard when there is no mailbox', async () => {
    const app = new InletApp(new FakeApi());
    await app.start();
    expect(app.view).toBe('wizard');
  });

  it('opens the list when there are mailboxes', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com')];
    const app = new InletApp(api);
    await app.start();
    expect(app.view).toBe('list');
    expect(app.mailboxes.items).toHaveLength(1);
  });

  it('shows the list (with the problem) when listing fails', async () => {
    const api = new FakeApi();
    api.listError = diagnosis({ code: 'store_failed', title: 'Inlet could not read its data' });
    const app = new InletApp(api);
    await app.start();
    expect(app.view).toBe('list');
    expect(app.mailboxes.problem?.code).toBe('store_failed');
  });

  it('starts a fresh wizard for another mailbox and removes mailboxes', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com'), record(2, 'bob@example.com')];
    const app = new InletApp(api);
    await app.start();
    app.wizard.email = 'left over';
    app.addMailbox();
    expect(app.view).toBe('wizard');
    expect(app.wizard.email).toBe('');
    await app.goToList();
    expect(await app.mailboxes.remove(1)).toBe(true);
    expect(api.removeMailbox).toHaveBeenCalledWith(1);
    expect(app.mailboxes.items.map((m) => m.id)).toEqual([2]);
  });
});
