import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApi, settle } from '../../test/fakes';
import { missingMessages, useLanguage } from '../i18n.svelte';
import { Wizard } from '../wizard.svelte';
import AddressStep from './AddressStep.svelte';
import ServerStep from './ServerStep.svelte';
import StepIndicator from './StepIndicator.svelte';
import TypeStep from './TypeStep.svelte';

afterEach(() => useLanguage('en'));

function atServer() {
  const wizard = new Wizard(new FakeApi());
  wizard.setUpManually();
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  return wizard;
}

describe('the wizard in German', () => {
  it('asks for the address in German', async () => {
    missingMessages.clear();
    useLanguage('de');
    render(AddressStep, { wizard: new Wizard(new FakeApi()) });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Wie lautet Ihre E-Mail-Adresse?');
    expect(screen.getByLabelText('E-Mail-Adresse')).toHaveAccessibleDescription(/Es wird kein Passwort gesendet/);
    expect(screen.getByTestId('find')).toHaveTextContent('Meine Einstellungen suchen');
    expect(screen.getByTestId('manual')).toHaveTextContent('Von Hand einrichten');
    expect([...missingMessages]).toEqual([]);
  });

  it('checks the servers typed and explains the security choice in German', async () => {
    const user = userEvent.setup();
    useLanguage('de');
    const wizard = atServer();
    render(ServerStep, { wizard });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Mailserver');
    expect(screen.getByLabelText('IMAP-Server')).toHaveValue('imap.example.com');
    expect(screen.getByTestId('security')).toHaveAccessibleDescription(
      'Die übliche Wahl: Port 993, verschlüsselt, bevor irgendetwas gesendet wird.',
    );
    await user.clear(screen.getByTestId('host'));
    await user.clear(screen.getByTestId('port'));
    await user.type(screen.getByTestId('port'), '0{Enter}');
    expect(wizard.step).toBe('server');
    expect(screen.getByTestId('host')).toHaveAccessibleDescription('Geben Sie den Servernamen ein, z. B. imap.example.com.');
    expect(screen.getByTestId('port')).toHaveAccessibleDescription('Der Port muss eine ganze Zahl zwischen 1 und 65535 sein.');
    expect(screen.getByTestId('back')).toHaveTextContent('Zurück');
  });

  it('follows a change of language on the page already shown: the kinds and the step names', async () => {
    const wizard = new Wizard(new FakeApi());
    wizard.setUpManually();
    render(TypeStep, { wizard });
    render(StepIndicator, { step: 'type' });
    await settle();
    expect(screen.getByTestId('kind-pop3')).toHaveTextContent('Older servers that only hand out the inbox.');
    expect(screen.getByText('Step 2 of 4 · Settings')).toBeInTheDocument();
    useLanguage('de');
    flushSync();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Postfach verbinden');
    expect(screen.getByTestId('kind-pop3')).toHaveTextContent('Ältere Server, die nur den Posteingang herausgeben.');
    expect(screen.getByText('Schritt 2 von 4 · Einstellungen')).toBeInTheDocument();
  });
});
