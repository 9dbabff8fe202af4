/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Tauri serves ui/dist from its root; the dev server runs on a fixed port that tauri.conf.json names.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**', '**/target/**'] },
    // The message catalog lives beside the engine, at the top of the repository (../locales).
    fs: { allow: ['.', '../locales'] },
  },
  preview: {
    port: 4173,
    strictPort: true,
    // The strictest policy Tauri might apply, so that `vite preview` shows CSP problems early.
    headers: {
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ipc: http://ipc.localhost",
    },
  },
  // Scripts in ASCII only (other characters as \u escapes): WebKit then keeps their source in
  // one byte per character instead of two, which it uses for a whole file with one non-Latin-1
  // character (the catalogs' quotation marks).
  esbuild: { charset: 'ascii' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URIs (the CSP allows only 'self') and keep CSS in files.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
