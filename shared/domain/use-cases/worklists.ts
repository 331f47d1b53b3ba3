import type { DeadLetterEntry } from '../dead-letters.ts';
import { InvalidRequest } from '../errors.ts';
import type { Page } from '../ports.ts';
import { markerKinds, worklistKinds, type MarkerKind, type WorkEntry, type WorklistKind } from '../worklists.ts';
import { deadLetterPage, deadLetterSummary, type DeadLetterReader } from './dead-letters.ts';

export interface WorklistReader {
  page(kind: MarkerKind, page: { limit: number; cursor?: string | undefined }): Promise<Page<WorkEntry>>;
  all(kind: MarkerKind): Promise<WorkEntry[]>;
}

export interface WorklistSummary {
  kind: WorklistKind;
  count: number;
  oldestAt: string | null;
  /** What the items are worth, per currency (never added across currencies). */
  amounts: { currency: string; amountMinor: number }[];
}

/** `GET /worklists`: every manual step, with how many are waiting, since when, and for how much. */
export async function worklistSummaries(deps: { worklists: WorklistReader; deadLetters: DeadLetterReader }): Promise<{ items: WorklistSummary[] }> {
  const [markers, deadLetters] = await Promise.all([Promise.all(markerKinds.map(async (kind) => summarize(kind, await deps.worklists.all(kind)))), deadLetterSummary(deps)]);
  return { items: [...markers, deadLetters] };
}

export function summarize(kind: MarkerKind, entries: readonly WorkEntry[]): WorklistSummary {
  const amounts = new Map<string, number>();
  for (const entry of entries) if (entry.currency && entry.amountMinor !== undefined) amounts.set(entry.currency, (amounts.get(entry.currency) ?? 0) + entry.amountMinor);
  const oldest = entries.reduce<string | null>((first, entry) => (first === null || entry.since < first ? entry.since : first), null);
  return { kind, count: entries.length, oldestAt: oldest, amounts: [...amounts].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor })) };
}

/** `GET /worklists/{kind}`: the items of one worklist, oldest first, each with the route that resolves it. */
export async function worklistPage(
  input: { kind: string; limit: number; cursor?: string | undefined },
  deps: { worklists: WorklistReader; deadLetters: DeadLetterReader },
): Promise<Page<WorkEntry | DeadLetterEntry>> {
  if (!worklistKinds.includes(input.kind as WorklistKind)) throw new InvalidRequest(`kind must be one of ${worklistKinds.join(', ')}`);
  if (input.kind === 'dead-letters') return deadLetterPage(input, deps);
  return deps.worklists.page(input.kind as MarkerKind, input);
}
