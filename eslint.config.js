// ESLint for the JavaScript that remains (STYLE.md 9): the extension, the
// www pages, the browser tests and the benches. Recommended rules, plus
// no-unsanitized on DOM sinks (innerHTML, insertAdjacentHTML, document.write…):
// the banner and popup show text that came from a marketplace page.
import js from '@eslint/js';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import globals from 'globals';

export default [
  {
    // Generated: wasm-bindgen's glue (pkg/) and what `make demo-dist` copies.
    ignores: ['extension/pkg/**', 'www/pkg/**', 'www/registry/**', 'dist/**', 'release/**', 'target/**', 'tests/e2e/out/**', 'fuzz/**'],
  },
  js.configs.recommended,
  noUnsanitized.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `catch {}` and `() => {}` on a best-effort call say "ignored on purpose".
      'no-empty': ['error', { allowEmptyCatch: true }],
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
    },
  },
  {
    // The extension's module pages and worker, and the www pages.
    files: ['extension/**/*.js', 'www/**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // Content scripts are classic scripts sharing one global scope; messages.js
    // is also imported by the module pages, and only sets a global.
    files: ['extension/messages.js', 'extension/banner.js', 'extension/content.js', 'extension/brandlink.js', 'extension/wake.js'],
    languageOptions: { sourceType: 'script' },
  },
  {
    // Browser tests and benches run in Node; functions they pass to
    files: ['tests/**/*.mjs', 'bench/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
    // page.evaluate run in the page or the extension's worker, so browser and
    // extension globals are allowed there too.
    languageOptions: { sourceType: 'module', globals: { ...globals.node, ...globals.browser, ...globals.webextensions } },
  },
];
