// Lint rules: typescript-eslint's recommended set plus the habits of STYLE.md, and the layout
// rules that make `npm run format` (eslint --fix) the formatter.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

// The layout the code is written in, enforced and fixed by ESLint rather than a reprinting
// formatter: Prettier would re-break every dense line of a codebase kept to 140 columns by hand,
// for nothing a reader gains; these rules fix what drifts (indentation, quotes, spacing, blank
// lines, trailing commas) and leave line breaking to the author.
const layout = {
  '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['TemplateLiteral *', 'TSConditionalType'] }],
  '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
  '@stylistic/semi': ['error', 'always'],
  '@stylistic/comma-dangle': ['error', 'always-multiline'],
  '@stylistic/no-trailing-spaces': 'error',
  '@stylistic/eol-last': 'error',
  '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0, maxBOF: 0 }],
  '@stylistic/arrow-parens': ['error', 'always'],
  '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
  '@stylistic/keyword-spacing': 'error',
  '@stylistic/space-infix-ops': 'error',
  '@stylistic/space-before-blocks': 'error',
  '@stylistic/comma-spacing': 'error',
  '@stylistic/key-spacing': 'error',
  '@stylistic/semi-spacing': 'error',
  '@stylistic/no-multi-spaces': ['error', { ignoreEOLComments: true }],
  '@stylistic/space-in-parens': 'error',
  '@stylistic/member-delimiter-style': 'error',
  '@stylistic/type-annotation-spacing': 'error',
  '@stylistic/arrow-spacing': 'error',
  '@stylistic/block-spacing': 'error',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'console/dist/', 'test-output/', 'src/db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    plugins: { '@stylistic': stylistic },
    rules: {
      ...layout,
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
