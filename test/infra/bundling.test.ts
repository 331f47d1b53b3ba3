import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionBundling } from '../../infra/bundling.ts';
import { domainErrorNames } from '#domain/errors';
import { repoRoot } from '#shared/state-machine-definitions';
import { functions, type FunctionKey } from '#shared/topology';
import { SYNTH_TIMEOUT_MS } from './synthesized-stack.ts';

/**
 * What each function bundles (issue 16): the heavy libraries only in the functions that use them, so a function's
 * bundle and cold start pay for its own work only. Every function is bundled as CDK bundles it (`functionBundling`)
 * and its esbuild metafile's inputs are checked; sizes and timings are measured by `npm run bench`, not here.
 */
const heavyLibraries = {
  'pdf-lib': ['renderInvoiceDocuments', 'customerStatement', 'runDunning'],
  // fast-xml-parser's XMLBuilder (the UBL e-invoice) is this package; fast-xml-parser itself re-exports it in 10 bytes.
  'fast-xml-builder': ['renderInvoiceDocuments'],
  xmlbuilder2: [],
  nodemailer: [],
  'fast-xml-parser': ['uploadBankFile', 'reconcileBankFiles', 'renderInvoiceDocuments'],
} as const satisfies Record<string, readonly FunctionKey[]>;

/** The package a bundled input comes from, or undefined for our own code. */
const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/** The inputs that left code in the bundle: the metafile lists every file parsed, shaken out or not. */
const bundledInputs = (output: Metafile['outputs'][string]) =>
  Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input);

const inputsOf = new Map<FunctionKey, string[]>();

beforeAll(async () => {
  // One build with every handler as an entry point: without code splitting each output is the function's own
  // bundle, and the shared modules are parsed once instead of 55 times.
  const keys = Object.keys(functions) as FunctionKey[];
  const result = await build({
    ...functionBundling,
    entryPoints: Object.fromEntries(keys.map((key) => [key, join(repoRoot, 'functions', functions[key].dir, 'handler.ts')])),
    outfile: undefined,
    outdir: join(repoRoot, '.o2c', 'bundling-test'),
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  for (const key of keys) {
    const output = Object.values(result.metafile.outputs).find((candidate) => candidate.entryPoint?.endsWith(`functions/${functions[key].dir}/handler.ts`));
    if (!output) throw new Error(`no bundle for ${key}`);
    inputsOf.set(key, bundledInputs(output));
  }
}, SYNTH_TIMEOUT_MS);

describe('function bundles', () => {
  it.each(Object.entries(heavyLibraries))('only the functions that need %s bundle it', (library, users) => {
    const bundling = [...inputsOf].filter(([, inputs]) => inputs.some((input) => packageOf(input) === library)).map(([key]) => key);
    expect(bundling.sort()).toEqual([...users].sort());
  });

  it('no function bundles zod classic, and every one that bundles zod has its English messages', () => {
    const classic = [...inputsOf].filter(([, inputs]) => inputs.some((input) => /zod\/v4\/classic\//.test(input))).map(([key]) => key);
    const unlocalised = [...inputsOf]
      .filter(([, inputs]) => inputs.some((input) => /zod\/v4\/core\//.test(input)) && !inputs.some((input) => /zod\/v4\/locales\/en\.js$/.test(input)))
      .map(([key]) => key);
    expect({ classic, unlocalised }).toEqual({ classic: [], unlocalised: [] });
  });

  it('the invoice renderer bundles fast-xml-parser for its builder only, none of its parser', () => {
    const parts = inputsOf.get('renderInvoiceDocuments')!.filter((input) => packageOf(input) === 'fast-xml-parser');
    expect(parts).toEqual([expect.stringMatching(/\/fast-xml-parser\/src\/xmlbuilder\//)]);
  });

  it('no function bundles a zod locale but English (a `z` re-export import carries every locale)', () => {
    const withLocales = [...inputsOf].filter(([, inputs]) => inputs.some((input) => /zod\/v4\/locales\/(?!en\.js$)/.test(input))).map(([key]) => key);
    expect(withLocales).toEqual([]);
  });

  it('only the functions that emit business metrics bundle a metrics client', () => {
    // A function that only logs imports #shared/logger, not #shared/observability.
    const reading = (['getOrder', 'findInvoices', 'getCustomer', 'validateOrder', 'relayOutbox'] as const).filter((key) =>
      inputsOf.get(key)!.some((input) => packageOf(input) === '@aws-lambda-powertools/metrics'),
    );
    expect(reading).toEqual([]);
  });

  it('an operator read bundles only the DynamoDB client of the AWS SDK', () => {
    const clients = new Set(inputsOf.get('getOrder')!.map(packageOf).filter((name) => name?.startsWith('@aws-sdk/client-')));
    expect([...clients]).toEqual(['@aws-sdk/client-dynamodb']);
  });
});

/** Bundles `contents` exactly as a function is bundled and writes it under .o2c, for a fresh Node process to import. */
async function bundleProbe(name: string, contents: string): Promise<string> {
  const outfile = join(repoRoot, '.o2c', 'bundling-test', `${name}.mjs`);
  await build({ ...functionBundling, stdin: { contents, resolveDir: repoRoot, loader: 'ts', sourcefile: `${name}.ts` }, outfile, logLevel: 'error' });
  return outfile;
}

/** Runs a bundled probe in a fresh Node process with only the given environment and returns what it printed. */
function runProbe(outfile: string, env: Record<string, string>): string {
  try {
    return execFileSync(process.execPath, [outfile], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    return `exit: ${String((error as { stderr?: string }).stderr)}`;
  }
}

describe('what a function finds at run time', () => {
  it('no function bundles a credential source Lambda never provides (profiles, SSO, web identity, instance metadata, STS)', () => {
    const credentialPackages = /^@aws-sdk\/(nested-clients|credential-provider-(node|ini|sso|web-identity|process|http|login)|token-providers)$|^@smithy\/credential-provider-imds$/;
    const bundling = [...inputsOf].filter(([, inputs]) => inputs.some((input) => credentialPackages.test(packageOf(input) ?? ''))).map(([key]) => key);
    expect(bundling).toEqual([]);
  });

  it(
    'given the environment Lambda gives a function, when a bundled client resolves its credentials, then it has the role session from the environment; without them it says so',
    async () => {
      const probe = await bundleProbe(
        'credentials-probe',
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst credentials = await new DynamoDBClient({ region: 'us-east-1' }).config.credentials();\nprocess.stdout.write(JSON.stringify({ id: credentials.accessKeyId, secret: credentials.secretAccessKey, session: credentials.sessionToken }));\n",
      );
      const lambdaEnvironment = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_SESSION_TOKEN: 'session-example', AWS_REGION: 'us-east-1' };
      expect(JSON.parse(runProbe(probe, lambdaEnvironment))).toEqual({ id: 'ASIAEXAMPLE', secret: 'secret-example', session: 'session-example' });
      expect(runProbe(probe, { AWS_REGION: 'us-east-1', HOME: '/nonexistent' })).toMatch(/Unable to find environment variable credentials/);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'given minified bundles without kept names, when our errors are thrown, then each keeps the name ASL Retry/Catch and the HTTP layer match on',
    async () => {
      const modules = ['#domain/errors', '#domain/bank-statement', '#shared/bank/csv-infer', '#shared/adapters/workflows', '#shared/documents/invoice-ubl'];
      const probe = await bundleProbe(
        'error-names-probe',
        `${modules.map((module, index) => `import * as m${index} from '${module}';`).join('\n')}
const names = {};
for (const module of [${modules.map((_, index) => `m${index}`).join(', ')}]) {
  for (const [exported, value] of Object.entries(module)) {
    if (typeof value === 'function' && value.prototype instanceof Error && exported !== 'DomainError') {
      try { names[exported] = new value('probe').name; } catch { /* abstract or needs arguments */ }
    }
  }
}
process.stdout.write(JSON.stringify(names));\n`,
      );
      const bundled = JSON.parse(runProbe(probe, { AWS_REGION: 'us-east-1' })) as Record<string, string>;
      const fromSource: Record<string, string> = {};
      for (const module of modules) {
        for (const [exported, value] of Object.entries((await import(module)) as Record<string, unknown>)) {
          if (typeof value === 'function' && value.prototype instanceof Error && exported !== 'DomainError') fromSource[exported] = (new (value as new (message: string) => Error)('probe')).name;
        }
      }
      expect(Object.keys(bundled).length).toBeGreaterThanOrEqual(10);
      expect(bundled).toEqual(fromSource);
      for (const name of domainErrorNames) expect(Object.values(bundled)).toContain(name);
    },
    SYNTH_TIMEOUT_MS,
  );
});
