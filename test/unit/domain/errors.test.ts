import { describe, expect, it } from 'vitest';
import { InvalidRequest, OrderNotFound } from '#domain/errors';

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
});
