// Progress events → one row per stage, for the live list on the Connecting step.

import type { ProgressEvent } from './bindings/ProgressEvent';
import type { Protocol } from './bindings/Protocol';
import type { Side } from './bindings/Side';
import type { Stage } from './bindings/Stage';
import type { StageState } from './bindings/StageState';
import { t } from './i18n.svelte';
import { sideLabel } from './kinds';

/** A stage's name in the current language ("Looking up the server"). */
export function stageLabel(stage: Stage): string {
  switch (stage) {
    case 'resolving':
      return t('conn-stage-resolving');
    case 'connecting':
      return t('conn-stage-connecting');
    case 'tls':
      return t('conn-stage-tls');
    case 'greeting':
      return t('conn-stage-greeting');
    case 'capabilities':
      return t('conn-stage-capabilities');
    case 'starttls':
      return t('conn-stage-starttls');
    case 'signing_in':
      return t('conn-stage-signing-in');
    case 'listing_folders':
      return t('conn-stage-listing-folders');
    case 'checking_mailbox':
      return t('conn-stage-checking-mailbox');
    case 'looking_for_imap':
      return t('conn-stage-looking-for-imap');
    case 'sending_test_message':
      return t('conn-stage-sending-test-message');
    case 'saving':
      return t('conn-stage-saving');
    default:
      return stage;
  }
}

export interface ProgressRow {
  /** Which server: both are checked at once, each with its own stages. */
  side: Side;
  /** Its name is `stageLabel(stage)`, asked for where it is shown (it follows the language). */
  stage: Stage;
  /** The last state reported for this stage. */
  state: StageState;
  target: string | null;
  detail: string | null;
  /** The detail is a count ("1,200 so far"): plain words, shown without "Show details". */
  counted: boolean;
  /** When the stage started and when it last reported, in ms since the use case began. */
  startedMs: number;
  lastMs: number;
  /** The stage was still running when the whole operation ended (failed elsewhere or cancelled). */
  interrupted: boolean;
}

export function isRunning(row: ProgressRow): boolean {
  return (row.state === 'started' || row.state === 'update') && !row.interrupted;
}

/** Counts win over the engine's words so that the number reads "1,200 so far". */
function detailOf(event: ProgressEvent): string | null {
  if (event.current !== null && event.current !== undefined) {
    return event.total !== null && event.total !== undefined
      ? t('conn-progress-of', { current: event.current, total: event.total })
      : t('conn-progress-so-far', { current: event.current });
  }
  return event.detail ?? null;
}

function isCount(event: ProgressEvent): boolean {
  return event.current !== null && event.current !== undefined;
}

/** An event without a side (an older engine) is about the incoming server. */
export function sideOf(event: Pick<ProgressEvent, 'side'>): Side {
  return event.side === 'outgoing' ? 'outgoing' : 'incoming';
}

/** A row's key: its server and its stage. */
export function rowKey(row: Pick<ProgressRow, 'side' | 'stage'>): string {
  return `${row.side}:${row.stage}`;
}

/**
 * Apply one event. Returns a new array; there is one row per server and stage, and rows keep the
 * order in which they first appeared.
 */
export function applyProgress(rows: readonly ProgressRow[], event: ProgressEvent): ProgressRow[] {
  const side = sideOf(event);
  const index = rows.findIndex((r) => r.stage === event.stage && r.side === side);
  const detail = detailOf(event);
  if (index < 0) {
    return [
      ...rows,
      {
        side,
        stage: event.stage,
        state: event.state,
        target: event.target ?? null,
        detail,
        counted: isCount(event),
        startedMs: event.elapsedMs,
        lastMs: event.elapsedMs,
        interrupted: false,
      },
    ];
  }
  const row = rows[index];
  const restarted = event.state === 'started';
  const next: ProgressRow = {
    ...row,
    state: event.state,
    target: event.target ?? row.target,
    // Started begins afresh (another address, another username); Update replaces the detail;
    // Done and Failed keep the last detail when they bring none.
    detail: restarted ? detail : (detail ?? row.detail),
    counted: restarted || detail !== null ? isCount(event) : row.counted,
    startedMs: restarted && row.state !== 'update' && row.state !== 'started' ? event.elapsedMs : row.startedMs,
    lastMs: event.elapsedMs,
    interrupted: false,
  };
  const copy = rows.slice();
  copy[index] = next;
  return copy;
}

export function reduceProgress(events: readonly ProgressEvent[]): ProgressRow[] {
  return events.reduce<ProgressRow[]>((rows, e) => applyProgress(rows, e), []);
}

/** When the operation ends, a stage still running did not finish. */
export function interruptRunning(rows: readonly ProgressRow[]): ProgressRow[] {
  return rows.map((r) => (isRunning(r) ? { ...r, interrupted: true } : r));
}

/** How long the stage took (or has taken so far). */
export function rowElapsed(row: ProgressRow): number {
  return Math.max(0, row.lastMs - row.startedMs);
}

export interface ProgressGroup {
  side: Side;
  /** "Incoming (IMAP)", "Incoming (POP3)", "Outgoing (SMTP)". */
  label: string;
  rows: ProgressRow[];
}

/** The rows by server, incoming first; a server with no row yet has no group. */
export function groupBySide(rows: readonly ProgressRow[], incoming: Protocol = 'imap'): ProgressGroup[] {
  const groups: ProgressGroup[] = [];
  for (const side of ['incoming', 'outgoing'] as const) {
    const mine = rows.filter((r) => r.side === side);
    if (mine.length > 0) groups.push({ side, label: sideLabel(side, incoming), rows: mine });
  }
  return groups;
}
