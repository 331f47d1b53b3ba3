import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, requiredName } from '#shared/config';
import { GenericOrderBody, describeIssues } from '#schemas/generic-order';
import { genericOrder } from '../../support/fixtures.ts';

const root = join(import.meta.dirname, '../../..');

/** Every TypeScript file under `dir`, relative to the repository. */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('zod in the functions', () => {
  it('given the code functions bundle, when it imports zod, then it is zod/mini through #schemas/zod (classic is 85 KiB and 6–9 ms at import; without #schemas/zod messages are not English)', () => {
    const direct = ['shared', 'functions', 'local']
      .flatMap(sourceFiles)
      .filter((file) => file !== join('shared', 'schemas', 'zod.ts'))
      .filter((file) => /from 'zod(\/[^']*)?'/.test(readFileSync(join(root, file), 'utf8')));

    expect(direct).toEqual([]);
  });

  it('given a bad order body, when parsed, then the 400 details read as zod classic wrote them', () => {
    const parsed = GenericOrderBody.safeParse(genericOrder({ externalId: '', currency: 7, customer: { externalId: 'C', name: 'N', email: 'nope', country: 'DE' }, lines: [] }));

    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toEqual([
      { path: 'externalId', message: 'Too small: expected string to have >=1 characters' },
      { path: 'currency', message: 'Invalid input: expected string, received number' },
      { path: 'customer.email', message: 'Invalid email address' },
      { path: 'lines', message: 'Too small: expected array to have >=1 items' },
    ]);
  });

  it('given a missing variable, when the configuration is loaded, then the error names it in English', () => {
    expect(() => loadConfig({ TABLE_NAME: requiredName }, {})).toThrow('Invalid function configuration: TABLE_NAME: Invalid input: expected string, received undefined');
  });
});
