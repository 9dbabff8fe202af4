import { describe, expect, it } from 'vitest';
import { event } from '../test/fakes';
import { applyProgress, groupBySide, interruptRunning, isRunning, reduceProgress, rowElapsed, stageLabel } from './progress';

describe('progress rows', () => {
  it('makes one row per stage, in order of first appearance', () => {
    const rows = reduceProgress([
      event({ stage: 'resolving', state: 'started', elapsedMs: 0 }),
      event({ stage: 'resolving', state: 'done', detail: '127.0.0.1', elapsedMs: 12 }),
      event({ stage: 'connecting', state: 'started', target: '127.0.0.1:993', elapsedMs: 13 }),
      event({ stage: 'connecting', state: 'done', target: '127.0.0.1:993', detail: 'connected', elapsedMs: 20 }),
      event({ stage: 'tls', state: 'started', elapsedMs: 21 }),
    ]);
    expect(rows.map((r) => [r.stage, r.state])).toEqual([
      ['resolving', 'done'],
      ['connecting', 'done'],
      ['tls', 'started'],
    ]);
    expect(stageLabel(rows[0].stage)).toBe('Looking up the server');
    expect(rows[0].detail).toBe('127.0.0.1');
    expect(rowElapsed(rows[0])).toBe(12);
    expect(rows[1].target).toBe('127.0.0.1:993');
    expect(isRunning(rows[2])).toBe(true);
  });

  it('lets Update replace the detail, and formats counts', () => {
    let rows = reduceProgress([event({ stage: 'listing_folders', state: 'started', elapsedMs: 100 })]);
    rows = applyProgress(rows, event({ stage: 'listing_folders', state: 'update', detail: '1200 so far', current: 1200, elapsedMs: 400 }));
    expect(rows[0].detail).toBe('1,200 so far');
    rows = applyProgress(rows, event({ stage: 'listing_folders', state: 'update', current: 2400, total: 10000, elapsedMs: 700 }));
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toBe('2,400 of 10,000');
    expect(rows[0].state).toBe('update');
    expect(isRunning(rows[0])).toBe(true);
    expect(rowElapsed(rows[0])).toBe(600);
    rows = applyProgress(rows, event({ stage: 'listing_folders', state: 'done', elapsedMs: 900 }));
    expect(rows[0].detail).toBe('2,400 of 10,000');
    expect(rows[0].state).toBe('done');
  });

  it('marks a Failed stage failed and keeps what it knew', () => {
    const rows = reduceProgress([
      event({ stage: 'signing_in', state: 'started', detail: 'as alice@example.com', elapsedMs: 50 }),
      event({ stage: 'signing_in', state: 'update', detail: 'refused as alice@example.com', elapsedMs: 80 }),
      event({ stage: 'signing_in', state: 'started', detail: 'as alice', elapsedMs: 81 }),
      event({ stage: 'signing_in', state: 'failed', elapsedMs: 120 }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].state).toBe('failed');
    expect(rows[0].detail).toBe('as alice');
    expect(isRunning(rows[0])).toBe(false);
    expect(rowElapsed(rows[0])).toBe(70);
  });

  it('does not change the rows it was given', () => {
    const before = reduceProgress([event({ stage: 'tls', state: 'started' })]);
    const after = applyProgress(before, event({ stage: 'tls', state: 'done' }));
    expect(before[0].state).toBe('started');
    expect(after[0].state).toBe('done');
  });

  it('marks stages still running as interrupted when the operation ends', () => {
    const rows = interruptRunning(
      reduceProgress([
        event({ stage: 'resolving', state: 'done' }),
        event({ stage: 'connecting', state: 'started' }),
      ]),
    );
    expect(rows.map((r) => r.interrupted)).toEqual([false, true]);
    expect(rows.some(isRunning)).toBe(false);
  });

  it('keeps one row per server and stage, and groups them by server, incoming first', () => {
    const rows = reduceProgress([
      event({ side: 'outgoing', stage: 'resolving', state: 'started', target: 'smtp.example.com' }),
      event({ side: 'incoming', stage: 'resolving', state: 'started' }),
      event({ side: 'outgoing', stage: 'resolving', state: 'done', target: 'smtp.example.com' }),
      event({ side: 'incoming', stage: 'looking_for_imap', state: 'started', target: 'imap.example.com:993' }),
      event({ side: 'outgoing', stage: 'signing_in', state: 'failed' }),
    ]);
    expect(rows.map((r) => `${r.side}:${r.stage}:${r.state}`)).toEqual([
      'outgoing:resolving:done',
      'incoming:resolving:started',
      'incoming:looking_for_imap:started',
      'outgoing:signing_in:failed',
    ]);
    const groups = groupBySide(rows, 'pop3');
    expect(groups.map((g) => g.label)).toEqual(['Incoming (POP3)', 'Outgoing (SMTP)']);
    expect(groups[0].rows.map((r) => r.stage)).toEqual(['resolving', 'looking_for_imap']);
    expect(stageLabel(groups[0].rows[1].stage)).toBe('Looking for IMAP at the same provider');
    expect(groups[1].rows.map((r) => r.stage)).toEqual(['resolving', 'signing_in']);
    expect(groupBySide(rows.filter((r) => r.side === 'incoming')).map((g) => g.label)).toEqual(['Incoming (IMAP)']);
    expect(groupBySide([])).toEqual([]);
  });

  it('treats an event without a side as the incoming server’s', () => {
    const { side: _side, ...older } = event({ stage: 'tls', state: 'started' });
    expect(applyProgress([], older as never)[0].side).toBe('incoming');
  });
});
