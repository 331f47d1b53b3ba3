import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signGenericWebhook } from '#domain/webhook-signature';
import { secrets } from '#shared/topology';
import { isRole, mintDevToken } from './dev-tokens.ts';

const usage = `Usage: o2c <command> [options]

Commands:
  start [--fresh] [--port N]      the embedded runtime (what npm start runs); --fresh starts from empty data
  token --role ROLE [--user U]    a local dev JWT for the operator API (roles: viewer, ar-clerk, credit-manager, admin)
  send-order [FILE] [--url URL]   signs a generic order (FILE, or a fresh demo order) and posts it to /webhooks/orders
  ship ORDER_ID [--url URL]       confirms a shipment of everything outstanding (as a carrier would), which invoices it
  sign FILE                       prints the X-O2C-Signature header for FILE's exact bytes (valid 5 minutes)
  bank parse FILE [--format auto|camt053|bai2|mt940|csv] [--profile CSV_PROFILE.json] [--account A] [--currency C] [--json]
                                  the normalized statements of a bank file; exit 1 with the reason for a bad file;
                                  a CSV without --profile is read with a profile inferred from its header (printed too)
  reconcile --invoices OPEN_INVOICES.json --statement BANK_FILE [--format F] [--profile P] [--json]
                                  a dry run of cash application: what the matching engine would allocate (no state touched)
  simulate [--days 90] [--orders-per-day 50] [--customers 40] [--seed 1] [--clerk-capacity 20] [--chaos] [--url URL] [--json]
                                  a synthetic business through the real pipeline, proven against its own books;
                                  exit 1 when an invariant fails
`;

function fail(message: string): never {
  process.stderr.write(`o2c: ${message}\n`);
  process.exit(1);
}

const webhookSecret = () => process.env[secrets.webhook.localEnvVar] ?? secrets.webhook.devDefault;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export function demoOrder(externalId = `DEMO-${Date.now()}`): string {
  return JSON.stringify({
    externalId,
    orderedAt: new Date().toISOString(),
    currency: 'EUR',
    customer: { externalId: 'C-42', name: 'Acme GmbH', email: 'ap@acme.example', country: 'DE' },
    lines: [{ sku: 'WIDGET-1', description: 'Widget', quantity: 2, unitPriceMinor: 1999, taxRatePercent: 19 }],
    shippingMinor: 500,
  });
}

/** Posts `body` signed like a store or carrier would (generic scheme) and prints the answer; exit 1 on a 4xx/5xx. */
async function postSigned(url: string | undefined, path: string, body: string): Promise<void> {
  const base = url ?? `http://127.0.0.1:${process.env.O2C_PORT ?? 3000}`;
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-o2c-signature': signGenericWebhook(body, webhookSecret(), nowSeconds()) },
    body,
  });
  process.stdout.write(`${response.status} ${await response.text()}\n`);
  if (!response.ok) process.exitCode = 1;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { fresh: { type: 'boolean' }, port: { type: 'string' } } });
      const { runStart } = await import('./start.ts');
      await runStart({ fresh: values.fresh ?? false, port: values.port === undefined ? undefined : Number(values.port) });
      return;
    }
    case 'token': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, user: { type: 'string' } } });
      if (!values.role || !isRole(values.role)) fail('--role must be one of viewer, ar-clerk, credit-manager, admin');
      process.stdout.write(`${await mintDevToken(values.role, values.user ? { user: values.user } : {})}\n`);
      return;
    }
    case 'sign': {
      const file = rest[0] ?? fail('sign needs a FILE');
      process.stdout.write(`${signGenericWebhook(readFileSync(file, 'utf8'), webhookSecret(), nowSeconds())}\n`);
      return;
    }
    case 'ship': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { url: { type: 'string' }, carrier: { type: 'string' }, tracking: { type: 'string' } } });
      const orderId = positionals[0] ?? fail('ship needs an ORDER_ID');
      const body = JSON.stringify({ orderId, carrier: values.carrier ?? 'DEMO', trackingNumber: values.tracking ?? `DEMO${Date.now()}`, shippedAt: new Date().toISOString() });
      await postSigned(values.url, '/shipments', body);
      return;
    }
    case 'send-order': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { url: { type: 'string' } } });
      const body = positionals[0] ? readFileSync(positionals[0], 'utf8') : demoOrder();
      await postSigned(values.url, '/webhooks/orders', body);
      return;
    }
    case 'bank': {
      const [subcommand, ...bankArgs] = rest;
      if (subcommand !== 'parse') fail('bank needs a subcommand: parse');
      const { bankParse, CommandError } = await import('./bank-commands.ts');
      try {
        process.stdout.write(bankParse(bankArgs));
      } catch (error) {
        if (error instanceof CommandError) fail(error.message);
        throw error;
      }
      return;
    }
    case 'reconcile': {
      const { reconcile, CommandError } = await import('./bank-commands.ts');
      try {
        process.stdout.write(reconcile(rest));
      } catch (error) {
        if (error instanceof CommandError) fail(error.message);
        throw error;
      }
      return;
    }
    case 'simulate': {
      const { values } = parseArgs({ args: rest, options: { days: { type: 'string' }, 'orders-per-day': { type: 'string' }, customers: { type: 'string' }, seed: { type: 'string' }, 'clerk-capacity': { type: 'string' }, url: { type: 'string' }, chaos: { type: 'boolean' }, json: { type: 'boolean' } } });
      const whole = (text: string | undefined, fallback: number, name: string, max: number) => {
        const value = text === undefined ? fallback : Number(text);
        if (!Number.isSafeInteger(value) || value < 1 || value > max) fail(`--${name} must be a whole number 1..${max}`);
        return value;
      };
      const { simulate, DEFAULT_BUSINESS } = await import('./simulate/simulate.ts');
      const { renderSummary } = await import('./simulate/summary.ts');
      const result = await simulate({
        days: whole(values.days, DEFAULT_BUSINESS.days, 'days', 3_650),
        ordersPerDay: whole(values['orders-per-day'], DEFAULT_BUSINESS.ordersPerDay, 'orders-per-day', 10_000),
        customers: whole(values.customers, DEFAULT_BUSINESS.customers, 'customers', 100_000),
        seed: whole(values.seed, DEFAULT_BUSINESS.seed, 'seed', 2 ** 31),
        clerkCapacity: values['clerk-capacity'] === undefined ? undefined : whole(values['clerk-capacity'], 20, 'clerk-capacity', 100_000),
        url: values.url,
        chaos: values.chaos ?? false,
        // On a terminal the day's bar is redrawn in place; other lines (and a log file) get one line each.
        progress: (line) => {
          const bar = line.startsWith('[');
          if (!process.stderr.isTTY) process.stderr.write(`${line}\n`);
          else process.stderr.write(bar ? `\r\u001b[K${line}` : `\r\u001b[K${line}\n`);
        },
      });
      process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}o2c simulate finished in ${result.elapsedSeconds} s: ${result.failed.length === 0 ? 'every invariant 0' : `FAILED ${result.failed.join(', ')}`}\n`);
      process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderSummary(result));
      if (result.failed.length > 0) process.exitCode = 1;
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(usage);
      return;
    default:
      fail(`unknown command ${command}\n${usage}`);
  }
}

await main(process.argv.slice(2)).catch((error: Error) => fail(error.message));
