/**
 * The statement of account as an A4 PDF: what collections sends a customer so its accounts-payable clerk can see,
 * invoice by invoice, what is still open, how overdue it is and how to pay it. It prints the numbers of the
 * {@link Statement} and computes none.
 *
 * It follows the invoice PDF's look (same fonts, colours, margins, footer) so both read as one family of documents,
 * and shares its geometry, WinAnsi sanitising and drawing helpers (`./pdf-layout.ts`) and number formatting.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { termsText, type Party } from '#domain/invoice';
import type { CurrencyTotals, Statement, StatementItem } from '#domain/statement';
import { formatAmount, formatMoney, groupInFours } from './format.ts';
import { ACCENT, BOX_FILL, CELL_PADDING, HEADER_FILL, INK, MARGIN_X, MUTED, RIGHT, WHITE, WIDTH, columnEdges, PagedLayout, type Column, type Fonts } from './pdf-layout.ts';

const OVERDUE = rgb(0.72, 0.14, 0.12);

/** The seller's letterhead address: street and place on two lines, as on the invoice. */
function letterheadLines(party: Party): string[] {
  const { address } = party;
  const present = (parts: (string | undefined)[], separator: string) => parts.filter((part) => part && part.trim() !== '').join(separator);
  const company = address.company && address.company !== party.name ? address.company : '';
  const place = present([address.postalCode, address.city], ' ');
  return [company, present([address.line1, address.line2], ', '), present([place, address.region, address.country], ', ')].filter((line) => line.trim() !== '');
}

/** Invoice (number, reference) | Issue date | Due date | Days overdue | Total | Open: 495 pt, the A4 width inside the margins. */
const ITEM_COLUMNS: Column[] = [
  { title: 'Invoice', width: 150, align: 'left' },
  { title: 'Issue date', width: 64, align: 'left' },
  { title: 'Due date', width: 64, align: 'left' },
  { title: 'Days overdue', width: 62, align: 'right' },
  { title: 'Total', width: 75, align: 'right' },
  { title: 'Open', width: 80, align: 'right' },
];
const ITEM_ROW_HEIGHT = 24;

/** Currency | the five ageing buckets | Balance: 495 pt. */
const AGEING_COLUMNS: Column[] = [
  { title: 'Currency', width: 55, align: 'left' },
  { title: 'Current', width: 70, align: 'right' },
  { title: '1-30 days', width: 70, align: 'right' },
  { title: '31-60 days', width: 70, align: 'right' },
  { title: '61-90 days', width: 70, align: 'right' },
  { title: 'Over 90 days', width: 70, align: 'right' },
  { title: 'Balance', width: 90, align: 'right' },
];

/**
 * Lays the statement out on as many A4 pages as its items need: letterhead, customer block and title on page one;
 * one open-items table per currency (header repeated on continuation pages); the ageing summary; the balance due
 * per currency; the payment box; and a footer with the seller's identity and `Page n of m` on every page.
 */
class Layout extends PagedLayout {
  constructor(
    pdf: PDFDocument,
    fonts: Fonts,
    private readonly statement: Statement,
  ) {
    super(pdf, fonts);
  }

  protected get seller() {
    return this.statement.seller.party;
  }

  protected get reference(): string {
    return `Statement ${this.statement.customer.id} as of ${this.statement.asOf}`;
  }

  render(): void {
    this.newPage();
    this.header();
    this.parties();
    this.title();
    if (this.statement.items.length === 0) this.nothingOpen();
    for (const totals of this.statement.totals) this.itemTable(totals);
    if (this.statement.totals.length > 0) {
      this.ageing();
      this.balances();
      this.payment();
    }
    this.footers();
  }

  private header(): void {
    const c = this.canvas;
    const seller = this.statement.seller.party;
    const { bold } = this.fonts;
    let left = this.y - 14;
    c.text(c.fitted(seller.name, 290, { font: bold, size: 14 }), MARGIN_X, left, { font: bold, size: 14 });
    left -= 14;
    const details = [...letterheadLines(seller), seller.vatId ? `VAT ID ${seller.vatId}` : undefined, seller.registrationId ? `Reg. ${seller.registrationId}` : undefined, seller.email];
    for (const line of details) {
      if (!line) continue;
      c.text(c.fitted(line, 290, { size: 8.5 }), MARGIN_X, left, { size: 8.5, color: MUTED });
      left -= 11;
    }
    c.right('STATEMENT', RIGHT, this.y - 20, { font: bold, size: 22, color: ACCENT });
    c.right(this.statement.customer.id, RIGHT, this.y - 38, { font: bold, size: 11 });
    this.y = Math.min(left, this.y - 44) - 10;
    c.rule(this.y, MARGIN_X, RIGHT, ACCENT, 1.2);
    this.y -= 22;
  }

  private parties(): void {
    const c = this.canvas;
    const { customer, credit, asOf } = this.statement;
    const { bold } = this.fonts;
    const top = this.y;

    let left = top;
    c.text('STATEMENT FOR', MARGIN_X, left, { font: bold, size: 7.5, color: MUTED });
    left -= 15;
    for (const line of c.wrap(customer.name, 250, { font: bold, size: 11 }).slice(0, 3)) {
      c.text(line, MARGIN_X, left, { font: bold, size: 11 });
      left -= 14;
    }
    c.text(c.fitted(customer.email, 250, { size: 9.5 }), MARGIN_X, left, { size: 9.5 });
    left -= 12;

    const rows: [string, string, boolean][] = [
      ['Statement date', asOf, true],
      ['Customer no.', customer.id, false],
      ['Payment terms', termsText(customer.terms), false],
      ['Credit limit', formatMoney(credit.limitMinor, credit.currency), false],
      ['Available credit', `${formatMoney(credit.availableMinor, credit.currency)}${credit.overLimit ? ' (limit exceeded)' : ''}`, false],
    ];
    const labelX = 300;
    const valueX = 385;
    let right = top;
    for (const [label, value, strong] of rows) {
      const style = { size: 9, font: strong ? bold : this.fonts.regular };
      c.text(label, labelX, right, { size: 9, color: MUTED });
      for (const line of c.wrap(value, RIGHT - valueX, style).slice(0, 2)) {
        c.text(line, valueX, right, style);
        right -= 12;
      }
      right -= 1;
    }
    this.y = Math.min(left, right) - 14;
  }

  private title(): void {
    const c = this.canvas;
    const { items, asOf } = this.statement;
    c.text(`Statement of account as of ${asOf}`, MARGIN_X, this.y, { font: this.fonts.bold, size: 15 });
    this.y -= 16;
    const count = items.length === 1 ? '1 open item' : `${items.length} open items`;
    c.text(`${count}, oldest due first. Payments received after ${asOf} are not yet shown.`, MARGIN_X, this.y, { size: 9, color: MUTED });
    this.y -= 20;
  }

  private nothingOpen(): void {
    this.canvas.text('There are no open items on your account. Thank you for paying on time.', MARGIN_X, this.y, { size: 10 });
    this.y -= 20;
  }

  private tableHeader(columns: readonly Column[], captionLeft?: string, captionRight?: string): void {
    const c = this.canvas;
    if (captionLeft || captionRight) {
      if (captionLeft) c.text(captionLeft, MARGIN_X, this.y, { font: this.fonts.bold, size: 10 });
      if (captionRight) c.right(captionRight, RIGHT, this.y, { size: 7.5, color: MUTED });
      this.y -= 6;
    }
    const width = columns.reduce((sum, column) => sum + column.width, 0);
    c.box(MARGIN_X, this.y - 18, width, 18, HEADER_FILL);
    const edges = columnEdges(columns, MARGIN_X);
    columns.forEach((column, index) => {
      const edge = edges[index];
      if (!edge) return;
      const style = { font: this.fonts.bold, size: 8, color: INK };
      if (column.align === 'right') c.right(column.title, edge.right - CELL_PADDING, this.y - 12, style);
      else c.text(column.title, edge.left + CELL_PADDING, this.y - 12, style);
    });
    this.y -= 18;
  }

  /** The open items of one currency, oldest due first, closed by their total. */
  private itemTable(totals: CurrencyTotals): void {
    const { currency } = totals;
    const items = this.statement.items.filter((item) => item.currency === currency);
    const heading = `Open items in ${currency}`;
    const caption = `Amounts in ${currency}`;
    this.ensure(12 + 18 + ITEM_ROW_HEIGHT * Math.min(items.length, 2) + 20);
    this.tableHeader(ITEM_COLUMNS, heading, caption);
    for (const item of items) {
      if (this.ensure(ITEM_ROW_HEIGHT)) this.tableHeader(ITEM_COLUMNS, `${heading} (continued)`, caption);
      this.itemRow(item);
    }
    this.ensure(18);
    const c = this.canvas;
    const baseline = this.y - 12;
    const label = `Total open, ${totals.itemCount === 1 ? '1 item' : `${totals.itemCount} items`}`;
    c.text(label, MARGIN_X + CELL_PADDING, baseline, { font: this.fonts.bold, size: 9 });
    c.right(formatAmount(totals.balanceMinor, currency), RIGHT - CELL_PADDING, baseline, { font: this.fonts.bold, size: 9 });
    this.y -= 17;
    c.rule(this.y, MARGIN_X, RIGHT, INK, 0.8);
    this.y -= 20;
  }

  private itemRow(item: StatementItem): void {
    const c = this.canvas;
    const { bold, regular } = this.fonts;
    const edges = columnEdges(ITEM_COLUMNS, MARGIN_X);
    const baseline = this.y - 11;
    const cellRight = (index: number) => (edges[index]?.right ?? RIGHT) - CELL_PADDING;
    const cellLeft = (index: number) => (edges[index]?.left ?? MARGIN_X) + CELL_PADDING;
    const invoiceWidth = (ITEM_COLUMNS[0]?.width ?? 150) - 2 * CELL_PADDING;

    const tag = item.disputed ? 'DISPUTED' : item.kind === 'credit-note' ? 'CREDIT' : '';
    const tagStyle = { font: bold, size: 6.5, color: item.disputed ? OVERDUE : ACCENT };
    const tagWidth = tag ? c.width(tag, tagStyle) + 6 : 0;
    const number = c.fitted(item.number, invoiceWidth - tagWidth, { size: 9 });
    c.text(number, cellLeft(0), baseline, { size: 9 });
    if (tag) c.text(tag, cellLeft(0) + c.width(number, { size: 9 }) + 6, baseline + 0.5, tagStyle);
    c.text(c.fitted(`Ref. ${groupInFours(item.reference)}`, invoiceWidth, { size: 7.5 }), cellLeft(0), baseline - 9, { size: 7.5, color: MUTED });

    c.text(item.issueDate, cellLeft(1), baseline, { size: 9, color: MUTED });
    c.text(item.dueDate, cellLeft(2), baseline, { size: 9, font: item.daysOverdue > 0 ? bold : regular });
    if (item.daysOverdue > 0) c.right(String(item.daysOverdue), cellRight(3), baseline, { size: 9, font: bold, color: OVERDUE });
    else c.right('not due', cellRight(3), baseline, { size: 8.5, color: MUTED });
    c.right(formatAmount(item.totalMinor, item.currency), cellRight(4), baseline, { size: 9, color: MUTED });
    c.right(formatAmount(item.openMinor, item.currency), cellRight(5), baseline, { size: 9, font: bold });

    this.y -= ITEM_ROW_HEIGHT;
    c.rule(this.y);
  }

  /** One row per currency: the open amount in each bucket and the balance. */
  private ageing(): void {
    const { totals } = this.statement;
    const disputed = totals.filter((entry) => entry.disputedMinor !== 0);
    this.ensure(12 + 18 + totals.length * 17 + disputed.length * 22 + 16);
    this.tableHeader(AGEING_COLUMNS, 'Ageing summary', 'Open amounts by days past due');
    const c = this.canvas;
    const edges = columnEdges(AGEING_COLUMNS, MARGIN_X);
    for (const entry of totals) {
      const baseline = this.y - 12;
      const cells = [
        entry.currency,
        formatAmount(entry.buckets.current, entry.currency),
        formatAmount(entry.buckets['1-30'], entry.currency),
        formatAmount(entry.buckets['31-60'], entry.currency),
        formatAmount(entry.buckets['61-90'], entry.currency),
        formatAmount(entry.buckets['90+'], entry.currency),
        formatAmount(entry.balanceMinor, entry.currency),
      ];
      cells.forEach((cell, index) => {
        const edge = edges[index];
        const column = AGEING_COLUMNS[index];
        if (!edge || !column) return;
        const last = index === cells.length - 1;
        const zeroBucket = index > 0 && !last && cell === formatAmount(0, entry.currency);
        const style = { size: 9, font: last || index === 0 ? this.fonts.bold : this.fonts.regular, color: zeroBucket ? MUTED : INK };
        if (column.align === 'right') c.right(cell, edge.right - CELL_PADDING, baseline, style);
        else c.text(cell, edge.left + CELL_PADDING, baseline, style);
      });
      this.y -= 17;
      c.rule(this.y);
    }
    this.y -= 2;
    for (const entry of disputed) {
      const note = `Of the ${entry.currency} balance, ${formatMoney(entry.disputedMinor, entry.currency)} is disputed and under review; it stays listed until the dispute is resolved.`;
      for (const line of c.wrap(note, WIDTH, { size: 8 })) {
        this.y -= 10;
        c.text(line, MARGIN_X, this.y, { size: 8, color: MUTED });
      }
    }
    this.y -= 18;
  }

  /**
   * The balance due of each currency in the accent band the invoice uses for its amount due, with what of it is
   * overdue below: two currencies to a row, a single one on the right like the invoice's amount due.
   */
  private balances(): void {
    const { totals } = this.statement;
    const band = 24;
    const rowHeight = band + 16;
    const gap = 12;
    const half = (WIDTH - gap) / 2;
    this.ensure(Math.ceil(totals.length / 2) * rowHeight + 4);
    const c = this.canvas;
    const { bold } = this.fonts;
    totals.forEach((entry, index) => {
      const column = totals.length === 1 ? 1 : index % 2;
      if (index > 0 && column === 0) this.y -= rowHeight;
      const left = MARGIN_X + column * (half + gap);
      const right = left + half;
      c.box(left, this.y - band, half, band, ACCENT);
      const baseline = this.y - band + 8;
      const amount = formatMoney(entry.balanceMinor, entry.currency);
      const amountStyle = { font: bold, size: 11, color: WHITE };
      const label = c.fitted(`Balance due in ${entry.currency}`, half - 24 - c.width(amount, amountStyle), amountStyle);
      c.text(label, left + 10, baseline, amountStyle);
      c.right(amount, right - 10, baseline, amountStyle);
      const overdue = entry.overdueMinor !== 0 ? `of which overdue: ${formatMoney(entry.overdueMinor, entry.currency)}` : 'nothing overdue';
      c.right(overdue, right - 10, this.y - band - 11, { size: 8.5, color: entry.overdueMinor !== 0 ? OVERDUE : MUTED });
    });
    this.y -= rowHeight + 4;
  }

  private payment(): void {
    const { paymentInstructions: instructions } = this.statement.seller;
    const { bold, mono } = this.fonts;
    const candidates: [string, string | undefined, boolean][] = [
      ['Account', instructions.accountName, false],
      ['IBAN', groupInFours(instructions.iban), true],
      ['BIC', instructions.bic?.replace(/\s+/g, '').toUpperCase(), true],
      ['Bank', instructions.bankName, false],
    ];
    const bankRows = candidates.filter((row): row is [string, string, boolean] => typeof row[1] === 'string' && row[1] !== '');
    const x = MARGIN_X + 16;
    const bankX = 318;
    const { email } = this.statement.seller;
    const advice = [
      "Pay each invoice with its own transfer and quote that invoice's RF reference (printed under its number above), so we can match your payment to it.",
      `Questions about an item: ${email.replyTo ?? email.fromAddress}.`,
    ].flatMap((paragraph) => this.canvas.wrap(paragraph, bankX - x - 14, { size: 8.5 }));
    const height = 34 + Math.max(12 + advice.length * 11, 14 + bankRows.length * 13) + 8;
    this.ensure(height + 4);
    const c = this.canvas;
    const top = this.y;
    c.box(MARGIN_X, top - height, WIDTH, height, BOX_FILL);
    c.box(MARGIN_X, top - height, 3, height, ACCENT);

    const overdue = this.statement.totals.some((entry) => entry.overdueMinor > 0);
    const headline = overdue ? 'Please pay the overdue items now and the others by their due dates.' : 'Please pay each item by its due date.';
    c.text(c.fitted(headline, WIDTH - 32, { font: bold, size: 10 }), x, top - 20, { font: bold, size: 10 });

    const y = top - 34;
    let textY = y;
    c.text('PAYMENT REFERENCES', x, textY, { font: bold, size: 7.5, color: MUTED });
    textY -= 12;
    for (const line of advice) {
      c.text(line, x, textY, { size: 8.5 });
      textY -= 11;
    }

    c.text('PAY TO', bankX, y, { font: bold, size: 7.5, color: MUTED });
    let rowY = y - 14;
    for (const [label, value, isCode] of bankRows) {
      c.text(label, bankX, rowY, { size: 8.5, color: MUTED });
      const style = { size: isCode ? 9.5 : 9, font: isCode ? mono : this.fonts.regular };
      c.text(c.fitted(value, RIGHT - 16 - (bankX + 44), style), bankX + 44, rowY, style);
      rowY -= 13;
    }
    this.y = top - height - 18;
  }
}

/**
 * Renders a statement of account as an A4 PDF (several pages when the items overflow). The same statement always
 * gives the same bytes: the creation date is the statement date, not the clock, so a re-render after a retry stores
 * an identical object and can be compared byte for byte.
 */
export async function renderStatementPdf(statement: Statement): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const fonts: Fonts = {
    regular,
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    mono: await pdf.embedFont(StandardFonts.CourierBold),
    encodable: new Set(regular.getCharacterSet()),
  };

  const { customer, seller, asOf } = statement;
  const asOfDate = new Date(`${asOf}T00:00:00Z`);
  if (Number.isNaN(asOfDate.getTime())) throw new RangeError(`statement date ${asOf} is not an ISO date`);
  const title = `Statement of account ${customer.id} as of ${asOf}`;
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setAuthor(seller.party.name);
  pdf.setSubject(`${title} for ${customer.name}`);
  pdf.setKeywords([customer.id, asOf, ...statement.items.map((item) => item.number)]);
  pdf.setCreator('O2C');
  pdf.setProducer('O2C (pdf-lib)');
  pdf.setLanguage('en');
  pdf.setCreationDate(asOfDate);
  pdf.setModificationDate(asOfDate);

  new Layout(pdf, fonts, statement).render();
  return pdf.save();
}
