import { describe, expect, it } from 'vitest';
import { Conflict, TransientError } from '#domain/errors';
import { RETRY, retryOnChange } from '#domain/retry';

describe('retryOnChange', () => {
  it('given an attempt that finds the state changed twice, when retried, then the third answer is returned', async () => {
    let calls = 0;
    const result = await retryOnChange('gave up', async () => (++calls < 3 ? RETRY : 'done'), { attempts: 5 });
    expect([result, calls]).toEqual(['done', 3]);
  });

  it('given an attempt that always finds the state changed, when the attempts run out, then a TransientError says why', async () => {
    let calls = 0;
    await expect(retryOnChange('order O1 kept changing; retry', async () => (calls++, RETRY), { attempts: 4 })).rejects.toThrow(new TransientError('order O1 kept changing; retry'));
    expect(calls).toBe(4);
  });

  it('given a give-up error of its own, when the attempts run out, then that error is thrown', async () => {
    await expect(retryOnChange(() => new Conflict('send it again'), async () => RETRY, { attempts: 2 })).rejects.toBeInstanceOf(Conflict);
  });

  it('given a retryable error that persists, when the attempts run out, then the error itself is thrown; another error is thrown at once', async () => {
    let calls = 0;
    const contention = new Error('TransactionConflict');
    await expect(retryOnChange('x', async () => { calls++; throw contention; }, { attempts: 3, retryOn: (error) => error === contention, pauseMs: () => 1 })).rejects.toBe(contention);
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryOnChange('x', async () => { calls++; throw new Error('other'); }, { attempts: 3, retryOn: (error) => error === contention })).rejects.toThrow('other');
    expect(calls).toBe(1);
  });
});
