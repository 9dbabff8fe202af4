import { describe, expect, it } from 'vitest';
import { candidate, discovery } from '../test/fakes';
import {
  brandOf,
  countdownText,
  countdownWords,
  GOOGLE,
  issuerForKind,
  issuerName,
  MICROSOFT,
  offeredIssuer,
  optionFor,
  takesPassword,
} from './sign-in';

describe('sign-in', () => {
  it('signs the manual Gmail type in with Google, Microsoft 365 and Exchange with Microsoft, others with a password', () => {
    expect(issuerForKind('gmail')).toEqual(GOOGLE);
    expect(issuerForKind('microsoft365')).toEqual({ provider: 'microsoft' });
    expect(issuerForKind('exchange')).toEqual(MICROSOFT);
    expect(issuerForKind('imap')).toBeNull();
    expect(issuerForKind('pop3')).toBeNull();
  });

  it('names the issuer: the provider, or the host of any other issuer', () => {
    expect(issuerName(GOOGLE)).toBe('Google');
    expect(issuerName({ provider: 'microsoft', tenant: 'organizations' })).toBe('Microsoft');
    expect(issuerName({ provider: 'issuer', url: 'https://login.example.com/realms/mail' })).toBe('login.example.com');
    expect(issuerName({ provider: 'issuer', url: 'not a url' })).toBe('not a url');
    expect(brandOf(GOOGLE)).toBe('google');
    expect(brandOf({ provider: 'issuer', url: 'https://login.example.com' })).toBeNull();
  });

  it('takes the engine’s word on a provider, and counts an unknown one as available', () => {
    const options = [{ provider: 'google' as const, available: false, whyNot: 'Set oauth.google.clientId.' }];
    expect(optionFor(options, GOOGLE)).toEqual(options[0]);
    expect(optionFor(options, MICROSOFT).available).toBe(true);
    expect(optionFor([], { provider: 'issuer', url: 'https://login.example.com' }).available).toBe(true);
  });

  it('reads the sign-in discovery offers, when there is one', () => {
    expect(offeredIssuer(null)).toBeNull();
    expect(offeredIssuer(discovery())).toBeNull();
    expect(offeredIssuer(discovery({ signInOffer: MICROSOFT }))).toEqual(MICROSOFT);
  });

  it('knows whether the servers still take a password', () => {
    expect(takesPassword(null)).toBe(true);
    expect(takesPassword(candidate())).toBe(true);
    expect(takesPassword(candidate('imap.example.com', 993, { signIn: 'browser_only' }))).toBe(false);
  });

  it('counts down in minutes and seconds, and says it in words', () => {
    expect(countdownText(300_000)).toBe('5:00');
    expect(countdownText(245_001)).toBe('4:06');
    expect(countdownText(9_000)).toBe('0:09');
    expect(countdownText(-5_000)).toBe('0:00');
    expect(countdownWords(61_000)).toBe('1 minute 1 second left');
    expect(countdownWords(120_000)).toBe('2 minutes left');
    expect(countdownWords(0)).toBe('0 seconds left');
  });
});
