// The one place the UI talks to the Rust engine. Components and the wizard state receive an
// `InletApi`; the app passes `tauriApi`, unit tests pass a fake.

import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { AddressCheck } from './bindings/AddressCheck';
import type { ConfigProblem } from './bindings/ConfigProblem';
import type { LanguageSetting } from './bindings/LanguageSetting';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { Diagnosis } from './bindings/Diagnosis';
import type { DiagnosisCode } from './bindings/DiagnosisCode';
import type { DiscoverRequest } from './bindings/DiscoverRequest';
import type { Discovery } from './bindings/Discovery';
import type { DiscoveryEvent } from './bindings/DiscoveryEvent';
import type { FolderTree } from './bindings/FolderTree';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { MailboxCheck } from './bindings/MailboxCheck';
import type { MailboxDetails } from './bindings/MailboxDetails';
import type { PolicySummary } from './bindings/PolicySummary';
import type { OAuth2Grant } from './bindings/OAuth2Grant';
import type { ProgressEvent } from './bindings/ProgressEvent';
import type { SaveRequest } from './bindings/SaveRequest';
import type { SignInEvent } from './bindings/SignInEvent';
import type { SignInOption } from './bindings/SignInOption';
import type { SignInRequest } from './bindings/SignInRequest';
import type { SettingsEdit } from './bindings/SettingsEdit';
import { t } from './i18n.svelte';

export type OnProgress = (event: ProgressEvent) => void;
export type OnDiscoveryEvent = (event: DiscoveryEvent) => void;
export type OnSignInEvent = (event: SignInEvent) => void;
/** The help-desk report's two forms: Markdown to paste into a ticket, JSON for tools. */
export type ReportFormat = 'markdown' | 'json';
/**
 * Which error view's report: the connect step's (the default), a discovery that found no
 * settings, a sign-in with the provider, a save, or a test message not sent.
 */
export type ReportKind = 'connect' | 'discovery' | 'sign_in' | 'save' | 'test_message' | 'mailbox_action';

export interface InletApi {
  /**
   * Why the engine could not start (its configuration file is broken), or null. Asked first: the
   * window then shows this instead of the wizard, and nothing else is called.
   */
  startupProblem(): Promise<ConfigProblem | null>;
  /** The engine's word on an address as it is typed (no network): why it cannot be used, or none. */
  checkAddress(email: string): Promise<AddressCheck>;
  /**
   * From the address to ranked, verified settings; each source reports as it starts and ends.
   * Sends no password. Rejects with a `Diagnosis` ("invalid_input", "cancelled"); finding nothing
   * is not a rejection: the Discovery then carries a diagnosis and best guesses.
   */
  discoverSettings(request: DiscoverRequest, onEvent: OnDiscoveryEvent): Promise<Discovery>;
  /** Stop the pending discovery; it then rejects with a Diagnosis whose code is "cancelled". */
  cancelDiscovery(): Promise<void>;
  /** Connect, sign in and load the folder tree. Rejects with a `Diagnosis`. */
  connectMailbox(request: ConnectRequest, onProgress: OnProgress): Promise<ConnectReport>;
  /** Stop the pending connect; it then rejects with a Diagnosis whose code is "cancelled". */
  cancelConnect(): Promise<void>;
  /** Store the settings and folders, and the password in the keychain. Rejects with a `Diagnosis`. */
  saveMailbox(request: SaveRequest, onProgress: OnProgress): Promise<MailboxRecord>;
  listMailboxes(): Promise<MailboxRecord[]>;
  /**
   * Removes a mailbox and deletes its keychain entries. Its history is kept, marked removed,
   * unless `erase` (default false). Rejects with a `Diagnosis`.
   */
  removeMailbox(id: number, erase?: boolean): Promise<void>;
  /** Stop trusting the pinned certificate of host:port for a saved mailbox. Rejects with a `Diagnosis`. */
  removeTrustedCertificate(id: number, host: string, port: number): Promise<MailboxRecord>;
  /**
   * Send one message from the address to itself through the outgoing server of
   * `request.settings`. Progress comes with side "outgoing". Rejects with a `Diagnosis`.
   */
  sendTestMessage(request: ConnectRequest, onProgress: OnProgress): Promise<void>;
  /** Which providers' buttons can sign in here, and for those that cannot, what an administrator must set. */
  signInOptions(): Promise<SignInOption[]>;
  /**
   * Browser (or device code) sign-in: reports the page to open or the code to type, then
   * resolves with the grant, whose refresh token the engine has put in the keychain; the UI
   * never sees a token. Rejects with a `Diagnosis` ("cancelled" after `cancelSignIn`).
   */
  signIn(request: SignInRequest, onEvent: OnSignInEvent): Promise<OAuth2Grant>;
  /** Stop the pending sign-in; it then rejects with a Diagnosis whose code is "cancelled". */
  cancelSignIn(): Promise<void>;
  /**
   * A saved mailbox that signs in with its provider signs in again in the browser (its grant
   * revoked or expired): the same events as `signIn`, then the mailbox checked with the new
   * sign-in and every setting kept. Resolves with the updated record; rejects with a `Diagnosis`,
   * the mailbox left as it was.
   */
  reconnectWithSignIn(id: number, onEvent: OnSignInEvent): Promise<MailboxRecord>;
  /**
   * The help-desk report of the last connect (everything tried, stage timings, the diagnosis;
   * never a password), or of the last discovery, sign-in or save by `kind`, with the address and
   * host names masked when asked. Rejects with a `Diagnosis` when there is none yet.
   */
  lastReport(format: ReportFormat, masked: boolean, kind?: ReportKind): Promise<string>;
  /** Saves that report as a new file in the Downloads folder; resolves with the file's path. */
  saveReport(format: ReportFormat, masked: boolean, kind?: ReportKind): Promise<string>;
  /** Opens a provider's help page (https only) in the system browser; whether a browser started. */
  openHelpPage(url: string): Promise<boolean>;
  /**
   * Checks a new password against the mailbox's server, then keeps it in the keychain in place of
   * the old one; the updated record (enabled, counts reset). Rejects with a `Diagnosis`, the old
   * password kept.
   */
  updatePassword(id: number, password: string): Promise<MailboxRecord>;
  /** Signs in again with the stored settings and password; every setting kept. Rejects with a `Diagnosis`. */
  reconnectMailbox(id: number): Promise<MailboxRecord>;
  /** The server's current folders of a saved mailbox ("Load folders"); nothing stored. */
  loadMailboxFolders(id: number): Promise<FolderTree>;
  /** Saves a new folder selection (raw names, each checked against the server's list). */
  setMailboxFolders(id: number, folders: string[]): Promise<MailboxRecord>;
  /** Changes the servers' settings, checked before they are saved; on failure nothing changes. */
  editMailboxSettings(id: number, edit: SettingsEdit): Promise<MailboxRecord>;
  /** A saved mailbox with its recent checks, newest first. Rejects with a `Diagnosis`. */
  mailboxDetails(id: number): Promise<MailboxDetails>;
  /** "Check now": signs in and reads the folders' status (changes no mail); recorded like a scheduled check. */
  checkMailbox(id: number): Promise<MailboxCheck>;
  /** "Check all": every enabled mailbox now. */
  checkAll(): Promise<MailboxCheck[]>;
  setMailboxEnabled(id: number, enabled: boolean): Promise<MailboxRecord>;
  setDefaultMailbox(id: number): Promise<MailboxRecord>;
  /** Names and describes a mailbox; null or empty text clears it. */
  describeMailbox(id: number, name: string | null, description: string | null): Promise<MailboxRecord>;
  /** What the administrator's policy lets the user do. Rejects with a `Diagnosis` when the policy file is unusable. */
  policySummary(): Promise<PolicySummary>;
  /** A saved mailbox checked again, as a help-desk report (never a password or token). */
  mailboxReport(id: number, format: ReportFormat, masked: boolean): Promise<string>;
  /** Saves that report as a new file in the Downloads folder; resolves with its path. */
  saveMailboxReport(id: number, format: ReportFormat, masked: boolean): Promise<string>;
  /** Hears each check the schedule runs while the app is open; resolves with the function that stops listening. */
  onMailboxChecked(listener: (check: MailboxCheck) => void): Promise<() => void>;
}

function channel<T>(onMessage: (message: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onMessage;
  return ch;
}

export const tauriApi: InletApi = {
  startupProblem: () => {
    const start = pageStart();
    return start ? Promise.resolve(start.startupProblem) : invoke<ConfigProblem | null>('startup_problem');
  },
  checkAddress: (email) => invoke<AddressCheck>('check_address', { email }),
  discoverSettings: (request, onEvent) =>
    invoke<Discovery>('discover_settings', { request, onProgress: channel(onEvent) }),
  cancelDiscovery: () => invoke<void>('cancel_discovery'),
  connectMailbox: (request, onProgress) =>
    invoke<ConnectReport>('connect_mailbox', { request, onProgress: channel(onProgress) }),
  cancelConnect: () => invoke<void>('cancel_connect'),
  saveMailbox: (request, onProgress) =>
    invoke<MailboxRecord>('save_mailbox', { request, onProgress: channel(onProgress) }),
  listMailboxes: () => invoke<MailboxRecord[]>('list_mailboxes'),
  removeMailbox: (id, erase) => invoke<void>('remove_mailbox', { id, erase: erase ?? false }),
  removeTrustedCertificate: (id, host, port) =>
    invoke<MailboxRecord>('remove_trusted_certificate', { id, host, port }),
  sendTestMessage: (request, onProgress) =>
    invoke<void>('send_test_message', { request, onProgress: channel(onProgress) }),
  signInOptions: () => invoke<SignInOption[]>('sign_in_options'),
  signIn: (request, onEvent) => invoke<OAuth2Grant>('sign_in', { request, onEvent: channel(onEvent) }),
  cancelSignIn: () => invoke<void>('cancel_sign_in'),
  reconnectWithSignIn: (id, onEvent) =>
    invoke<MailboxRecord>('reconnect_with_sign_in', { id, onEvent: channel(onEvent) }),
  lastReport: (format, masked, kind) => invoke<string>('last_report', { format, masked, kind: kind ?? null }),
  saveReport: (format, masked, kind) => invoke<string>('save_report', { format, masked, kind: kind ?? null }),
  openHelpPage: (url) => invoke<boolean>('open_help_page', { url }),
  updatePassword: (id, password) => invoke<MailboxRecord>('update_password', { id, password }),
  reconnectMailbox: (id) => invoke<MailboxRecord>('reconnect_mailbox', { id }),
  loadMailboxFolders: (id) => invoke<FolderTree>('load_mailbox_folders', { id }),
  setMailboxFolders: (id, folders) => invoke<MailboxRecord>('set_mailbox_folders', { id, folders }),
  editMailboxSettings: (id, edit) => invoke<MailboxRecord>('edit_mailbox_settings', { id, edit }),
  mailboxDetails: (id) => invoke<MailboxDetails>('mailbox_details', { id }),
  checkMailbox: (id) => invoke<MailboxCheck>('check_mailbox', { id }),
  checkAll: () => invoke<MailboxCheck[]>('check_all'),
  setMailboxEnabled: (id, enabled) => invoke<MailboxRecord>('set_mailbox_enabled', { id, enabled }),
  setDefaultMailbox: (id) => invoke<MailboxRecord>('set_default_mailbox', { id }),
  describeMailbox: (id, name, description) => invoke<MailboxRecord>('describe_mailbox', { id, name, description }),
  policySummary: () => invoke<PolicySummary>('policy_summary'),
  mailboxReport: (id, format, masked) => invoke<string>('mailbox_report', { id, format, masked }),
  saveMailboxReport: (id, format, masked) => invoke<string>('save_mailbox_report', { id, format, masked }),
  onMailboxChecked: (listener) => listen<MailboxCheck>('mailbox-checked', (event) => listener(event.payload)),
};

/**
 * What the shell gives the page before its first script (src-tauri/lib.rs), so that start-up asks
 * it nothing: the language and why the engine did not start. Undefined outside the app.
 */
export function pageStart(): { language: LanguageSetting; startupProblem: ConfigProblem | null } | undefined {
  return typeof window === 'undefined'
    ? undefined
    : (window as unknown as { __INLET_START__?: ReturnType<typeof pageStart> }).__INLET_START__;
}

/** True inside the Tauri window; false in a plain browser (`vite preview`, the demo). */
export function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/**
 * What the UI shows for a failure: a Diagnosis from the engine, or, when something other than a
 * Diagnosis arrived (a bug, a missing command), the same shape with the code "unexpected".
 */
export type Problem = Omit<Diagnosis, 'code'> & { code: DiagnosisCode | 'unexpected' };

// A record, not a list: the compiler then insists that every code the engine has is known here.
const KNOWN_CODES: Record<DiagnosisCode, true> = {
  invalid_input: true, host_not_found: true, connection_refused: true, network_unreachable: true, timed_out: true,
  certificate_untrusted: true, certificate_expired: true, certificate_not_yet_valid: true, certificate_wrong_host: true,
  certificate_invalid: true, certificate_changed: true, tls_failed: true, starttls_not_offered: true,
  encryption_required: true, plaintext_not_confirmed: true, authentication_failed: true,
  no_usable_sign_in_method: true, connection_closed: true, protocol_error: true, server_refused: true,
  keychain_locked: true, keychain_unavailable: true, keychain_failed: true, store_failed: true,
  mailbox_not_found: true, already_saved: true, cancelled: true, settings_not_found: true,
  server_temporary_failure: true, app_password_required: true, web_sign_in_required: true,
  protocol_disabled: true, basic_auth_disabled: true, password_or_sign_in_blocked: true, throttled: true,
  too_many_connections: true, bandwidth_exceeded: true, account_disabled: true, account_locked: true,
  password_expired: true, mailbox_in_use: true, not_authorized: true, server_busy: true,
  connection_blocked: true, server_error: true, sender_not_allowed: true, port_expects_starttls: true,
  port_expects_tls: true, mailbox_disabled: true,
  sign_in_not_set_up: true, sign_in_policy: true, sign_in_busy: true, sign_in_cancelled: true, sign_in_timed_out: true,
  sign_in_denied: true, sign_in_client_rejected: true, sign_in_scope_rejected: true, sign_in_consent_required: true,
  sign_in_other_tenant: true, sign_in_conditional_access: true, sign_in_app_unknown: true,
  sign_in_public_client_disabled: true, sign_in_single_tenant_app: true, sign_in_blocked_by_admin: true,
  sign_in_org_internal: true, sign_in_app_unverified: true, needs_sign_in: true, sign_in_refused: true,
  sign_in_failed: true, issuer_unavailable: true, mail_access_off: true, policy_forbids: true,
};
const CODES: ReadonlySet<string> = new Set(Object.keys(KNOWN_CODES));

export function isDiagnosis(value: unknown): value is Diagnosis {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && CODES.has(v.code) && typeof v.title === 'string';
}

/** Turn whatever a rejected call produced into something the diagnosis panel can show. */
export function toProblem(error: unknown): Problem {
  if (isDiagnosis(error)) {
    return {
      ...error,
      whatHappened: error.whatHappened ?? '',
      whatToDo: error.whatToDo ?? '',
      steps: Array.isArray(error.steps) ? error.steps : [],
      whoActs: error.whoActs ?? 'you',
      providerHint: error.providerHint ?? null,
      stage: error.stage ?? null,
      evidence: Array.isArray(error.evidence) ? error.evidence : [],
      certificate: error.certificate ?? null,
      trustedFingerprint: error.trustedFingerprint ?? null,
      side: error.side === 'incoming' || error.side === 'outgoing' ? error.side : null,
    };
  }
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return {
    code: 'unexpected',
    title: t('conn-unexpected-title'),
    whatHappened: t('conn-unexpected-what-happened'),
    whatToDo: t('conn-unexpected-what-to-do'),
    steps: [t('conn-unexpected-step-1'), t('conn-unexpected-step-2')],
    whoActs: 'you',
    providerHint: null,
    stage: null,
    evidence: [message || t('conn-unexpected-no-message')],
    certificate: null,
    trustedFingerprint: null,
    side: null,
  };
}

/** The Problem shown when the user cancelled and the engine did not answer in time. */
export function cancelledProblem(): Problem {
  return {
    code: 'cancelled',
    title: t('conn-cancelled-title'),
    whatHappened: t('conn-cancelled-what-happened'),
    whatToDo: t('conn-cancelled-what-to-do'),
    steps: [t('conn-cancelled-what-to-do')],
    whoActs: 'you',
    providerHint: null,
    stage: null,
    evidence: [],
    certificate: null,
    trustedFingerprint: null,
    side: null,
  };
}
