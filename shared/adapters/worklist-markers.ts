import type { DeductionRecord } from '#domain/deduction';
import type { Invoice } from '#domain/invoice';
import { keys } from '#domain/keys';
import type { Order } from '#domain/order';
import type { Payment } from '#domain/payment';
import type { BankFileRecord } from '#domain/ports';
import { bankFileWork, deductionWork, invoiceWork, orderWork, paymentWork, workChanges, type WorkEntry } from '#domain/worklists';
import type { TransactItem } from './dynamo-items.ts';

/**
 * Worklist membership on the table: one small marker item per (worklist, entity) in the sparse gsi4 partition
 * `WORK#<kind>`, written or deleted in the transaction that changes the entity (appended last, so the positions of
 * the transaction's conditional items do not move). A worklist is read, and counted, from its own partition only.
 */
export function workMarkerChanges(tableName: string, before: readonly WorkEntry[], after: readonly WorkEntry[]): TransactItem[] {
  const { put, remove } = workChanges(before, after);
  return [
    ...put.map((entry): TransactItem => ({ Put: { TableName: tableName, Item: { ...keys.workMarker(entry.kind, entry.entityId), ...keys.worklist(entry.kind, entry.since, entry.entityId), entityType: 'WorkMarker', ...entry } } })),
    ...remove.map((entry): TransactItem => ({ Delete: { TableName: tableName, Key: keys.workMarker(entry.kind, entry.entityId) } })),
  ];
}

const changesOf =
  <T>(work: (entity: T) => WorkEntry[]) =>
  (tableName: string, before: T | undefined, after: T | undefined): TransactItem[] =>
    workMarkerChanges(tableName, before ? work(before) : [], after ? work(after) : []);

export const orderMarkers = changesOf<Order>(orderWork);
export const invoiceMarkers = changesOf<Invoice>(invoiceWork);
export const paymentMarkers = changesOf<Payment>(paymentWork);
export const deductionMarkers = changesOf<DeductionRecord>(deductionWork);
export const bankFileMarkers = changesOf<BankFileRecord>(bankFileWork);
