import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiscoveryEvent } from './bindings/DiscoveryEvent';
import { demoDiscover } from './demo-discovery';
import { reduceDiscovery } from './discovery';

afterEach(() => {
  vi.useRealTimers();
});

async function run(email: string, extra: { follow?: string[]; autodiscoverPassword?: string } = {}) {
  vi.useFakeTimers();
  const events: DiscoveryEvent[] = [];
  const answer = demoDiscover({ email, probe: true, follow: extra.follow ?? [], ...extra }, (e) => events.push(e), () => false);
  await vi.runAllTimersAsync();
  return { discovery: await answer, events };
}

describe('the demo’s discovery', () => {
  it('reports every source started and ended, then proposes verified servers', async () => {
    const { discovery, events } = await run('alice@example.com');
    const rows = reduceDiscovery(events);
    expect(rows.every((r) => r.status !== null)).toBe(true);
    expect(discovery.incoming[0].verification?.verified).toBe(true);
    expect(discovery.hints[0].kind).toBe('enable');
    expect(discovery.diagnosis).toBeNull();
  });

  it('has a scenario for each part of the proposal', async () => {
    expect((await run('team@harbour-books.example')).discovery.incoming[0].needsConfirmation).not.toBeNull();
    expect((await run('redirect@example.com')).discovery.redirects).toHaveLength(1);
    const followed = await run('redirect@example.com', { follow: ['https://autoconfig.hosting.example/mail/config-v1.1.xml'] });
    expect(followed.discovery.incoming[0].source).toBe('redirect');
    expect((await run('nothing@example.com')).discovery.diagnosis?.code).toBe('settings_not_found');
    expect((await run('corp@example.com')).discovery.autodiscoverWantsPassword).toBe(true);
    expect((await run('corp@example.com', { autodiscoverPassword: 'secret' })).discovery.incoming[0].source).toBe('autodiscover_pox');
    expect((await run('pop@example.com')).discovery.kind).toBe('pop3');
  });

  it('stops with "cancelled" when asked to', async () => {
    vi.useFakeTimers();
    const answer = demoDiscover({ email: 'slowfind@example.com', probe: true, follow: [] }, () => undefined, () => true);
    const refused = expect(answer).rejects.toMatchObject({ code: 'cancelled' });
    await vi.runAllTimersAsync();
    await refused;
  });
});
