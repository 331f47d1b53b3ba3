import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../local/console-build.ts';
import { startRuntime, type Runtime } from '../../local/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    o2cUrl: string;
    o2cEndpoints: Record<string, string>;
    o2cQueues: Record<string, { url: string; arn: string }>;
    o2cTable: string;
  }
}

let runtime: Runtime | undefined;
let dataDir: string | undefined;

/** Starts the real engines once for the whole integration run, on free ports and empty data. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'o2c-it-'));
  await ensureConsoleBuilt();
  runtime = await startRuntime({
    dataDir,
    fresh: true,
    ports: { api: 0, dynamodb: 0, sqs: 0, s3: 0, ses: 0, stepfunctions: 0 },
    visibilityTimeoutSeconds: 1,
    logLevel: 'SILENT',
  });
  project.provide('o2cUrl', runtime.url);
  project.provide('o2cEndpoints', runtime.endpoints);
  project.provide('o2cQueues', runtime.queues);
  project.provide('o2cTable', runtime.tableName);
}

export async function teardown(): Promise<void> {
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
