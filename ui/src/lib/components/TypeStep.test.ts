import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi, settle } from '../../test/fakes';
import { Wizard } from '../wizard.svelte';
import TypeStep from './TypeStep.svelte';

describe('TypeStep', () => {
  it('says what setting up by hand means and starts on IMAP', async () => {
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    render(TypeStep, { wizard });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Connect your mailbox');
    expect(screen.getByText(/Set up by hand: choose the kind of mailbox/)).toHaveTextContent(/your password stays in your system keychain/);
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(5);
    expect(screen.getByRole('radio', { name: /IMAP/ })).toBeChecked();
    expect(screen.getByRole('radio', { name: /IMAP/ })).toHaveFocus();
  });

  it('moves with the arrow keys, explains the choice and continues with Enter', async () => {
    const user = userEvent.setup();
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    render(TypeStep, { wizard });
    await settle();
    await user.keyboard('{ArrowRight}');
    expect(wizard.kind).toBe('gmail');
    expect(screen.getByTestId('kind-gmail')).toHaveAttribute('data-selected', 'true');
    expect(screen.getByText(/You sign in with Google in your browser/)).toBeInTheDocument();
    expect(wizard.auth).toBe('oauth2');
    expect(wizard.host).toBe('imap.gmail.com');

    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(wizard.kind).toBe('pop3');
    expect(screen.getByText(/POP3 downloads only your inbox/)).toBeInTheDocument();
    expect(screen.getByTestId('next')).toHaveTextContent('Next');
    expect(wizard.host).toBe('');
    expect(wizard.port).toBe('995');

    await user.keyboard('{Enter}');
    expect(wizard.step).toBe('account');
  });

  it('selects a card by clicking it', async () => {
    const user = userEvent.setup();
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    render(TypeStep, { wizard });
    await user.click(screen.getByTestId('kind-microsoft365'));
    expect(wizard.kind).toBe('microsoft365');
    expect(screen.getByRole('radio', { name: /Microsoft 365/ })).toBeChecked();
    await user.click(screen.getByTestId('next'));
    expect(wizard.step).toBe('account');
  });

  it('goes back to the address with Back', async () => {
    const user = userEvent.setup();
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    render(TypeStep, { wizard });
    await user.click(screen.getByTestId('back'));
    expect(wizard.step).toBe('address');
  });
});
