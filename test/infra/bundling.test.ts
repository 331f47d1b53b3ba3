import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionBundling } from '../../infra/bundling.ts';
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
  xmlbuilder2: ['renderInvoiceDocuments'],
  nodemailer: ['sendInvoiceEmail', 'resendInvoiceEmail', 'runDunning'],
  'fast-xml-parser': ['uploadBankFile', 'reconcileBankFiles'],
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
