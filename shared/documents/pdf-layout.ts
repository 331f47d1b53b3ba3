/**
 * What the O2C PDFs (invoices, credit notes, statements) share: A4 geometry, colours, WinAnsi-safe text and the
 * drawing helpers, so every document reads as one family and a change of look is made once.
 */
import { rgb, type Color, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';

// Page geometry and colours.
export const PAGE: [number, number] = [595.28, 841.89]; // A4 in points
export const MARGIN_X = 50;
export const TOP = PAGE[1] - 48;
export const CONTENT_BOTTOM = 64; // the footer lives below this line
export const WIDTH = PAGE[0] - 2 * MARGIN_X;
export const RIGHT = MARGIN_X + WIDTH;

export const INK = rgb(0.11, 0.12, 0.14);
export const MUTED = rgb(0.42, 0.45, 0.5);
export const ACCENT = rgb(0.1, 0.29, 0.52);
export const RULE = rgb(0.8, 0.82, 0.86);
export const HEADER_FILL = rgb(0.93, 0.95, 0.97);
export const BOX_FILL = rgb(0.96, 0.97, 0.99);
export const WHITE = rgb(1, 1, 1);
export const CELL_PADDING = 4;


/** Letters WinAnsi lacks that Unicode decomposition does not reduce to a base letter. */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't', Ŋ: 'N', ŋ: 'n', ĸ: 'k',
  ẞ: 'SS', Ə: 'E', ə: 'e', '−': '-', '‐': '-', '‑': '-', '‒': '-', '′': "'", '″': '"', '₹': 'Rs', '₽': 'RUB', '₺': 'TL',
  '\u2026': '...', '№': 'No.',
};
const SPACES = /[\t\n\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/g;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/**
 * Makes `text` printable in a WinAnsi font whose character set is `encodable`: keeps what it can encode,
 * transliterates what it can reduce to base letters, replaces the rest with `?`. Exported for tests.
 */
export function toWinAnsi(text: string, encodable: ReadonlySet<number>): string {
  let out = '';
  for (const char of text.replace(SPACES, ' ').replace(INVISIBLE, '')) {
    const code = char.codePointAt(0) ?? 0x3f;
    if (encodable.has(code)) {
      out += char;
      continue;
    }
    const candidate = TRANSLITERATIONS[char] ?? char.normalize('NFKD').replace(/\p{M}/gu, '');
    const fits = candidate.length > 0 && [...candidate].every((c) => encodable.has(c.codePointAt(0) ?? 0));
    out += fits ? candidate : '?';
  }
  return out;
}


export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
  encodable: ReadonlySet<number>;
}

export interface TextStyle {
  font?: PDFFont | undefined;
  size?: number;
  color?: Color;
}

/** Drawing helpers over one page that sanitise every string before measuring or drawing it. */
export class Canvas {
  constructor(
    readonly page: PDFPage,
    private readonly fonts: Fonts,
  ) {}

  safe(text: string): string {
    return toWinAnsi(text, this.fonts.encodable);
  }

  width(text: string, style: TextStyle = {}): number {
    return (style.font ?? this.fonts.regular).widthOfTextAtSize(this.safe(text), style.size ?? 9);
  }

  text(text: string, x: number, y: number, style: TextStyle = {}): void {
    const safe = this.safe(text);
    if (safe === '') return;
    this.page.drawText(safe, { x, y, font: style.font ?? this.fonts.regular, size: style.size ?? 9, color: style.color ?? INK });
  }

  right(text: string, right: number, y: number, style: TextStyle = {}): void {
    this.text(text, right - this.width(text, style), y, style);
  }

  /** One line cut to `width` with an ellipsis, for fields that must not spill into the next column. */
  fitted(text: string, width: number, style: TextStyle = {}): string {
    let safe = this.safe(text);
    if (this.width(safe, style) <= width) return safe;
    while (safe.length > 1 && this.width(`${safe}...`, style) > width) safe = safe.slice(0, -1);
    return `${safe.trimEnd()}...`;
  }

  /** Greedy word wrap to `width`; words longer than a line are broken by characters. */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of this.safe(text).split(' ').filter(Boolean)) {
      const joined = current ? `${current} ${word}` : word;
      if (this.width(joined, style) <= width) {
        current = joined;
        continue;
      }
      if (current) lines.push(current);
      current = '';
      let rest = word;
      while (this.width(rest, style) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && this.width(rest.slice(0, cut), style) > width) cut -= 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      current = rest;
    }
    if (current) lines.push(current);
    return lines.length > 0 ? lines : [''];
  }

  rule(y: number, from = MARGIN_X, to = RIGHT, color: Color = RULE, thickness = 0.6): void {
    this.page.drawLine({ start: { x: from, y }, end: { x: to, y }, thickness, color });
  }

  box(x: number, y: number, width: number, height: number, color: Color): void {
    this.page.drawRectangle({ x, y, width, height, color });
  }
}


export interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

export function columnEdges(columns: readonly Column[], left: number): { left: number; right: number }[] {
  let x = left;
  return columns.map((column) => {
    const edges = { left: x, right: x + column.width };
    x += column.width;
    return edges;
  });
}

/** The words of the page furniture (continuation heading, footer), in the document's language. */
export interface PageWords {
  continued: string;
  page: (number: number, of: number) => string;
  vatId: string;
  registration: string;
}

const ENGLISH_PAGE_WORDS: PageWords = { continued: 'continued', page: (number, of) => `Page ${number} of ${of}`, vatId: 'VAT ID', registration: 'Reg.' };

/**
 * Page management every O2C document shares: pages added as content needs them, a continuation heading (seller and
 * document reference) on every page after the first, and a footer on every page with the seller's identity and
 * `<reference> | Page n of m`. A document subclass lays out its own content between.
 */
export abstract class PagedLayout {
  protected canvas!: Canvas;
  protected y = TOP;
  readonly pages: Canvas[] = [];

  constructor(
    protected readonly pdf: PDFDocument,
    protected readonly fonts: Fonts,
  ) {}

  /** Who issues the document: name, VAT and registration ids for the heading and footer. */
  protected abstract get seller(): { name: string; vatId?: string | undefined; registrationId?: string | undefined };
  /** What the document is, as the continuation heading and footer name it (`Invoice INV-2026-000123`). */
  protected abstract get reference(): string;
  /** The page furniture's words; English unless a document in another language overrides them. */
  protected get pageWords(): PageWords {
    return ENGLISH_PAGE_WORDS;
  }

  protected newPage(): void {
    this.canvas = new Canvas(this.pdf.addPage(PAGE), this.fonts);
    this.pages.push(this.canvas);
    this.y = TOP;
    if (this.pages.length > 1) {
      const c = this.canvas;
      c.text(c.fitted(this.seller.name, 250, { font: this.fonts.bold, size: 10 }), MARGIN_X, this.y - 10, { font: this.fonts.bold, size: 10 });
      c.right(`${this.reference} (${this.pageWords.continued})`, RIGHT, this.y - 10, { size: 9, color: MUTED });
      c.rule(this.y - 18);
      this.y -= 34;
    }
  }

  /** Starts a new page unless `height` points still fit above the footer; returns whether it broke. */
  protected ensure(height: number): boolean {
    if (this.y - height >= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  protected footers(): void {
    const { seller } = this;
    const words = this.pageWords;
    const identity = [seller.name, seller.vatId ? `${words.vatId} ${seller.vatId}` : undefined, seller.registrationId ? `${words.registration} ${seller.registrationId}` : undefined]
      .filter(Boolean)
      .join('  |  ');
    this.pages.forEach((c, index) => {
      c.rule(CONTENT_BOTTOM - 16);
      const pageText = `${this.reference}  |  ${words.page(index + 1, this.pages.length)}`;
      const pageWidth = c.width(pageText, { size: 7.5 });
      c.text(c.fitted(identity, WIDTH - pageWidth - 16, { size: 7.5 }), MARGIN_X, CONTENT_BOTTOM - 28, { size: 7.5, color: MUTED });
      c.right(pageText, RIGHT, CONTENT_BOTTOM - 28, { size: 7.5, color: MUTED });
    });
  }
}
