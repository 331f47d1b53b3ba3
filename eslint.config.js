import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.o2c/', 'coverage/', 'dist/', 'console/dist/', 'test/e2e/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The console runs in the browser; TypeScript already knows its globals (typescript-eslint advises no-undef off).
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // Domain code stays pure: no AWS SDK or Powertools, no adapters, no schemas (zod), no document renderers.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(@aws-sdk/|@aws-lambda-powertools/|#adapters/|aws-cdk-lib(/|$))', message: 'the domain is pure: adapters talk to AWS, handlers emit metrics' },
            { regex: '^(#schemas/|zod(/|$))', message: 'schemas read input at the edges and hand the domain its own types' },
            { regex: '^(#shared/|pdf-lib$|nodemailer(/|$)|fast-xml-parser$)', message: 'documents and wiring depend on the domain, not the other way round' },
          ],
        },
      ],
    },
  },
  {
    // The topology and the metric catalogue are data that the CDK, the handlers and the local runtime all read.
    files: ['shared/topology.ts', 'shared/metrics.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(@aws-sdk/|@aws-lambda-powertools/|aws-cdk-lib(/|$)|#adapters/)', message: 'pure data: no SDK, Powertools or CDK' }] },
      ],
    },
  },
  {
    // Money is integer minor units: no float rounding, no float parsing, no float formatting where amounts live.
    files: ['shared/domain/**/*.ts', 'shared/schemas/**/*.ts', 'shared/bank/**/*.ts', 'shared/adapters/**/*.ts', 'functions/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['round', 'floor', 'ceil', 'trunc', 'fround'].map((property) => ({ object: 'Math', property, message: 'money is integer minor units: use divideHalfUp, prorate, runningShare or divideCeil from #domain/money' })),
        { object: 'Number', property: 'parseFloat', message: 'parse amounts with parseDecimalMinor, rates with percentToPpm' },
      ],
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'parse amounts with parseDecimalMinor, rates with percentToPpm' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name=/^(toFixed|toPrecision)$/]", message: 'format amounts with minorToDecimalString or formatMinor' }],
    },
  },
  {
    // Only adapters talk to AWS.
    files: ['functions/**/*.ts', 'shared/schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*'] }],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
