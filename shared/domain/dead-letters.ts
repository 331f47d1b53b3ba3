/**
 * The dead-letters worklist: messages that a consumer, Lambda or Scheduler gave up on, kept in SQS dead-letter
 * queues. Unlike the other worklists they are not entities in the table: their count comes from the queues
 * themselves, and a person resolves them by redriving a queue (moving its messages back to where they came from)
 * once the cause is fixed.
 */

/** One dead-letter queue, as the operator sees it. */
export interface DeadLetterQueue {
  /** Public name, e.g. `orders-dlq`: the `{queue}` of `POST /dead-letters/{queue}/redrive`. */
  name: string;
  /** What put the messages here: the work queue and its consumer, the schedule, or Lambda's async invocations. */
  source: { kind: 'queue' | 'async-invocations' | 'schedule'; queue?: string | undefined; function?: string | undefined; schedule?: string | undefined };
  /** Where a redrive sends the messages back to, or why there is no redrive. */
  redrive: { queue: string } | { unavailable: string };
}

/** A message as read from a dead-letter queue, before anything of it is shown. */
export interface DeadLetterMessage {
  messageId: string;
  /** When the message was first sent (SQS keeps the original `SentTimestamp` through the move to the DLQ), epoch ms. */
  sentTimestamp?: number | undefined;
  receiveCount?: number | undefined;
  body: string;
}

/** A message as the worklist shows it: never the body itself, only a redacted, size-limited preview. */
export interface DeadLetterSample {
  messageId: string;
  sentAt: string | null;
  receiveCount: number | null;
  bodyBytes: number;
  preview: string;
}

/** One item of the dead-letters worklist: a queue with messages, a few of them, and its redrive route. */
export interface DeadLetterEntry {
  kind: 'dead-letters';
  entityId: string;
  entity: 'dead-letter-queue';
  queue: string;
  source: DeadLetterQueue['source'];
  approximateCount: number;
  /** The oldest sampled message's send time; null when no sample came back (SQS short polls sample servers). */
  since: string | null;
  samples: DeadLetterSample[];
  summary: string;
  /** `POST /dead-letters/{queue}/redrive` (admin), or null when the queue has no source queue to move back to. */
  resolve: { method: 'POST'; path: string } | null;
  details: string;
}

/** What a redrive did: on AWS an SQS message move task runs on; locally the move is done before the answer. */
export type RedriveOutcome =
  | { queue: string; destination: string; mode: 'message-move-task'; status: 'RUNNING'; taskHandle: string }
  | { queue: string; destination: string; mode: 'receive-send-delete'; status: 'COMPLETED' | 'PARTIAL'; moved: number; failed: number };

/** Characters of a body shown at most. */
export const PREVIEW_CHARS = 200;

/** Keys whose values are never shown: credentials, signatures and personal or bank details. */
const SENSITIVE_KEY = /secret|token|password|passwd|signature|hmac|authori[sz]ation|cookie|api[-_]?key|credential|iban|bic|account|card|email|phone|address|street|tax[-_]?id|vat/i;

/**
 * A preview of a message body that is safe to show to every role: JSON with sensitive values replaced by
 * `[redacted]` and cut to {@link PREVIEW_CHARS}; anything else is only described, since it cannot be redacted.
 */
export function previewBody(body: string, maxChars = PREVIEW_CHARS): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `(${byteLength(body)} bytes, not JSON: not shown)`;
  }
  const text = JSON.stringify(redact(parsed));
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SENSITIVE_KEY.test(key) && inner !== null ? '[redacted]' : redact(inner)]));
  return value;
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

export function sampleOf(message: DeadLetterMessage): DeadLetterSample {
  return {
    messageId: message.messageId,
    sentAt: message.sentTimestamp === undefined ? null : new Date(message.sentTimestamp).toISOString(),
    receiveCount: message.receiveCount ?? null,
    bodyBytes: byteLength(message.body),
    preview: previewBody(message.body),
  };
}

export const redrivePath = (queue: string) => `/dead-letters/${queue}/redrive`;

/** The worklist item of a dead-letter queue holding `approximateCount` messages, of which `messages` were sampled. */
export function deadLetterEntry(queue: DeadLetterQueue, approximateCount: number, messages: readonly DeadLetterMessage[]): DeadLetterEntry {
  const samples = messages.map(sampleOf).sort((a, b) => oldestFirst(a.sentAt, b.sentAt));
  const from = describeSource(queue.source);
  const what = `${approximateCount} message${approximateCount === 1 ? '' : 's'} ${from}`;
  return {
    kind: 'dead-letters',
    entityId: queue.name,
    entity: 'dead-letter-queue',
    queue: queue.name,
    source: queue.source,
    approximateCount,
    since: samples.find((sample) => sample.sentAt !== null)?.sentAt ?? null,
    samples,
    summary: 'queue' in queue.redrive ? `${what}; fix the cause, then redrive them to the ${queue.redrive.queue} queue` : `${what}; ${queue.redrive.unavailable}`,
    resolve: 'queue' in queue.redrive ? { method: 'POST', path: redrivePath(queue.name) } : null,
    details: `/worklists/dead-letters`,
  };
}

function describeSource(source: DeadLetterQueue['source']): string {
  if (source.kind === 'queue') return `the ${source.queue} queue's consumer${source.function ? ` (${source.function})` : ''} gave up on`;
  if (source.kind === 'schedule') return `the ${source.schedule} schedule could not deliver to ${source.function}`;
  return 'from asynchronous invocations (scheduled runs) that failed after their retries';
}

/** Items oldest first; a queue whose age is unknown goes last, then by name, so the order is stable. */
export function byAge(a: DeadLetterEntry, b: DeadLetterEntry): number {
  return oldestFirst(a.since, b.since) || a.queue.localeCompare(b.queue);
}

/** ISO times oldest first, unknown ones last. */
function oldestFirst(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a.localeCompare(b);
}
