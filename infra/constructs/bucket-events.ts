import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BucketNotificationDestinationType,
  EventType,
  type BucketNotificationDestinationConfig,
  type IBucket,
  type IBucketNotificationDestination,
  type IBucketRef,
} from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { bucketNotifications, type BucketKey, type QueueKey } from '#shared/topology';

/**
 * The construct id CDK gives the singleton Lambda behind every `Custom::S3BucketNotifications` resource of a
 * stack (`aws-s3/lib/notifications-resource`). `findChild` fails the synth loudly if CDK ever renames it.
 */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

export interface BucketEventsProps {
  readonly buckets: Readonly<Record<BucketKey, IBucket>>;
  readonly queues: Readonly<Record<QueueKey, IQueue>>;
}

/**
 * S3 → SQS like CDK's `SqsDestination`, but the queue policy names both the bucket (`aws:SourceArn`) and this
 * account (`aws:SourceAccount`), as AWS recommends against the confused deputy: a bucket ARN carries no account,
 * and bucket names are reused once deleted. S3 needs only `sqs:SendMessage`. The queues use SQS-managed SSE,
 * which S3 can send to without any KMS key policy (a customer managed key would need one; `aws/sqs` cannot work).
 */
class QueueDestination implements IBucketNotificationDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, bucket: IBucketRef): BucketNotificationDestinationConfig {
    if (this.queue.encryptionMasterKey) throw new Error('S3 event queues use SQS-managed SSE; a KMS-encrypted queue needs a key policy for S3');
    this.queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': bucket.bucketRef.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this.queue).account },
        },
      }),
    );
    // Depending on the queue construct includes its QueuePolicy: S3 checks it may send when the notification is put.
    return { arn: this.queue.queueArn, type: BucketNotificationDestinationType.QUEUE, dependencies: [this.queue] };
  }
}

/**
 * The topology's bucket notifications: object-created events under a prefix go to a queue (bank files dropped in
 * `inbound/` wake the reconcile consumer).
 *
 * S3 notifications are set by CDK's `Custom::S3BucketNotifications` resource, whose handler is one Lambda per
 * stack that CDK creates ({@link BucketEvents.notificationsHandler}); its cdk-nag findings are acknowledged here.
 */
export class BucketEvents extends Construct {
  /** CDK's deploy-time notifications handler (its Lambda and role), if the topology has any notification. */
  readonly notificationsHandler?: IConstruct;

  constructor(scope: Construct, id: string, props: BucketEventsProps) {
    super(scope, id);
    const notifications: readonly { bucket: BucketKey; prefix: string; queue: QueueKey }[] = bucketNotifications;
    for (const notification of notifications) {
      props.buckets[notification.bucket].addEventNotification(EventType.OBJECT_CREATED, new QueueDestination(props.queues[notification.queue]), {
        prefix: notification.prefix,
      });
    }
    if (notifications.length === 0) return;

    const handler = Stack.of(this).node.findChild(NOTIFICATIONS_HANDLER_ID);
    this.notificationsHandler = handler;
    Validations.of(handler.node.findChild('Role')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's own S3 bucket-notifications custom resource handler adds AWSLambdaBasicExecutionRole to its role itself (logs only); it runs only while CloudFormation deploys, and its one other permission, s3:PutBucketNotification, is scoped by CDK to the notified buckets.",
    });
  }
}
