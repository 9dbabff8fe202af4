// Discovery in the wizard: the engine's events → one live row per source, and the proposal →
// the wizard's fields. Pure functions.

import type { Candidate } from './bindings/Candidate';
import type { Discovery } from './bindings/Discovery';
import type { DiscoveryEvent } from './bindings/DiscoveryEvent';
import type { Hint } from './bindings/Hint';
import type { HintKind } from './bindings/HintKind';
import type { MailboxKind } from './bindings/MailboxKind';
import type { Security } from './bindings/Security';
import type { SourceId } from './bindings/SourceId';
import type { SourceStatus } from './bindings/SourceStatus';
import type { StepStatus } from './bindings/StepStatus';
import { t } from './i18n.svelte';
import { kindInfo } from './kinds';

/** One server the verification checked: "imap.example.com:993" and what came of it. */
export interface DiscoveryCheck {
  target: string;
  detail: string;
  ok: boolean;
}

export interface DiscoveryRow {
  source: SourceId;
  label: string;
  /** Null while the source runs. */
  status: SourceStatus | null;
  /** While running: what is asked ("autoconfig.example.com"); once ended: what came of it. */
  detail: string | null;
  /** When the source started and when it last reported, in ms since discovery began. */
  startedMs: number;
  lastMs: number;
  /** The verification only: one line per server checked, in the order they answered. */
  checks: DiscoveryCheck[];
  /** The verification only: how many servers it announced (0 when it did not say). */
  expected: number;
  /** Still running when discovery ended (cancelled, or the engine failed). */
  interrupted: boolean;
}

export function isSearching(row: DiscoveryRow): boolean {
  return row.status === null && !row.interrupted;
}

/** What each ending means, in plain words (also read out to screen readers). */
// Getters: each read is in the current language (a component reading it follows a change).
export const SOURCE_STATUS_LABELS: Record<SourceStatus, string> = {
  get found() {
    return t('wiz-status-found');
  },
  get not_found() {
    return t('wiz-status-not-found');
  },
  get timed_out() {
    return t('wiz-status-timed-out');
  },
  get failed() {
    return t('wiz-status-failed');
  },
  get cancelled() {
    return t('wiz-status-cancelled');
  },
  get skipped() {
    return t('wiz-status-skipped');
  },
};

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  get found() {
    return t('wiz-status-found');
  },
  get not_found() {
    return t('wiz-status-not-found');
  },
  get not_offered() {
    return t('wiz-status-not-offered');
  },
  get timed_out() {
    return t('wiz-status-timed-out');
  },
  get failed() {
    return t('wiz-status-failed');
  },
};

/**
 * Apply one event. Returns a new array with one row per source, in the order the sources
 * first reported. A source reports once when it starts and once when it ends; the verification
 * reports once when it starts and then once per server it checked.
 */
export function applyDiscoveryEvent(rows: readonly DiscoveryRow[], event: DiscoveryEvent): DiscoveryRow[] {
  const index = rows.findIndex((r) => r.source === event.source);
  const detail = event.detail ?? null;
  const verification = event.source === 'verification';
  if (index < 0 || event.status === null) {
    const fresh: DiscoveryRow = {
      source: event.source,
      label: event.label,
      status: verification ? null : event.status,
      detail,
      startedMs: event.elapsedMs,
      lastMs: event.elapsedMs,
      checks: [],
      expected: verification && event.status === null ? event.checking.length : 0,
      interrupted: false,
    };
    if (verification && event.status !== null) return applyDiscoveryEvent([...rows, { ...fresh, detail: null }], event);
    if (index < 0) return [...rows, fresh];
    const copy = rows.slice();
    copy[index] = fresh;
    return copy;
  }
  const row = rows[index];
  let next: DiscoveryRow;
  if (verification) {
    const checks = [...row.checks, { target: event.target ?? '', detail: detail ?? '', ok: event.status === 'found' }];
    const complete = row.expected > 0 && checks.length >= row.expected;
    next = {
      ...row,
      checks,
      status: complete ? verificationStatus(checks) : null,
      lastMs: event.elapsedMs,
    };
  } else {
    next = { ...row, status: event.status, detail: detail ?? row.detail, lastMs: event.elapsedMs, interrupted: false };
  }
  const copy = rows.slice();
  copy[index] = next;
  return copy;
}

function verificationStatus(checks: readonly DiscoveryCheck[]): SourceStatus {
  return checks.some((c) => c.ok) ? 'found' : 'failed';
}

export function reduceDiscovery(events: readonly DiscoveryEvent[]): DiscoveryRow[] {
  return events.reduce<DiscoveryRow[]>((rows, e) => applyDiscoveryEvent(rows, e), []);
}

/**
 * Discovery answered: the verification ends here (the answer does not wait for checks of
 * alternatives once the best server of each side answered, so fewer may report than announced).
 */
export function finishDiscoveryRows(rows: readonly DiscoveryRow[]): DiscoveryRow[] {
  return rows.map((r) =>
    r.source === 'verification' && r.status === null
      ? { ...r, status: r.checks.length > 0 ? verificationStatus(r.checks) : 'skipped' }
      : r,
  );
}

/** Discovery stopped: a source still running did not finish. */
export function interruptDiscoveryRows(rows: readonly DiscoveryRow[]): DiscoveryRow[] {
  return rows.map((r) => (isSearching(r) ? { ...r, interrupted: true } : r));
}

/** How long the source took (or has taken so far). */
export function discoveryRowElapsed(row: DiscoveryRow): number {
  return Math.max(0, row.lastMs - row.startedMs);
}

/**
 * The mailbox type a proposal stands for: POP3 when the chosen incoming server is POP3, IMAP
 * when a POP3 mailbox is to be read over IMAP after all, else the type discovery detected
 * (a custom domain at Google Workspace is "gmail").
 */
export function kindOf(discovery: Pick<Discovery, 'kind'>, incoming: Candidate | null): MailboxKind {
  if (incoming?.protocol === 'pop3') return 'pop3';
  if (discovery.kind === 'pop3') return 'imap';
  return discovery.kind;
}

/** The wizard's fields for a proposal (what the Server step would show). */
export interface ProposalFields {
  kind: MailboxKind;
  host: string;
  port: string;
  security: Security;
  /** Empty: the engine tries the full address, then the part before @. */
  username: string;
  smtpEnabled: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: Security;
  /** Empty: the username the incoming server accepted. */
  smtpUsername: string;
}

/**
 * The chosen candidates as the wizard's fields. "Also check the outgoing server" follows the
 * mailbox type, as when the type is chosen by hand (off for providers whose own sign-in comes
 * later); without an outgoing candidate there is nothing to check.
 */
export function proposalFields(
  discovery: Pick<Discovery, 'kind'>,
  incoming: Candidate | null,
  outgoing: Candidate | null,
): ProposalFields {
  const kind = kindOf(discovery, incoming);
  const username = incoming?.username?.trim() ?? '';
  const smtpUsername = outgoing?.username?.trim() ?? '';
  return {
    kind,
    host: incoming?.endpoint.host ?? '',
    port: incoming ? String(incoming.endpoint.port) : '',
    security: incoming?.endpoint.security ?? 'tls',
    username,
    smtpEnabled: outgoing !== null && kindInfo(kind).checkOutgoing,
    smtpHost: outgoing?.endpoint.host ?? '',
    smtpPort: outgoing ? String(outgoing.endpoint.port) : '',
    smtpSecurity: outgoing?.endpoint.security ?? 'starttls',
    // The same name as the incoming server's needs no repeating ("Same as incoming").
    smtpUsername: smtpUsername === username ? '' : smtpUsername,
  };
}

/** A server the user must confirm before it is used, and why. */
export interface Confirmation {
  side: 'incoming' | 'outgoing';
  host: string;
  reason: string;
}

export function confirmationsFor(incoming: Candidate | null, outgoing: Candidate | null): Confirmation[] {
  const out: Confirmation[] = [];
  if (incoming?.needsConfirmation) out.push({ side: 'incoming', host: incoming.endpoint.host, reason: incoming.needsConfirmation });
  if (outgoing?.needsConfirmation) out.push({ side: 'outgoing', host: outgoing.endpoint.host, reason: outgoing.needsConfirmation });
  return out;
}

const HINT_ORDER: Record<HintKind, number> = { enable: 0, instruction: 1, documentation: 2 };

/** What must be done first ("enable IMAP") comes first, then advice, then help pages. */
export function sortHints(hints: readonly Hint[]): Hint[] {
  return hints
    .map((hint, i) => ({ hint, i }))
    .sort((a, b) => HINT_ORDER[a.hint.kind] - HINT_ORDER[b.hint.kind] || a.i - b.i)
    .map(({ hint }) => hint);
}

/** The verification of a candidate, in words: a badge and the detail beside it. */
export interface VerificationText {
  verified: boolean;
  badge: string;
  /** Plain words. */
  detail: string;
  /** The technician's words (the protocol, the sign-in mechanisms), behind "Show details". */
  technical?: string;
}

export function verificationText(candidate: Candidate): VerificationText {
  const v = candidate.verification;
  if (v?.verified) {
    const detail =
      candidate.endpoint.security === 'none' ? t('wiz-verified-plain') : t('wiz-verified-encrypted');
    return { verified: true, badge: t('wiz-verified'), detail, technical: v.detail };
  }
  if (v?.certificateProblem) {
    return {
      verified: false,
      badge: t('wiz-not-verified'),
      detail: t('wiz-verify-certificate', { detail: v.detail }),
    };
  }
  if (v) return { verified: false, badge: t('wiz-not-verified'), detail: v.detail };
  return { verified: false, badge: t('wiz-not-verified'), detail: t('wiz-verify-unchecked') };
}

/** How a candidate is signed in to, in words (decided by the engine from what the server offered). */
export function signInText(candidate: Candidate): string {
  switch (candidate.signIn) {
    case 'password':
      return t('wiz-sign-in-password');
    case 'browser_only':
      return t('wiz-sign-in-browser-only');
    case 'unknown':
      return t('wiz-sign-in-unknown');
  }
}

/** The chosen servers that refuse passwords: the wizard signs in with a password. */
export function browserOnly(incoming: Candidate | null, outgoing: Candidate | null): Candidate[] {
  return [incoming, outgoing].filter((c): c is Candidate => c?.signIn === 'browser_only');
}

/** The login name a candidate uses, in words. */
export function loginName(candidate: Candidate, email: string): string {
  const name = candidate.username?.trim();
  if (name) return name;
  const at = email.lastIndexOf('@');
  return at > 0 ? t('wiz-login-either', { address: email, local: email.slice(0, at) }) : email;
}

/** The same server in two lists (for keys and comparisons). */
export function candidateKey(c: Candidate): string {
  return `${c.protocol}:${c.endpoint.host.toLowerCase()}:${c.endpoint.port}:${c.endpoint.security}`;
}
