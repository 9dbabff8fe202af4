import { beforeEach, describe, expect, it, vi } from 'vitest';
import { diagnosis, discovery, discoveryEvent, event, report } from '../test/fakes';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (message: unknown) => void = () => undefined;
  },
}));

const { tauriApi, toProblem, isDiagnosis, insideTauri } = await import('./api');

beforeEach(() => invoke.mockReset());

describe('tauriApi', () => {
  it('calls the engine’s commands with the agreed arguments', async () => {
    invoke.mockResolvedValueOnce(report());
    const onProgress = vi.fn();
    const request = { settings: {} as never, credentials: { password: 'pw' }, outgoingCredentials: null };
    await tauriApi.connectMailbox(request, onProgress);
    const [command, args] = invoke.mock.calls[0];
    expect(command).toBe('connect_mailbox');
    expect(args.request).toBe(request);
    // Messages on the channel reach the callback.
    args.onProgress.onmessage(event({ stage: 'tls', state: 'started' }));
    expect(onProgress).toHaveBeenCalledOnce();

    await tauriApi.cancelConnect();
    expect(invoke).toHaveBeenLastCalledWith('cancel_connect');
    await tauriApi.saveMailbox({ settings: {} as never, folders: [], credentials: { password: 'pw' }, outgoingCredentials: null }, vi.fn());
    expect(invoke.mock.lastCall?.[0]).toBe('save_mailbox');
    expect(Object.keys(invoke.mock.lastCall?.[1])).toEqual(['request', 'onProgress']);
    await tauriApi.listMailboxes();
    expect(invoke).toHaveBeenLastCalledWith('list_mailboxes');
    await tauriApi.removeMailbox(3);
    expect(invoke).toHaveBeenLastCalledWith('remove_mailbox', { id: 3, erase: false });
    await tauriApi.removeMailbox(3, true);
    expect(invoke).toHaveBeenLastCalledWith('remove_mailbox', { id: 3, erase: true });
    await tauriApi.removeTrustedCertificate(3, 'imap.example.com', 993);
    expect(invoke).toHaveBeenLastCalledWith('remove_trusted_certificate', { id: 3, host: 'imap.example.com', port: 993 });

    const sent = vi.fn();
    const test = { settings: {} as never, credentials: { password: 'pw' }, outgoingCredentials: { password: 'smtp' } };
    await tauriApi.sendTestMessage(test, sent);
    const [testCommand, testArgs] = invoke.mock.lastCall!;
    expect(testCommand).toBe('send_test_message');
    expect(Object.keys(testArgs)).toEqual(['request', 'onProgress']);
    expect(testArgs.request).toBe(test);
    testArgs.onProgress.onmessage(event({ side: 'outgoing', stage: 'sending_test_message', state: 'done' }));
    expect(sent).toHaveBeenCalledOnce();
  });

  it('asks for discovery with the request and its progress channel, and cancels it', async () => {
    invoke.mockResolvedValueOnce(discovery());
    const onEvent = vi.fn();
    const request = { email: 'alice@example.com', probe: true, follow: [] };
    await expect(tauriApi.discoverSettings(request, onEvent)).resolves.toMatchObject({ domain: 'example.com' });
    const [command, args] = invoke.mock.lastCall!;
    expect(command).toBe('discover_settings');
    expect(Object.keys(args)).toEqual(['request', 'onProgress']);
    expect(args.request).toBe(request);
    args.onProgress.onmessage(discoveryEvent({ source: 'srv' }));
    expect(onEvent).toHaveBeenCalledWith(expect.objectContaining({ source: 'srv' }));
    await tauriApi.cancelDiscovery();
    expect(invoke).toHaveBeenLastCalledWith('cancel_discovery');
  });

  it('passes a Diagnosis rejection through', async () => {
    invoke.mockRejectedValueOnce(diagnosis());
    await expect(tauriApi.connectMailbox({ settings: {} as never, credentials: { password: '' }, outgoingCredentials: null }, vi.fn())).rejects.toMatchObject({
      code: 'authentication_failed',
    });
  });
});

describe('problems', () => {
  it('recognises a Diagnosis', () => {
    expect(isDiagnosis(diagnosis())).toBe(true);
    expect(isDiagnosis({ code: 'nope', title: 'x' })).toBe(false);
    expect(isDiagnosis('text')).toBe(false);
    expect(toProblem(diagnosis())).toEqual(diagnosis());
    expect(isDiagnosis(diagnosis({ code: 'certificate_changed' }))).toBe(true);
    expect(isDiagnosis(diagnosis({ code: 'settings_not_found' }))).toBe(true);
  });

  it('keeps which server failed, and tolerates an engine that does not say', () => {
    expect(toProblem(diagnosis({ side: 'outgoing' })).side).toBe('outgoing');
    const { side: _side, ...older } = diagnosis();
    expect(toProblem(older).side).toBeNull();
  });

  it('turns anything else into an "unexpected" problem with the message as evidence', () => {
    expect(toProblem(new Error('boom'))).toMatchObject({ code: 'unexpected', evidence: ['boom'] });
    expect(toProblem('no such command')).toMatchObject({ code: 'unexpected', evidence: ['no such command'] });
  });

  it('knows whether it runs inside Tauri', () => {
    expect(insideTauri()).toBe(false);
  });
});
