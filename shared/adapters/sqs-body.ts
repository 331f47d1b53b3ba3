/**
 * JSON for an SQS message with every character outside printable ASCII written as a `\uXXXX` escape. SQS refuses
 * some characters outright (U+FFFE, U+FFFF, lone surrogates) and emulators refuse more (fauxqs: everything past
 * U+FFFF, emoji included); escaped, any text a client sent travels, and `JSON.parse` gives back exactly the same
 * string. The cost is size: six bytes for each UTF-16 unit outside ASCII.
 */
export const sqsSafeJson = (value: unknown): string => sqsSafeText(JSON.stringify(value));

/** A string written with only printable ASCII, non-ASCII code units as `\uXXXX` (for message attributes too). */
export const sqsSafeText = (text: string): string => text.replace(/[^\x20-\x7e]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
