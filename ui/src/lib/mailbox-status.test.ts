import { describe, expect, it } from 'vitest';
import { FakeApi, policySummary, record, successfulCheck } from '../test/fakes';
import { addingNotAllowed, badgeOf, displayName, inARow, MailboxStatusState, timeline } from './mailbox-status.svelte';
import { Mailboxes } from './wizard.svelte';

describe('mailbox status', () => {
  it("shows the engine's badge as it is, never one worked out here", () => {
    // Errors in a row, but the engine says working (e.g. an action just reset it): working.
    expect(badgeOf(record(1, 'a@example.com', { consecutiveErrors: 3, badge: 'working' })).label).toBe('Working');
    expect(badgeOf(record(1, 'a@example.com', { badge: 'needs_sign_in' })).label).toBe('Needs sign-in');
    expect(badgeOf(record(1, 'a@example.com', { badge: 'throttled' })).tone).toBe('warn');
    const off = badgeOf(record(1, 'a@example.com', { enabled: false, disabledAutomatically: true, badge: 'disabled' }));
    expect(off.label).toBe('Disabled');
    expect(off.hint).toContain('too many errors in a row');
  });

  it('names a mailbox by its name, else its address; counts errors in words', () => {
    expect(displayName({ ...record(1, 'a@example.com'), name: '  ' })).toBe('a@example.com');
    expect(displayName({ ...record(1, 'a@example.com'), name: 'Work' })).toBe('Work');
    expect(inARow(0)).toBe('none');
    expect(inARow(2)).toBe('2 in a row');
  });

  it('lays the recent checks out oldest first, each with its time and outcome', () => {
    const marks = timeline([
      { at: 3_000, side: 'incoming', outcome: 'failed', durationMs: 50, code: 'authentication_failed' },
      { at: 2_000, side: 'outgoing', outcome: 'throttled', durationMs: 40, code: 'throttled' },
      { at: 1_000, side: 'incoming', outcome: 'success', durationMs: 120, code: null },
    ]);
    expect(marks.map((m) => m.outcome)).toEqual(['success', 'throttled', 'failed']);
    expect(marks[0].label).toMatch(/^Incoming, .+: worked in 120 ms$/);
    expect(marks[1].label).toMatch(/^Outgoing, .+: throttled \(server busy\) \(throttled\)$/);
    expect(marks[2].label).toContain('(authentication_failed)');
    expect(timeline(Array.from({ length: 50 }, (_, i) => ({ at: i, side: 'incoming' as const, outcome: 'success' as const, durationMs: 1, code: null }))).length).toBe(30);
  });

  it('offers adding only when the policy allows it, and says why not otherwise', async () => {
    const api = new FakeApi();
    const state = new MailboxStatusState(api, new Mailboxes(api));
    expect(state.mayAdd).toBe(false);
    await state.loadPolicy();
    expect(state.mayAdd).toBe(true);
    api.policy = policySummary({ mayAdd: false, whyNotAdd: addingNotAllowed() });
    await state.loadPolicy();
    expect(state.mayAdd).toBe(false);
  });

  it('puts a check, asked for or scheduled, in place of the old status', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'a@example.com'), record(2, 'b@example.com')];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    const state = new MailboxStatusState(api, mailboxes);

    const checked = await state.checkNow(1);
    expect(api.checkMailbox).toHaveBeenCalledWith(1);
    expect(mailboxes.items[0].status.lastCheckAt).toBe(checked?.status.lastCheckAt);
    expect(state.checking.size).toBe(0);

    const stop = await state.listen();
    const scheduled = successfulCheck(mailboxes.items[1], 42);
    scheduled.status.badge = 'failing';
    api.checkListener?.(scheduled);
    expect(mailboxes.items[1].status.badge).toBe('failing');
    stop();
    expect(api.checkListener).toBeNull();
  });
});

describe('watching checks', () => {
  it('tells each watcher about every check shown, until it stops watching', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'a@example.com')];
    const mailboxes = new Mailboxes(api);
    await mailboxes.load();
    const state = new MailboxStatusState(api, mailboxes);
    const heard: number[] = [];
    const stop = state.watch((check) => heard.push(check.id));
    state.apply(successfulCheck(mailboxes.items[0]));
    stop();
    state.apply(successfulCheck(mailboxes.items[0]));
    expect(heard).toEqual([1]);
  });
});
