// A sentence with two or more elements inside (a host name in monospace and a bold username):
// tAround's idea for several elements, so the translation decides their order too.

import type { FluentVariable } from '@fluent/bundle';
import { t } from './i18n.svelte';

/** One piece of a sentence: plain text, or the place of the element named `element`. */
export type MessagePiece = { text: string; element: null } | { text: ''; element: string };

/**
 * The message `id` cut at the variables named in `elements`, in the order the translation puts
 * them; each element's own text is shown by the caller (and is a message of its own if it is words).
 */
export function tPieces(id: string, elements: readonly string[], args: Record<string, FluentVariable> = {}): MessagePiece[] {
  // Private-use characters: never in a translation.
  const marks = elements.map((_, i) => String.fromCodePoint(0xe000 + i));
  const filled: Record<string, FluentVariable> = { ...args };
  elements.forEach((name, i) => (filled[name] = marks[i]));
  const text = t(id, filled);
  const pieces: MessagePiece[] = [];
  let plain = '';
  for (const ch of text) {
    const at = marks.indexOf(ch);
    if (at < 0) {
      plain += ch;
      continue;
    }
    if (plain !== '') pieces.push({ text: plain, element: null });
    plain = '';
    pieces.push({ text: '', element: elements[at] });
  }
  if (plain !== '') pieces.push({ text: plain, element: null });
  return pieces;
}
