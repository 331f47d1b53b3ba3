/**
 * A small MIME writer for our emails (RFC 5322, 2045–2047, 2231): the raw bytes SES v2 `SendEmail` takes as
 * `Content.Raw`. It writes one shape of message, the only one we send:
 *
 *   multipart/mixed
 *   ├─ multipart/alternative: text/plain, then text/html (an empty alternative is left out, see below)
 *   └─ each attachment, base64
 *
 * Lines end in CRLF, none is longer than 998 octets, header lines are folded at 78 where a header allows it.
 * Everything an input can put into a header is either refused (addresses, content types, message ids that are not
 * what they claim to be: `RangeError`) or written in a form that cannot end a line: control characters in a
 * subject, a display name or a filename become spaces, and the rest is plain printable ASCII checked character by
 * character, RFC 2047 encoded-words or RFC 2231 percent-encoding. Bodies are quoted-printable or base64, so no byte
 * of an input reaches the output unencoded. Same input, same bytes: nothing here reads a clock or draws a random
 * number (`randomMessageId` does, and the caller decides whether to use it).
 */
import { randomUUID } from 'node:crypto';
import { sendableEmailAddress } from '#domain/email-address';

export interface MimeAttachment {
  filename: string;
  content: Uint8Array;
  /** `type/subtype`, without parameters. */
  contentType: string;
}

export interface MimeMessage {
  from: { name: string; address: string };
  /** Each a bare address (`ap@acme.example`) or one mailbox with a display name (`Jane Doe <jane@acme.example>`). */
  to: readonly string[];
  replyTo?: string | undefined;
  subject: string;
  date: Date;
  /** `<id@domain>`; the angle brackets are added when missing. */
  messageId: string;
  text: string;
  html: string;
  attachments: readonly MimeAttachment[];
  /**
   * What makes the multipart boundaries unique (letters, digits and `'()+_,-./:=?`, at most 60): a hash of the
   * content, so the same input gives the same bytes. The boundaries start with `=_`, which quoted-printable and
   * base64 never write (an `=` is followed by two hex digits or a line break, and `_` is no base64 character), so no
   * body can contain a delimiter line whatever this is.
   */
  boundary: string;
}

const CRLF = '\r\n';
/** RFC 5322: header lines SHOULD stay within 78 characters. */
const FOLD_AT = 78;
/** RFC 2047: an encoded-word is at most 75 characters. */
const ENCODED_WORD_MAX = 75;
/** RFC 2045: encoded body lines are at most 76 characters. */
const BODY_LINE = 76;

/**
 * The text a header carries of a subject, display name or filename: well-formed UTF-16 (a lone surrogate becomes
 * U+FFFD, as UTF-8 encoding does anyway), and every control character (C0, DEL, C1, line and paragraph separator)
 * one space, so nothing in it can end a header line or be shown as one.
 */
export function headerText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(text, 'utf8').toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** A fresh Message-ID in the From address's domain, as nodemailer made them: for callers without a stable one. */
export function randomMessageId(fromAddress: string): string {
  return `<${randomUUID()}@${parseAddress(fromAddress).domain}>`;
}

/** The raw message. Throws `RangeError` for an address, message id, date, content type or boundary it will not write. */
export function writeMime(message: MimeMessage): Buffer {
  if (message.to.length === 0) throw new RangeError('A message needs at least one recipient');
  if (!/^[0-9A-Za-z'()+_,\-./:=?]{1,60}$/.test(message.boundary)) throw new RangeError('A MIME boundary tag is 1 to 60 letters, digits or \'()+_,-./:=?');
  const mixed = `=_m_${message.boundary}`;
  const alternative = `=_a_${message.boundary}`;

  const headers = [
    addressHeader('From', [mailbox(message.from.name, message.from.address)]),
    addressHeader('To', message.to.map(parseMailbox)),
    ...(message.replyTo !== undefined ? [addressHeader('Reply-To', [parseMailbox(message.replyTo)])] : []),
    ...subjectHeader(message.subject),
    `Message-ID: ${messageIdOf(message.messageId)}`,
    `Date: ${rfc5322Date(message.date)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
  ];

  // An empty alternative is left out: a client that prefers HTML would show an empty text/html part as a blank
  // message. With neither, the attachments are the message (an empty text part only when there is nothing else).
  const texts = [
    { type: 'text/plain', content: message.text },
    { type: 'text/html', content: message.html },
  ].filter((part) => part.content !== '');
  if (texts.length === 0 && message.attachments.length === 0) texts.push({ type: 'text/plain', content: '' });
  const textParts = texts.map((part) => textPart(part.type, part.content));
  const body = textParts.length > 1 ? [multipart(`Content-Type: multipart/alternative; boundary="${alternative}"`, alternative, textParts)] : textParts;
  const raw = multipart(headers.join(CRLF), mixed, [...body, ...message.attachments.map(attachmentPart)]);
  return checked(Buffer.from(`${raw}${CRLF}`, 'latin1'));
}

/** A part: its header lines, an empty line, the body. */
function part(headers: string, body: string): string {
  return `${headers}${CRLF}${CRLF}${body}`;
}

/** A multipart entity; the CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1). */
function multipart(headers: string, boundary: string, parts: readonly string[]): string {
  return part(headers, `${parts.map((child) => `--${boundary}${CRLF}${child}${CRLF}`).join('')}--${boundary}--`);
}

/**
 * A text alternative in UTF-8. Its line breaks (`\n` or `\r\n`) are written as CRLF, the canonical form of text; a
 * lone CR is kept as a byte. The body is quoted-printable or base64, whichever is shorter: quoted-printable keeps
 * our mostly-ASCII English and German text readable in the raw message and barely larger, base64 keeps CJK or
 * emoji-heavy text at a third of quoted-printable's size (`=XX` per byte). Both are deterministic.
 */
function textPart(type: string, text: string): string {
  const qp = quotedPrintable(text);
  const b64 = base64Lines(Buffer.from(text.replace(/\r?\n/g, CRLF), 'utf8'));
  const [encoding, body] = b64.length < qp.length ? ['base64', b64] : ['quoted-printable', qp];
  return part(`Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: ${encoding}`, body);
}

function attachmentPart(attachment: MimeAttachment): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$/.test(attachment.contentType)) {
    throw new RangeError(`Not a content type: ${JSON.stringify(attachment.contentType.slice(0, 100))}`);
  }
  const filename = headerText(attachment.filename);
  if (filename === '') throw new RangeError('An attachment needs a filename');
  const plain = isPlainFilename(filename);
  // Content-Type's `name` for clients that read only it (RFC 2047 words in the quoted value, as most clients
  // write and read them); Content-Disposition's `filename` in RFC 2231 form for everyone else.
  const name = plain ? [`name="${filename}"`] : quotedWords('name', encodedWords(filename, FOLD_AT - ' name="'.length - 1));
  const disposition = plain ? [`filename="${filename}"`] : rfc2231('filename', filename);
  return part(
    [
      fold('Content-Type', [`${attachment.contentType};`, ...name]),
      fold('Content-Disposition', ['attachment;', ...disposition.map((token, index) => (index < disposition.length - 1 ? `${token};` : token))]),
      'Content-Transfer-Encoding: base64',
    ].join(CRLF),
    base64Lines(Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength)),
  );
}

/** Short printable ASCII names without quotes, backslashes, `=?`, doubled or edge spaces are written as they are. */
function isPlainFilename(filename: string): boolean {
  return filename.length <= 60 && /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(filename) && !/["\\]|=\?| {2}/.test(filename);
}

/** An encoded value inside a quoted parameter: `name="=?…?=` … `=?…?="`, folded between the words. */
function quotedWords(parameter: string, words: readonly string[]): string[] {
  return words.map((word, index) => `${index === 0 ? `${parameter}="` : ''}${word}${index === words.length - 1 ? '"' : ''}`);
}

/** RFC 2231 parameter value, `name*=utf-8''…` or continued as `name*0*=utf-8''…`, `name*1*=…`, split on whole characters. */
function rfc2231(parameter: string, value: string): string[] {
  const pieces = [...value].map((char) => [...Buffer.from(char, 'utf8')].map((byte) => (isAttributeChar(byte) ? String.fromCharCode(byte) : `%${hex(byte)}`)).join(''));
  const whole = `${parameter}*=utf-8''${pieces.join('')}`;
  // Each segment goes on a line of its own: a space, the segment and a `;`.
  if (whole.length + 2 <= FOLD_AT) return [whole];
  const segments: string[] = [];
  let current = `${parameter}*0*=utf-8''`;
  let filled = false;
  for (const piece of pieces) {
    if (filled && current.length + piece.length + 2 > FOLD_AT) {
      segments.push(current);
      current = `${parameter}*${segments.length}*=`;
    }
    current += piece;
    filled = true;
  }
  segments.push(current);
  return segments;
}

/** RFC 2231 attribute-char: any printable ASCII but space, `*`, `'`, `%` and the tspecials. */
function isAttributeChar(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f && !`*'%()<>@,;:\\"/[]?=`.includes(String.fromCharCode(byte));
}

function subjectHeader(subject: string): string[] {
  const text = headerText(subject);
  if (text === '') return [];
  const plain = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(text) && !text.includes('=?') && text.split(' ').every((word) => word.length <= 66);
  return [fold('Subject', plain ? text.split(' ') : encodedWords(text, FOLD_AT - 'Subject: '.length))];
}

interface Mailbox {
  name: string;
  address: string;
}

/** `name <address>` or a bare address, one mailbox: anything else with `<`, `>` or `,` is refused by `parseAddress`. */
function parseMailbox(entry: string): Mailbox {
  const named = /^([^<>]*)<([^<>]*)>\s*$/.exec(entry);
  if (!named) return mailbox('', entry);
  const name = named[1]!.trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"$/s.exec(name);
  return mailbox(quoted ? quoted[1]!.replace(/\\(.)/gs, '$1') : name, named[2]!);
}

function mailbox(name: string, address: string): Mailbox {
  const { local, domain } = parseAddress(address);
  return { name: headerText(name), address: `${local}@${domain}` };
}

/** An address we will write (`sendableEmailAddress`: the rule the boundaries accept addresses by); else a RangeError. */
function parseAddress(address: string): { local: string; domain: string } {
  const parts = sendableEmailAddress(address);
  if (!parts) throw new RangeError(`Not an email address we will write: ${JSON.stringify(address.slice(0, 100))}`);
  return parts;
}

/** `From:`, `To:`, `Reply-To:`: mailboxes separated by commas, folded between words. */
function addressHeader(header: string, mailboxes: readonly Mailbox[]): string {
  const tokens = mailboxes.flatMap((box, index) => {
    const words = box.name === '' ? [box.address] : [...phrase(box.name, FOLD_AT - header.length - 2), `<${box.address}>`];
    if (index < mailboxes.length - 1) words[words.length - 1] += ',';
    return words;
  });
  return fold(header, tokens);
}

/** A display name: atoms as they are, other short printable ASCII as a quoted-string, the rest as encoded-words. */
function phrase(name: string, firstMax: number): string[] {
  if (/^[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*$/.test(name) && name.length <= 60) return name.split(' ');
  if (/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(name) && !/=\?| {2}/.test(name) && name.length <= 60) return [`"${name.replace(/["\\]/g, '\\$&')}"`];
  return encodedWords(name, firstMax);
}

/**
 * RFC 2047 encoded-words for `text` in UTF-8, each at most 75 characters (the first at most `firstMax`, so it fits
 * after the header name), split between code points only: never inside a UTF-8 sequence or a surrogate pair.
 * Q when the text is mostly Latin letters (readable), B otherwise (shorter); Q writes only the characters RFC 2047
 * allows in a phrase, so the same words are valid in a subject, a display name and a parameter.
 */
function encodedWords(text: string, firstMax: number): string[] {
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  const other = [...text].filter((char) => char > '\u007f').length;
  const q = latin > other;
  const prefix = `=?utf-8?${q ? 'Q' : 'B'}?`;
  const overhead = prefix.length + 2;
  const words: string[] = [];
  let chunk = '';
  let length = 0;
  let bytes = 0;
  const flush = () => words.push(`${prefix}${q ? chunk : Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  for (const char of text) {
    const encoded = q ? qWord(char) : '';
    const charBytes = Buffer.byteLength(char, 'utf8');
    const next = q ? length + encoded.length : Math.ceil((bytes + charBytes) / 3) * 4;
    const max = Math.min(ENCODED_WORD_MAX, words.length === 0 ? firstMax : ENCODED_WORD_MAX);
    if (chunk !== '' && next + overhead > max) {
      flush();
      chunk = '';
      length = 0;
      bytes = 0;
    }
    chunk += q ? encoded : char;
    length += encoded.length;
    bytes += charBytes;
  }
  if (chunk !== '' || words.length === 0) flush();
  return words;
}

/** One character in RFC 2047 Q: letters, digits and `!*+-/` as they are, space as `_`, every other byte `=XX`. */
function qWord(char: string): string {
  if (/^[A-Za-z0-9!*+\-/]$/.test(char)) return char;
  if (char === ' ') return '_';
  return [...Buffer.from(char, 'utf8')].map((byte) => `=${hex(byte)}`).join('');
}

function messageIdOf(messageId: string): string {
  const id = `${messageId.startsWith('<') ? '' : '<'}${messageId}${messageId.endsWith('>') ? '' : '>'}`;
  if (!/^<[\x21-\x3b\x3d\x3f\x41-\x7e]+@[\x21-\x3b\x3d\x3f\x41-\x7e]+>$/.test(id) || id.length > 250) {
    throw new RangeError(`Not a Message-ID: ${JSON.stringify(messageId.slice(0, 100))}`);
  }
  return id;
}

/** `Sun, 01 Mar 2026 09:30:00 +0000`: RFC 5322's date-time, in UTC. */
function rfc5322Date(date: Date): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1900 || year > 9999) throw new RangeError('A Date header needs a valid date in the years 1900 to 9999');
  return date.toUTCString().replace('GMT', '+0000');
}

/**
 * A header of space-separated tokens, folded before a token that would take the line past 78 characters. Folding
 * only replaces a space with CRLF and a space, so unfolding gives back the value.
 */
function fold(header: string, tokens: readonly string[]): string {
  let line = `${header}:`;
  let written = false;
  const lines: string[] = [];
  for (const token of tokens) {
    if (written && line.length + 1 + token.length > FOLD_AT) {
      lines.push(line);
      line = '';
    }
    line += ` ${token}`;
    written = true;
  }
  lines.push(line);
  return lines.join(CRLF);
}

/**
 * Quoted-printable (RFC 2045 §6.7) of text in UTF-8: `\n` and `\r\n` are line breaks, written as CRLF; every other
 * byte but printable ASCII is `=XX` (a lone CR is `=0D`), so is `=`, so is a space or tab at the end of a line, and so
 * is the `F` of a line starting `From ` (mbox). Lines are at most 76 characters, soft breaks never split an `=XX`.
 */
function quotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      const out: string[] = [];
      let current = '';
      for (let index = 0; index < bytes.length; index += 1) {
        const byte = bytes[index]!;
        const last = index === bytes.length - 1;
        const fromLine = current === '' && byte === 0x46 && bytes.subarray(index, index + 5).toString('latin1') === 'From ';
        const literal = !fromLine && ((byte >= 0x21 && byte <= 0x7e && byte !== 0x3d) || ((byte === 0x20 || byte === 0x09) && !last));
        const piece = literal ? String.fromCharCode(byte) : `=${hex(byte)}`;
        if (current.length + piece.length > (last ? BODY_LINE : BODY_LINE - 1)) {
          out.push(`${current}=`);
          current = '';
        }
        current += piece;
      }
      out.push(current);
      return out.join(CRLF);
    })
    .join(CRLF);
}

function base64Lines(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  const lines: string[] = [];
  for (let index = 0; index < encoded.length; index += BODY_LINE) lines.push(encoded.slice(index, index + BODY_LINE));
  return lines.join(CRLF);
}

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** The writer's own promise, checked on every message: 7-bit, CRLF line endings only, no line over 998 octets. */
function checked(raw: Buffer): Buffer {
  let lineStart = 0;
  for (let index = 0; index < raw.length; index += 1) {
    const byte = raw[index]!;
    if (byte > 0x7f || byte === 0 || (byte === 0x0d && raw[index + 1] !== 0x0a) || (byte === 0x0a && raw[index - 1] !== 0x0d)) {
      throw new Error(`MIME writer bug: byte ${byte} at ${index}`);
    }
    if (byte === 0x0a) {
      if (index - 1 - lineStart > 998) throw new Error(`MIME writer bug: a line of ${index - 1 - lineStart} octets`);
      lineStart = index + 1;
    }
  }
  if (raw.length - lineStart > 998) throw new Error('MIME writer bug: a line over 998 octets');
  return raw;
}
