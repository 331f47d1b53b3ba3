/**
 * A generated receivables ledger and bank file with ground truth, for measuring the cash-application engine
 * (`#domain/cash-matching`): what a correct engine may do with every entry, and which rule it should use.
 *
 * Deterministic: one seeded PRNG (mulberry32), no `Math.random`, no clock. Amounts are integer minor units of the
 * ledger's one currency (EUR by default; JPY works too, without the bank-charge scenarios its policy has no tolerance for).
 *
 * The truth is built by construction, never read off the engine. Each scenario picks invoices and writes a payment
 * so that exactly one reading is possible, checked against the ledger as it stands at that point of the file: the
 * generator keeps the open amounts itself and applies what the truth says each entry does, in file order, exactly as
 * the engine is meant to. Policy values are read from the engine's defaults (`defaultMatchingPolicy`): a short
 * payment is written off as bank charges up to min(1 500 minor units for EUR, 5 % of what was open), and an
 * early-payment discount holds until issue date + discount days + 3 grace days, inclusive. Independent checks (own
 * tokenizer, own one-edit test, own subset search) make sure that noise names no invoice, that a typo is one edit from
 * exactly one of the payer's invoices, and that an amount fits exactly one open invoice (or one combination) of the
 * payer and nothing else.
 *
 * Remittance advices (`BankEntry.remittanceDocuments`) carry the payer's split, and the truth is that split: each
 * invoice exactly its stated amount up to what it has open, a stated discount only where the terms grant it, a
 * stated deduction recorded on its invoice and left open. An advice that does not add up or names a document we do
 * not have is for a person. Deductions in words are written in phrases that end their clause.
 */
import type { BankEntry, RemittanceDocument } from '#domain/bank-statement';
import { defaultMatchingPolicy, type AdjustmentKind, type EntryMatch, type MatchRule, type OpenItem } from '#domain/cash-matching';
import { creditorReferenceFor, formatCreditorReferenceForPrint } from '#domain/creditor-reference';
import { minorUnitDigits } from '#domain/money';
import { SeededRandom } from '../../local/simulate/random.ts';

// ---------------------------------------------------------------------------------------------------------------
// Scenarios and truth
// ---------------------------------------------------------------------------------------------------------------

type TruthKind = 'apply' | 'mustNotAllocate' | 'reversal';

/** Every scenario the generator writes: the truth it carries, the engine rule it expects, how often it is drawn. */
export const SCENARIOS = {
  'rf-reference': { truth: 'apply', rule: 'rf-reference', weight: 8 },
  'rf-third-party': { truth: 'apply', rule: 'rf-reference', weight: 3 },
  'invoice-number': { truth: 'apply', rule: 'invoice-number', weight: 10 },
  'invoice-number-typo': { truth: 'apply', rule: 'invoice-number-typo', weight: 6 },
  /** Drawn as `invoice-number-typo`; labelled so when the typo is also one edit from another customer's invoice. */
  'typo-near-other-customer': { truth: 'apply', rule: 'invoice-number-typo', weight: 0 },
  'end-to-end-id': { truth: 'apply', rule: 'end-to-end-id', weight: 4 },
  'payer-account': { truth: 'apply', rule: 'amount-exact', weight: 9 },
  'payer-name': { truth: 'apply', rule: 'amount-exact', weight: 6 },
  'sum-named': { truth: 'apply', rule: 'invoice-number', weight: 4 },
  'sum-unnamed': { truth: 'apply', rule: 'amount-sum', weight: 3 },
  partial: { truth: 'apply', rule: 'invoice-number', weight: 5 },
  'rest-after-partial': { truth: 'apply', rule: 'invoice-number', weight: 0 },
  discount: { truth: 'apply', rule: 'invoice-number', weight: 5 },
  'discount-last-grace-day': { truth: 'apply', rule: 'invoice-number', weight: 1 },
  'discount-and-fee': { truth: 'apply', rule: 'invoice-number', weight: 1.5 },
  'discount-unnamed': { truth: 'apply', rule: 'amount-exact', weight: 1.5 },
  'discount-too-late': { truth: 'apply', rule: 'invoice-number', weight: 2.5 },
  'bank-fee': { truth: 'apply', rule: 'invoice-number', weight: 4 },
  'bank-fee-unnamed': { truth: 'apply', rule: 'amount-exact', weight: 1.5 },
  'short-beyond-tolerance': { truth: 'apply', rule: 'invoice-number', weight: 1.5 },
  overpayment: { truth: 'apply', rule: 'invoice-number', weight: 3 },
  'duplicate-payment': { truth: 'apply', rule: undefined, weight: 1.5 },
  'repayment-after-return': { truth: 'apply', rule: 'invoice-number', weight: 0 },
  'unknown-payer': { truth: 'mustNotAllocate', rule: undefined, weight: 5 },
  'ambiguous-twins': { truth: 'mustNotAllocate', rule: undefined, weight: 2.5 },
  'ambiguous-sum': { truth: 'mustNotAllocate', rule: undefined, weight: 1 },
  'ambiguous-payer': { truth: 'mustNotAllocate', rule: undefined, weight: 1.5 },
  'unnamed-fits-nothing': { truth: 'mustNotAllocate', rule: undefined, weight: 2 },
  'names-other-customer': { truth: 'mustNotAllocate', rule: undefined, weight: 2 },
  'typo-hits-other-customer': { truth: 'mustNotAllocate', rule: undefined, weight: 1.5 },
  'names-two-customers': { truth: 'mustNotAllocate', rule: undefined, weight: 1 },
  debit: { truth: 'mustNotAllocate', rule: undefined, weight: 4 },
  'return-unknown': { truth: 'mustNotAllocate', rule: undefined, weight: 1 },
  return: { truth: 'reversal', rule: undefined, weight: 3 },
  // Large B2B payers settle several invoices in one transfer and say how much goes to each (camt `RmtInf/Strd`):
  // about one entry in ten, most of them clean, the rest the ways payers' advices go wrong in practice.
  'advice-full': { truth: 'apply', rule: 'remittance-advice', weight: 2.5 },
  'advice-short-no-reason': { truth: 'apply', rule: 'remittance-advice', weight: 1 },
  'advice-short-with-deduction': { truth: 'apply', rule: 'remittance-advice', weight: 1.5 },
  'advice-overpaid-document': { truth: 'apply', rule: 'remittance-advice', weight: 0.6 },
  'advice-discount-in-terms': { truth: 'apply', rule: 'remittance-advice', weight: 1.2 },
  'advice-discount-outside-terms': { truth: 'apply', rule: 'remittance-advice', weight: 0.6 },
  'deduction-in-words': { truth: 'apply', rule: 'invoice-number', weight: 1 },
  'advice-not-adding-up': { truth: 'mustNotAllocate', rule: undefined, weight: 0.8 },
  'advice-unknown-document': { truth: 'mustNotAllocate', rule: undefined, weight: 0.6 },
  'deduction-in-words-two-invoices': { truth: 'mustNotAllocate', rule: undefined, weight: 0.4 },
  'typo-unknown-payer-two-near': { truth: 'mustNotAllocate', rule: undefined, weight: 0.6 },
} as const satisfies Record<string, { truth: TruthKind; rule: MatchRule | undefined; weight: number }>;

export type Scenario = keyof typeof SCENARIOS;

export interface ExpectedAllocation {
  invoiceId: string;
  amountMinor: number;
}

export interface ExpectedAdjustment {
  invoiceId: string;
  kind: AdjustmentKind;
  amountMinor: number;
}

/** What the payer kept back from an invoice with a reason: recorded on it, and left open for a person. */
export interface ExpectedDeduction {
  invoiceId: string;
  amountMinor: number;
  /** The payer's reason code, when the advice gave one (for reading; the verdict goes by invoice and amount). */
  code?: string | undefined;
}

/**
 * What a correct engine does with one entry. `apply`: exactly these allocations, adjustments, deductions and
 * unapplied cash (leaving the entry to a person is a miss, anything else is wrong). `mustNotAllocate`: nothing
 * automatic at all (unknown payer, ambiguity, conflicting evidence, an advice that does not add up, money out, a
 * return nothing explains). `reversal`: the return undoes the payment `reverses` (an entry id of this file) and
 * nothing else.
 */
export interface Expected {
  scenario: Scenario;
  /** How the scenario was written (format, payer, variant), for reading misses. */
  detail: string;
  kind: TruthKind;
  rule?: MatchRule | undefined;
  customerId?: string | undefined;
  allocations: ExpectedAllocation[];
  adjustments: ExpectedAdjustment[];
  /** Amounts the payer deducted with a reason: they do not reduce the open amount. */
  deductions: ExpectedDeduction[];
  unappliedMinor: number;
  reverses?: string | undefined;
  /** Invoices whose open amounts the reading depends on (named ones, or all of the payer's): for telling upstream errors apart. */
  involves: string[];
  why: string;
}

export interface Customer {
  id: string;
  /** The name without its legal form. */
  core: string;
  legalForm: LegalForm;
  name: string;
  /** IBANs only this customer pays from (as registered, print form or compact). */
  accounts: string[];
  /** A group treasury account this customer shares with another customer. */
  sharedAccount?: string | undefined;
  discount?: { rateBasisPoints: number; days: number } | undefined;
  termsDays: number;
}

export interface Ledger {
  seed: number;
  currency: string;
  /** Our own account, the one the statement is for. */
  statementAccount: string;
  customers: Customer[];
  openItems: OpenItem[];
  /** In booking order; ids are `<statement id>:<n>` as the camt parser numbers them (one statement per day). */
  entries: BankEntry[];
  truth: Map<string, Expected>;
}

export interface LedgerOptions {
  seed: number;
  customers: number;
  invoices: number;
  entries: number;
  currency?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------------------------

/** The simulator's seeded generator (mulberry32, identical on every platform), with what test data also draws. */
export class Random extends SeededRandom {
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (choices[choices.length - 1] as readonly [T, number])[0];
  }

  digits(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += String(this.int(0, 9));
    return text;
  }

  letters(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += String.fromCharCode(65 + this.int(0, 25));
    return text;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Names, accounts, dates
// ---------------------------------------------------------------------------------------------------------------

interface LegalForm {
  form: string;
  /** How banks and payers also write it. */
  variants: readonly string[];
  country: 'DE' | 'AT' | 'NL' | 'BE' | 'CH' | 'GB';
  weight: number;
}

const LEGAL_FORMS: readonly LegalForm[] = [
  { form: 'GmbH', variants: ['GMBH', 'G.m.b.H.', 'Gmbh'], country: 'DE', weight: 34 },
  { form: 'GmbH', variants: ['GMBH', 'Ges.m.b.H.'], country: 'AT', weight: 6 },
  { form: 'AG', variants: ['A.G.', 'Aktiengesellschaft'], country: 'DE', weight: 8 },
  { form: 'AG', variants: ['A.G.'], country: 'CH', weight: 4 },
  { form: 'GmbH & Co. KG', variants: ['GMBH & CO KG', 'GmbH + Co. KG', 'GmbH u. Co. KG'], country: 'DE', weight: 10 },
  { form: 'KG', variants: ['K.G.'], country: 'DE', weight: 4 },
  { form: 'SE', variants: ['S.E.'], country: 'DE', weight: 3 },
  { form: 'Ltd', variants: ['Limited', 'LTD.'], country: 'GB', weight: 6 },
  { form: 'B.V.', variants: ['BV', 'B V'], country: 'NL', weight: 6 },
  { form: 'S.A.', variants: ['SA', 'S A'], country: 'BE', weight: 5 },
  { form: 'e.K.', variants: ['eK', 'E.K.'], country: 'DE', weight: 4 },
  { form: 'UG (haftungsbeschränkt)', variants: ['UG', 'UG (haftungsbeschraenkt)'], country: 'DE', weight: 4 },
];

const CORE_FIRST = [
  'Acme', 'Nordwind', 'Bergmann', 'Alpenblick', 'Rheinland', 'Hansa', 'Müller', 'Schröder', 'Köhler', 'Becker', 'Weber',
  'Fischer', 'Wagner', 'Hoffmann', 'Schäfer', 'Krüger', 'Brandt', 'Lindner', 'Vogel', 'Keller', 'Sonnenschein', 'Blauwal',
  'Eichenhof', 'Falkenstein', 'Greif', 'Hirsch', 'Isar', 'Jura', 'Kranich', 'Lotus', 'Merkur', 'Neckar', 'Orion',
  'Polaris', 'Quelle', 'Rotmilan', 'Saturn', 'Taunus', 'Ulmen', 'Vulkan', 'Westfalen', 'Zeppelin', 'Atlas', 'Borealis',
  'Cobalt', 'Delta', 'Elbtal', 'Fjord', 'Granit', 'Helios', 'Iris', 'Jade', 'Luna', 'Mosel', 'Nova', 'Odin', 'Phönix',
  'Quarz', 'Rubin', 'Großmann',
];
const CORE_SECOND = [
  'Maschinenbau', 'Logistik', 'Logistics', 'Handel', 'Technik', 'Systems', 'Trading', 'Elektro', 'Bau', 'Feinkost',
  'Metallbau', 'Software', 'Medizintechnik', 'Druck', 'Verpackung', 'Holz', 'Textil', 'Automotive', 'Energie',
  'Consulting', 'Möbel', 'Werkzeuge',
];
const CORE_THIRD = ['Süd', 'Nord', 'Ost', 'West', 'Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig', 'Dresden', 'Bremen', 'Hannover', 'Stuttgart', 'Nürnberg', 'Mainz'];

/** Payers who are nobody's customer: words that never occur in customer names. */
const STRANGER_FIRST = ['Max', 'Erika', 'Jonas', 'Lea', 'Paul', 'Mia', 'Lukas', 'Hannah', 'Felix', 'Sophie', 'John', 'Mary'];
const STRANGER_LAST = ['Mustermann', 'Musterfrau', 'Schulze', 'Zimmermann', 'Krause', 'Lehmann', 'Smith', 'Jones', 'Peters', 'Graf'];
const STRANGER_FIRMS = ['Zentralkasse', 'Lohnbuero', 'Factoring Partner', 'Stadtwerke', 'Finanzamt', 'Versicherung', 'Kanzlei', 'Treuhand'];
const SUPPLIERS = ['Stadtwerke Musterstadt', 'Telekom Deutschland', 'Buerobedarf Express', 'Spedition Schnell', 'Finanzamt Musterstadt', 'Gebaeudeservice Sauber', 'IT Leasing Partner'];

const IBAN_LAYOUT: Record<LegalForm['country'], (random: Random) => string> = {
  DE: (random) => random.digits(8) + random.digits(10),
  AT: (random) => random.digits(5) + random.digits(11),
  NL: (random) => random.letters(4) + random.digits(10),
  BE: (random) => {
    const body = random.digits(10);
    const check = Number(BigInt(body) % 97n) || 97;
    return body + String(check).padStart(2, '0');
  },
  CH: (random) => random.digits(5) + random.digits(12),
  GB: (random) => random.letters(4) + random.digits(6) + random.digits(8),
};

/** ISO 13616 check digits: the BBAN followed by the country code and `00`, letters as 10–35, 98 − (that mod 97). */
export function ibanFor(country: string, bban: string): string {
  let remainder = 0;
  for (const char of `${bban}${country}00`) {
    const code = char.charCodeAt(0);
    remainder = code >= 65 ? (remainder * 100 + (code - 55)) % 97 : (remainder * 10 + (code - 48)) % 97;
  }
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

const printIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');
const compact = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]/g, '');

const DAY_MS = 86_400_000;
const addDays = (isoDate: string, days: number) => new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const weekday = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`).getUTCDay();
const germanDate = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;
const germanAmount = (minor: number) => `${Math.floor(minor / 100).toLocaleString('de-DE')},${String(minor % 100).padStart(2, '0')}`;

/** Case, accents and transliteration folded, so `Müller`, `MUELLER` and `muller` are one name to people. */
const coreKey = (core: string) =>
  core
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const transliterate = (text: string) => text.replace(/Ä/g, 'AE').replace(/Ö/g, 'OE').replace(/Ü/g, 'UE').replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');

/** Statement period: 30 business days from Monday 2 November 2026. */
const STATEMENT_START = '2026-11-02';
const STATEMENT_DAYS = 30;

// ---------------------------------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------------------------------

interface Invoice extends OpenItem {
  year: string;
  serial: string;
  /** The number's digits (year + serial): what payers keep when they change or drop the prefix. */
  digits: string;
  /** The last value date that still earns the early-payment discount (grace included); '' without one. */
  deadline: string;
  /**
   * Priced per unit (`3 × 19.99` at 19 %): the gross we billed (tax on the net total) and the gross a payer gets who
   * prices each unit with tax and multiplies, often a cent or more apart. Only meaningful while the invoice keeps
   * that amount (planted traps may have changed it).
   */
  unitPricing?: { grossMinor: number; payerGrossMinor: number; text: string } | undefined;
}

interface Payer {
  kind: string;
  counterparty: { name?: string | undefined; account?: string | undefined };
  /** The customer the counterparty identifies, if any. */
  customerId?: string | undefined;
}

/** What the remittance, structured references and end-to-end id are meant to name; checked before an entry is kept. */
type Intent =
  | { names: string[]; rf: boolean }
  | { endToEnd: string[] }
  | { typoOf: string; customerId: string }
  /** No number exact, but one edit from each of these invoices (and perhaps others). */
  | { nearOnly: string[] }
  | { nothing: true }
  | { unchecked: true };

interface Built {
  scenario: Scenario;
  detail: string;
  amountMinor: number;
  counterparty: Payer['counterparty'];
  remittance: string;
  references?: string[] | undefined;
  remittanceDocuments?: RemittanceDocument[] | undefined;
  endToEndId?: string | undefined;
  valueDate?: string | undefined;
  reversal?: boolean | undefined;
  returnReason?: string | undefined;
  transactionCode: string;
  intent: Intent;
  /** `deductions` may be left out when there are none. */
  expected: Omit<Expected, 'scenario' | 'detail' | 'involves' | 'deductions'> & { deductions?: ExpectedDeduction[] | undefined };
  /** Invoices the reading depends on; defaults to those named by the intent and those the truth touches. */
  involves?: string[] | undefined;
  /** Runs once the entry is kept (schedules follow-ups, records paid invoices). */
  onEmit?: ((entryId: string) => void) | undefined;
}

interface PaymentRecord {
  entryId: string;
  index: number;
  amountMinor: number;
  bookingDate: string;
  account?: string | undefined;
  endToEndId?: string | undefined;
  counterparty: Payer['counterparty'];
  effects: ExpectedAllocation[];
  allocations: ExpectedAllocation[];
  reversed: boolean;
}

type Scheduled = (date: string) => Built | undefined;

class LedgerGenerator {
  private readonly random: Random;
  private readonly currency: string;
  /** The bank-charge tolerance in minor units before the share limit. */
  private readonly tolerance: number;
  private readonly grace = defaultMatchingPolicy.discountGraceDays;
  private readonly customers: Customer[] = [];
  private readonly customerById = new Map<string, Customer>();
  private readonly invoices: Invoice[] = [];
  private readonly invoiceById = new Map<string, Invoice>();
  private readonly invoicesOf = new Map<string, Invoice[]>();
  private readonly byDigits = new Map<string, Invoice[]>();
  private readonly byIssueDate = new Map<string, Invoice[]>();
  private readonly open = new Map<string, number>();
  private readonly initial = new Map<string, number>();
  private readonly openCount = new Map<string, number>();
  private readonly fresh: string[] = [];
  private readonly freshIndex = new Map<string, number>();
  private readonly twins: [Invoice, Invoice][] = [];
  private readonly sumSets: Invoice[][] = [];
  /** A sum set whose second combination lies beyond the oldest invoices a bounded search would look at. */
  private windowTrap: Invoice[] | undefined;
  private readonly pairs: { kind: 'namesake' | 'shared-account'; a: Customer; b: Customer; invoices: [Invoice, Invoice] }[] = [];
  private readonly coreCount = new Map<string, number>();
  private readonly usedIbans = new Set<string>();
  private readonly payments: PaymentRecord[] = [];
  private readonly paymentById = new Map<string, PaymentRecord>();
  private readonly paymentsByAmount = new Map<number, PaymentRecord[]>();
  private readonly accountOwners = new Map<string, Set<string>>();
  private discountDays: number[] = [];
  private readonly paidInFull: { invoiceId: string; payment: PaymentRecord; counterparty: Payer['counterparty'] }[] = [];
  private readonly pending = new Set<string>();
  private readonly schedule = new Map<number, Scheduled[]>();
  private readonly days: string[] = [];
  private readonly statementAccount: string;
  private readonly entries: BankEntry[] = [];
  private readonly truth = new Map<string, Expected>();
  private index = 0;

  constructor(private readonly options: LedgerOptions) {
    this.random = new Random(options.seed);
    this.currency = options.currency ?? 'EUR';
    this.tolerance = defaultMatchingPolicy.bankFeeToleranceMinor[this.currency] ?? 0;
    this.statementAccount = this.newIban('DE');
    for (let day = STATEMENT_START; this.days.length < STATEMENT_DAYS; day = addDays(day, 1)) if (weekday(day) !== 0 && weekday(day) !== 6) this.days.push(day);
  }

  generate(): Ledger {
    this.makeCustomers();
    this.makeInvoices();
    const perDay = new Map<string, number>();
    for (this.index = 0; this.index < this.options.entries; this.index++) {
      const date = this.days[Math.floor((this.index * this.days.length) / this.options.entries)] as string;
      const built = this.nextEntry(date);
      const n = (perDay.get(date) ?? 0) + 1;
      perDay.set(date, n);
      this.emit(built, `STMT-${date.replace(/-/g, '')}:${n}`, date);
    }
    const openItems = this.invoices.map(({ year: _year, serial: _serial, digits: _digits, deadline: _deadline, unitPricing: _unitPricing, ...item }) => ({ ...item, openMinor: this.initial.get(item.id) as number }));
    return { seed: this.options.seed, currency: this.currency, statementAccount: this.statementAccount, customers: this.customers, openItems, entries: this.entries, truth: this.truth };
  }

  // -- setup ------------------------------------------------------------------------------------------------------

  private newIban(country: LegalForm['country']): string {
    for (;;) {
      const iban = ibanFor(country, IBAN_LAYOUT[country](this.random));
      if (!this.usedIbans.has(iban)) {
        this.usedIbans.add(iban);
        return iban;
      }
    }
  }

  private makeCustomers(): void {
    const usedCores = new Set<string>();
    for (let n = 1; n <= this.options.customers; n++) {
      const id = `C-${String(n).padStart(5, '0')}`;
      const previous = this.customers.length > 0 ? this.random.pick(this.customers) : undefined;
      const namesake = previous && this.random.chance(0.03) && (this.coreCount.get(coreKey(previous.core)) ?? 0) === 1 ? previous : undefined;
      let core = namesake?.core ?? '';
      while (!core) {
        const shape = this.random.weighted([
          ['two', 55],
          ['one', 10],
          ['three', 35],
        ] as const);
        const words = [this.random.pick(CORE_FIRST), ...(shape !== 'one' ? [this.random.pick(CORE_SECOND)] : []), ...(shape === 'three' ? [this.random.pick(CORE_THIRD)] : [])];
        const candidate = words.join(' ');
        if (!usedCores.has(coreKey(candidate))) core = candidate;
        else if (usedCores.size > CORE_FIRST.length * CORE_SECOND.length * (CORE_THIRD.length + 1) * 0.9) core = `${candidate} ${n}`;
      }
      usedCores.add(coreKey(core));
      let legalForm = this.random.weighted(LEGAL_FORMS.map((form) => [form, form.weight] as const));
      while (namesake && legalForm.form === namesake.legalForm.form) legalForm = this.random.weighted(LEGAL_FORMS.map((form) => [form, form.weight] as const));
      const accountCount = this.random.weighted([
        [0, 15],
        [1, 65],
        [2, 20],
      ] as const);
      const accounts = Array.from({ length: accountCount }, () => {
        const iban = this.newIban(legalForm.country);
        return this.random.chance(0.5) ? printIban(iban) : iban;
      });
      const discount = this.random.chance(0.3) ? this.random.pick([{ rateBasisPoints: 200, days: 10 }, { rateBasisPoints: 300, days: 14 }, { rateBasisPoints: 150, days: 7 }]) : undefined;
      const customer: Customer = { id, core, legalForm, name: `${core} ${legalForm.form}`, accounts, discount, termsDays: this.random.pick([14, 30, 30, 45, 60]) };
      this.customers.push(customer);
      this.customerById.set(id, customer);
      this.coreCount.set(coreKey(core), (this.coreCount.get(coreKey(core)) ?? 0) + 1);
      this.invoicesOf.set(id, []);
    }
    this.discountDays = [...new Set(this.customers.flatMap((customer) => (customer.discount ? [customer.discount.days] : [])))];
    // Group companies paying from one treasury account.
    const sharedPairs = Math.max(1, Math.round(this.options.customers * 0.02));
    for (let pair = 0; pair < sharedPairs; pair++) {
      const a = this.random.pick(this.customers);
      const b = this.random.pick(this.customers);
      if (a === b || a.sharedAccount || b.sharedAccount) continue;
      const shared = this.newIban('DE');
      a.sharedAccount = shared;
      b.sharedAccount = shared;
    }
    for (const customer of this.customers) {
      for (const account of [...customer.accounts, ...(customer.sharedAccount ? [customer.sharedAccount] : [])]) {
        const owners = this.accountOwners.get(compact(account)) ?? new Set<string>();
        owners.add(customer.id);
        this.accountOwners.set(compact(account), owners);
      }
    }
  }

  private amount(): number {
    const tier = this.random.weighted([
      [[1_500, 20_000], 30],
      [[20_000, 200_000], 40],
      [[200_000, 1_500_000], 22],
      [[1_500_000, 5_000_000], 8],
    ] as const);
    if (this.random.chance(0.2)) {
      const net = this.random.int(Math.max(1, Math.ceil(tier[0] / 11_900)), Math.max(1, Math.floor(tier[1] / 11_900))) * 10_000;
      return (net * 119) / 100;
    }
    return this.random.int(tier[0], tier[1]);
  }

  /** Most invoices carry an amount of {@link amount}; some are a quantity of one article priced per unit. */
  private invoiceAmount(): { amount: number; unitPricing?: Invoice['unitPricing'] } {
    if (!this.random.chance(0.06)) return { amount: this.amount() };
    const unitNet = this.random.pick([1_999, 499, 99, 2_999, 1_299, 14_990, 4_999, 849, 19_999]);
    const quantity = this.random.int(Math.max(1, Math.ceil(1_500 / unitNet)), Math.max(2, Math.ceil(400_000 / unitNet)));
    const net = quantity * unitNet;
    // We bill the tax on the net total; a payer's system often prices each unit gross first.
    const grossMinor = net + Math.floor((net * 19 * 2 + 100) / 200);
    const payerGrossMinor = quantity * (unitNet + Math.floor((unitNet * 19 * 2 + 100) / 200));
    return { amount: grossMinor, unitPricing: { grossMinor, payerGrossMinor, text: `${quantity} × ${unitNet} at 19 %` } };
  }

  private makeInvoices(): void {
    // Every customer has at least one invoice; the rest go to customers in proportion to a skewed weight.
    const owners: Customer[] = [...this.customers];
    const cumulative: number[] = [];
    let total = 0;
    for (let n = 0; n < this.customers.length; n++) {
      total += this.random.weighted([[1, 60], [3, 25], [8, 12], [20, 3]] as const) * (0.5 + this.random.next());
      cumulative.push(total);
    }
    while (owners.length < this.options.invoices) {
      const roll = this.random.next() * total;
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((cumulative[middle] as number) > roll) high = middle;
        else low = middle + 1;
      }
      owners.push(this.customers[low] as Customer);
    }
    const drafts = owners.map((customer) => {
      const old = this.random.chance(0.08);
      const issueDate = old ? addDays('2025-09-01', this.random.int(0, 110)) : addDays('2026-08-03', this.random.int(0, 123));
      return { customer, issueDate, ...this.invoiceAmount() };
    });
    drafts.sort((a, b) => a.issueDate.localeCompare(b.issueDate));
    const serials: Record<string, number> = { '2025': this.random.int(3_000, 9_000), '2026': this.random.int(100, 900) };
    for (const draft of drafts) {
      const year = draft.issueDate.slice(0, 4);
      serials[year] = (serials[year] ?? 0) + this.random.weighted([[1, 70], [2, 20], [this.random.int(3, 6), 10]] as const);
      const serial = String(serials[year]).padStart(6, '0');
      const number = `INV-${year}-${serial}`;
      const customer = draft.customer;
      const invoice: Invoice = {
        id: `inv-${year}-${serial}`,
        number,
        customerId: customer.id,
        customerName: customer.name,
        currency: this.currency,
        openMinor: draft.amount,
        unitPricing: draft.unitPricing,
        issueDate: draft.issueDate,
        dueDate: addDays(draft.issueDate, customer.termsDays),
        reference: creditorReferenceFor(number),
        payerAccounts: [...customer.accounts, ...(customer.sharedAccount ? [customer.sharedAccount] : [])],
        earlyPaymentDiscount: customer.discount,
        year,
        serial,
        digits: `${year}${serial}`,
        deadline: customer.discount ? addDays(draft.issueDate, customer.discount.days + this.grace) : '',
      };
      this.invoices.push(invoice);
      this.invoiceById.set(invoice.id, invoice);
      (this.invoicesOf.get(customer.id) as Invoice[]).push(invoice);
      pushTo(this.byDigits, invoice.digits, invoice);
      pushTo(this.byIssueDate, invoice.issueDate, invoice);
    }
    this.plant();
    for (const invoice of this.invoices) {
      this.open.set(invoice.id, invoice.openMinor);
      this.initial.set(invoice.id, invoice.openMinor);
      this.openCount.set(invoice.customerId, (this.openCount.get(invoice.customerId) ?? 0) + 1);
    }
    const reserved = new Set([...this.twins.flat(), ...this.sumSets.flat(), ...this.pairs.flatMap((pair) => pair.invoices)].map((invoice) => invoice.id));
    for (const invoice of this.invoices) if (!reserved.has(invoice.id)) this.addFresh(invoice.id);
  }

  /** Twins, sums that two combinations reach, and equal amounts at namesakes and group companies: the traps. */
  private plant(): void {
    const taken = new Set<string>();
    const free = (customer: Customer) => (this.invoicesOf.get(customer.id) ?? []).filter((invoice) => !taken.has(invoice.id));
    for (const customer of this.customers) {
      const own = free(customer);
      if (own.length >= 2 && customer.accounts.length > 0 && this.random.chance(0.06)) {
        const [a, b] = [own[0] as Invoice, own[own.length - 1] as Invoice];
        b.openMinor = a.openMinor;
        this.twins.push([a, b]);
        taken.add(a.id).add(b.id);
      } else if (own.length >= 5 && customer.accounts.length > 0 && this.random.chance(0.04)) {
        const [a, b, c, d] = own.slice(-4) as [Invoice, Invoice, Invoice, Invoice];
        const total = a.openMinor + b.openMinor;
        if (total < 6_000) continue;
        let part = this.random.int(1_500, total - 1_500);
        while (part === a.openMinor || part === b.openMinor || total - part === a.openMinor || total - part === b.openMinor) part = this.random.int(1_500, total - 1_500);
        c.openMinor = part;
        d.openMinor = total - part;
        this.sumSets.push([a, b, c, d]);
        for (const invoice of [a, b, c, d]) taken.add(invoice.id);
      }
    }
    // The customer with the most invoices: one pair among the oldest due, the other among the newest due before the
    // statement, so that a search over only the oldest few invoices finds one combination and misses the second.
    const biggest = [...this.customers].filter((customer) => customer.accounts.length > 0).sort((a, b) => free(b).length - free(a).length)[0];
    const byDue = biggest ? [...free(biggest)].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number)) : [];
    const late = byDue.filter((invoice) => invoice.issueDate < STATEMENT_START).slice(-2);
    if (byDue.length >= 30 && late.length === 2 && byDue.indexOf(late[0] as Invoice) >= defaultMatchingPolicy.sumSearch.maxInvoices) {
      const [a, b] = byDue as [Invoice, Invoice];
      const [c, d] = late as [Invoice, Invoice];
      const total = a.openMinor + b.openMinor;
      const part = Math.max(1_500, Math.floor(total / 3) + 7);
      if (total - part >= 1_500 && ![a.openMinor, b.openMinor].includes(part) && ![a.openMinor, b.openMinor].includes(total - part)) {
        c.openMinor = part;
        d.openMinor = total - part;
        this.windowTrap = [a, b, c, d];
        this.sumSets.push(this.windowTrap);
        for (const invoice of this.windowTrap) taken.add(invoice.id);
      }
    }
    const plantPair = (kind: 'namesake' | 'shared-account', a: Customer, b: Customer) => {
      const ofA = free(a);
      const ofB = free(b);
      if (ofA.length === 0 || ofB.length === 0) return;
      const x = this.random.pick(ofA);
      const y = this.random.pick(ofB);
      y.openMinor = x.openMinor;
      taken.add(x.id).add(y.id);
      this.pairs.push({ kind, a, b, invoices: [x, y] });
    };
    const byCore = new Map<string, Customer[]>();
    for (const customer of this.customers) pushTo(byCore, coreKey(customer.core), customer);
    for (const group of byCore.values()) if (group.length === 2) plantPair('namesake', group[0] as Customer, group[1] as Customer);
    const byShared = new Map<string, Customer[]>();
    for (const customer of this.customers) if (customer.sharedAccount) pushTo(byShared, customer.sharedAccount, customer);
    for (const group of byShared.values()) if (group.length === 2) plantPair('shared-account', group[0] as Customer, group[1] as Customer);
  }

  private addFresh(id: string): void {
    this.freshIndex.set(id, this.fresh.length);
    this.fresh.push(id);
  }

  private isFresh(id: string): boolean {
    return this.freshIndex.has(id);
  }

  private take(id: string): void {
    const at = this.freshIndex.get(id);
    if (at === undefined) return;
    const last = this.fresh.pop() as string;
    if (last !== id) {
      this.fresh[at] = last;
      this.freshIndex.set(last, at);
    }
    this.freshIndex.delete(id);
  }

  /** A random untouched invoice issued before `date` that satisfies `test`. */
  private pickFresh(date: string, test: (invoice: Invoice) => boolean = () => true, tries = 80): Invoice | undefined {
    for (let attempt = 0; attempt < tries && this.fresh.length > 0; attempt++) {
      const invoice = this.invoiceById.get(this.random.pick(this.fresh)) as Invoice;
      if (invoice.issueDate < date && test(invoice)) return invoice;
    }
    return undefined;
  }

  private customerOf(invoice: Invoice): Customer {
    return this.customerById.get(invoice.customerId) as Customer;
  }

  /** Moves an invoice's open amount by `delta`, keeping the count of each customer's open invoices. */
  private changeOpen(invoiceId: string, delta: number): void {
    const before = this.open.get(invoiceId) ?? 0;
    const after = before + delta;
    this.open.set(invoiceId, after);
    const customerId = (this.invoiceById.get(invoiceId) as Invoice).customerId;
    if ((before > 0) !== (after > 0)) this.openCount.set(customerId, (this.openCount.get(customerId) ?? 0) + (after > 0 ? 1 : -1));
  }

  private openOf(customerId: string): Invoice[] {
    return (this.invoicesOf.get(customerId) ?? []).filter((invoice) => (this.open.get(invoice.id) ?? 0) > 0);
  }

  // -- payers -----------------------------------------------------------------------------------------------------

  private nameVariant(customer: Customer): { name: string; variant: string } {
    const form = this.random.pick(customer.legalForm.variants);
    const options: [string, string][] = [
      ['registered', customer.name],
      ['upper-case', customer.name.toUpperCase()],
      ['lower-case', customer.name.toLowerCase()],
      [`legal form "${customer.legalForm.form}" written "${form}"`, `${customer.core} ${form}`],
      [`legal form "${customer.legalForm.form}" written "${form.toUpperCase()}"`, `${customer.core} ${form}`.toUpperCase()],
      [`without legal form "${customer.legalForm.form}"`, customer.core.toUpperCase()],
    ];
    if (/[äöüÄÖÜß]/.test(customer.core)) options.push(['umlaut-transliterated', transliterate(customer.name).toUpperCase()]);
    const [variant, name] = this.random.pick(options);
    return { name, variant };
  }

  private ownAccount(customer: Customer): Payer | undefined {
    if (customer.accounts.length === 0) return undefined;
    const account = compact(this.random.pick(customer.accounts));
    return { kind: 'own-account', counterparty: { name: this.nameVariant(customer).name, account }, customerId: customer.id };
  }

  private stranger(): Payer {
    const kind = this.random.weighted([
      ['person', 45],
      ['firm', 35],
      ['no-name', 20],
    ] as const);
    const name =
      kind === 'person' ? `${this.random.pick(STRANGER_FIRST)} ${this.random.pick(STRANGER_LAST)}` : kind === 'firm' ? `${this.random.pick(STRANGER_FIRMS)} ${this.random.pick(STRANGER_LAST)}` : undefined;
    return { kind: 'unknown', counterparty: { name, account: this.random.chance(0.85) ? this.newIban(this.random.pick(['DE', 'DE', 'AT', 'NL'] as const)) : undefined } };
  }

  /** The customer itself (by its account or its name) or a stranger: evidence that never contradicts `customer`. */
  private ownOrStranger(customer: Customer): Payer {
    const roll = this.random.next();
    if (roll < 0.55) return this.ownAccount(customer) ?? this.stranger();
    if (roll < 0.7 && (this.coreCount.get(coreKey(customer.core)) ?? 0) === 1) {
      return { kind: 'own-name', counterparty: { name: this.nameVariant(customer).name }, customerId: customer.id };
    }
    return this.stranger();
  }

  private e2e(date: string): string | undefined {
    const form = this.random.weighted([
      ['none', 45],
      ['run', 35],
      ['random', 20],
    ] as const);
    if (form === 'none') return undefined;
    if (form === 'run') return `ZAHLLAUF-${date.replace(/-/g, '')}-${this.random.digits(4)}`;
    return `${this.random.letters(3)}${this.random.digits(2)}${this.random.letters(5)}${this.random.digits(3)}`;
  }

  // -- remittance text ----------------------------------------------------------------------------------------------

  private noisePart(date: string): string {
    const makers: (() => string)[] = [
      () => `Bestellung PO-45${this.random.digits(8)}`,
      () => `vom ${germanDate(addDays(date, -this.random.int(1, 40)))}`,
      () => `Kd.-Nr. ${this.random.int(10_000, 99_999)}`,
      () => `Betrag ${germanAmount(this.random.int(100, 900_000))} EUR`,
      () => `Lieferschein LS-${this.random.int(100_000, 999_999)}`,
      () => `Auftrag ${this.random.int(100_000, 999_999)}`,
      () => `Order ${this.random.letters(2)}${this.random.int(1_000, 9_999)}/${this.random.int(10, 99)}`,
      () => this.random.pick(['Danke', 'Vielen Dank', 'Thank you', 'Zahlung', 'SEPA-Ueberweisung', 'Payment advice', 'Gruss', 'Abrechnung November', 'Sammelzahlung']),
    ];
    return this.random.pick(makers)();
  }

  private noise(date: string, max = 2): string {
    const count = this.random.weighted([
      [0, 35],
      [1, 40],
      [2, 25],
    ] as const);
    return Array.from({ length: Math.min(count, max) }, () => this.noisePart(date)).join(this.random.pick([' ', ', ', ' / ']));
  }

  /** A text with the reference and, before or after it, some noise. */
  private withNoise(reference: string, date: string): string {
    const noise = this.noise(date);
    if (!noise) return reference;
    return this.random.chance(0.7) ? `${reference}${this.random.pick([' ', ', ', ' / '])}${noise}` : `${noise}${this.random.pick([' ', ', '])}${reference}`;
  }

  /** An invoice number as payers write it; `digits` replaces year + serial (for typos). */
  private writeNumber(invoice: Invoice, digits = invoice.digits): { text: string; format: string } {
    const year = digits.slice(0, 4);
    const serial = digits.slice(4);
    const format = this.random.weighted([
      ['INV-2026-000123', 25],
      ['INV2026000123', 20],
      ['inv 2026 000123', 15],
      ['Rechnung 2026-000123', 20],
      ['Re.-Nr. 2026/000123', 10],
      ['Invoice INV-2026-000123', 10],
    ] as const);
    const text = {
      'INV-2026-000123': `INV-${year}-${serial}`,
      INV2026000123: `INV${year}${serial}`,
      'inv 2026 000123': `inv ${year} ${serial}`,
      'Rechnung 2026-000123': `Rechnung ${year}-${serial}`,
      'Re.-Nr. 2026/000123': `Re.-Nr. ${year}/${serial}`,
      'Invoice INV-2026-000123': `Invoice INV-${year}-${serial}`,
    }[format];
    return { text, format };
  }

  /** How the payment names `invoice`: its number in some form (free text or structured) or its RF reference. */
  private nameInvoice(invoice: Invoice, date: string, allowRf = true): { remittance: string; references: string[]; rule: MatchRule; form: string } {
    if (allowRf && this.random.chance(0.25)) return { ...this.writeRf(invoice, date), rule: 'rf-reference' };
    if (this.random.chance(0.1)) return { remittance: this.noise(date), references: [invoice.number], rule: 'invoice-number', form: 'structured-number' };
    const written = this.writeNumber(invoice);
    return { remittance: this.withNoise(written.text, date), references: [], rule: 'invoice-number', form: written.format };
  }

  private writeRf(invoice: Invoice, date: string): { remittance: string; references: string[]; form: string } {
    const reference = creditorReferenceFor(invoice.number);
    const form = this.random.weighted([
      ['rf-electronic', 35],
      ['rf-print', 25],
      ['rf-lower-case', 10],
      ['rf-structured', 30],
    ] as const);
    if (form === 'rf-structured') return { remittance: this.noise(date), references: [reference], form };
    const text = form === 'rf-electronic' ? reference : form === 'rf-print' ? formatCreditorReferenceForPrint(reference) : formatCreditorReferenceForPrint(reference).toLowerCase();
    return { remittance: this.withNoise(text, date), references: [], form };
  }

  // -- what a payment can mean ------------------------------------------------------------------------------------

  /** Every invoice whose digits a word run of `text` equals (`exact`) or is one edit from (`near`). */
  private mentions(text: string, withNear = true): { exact: Set<string>; near: Set<string> } {
    const exact = new Set<string>();
    const near = new Set<string>();
    const words = text
      .toUpperCase()
      .split(/[\s/:#+*,;()[\]{}]+/)
      .map((word) => word.replace(/[^A-Z0-9]/g, ''))
      .filter(Boolean);
    for (let start = 0; start < words.length; start++) {
      let run = '';
      for (let end = start; end < Math.min(words.length, start + 3); end++) {
        run += words[end];
        const digits = run.replace(/[^0-9]/g, '');
        if (digits.length < 6) continue;
        for (const invoice of this.byDigits.get(digits) ?? []) exact.add(invoice.id);
        if (withNear) for (const variant of oneEditVariants(digits)) for (const invoice of this.byDigits.get(variant) ?? []) near.add(invoice.id);
      }
    }
    return { exact, near };
  }

  /** Does the written entry name what it is meant to, and nothing else? */
  private meansWhatItSays(built: Built): boolean {
    const intent = built.intent;
    if ('unchecked' in intent) return true;
    const withNear = 'nothing' in intent || 'typoOf' in intent || 'nearOnly' in intent;
    const said = this.mentions([...(built.references ?? []), ...(built.remittanceDocuments ?? []).map((document) => document.number), built.remittance].join('\n'), withNear);
    const e2e = this.mentions(built.endToEndId ?? '', withNear);
    if ('nothing' in intent) return said.exact.size === 0 && said.near.size === 0 && e2e.exact.size === 0 && e2e.near.size === 0;
    if ('nearOnly' in intent) return said.exact.size === 0 && e2e.exact.size === 0 && intent.nearOnly.every((id) => said.near.has(id));
    if ('names' in intent) {
      const wanted = new Set(intent.names);
      const subset = [...said.exact].every((id) => wanted.has(id));
      const all = intent.rf || intent.names.every((id) => said.exact.has(id));
      return subset && all && e2e.exact.size === 0;
    }
    if ('endToEnd' in intent) return said.exact.size === 0 && sameSet(e2e.exact, new Set(intent.endToEnd));
    // A typo: no number exact anywhere, and one edit from exactly one of the payer's invoices.
    if (said.exact.size > 0 || e2e.exact.size > 0) return false;
    const mine = new Set((this.invoicesOf.get(intent.customerId) ?? []).map((invoice) => invoice.id));
    const near = [...said.near, ...e2e.near].filter((id) => mine.has(id));
    return new Set(near).size === 1 && near[0] === intent.typoOf;
  }

  /** What a short payment of an invoice open for `openMinor` may leave as bank charges: the tolerance, capped by the share. */
  private toleranceFor(openMinor: number): number {
    return Math.min(this.tolerance, Math.floor((openMinor * defaultMatchingPolicy.bankFeeMaxShareBasisPoints) / 10_000));
  }

  private discountOptions(invoice: Invoice, openMinor: number, valueDate: string): number[] {
    const terms = invoice.earlyPaymentDiscount;
    if (!terms || valueDate > this.discountDeadline(invoice)) return [];
    const product = openMinor * terms.rateBasisPoints;
    return [...new Set([Math.floor(product / 10_000), Math.floor((product * 2 + 10_000) / 20_000), Math.ceil(product / 10_000)])].filter((value) => value > 0 && value < openMinor);
  }

  private discountDeadline(invoice: Invoice): string {
    return invoice.deadline;
  }

  private halfUpDiscount(invoice: Invoice, openMinor: number): number {
    return Math.floor((openMinor * (invoice.earlyPaymentDiscount?.rateBasisPoints ?? 0) * 2 + 10_000) / 20_000);
  }

  /** Can `amount` settle the invoice, by a discount the terms allow, bank charges within tolerance, or both? */
  private closable(invoice: Invoice, amount: number, valueDate: string): boolean {
    const openMinor = this.open.get(invoice.id) ?? 0;
    const shortfall = openMinor - amount;
    const tolerance = this.toleranceFor(openMinor);
    if (shortfall <= 0) return false;
    if (shortfall <= tolerance) return true;
    return this.discountOptions(invoice, openMinor, valueDate).some((discount) => shortfall - discount >= 0 && shortfall - discount <= tolerance);
  }

  /** Every way a known payer's unreferenced payment of `amount` could be read against their open invoices. */
  private readings(customerId: string, amount: number, valueDate: string) {
    const open = this.openOf(customerId);
    const exact = open.filter((invoice) => this.open.get(invoice.id) === amount);
    const exactBefore = (this.invoicesOf.get(customerId) ?? []).filter((invoice) => this.initial.get(invoice.id) === amount);
    const closable = open.filter((invoice) => this.closable(invoice, amount, valueDate));
    const subsets = () => countSubsetsSummingTo(open.map((invoice) => this.open.get(invoice.id) as number), amount);
    return { exact, exactBefore, subsets, closable };
  }

  /** Exactly one reading: `target` alone equals the amount (no other invoice now or before, no sum, nothing closable). */
  private onlyExact(customerId: string, target: Invoice, amount: number, valueDate: string): boolean {
    const found = this.readings(customerId, amount, valueDate);
    return found.exact.length === 1 && found.exact[0] === target && found.exactBefore.every((invoice) => invoice === target) && found.closable.length === 0 && found.subsets() === 0;
  }

  // -- the file ---------------------------------------------------------------------------------------------------

  private nextEntry(date: string): Built {
    const due = this.schedule.get(this.index);
    if (due) {
      this.schedule.delete(this.index);
      let built: Built | undefined;
      while (!built && due.length > 0) {
        const next = due.shift() as Scheduled;
        for (let attempt = 0; attempt < 6 && !built; attempt++) {
          const candidate = next(date);
          if (candidate && this.meansWhatItSays(candidate)) built = candidate;
        }
      }
      if (due.length > 0) this.defer(this.index + 1, ...due);
      if (built) return built;
    }
    for (let attempt = 0; attempt < 40; attempt++) {
      const scenario = this.random.weighted(DRAWN);
      const built = this.build(scenario, date);
      if (built && this.meansWhatItSays(built)) return built;
    }
    for (;;) {
      const built = this.unknownPayer(date);
      if (this.meansWhatItSays(built)) return built;
    }
  }

  /** Runs `items` when the file reaches entry `index`; dropped past its end. */
  private defer(index: number, ...items: Scheduled[]): boolean {
    if (index >= this.options.entries) return false;
    const list = this.schedule.get(index);
    if (list) list.push(...items);
    else this.schedule.set(index, [...items]);
    return true;
  }

  private emit(built: Built, id: string, date: string): void {
    const entry: BankEntry = {
      id,
      account: this.statementAccount,
      currency: this.currency,
      amountMinor: built.amountMinor,
      bookingDate: date,
      valueDate: built.valueDate ?? date,
      reversal: built.reversal ?? false,
      bankReference: `${date.replace(/-/g, '')}${String(this.index + 1).padStart(7, '0')}`,
      endToEndId: built.endToEndId,
      references: built.references ?? [],
      remittance: built.remittance,
      ...(built.remittanceDocuments ? { remittanceDocuments: built.remittanceDocuments } : {}),
      counterparty: built.counterparty,
      transactionCode: built.transactionCode,
      returnReason: built.returnReason,
    };
    this.entries.push(entry);
    const named = 'names' in built.intent ? built.intent.names : 'endToEnd' in built.intent ? built.intent.endToEnd : [];
    const involves = built.involves ?? [...new Set([...named, ...built.expected.allocations.map((item) => item.invoiceId), ...built.expected.adjustments.map((item) => item.invoiceId)])];
    const expected: Expected = { scenario: built.scenario, detail: built.detail, ...built.expected, deductions: built.expected.deductions ?? [], involves };
    this.truth.set(id, expected);
    if (expected.kind === 'apply') {
      for (const change of [...expected.allocations, ...expected.adjustments]) this.changeOpen(change.invoiceId, -change.amountMinor);
    }
    if (expected.kind === 'reversal') {
      const payment = this.paymentById.get(expected.reverses as string) as PaymentRecord;
      payment.reversed = true;
      for (const change of payment.effects) this.changeOpen(change.invoiceId, change.amountMinor);
    }
    if (entry.amountMinor > 0 && !entry.reversal) {
      const record: PaymentRecord = {
        entryId: id,
        index: this.index,
        amountMinor: entry.amountMinor,
        bookingDate: date,
        account: entry.counterparty.account ? compact(entry.counterparty.account) : undefined,
        endToEndId: entry.endToEndId,
        counterparty: entry.counterparty,
        allocations: expected.kind === 'apply' ? expected.allocations : [],
        effects: expected.kind === 'apply' ? [...expected.allocations, ...expected.adjustments] : [],
        reversed: false,
      };
      this.payments.push(record);
      this.paymentById.set(id, record);
      pushTo(this.paymentsByAmount, record.amountMinor, record);
    }
    built.onEmit?.(id);
  }

  private build(scenario: Scenario, date: string): Built | undefined {
    switch (scenario) {
      case 'rf-reference':
        return this.rfReference(date, false);
      case 'rf-third-party':
        return this.rfReference(date, true);
      case 'invoice-number':
        return this.invoiceNumber(date);
      case 'invoice-number-typo':
      case 'typo-near-other-customer':
        return this.typo(date);
      case 'end-to-end-id':
        return this.endToEnd(date);
      case 'payer-account':
        return this.payerKnownExact(date, 'account');
      case 'payer-name':
        return this.payerKnownExact(date, 'name');
      case 'sum-named':
        return this.sumNamed(date);
      case 'sum-unnamed':
        return this.sumUnnamed(date);
      case 'partial':
        return this.partial(date);
      case 'discount':
        return this.discount(date, 'in-time');
      case 'discount-last-grace-day':
        return this.discount(date, 'last-grace-day');
      case 'discount-and-fee':
        return this.discount(date, 'with-fee');
      case 'discount-unnamed':
        return this.closingUnnamed(date, 'discount');
      case 'discount-too-late':
        return this.discountTooLate(date);
      case 'bank-fee':
        return this.bankFee(date, false);
      case 'short-beyond-tolerance':
        return this.bankFee(date, true);
      case 'bank-fee-unnamed':
        return this.closingUnnamed(date, 'bank-fee');
      case 'overpayment':
        return this.overpayment(date);
      case 'duplicate-payment':
        return this.duplicate(date);
      case 'unknown-payer':
        return this.unknownPayer(date);
      case 'ambiguous-twins':
        return this.ambiguousTwins(date);
      case 'ambiguous-sum':
        return this.ambiguousSum(date);
      case 'ambiguous-payer':
        return this.ambiguousPayer(date);
      case 'unnamed-fits-nothing':
        return this.fitsNothing(date);
      case 'names-other-customer':
        return this.namesOtherCustomer(date);
      case 'typo-hits-other-customer':
        return this.typoHitsOtherCustomer(date);
      case 'names-two-customers':
        return this.namesTwoCustomers(date);
      case 'debit':
        return this.debit(date);
      case 'return':
        return this.returnOfPayment(date);
      case 'return-unknown':
        return this.returnUnknown(date);
      case 'advice-full':
        return this.adviceFull(date);
      case 'advice-short-no-reason':
        return this.adviceShortNoReason(date);
      case 'advice-short-with-deduction':
        return this.adviceShortWithDeduction(date);
      case 'advice-overpaid-document':
        return this.adviceOverpaidDocument(date);
      case 'advice-discount-in-terms':
        return this.adviceDiscountInTerms(date);
      case 'advice-discount-outside-terms':
        return this.adviceDiscountOutsideTerms(date);
      case 'advice-not-adding-up':
        return this.adviceNotAddingUp(date);
      case 'advice-unknown-document':
        return this.adviceUnknownDocument(date);
      case 'deduction-in-words':
        return this.deductionInWords(date);
      case 'deduction-in-words-two-invoices':
        return this.deductionInWordsTwoInvoices(date);
      case 'typo-unknown-payer-two-near':
        return this.typoUnknownPayerTwoNear(date);
      case 'rest-after-partial':
      case 'repayment-after-return':
        return undefined;
    }
  }

  private credit(): string {
    return 'PMNT/RCDT/ESCT';
  }

  private paysInFull(invoice: Invoice, rule: MatchRule | undefined, why: string) {
    const openMinor = this.open.get(invoice.id) as number;
    return { kind: 'apply' as const, rule, customerId: invoice.customerId, allocations: [{ invoiceId: invoice.id, amountMinor: openMinor }], adjustments: [], unappliedMinor: 0, why };
  }

  /** Marks the invoice used and remembers a full payment (for duplicates later). */
  private consume(invoices: readonly Invoice[], fullyPaid = false, counterparty: Payer['counterparty'] = {}): (entryId: string) => void {
    for (const invoice of invoices) this.take(invoice.id);
    return (entryId) => {
      if (!fullyPaid) return;
      const payment = this.paymentById.get(entryId);
      if (payment) for (const invoice of invoices) this.paidInFull.push({ invoiceId: invoice.id, payment, counterparty });
    };
  }

  private rfReference(date: string, thirdParty: boolean): Built | undefined {
    const invoice = this.pickFresh(date);
    if (!invoice) return undefined;
    const owner = this.customerOf(invoice);
    let payer: Payer | undefined;
    if (thirdParty) {
      for (let attempt = 0; attempt < 20 && !payer; attempt++) {
        const other = this.random.pick(this.customers);
        if (other !== owner) payer = this.ownAccount(other);
      }
      if (!payer) return undefined;
    } else payer = this.ownOrStranger(owner);
    const written = this.writeRf(invoice, date);
    return {
      scenario: thirdParty ? 'rf-third-party' : 'rf-reference',
      detail: `${written.form}, payer ${thirdParty ? 'another customer' : payer.kind}`,
      amountMinor: this.open.get(invoice.id) as number,
      counterparty: payer.counterparty,
      remittance: written.remittance,
      references: written.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: true },
      expected: this.paysInFull(invoice, 'rf-reference', 'the RF reference of the invoice, check digits valid, exact amount'),
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private invoiceNumber(date: string): Built | undefined {
    const invoice = this.pickFresh(date);
    if (!invoice) return undefined;
    const payer = this.ownOrStranger(this.customerOf(invoice));
    const named = this.nameInvoice(invoice, date, false);
    return {
      scenario: 'invoice-number',
      detail: `${named.form}, payer ${payer.kind}`,
      amountMinor: this.open.get(invoice.id) as number,
      counterparty: payer.counterparty,
      remittance: named.remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: false },
      expected: this.paysInFull(invoice, 'invoice-number', 'the invoice number, exact amount'),
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  /** One substituted, transposed or missing digit of the serial. */
  private typoDigits(invoice: Invoice): { digits: string; kind: string } | undefined {
    const serial = invoice.serial;
    const kind = this.random.pick(['substituted digit', 'transposed digits', 'missing digit'] as const);
    const at = this.random.int(0, serial.length - 1);
    let typo: string;
    if (kind === 'substituted digit') {
      let digit = this.random.digits(1);
      while (digit === serial[at]) digit = this.random.digits(1);
      typo = serial.slice(0, at) + digit + serial.slice(at + 1);
    } else if (kind === 'transposed digits') {
      if (at === serial.length - 1 || serial[at] === serial[at + 1]) return undefined;
      typo = serial.slice(0, at) + serial[at + 1] + serial[at] + serial.slice(at + 2);
    } else typo = serial.slice(0, at) + serial.slice(at + 1);
    return { digits: invoice.year + typo, kind };
  }

  private typo(date: string): Built | undefined {
    const invoice = this.pickFresh(date, (candidate) => this.customerOf(candidate).accounts.length > 0);
    if (!invoice) return undefined;
    const customer = this.customerOf(invoice);
    const typo = this.typoDigits(invoice);
    if (!typo || this.byDigits.has(typo.digits)) return undefined;
    const written = this.writeNumber(invoice, typo.digits);
    const payer = this.ownAccount(customer) as Payer;
    const remittance = this.withNoise(written.text, date);
    const nearOthers = [...this.mentions(remittance).near].filter((id) => this.invoiceById.get(id)?.customerId !== customer.id);
    const crosses = nearOthers.length > 0;
    return {
      scenario: crosses ? 'typo-near-other-customer' : 'invoice-number-typo',
      detail: `${typo.kind}, ${written.format}${crosses ? `, also one edit from ${nearOthers.map((id) => this.invoiceById.get(id)?.number).join(' ')}` : ''}`,
      amountMinor: this.open.get(invoice.id) as number,
      counterparty: payer.counterparty,
      remittance,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { typoOf: invoice.id, customerId: customer.id },
      involves: this.allOf(customer.id),
      expected: this.paysInFull(invoice, 'invoice-number-typo', `payer known by account; "${written.text}" is one edit from ${invoice.number}, their only invoice that close; exact amount`),
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private endToEnd(date: string): Built | undefined {
    const invoice = this.pickFresh(date);
    if (!invoice) return undefined;
    const payer = this.ownOrStranger(this.customerOf(invoice));
    const form = this.random.pick(['number', 'compact', 'erp-prefixed'] as const);
    const endToEndId = form === 'number' ? invoice.number : form === 'compact' ? compact(invoice.number) : `SAP/${invoice.number}`;
    return {
      scenario: 'end-to-end-id',
      detail: `${form}, payer ${payer.kind}`,
      amountMinor: this.open.get(invoice.id) as number,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId,
      transactionCode: this.credit(),
      intent: { endToEnd: [invoice.id] },
      expected: this.paysInFull(invoice, 'end-to-end-id', 'the invoice number as end-to-end id, nothing in the remittance, exact amount'),
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private payerKnownExact(date: string, by: 'account' | 'name'): Built | undefined {
    const invoice = this.pickFresh(date, (candidate) => {
      const customer = this.customerOf(candidate);
      return by === 'account' ? customer.accounts.length > 0 : (this.coreCount.get(coreKey(customer.core)) ?? 0) === 1;
    });
    if (!invoice) return undefined;
    const customer = this.customerOf(invoice);
    const amount = this.open.get(invoice.id) as number;
    if (!this.onlyExact(customer.id, invoice, amount, date)) return undefined;
    let payer: Payer;
    let detail: string;
    if (by === 'account') {
      payer = this.ownAccount(customer) as Payer;
      detail = 'known account';
    } else {
      const variant = this.nameVariant(customer);
      payer = { kind: 'own-name', counterparty: { name: variant.name, account: this.random.chance(0.5) ? this.newIban('DE') : undefined }, customerId: customer.id };
      detail = `name ${variant.variant}${payer.counterparty.account ? ', from a new account' : ''}`;
    }
    return {
      scenario: by === 'account' ? 'payer-account' : 'payer-name',
      detail,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      involves: this.allOf(customer.id),
      expected: this.paysInFull(invoice, 'amount-exact', `payer known by ${by}; ${invoice.number} is their only open invoice of this amount, and no combination or short payment fits`),
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private allOf(...customerIds: string[]): string[] {
    return customerIds.flatMap((customerId) => (this.invoicesOf.get(customerId) ?? []).map((invoice) => invoice.id));
  }

  private freshOfCustomer(customer: Customer, date: string): Invoice[] {
    return (this.invoicesOf.get(customer.id) ?? []).filter((invoice) => this.isFresh(invoice.id) && invoice.issueDate < date);
  }

  private sumNamed(date: string): Built | undefined {
    const count = this.random.weighted([
      [2, 55],
      [3, 30],
      [4, 15],
    ] as const);
    for (let attempt = 0; attempt < 20; attempt++) {
      const customer = this.random.pick(this.customers);
      const candidates = this.freshOfCustomer(customer, date);
      if (candidates.length < count) continue;
      const chosen = shuffled(candidates, this.random).slice(0, count);
      const payer = this.ownOrStranger(customer);
      const separator = this.random.pick([', ', ' ', ' / ', ' + ', ' und ']);
      const useStructured = this.random.chance(0.15);
      const texts = chosen.map((invoice) => this.writeNumber(invoice).text);
      const amount = chosen.reduce((sum, invoice) => sum + (this.open.get(invoice.id) as number), 0);
      return {
        scenario: 'sum-named',
        detail: `${count} invoices${useStructured ? ', structured' : ''}, separated by "${separator.trim() || 'space'}", payer ${payer.kind}`,
        amountMinor: amount,
        counterparty: payer.counterparty,
        remittance: useStructured ? this.noise(date) : this.withNoise(texts.join(separator), date),
        references: useStructured ? chosen.map((invoice) => invoice.number) : [],
        endToEndId: this.e2e(date),
        transactionCode: this.credit(),
        intent: { names: chosen.map((invoice) => invoice.id), rf: false },
        expected: {
          kind: 'apply',
          rule: 'invoice-number',
          customerId: customer.id,
          allocations: chosen.map((invoice) => ({ invoiceId: invoice.id, amountMinor: this.open.get(invoice.id) as number })),
          adjustments: [],
          unappliedMinor: 0,
          why: `names ${count} invoices of one customer; the amount is their sum`,
        },
        onEmit: this.consume(chosen, true, payer.counterparty),
      };
    }
    return undefined;
  }

  private sumUnnamed(date: string): Built | undefined {
    for (let attempt = 0; attempt < 20; attempt++) {
      const customer = this.random.pick(this.customers);
      if (customer.accounts.length === 0 || (this.openCount.get(customer.id) ?? 0) > 16) continue;
      const candidates = this.freshOfCustomer(customer, date);
      const count = this.random.chance(0.7) ? 2 : 3;
      if (candidates.length < count) continue;
      const chosen = shuffled(candidates, this.random).slice(0, count);
      const amount = chosen.reduce((sum, invoice) => sum + (this.open.get(invoice.id) as number), 0);
      const found = this.readings(customer.id, amount, date);
      // The chosen invoices add up to the amount by construction, so one set in all is theirs.
      if (found.exact.length > 0 || found.exactBefore.length > 0 || found.closable.length > 0 || found.subsets() !== 1) continue;
      const payer = this.ownAccount(customer) as Payer;
      return {
        scenario: 'sum-unnamed',
        detail: `${count} invoices, payer known by account`,
        amountMinor: amount,
        counterparty: payer.counterparty,
        remittance: this.noise(date),
        endToEndId: this.e2e(date),
        transactionCode: this.credit(),
        intent: { nothing: true },
        involves: this.allOf(customer.id),
        expected: {
          kind: 'apply',
          rule: 'amount-sum',
          customerId: customer.id,
          allocations: chosen.map((invoice) => ({ invoiceId: invoice.id, amountMinor: this.open.get(invoice.id) as number })),
          adjustments: [],
          unappliedMinor: 0,
          why: `payer known by account; these ${count} are the only open invoices that add up to the amount, and no single one equals or nearly equals it`,
        },
        onEmit: this.consume(chosen, true, payer.counterparty),
      };
    }
    return undefined;
  }

  private partial(date: string): Built | undefined {
    const invoice = this.pickFresh(date, (candidate) => (this.open.get(candidate.id) as number) >= 20_000);
    if (!invoice) return undefined;
    const openMinor = this.open.get(invoice.id) as number;
    const amount = Math.floor((openMinor * this.random.int(20, 80)) / 100 / 100) * 100 || Math.floor(openMinor / 2);
    const maxDiscount = Math.max(0, ...this.discountOptions(invoice, openMinor, date));
    if (openMinor - amount <= this.tolerance + maxDiscount) return undefined;
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    const remittance = this.random.chance(0.4) ? `Teilzahlung ${named.remittance}`.trim() : named.remittance;
    const restAt = this.index + this.random.int(3, Math.max(4, Math.floor(this.options.entries / 6)));
    const rest = this.random.chance(0.7) && restAt < this.options.entries;
    return {
      scenario: 'partial',
      detail: `${named.form}, payer ${payer.kind}${rest ? ', rest paid later' : ''}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: { kind: 'apply', rule: named.rule, customerId: customer.id, allocations: [{ invoiceId: invoice.id, amountMinor: amount }], adjustments: [], unappliedMinor: 0, why: `names the invoice and pays ${amount} of ${openMinor}, short by more than the bank-charge tolerance and any discount: a part payment` },
      onEmit: (entryId) => {
        this.take(invoice.id);
        if (!rest) return;
        this.pending.add(entryId);
        this.defer(restAt, (later) => this.restAfterPartial(later, invoice, entryId, payer));
      },
    };
  }

  private restAfterPartial(date: string, invoice: Invoice, partialId: string, payer: Payer): Built | undefined {
    const rest = this.open.get(invoice.id) ?? 0;
    const customer = this.customerOf(invoice);
    const done = () => this.pending.delete(partialId);
    if (rest <= 0) {
      done();
      return undefined;
    }
    const unnamed = customer.accounts.length > 0 && this.random.chance(0.4) && this.onlyExact(customer.id, invoice, rest, date);
    if (unnamed) {
      const known = this.ownAccount(customer) as Payer;
      return {
        scenario: 'rest-after-partial',
        detail: 'no reference, payer known by account, the rest is their only open amount of that size',
        amountMinor: rest,
        counterparty: known.counterparty,
        remittance: this.noise(date),
        endToEndId: this.e2e(date),
        transactionCode: this.credit(),
        intent: { nothing: true },
        involves: this.allOf(customer.id),
        expected: this.paysInFull(invoice, 'amount-exact', 'the rest of a part-paid invoice; payer known by account; the only open invoice of that amount'),
        onEmit: done,
      };
    }
    const named = this.nameInvoice(invoice, date);
    return {
      scenario: 'rest-after-partial',
      detail: `${named.form}, payer ${payer.kind}`,
      amountMinor: rest,
      counterparty: payer.counterparty,
      remittance: this.random.chance(0.4) ? `Restzahlung ${named.remittance}`.trim() : named.remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: this.paysInFull(invoice, named.rule, 'names the part-paid invoice and pays exactly what is left'),
      onEmit: done,
    };
  }

  private discount(date: string, how: 'in-time' | 'last-grace-day' | 'with-fee'): Built | undefined {
    let invoice: Invoice | undefined;
    if (how === 'last-grace-day') {
      const onDeadline = this.discountDays.flatMap((days) => this.byIssueDate.get(addDays(date, -(days + this.grace))) ?? []).filter((candidate) => this.isFresh(candidate.id) && candidate.earlyPaymentDiscount && this.discountDeadline(candidate) === date);
      invoice = onDeadline.length > 0 ? this.random.pick(onDeadline) : undefined;
    } else invoice = this.pickFresh(date, (candidate) => Boolean(candidate.earlyPaymentDiscount) && this.discountDeadline(candidate) >= date, 200);
    if (!invoice) return undefined;
    const openMinor = this.open.get(invoice.id) as number;
    const halfUp = this.halfUpDiscount(invoice, openMinor);
    const floor = Math.floor((openMinor * (invoice.earlyPaymentDiscount?.rateBasisPoints ?? 0)) / 10_000);
    const rounding = how !== 'with-fee' && this.random.chance(0.25) ? 'rounded down' : 'rounded half-up';
    const discount = rounding === 'rounded down' ? floor : halfUp;
    const fee = how === 'with-fee' ? this.random.int(1, this.toleranceFor(openMinor)) : 0;
    const amount = openMinor - discount - fee;
    if (discount <= 0 || amount <= 0 || (how === 'with-fee' && (fee < 1 || fee > this.toleranceFor(openMinor)))) return undefined;
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    const terms = invoice.earlyPaymentDiscount as NonNullable<Invoice['earlyPaymentDiscount']>;
    const remittance = this.random.chance(0.4) ? `${named.remittance} abzgl. ${terms.rateBasisPoints / 100}% Skonto`.trim() : named.remittance;
    return {
      scenario: how === 'in-time' ? 'discount' : how === 'with-fee' ? 'discount-and-fee' : 'discount-last-grace-day',
      detail: `${terms.rateBasisPoints / 100}% ${rounding}, paid ${date} (deadline ${this.discountDeadline(invoice)}), ${named.form}, payer ${payer.kind}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: {
        kind: 'apply',
        rule: named.rule,
        customerId: customer.id,
        allocations: [{ invoiceId: invoice.id, amountMinor: amount }],
        adjustments: [{ invoiceId: invoice.id, kind: 'discount', amountMinor: discount }, ...(fee > 0 ? [{ invoiceId: invoice.id, kind: 'write-off' as const, amountMinor: fee }] : [])],
        unappliedMinor: 0,
        why: `early-payment discount of ${discount} taken within ${terms.days} days + ${this.grace} grace days${fee > 0 ? `, and ${fee} bank charges within tolerance` : ''}`,
      },
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private discountTooLate(date: string): Built | undefined {
    const invoice = this.pickFresh(
      date,
      (candidate) => Boolean(candidate.earlyPaymentDiscount) && this.discountDeadline(candidate) < date && this.halfUpDiscount(candidate, this.open.get(candidate.id) as number) > this.tolerance,
      200,
    );
    if (!invoice) return undefined;
    const openMinor = this.open.get(invoice.id) as number;
    const discount = this.halfUpDiscount(invoice, openMinor);
    const amount = openMinor - discount;
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    const late = Math.round((Date.parse(date) - Date.parse(this.discountDeadline(invoice))) / DAY_MS);
    return {
      scenario: 'discount-too-late',
      detail: `${late} day(s) after the deadline incl. grace, ${named.form}, payer ${payer.kind}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: `${named.remittance} abzgl. Skonto`.trim(),
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: { kind: 'apply', rule: named.rule, customerId: customer.id, allocations: [{ invoiceId: invoice.id, amountMinor: amount }], adjustments: [], unappliedMinor: 0, why: `discount of ${discount} taken ${late} day(s) too late and above the bank-charge tolerance: a part payment, ${discount} stays open` },
      onEmit: this.consume([invoice]),
    };
  }

  private bankFee(date: string, beyond: boolean): Built | undefined {
    const invoice = this.pickFresh(date, (candidate) => (this.open.get(candidate.id) as number) > 2 * this.tolerance && this.discountOptions(candidate, this.open.get(candidate.id) as number, date).length === 0);
    if (!invoice) return undefined;
    const openMinor = this.open.get(invoice.id) as number;
    const tolerance = this.toleranceFor(openMinor);
    const fee = beyond
      ? tolerance < this.tolerance && this.random.chance(0.4)
        ? tolerance + 1
        : this.random.int(this.tolerance + 1, 3 * this.tolerance)
      : this.random.chance(0.15)
        ? tolerance
        : this.random.int(1, tolerance);
    const amount = openMinor - fee;
    // Without a tolerance (a currency the policy lists none for) there are no bank charges to write off; and a fee
    // beyond it can exceed a small invoice, which would make the payment money out.
    if (amount <= 0 || (!beyond && (fee < 1 || fee > tolerance))) return undefined;
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    return {
      scenario: beyond ? 'short-beyond-tolerance' : 'bank-fee',
      detail: `short by ${fee} of ${openMinor} (tolerance ${tolerance}), ${named.form}, payer ${payer.kind}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: named.remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: beyond
        ? { kind: 'apply', rule: named.rule, customerId: customer.id, allocations: [{ invoiceId: invoice.id, amountMinor: amount }], adjustments: [], unappliedMinor: 0, why: `short by ${fee}, more than the tolerance of ${tolerance}: a part payment` }
        : { kind: 'apply', rule: named.rule, customerId: customer.id, allocations: [{ invoiceId: invoice.id, amountMinor: amount }], adjustments: [{ invoiceId: invoice.id, kind: 'write-off', amountMinor: fee }], unappliedMinor: 0, why: `short by ${fee}, within the bank-charge tolerance of ${tolerance}, no discount due` },
      onEmit: this.consume([invoice], !beyond, payer.counterparty),
    };
  }

  private closingUnnamed(date: string, how: 'discount' | 'bank-fee'): Built | undefined {
    const invoice = this.pickFresh(
      date,
      (candidate) => {
        const customer = this.customerOf(candidate);
        if (customer.accounts.length === 0 || (this.openCount.get(customer.id) ?? 0) > 16) return false;
        const options = this.discountOptions(candidate, this.open.get(candidate.id) as number, date);
        return how === 'discount' ? options.length > 0 : options.length === 0 && (this.open.get(candidate.id) as number) > 2 * this.tolerance;
      },
      200,
    );
    if (!invoice) return undefined;
    const customer = this.customerOf(invoice);
    const openMinor = this.open.get(invoice.id) as number;
    const discount = how === 'discount' ? this.halfUpDiscount(invoice, openMinor) : 0;
    const fee = how === 'bank-fee' ? this.random.int(1, this.toleranceFor(openMinor)) : 0;
    const amount = openMinor - discount - fee;
    if (amount <= 0 || discount + fee <= 0 || fee > this.toleranceFor(openMinor)) return undefined;
    const found = this.readings(customer.id, amount, date);
    if (found.exact.length > 0 || found.exactBefore.length > 0 || found.closable.length !== 1 || found.closable[0] !== invoice || found.subsets() !== 0) return undefined;
    const payer = this.ownAccount(customer) as Payer;
    return {
      scenario: how === 'discount' ? 'discount-unnamed' : 'bank-fee-unnamed',
      detail: how === 'discount' ? `${(invoice.earlyPaymentDiscount?.rateBasisPoints ?? 0) / 100}% in time, payer known by account` : `short by ${fee}, payer known by account`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      involves: this.allOf(customer.id),
      expected: {
        kind: 'apply',
        rule: 'amount-exact',
        customerId: customer.id,
        allocations: [{ invoiceId: invoice.id, amountMinor: amount }],
        adjustments: [how === 'discount' ? { invoiceId: invoice.id, kind: 'discount', amountMinor: discount } : { invoiceId: invoice.id, kind: 'write-off', amountMinor: fee }],
        unappliedMinor: 0,
        why: `payer known by account; no open invoice or combination equals the amount; ${invoice.number} is the only one it settles (${how})`,
      },
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private overpayment(date: string): Built | undefined {
    const invoice = this.pickFresh(date);
    if (!invoice) return undefined;
    const openMinor = this.open.get(invoice.id) as number;
    const extra = this.random.chance(0.3) ? this.random.int(1, 99) : this.random.int(100, 50_000);
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    return {
      scenario: 'overpayment',
      detail: `over by ${extra}, ${named.form}, payer ${payer.kind}`,
      amountMinor: openMinor + extra,
      counterparty: payer.counterparty,
      remittance: named.remittance,
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: { kind: 'apply', rule: named.rule, customerId: customer.id, allocations: [{ invoiceId: invoice.id, amountMinor: openMinor }], adjustments: [], unappliedMinor: extra, why: `pays the named invoice in full and ${extra} more: kept unapplied on the customer's account` },
      onEmit: this.consume([invoice], true, payer.counterparty),
    };
  }

  private duplicate(date: string): Built | undefined {
    if (this.paidInFull.length === 0) return undefined;
    const { invoiceId, payment, counterparty } = this.random.pick(this.paidInFull);
    if ((this.open.get(invoiceId) ?? 0) !== 0 || payment.reversed || this.foreignPayer(counterparty, invoiceId)) return undefined;
    const invoice = this.invoiceById.get(invoiceId) as Invoice;
    if (payment.allocations.length !== 1) return undefined;
    const written = this.writeNumber(invoice);
    return {
      scenario: 'duplicate-payment',
      detail: `${written.format}, first paid by ${payment.entryId}`,
      amountMinor: payment.amountMinor,
      counterparty,
      remittance: this.withNoise(written.text, date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: false },
      expected: { kind: 'apply', rule: undefined, customerId: invoice.customerId, allocations: [], adjustments: [], unappliedMinor: payment.amountMinor, why: `names ${invoice.number}, paid in full earlier in this file: the money is kept unapplied on the customer's account` },
    };
  }

  /** Does the counterparty identify a customer other than the invoice's? */
  private foreignPayer(counterparty: Payer['counterparty'], invoiceId: string): boolean {
    const owner = this.invoiceById.get(invoiceId)?.customerId;
    const account = counterparty.account ? compact(counterparty.account) : undefined;
    if (!account) return false;
    return [...(this.accountOwners.get(account) ?? [])].some((customerId) => customerId !== owner);
  }

  private unknownPayer(date: string): Built {
    const payer = this.stranger();
    const tempting = this.random.chance(0.5) ? this.invoices[this.random.int(0, this.invoices.length - 1)] : undefined;
    const amount = tempting && (this.open.get(tempting.id) ?? 0) > 0 ? (this.open.get(tempting.id) as number) : this.amount();
    return {
      scenario: 'unknown-payer',
      detail: `${payer.counterparty.name ? 'unknown name' : 'no name'}${payer.counterparty.account ? ', unknown account' : ''}${tempting ? ', amount equals an open invoice' : ''}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'no reference, no invoice number, a payer nobody knows' },
    };
  }

  private ambiguousTwins(date: string): Built | undefined {
    if (this.twins.length === 0) return undefined;
    const [a, b] = this.random.pick(this.twins);
    const openA = this.open.get(a.id) ?? 0;
    if (openA <= 0 || openA !== this.open.get(b.id) || a.issueDate >= date || b.issueDate >= date) return undefined;
    const customer = this.customerOf(a);
    const amount = this.open.get(a.id) as number;
    if (this.readings(customer.id, amount, date).exact.length < 2) return undefined;
    const payer = this.ownAccount(customer) as Payer;
    return {
      scenario: 'ambiguous-twins',
      detail: 'two open invoices of the payer with the same amount, no reference',
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      involves: this.allOf(customer.id),
      expected: { kind: 'mustNotAllocate', customerId: customer.id, allocations: [], adjustments: [], unappliedMinor: 0, why: 'payer known, but two of their open invoices equal the amount and nothing says which' },
    };
  }

  private ambiguousSum(date: string): Built | undefined {
    if (this.sumSets.length === 0) return undefined;
    const set = this.windowTrap && this.random.chance(0.3) ? this.windowTrap : this.random.pick(this.sumSets);
    if (!set.every((invoice) => this.open.get(invoice.id) === this.initial.get(invoice.id) && invoice.issueDate < date)) return undefined;
    const [a, b] = set as [Invoice, Invoice];
    const customer = this.customerOf(a);
    const amount = (this.open.get(a.id) as number) + (this.open.get(b.id) as number);
    const found = this.readings(customer.id, amount, date);
    if (found.exact.length > 0 || found.subsets() < 2) return undefined;
    const payer = this.ownAccount(customer) as Payer;
    const openCount = this.openCount.get(customer.id) ?? 0;
    return {
      scenario: 'ambiguous-sum',
      detail: `two different combinations of open invoices add up to the amount${set === this.windowTrap ? `, the second among the newest of ${openCount} open invoices` : ''}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      involves: this.allOf(customer.id),
      expected: { kind: 'mustNotAllocate', customerId: customer.id, allocations: [], adjustments: [], unappliedMinor: 0, why: 'payer known, but more than one combination of their open invoices adds up to the amount' },
    };
  }

  private ambiguousPayer(date: string): Built | undefined {
    if (this.pairs.length === 0) return undefined;
    const pair = this.random.pick(this.pairs);
    const [x, y] = pair.invoices;
    const openX = this.open.get(x.id) ?? 0;
    if (openX <= 0 || openX !== this.open.get(y.id) || x.issueDate >= date || y.issueDate >= date) return undefined;
    const amount = this.open.get(pair.invoices[0].id) as number;
    const counterparty =
      pair.kind === 'namesake'
        ? { name: this.random.pick([pair.a.core, pair.a.core.toUpperCase(), transliterate(pair.a.core).toUpperCase()]), account: this.random.chance(0.5) ? this.newIban('DE') : undefined }
        : { name: this.random.chance(0.5) ? `${pair.a.core} Gruppe Treasury` : undefined, account: compact(pair.a.sharedAccount as string) };
    return {
      scenario: 'ambiguous-payer',
      detail: pair.kind === 'namesake' ? `name "${counterparty.name}" fits ${pair.a.name} and ${pair.b.name}` : `account shared by ${pair.a.name} and ${pair.b.name}`,
      amountMinor: amount,
      counterparty,
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { nothing: true },
      involves: this.allOf(pair.a.id, pair.b.id),
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'the payer could be either of two customers, and each has an open invoice of exactly this amount' },
    };
  }

  /** A known payer pays more than one of their open invoices and fits nothing: no invoice, sum or short payment. */
  private fitsNothing(date: string): Built | undefined {
    for (let attempt = 0; attempt < 20; attempt++) {
      const customer = this.random.pick(this.customers);
      if (customer.accounts.length === 0 || (this.openCount.get(customer.id) ?? 0) > 16) continue;
      const open = this.openOf(customer.id).filter((invoice) => invoice.issueDate < date);
      if (open.length === 0) continue;
      const smallest = Math.min(...open.map((invoice) => this.open.get(invoice.id) as number));
      const amount = smallest + this.random.int(1, 20_000);
      const found = this.readings(customer.id, amount, date);
      if (found.exact.length > 0 || found.exactBefore.length > 0 || found.closable.length > 0 || found.subsets() !== 0) continue;
      const below = open.filter((invoice) => (this.open.get(invoice.id) as number) < amount).length;
      const payer = this.ownAccount(customer) as Payer;
      return {
        scenario: 'unnamed-fits-nothing',
        detail: `payer known by account, ${open.length} open invoice(s), ${below} of them smaller than the payment`,
        amountMinor: amount,
        counterparty: payer.counterparty,
        remittance: this.noise(date),
        endToEndId: this.e2e(date),
        transactionCode: this.credit(),
        intent: { nothing: true },
        involves: this.allOf(customer.id),
        expected: { kind: 'mustNotAllocate', customerId: customer.id, allocations: [], adjustments: [], unappliedMinor: 0, why: 'payer known, no reference, and the amount equals no open invoice or combination and settles none as a short payment' },
      };
    }
    return undefined;
  }

  private namesOtherCustomer(date: string): Built | undefined {
    const payerCustomer = this.random.pick(this.customers);
    const payer = this.ownAccount(payerCustomer);
    if (!payer) return undefined;
    const paid = this.random.chance(0.3) && this.paidInFull.length > 0 ? this.invoiceById.get(this.random.pick(this.paidInFull).invoiceId) : undefined;
    const paidElsewhere = paid && (this.open.get(paid.id) ?? 0) === 0 && paid.customerId !== payerCustomer.id ? paid : undefined;
    const target = paidElsewhere ?? this.pickFresh(date, (candidate) => candidate.customerId !== payerCustomer.id);
    if (!target) return undefined;
    const openMinor = this.open.get(target.id) ?? 0;
    const written = this.writeNumber(target);
    return {
      scenario: 'names-other-customer',
      detail: `${written.format}, the named invoice is ${openMinor > 0 ? 'open' : 'already paid'}`,
      amountMinor: openMinor > 0 ? openMinor : (this.initial.get(target.id) as number),
      counterparty: payer.counterparty,
      remittance: this.withNoise(written.text, date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [target.id], rf: false },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: `paid from ${payerCustomer.name}'s account but names ${target.number} of another customer, without RF: a person decides` },
    };
  }

  private typoHitsOtherCustomer(date: string): Built | undefined {
    const invoice = this.pickFresh(date, (candidate) => this.customerOf(candidate).accounts.length > 0);
    if (!invoice) return undefined;
    const customer = this.customerOf(invoice);
    const hits = oneEditVariants(invoice.digits)
      .filter((digits) => digits.startsWith(invoice.year))
      .flatMap((digits) => this.byDigits.get(digits) ?? [])
      .filter((other) => other.customerId !== customer.id);
    if (hits.length === 0) return undefined;
    const other = this.random.pick(hits);
    const written = this.writeNumber(invoice, other.digits);
    const payer = this.ownAccount(customer) as Payer;
    return {
      scenario: 'typo-hits-other-customer',
      detail: `meant ${invoice.number}, wrote ${written.text} (${(this.open.get(other.id) ?? 0) > 0 ? 'open' : 'paid'}) of another customer`,
      amountMinor: this.open.get(invoice.id) as number,
      counterparty: payer.counterparty,
      remittance: this.withNoise(written.text, date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [other.id], rf: false },
      involves: [other.id, invoice.id],
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: `the remittance names ${other.number} of another customer exactly, the paying account is ${customer.name}'s: conflicting evidence` },
    };
  }

  private namesTwoCustomers(date: string): Built | undefined {
    const first = this.pickFresh(date);
    if (!first) return undefined;
    // Sometimes the other customer's invoice is one already paid in this file.
    const paid = this.random.chance(0.3) && this.paidInFull.length > 0 ? this.invoiceById.get(this.random.pick(this.paidInFull).invoiceId) : undefined;
    const paidElsewhere = paid && (this.open.get(paid.id) ?? 0) === 0 && paid.customerId !== first.customerId ? paid : undefined;
    const second = paidElsewhere ?? this.pickFresh(date, (candidate) => candidate.customerId !== first.customerId);
    if (!second) return undefined;
    const payer = this.stranger();
    return {
      scenario: 'names-two-customers',
      detail: `invoices of two customers in one remittance, payer unknown${paidElsewhere ? ', the second already paid' : ''}`,
      amountMinor: (this.open.get(first.id) as number) + (this.open.get(second.id) || (this.initial.get(second.id) as number)),
      counterparty: payer.counterparty,
      remittance: `${this.writeNumber(first).text}, ${this.writeNumber(second).text}`,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [first.id, second.id], rf: false },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'names invoices of two different customers' },
    };
  }

  private debit(date: string): Built | undefined {
    const refund = this.random.chance(0.35) ? this.pickFresh(date, (candidate) => this.customerOf(candidate).accounts.length > 0) : undefined;
    if (refund) {
      const customer = this.customerOf(refund);
      return {
        scenario: 'debit',
        detail: 'refund to a customer naming its invoice, amount equal to the open amount',
        amountMinor: -(this.open.get(refund.id) as number),
        counterparty: { name: customer.name, account: compact(this.random.pick(customer.accounts)) },
        remittance: `Gutschrift ${this.writeNumber(refund).text}`,
        endToEndId: this.e2e(date),
        transactionCode: 'PMNT/ICDT/ESCT',
        intent: { unchecked: true },
        expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'money out is not a customer payment' },
      };
    }
    return {
      scenario: 'debit',
      detail: 'supplier payment, fee or tax',
      amountMinor: -this.amount(),
      counterparty: { name: this.random.pick(SUPPLIERS), account: this.newIban('DE') },
      remittance: this.noise(date),
      endToEndId: this.e2e(date),
      transactionCode: this.random.pick(['PMNT/ICDT/ESCT', 'PMNT/IDDT/ESDD', 'ACMT/MDOP/CHRG']),
      intent: { unchecked: true },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'money out is not a customer payment' },
    };
  }

  /** Earlier payments a return of `payment` could also be taken for: same amount and same payer account, or the same end-to-end id. */
  private lookalikes(payment: PaymentRecord, useEndToEnd: boolean): PaymentRecord[] {
    return (this.paymentsByAmount.get(payment.amountMinor) ?? []).filter(
      (other) => !other.reversed && other.amountMinor === payment.amountMinor && (useEndToEnd ? other.endToEndId === payment.endToEndId : other.account !== undefined && other.account === payment.account),
    );
  }

  private returnOfPayment(_date: string): Built | undefined {
    const recent = this.payments.slice(-200).filter((payment) => !payment.reversed && !this.pending.has(payment.entryId) && this.index - payment.index <= 150 && (payment.account || payment.endToEndId));
    if (recent.length === 0) return undefined;
    const payment = this.random.pick(recent);
    const useEndToEnd = Boolean(payment.endToEndId) && (!payment.account || this.random.chance(0.5));
    const alike = this.lookalikes(payment, useEndToEnd);
    if (alike.length !== 1 || alike[0] !== payment) return undefined;
    const signal = this.random.pick(['reversal flag', 'return reason', 'both'] as const);
    const reason = this.random.pick(['AC04', 'AC06', 'MD07', 'AM05', 'MS03']);
    const paidInvoices = payment.allocations.map((allocation) => allocation.invoiceId);
    return {
      scenario: 'return',
      detail: `${signal}, found by ${useEndToEnd ? 'end-to-end id' : 'payer account'}, ${paidInvoices.length > 0 ? 'reopens what it paid' : 'it had paid nothing'}`,
      amountMinor: -payment.amountMinor,
      counterparty: useEndToEnd ? { name: payment.counterparty.name } : payment.counterparty,
      remittance: `RETOURE ${reason} ${this.random.pick(['Konto erloschen', 'Rueckruf', 'Doppelzahlung', 'Betrag falsch'])}`,
      endToEndId: useEndToEnd ? payment.endToEndId : undefined,
      reversal: signal !== 'return reason',
      returnReason: signal !== 'reversal flag' ? reason : undefined,
      transactionCode: 'PMNT/RCDT/RRTN',
      intent: { unchecked: true },
      expected: { kind: 'reversal', customerId: undefined, allocations: [], adjustments: [], unappliedMinor: 0, reverses: payment.entryId, why: `returns payment ${payment.entryId} of ${payment.bookingDate}; what it paid opens again` },
      onEmit: () => {
        if (paidInvoices.length === 0 || this.random.chance(0.3)) return;
        const payer = { kind: 'same payer', counterparty: payment.counterparty };
        this.defer(this.index + this.random.int(5, 120), (later) => this.repayment(later, paidInvoices, payer));
      },
    };
  }

  private repayment(date: string, invoiceIds: string[], payer: Payer): Built | undefined {
    const invoices = invoiceIds.map((id) => this.invoiceById.get(id) as Invoice).filter((invoice) => (this.open.get(invoice.id) ?? 0) > 0);
    if (invoices.length === 0 || invoices.length !== invoiceIds.length) return undefined;
    if (invoices.some((invoice) => this.foreignPayer(payer.counterparty, invoice.id))) return undefined;
    const texts = invoices.map((invoice) => this.writeNumber(invoice).text);
    const amount = invoices.reduce((sum, invoice) => sum + (this.open.get(invoice.id) as number), 0);
    return {
      scenario: 'repayment-after-return',
      detail: `${invoices.length} invoice(s) reopened by a return, paid again`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.withNoise(texts.join(', '), date),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: invoices.map((invoice) => invoice.id), rf: false },
      expected: {
        kind: 'apply',
        rule: 'invoice-number',
        customerId: invoices[0]?.customerId,
        allocations: invoices.map((invoice) => ({ invoiceId: invoice.id, amountMinor: this.open.get(invoice.id) as number })),
        adjustments: [],
        unappliedMinor: 0,
        why: 'names the invoices a returned payment had paid; they are open again',
      },
    };
  }

  private returnUnknown(_date: string): Built | undefined {
    const amount = this.amount();
    if ((this.paymentsByAmount.get(amount) ?? []).some((payment) => !payment.reversed)) return undefined;
    return {
      scenario: 'return-unknown',
      detail: 'a return no payment in this file explains',
      amountMinor: -amount,
      counterparty: { name: `${this.random.pick(STRANGER_FIRST)} ${this.random.pick(STRANGER_LAST)}`, account: this.newIban('DE') },
      remittance: 'RETOURE AC04 Konto erloschen',
      reversal: true,
      returnReason: 'AC04',
      transactionCode: 'PMNT/RCDT/RRTN',
      intent: { unchecked: true },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: 'a return, but no earlier payment of that amount from that payer' },
    };
  }

  // -- remittance advice and deductions ------------------------------------------------------------------------------

  /** The gross a payer pricing each unit would pay, when it differs from what we billed and the invoice still has that amount. */
  private payerGross(invoice: Invoice): number | undefined {
    const pricing = invoice.unitPricing;
    if (!pricing || this.initial.get(invoice.id) !== pricing.grossMinor || pricing.payerGrossMinor === pricing.grossMinor) return undefined;
    return pricing.payerGrossMinor;
  }

  /** An untouched invoice, issued before `date`, of a customer with at least `min` of them: where a payment run starts. */
  private runStart(date: string, min: number, test: (invoice: Invoice) => boolean = () => true): Invoice | undefined {
    return this.pickFresh(date, (invoice) => test(invoice) && (min <= 1 || this.freshOfCustomer(this.customerOf(invoice), date).length >= min), 200);
  }

  /**
   * One customer's payment run: `first` and more of their untouched invoices issued before `date`, as many as a large
   * payer settles in one transfer (mostly two to five, sometimes a dozen).
   */
  private paymentRun(date: string, first: Invoice, min: number, max: number): Invoice[] | undefined {
    const others = shuffled(
      this.freshOfCustomer(this.customerOf(first), date).filter((invoice) => invoice !== first),
      this.random,
    );
    const wanted = this.random.weighted([[1, 10], [2, 30], [3, 22], [4, 14], [5, 8], [this.random.int(6, 9), 10], [this.random.int(10, 15), 6]] as const);
    const size = Math.min(max, Math.max(min, wanted), others.length + 1);
    return size < min ? undefined : [first, ...others.slice(0, size - 1)];
  }

  /** A payment run starting at an untouched invoice that passes `test`: see {@link runStart} and {@link paymentRun}. */
  private drawRun(date: string, min: number, max: number, test?: (invoice: Invoice) => boolean): Invoice[] | undefined {
    const first = this.runStart(date, min, test);
    return first && this.paymentRun(date, first, min, max);
  }

  /** Large payers pay from an account we know; some through a payment factory we do not, or known by name only. */
  private advicePayer(customer: Customer): Payer {
    const roll = this.random.next();
    if (roll < 0.75) {
      const own = this.ownAccount(customer);
      if (own) return own;
    }
    if (roll < 0.85 && (this.coreCount.get(coreKey(customer.core)) ?? 0) === 1) return { kind: 'own-name', counterparty: { name: this.nameVariant(customer).name }, customerId: customer.id };
    return this.stranger();
  }

  /** How a payer's system quotes our invoice: as printed, compacted, its digits, lower-case, or by its RF reference. */
  private documentNumber(invoice: Invoice): { number: string; rf: boolean } {
    const form = this.random.weighted([
      ['printed', 55],
      ['compact', 12],
      ['digits', 15],
      ['lower-case', 6],
      ['rf', 12],
    ] as const);
    if (form === 'rf') return { number: creditorReferenceFor(invoice.number), rf: true };
    const number = form === 'printed' ? invoice.number : form === 'compact' ? compact(invoice.number) : form === 'digits' ? invoice.digits : invoice.number.toLowerCase();
    return { number, rf: false };
  }

  /**
   * One line of the advice in the payer's style: what it remits (`remitted`), what was due and what it remits
   * (`due-and-remitted`), or what was due less what it took off, the remitted amount left to the reader (`due-less`,
   * when they add up).
   */
  private document(number: string, amounts: DocumentAmounts, style: AdviceStyle, kind: string | undefined): RemittanceDocument {
    const { dueMinor, paidMinor, discountMinor, adjustments } = amounts;
    const derived = dueMinor !== undefined && dueMinor - (discountMinor ?? 0) - (adjustments ?? []).reduce((sum, adjustment) => sum + adjustment.amountMinor, 0) === paidMinor;
    const withDue = dueMinor !== undefined && style !== 'remitted';
    const withPaid = !(style === 'due-less' && withDue && derived);
    return {
      number,
      ...(kind ? { kind } : {}),
      ...(withDue ? { dueMinor } : {}),
      ...(withPaid ? { paidMinor } : {}),
      ...(discountMinor ? { discountMinor } : {}),
      ...(adjustments && adjustments.length > 0 ? { adjustments } : {}),
    };
  }

  /** What the bank shows beside the advice: the advice's own number, noise, the document numbers again, or nothing. */
  private adviceText(date: string, documents: readonly RemittanceDocument[]): string {
    const form = this.random.weighted([
      ['advice number', 40],
      ['noise', 30],
      ['numbers', 20],
      ['none', 10],
    ] as const);
    if (form === 'advice number') return `${this.random.pick(['Zahlungsavis', 'Payment advice', 'AVIS', 'REMITTANCE ADVICE', 'Sammelzahlung'])} ${this.random.letters(2)}${this.random.digits(5)}`;
    if (form === 'noise') return this.noise(date);
    if (form === 'numbers') return documents.map((document) => document.number).join(' ');
    return '';
  }

  /**
   * An entry with a remittance advice: `lines` in the payer's order (shuffled), one style of amounts and of document
   * type for the whole advice (one ERP writes it), and the truth as given.
   */
  private withAdvice(
    date: string,
    spec: {
      scenario: Scenario;
      detail: string;
      payer: Payer;
      lines: { invoice?: Invoice | undefined; number?: string | undefined; kind?: string | undefined; amounts: DocumentAmounts }[];
      amountMinor: number;
      named: readonly Invoice[];
      expected: Built['expected'];
      onEmit?: ((entryId: string) => void) | undefined;
    },
  ): Built {
    const style = this.random.weighted([
      ['remitted', 35],
      ['due-and-remitted', 45],
      ['due-less', 20],
    ] as const satisfies readonly (readonly [AdviceStyle, number])[]);
    const typed = this.random.chance(0.4);
    let rf = false;
    const documents = spec.lines.map((line) => {
      let number = line.number;
      if (number === undefined) {
        const written = this.documentNumber(line.invoice as Invoice);
        number = written.number;
        rf ||= written.rf;
      }
      return this.document(number, line.amounts, style, line.kind ?? (typed ? 'CINV' : undefined));
    });
    const ordered = shuffled(documents, this.random);
    return {
      scenario: spec.scenario,
      detail: `${spec.detail}; ${documents.length} document(s), ${style}${typed ? ', typed CINV' : ''}, payer ${spec.payer.kind}`,
      amountMinor: spec.amountMinor,
      counterparty: spec.payer.counterparty,
      remittance: this.adviceText(date, ordered),
      remittanceDocuments: ordered,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: spec.named.map((invoice) => invoice.id), rf },
      expected: spec.expected,
      onEmit: spec.onEmit,
    };
  }

  private openNow(invoice: Invoice): number {
    return this.open.get(invoice.id) as number;
  }

  /**
   * A run paid as the payer's advice says, with the truth that follows: each invoice gets exactly its stated amount
   * up to what it has open, the excess stays unapplied on the customer's account, and a credit note netted in the
   * advice only lowers the transfer (our open amount is already net of it). `amountsOf` gives a document's amounts
   * (by default its open amount, paid in full); discounts the terms grant and deductions come from the scenario.
   */
  private adviceApplied(
    date: string,
    spec: {
      scenario: Scenario;
      detail: string;
      run: readonly Invoice[];
      amountsOf?: ((invoice: Invoice) => DocumentAmounts | undefined) | undefined;
      creditNotes?: { number: string; amountMinor: number }[] | undefined;
      adjustments?: ExpectedAdjustment[] | undefined;
      deductions?: ExpectedDeduction[] | undefined;
      why: string;
    },
  ): Built {
    const amounts = new Map(spec.run.map((invoice) => [invoice, spec.amountsOf?.(invoice) ?? { dueMinor: this.openNow(invoice), paidMinor: this.openNow(invoice) }]));
    const paid = (invoice: Invoice) => (amounts.get(invoice) as DocumentAmounts).paidMinor;
    const cash = (invoice: Invoice) => Math.min(paid(invoice), this.openNow(invoice));
    const adjustments = spec.adjustments ?? [];
    const settled = (invoice: Invoice) => cash(invoice) + adjustments.reduce((sum, adjustment) => sum + (adjustment.invoiceId === invoice.id ? adjustment.amountMinor : 0), 0) === this.openNow(invoice);
    const credit = (spec.creditNotes ?? []).reduce((sum, note) => sum + note.amountMinor, 0);
    const amountMinor = spec.run.reduce((sum, invoice) => sum + paid(invoice), 0) - credit;
    const allocations = spec.run.map((invoice) => ({ invoiceId: invoice.id, amountMinor: cash(invoice) }));
    const customer = this.customerOf(spec.run[0] as Invoice);
    const payer = this.advicePayer(customer);
    const paidInFull = this.consume(spec.run.filter(settled), true, payer.counterparty);
    const touched = this.consume(spec.run.filter((invoice) => !settled(invoice)));
    return this.withAdvice(date, {
      scenario: spec.scenario,
      detail: spec.detail,
      payer,
      lines: [
        ...spec.run.map((invoice) => ({ invoice, amounts: amounts.get(invoice) as DocumentAmounts })),
        ...(spec.creditNotes ?? []).map((note) => ({ number: note.number, kind: 'CREN', amounts: { paidMinor: note.amountMinor } })),
      ],
      amountMinor,
      named: spec.run,
      expected: {
        kind: 'apply',
        rule: 'remittance-advice',
        customerId: customer.id,
        allocations,
        adjustments,
        deductions: spec.deductions,
        unappliedMinor: amountMinor - allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0),
        why: spec.why,
      },
      onEmit: (entryId) => {
        paidInFull(entryId);
        touched(entryId);
      },
    });
  }

  /** Each invoice of the run paid in full, amounts given; sometimes net of a credit note we have already booked. */
  private adviceFull(date: string): Built | undefined {
    const run = this.drawRun(date, 2, 15);
    if (!run) return undefined;
    // Our open amount is already net of the credit note; the payer lists the invoice gross and the credit note apart.
    const netted = this.random.chance(0.15) ? run.find((invoice) => this.openNow(invoice) >= 3_000) : undefined;
    const credit = netted ? this.random.int(100, Math.floor(this.openNow(netted) / 3)) : 0;
    return this.adviceApplied(date, {
      scenario: 'advice-full',
      detail: `${run.length} invoice(s) paid in full${netted ? `, net of a credit note of ${credit} already booked on ${netted.number}` : ''}`,
      run,
      amountsOf: (invoice) => (invoice === netted ? { dueMinor: this.openNow(invoice) + credit, paidMinor: this.openNow(invoice) + credit } : undefined),
      creditNotes: netted ? [{ number: `GS-${netted.year}-${this.random.digits(5)}`, amountMinor: credit }] : [],
      why: `the advice gives each of ${run.length} invoice(s) its open amount${netted ? ', the credit note netted against the one it was booked on' : ''}, and adds up to the transfer`,
    });
  }

  /** One document short and the advice silent about why: exactly the payer's split, the short one part-paid. */
  private adviceShortNoReason(date: string): Built | undefined {
    const variant = this.random.weighted([
      ['part payment', 45],
      ['a little short', 25],
      ['priced per unit', 15],
      ['short by the discount, not stated', 15],
    ] as const);
    const fits = (invoice: Invoice) => {
      const open = this.openNow(invoice);
      if (variant === 'priced per unit') return (this.payerGross(invoice) ?? open) < open;
      if (variant === 'short by the discount, not stated') return this.discountOptions(invoice, open, date).length > 0;
      return open >= 2_000;
    };
    const run = this.drawRun(date, 1, 12, fits);
    const first = run?.[0];
    if (!run || !first) return undefined;
    const open = this.openNow(first);
    const paid =
      variant === 'part payment'
        ? Math.floor((open * this.random.int(20, 90)) / 100) + this.random.int(0, 99)
        : variant === 'a little short'
          ? open - this.random.int(1, Math.max(99, this.toleranceFor(open)))
          : variant === 'priced per unit'
            ? (this.payerGross(first) as number)
            : open - this.halfUpDiscount(first, open);
    if (paid <= 0 || paid >= open) return undefined;
    return this.adviceApplied(date, {
      scenario: 'advice-short-no-reason',
      detail: `${variant}: ${first.number} paid ${paid} of ${open}${variant === 'priced per unit' ? ` (${first.unitPricing?.text})` : ''}`,
      run,
      amountsOf: (invoice) => (invoice === first ? { dueMinor: variant === 'priced per unit' ? paid : open, paidMinor: paid } : undefined),
      why: `the advice pays ${paid} of ${open} on ${first.number} and says nothing of the rest: ${open - paid} stays open (no bank charges, no discount of ours), every other invoice as stated`,
    });
  }

  /** Structured deductions with a reason code on one document (sometimes two, sometimes a rest unexplained). */
  private adviceShortWithDeduction(date: string): Built | undefined {
    const run = this.drawRun(date, 1, 12, (invoice) => this.openNow(invoice) >= 1_000);
    const first = run?.[0];
    if (!run || !first) return undefined;
    const second = run.length > 1 && this.random.chance(0.2) ? run.find((invoice) => invoice !== first && this.openNow(invoice) >= 1_000) : undefined;
    const deducted = new Map<Invoice, DocumentAmounts>();
    let unexplained = 0;
    for (const invoice of second ? [first, second] : [first]) {
      const open = this.openNow(invoice);
      const count = this.random.chance(0.15) ? 2 : 1;
      const adjustments = Array.from({ length: count }, () => ({ ...this.random.pick(ADJUSTMENT_REASONS), amountMinor: this.random.int(1, Math.floor((open * 2) / (5 * count))) }));
      const total = adjustments.reduce((sum, adjustment) => sum + adjustment.amountMinor, 0);
      const rest = this.random.chance(0.15) ? this.random.int(1, Math.max(1, Math.floor((open - total) / 4))) : 0;
      if (open - total - rest <= 0) return undefined;
      unexplained += rest;
      deducted.set(invoice, { dueMinor: open, paidMinor: open - total - rest, adjustments });
    }
    const deductions = [...deducted].flatMap(([invoice, amounts]) => (amounts.adjustments ?? []).map((adjustment) => ({ invoiceId: invoice.id, amountMinor: adjustment.amountMinor, code: adjustment.code })));
    return this.adviceApplied(date, {
      scenario: 'advice-short-with-deduction',
      detail: `${deductions.length} deduction(s) (${deductions.map((deduction) => deduction.code ?? 'no code').join(', ')}) on ${deducted.size} invoice(s)${unexplained > 0 ? `, ${unexplained} more short unexplained` : ''}`,
      run,
      amountsOf: (invoice) => deducted.get(invoice),
      deductions,
      why: `the advice pays each invoice its stated amount and deducts ${deductions.map((deduction) => deduction.amountMinor).join(' + ')} with reasons: recorded as deductions, left open for a person${unexplained > 0 ? `; ${unexplained} more stays open as a part payment` : ''}`,
    });
  }

  /** One document paid more than it has open (the payer priced per unit, or simply paid more): capped, the rest unapplied. */
  private adviceOverpaidDocument(date: string): Built | undefined {
    const perUnit = this.random.chance(0.35);
    const run = this.drawRun(date, 1, 8, (invoice) => !perUnit || (this.payerGross(invoice) ?? 0) > this.openNow(invoice));
    const first = run?.[0];
    if (!run || !first) return undefined;
    const open = this.openNow(first);
    const paid = perUnit ? (this.payerGross(first) as number) : open + (this.random.chance(0.5) ? this.random.int(1, 99) : this.random.int(100, Math.max(100, Math.floor(open / 2))));
    return this.adviceApplied(date, {
      scenario: 'advice-overpaid-document',
      detail: `${first.number} paid ${paid}, ${paid - open} more than its ${open}${perUnit ? ` (priced per unit: ${first.unitPricing?.text})` : ''}`,
      run,
      amountsOf: (invoice) => (invoice === first ? { dueMinor: paid, paidMinor: paid } : undefined),
      why: `the advice pays ${paid} on ${first.number}, open ${open}: it is paid in full and ${paid - open} stays unapplied on the customer's account`,
    });
  }

  /** The payer takes the early-payment discount its terms grant, in time, and says so on each document it takes it on. */
  private adviceDiscountInTerms(date: string): Built | undefined {
    const run = this.drawRun(date, 1, 10, (invoice) => this.discountOptions(invoice, this.openNow(invoice), date).length > 0);
    const first = run?.[0];
    if (!run || !first) return undefined;
    const discounts = new Map<Invoice, number>();
    const roundings: string[] = [];
    for (const invoice of run) {
      const open = this.openNow(invoice);
      const options = this.discountOptions(invoice, open, date);
      if (options.length === 0 || (invoice !== first && this.random.chance(0.1))) continue;
      const rate = invoice.earlyPaymentDiscount?.rateBasisPoints ?? 0;
      const rounding = this.random.weighted([
        ['half-up', 55],
        ['down', 15],
        ['up', 10],
        ['of the net amount', 20],
      ] as const);
      const discount =
        rounding === 'half-up'
          ? this.halfUpDiscount(invoice, open)
          : rounding === 'down'
            ? Math.floor((open * rate) / 10_000)
            : rounding === 'up'
              ? Math.ceil((open * rate) / 10_000)
              : // Some payers take the discount of the amount before 19 % tax: less than the terms allow, so granted.
                Math.floor((open * rate * 200 + 1_190_000) / 2_380_000);
      if (discount <= 0 || discount > Math.max(...options)) continue;
      discounts.set(invoice, discount);
      roundings.push(rounding);
    }
    if (!discounts.has(first)) return undefined;
    const terms = first.earlyPaymentDiscount as NonNullable<Invoice['earlyPaymentDiscount']>;
    return this.adviceApplied(date, {
      scenario: 'advice-discount-in-terms',
      detail: `${terms.rateBasisPoints / 100}% within ${terms.days} days on ${discounts.size} of ${run.length} invoice(s) (${roundings.join(', ')}), paid ${date}, deadline ${first.deadline}`,
      run,
      amountsOf: (invoice) => {
        const discount = discounts.get(invoice);
        return discount ? { dueMinor: this.openNow(invoice), paidMinor: this.openNow(invoice) - discount, discountMinor: discount } : undefined;
      },
      adjustments: [...discounts].map(([invoice, discount]) => ({ invoiceId: invoice.id, kind: 'discount' as const, amountMinor: discount })),
      why: `the advice states discounts within the terms, paid within the period (+ ${this.grace} grace days): each is a discount adjustment and settles its invoice`,
    });
  }

  /** A discount the payer states but the terms do not grant (too late, too much, no terms): the amount stays open. */
  private adviceDiscountOutsideTerms(date: string): Built | undefined {
    const variant = this.random.weighted([
      ['after the period', 50],
      ['more than the terms', 25],
      ['terms without discount', 25],
    ] as const);
    const fits = (invoice: Invoice) => {
      const terms = invoice.earlyPaymentDiscount;
      if (variant === 'terms without discount') return !terms;
      if (!terms) return false;
      return variant === 'after the period' ? invoice.deadline < date : this.discountOptions(invoice, this.openNow(invoice), date).length > 0;
    };
    const run = this.drawRun(date, 1, 8, fits);
    const first = run?.[0];
    if (!run || !first) return undefined;
    const open = this.openNow(first);
    const termsRate = first.earlyPaymentDiscount?.rateBasisPoints ?? 0;
    const rate = variant === 'after the period' ? termsRate : variant === 'more than the terms' ? termsRate + this.random.pick([100, 150, 200]) : this.random.pick([200, 300]);
    const discount = Math.floor((open * rate * 2 + 10_000) / 20_000);
    const allowed = this.discountOptions(first, open, date);
    if (discount <= 0 || discount >= open || (allowed.length > 0 && discount <= Math.max(...allowed))) return undefined;
    return this.adviceApplied(date, {
      scenario: 'advice-discount-outside-terms',
      detail: `${variant}: ${rate / 100}% (${discount}) taken on ${first.number}${termsRate ? `, terms ${termsRate / 100}% until ${first.deadline} incl. grace` : ''}, paid ${date}`,
      run,
      amountsOf: (invoice) => (invoice === first ? { dueMinor: open, paidMinor: open - discount, discountMinor: discount } : undefined),
      why: `the payer states a discount of ${discount} on ${first.number} that its terms do not grant (${variant}): the cash is applied as stated and ${discount} stays open, no adjustment`,
    });
  }

  /** An advice a person must look at: nothing automatic, whatever its documents say. */
  private adviceHeld(
    date: string,
    spec: { scenario: Scenario; detail: string; listed: readonly Invoice[]; amountsOf?: ((invoice: Invoice) => DocumentAmounts | undefined) | undefined; unknown?: { number: string; amountMinor: number } | undefined; amountMinor: number; why: string },
  ): Built {
    return this.withAdvice(date, {
      scenario: spec.scenario,
      detail: spec.detail,
      payer: this.advicePayer(this.customerOf(spec.listed[0] as Invoice)),
      lines: [
        ...spec.listed.map((invoice) => ({ invoice, amounts: spec.amountsOf?.(invoice) ?? { dueMinor: this.openNow(invoice), paidMinor: this.openNow(invoice) } })),
        ...(spec.unknown ? [{ number: spec.unknown.number, amounts: { paidMinor: spec.unknown.amountMinor } }] : []),
      ],
      amountMinor: spec.amountMinor,
      named: spec.listed,
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: spec.why },
    });
  }

  /** The advice does not add up to the transfer: bank charges taken on the way, a mistyped amount, or more paid than listed. */
  private adviceNotAddingUp(date: string): Built | undefined {
    const variant = this.random.weighted([
      ['bank charges taken on the way', 45],
      ['a mistyped amount', 30],
      ['an invoice paid but not listed', 25],
    ] as const);
    const unlisted = variant === 'an invoice paid but not listed';
    const run = this.drawRun(date, unlisted ? 2 : 1, 12);
    if (!run) return undefined;
    const listed = unlisted ? run.slice(0, -1) : run;
    const total = listed.reduce((sum, invoice) => sum + this.openNow(invoice), 0);
    const typo = variant === 'a mistyped amount' ? this.random.pick(listed) : undefined;
    const typed = typo ? mistyped(this.openNow(typo), this.random) : undefined;
    const charges = variant === 'bank charges taken on the way' ? this.random.pick([250, 500, 750, 1_000, 1_250, 1_500, 2_000, 2_500]) : 0;
    const amount = unlisted ? total + this.openNow(run[run.length - 1] as Invoice) : total - charges;
    if (amount <= 0 || (typo && typed === undefined)) return undefined;
    return this.adviceHeld(date, {
      scenario: 'advice-not-adding-up',
      detail: `${variant}${charges ? ` (${charges})` : ''}${typo ? ` (${typo.number}: ${typed} for ${this.openNow(typo)})` : ''}`,
      listed,
      amountsOf: (invoice) => (invoice === typo ? { dueMinor: this.openNow(invoice), paidMinor: typed as number } : undefined),
      amountMinor: amount,
      why: `the advice's amounts do not add up to the transfer (${variant}): a person decides, never a split of our own`,
    });
  }

  /** The advice names a document we do not have: a mistyped number of ours, the payer's own voucher, another supplier's invoice. */
  private adviceUnknownDocument(date: string): Built | undefined {
    const variant = this.random.weighted([
      ['a mistyped number of ours', 50],
      ["the payer's own voucher number", 25],
      ["another supplier's invoice", 25],
    ] as const);
    const mistypedOurs = variant === 'a mistyped number of ours';
    const run = this.drawRun(date, mistypedOurs ? 2 : 1, 10);
    if (!run) return undefined;
    let unknown: { number: string; amountMinor: number };
    if (mistypedOurs) {
      const meant = run[run.length - 1] as Invoice;
      const typo = this.typoDigits(meant);
      if (!typo || this.byDigits.has(typo.digits)) return undefined;
      unknown = { number: `INV-${typo.digits.slice(0, 4)}-${typo.digits.slice(4)}`, amountMinor: this.openNow(meant) };
    } else if (variant === "the payer's own voucher number") unknown = { number: `51${this.random.digits(8)}`, amountMinor: this.amount() };
    else unknown = { number: `${this.random.pick(['RE', 'RG', 'INV'])}-${this.random.int(10_000, 99_999)}`, amountMinor: this.amount() };
    const listed = mistypedOurs ? run.slice(0, -1) : run;
    return this.adviceHeld(date, {
      scenario: 'advice-unknown-document',
      detail: `${variant} (${unknown.number})`,
      listed,
      unknown,
      amountMinor: listed.reduce((sum, invoice) => sum + this.openNow(invoice), 0) + unknown.amountMinor,
      why: `the advice names ${unknown.number}, which is none of our invoices: a person decides`,
    });
  }

  /** A deduction the payer writes in words, the way people do, in English or German. */
  private deductionPhrase(amountMinor: number): { text: string; reason: string } {
    const german = this.random.chance(0.5);
    const amount = writtenAmount(amountMinor, this.currency, german, this.random.chance(0.5));
    const currency = this.currency;
    const reason = this.random.pick(german ? DEDUCTION_WORDS_DE : DEDUCTION_WORDS_EN);
    // Every phrase ends its clause: what follows on the same clause is read as part of the reason (see the known
    // gaps in cash-matching-remittance.test.ts).
    const templates = german
      ? [
          `abzgl. ${amount} ${currency} ${reason}`,
          `abzgl. ${reason} ${amount}`,
          `abzüglich ${amount} ${currency} ${reason}`,
          `Abzug ${amount} ${currency} wg. ${reason}`,
          `ABZGL. ${amount} ${currency} ${transliterate(reason).toUpperCase()}`,
          ...(currency === 'EUR' ? [`minus ${amount} € ${reason}`] : []),
        ]
      : [`less ${reason} ${amount}`, `less ${amount} ${reason}`, `less ${currency} ${amount} for ${reason}`, `minus ${amount} ${reason}`, `deduction of ${amount} for ${reason}`, `deducted ${amount} ${reason}`, `LESS ${reason.toUpperCase()} ${amount}`];
    return { text: this.random.pick(templates), reason };
  }

  /** The invoice's reference and a deduction phrase, in either order, as one remittance text. */
  private withDeduction(named: string, phrase: string): string {
    if (!named) return phrase;
    return this.random.chance(0.7) ? `${named}${this.random.pick([' ', ', '])}${phrase}` : `${phrase}, ${named}`;
  }

  /** One invoice named, a deduction in words; the rest may be bank charges within tolerance. */
  private deductionInWords(date: string): Built | undefined {
    const withFee = this.random.chance(0.25);
    const invoice = this.pickFresh(date, (candidate) => {
      const open = this.openNow(candidate);
      return open >= 3_000 && (!withFee || (this.toleranceFor(open) >= 1 && this.discountOptions(candidate, open, date).length === 0));
    });
    if (!invoice) return undefined;
    const open = this.openNow(invoice);
    // Small deductions matter most: misread, they would pass for bank charges.
    const deduction = this.random.chance(0.3) ? this.random.int(100, 1_500) : this.random.int(1_500, Math.max(1_500, Math.floor((open * 2) / 5)));
    const fee = withFee ? this.random.int(1, this.toleranceFor(open)) : 0;
    const amount = open - deduction - fee;
    if (amount <= 0) return undefined;
    const customer = this.customerOf(invoice);
    const payer = this.ownOrStranger(customer);
    const named = this.nameInvoice(invoice, date);
    const phrase = this.deductionPhrase(deduction);
    return {
      scenario: 'deduction-in-words',
      detail: `"${phrase.text}"${fee ? `, ${fee} more short (bank charges)` : ''}, ${named.form}, payer ${payer.kind}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.withDeduction(named.remittance, phrase.text),
      references: named.references,
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: [invoice.id], rf: named.rule === 'rf-reference' },
      expected: {
        kind: 'apply',
        rule: 'invoice-number',
        customerId: customer.id,
        allocations: [{ invoiceId: invoice.id, amountMinor: amount }],
        adjustments: fee ? [{ invoiceId: invoice.id, kind: 'write-off', amountMinor: fee }] : [],
        deductions: [{ invoiceId: invoice.id, amountMinor: deduction }],
        unappliedMinor: 0,
        why: `names ${invoice.number} and deducts ${deduction} in words (${phrase.reason}): a deduction left open for a person${fee ? `, and ${fee} bank charges within tolerance` : ''}`,
      },
      onEmit: this.consume([invoice]),
    };
  }

  /** Two or three invoices named and one deduction in words: which invoice carries it is for the payer to say. */
  private deductionInWordsTwoInvoices(date: string): Built | undefined {
    const run = this.drawRun(date, 2, 3);
    if (!run) return undefined;
    const total = run.reduce((sum, invoice) => sum + this.openNow(invoice), 0);
    const deduction = this.random.int(100, Math.max(100, Math.floor((Math.min(...run.map((invoice) => this.openNow(invoice))) * 2) / 5)));
    const amount = total - deduction;
    if (amount <= 0) return undefined;
    const payer = this.ownOrStranger(this.customerOf(run[0] as Invoice));
    const phrase = this.deductionPhrase(deduction);
    const numbers = run.map((invoice) => this.writeNumber(invoice).text).join(this.random.pick([', ', ' ', ' / ']));
    return {
      scenario: 'deduction-in-words-two-invoices',
      detail: `${run.length} invoices, "${phrase.text}", payer ${payer.kind}`,
      amountMinor: amount,
      counterparty: payer.counterparty,
      remittance: this.withDeduction(numbers, phrase.text),
      endToEndId: this.e2e(date),
      transactionCode: this.credit(),
      intent: { names: run.map((invoice) => invoice.id), rf: false },
      expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: `names ${run.length} invoices and deducts ${deduction} in words without saying on which: a person decides` },
    };
  }

  /**
   * A payer nobody knows writes a number one edit from two open invoices, and pays exactly what one of them has open:
   * the same-amount invoice alone fits the typo, but the number fits the other just as well.
   */
  private typoUnknownPayerTwoNear(date: string): Built | undefined {
    for (let attempt = 0; attempt < 30; attempt++) {
      const meant = this.invoices[this.random.int(0, this.invoices.length - 1)] as Invoice;
      const amount = this.open.get(meant.id) ?? 0;
      if (amount <= 0 || meant.issueDate >= date) continue;
      for (let at = meant.digits.length - 1; at >= 4; at--) {
        const neighbours = DIGITS.filter((digit) => digit !== meant.digits[at])
          .flatMap((digit) => this.byDigits.get(replaceAt(meant.digits, at, digit)) ?? [])
          .filter((other) => (this.open.get(other.id) ?? 0) > 0 && this.open.get(other.id) !== amount && other.issueDate < date);
        if (neighbours.length === 0) continue;
        const other = this.random.pick(neighbours);
        const free = DIGITS.filter((digit) => digit !== meant.digits[at] && digit !== other.digits[at] && !this.byDigits.has(replaceAt(meant.digits, at, digit)));
        if (free.length === 0) continue;
        const written = this.writeNumber(meant, replaceAt(meant.digits, at, this.random.pick(free)));
        const payer = this.stranger();
        return {
          scenario: 'typo-unknown-payer-two-near',
          detail: `wrote ${written.text}: one edit from ${meant.number} (open ${amount}, the amount paid) and ${other.number} (open ${this.open.get(other.id)}), payer unknown`,
          amountMinor: amount,
          counterparty: payer.counterparty,
          remittance: this.withNoise(written.text, date),
          endToEndId: this.e2e(date),
          transactionCode: this.credit(),
          intent: { nearOnly: [meant.id, other.id] },
          involves: [meant.id, other.id],
          expected: { kind: 'mustNotAllocate', allocations: [], adjustments: [], unappliedMinor: 0, why: `an unknown payer's number is one edit from ${meant.number} and from ${other.number}: the amount alone does not say which was meant` },
        };
      }
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

/** How a payer's advice gives its amounts; see `LedgerGenerator.document`. */
type AdviceStyle = 'remitted' | 'due-and-remitted' | 'due-less';

interface DocumentAmounts {
  dueMinor?: number | undefined;
  paidMinor: number;
  discountMinor?: number | undefined;
  adjustments?: { amountMinor: number; code?: string | undefined; reason?: string | undefined }[] | undefined;
}

/** Reason codes and words payers send with a structured deduction (ERP-specific codes, X12-style numbers, words only). */
const ADJUSTMENT_REASONS: readonly { code?: string | undefined; reason?: string | undefined }[] = [
  { code: 'DAMG', reason: 'damaged goods' },
  { code: 'SHRT', reason: 'short delivery' },
  { code: 'PRIC', reason: 'pricing difference' },
  { code: 'RETN', reason: 'returned goods' },
  { code: 'FRGT', reason: 'freight not agreed' },
  { code: '04' },
  { reason: 'Mängelrüge' },
];
const DEDUCTION_WORDS_EN = ['damaged goods', 'short delivery', 'pricing difference', 'returned goods', 'missing pallet', 'quality claim', 'late delivery penalty'];
const DEDUCTION_WORDS_DE = ['Transportschaden', 'Mindermenge', 'Preisdifferenz', 'Retoure', 'Qualitätsmangel', 'Fehlmenge', 'Vertragsstrafe'];
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const replaceAt = (text: string, at: number, character: string) => text.slice(0, at) + character + text.slice(at + 1);

/** An amount as people type it: `1,234.50`, or `1.234,50` in German, thousands grouped or not, in the currency's exponent. */
function writtenAmount(minor: number, currency: string, german: boolean, grouped: boolean): string {
  const exponent = minorUnitDigits(currency);
  const scale = 10 ** exponent;
  const whole = String(Math.floor(minor / scale));
  const wholeText = grouped ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, german ? '.' : ',') : whole;
  return exponent === 0 ? wholeText : `${wholeText}${german ? ',' : '.'}${String(minor % scale).padStart(exponent, '0')}`;
}

/** `amount` as a payer mistypes it: two neighbouring digits swapped, or else one digit changed. */
function mistyped(amount: number, random: Random): number | undefined {
  const digits = String(amount);
  const swaps = [...digits].flatMap((digit, at) => (at + 1 < digits.length && digit !== digits[at + 1] && !(at === 0 && digits[1] === '0') ? [at] : []));
  if (swaps.length > 0) {
    const at = random.pick(swaps);
    return Number(digits.slice(0, at) + digits[at + 1] + digits[at] + digits.slice(at + 2));
  }
  const at = random.int(1, digits.length - 1);
  const changed = Number(replaceAt(digits, at, DIGITS.filter((digit) => digit !== digits[at])[random.int(0, 8)] as string));
  return changed > 0 && changed !== amount ? changed : undefined;
}

const DRAWN = (Object.entries(SCENARIOS) as [Scenario, (typeof SCENARIOS)[Scenario]][]).filter(([, spec]) => spec.weight > 0).map(([name, spec]) => [name, spec.weight] as const);

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** Every 10-digit key one edit from `digits`: a changed, missing or extra digit, or two neighbours swapped. */
function oneEditVariants(digits: string): string[] {
  const variants: string[] = [];
  if (digits.length === 10) {
    for (let at = 0; at < 10; at++) {
      for (let digit = 0; digit <= 9; digit++) if (String(digit) !== digits[at]) variants.push(digits.slice(0, at) + digit + digits.slice(at + 1));
      if (at < 9 && digits[at] !== digits[at + 1]) variants.push(digits.slice(0, at) + digits[at + 1] + digits[at] + digits.slice(at + 2));
    }
  } else if (digits.length === 9) {
    for (let at = 0; at <= 9; at++) for (let digit = 0; digit <= 9; digit++) variants.push(digits.slice(0, at) + digit + digits.slice(at));
  } else if (digits.length === 11) {
    for (let at = 0; at < 11; at++) variants.push(digits.slice(0, at) + digits.slice(at + 1));
  }
  return variants;
}

/**
 * How many sets of two or more of `amounts` add up to `target`, counted exactly by meet-in-the-middle; `Infinity`
 * when more than `maxItems` amounts are below the target (too many to be sure, which counts as ambiguous). An amount
 * equal to the target is a single invoice, not a set, and is left out.
 */
function countSubsetsSummingTo(amounts: readonly number[], target: number, maxItems = 20): number {
  const items = amounts.filter((amount) => amount > 0 && amount < target);
  if (items.length > maxItems) return Number.POSITIVE_INFINITY;
  const sums = (part: readonly number[]) => part.reduce<number[]>((all, amount) => all.concat(all.map((sum) => sum + amount)), [0]);
  const half = items.length >> 1;
  const right = new Map<number, number>();
  for (const sum of sums(items.slice(half))) right.set(sum, (right.get(sum) ?? 0) + 1);
  // Each item is below the target, so neither the empty set nor a single item reaches it: every hit has two or more.
  return sums(items.slice(0, half)).reduce((count, sum) => count + (right.get(target - sum) ?? 0), 0);
}

export function generateLedger(options: LedgerOptions): Ledger {
  return new LedgerGenerator(options).generate();
}

// ---------------------------------------------------------------------------------------------------------------
// Scoring the engine against the truth
// ---------------------------------------------------------------------------------------------------------------

/**
 * `correct`: did what the truth says; `held`: left to a person where it must; `missed`: left to a person where it
 * could have applied; `wrong`: anything else; `upstream`: missed or wrong, but an invoice the entry involves was
 * already open for a different amount in the engine than in the truth, because of an earlier error or miss (that
 * earlier entry is counted where it happened).
 */
export type Verdict = 'correct' | 'held' | 'missed' | 'wrong' | 'upstream';

const didNothing = (match: EntryMatch) => match.allocations.length === 0 && match.adjustments.length === 0 && (match.deductions ?? []).length === 0 && match.unappliedMinor === 0 && match.outcome !== 'reversal';
/** Invoice by invoice and amount by amount: another split of the same cash is another answer. */
const allocationKey = (items: readonly { invoiceId: string; amountMinor: number }[]) => items.map((item) => `${item.invoiceId}=${item.amountMinor}`).sort().join(' ');
const adjustmentKey = (items: readonly { invoiceId: string; kind: string; amountMinor: number }[]) => items.map((item) => `${item.invoiceId}:${item.kind}=${item.amountMinor}`).sort().join(' ');

export function judge(expected: Expected, got: EntryMatch): Verdict {
  if (expected.kind === 'mustNotAllocate') return didNothing(got) ? 'held' : 'wrong';
  if (expected.kind === 'reversal') {
    if (got.outcome === 'reversal') return got.reverses?.paymentId === expected.reverses && got.allocations.length === 0 && got.adjustments.length === 0 ? 'correct' : 'wrong';
    return didNothing(got) ? 'missed' : 'wrong';
  }
  if (didNothing(got)) return 'missed';
  if (got.outcome === 'reversal') return 'wrong';
  const same =
    allocationKey(got.allocations) === allocationKey(expected.allocations) &&
    adjustmentKey(got.adjustments) === adjustmentKey(expected.adjustments) &&
    // A deduction on another invoice, of another amount, missing or made up is wrong: it decides what a person is asked.
    allocationKey(got.deductions ?? []) === allocationKey(expected.deductions) &&
    got.unappliedMinor === expected.unappliedMinor &&
    (expected.unappliedMinor === 0 || got.customerId === expected.customerId);
  return same ? 'correct' : 'wrong';
}

export function describeExpected(expected: Expected): string {
  if (expected.kind === 'mustNotAllocate') return `nothing automatic (${expected.why})`;
  if (expected.kind === 'reversal') return `reversal of ${expected.reverses}`;
  const parts = [
    expected.allocations.length > 0 ? `allocate ${allocationKey(expected.allocations)}` : '',
    expected.adjustments.length > 0 ? `adjust ${adjustmentKey(expected.adjustments)}` : '',
    expected.deductions.length > 0 ? `deduct ${allocationKey(expected.deductions)}` : '',
    expected.unappliedMinor > 0 ? `unapplied ${expected.unappliedMinor} on ${expected.customerId}` : '',
  ].filter(Boolean);
  return `${parts.join('; ')} [${expected.rule ?? 'no rule'}]`;
}

export function describeMatch(got: EntryMatch): string {
  const parts = [
    got.outcome,
    got.allocations.length > 0 ? `allocate ${allocationKey(got.allocations)} [${[...new Set(got.allocations.map((allocation) => allocation.rule))].join(',')}]` : '',
    got.adjustments.length > 0 ? `adjust ${adjustmentKey(got.adjustments)}` : '',
    (got.deductions ?? []).length > 0 ? `deduct ${allocationKey(got.deductions ?? [])}` : '',
    got.unappliedMinor > 0 ? `unapplied ${got.unappliedMinor} on ${got.customerId}` : '',
    got.reverses ? `reverses ${got.reverses.paymentId}` : '',
  ].filter(Boolean);
  return `${parts.join('; ')} — ${got.reason}`;
}

export interface ScenarioScore {
  scenario: Scenario;
  truth: TruthKind;
  entries: number;
  correct: number;
  held: number;
  missed: number;
  wrong: number;
  upstream: number;
  /** Right allocations made by another rule than the scenario's (for reading, not a fault). */
  otherRule: number;
  /** correct / entries for apply and reversal; held / entries for mustNotAllocate (entries after an upstream error left out). */
  recall: number;
  /** correct / (correct + wrong); 1 when nothing was done. */
  precision: number;
}

export interface WrongCase {
  entryId: string;
  scenario: Scenario;
  detail: string;
  entry: BankEntry;
  expected: string;
  got: string;
}

export interface Score {
  scenarios: ScenarioScore[];
  wrong: WrongCase[];
  missed: { entryId: string; scenario: Scenario; detail: string; got: string }[];
  upstream: { entryId: string; scenario: Scenario; detail: string; got: string; diverged: string[] }[];
  /** `wrong` counts every wrong entry; `wrongWhereToApply` only those the truth wanted applied or reversed. */
  totals: { entries: number; toApply: number; applied: number; wrong: number; wrongWhereToApply: number; recall: number; held: number; mustNotAllocate: number; upstream: number };
}

export function scoreMatches(ledger: Ledger, matches: readonly EntryMatch[]): Score {
  const byScenario = new Map<Scenario, ScenarioScore>();
  const wrong: WrongCase[] = [];
  const missed: Score['missed'] = [];
  const upstream: Score['upstream'] = [];
  // Both ledgers replayed side by side: the engine's own effects and the truth's.
  const engineOpen = new Map(ledger.openItems.map((item) => [item.id, item.openMinor]));
  const truthOpen = new Map(engineOpen);
  const move = (open: Map<string, number>, changes: readonly { invoiceId: string; amountMinor: number }[], sign: 1 | -1) => {
    for (const change of changes) open.set(change.invoiceId, (open.get(change.invoiceId) ?? 0) + sign * change.amountMinor);
  };
  ledger.entries.forEach((entry, index) => {
    const expected = ledger.truth.get(entry.id) as Expected;
    const got = matches[index] as EntryMatch;
    let verdict = judge(expected, got);
    const touched = [...expected.involves, ...[...expected.allocations, ...expected.adjustments, ...got.allocations, ...got.adjustments].map((change) => change.invoiceId)];
    const diverged = touched.filter((id) => engineOpen.get(id) !== truthOpen.get(id));
    if ((verdict === 'wrong' || verdict === 'missed') && diverged.length > 0) verdict = 'upstream';
    if (got.outcome === 'reversal' && got.reverses) {
      move(engineOpen, [...got.reverses.allocations, ...got.reverses.adjustments], 1);
    } else move(engineOpen, [...got.allocations, ...got.adjustments], -1);
    if (expected.kind === 'reversal') {
      const undone = ledger.truth.get(expected.reverses as string);
      if (undone) move(truthOpen, [...undone.allocations, ...undone.adjustments], 1);
    } else move(truthOpen, [...expected.allocations, ...expected.adjustments], -1);
    const score =
      byScenario.get(expected.scenario) ??
      ({ scenario: expected.scenario, truth: expected.kind, entries: 0, correct: 0, held: 0, missed: 0, wrong: 0, upstream: 0, otherRule: 0, recall: 0, precision: 1 } satisfies ScenarioScore);
    byScenario.set(expected.scenario, score);
    score.entries++;
    score[verdict]++;
    if (verdict === 'correct' && expected.rule && got.allocations.some((allocation) => allocation.rule !== expected.rule)) score.otherRule++;
    if (verdict === 'wrong') wrong.push({ entryId: entry.id, scenario: expected.scenario, detail: expected.detail, entry, expected: describeExpected(expected), got: describeMatch(got) });
    if (verdict === 'missed') missed.push({ entryId: entry.id, scenario: expected.scenario, detail: expected.detail, got: describeMatch(got) });
    if (verdict === 'upstream') upstream.push({ entryId: entry.id, scenario: expected.scenario, detail: expected.detail, got: describeMatch(got), diverged: diverged.map((id) => `${id} engine ${engineOpen.get(id)} truth ${truthOpen.get(id)}`) });
  });
  const order = Object.keys(SCENARIOS) as Scenario[];
  const scenarios = [...byScenario.values()].sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
  for (const score of scenarios) {
    const judged = score.entries - score.upstream;
    score.recall = judged === 0 ? 1 : (score.truth === 'mustNotAllocate' ? score.held : score.correct) / judged;
    score.precision = score.correct + score.wrong === 0 ? 1 : score.correct / (score.correct + score.wrong);
  }
  const acting = scenarios.filter((score) => score.truth !== 'mustNotAllocate');
  const holding = scenarios.filter((score) => score.truth === 'mustNotAllocate');
  const toApply = acting.reduce((sum, score) => sum + score.entries - score.upstream, 0);
  const applied = acting.reduce((sum, score) => sum + score.correct, 0);
  const wrongActing = acting.reduce((sum, score) => sum + score.wrong, 0);
  return {
    scenarios,
    wrong,
    missed,
    upstream,
    totals: {
      entries: ledger.entries.length,
      toApply,
      applied,
      wrong: wrong.length,
      wrongWhereToApply: wrongActing,
      recall: toApply === 0 ? 1 : applied / toApply,
      held: holding.reduce((sum, score) => sum + score.held, 0),
      mustNotAllocate: holding.reduce((sum, score) => sum + score.entries - score.upstream, 0),
      upstream: upstream.length,
    },
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The per-scenario table in markdown: entries, right, missed, wrong, after-upstream, recall (held share for must-not-allocate), precision. */
export function formatScoreTable(score: Score): string {
  const rows = score.scenarios.map((row) => [
    row.scenario,
    row.truth === 'mustNotAllocate' ? 'hold' : row.truth,
    String(row.entries),
    String(row.truth === 'mustNotAllocate' ? row.held : row.correct),
    row.truth === 'mustNotAllocate' ? '—' : String(row.missed),
    String(row.wrong),
    String(row.upstream),
    percent(row.recall),
    row.truth === 'mustNotAllocate' ? '—' : percent(row.precision),
  ]);
  const { totals } = score;
  const acting = score.scenarios.filter((row) => row.truth !== 'mustNotAllocate');
  const holding = score.scenarios.filter((row) => row.truth === 'mustNotAllocate');
  const sum = (rows: ScenarioScore[], pick: (row: ScenarioScore) => number) => String(rows.reduce((total, row) => total + pick(row), 0));
  rows.push([
    'all to apply or reverse',
    'apply+reversal',
    sum(acting, (row) => row.entries),
    String(totals.applied),
    sum(acting, (row) => row.missed),
    String(totals.wrongWhereToApply),
    sum(acting, (row) => row.upstream),
    percent(totals.recall),
    percent(totals.applied + totals.wrongWhereToApply === 0 ? 1 : totals.applied / (totals.applied + totals.wrongWhereToApply)),
  ]);
  rows.push(['all must-not-allocate', 'hold', sum(holding, (row) => row.entries), String(totals.held), '—', sum(holding, (row) => row.wrong), sum(holding, (row) => row.upstream), percent(totals.mustNotAllocate === 0 ? 1 : totals.held / totals.mustNotAllocate), '—']);
  return markdownTable(['scenario', 'truth', 'entries', 'right', 'missed', 'wrong', 'upstream', 'recall (held)', 'precision'], rows);
}

/**
 * Precision and recall per kind for several ledgers side by side (`label` heads each ledger's columns): entries,
 * recall (the held share for must-not-allocate kinds), precision and wrong entries. A kind that must be held has
 * nothing right to apply: its precision is `—` while the engine applies nothing there, 0 % once it does.
 */
export function formatKindTable(scores: readonly { label: string; score: Score }[]): string {
  const kinds = (Object.keys(SCENARIOS) as Scenario[]).filter((scenario) => scores.some(({ score }) => score.scenarios.some((row) => row.scenario === scenario)));
  const cells = (row: ScenarioScore | undefined) =>
    row ? [String(row.entries), percent(row.recall), row.truth !== 'mustNotAllocate' ? percent(row.precision) : row.wrong > 0 ? percent(0) : '—', String(row.wrong)] : ['0', '—', '—', '—'];
  const rows = kinds.map((scenario) => [scenario, SCENARIOS[scenario].truth === 'mustNotAllocate' ? 'hold' : SCENARIOS[scenario].truth, ...scores.flatMap(({ score }) => cells(score.scenarios.find((row) => row.scenario === scenario)))]);
  const entriesOf = (score: Score, hold: boolean) => score.scenarios.filter((row) => (row.truth === 'mustNotAllocate') === hold).reduce((sum, row) => sum + row.entries, 0);
  rows.push([
    'all to apply or reverse',
    'apply+reversal',
    ...scores.flatMap(({ score }) => {
      const { applied, wrongWhereToApply, recall } = score.totals;
      return [String(entriesOf(score, false)), percent(recall), percent(applied + wrongWhereToApply === 0 ? 1 : applied / (applied + wrongWhereToApply)), String(wrongWhereToApply)];
    }),
  ]);
  rows.push([
    'all must-not-allocate',
    'hold',
    ...scores.flatMap(({ score }) => {
      const { held, mustNotAllocate, wrong, wrongWhereToApply } = score.totals;
      return [String(entriesOf(score, true)), percent(mustNotAllocate === 0 ? 1 : held / mustNotAllocate), wrong > wrongWhereToApply ? percent(0) : '—', String(wrong - wrongWhereToApply)];
    }),
  ]);
  const header = ['kind', 'truth', ...scores.flatMap(({ label }) => [`${label}: entries`, 'recall (held)', 'precision', 'wrong'])];
  return markdownTable(header, rows);
}

/** `rows` under `header` as a markdown table, each column as wide as its widest cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
