import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '#shared/state-machine-definitions';

/** A free TCP port on loopback, as the OS hands it out. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface RuntimePorts {
  api: number;
  dynamodb: number;
  sqs: number;
  s3: number;
  ses: number;
  sfn: number;
}

export const freePorts = async (): Promise<RuntimePorts> => ({ api: await freePort(), dynamodb: await freePort(), sqs: await freePort(), s3: await freePort(), ses: await freePort(), sfn: await freePort() });

/**
 * `o2c start` in a process group of its own (Java included), on the ports and data directory given, so a crash can
 * take all of it at once (`kill`) and a restart finds the same data. `ready` resolves once `/health` answers.
 */
export function startRuntimeProcess(options: { dataDir: string; ports: RuntimePorts; env?: Record<string, string>; logs?: boolean }): { child: ChildProcess; ready: Promise<void> } {
  const { ports } = options;
  const env = {
    ...process.env,
    O2C_DATA_DIR: options.dataDir,
    O2C_PORT: String(ports.api),
    O2C_DYNAMODB_PORT: String(ports.dynamodb),
    O2C_SQS_PORT: String(ports.sqs),
    O2C_S3_PORT: String(ports.s3),
    O2C_SES_PORT: String(ports.ses),
    O2C_SFN_PORT: String(ports.sfn),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...options.env,
  };
  const child = spawn(process.execPath, [join(repoRoot, 'bin/o2c.js'), 'start'], { cwd: repoRoot, env, detached: true, stdio: options.logs ? ['ignore', 'inherit', 'inherit'] : 'ignore' });
  const ready = (async () => {
    for (let waited = 0; waited < 120_000; waited += 250) {
      if (child.exitCode !== null) throw new Error(`the runtime exited with ${child.exitCode}`);
      if (await fetch(`http://127.0.0.1:${ports.api}/health`).then((response) => response.ok, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the runtime did not come up in 120 s');
  })();
  return { child, ready };
}

/** Signals the runtime's whole process group (Java included); a group already gone is fine. */
export function killRuntimeProcess(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));
