// The one place the UI talks to the Rust engine. Components and the wizard state receive an
// `InletApi`; the app passes `tauriApi`, unit tests pass a fake.

import { Channel, invoke } from '@tauri-apps/api/core';
import type { ConnectReport } from './bindings/ConnectReport';
import type { ConnectRequest } from './bindings/ConnectRequest';
import type { Diagnosis } from './bindings/Diagnosis';
import type { DiagnosisCode } from './bindings/DiagnosisCode';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { ProgressEvent } from './bindings/ProgressEvent';
import type { SaveRequest } from './bindings/SaveRequest';

export type OnProgress = (event: ProgressEvent) => void;

export interface InletApi {
  /** Connect, sign in and load the folder tree. Rejects with a `Diagnosis`. */
  connectMailbox(request: ConnectRequest, onProgress: OnProgress): Promise<ConnectReport>;
  /** Stop the pending connect; it then rejects with a Diagnosis whose code is "cancelled". */
  cancelConnect(): Promise<void>;
  /** Store the settings and folders, and the password in the keychain. Rejects with a `Diagnosis`. */
  saveMailbox(request: SaveRequest, onProgress: OnProgress): Promise<MailboxRecord>;
  listMailboxes(): Promise<MailboxRecord[]>;
  removeMailbox(id: number): Promise<void>;
  /** Stop trusting the pinned certificate of host:port for a saved mailbox. Rejects with a `Diagnosis`. */
  removeTrustedCertificate(id: number, host: string, port: number): Promise<MailboxRecord>;
  /**
   * Send one message from the address to itself through the outgoing server of
   * `request.settings`. Progress comes with side "outgoing". Rejects with a `Diagnosis`.
   */
  sendTestMessage(request: ConnectRequest, onProgress: OnProgress): Promise<void>;
}

function channel(onProgress: OnProgress): Channel<ProgressEvent> {
  const ch = new Channel<ProgressEvent>();
  ch.onmessage = onProgress;
  return ch;
}

export const tauriApi: InletApi = {
  connectMailbox: (request, onProgress) =>
    invoke<ConnectReport>('connect_mailbox', { request, onProgress: channel(onProgress) }),
  cancelConnect: () => invoke<void>('cancel_connect'),
  saveMailbox: (request, onProgress) =>
    invoke<MailboxRecord>('save_mailbox', { request, onProgress: channel(onProgress) }),
  listMailboxes: () => invoke<MailboxRecord[]>('list_mailboxes'),
  removeMailbox: (id) => invoke<void>('remove_mailbox', { id }),
  removeTrustedCertificate: (id, host, port) =>
    invoke<MailboxRecord>('remove_trusted_certificate', { id, host, port }),
  sendTestMessage: (request, onProgress) =>
    invoke<void>('send_test_message', { request, onProgress: channel(onProgress) }),
};

/** True inside the Tauri window; false in a plain browser (`vite preview`, the demo). */
export function insideTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/**
 * What the UI shows for a failure: a Diagnosis from the engine, or, when something other than a
 * Diagnosis arrived (a bug, a missing command), the same shape with the code "unexpected".
 */
export type Problem = Omit<Diagnosis, 'code'> & { code: DiagnosisCode | 'unexpected' };

const CODES: ReadonlySet<string> = new Set<DiagnosisCode>([
  'invalid_input', 'host_not_found', 'connection_refused', 'network_unreachable', 'timed_out',
  'certificate_untrusted', 'certificate_expired', 'certificate_not_yet_valid', 'certificate_wrong_host',
  'certificate_invalid', 'certificate_changed', 'tls_failed', 'starttls_not_offered', 'encryption_required',
  'plaintext_not_confirmed', 'authentication_failed', 'no_usable_sign_in_method', 'connection_closed',
  'protocol_error', 'server_refused', 'keychain_locked', 'keychain_unavailable', 'keychain_failed',
  'store_failed', 'mailbox_not_found', 'already_saved', 'cancelled',
]);

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
      providerHint: error.providerHint ?? null,
      stage: error.stage ?? null,
      evidence: Array.isArray(error.evidence) ? error.evidence : [],
      certificate: error.certificate ?? null,
      side: error.side === 'incoming' || error.side === 'outgoing' ? error.side : null,
    };
  }
  const message =
    error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  return {
    code: 'unexpected',
    title: 'Inlet could not finish this step',
    whatHappened: 'Something inside Inlet went wrong before the server was asked anything.',
    whatToDo: 'Try again. If it keeps happening, restart Inlet and send the details below to your help desk.',
    providerHint: null,
    stage: null,
    evidence: [message || 'no message'],
    certificate: null,
    side: null,
  };
}

/** The Problem shown when the user cancelled and the engine did not answer in time. */
export function cancelledProblem(): Problem {
  return {
    code: 'cancelled',
    title: 'Connection cancelled',
    whatHappened: 'You stopped the connection before it finished. Nothing was saved.',
    whatToDo: 'Check the settings and try again when you are ready.',
    providerHint: null,
    stage: null,
    evidence: [],
    certificate: null,
    side: null,
  };
}
