// Lint rules: typescript-eslint's recommended set plus the habits of STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'console/dist/', 'test-output/', 'src/db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  // Route files are doors: they build an actor and call services, which hold the rules, the
  // queries and the audit (#17). The database layer reaches them as a type at most.
  {
    files: ['src/**/*.routes.ts', 'src/**/*-routes.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/db/*', '!**/db/client.ts', 'drizzle-orm', 'drizzle-orm/*', 'pg'], message: 'Routes call services; queries live in *.service.ts.', allowTypeImports: true }],
        paths: [{ name: '../db/client.ts', message: 'Routes take Db as a type only.', allowTypeImports: true }],
      }],
    },
  },
  // The admin console runs in the browser.
  {
    files: ['console/src/**'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', URLSearchParams: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly' },
    },
  },
);
