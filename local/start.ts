import { mintDevToken } from './dev-tokens.ts';
import { ensureConsoleBuilt } from './console-build.ts';
import { startRuntime } from './runtime.ts';

/** `o2c start`: the runtime in the foreground, with the URLs and a first request to try; Ctrl-C stops it cleanly. */
export async function runStart(options: { fresh: boolean; port?: number | undefined }): Promise<void> {
  const started = Date.now();
  await ensureConsoleBuilt();
  const runtime = await startRuntime({ fresh: options.fresh, ...(options.port !== undefined ? { ports: { api: options.port } } : {}) });
  const token = await mintDevToken('viewer');
  const engines = Object.entries(runtime.endpoints)
    .map(([name, endpoint]) => `  ${name.padEnd(14)} ${endpoint}`)
    .join('\n');
  process.stdout.write(`
O2C is running (${((Date.now() - started) / 1000).toFixed(1)} s). Data: ${process.env.O2C_DATA_DIR ?? '.o2c/'}
  API            ${runtime.url}            (GET /health)
  console        ${runtime.url}/console/   (sign in as a role: ${runtime.url}/console/login?role=ar-clerk)
  emails         ${runtime.endpoints.ses}            (web UI of the local SES; also GET ${runtime.url}/_local/emails)
${engines}

Try it:
  npx o2c send-order                                   # signs and posts a demo order; answers 202
  curl -s -H "authorization: Bearer $(npx o2c token --role viewer)" \\
    "${runtime.url}/orders?source=generic&externalId=<the externalId printed above>"
  npx o2c ship <the order's id>                        # a carrier's confirmation: the invoice is emailed
  open ${runtime.endpoints.ses}                           # the local SES inbox: the invoice email, PDF and UBL attached
  npx o2c reconcile --invoices test/fixtures/bank/reconcile/open-invoices.json \
    --statement test/fixtures/bank/reconcile/statement.camt053.xml    # a dry run of cash application
  curl -s -X POST -H "authorization: Bearer $(npx o2c token --role ar-clerk)" --data-binary @<camt.053|MT940|BAI2 file> \
    "${runtime.url}/bank-files?name=statement.xml"   # applies a bank file; then GET /payments?status=unmatched
A viewer token valid for 12 h:
  ${token}

Ctrl-C stops every engine.
`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
