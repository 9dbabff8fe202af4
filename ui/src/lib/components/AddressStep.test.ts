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

describe('AddressStep: sign in with your provider', () => {
  it('offers Google and Microsoft with their own marks, and signs in with the address typed', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    render(AddressStep, { wizard });
    await settle();
    const google = screen.getByTestId('sign-in-google');
    const microsoft = screen.getByTestId('sign-in-microsoft');
    expect(google).toHaveAccessibleName('Sign in with Google');
    expect(microsoft).toHaveAccessibleName('Sign in with Microsoft');
    // The marks are drawn inline (nothing fetched): the four-colour G, the four squares.
    expect(google.querySelectorAll('svg path')).toHaveLength(4);
    expect(microsoft.querySelectorAll('svg rect')).toHaveLength(4);
    expect(document.querySelector('img')).toBeNull();

    // Without an address, the address field says so and takes the focus.
    await user.click(microsoft);
    await settle();
    expect(screen.getByTestId('address')).toHaveFocus();
    expect(api.discoveries).toHaveLength(0);
    await user.keyboard('alice@contoso.example');
    await user.click(microsoft);
    expect(wizard.step).toBe('discovering');
    expect(api.lastDiscovery.request.email).toBe('alice@contoso.example');
  });

  it('explains in place what an administrator must set for a provider that is not set up', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.options = [
      { provider: 'google', available: false, whyNot: 'No Google client ID is set: an administrator sets oauth.google.clientId in the policy file.' },
      { provider: 'microsoft', available: true, whyNot: null },
    ];
    const wizard = new Wizard(api);
    wizard.email = 'alice@example.com';
    render(AddressStep, { wizard });
    await settle();
    const google = screen.getByTestId('sign-in-google');
    expect(google).toHaveAttribute('aria-disabled', 'true');
    expect(google).toHaveAccessibleDescription(/an administrator sets oauth.google.clientId/);
    expect(screen.getByTestId('sign-in-google-why-not')).toBeVisible();
    // Still reachable by keyboard (and read out), but it starts nothing.
    await user.click(google);
    expect(api.discoveries).toHaveLength(0);
    expect(screen.getByTestId('sign-in-microsoft')).not.toHaveAttribute('aria-disabled');
  });
});
