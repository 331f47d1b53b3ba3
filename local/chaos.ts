/**
 * Transient failures injected on purpose (`o2c simulate --chaos`), where AWS would retry: a Step Functions task fails
 * with `Lambda.ServiceException` (the workflows' Retry takes it), an SQS consumer's batch goes back to the queue.
 * Off unless O2C_CHAOS_FAILURE_RATE is set; seeded by O2C_CHAOS_SEED, so a run can be repeated.
 */
const rate = Number(process.env.O2C_CHAOS_FAILURE_RATE ?? 0);
let state = Number(process.env.O2C_CHAOS_SEED ?? 1) >>> 0;
const byFunction: Record<string, number> = {};

function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** Throws a transient Lambda error for `functionKey` at the configured rate; otherwise does nothing. */
export function maybeInjectFailure(functionKey: string): void {
  if (!(rate > 0) || next() >= rate) return;
  byFunction[functionKey] = (byFunction[functionKey] ?? 0) + 1;
  const error = new Error(`chaos: injected transient failure of ${functionKey}`);
  error.name = 'Lambda.ServiceException';
  throw error;
}

/** What was injected since this process started (`GET /_local/chaos`). */
export const injectedFailures = () => ({ rate, total: Object.values(byFunction).reduce((sum, count) => sum + count, 0), byFunction: { ...byFunction } });
