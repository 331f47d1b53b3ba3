import { byAge, deadLetterEntry, type DeadLetterEntry, type DeadLetterMessage, type DeadLetterQueue, type RedriveOutcome } from '../dead-letters.ts';
import { Conflict, InvalidRequest, NotFound } from '../errors.ts';
import type { Page } from '../ports.ts';

/** Reads the dead-letter queues (SQS on AWS, fauxqs locally). */
export interface DeadLetterReader {
  /** Every dead-letter queue of the topology. */
  readonly queues: readonly DeadLetterQueue[];
  /** Messages in the queue, visible or not (SQS's approximate counts). */
  count(queue: string): Promise<number>;
  /** Up to `max` messages, looked at without taking them (they stay visible); SQS may return fewer. */
  peek(queue: string, max: number): Promise<DeadLetterMessage[]>;
}

/** Moves a dead-letter queue's messages back to its source queue. */
export interface DeadLetterRedriver {
  readonly queues: readonly DeadLetterQueue[];
  redrive(queue: string, destination: string): Promise<RedriveOutcome>;
}

/** Messages sampled per queue: one ReceiveMessage call's worth. */
export const SAMPLES_PER_QUEUE = 10;

/**
 * The dead-letters line of `GET /worklists`: the messages in every dead-letter queue, from the queues' own counts.
 * `oldestAt` is null: SQS has no attribute for a queue's oldest message (its age is a CloudWatch metric), and
 * sampling messages here would add a receive to each of them every time someone opens the summary.
 */
export async function deadLetterSummary(deps: { deadLetters: DeadLetterReader }) {
  const counts = await Promise.all(deps.deadLetters.queues.map((queue) => deps.deadLetters.count(queue.name)));
  return { kind: 'dead-letters' as const, count: counts.reduce((sum, count) => sum + count, 0), oldestAt: null, amounts: [] };
}

/**
 * `GET /worklists/dead-letters`: one item per dead-letter queue holding messages, with a sample of them (a preview
 * only, redacted), oldest first, each with the route that redrives it.
 */
export async function deadLetterPage(input: { limit: number; cursor?: string | undefined }, deps: { deadLetters: DeadLetterReader }): Promise<Page<DeadLetterEntry>> {
  const offset = offsetOf(input.cursor);
  const counted = await Promise.all(deps.deadLetters.queues.map(async (queue) => ({ queue, count: await deps.deadLetters.count(queue.name) })));
  const holding = counted.filter(({ count }) => count > 0);
  const entries = await Promise.all(holding.map(async ({ queue, count }) => deadLetterEntry(queue, count, await deps.deadLetters.peek(queue.name, SAMPLES_PER_QUEUE))));
  entries.sort(byAge);
  const next = offset + input.limit;
  return { items: entries.slice(offset, next), cursor: next < entries.length ? Buffer.from(JSON.stringify({ offset: next })).toString('base64url') : null };
}

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // falls through to the 400
  }
  throw new InvalidRequest('cursor is not one this list gave out');
}

/**
 * `POST /dead-letters/{queue}/redrive` (admin): moves the queue's messages back to the queue they came from, for
 * its consumer to try again. Only the work queues' dead-letter queues have a source queue; the others are refused
 * with the reason.
 */
export async function redriveDeadLetters(input: { queue: string }, deps: { deadLetters: DeadLetterRedriver }): Promise<RedriveOutcome> {
  const queue = deps.deadLetters.queues.find((candidate) => candidate.name === input.queue);
  if (!queue) throw new NotFound(`no dead-letter queue ${input.queue}; the dead-letter queues are ${deps.deadLetters.queues.map((known) => known.name).join(', ')}`);
  if (!('queue' in queue.redrive)) throw new Conflict(`${queue.name} cannot be redriven: ${queue.redrive.unavailable}`);
  return deps.deadLetters.redrive(queue.name, queue.redrive.queue);
}
