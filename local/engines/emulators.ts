import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';
import { buildApp, interceptLocalhostDns } from 'fauxqs';
import S3rver from 's3rver';
import type { Engine } from './engine.ts';
import type { SqsJournal } from './sqs-journal.ts';

/**
 * SQS (fauxqs, in process). Its queues live in memory; the journal (`SqsJournal`) records what was accepted and not
 * yet consumed, so the runtime can send it again after a crash or a stop.
 */
export async function startSqs(options: { port: number; journal?: SqsJournal | undefined }): Promise<Engine> {
  // fauxqs's startFauxqs listens on 0.0.0.0 whatever it is told; the same app, built here, listens on loopback only.
  const app = buildApp({ logger: false });
  options.journal?.attach(app);
  const listening = new URL(await app.listen({ port: options.port, host: '127.0.0.1' }));
  // fauxqs names queues like AWS (`http://sqs.<region>.localhost:<port>/<account>/<name>`) and the SDK sends to the
  // queue URL's host, so the endpoint uses the same host. *.localhost is loopback (RFC 6761), but Node's resolver
  // does not know it: the runtime process, where the handlers run, is taught it while the engine is up.
  const restoreDns = interceptLocalhostDns();
  return {
    name: 'sqs',
    endpoint: `http://sqs.us-east-1.localhost:${listening.port}`,
    stop: async () => {
      restoreDns();
      await app.close();
    },
  };
}

/** S3 (s3rver), objects persisted under `dataDir`. */
export async function startS3(options: { port: number; dataDir: string }): Promise<Engine & { server: S3rver }> {
  mkdirSync(options.dataDir, { recursive: true });
  const server = new S3rver({ port: options.port, address: '127.0.0.1', silent: true, directory: options.dataDir, allowMismatchedSignatures: true });
  await server.run();
  return { name: 's3', endpoint: `http://127.0.0.1:${options.port}`, server, stop: () => server.close() };
}

/** SES v2 (aws-ses-v2-local): mail is kept in memory and listed at `GET /store`. */
export async function startSes(options: { port: number }): Promise<Engine> {
  // A CommonJS module with `exports.default`: under ESM the function sits one level down.
  const startSesServer = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as typeof sesModule;
  const server: Server = await startSesServer({ host: '127.0.0.1', port: options.port });
  return {
    name: 'ses',
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
