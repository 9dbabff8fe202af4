import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { discovery, FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import AccountStep from './AccountStep.svelte';

function atAccount() {
  const wizard = new Wizard(new FakeApi());
  wizard.setUpManually();
  wizard.next();
  return wizard;
}

describe('AccountStep', () => {
  it('labels every field and starts in the email field', async () => {
    render(AccountStep, { wizard: atAccount() });
    await settle();
    expect(screen.getByLabelText('Email address')).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText(/Username/)).toHaveAccessibleDescription(/Inlet tries your full address/);
  });

  it('shows inline errors, linked to their fields, and stays on the step', async () => {
    const user = userEvent.setup();
    const wizard = atAccount();
    render(AccountStep, { wizard });
    await settle();
    await user.type(screen.getByTestId('email'), 'alice');
    await user.tab();
    const email = screen.getByTestId('email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('An email address looks like name@example.com.');

    await user.click(screen.getByTestId('next'));
    expect(wizard.step).toBe('account');
    expect(screen.getByTestId('password')).toHaveAccessibleDescription('Type your password.');
    expect(email).toHaveFocus();

    // Fixing the address clears its error as you type.
    await user.type(email, '@example.com');
    expect(email).not.toHaveAttribute('aria-invalid');
    expect(screen.getByText('Type your password.')).toBeInTheDocument();
  });

  it('shows and hides the password and submits with Enter', async () => {
    const user = userEvent.setup();
    const wizard = atAccount();
    render(AccountStep, { wizard });
    await settle();
    await user.type(screen.getByTestId('email'), 'alice@example.com');
    await user.type(screen.getByTestId('password'), 'hunter2');
    const toggle = screen.getByRole('button', { name: /Show password/ });
    await user.click(toggle);
    expect(screen.getByTestId('password')).toHaveAttribute('type', 'text');
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await user.click(toggle);
    expect(screen.getByTestId('password')).toHaveAttribute('type', 'password');
    await user.type(screen.getByTestId('password'), '{Enter}');
    expect(wizard.step).toBe('server');
    expect(wizard.host).toBe('imap.example.com');
  });

  it('after “Use these settings” asks only for the password, and connects', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@example.com';
    wizard.next();
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    wizard.useProposal();
    render(AccountStep, { wizard });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Sign in');
    expect(screen.getByText(/Inlet signs in to/)).toHaveTextContent('imap.example.com');
    expect(screen.getByTestId('email-shown')).toHaveTextContent('alice@example.com');
    expect(screen.queryByTestId('email')).toBeNull();
    expect(screen.getByTestId('password')).toHaveFocus();
    expect(screen.getByTestId('username')).toHaveValue('alice@example.com');
    expect(screen.getByTestId('username')).toHaveAccessibleDescription(/The login name your provider’s settings give/);
    expect(screen.getByTestId('next')).toHaveTextContent('Connect');
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('password')).toHaveAccessibleDescription('Type your password.');
    await user.keyboard('secret{Enter}');
    expect(wizard.step).toBe('connecting');
    expect(api.lastConnect.request.credentials).toEqual({ password: 'secret' });
  });

  it('changes the address by going back to the first step', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.email = 'alice@example.com';
    wizard.next();
    api.lastDiscovery.result.resolve(discovery());
    await settle();
    wizard.useProposal();
    render(AccountStep, { wizard });
    await user.click(screen.getByRole('button', { name: 'Change the email address' }));
    expect(wizard.step).toBe('address');
  });

  it('asks no password for a Gmail mailbox: Google’s page does; the app password is one click away', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const wizard = new Wizard(api);
    await settle();
    wizard.setUpManually();
    wizard.chooseKind('gmail');
    wizard.next();
    render(AccountStep, { wizard });
    await settle();
    expect(screen.getByTestId('browser-sign-in')).toHaveTextContent('No password is typed into Inlet');
    expect(screen.queryByLabelText(/password/i)).toBeNull();
    await user.click(screen.getByTestId('use-password'));
    expect(wizard.auth).toBe('password');
    expect(screen.getByLabelText('App password')).toHaveFocus();
    await user.click(screen.getByTestId('use-browser'));
    expect(wizard.auth).toBe('oauth2');
    expect(screen.queryByLabelText('App password')).toBeNull();
  });
});

