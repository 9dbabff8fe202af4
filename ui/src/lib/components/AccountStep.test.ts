import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import AccountStep from './AccountStep.svelte';

function atAccount() {
  const wizard = new Wizard(new FakeApi());
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
});
