import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { InletApp } from './lib/wizard.svelte';
import { event, FakeApi, record, report, settle } from './test/fakes';

describe('App', () => {
  it('walks through the whole wizard by keyboard and lands on the list', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const app = new InletApp(api);
    render(App, { app });
    await app.start();
    await settle();

    expect(screen.getByText('Step 1 of 5 · Mailbox type')).toBeInTheDocument();
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 2 of 5 · Account')).toBeInTheDocument();
    expect(screen.getByTestId('email')).toHaveFocus();
    await user.keyboard('alice@example.com');
    await user.tab();
    await user.keyboard('secret{Enter}');
    await settle();
    expect(screen.getByTestId('host')).toHaveValue('imap.example.com');
    await user.keyboard('{Enter}');
    await settle();
    expect(screen.getByText('Step 4 of 5 · Connect')).toBeInTheDocument();
    api.lastConnect.onProgress(event({ stage: 'signing_in', state: 'done', detail: 'signed in as alice' }));
    api.lastConnect.result.resolve(report(undefined, 'alice'));
    await settle();
    expect(screen.getByText('Step 5 of 5 · Folders')).toBeInTheDocument();
    await user.click(screen.getByTestId('save'));
    const saved = record(1, 'alice@example.com');
    api.mailboxes = [saved];
    api.lastSave.result.resolve({ ...saved, settings: api.lastSave.request.settings });
    await settle();
    const summary = screen.getByTestId('saved-summary');
    expect(summary).toHaveTextContent('alice@example.com');
    expect(summary).toHaveTextContent('imap.example.com:993');
    expect(summary).toHaveTextContent('TLS');
    expect(summary).toHaveTextContent('alice');
    expect(summary).toHaveTextContent('1 folder chosen');
    expect(summary).toHaveTextContent('Password stored in your system keychain');
    await user.click(screen.getByTestId('go-to-list'));
    await settle();
    expect(screen.getByTestId('mailbox-list')).toBeInTheDocument();
    expect(screen.getAllByTestId('mailbox-row')).toHaveLength(1);
  });

  it('starts on the list when mailboxes exist', async () => {
    const api = new FakeApi();
    api.mailboxes = [record(1, 'alice@example.com')];
    const app = new InletApp(api);
    render(App, { app });
    await app.start();
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Mailboxes');
    expect(screen.getByTestId('mailbox-status')).toHaveTextContent('Never checked');
  });
});
