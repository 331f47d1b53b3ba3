import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * The operator console: a static single-page app served under `/console/` (locally by `npm start`, on AWS from a
 * private S3 bucket behind CloudFront). Types and the role matrix come from the backend's own modules.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  resolve: { alias: { '#domain': repo('shared/domain'), '#shared': repo('shared') } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 900 },
});
