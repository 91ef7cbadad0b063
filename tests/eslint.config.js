// SPDX-License-Identifier: EUPL-1.2
// Lint rules for all TypeScript (type-aware), run by `npm run lint`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '.astro/**', 'node_modules/**', 'tests/.tmp/**', 'test-results/**', 'public/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // src/lib must run in plain Node and in the browser: no server code, no Astro virtual modules
    files: ['src/lib/**/*.ts', 'flows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**', 'astro:*', 'node:*'], message: 'src/lib and flows stay framework-free and browser-safe' }] },
      ],
    },
  },
);
