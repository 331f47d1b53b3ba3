import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { buckets as bucketSpecs, table as tableSpec, type BucketKey } from '#shared/topology';

const S3_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** How long S3 server access logs are kept: a year covers an annual audit. */
const ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * Durable state: the single DynamoDB table and the document buckets (invoices, bank files).
 *
 * Everything here holds business records, so it is retained when the stack is deleted, encrypted, and
 * recoverable (point-in-time recovery for the table, versioning for the buckets).
 */
export class Storage extends Construct {
  readonly table: Table;
  readonly buckets: Readonly<Record<BucketKey, Bucket>>;
  /** Receives the server access logs of the document buckets. */
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Access logs are delivered through a bucket policy, never ACLs (buckets here enforce bucket-owner
    // ownership). Set here, not only in cdk.json, so the construct behaves the same in any app.
    this.node.setContext(S3_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.table = new Table(this, tableSpec.id, {
      partitionKey: { name: tableSpec.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableSpec.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: tableSpec.ttlAttribute,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of tableSpec.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // 'ALL', or the non-key attributes the index holds beside the table's and its own keys.
        ...(index.projection === 'ALL'
          ? { projectionType: ProjectionType.ALL }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }),
      });
    }

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.buckets = Object.fromEntries(
      (Object.keys(bucketSpecs) as BucketKey[]).map((key) => {
        const spec = bucketSpecs[key];
        const bucket = new Bucket(this, spec.id, {
          blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
          enforceSSL: true,
          minimumTLSVersion: 1.2,
          encryption: BucketEncryption.S3_MANAGED,
          objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
          versioned: true,
          serverAccessLogsBucket: this.accessLogsBucket,
          serverAccessLogsPrefix: `${spec.id}/`,
          lifecycleRules: [
            {
              id: 'DocumentLifecycle',
              transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(spec.infrequentAccessAfterDays) }],
              noncurrentVersionExpiration: Duration.days(spec.noncurrentVersionExpirationDays),
              abortIncompleteMultipartUploadAfter: Duration.days(7),
            },
          ],
          removalPolicy: RemovalPolicy.RETAIN,
        });
        return [key, bucket];
      }),
    ) as Record<BucketKey, Bucket>;
  }
}
