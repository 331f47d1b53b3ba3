/**
 * The synthetic business `o2c simulate` runs through the pipeline: customers with payment habits, a catalogue with
 * awkward prices, and each day's orders. Pure and seeded: the same seed gives the same business, day by day, and a
 * day's orders do not depend on what O2C answered (so two runs can be compared).
 */
import { germanIban } from './camt053.ts';
import { SeededRandom } from './random.ts';

export type PaymentHabit =
  /** Pays in full on the due date, or a few days before. */
  | { kind: 'on-time'; daysEarly: number }
  /** Pays in full this many days after the due date. */
  | { kind: 'late'; days: number }
  /** Pays half on the due date and the rest this many days later. */
  | { kind: 'partial'; restAfterDays: number }
  /** Pays everything open once a week, in one transfer naming every invoice. */
  | { kind: 'weekly-batch'; weekday: number }
  /** Pays on time with a typo in the reference: a person finds the invoice. */
  | { kind: 'typo' }
  /** Never pays: dunning runs its course and credit is held. */
  | { kind: 'defaults' }
  /** Disputes some invoices a few days before they are due; pays the rest, and a rejected dispute's invoice later. */
  | { kind: 'disputes' }
  /** Pays late; once reminded, promises to pay within a week, and keeps or breaks it. */
  | { kind: 'promises' };

export interface SimCustomer {
  externalId: string;
  name: string;
  email: string;
  country: string;
  habit: PaymentHabit;
  /** Payment terms, days from the invoice date, set once O2C knows the customer (its first invoice has the default). */
  termsDays: number;
  /** The IBAN it pays from. */
  account: string;
  /** Where it orders: one channel per customer (O2C keys customers by channel). */
  channel: 'generic' | 'shopify' | 'woocommerce';
  /** Its terms grant a discount for paying early (2 % within 10 days), and it takes it. */
  earlyPaymentDiscount?: { rateBasisPoints: number; days: number } | undefined;
}

const TERMS_BY_HABIT: Record<PaymentHabit['kind'], number> = { 'on-time': 14, late: 30, partial: 21, 'weekly-batch': 14, typo: 7, defaults: 14, disputes: 14, promises: 7 };

export interface SimProduct {
  sku: string;
  name: string;
  priceMinor: number;
  taxRatePercent: number;
}

export interface SimOrderLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  taxRatePercent: number;
}

export interface SimOrder {
  externalId: string;
  day: number;
  customer: SimCustomer;
  lines: SimOrderLine[];
  shippingMinor: number;
  /** Paid at the store's checkout (store channels only): the invoice asks for nothing. */
  prepaid: boolean;
  /** Cancelled by the buyer at the store the same day, before it ships (store channels only). */
  cancelled: boolean;
  /** Shipped in two parts (its first line first, the rest two days later). */
  splitShipment: boolean;
}

export interface Business {
  seed: number;
  customers: SimCustomer[];
  products: SimProduct[];
  /** A product the warehouse runs short of: its first stock, and what arrives every `everyDays` days. */
  scarce: { sku: string; onHand: number; restockUnits: number; everyDays: number };
  /** The orders placed on day `day` (0-based). */
  ordersOn(day: number): SimOrder[];
}

const NAMES = ['Alpen', 'Berg', 'Donau', 'Elbe', 'Fjord', 'Hafen', 'Isar', 'Kiel', 'Lahn', 'Main', 'Neckar', 'Oder', 'Rhein', 'Saale', 'Tauber', 'Weser'];
const FORMS = ['GmbH', 'AG', 'KG', 'e.K.', 'SE', 'OHG'];
const COUNTRIES = ['DE', 'DE', 'AT', 'NL', 'DE', 'GB', 'DE'];
/** Prices that do not divide evenly, on purpose: 19.99 × 3 at 19 % is the classic rounding trap. */
const PRICES = [1999, 333, 12345, 999, 4750, 101, 2599, 7, 89990, 1250];

function habitFor(random: SeededRandom, index: number): PaymentHabit {
  switch (index % 8) {
    case 0:
    case 1:
      return { kind: 'on-time', daysEarly: random.int(0, 3) };
    case 2:
      return { kind: 'late', days: random.int(5, 25) };
    case 3:
      return { kind: 'partial', restAfterDays: random.int(7, 20) };
    case 4:
      return { kind: 'weekly-batch', weekday: random.int(1, 5) };
    case 5:
      return { kind: 'disputes' };
    case 6:
      return { kind: 'promises' };
    default:
      return random.chance(0.5) ? { kind: 'typo' } : { kind: 'defaults' };
  }
}

/** A seeded coin for a decision about one thing (an order, an invoice), the same in every run of the seed. */
export function decides(seed: number, key: string, probability: number): boolean {
  let hash = seed >>> 0;
  for (const char of key) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return new SeededRandom(hash).next() < probability;
}

export function createBusiness(options: { seed: number; customers: number; ordersPerDay: number }): Business {
  const root = new SeededRandom(options.seed);
  const people = root.fork('customers');
  const run = `S${options.seed}`;
  const customers: SimCustomer[] = Array.from({ length: options.customers }, (_, index) => ({
    externalId: `${run}-C${String(index + 1).padStart(3, '0')}`,
    name: `${people.pick(NAMES)} ${people.pick(NAMES)} ${people.pick(FORMS)}`,
    email: `ap${index + 1}@${run.toLowerCase()}.simulated.example`,
    // O2C writes to a customer in the language of its country: German for DE and AT, English for the others.
    country: COUNTRIES[index % COUNTRIES.length] as string,
    habit: habitFor(people, index),
    termsDays: 0,
    account: germanIban(4_000_000 + options.seed * 1_000 + index),
    channel: (['generic', 'shopify', 'woocommerce'] as const)[index % 3] as SimCustomer['channel'],
  }));
  for (const customer of customers) customer.termsDays = TERMS_BY_HABIT[customer.habit.kind];
  // Every other punctual payer has a discount in its terms and pays within it.
  for (const [index, customer] of customers.entries()) if (index % 8 === 1) customer.earlyPaymentDiscount = { rateBasisPoints: 200, days: 10 };
  const products: SimProduct[] = PRICES.map((priceMinor, index) => ({ sku: `${run}-SKU-${index + 1}`, name: `Simulated part ${index + 1}`, priceMinor, taxRatePercent: index % 3 === 2 ? 7 : 19 }));

  return {
    seed: options.seed,
    customers,
    products,
    // The dearest part sells about ordersPerDay / 2 units a day and arrives every third day: orders wait for it.
    scarce: { sku: products[8]!.sku, onHand: options.ordersPerDay, restockUnits: Math.max(5, Math.round(options.ordersPerDay * 1.5)), everyDays: 3 },
    ordersOn(day) {
      const random = root.fork(`orders-${day}`);
      return Array.from({ length: options.ordersPerDay }, (_, index) => {
        const customer = random.pick(customers);
        const skus = new Set<SimProduct>();
        const lineCount = random.int(1, 3);
        while (skus.size < lineCount) skus.add(random.pick(products));
        return {
          externalId: `${run}-D${day}-O${index + 1}`,
          day,
          customer,
          lines: [...skus].map((product) => ({ sku: product.sku, quantity: random.pick([1, 1, 2, 3, 5]), unitPriceMinor: product.priceMinor, taxRatePercent: product.taxRatePercent })),
          shippingMinor: random.pick([0, 0, 495, 990]),
          prepaid: customer.channel !== 'generic' && random.chance(0.3),
          cancelled: customer.channel !== 'generic' && random.chance(0.05),
          splitShipment: skus.size > 1 && random.chance(0.25),
        };
      });
    },
  };
}
