import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { diagnosis, FakeApi, folder, hugeTree, outgoingReport, pop3Report, record, report, settle, smallTree } from '../../test/fakes';
import type { ConnectReport } from '../bindings/ConnectReport';
import type { Folder } from '../bindings/Folder';
import { Wizard } from '../wizard.svelte';
import FoldersStep from './FoldersStep.svelte';

async function atFolders(folders: Folder[] | ConnectReport, api = new FakeApi(), kind: 'imap' | 'pop3' = 'imap') {
  const wizard = new Wizard(api);
  wizard.setUpManually();
  wizard.chooseKind(kind);
  wizard.next();
  wizard.email = 'alice@example.com';
  wizard.password = 'secret';
  wizard.next();
  wizard.next();
  api.lastConnect.result.resolve(Array.isArray(folders) ? report(folders, 'alice') : folders);
  await settle();
  return { api, wizard };
}

describe('FoldersStep', () => {
  it('shows the special folders on top, marked and chosen, then the tree with counts and placeholders', async () => {
    const { wizard } = await atFolders(smallTree());
    render(FoldersStep, { wizard });
    const rows = screen.getAllByTestId('folder-row');
    expect(rows.map((r) => r.dataset.rawName)).toEqual([
      'INBOX',
      'Sent',
      'Archive',
      ...smallTree()
        .map((f) => f.rawName)
        .filter((n) => !['INBOX', 'Sent', 'Archive'].includes(n)),
    ]);
    const inbox = rows[0];
    expect(inbox.querySelector('input')).toBeChecked();
    // "Inbox", never the protocol's "INBOX".
    expect(inbox.querySelector('label')).toHaveTextContent(/^Inbox$/);
    for (const row of rows.slice(0, 3)) expect(row.querySelector('input')).toBeChecked();
    expect(rows.slice(0, 3).map((r) => r.dataset.role)).toEqual(['inbox', 'sent', 'archive']);
    expect(screen.getByText(/Inbox, Sent and Archive are chosen for you/)).toBeInTheDocument();
    const beta = rows.find((r) => r.dataset.rawName === 'Projects/Beta')!;
    expect(beta.querySelector('input')).not.toBeChecked();
    // Placeholders have no checkbox.
    const shared = rows.find((r) => r.dataset.rawName === 'Shared')!;
    expect(shared.querySelector('[data-testid="folder-check"]')).toBeNull();
    expect(rows.find((r) => r.dataset.rawName === 'Archive')).toHaveTextContent('10 messages');
    expect(screen.getByTestId('folder-count')).toHaveTextContent('3 of 7 folders chosen');
  });

  it('marks a special folder with its role when its name does not say it', async () => {
    const tree = [folder('INBOX', {}, 'inbox'), folder('Gesendet', { roleGuessed: true }, 'sent'), folder('Notes')];
    const { wizard } = await atFolders(tree);
    render(FoldersStep, { wizard });
    const rows = screen.getAllByTestId('folder-row');
    expect(rows.map((r) => r.dataset.rawName)).toEqual(['INBOX', 'Gesendet', 'Notes']);
    expect(rows[0].querySelector('[data-testid="folder-role"]')).toBeNull();
    expect(rows[1].querySelector('[data-testid="folder-role"]')).toHaveTextContent('Sent');
    expect(rows[1].querySelector('[data-testid="folder-role"]')).toHaveAttribute('title', 'Guessed from the folder’s name');
    expect(wizard.selection.values()).toEqual(['INBOX', 'Gesendet']);
  });

  it('filters, keeping the ancestors, and counts what is chosen', async () => {
    const user = userEvent.setup();
    const { wizard } = await atFolders(smallTree());
    render(FoldersStep, { wizard });
    await user.type(screen.getByTestId('folder-filter'), 'invoices');
    expect(screen.getAllByTestId('folder-row').map((r) => r.dataset.rawName)).toEqual([
      'Projects',
      'Projects/Alpha',
      'Projects/Alpha/Invoices',
    ]);
    await user.click(screen.getByLabelText(/Invoices/));
    expect(screen.getByTestId('folder-count')).toHaveTextContent('4 of 7 folders chosen');
    await user.clear(screen.getByTestId('folder-filter'));
    await user.click(screen.getByTestId('select-none'));
    expect(screen.getByTestId('folder-count')).toHaveTextContent('0 of 7 folders chosen');
    expect(screen.getByTestId('save')).toBeDisabled();
  });

  it('renders 10,000 folders quickly and Select all counts right', async () => {
    const user = userEvent.setup();
    const tree = hugeTree(10_000);
    const choosable = tree.filter((f) => f.selectable && !f.placeholder).length;
    const { wizard } = await atFolders(tree);
    render(FoldersStep, { wizard });
    // Quick because only a window of rows exists in the page, whatever the number of folders.
    expect(screen.getAllByTestId('folder-row').length).toBeLessThan(60);
    expect(screen.getByTestId('folder-count')).toHaveTextContent(`1 of ${choosable.toLocaleString('en-US')} folders chosen`);

    await user.click(screen.getByTestId('select-all'));
    expect(screen.getByTestId('folder-count')).toHaveTextContent(
      `${choosable.toLocaleString('en-US')} of ${choosable.toLocaleString('en-US')} folders chosen`,
    );
    expect(wizard.selection.size).toBe(choosable);
    for (const box of screen.getAllByTestId('folder-check')) expect(box).toBeChecked();

    // Scrolling shows other rows.
    const viewport = screen.getByTestId('folder-tree');
    viewport.scrollTop = 36 * 5000;
    viewport.dispatchEvent(new Event('scroll'));
    await settle();
    const names = screen.getAllByTestId('folder-row').map((r) => r.dataset.rawName);
    expect(names).toContain(tree[5000].rawName);
    expect(names).not.toContain('INBOX');
  });

  it('moves between checkboxes with the arrow keys', async () => {
    const user = userEvent.setup();
    const { wizard } = await atFolders(smallTree());
    render(FoldersStep, { wizard });
    const boxes = screen.getAllByTestId('folder-check');
    boxes[0].focus();
    await user.keyboard('{ArrowDown}');
    expect(boxes[1]).toHaveFocus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    // "Projects" cannot be chosen, so focus skips it.
    expect(screen.getByLabelText(/^Alpha/)).toHaveFocus();
    await user.keyboard(' ');
    expect(wizard.selection.has('Projects/Alpha')).toBe(true);
  });

  it('saves, and shows a save failure as a diagnosis', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await atFolders(smallTree());
    render(FoldersStep, { wizard });
    await user.click(screen.getByTestId('save'));
    expect(screen.getByTestId('save')).toBeDisabled();
    expect(api.lastSave.request.settings.incoming.username).toBe('alice');
    expect(api.lastSave.request.folders).toEqual([
      { rawName: 'INBOX', path: 'INBOX', role: 'inbox' },
      { rawName: 'Archive', path: 'Archive', role: 'archive' },
      { rawName: 'Sent', path: 'Sent', role: 'sent' },
    ]);
    api.lastSave.result.reject(diagnosis({ code: 'keychain_locked', title: 'Your keychain is locked' }));
    await settle();
    expect(screen.getByTestId('diagnosis')).toHaveAttribute('data-code', 'keychain_locked');
    // The failed save's own report.
    await user.click(screen.getByTestId('copy-report'));
    await settle();
    expect(api.lastReport).toHaveBeenCalledWith('markdown', false, 'save');
    await user.click(screen.getByTestId('save'));
    api.lastSave.result.resolve(record(1, 'alice@example.com'));
    await settle();
    expect(wizard.step).toBe('saved');
  });

  it('POP3: says plainly that only the inbox is there, and saves it', async () => {
    const user = userEvent.setup();
    const { api, wizard } = await atFolders(pop3Report(1284), new FakeApi(), 'pop3');
    render(FoldersStep, { wizard });
    await settle();
    expect(screen.getByTestId('step-title')).toHaveTextContent('Your inbox');
    expect(screen.getByTestId('step-title')).toHaveFocus();
    expect(screen.getByTestId('pop3-inbox')).toHaveTextContent(
      'POP3 downloads only your inbox: 1,284 messages are waiting. Folders and read/unread state are not synced.',
    );
    expect(screen.queryByTestId('folder-tree')).toBeNull();
    expect(screen.queryByTestId('switch-to-imap')).toBeNull();
    await user.click(screen.getByTestId('save'));
    expect(api.lastSave.request.folders).toEqual([{ rawName: 'INBOX', path: 'INBOX', role: 'inbox' }]);
  });

  it('POP3 with IMAP at the same provider: explains why and switches', async () => {
    const user = userEvent.setup();
    const alternative = { host: 'imap.example.com', port: 993, security: 'tls' as const };
    const { api, wizard } = await atFolders(pop3Report(3, { imapAlternative: alternative }), new FakeApi(), 'pop3');
    render(FoldersStep, { wizard });
    const offer = screen.getByTestId('imap-alternative');
    expect(offer).toHaveTextContent('imap.example.com:993');
    expect(offer).toHaveTextContent(/keeps your mail and folders/);
    expect(offer).toHaveTextContent(/across all your devices/);
    expect(offer).toHaveTextContent(/POP3 downloads the mail in your inbox to one device/);
    // The advice is the main action; POP3 stays possible as the other button.
    expect(screen.getByTestId('switch-to-imap')).toHaveClass('primary');
    expect(screen.getByTestId('save')).not.toHaveClass('primary');
    expect(screen.getByTestId('save')).toHaveTextContent('Save as POP3');
    await user.click(screen.getByTestId('switch-to-imap'));
    expect(wizard.step).toBe('connecting');
    expect(api.lastConnect.request.settings.incoming).toMatchObject({ protocol: 'imap', endpoint: alternative });
  });

  it('says that sending works too when the outgoing server was checked', async () => {
    const { wizard } = await atFolders(report(smallTree(), 'alice', { outgoing: outgoingReport('alice@example.com') }));
    render(FoldersStep, { wizard });
    expect(screen.getByTestId('outgoing-ok')).toHaveTextContent(
      'Sending works too: smtp.example.com:587 accepted alice@example.com over an encrypted connection.',
    );
  });
});
