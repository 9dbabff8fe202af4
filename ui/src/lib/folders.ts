// The folder tree of the Folders step: what can be chosen, the filter, and what gets saved.

import type { ChosenFolder } from './bindings/ChosenFolder';
import type { Folder } from './bindings/Folder';
import type { FolderRole } from './bindings/FolderRole';
import { t } from './i18n.svelte';

/** A folder role's name in the current language ("Inbox", "Sent"). */
export function roleLabel(role: FolderRole): string {
  switch (role) {
    case 'inbox':
      return t('conn-role-inbox');
    case 'sent':
      return t('conn-role-sent');
    case 'drafts':
      return t('conn-role-drafts');
    case 'trash':
      return t('conn-role-trash');
    case 'junk':
      return t('conn-role-junk');
    case 'archive':
      return t('conn-role-archive');
    case 'all':
      return t('conn-role-all');
    case 'flagged':
      return t('conn-role-flagged');
    case 'important':
      return t('conn-role-important');
    default:
      return role;
  }
}

/** Placeholders and \Noselect folders are shown for the tree's sake but can never be synced. */
export function isChoosable(folder: Folder): boolean {
  return folder.selectable && !folder.placeholder;
}

export function choosableCount(folders: readonly Folder[]): number {
  let n = 0;
  for (const f of folders) if (isChoosable(f)) n++;
  return n;
}

/**
 * Chosen when the step opens: the folders a person reads and writes in. The role comes from the
 * server's SPECIAL-USE flags (RFC 6154), or, when it has none, from the usual names (the engine
 * guesses those: `roleGuessed`).
 */
export const DEFAULT_ROLES: readonly FolderRole[] = ['inbox', 'sent', 'drafts', 'archive'];

export function defaultSelection(folders: readonly Folder[]): string[] {
  return folders.filter((f) => f.role !== null && DEFAULT_ROLES.includes(f.role) && isChoosable(f)).map((f) => f.rawName);
}

/** The order of the special folders at the top of the list. */
const ROLE_ORDER: readonly FolderRole[] = ['inbox', 'sent', 'drafts', 'archive', 'junk', 'trash', 'all', 'flagged', 'important'];

/** One row of the folder list: the folder, and whether it is shown in the special group on top. */
export interface FolderRow {
  folder: Folder;
  special: boolean;
}

/**
 * The special folders (those with a role) first, in ROLE_ORDER, then the others in the tree's
 * order. Each folder appears once.
 */
export function specialFirst(folders: readonly Folder[]): FolderRow[] {
  const special = folders
    .filter((f) => f.role !== null && isChoosable(f))
    .sort((a, b) => ROLE_ORDER.indexOf(a.role!) - ROLE_ORDER.indexOf(b.role!));
  const inGroup = new Set(special.map((f) => f.rawName));
  return [
    ...special.map((folder) => ({ folder, special: true })),
    ...folders.filter((f) => !inGroup.has(f.rawName)).map((folder) => ({ folder, special: false })),
  ];
}

/**
 * "Inbox" (in the current language), not the protocol's "INBOX" (RFC 3501 5.1: the name is
 * case-insensitive, and every server has it).
 */
export function displayName(name: string): string {
  return name.toUpperCase() === 'INBOX' ? t('conn-role-inbox') : name;
}

/** A path with its leading INBOX shown as "Inbox" ("INBOX/Receipts" → "Inbox/Receipts"). */
export function displayPath(path: string): string {
  return /^inbox(?=$|[^a-z0-9])/i.test(path) ? `${t('conn-role-inbox')}${path.slice(5)}` : path;
}

/**
 * The folders whose path contains the query (case-insensitive), plus their ancestors so the tree
 * still reads as a tree. Keeps the tree's order. An empty query shows everything.
 */
export function filterFolders(folders: readonly Folder[], query: string): Folder[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return folders.slice();
  const byRaw = new Map<string, Folder>();
  for (const f of folders) byRaw.set(f.rawName, f);
  const keep = new Set<string>();
  for (const f of folders) {
    if (!f.path.toLowerCase().includes(needle)) continue;
    keep.add(f.rawName);
    let parent = f.parent;
    // Walk up until an ancestor already kept (its own ancestors are kept too) or the top.
    while (parent !== null && !keep.has(parent)) {
      keep.add(parent);
      parent = byRaw.get(parent)?.parent ?? null;
    }
  }
  return folders.filter((f) => keep.has(f.rawName));
}

/** What the save request carries, in the tree's order. */
export function chosenFolders(folders: readonly Folder[], isChosen: (rawName: string) => boolean): ChosenFolder[] {
  return folders
    .filter((f) => isChoosable(f) && isChosen(f.rawName))
    .map((f) => ({ rawName: f.rawName, path: f.path, role: f.role }));
}
