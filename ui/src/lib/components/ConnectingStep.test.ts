import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { diagnosis, event, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import ConnectingStep from './ConnectingStep.svelte';

function connecting(api: FakeApi) {
  const wizard = new Wizard(api);
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  wizard.next();
  return wizard;
}

describe('ConnectingStep', () => {
  it('shows a live row per stage', async () => {
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    const progress = api.lastConnect.onProgress;
    progress(event({ stage: 'resolving', state: 'started', target: 'imap.example.com', elapsedMs: 1 }));
    progress(event({ stage: 'resolving', state: 'done', target: 'imap.example.com', detail: '127.0.0.1', elapsedMs: 9 }));
    progress(event({ stage: 'listing_folders', state: 'started', elapsedMs: 20 }));
    progress(event({ stage: 'listing_folders', state: 'update', current: 1200, detail: '1200 so far', elapsedMs: 40 }));
    await settle();
    const rows = screen.getAllByTestId('progress-row');
    expect(rows.map((r) => [r.dataset.stage, r.dataset.state])).toEqual([
      ['resolving', 'done'],
      ['listing_folders', 'update'],
    ]);
    expect(rows[0]).toHaveTextContent('Looking up the server');
    expect(rows[0]).toHaveTextContent('imap.example.com');
    expect(rows[0]).toHaveTextContent('8 ms');
    expect(rows[1]).toHaveTextContent('Loading folders');
    expect(rows[1]).toHaveTextContent('1,200 so far');
    expect(rows[1].querySelector('.spinner')).not.toBeNull();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connecting to imap.example.com');
  });

  it('cancels with Escape', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    await settle();
    expect(screen.getByTestId('cancel')).toHaveFocus();
    await user.keyboard('{Escape}');
    await settle();
    expect(api.cancelConnect).toHaveBeenCalledOnce();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'cancelled');
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connection cancelled');
  });

  it('shows the diagnosis with Back to settings and Try again', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = connecting(api);
    render(ConnectingStep, { wizard });
    api.lastConnect.onProgress(event({ stage: 'signing_in', state: 'failed' }));
    api.lastConnect.result.reject(diagnosis());
    await settle();
    expect(screen.getByTestId('progress-row')).toHaveAttribute('data-state', 'failed');
    expect(screen.getByTestId('diagnosis-title')).toHaveTextContent('The server refused the password');
    expect(screen.queryByTestId('cancel')).toBeNull();
    await user.click(screen.getByTestId('retry'));
    expect(api.connects).toHaveLength(2);
    expect(screen.queryByTestId('diagnosis')).toBeNull();
    api.lastConnect.result.reject(diagnosis());
    await settle();
    await user.click(screen.getByTestId('back'));
    expect(wizard.step).toBe('server');
  });
});
