// The state of the whole app: which view is shown, the wizard's fields and the mailbox list.
// Components only read it and call its methods, so the flow can be tested without a window.

import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { MailboxKind } from './bindings/MailboxKind';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import type { Side } from './bindings/Side';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import { cancelledProblem, toProblem, type InletApi, type Problem } from './api';
import { chosenFolders, defaultSelection } from './folders';
import { incomingProtocol, kindInfo } from './kinds';
import { applyProgress, interruptRunning, type ProgressRow } from './progress';
import {
  buildConnectRequest,
  buildSaveRequest,
  buildTestRequest,
  incomingEndpoint,
  outgoingEndpoint,
  type WizardForm,
} from './requests';
import { FolderSelection } from './selection.svelte';
import { addPin, canTrust, pinFor, previousFingerprint, removePin, type HostPort } from './trust';
import { accountErrors, defaultPort, emailDomain, isEmpty, outgoingErrors, serverErrors } from './validation';

export type StepId = 'type' | 'account' | 'server' | 'connecting' | 'folders' | 'saved';

/** The numbered steps of the indicator ("Step 2 of 5 · Account"); "saved" comes after them. */
export const STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'type', title: 'Mailbox type' },
  { id: 'account', title: 'Account' },
  { id: 'server', title: 'Servers' },
  { id: 'connecting', title: 'Connect' },
  { id: 'folders', title: 'Folders' },
];

/** The steps for this protocol: POP3 has one inbox, not folders, so its last step says so. */
export function stepsFor(protocol: Protocol): readonly { id: StepId; title: string }[] {
  return protocol === 'pop3' ? STEPS.map((s) => (s.id === 'folders' ? { ...s, title: 'Inbox' } : s)) : STEPS;
}

export interface WizardOptions {
  /** How long to wait for the engine to confirm a cancel before giving up on it. */
  cancelGraceMs?: number;
}

export class Wizard {
  step = $state<StepId>('type');

  kind = $state<MailboxKind>('imap');
  email = $state('');
  password = $state('');
  username = $state('');
  host = $state('');
  /** The user typed the host; otherwise it follows the mailbox type and the address's domain. */
  hostTyped = $state(false);
  port = $state('993');
  /** The user typed the port; otherwise it follows the security choice. */
  portTyped = $state(false);
  security = $state<Security>('tls');
  plaintextConfirmed = $state(false);

  /** "Also check the outgoing server": on for IMAP and POP3 until the user decides. */
  smtpEnabled = $state(true);
  smtpEnabledTouched = $state(false);
  smtpHost = $state('');
  smtpHostTyped = $state(false);
  smtpPort = $state('587');
  smtpPortTyped = $state(false);
  smtpSecurity = $state<Security>('starttls');
  /** Empty: the username that worked for the incoming server. */
  smtpUsername = $state('');
  smtpSamePassword = $state(true);
  smtpPassword = $state('');
  smtpPlaintextConfirmed = $state(false);

  /** Certificates trusted in this wizard (one per server); saved with the mailbox. */
  trustedCertificates = $state.raw<TrustedCertificate[]>([]);
  /** The box under "Trust this certificate" (cleared by every new connection). */
  trustConfirmed = $state(false);
  /** A submit was tried: show every error, not only those of fields already left. */
  accountSubmitted = $state(false);
  serverSubmitted = $state(false);

  rows = $state.raw<ProgressRow[]>([]);
  connecting = $state(false);
  cancelling = $state(false);
  problem = $state.raw<Problem | null>(null);
  report = $state.raw<ConnectReport | null>(null);

  selection = $state.raw(new FolderSelection());
  filter = $state('');
  saving = $state(false);
  saveRows = $state.raw<ProgressRow[]>([]);
  saveProblem = $state.raw<Problem | null>(null);
  saved = $state.raw<MailboxRecord | null>(null);

  testing = $state(false);
  testRows = $state.raw<ProgressRow[]>([]);
  testProblem = $state.raw<Problem | null>(null);
  /** The address the test message went to, once the server accepted it. */
  testSentTo = $state<string | null>(null);
  /** What "Send me a test message" sends: kept from the save (passwords too) until the wizard is left. */
  #testRequest = $state.raw<ConnectRequest | null>(null);

  #api: InletApi;
  #attempt = 0;
  #cancelTimer: ReturnType<typeof setTimeout> | undefined;
  #cancelGraceMs: number;

  constructor(api: InletApi, options: WizardOptions = {}) {
    this.#api = api;
    this.#cancelGraceMs = options.cancelGraceMs ?? 5000;
  }

  get form(): WizardForm {
    return {
      kind: this.kind,
      email: this.email,
      password: this.password,
      username: this.username,
      host: this.host,
      port: this.port,
      security: this.security,
      plaintextConfirmed: this.plaintextConfirmed,
      outgoing: {
        enabled: this.smtpEnabled,
        host: this.smtpHost,
        port: this.smtpPort,
        security: this.smtpSecurity,
        username: this.smtpUsername,
        samePassword: this.smtpSamePassword,
        password: this.smtpPassword,
        plaintextConfirmed: this.smtpPlaintextConfirmed,
      },
      trustedCertificates: this.trustedCertificates,
    };
  }

  /** The incoming protocol: POP3 for a POP3 mailbox, IMAP for every other. */
  get protocol(): Protocol {
    return incomingProtocol(this.kind);
  }

  get accountErrors() {
    return accountErrors({ email: this.email, password: this.password, username: this.username });
  }

  get serverErrors() {
    return serverErrors({
      protocol: this.protocol,
      host: this.host,
      port: this.port,
      security: this.security,
      plaintextConfirmed: this.plaintextConfirmed,
    });
  }

  get outgoingErrors() {
    return outgoingErrors({
      enabled: this.smtpEnabled,
      host: this.smtpHost,
      port: this.smtpPort,
      security: this.smtpSecurity,
      samePassword: this.smtpSamePassword,
      password: this.smtpPassword,
      plaintextConfirmed: this.smtpPlaintextConfirmed,
    });
  }

  /** "No encryption" on the outgoing server needs its own confirmation, like the incoming one. */
  get smtpNeedsPlaintextConfirm(): boolean {
    return this.smtpEnabled && this.smtpSecurity === 'none' && !this.smtpPlaintextConfirmed;
  }

  get incomingNeedsPlaintextConfirm(): boolean {
    return this.security === 'none' && !this.plaintextConfirmed;
  }

  /** Connect on the Server step needs every plaintext confirmation first. */
  get serverCanContinue(): boolean {
    return !this.incomingNeedsPlaintextConfirm && !this.smtpNeedsPlaintextConfirm;
  }

  /** The host the Server step proposes: the provider's, else imap. (pop. for POP3) + the domain. */
  get suggestedHost(): string {
    const server = kindInfo(this.kind).server;
    if (server) return server.host;
    const domain = emailDomain(this.email);
    if (!domain) return '';
    return this.protocol === 'pop3' ? `pop.${domain}` : `imap.${domain}`;
  }

  /** The outgoing host the Server step proposes: the provider's, else smtp. + the domain. */
  get suggestedSmtpHost(): string {
    const server = kindInfo(this.kind).outgoing;
    if (server) return server.host;
    const domain = emailDomain(this.email);
    return domain ? `smtp.${domain}` : '';
  }

  chooseKind(kind: MailboxKind): void {
    this.kind = kind;
    const info = kindInfo(kind);
    const server = info.server;
    if (server) {
      if (!this.hostTyped) this.host = server.host;
      this.security = server.security;
      if (!this.portTyped) this.port = String(server.port);
    } else {
      if (!this.hostTyped) this.host = '';
      // IMAP 993/143 and POP3 995/110: the port follows the protocol too.
      if (!this.portTyped) this.port = String(defaultPort(this.security, this.protocol));
    }
    const outgoing = info.outgoing;
    if (outgoing) {
      if (!this.smtpHostTyped) this.smtpHost = outgoing.host;
      this.smtpSecurity = outgoing.security;
      if (!this.smtpPortTyped) this.smtpPort = String(outgoing.port);
    } else if (!this.smtpHostTyped) {
      this.smtpHost = '';
    }
    if (!this.smtpEnabledTouched) this.smtpEnabled = info.checkOutgoing;
  }

  setHost(value: string): void {
    this.host = value;
    this.hostTyped = value.trim() !== '';
  }

  setPort(value: string): void {
    this.port = value;
    this.portTyped = value.trim() !== '';
  }

  setSecurity(security: Security): void {
    this.security = security;
    if (!this.portTyped) this.port = String(defaultPort(security, this.protocol));
  }

  setSmtpEnabled(enabled: boolean): void {
    this.smtpEnabled = enabled;
    this.smtpEnabledTouched = true;
  }

  setSmtpHost(value: string): void {
    this.smtpHost = value;
    this.smtpHostTyped = value.trim() !== '';
  }

  setSmtpPort(value: string): void {
    this.smtpPort = value;
    this.smtpPortTyped = value.trim() !== '';
  }

  /** 465 for TLS, 587 for STARTTLS (and without encryption), unless a port was typed. */
  setSmtpSecurity(security: Security): void {
    this.smtpSecurity = security;
    if (!this.smtpPortTyped) this.smtpPort = String(defaultPort(security, 'smtp'));
  }

  /** Advance from a form step. Returns false (and shows the errors) when the step is not valid. */
  next(): boolean {
    switch (this.step) {
      case 'type':
        this.step = 'account';
        return true;
      case 'account':
        this.accountSubmitted = true;
        if (!isEmpty(this.accountErrors)) return false;
        this.#enterServer();
        return true;
      case 'server':
        this.serverSubmitted = true;
        if (!isEmpty(this.serverErrors) || !isEmpty(this.outgoingErrors)) return false;
        void this.connect();
        return true;
      default:
        return false;
    }
  }

  back(): void {
    switch (this.step) {
      case 'account':
        this.step = 'type';
        break;
      case 'server':
        this.step = 'account';
        break;
      case 'connecting':
        if (this.connecting) return;
        this.problem = null;
        this.step = 'server';
        break;
      case 'folders':
        if (this.saving) return;
        this.saveProblem = null;
        this.step = 'server';
        break;
      default:
        break;
    }
  }

  #enterServer(): void {
    if (!this.hostTyped) this.host = this.suggestedHost;
    if (!this.portTyped && this.port.trim() === '') this.port = String(defaultPort(this.security, this.protocol));
    if (!this.smtpHostTyped) this.smtpHost = this.suggestedSmtpHost;
    if (!this.smtpPortTyped && this.smtpPort.trim() === '') this.smtpPort = String(defaultPort(this.smtpSecurity, 'smtp'));
    this.step = 'server';
  }

  /** Connect, sign in and load folders. On success the Folders step opens by itself. */
  async connect(): Promise<void> {
    const attempt = ++this.#attempt;
    clearTimeout(this.#cancelTimer);
    this.step = 'connecting';
    this.rows = [];
    this.problem = null;
    this.report = null;
    this.connecting = true;
    this.cancelling = false;
    this.trustConfirmed = false;
    try {
      const report = await this.#api.connectMailbox(buildConnectRequest(this.form), (event) => {
        if (attempt === this.#attempt) this.rows = applyProgress(this.rows, event);
      });
      if (attempt !== this.#attempt) return;
      this.report = report;
      this.selection = new FolderSelection(defaultSelection(report.folders.folders));
      this.filter = '';
      this.saveProblem = null;
      this.saveRows = [];
      this.step = 'folders';
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.problem = toProblem(error);
      this.rows = interruptRunning(this.rows);
    } finally {
      if (attempt === this.#attempt) {
        clearTimeout(this.#cancelTimer);
        this.connecting = false;
        this.cancelling = false;
      }
    }
  }

  /**
   * Ask the engine to stop. It answers by rejecting the pending connect with "cancelled"; if it
   * does not within the grace period, the wizard stops waiting so the window never hangs.
   */
  async cancel(): Promise<void> {
    if (!this.connecting || this.cancelling) return;
    this.cancelling = true;
    const attempt = this.#attempt;
    this.#cancelTimer = setTimeout(() => {
      if (attempt !== this.#attempt || !this.connecting) return;
      this.#attempt++;
      this.connecting = false;
      this.cancelling = false;
      this.problem = cancelledProblem();
      this.rows = interruptRunning(this.rows);
    }, this.#cancelGraceMs);
    try {
      await this.#api.cancelConnect();
    } catch {
      // The grace timer still ends the wait.
    }
  }

  retry(): void {
    if (this.connecting) return;
    void this.connect();
  }

  /** "incoming.example.com:993" for a server: the outgoing one for side "outgoing". */
  targetOf(side: Side | null): string {
    const where = this.endpointOf(side);
    return `${where.host}:${where.port}`;
  }

  /** The server a diagnosis is about: the outgoing one when it says so, else the incoming one. */
  endpointOf(side: Side | null): HostPort {
    const endpoint = side === 'outgoing' ? outgoingEndpoint(this.form.outgoing) : incomingEndpoint(this.form);
    return { host: endpoint.host, port: endpoint.port };
  }

  /** certificate_changed: the fingerprint trusted before (the engine says it; else the pin). */
  get previousFingerprint(): string | null {
    const problem = this.problem;
    if (problem?.code !== 'certificate_changed') return null;
    return previousFingerprint(problem, this.trustedCertificates, this.endpointOf(problem.side));
  }

  /**
   * "Trust this certificate" (after its confirmation): pin exactly the presented certificate for
   * the server that refused it, and connect again.
   */
  trustCertificate(): boolean {
    const problem = this.problem;
    if (this.connecting || !this.trustConfirmed || !canTrust(problem)) return false;
    const pin = pinFor(this.endpointOf(problem.side), problem.certificate);
    this.trustedCertificates = addPin(this.trustedCertificates, pin);
    void this.connect();
    return true;
  }

  /**
   * certificate_changed: forget the certificate trusted before and connect again, so the new one
   * is shown like any untrusted certificate and the user decides afresh. Never trusts anything.
   */
  untrustCertificate(): boolean {
    const problem = this.problem;
    if (this.connecting || problem?.code !== 'certificate_changed') return false;
    this.trustedCertificates = removePin(this.trustedCertificates, this.endpointOf(problem.side));
    void this.connect();
    return true;
  }

  /** POP3 found an IMAP server at the same provider: use it instead (folders, sync) and reconnect. */
  switchToImap(): boolean {
    const alternative = this.report?.imapAlternative;
    if (!alternative || this.connecting || this.saving) return false;
    if (this.kind === 'pop3') this.kind = 'imap';
    this.host = alternative.host;
    this.hostTyped = true;
    this.security = alternative.security;
    this.port = String(alternative.port);
    this.portTyped = alternative.port !== defaultPort(alternative.security, 'imap');
    void this.connect();
    return true;
  }

  /** Whether the saved mailbox can be sent a test message (it has an outgoing server). */
  get canSendTest(): boolean {
    return this.#testRequest !== null;
  }

  /** "Send me a test message": from the address to itself through the outgoing server. */
  async sendTestMessage(): Promise<boolean> {
    const request = this.#testRequest;
    if (!request || this.testing) return false;
    this.testing = true;
    this.testRows = [];
    this.testProblem = null;
    this.testSentTo = null;
    try {
      await this.#api.sendTestMessage(request, (event) => {
        this.testRows = applyProgress(this.testRows, event);
      });
      this.testSentTo = request.settings.email;
      return true;
    } catch (error) {
      this.testProblem = toProblem(error);
      this.testRows = interruptRunning(this.testRows);
      return false;
    } finally {
      this.testing = false;
    }
  }

  /** Stop any connection quietly (leaving the wizard). */
  abandon(): void {
    if (this.connecting) {
      this.#attempt++;
      this.connecting = false;
      this.cancelling = false;
      void this.#api.cancelConnect().catch(() => undefined);
    }
    // Leaving the wizard: the passwords kept for the test message go too.
    this.#testRequest = null;
  }

  get chosen() {
    const folders = this.report?.folders.folders ?? [];
    return chosenFolders(folders, (raw) => this.selection.has(raw));
  }

  async save(): Promise<boolean> {
    if (this.saving || !this.report) return false;
    const folders = this.chosen;
    if (folders.length === 0) return false;
    this.saving = true;
    this.saveProblem = null;
    this.saveRows = [];
    const request = buildSaveRequest(this.form, this.report, folders);
    try {
      this.saved = await this.#api.saveMailbox(request, (event) => {
        this.saveRows = applyProgress(this.saveRows, event);
      });
      // The keychain has them now; the form need not keep them. Only "Send me a test message"
      // keeps its request, until the wizard is left.
      this.password = '';
      this.smtpPassword = '';
      this.#testRequest = request.settings.outgoing ? buildTestRequest(request) : null;
      this.testRows = [];
      this.testProblem = null;
      this.testSentTo = null;
      this.step = 'saved';
      return true;
    } catch (error) {
      this.saveProblem = toProblem(error);
      this.saveRows = interruptRunning(this.saveRows);
      return false;
    } finally {
      this.saving = false;
    }
  }
}

export class Mailboxes {
  items = $state.raw<MailboxRecord[]>([]);
  loading = $state(false);
  loaded = $state(false);
  problem = $state.raw<Problem | null>(null);
  removing = $state<number | null>(null);
  removeProblem = $state.raw<Problem | null>(null);

  #api: InletApi;

  constructor(api: InletApi) {
    this.#api = api;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.problem = null;
    try {
      this.items = await this.#api.listMailboxes();
      this.loaded = true;
    } catch (error) {
      this.problem = toProblem(error);
    } finally {
      this.loading = false;
    }
  }

  /** Removes one pinned certificate from a saved mailbox and shows the updated record. */
  async untrust(id: number, host: string, port: number): Promise<boolean> {
    this.removeProblem = null;
    try {
      const updated = await this.#api.removeTrustedCertificate(id, host, port);
      this.items = this.items.map((m) => (m.id === id ? updated : m));
      return true;
    } catch (error) {
      this.removeProblem = toProblem(error);
      return false;
    }
  }

  async remove(id: number): Promise<boolean> {
    if (this.removing !== null) return false;
    this.removing = id;
    this.removeProblem = null;
    try {
      await this.#api.removeMailbox(id);
      this.items = this.items.filter((m) => m.id !== id);
      return true;
    } catch (error) {
      this.removeProblem = toProblem(error);
      return false;
    } finally {
      this.removing = null;
    }
  }
}

export type View = 'loading' | 'list' | 'wizard';

export class InletApp {
  view = $state<View>('loading');
  wizard: Wizard;
  mailboxes: Mailboxes;

  #api: InletApi;
  #options: WizardOptions;

  constructor(api: InletApi, options: WizardOptions = {}) {
    this.#api = api;
    this.#options = options;
    this.wizard = $state(new Wizard(api, options));
    this.mailboxes = new Mailboxes(api);
  }

  /** On start: the list when there are mailboxes, the wizard otherwise. */
  async start(): Promise<void> {
    this.view = 'loading';
    await this.mailboxes.load();
    this.view = this.mailboxes.loaded && this.mailboxes.items.length === 0 ? 'wizard' : 'list';
  }

  /** A fresh wizard. */
  addMailbox(): void {
    this.wizard.abandon();
    this.wizard = new Wizard(this.#api, this.#options);
    this.view = 'wizard';
  }

  async goToList(): Promise<void> {
    this.wizard.abandon();
    this.view = 'list';
    await this.mailboxes.load();
  }
}
