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
import { t } from './i18n.svelte';

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
// Getters: the words are looked up where they are shown, in the language of that moment.
const WORDS: Record<MailboxKind, KindWords> = {
  imap: {
    label: 'IMAP',
    get blurb() {
      return t('wiz-kind-imap-blurb');
    },
    note: null,
  },
  gmail: {
    label: 'Gmail',
    get blurb() {
      return t('wiz-kind-gmail-blurb');
    },
    get note() {
      return t('wiz-kind-gmail-note');
    },
  },
  microsoft365: {
    label: 'Microsoft 365',
    get blurb() {
      return t('wiz-kind-microsoft365-blurb');
    },
    get note() {
      return t('wiz-kind-microsoft365-note');
    },
  },
  exchange: {
    label: 'Exchange',
    get blurb() {
      return t('wiz-kind-exchange-blurb');
    },
    get note() {
      return t('wiz-kind-exchange-note');
    },
  },
  pop3: {
    label: 'POP3',
    get blurb() {
      return t('wiz-kind-pop3-blurb');
    },
    get note() {
      return t('wiz-kind-pop3-note');
    },
  },
};

/** The engine's kinds, in its order, with their prefilled servers, and the UI's words for them. */
export function kindsFrom(defaults: MailboxDefaults): KindInfo[] {
  return defaults.kinds.map((d) => {
    const words = WORDS[d.kind];
    return {
      kind: d.kind,
      label: words.label,
      // Not spread: a spread would read the words once, in the language of the module's loading.
      get blurb() {
        return words.blurb;
      },
      get note() {
        return words.note;
      },
      server: d.incoming,
      outgoing: d.outgoing,
      checkOutgoing: d.checkOutgoing,
    };
  });
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
  return side === 'outgoing' ? t('wiz-side-outgoing') : t('wiz-side-incoming', { protocol: PROTOCOL_LABELS[incoming] });
}

// Getters: each read is in the current language (a component reading it follows a change).
export const SECURITY_LABELS: Record<Security, string> = {
  get tls() {
    return t('wiz-security-tls');
  },
  get starttls() {
    return t('wiz-security-starttls');
  },
  get none() {
    return t('wiz-security-none');
  },
};

export const SECURITY_SHORT: Record<Security, string> = {
  tls: 'TLS',
  starttls: 'STARTTLS',
  get none() {
    return t('wiz-security-none');
  },
};
