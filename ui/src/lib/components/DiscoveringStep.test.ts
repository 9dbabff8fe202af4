import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { diagnosis, discoveryEvent, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import DiscoveringStep from './DiscoveringStep.svelte';

function discovering(api = new FakeApi()) {
  const wizard = new Wizard(api);
  wizard.email = 'alice@example.com';
  wizard.next();
  return wizard;
}

describe('DiscoveringStep', () => {
  it('shows each source live: what it asks, then what came of it, and the servers checked', async () => {
    const api = new FakeApi();
    const wizard = discovering(api);
    render(DiscoveringStep, { wizard });
    const { onEvent } = api.lastDiscovery;
    onEvent(discoveryEvent({ source: 'autoconfig', label: 'The domain’s configuration', detail: 'autoconfig.example.com, example.com/.well-known', elapsedMs: 1 }));
    onEvent(discoveryEvent({ source: 'srv', label: 'DNS service records', detail: 'SRV records of example.com', elapsedMs: 1 }));
    onEvent(discoveryEvent({ source: 'srv', label: 'DNS service records', status: 'not_found', detail: 'no mail service records', elapsedMs: 40 }));
    onEvent(discoveryEvent({ source: 'autoconfig', label: 'The domain’s configuration', status: 'found', detail: 'IMAP imap.example.com:993', elapsedMs: 81 }));
    onEvent(discoveryEvent({ source: 'verification', label: 'Checking the servers', detail: 'imap.example.com:993, smtp.example.com:465', checking: ['imap.example.com:993', 'smtp.example.com:465'], elapsedMs: 90 }));
    onEvent(discoveryEvent({ source: 'verification', label: 'Checking the servers', status: 'found', target: 'imap.example.com:993', detail: 'IMAP server answered over TLS', elapsedMs: 120 }));
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Looking for your settings');
    expect(screen.getByText(/No password is sent/)).toBeInTheDocument();
    const rows = screen.getAllByTestId('discovery-row');
    expect(rows.map((r) => [r.dataset.source, r.dataset.status])).toEqual([
      ['autoconfig', 'found'],
      ['srv', 'not_found'],
      ['verification', 'running'],
    ]);
    expect(rows[0]).toHaveTextContent('The domain’s configuration');
    expect(rows[0]).toHaveTextContent('IMAP imap.example.com:993');
    expect(rows[0]).toHaveTextContent('80 ms');
    expect(rows[1]).toHaveTextContent('Nothing there');
    expect(rows[2].querySelector('.spinner')).not.toBeNull();
    expect(screen.getByTestId('discovery-check')).toHaveTextContent('imap.example.com:993 IMAP server answered over TLS');
    expect(screen.getByTestId('cancel')).toHaveFocus();
  });

  it('says one plain line; the sources, timings and “Nothing there” are behind Show details', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = discovering(api);
    render(DiscoveringStep, { wizard });
    const { onEvent } = api.lastDiscovery;
    onEvent(discoveryEvent({ source: 'srv', label: 'DNS service records', detail: 'SRV records of example.com', elapsedMs: 1 }));
    onEvent(discoveryEvent({ source: 'srv', label: 'DNS service records', status: 'not_found', detail: 'no mail service records', elapsedMs: 40 }));
    await settle();
    expect(screen.getByTestId('discovery-line')).toHaveTextContent('Looking up example.com’s mail settings…');
    const row = screen.getByTestId('discovery-row');
    expect(row).not.toBeVisible();
    expect(screen.getByText('Show details')).toBeVisible();
    await user.click(screen.getByText('Show details'));
    expect(row).toBeVisible();
    expect(row).toHaveTextContent('Nothing there');
    onEvent(discoveryEvent({ source: 'verification', label: 'Checking the servers', detail: 'imap.example.com:993', checking: ['imap.example.com:993'], elapsedMs: 50 }));
    await settle();
    expect(screen.getByTestId('discovery-line')).toHaveTextContent('Checking that example.com’s mail servers answer…');
  });

  it('cancels with Escape, back to the address', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = discovering(api);
    render(DiscoveringStep, { wizard });
    await settle();
    await user.keyboard('{Escape}');
    expect(api.cancelDiscovery).toHaveBeenCalledOnce();
    expect(wizard.step).toBe('address');
  });

  it('shows a failure with its diagnosis, and offers Try again and Set up manually', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = discovering(api);
    render(DiscoveringStep, { wizard });
    api.lastDiscovery.result.reject(new Error('boom'));
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Inlet could not look up your settings');
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'unexpected');
    expect(screen.getByTestId('diagnosis-title')).toHaveFocus();
    expect(screen.queryByTestId('cancel')).toBeNull();
    await user.click(screen.getByTestId('retry'));
    expect(api.discoveries).toHaveLength(2);
  });

  it('offers the failed discovery’s own report: Copy report and Save report', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = discovering(api);
    render(DiscoveringStep, { wizard });
    api.lastDiscovery.result.reject(diagnosis({ code: 'invalid_input', title: 'The address is not valid', stage: null }));
    await settle();
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'discovery');
    expect(await navigator.clipboard.readText()).toBe(api.reportText.markdown);
    await user.click(screen.getByTestId('report-masked'));
    await user.click(screen.getByTestId('save-report'));
    await settle();
    expect(api.saveReport).toHaveBeenCalledWith('markdown', true, 'discovery');
    expect(screen.getByTestId('report-path')).toHaveTextContent('inlet-report-20250102-030405.md');
  });
});
