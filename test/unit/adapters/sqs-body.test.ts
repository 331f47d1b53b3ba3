import { describe, expect, it } from 'vitest';
import { sqsSafeJson } from '#adapters/sqs-body';
import { Random } from '../../support/cash-ledger.ts';
import { hostileTexts } from '../../support/fuzz.ts';

describe('SQS message bodies', () => {
  it('given any text a client may send (emoji, U+FFFF, lone surrogates, controls), when written as a message body, then only printable ASCII travels and JSON.parse gives back the same text', () => {
    const random = new Random(5);
    const texts = [...hostileTexts, ...Array.from({ length: 500 }, () => String.fromCharCode(...Array.from({ length: random.int(0, 40) }, () => random.int(0, 0xffff))))];
    for (const text of texts) {
      const body = sqsSafeJson({ order: { description: text } });
      expect(body).toMatch(/^[\x20-\x7e]*$/);
      expect((JSON.parse(body) as { order: { description: string } }).order.description).toBe(text);
    }
  });
});
