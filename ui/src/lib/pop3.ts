// What the Folders step says for a POP3 mailbox, which has only its inbox.

import { formatCount } from './format';

/** "POP3 downloads only your inbox: 42 messages are waiting. Folders and read/unread state are not synced." */
export function pop3Summary(messageCount: number | null): string {
  const waiting =
    messageCount === null
      ? ''
      : messageCount === 0
        ? ': no messages are waiting'
        : messageCount === 1
          ? ': 1 message is waiting'
          : `: ${formatCount(messageCount)} messages are waiting`;
  return `POP3 downloads only your inbox${waiting}. Folders and read/unread state are not synced.`;
}
