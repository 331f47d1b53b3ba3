import { TransientError } from './errors.ts';

/** What an attempt answers when the state it read changed before its conditional write: run me again. */
export const RETRY = Symbol('retry');

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The pause before attempt `n` (n ≥ 2), jittered so contenders spread out; none when left out. */
  pauseMs?: ((attempt: number) => number) | undefined;
  /** Errors worth another attempt (e.g. a transaction conflict); any other error ends at once. */
  retryOn?: ((error: unknown) => boolean) | undefined;
}

/** Pauses of `random × base × 2^n` ms: the usual jittered exponential backoff. */
export const jitteredBackoff =
  (baseMs: number, capMs = Number.POSITIVE_INFINITY) =>
  (attempt: number) =>
    Math.random() * Math.min(capMs, baseMs * 2 ** attempt);

/**
 * Optimistic concurrency, one way for every use case and adapter: `attempt` reads, decides and writes on a
 * condition, and answers `RETRY` when the condition failed because something changed meanwhile (or throws an
 * error `retryOn` accepts). It runs again, up to `attempts` times. Then `TransientError(giveUp)` (or the error
 * `giveUp` makes) hands over to the caller's own retry (the workflow's, the queue's, the client's); a retried error
 * that persists is thrown as is.
 */
export async function retryOnChange<T>(giveUp: string | (() => Error), attempt: (n: number) => Promise<T | typeof RETRY>, options: RetryOptions): Promise<T> {
  for (let n = 1; n <= options.attempts; n++) {
    if (n > 1 && options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs!(n - 1)));
    try {
      const outcome = await attempt(n);
      if (outcome !== RETRY) return outcome;
    } catch (error) {
      if (!options.retryOn?.(error) || n === options.attempts) throw error;
    }
  }
  throw typeof giveUp === 'string' ? new TransientError(giveUp) : giveUp();
}
