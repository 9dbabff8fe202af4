// How a saved mailbox is described on the Saved step and in the mailbox list.

import type { MailboxSettings } from './bindings/MailboxSettings';
import type { MailboxStatus } from './bindings/MailboxStatus';
import type { Side } from './bindings/Side';
import type { TrustedCertificate } from './bindings/TrustedCertificate';
import { t } from './i18n.svelte';
import { shortFingerprint } from './trust';

/** The servers a password goes to without encryption. */
export function plaintextSides(settings: MailboxSettings): Side[] {
  const sides: Side[] = [];
  if (settings.incoming.endpoint.security === 'none') sides.push('incoming');
  if (settings.outgoing?.endpoint.security === 'none') sides.push('outgoing');
  return sides;
}

/** The tooltip of the "Not encrypted" badge. */
export function plaintextTitle(sides: readonly Side[]): string {
  const which = sides.length === 2 ? 'both' : sides[0] === 'outgoing' ? 'outgoing' : 'incoming';
  return t('mbx-plaintext-title', { sides: which });
}

/** "Trusts a certificate for mail.example.com:993, fingerprint AB:CD:EF:01…" */
export function trustDescription(pin: TrustedCertificate): string {
  return t('mbx-trust-description', {
    server: `${pin.host}:${pin.port}`,
    fingerprint: shortFingerprint(pin.sha256Fingerprint),
  });
}

export type OutgoingHealth = { label: string; tone: 'ok' | 'bad' | 'new' };

/** The outgoing server's own health, when the mailbox has one. */
export function outgoingHealth(settings: MailboxSettings, status: MailboxStatus): OutgoingHealth | null {
  if (!settings.outgoing) return null;
  if (status.consecutiveOutgoingErrors > 0 || status.lastOutgoingErrorTitle) return { label: t('mbx-sending-fails'), tone: 'bad' };
  if (status.lastOutgoingSuccessAt !== null) return { label: t('mbx-sending-works'), tone: 'ok' };
  return { label: t('mbx-sending-not-checked'), tone: 'new' };
}
