import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map((group) => ({
        group,
        message: 'Breaks the dependency direction of docs/ARCHITECTURE.md.',
      })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-output/**', 'bench/output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  { files: ['packages/contracts/src/**'], rules: forbid(['@kra/server*', '**/apps/**']) },
  {
    files: ['apps/server/src/domain/**'],
    rules: forbid([
      '**/services/**',
      '**/adapters/**',
      '**/db/**',
      '**/http/**',
      '**/cli/**',
      '**/jobs/**',
      'fastify*',
      'kysely',
      'better-sqlite3',
      'pg',
      'node:fs*',
      'node:net',
      'node:http*',
    ]),
  },
  {
    files: ['apps/server/src/services/**'],
    rules: forbid([
      '**/adapters/**',
      '**/db/**',
      '**/http/**',
      '**/cli/**',
      '**/jobs/**',
      'fastify*',
      'kysely',
      'better-sqlite3',
      'pg',
    ]),
  },
  {
    files: ['apps/server/src/adapters/**', 'apps/server/src/db/**'],
    rules: forbid(['**/services/**', '**/http/**', '**/cli/**', '**/jobs/**']),
  },
  {
    files: ['apps/server/src/http/**', 'apps/server/src/cli/**', 'apps/server/src/jobs/**'],
    rules: forbid(['**/adapters/**', '**/db/**']),
  },
  {
    files: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...forbid(['@kra/server*', '**/apps/server/**']) },
  },
);
