import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#domain/audit';

import { addDays } from '#domain/dates';
import { invoiceStatuses } from '#domain/invoice';
import { EVENT_SHARDS, keys } from '#domain/keys';
import { orderStatuses, type Order } from '#domain/order';
import { paymentStatuses, type Payment } from '#domain/payment';
import type { Dispute } from '#domain/ports';
import type { ArSnapshot, ForecastSnapshot, MonthFigures } from '#domain/report-snapshots';
import type { ReportSource, ReportStore } from '#domain/use-cases/report-snapshots';
import { batchGetItems, batchPutItems, queryAll, withoutKeys, type Item } from './dynamo-items.ts';
import { invoicesOfItems } from './invoice-store.ts';

const OUTSTANDING = ['OPEN', 'PARTIALLY_PAID', 'DISPUTED'] as const;
const DISPUTE_STATUSES: readonly Dispute['status'][] = ['OPEN', 'RESOLVED_WITH_CREDIT', 'REJECTED'];
/** After every ISO date and instant in a sort key: the upper end of a day's range. */
const END_OF_DAY = '~';

/** Runs `work` over `items` a few at a time: the job's day-by-day reads are many small queries. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>, size = 16): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  return results;
}

/** What the report job reads: index ranges of the lists the entity mappers keep, followed to their last page. */
export function dynamoReportSource(client: DynamoDBDocumentClient, tableName: string): ReportSource {
  /** One index partition, whole or between two sort keys. */
  const gsi = (index: 'gsi1' | 'gsi4', partition: string, range?: { from: string; to: string }) =>
    queryAll(client, {
      TableName: tableName,
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk${range ? ` AND ${index}sk BETWEEN :from AND :to` : ''}`,
      ExpressionAttributeValues: { ':pk': partition, ...(range ? { ':from': range.from, ':to': range.to } : {}) },
    });
  const partitions = async (names: readonly string[], range?: { from: string; to: string }) => (await Promise.all(names.map((name) => gsi('gsi4', name, range)))).flat();

  return {
    async outstandingInvoices() {
      return invoicesOfItems(client, tableName, await partitions(OUTSTANDING.map((status) => `LIST#invoice#${status}`)));
    },
    async events(entity, from, to) {
      const days: string[] = [];
      for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
      const partitions = days.flatMap((day) => Array.from({ length: EVENT_SHARDS }, (_, shard) => keys.eventsOfDayPartition(entity, day, shard)));
      return (await inBatches(partitions, (partition) => gsi('gsi4', partition))).flat().map((item) => withoutKeys<AuditEvent>(item));
    },
    async documentsDue(dueFrom) {
      const lists = (['invoice', 'credit-note'] as const).flatMap((kind) => invoiceStatuses.map((status) => `LIST#${kind}#${status}`));
      return invoicesOfItems(client, tableName, await partitions(lists, { from: dueFrom, to: END_OF_DAY }));
    },
    async paymentsBooked(from, to) {
      return (await Promise.all(paymentStatuses.map((status) => gsi('gsi1', keys.paymentsByStatusPartition(status), { from, to: `${to}${END_OF_DAY}` })))).flat().map((item) => withoutKeys<Payment>(item));
    },
    async disputesOpened(from, to) {
      return (await partitions(DISPUTE_STATUSES.map((status) => `LIST#dispute#${status}`), { from, to: `${to}${END_OF_DAY}` })).map((item) => withoutKeys<Dispute>(item));
    },
    async ordersPlaced(from, to) {
      // The order items alone: the report needs no order's lines (its detail item).
      return (await partitions(orderStatuses.map((status) => `LIST#order#${status}`), { from, to: `${to}${END_OF_DAY}` })).map((item) => withoutKeys<Pick<Order, 'id' | 'currency' | 'orderedAt'>>(item));
    },
    async invoices(ids) {
      return invoicesOfItems(client, tableName, await batchGetItems(client, tableName, ids.map((id) => keys.invoice(id))));
    },
    async bankFileFormats(sha256s) {
      const records = await batchGetItems(client, tableName, sha256s.map((sha256) => keys.bankFile(sha256)));
      return Object.fromEntries(records.filter((record) => typeof record.format === 'string').map((record) => [String(record.sha256), String(record.format)]));
    },
  };
}

/** The report job's aggregates: one partition per currency (`keys.reportPartition`). */
export function dynamoReportStore(client: DynamoDBDocumentClient, tableName: string): ReportStore {
  const latest = async (currency: string, prefix: string, upTo: string): Promise<Item | undefined> => {
    const response = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.reportPartition(currency), ':from': prefix, ':to': `${prefix}${upTo}` },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return response.Items?.[0];
  };

  return {
    async save({ snapshots, months, forecasts }) {
      await batchPutItems(client, tableName, [
        ...snapshots.map((snapshot) => ({ ...keys.arSnapshot(snapshot.currency, snapshot.date), entityType: 'ArSnapshot', ...snapshot })),
        ...forecasts.map((forecast) => ({ ...keys.forecastSnapshot(forecast.currency, forecast.asOf), entityType: 'ForecastSnapshot', ...forecast })),
      ]);
      // A run for the day that closed, finishing after a run for today so far, must not take a month back in time.
      for (const figures of months) {
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...keys.monthFigures(figures.currency, figures.month), entityType: 'MonthFigures', ...figures },
              ConditionExpression: 'attribute_not_exists(pk) OR #through <= :through',
              ExpressionAttributeNames: { '#through': 'through' },
              ExpressionAttributeValues: { ':through': figures.through },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    },
    async months(currency, months) {
      // Written once a day: an eventually consistent read (half the units) is as good as a strong one here.
      return (await batchGetItems(client, tableName, months.map((month) => keys.monthFigures(currency, month)), { consistent: false })).map((item) => withoutKeys<MonthFigures>(item));
    },
    async snapshotOnOrBefore(currency, date) {
      const item = await latest(currency, 'AR#', date);
      return item ? withoutKeys<ArSnapshot>(item) : undefined;
    },
    async latestForecast(currency) {
      const item = await latest(currency, 'FORECAST#', END_OF_DAY);
      return item ? withoutKeys<ForecastSnapshot>(item) : undefined;
    },
  };
}

