// The error view and the Folders step in German: the window's own words come from
// locales/de/connect.ftl (the diagnosis's texts come from the engine, already translated).
import { render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnosis, FakeApi, report, settle, smallTree } from '../../test/fakes';
import { useLanguage } from '../i18n.svelte';
import { Wizard } from '../wizard.svelte';
import DiagnosisPanel from './DiagnosisPanel.svelte';
import FoldersStep from './FoldersStep.svelte';

describe('in German', () => {
  beforeEach(() => useLanguage('de'));
  afterEach(() => useLanguage('en'));

  it('DiagnosisPanel labels what to do, who acts and the details in German', () => {
    render(DiagnosisPanel, {
      problem: diagnosis({ whoActs: 'administrator', stage: 'signing_in', evidence: ['NO [AUTHENTICATIONFAILED]'] }),
    });
    const panel = screen.getByTestId('diagnosis');
    expect(within(panel).getByRole('heading', { name: 'Was Sie tun können' })).toBeInTheDocument();
    expect(screen.getByTestId('who-acts')).toHaveTextContent('Das muss Ihr Administrator beheben');
    const details = screen.getByTestId('diagnosis-details');
    expect(details).toHaveTextContent('Details');
    // Labels translated, raw values (the code, the server's words) as they are.
    expect(details).toHaveTextContent('Code: authentication_failed');
    expect(details).toHaveTextContent('Schritt: Anmeldung (signing_in)');
    expect(details).toHaveTextContent('NO [AUTHENTICATIONFAILED]');
    expect(screen.getByRole('button', { name: 'Details kopieren' })).toBeInTheDocument();
  });

  it('FoldersStep names the roles, the counts and the buttons in German', async () => {
    const api = new FakeApi();
    const wizard = new Wizard(api);
    wizard.setUpManually();
    wizard.chooseKind('imap');
    wizard.next();
    wizard.email = 'alice@example.com';
    wizard.password = 'secret';
    wizard.next();
    wizard.next();
    api.lastConnect.result.resolve(report(smallTree(), 'alice'));
    await settle();
    render(FoldersStep, { wizard });
    expect(screen.getByTestId('step-title')).toHaveTextContent('Ordner zum Synchronisieren wählen');
    expect(screen.getByText(/Posteingang, Gesendet und Archiv sind schon für Sie ausgewählt/)).toBeInTheDocument();
    const inbox = screen.getAllByTestId('folder-row')[0];
    expect(inbox.querySelector('label')).toHaveTextContent(/^Posteingang$/);
    expect(screen.getByTestId('folder-count')).toHaveTextContent('3 von 7 Ordnern ausgewählt');
    expect(screen.getByTestId('select-all')).toHaveTextContent('Alle auswählen');
    expect(screen.getByTestId('save')).toHaveTextContent('Postfach speichern');
    expect(screen.getByTestId('back')).toHaveTextContent('Zurück');
  });
});
