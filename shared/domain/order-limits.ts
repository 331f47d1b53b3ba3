import { InvalidRequest } from './errors.ts';
import { isWithinAmountLimit, MAX_AMOUNT_MINOR } from './money.ts';
import { priceOrder, type Address, type CanonicalOrder } from './order.ts';
import { cleanText, isAcceptedText, refusedCharacter, refusedTextMessage } from './text.ts';

/** Tax rates above 100 % are a store's mistake, and keep every tax of an order inside the amount limit. */
export const MAX_TAX_RATE_PPM = 1_000_000;

/** Identifiers become table keys (`PRODUCT#<sku>`, `ORDERREF#…`): 255 UTF-16 units stay far inside DynamoDB's 1 KB sort and 2 KB partition keys. */
export const MAX_IDENTIFIER_LENGTH = 255;

/** Free text longer than this (in characters) is cut there and flagged: no document prints more of a name or description. */
export const MAX_FREE_TEXT_LENGTH = 1_000;

/** The canonical order as JSON: inside SQS's 256 KB message and, with what pricing adds, DynamoDB's 400 KB item. */
export const MAX_ORDER_MESSAGE_BYTES = 256 * 1024;

interface Issue {
  path: string;
  message: string;
}

/**
 * The last check of every order webhook (generic, Shopify, WooCommerce) before its 202, so nothing the queue, the
 * table or our documents would refuse is accepted and then dropped:
 * - identifiers (external ids, SKUs, email, currency, dates, VAT id, payment status) with a character SQS refuses:
 *   a 400 naming the field;
 * - identifiers longer than `MAX_IDENTIFIER_LENGTH`: a 400 (they become table keys);
 * - free text (customer name, line descriptions, addresses, payment gateway): each refused character becomes
 *   U+FFFD and the order is flagged `text cleaned: <field>`; text past `MAX_FREE_TEXT_LENGTH` is cut and flagged;
 * - the order as a whole within `MAX_ORDER_MESSAGE_BYTES` (the queue message and the table item): a 400 otherwise;
 * - amounts: each line's quantity × unit price, its discount, shipping, lines plus shipping, and the order's total
 *   with tax stay within `MAX_AMOUNT_MINOR` (computed exactly, in bigint, then by the pricing intake uses): a 400
 *   naming the field otherwise.
 * Fields are named by their path in the canonical order (`lines.0.sku`), which for the generic webhook is its body.
 */
export function checkOrderLimits(order: CanonicalOrder, message: string): CanonicalOrder {
  const issues: Issue[] = [];
  const flags: string[] = [];
  const identifier = (path: string, value: string | undefined) => {
    const character = value === undefined ? undefined : refusedCharacter(value);
    if (character) issues.push({ path, message: refusedTextMessage(character) });
    else if (value !== undefined && value.length > MAX_IDENTIFIER_LENGTH) issues.push({ path, message: `longer than ${MAX_IDENTIFIER_LENGTH} characters` });
  };
  const freeText = (path: string, value: string | undefined): string | undefined => {
    if (value === undefined) return value;
    let text = value;
    if (!isAcceptedText(text)) {
      flags.push(`text cleaned: ${path}`);
      text = cleanText(text);
    }
    const characters = [...text];
    if (characters.length > MAX_FREE_TEXT_LENGTH) {
      flags.push(`text shortened to ${MAX_FREE_TEXT_LENGTH} characters: ${path}`);
      text = characters.slice(0, MAX_FREE_TEXT_LENGTH).join('');
    }
    return text;
  };
  const address = (path: string, value: Address | undefined): Address | undefined =>
    value && Object.fromEntries(Object.entries(value).map(([field, text]) => [field, freeText(`${path}.${field}`, text)]));

  identifier('externalId', order.externalId);
  identifier('storeOrderNumber', order.storeOrderNumber);
  identifier('orderedAt', order.orderedAt);
  identifier('currency', order.currency);
  identifier('customer.externalId', order.customer.externalId);
  identifier('customer.email', order.customer.email);
  identifier('customer.country', order.customer.country);
  identifier('customer.vatId', order.customer.vatId);
  identifier('payment.status', order.payment?.status);
  order.lines.forEach((line, index) => identifier(`lines.${index}.sku`, line.sku));

  const cleaned: CanonicalOrder = {
    ...order,
    customer: { ...order.customer, name: freeText('customer.name', order.customer.name)! },
    lines: order.lines.map((line, index) => ({ ...line, description: freeText(`lines.${index}.description`, line.description) })),
    billingAddress: address('billingAddress', order.billingAddress),
    shippingAddress: address('shippingAddress', order.shippingAddress),
    payment: order.payment && { ...order.payment, gateway: freeText('payment.gateway', order.payment.gateway) },
    flags: [...(order.flags ?? []), ...flags],
  };

  issues.push(...amountIssues(order));
  const bytes = Buffer.byteLength(JSON.stringify(cleaned), 'utf8');
  if (bytes > MAX_ORDER_MESSAGE_BYTES) issues.push({ path: '(body)', message: `the order takes ${bytes} bytes as we store it, more than ${MAX_ORDER_MESSAGE_BYTES}` });
  if (issues.length > 0) throw new InvalidRequest(message, issues);
  return flags.length > 0 ? cleaned : order;
}

/** Why an amount outside 0 … MAX_AMOUNT_MINOR is refused: below zero (a store's bug) or past what we accept. */
const tooLarge = (what: string, amount: bigint) =>
  amount < 0n ? `${what} is ${amount}: it must not be negative` : `${what} is ${amount}, more than the largest amount we accept (${MAX_AMOUNT_MINOR} minor units)`;

/** Every amount and sum of the order within `MAX_AMOUNT_MINOR`, exactly; the total only once its parts are known to fit. */
function amountIssues(order: CanonicalOrder): Issue[] {
  const issues: Issue[] = [];
  let sum = 0n;
  order.lines.forEach((line, index) => {
    const amount = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
    if (!isWithinAmountLimit(amount)) issues.push({ path: `lines.${index}`, message: tooLarge('quantity × unit price', amount) });
    else if (!isWithinAmountLimit(amount - BigInt(line.discountMinor ?? 0))) issues.push({ path: `lines.${index}.discountMinor`, message: tooLarge('the line after its discounts', amount - BigInt(line.discountMinor ?? 0)) });
    if (line.taxRatePpm > MAX_TAX_RATE_PPM) issues.push({ path: `lines.${index}.taxRatePpm`, message: 'a tax rate above 100 %' });
    sum += amount;
  });
  if (!isWithinAmountLimit(BigInt(order.shippingMinor))) issues.push({ path: 'shippingMinor', message: tooLarge('shipping', BigInt(order.shippingMinor)) });
  if ((order.shippingTaxRatePpm ?? 0) > MAX_TAX_RATE_PPM) issues.push({ path: 'shippingTaxRatePpm', message: 'a tax rate above 100 %' });
  if (issues.length > 0) return issues;

  sum += BigInt(order.shippingMinor);
  if (!isWithinAmountLimit(sum)) return [{ path: 'lines', message: tooLarge('the lines and shipping together', sum) }];
  const { lines, shipping } = priceOrder(
    order.lines,
    { amountMinor: order.shippingMinor, taxRatePpm: order.shippingTaxRatePpm ?? 0, storeTaxMinor: order.shippingStoreTaxMinor },
    order.taxesIncluded ?? false,
  );
  const total = [...lines, shipping].reduce((acc, part) => acc + BigInt(part.netMinor) + BigInt(part.taxMinor), 0n);
  if (total > BigInt(MAX_AMOUNT_MINOR)) return [{ path: '(order total)', message: tooLarge("the order's total with tax", total) }];
  return [];
}
