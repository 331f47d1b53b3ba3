import { createHash } from 'node:crypto';

/**
 * Transient failures injected on purpose (`o2c simulate --chaos`), where AWS would retry: a Step Functions task fails
 * with `Lambda.ServiceException` (the workflows' Retry takes it), an SQS consumer's batch goes back to the queue.
 * Off unless O2C_CHAOS_FAILURE_RATE is set; seeded by O2C_CHAOS_SEED.
 *
 * Whether an invocation fails is a pure function of the seed, the function, a stable key of the invocation (what it
 * works on: a workflow execution's name and state, a batch's messages) and its attempt number, not of the order in
 * which concurrent invocations happen to come: the same run fails the same invocations. A new attempt draws again,
 * so whatever failed on purpose eventually succeeds.
 */
const rate = Number(process.env.O2C_CHAOS_FAILURE_RATE ?? 0);
const seed = Number(process.env.O2C_CHAOS_SEED ?? 1) >>> 0;
const byFunction: Record<string, number> = {};

/** How an injected failure's message starts: the meter tells it from a real failure by it. */
export const CHAOS_FAILURE_PREFIX = 'chaos: injected transient failure';

/** Which invocation, and which attempt at it. */
export interface ChaosInvocation {
  /** Stable across runs and restarts for the same work: an execution name and state, a batch's message bodies. */
  key: string;
  /** 1 for the first attempt; each retry or redelivery counts up. */
  attempt: number;
}

/** The draw: true when this attempt at this invocation fails, for a uniform hash of its inputs below `failureRate`. */
export function injectsFailure(input: { seed: number; failureRate: number; functionKey: string } & ChaosInvocation): boolean {
  if (!(input.failureRate > 0)) return false;
  const digest = createHash('sha256').update(JSON.stringify([input.seed >>> 0, input.functionKey, input.key, input.attempt])).digest();
  return digest.readUInt32BE(0) / 4_294_967_296 < input.failureRate;
}

/**
 * A batch of SQS messages as a chaos key and attempt: the messages' bodies (hashed, in a stable order) with their
 * receive counts, so a batch redelivered draws again; the attempt is the highest receive count in it.
 */
export function sqsBatchInvocation(messages: readonly { body: string; receiveCount: number }[]): ChaosInvocation {
  const parts = messages.map((message) => `${createHash('sha256').update(message.body).digest('hex').slice(0, 16)}#${message.receiveCount}`).sort();
  return { key: parts.join(','), attempt: Math.max(1, ...messages.map((message) => message.receiveCount)) };
}

/**
 * Throws a transient Lambda error for this attempt at `functionKey` when the draw says so (after `injected`, which
 * lets the caller meter it); otherwise does nothing.
 */
export function maybeInjectFailure(functionKey: string, invocation: ChaosInvocation, injected?: () => void): void {
  if (!injectsFailure({ seed, failureRate: rate, functionKey, ...invocation })) return;
  byFunction[functionKey] = (byFunction[functionKey] ?? 0) + 1;
  injected?.();
  const error = new Error(`${CHAOS_FAILURE_PREFIX} of ${functionKey}`);
  error.name = 'Lambda.ServiceException';
  throw error;
}

/** What was injected since this process started (`GET /_local/chaos`). */
export const injectedFailures = () => ({ rate, total: Object.values(byFunction).reduce((sum, count) => sum + count, 0), byFunction: { ...byFunction } });

/**
 * Asynchronous Express executions run at least once: under `--chaos`, an Express start draws (at the failure rate,
 * from the seed and the execution's name and input) whether Step Functions runs it a second time beside the first.
 */
export function duplicatesExecution(name: string, input: string): boolean {
  if (!injectsFailure({ seed, failureRate: rate, functionKey: 'express-at-least-once', key: `${name}#${input}`, attempt: 1 })) return false;
  byFunction['express-at-least-once'] = (byFunction['express-at-least-once'] ?? 0) + 1;
  return true;
}
