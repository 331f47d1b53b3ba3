#!/usr/bin/env node
// `npx o2c …`: runs the TypeScript CLI through tsx, so the CLI, the tests and the deployed bundles share one source.
import { register } from 'tsx/esm/api';

register();
await import('../local/cli.ts');
