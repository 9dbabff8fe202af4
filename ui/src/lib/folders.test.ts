import { describe, expect, it } from 'vitest';
import { folder, hugeTree, smallTree } from '../test/fakes';
import { choosableCount, chosenFolders, defaultSelection, displayName, displayPath, filterFolders, isChoosable, specialFirst } from './folders';
import { FolderSelection } from './selection.svelte';

describe('folders', () => {
  it('chooses the inbox, sent, drafts and archive by default, by role', () => {
    expect(defaultSelection(smallTree())).toEqual(['INBOX', 'Archive', 'Sent']);
    // The role comes from SPECIAL-USE or, without it, from the usual names (roleGuessed): either counts.
    expect(defaultSelection([folder('Entwürfe', { roleGuessed: true }, 'drafts'), folder('Trash', {}, 'trash')])).toEqual(['Entwürfe']);
    // By role, not by name.
    expect(defaultSelection([folder('Posteingang', {}, 'inbox'), folder('INBOX.old')])).toEqual(['Posteingang']);
    expect(defaultSelection([folder('Archive')])).toEqual([]);
  });

  it('lists the special folders first, in role order, each once', () => {
    const rows = specialFirst(smallTree());
    expect(rows.map((r) => [r.folder.rawName, r.special])).toEqual([
      ['INBOX', true],
      ['Sent', true],
      ['Archive', true],
      ['Projects', false],
      ['Projects/Alpha', false],
      ['Projects/Alpha/Invoices', false],
      ['Projects/Beta', false],
      ['Shared', false],
      ['Shared/Support', false],
    ]);
  });

  it('shows INBOX as Inbox, also at the start of a path', () => {
    expect(displayName('INBOX')).toBe('Inbox');
    expect(displayName('Inboxes')).toBe('Inboxes');
    expect(displayPath('INBOX/Receipts')).toBe('Inbox/Receipts');
    expect(displayPath('INBOX.Receipts')).toBe('Inbox.Receipts');
    expect(displayPath('Inboxes/x')).toBe('Inboxes/x');
  });

  it('never offers placeholders or \\Noselect folders', () => {
    const tree = smallTree();
    expect(tree.filter((f) => !isChoosable(f)).map((f) => f.rawName)).toEqual(['Projects', 'Shared']);
    expect(choosableCount(tree)).toBe(7);
  });

  it('filters by path and keeps the ancestors', () => {
    const shown = filterFolders(smallTree(), 'invoic');
    expect(shown.map((f) => f.rawName)).toEqual(['Projects', 'Projects/Alpha', 'Projects/Alpha/Invoices']);
    expect(filterFolders(smallTree(), 'SUPPORT').map((f) => f.rawName)).toEqual(['Shared', 'Shared/Support']);
    // The path matches, not only the name.
    expect(filterFolders(smallTree(), 'projects/b').map((f) => f.rawName)).toEqual(['Projects', 'Projects/Beta']);
    expect(filterFolders(smallTree(), '  ')).toHaveLength(9);
    expect(filterFolders(smallTree(), 'nothing like this')).toEqual([]);
  });

  it('filters 10,000 folders fast', () => {
    const tree = hugeTree(10_000);
    const started = performance.now();
    const shown = filterFolders(tree, 'item 7');
    // Time is the point, so a bound, but a generous one (it takes a few milliseconds; a busy
    // shared machine must not fail it): what it catches is work that grows with the square.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(shown.length).toBeGreaterThan(500);
    expect(shown.every((f) => f.path.toLowerCase().includes('item 7') || f.hasChildren)).toBe(true);
  });

  it('builds the chosen folders in tree order', () => {
    const chosen = new Set(['Sent', 'INBOX', 'Projects']);
    expect(chosenFolders(smallTree(), (raw) => chosen.has(raw))).toEqual([
      { rawName: 'INBOX', path: 'INBOX', role: 'inbox' },
      { rawName: 'Sent', path: 'Sent', role: 'sent' },
    ]);
  });
});

describe('folder selection', () => {
  it('selects all and none, skipping placeholders', () => {
    const tree = smallTree();
    const selection = new FolderSelection(defaultSelection(tree));
    expect(selection.size).toBe(3);
    selection.selectAll(tree);
    expect(selection.size).toBe(7);
    expect(selection.has('Projects')).toBe(false);
    expect(selection.has('Shared')).toBe(false);
    selection.selectNone();
    expect(selection.size).toBe(0);
  });

  it('applies Select all and none to a filtered part only', () => {
    const tree = smallTree();
    const selection = new FolderSelection(['INBOX']);
    selection.selectAll(filterFolders(tree, 'projects'));
    expect(selection.values().sort()).toEqual(['INBOX', 'Projects/Alpha', 'Projects/Alpha/Invoices', 'Projects/Beta']);
    expect(selection.countIn(tree)).toBe(4);
    selection.selectNone(filterFolders(tree, 'alpha'));
    expect(selection.values().sort()).toEqual(['INBOX', 'Projects/Beta']);
  });

  it('toggles one folder', () => {
    const selection = new FolderSelection();
    selection.toggle('Sent');
    expect(selection.has('Sent')).toBe(true);
    selection.set('Sent', true);
    expect(selection.size).toBe(1);
    selection.toggle('Sent');
    expect(selection.has('Sent')).toBe(false);
  });

  it('handles 10,000 folders in one step', () => {
    const tree = hugeTree(10_000);
    const selection = new FolderSelection();
    const started = performance.now();
    selection.selectAll(tree);
    // A generous bound, as for the filter: it takes a few milliseconds.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(selection.size).toBe(choosableCount(tree));
    expect(selection.size).toBeLessThan(10_000);
  });
});
