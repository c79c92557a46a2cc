import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    '.data/',
    '.next/',
    '.next-*/',
    'lib/db/generated/',
    'next-env.d.ts',
    'playwright-report/',
    'test-results*/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  nextPlugin.configs['core-web-vitals'],
  {
    // React lives in app/ and components/; elsewhere a `use…` function is not a hook (useTestDatabaseForRoutes).
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's signature, a rest omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Scanners, HL7 and uploads deal in control characters (GS, FS, VT, NUL): matching them is the point.
      'no-control-regex': 'off',
    },
  },
  {
    // ExcelJS rows are 1-based: `[, 'a', 1]` is what `row.values` holds.
    files: ['**/*.test.ts', 'e2e/**'],
    rules: { 'no-sparse-arrays': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
]);
