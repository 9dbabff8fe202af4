import { describe, expect, it } from 'vitest';
import type { MailboxDefaults } from './bindings/MailboxDefaults';
import { MAILBOX_DEFAULTS } from './bindings/mailbox-defaults';
import { KINDS, kindInfo, kindsFrom } from './kinds';

describe('mailbox kinds', () => {
  it('take their servers from the engine and their words from the UI', () => {
    const engine: MailboxDefaults = {
      kinds: [
        { kind: 'pop3', incoming: null, outgoing: null, checkOutgoing: true },
        {
          kind: 'gmail',
          incoming: { host: 'imap.example.test', port: 1993, security: 'tls' },
          outgoing: { host: 'smtp.example.test', port: 1587, security: 'starttls' },
          checkOutgoing: false,
        },
      ],
      ports: [],
    };
    const kinds = kindsFrom(engine);
    expect(kinds.map((k) => k.kind)).toEqual(['pop3', 'gmail']);
    expect(kinds[1]).toMatchObject({
      label: 'Gmail',
      server: { host: 'imap.example.test', port: 1993, security: 'tls' },
      outgoing: { host: 'smtp.example.test', port: 1587, security: 'starttls' },
      checkOutgoing: false,
    });
    expect(kinds[0].label).toBe('POP3');
  });

  it('are the engine’s, every one with words', () => {
    expect(KINDS.map((k) => k.kind)).toEqual(MAILBOX_DEFAULTS.kinds.map((k) => k.kind));
    for (const k of KINDS) expect(k.label && k.blurb).toBeTruthy();
    // The provider table says 465 with TLS for Gmail's outgoing server (Google documents 587 too).
    expect(kindInfo('gmail').outgoing).toEqual({ host: 'smtp.gmail.com', port: 465, security: 'tls' });
  });
});
