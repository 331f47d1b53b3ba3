import { beforeAll, describe, expect, it } from 'vitest';
import { bucketNotifications, consumers, functions } from '#shared/topology';
import {
  allowedActions,
  referencedLogicalIds,
  statementsOfRole,
  SYNTH_TIMEOUT_MS,
  synthesizeStack,
  type PolicyStatement,
  type SynthesizedStack,
} from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = () => synthesized.template.toJSON().Resources as Record<string, Resource>;
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

describe.each(bucketNotifications.map((notification) => [`${notification.bucket}/${notification.prefix} → ${notification.queue} queue`, notification] as const))(
  'given the bucket notification %s',
  (_name, notification) => {
    const bucketId = () => synthesized.logicalId(synthesized.stack.storage.buckets[notification.bucket]);
    const queueId = () => synthesized.logicalId(synthesized.stack.intake.queues[notification.queue]);
    const notificationsOfBucket = () => {
      const found = Object.entries(resources()).filter(
        ([, resource]) => resource.Type === 'Custom::S3BucketNotifications' && (resource.Properties.BucketName as { Ref?: string }).Ref === bucketId(),
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const queuePolicy = () => {
      const found = Object.entries(resources()).filter(
        ([, resource]) => resource.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(resource.Properties.Queues) === JSON.stringify([{ Ref: queueId() }]),
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };

    it('then the objects created under the prefix, and only those, are sent to the queue', () => {
      const [, resource] = notificationsOfBucket();
      expect(resource.Properties.NotificationConfiguration).toEqual({
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: notification.prefix }] } },
            QueueArn: arnOf(queueId()),
          },
        ],
      });
    });

    it('then the notification is put only once the queue policy lets S3 send (S3 checks the destination when it is put)', () => {
      const [, resource] = notificationsOfBucket();
      expect(resource.DependsOn).toEqual(expect.arrayContaining([queuePolicy()[0]]));
    });

    it('then the queue policy lets only S3, for that bucket in this account, send to the queue', () => {
      const statements = (queuePolicy()[1].Properties.PolicyDocument as { Statement: (PolicyStatement & Record<string, unknown>)[] }).Statement;
      expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arnOf(queueId()),
          Condition: {
            ArnEquals: { 'aws:SourceArn': arnOf(bucketId()) },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        },
      ]);
    });

    it('then the queue uses SQS-managed encryption, which S3 can send to without a KMS key policy', () => {
      const queue = resources()[queueId()]!.Properties;
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.KmsMasterKeyId).toBeUndefined();
    });
  },
);

describe("given CDK's S3 bucket-notifications handler", () => {
  it('then its role may only put the notification configuration of the notified buckets', () => {
    const handler = synthesized.stack.bucketEvents.notificationsHandler;
    expect(handler).toBeDefined();
    const statements = statementsOfRole(synthesized.template, synthesized.logicalId(handler!.node.findChild('Role')));
    expect(allowedActions(statements)).toEqual(['s3:PutBucketNotification']);
    const notified = [...new Set(bucketNotifications.map((notification) => synthesized.logicalId(synthesized.stack.storage.buckets[notification.bucket])))];
    expect(statements.flatMap((statement) => [statement.Resource].flat())).toEqual(notified.map(arnOf));
  });
});

describe('given the reconcile-bank-files consumer', () => {
  const consumer = consumers.find((candidate) => candidate.function === 'reconcileBankFiles');
  const functionId = () => synthesized.logicalId(synthesized.stack.functions.get('reconcileBankFiles').function);
  const s3Statements = () =>
    statementsOfRole(synthesized.template, synthesized.logicalId(synthesized.stack.functions.get('reconcileBankFiles').role)).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('s3:')),
    );

  it('then it drains the bank-files queue one file per invocation, reporting a failed file alone', () => {
    expect(consumer?.queue).toBe('bankFiles');
    const mappings = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: functionId() } } }));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({
      EventSourceArn: arnOf(synthesized.logicalId(synthesized.stack.intake.queues.bankFiles)),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('then a file stays invisible for six times the longest run, so a slow file is not delivered twice', () => {
    const fn = resources()[functionId()]!.Properties;
    expect(fn.Timeout).toBe(functions.reconcileBankFiles.timeoutSeconds);
    expect(resources()[synthesized.logicalId(synthesized.stack.intake.queues.bankFiles)]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * functions.reconcileBankFiles.timeoutSeconds,
    );
  });

  it('then its role reads, writes and lists the bank-files bucket and no other', () => {
    const bankFilesId = synthesized.logicalId(synthesized.stack.storage.buckets.bankFiles);
    expect([...new Set(s3Statements().flatMap((statement) => referencedLogicalIds(statement.Resource)))]).toEqual([bankFilesId]);
    expect(allowedActions(s3Statements()).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });

  it('then its role cannot touch the invoices bucket', () => {
    const invoicesId = synthesized.logicalId(synthesized.stack.storage.buckets.invoices);
    const statements = statementsOfRole(synthesized.template, synthesized.logicalId(synthesized.stack.functions.get('reconcileBankFiles').role));
    expect(statements.flatMap((statement) => referencedLogicalIds(statement.Resource))).not.toContain(invoicesId);
  });
});
