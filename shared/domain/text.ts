/**
 * Text every store we write to takes. SQS message bodies allow only `#x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD |
 * #x10000–#x10FFFF`, which is also XML 1.0's `Char` (our UBL invoices) and excludes lone surrogates (which UTF-8,
 * hence DynamoDB, cannot encode). One definition, used by every entry point: identifiers with a refused character
 * are answered 400, free text has it replaced by U+FFFD and the order flagged.
 */
const REFUSED_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFUSED_CHARACTERS = new RegExp(REFUSED_CHARACTER.source, 'gu');

/** The first character SQS (and XML, and UTF-8) would refuse, as `U+FFFF`; undefined when the text is accepted. */
export function refusedCharacter(text: string): string | undefined {
  const match = REFUSED_CHARACTER.exec(text);
  if (!match) return undefined;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True when SQS, DynamoDB and our documents take the text as it is. */
export function isAcceptedText(text: string): boolean {
  return !REFUSED_CHARACTER.test(text);
}

/** The text with every refused character replaced by U+FFFD (the Unicode replacement character). */
export function cleanText(text: string): string {
  return text.replace(REFUSED_CHARACTERS, '\uFFFD');
}

/** The 400 message for an identifier carrying a refused character. */
export function refusedTextMessage(character: string): string {
  return `contains ${character}, a character SQS, DynamoDB and invoices refuse`;
}

/** Code-unit order: the same on every runtime and locale, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
