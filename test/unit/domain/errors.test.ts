import { describe, expect, it } from 'vitest';
import { EmailNotSent, InvalidRequest, OrderNotFound, TransientError } from '#domain/errors';

describe('domain errors', () => {
  it('given a domain error, when inspected, then its name is stable and its code is the SCREAMING_SNAKE of it', () => {
    const error = new OrderNotFound('gone');

    expect(error.name).toBe('OrderNotFound');
    expect(error.code).toBe('ORDER_NOT_FOUND');
    expect(error.httpStatus).toBe(404);
  });

  it('given details, when raised, then they travel with the error', () => {
    expect(new InvalidRequest('bad', [{ path: 'x' }]).details).toEqual([{ path: 'x' }]);
  });

  it('given an email that could not be sent, when raised, then it is a TransientError by name, so the workflow retries it, and its own class for the metric', () => {
    const error = new EmailNotSent('invoice email INV-1 failed: timeout');

    expect(error).toBeInstanceOf(TransientError);
    expect(error.name).toBe('TransientError');
    expect(error.httpStatus).toBe(503);
  });
});
