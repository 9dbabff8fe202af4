// The mailbox types of the first step, and what this release does with each.

import type { MailboxKind } from './bindings/MailboxKind';
import type { Security } from './bindings/Security';

export interface KindInfo {
  kind: MailboxKind;
  label: string;
  blurb: string;
  /** Shown when the type is chosen: what this release does with it. Null for IMAP. */
  note: string | null;
  /** The IMAP server to prefill, when the provider has a well-known one. */
  server: { host: string; port: number; security: Security } | null;
}

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'imap',
    label: 'IMAP',
    blurb: 'Any provider or your own mail server. Keeps your folders.',
    note: null,
    server: null,
  },
  {
    kind: 'gmail',
    label: 'Gmail',
    blurb: 'Gmail and Google Workspace.',
    note:
      'Sign-in with Google arrives in a later version. For now Inlet connects to Gmail over IMAP with an app password (Google Account → Security → App passwords).',
    server: { host: 'imap.gmail.com', port: 993, security: 'tls' },
  },
  {
    kind: 'microsoft365',
    label: 'Microsoft 365',
    blurb: 'Outlook.com and work or school accounts.',
    note:
      'Sign-in with Microsoft arrives in a later version. For now Inlet connects over IMAP; your administrator may have to allow IMAP for your account.',
    server: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  },
  {
    kind: 'exchange',
    label: 'Exchange',
    blurb: 'Exchange Online or your organisation’s Exchange server.',
    note:
      'Exchange Web Services arrive in a later version. For now Inlet connects over IMAP; for an on-premises server, ask your administrator for its IMAP name.',
    server: { host: 'outlook.office365.com', port: 993, security: 'tls' },
  },
  {
    kind: 'pop3',
    label: 'POP3',
    blurb: 'Older servers that only hand out the inbox.',
    note:
      'POP3 is coming in a later version. Most servers that offer POP3 also offer IMAP, which keeps your folders: continue with IMAP settings.',
    server: null,
  },
];

export function kindInfo(kind: MailboxKind): KindInfo {
  return KINDS.find((k) => k.kind === kind) ?? KINDS[0];
}

/** The kind sent to the engine: POP3 continues with IMAP settings, so it is saved as IMAP. */
export function effectiveKind(kind: MailboxKind): MailboxKind {
  return kind === 'pop3' ? 'imap' : kind;
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
