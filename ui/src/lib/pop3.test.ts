import { describe, expect, it } from 'vitest';
import { pop3Summary } from './pop3';

describe('POP3 text', () => {
  it('says plainly that POP3 has only the inbox', () => {
    expect(pop3Summary(1284)).toBe(
      'POP3 downloads only your inbox: 1,284 messages are waiting. Folders and read/unread state are not synced.',
    );
    expect(pop3Summary(1)).toMatch(/: 1 message is waiting\./);
    expect(pop3Summary(0)).toMatch(/: no messages are waiting\./);
    expect(pop3Summary(null)).toBe('POP3 downloads only your inbox. Folders and read/unread state are not synced.');
  });
});
