import { monotonicFactory } from 'ulid';
import type { IdGenerator } from '#domain/ports';

const nextUlid = monotonicFactory();

/** ULIDs: sortable by creation time, so item collections and lists come out in order. */
export const ulids: IdGenerator = { next: () => nextUlid() };
