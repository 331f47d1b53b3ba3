/**
 * Column-mapping profile for CSV bank statements (issue 5). CSV has no standard layout: every bank, and sometimes
 * every product of one bank, exports its own columns, separators, date and number formats. A profile is saved per
 * bank account and says how to read that account's exports into the normalized statement (DESIGN §4), so
 * {@link parseCsv} needs no bank-specific code.
 *
 * Profiles are JSON (stored beside the account, or in `test/fixtures/bank/csv/*.profile.json`), hence a zod schema:
 * a typo in a field name or a bad value is refused when the profile is read, not discovered on the tenth file.
 */
import * as z from '#schemas/zod';
import { isCurrency } from '#domain/money';

/**
 * A column of the file: its header name (exact, surrounding spaces ignored) when the file has a header row, or its
 * 0-based position. A position also works with a header, for files that repeat a name (ING Germany has two
 * `Währung` columns).
 */
export const CsvColumnSchema = z.union([z.string().check(z.trim(), z.minLength(1)), z.number().check(z.int(), z.gte(0), z.lte(999))]);
export type CsvColumn = z.infer<typeof CsvColumnSchema>;

/**
 * A counterparty column, or one per direction: German exports such as DKB's name both parties of every transfer
 * (`Zahlungspflichtige*r`, `Zahlungsempfänger*in`), and which one is the counterparty depends on the amount's sign.
 */
const DirectedColumnSchema = z.union([
  CsvColumnSchema,
  z.strictObject({
    /** Read when money comes in (amount ≥ 0): the payer. */
    moneyIn: CsvColumnSchema,
    /** Read when money goes out: the payee. */
    moneyOut: CsvColumnSchema,
  }),
]);

/** Cell values compared trimmed and case-insensitively: banks change case between export versions. */
const ValuesSchema = z.array(z.string().check(z.trim(), z.minLength(1))).check(z.minLength(1));

/**
 * Date layouts seen in bank exports. With separators, day and month may have one or two digits (`1/2/2024` reads
 * with `DD/MM/YYYY`); two-digit years are 2000–2069 for 00–69 and 1970–1999 for 70–99 (as MT940). A time after the
 * date (`2024-01-15 10:22:31`, Revolut, N26) is ignored: statements are booked by day.
 */
export const CSV_DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYYMMDD',
  'YYYY/MM/DD',
  'DD.MM.YYYY',
  'DD.MM.YY',
  'DD/MM/YYYY',
  'DD/MM/YY',
  'DD-MM-YYYY',
  'DD-MM-YY',
  'MM/DD/YYYY',
  'MM/DD/YY',
] as const;
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];

/** One signed amount column (`-12,50`), or a magnitude whose direction an indicator column gives (`Af`/`Bij`). */
const SignedAmountSchema = z.strictObject({
  /** The amount column; negative is money out unless an indicator column decides. */
  column: CsvColumnSchema,
  /**
   * Direction in a column of its own (ING Netherlands `Af`/`Bij`, Rabobank `D`/`C`, camt-style `DBIT`/`CRDT`). When
   * present, the amount's own sign is ignored and a value in neither list is refused: guessing a direction would
   * book a payment as a refund.
   */
  indicator: z.optional(
    z.strictObject({
      column: CsvColumnSchema,
      /** Values meaning money in (`Bij`, `C`, `CRDT`). */
      credit: ValuesSchema,
      /** Values meaning money out (`Af`, `D`, `DBIT`). */
      debit: ValuesSchema,
    }),
  ),
});

/**
 * Separate money-in and money-out columns (US and UK banks: `Deposit`/`Withdrawal`, `Credit Amount`/`Debit Amount`).
 * The column says the direction, so a sign written in it is ignored (some banks write debits as `-50.00`, others as
 * `50.00`); a row with a non-zero amount in both is refused.
 */
const SplitAmountSchema = z.strictObject({
  /** Money in. */
  credit: CsvColumnSchema,
  /** Money out. */
  debit: CsvColumnSchema,
});

const CsvProfileFields = z.strictObject({
  /** The bank account the files belong to (IBAN or the bank's number): a CSV row rarely names it, the profile does. */
  account: z.string().check(z.trim(), z.minLength(1)),
  /** ISO 4217 currency of the account; may be left out when `columns.currency` gives it per row. */
  currency: z.optional(z.string().check(z.refine((code) => isCurrency(code), { message: 'not an ISO 4217 currency' }))),
  /** Field separator; `auto` picks the most frequent of `,` `;` tab `|` outside quotes on the header line. */
  delimiter: z._default(z.enum([',', ';', '\t', '|', 'auto']), 'auto'),
  /** Physical lines before the header (or the first row) to skip: banks put account name, period, balance there. */
  skipLines: z._default(z.number().check(z.int(), z.gte(0), z.lte(200)), 0),
  /** Whether the first record after `skipLines` names the columns; without one, columns are 0-based positions. */
  header: z._default(z.boolean(), true),
  /**
   * Rows start after the record whose first field is this text (Schwab lists pending transactions first, then
   * `Posted Transactions`): pending rows are not booked and would come back, booked, in the next export.
   */
  startAfter: z.optional(z.string().check(z.trim(), z.minLength(1))),
  /** Rows end at the record whose first field is this text (a footer with totals), which is not read. */
  stopAt: z.optional(z.string().check(z.trim(), z.minLength(1))),
  /**
   * Row order. `auto` reads it from the first and last booking dates, and from the running balance when all rows
   * share one date; it decides which row holds the opening balance. Entries always stay in file order.
   */
  order: z._default(z.enum(['auto', 'oldest-first', 'newest-first']), 'auto'),
  /** How dates are written: every bank picks its own, and `01/02/2024` is ambiguous without this. */
  dateFormat: z.enum(CSV_DATE_FORMATS),
  /** `,` for most of continental Europe (`1.234,56`), `.` for the US and UK (`1,234.56`). */
  decimalSeparator: z.enum(['.', ',']),
  /**
   * Digit grouping when the bank writes one (`1.234,56`, `$3,951.00`, `1 234,56`, `1'234.56`); groups must then be
   * of three digits, so a misplaced separator (`12,3,4`) is an error rather than a different number. A space also
   * matches no-break spaces.
   */
  thousandsSeparator: z.optional(z.enum([',', '.', ' ', "'"])),
  /** A currency sign the bank writes in amount cells (`$1,000.00`, `12,50 €`), removed before reading the number. */
  currencySymbol: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(5))),
  /** How the amount is given: one signed column (optionally with a direction column) or credit and debit columns. */
  amount: z.union([SignedAmountSchema, SplitAmountSchema]),
  /** For banks that export money in as negative (card accounts seen from the card holder's side). */
  invertSign: z._default(z.boolean(), false),
  /** Where each field of the normalized entry is read from; a column named here must exist in the file. */
  columns: z.strictObject({
    /** The booking date; the only column every profile needs besides the amount. */
    bookingDate: CsvColumnSchema,
    /** Value date when the bank gives one; the booking date otherwise. */
    valueDate: z.optional(CsvColumnSchema),
    /** The bank's own transaction id: the dedupe key. Without it a stable key is derived from the row (see csv.ts). */
    bankReference: z.optional(CsvColumnSchema),
    /** SEPA end-to-end id (DKB `Kundenreferenz`): what a payer's remittance system sends back to us. */
    endToEndId: z.optional(CsvColumnSchema),
    /** Remittance text, one or several columns (joined with a space): cash application searches it for references. */
    remittance: z.optional(z.union([CsvColumnSchema, z.array(CsvColumnSchema).check(z.minLength(1))])),
    /** Counterparty name, or one column per direction. */
    counterpartyName: z.optional(DirectedColumnSchema),
    /** Counterparty IBAN or account number, or one column per direction: cash application matches payers by it. */
    counterpartyAccount: z.optional(DirectedColumnSchema),
    /** ISO 4217 code per row, for exports that carry it; all rows must agree (one statement holds one currency). */
    currency: z.optional(CsvColumnSchema),
    /** Running balance after each row: gives the opening and closing balances, so the statement can be checked. */
    balance: z.optional(CsvColumnSchema),
    /** The bank's transaction type or code as given (ING `Code`, Schwab `Type`, Lloyds `Transaction Type`). */
    transactionCode: z.optional(CsvColumnSchema),
    /**
     * Structured remittance, one document per row, as lockbox and payment-advice exports list them: the document
     * (invoice or credit memo) number the payer gave. A transfer that pays several documents is several rows that
     * follow each other and share its `bankReference`; its amount and dates are read from its first row, and the
     * rows after it leave them empty or repeat them (csv.ts). Every other remittance column needs this one.
     */
    remittanceDocument: z.optional(CsvColumnSchema),
    /** What the payer pays on the document; negative for a credit memo it deducts (read as a credit note, `CREN`). */
    remittanceAmount: z.optional(CsvColumnSchema),
    /** What was due on the document (its invoice amount), with the same sign as `remittanceAmount`. */
    remittanceDueAmount: z.optional(CsvColumnSchema),
    /** The early-payment discount the payer took on the document, with the same sign as `remittanceAmount`. */
    remittanceDiscount: z.optional(CsvColumnSchema),
    /** What the payer deducted on the document: positive reduces what is paid, negative adds to it. */
    remittanceDeduction: z.optional(CsvColumnSchema),
    /** The deduction's reason code as given (the payer's or an X12 adjustment reason code). */
    remittanceDeductionCode: z.optional(CsvColumnSchema),
    /** The deduction's reason in words. */
    remittanceDeductionReason: z.optional(CsvColumnSchema),
  }),
  /**
   * A booking-status column and the values meaning booked (DKB `Status` = `Gebucht`): other rows are pending and
   * skipped, because they would be imported again once booked.
   */
  status: z.optional(z.strictObject({ column: CsvColumnSchema, booked: ValuesSchema })),
  /** A column whose listed values mark a reversal (`Storno`); the amount keeps the sign the bank booked. */
  reversal: z.optional(z.strictObject({ column: CsvColumnSchema, values: ValuesSchema })),
});

/** The remittance columns that describe a document, besides its number. */
const REMITTANCE_DETAIL_COLUMNS = ['remittanceAmount', 'remittanceDueAmount', 'remittanceDiscount', 'remittanceDeduction', 'remittanceDeductionCode', 'remittanceDeductionReason'] as const;

/** The profile schema: the fields above plus the rules that span fields. */
export const CsvProfileSchema = CsvProfileFields.check(z.superRefine((profile, context) => {
  if (profile.currency === undefined && profile.columns.currency === undefined) {
    context.addIssue({ code: 'custom', path: ['currency'], message: 'give the currency, or a currency column in columns.currency' });
  }
  if (profile.thousandsSeparator !== undefined && profile.thousandsSeparator === profile.decimalSeparator) {
    context.addIssue({ code: 'custom', path: ['thousandsSeparator'], message: 'must differ from the decimal separator' });
  }
  if ('indicator' in profile.amount && profile.amount.indicator) {
    const debit = new Set(profile.amount.indicator.debit.map((value) => value.toLowerCase()));
    if (profile.amount.indicator.credit.some((value) => debit.has(value.toLowerCase()))) {
      context.addIssue({ code: 'custom', path: ['amount', 'indicator'], message: 'a value cannot mean both credit and debit' });
    }
  }
  for (const key of REMITTANCE_DETAIL_COLUMNS) {
    if (profile.columns[key] !== undefined && profile.columns.remittanceDocument === undefined) {
      context.addIssue({ code: 'custom', path: ['columns', key], message: 'a remittance column needs columns.remittanceDocument, the document it belongs to' });
    }
  }
  if (!profile.header) {
    for (const { path, column } of profileColumns(profile)) {
      if (typeof column === 'string') {
        context.addIssue({ code: 'custom', path, message: `the file has no header row, so columns are 0-based positions, not names ("${column}")` });
      }
    }
  }
}));

/** A profile as read and checked, defaults filled in. */
export type CsvProfile = z.infer<typeof CsvProfileSchema>;
/** A profile as written (JSON or a literal): defaults may be left out. */
export type CsvProfileInput = z.input<typeof CsvProfileSchema>;

/** Every column a profile refers to, with where in the profile: the parser checks them all against the header at once. */
export function profileColumns(profile: Pick<z.infer<typeof CsvProfileFields>, 'amount' | 'columns' | 'status' | 'reversal'>): { path: (string | number)[]; column: CsvColumn }[] {
  const found: { path: (string | number)[]; column: CsvColumn }[] = [];
  const add = (path: (string | number)[], column: CsvColumn | undefined) => {
    if (column !== undefined) found.push({ path, column });
  };
  const { amount, columns } = profile;
  if ('column' in amount) {
    add(['amount', 'column'], amount.column);
    add(['amount', 'indicator', 'column'], amount.indicator?.column);
  } else {
    add(['amount', 'credit'], amount.credit);
    add(['amount', 'debit'], amount.debit);
  }
  for (const key of ['bookingDate', 'valueDate', 'bankReference', 'endToEndId', 'currency', 'balance', 'transactionCode', 'remittanceDocument', ...REMITTANCE_DETAIL_COLUMNS] as const) {
    add(['columns', key], columns[key]);
  }
  const remittance = columns.remittance;
  if (Array.isArray(remittance)) remittance.forEach((column, index) => add(['columns', 'remittance', index], column));
  else add(['columns', 'remittance'], remittance);
  for (const key of ['counterpartyName', 'counterpartyAccount'] as const) {
    const column = columns[key];
    if (typeof column === 'object') {
      add(['columns', key, 'moneyIn'], column.moneyIn);
      add(['columns', key, 'moneyOut'], column.moneyOut);
    } else {
      add(['columns', key], column);
    }
  }
  add(['status', 'column'], profile.status?.column);
  add(['reversal', 'column'], profile.reversal?.column);
  return found;
}
