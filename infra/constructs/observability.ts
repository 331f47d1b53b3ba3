import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { queues as queueSpecs, type QueueKey, type QueueSpec } from '#shared/topology';
import { pascalCase } from '../naming.ts';
import type { Functions } from './functions.ts';

/**
 * When an alarm goes off: `datapointsToAlarm` breaching periods of `period` among the last `evaluationPeriods`.
 * One of one is "at once"; M of N waits out what retries absorb by themselves.
 */
export interface AlarmWindow {
  readonly period: Duration;
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
}

/** A message in a dead-letter queue is work that did not happen: at once. */
export const DLQ_WINDOW: AlarmWindow = { period: Duration.minutes(1), datapointsToAlarm: 1, evaluationPeriods: 1 };
/** A failed execution is an order or invoice stuck until someone looks: at once. */
export const WORKFLOW_WINDOW: AlarmWindow = { period: Duration.minutes(5), datapointsToAlarm: 1, evaluationPeriods: 1 };
/**
 * Function errors in 3 of the last 5 minutes: a single error is retried by the workflow, the queue or Lambda, and the
 * ones retries do not absorb end in a dead-letter queue or a failed execution, which page on their own.
 */
export const FUNCTION_ERRORS_WINDOW: AlarmWindow = { period: Duration.minutes(1), datapointsToAlarm: 3, evaluationPeriods: 5 };
/** API 5xx above the rate in 2 of the last 3 five-minute periods: a broken dependency, not one unlucky request. */
export const API_5XX_WINDOW: AlarmWindow = { period: Duration.minutes(5), datapointsToAlarm: 2, evaluationPeriods: 3 };
/** The share of requests answered 5xx above which the API alarm breaches, counted only with at least this many requests. */
export const API_5XX_RATE = { percent: 5, minRequests: 10 } as const;
/** The oldest message's age is a gauge, and its threshold is already the whole retry budget: at once. */
export const QUEUE_AGE_WINDOW: AlarmWindow = { period: Duration.minutes(5), datapointsToAlarm: 1, evaluationPeriods: 1 };

/**
 * How old a queue's oldest message may get: the longest a message can legitimately live while its consumer retries
 * it (visibility timeout × receives) before it moves to the dead-letter queue. Older means nobody is consuming.
 */
export const oldestMessageAgeLimit = (spec: Pick<QueueSpec, 'visibilityTimeoutSeconds' | 'maxReceiveCount'>): Duration =>
  Duration.seconds(spec.visibilityTimeoutSeconds * spec.maxReceiveCount);

export interface ObservabilityProps {
  /** Dead-letter queues by name; any message in one is work that did not happen. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The topology's work queues. */
  readonly queues: Readonly<Record<QueueKey, IQueue>>;
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  readonly functions: Functions;
  readonly httpApi: IHttpApi;
}

/**
 * Alarms that page only on what needs a person: a message in a dead-letter queue, a failed workflow execution, a
 * work queue nobody consumes, a function failing minute after minute, the API failing a share of its requests.
 * Each description says what to do. All notify one SNS topic; subscribe the on-call address to it after deploy.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'O2C alarms',
      // Alarm notifications carry no business data; CloudWatch cannot publish to a topic encrypted with the
      // AWS managed SNS key, and a customer managed key would cost more than the topic.
      enforceSSL: true,
    });
    this.action = new SnsAction(this.alarmTopic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${pascalCase(name)}DlqNotEmpty`, DLQ_WINDOW, {
        description:
          `Messages in the ${name} dead-letter queue: work that did not happen. Read one (SQS console, "Send and receive messages"), ` +
          `find its error in the consumer's log group by the message id, fix the cause, then redrive the queue ("Start DLQ redrive").`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: DLQ_WINDOW.period, statistic: 'Maximum' }),
        threshold: 0,
      });
    }

    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      this.alarm(`${pascalCase(name)}WorkflowFailed`, WORKFLOW_WINDOW, {
        description:
          `Executions of the ${name} workflow failed: the order or invoice is stuck until someone looks. Open the workflow's execution log ` +
          `(its CloudWatch log group keeps every failure with its input), read the error and cause of the failed state, fix the cause, then recheck or restart the order or invoice it names.`,
        metric: stateMachine.metricFailed({ period: WORKFLOW_WINDOW.period, statistic: 'Sum' }),
        threshold: 0,
      });
    }

    for (const [key, queue] of Object.entries(props.queues) as [QueueKey, IQueue][]) {
      const limit = oldestMessageAgeLimit(queueSpecs[key]);
      this.alarm(`${pascalCase(key)}QueueOldestMessageAge`, QUEUE_AGE_WINDOW, {
        description:
          `The oldest message in the ${key} queue is older than ${limit.toHumanString()} (its whole retry budget): nothing is consuming it. ` +
          `Check its consumer's event source mapping is enabled and the function's throttles and errors; messages expire after ${queueSpecs[key].retentionDays} days.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: QUEUE_AGE_WINDOW.period, statistic: 'Maximum' }),
        threshold: limit.toSeconds(),
      });
    }

    for (const [key, fn] of props.functions.entries()) {
      this.alarm(`${pascalCase(key)}Errors`, FUNCTION_ERRORS_WINDOW, {
        description:
          `${fn.spec.dir} failed in ${FUNCTION_ERRORS_WINDOW.datapointsToAlarm} of the last ${FUNCTION_ERRORS_WINDOW.evaluationPeriods} minutes (unhandled errors or timeouts): ` +
          `not a one-off. Read the ERROR lines of its log group; a dependency outage or a bad deploy is likely. Work it could not do ends in a dead-letter queue or a failed workflow, which alarm too.`,
        metric: fn.function.metricErrors({ period: FUNCTION_ERRORS_WINDOW.period, statistic: 'Sum' }),
        threshold: 0,
      });
    }

    const period = API_5XX_WINDOW.period;
    this.alarm('Api5xxRate', API_5XX_WINDOW, {
      description:
        `More than ${API_5XX_RATE.percent} % of HTTP API requests were answered 5xx (at least ${API_5XX_RATE.minRequests} requests in five minutes) in ` +
        `${API_5XX_WINDOW.datapointsToAlarm} of the last ${API_5XX_WINDOW.evaluationPeriods} periods: stores retry their webhooks, operators cannot work. ` +
        'Find the failing routes in the API access logs (status 5xx, integrationError) and read the errors of their functions.',
      metric: new MathExpression({
        expression: `IF(requests >= ${API_5XX_RATE.minRequests}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: {
          requests: props.httpApi.metricCount({ period, statistic: 'Sum' }),
          errors: props.httpApi.metricServerError({ period, statistic: 'Sum' }),
        },
        period,
        label: 'HTTP API 5xx (% of requests)',
      }),
      threshold: API_5XX_RATE.percent,
    });
  }

  /** Alarms when the metric is above the threshold in the window's M of N periods; no data means nothing happened. */
  private alarm(id: string, window: AlarmWindow, options: { description: string; metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: window.evaluationPeriods,
      datapointsToAlarm: window.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
