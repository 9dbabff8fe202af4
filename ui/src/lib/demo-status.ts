// The demo's status side of the mailbox list: checks that work (or keep failing for a mailbox
// whose last error was a refused password), a believable history, enable/disable, default,
// rename, an administrator's policy that allows everything, and a report.

import type { InletApi, ReportFormat } from './api';
import { demoDiagnosis } from './demo-diagnosis';
import type { CheckRecord } from './bindings/CheckRecord';
import type { MailboxCheck } from './bindings/MailboxCheck';
import type { MailboxRecord } from './bindings/MailboxRecord';
import type { MailboxStatus } from './bindings/MailboxStatus';
import type { SideCheck } from './bindings/SideCheck';

type StatusApi = Pick<
  InletApi,
  | 'mailboxDetails'
  | 'checkMailbox'
  | 'checkAll'
  | 'setMailboxEnabled'
  | 'setDefaultMailbox'
  | 'describeMailbox'
  | 'policySummary'
  | 'mailboxReport'
  | 'saveMailboxReport'
  | 'onMailboxChecked'
>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The engine's badge rule (health.rs `badge`), only for the demo's canned records. */
function demoBadge(s: MailboxStatus): MailboxStatus['badge'] {
  if (!s.enabled) return 'disabled';
  if (s.consecutiveErrors > 0 || s.consecutiveOutgoingErrors > 0) return 'failing';
  if (s.throttled) return 'throttled';
  return 'working';
}

/** A day of checks every quarter of an hour, newest first; the failing ones at the end. */
function pastChecks(m: MailboxRecord): CheckRecord[] {
  const out: CheckRecord[] = [];
  const last = m.status.lastCheckAt ?? Date.now();
  for (let i = 0; i < 24; i++) {
    const at = last - i * 15 * 60_000;
    const failing = i < m.status.consecutiveErrors;
    out.push({
      at,
      side: 'incoming',
      outcome: failing ? 'failed' : i === 9 ? 'throttled' : 'success',
      durationMs: 180 + ((i * 37) % 140),
      code: failing ? m.status.lastErrorCode : i === 9 ? 'throttled' : null,
    });
  }
  return out;
}

export function createDemoStatus(store: {
  get: () => MailboxRecord[];
  set: (next: MailboxRecord[]) => void;
}): StatusApi {
  const histories = new Map<number, CheckRecord[]>();
  const find = (id: number) => {
    const m = store.get().find((x) => x.id === id);
    if (!m) throw demoDiagnosis({ code: 'mailbox_not_found', title: 'This mailbox is no longer saved' });
    return m;
  };
  const put = (m: MailboxRecord) => {
    store.set(store.get().map((x) => (x.id === m.id ? m : x)));
    return m;
  };
  const history = (m: MailboxRecord) => {
    if (!histories.has(m.id)) histories.set(m.id, pastChecks(m));
    return histories.get(m.id)!;
  };
  const changed = (m: MailboxRecord): MailboxRecord => ({ ...m, modifiedAt: Date.now(), modifiedBy: 'you' });

  async function check(id: number): Promise<MailboxCheck> {
    await sleep(700);
    const m = find(id);
    const now = Date.now();
    const refused = m.status.lastErrorCode === 'authentication_failed' && m.status.consecutiveErrors > 0;
    const side: SideCheck = refused
      ? {
          side: 'incoming',
          outcome: 'failed',
          durationMs: 240,
          diagnosis: demoDiagnosis({
            code: 'authentication_failed',
            title: 'The server refused the password',
            whatHappened: 'imap.gmail.com answered "Invalid credentials".',
            whatToDo: 'Update the password, or use an app password if the account has 2-step verification.',
          }),
        }
      : { side: 'incoming', outcome: 'success', durationMs: 210, diagnosis: null };
    const s: MailboxStatus = refused
      ? { ...m.status, lastCheckAt: now, lastErrorAt: now, consecutiveErrors: m.status.consecutiveErrors + 1 }
      : { ...m.status, lastCheckAt: now, lastSuccessAt: now, consecutiveErrors: 0, throttled: false };
    s.badge = demoBadge(s);
    put({ ...m, status: s });
    histories.set(id, [
      { at: now, side: 'incoming', outcome: side.outcome, durationMs: side.durationMs, code: side.diagnosis?.code ?? null },
      ...history(m),
    ]);
    return { id, email: m.settings.email, sides: [side], status: s, disabledNow: false };
  }

  return {
    async mailboxDetails(id) {
      await sleep(120);
      const m = find(id);
      return { mailbox: m, history: history(m) };
    },
    checkMailbox: check,
    async checkAll() {
      const enabled = store.get().filter((m) => m.status.enabled);
      return Promise.all(enabled.map((m) => check(m.id)));
    },
    async setMailboxEnabled(id, enabled) {
      await sleep(150);
      const m = find(id);
      const s = { ...m.status, enabled, disabledAutomatically: false, consecutiveErrors: enabled ? 0 : m.status.consecutiveErrors };
      return put(changed({ ...m, status: { ...s, badge: demoBadge(s) } }));
    },
    async setDefaultMailbox(id) {
      await sleep(150);
      store.set(store.get().map((x) => ({ ...x, isDefault: x.id === id })));
      return put(changed(find(id)));
    },
    async describeMailbox(id, name, description) {
      await sleep(150);
      return put(changed({ ...find(id), name, description }));
    },
    async policySummary() {
      return {
        mayAdd: true,
        mayRemove: true,
        whyNotAdd: null,
        whyNotRemove: null,
        allowedTypes: ['gmail', 'microsoft365', 'exchange', 'imap', 'pop3'],
        minTlsVersion: '1.2',
        errorThresholds: { incoming: 5, outgoing: 5 },
        checkInterval: { minMinutes: 0, maxMinutes: 1440 },
      };
    },
    async mailboxReport(id, format: ReportFormat, masked) {
      await sleep(400);
      const m = find(id);
      const address = masked ? 'a***@example.com' : m.settings.email;
      return format === 'json'
        ? JSON.stringify({ address, checked: 'signed in', outcome: 'ok' }, null, 2)
        : `# Inlet report\n\n- Address: ${address}\n- Checked: signed in\n- Outcome: ok\n`;
    },
    async saveMailboxReport(_id, format) {
      await sleep(300);
      return `~/Downloads/inlet-report.${format === 'json' ? 'json' : 'md'}`;
    },
    async onMailboxChecked() {
      // The demo has no schedule: Check now and Check all are enough to see the status change.
      return () => {};
    },
  };
}
