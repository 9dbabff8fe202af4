import '@testing-library/jest-dom/vitest';

// jsdom has no layout: a ResizeObserver that never reports is what it would see anyway.
if (!('ResizeObserver' in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
