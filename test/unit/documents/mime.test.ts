import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { headerText, randomMessageId, writeMime } from '#shared/documents/mime';
import type { MimeMessage } from '#shared/documents/mime';
import { Random } from '../../support/cash-ledger.ts';
import { hostileTexts, randomText } from '../../support/fuzz.ts';

function message(overrides: Partial<MimeMessage> = {}): MimeMessage {
  return {
    from: { name: 'Seller GmbH', address: 'billing@seller.example' },
    to: ['ap@acme.example'],
    replyTo: 'ar@seller.example',
    subject: 'Invoice INV-2026-000123 from Seller GmbH',
    date: new Date('2026-03-01T09:30:00Z'),
    messageId: '<inv-2026-000123@seller.example>',
    text: 'Hello,\nplease pay.\n',
    html: '<p>Hello,<br>please pay.</p>\n',
    attachments: [{ filename: 'INV-2026-000123.pdf', content: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 255]), contentType: 'application/pdf' }],
    boundary: '0123456789abcdef01234567',
    ...overrides,
  };
}

const boxes = (field: AddressObject | AddressObject[] | undefined) => [field ?? []].flat().flatMap((object) => object.value.map((entry) => ({ name: entry.name, address: entry.address })));

/** What a reader gets back: every field we write, in the form mailparser gives it. */
function readBack(mail: ParsedMail) {
  return {
    from: boxes(mail.from),
    to: boxes(mail.to),
    replyTo: boxes(mail.replyTo),
    subject: mail.subject ?? '',
    messageId: mail.messageId,
    date: mail.date?.toISOString(),
    text: mail.text ?? '',
    html: mail.html || '',
    attachments: mail.attachments.map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, disposition: attachment.contentDisposition, bytes: attachment.content.toString('base64') })),
  };
}

/** What the writer promises to carry of a message: header text as `headerText` makes it, text with `\n` line breaks. */
function promised(input: MimeMessage) {
  const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
  const lowerDomain = (address: string) => address.replace(/@.*$/, (domain) => domain.toLowerCase());
  const box = (entry: string) => {
    const named = /^([^<>]*)<([^<>]*)>$/.exec(entry);
    return { name: named ? headerText(named[1]!.trim()) : '', address: lowerDomain(named ? named[2]! : entry) };
  };
  return {
    from: [{ name: headerText(input.from.name), address: lowerDomain(input.from.address) }],
    to: input.to.map(box),
    replyTo: input.replyTo === undefined ? [] : [box(input.replyTo)],
    subject: headerText(input.subject),
    messageId: input.messageId,
    date: new Date(Math.floor(input.date.getTime() / 1000) * 1000).toISOString(),
    text: wellFormed(input.text).replace(/\r\n/g, '\n'),
    html: wellFormed(input.html).replace(/\r\n/g, '\n'),
    attachments: input.attachments.map((attachment) => ({ filename: headerText(attachment.filename), contentType: attachment.contentType, disposition: 'attachment', bytes: Buffer.from(attachment.content).toString('base64') })),
  };
}

const unicode = ['Müller', 'Ærøskøbing', 'Łódź', '北京市朝阳区', '株式会社テスト', '👩‍👩‍👧', '🙂', 'e\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '한국어', 'עברית', 'ß'];
const ascii = ['Invoice', 'INV-2026-000123', 'from', 'Seller', 'GmbH', '&', 'Co.', "O'Brien", '1234.56', '=?utf-8?B?SGk=?=', '?=', '"', '\\', '=', '_', ',', ';', '<', '>', 'From ', '--=_m_tag', '.'];
const controls = ['\r\n', '\r', '\n', '\0', '\t', '\u0085', '\u2028', '\r\nBcc: thief@evil.example'];

/** Text of pieces drawn from words, scripts, hostile strings, controls and random code units, sometimes very long. */
function randomWords(random: Random, max: number): string {
  const pieces = Array.from({ length: random.int(1, max) }, () => {
    const roll = random.next();
    if (roll < 0.35) return random.pick(ascii);
    if (roll < 0.6) return random.pick(unicode);
    if (roll < 0.75) return random.pick(controls);
    if (roll < 0.85) return random.pick(hostileTexts).slice(0, 300);
    if (roll < 0.95) return randomText(random, random.int(1, 8));
    return random.pick(unicode).repeat(random.int(20, 120));
  });
  return pieces.join(random.pick([' ', '', '  ']));
}

function randomBody(random: Random): string {
  if (random.chance(0.1)) return '';
  const lines = Array.from({ length: random.int(1, 10) }, () => (random.chance(0.1) ? 'x'.repeat(random.int(70, 2500)) : `${randomWords(random, 20)}${random.pick(['', ' ', '\t'])}`));
  return lines.join(random.pick(['\n', '\r\n'])) + random.pick(['', '\n']);
}

const addressOf = (random: Random) => `${random.pick(['ap', 'jane.doe', 'x+tag', "o'brien", 'A_B-c'])}@${random.pick(['acme.example', 'Mail.Example.COM', 'sub.seller.example'])}`;

function randomMessage(seed: number): MimeMessage {
  const random = new Random(seed);
  const named = () => `${randomWords(random, 4).replace(/[<>"]/g, '')} <${addressOf(random)}>`;
  return {
    from: { name: random.chance(0.1) ? '' : randomWords(random, random.chance(0.1) ? 40 : 5), address: addressOf(random) },
    to: Array.from({ length: random.int(1, 3) }, () => (random.chance(0.3) ? named() : addressOf(random))),
    replyTo: random.chance(0.5) ? addressOf(random) : undefined,
    subject: random.chance(0.05) ? '' : randomWords(random, random.chance(0.15) ? 60 : 8),
    date: new Date(Date.UTC(1970, 0, 1) + random.int(0, 130 * 365) * 86_400_000 + random.int(0, 86_399_999)),
    messageId: `<m-${seed}.${random.int(0, 1e6)}@o2c>`,
    text: randomBody(random),
    html: random.chance(0.2) ? '' : randomBody(random),
    attachments: Array.from({ length: random.int(0, 3) }, () => {
      const filename = randomWords(random, random.chance(0.15) ? 30 : 3);
      return {
        filename: filename === '' ? 'file' : filename,
        content: new Uint8Array(Array.from({ length: random.pick([0, 1, 2, 3, 57, 1000, random.int(0, 5000)]) }, () => random.int(0, 255))),
        contentType: random.pick(['application/pdf', 'application/xml', 'text/csv', 'image/png']),
      };
    }),
    boundary: seed.toString(16).padStart(24, '0'),
  };
}

/** The top-level header block, unfolded, one string per header. */
function headers(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  return text
    .slice(0, text.indexOf('\r\n\r\n'))
    .replace(/\r\n(?=[ \t])/g, '')
    .split('\r\n');
}

/** Every RFC 2047 encoded-word in the raw message's header lines. */
const encodedWordsOf = (raw: Buffer) => raw.toString('latin1').match(/=\?utf-8\?[QB]\?[^?]*\?=/g) ?? [];

/** One encoded-word decoded on its own: it must be whole UTF-8 (`fatal` throws on a split sequence). */
function decodeAlone(word: string): string {
  const [, encoding, text] = /^=\?utf-8\?([QB])\?(.*)\?=$/.exec(word)!;
  const bytes = encoding === 'B' ? Buffer.from(text!, 'base64') : Buffer.from(text!.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1');
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

describe('writing a MIME message', () => {
  it.each(Array.from({ length: 10 }, (_, batch) => batch))(
    'given random messages of batch %i (unicode, controls, lone surrogates, long subjects and filenames, random bytes), when written and parsed back, then every field is what went in, lines are CRLF and at most 998 octets, and writing again gives the same bytes',
    async (batch) => {
      for (let seed = batch * 30 + 1; seed <= batch * 30 + 30; seed += 1) {
        const input = randomMessage(seed);
        const raw = writeMime(input);
        const lines = raw.toString('latin1').split('\r\n');
        expect(lines.at(-1), `seed ${seed}: ends in CRLF`).toBe('');
        expect(lines.filter((line) => /[\r\n]/.test(line) || line.length > 998), `seed ${seed}`).toEqual([]);
        // Addresses here are short, so every line, header or body, fits in 78 characters.
        expect(lines.filter((line) => line.length > 78), `seed ${seed}`).toEqual([]);
        expect(headers(raw).map((header) => header.slice(0, header.indexOf(':'))), `seed ${seed}`).toEqual(['From', 'To', ...(input.replyTo ? ['Reply-To'] : []), ...(headerText(input.subject) ? ['Subject'] : []), 'Message-ID', 'Date', 'MIME-Version', 'Content-Type']);
        for (const word of encodedWordsOf(raw)) {
          expect(word.length, `seed ${seed}: ${word}`).toBeLessThanOrEqual(75);
          expect(() => decodeAlone(word), `seed ${seed}: ${word}`).not.toThrow();
        }
        expect(readBack(await simpleParser(raw)), `seed ${seed}`).toEqual(promised(input));
        // A client that reads only Content-Type's `name` gets the same filenames.
        const nameOnly = Buffer.from(raw.toString('latin1').replace(/^Content-Disposition: attachment;.*(?:\r\n .*)*$/gm, 'Content-Disposition: attachment'), 'latin1');
        expect((await simpleParser(nameOnly)).attachments.map((attachment) => attachment.filename), `seed ${seed}`).toEqual(input.attachments.map((attachment) => headerText(attachment.filename)));
        expect(writeMime(randomMessage(seed)).equals(raw), `seed ${seed}: same bytes`).toBe(true);
      }
    },
  );

  it('given a long subject, display name and filename, when written, then every line stays within 78 characters', () => {
    const raw = writeMime(
      message({
        subject: `Invoice ${'INV-2026-000123 '.repeat(20)}from Seller GmbH`,
        from: { name: `Müller ${'Söhne '.repeat(30)}`, address: 'billing@seller.example' },
        attachments: [{ filename: `Rechnung-${'ü'.repeat(200)}${'x'.repeat(200)}.pdf`, content: new Uint8Array(1000), contentType: 'application/pdf' }],
      }),
    );
    expect(raw.toString('latin1').split('\r\n').filter((line) => line.length > 78)).toEqual([]);
  });

  it('given a line break and a Bcc header in the display name, subject, recipient name and filename, when written, then no header or part is added', async () => {
    const injection = '\r\nBcc: thief@evil.example\r\n\r\n--=_m_0123456789abcdef01234567\r\nContent-Type: text/html\r\n\r\n<script>';
    const raw = writeMime(
      message({
        from: { name: `Seller${injection}`, address: 'billing@seller.example' },
        to: [`Jane${injection.replace(/[<>]/g, '')} <jane@acme.example>`],
        subject: `Invoice${injection}`,
        attachments: [{ filename: `a.pdf${injection}`, content: new Uint8Array([1]), contentType: 'application/pdf' }],
      }),
    );
    expect(headers(raw).map((header) => header.slice(0, header.indexOf(':')))).toEqual(['From', 'To', 'Reply-To', 'Subject', 'Message-ID', 'Date', 'MIME-Version', 'Content-Type']);
    expect(raw.toString('latin1')).not.toMatch(/^Bcc:/im);
    expect(raw.toString('latin1')).not.toMatch(/^Content-Type: text\/html$/m);
    const mail = await simpleParser(raw);
    expect(mail.bcc).toBeUndefined();
    expect(mail.subject).toBe(headerText(`Invoice${injection}`));
    // Not even decoded do the subject, the names or the filename hold a line break.
    expect([mail.subject, mail.from?.value[0]?.name, boxes(mail.to)[0]?.name, mail.attachments[0]?.filename].filter((text) => /[\r\n]/.test(text ?? ''))).toEqual([]);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.filename).toBe(headerText(`a.pdf${injection}`));
    expect(mail.text).toBe('Hello,\nplease pay.\n');
  });

  it('given a text that contains the boundary delimiter itself, when written, then the parts are still exactly the ones written', async () => {
    const text = '--=_m_0123456789abcdef01234567\n--=_a_0123456789abcdef01234567--\nstill text\n';
    const mail = await simpleParser(writeMime(message({ text, html: text })));
    expect(mail.text).toBe(text);
    expect(mail.html).toBe(text);
    expect(mail.attachments).toHaveLength(1);
  });

  it.each([
    'a@b.example\r\nBcc: thief@evil.example',
    'a@b.example\nX: y',
    'a@b.example, thief@evil.example',
    'a@b.example>',
    'a<b@c.example',
    'a b@c.example',
    '"a b"@c.example',
    'a@b@c.example',
    'a@',
    '@b.example',
    'a@b..example',
    'a@b.example\0',
    'müller@b.example',
    `${'x'.repeat(65)}@b.example`,
    'Name <a@b.example>, Other <c@d.example>',
    'Name <a@b.example\r\n>',
  ])('given the address %j, when written as sender, recipient or reply-to, then it is refused', (address) => {
    expect(() => writeMime(message({ from: { name: 'A', address } }))).toThrow(RangeError);
    expect(() => writeMime(message({ to: ['ap@acme.example', address] }))).toThrow(RangeError);
    expect(() => writeMime(message({ replyTo: address }))).toThrow(RangeError);
  });

  it.each([
    ['no recipient', { to: [] }],
    ['a message id with a line break', { messageId: '<a@b.example>\r\nBcc: thief@evil.example' }],
    ['a message id without @', { messageId: '<just-an-id>' }],
    ['an invalid date', { date: new Date(Number.NaN) }],
    ['a content type with a parameter', { attachments: [{ filename: 'a.pdf', content: new Uint8Array(1), contentType: 'application/pdf\r\nX: y' }] }],
    ['an empty filename', { attachments: [{ filename: '', content: new Uint8Array(1), contentType: 'application/pdf' }] }],
    ['a boundary tag with a quote', { boundary: 'a"b' }],
  ] as const)('given %s, when written, then it is refused', (_, overrides) => {
    expect(() => writeMime(message(overrides as Partial<MimeMessage>))).toThrow(RangeError);
  });

  it('given a message, when written, then Date is RFC 5322 in UTC and an internationalised domain is punycode', async () => {
    const raw = writeMime(message({ to: ['ap@müller.example'] }));
    expect(headers(raw)).toContain('Date: Sun, 01 Mar 2026 09:30:00 +0000');
    expect(headers(raw)).toContain('To: ap@xn--mller-kva.example');
    expect((await simpleParser(raw)).date?.toISOString()).toBe('2026-03-01T09:30:00.000Z');
  });

  it('given a non-ASCII filename, when written, then Content-Disposition carries it in RFC 2231 form and Content-Type as encoded-words', () => {
    const raw = writeMime(message({ attachments: [{ filename: 'Rechnung Müller.pdf', content: new Uint8Array(1), contentType: 'application/pdf' }] })).toString('latin1');
    expect(raw).toContain(`Content-Disposition: attachment; filename*=utf-8''Rechnung%20M%C3%BCller.pdf`);
    expect(raw).toContain('Content-Type: application/pdf; name="=?utf-8?Q?Rechnung_M=C3=BCller=2Epdf?="');
  });

  it('given an empty HTML part, when written, then only the text alternative is sent', async () => {
    const raw = writeMime(message({ html: '' }));
    expect(raw.toString('latin1')).not.toContain('text/html');
    const mail = await simpleParser(raw);
    expect(mail.text).toBe('Hello,\nplease pay.\n');
    expect(mail.html).toBe(false);
  });

  it('given the same message with other content, when written, then only the same input gives the same bytes', () => {
    expect(writeMime(message()).equals(writeMime(message()))).toBe(true);
    expect(writeMime(message({ text: 'other' })).equals(writeMime(message()))).toBe(false);
  });

  it('given a From address, when a message id is drawn, then it is a fresh one in that domain', () => {
    expect(randomMessageId('billing@Seller.Example')).toMatch(/^<[0-9a-f-]{36}@seller\.example>$/);
    expect(randomMessageId('billing@seller.example')).not.toBe(randomMessageId('billing@seller.example'));
  });
});
