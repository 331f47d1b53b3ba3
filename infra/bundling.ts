import type { BuildOptions } from 'esbuild';

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
  // Domain error names are what ASL Retry/Catch match; keep class names readable in stack traces too.
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // Bundle the AWS SDK instead of using the runtime's copy: one tested version everywhere.
  external: [],
} as const satisfies BuildOptions;
