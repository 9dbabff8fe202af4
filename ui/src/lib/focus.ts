/** Svelte action: move keyboard focus to the element when it appears (a step's first field). */
export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => {
    if (node.isConnected) node.focus();
  });
}
