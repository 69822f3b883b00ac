// Lint: typescript-eslint's recommended rules plus yibao's domain pitfalls; for the web console (web/) also the
// rules of React hooks and, with type information, no deprecated API (antd renames props between majors).
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/dist/**', 'docs/screenshots/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Money is integer fen: parseFloat on anything is a smell (amounts go through platform/money).
      'no-restricted-globals': ['error', { name: 'parseFloat', message: '金额请使用 platform/money 的 yuanToFen，不要用浮点数。' }],
      'no-restricted-properties': [
        'error',
        { object: 'Number', property: 'parseFloat', message: '金额请使用 platform/money 的 yuanToFen，不要用浮点数。' },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      '@typescript-eslint/no-deprecated': 'error',
    },
  },
);
