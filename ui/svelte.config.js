import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // CSS goes to files, never injected at run time (the app runs under a strict CSP).
    css: 'external',
  },
};
