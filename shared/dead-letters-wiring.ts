/**
 * The dead-letter queues' adapter for the worklist readers and the redrive function, apart from `wiring.ts` so each
 * function bundles only what it uses.
 */
import { sqsClient } from '#adapters/aws-clients';
import { sqsDeadLetters, type DeadLetterQueueAddress, type RedriveMode } from '#adapters/dead-letter-queues';
import type { DeadLetterQueue } from '#domain/dead-letters';
import * as z from '#schemas/zod';
import { loadConfig, requiredName } from '#shared/config';
import { deadLetterQueues, queues, type DeadLetterQueueSpec } from '#shared/topology';

/** A topology dead-letter queue as the domain sees it: its source, and where a redrive sends its messages. */
export function describeDeadLetterQueue(spec: DeadLetterQueueSpec): DeadLetterQueue {
  const { source } = spec;
  if (source.kind === 'queue') return { name: spec.name, source: { kind: 'queue', queue: source.queue, function: source.function }, redrive: { queue: source.queue } };
  if (source.kind === 'schedule')
    return { name: spec.name, source: { kind: 'schedule', schedule: source.schedule, function: source.function }, redrive: { unavailable: `Scheduler firings have no source queue to go back to: run ${source.function} again by hand, then purge the queue` } };
  return { name: spec.name, source: { kind: 'async-invocations' }, redrive: { unavailable: 'failed Lambda invocations have no source queue to go back to: read the failure, run the function again by hand, then purge the queue' } };
}

/**
 * `O2C_DEAD_LETTER_REDRIVE`: `message-move-task` (SQS StartMessageMoveTask, the default on AWS) or
 * `receive-send-delete` (set by the embedded runtime: fauxqs has no message move tasks).
 */
const redriveMode = z._default(z.enum(['message-move-task', 'receive-send-delete']), 'message-move-task');

/**
 * The dead-letter queues: every one for the worklist readers (`count`/`peek` access), only the redrivable ones, with
 * their source queues, for the redrive function (`redrive` access).
 */
export function deadLetters(level: 'read' | 'redrive') {
  const specs = level === 'redrive' ? deadLetterQueues.filter((spec) => spec.source.kind === 'queue') : deadLetterQueues;
  const sourceVariable = (spec: DeadLetterQueueSpec) => (level === 'redrive' && spec.source.kind === 'queue' ? queues[spec.source.queue].envVar : undefined);
  const names = specs.flatMap((spec) => [spec.envVar, sourceVariable(spec)]).filter((name): name is string => name !== undefined);
  const config = loadConfig({ ...Object.fromEntries(names.map((name) => [name, requiredName])), O2C_DEAD_LETTER_REDRIVE: redriveMode }) as Record<string, string> & { O2C_DEAD_LETTER_REDRIVE: RedriveMode };
  const addresses: DeadLetterQueueAddress[] = specs.map((spec) => {
    const source = sourceVariable(spec);
    return { queue: describeDeadLetterQueue(spec), url: config[spec.envVar]!, sourceUrl: source ? config[source] : undefined };
  });
  // Every queue is named (so one with no redrive is refused with its reason), though only these have addresses.
  return { ...sqsDeadLetters(sqsClient(), addresses, config.O2C_DEAD_LETTER_REDRIVE), queues: deadLetterQueues.map(describeDeadLetterQueue) };
}
