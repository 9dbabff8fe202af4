import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import ServerStep from './ServerStep.svelte';

function atServer(api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  return wizard;
}

describe('ServerStep', () => {
  it('prefills the host and the port and flips the port with the security', async () => {
    const user = userEvent.setup();
    render(ServerStep, { wizard: atServer() });
    await settle();
    expect(screen.getByTestId('host')).toHaveValue('imap.example.com');
    expect(screen.getByTestId('port')).toHaveValue('993');
    await user.selectOptions(screen.getByTestId('security'), 'starttls');
    expect(screen.getByTestId('port')).toHaveValue('143');
    await user.selectOptions(screen.getByTestId('security'), 'tls');
    expect(screen.getByTestId('port')).toHaveValue('993');
  });

  it('checks the port range', async () => {
    const user = userEvent.setup();
    const wizard = atServer();
    render(ServerStep, { wizard });
    await user.clear(screen.getByTestId('port'));
    await user.type(screen.getByTestId('port'), '99999{Enter}');
    expect(wizard.step).toBe('server');
    expect(screen.getByTestId('port')).toHaveAccessibleDescription('The port must be a whole number between 1 and 65535.');
  });

  it('needs the plaintext confirmation before Next works', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = atServer(api);
    render(ServerStep, { wizard });
    await user.selectOptions(screen.getByTestId('security'), 'none');
    expect(screen.getByRole('alert')).toHaveTextContent(/unencrypted/);
    expect(screen.getByTestId('next')).toBeDisabled();
    await user.click(screen.getByTestId('plaintext-confirm'));
    expect(screen.getByTestId('next')).toBeEnabled();
    await user.click(screen.getByTestId('next'));
    expect(wizard.step).toBe('connecting');
    expect(api.lastConnect.request.settings.incoming).toMatchObject({
      allowPlaintextPassword: true,
      endpoint: { host: 'imap.example.com', port: 143, security: 'none' },
    });
  });
});
