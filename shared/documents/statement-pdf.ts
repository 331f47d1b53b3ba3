/**
 * The statement of account as an A4 PDF: what collections sends a customer so its accounts-payable clerk can see,
 * invoice by invoice, what is still open, how overdue it is and how to pay it. It prints the numbers of the
 * {@link Statement} and computes none.
 *
 * It follows the invoice PDF's look (same fonts, colours, margins, footer) so both read as one family of documents,
 * and shares its geometry, WinAnsi sanitising and drawing helpers (`./pdf-layout.ts`) and number formatting.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PaymentTerms } from '#domain/customer';
import type { Party } from '#domain/invoice';
import type { CurrencyTotals, Statement, StatementBucket, StatementItem } from '#domain/statement';
import { formatAmountIn, formatDateIn, formatMoneyIn, groupInFours, percentIn, type DocumentLanguage } from './format.ts';
import { ACCENT, BOX_FILL, CELL_PADDING, HEADER_FILL, INK, MARGIN_X, MUTED, RIGHT, WHITE, WIDTH, columnEdges, PagedLayout, type Column, type Fonts, type PageWords } from './pdf-layout.ts';

const OVERDUE = rgb(0.72, 0.14, 0.12);

/** The seller's letterhead address: street and place on two lines, as on the invoice. */
function letterheadLines(party: Party): string[] {
  const { address } = party;
  const present = (parts: (string | undefined)[], separator: string) => parts.filter((part) => part && part.trim() !== '').join(separator);
  const company = address.company && address.company !== party.name ? address.company : '';
  const place = present([address.postalCode, address.city], ' ');
  return [company, present([address.line1, address.line2], ', '), present([place, address.region, address.country], ', ')].filter((line) => line.trim() !== '');
}

/** Every word the statement prints, per language: nothing on the page comes from anywhere else. */
interface StatementWords {
  page: PageWords;
  statement: string;
  statementFor: string;
  vatId: string;
  registration: string;
  statementDate: string;
  customerNo: string;
  paymentTerms: string;
  creditLimit: string;
  availableCredit: string;
  limitExceeded: string;
  title: (date: string) => string;
  reference: (customerId: string, date: string) => string;
  documentTitle: (customerId: string, date: string) => string;
  subject: (customerId: string, date: string, customerName: string) => string;
  itemCount: (count: number) => string;
  notShownAfter: (date: string) => string;
  nothingOpen: string;
  columns: [string, string, string, string, string, string];
  notDue: string;
  dueToday: string;
  disputedTag: string;
  creditNoteTag: string;
  paymentTag: string;
  ref: string;
  creditNoteOn: (invoiceNumber: string) => string;
  paymentReceived: string;
  itemsIn: (currency: string) => string;
  amountsIn: (currency: string) => string;
  totalOpen: (count: number) => string;
  ageing: string;
  ageingCaption: string;
  currency: string;
  buckets: Record<StatementBucket, string>;
  balance: string;
  disputedNote: (currency: string, amount: string) => string;
  deductedNote: (currency: string, amount: string) => string;
  balanceDue: (currency: string) => string;
  creditBalance: (currency: string) => string;
  ofWhichOverdue: (amount: string) => string;
  nothingOverdue: string;
  payOverdue: string;
  payByDueDate: string;
  paymentReferences: string;
  referenceAdvice: string;
  questions: (address: string) => string;
  payTo: string;
  account: string;
  bank: string;
  terms: (terms: PaymentTerms) => string;
}

const englishTerms = (terms: PaymentTerms) => {
  const net = terms.basis === 'end-of-month' ? `net ${terms.days} days after the end of the invoice month` : `net ${terms.days} days`;
  const discount = terms.earlyPaymentDiscount;
  return discount ? `${percentIn(discount.rateBasisPoints * 100, 'en')} % discount if paid within ${discount.days} days, ${net}` : net;
};

const germanTerms = (terms: PaymentTerms) => {
  const net = terms.basis === 'end-of-month' ? `${terms.days} Tage netto nach Ende des Rechnungsmonats` : `${terms.days} Tage netto`;
  const discount = terms.earlyPaymentDiscount;
  return discount ? `${percentIn(discount.rateBasisPoints * 100, 'de')} % Skonto bei Zahlung innerhalb von ${discount.days} Tagen, ${net}` : net;
};

export const statementWords: Readonly<Record<DocumentLanguage, StatementWords>> = {
  en: {
    page: { continued: 'continued', page: (number, of) => `Page ${number} of ${of}`, vatId: 'VAT ID', registration: 'Reg.' },
    statement: 'STATEMENT',
    statementFor: 'STATEMENT FOR',
    vatId: 'VAT ID',
    registration: 'Reg.',
    statementDate: 'Statement date',
    customerNo: 'Customer no.',
    paymentTerms: 'Payment terms',
    creditLimit: 'Credit limit',
    availableCredit: 'Available credit',
    limitExceeded: '(limit exceeded)',
    title: (date) => `Statement of account as of ${date}`,
    reference: (customerId, date) => `Statement ${customerId} as of ${date}`,
    documentTitle: (customerId, date) => `Statement of account ${customerId} as of ${date}`,
    subject: (customerId, date, name) => `Statement of account ${customerId} as of ${date} for ${name}`,
    itemCount: (count) => (count === 1 ? '1 item' : `${count} items`),
    notShownAfter: (date) => `oldest due first. Payments received after ${date} are not yet shown.`,
    nothingOpen: 'There are no open items on your account. Thank you for paying on time.',
    columns: ['Document', 'Issue date', 'Due date', 'Days overdue', 'Total', 'Open'],
    notDue: 'not due',
    dueToday: 'due today',
    disputedTag: 'DISPUTED',
    creditNoteTag: 'CREDIT NOTE',
    paymentTag: 'PAYMENT',
    ref: 'Ref.',
    creditNoteOn: (number) => `Set off against ${number}`,
    paymentReceived: 'Received, not yet on an invoice',
    itemsIn: (currency) => `Items in ${currency}`,
    amountsIn: (currency) => `Amounts in ${currency}`,
    totalOpen: (count) => `Balance, ${count === 1 ? '1 item' : `${count} items`}`,
    ageing: 'Ageing summary',
    ageingCaption: 'Open amounts by days past due; credits not aged',
    currency: 'Currency',
    buckets: { credits: 'Credits', 'not-due': 'Not due', 'due-today': 'Due today', '1-30': '1-30 days', '31-60': '31-60 days', '61-90': '61-90 days', '90+': 'Over 90 days' },
    balance: 'Balance',
    disputedNote: (currency, amount) => `Of the ${currency} balance, ${amount} is disputed and under review; it stays listed until the dispute is resolved.`,
    deductedNote: (currency, amount) => `Of the ${currency} balance, ${amount} was deducted in your payments and is under review; reminders leave it out until we have decided.`,
    balanceDue: (currency) => `Balance due in ${currency}`,
    creditBalance: (currency) => `Credit balance in ${currency}`,
    ofWhichOverdue: (amount) => `overdue invoices: ${amount}`,
    nothingOverdue: 'nothing overdue',
    payOverdue: 'Please pay the overdue items now and the others by their due dates.',
    payByDueDate: 'Please pay each item by its due date.',
    paymentReferences: 'PAYMENT REFERENCES',
    referenceAdvice: "Pay each invoice with its own transfer and quote that invoice's RF reference (printed under its number above), so we can match your payment to it.",
    questions: (address) => `Questions about an item: ${address}.`,
    payTo: 'PAY TO',
    account: 'Account',
    bank: 'Bank',
    terms: englishTerms,
  },
  de: {
    page: { continued: 'Fortsetzung', page: (number, of) => `Seite ${number} von ${of}`, vatId: 'USt-IdNr.', registration: 'Reg.-Nr.' },
    statement: 'KONTOAUSZUG',
    statementFor: 'KONTOAUSZUG FÜR',
    vatId: 'USt-IdNr.',
    registration: 'Reg.-Nr.',
    statementDate: 'Stichtag',
    customerNo: 'Kundennummer',
    paymentTerms: 'Zahlungsziel',
    creditLimit: 'Kreditlimit',
    availableCredit: 'Verfügbares Limit',
    limitExceeded: '(Limit überschritten)',
    title: (date) => `Kontoauszug zum ${date}`,
    reference: (customerId, date) => `Kontoauszug ${customerId} zum ${date}`,
    documentTitle: (customerId, date) => `Kontoauszug ${customerId} zum ${date}`,
    subject: (customerId, date, name) => `Kontoauszug ${customerId} zum ${date} für ${name}`,
    itemCount: (count) => (count === 1 ? '1 Posten' : `${count} Posten`),
    notShownAfter: (date) => `älteste Fälligkeit zuerst. Zahlungen nach dem ${date} sind noch nicht berücksichtigt.`,
    nothingOpen: 'Auf Ihrem Konto sind keine Posten offen. Vielen Dank für Ihre pünktliche Zahlung.',
    columns: ['Beleg', 'Belegdatum', 'Fällig am', 'Tage überfällig', 'Betrag', 'Offen'],
    notDue: 'nicht fällig',
    dueToday: 'heute fällig',
    disputedTag: 'STRITTIG',
    creditNoteTag: 'GUTSCHRIFT',
    paymentTag: 'ZAHLUNG',
    ref: 'Referenz',
    creditNoteOn: (number) => `Verrechnet mit ${number}`,
    paymentReceived: 'Eingegangen, noch keiner Rechnung zugeordnet',
    itemsIn: (currency) => `Posten in ${currency}`,
    amountsIn: (currency) => `Beträge in ${currency}`,
    totalOpen: (count) => `Saldo, ${count === 1 ? '1 Posten' : `${count} Posten`}`,
    ageing: 'Fälligkeitsstruktur',
    ageingCaption: 'Offene Beträge nach Tagen über Fälligkeit; Guthaben ohne Fälligkeit',
    currency: 'Währung',
    buckets: { credits: 'Guthaben', 'not-due': 'Nicht fällig', 'due-today': 'Heute fällig', '1-30': '1-30 Tage', '31-60': '31-60 Tage', '61-90': '61-90 Tage', '90+': 'Über 90 Tage' },
    balance: 'Saldo',
    disputedNote: (currency, amount) => `Vom Saldo in ${currency} sind ${amount} strittig und in Prüfung; der Betrag bleibt aufgeführt, bis die Reklamation geklärt ist.`,
    deductedNote: (currency, amount) => `Vom Saldo in ${currency} haben Sie ${amount} bei Ihren Zahlungen gekürzt; wir prüfen die Kürzung, Mahnungen lassen den Betrag bis dahin aus.`,
    balanceDue: (currency) => `Zu zahlen in ${currency}`,
    creditBalance: (currency) => `Ihr Guthaben in ${currency}`,
    ofWhichOverdue: (amount) => `überfällige Rechnungen: ${amount}`,
    nothingOverdue: 'nichts überfällig',
    payOverdue: 'Bitte zahlen Sie die überfälligen Posten sofort und die übrigen zu ihrer Fälligkeit.',
    payByDueDate: 'Bitte zahlen Sie jeden Posten zu seiner Fälligkeit.',
    paymentReferences: 'ZAHLUNGSREFERENZEN',
    referenceAdvice: 'Bitte überweisen Sie jede Rechnung einzeln und geben Sie ihre RF-Referenz (oben unter der Rechnungsnummer) im Verwendungszweck an, damit wir Ihre Zahlung zuordnen können.',
    questions: (address) => `Fragen zu einem Posten: ${address}.`,
    payTo: 'ZAHLBAR AN',
    account: 'Inhaber',
    bank: 'Bank',
    terms: germanTerms,
  },
};

export { statementFilename } from '#domain/statement';

/** Document | Issue date | Due date | Days overdue | Total | Open: 495 pt, the A4 width inside the margins. */
const ITEM_WIDTHS: readonly [number, Column['align']][] = [
  [150, 'left'],
  [64, 'left'],
  [64, 'left'],
  [62, 'right'],
  [75, 'right'],
  [80, 'right'],
];
const ITEM_ROW_HEIGHT = 24;

/** Currency | credits | the six ageing buckets | Balance: 495 pt. */
const AGEING_BUCKETS: readonly StatementBucket[] = ['credits', 'not-due', 'due-today', '1-30', '31-60', '61-90', '90+'];
const AGEING_WIDTHS = { currency: 43, bucket: 56, balance: 60 } as const;

/**
 * Lays the statement out on as many A4 pages as its items need: letterhead, customer block and title on page one;
 * one open-items table per currency (header repeated on continuation pages); the ageing summary; the balance due
 * per currency; the payment box; and a footer with the seller's identity and `Page n of m` on every page.
 */
class Layout extends PagedLayout {
  private readonly words: StatementWords;
  private readonly language: DocumentLanguage;
  private readonly itemColumns: Column[];
  private readonly ageingColumns: Column[];

  constructor(
    pdf: PDFDocument,
    fonts: Fonts,
    private readonly statement: Statement,
  ) {
    super(pdf, fonts);
    this.language = statement.language;
    this.words = statementWords[statement.language];
    this.itemColumns = ITEM_WIDTHS.map(([width, align], index) => ({ title: this.words.columns[index] ?? '', width, align }));
    this.ageingColumns = [
      { title: this.words.currency, width: AGEING_WIDTHS.currency, align: 'left' },
      ...AGEING_BUCKETS.map((bucket): Column => ({ title: this.words.buckets[bucket], width: AGEING_WIDTHS.bucket, align: 'right' })),
      { title: this.words.balance, width: AGEING_WIDTHS.balance, align: 'right' },
    ];
  }

  protected get seller() {
    return this.statement.seller.party;
  }

  protected get reference(): string {
    return this.words.reference(this.statement.customer.id, this.date(this.statement.asOf));
  }

  protected override get pageWords(): PageWords {
    return this.words.page;
  }

  private date(iso: string): string {
    return formatDateIn(iso, this.language);
  }

  private money(minor: number, currency: string): string {
    return formatMoneyIn(minor, currency, this.language);
  }

  private amount(minor: number, currency: string): string {
    return formatAmountIn(minor, currency, this.language);
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
      if (this.statement.totals.some((entry) => entry.balanceMinor > 0)) this.payment();
    }
    this.footers();
  }

  private header(): void {
    const c = this.canvas;
    const seller = this.statement.seller.party;
    const { bold } = this.fonts;
    const words = this.words;
    let left = this.y - 14;
    c.text(c.fitted(seller.name, 290, { font: bold, size: 14 }), MARGIN_X, left, { font: bold, size: 14 });
    left -= 14;
    const details = [...letterheadLines(seller), seller.vatId ? `${words.vatId} ${seller.vatId}` : undefined, seller.registrationId ? `${words.registration} ${seller.registrationId}` : undefined, seller.email];
    for (const line of details) {
      if (!line) continue;
      c.text(c.fitted(line, 290, { size: 8.5 }), MARGIN_X, left, { size: 8.5, color: MUTED });
      left -= 11;
    }
    c.right(words.statement, RIGHT, this.y - 20, { font: bold, size: 22, color: ACCENT });
    c.right(this.statement.customer.id, RIGHT, this.y - 38, { font: bold, size: 11 });
    this.y = Math.min(left, this.y - 44) - 10;
    c.rule(this.y, MARGIN_X, RIGHT, ACCENT, 1.2);
    this.y -= 22;
  }

  private parties(): void {
    const c = this.canvas;
    const { customer, credit, asOf } = this.statement;
    const { bold } = this.fonts;
    const words = this.words;
    const top = this.y;

    let left = top;
    c.text(words.statementFor, MARGIN_X, left, { font: bold, size: 7.5, color: MUTED });
    left -= 15;
    for (const line of c.wrap(customer.name, 250, { font: bold, size: 11 }).slice(0, 3)) {
      c.text(line, MARGIN_X, left, { font: bold, size: 11 });
      left -= 14;
    }
    c.text(c.fitted(customer.email, 250, { size: 9.5 }), MARGIN_X, left, { size: 9.5 });
    left -= 12;

    const rows: [string, string, boolean][] = [
      [words.statementDate, this.date(asOf), true],
      [words.customerNo, customer.id, false],
      [words.paymentTerms, words.terms(customer.terms), false],
      [words.creditLimit, this.money(credit.limitMinor, credit.currency), false],
      [words.availableCredit, `${this.money(credit.availableMinor, credit.currency)}${credit.overLimit ? ` ${words.limitExceeded}` : ''}`, false],
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
    c.text(this.words.title(this.date(asOf)), MARGIN_X, this.y, { font: this.fonts.bold, size: 15 });
    this.y -= 16;
    c.text(`${this.words.itemCount(items.length)}, ${this.words.notShownAfter(this.date(asOf))}`, MARGIN_X, this.y, { size: 9, color: MUTED });
    this.y -= 20;
  }

  private nothingOpen(): void {
    this.canvas.text(this.words.nothingOpen, MARGIN_X, this.y, { size: 10 });
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
      const style = { font: this.fonts.bold, size: 7.5, color: INK };
      const title = c.fitted(column.title, column.width - 2 * CELL_PADDING + 4, style);
      if (column.align === 'right') c.right(title, edge.right - CELL_PADDING, this.y - 12, style);
      else c.text(title, edge.left + CELL_PADDING, this.y - 12, style);
    });
    this.y -= 18;
  }

  /** The items of one currency, oldest due first, closed by their balance. */
  private itemTable(totals: CurrencyTotals): void {
    const { currency } = totals;
    const items = this.statement.items.filter((item) => item.currency === currency);
    const heading = this.words.itemsIn(currency);
    const caption = this.words.amountsIn(currency);
    this.ensure(12 + 18 + ITEM_ROW_HEIGHT * Math.min(items.length, 2) + 20);
    this.tableHeader(this.itemColumns, heading, caption);
    for (const item of items) {
      if (this.ensure(ITEM_ROW_HEIGHT)) this.tableHeader(this.itemColumns, `${heading} (${this.words.page.continued})`, caption);
      this.itemRow(item);
    }
    this.ensure(18);
    const c = this.canvas;
    const baseline = this.y - 12;
    c.text(this.words.totalOpen(totals.itemCount), MARGIN_X + CELL_PADDING, baseline, { font: this.fonts.bold, size: 9 });
    c.right(this.amount(totals.balanceMinor, currency), RIGHT - CELL_PADDING, baseline, { font: this.fonts.bold, size: 9 });
    this.y -= 17;
    c.rule(this.y, MARGIN_X, RIGHT, INK, 0.8);
    this.y -= 20;
  }

  private itemRow(item: StatementItem): void {
    const c = this.canvas;
    const { bold, regular } = this.fonts;
    const words = this.words;
    const edges = columnEdges(this.itemColumns, MARGIN_X);
    const baseline = this.y - 11;
    const cellRight = (index: number) => (edges[index]?.right ?? RIGHT) - CELL_PADDING;
    const cellLeft = (index: number) => (edges[index]?.left ?? MARGIN_X) + CELL_PADDING;
    const invoiceWidth = (this.itemColumns[0]?.width ?? 150) - 2 * CELL_PADDING;
    const credit = item.kind !== 'invoice';

    const tag = item.disputed ? words.disputedTag : item.kind === 'credit-note' ? words.creditNoteTag : item.kind === 'cash-on-account' ? words.paymentTag : '';
    const tagStyle = { font: bold, size: 6.5, color: item.disputed ? OVERDUE : ACCENT };
    const tagWidth = tag ? c.width(tag, tagStyle) + 6 : 0;
    const number = c.fitted(item.number, invoiceWidth - tagWidth, { size: 9 });
    c.text(number, cellLeft(0), baseline, { size: 9 });
    if (tag) c.text(tag, cellLeft(0) + c.width(number, { size: 9 }) + 6, baseline + 0.5, tagStyle);
    const detail =
      item.kind === 'invoice' ? `${words.ref} ${groupInFours(item.reference)}` : item.kind === 'credit-note' ? (item.appliedTo ? words.creditNoteOn(item.appliedTo) : `${words.ref} ${groupInFours(item.reference)}`) : words.paymentReceived;
    c.text(c.fitted(detail, invoiceWidth, { size: 7.5 }), cellLeft(0), baseline - 9, { size: 7.5, color: MUTED });

    c.text(this.date(item.issueDate), cellLeft(1), baseline, { size: 9, color: MUTED });
    if (!credit) c.text(this.date(item.dueDate), cellLeft(2), baseline, { size: 9, font: item.daysOverdue > 0 ? bold : regular });
    if (item.kind === 'invoice') {
      if (item.daysOverdue > 0) c.right(String(item.daysOverdue), cellRight(3), baseline, { size: 9, font: bold, color: OVERDUE });
      else c.right(item.bucket === 'due-today' ? words.dueToday : words.notDue, cellRight(3), baseline, { size: 8.5, color: MUTED });
    }
    c.right(this.amount(item.totalMinor, item.currency), cellRight(4), baseline, { size: 9, color: MUTED });
    c.right(this.amount(item.openMinor, item.currency), cellRight(5), baseline, { size: 9, font: bold });

    this.y -= ITEM_ROW_HEIGHT;
    c.rule(this.y);
  }

  /** One row per currency: the credits, the open amount in each ageing bucket and the balance. */
  private ageing(): void {
    const { totals } = this.statement;
    const disputed = totals.filter((entry) => entry.disputedMinor !== 0);
    const deducted = totals.filter((entry) => entry.deductedMinor !== 0);
    this.ensure(12 + 18 + totals.length * 17 + (disputed.length + deducted.length) * 22 + 16);
    this.tableHeader(this.ageingColumns, this.words.ageing, this.words.ageingCaption);
    const c = this.canvas;
    const edges = columnEdges(this.ageingColumns, MARGIN_X);
    for (const entry of totals) {
      const baseline = this.y - 12;
      const cells = [entry.currency, ...AGEING_BUCKETS.map((bucket) => this.amount(entry.buckets[bucket], entry.currency)), this.amount(entry.balanceMinor, entry.currency)];
      cells.forEach((cell, index) => {
        const edge = edges[index];
        const column = this.ageingColumns[index];
        if (!edge || !column) return;
        const last = index === cells.length - 1;
        const zeroBucket = index > 0 && !last && cell === this.amount(0, entry.currency);
        const style = { size: 8.5, font: last || index === 0 ? this.fonts.bold : this.fonts.regular, color: zeroBucket ? MUTED : INK };
        if (column.align === 'right') c.right(cell, edge.right - CELL_PADDING, baseline, style);
        else c.text(cell, edge.left + CELL_PADDING, baseline, style);
      });
      this.y -= 17;
      c.rule(this.y);
    }
    this.y -= 2;
    const notes = [
      ...disputed.map((entry) => this.words.disputedNote(entry.currency, this.money(entry.disputedMinor, entry.currency))),
      ...deducted.map((entry) => this.words.deductedNote(entry.currency, this.money(entry.deductedMinor, entry.currency))),
    ];
    for (const note of notes) {
      for (const line of c.wrap(note, WIDTH, { size: 8 })) {
        this.y -= 10;
        c.text(line, MARGIN_X, this.y, { size: 8, color: MUTED });
      }
    }
    this.y -= 18;
  }

  /**
   * The balance of each currency in the accent band the invoice uses for its amount due, with what of it is
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
      const inFavour = entry.balanceMinor < 0;
      const amount = this.money(inFavour ? -entry.balanceMinor : entry.balanceMinor, entry.currency);
      const amountStyle = { font: bold, size: 11, color: WHITE };
      const label = c.fitted(inFavour ? this.words.creditBalance(entry.currency) : this.words.balanceDue(entry.currency), half - 24 - c.width(amount, amountStyle), amountStyle);
      c.text(label, left + 10, baseline, amountStyle);
      c.right(amount, right - 10, baseline, amountStyle);
      const overdue = entry.overdueMinor !== 0 ? this.words.ofWhichOverdue(this.money(entry.overdueMinor, entry.currency)) : this.words.nothingOverdue;
      c.right(overdue, right - 10, this.y - band - 11, { size: 8.5, color: entry.overdueMinor !== 0 ? OVERDUE : MUTED });
    });
    this.y -= rowHeight + 4;
  }

  private payment(): void {
    const { paymentInstructions: instructions } = this.statement.seller;
    const { bold, mono } = this.fonts;
    const words = this.words;
    const candidates: [string, string | undefined, boolean][] = [
      [words.account, instructions.accountName, false],
      ['IBAN', groupInFours(instructions.iban), true],
      ['BIC', instructions.bic?.replace(/\s+/g, '').toUpperCase(), true],
      [words.bank, instructions.bankName, false],
    ];
    const bankRows = candidates.filter((row): row is [string, string, boolean] => typeof row[1] === 'string' && row[1] !== '');
    const x = MARGIN_X + 16;
    const bankX = 318;
    const { email } = this.statement.seller;
    const advice = [words.referenceAdvice, words.questions(email.replyTo ?? email.fromAddress)].flatMap((paragraph) => this.canvas.wrap(paragraph, bankX - x - 14, { size: 8.5 }));
    const height = 34 + Math.max(12 + advice.length * 11, 14 + bankRows.length * 13) + 8;
    this.ensure(height + 4);
    const c = this.canvas;
    const top = this.y;
    c.box(MARGIN_X, top - height, WIDTH, height, BOX_FILL);
    c.box(MARGIN_X, top - height, 3, height, ACCENT);

    const overdue = this.statement.totals.some((entry) => entry.overdueMinor > 0);
    const headline = overdue ? words.payOverdue : words.payByDueDate;
    c.text(c.fitted(headline, WIDTH - 32, { font: bold, size: 10 }), x, top - 20, { font: bold, size: 10 });

    const y = top - 34;
    let textY = y;
    c.text(words.paymentReferences, x, textY, { font: bold, size: 7.5, color: MUTED });
    textY -= 12;
    for (const line of advice) {
      c.text(line, x, textY, { size: 8.5 });
      textY -= 11;
    }

    c.text(words.payTo, bankX, y, { font: bold, size: 7.5, color: MUTED });
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
 * Renders a statement of account as an A4 PDF (several pages when the items overflow), every word in the
 * statement's language. The same statement always gives the same bytes: the creation date is the statement date,
 * not the clock, so a re-render after a retry stores an identical object and can be compared byte for byte.
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
  const words = statementWords[statement.language];
  const date = formatDateIn(asOf, statement.language);
  pdf.setTitle(words.documentTitle(customer.id, date), { showInWindowTitleBar: true });
  pdf.setAuthor(seller.party.name);
  pdf.setSubject(words.subject(customer.id, date, customer.name));
  pdf.setKeywords([customer.id, asOf, ...statement.items.map((item) => item.number)]);
  pdf.setCreator('O2C');
  pdf.setProducer('O2C (pdf-lib)');
  pdf.setLanguage(statement.language);
  pdf.setCreationDate(asOfDate);
  pdf.setModificationDate(asOfDate);

  new Layout(pdf, fonts, statement).render();
  return pdf.save();
}

