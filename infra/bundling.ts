import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

const repoRoot = join(import.meta.dirname, '..');

/**
 * How every function is bundled, in esbuild's own terms. The CDK function construct and `npm run bench` both use
 * it, so the measured bundle is the deployed bundle.
 */
export const functionBundling = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  minify: true,
  // Our errors name themselves (`override readonly name = '…'`), which is what ASL Retry/Catch and the HTTP layer
  // match; stack traces map back through the source map. Keeping every minified name cost 25–38 KiB per bundle and
  // a call per function and class at import (test/infra/bundling.test.ts checks the names in a minified bundle).
  keepNames: false,
  sourcemap: true,
  sourcesContent: false,
  // Bundle the AWS SDK instead of using the runtime's copy: one tested version everywhere.
  external: [],
  // A function's credentials are in its environment: the SDK's whole default chain is not bundled.
  alias: { '@aws-sdk/credential-provider-node': join(repoRoot, 'shared', 'adapters', 'lambda-credentials.ts') },
} as const satisfies BuildOptions;
