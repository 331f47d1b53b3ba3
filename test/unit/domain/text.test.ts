import { describe, expect, it } from 'vitest';
import { cleanText, isAcceptedText, refusedCharacter } from '#domain/text';
import { Random } from '../../support/cash-ledger.ts';

/** SQS's allowed set, read straight from its documentation: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF. */
const sqsAllows = (codePoint: number) =>
  codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd || (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0xfffd) || (codePoint >= 0x10000 && codePoint <= 0x10ffff);

/** Code points near every edge of the allowed set, and random ones (surrogates included, which make lone surrogates). */
const EDGES = [0x0, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0x1f, 0x20, 0x7f, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f375, 0x10ffff];

describe('text SQS accepts', () => {
  it('given each code point at an edge of the allowed set and 2 000 random ones (seeded), when checked alone, then it is accepted exactly when SQS allows it', () => {
    const random = new Random(53);
    const codePoints = [...EDGES, ...Array.from({ length: 2_000 }, () => random.int(0, 0x10ffff))];
    for (const codePoint of codePoints) {
      const text = `a${String.fromCodePoint(codePoint)}b`;
      expect(isAcceptedText(text), codePoint.toString(16)).toBe(sqsAllows(codePoint));
      expect(refusedCharacter(text) === undefined).toBe(sqsAllows(codePoint));
    }
  });

  it('given random strings of UTF-16 code units (seeded), when cleaned, then the result is accepted, as long in code points, and each refused character (only those) is U+FFFD', () => {
    const random = new Random(97);
    for (let run = 0; run < 500; run += 1) {
      const text = String.fromCharCode(...Array.from({ length: random.int(0, 12) }, () => (random.int(0, 3) === 0 ? random.int(0xd800, 0xdfff) : random.int(0, 0xffff))));
      const cleaned = cleanText(text);

      expect(isAcceptedText(cleaned)).toBe(true);
      expect([...cleaned].length).toBe([...text].length);
      expect([...cleaned]).toEqual([...text].map((character) => (isAcceptedText(character) ? character : '\uFFFD')));
      if (isAcceptedText(text)) expect(cleaned).toBe(text);
    }
  });

  it('given a lone high surrogate, an emoji and U+FFFF, when cleaned, then only the lone surrogate and U+FFFF become U+FFFD', () => {
    expect(cleanText('\uD800x\u{1F375}\uFFFF')).toBe('\uFFFDx\u{1F375}\uFFFD');
    expect(refusedCharacter('ok\uDC00')).toBe('U+DC00');
  });
});
