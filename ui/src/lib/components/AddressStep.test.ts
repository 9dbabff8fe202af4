import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import AddressStep from './AddressStep.svelte';

describe('AddressStep', () => {
  it('asks for the address first, with the field focused and explained', async () => {
    render(AddressStep, { wizard: new Wizard(new FakeApi()) });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('What’s your email address?');
    expect(screen.getByLabelText('Email address')).toHaveFocus();
    expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(/No password is sent/);
    expect(screen.getByTestId('find')).toHaveTextContent('Find my settings');
  });

  it('shows what is wrong with the address on Enter, keeps the focus there, and finds with a good one', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    render(AddressStep, { wizard });
    await settle();
    await user.keyboard('alice{Enter}');
    await settle();
    const field = screen.getByTestId('address');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/An email address looks like name@example.com/);
    expect(field).toHaveFocus();
    expect(api.discoveries).toHaveLength(0);
    await user.keyboard('@example.com{Enter}');
    expect(wizard.step).toBe('discovering');
    expect(api.lastDiscovery.request.email).toBe('alice@example.com');
  });

  it('offers to set up by hand instead', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    render(AddressStep, { wizard });
    await user.click(screen.getByTestId('manual'));
    expect(wizard.step).toBe('type');
    expect(wizard.path).toBe('manual');
    expect(api.discoveries).toHaveLength(0);
  });
});
