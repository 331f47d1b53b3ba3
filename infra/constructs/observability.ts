import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { pascalCase } from '../naming.ts';
import type { Functions } from './functions.ts';

export interface ObservabilityProps {
  /** Dead-letter queues by name; any message in one is work that did not happen. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly stateMachines: Readonly<Record<string, IStateMachine>>;
  readonly functions: Functions;
}

/**
 * Alarms that mean "an order, invoice or payment is stuck": a message in a dead-letter queue, a failed or
 * timed-out workflow execution, a function error. All notify one SNS topic; subscribe the on-call address to it
 * after deploy.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'O2C alarms',
      // Alarm notifications carry no business data; CloudWatch cannot publish to a topic encrypted with the
      // AWS managed SNS key, and a customer managed key would cost more than the topic.
      enforceSSL: true,
    });
    const action = new SnsAction(this.alarmTopic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${pascalCase(name)}DlqNotEmpty`, {
        description: `Messages in the ${name} dead-letter queue: inspect them, fix the cause and redrive.`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        action,
      });
    }

    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      this.alarm(`${pascalCase(name)}WorkflowFailed`, {
        description: `Executions of the ${name} workflow failed: the order is stuck until someone looks.`,
        metric: stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        action,
      });
    }

    for (const [key, fn] of props.functions.entries()) {
      this.alarm(`${pascalCase(key)}Errors`, {
        description: `Invocations of ${fn.spec.dir} ended in an error (unhandled exception or timeout).`,
        metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        action,
      });
    }
  }

  /** Alarms as soon as the metric is above zero in one period; no data means nothing happened. */
  private alarm(id: string, options: { description: string; metric: IMetric; action: SnsAction }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(options.action);
    this.alarms.push(alarm);
  }
}
