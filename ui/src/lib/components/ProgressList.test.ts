import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { event } from '../../test/fakes';
import { reduceProgress } from '../progress';
import { stepsFor } from '../wizard.svelte';
import ProgressList from './ProgressList.svelte';
import StepIndicator from './StepIndicator.svelte';

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressList', () => {
  it('counts the seconds of a running stage instead of a frozen "0 ms"', async () => {
    vi.useFakeTimers();
    const rows = reduceProgress([
      event({ stage: 'resolving', state: 'started', elapsedMs: 0 }),
      event({ stage: 'resolving', state: 'done', elapsedMs: 8 }),
      event({ stage: 'signing_in', state: 'started', elapsedMs: 10 }),
    ]);
    render(ProgressList, { rows });
    const [done, running] = screen.getAllByTestId('progress-row');
    expect(done.querySelector('.time')).toHaveTextContent('8 ms');
    expect(running.querySelector('.time')?.textContent).toBe('');
    await vi.advanceTimersByTimeAsync(2100);
    expect(running.querySelector('.time')).toHaveTextContent('2 s…');
  });

  it('puts both servers side by side', () => {
    const rows = reduceProgress([
      event({ stage: 'resolving', state: 'done' }),
      event({ side: 'outgoing', stage: 'resolving', state: 'done' }),
    ]);
    render(ProgressList, { rows, grouped: true });
    expect(screen.getByTestId('progress-list')).toHaveClass('split');
  });
});

describe('StepIndicator', () => {
  it('calls the last step "Inbox" for POP3', () => {
    expect(stepsFor('imap').at(-1)?.title).toBe('Folders');
    render(StepIndicator, { step: 'folders', protocol: 'pop3' });
    expect(screen.getByText('Step 5 of 5 · Inbox')).toBeInTheDocument();
  });

  it('shows the Settings step while looking, proposing and editing, and six steps by hand', () => {
    const { unmount } = render(StepIndicator, { step: 'discovering' });
    expect(screen.getByText('Step 2 of 5 · Settings')).toBeInTheDocument();
    expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('Settings');
    unmount();
    render(StepIndicator, { step: 'server', path: 'manual' });
    expect(screen.getByText('Step 4 of 6 · Servers')).toBeInTheDocument();
  });
});
