/**
 * The invoice or credit note as an A4 PDF for people: what the buyer's accounts-payable clerk reads, files and pays
 * from. It prints the numbers of the {@link InvoiceDocument} and computes none.
 *
 * We use pdf-lib's standard Helvetica/Courier fonts, which need no font file in the Lambda bundle but can only
 * encode WinAnsi (Windows-1252). Text is therefore transliterated where that keeps it readable (`Łódź` → `Lodz`,
 * `Ș` → `S`) and any character still outside WinAnsi (CJK, emoji) becomes `?`: a name printed imperfectly is
 * better than an invoice that is never issued. The UBL e-invoice carries the exact Unicode text.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { termsText, type InvoiceDocument, type Party } from '#domain/invoice';
import { formatAmount, formatMoney, formatQuantity, groupInFours, ppmToPercentString, taxLabel } from './format.ts';
import { ACCENT, BOX_FILL, CELL_PADDING, HEADER_FILL, INK, MARGIN_X, MUTED, RIGHT, WHITE, WIDTH, columnEdges, PagedLayout, type Column, type Fonts } from './pdf-layout.ts';

export { toWinAnsi } from './pdf-layout.ts';


/** No. | Description + SKU | Qty | Unit price | Discount | Net | Tax: 495 pt, the A4 width inside the margins. */
const LINE_COLUMNS: Column[] = [
  { title: 'No.', width: 24, align: 'left' },
  { title: 'Description', width: 183, align: 'left' },
  { title: 'Qty', width: 38, align: 'right' },
  { title: 'Unit price', width: 70, align: 'right' },
  { title: 'Discount', width: 60, align: 'right' },
  { title: 'Net', width: 80, align: 'right' },
  { title: 'Tax', width: 40, align: 'right' },
];
const MAX_DESCRIPTION_LINES = 20;


/**
 * A party's address for print: one item per line (`compact` = false, the buyer's block, like a window envelope),
 * or street and place on two lines (`compact` = true, the seller's letterhead).
 */
function addressLines(party: Party, compact = false): string[] {
  const { address } = party;
  const present = (parts: (string | undefined)[], separator: string) => parts.filter((part) => part && part.trim() !== '').join(separator);
  const company = address.company && address.company !== party.name ? address.company : '';
  // The attention line (a person or department, e.g. "Kreditorenbuchhaltung") under the buyer's name.
  const attention = !compact && address.name && address.name !== party.name && address.name !== address.company ? address.name : '';
  const place = present([address.postalCode, address.city], ' ');
  const lines = compact
    ? [company, present([address.line1, address.line2], ', '), present([place, address.region, address.country], ', ')]
    : [company, attention, address.line1 ?? '', address.line2 ?? '', place, present([address.region, address.country], ', ')];
  return lines.filter((line) => line.trim() !== '');
}

/**
 * Lays the document out on as many A4 pages as its lines need: the header blocks on page one, the line table
 * (with its header repeated on continuation pages), then the tax summary, totals and the payment box, and a
 * footer with the seller's identity and `Page n of m` on every page.
 */
class Layout extends PagedLayout {
  constructor(
    pdf: PDFDocument,
    fonts: Fonts,
    private readonly document: InvoiceDocument,
  ) {
    super(pdf, fonts);
  }

  private get title(): string {
    return this.document.kind === 'credit-note' ? 'Credit note' : 'Invoice';
  }

  protected get seller() {
    return this.document.seller;
  }

  protected get reference(): string {
    return `${this.title} ${this.document.number}`;
  }

  render(): void {
    this.newPage();
    this.header();
    this.parties();
    this.lineTable();
    this.summary();
    this.payment();
    this.notes();
    this.footers();
  }

  private header(): void {
    const c = this.canvas;
    const { seller } = this.document;
    const { bold } = this.fonts;
    let left = this.y - 14;
    c.text(c.fitted(seller.name, 290, { font: bold, size: 14 }), MARGIN_X, left, { font: bold, size: 14 });
    left -= 14;
    const details = [...addressLines(seller, true), seller.vatId ? `VAT ID ${seller.vatId}` : undefined, seller.registrationId ? `Reg. ${seller.registrationId}` : undefined, seller.email];
    for (const line of details) {
      if (!line) continue;
      c.text(c.fitted(line, 290, { size: 8.5 }), MARGIN_X, left, { size: 8.5, color: MUTED });
      left -= 11;
    }

    c.right(this.title.toUpperCase(), RIGHT, this.y - 20, { font: bold, size: 22, color: ACCENT });
    c.right(this.document.number, RIGHT, this.y - 38, { font: bold, size: 11 });
    this.y = Math.min(left, this.y - 44) - 10;
    c.rule(this.y, MARGIN_X, RIGHT, ACCENT, 1.2);
    this.y -= 22;
  }

  private parties(): void {
    const c = this.canvas;
    const d = this.document;
    const { bold } = this.fonts;
    const top = this.y;

    let left = top;
    c.text(d.kind === 'credit-note' ? 'CREDIT TO' : 'BILL TO', MARGIN_X, left, { font: bold, size: 7.5, color: MUTED });
    left -= 15;
    for (const line of c.wrap(d.buyer.name, 250, { font: bold, size: 11 })) {
      c.text(line, MARGIN_X, left, { font: bold, size: 11 });
      left -= 14;
    }
    for (const line of addressLines(d.buyer)) {
      c.text(c.fitted(line, 250, { size: 9.5 }), MARGIN_X, left, { size: 9.5 });
      left -= 12;
    }
    if (d.buyer.vatId) {
      c.text(`VAT ID ${d.buyer.vatId}`, MARGIN_X, left, { size: 9.5 });
      left -= 12;
    }

    const rows: [string, string | undefined][] = [
      [`${this.title} no.`, d.number],
      ['Issue date', d.issueDate],
      // §14 UStG: the date of delivery, even when it is the issue date.
      ['Delivery date', d.deliveryDate],
      ['Due date', d.dueDate],
      ...(d.precedingInvoice ? ([['Corrects invoice', `${d.precedingInvoice.number} of ${d.precedingInvoice.issueDate}`]] as [string, string][]) : []),
      ['Customer no.', d.buyer.identifier],
      ['Order', d.orderId],
      ['Your reference', d.buyerReference],
      ['Currency', d.currency],
    ];
    const labelX = 300;
    const valueX = 385;
    let right = top;
    for (const [label, value] of rows) {
      if (!value) continue;
      const isDue = label === 'Due date';
      c.text(label, labelX, right, { size: 9, color: MUTED });
      c.text(c.fitted(value, RIGHT - valueX, { size: 9, font: isDue ? bold : undefined }), valueX, right, { size: 9, font: isDue ? bold : this.fonts.regular });
      right -= 13;
    }
    this.y = Math.min(left, right) - 20;
  }

  private tableHeader(columns: Column[], left: number, caption?: string): void {
    const c = this.canvas;
    if (caption) {
      c.right(caption, RIGHT, this.y, { size: 7.5, color: MUTED });
      this.y -= 6;
    }
    const width = columns.reduce((sum, column) => sum + column.width, 0);
    c.box(left, this.y - 18, width, 18, HEADER_FILL);
    const edges = columnEdges(columns, left);
    columns.forEach((column, index) => {
      const edge = edges[index];
      if (!edge) return;
      const style = { font: this.fonts.bold, size: 8, color: INK };
      if (column.align === 'right') c.right(column.title, edge.right - CELL_PADDING, this.y - 12, style);
      else c.text(column.title, edge.left + CELL_PADDING, this.y - 12, style);
    });
    this.y -= 18;
  }

  private lineTable(): void {
    const d = this.document;
    const caption = `Amounts in ${d.currency}`;
    this.ensure(18 + 40);
    this.tableHeader(LINE_COLUMNS, MARGIN_X, caption);
    const edges = columnEdges(LINE_COLUMNS, MARGIN_X);
    const descriptionEdge = edges[1] ?? { left: MARGIN_X, right: RIGHT };
    const descriptionWidth = descriptionEdge.right - descriptionEdge.left - 2 * CELL_PADDING;

    for (const line of d.lines) {
      const description = this.canvas.wrap(line.description, descriptionWidth, { size: 9 });
      // A row never outgrows a page: an absurdly long description is cut rather than run into the footer.
      if (description.length > MAX_DESCRIPTION_LINES) description.splice(MAX_DESCRIPTION_LINES - 1, Infinity, '...');
      const height = 6 + description.length * 11 + (line.sku ? 9 : 0) + 4;
      if (this.ensure(height)) this.tableHeader(LINE_COLUMNS, MARGIN_X, `${caption} (continued)`);
      const c = this.canvas;
      const baseline = this.y - 6 - 8;
      const cells = [
        String(line.lineNumber),
        undefined,
        formatQuantity(line.quantity),
        formatAmount(line.unitPriceMinor, d.currency),
        line.discountMinor !== 0 ? `-${formatAmount(line.discountMinor, d.currency)}` : '',
        formatAmount(line.netMinor, d.currency),
        line.taxCategory === 'O' ? 'n/a' : `${ppmToPercentString(line.taxRatePpm)} %${line.taxCategory === 'S' ? '' : ` ${line.taxCategory}`}`,
      ];
      cells.forEach((cell, index) => {
        const edge = edges[index];
        const column = LINE_COLUMNS[index];
        if (!edge || !column || cell === undefined) return;
        if (column.align === 'right') c.right(cell, edge.right - CELL_PADDING, baseline, { size: 9 });
        else c.text(cell, edge.left + CELL_PADDING, baseline, { size: 9, color: MUTED });
      });
      let textY = baseline;
      for (const text of description) {
        c.text(text, descriptionEdge.left + CELL_PADDING, textY, { size: 9 });
        textY -= 11;
      }
      if (line.sku) c.text(c.fitted(`SKU ${line.sku}`, descriptionWidth, { size: 7.5 }), descriptionEdge.left + CELL_PADDING, textY + 1, { size: 7.5, color: MUTED });
      this.y -= height;
      c.rule(this.y);
    }
  }

  private summary(): void {
    const d = this.document;
    const isCredit = d.kind === 'credit-note';
    const taxRows = d.taxBreakdown.length;
    const totalsRows = 4;
    const height = 24 + Math.max(18 + taxRows * 15, totalsRows * 15 + 30) + 10;
    this.ensure(height);
    const c = this.canvas;
    const { bold } = this.fonts;
    this.y -= 20;
    const top = this.y;

    // Tax summary (EN 16931 BG-23) on the left.
    const taxColumns: Column[] = [
      { title: 'Tax summary', width: 110, align: 'left' },
      { title: 'Taxable', width: 75, align: 'right' },
      { title: 'Tax', width: 70, align: 'right' },
    ];
    this.tableHeader(taxColumns, MARGIN_X);
    const taxEdges = columnEdges(taxColumns, MARGIN_X);
    for (const group of d.taxBreakdown) {
      const cells = [taxLabel(group.taxCategory, group.taxRatePpm), formatAmount(group.taxableMinor, d.currency), formatAmount(group.taxMinor, d.currency)];
      cells.forEach((cell, index) => {
        const edge = taxEdges[index];
        const column = taxColumns[index];
        if (!edge || !column) return;
        if (column.align === 'right') c.right(cell, edge.right - CELL_PADDING, this.y - 11, { size: 9 });
        else c.text(c.fitted(cell, column.width - 2 * CELL_PADDING, { size: 9 }), edge.left + CELL_PADDING, this.y - 11, { size: 9 });
      });
      this.y -= 15;
      c.rule(this.y, MARGIN_X, MARGIN_X + 255);
    }
    const leftBottom = this.y;

    // Totals on the right.
    const labelX = 345;
    let y = top - 12;
    const rows: [string, number][] = [
      ['Net total', d.lineNetTotalMinor],
      ['Tax', d.taxTotalMinor],
      [isCredit ? 'Total credit' : 'Total', d.totalMinor],
      [isCredit ? 'Already settled' : 'Prepaid', -d.prepaidMinor],
    ];
    for (const [label, minor] of rows) {
      const isTotal = label.startsWith('Total');
      const style = { size: 9.5, font: isTotal ? bold : this.fonts.regular };
      c.text(label, labelX, y, { ...style, color: isTotal ? INK : MUTED });
      c.right(formatAmount(minor, d.currency), RIGHT - CELL_PADDING, y, style);
      y -= 15;
    }
    const band = 26;
    c.box(labelX - 8, y - band + 11, RIGHT - labelX + 8, band, ACCENT);
    c.text(isCredit ? 'Amount credited' : 'Amount due', labelX, y - 6, { font: bold, size: 11, color: WHITE });
    c.right(formatMoney(d.payableMinor, d.currency), RIGHT - CELL_PADDING, y - 6, { font: bold, size: 11, color: WHITE });
    y -= band;

    this.y = Math.min(leftBottom, y) - 16;
  }

  private payment(): void {
    const d = this.document;
    const isCredit = d.kind === 'credit-note';
    const { bold, mono } = this.fonts;
    const instructions = d.paymentInstructions;
    const candidates: [string, string | undefined, boolean][] = isCredit
      ? []
      : [
          ['Account', instructions.accountName, false],
          ['IBAN', groupInFours(instructions.iban), true],
          ['BIC', instructions.bic?.replace(/\s+/g, '').toUpperCase(), true],
          ['Bank', instructions.bankName, false],
        ];
    const bankRows = candidates.filter((row): row is [string, string, boolean] => typeof row[1] === 'string' && row[1] !== '');
    const blockHeight = Math.max(40, 14 + bankRows.length * 13);
    const height = 20 + 22 + blockHeight + (isCredit ? 6 : 26);
    this.ensure(height + 10);
    const c = this.canvas;
    const top = this.y;
    c.box(MARGIN_X, top - height, WIDTH, height, BOX_FILL);
    c.box(MARGIN_X, top - height, 3, height, ACCENT);

    const x = MARGIN_X + 16;
    let y = top - 20;
    const headline = isCredit
      ? `We credit ${formatMoney(d.payableMinor, d.currency)} against invoice ${d.precedingInvoice?.number ?? ''}: offset against your open items or refunded.`
      : d.payableMinor > 0
        ? `Please transfer ${formatMoney(d.payableMinor, d.currency)} by ${d.dueDate}, quoting the payment reference.`
        : 'Nothing to pay: this invoice is settled in full.';
    c.text(c.fitted(headline, WIDTH - 32, { font: bold, size: 10 }), x, y, { font: bold, size: 10 });

    y -= 22;
    c.text('PAYMENT REFERENCE', x, y, { font: bold, size: 7.5, color: MUTED });
    c.text(groupInFours(d.paymentReference), x, y - 20, { font: mono, size: 16, color: ACCENT });
    c.text(isCredit ? 'Quote it in any question about this credit note.' : 'Quote it exactly, so we can match your payment.', x, y - 34, { size: 8, color: MUTED });

    if (bankRows.length > 0) {
      const bankX = 318;
      c.text('PAY TO', bankX, y, { font: bold, size: 7.5, color: MUTED });
      let rowY = y - 14;
      for (const [label, value, isCode] of bankRows) {
        c.text(label, bankX, rowY, { size: 8.5, color: MUTED });
        const style = { size: isCode ? 9.5 : 9, font: isCode ? mono : this.fonts.regular };
        c.text(c.fitted(value, RIGHT - 16 - (bankX + 44), style), bankX + 44, rowY, style);
        rowY -= 13;
      }
    }
    if (!isCredit) {
      c.text(c.fitted(`Payment terms: ${termsText(d.terms)}. Due date ${d.dueDate}.`, WIDTH - 32, { size: 8.5 }), x, top - height + 12, { size: 8.5 });
    }
    this.y = top - height - 18;
  }

  private notes(): void {
    const d = this.document;
    for (const note of d.notes) {
      const lines = this.canvas.wrap(note, WIDTH, { size: 9 });
      for (const line of lines) {
        this.ensure(12);
        this.canvas.text(line, MARGIN_X, this.y, { size: 9 });
        this.y -= 12;
      }
      this.y -= 4;
    }
  }
}

/**
 * Renders an invoice or credit note as an A4 PDF (several pages when the lines overflow). The same document
 * always gives the same bytes: the creation date is the issue date, not the clock, so a re-render after a retry
 * stores an identical object.
 */
export async function renderInvoicePdf(document: InvoiceDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const fonts: Fonts = {
    regular,
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    mono: await pdf.embedFont(StandardFonts.CourierBold),
    encodable: new Set(regular.getCharacterSet()),
  };

  const title = `${document.kind === 'credit-note' ? 'Credit note' : 'Invoice'} ${document.number}`;
  const issued = new Date(`${document.issueDate}T00:00:00Z`);
  pdf.setTitle(title, { showInWindowTitleBar: true });
  pdf.setAuthor(document.seller.name);
  pdf.setSubject(`${title} to ${document.buyer.name}`);
  pdf.setKeywords([document.number, document.paymentReference, document.orderId]);
  pdf.setCreator('O2C');
  pdf.setProducer('O2C (pdf-lib)');
  pdf.setLanguage('en');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);

  new Layout(pdf, fonts, document).render();
  return pdf.save();
}
