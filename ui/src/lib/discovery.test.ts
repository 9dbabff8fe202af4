import { describe, expect, it } from 'vitest';
import { candidate, discovery, discoveryEvent } from '../test/fakes';
import {
  applyDiscoveryEvent,
  confirmationsFor,
  finishDiscoveryRows,
  interruptDiscoveryRows,
  isSearching,
  kindOf,
  loginName,
  proposalFields,
  reduceDiscovery,
  sortHints,
  verificationText,
} from './discovery';

describe('discovery rows', () => {
  it('has one row per source: started, then ended with what came of it', () => {
    const rows = reduceDiscovery([
      discoveryEvent({ source: 'autoconfig', label: 'The domain’s configuration', detail: 'autoconfig.example.com', elapsedMs: 1 }),
      discoveryEvent({ source: 'srv', label: 'DNS service records', detail: 'SRV records of example.com', elapsedMs: 2 }),
      discoveryEvent({ source: 'srv', label: 'DNS service records', status: 'not_found', detail: 'no mail service records', elapsedMs: 30 }),
      discoveryEvent({ source: 'autoconfig', label: 'The domain’s configuration', status: 'found', detail: 'IMAP imap.example.com:993', elapsedMs: 81 }),
    ]);
    expect(rows.map((r) => [r.source, r.status, r.detail])).toEqual([
      ['autoconfig', 'found', 'IMAP imap.example.com:993'],
      ['srv', 'not_found', 'no mail service records'],
    ]);
    expect(rows[0].startedMs).toBe(1);
    expect(rows[0].lastMs).toBe(81);
    expect(rows.some(isSearching)).toBe(false);
  });

  it('keeps the question when the end brings no words', () => {
    const rows = reduceDiscovery([
      discoveryEvent({ source: 'ispdb', detail: 'example.com in the ISPDB' }),
      discoveryEvent({ source: 'ispdb', status: 'timed_out' }),
    ]);
    expect(rows[0].detail).toBe('example.com in the ISPDB');
    expect(rows[0].status).toBe('timed_out');
  });

  it('lists each server the verification checked, and ends when all announced are in', () => {
    // The words say three servers; the engine's list of them says two: the list counts.
    let rows = applyDiscoveryEvent(
      [],
      discoveryEvent({ source: 'verification', detail: 'a, b, c', checking: ['imap.example.com:993', '[::1]:465'] }),
    );
    expect(rows[0].expected).toBe(2);
    rows = applyDiscoveryEvent(
      rows,
      discoveryEvent({ source: 'verification', status: 'found', target: 'imap.example.com:993', detail: 'IMAP server answered over TLS' }),
    );
    expect(isSearching(rows[0])).toBe(true);
    rows = applyDiscoveryEvent(
      rows,
      discoveryEvent({ source: 'verification', status: 'failed', target: '[::1]:465', detail: 'no answer: within 5000 ms' }),
    );
    expect(rows[0].status).toBe('found');
    expect(rows[0].checks).toEqual([
      { target: 'imap.example.com:993', detail: 'IMAP server answered over TLS', ok: true },
      { target: '[::1]:465', detail: 'no answer: within 5000 ms', ok: false },
    ]);
  });

  it('ends a verification that did not announce its servers when discovery answers', () => {
    let rows = applyDiscoveryEvent([], discoveryEvent({ source: 'verification' }));
    rows = applyDiscoveryEvent(rows, discoveryEvent({ source: 'verification', status: 'failed', target: 'imap.example.com:993', detail: 'refused' }));
    expect(rows[0].status).toBeNull();
    expect(finishDiscoveryRows(rows)[0].status).toBe('failed');
  });

  it('marks the sources still running when discovery stops', () => {
    const rows = interruptDiscoveryRows(
      reduceDiscovery([
        discoveryEvent({ source: 'guess' }),
        discoveryEvent({ source: 'mx' }),
        discoveryEvent({ source: 'mx', status: 'not_found' }),
      ]),
    );
    expect(rows.map((r) => r.interrupted)).toEqual([true, false]);
    expect(rows.some(isSearching)).toBe(false);
  });
});

describe('the proposal as the wizard’s fields', () => {
  it('takes the chosen servers, their security and the login name', () => {
    const d = discovery();
    expect(proposalFields(d, d.incoming[0], d.outgoing[0])).toEqual({
      kind: 'imap',
      host: 'imap.example.com',
      port: '993',
      security: 'tls',
      username: 'alice@example.com',
      smtpEnabled: true,
      smtpHost: 'smtp.example.com',
      smtpPort: '465',
      smtpSecurity: 'tls',
      // The same login as incoming: "Same as incoming".
      smtpUsername: '',
    });
  });

  it('keeps an outgoing login name of its own', () => {
    const d = discovery({ outgoing: [candidate('smtp.example.com', 587, { username: 'alice', endpoint: { host: 'smtp.example.com', port: 587, security: 'starttls' } })] });
    const fields = proposalFields(d, d.incoming[0], d.outgoing[0]);
    expect(fields.smtpUsername).toBe('alice');
    expect(fields.smtpSecurity).toBe('starttls');
  });

  it('makes a POP3 proposal a POP3 mailbox, and an IMAP server of a POP3 domain IMAP', () => {
    const pop = candidate('pop.example.com', 995, { protocol: 'pop3' });
    const imap = candidate('imap.example.com', 993);
    const d = discovery({ kind: 'pop3', incoming: [pop, imap] });
    expect(kindOf(d, pop)).toBe('pop3');
    expect(kindOf(d, imap)).toBe('imap');
    expect(proposalFields(d, pop, null).kind).toBe('pop3');
  });

  it('recognises Google Workspace and Microsoft 365, whose outgoing check starts off as when chosen by hand', () => {
    const d = discovery({ kind: 'gmail', incoming: [candidate('imap.gmail.com', 993)], outgoing: [candidate('smtp.gmail.com', 465)] });
    const fields = proposalFields(d, d.incoming[0], d.outgoing[0]);
    expect(fields.kind).toBe('gmail');
    expect(fields.smtpEnabled).toBe(false);
    expect(fields.smtpHost).toBe('smtp.gmail.com');
    expect(proposalFields(discovery({ kind: 'microsoft365' }), candidate(), null).kind).toBe('microsoft365');
  });

  it('leaves the login name empty when the source gives none', () => {
    const c = candidate('imap.example.com', 993, { username: null });
    expect(proposalFields(discovery(), c, null).username).toBe('');
    expect(proposalFields(discovery(), c, null).smtpEnabled).toBe(false);
    expect(loginName(c, 'alice@example.com')).toBe('alice@example.com, or alice');
    expect(loginName(candidate(), 'alice@example.com')).toBe('alice@example.com');
  });
});

describe('what the proposal says', () => {
  it('asks for a confirmation of each server that needs one, with its reason', () => {
    const outside = candidate('mail.hoster.example', 993, { needsConfirmation: 'example.com’s DNS points to mail.hoster.example' });
    expect(confirmationsFor(candidate(), candidate('smtp.example.com', 465))).toEqual([]);
    expect(confirmationsFor(outside, null)).toEqual([
      { side: 'incoming', host: 'mail.hoster.example', reason: 'example.com’s DNS points to mail.hoster.example' },
    ]);
  });

  it('puts what must be done first before advice and help pages', () => {
    const sorted = sortHints([
      { kind: 'documentation', text: 'Help', url: 'https://example.com/help', source: 'autoconfig' },
      { kind: 'instruction', text: 'Use an app password', url: null, source: 'provider' },
      { kind: 'enable', text: 'Turn on IMAP', url: null, source: 'autoconfig' },
      { kind: 'instruction', text: 'Second advice', url: null, source: 'provider' },
    ]);
    expect(sorted.map((h) => h.text)).toEqual(['Turn on IMAP', 'Use an app password', 'Second advice', 'Help']);
  });

  it('says whether a server was verified, and why not', () => {
    expect(verificationText(candidate())).toMatchObject({ verified: true, badge: 'Verified' });
    // Plain words by default; the mechanisms are the technician's.
    const plain = candidate('imap.example.com', 993, {
      verification: { verified: true, elapsedMs: 5, detail: 'IMAP server answered over TLS; sign-in: PLAIN, LOGIN', authMechanisms: ['PLAIN', 'LOGIN'], password: true, oauth2: false, certificateProblem: false },
    });
    expect(verificationText(plain)).toEqual({
      verified: true,
      badge: 'Verified',
      detail: 'The server answered over an encrypted connection.',
      technical: 'IMAP server answered over TLS; sign-in: PLAIN, LOGIN',
    });
    const refused = candidate('imap.example.com', 993, {
      verification: { verified: false, elapsedMs: 5, detail: 'connection refused', authMechanisms: [], password: false, oauth2: false, certificateProblem: false },
    });
    expect(verificationText(refused)).toEqual({ verified: false, badge: 'Not verified', detail: 'connection refused' });
    const cert = candidate('imap.example.com', 993, {
      verification: { verified: false, elapsedMs: 5, detail: 'The certificate is not trusted.', authMechanisms: [], password: true, oauth2: false, certificateProblem: true },
    });
    expect(verificationText(cert).detail).toMatch(/decide when you connect/);
    expect(verificationText(candidate('imap.example.com', 993, { verification: null })).detail).toMatch(/not checked/);
  });
});
