// What the Folders step says for a POP3 mailbox, which has only its inbox.

import { t } from './i18n.svelte';

/** "POP3 downloads only your inbox: 42 messages are waiting. Folders and read/unread state are not synced." */
export function pop3Summary(messageCount: number | null): string {
  return messageCount === null ? t('conn-pop3-summary-unknown') : t('conn-pop3-summary', { count: messageCount });
}
