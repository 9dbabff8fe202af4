// The mailbox list's status side: the engine's badge in words, "Check now" / "Check all", the
// scheduled checks heard live, the administrator's policy, and the details view's state (its
// fields, timeline and actions). The badge itself is the engine's (status.badge): never
// recomputed here.

import { toProblem, type InletApi, type Problem, type ReportFormat } from './api';
import type { CheckRecord } from './bindings/CheckRecord';
import type { MailboxCheck } from './bindings/MailboxCheck';
import type { MailboxDetails } from './bindings/MailboxDetails';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { PolicySummary } from './bindings/PolicySummary';
import type { StatusBadge } from './bindings/StatusBadge';
import { formatDateTime, formatDuration } from './format';
import type { Mailboxes } from './wizard.svelte';

/** The sentence shown where the policy does not allow adding mailboxes. */
export const ADDING_NOT_ALLOWED = 'Your administrator has not allowed adding mailboxes. Ask them for help.';

export type Tone = 'ok' | 'bad' | 'warn' | 'off';

export const BADGES: Record<StatusBadge, { label: string; tone: Tone; hint: string }> = {
  working: { label: 'Working', tone: 'ok', hint: 'The last check signed in and read the folders.' },
  failing: { label: 'Failing', tone: 'bad', hint: 'The last check failed. Open Details to see why.' },
  throttled: {
    label: 'Throttled',
    tone: 'warn',
    hint: 'The server asked Inlet to slow down. Checks wait longer; close other apps connected to this mailbox.',
  },
  disabled: { label: 'Disabled', tone: 'off', hint: 'Inlet does not check this mailbox until it is enabled.' },
  needs_sign_in: { label: 'Needs sign-in', tone: 'bad', hint: 'Sign in again in the browser.' },
};

/** The engine's badge of a record, in words. */
export function badgeOf(m: MailboxRecord): { badge: StatusBadge; label: string; tone: Tone; hint: string } {
  const badge = m.status.badge;
  const info = BADGES[badge] ?? BADGES.failing;
  if (badge === 'disabled' && m.status.disabledAutomatically) {
    return { badge, ...info, hint: 'Turned off after too many errors in a row. Fix the cause, then enable it.' };
  }
  return { badge, ...info };
}

/** The name a person gave the mailbox, else its address. */
export function displayName(m: MailboxRecord): string {
  return m.name?.trim() || m.settings.email;
}

/** A record with the status a check recorded. */
export function withCheck(m: MailboxRecord, check: MailboxCheck): MailboxRecord {
  return m.id === check.id ? { ...m, status: check.status } : m;
}

export const OUTCOME_LABELS: Record<CheckRecord['outcome'], string> = {
  success: 'worked',
  failed: 'failed',
  throttled: 'throttled (server busy)',
  paused: 'paused (no network or keychain)',
};

export interface TimelineMark {
  key: string;
  at: number;
  outcome: CheckRecord['outcome'];
  side: CheckRecord['side'];
  /** For hover and focus: "Incoming, 5 Dec 2026 10:04: worked in 120 ms". */
  label: string;
}

/** The recent checks, oldest first (left to right), at most `limit`. */
export function timeline(history: CheckRecord[], limit = 30): TimelineMark[] {
  return history
    .slice(0, limit)
    .reverse()
    .map((h, i) => ({
      key: `${h.at}-${h.side}-${i}`,
      at: h.at,
      outcome: h.outcome,
      side: h.side,
      label:
        `${h.side === 'incoming' ? 'Incoming' : 'Outgoing'}, ${formatDateTime(h.at)}: ${OUTCOME_LABELS[h.outcome]}` +
        (h.outcome === 'success' ? ` in ${formatDuration(h.durationMs)}` : '') +
        (h.code ? ` (${h.code})` : ''),
    }));
}

/** "3 in a row" for the details' counters; "none" for 0. */
export function inARow(count: number): string {
  return count === 0 ? 'none' : `${count} in a row`;
}

/**
 * The list's status state: the policy, which mailboxes are being checked, and the checks heard
 * from the schedule. Updated records are swapped into `mailboxes` in place.
 */
export class MailboxStatusState {
  policy = $state.raw<PolicySummary | null>(null);
  policyProblem = $state.raw<Problem | null>(null);
  checking = $state.raw<ReadonlySet<number>>(new Set());
  checkingAll = $state(false);
  checkProblem = $state.raw<Problem | null>(null);

  #api: InletApi;
  #mailboxes: Mailboxes;
  #watchers = new Set<(check: MailboxCheck) => void>();

  constructor(api: InletApi, mailboxes: Mailboxes) {
    this.#api = api;
    this.#mailboxes = mailboxes;
  }

  /** Whether "Add another mailbox" is offered: not while the policy is unknown or forbids it. */
  get mayAdd(): boolean {
    return this.policy?.mayAdd ?? false;
  }

  async loadPolicy(): Promise<void> {
    try {
      this.policy = await this.#api.policySummary();
      this.policyProblem = null;
    } catch (error) {
      this.policy = null;
      this.policyProblem = toProblem(error);
    }
  }

  /** Shows what a check recorded, whoever ran it (Check now, Check all, the schedule). */
  apply(check: MailboxCheck): void {
    const m = this.#mailboxes.items.find((x) => x.id === check.id);
    if (m) this.#mailboxes.replace(withCheck(m, check));
    for (const watcher of this.#watchers) watcher(check);
  }

  /** Hears every check shown (the details view reloads its history); answers how to stop. */
  watch(watcher: (check: MailboxCheck) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Listens to the schedule's checks; resolves with the function that stops listening. */
  listen(): Promise<() => void> {
    return this.#api.onMailboxChecked((check) => this.apply(check));
  }

  async checkNow(id: number): Promise<MailboxCheck | null> {
    if (this.checking.has(id)) return null;
    this.checking = new Set([...this.checking, id]);
    this.checkProblem = null;
    try {
      const check = await this.#api.checkMailbox(id);
      this.apply(check);
      return check;
    } catch (error) {
      this.checkProblem = toProblem(error);
      return null;
    } finally {
      this.checking = new Set([...this.checking].filter((x) => x !== id));
    }
  }

  async checkAll(): Promise<void> {
    if (this.checkingAll) return;
    this.checkingAll = true;
    this.checkProblem = null;
    try {
      for (const check of await this.#api.checkAll()) this.apply(check);
    } catch (error) {
      this.checkProblem = toProblem(error);
    } finally {
      this.checkingAll = false;
    }
  }
}

type DetailsAction = 'check' | 'enable' | 'default' | 'describe';

/** The details view of one mailbox: its record and history, and the actions on it. */
export class MailboxDetailsState {
  details = $state.raw<MailboxDetails | null>(null);
  problem = $state.raw<Problem | null>(null);
  actionProblem = $state.raw<Problem | null>(null);
  busy = $state<DetailsAction | null>(null);
  /** The last check's result in words, for the status line (and screen readers). */
  said = $state<string | null>(null);
  /** The last "Check now" of this view, with each side's full diagnosis. */
  lastCheck = $state.raw<MailboxCheck | null>(null);

  readonly id: number;
  #api: InletApi;
  #status: MailboxStatusState;
  #mailboxes: Mailboxes;

  constructor(api: InletApi, status: MailboxStatusState, mailboxes: Mailboxes, id: number) {
    this.#api = api;
    this.#status = status;
    this.#mailboxes = mailboxes;
    this.id = id;
  }

  get mailbox(): MailboxRecord | null {
    return this.#mailboxes.items.find((m) => m.id === this.id) ?? this.details?.mailbox ?? null;
  }

  async load(): Promise<void> {
    try {
      this.details = await this.#api.mailboxDetails(this.id);
      this.problem = null;
      this.#mailboxes.replace(this.details.mailbox);
    } catch (error) {
      this.problem = toProblem(error);
    }
  }

  async #run(action: DetailsAction, work: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = action;
    this.actionProblem = null;
    try {
      await work();
      await this.load();
      return true;
    } catch (error) {
      this.actionProblem = toProblem(error);
      return false;
    } finally {
      this.busy = null;
    }
  }

  checkNow(): Promise<boolean> {
    return this.#run('check', async () => {
      this.said = null;
      const check = await this.#status.checkNow(this.id);
      if (!check) throw this.#status.checkProblem ?? new Error('the check did not run');
      this.lastCheck = check;
      const failed = check.sides.find((s) => s.outcome !== 'success');
      this.said = failed
        ? `Check ${OUTCOME_LABELS[failed.outcome]}: ${failed.diagnosis?.title ?? 'see below'}`
        : 'Check worked.';
    });
  }

  setEnabled(enabled: boolean): Promise<boolean> {
    return this.#run('enable', () => this.#api.setMailboxEnabled(this.id, enabled));
  }

  setDefault(): Promise<boolean> {
    return this.#run('default', async () => {
      await this.#api.setDefaultMailbox(this.id);
      // Only one mailbox is the default: the others' markers change too.
      await this.#mailboxes.load();
    });
  }

  describe(name: string, description: string): Promise<boolean> {
    return this.#run('describe', () =>
      this.#api.describeMailbox(this.id, name.trim() || null, description.trim() || null),
    );
  }

  report = (format: ReportFormat, masked: boolean): Promise<string> =>
    this.#api.mailboxReport(this.id, format, masked);

  saveReport = (format: ReportFormat, masked: boolean): Promise<string> =>
    this.#api.saveMailboxReport(this.id, format, masked);
}
