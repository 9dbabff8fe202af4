// A canned InletApi for looking at the wizard in a plain browser (`npm run build && npm run
// preview`). main.ts loads it only when the Tauri internals are missing, so the real app never
// does. Addresses steer the scenario:
//   anything@…        succeeds with a small folder tree
//   wrong@…           the password is refused
//   cert@…            an untrusted (self-signed) certificate
//   big@…             10,000 folders
//   slow@…            slow enough to try Cancel (Escape)
//   locked@…          connects, but saving finds the keychain locked
// Open with ?list to start with two saved mailboxes.

import type { InletApi, OnProgress } from './api';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { Diagnosis } from './bindings/Diagnosis';
import type { Folder } from './bindings/Folder';
import type { FolderRole } from './bindings/FolderRole';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { Stage } from './bindings/Stage';
import type { StageState } from './bindings/StageState';

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

function diagnosis(partial: Partial<Diagnosis> & Pick<Diagnosis, 'code' | 'title'>): Diagnosis {
  return {
    whatHappened: '',
    whatToDo: '',
    providerHint: null,
    stage: null,
    evidence: [],
    certificate: null,
    ...partial,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDemoApi(options: { seedList?: boolean } = {}): InletApi {
  let cancelled: (() => void) | null = null;
  let nextId = 1;
  const now = Date.now();
  let saved: MailboxRecord[] = options.seedList
    ? [
        {
          id: nextId++,
          settings: {
            kind: 'imap',
            email: 'alice@example.com',
            incoming: {
              protocol: 'imap',
              endpoint: { host: 'imap.example.com', port: 993, security: 'tls' },
              username: 'alice@example.com',
              auth: 'password',
              allowPlaintextPassword: false,
            },
          },
          folders: [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }],
          status: {
            enabled: true,
            lastCheckAt: now - 4 * 60_000,
            lastSuccessAt: now - 4 * 60_000,
            lastErrorCode: null,
            lastErrorTitle: null,
            consecutiveErrors: 0,
          },
          createdAt: now - 86_400_000 * 3,
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
          },
          folders: [
            { rawName: 'INBOX', path: 'INBOX', role: 'inbox' },
            { rawName: 'Support', path: 'Support', role: null },
          ],
          status: {
            enabled: true,
            lastCheckAt: now - 90_000,
            lastSuccessAt: now - 2 * 3_600_000,
            lastErrorCode: 'authentication_failed',
            lastErrorTitle: 'The server refused the password',
            consecutiveErrors: 3,
          },
          createdAt: now - 86_400_000 * 20,
        },
      ]
    : [];

  async function run(request: ConnectRequest, onProgress: OnProgress): Promise<ConnectReport> {
    const { email, incoming } = request.settings;
    const local = email.split('@')[0].toLowerCase();
    const { host, port, security } = incoming.endpoint;
    const target = `${host}:${port}`;
    const slow = local === 'slow' ? 6 : 1;
    const started = Date.now();
    let stop = false;
    cancelled = () => {
      stop = true;
    };
    const emit = async (stage: Stage, state: StageState, detail: string | null, wait: number, extra = {}) => {
      await sleep(wait * slow);
      if (stop) throw diagnosis({ code: 'cancelled', title: 'Connection cancelled', whatHappened: 'You stopped the connection before it finished. Nothing was saved.', whatToDo: 'Check the settings and try again when you are ready.' });
      onProgress({ stage, state, target, detail, current: null, total: null, elapsedMs: Date.now() - started, ...extra });
    };
    await emit('resolving', 'started', null, 50);
    await emit('resolving', 'done', '192.0.2.10', 200);
    await emit('connecting', 'started', null, 50);
    await emit('connecting', 'done', 'connected to 192.0.2.10:' + port, 250);
    if (security === 'tls') {
      await emit('tls', 'started', null, 50);
      if (local === 'cert') {
        await emit('tls', 'failed', null, 300);
        throw diagnosis({
          code: 'certificate_untrusted',
          title: 'The server’s certificate is not trusted',
          whatHappened: `${host} presented a certificate that no authority your computer trusts has signed. It is self-signed.`,
          whatToDo: 'If this is your company’s own server, ask your IT team to confirm the fingerprint below, then add their certificate. Otherwise do not continue: someone may be intercepting the connection.',
          stage: 'tls',
          evidence: [`${target}: TLS handshake refused the certificate (UnknownIssuer)`, 'addresses tried: 192.0.2.10'],
          certificate: {
            subject: `CN=${host}`,
            issuer: `CN=${host}`,
            notBefore: '2025-01-10T00:00:00Z',
            notAfter: '2026-01-10T00:00:00Z',
            sha256Fingerprint: '3F:9A:1C:44:0B:7E:D2:91:5A:66:E0:13:8C:42:B7:F9:20:5D:AA:C1:7E:48:93:0F:1B:6C:D4:E2:57:89:3A:BC',
            names: [host],
            selfSigned: true,
          },
        });
      }
      await emit('tls', 'done', 'TLSv1.3, certificate verified', 300);
    }
    await emit('greeting', 'started', null, 50);
    await emit('greeting', 'done', 'IMAP4rev1 Service Ready', 150);
    await emit('capabilities', 'started', null, 50);
    await emit('capabilities', 'done', 'IMAP4rev1 SPECIAL-USE IDLE AUTH=PLAIN', 150);
    if (security === 'starttls') {
      await emit('starttls', 'started', null, 50);
      await emit('starttls', 'done', null, 250);
    }
    const user = incoming.username ?? email;
    await emit('signing_in', 'started', `as ${user}`, 50);
    if (local === 'wrong') {
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
      });
    }
    await emit('signing_in', 'done', `signed in as ${user}`, 400);
    const folders = local === 'big' ? bigFolders() : demoFolders();
    await emit('listing_folders', 'started', null, 50);
    const total = folders.length;
    for (let n = Math.min(1200, total); n < total; n += 1200) {
      await emit('listing_folders', 'update', `${n} so far`, 200, { current: n, total: null });
    }
    await emit('listing_folders', 'done', `${total} folders`, 200);
    cancelled = null;
    return {
      address: `192.0.2.10:${port}`,
      usernameUsed: user,
      encrypted: security !== 'none',
      capabilities: ['IMAP4rev1', 'SPECIAL-USE', 'IDLE'],
      folders: { delimiter: '/', folders },
      elapsedMs: Date.now() - started,
    };
  }

  return {
    connectMailbox: run,
    async cancelConnect() {
      cancelled?.();
    },
    async saveMailbox(request, onProgress) {
      const started = Date.now();
      onProgress({ stage: 'saving', state: 'started', target: null, detail: null, current: null, total: null, elapsedMs: 0 });
      await sleep(500);
      if (request.settings.email.toLowerCase().startsWith('locked@')) {
        onProgress({ stage: 'saving', state: 'failed', target: null, detail: null, current: null, total: null, elapsedMs: Date.now() - started });
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
        status: {
          enabled: true,
          lastCheckAt: Date.now(),
          lastSuccessAt: Date.now(),
          lastErrorCode: null,
          lastErrorTitle: null,
          consecutiveErrors: 0,
        },
        createdAt: Date.now(),
      };
      saved = [...saved, record];
      onProgress({ stage: 'saving', state: 'done', target: null, detail: null, current: null, total: null, elapsedMs: Date.now() - started });
      return record;
    },
    async listMailboxes() {
      await sleep(150);
      return saved;
    },
    async removeMailbox(id) {
      await sleep(300);
      saved = saved.filter((m) => m.id !== id);
    },
  };
}
