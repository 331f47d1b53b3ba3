import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '#shared/state-machine-definitions';

/** The DESIGN §4 example order, with its external id replaced so each test owns its order. */
export function genericOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/orders/generic-order.json'), 'utf8')) as Record<string, unknown>;
  return { ...base, externalId: `T-${Math.random().toString(36).slice(2, 12)}`, ...overrides };
}
