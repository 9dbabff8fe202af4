import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  candidate,
  certificate,
  diagnosis,
  discovery,
  discoveryEvent,
  event,
  FakeApi,
  hugeTree,
  outgoingReport,
  pop3Report,
  record,
  report,
  settle,
} from '../test/fakes';
import { InletApp, STEPS, stepIndex, Wizard } from './wizard.svelte';

function filledWizard(api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.setUpManually();
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

  it('stays on the account step while it has errors', async () => {
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    wizard.next();
    wizard.email = 'alice';
    await settle();
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
    wizard.setUpManually();
    wizard.chooseKind('gmail');
    wizard.next();
    wizard.email = 'alice@company.example';
    wizard.password = 'app-password';
    wizard.next();
    expect([wizard.host, wizard.port, wizard.security]).toEqual(['imap.gmail.com', '993', 'tls']);

    const m365 = new Wizard(new FakeApi());

    m365.setUpManually();
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
    wizard.setUpManually();
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
  it('shows progress and opens the folders with the inbox, sent, drafts and archive chosen', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    expect(wizard.step).toBe('connecting');
    expect(wizard.connecting).toBe(true);
    const { request, onProgress, result } = api.lastConnect;
    expect(request.settings.incoming.endpoint).toEqual({ host: 'imap.example.com', port: 993, security: 'tls' });
    expect(request.credentials).toEqual({ password: 'secret' });
    onProgress(event({ stage: 'resolving', state: 'started' }));
    onProgress(event({ stage: 'resolving', state: 'done', detail: '127.0.0.1' }));
    expect(wizard.rows.map((r) => r.state)).toEqual(['done']);
    result.resolve(report());
    await settle();
    expect(wizard.step).toBe('folders');
    expect(wizard.connecting).toBe(false);
    expect(wizard.selection.values()).toEqual(['INBOX', 'Archive', 'Sent']);
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
    wizard.selection.set('Archive', false);
    const saving = wizard.save();
    expect(wizard.saving).toBe(true);
    const { request, onProgress, result } = api.lastSave;
    expect(request.settings.incoming.username).toBe('alice');
    expect(request.folders.map((f) => f.rawName)).toEqual(['INBOX', 'Sent']);
    expect(request.credentials).toEqual({ password: 'secret' });
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
    expect(api.removeMailbox).toHaveBeenCalledWith(1, false);
    expect(app.mailboxes.items.map((m) => m.id)).toEqual([2]);
  });
});

describe('POP3', () => {
  function popWizard(api = new FakeApi()) {
    const wizard = new Wizard(api);
    wizard.setUpManually();
    wizard.chooseKind('pop3');
    wizard.next();
    wizard.email = 'alice@example.com';
    wizard.password = 'secret';
    wizard.next();
    return { api, wizard };
  }

  it('prefills pop. and flips 995/110 like IMAP’s 993/143', () => {
    const { wizard } = popWizard();
    expect([wizard.host, wizard.port, wizard.security]).toEqual(['pop.example.com', '995', 'tls']);
    wizard.setSecurity('starttls');
    expect(wizard.port).toBe('110');
    wizard.setSecurity('none');
    expect(wizard.port).toBe('110');
    wizard.setSecurity('tls');
    expect(wizard.port).toBe('995');
    // Back to IMAP: the IMAP ports and host come back.
    wizard.back();
    wizard.back();
    wizard.chooseKind('imap');
    expect(wizard.port).toBe('993');
    wizard.next();
    wizard.next();
    expect(wizard.host).toBe('imap.example.com');
  });

  it('sends kind and protocol pop3', () => {
    const { api, wizard } = popWizard();
    wizard.next();
    expect(api.lastConnect.request.settings.kind).toBe('pop3');
    expect(api.lastConnect.request.settings.incoming).toMatchObject({
      protocol: 'pop3',
      endpoint: { host: 'pop.example.com', port: 995, security: 'tls' },
    });
  });

  it('saves the inbox, the only folder POP3 has', async () => {
    const { api, wizard } = popWizard();
    wizard.next();
    api.lastConnect.result.resolve(pop3Report(7));
    await settle();
    expect(wizard.step).toBe('folders');
    void wizard.save();
    expect(api.lastSave.request.folders).toEqual([{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }]);
    expect(api.lastSave.request.settings.incoming.protocol).toBe('pop3');
  });

  it('switches to the IMAP server the engine found and connects again', async () => {
    const { api, wizard } = popWizard();
    wizard.next();
    api.lastConnect.result.resolve(
      pop3Report(7, { imapAlternative: { host: 'imap.example.com', port: 993, security: 'tls' } }),
    );
    await settle();
    expect(wizard.switchToImap()).toBe(true);
    expect(wizard.step).toBe('connecting');
    expect(api.connects).toHaveLength(2);
    const settings = api.lastConnect.request.settings;
    expect(settings.kind).toBe('imap');
    expect(settings.incoming.protocol).toBe('imap');
    expect(settings.incoming.endpoint).toEqual({ host: 'imap.example.com', port: 993, security: 'tls' });
    api.lastConnect.result.resolve(report());
    await settle();
    expect(wizard.step).toBe('folders');
    expect(wizard.report?.protocol).toBe('imap');
  });

  it('offers no switch without an alternative', async () => {
    const { api, wizard } = popWizard();
    wizard.next();
    api.lastConnect.result.resolve(pop3Report(7));
    await settle();
    expect(wizard.switchToImap()).toBe(false);
    expect(api.connects).toHaveLength(1);
  });
});

describe('the outgoing server', () => {
  it('is checked by default for IMAP and POP3, with smtp. and 587 STARTTLS', () => {
    const { api, wizard } = filledWizard();
    expect(wizard.smtpEnabled).toBe(true);
    expect([wizard.smtpHost, wizard.smtpPort, wizard.smtpSecurity]).toEqual(['smtp.example.com', '587', 'starttls']);
    wizard.next();
    expect(api.lastConnect.request.settings.outgoing).toEqual({
      endpoint: { host: 'smtp.example.com', port: 587, security: 'starttls' },
      username: null,
      samePassword: true,
      allowPlaintextPassword: false,
    });
    expect(api.lastConnect.request.outgoingCredentials).toBeNull();
  });

  it('flips 465/587 with the security, unless a port was typed', () => {
    const { wizard } = filledWizard();
    wizard.setSmtpSecurity('tls');
    expect(wizard.smtpPort).toBe('465');
    wizard.setSmtpSecurity('starttls');
    expect(wizard.smtpPort).toBe('587');
    wizard.setSmtpSecurity('none');
    expect(wizard.smtpPort).toBe('587');
    wizard.setSmtpPort('2525');
    wizard.setSmtpSecurity('tls');
    expect(wizard.smtpPort).toBe('2525');
    // The incoming port is not touched.
    expect(wizard.port).toBe('993');
  });

  it('sends outgoing: null when its check is off', () => {
    const { api, wizard } = filledWizard();
    wizard.setSmtpEnabled(false);
    wizard.setSmtpSecurity('none'); // no confirmation is needed for a server not checked
    expect(wizard.serverCanContinue).toBe(true);
    wizard.next();
    expect(api.lastConnect.request.settings.outgoing).toBeNull();
  });

  it('starts unchecked for Microsoft 365 and Gmail, with their servers ready', () => {
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    wizard.chooseKind('microsoft365');
    expect(wizard.smtpEnabled).toBe(false);
    expect([wizard.smtpHost, wizard.smtpPort, wizard.smtpSecurity]).toEqual(['smtp.office365.com', '587', 'starttls']);
    wizard.chooseKind('gmail');
    expect(wizard.smtpHost).toBe('smtp.gmail.com');
    // Once the user decides, the type no longer does.
    wizard.setSmtpEnabled(true);
    wizard.chooseKind('exchange');
    expect(wizard.smtpEnabled).toBe(true);
  });

  it('needs its own plaintext confirmation before connecting', () => {
    const { api, wizard } = filledWizard();
    wizard.setSmtpSecurity('none');
    expect(wizard.smtpNeedsPlaintextConfirm).toBe(true);
    expect(wizard.serverCanContinue).toBe(false);
    // The incoming confirmation does not count.
    wizard.plaintextConfirmed = true;
    expect(wizard.serverCanContinue).toBe(false);
    expect(wizard.next()).toBe(false);
    expect(api.connects).toHaveLength(0);
    wizard.smtpPlaintextConfirmed = true;
    expect(wizard.serverCanContinue).toBe(true);
    expect(wizard.next()).toBe(true);
    expect(api.lastConnect.request.settings.outgoing?.allowPlaintextPassword).toBe(true);
    expect(api.lastConnect.request.settings.incoming.allowPlaintextPassword).toBe(false);
  });

  it('needs the outgoing password when it is not the incoming one', () => {
    const { api, wizard } = filledWizard();
    wizard.smtpSamePassword = false;
    expect(wizard.next()).toBe(false);
    expect(wizard.outgoingErrors.password).toBeTruthy();
    wizard.smtpPassword = 'smtp-secret';
    expect(wizard.next()).toBe(true);
    expect(api.lastConnect.request.outgoingCredentials).toEqual({ password: 'smtp-secret' });
    expect(api.lastConnect.request.settings.outgoing?.samePassword).toBe(false);
  });

  it('keeps the rows of both servers apart', () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.onProgress(event({ stage: 'connecting', state: 'done' }));
    api.lastConnect.onProgress(event({ side: 'outgoing', stage: 'connecting', state: 'started', target: 'smtp.example.com:587' }));
    expect(wizard.rows.map((r) => [r.side, r.stage, r.state])).toEqual([
      ['incoming', 'connecting', 'done'],
      ['outgoing', 'connecting', 'started'],
    ]);
  });

  it('says which server failed', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject(diagnosis({ side: 'outgoing' }));
    await settle();
    expect(wizard.problem?.side).toBe('outgoing');
    expect(wizard.targetOf(wizard.problem!.side)).toBe('smtp.example.com:587');
  });
});

describe('trusting a certificate', () => {
  const untrusted = (side: 'incoming' | 'outgoing', fp = certificate().sha256Fingerprint) =>
    diagnosis({
      code: 'certificate_untrusted',
      title: 'The server’s certificate is not trusted',
      stage: 'tls',
      side,
      certificate: certificate({ sha256Fingerprint: fp }),
    });

  it('pins the certificate for the incoming server after the confirmation, and connects again', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject(untrusted('incoming'));
    await settle();
    expect(wizard.trustCertificate()).toBe(false);
    expect(api.connects).toHaveLength(1);
    wizard.trustConfirmed = true;
    expect(wizard.trustCertificate()).toBe(true);
    expect(api.connects).toHaveLength(2);
    expect(wizard.trustConfirmed).toBe(false);
    expect(api.lastConnect.request.settings.trustedCertificates).toEqual([
      {
        host: 'imap.example.com',
        port: 993,
        sha256Fingerprint: certificate().sha256Fingerprint,
        subject: 'CN=imap.example.com',
        notAfter: '2035-01-01T00:00:00Z',
      },
    ]);
  });

  it('pins it for the outgoing server when that one refused it', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject(untrusted('outgoing'));
    await settle();
    wizard.trustConfirmed = true;
    wizard.trustCertificate();
    expect(api.lastConnect.request.settings.trustedCertificates.map((p) => `${p.host}:${p.port}`)).toEqual([
      'smtp.example.com:587',
    ]);
    // It is saved with the mailbox.
    api.lastConnect.result.resolve(report(undefined, 'alice', { outgoing: outgoingReport() }));
    await settle();
    void wizard.save();
    expect(api.lastSave.request.settings.trustedCertificates).toHaveLength(1);
  });

  it('offers no trust for other failures', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject(diagnosis());
    await settle();
    wizard.trustConfirmed = true;
    expect(wizard.trustCertificate()).toBe(false);
    expect(wizard.trustedCertificates).toEqual([]);
  });

  it('on certificate_changed, removes the old trust (never adds one) and connects again', async () => {
    const { api, wizard } = filledWizard();
    wizard.next();
    api.lastConnect.result.reject(untrusted('incoming', 'OLD:01'));
    await settle();
    wizard.trustConfirmed = true;
    wizard.trustCertificate();
    expect(api.lastConnect.request.settings.trustedCertificates[0].sha256Fingerprint).toBe('OLD:01');
    api.lastConnect.result.reject(
      diagnosis({
        code: 'certificate_changed',
        title: 'The server’s certificate has changed',
        stage: 'tls',
        side: 'incoming',
        evidence: ['trusted fingerprint: OLD:01'],
        certificate: certificate({ sha256Fingerprint: 'NEW:02' }),
        trustedFingerprint: 'OLD:01',
      }),
    );
    await settle();
    expect(wizard.previousFingerprint).toBe('OLD:01');
    wizard.trustConfirmed = true;
    expect(wizard.trustCertificate()).toBe(false);
    expect(wizard.untrustCertificate()).toBe(true);
    expect(wizard.trustedCertificates).toEqual([]);
    expect(api.connects).toHaveLength(3);
    expect(api.lastConnect.request.settings.trustedCertificates).toEqual([]);
    // The new certificate now shows as any untrusted one, and the user decides again.
    api.lastConnect.result.reject(untrusted('incoming', 'NEW:02'));
    await settle();
    wizard.trustConfirmed = true;
    wizard.trustCertificate();
    expect(api.lastConnect.request.settings.trustedCertificates.map((p) => p.sha256Fingerprint)).toEqual(['NEW:02']);
  });

  it('finds the previously trusted fingerprint in the settings when the diagnosis lacks it', async () => {
    const { api, wizard } = filledWizard();
    wizard.trustedCertificates = [
      { host: 'smtp.example.com', port: 587, sha256Fingerprint: 'PIN:99', subject: 'CN=smtp', notAfter: '2030-01-01T00:00:00Z' },
    ];
    wizard.next();
    api.lastConnect.result.reject(
      diagnosis({ code: 'certificate_changed', title: 'Changed', side: 'outgoing', evidence: [], certificate: certificate() }),
    );
    await settle();
    expect(wizard.previousFingerprint).toBe('PIN:99');
    wizard.untrustCertificate();
    expect(wizard.trustedCertificates).toEqual([]);
  });
});

describe('the test message', () => {
  async function saved(api = new FakeApi(), smtp = true) {
    const { wizard } = filledWizard(api);
    wizard.setSmtpEnabled(smtp);
    wizard.smtpSamePassword = false;
    wizard.smtpPassword = 'smtp-secret';
    wizard.next();
    api.lastConnect.result.resolve(report(undefined, 'alice', { outgoing: smtp ? outgoingReport('alice@example.com') : null }));
    await settle();
    void wizard.save();
    api.lastSave.result.resolve({ ...record(3, 'alice@example.com'), settings: api.lastSave.request.settings });
    await settle();
    return { api, wizard };
  }

  it('sends the saved settings and passwords, and says where it went', async () => {
    const { api, wizard } = await saved();
    expect(wizard.step).toBe('saved');
    // The form forgot the passwords; the test request keeps them.
    expect([wizard.password, wizard.smtpPassword]).toEqual(['', '']);
    expect(wizard.canSendTest).toBe(true);
    const sending = wizard.sendTestMessage();
    expect(wizard.testing).toBe(true);
    const { request, onProgress, result } = api.lastTest;
    expect(request.credentials).toEqual({ password: 'secret' });
    expect(request.outgoingCredentials).toEqual({ password: 'smtp-secret' });
    expect(request.settings.outgoing?.username).toBe('alice@example.com');
    expect(request.settings.incoming.username).toBe('alice');
    onProgress(event({ side: 'outgoing', stage: 'sending_test_message', state: 'started' }));
    expect(wizard.testRows.map((r) => r.stage)).toEqual(['sending_test_message']);
    result.resolve();
    expect(await sending).toBe(true);
    expect(wizard.testSentTo).toBe('alice@example.com');
    expect(wizard.testing).toBe(false);
  });

  it('shows the diagnosis when sending fails', async () => {
    const { api, wizard } = await saved();
    const sending = wizard.sendTestMessage();
    api.lastTest.result.reject(diagnosis({ code: 'server_refused', title: 'Refused', side: 'outgoing' }));
    expect(await sending).toBe(false);
    expect(wizard.testProblem?.code).toBe('server_refused');
    expect(wizard.testSentTo).toBeNull();
  });

  it('is not offered without an outgoing server, and forgets the passwords when the wizard is left', async () => {
    const { wizard } = await saved(new FakeApi(), false);
    expect(wizard.canSendTest).toBe(false);
    expect(await wizard.sendTestMessage()).toBe(false);
    const other = await saved();
    other.wizard.abandon();
    expect(other.wizard.canSendTest).toBe(false);
  });
});

/** A wizard at the address step with discovery asked for alice@example.com (still pending). */
function discovering(api = new FakeApi(), email = 'alice@example.com') {
  const wizard = new Wizard(api);
  wizard.email = email;
  expect(wizard.next()).toBe(true);
  return { api, wizard };
}

/** A wizard showing the proposal for `answer`. */
async function proposed(answer = discovery(), api = new FakeApi()) {
  const { wizard } = discovering(api, answer.email);
  api.lastDiscovery.result.resolve(answer);
  await settle();
  expect(wizard.step).toBe('proposal');
  return { api, wizard };
}

describe('discovery', () => {
  it('starts at the address, has the engine check it, and asks the engine with it', async () => {
    const api = new FakeApi();
    api.addressProblems['alice@example'] = 'The engine’s own words.';
    const wizard = new Wizard(api);
    expect(wizard.step).toBe('address');
    expect(wizard.path).toBe('discovered');
    await settle();
    // The empty field: the engine's answer is there before anything is typed.
    expect(wizard.addressError).toBe('Type your email address.');
    wizard.email = 'alice@example';
    await settle();
    expect(api.checkAddress).toHaveBeenLastCalledWith('alice@example');
    expect(wizard.next()).toBe(false);
    expect(wizard.addressSubmitted).toBe(true);
    expect(wizard.addressError).toBe('The engine’s own words.');
    expect(api.discoveries).toHaveLength(0);
    // An answer about an address typed over since is not shown for the new one.
    wizard.email = 'alice@example.co';
    expect(wizard.addressError).toBeNull();
    wizard.email = ' alice@example.com ';
    await settle();
    expect(wizard.addressError).toBeNull();
    expect(wizard.next()).toBe(true);
    expect(wizard.step).toBe('discovering');
    expect(wizard.discovering).toBe(true);
    expect(api.lastDiscovery.request).toEqual({ email: 'alice@example.com', probe: true, follow: [] });
  });

  it('shows each source live, then the proposal', async () => {
    const { api, wizard } = discovering();
    const { onEvent, result } = api.lastDiscovery;
    onEvent(discoveryEvent({ source: 'autoconfig', detail: 'autoconfig.example.com' }));
    onEvent(discoveryEvent({ source: 'guess', detail: 'imap.example.com…' }));
    onEvent(discoveryEvent({ source: 'autoconfig', status: 'found', detail: 'IMAP imap.example.com:993' }));
    expect(wizard.discoveryRows.map((r) => [r.source, r.status])).toEqual([
      ['autoconfig', 'found'],
      ['guess', null],
    ]);
    result.resolve(discovery());
    await settle();
    expect(wizard.step).toBe('proposal');
    expect(wizard.discovering).toBe(false);
    expect(wizard.chosenIncoming?.endpoint.host).toBe('imap.example.com');
    expect(wizard.chosenOutgoing?.endpoint.host).toBe('smtp.example.com');
    expect(wizard.canUseProposal).toBe(true);
  });

  it('"Use these settings" fills the form as if typed and asks for the password next', async () => {
    const { api, wizard } = await proposed();
    expect(wizard.useProposal()).toBe(true);
    expect(wizard.step).toBe('account');
    expect([wizard.kind, wizard.host, wizard.port, wizard.security]).toEqual(['imap', 'imap.example.com', '993', 'tls']);
    expect([wizard.hostTyped, wizard.portTyped, wizard.smtpHostTyped, wizard.smtpPortTyped]).toEqual([true, true, true, true]);
    expect([wizard.smtpEnabled, wizard.smtpHost, wizard.smtpPort, wizard.smtpSecurity]).toEqual([true, 'smtp.example.com', '465', 'tls']);
    expect(wizard.username).toBe('alice@example.com');
    // The found servers stay when the security is flipped (typed ports are kept).
    wizard.setSecurity('starttls');
    expect(wizard.port).toBe('993');
    wizard.setSecurity('tls');
    wizard.password = 'secret';
    expect(wizard.next()).toBe(true);
    expect(wizard.step).toBe('connecting');
    const { settings, credentials } = api.lastConnect.request;
    expect(credentials).toEqual({ password: 'secret' });
    expect(settings.incoming).toMatchObject({ protocol: 'imap', endpoint: { host: 'imap.example.com', port: 993, security: 'tls' }, username: 'alice@example.com' });
    expect(settings.outgoing).toMatchObject({ endpoint: { host: 'smtp.example.com', port: 465, security: 'tls' }, username: null, samePassword: true });
  });

  it('"Edit settings" opens the Servers step filled in; the password comes after it', async () => {
    const { wizard } = await proposed();
    wizard.editProposal();
    expect(wizard.step).toBe('server');
    expect([wizard.host, wizard.smtpHost]).toEqual(['imap.example.com', 'smtp.example.com']);
    wizard.setHost('mail.example.com');
    expect(wizard.next()).toBe(true);
    expect(wizard.step).toBe('account');
    wizard.back();
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('mail.example.com');
    wizard.back();
    expect(wizard.step).toBe('proposal');
    wizard.back();
    expect(wizard.step).toBe('address');
  });

  it('goes back from Sign in to the proposal, and from a failed connection to Sign in', async () => {
    const { api, wizard } = await proposed();
    wizard.useProposal();
    wizard.back();
    expect(wizard.step).toBe('proposal');
    wizard.useProposal();
    wizard.password = 'wrong';
    wizard.next();
    api.lastConnect.result.reject(diagnosis());
    await settle();
    wizard.back();
    expect(wizard.step).toBe('account');
    expect(wizard.password).toBe('wrong');
  });

  it('sets the mailbox type from what was found: POP3, Google Workspace', async () => {
    const pop = await proposed(
      discovery({ kind: 'pop3', incoming: [candidate('pop.example.com', 995, { protocol: 'pop3' }), candidate('imap.example.com', 993)] }),
    );
    pop.wizard.useProposal();
    expect(pop.wizard.kind).toBe('pop3');
    expect(pop.wizard.protocol).toBe('pop3');
    expect(pop.wizard.port).toBe('995');
    // Another server of the list: IMAP after all.
    pop.wizard.back();
    pop.wizard.chooseIncoming(1);
    pop.wizard.useProposal();
    expect([pop.wizard.kind, pop.wizard.host]).toEqual(['imap', 'imap.example.com']);

    const google = await proposed(
      discovery({
        kind: 'gmail',
        provider: { id: 'google', name: 'Google Workspace', detectedBy: 'example.com’s MX records point to Google' },
        incoming: [candidate('imap.gmail.com', 993)],
        outgoing: [candidate('smtp.gmail.com', 465)],
      }),
    );
    google.wizard.useProposal();
    expect(google.wizard.kind).toBe('gmail');
    expect(google.wizard.host).toBe('imap.gmail.com');
    expect(google.wizard.smtpEnabled).toBe(false);
    expect(google.wizard.smtpHost).toBe('smtp.gmail.com');
  });

  it('needs the confirmation for servers outside the domain, again when the choice changes', async () => {
    const outside = candidate('mail.hoster.example', 993, { source: 'srv', needsConfirmation: 'example.com’s DNS points elsewhere' });
    const { wizard } = await proposed(discovery({ incoming: [outside, candidate('imap.example.com', 993)] }));
    expect(wizard.confirmations).toHaveLength(1);
    expect(wizard.canUseProposal).toBe(false);
    expect(wizard.useProposal()).toBe(false);
    expect(wizard.step).toBe('proposal');
    wizard.proposalConfirmed = true;
    expect(wizard.canUseProposal).toBe(true);
    wizard.chooseIncoming(1);
    expect(wizard.proposalConfirmed).toBe(false);
    expect(wizard.confirmations).toHaveLength(0);
    wizard.chooseIncoming(0);
    expect(wizard.canUseProposal).toBe(false);
    wizard.proposalConfirmed = true;
    expect(wizard.useProposal()).toBe(true);
    expect(wizard.host).toBe('mail.hoster.example');
  });

  it('sends a server without encryption to the Servers step, where its warning is', async () => {
    const plain = candidate('imap.example.com', 143, { endpoint: { host: 'imap.example.com', port: 143, security: 'none' } });
    const { wizard } = await proposed(discovery({ incoming: [plain] }));
    expect(wizard.proposalUnencrypted).toBe(true);
    expect(wizard.useProposal()).toBe(false);
    wizard.editProposal();
    expect(wizard.incomingNeedsPlaintextConfirm).toBe(true);
  });

  it('follows a redirect only when asked, by asking again with it', async () => {
    const offer = { source: 'autoconfig' as const, to: 'https://autoconfig.hoster.example/mail/config-v1.1.xml', explanation: 'points elsewhere' };
    const { api, wizard } = await proposed(discovery({ redirects: [offer] }));
    expect(api.discoveries).toHaveLength(1);
    wizard.followRedirect(offer.to);
    expect(wizard.step).toBe('discovering');
    expect(api.lastDiscovery.request).toEqual({ email: 'alice@example.com', probe: true, follow: [offer.to] });
    api.lastDiscovery.result.resolve(discovery({ incoming: [candidate('imap.hoster.example', 993, { source: 'redirect' })] }));
    await settle();
    expect(wizard.step).toBe('proposal');
    expect(wizard.chosenIncoming?.endpoint.host).toBe('imap.hoster.example');
    // Asking again for the same address keeps the redirect; another address starts afresh.
    wizard.back();
    wizard.next();
    expect(api.lastDiscovery.request.follow).toEqual([offer.to]);
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    wizard.back();
    wizard.email = 'bob@example.org';
    wizard.next();
    expect(api.lastDiscovery.request.follow).toEqual([]);
  });

  it('gives the domain’s Autodiscover the password only when asked to, and keeps it for Sign in', async () => {
    const { api, wizard } = await proposed(
      discovery({ autodiscoverWantsPassword: true, diagnosis: diagnosis({ code: 'settings_not_found' }) }),
    );
    expect(api.lastDiscovery.request).not.toHaveProperty('autodiscoverPassword');
    expect(wizard.askAutodiscover('')).toBe(false);
    expect(wizard.askAutodiscover('secret')).toBe(true);
    expect(api.lastDiscovery.request).toEqual({ email: 'alice@example.com', probe: true, follow: [], autodiscoverPassword: 'secret' });
    expect(wizard.password).toBe('secret');
    // Refused again: said so.
    api.lastDiscovery.result.resolve(discovery({ autodiscoverWantsPassword: true, diagnosis: diagnosis({ code: 'settings_not_found' }) }));
    await settle();
    expect(wizard.autodiscoverRefused).toBe(true);
    wizard.askAutodiscover('right');
    expect(wizard.autodiscoverRefused).toBe(false);
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    expect(wizard.autodiscoverRefused).toBe(false);
    expect(wizard.useProposal()).toBe(true);
    expect(wizard.password).toBe('right');
  });

  it('cancels: back to the address at once, the engine told, a late answer ignored', async () => {
    const { api, wizard } = discovering();
    api.lastDiscovery.onEvent(discoveryEvent({ source: 'guess' }));
    wizard.cancelDiscovery();
    expect(wizard.step).toBe('address');
    expect(wizard.discovering).toBe(false);
    expect(api.cancelDiscovery).toHaveBeenCalledOnce();
    expect(wizard.discoveryRows[0].interrupted).toBe(true);
    await settle();
    expect(wizard.step).toBe('address');
    expect(wizard.discoveryProblem).toBeNull();
  });

  it('ignores the answer of a discovery that was replaced', async () => {
    const { api, wizard } = discovering();
    const first = api.lastDiscovery;
    void wizard.discover();
    expect(api.discoveries).toHaveLength(2);
    first.result.resolve(discovery({ incoming: [candidate('stale.example.com', 993)] }));
    await settle();
    expect(wizard.step).toBe('discovering');
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    expect(wizard.chosenIncoming?.endpoint.host).toBe('imap.example.com');
  });

  it('nothing found: the diagnosis, then the Servers step with the usual names', async () => {
    const guess = (host: string, port: number, security: 'tls' | 'starttls') =>
      candidate(host, port, { source: 'guess', verification: null, needsConfirmation: 'nothing confirmed this server', username: null, endpoint: { host, port, security } });
    const { wizard } = await proposed(
      discovery({
        email: 'kim@nowhere.example',
        domain: 'nowhere.example',
        incoming: [guess('imap.nowhere.example', 993, 'tls')],
        outgoing: [guess('smtp.nowhere.example', 587, 'starttls')],
        diagnosis: diagnosis({ code: 'settings_not_found', title: 'Settings not found', stage: null, side: null }),
      }),
    );
    expect(wizard.nothingFound).toBe(true);
    expect(wizard.canUseProposal).toBe(false);
    expect(wizard.useProposal()).toBe(false);
    wizard.editProposal();
    expect(wizard.step).toBe('server');
    expect([wizard.host, wizard.port, wizard.smtpHost, wizard.smtpPort, wizard.smtpSecurity]).toEqual([
      'imap.nowhere.example',
      '993',
      'smtp.nowhere.example',
      '587',
      'starttls',
    ]);
    expect(wizard.username).toBe('');
  });

  it('shows a failure of discovery itself, and tries again', async () => {
    const { api, wizard } = discovering();
    api.lastDiscovery.result.reject('command discover_settings not found');
    await settle();
    expect(wizard.step).toBe('discovering');
    expect(wizard.discoveryProblem?.code).toBe('unexpected');
    wizard.retryDiscovery();
    expect(api.discoveries).toHaveLength(2);
    expect(wizard.discoveryProblem).toBeNull();
  });

  it('"Set up manually" goes to the mailbox type, and Back returns to the address', () => {
    const wizard = new Wizard(new FakeApi());
    wizard.email = 'alice@example.com';
    wizard.setUpManually();
    expect([wizard.step, wizard.path]).toEqual(['type', 'manual']);
    wizard.next();
    expect(wizard.step).toBe('account');
    expect(wizard.email).toBe('alice@example.com');
    wizard.back();
    wizard.back();
    expect(wizard.step).toBe('address');
  });

  it('stops discovery when the wizard is left', () => {
    const { api, wizard } = discovering();
    wizard.abandon();
    expect(api.cancelDiscovery).toHaveBeenCalledOnce();
    expect(wizard.discovering).toBe(false);
  });
});

describe('the step indicator', () => {
  it('has the same steps, names and order on every path', () => {
    expect(STEPS.map((s) => s.title)).toEqual(['Email address', 'Settings', 'Connect', 'Folders']);
    // Found or typed by hand, everything the user fills in is Settings and comes in order.
    const found = ['address', 'discovering', 'proposal', 'account', 'signing-in', 'connecting', 'folders'] as const;
    const manual = ['address', 'type', 'account', 'server', 'signing-in', 'connecting', 'folders'] as const;
    for (const path of [found, manual]) {
      const indices = path.map((step) => stepIndex(STEPS, step));
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      expect(indices.every((i) => i >= 0)).toBe(true);
    }
    for (const step of ['discovering', 'proposal', 'type', 'account', 'server'] as const) expect(stepIndex(STEPS, step)).toBe(1);
    expect(stepIndex(STEPS, 'saved')).toBe(-1);
  });
});
