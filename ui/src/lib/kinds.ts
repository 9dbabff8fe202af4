// The mailbox types of the first step, and what this release does with each.

import type { MailboxKind } from './bindings/MailboxKind';
import type { Protocol } from './bindings/Protocol';
import type { Security } from './bindings/Security';
import type { Side } from './bindings/Side';

export interface KindInfo {
  kind: MailboxKind;
  label: string;
  blurb: string;
  /** Shown when the type is chosen: what this release does with it. Null for IMAP. */
  note: string | null;
  /** The IMAP server to prefill, when the provider has a well-known one. */
  server: { host: string; port: number; security: Security } | null;
  /** The outgoing (SMTP) server to prefill, when the provider has a well-known one. */
  outgoing: { host: string; port: number; security: Security } | null;
  /**
   * Whether "Also check the outgoing server" starts ticked. On for IMAP and POP3; off for the
   * providers whose own sign-in arrives later (Microsoft often turns SMTP sign-in off by default).
   */
  checkOutgoing: boolean;
}

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'imap',
    label: 'IMAP',
    blurb: 'Any provider or your own mail server. Keeps your folders.',
    note: null,
    server: null,
    outgoing: null,
    checkOutgoing: true,
  },
  {
    kind: 'gmail',
    label: 'Gmail',
    blurb: 'Gmail and Google Workspace.',
    note:
      'Sign-in with Google arrives in a later version. For now Inlet connects to Gmail over IMAP with an app password (Google Account → Security → App passwords).',
    server: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.gmail.com', port: 587, security: 'starttls' },
    checkOutgoing: false,
  },
  {
    kind: 'microsoft365',
    label: 'Microsoft 365',
    blurb: 'Outlook.com and work or school accounts.',
    note:
      'Sign-in with Microsoft arrives in a later version. For now Inlet connects over IMAP; your administrator may have to allow IMAP for your account.',
    server: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    checkOutgoing: false,
  },
  {
    kind: 'exchange',
    label: 'Exchange',
    blurb: 'Exchange Online or your organisation’s Exchange server.',
    note:
      'Exchange Web Services arrive in a later version. For now Inlet connects over IMAP; for an on-premises server, ask your administrator for its IMAP name.',
    server: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    outgoing: { host: 'smtp.office365.com', port: 587, security: 'starttls' },
    checkOutgoing: false,
  },
  {
    kind: 'pop3',
    label: 'POP3',
    blurb: 'Older servers that only hand out the inbox.',
    note:
      'POP3 downloads only your inbox: folders and read/unread state are not synced. If your provider also offers IMAP, Inlet will tell you after connecting.',
    server: null,
    outgoing: null,
    checkOutgoing: true,
  },
];

export function kindInfo(kind: MailboxKind): KindInfo {
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0];
}

/** The incoming protocol of a mailbox type: POP3 for POP3, IMAP for every other. */
export function incomingProtocol(kind: MailboxKind): Protocol {
  return kind === 'pop3' ? 'pop3' : 'imap';
}

/** The providers' own sign-in arrives later; until then they connect over IMAP. */
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
