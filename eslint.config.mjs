import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The results webview renders attacker-controlled log text: no HTML parsing and no code from strings.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Set textContent; cells are attacker-controlled text.' },
        { property: 'outerHTML', message: 'Set textContent; cells are attacker-controlled text.' },
        { property: 'insertAdjacentHTML', message: 'Build elements with document.createElement.' },
        { property: 'write', object: 'document', message: 'Build elements with document.createElement.' },
        { property: 'createContextualFragment', message: 'Build elements with document.createElement.' },
      ],
    },
  },
);
