// Test doubles: a scriptable InletApi and builders for the engine's types.

import { vi } from 'vitest';
import type { InletApi, OnDiscoveryEvent, OnProgress } from '../lib/api';
import type { ConfigProblem } from '../lib/bindings/ConfigProblem';
import type { Candidate } from '../lib/bindings/Candidate';
import type { CertificateInfo } from '../lib/bindings/CertificateInfo';
import type { ConnectReport } from '../lib/bindings/ConnectReport';
import type { ConnectRequest } from '../lib/bindings/ConnectRequest';
import type { Diagnosis } from '../lib/bindings/Diagnosis';
import type { DiscoverRequest } from '../lib/bindings/DiscoverRequest';
import type { Discovery } from '../lib/bindings/Discovery';
import type { DiscoveryEvent } from '../lib/bindings/DiscoveryEvent';
import type { Folder } from '../lib/bindings/Folder';
import type { FolderRole } from '../lib/bindings/FolderRole';
import type { FolderTree } from '../lib/bindings/FolderTree';
import type { SettingsEdit } from '../lib/bindings/SettingsEdit';
import type { MailboxRecord } from '../lib/bindings/MailboxRecord';
import type { MailboxCheck } from '../lib/bindings/MailboxCheck';
import type { CheckRecord } from '../lib/bindings/CheckRecord';
import type { PolicySummary } from '../lib/bindings/PolicySummary';
import type { ProgressEvent } from '../lib/bindings/ProgressEvent';
import type { OAuth2Grant } from '../lib/bindings/OAuth2Grant';
import type { SaveRequest } from '../lib/bindings/SaveRequest';
import type { OnSignInEvent, ReportFormat, ReportKind } from '../lib/api';
import type { SignInOption } from '../lib/bindings/SignInOption';
import type { SignInRequest } from '../lib/bindings/SignInRequest';

export function folder(rawName: string, extra: Partial<Folder> = {}, role: FolderRole | null = null): Folder {
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
    messages: 10,
    unseen: 0,
    ...extra,
  };
}

export function smallTree(): Folder[] {
  return [
    folder('INBOX', { name: 'Inbox' }, 'inbox'),
    folder('Archive', {}, 'archive'),
    folder('Projects', { selectable: false, hasChildren: true }),
    folder('Projects/Alpha', { hasChildren: true }),
    folder('Projects/Alpha/Invoices'),
    folder('Projects/Beta'),
    folder('Sent', {}, 'sent'),
    folder('Shared', { placeholder: true, selectable: false, hasChildren: true }),
    folder('Shared/Support'),
  ];
}

/** INBOX plus `count - 1` folders in groups of 20, every tenth group's parent a placeholder. */
export function hugeTree(count: number): Folder[] {
  const out: Folder[] = [folder('INBOX', { name: 'Inbox' }, 'inbox')];
  for (let g = 0; out.length < count; g++) {
    const top = `Group ${g}`;
    out.push(folder(top, { placeholder: g % 10 === 0, selectable: g % 10 !== 0, hasChildren: true }));
    for (let i = 0; i < 19 && out.length < count; i++) out.push(folder(`${top}/Item ${i}`));
  }
  return out;
}

export function report(folders: Folder[] = smallTree(), usernameUsed = 'alice', extra: Partial<ConnectReport> = {}): ConnectReport {
  return {
    protocol: 'imap',
    address: '127.0.0.1:993',
    usernameUsed,
    encrypted: true,
    capabilities: ['IMAP4rev1'],
    folders: { delimiter: '/', folders },
    messageCount: null,
    imapAlternative: null,
    outgoing: null,
    elapsedMs: 120,
    ...extra,
  };
}

/** What the engine answers for a POP3 mailbox: only the inbox, and the messages waiting. */
export function pop3Report(messageCount = 42, extra: Partial<ConnectReport> = {}): ConnectReport {
  return report([folder('INBOX', { name: 'INBOX', messages: messageCount, unseen: null }, 'inbox')], 'alice', {
    protocol: 'pop3',
    address: '127.0.0.1:995',
    capabilities: ['USER', 'UIDL'],
    messageCount,
    ...extra,
  });
}

export function outgoingReport(usernameUsed = 'alice'): NonNullable<ConnectReport['outgoing']> {
  return {
    address: '127.0.0.1:587',
    usernameUsed,
    encrypted: true,
    extensions: ['STARTTLS', 'AUTH PLAIN LOGIN'],
    authMechanisms: ['PLAIN', 'LOGIN'],
  };
}

export function certificate(extra: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=imap.example.com',
    issuer: 'CN=imap.example.com',
    notBefore: '2025-01-01T00:00:00Z',
    notAfter: '2035-01-01T00:00:00Z',
    sha256Fingerprint: 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
    names: ['imap.example.com'],
    selfSigned: true,
    ...extra,
  };
}

export function diagnosis(partial: Partial<Diagnosis> = {}): Diagnosis {
  return {
    code: 'authentication_failed',
    title: 'The server refused the password',
    whatHappened: 'imap.example.com answered that the username or password is wrong.',
    whatToDo: 'Type the password again.',
    // As the engine does: the steps are the advice, one per sentence.
    steps: partial.whatToDo ? [partial.whatToDo] : ['Type the password again.'],
    whoActs: 'you',
    providerHint: null,
    stage: 'signing_in',
    evidence: ['imap.example.com:993: a1 NO [AUTHENTICATIONFAILED]'],
    certificate: null,
    trustedFingerprint: null,
    side: 'incoming',
    ...partial,
  };
}

export function event(partial: Partial<ProgressEvent> & Pick<ProgressEvent, 'stage' | 'state'>): ProgressEvent {
  return { side: 'incoming', target: 'imap.example.com:993', detail: null, current: null, total: null, elapsedMs: 0, ...partial };
}

/** A candidate server as discovery proposes it: verified, from the domain's own configuration. */
export function candidate(host = 'imap.example.com', port = 993, extra: Partial<Candidate> = {}): Candidate {
  const protocol = extra.protocol ?? (host.startsWith('smtp') ? 'smtp' : host.startsWith('pop') ? 'pop3' : 'imap');
  return {
    protocol,
    endpoint: { host, port, security: 'tls' },
    username: 'alice@example.com',
    auth: ['password_cleartext'],
    source: 'autoconfig',
    foundBy: 'from example.com’s own configuration',
    needsConfirmation: null,
    verification: {
      verified: true,
      elapsedMs: 40,
      detail: `${protocol.toUpperCase()} server answered over TLS; sign-in: PLAIN, LOGIN`,
      authMechanisms: ['PLAIN', 'LOGIN'],
      password: true,
      oauth2: false,
      certificateProblem: false,
    },
    signIn: 'password',
    ...extra,
  };
}

/** What discovery answers for alice@example.com: IMAP and SMTP from the domain's configuration. */
export function discovery(extra: Partial<Discovery> = {}): Discovery {
  return {
    email: 'alice@example.com',
    domain: 'example.com',
    kind: 'imap',
    provider: null,
    incoming: [candidate('imap.example.com', 993)],
    outgoing: [candidate('smtp.example.com', 465)],
    hints: [],
    redirects: [],
    sources: [
      { source: 'provider', label: 'Known providers', status: 'not_found', elapsedMs: 0, summary: 'example.com is not a provider we know' },
      { source: 'autoconfig', label: 'The domain’s configuration', status: 'found', elapsedMs: 80, summary: 'IMAP imap.example.com:993, SMTP smtp.example.com:465' },
      { source: 'guess', label: 'Trying usual server names', status: 'cancelled', elapsedMs: 90, summary: 'stopped: a better answer was already there' },
    ],
    trace: [
      { source: 'autoconfig', query: 'GET https://autoconfig.example.com/mail/config-v1.1.xml', elapsedMs: 78, status: 'found', outcome: 'a document with 2 servers' },
    ],
    diagnosis: null,
    autodiscoverWantsPassword: false,
    signInOffer: null,
    elapsedMs: 240,
    ...extra,
  };
}

export function discoveryEvent(
  partial: Partial<DiscoveryEvent> & Pick<DiscoveryEvent, 'source'>,
): DiscoveryEvent {
  return { label: partial.source, status: null, detail: null, elapsedMs: 0, checking: [], target: null, ...partial };
}

export function record(
  id: number,
  email: string,
  extra: Partial<MailboxRecord['status']> = {},
  settings: Partial<MailboxRecord['settings']> = {},
): MailboxRecord {
  return {
    id,
    settings: {
      kind: 'imap',
      email,
      incoming: {
        protocol: 'imap',
        endpoint: { host: 'imap.example.com', port: 993, security: 'tls' },
        username: email,
        auth: 'password',
        allowPlaintextPassword: false,
      },
      outgoing: null,
      trustedCertificates: [],
      ...settings,
    },
    folders: [{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }],
    status: {
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
    },
    createdAt: 0,
    grant: null,
    name: null,
    description: null,
    isDefault: false,
    modifiedAt: null,
    modifiedBy: null,
  };
}

/** A grant as the engine hands it over: where the refresh token is kept, never a token. */
export function grant(extra: Partial<OAuth2Grant> = {}): OAuth2Grant {
  return {
    issuer: 'https://login.microsoftonline.com/common/v2.0',
    clientId: 'inlet-test',
    refreshTokenEntry: 'oauth2 alice@example.com',
    ...extra,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * An InletApi whose calls stay pending until the test settles them, so each state in between
 * can be looked at. `connects` and `saves` hold the calls in order.
 */
export class FakeApi implements InletApi {
  discoveries: { request: DiscoverRequest; onEvent: OnDiscoveryEvent; result: Deferred<Discovery> }[] = [];
  connects: { request: ConnectRequest; onProgress: OnProgress; result: Deferred<ConnectReport> }[] = [];
  saves: { request: SaveRequest; onProgress: OnProgress; result: Deferred<MailboxRecord> }[] = [];
  tests: { request: ConnectRequest; onProgress: OnProgress; result: Deferred<void> }[] = [];
  signIns: { request: SignInRequest; onEvent: OnSignInEvent; result: Deferred<OAuth2Grant> }[] = [];
  /** What sign_in_options answers: both providers set up. */
  options: SignInOption[] = [
    { provider: 'google', available: true, whyNot: null },
    { provider: 'microsoft', available: true, whyNot: null },
  ];
  mailboxes: MailboxRecord[] = [];
  listError: unknown = null;
  /** What startupProblem answers: null when the engine started. */
  configProblem: ConfigProblem | null = null;

  startupProblem = vi.fn(async () => this.configProblem);
  /**
   * What the engine says about an address (trimmed), standing in for `check_address`; any
   * other non-empty address is fine.
   */
  addressProblems: Record<string, string> = {
    '': 'Type your email address.',
    alice: 'An email address looks like name@example.com.',
    'left over': 'An email address looks like name@example.com.',
  };
  checkAddress = vi.fn(async (email: string) => ({ problem: this.addressProblems[email.trim()] ?? null }));
  /** When true, cancelConnect rejects the pending connect with "cancelled", as the engine does. */
  cancelRejects = true;

  /** Rejects the pending discovery with "cancelled", as the engine does. */
  cancelDiscovery = vi.fn(async () => {
    this.discoveries.at(-1)?.result.reject(diagnosis({ code: 'cancelled', title: 'Cancelled', stage: null, evidence: [] }));
  });

  cancelConnect = vi.fn(async () => {
    const last = this.connects.at(-1);
    if (this.cancelRejects && last) last.result.reject(diagnosis({ code: 'cancelled', title: 'Cancelled', stage: null, evidence: [] }));
  });

  signInOptions = vi.fn(async () => this.options);

  /** Rejects the pending sign-in with "cancelled", as the engine does. */
  cancelSignIn = vi.fn(async () => {
    this.signIns.at(-1)?.result.reject(diagnosis({ code: 'cancelled', title: 'Sign-in cancelled', stage: null, evidence: [] }));
  });

  /** What last_report answers (per format), standing in for the engine's help-desk report. */
  reportText: Record<ReportFormat, string> = {
    markdown: '# Inlet help-desk report\n\n| Stage | Started (ms) | Took (ms) |',
    json: '{"attempts":[]}',
  };
  lastReport = vi.fn(async (format: ReportFormat, masked: boolean, _kind?: ReportKind) =>
    masked ? `${this.reportText[format]}\n(masked)` : this.reportText[format],
  );
  saveReport = vi.fn(
    async (format: ReportFormat, _masked: boolean, _kind?: ReportKind) =>
      `/home/alice/Downloads/inlet-report-20250102-030405.${format === 'json' ? 'json' : 'md'}`,
  );
  openHelpPage = vi.fn(async (_url: string) => true);

  signIn(request: SignInRequest, onEvent: OnSignInEvent): Promise<OAuth2Grant> {
    const result = deferred<OAuth2Grant>();
    this.signIns.push({ request, onEvent, result });
    return result.promise;
  }

  get lastSignIn() {
    const last = this.signIns.at(-1);
    if (!last) throw new Error('no sign_in call');
    return last;
  }

  reconnects: { id: number; onEvent: OnSignInEvent; result: Deferred<MailboxRecord> }[] = [];

  reconnectWithSignIn(id: number, onEvent: OnSignInEvent): Promise<MailboxRecord> {
    const result = deferred<MailboxRecord>();
    this.reconnects.push({ id, onEvent, result });
    return result.promise;
  }

  removeMailbox = vi.fn(async (id: number) => {
    this.mailboxes = this.mailboxes.filter((m) => m.id !== id);
  });

  removeTrustedCertificate = vi.fn(async (id: number, host: string, port: number) => {
    const m = this.mailboxes.find((x) => x.id === id);
    if (!m) throw new Error(`no mailbox ${id}`);
    const updated = {
      ...m,
      settings: {
        ...m.settings,
        trustedCertificates: m.settings.trustedCertificates.filter((t) => !(t.host === host && t.port === port)),
      },
    };
    this.mailboxes = this.mailboxes.map((x) => (x.id === id ? updated : x));
    return updated;
  });

  discoverSettings(request: DiscoverRequest, onEvent: OnDiscoveryEvent): Promise<Discovery> {
    const result = deferred<Discovery>();
    this.discoveries.push({ request, onEvent, result });
    return result.promise;
  }

  connectMailbox(request: ConnectRequest, onProgress: OnProgress): Promise<ConnectReport> {
    const result = deferred<ConnectReport>();
    this.connects.push({ request, onProgress, result });
    return result.promise;
  }

  saveMailbox(request: SaveRequest, onProgress: OnProgress): Promise<MailboxRecord> {
    const result = deferred<MailboxRecord>();
    this.saves.push({ request, onProgress, result });
    return result.promise;
  }

  sendTestMessage(request: ConnectRequest, onProgress: OnProgress): Promise<void> {
    const result = deferred<void>();
    this.tests.push({ request, onProgress, result });
    return result.promise;
  }

  async listMailboxes(): Promise<MailboxRecord[]> {
    if (this.listError) throw this.listError;
    return this.mailboxes;
  }

  get lastDiscovery() {
    const last = this.discoveries.at(-1);
    if (!last) throw new Error('no discover_settings call');
    return last;
  }

  get lastConnect() {
    const last = this.connects.at(-1);
    if (!last) throw new Error('no connect_mailbox call');
    return last;
  }

  get lastTest() {
    const last = this.tests.at(-1);
    if (!last) throw new Error('no send_test_message call');
    return last;
  }

  get lastSave() {
    const last = this.saves.at(-1);
    if (!last) throw new Error('no save_mailbox call');
    return last;
  }

  // The mailbox actions (mailbox-actions.svelte.ts): each answers with the updated record by
  // default; a test makes one fail with mockRejectedValueOnce(diagnosis(...)).
  #saved(id: number): MailboxRecord {
    const m = this.mailboxes.find((x) => x.id === id);
    if (!m) throw new Error(`no mailbox ${id}`);
    return m;
  }
  updatePassword = vi.fn(async (id: number, _password: string) => this.#saved(id));
  reconnectMailbox = vi.fn(async (id: number) => this.#saved(id));
  /** What load_mailbox_folders answers. */
  folderTree: FolderTree = { delimiter: '/', folders: [folder('INBOX', {}, 'inbox'), folder('Archive', {}, 'archive'), folder('Work')] };
  loadMailboxFolders = vi.fn(async (_id: number) => this.folderTree);
  setMailboxFolders = vi.fn(async (id: number, names: string[]) => {
    const updated = { ...this.#saved(id), folders: names.map((rawName) => ({ rawName, path: rawName, role: null })) };
    this.mailboxes = this.mailboxes.map((x) => (x.id === id ? updated : x));
    return updated;
  });
  editMailboxSettings = vi.fn(async (id: number, _edit: SettingsEdit) => this.#saved(id));
  // The status side of the mailbox list (mailbox-status.svelte.ts).
  /** What policy_summary answers: adding allowed. */
  policy: PolicySummary = policySummary();
  /** Each mailbox's recent checks, newest first. */
  histories = new Map<number, CheckRecord[]>();
  /** What the next check_mailbox answers for a mailbox; by default a success. */
  nextChecks = new Map<number, MailboxCheck>();
  /** The listener of scheduled checks, to play one. */
  checkListener: ((check: MailboxCheck) => void) | null = null;

  #store(updated: MailboxRecord): MailboxRecord {
    this.mailboxes = this.mailboxes.map((x) => (x.id === updated.id ? updated : x));
    return updated;
  }

  #find(id: number): MailboxRecord {
    const m = this.mailboxes.find((x) => x.id === id);
    if (!m) throw diagnosis({ code: 'mailbox_not_found', title: 'No such mailbox' });
    return m;
  }

  mailboxDetails = vi.fn(async (id: number) => ({ mailbox: this.#find(id), history: this.histories.get(id) ?? [] }));
  checkMailbox = vi.fn(async (id: number) => {
    const m = this.#find(id);
    const check = this.nextChecks.get(id) ?? successfulCheck(m);
    this.#store({ ...m, status: check.status });
    this.histories.set(id, [
      ...check.sides.map((s) => ({ at: check.status.lastCheckAt ?? 0, side: s.side, outcome: s.outcome, durationMs: s.durationMs, code: s.diagnosis?.code ?? null })),
      ...(this.histories.get(id) ?? []),
    ]);
    return check;
  });
  checkAll = vi.fn(async () => {
    const checks: MailboxCheck[] = [];
    for (const m of this.mailboxes.filter((x) => x.status.enabled)) checks.push(await this.checkMailbox(m.id));
    return checks;
  });
  setMailboxEnabled = vi.fn(async (id: number, enabled: boolean) => {
    const m = this.#find(id);
    return this.#store({ ...m, status: { ...m.status, enabled, badge: enabled ? 'working' : 'disabled' } });
  });
  setDefaultMailbox = vi.fn(async (id: number) => {
    this.mailboxes = this.mailboxes.map((x) => ({ ...x, isDefault: x.id === id }));
    return this.#find(id);
  });
  describeMailbox = vi.fn(async (id: number, name: string | null, description: string | null) =>
    this.#store({ ...this.#find(id), name, description }),
  );
  policySummary = vi.fn(async () => this.policy);
  mailboxReport = vi.fn(async (id: number, format: ReportFormat, masked: boolean) =>
    `report of ${id} (${format}${masked ? ', masked' : ''})`,
  );
  saveMailboxReport = vi.fn(async (_id: number, format: ReportFormat, _masked: boolean) => `/home/ann/Downloads/inlet-report.${format === 'json' ? 'json' : 'md'}`);
  onMailboxChecked = vi.fn(async (listener: (check: MailboxCheck) => void) => {
    this.checkListener = listener;
    return () => {
      this.checkListener = null;
    };
  });
}

/** A policy summary; adding and removing allowed unless `extra` says otherwise. */
export function policySummary(extra: Partial<PolicySummary> = {}): PolicySummary {
  return {
    mayAdd: true,
    mayRemove: true,
    whyNotAdd: null,
    whyNotRemove: null,
    allowedTypes: ['gmail', 'microsoft365', 'exchange', 'imap', 'pop3'],
    minTlsVersion: '1.2',
    errorThresholds: { incoming: 5, outgoing: 5 },
    checkInterval: { minMinutes: 0, maxMinutes: 1440 },
    ...extra,
  };
}

/** The check of `m` that worked, now. */
export function successfulCheck(m: MailboxRecord, at = Date.now()): MailboxCheck {
  return {
    id: m.id,
    email: m.settings.email,
    sides: [{ side: 'incoming', outcome: 'success', durationMs: 120, diagnosis: null }],
    status: { ...m.status, lastCheckAt: at, lastSuccessAt: at, consecutiveErrors: 0, badge: m.status.enabled ? 'working' : 'disabled' },
    disabledNow: false,
  };
}

/** Let pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}
