import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { event } from '../../test/fakes';
import { reduceProgress } from '../progress';
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
    render(ProgressList, { rows, details: true });
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
  it('calls the last step "Folders" for POP3 too: one set of names', () => {
    render(StepIndicator, { step: 'folders' });
    expect(screen.getByText('Step 4 of 4 · Folders')).toBeInTheDocument();
  });

  it('shows the Settings step while looking, proposing, editing and typing by hand', () => {
    for (const step of ['discovering', 'type', 'account', 'server'] as const) {
      const { unmount } = render(StepIndicator, { step });
      expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
      expect(screen.getByRole('listitem', { current: 'step' })).toHaveTextContent('Settings');
      unmount();
    }
  });
});
