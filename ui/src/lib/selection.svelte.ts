// The chosen folders, kept in a plain Set (fast with 10,000 folders) behind one reactive
// version number, so a "Select all" is a single update rather than thousands.

import type { Folder } from './bindings/Folder';
import { isChoosable } from './folders';

export class FolderSelection {
  #set: Set<string>;
  #version = $state(0);

  constructor(initial: Iterable<string> = []) {
    this.#set = new Set(initial);
  }

  has(rawName: string): boolean {
    void this.#version;
    return this.#set.has(rawName);
  }

  get size(): number {
    void this.#version;
    return this.#set.size;
  }

  set(rawName: string, chosen: boolean): void {
    if (chosen === this.#set.has(rawName)) return;
    if (chosen) this.#set.add(rawName);
    else this.#set.delete(rawName);
    this.#version++;
  }

  toggle(rawName: string): void {
    this.set(rawName, !this.#set.has(rawName));
  }

  /** Choose every choosable folder of `folders` (placeholders are skipped). */
  selectAll(folders: readonly Folder[]): void {
    for (const f of folders) if (isChoosable(f)) this.#set.add(f.rawName);
    this.#version++;
  }

  /** Unchoose `folders`, or everything when none are given. */
  selectNone(folders?: readonly Folder[]): void {
    if (folders === undefined) this.#set.clear();
    else for (const f of folders) this.#set.delete(f.rawName);
    this.#version++;
  }

  /** How many of `folders` are chosen. */
  countIn(folders: readonly Folder[]): number {
    void this.#version;
    let n = 0;
    for (const f of folders) if (this.#set.has(f.rawName)) n++;
    return n;
  }

  values(): string[] {
    void this.#version;
    return [...this.#set];
  }
}
