// A canned InletApi for looking at the wizard in a plain browser (`npm run build && npm run
// preview`). main.ts loads it only when the Tauri internals are missing, so the real app never
// does. The first step's discovery has its own scenarios (see demo-discovery.ts: team@harbour-books.example,
// elsewhere@, pop@, redirect@, nothing@, slowfind@). Addresses steer the connection's scenario:
//   anything@…        succeeds with a small folder tree (and the outgoing check, when on)
//   wrong@…           the password is refused
//   cert@…            an untrusted (self-signed) certificate: trust it to continue
//   expired@…         an expired certificate (the stronger warning)
//   wronghost@…       a certificate for another name
//   changed@…         trust the first certificate, and the next connection presents another
//                     (certificate_changed); remove the old trust to see the new one
//   pop@…             choose POP3: the inbox only, with an IMAP server to switch to
//   smtpwrong@…       the outgoing server refuses the password
//   smtpcert@…        the outgoing server's certificate is self-signed
//   sendfail@…        the test message is refused
//   big@…             10,000 folders
//   slow@…            slow enough to try Cancel (Escape)
//   locked@…          connects, but saving finds the keychain locked
// Browser sign-in has its own scenarios (demo-sign-in.ts: nobrowser@, denied@, consent@).
// Open with ?list to start with three saved mailboxes.

import type { InletApi, OnProgress } from './api';
import { demoDiagnosis as diagnosis } from './demo-diagnosis';
import { demoDiscover } from './demo-discovery';
import { createDemoSignIn } from './demo-sign-in';
import { createDemoReport } from './demo-report';
import { createDemoStatus } from './demo-status';
import type { CertificateInfo } from './bindings/CertificateInfo';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { DiagnosisCode } from './bindings/DiagnosisCode';
import type { Endpoint } from './bindings/Endpoint';
import type { Folder } from './bindings/Folder';
import type { FolderRole } from './bindings/FolderRole';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { MailboxStatus } from './bindings/MailboxStatus';
import type { OutgoingReport } from './bindings/OutgoingReport';
import type { Side } from './bindings/Side';
import type { Stage } from './bindings/Stage';
import type { StageState } from './bindings/StageState';
import type { TrustedCertificate } from './bindings/TrustedCertificate';

function folder(rawName: string, role: FolderRole | null, extra: Partial<Folder> = {}): Folder {
  const parts = rawName.split('/');
  return {
    rawName,
    path: rawName,
    name: parts[parts.length - 1],
    parent: parts.length > 1 ? parts.slice(0, -1).join('/') : null,
    depth: parts.length - 1,
    role,
    roleGuessed: false,
    selectable: true,
    placeholder: false,
    subscribed: true,
    hasChildren: false,
    messages: null,
    unseen: null,
    ...extra,
  };
}

export function demoFolders(): Folder[] {
  return [
    folder('INBOX', 'inbox', { name: 'Inbox', messages: 1284, unseen: 12 }),
    folder('Archive', 'archive', { messages: 20931, unseen: 0 }),
    folder('Drafts', 'drafts', { messages: 3, unseen: 0 }),
    folder('Junk', 'junk', { messages: 57, unseen: 57, roleGuessed: true }),
    folder('Projects', null, { selectable: false, hasChildren: true }),
    folder('Projects/Harbour', null, { messages: 412, unseen: 4, hasChildren: true }),
    folder('Projects/Harbour/Invoices', null, { messages: 96, unseen: 0 }),
    folder('Projects/Lighthouse', null, { messages: 88, unseen: 1 }),
    folder('Receipts', null, { messages: 230, unseen: 0 }),
    folder('Sent', 'sent', { messages: 3120, unseen: 0 }),
    folder('Shared', null, { placeholder: true, selectable: false, subscribed: false, hasChildren: true }),
    folder('Shared/Support', null, { messages: 5021, unseen: 38 }),
    folder('Trash', 'trash', { messages: 144, unseen: 0 }),
  ];
}

export function bigFolders(count = 10_000): Folder[] {
  const folders: Folder[] = [folder('INBOX', 'inbox', { name: 'Inbox', messages: 90, unseen: 2 })];
  let n = 1;
  for (let a = 0; n < count; a++) {
    const top = `Clients ${String(a).padStart(3, '0')}`;
    folders.push(folder(top, null, { placeholder: a % 7 === 0, selectable: a % 7 !== 0, hasChildren: true }));
    n++;
    for (let b = 0; b < 19 && n < count; b++, n++) {
      folders.push(folder(`${top}/Case ${b + 1}`, null, { messages: (a * 31 + b * 7) % 500, unseen: b % 3 }));
    }
  }
  return folders;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function status(extra: Partial<MailboxStatus> = {}): MailboxStatus {
  return {
    enabled: true,
    lastCheckAt: null,
    lastSuccessAt: null,
    lastErrorCode: null,
    lastErrorTitle: null,
    consecutiveErrors: 0,
    lastOutgoingSuccessAt: null,
    lastOutgoingErrorCode: null,
    lastOutgoingErrorTitle: null,
    consecutiveOutgoingErrors: 0,
    lastErrorAt: null,
    lastOutgoingErrorAt: null,
    consecutiveTemporaryFailures: 0,
    throttled: false,
    nextCheckAt: null,
    disabledAutomatically: false,
    badge: 'working',
    ...extra,
  };
}

/** A made-up fingerprint, stable for a seed. */
function fingerprint(seed: string): string {
  let h = 2166136261;
  const bytes: string[] = [];
  for (let i = 0; i < 32; i++) {
    for (const c of `${seed}#${i}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    bytes.push((h & 0xff).toString(16).toUpperCase().padStart(2, '0'));
  }
  return bytes.join(':');
}

function certificate(host: string, seed: string, extra: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: `CN=${host}`,
    issuer: `CN=${host}`,
    notBefore: '2025-01-10T00:00:00Z',
    notAfter: '2027-01-10T00:00:00Z',
    sha256Fingerprint: fingerprint(seed),
    names: [host],
    selfSigned: true,
    ...extra,
  };
}

const CERT_TEXT: Partial<Record<DiagnosisCode, [string, string, string]>> = {
  certificate_untrusted: [
    'The server’s certificate is not trusted',
    'presented a certificate that no authority this computer trusts has vouched for (it may be self-signed).',
    'Only continue if you know this server uses its own certificate: compare the fingerprint below with the one your administrator or provider gives you.',
  ],
  certificate_expired: [
    'The server’s certificate has expired',
    'presented a certificate that is past its end date.',
    'This is for the server’s administrator to fix: tell them the certificate expired. Do not work around it unless they confirm.',
  ],
  certificate_wrong_host: [
    'The certificate is for another server',
    'presented a certificate issued for other names than the one you typed.',
    'Use the server name the certificate lists (see below) if your provider confirms it; otherwise tell the administrator.',
  ],
};

export function createDemoApi(options: { seedList?: boolean } = {}): InletApi {
  let cancelled: (() => void) | null = null;
  let discoveryCancelled: (() => void) | null = null;
  let nextId = 1;
  const now = Date.now();
  /** changed@: how many handshakes each server has had (the second presents a new certificate). */
  const handshakes = new Map<string, number>();
  let saved: MailboxRecord[] = options.seedList
    ? [
        {
          id: nextId++,
          settings: {
            kind: 'imap',
            email: 'alice@example.com',
            incoming: {
              protocol: 'imap',
              endpoint: { host: 'mail.example.com', port: 993, security: 'tls' },
              username: 'alice@example.com',
              auth: 'password',
              allowPlaintextPassword: false,
            },
            outgoing: {
              endpoint: { host: 'smtp.example.com', port: 587, security: 'starttls' },
              username: 'alice@example.com',
              samePassword: true,
              allowPlaintextPassword: false,
            },
            trustedCertificates: [
              {
                host: 'mail.example.com',
                port: 993,
                sha256Fingerprint: fingerprint('mail.example.com'),
                subject: 'CN=mail.example.com',
                notAfter: '2027-01-10T00:00:00Z',
              },
            ],
          },
          folders: [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }],
          status: status({
            lastCheckAt: now - 4 * 60_000,
            lastSuccessAt: now - 4 * 60_000,
            lastOutgoingSuccessAt: now - 4 * 60_000,
          }),
          createdAt: now - 86_400_000 * 3,
          grant: null,
          name: 'Alice at work',
          description: 'Orders and invoices',
          isDefault: true,
          modifiedAt: now - 86_400_000,
          modifiedBy: 'alice',
        },
        {
          id: nextId++,
          settings: {
            kind: 'gmail',
            email: 'support@harbour-books.example',
            incoming: {
              protocol: 'imap',
              endpoint: { host: 'imap.gmail.com', port: 993, security: 'tls' },
              username: 'support@harbour-books.example',
              auth: 'password',
              allowPlaintextPassword: false,
            },
            outgoing: null,
            trustedCertificates: [],
          },
          folders: [
            { rawName: 'INBOX', path: 'INBOX', role: 'inbox' },
            { rawName: 'Support', path: 'Support', role: null },
          ],
          status: status({
            lastCheckAt: now - 90_000,
            lastSuccessAt: now - 2 * 3_600_000,
            lastErrorCode: 'authentication_failed',
            lastErrorTitle: 'The server refused the password',
            lastErrorAt: now - 90_000,
            consecutiveErrors: 3,
            badge: 'failing',
          }),
          createdAt: now - 86_400_000 * 20,
          grant: null,
          name: null,
          description: null,
          isDefault: false,
          modifiedAt: null,
          modifiedBy: null,
        },
        {
          id: nextId++,
          settings: {
            kind: 'pop3',
            email: 'scanner@office.example',
            incoming: {
              protocol: 'pop3',
              endpoint: { host: 'pop.office.example', port: 110, security: 'none' },
              username: 'scanner',
              auth: 'password',
              allowPlaintextPassword: true,
            },
            outgoing: {
              endpoint: { host: 'smtp.office.example', port: 587, security: 'starttls' },
              username: 'scanner',
              samePassword: false,
              allowPlaintextPassword: false,
            },
            trustedCertificates: [],
          },
          folders: [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }],
          status: status({
            lastCheckAt: now - 10 * 60_000,
            lastSuccessAt: now - 10 * 60_000,
            lastOutgoingSuccessAt: now - 86_400_000,
            lastOutgoingErrorCode: 'timed_out',
            lastOutgoingErrorTitle: 'The server did not answer in time',
            consecutiveOutgoingErrors: 2,
            badge: 'failing',
          }),
          createdAt: now - 86_400_000 * 40,
          grant: null,
          name: null,
          description: null,
          isDefault: false,
          modifiedAt: null,
          modifiedBy: null,
        },
      ]
    : [];

  interface Run {
    local: string;
    slow: number;
    started: number;
    stop: () => boolean;
    onProgress: OnProgress;
  }

  function emitter(run: Run, side: Side, target: string) {
    return async (stage: Stage, state: StageState, detail: string | null, wait: number, extra = {}) => {
      await sleep(wait * run.slow);
      if (run.stop()) {
        throw diagnosis({
          code: 'cancelled',
          title: 'Connection cancelled',
          whatHappened: 'You stopped the connection before it finished. Nothing was saved.',
          whatToDo: 'Check the settings and try again when you are ready.',
        });
      }
      run.onProgress({ side, stage, state, target, detail, current: null, total: null, elapsedMs: Date.now() - run.started, ...extra });
    };
  }

  /** What the server presents, and whether (and why) verification refuses it. */
  function presented(local: string, side: Side, host: string, port: number): { cert: CertificateInfo; code: DiagnosisCode | null } {
    const key = `${host}:${port}`;
    const mine = side === 'outgoing' ? local === 'smtpcert' : ['cert', 'expired', 'wronghost', 'changed'].includes(local);
    if (!mine) return { cert: certificate(host, host, { issuer: 'CN=Demo Public CA', selfSigned: false }), code: null };
    if (local === 'expired') {
      return {
        cert: certificate(host, `${host}/expired`, { issuer: 'CN=Demo Public CA', selfSigned: false, notBefore: '2023-03-01T00:00:00Z', notAfter: '2024-03-01T00:00:00Z' }),
        code: 'certificate_expired',
      };
    }
    if (local === 'wronghost') {
      return {
        cert: certificate(`mail.hosting-provider.example`, `${host}/wrong`, { issuer: 'CN=Demo Public CA', selfSigned: false, names: ['mail.hosting-provider.example', '*.hosting-provider.example'] }),
        code: 'certificate_wrong_host',
      };
    }
    if (local === 'changed') {
      const n = handshakes.get(key) ?? 0;
      handshakes.set(key, n + 1);
      return { cert: certificate(host, n === 0 ? `${host}/old` : `${host}/new`), code: 'certificate_untrusted' };
    }
    return { cert: certificate(host, `${host}/self`), code: 'certificate_untrusted' };
  }

  async function handshake(run: Run, side: Side, endpoint: Endpoint, pins: readonly TrustedCertificate[], emit: ReturnType<typeof emitter>) {
    const { host, port } = endpoint;
    const target = `${host}:${port}`;
    const stage: Stage = endpoint.security === 'tls' ? 'tls' : 'starttls';
    await emit(stage, 'started', null, 50);
    const { cert, code } = presented(run.local, side, host, port);
    const pin = pins.find((p) => p.port === port && p.host.toLowerCase() === host.toLowerCase());
    if (pin) {
      if (pin.sha256Fingerprint.toLowerCase() === cert.sha256Fingerprint.toLowerCase()) {
        await emit(stage, 'done', 'TLSv1.3, the certificate you trusted', 300);
        return;
      }
      await emit(stage, 'failed', null, 300);
      throw diagnosis({
        code: 'certificate_changed',
        title: 'The server’s certificate has changed',
        whatHappened: `${target} presented a different certificate from the one you chose to trust. This can be a routine renewal, or someone intercepting the connection.`,
        whatToDo: 'Do not continue until you know why: ask your administrator or provider whether they replaced the certificate. If they did, remove the old trusted certificate and trust the new one after comparing its fingerprint.',
        stage: 'tls',
        evidence: [`trusted fingerprint: ${pin.sha256Fingerprint}`],
        certificate: cert,
        trustedFingerprint: pin.sha256Fingerprint,
        side,
      });
    }
    if (code) {
      await emit(stage, 'failed', null, 300);
      const [title, happened, todo] = CERT_TEXT[code] ?? CERT_TEXT.certificate_untrusted!;
      throw diagnosis({
        code,
        title,
        whatHappened: `${target} ${happened}`,
        whatToDo: todo,
        stage: 'tls',
        evidence: [`${target}: TLS handshake refused the certificate (${code === 'certificate_untrusted' ? 'UnknownIssuer' : code === 'certificate_expired' ? 'Expired' : 'NotValidForName'})`],
        certificate: cert,
        side,
      });
    }
    await emit(stage, 'done', 'TLSv1.3, certificate verified', 300);
  }

  async function reach(run: Run, side: Side, endpoint: Endpoint, pins: readonly TrustedCertificate[], emit: ReturnType<typeof emitter>, greeting: string, capabilities: string) {
    await emit('resolving', 'started', null, 50);
    await emit('resolving', 'done', '192.0.2.10', 200);
    await emit('connecting', 'started', null, 50);
    await emit('connecting', 'done', `connected to 192.0.2.10:${endpoint.port}`, 250);
    if (endpoint.security === 'tls') await handshake(run, side, endpoint, pins, emit);
    await emit('greeting', 'started', null, 50);
    await emit('greeting', 'done', greeting, 150);
    await emit('capabilities', 'started', null, 50);
    await emit('capabilities', 'done', capabilities, 150);
    if (endpoint.security === 'starttls') await handshake(run, side, endpoint, pins, emit);
  }

  async function incoming(run: Run, request: ConnectRequest): Promise<ConnectReport> {
    const { email, incoming: settings, trustedCertificates } = request.settings;
    const { host, port, security } = settings.endpoint;
    const target = `${host}:${port}`;
    const emit = emitter(run, 'incoming', target);
    const pop3 = settings.protocol === 'pop3';
    const domain = email.split('@')[1] ?? 'example.com';
    // POP3: look for IMAP at the same provider while checking.
    const lookup = pop3
      ? (async () => {
          const imapTarget = `imap.${domain}:993`;
          const look = emitter(run, 'incoming', imapTarget);
          await look('looking_for_imap', 'started', null, 300);
          if (run.local === 'pop') {
            await look('looking_for_imap', 'done', `found IMAP at ${imapTarget}`, 700);
            return { host: `imap.${domain}`, port: 993, security: 'tls' } satisfies Endpoint;
          }
          await look('looking_for_imap', 'done', 'none found', 700);
          return null;
        })().catch(() => null)
      : Promise.resolve(null);
    await reach(run, 'incoming', settings.endpoint, trustedCertificates, emit, pop3 ? '+OK POP3 server ready' : 'IMAP4rev1 Service Ready', pop3 ? 'USER UIDL TOP SASL PLAIN' : 'IMAP4rev1 SPECIAL-USE IDLE AUTH=PLAIN');
    const local = email.split('@')[0];
    const user = settings.username ?? email;
    await emit('signing_in', 'started', `as ${user}`, 50);
    if (run.local === 'wrong') {
      await emit('signing_in', 'update', `refused as ${user}`, 400);
      await emit('signing_in', 'started', `as ${local}`, 50);
      await emit('signing_in', 'failed', null, 400);
      throw diagnosis({
        code: 'authentication_failed',
        title: 'The server refused the password',
        whatHappened: `${host} answered that the username or password is wrong. Inlet tried ${email} and ${local}.`,
        whatToDo: 'Type the password again. If you recently changed it, use the new one. If your account uses two-step verification, create an app password and use that instead.',
        providerHint: request.settings.kind === 'gmail' ? 'Gmail needs an app password when 2-Step Verification is on: Google Account → Security → App passwords.' : null,
        stage: 'signing_in',
        evidence: [`${target}: a1 NO [AUTHENTICATIONFAILED] Authentication failed.`, `usernames tried: ${email}, ${local}`],
        side: 'incoming',
      });
    }
    await emit('signing_in', 'done', `signed in as ${user}`, 400);
    if (pop3) {
      await emit('checking_mailbox', 'started', null, 50);
      await emit('checking_mailbox', 'done', '42 messages (3,481,220 bytes)', 300);
      const alternative = await lookup;
      return {
        protocol: 'pop3',
        address: `192.0.2.10:${port}`,
        usernameUsed: user,
        encrypted: security !== 'none',
        capabilities: ['USER', 'UIDL', 'TOP'],
        folders: { delimiter: null, folders: [folder('INBOX', 'inbox', { messages: 42, unseen: null })] },
        messageCount: 42,
        imapAlternative: alternative,
        outgoing: null,
        elapsedMs: 0,
      };
    }
    const folders = run.local === 'big' ? bigFolders() : demoFolders();
    await emit('listing_folders', 'started', null, 50);
    const total = folders.length;
    for (let n = Math.min(1200, total); n < total; n += 1200) {
      await emit('listing_folders', 'update', `${n} so far`, 200, { current: n, total: null });
    }
    await emit('listing_folders', 'done', `${total} folders`, 200);
    return {
      protocol: 'imap',
      address: `192.0.2.10:${port}`,
      usernameUsed: user,
      encrypted: security !== 'none',
      capabilities: ['IMAP4rev1', 'SPECIAL-USE', 'IDLE'],
      folders: { delimiter: '/', folders },
      messageCount: null,
      imapAlternative: null,
      outgoing: null,
      elapsedMs: 0,
    };
  }

  async function outgoing(run: Run, request: ConnectRequest, test: boolean): Promise<OutgoingReport | null> {
    const settings = request.settings.outgoing;
    if (!settings) return null;
    const { host, port, security } = settings.endpoint;
    const target = `${host}:${port}`;
    const emit = emitter(run, 'outgoing', target);
    await sleep(120);
    await reach(run, 'outgoing', settings.endpoint, request.settings.trustedCertificates, emit, `220 ${host} ESMTP ready`, 'EHLO: PIPELINING SIZE 35882577 STARTTLS AUTH PLAIN LOGIN');
    const user = settings.username ?? request.settings.incoming.username ?? request.settings.email;
    await emit('signing_in', 'started', `as ${user}`, 50);
    if (run.local === 'smtpwrong') {
      await emit('signing_in', 'failed', null, 500);
      throw diagnosis({
        code: 'authentication_failed',
        title: 'The outgoing server refused the password',
        whatHappened: `${host} answered that the username or password is wrong for sending mail.`,
        whatToDo: settings.samePassword
          ? 'Some providers use a separate password for sending: untick “Same password as incoming” and type it, or check the outgoing username.'
          : 'Type the outgoing password again, or check the outgoing username.',
        stage: 'signing_in',
        evidence: [`${target}: 535 5.7.8 Error: authentication failed`, `usernames tried: ${user}`],
        side: 'outgoing',
      });
    }
    await emit('signing_in', 'done', `signed in as ${user}`, 400);
    if (test) {
      await emit('sending_test_message', 'started', `to ${request.settings.email}`, 50);
      if (run.local === 'sendfail') {
        await emit('sending_test_message', 'failed', null, 600);
        throw diagnosis({
          code: 'server_refused',
          title: 'The outgoing server refused the test message',
          whatHappened: `${host} accepted your sign-in but would not send the message.`,
          whatToDo: 'Your provider may limit sending from new apps or addresses. Check their help pages or ask them, then try again.',
          stage: 'sending_test_message',
          evidence: [`${target}: 554 5.7.1 Message rejected: sending from this address is not allowed`],
          side: 'outgoing',
        });
      }
      await emit('sending_test_message', 'done', 'accepted for delivery', 600);
    }
    return {
      address: `192.0.2.11:${port}`,
      usernameUsed: user,
      encrypted: security !== 'none',
      extensions: ['PIPELINING', 'SIZE', 'STARTTLS', 'AUTH'],
      authMechanisms: ['PLAIN', 'LOGIN'],
    };
  }

  function newRun(request: ConnectRequest, onProgress: OnProgress): Run {
    const local = request.settings.email.split('@')[0].toLowerCase();
    let stop = false;
    cancelled = () => {
      stop = true;
    };
    return { local, slow: local === 'slow' ? 6 : 1, started: Date.now(), stop: () => stop, onProgress };
  }

  async function connect(request: ConnectRequest, onProgress: OnProgress): Promise<ConnectReport> {
    const run = newRun(request, onProgress);
    // Both servers at once, like the engine; the incoming server's failure is the one reported.
    const [inResult, outResult] = await Promise.allSettled([incoming(run, request), outgoing(run, request, false)]);
    cancelled = null;
    if (inResult.status === 'rejected') throw inResult.reason;
    if (outResult.status === 'rejected') throw outResult.reason;
    return { ...inResult.value, outgoing: outResult.value, elapsedMs: Date.now() - run.started };
  }

  return {
    ...createDemoSignIn(),
    ...createDemoReport(),
    async discoverSettings(request, onEvent) {
      let stop = false;
      discoveryCancelled = () => {
        stop = true;
      };
      return demoDiscover(request, onEvent, () => stop);
    },
    async cancelDiscovery() {
      discoveryCancelled?.();
    },
    connectMailbox: connect,
    async cancelConnect() {
      cancelled?.();
    },
    async sendTestMessage(request, onProgress) {
      const run = newRun(request, onProgress);
      run.stop = () => false;
      await outgoing(run, request, true);
    },
    async saveMailbox(request, onProgress) {
      const started = Date.now();
      const progress = (state: StageState) =>
        onProgress({ side: 'incoming', stage: 'saving', state, target: null, detail: null, current: null, total: null, elapsedMs: Date.now() - started });
      progress('started');
      await sleep(500);
      if (request.settings.email.toLowerCase().startsWith('locked@')) {
        progress('failed');
        throw diagnosis({
          code: 'keychain_locked',
          title: 'Your keychain is locked',
          whatHappened: 'Inlet keeps your password in the system keychain, and the keychain is locked. Nothing was saved.',
          whatToDo: 'Unlock the keychain (your login password usually does it), then press Save again.',
          stage: 'saving',
          evidence: ['Secret Service: the collection "login" is locked'],
        });
      }
      const record: MailboxRecord = {
        id: nextId++,
        settings: request.settings,
        folders: request.folders,
        status: status({
          lastCheckAt: Date.now(),
          lastSuccessAt: Date.now(),
          lastOutgoingSuccessAt: request.settings.outgoing ? Date.now() : null,
        }),
        createdAt: Date.now(),
        grant: 'oauth2' in request.credentials ? request.credentials.oauth2 : null,
        name: null,
        description: null,
        isDefault: saved.length === 0,
        modifiedAt: Date.now(),
        modifiedBy: null,
      };
      saved = [...saved, record];
      progress('done');
      return record;
    },
    async startupProblem() {
      return null;
    },
    // Without the engine, a rough stand-in for its check: enough to see the error under the field.
    async checkAddress(email) {
      const value = email.trim();
      if (value === '') return { problem: 'Type your email address.' };
      return { problem: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? null : 'An email address looks like name@example.com.' };
    },
    async listMailboxes() {
      await sleep(150);
      return saved;
    },
    async reconnectWithSignIn(id, onEvent) {
      onEvent({
        kind: 'browserOpened',
        url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=inlet-demo',
        opened: true,
        deadlineAtMs: Date.now() + 5 * 60_000,
      });
      await sleep(2000);
      onEvent({ kind: 'exchanging' });
      await sleep(300);
      const m = saved.find((x) => x.id === id);
      if (!m) throw new Error(`no mailbox ${id}`);
      return m;
    },
    async removeMailbox(id, _erase) {
      await sleep(300);
      saved = saved.filter((m) => m.id !== id);
    },
    async removeTrustedCertificate(id, host, port) {
      await sleep(150);
      const m = saved.find((x) => x.id === id);
      if (!m) throw new Error(`no mailbox ${id}`);
      const updated = {
        ...m,
        settings: {
          ...m.settings,
          trustedCertificates: m.settings.trustedCertificates.filter((t) => !(t.host === host && t.port === port)),
        },
      };
      saved = saved.map((x) => (x.id === id ? updated : x));
      return updated;
    },
    // The mailbox actions. "wrong" as the new password is refused, as a server would.
    async updatePassword(id, password) {
      await sleep(900);
      const m = find(id);
      if (password === 'wrong') {
        throw diagnosis({
          code: 'authentication_failed',
          title: 'The server refused the password',
          whatHappened: `${m.settings.incoming.endpoint.host} refused the new password. The old one is still saved.`,
          whatToDo: 'Check the password (Caps Lock, keyboard layout) and type it again.',
          stage: 'signing_in',
          side: 'incoming',
          evidence: ['A002 NO [AUTHENTICATIONFAILED] Authentication failed.'],
        });
      }
      return touch(id, { status: { ...m.status, enabled: true, lastErrorCode: null, lastErrorTitle: null, consecutiveErrors: 0, lastCheckAt: Date.now(), lastSuccessAt: Date.now() } });
    },
    async reconnectMailbox(id) {
      await sleep(900);
      const m = find(id);
      return touch(id, { status: { ...m.status, lastCheckAt: Date.now(), lastSuccessAt: Date.now() } });
    },
    async loadMailboxFolders(id) {
      await sleep(600);
      find(id);
      return { delimiter: '/', folders: demoFolders() };
    },
    async setMailboxFolders(id, names) {
      await sleep(500);
      const all = demoFolders();
      const folders = names.map((rawName) => {
        const f = all.find((x) => x.rawName === rawName);
        return { rawName, path: f?.path ?? rawName, role: f?.role ?? null };
      });
      return touch(id, { folders });
    },
    async editMailboxSettings(id, edit) {
      await sleep(900);
      const m = find(id);
      const i = m.settings.incoming;
      if (edit.incoming.port !== null && edit.incoming.port !== 993 && edit.incoming.port !== 143) {
        throw diagnosis({
          code: 'connection_refused',
          title: 'The server refused the connection',
          whatHappened: `Nothing answers on port ${edit.incoming.port} of ${edit.incoming.host ?? i.endpoint.host}. The saved settings stay as they were.`,
          whatToDo: 'Check the port number: IMAP over TLS is usually 993.',
          stage: 'connecting',
          side: 'incoming',
        });
      }
      const incoming = {
        ...i,
        endpoint: {
          host: edit.incoming.host ?? i.endpoint.host,
          port: edit.incoming.port ?? i.endpoint.port,
          security: edit.incoming.security ?? i.endpoint.security,
        },
        username: edit.incoming.username === null ? i.username : edit.incoming.username || null,
      };
      return touch(id, { settings: { ...m.settings, incoming } });
    },
    ...createDemoStatus({
      get: () => saved,
      set: (next) => (saved = next),
    }),
  };

  function find(id: number): MailboxRecord {
    const m = saved.find((x) => x.id === id);
    if (!m) throw new Error(`no mailbox ${id}`);
    return m;
  }

  function touch(id: number, change: Partial<MailboxRecord>): MailboxRecord {
    const updated = { ...find(id), ...change, modifiedAt: Date.now() };
    saved = saved.map((x) => (x.id === id ? updated : x));
    return updated;
  }
}
