// The mailbox types of the first step, and what this release does with each. The servers they
// prefill come from the engine (bindings/mailbox-defaults.ts, generated from its provider table);
// the words are the UI's.

import type { Endpoint } from './bindings/Endpoint';
import type { IncomingServer } from './bindings/IncomingServer';
import type { MailboxDefaults } from './bindings/MailboxDefaults';
import type { MailboxKind } from './bindings/MailboxKind';
import { MAILBOX_DEFAULTS } from './bindings/mailbox-defaults';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import type { Side } from './bindings/Side';

/** The words of a mailbox type: the UI's own. */
interface KindWords {
  label: string;
  blurb: string;
  /** Shown when the type is chosen: what this release does with it. Null for IMAP. */
  note: string | null;
}

export interface KindInfo extends KindWords {
  kind: MailboxKind;
  /** The IMAP server to prefill, when the provider has a well-known one (from the engine). */
  server: Endpoint | null;
  /** The outgoing (SMTP) server to prefill, when the provider has a well-known one (from the engine). */
  outgoing: Endpoint | null;
  /**
   * Whether "Also check the outgoing server" starts ticked (the engine decides): on for IMAP and
   * POP3; off for the providers whose own sign-in arrives later.
   */
  checkOutgoing: boolean;
}

// A record, not a list: the compiler then insists that every kind the engine has has words here.
const WORDS: Record<MailboxKind, KindWords> = {
  imap: {
    label: 'IMAP',
    blurb: 'Any provider or your own mail server. Keeps your folders.',
    note: null,
  },
  gmail: {
    label: 'Gmail',
    blurb: 'Gmail and Google Workspace.',
    note:
      'You sign in with Google in your browser; no password is typed into Inlet. An app password still works where your account allows one.',
  },
  microsoft365: {
    label: 'Microsoft 365',
    blurb: 'Outlook.com and work or school accounts.',
    note:
      'You sign in with Microsoft in your browser; no password is typed into Inlet. Inlet reads mail over IMAP: your administrator may have to allow IMAP for your account.',
  },
  exchange: {
    label: 'Exchange',
    blurb: 'Exchange Online or your organisation’s Exchange server.',
    note:
      'Exchange Online: you sign in with Microsoft in your browser, and Inlet reads mail over IMAP. For an on-premises server, ask your administrator for its IMAP name.',
  },
  pop3: {
    label: 'POP3',
    blurb: 'Older servers that only hand out the inbox.',
    note:
      'POP3 downloads only your inbox: folders and read/unread state are not synced. If your provider also offers IMAP, Inlet will tell you after connecting.',
  },
};

/** The engine's kinds, in its order, with their prefilled servers, and the UI's words for them. */
export function kindsFrom(defaults: MailboxDefaults): KindInfo[] {
  return defaults.kinds.map((d) => ({
    kind: d.kind,
    ...WORDS[d.kind],
    server: d.incoming,
    outgoing: d.outgoing,
    checkOutgoing: d.checkOutgoing,
  }));
}

export const KINDS: readonly KindInfo[] = kindsFrom(MAILBOX_DEFAULTS);

export function kindInfo(kind: MailboxKind): KindInfo {
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0];
}

/** The incoming protocol of a mailbox type: POP3 for POP3, IMAP for every other. */
export function incomingProtocol(kind: MailboxKind): IncomingServer['protocol'] {
  return kind === 'pop3' ? 'pop3' : 'imap';
}

/** The providers' own protocols (Gmail API, EWS, Graph) are not used: these connect over IMAP. */
export function continuesWithImap(kind: MailboxKind): boolean {
  return kind === 'gmail' || kind === 'microsoft365' || kind === 'exchange';
}

export const PROTOCOL_LABELS: Record<Protocol, string> = {
  imap: 'IMAP',
  pop3: 'POP3',
  smtp: 'SMTP',
};

/** "Incoming (IMAP)", "Incoming (POP3)", "Outgoing (SMTP)". */
export function sideLabel(side: Side, incoming: Protocol = 'imap'): string {
  return side === 'outgoing' ? 'Outgoing (SMTP)' : `Incoming (${PROTOCOL_LABELS[incoming]})`;
}

export const SECURITY_LABELS: Record<Security, string> = {
  tls: 'TLS (encrypted from the start)',
  starttls: 'STARTTLS (switches to encryption)',
  none: 'No encryption',
};

export const SECURITY_SHORT: Record<Security, string> = {
  tls: 'TLS',
  starttls: 'STARTTLS',
  none: 'No encryption',
};
