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
import { t } from './i18n.svelte';
import type { Mailboxes } from './wizard.svelte';

/** The sentence shown where the policy does not allow adding mailboxes. */
export function addingNotAllowed(): string {
  return t('mbx-adding-not-allowed');
}

export type Tone = 'ok' | 'bad' | 'warn' | 'off';

export const BADGE_TONES: Record<StatusBadge, Tone> = {
  working: 'ok',
  failing: 'bad',
  throttled: 'warn',
  disabled: 'off',
  needs_sign_in: 'bad',
};

/** A badge's label and hint in the current language (literal ids: the catalog test finds them). */
function badgeWords(badge: StatusBadge): { label: string; hint: string } {
  switch (badge) {
    case 'working':
      return { label: t('mbx-badge-working'), hint: t('mbx-badge-working-hint') };
    case 'throttled':
      return { label: t('mbx-badge-throttled'), hint: t('mbx-badge-throttled-hint') };
    case 'disabled':
      return { label: t('mbx-badge-disabled'), hint: t('mbx-badge-disabled-hint') };
    case 'needs_sign_in':
      return { label: t('mbx-badge-needs-sign-in'), hint: t('mbx-badge-needs-sign-in-hint') };
    default:
      return { label: t('mbx-badge-failing'), hint: t('mbx-badge-failing-hint') };
  }
}

/** The engine's badge of a record, in words. */
export function badgeOf(m: MailboxRecord): { badge: StatusBadge; label: string; tone: Tone; hint: string } {
  const badge = m.status.badge;
  const known = badge in BADGE_TONES ? badge : 'failing';
  const info = { tone: BADGE_TONES[known], ...badgeWords(known) };
  if (badge === 'disabled' && m.status.disabledAutomatically) {
    return { badge, ...info, hint: t('mbx-badge-disabled-automatically-hint') };
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

/** What a check did, in words ("worked in 120 ms", "failed"). */
export function outcomeLabel(outcome: CheckRecord['outcome'], durationMs = 0): string {
  switch (outcome) {
    case 'success':
      return t('mbx-outcome-worked-in', { duration: formatDuration(durationMs) });
    case 'throttled':
      return t('mbx-outcome-throttled');
    case 'paused':
      return t('mbx-outcome-paused');
    default:
      return t('mbx-outcome-failed');
  }
}

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
      label: h.code
        ? t('mbx-timeline-mark-code', {
            side: h.side,
            at: formatDateTime(h.at),
            outcome: outcomeLabel(h.outcome, h.durationMs),
            code: h.code,
          })
        : t('mbx-timeline-mark', { side: h.side, at: formatDateTime(h.at), outcome: outcomeLabel(h.outcome, h.durationMs) }),
    }));
}

/** "3 in a row" for the details' counters; "none" for 0. */
export function inARow(count: number): string {
  return t('mbx-in-a-row', { count });
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
  /** The last check's result (in words through `said`), for the status line (and screen readers). */
  #said = $state.raw<{ outcome: CheckRecord['outcome']; title: string | null } | null>(null);
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

  /** The last check's result in words, in the current language. */
  get said(): string | null {
    const said = this.#said;
    if (!said) return null;
    if (said.outcome === 'success') return t('mbx-check-worked');
    return t('mbx-check-not-worked', { outcome: said.outcome, title: said.title ?? t('mbx-see-below') });
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
      this.#said = null;
      const check = await this.#status.checkNow(this.id);
      if (!check) throw this.#status.checkProblem ?? new Error('the check did not run');
      this.lastCheck = check;
      const failed = check.sides.find((s) => s.outcome !== 'success');
      this.#said = failed
        ? { outcome: failed.outcome, title: failed.diagnosis?.title ?? null }
        : { outcome: 'success', title: null };
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
