// The state of the whole app: which view is shown, the wizard's fields and the mailbox list.
// Components only read it and call its methods, so the flow can be tested without a window.

import type { ConnectReport } from './bindings/ConnectReport';
import type { MailboxKind } from './bindings/MailboxKind';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { Security } from './bindings/Security';
import { cancelledProblem, toProblem, type InletApi, type Problem } from './api';
import { chosenFolders, defaultSelection } from './folders';
import { kindInfo } from './kinds';
import { applyProgress, interruptRunning, type ProgressRow } from './progress';
import { buildConnectRequest, buildSaveRequest, type WizardForm } from './requests';
import { FolderSelection } from './selection.svelte';
import { accountErrors, defaultPort, emailDomain, isEmpty, serverErrors } from './validation';

export type StepId = 'type' | 'account' | 'server' | 'connecting' | 'folders' | 'saved';

/** The numbered steps of the indicator ("Step 2 of 5 · Account"); "saved" comes after them. */
export const STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'type', title: 'Mailbox type' },
  { id: 'account', title: 'Account' },
  { id: 'server', title: 'Server' },
  { id: 'connecting', title: 'Connect' },
  { id: 'folders', title: 'Folders' },
];

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
    };
  }

  get accountErrors() {
    return accountErrors({ email: this.email, password: this.password, username: this.username });
  }

  get serverErrors() {
    return serverErrors({
      host: this.host,
      port: this.port,
      security: this.security,
      plaintextConfirmed: this.plaintextConfirmed,
    });
  }

  /** Next on the Server step needs the plaintext confirmation first. */
  get serverCanContinue(): boolean {
    return !(this.security === 'none' && !this.plaintextConfirmed);
  }

  /** The host the Server step proposes: the provider's, else imap. + the address's domain. */
  get suggestedHost(): string {
    const server = kindInfo(this.kind).server;
    if (server) return server.host;
    const domain = emailDomain(this.email);
    return domain ? `imap.${domain}` : '';
  }

  chooseKind(kind: MailboxKind): void {
    this.kind = kind;
    const server = kindInfo(kind).server;
    if (server) {
      if (!this.hostTyped) this.host = server.host;
      this.security = server.security;
      if (!this.portTyped) this.port = String(server.port);
    } else if (!this.hostTyped) {
      this.host = '';
    }
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
    if (!this.portTyped) this.port = String(defaultPort(security));
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
        if (!isEmpty(this.serverErrors)) return false;
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
    if (!this.portTyped && this.port.trim() === '') this.port = String(defaultPort(this.security));
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

  /** Stop any connection quietly (leaving the wizard). */
  abandon(): void {
    if (this.connecting) {
      this.#attempt++;
      this.connecting = false;
      this.cancelling = false;
      void this.#api.cancelConnect().catch(() => undefined);
    }
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
    try {
      this.saved = await this.#api.saveMailbox(buildSaveRequest(this.form, this.report, folders), (event) => {
        this.saveRows = applyProgress(this.saveRows, event);
      });
      // The keychain has it now; the window need not keep it.
      this.password = '';
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
