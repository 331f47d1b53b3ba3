import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import type { buildApp } from 'fauxqs';

/** A message as it was sent, by the name of its queue (URLs change with the port between runs). */
interface SentMessage {
  op: 'sent';
  id: string;
  queue: string;
  body: string;
  attributes?: Record<string, MessageAttributeValue> | undefined;
  group?: string | undefined;
  dedup?: string | undefined;
}
type JournalLine = SentMessage | { op: 'deleted'; ids: string[] };

interface SendRequest {
  QueueUrl: string;
  MessageBody: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/**
 * fauxqs keeps queues in memory, so a crash or a stop would lose every accepted message not yet consumed, and a
 * store's retry would be answered `duplicate`. The journal makes the local queues durable the way SQS is: each
 * message SQS accepted is appended (one JSON line, written before the sender gets its answer) and each message a
 * consumer finished is marked deleted; on the next start, what was sent and never finished is sent again. A message
 * that was being processed when the runtime died is therefore delivered again — at least once, as on AWS.
 */
export class SqsJournal {
  private readonly pending: SentMessage[];

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.pending = SqsJournal.unfinished(file);
    writeFileSync(file, '');
  }

  /** The messages of the previous run that no consumer finished. */
  private static unfinished(file: string): SentMessage[] {
    if (!existsSync(file)) return [];
    const sent = new Map<string, SentMessage>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        continue; // the last line of a run killed mid-write
      }
      if (entry.op === 'sent') sent.set(entry.id, entry);
      else for (const id of entry.ids) sent.delete(id);
    }
    return [...sent.values()];
  }

  /** Records every message the emulator accepts, before its answer leaves. */
  attach(app: ReturnType<typeof buildApp>): void {
    app.addHook('onSend', async (request: { headers: Record<string, unknown>; body: unknown }, reply: { statusCode: number }, payload: unknown) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (reply.statusCode !== 200 || (target !== 'AmazonSQS.SendMessage' && target !== 'AmazonSQS.SendMessageBatch')) return payload;
      const response = JSON.parse(String(payload)) as { MessageId?: string; Successful?: { Id: string; MessageId: string }[] };
      if (target === 'AmazonSQS.SendMessage') {
        this.recordSent(response.MessageId!, request.body as SendRequest);
      } else {
        const batch = request.body as { QueueUrl: string; Entries: (Omit<SendRequest, 'QueueUrl'> & { Id: string })[] };
        for (const done of response.Successful ?? []) {
          const entry = batch.Entries.find((candidate) => candidate.Id === done.Id);
          if (entry) this.recordSent(done.MessageId, { ...entry, QueueUrl: batch.QueueUrl });
        }
      }
      return payload;
    });
  }

  /** A consumer finished these messages (the event source mapping deleted them). */
  deleted(ids: readonly string[]): void {
    if (ids.length > 0) this.append({ op: 'deleted', ids: [...ids] });
  }

  /** Sends the previous run's unfinished messages again, to the queues of the same names. */
  async replay(client: SQSClient, queueUrls: readonly string[]): Promise<number> {
    const byName = new Map(queueUrls.map((url) => [queueName(url), url]));
    let sent = 0;
    for (const message of this.pending) {
      const url = byName.get(message.queue);
      if (!url) continue;
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: message.body, MessageAttributes: message.attributes, MessageGroupId: message.group, MessageDeduplicationId: message.dedup }));
      sent++;
    }
    this.pending.length = 0;
    return sent;
  }

  private recordSent(id: string, request: SendRequest): void {
    this.append({ op: 'sent', id, queue: queueName(request.QueueUrl), body: request.MessageBody, attributes: request.MessageAttributes, group: request.MessageGroupId, dedup: request.MessageDeduplicationId });
  }

  private append(entry: JournalLine): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
