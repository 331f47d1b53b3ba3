import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OpenItem } from '#domain/cash-matching';
import { keys } from '#domain/keys';
import type { Payment } from '#domain/payment';
import type { BankFileRecord, OpenItems, PaymentStore, PaymentWrite } from '#domain/ports';
import { normalizeAccount } from '#domain/remittance';
import { batchGetItems, gsi1PartitionPage, IF_ABSENT, putAudit, putIfVersion, queryAll, runTransaction, withoutKeys, writeTransaction, type Item, type TransactItem } from './dynamo-items.ts';
import { customerItem, deductionItem, putInvoice, putOrder, paymentItem, paymentSearchItems } from './entities.ts';
import { bankFileMarkers, deductionMarkers, invoiceMarkers, orderMarkers, paymentMarkers } from './worklist-markers.ts';


/** Links a return can follow back to this payment: its payer's account and its end-to-end id, within our account. */
function returnLinks(tableName: string, payment: Payment): TransactItem[] {
  if (payment.amountMinor <= 0) return [];
  const payer = normalizeAccount(payment.counterparty.account);
  const links = [
    ...(payer ? [keys.paymentOfPayer(payment.account, payer, payment.id)] : []),
    ...(payment.endToEndId && payment.endToEndId !== 'NOTPROVIDED' ? [keys.paymentOfEndToEnd(payment.account, payment.endToEndId, payment.id)] : []),
  ];
  return links.map((key) => ({ Put: { TableName: tableName, Item: { ...key, entityType: 'PaymentLink', paymentId: payment.id } } }));
}

/** DynamoDB's limit on the items of one TransactWriteItems call. */
const MAX_TRANSACTION_ITEMS = 100;

export function dynamoPaymentStore(client: DynamoDBDocumentClient, tableName: string): PaymentStore {
  const batchGet = (itemKeys: { pk: string; sk: string }[]) => batchGetItems(client, tableName, itemKeys);

  return {
    async getBankFile(sha256) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.bankFile(sha256), ConsistentRead: true }));
      return Item ? withoutKeys<BankFileRecord>(Item) : undefined;
    },

    async saveBankFile(record) {
      const before = await this.getBankFile(record.sha256);
      await runTransaction(client, [{ Put: { TableName: tableName, Item: { ...keys.bankFile(record.sha256), entityType: 'BankFile', ...record } } }, ...bankFileMarkers(tableName, before, record)]);
    },

    async recorded(paymentIds) {
      const items = await batchGet(paymentIds.map((id) => keys.payment(id)));
      return new Set(items.map((item) => String(item.id)));
    },

    async get(paymentId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.payment(paymentId), ConsistentRead: true }));
      return Item ? withoutKeys<Payment>(Item) : undefined;
    },

    async listByStatus(status, page) {
      const result = await gsi1PartitionPage(client, tableName, keys.paymentsByStatusPartition(status), page);
      return { items: result.items.map((item) => withoutKeys<Payment>(item)), cursor: result.cursor };
    },

    async returnable({ account, payerAccount, endToEndId }) {
      const payer = normalizeAccount(payerAccount);
      const partitions = [...(payer ? [keys.paymentOfPayer(account, payer, '').pk] : []), ...(endToEndId && endToEndId !== 'NOTPROVIDED' ? [keys.paymentOfEndToEnd(account, endToEndId, '').pk] : [])];
      const ids = new Set<string>();
      for (const pk of partitions) {
        const { Items = [] } = await client.send(
          new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.paymentLinkPrefix }, ScanIndexForward: false, Limit: 50 }),
        );
        for (const item of Items) ids.add(String(item.paymentId));
      }
      return (await batchGet([...ids].map((id) => keys.payment(id)))).map((item) => withoutKeys<Payment>(item));
    },

    async payerAccounts(accounts) {
      const normalized = [...new Set(accounts.map(normalizeAccount).filter((account): account is string => account !== undefined))];
      const items = await batchGet(normalized.map((account) => keys.payerAccount(account)));
      return Object.fromEntries(items.map((item) => [String(item.account), String(item.customerId)]));
    },

    async write(change: PaymentWrite) {
      const paymentWrite: TransactItem[] =
        'created' in change.payment
          ? [
              { Put: { TableName: tableName, Item: paymentItem(change.payment.created), ConditionExpression: IF_ABSENT } },
              ...returnLinks(tableName, change.payment.created),
              ...paymentSearchItems(change.payment.created).map((item): TransactItem => ({ Put: { TableName: tableName, Item: item } })),
            ]
          : [putIfVersion(tableName, paymentItem(change.payment.changed.after), change.payment.changed.before.version)];
      const learned = change.learnedPayer;
      const items: TransactItem[] = [
        ...paymentWrite,
        ...(change.reversed ? [putIfVersion(tableName, paymentItem(change.reversed.after), change.reversed.before.version)] : []),
        ...change.invoices.map(({ before, after }) => putInvoice(tableName, before, after)),
        ...change.customers.map(({ before, after }) => putIfVersion(tableName, customerItem(after), before.version)),
        ...(change.orders ?? []).map(({ before, after }) => putOrder(tableName, before, after)),
        ...(change.deductions ?? []).map((deduction) => ({ Put: { TableName: tableName, Item: deductionItem(deduction), ConditionExpression: IF_ABSENT } })),
        ...(learned ? [{ Put: { TableName: tableName, Item: { ...keys.payerAccount(learned.account), entityType: 'PayerAccount', ...learned } } }] : []),
        ...change.audits.map((audit) => putAudit(tableName, audit)),
        ...('created' in change.payment ? paymentMarkers(tableName, undefined, change.payment.created) : paymentMarkers(tableName, change.payment.changed.before, change.payment.changed.after)),
        ...(change.reversed ? paymentMarkers(tableName, change.reversed.before, change.reversed.after) : []),
        ...change.invoices.flatMap(({ before, after }) => invoiceMarkers(tableName, before, after)),
        ...(change.orders ?? []).flatMap(({ before, after }) => orderMarkers(tableName, before, after)),
        ...(change.deductions ?? []).flatMap((deduction) => deductionMarkers(tableName, undefined, deduction)),
        ...(change.deductionChanges ?? []).flatMap(({ before, after }) => [putIfVersion(tableName, deductionItem(after), before.version), ...deductionMarkers(tableName, before, after)]),
      ];
      if (items.length > MAX_TRANSACTION_ITEMS) return 'too-large';
      return writeTransaction(client, items, { firstItemCreates: 'created' in change.payment });
    },
  };
}

/** An open item as the open-items index (gsi2) projects it, or as the invoice item carries the same attributes. */
function openItemOf(item: Item): OpenItem {
  return {
    id: String(item.id),
    number: String(item.invoiceNumber),
    customerId: String(item.customerId),
    customerName: String(item.customerName),
    currency: String(item.currency),
    openMinor: Number(item.openMinor),
    issueDate: String(item.issueDate),
    dueDate: String(item.dueDate),
    reference: item.paymentReference ? String(item.paymentReference) : undefined,
    earlyPaymentDiscount: item.earlyPaymentDiscount as OpenItem['earlyPaymentDiscount'],
  };
}

/** Reads at once, at most this many requests in flight. */
const READ_CONCURRENCY = 16;

async function eachLimited<T, R>(inputs: readonly T[], work: (input: T) => Promise<R[]>): Promise<R[]> {
  const results: R[][] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, inputs.length) }, async () => {
      while (next < inputs.length) {
        const index = next++;
        results[index] = await work(inputs[index] as T);
      }
    }),
  );
  return results.flat();
}

/**
 * The open items a file's entries can match (`OpenItems.find`), read by key, never the whole currency:
 * - a number or RF body → its search entry (`SEARCH#<number>`), a number's digits → `NUMBERDIGITS#<digits>`: the
 *   invoice ids, then the invoices (BatchGet), kept while open (they carry the open-items index) in the currencies;
 * - a payer name → `PAYERNAME#<name>`: the customers billed under it;
 * - each such customer, and each known from a payer account → its open items of each currency (gsi2, one query).
 * Payer accounts on invoices are not stored (a learned account is already a customer), so `keys.accounts` reads nothing.
 */
export function dynamoOpenItems(client: DynamoDBDocumentClient, tableName: string): OpenItems {
  const linked = (pk: string, prefix: string, attribute: 'id' | 'customerId') => async () =>
    (await queryAll(client, { TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix } })).map((item) => String(item[attribute]));
  return {
    async find(query) {
      if (query.currencies.length === 0) return [];
      const openPartitions = new Set(query.currencies.map((currency) => keys.openInvoicesPartition(currency)));
      const [invoiceIds, namedCustomers] = await Promise.all([
        eachLimited([...query.numbers.map((number) => linked(keys.searchPartition(number), keys.linkedInvoicePrefix, 'id')), ...query.digits.map((digits) => linked(keys.invoiceNumberDigitsPartition(digits), keys.linkedInvoicePrefix, 'id'))], (read) => read()),
        eachLimited(query.names.map((name) => linked(keys.payerNamePartition(name), keys.linkedCustomerPrefix, 'customerId')), (read) => read()),
      ]);
      const customers = [...new Set([...query.customers, ...namedCustomers])];
      const [named, ofCustomers] = await Promise.all([
        batchGetItems(client, tableName, [...new Set(invoiceIds)].map((id) => keys.invoice(id)), { consistent: false }),
        eachLimited(
          customers.flatMap((customerId) => query.currencies.map((currency) => ({ customerId, currency }))),
          ({ customerId, currency }) =>
            queryAll(client, {
              TableName: tableName,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
              ExpressionAttributeValues: { ':pk': keys.openInvoicesPartition(currency), ':prefix': keys.openInvoicesOfCustomerPrefix(customerId) },
            }),
        ),
      ]);
      const found = new Map<string, OpenItem>();
      for (const item of [...named.filter((item) => openPartitions.has(String(item.gsi2pk))), ...ofCustomers]) found.set(String(item.id), openItemOf(item));
      return [...found.values()];
    },
  };
}
