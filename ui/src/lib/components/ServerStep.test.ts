import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { candidate, diagnosis, discovery, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import ServerStep from './ServerStep.svelte';

function atServer(api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.setUpManually();
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

  it('has an outgoing section, on by default, whose port flips with its security', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = atServer(api);
    render(ServerStep, { wizard });
    await settle();
    expect(screen.getByTestId('smtp-enabled')).toBeChecked();
    expect(screen.getByTestId('smtp-host')).toHaveValue('smtp.example.com');
    expect(screen.getByTestId('smtp-port')).toHaveValue('587');
    expect(screen.getByTestId('smtp-security')).toHaveValue('starttls');
    expect(screen.getByTestId('smtp-username')).toHaveAttribute('placeholder', 'Same as incoming');
    await user.selectOptions(screen.getByTestId('smtp-security'), 'tls');
    expect(screen.getByTestId('smtp-port')).toHaveValue('465');
    expect(screen.getByTestId('port')).toHaveValue('993');
    await user.type(screen.getByTestId('smtp-username'), 'alice.smtp');
    await user.click(screen.getByTestId('next'));
    expect(api.lastConnect.request.settings.outgoing).toEqual({
      endpoint: { host: 'smtp.example.com', port: 465, security: 'tls' },
      username: 'alice.smtp',
      samePassword: true,
      allowPlaintextPassword: false,
    });
  });

  it('reveals the outgoing password when it is not the same, and needs it', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = atServer(api);
    render(ServerStep, { wizard });
    expect(screen.getByTestId('smtp-same-password')).toBeChecked();
    expect(screen.queryByTestId('smtp-password')).toBeNull();
    await user.click(screen.getByTestId('smtp-same-password'));
    const password = screen.getByTestId('smtp-password');
    expect(password).toHaveAttribute('type', 'password');
    await user.click(screen.getByTestId('next'));
    expect(api.connects).toHaveLength(0);
    expect(password).toHaveFocus();
    expect(password).toHaveAccessibleDescription(/outgoing server’s password/);
    await user.type(password, 'smtp-secret{Enter}');
    expect(api.lastConnect.request.outgoingCredentials).toEqual({ password: 'smtp-secret' });
  });

  it('needs its own confirmation for an unencrypted outgoing server', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = atServer(api);
    render(ServerStep, { wizard });
    await user.selectOptions(screen.getByTestId('smtp-security'), 'none');
    expect(screen.getByRole('alert')).toHaveTextContent(/unencrypted to the outgoing server/);
    expect(screen.queryByTestId('plaintext-confirm')).toBeNull();
    expect(screen.getByTestId('next')).toBeDisabled();
    await user.click(screen.getByTestId('smtp-plaintext-confirm'));
    await user.click(screen.getByTestId('next'));
    expect(api.lastConnect.request.settings.outgoing?.allowPlaintextPassword).toBe(true);
  });

  it('hides the outgoing fields and sends outgoing: null when unticked', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = atServer(api);
    render(ServerStep, { wizard });
    await user.click(screen.getByTestId('smtp-enabled'));
    expect(screen.queryByTestId('smtp-host')).toBeNull();
    await user.click(screen.getByTestId('next'));
    expect(api.lastConnect.request.settings.outgoing).toBeNull();
  });

  it('names POP3 and its ports for a POP3 mailbox', async () => {
    const user = userEvent.setup();
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    wizard.chooseKind('pop3');
    wizard.next();
    wizard.email = 'alice@example.com';
    wizard.password = 'secret';
    wizard.next();
    render(ServerStep, { wizard });
    expect(screen.getByLabelText('POP3 server')).toHaveValue('pop.example.com');
    expect(screen.getByTestId('port')).toHaveValue('995');
    await user.selectOptions(screen.getByTestId('security'), 'starttls');
    expect(screen.getByTestId('port')).toHaveValue('110');
    expect(screen.getByTestId('security')).toHaveAccessibleDescription(/Port 110/);
  });

  it('after “Edit settings” says where the settings came from, and asks for the password next', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@example.com';
    wizard.next();
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    wizard.editProposal();
    render(ServerStep, { wizard });
    await settle();
    expect(screen.getByText(/Inlet filled in the settings it found for example.com/)).toBeInTheDocument();
    expect(screen.getByTestId('host')).toHaveValue('imap.example.com');
    expect(screen.getByTestId('smtp-host')).toHaveValue('smtp.example.com');
    expect(screen.getByTestId('smtp-port')).toHaveValue('465');
    expect(screen.getByTestId('next')).toHaveTextContent('Next');
    await user.click(screen.getByTestId('next'));
    expect(wizard.step).toBe('account');
    expect(api.connects).toHaveLength(0);
  });

  it('says when the names are only the usual guesses because nothing was found', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'kim@nowhere.example';
    wizard.next();
    api.lastDiscovery.result.resolve(
      discovery({ email: 'kim@nowhere.example', domain: 'nowhere.example', diagnosis: diagnosis({ code: 'settings_not_found' }) }),
    );
    await settle();
    wizard.editProposal();
    render(ServerStep, { wizard });
    await settle();
    expect(screen.getByText(/could not find the settings of nowhere.example and filled in the usual names/)).toBeInTheDocument();
  });

  it('after “Edit settings” keeps the confirmation warning of a found server while it is in the form', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@example.com';
    wizard.next();
    const why = 'example.com’s DNS points to mail.hoster.example, which is not part of example.com; DNS answers can be forged';
    api.lastDiscovery.result.resolve(
      discovery({ incoming: [candidate('mail.hoster.example', 993, { source: 'srv', needsConfirmation: why })] }),
    );
    await settle();
    wizard.editProposal();
    render(ServerStep, { wizard });
    await settle();
    const notice = screen.getByTestId('server-confirmations');
    expect(notice).toHaveTextContent('mail.hoster.example');
    expect(notice).toHaveTextContent('DNS answers can be forged');
    // The user types another server: the warning was about the found one, so it goes.
    await user.clear(screen.getByTestId('host'));
    await user.type(screen.getByTestId('host'), 'imap.example.com');
    expect(screen.queryByTestId('server-confirmations')).not.toBeInTheDocument();
  });
});
