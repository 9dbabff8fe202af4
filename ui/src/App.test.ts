import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import { InletApp } from './lib/wizard.svelte';
import { discovery, discoveryEvent, event, FakeApi, record, report, settle } from './test/fakes';

describe('App', () => {
  it('shows the start-up problem, with the file, what is wrong and what to do, and nothing else', async () => {
    const api = new FakeApi();
    api.configProblem = {
      path: '/home/ann/.config/inlet/config.json',
      whatHappened: 'The file is not a valid Inlet configuration: expected value at line 3 column 5.',
      whatToDo: 'Correct the file (it is JSON), or remove it to use the default settings.',
    };
    const listed = vi.spyOn(api, 'listMailboxes');
    const app = new InletApp(api);
    render(App, { app, api });
    await app.start();
    await settle();

    expect(screen.getByTestId('step-title')).toHaveTextContent('Inlet could not start');
    expect(screen.getByTestId('step-title')).toHaveFocus();
    expect(screen.getByTestId('startup-config-path')).toHaveTextContent('/home/ann/.config/inlet/config.json');
    expect(screen.getByTestId('startup-what-happened')).toHaveTextContent('expected value at line 3 column 5');
    expect(screen.getByTestId('startup-what-to-do')).toHaveTextContent(/Correct the file .* open it again/);
    // Nothing else: no wizard, no list, and the engine is asked nothing more.
    expect(screen.queryByTestId('address')).not.toBeInTheDocument();
    expect(screen.queryByTestId('mailbox-list')).not.toBeInTheDocument();
    expect(listed).not.toHaveBeenCalled();
  });


  it('finds the settings from the address and walks through the wizard by keyboard to the list', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const app = new InletApp(api);
    render(App, { app, api });
    await app.start();
    await settle();

    expect(screen.getByText('Step 1 of 4 · Email address')).toBeInTheDocument();
    expect(screen.getByTestId('address')).toHaveFocus();
    await user.keyboard('alice@example.com{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    expect(api.lastDiscovery.request).toEqual({ email: 'alice@example.com', probe: true, follow: [] });
    api.lastDiscovery.onEvent(discoveryEvent({ source: 'autoconfig', label: 'The domain’s configuration', detail: 'autoconfig.example.com' }));
    await settle();
    expect(screen.getByTestId('discovery-row')).toHaveTextContent('autoconfig.example.com');
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    expect(screen.getByTestId('proposal-incoming-server')).toHaveTextContent('imap.example.com:993');
    expect(screen.getByTestId('use-settings')).toHaveFocus();
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    expect(screen.getByTestId('password')).toHaveFocus();
    await user.keyboard('secret{Enter}');
    await settle();
    expect(screen.getByText('Step 3 of 4 · Connect')).toBeInTheDocument();
    expect(api.lastConnect.request.settings.incoming.endpoint).toEqual({ host: 'imap.example.com', port: 993, security: 'tls' });
    expect(api.lastConnect.request.settings.outgoing?.endpoint).toEqual({ host: 'smtp.example.com', port: 465, security: 'tls' });
    api.lastConnect.onProgress(event({ stage: 'signing_in', state: 'done', detail: 'signed in as alice' }));
    api.lastConnect.result.resolve(report(undefined, 'alice@example.com'));
    await settle();
    expect(screen.getByText('Step 4 of 4 · Folders')).toBeInTheDocument();
    await user.click(screen.getByTestId('save'));
    const saved = record(1, 'alice@example.com');
    api.mailboxes = [saved];
    api.lastSave.result.resolve({ ...saved, settings: api.lastSave.request.settings });
    await settle();
    const summary = screen.getByTestId('saved-summary');
    expect(summary).toHaveTextContent('alice@example.com');
    expect(summary).toHaveTextContent('imap.example.com:993');
    expect(summary).toHaveTextContent('TLS');
    expect(summary).toHaveTextContent('alice@example.com');
    expect(summary).toHaveTextContent('1 folder chosen');
    expect(summary).toHaveTextContent('Password stored in your system keychain');
    await user.click(screen.getByTestId('go-to-list'));
    await settle();
    expect(screen.getByTestId('mailbox-list')).toBeInTheDocument();
    expect(screen.getAllByTestId('mailbox-row')).toHaveLength(1);
  });

  it('sets up by hand after “Set up manually”, with the same four steps', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const app = new InletApp(api);
    render(App, { app, api });
    await app.start();
    await settle();

    await user.keyboard('alice@example.com');
    // The providers' sign-in buttons come first, below the address; then "Set up manually".
    await user.tab();
    expect(screen.getByTestId('sign-in-google')).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId('sign-in-microsoft')).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId('manual')).toHaveFocus();
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    expect(api.discoveries).toHaveLength(0);
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    // The address typed first is kept; the password is next.
    expect(screen.getByTestId('email')).toHaveValue('alice@example.com');
    expect(screen.getByTestId('password')).toHaveFocus();
    await user.keyboard('secret{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    expect(screen.getByTestId('host')).toHaveValue('imap.example.com');
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 3 of 4 · Connect')).toBeInTheDocument();
    expect(api.lastConnect.request.settings.incoming.endpoint.host).toBe('imap.example.com');
  });

  it('starts on the list when mailboxes exist', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com')];
    const app = new InletApp(api);
    render(App, { app, api });
    await app.start();
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Mailboxes');
    expect(screen.getByTestId('mailbox-status')).toHaveTextContent('Never checked');
  });
});
