// The actions on one saved mailbox (update password, reconnect, change folders, edit settings,
// disconnect and set up again): their state and the calls to the engine. MailboxManage.svelte
// only shows it. Every action is checked by the engine before anything changes, and a failure
// leaves the mailbox as it was: the diagnosis is then shown in place.

import type { Folder } from './bindings/Folder';
import type { FolderTree } from './bindings/FolderTree';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { MailboxSettings } from './bindings/MailboxSettings';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import type { ServerEdit } from './bindings/ServerEdit';
import type { SettingsEdit } from './bindings/SettingsEdit';
import { toProblem, type InletApi, type Problem, type ReportFormat } from './api';
import { t } from './i18n.svelte';
import { FolderSelection } from './selection.svelte';
import { defaultPort, parsePort, validateHost, validatePort, type Errors } from './validation';
import type { Mailboxes } from './wizard.svelte';

export type ActionId = 'password' | 'reconnect' | 'folders' | 'settings' | 'setup-again';

/** One server's fields in "Edit settings", as typed. */
export interface ServerForm {
  host: string;
  port: string;
  security: Security;
  username: string;
}

export interface SettingsForm {
  incoming: ServerForm;
  /** Null: the mailbox has no outgoing server (nothing to edit there). */
  outgoing: ServerForm | null;
}

export type ServerFormErrors = Errors<'host' | 'port'>;

/** "Edit settings" starts from the saved values. */
export function settingsForm(settings: MailboxSettings): SettingsForm {
  const i = settings.incoming;
  const o = settings.outgoing;
  return {
    incoming: { host: i.endpoint.host, port: String(i.endpoint.port), security: i.endpoint.security, username: i.username ?? '' },
    outgoing: o
      ? { host: o.endpoint.host, port: String(o.endpoint.port), security: o.endpoint.security, username: o.username ?? '' }
      : null,
  };
}

export function serverFormErrors(form: ServerForm, protocol: Protocol): ServerFormErrors {
  const errors: ServerFormErrors = {};
  const host = validateHost(form.host, protocol === 'smtp' ? 'smtp.example.com' : `${protocol}.example.com`);
  const port = validatePort(form.port, defaultPort(form.security, protocol));
  if (host) errors.host = host;
  if (port) errors.port = port;
  return errors;
}

function serverEdit(
  form: ServerForm,
  saved: { host: string; port: number; security: Security; username: string | null },
): ServerEdit {
  const host = form.host.trim();
  const port = parsePort(form.port);
  const username = form.username.trim();
  return {
    // The engine normalises the host; only a real change is sent.
    host: host.toLowerCase().replace(/\.$/, '') !== saved.host ? host : null,
    port: port !== null && port !== saved.port ? port : null,
    security: form.security !== saved.security ? form.security : null,
    // "" clears a saved username (the address and its local part are tried again).
    username: username !== (saved.username ?? '') ? username : null,
  };
}

/** Only what differs from the saved settings: the engine leaves every null as it is. */
export function settingsEdit(settings: MailboxSettings, form: SettingsForm): SettingsEdit {
  const i = settings.incoming;
  const o = settings.outgoing;
  const none: ServerEdit = { host: null, port: null, security: null, username: null };
  return {
    incoming: serverEdit(form.incoming, { ...i.endpoint, username: i.username }),
    outgoing: o && form.outgoing ? serverEdit(form.outgoing, { ...o.endpoint, username: o.username }) : none,
  };
}

export function isNoEdit(edit: SettingsEdit): boolean {
  return [edit.incoming, edit.outgoing].every((e) => Object.values(e).every((v) => v === null));
}

/** Reconnect (with the stored password) is for password mailboxes that worked before. */
export function offersReconnect(m: MailboxRecord): boolean {
  return m.grant === null && m.status.lastSuccessAt !== null;
}

/**
 * The last check failed on a wrong password that "Update password" can fix: the incoming
 * server's, or the outgoing one's when it signs in with the same password.
 */
export function wrongPassword(m: MailboxRecord): boolean {
  if (m.grant !== null) return false;
  const s = m.status;
  const incoming = s.lastErrorCode === 'authentication_failed' && s.consecutiveErrors > 0;
  const outgoing =
    s.lastOutgoingErrorCode === 'authentication_failed' &&
    s.consecutiveOutgoingErrors > 0 &&
    (m.settings.outgoing?.samePassword ?? false);
  return incoming || outgoing;
}

/**
 * What "Update password" changes, said plainly when the outgoing server has a password of its
 * own: the engine updates the incoming one only, and keeps the other.
 */
export function passwordScope(m: MailboxRecord): string | null {
  const o = m.settings.outgoing;
  if (!o || o.samePassword) return null;
  return t('mbx-password-scope');
}

/** The current choice, as far as the server still has those folders, in the server's order. */
export function preTicked(tree: FolderTree, chosen: readonly { rawName: string }[]): string[] {
  const names = new Set(chosen.map((c) => c.rawName));
  return tree.folders.filter((f) => f.selectable && !f.placeholder && names.has(f.rawName)).map((f) => f.rawName);
}

/** The ticked folders in the tree's order (the engine saves them as given). */
export function tickedInOrder(folders: readonly Folder[], selection: FolderSelection): string[] {
  return folders.filter((f) => selection.has(f.rawName)).map((f) => f.rawName);
}

export class MailboxActions {
  /** The section shown (one at a time), or none. */
  open = $state<ActionId | null>(null);
  /** The action waiting for the engine. */
  busy = $state<ActionId | null>(null);
  /** Why the last action failed, shown in its own section. */
  problem = $state.raw<{ action: ActionId; problem: Problem } | null>(null);
  // The sentences below are kept as functions and put into words when read, so that they follow
  // a change of language.
  #done = $state.raw<(() => string) | null>(null);
  #passwordError = $state.raw<(() => string) | null>(null);
  #foldersError = $state.raw<(() => string) | null>(null);
  #formError = $state.raw<(() => string) | null>(null);

  password = $state('');

  tree = $state.raw<FolderTree | null>(null);
  selection = $state.raw(new FolderSelection());

  form = $state<SettingsForm>({ incoming: { host: '', port: '', security: 'tls', username: '' }, outgoing: null });
  formSubmitted = $state(false);

  /** What the last action did, said once it worked. */
  get done(): string | null {
    return this.#done?.() ?? null;
  }

  get passwordError(): string | null {
    return this.#passwordError?.() ?? null;
  }

  get foldersError(): string | null {
    return this.#foldersError?.() ?? null;
  }

  get formError(): string | null {
    return this.#formError?.() ?? null;
  }

  #list: () => Mailboxes;
  #mailbox: () => MailboxRecord;

  constructor(mailboxes: () => Mailboxes, mailbox: () => MailboxRecord) {
    this.#list = mailboxes;
    this.#mailbox = mailbox;
  }

  get #mailboxes(): Mailboxes {
    return this.#list();
  }

  get #api(): InletApi {
    return this.#mailboxes.api;
  }

  get mailbox(): MailboxRecord {
    return this.#mailbox();
  }

  problemFor(action: ActionId): Problem | null {
    return this.problem?.action === action ? this.problem.problem : null;
  }

  /** Whether the engine kept a help-desk report of `action`'s failure (every action that talks
   *  to the servers; removing for a new setup does not). */
  offersReport(action: ActionId): boolean {
    return action !== 'setup-again';
  }

  /** The report buttons' source: the engine's report of the last action that failed. */
  get report(): {
    load: (format: ReportFormat, masked: boolean) => Promise<string>;
    save: (format: ReportFormat, masked: boolean) => Promise<string>;
  } {
    return actionReport(this.#api);
  }

  get incomingErrors(): ServerFormErrors {
    return serverFormErrors(this.form.incoming, this.mailbox.settings.incoming.protocol);
  }

  get outgoingErrors(): ServerFormErrors {
    return this.form.outgoing ? serverFormErrors(this.form.outgoing, 'smtp') : {};
  }

  /** Opens one section (closing the other), or closes it when it is the one open. */
  toggle(action: ActionId): void {
    if (this.busy !== null) return;
    if (this.open === action) {
      this.close();
      return;
    }
    this.open = action;
    this.problem = null;
    this.#done = null;
    if (action === 'password') {
      this.password = '';
      this.#passwordError = null;
    }
    if (action === 'settings') {
      this.form = settingsForm(this.mailbox.settings);
      this.formSubmitted = false;
      this.#formError = null;
    }
  }

  close(): void {
    if (this.busy !== null) return;
    this.open = null;
    this.problem = null;
    this.password = '';
  }

  /** A new security choice moves a port that was the old choice's usual one to the new one's. */
  setSecurity(side: 'incoming' | 'outgoing', security: Security): void {
    const server = side === 'incoming' ? this.form.incoming : this.form.outgoing;
    if (!server) return;
    const protocol: Protocol = side === 'incoming' ? this.mailbox.settings.incoming.protocol : 'smtp';
    if (parsePort(server.port) === defaultPort(server.security, protocol)) server.port = String(defaultPort(security, protocol));
    server.security = security;
  }

  async #run<T>(action: ActionId, call: () => Promise<T>): Promise<T | null> {
    if (this.busy !== null) return null;
    this.busy = action;
    this.problem = null;
    this.#done = null;
    try {
      return await call();
    } catch (error) {
      this.problem = { action, problem: toProblem(error) };
      return null;
    } finally {
      this.busy = null;
    }
  }

  /** "Check and save": the engine signs in with the new password before it replaces the old one. */
  async updatePassword(): Promise<boolean> {
    if (this.password === '') {
      this.#passwordError = () => t('mbx-type-new-password');
      return false;
    }
    this.#passwordError = null;
    const id = this.mailbox.id;
    const updated = await this.#run('password', () => this.#api.updatePassword(id, this.password));
    if (!updated) return false;
    this.#mailboxes.replace(updated);
    this.password = '';
    this.open = null;
    this.#done = () => t('mbx-password-accepted');
    return true;
  }

  async reconnect(): Promise<boolean> {
    const id = this.mailbox.id;
    this.open = 'reconnect';
    const updated = await this.#run('reconnect', () => this.#api.reconnectMailbox(id));
    if (!updated) return false;
    this.#mailboxes.replace(updated);
    this.open = null;
    this.#done = () => t('mbx-reconnected');
    return true;
  }

  /** "Load folders": the server's list now, the current choice ticked. */
  async loadFolders(): Promise<boolean> {
    const id = this.mailbox.id;
    this.#foldersError = null;
    const tree = await this.#run('folders', () => this.#api.loadMailboxFolders(id));
    if (!tree) return false;
    this.tree = tree;
    this.selection = new FolderSelection(preTicked(tree, this.mailbox.folders));
    return true;
  }

  async saveFolders(): Promise<boolean> {
    if (!this.tree) return false;
    const names = tickedInOrder(this.tree.folders, this.selection);
    if (names.length === 0) {
      this.#foldersError = () => t('mbx-choose-a-folder');
      return false;
    }
    this.#foldersError = null;
    const id = this.mailbox.id;
    const updated = await this.#run('folders', () => this.#api.setMailboxFolders(id, names));
    if (!updated) return false;
    this.#mailboxes.replace(updated);
    this.tree = null;
    this.open = null;
    const count = updated.folders.length;
    this.#done = () => t('mbx-folders-saved', { count });
    return true;
  }

  /** "Check and save": the engine checks the edited settings against the servers first. */
  async saveSettings(): Promise<boolean> {
    this.formSubmitted = true;
    this.#formError = null;
    if (Object.keys(this.incomingErrors).length > 0 || Object.keys(this.outgoingErrors).length > 0) return false;
    const edit = settingsEdit(this.mailbox.settings, this.form);
    if (isNoEdit(edit)) {
      this.#formError = () => t('mbx-nothing-changed');
      return false;
    }
    const id = this.mailbox.id;
    const updated = await this.#run('settings', () => this.#api.editMailboxSettings(id, edit));
    if (!updated) return false;
    this.#mailboxes.replace(updated);
    this.open = null;
    this.#done = () => t('mbx-settings-saved');
    return true;
  }

  /**
   * "Disconnect and set up again", once confirmed: removes the mailbox (its history kept) and
   * hands its settings, without any password, to the wizard.
   */
  async setUpAgain(onsetupagain: (settings: MailboxSettings) => void): Promise<boolean> {
    const { id, settings } = this.mailbox;
    const removed = await this.#run('setup-again', async () => {
      await this.#api.removeMailbox(id, false);
      return true;
    });
    if (!removed) return false;
    this.#mailboxes.items = this.#mailboxes.items.filter((m) => m.id !== id);
    onsetupagain(settings);
    return true;
  }
}

/** "Copy report" and "Save report" of a failed action on a saved mailbox (the Manage panel's and
 *  the list's sign-in again): the report the engine kept of it. */
export function actionReport(api: InletApi): {
  load: (format: ReportFormat, masked: boolean) => Promise<string>;
  save: (format: ReportFormat, masked: boolean) => Promise<string>;
} {
  return {
    load: (format, masked) => api.lastReport(format, masked, 'mailbox_action'),
    save: (format, masked) => api.saveReport(format, masked, 'mailbox_action'),
  };
}
