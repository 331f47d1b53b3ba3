import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buckets, table, type BucketKey } from '#shared/topology';
import { SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

const bucketKeys = Object.keys(buckets) as BucketKey[];

interface GlobalIndex {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}
const tableProperties = () =>
  synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.storage.table)].Properties as {
    GlobalSecondaryIndexes: GlobalIndex[];
    AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  };
const indexNamed = (name: string) => {
  const index = tableProperties().GlobalSecondaryIndexes.find((candidate) => candidate.IndexName === name);
  expect(index, `index ${name}`).toBeDefined();
  return index as GlobalIndex & { Projection: { NonKeyAttributes: string[] } };
};

describe('given the single table', () => {
  it('then it has the topology keys and global indexes with their projections, billed per request', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection:
          index.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
      })),
    });
  });

  it('then gsi1 projects every attribute', () => {
    expect(indexNamed('gsi1').Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it('then the sparse gsi2 (open invoices) holds its keys and exactly the non-key attributes the topology lists', () => {
    const spec = table.globalIndexes.find((index) => index.name === 'gsi2');
    expect(spec?.projection).toEqual(expect.any(Array));
    const index = indexNamed('gsi2');
    expect(index.KeySchema).toEqual([
      { AttributeName: spec!.partitionKey, KeyType: 'HASH' },
      { AttributeName: spec!.sortKey, KeyType: 'RANGE' },
    ]);
    expect(index.Projection.ProjectionType).toBe('INCLUDE');
    expect([...index.Projection.NonKeyAttributes].sort()).toEqual([...(spec!.projection as readonly string[])].sort());
  });

  it('then every index key is declared as a string attribute', () => {
    const keys = [table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    expect(tableProperties().AttributeDefinitions).toEqual(
      expect.arrayContaining(keys.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(tableProperties().AttributeDefinitions).toHaveLength(keys.length);
  });

  it('then point-in-time recovery is on', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('then items expire on the topology TTL attribute', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    });
  });

  it('then it streams new and old images', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('then it is encrypted with the AWS managed KMS key', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('then it survives the deletion of the stack', () => {
    synthesized.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('given every bucket in the stack', () => {
  it('then each blocks all public access', () => {
    const all = synthesized.template.findResources('AWS::S3::Bucket');
    // The document buckets, their access-logs bucket, and the console's files and CloudFront logs buckets.
    expect(Object.keys(all).length).toBe(bucketKeys.length + 3);
    for (const bucket of Object.values(all)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('then each denies requests that do not use TLS', () => {
    const all = synthesized.template.findResources('AWS::S3::Bucket');
    for (const logicalId of Object.keys(all)) {
      synthesized.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('then each is encrypted at rest', () => {
    for (const bucket of Object.values(synthesized.template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
    }
  });

  it('then each survives the deletion of the stack', () => {
    for (const bucket of Object.values(synthesized.template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });
});

describe.each(bucketKeys)('given the %s document bucket', (key) => {
  const spec = buckets[key];

  it('then it is versioned', () => {
    const bucket = synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.storage.buckets[key])];
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('then its lifecycle follows the topology', () => {
    const bucket = synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.storage.buckets[key])];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: spec.noncurrentVersionExpirationDays },
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: spec.infrequentAccessAfterDays }],
      }),
    ]);
  });

  it('then its server access logs go to the access-logs bucket', () => {
    const bucket = synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.storage.buckets[key])];
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: synthesized.logicalId(synthesized.stack.storage.accessLogsBucket) },
      LogFilePrefix: `${spec.id}/`,
    });
  });

  it('then its name is a stack output', () => {
    synthesized.template.hasOutput(`${spec.id}Name`, { Value: { Ref: synthesized.logicalId(synthesized.stack.storage.buckets[key]) } });
  });
});

describe('given the stack outputs', () => {
  it('then the table name is one of them', () => {
    synthesized.template.hasOutput('TableName', { Value: { Ref: synthesized.logicalId(synthesized.stack.storage.table) } });
  });
});
