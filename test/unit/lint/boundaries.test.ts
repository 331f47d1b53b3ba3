import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The rule ids our lint config reports for `code` as if it were the file at `filePath`. */
async function rulesBroken(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint rules that keep money exact and the domain pure', () => {
  it.each([
    ['Math.round', 'export const tax = (net: number) => Math.round(net * 0.19);\n'],
    ['Math.floor', 'export const half = (amount: number) => Math.floor(amount / 2);\n'],
    ['parseFloat', 'export const amount = (text: string) => parseFloat(text);\n'],
    ['toFixed', 'export const shown = (amount: number) => amount.toFixed(2);\n'],
  ])('given %s on an amount in the domain, when linted, then it is refused', async (_name, code) => {
    expect(await rulesBroken(code, 'shared/domain/example.ts')).toEqual(expect.arrayContaining([expect.stringMatching(/^no-restricted-(properties|globals|syntax)$/)]));
  });

  it('given float rounding in an adapter or a handler, when linted, then it is refused there too', async () => {
    expect(await rulesBroken('export const seconds = (ms: number) => Math.floor(ms / 1000);\n', 'shared/adapters/example.ts')).toContain('no-restricted-properties');
    expect(await rulesBroken('export const seconds = (ms: number) => Math.floor(ms / 1000);\n', 'functions/example/handler.ts')).toContain('no-restricted-properties');
  });

  it.each([
    ["import { z } from 'zod';\nexport const schema = z.string();\n"],
    ["import * as z from 'zod/mini';\nexport const schema = z.string();\n"],
    ["import * as z from '#schemas/zod';\nexport const schema = z.string();\n"],
    ["import { GenericOrderBody } from '#schemas/generic-order';\nexport const body = GenericOrderBody;\n"],
    ["import { renderInvoicePdf } from '#shared/documents/invoice-pdf';\nexport const render = renderInvoicePdf;\n"],
  ])('given the domain importing a schema or a document renderer (%s), when linted, then it is refused', async (code) => {
    expect(await rulesBroken(code, 'shared/domain/example.ts')).toContain('no-restricted-imports');
  });

  it('given the domain importing Powertools, when linted, then it is refused: the handler emits metrics after the use case returns', async () => {
    expect(await rulesBroken("import { Metrics } from '@aws-lambda-powertools/metrics';\nexport const metrics = new Metrics();\n", 'shared/domain/example.ts')).toContain('no-restricted-imports');
  });

  it.each([['shared/metrics.ts'], ['shared/topology.ts']])('given %s (pure data) importing Powertools or the CDK, when linted, then it is refused', async (filePath) => {
    expect(await rulesBroken("import { Metrics } from '@aws-lambda-powertools/metrics';\nexport const metrics = new Metrics();\n", filePath)).toContain('no-restricted-imports');
    expect(await rulesBroken("import { Duration } from 'aws-cdk-lib';\nexport const period = Duration.minutes(5);\n", filePath)).toContain('no-restricted-imports');
  });

  it('given integer arithmetic on minor units in the domain, when linted, then nothing is reported', async () => {
    expect(await rulesBroken("import { divideHalfUp } from './money.ts';\nexport const third = (amount: number) => divideHalfUp(BigInt(amount), 3n);\n", 'shared/domain/example.ts')).toEqual([]);
  });
});
