import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  TextWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { businessMetrics, METRICS_NAMESPACE, reportMetrics, REPORTS_NAMESPACE, searchExpression, type MetricSpec } from '#shared/metrics';
import { functions as functionSpecs, queues as queueSpecs, type FunctionKey, type QueueKey, type StateMachineKey } from '#shared/topology';
import type { Functions } from './functions.ts';
import { oldestMessageAgeLimit } from './observability.ts';

/** Business counters are summed per hour; the daily report metrics are read per day. */
const BUSINESS_PERIOD = Duration.hours(1);
const REPORT_PERIOD = Duration.days(1);
/** Pipeline metrics at the resolution their alarms use. */
const PIPELINE_PERIOD = Duration.minutes(5);
const WIDTH = 6;
const HEIGHT = 6;

/** The title of each business widget; a metric added to the catalogue does not compile until it has one here. */
export const BUSINESS_TITLES: Readonly<Record<keyof typeof businessMetrics, string>> = {
  ordersAccepted: 'Orders accepted, by source',
  creditDecisions: 'Credit outcomes, by who decided',
  invoicesIssued: 'Invoices issued, by currency',
  invoicedAmount: 'Invoiced (minor units), by currency',
  paymentsApplied: 'Cash applied: payments, by matching rule',
  cashApplicationExceptions: 'Exceptions left to a person',
  remindersSent: 'Reminders sent, by dunning level',
  emailsFailed: 'Invoice emails failed',
};
export const REPORT_TITLES: Readonly<Record<keyof typeof reportMetrics, string>> = {
  dso: 'DSO (days), daily from the ledger',
  matchRate: 'Cash match rate (%), daily from the ledger',
};

/** Section headings, so a test (and a person) finds the rows. */
export const SECTIONS = { business: 'Business', pipeline: 'Pipeline' } as const;

export interface OperationsDashboardProps {
  readonly functions: Functions;
  readonly queues: Readonly<Record<QueueKey, IQueue>>;
  /** Every dead-letter queue by name (the queues', the schedules', the async-failures one). */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly stateMachines: Readonly<Record<StateMachineKey, IStateMachine>>;
  readonly httpApi: IHttpApi;
  readonly alarms: readonly IAlarm[];
}

/**
 * One CloudWatch dashboard built from the topology and the metric catalogue: the alarms' state; the business row
 * (what O2C did, from the handlers' EMF metrics, and the daily KPIs the report job publishes from the ledger); the
 * pipeline row (HTTP API, each queue and dead-letter queue, each workflow, each function). A function, queue or
 * workflow added to the topology gets its widget without anyone touching this file.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms (each says what to do)', alarms: [...props.alarms], width: 24, height: 6 }));
    this.dashboard.addWidgets(
      heading(
        SECTIONS.business,
        'Counted by the handlers as events happen (Powertools EMF, namespace `O2C`). EMF is delivered at least once and a retried step can count twice: ' +
          'these are operational signals, the ledger (reports, statements) holds the figures. DSO and match rate are published once a day by the report job (`O2C/Reports`).',
      ),
      ...(Object.keys(businessMetrics) as (keyof typeof businessMetrics)[]).map((key) => searchGraph(BUSINESS_TITLES[key], METRICS_NAMESPACE, businessMetrics[key], 'Sum', BUSINESS_PERIOD)),
      ...(Object.keys(reportMetrics) as (keyof typeof reportMetrics)[]).map((key) => searchGraph(REPORT_TITLES[key], REPORTS_NAMESPACE, reportMetrics[key], 'Maximum', REPORT_PERIOD)),
    );
    this.dashboard.addWidgets(
      heading(SECTIONS.pipeline, 'The HTTP API, each work queue and dead-letter queue, each workflow and each function of the topology, at the 5-minute resolution of their alarms.'),
      ...apiWidgets(props.httpApi),
      ...(Object.entries(props.queues) as [QueueKey, IQueue][]).map(([key, queue]) => queueWidget(key, queue)),
      ...Object.entries(props.deadLetterQueues).map(([name, queue]) => deadLetterWidget(name, queue)),
      ...(Object.entries(props.stateMachines) as [StateMachineKey, IStateMachine][]).map(([key, machine]) => workflowWidget(key, machine)),
      ...props.functions.entries().map(([key, fn]) => functionWidget(key, fn.function)),
    );
  }
}

function heading(title: string, text: string): IWidget {
  return new TextWidget({ markdown: `## ${title}\n${text}`, width: 24, height: 2 });
}

/**
 * Every series of a catalogue metric, found by SEARCH: a new currency, source or rule appears by itself. Each series
 * is labelled by its dimension values.
 */
function searchGraph(title: string, namespace: string, metric: MetricSpec, statistic: 'Sum' | 'Maximum', period: Duration): IWidget {
  return new GraphWidget({
    title,
    width: WIDTH,
    height: HEIGHT,
    left: [
      new MathExpression({
        expression: searchExpression(namespace, metric, statistic, period.toSeconds()),
        usingMetrics: {},
        period,
        label: metric.dimensions.map((dimension) => `\${PROP('Dim.${dimension}')}`).join(' '),
      }),
    ],
  });
}

function apiWidgets(api: IHttpApi): IWidget[] {
  const sum = { period: PIPELINE_PERIOD, statistic: 'Sum' };
  return [
    graph('HTTP API: requests, 4xx, 5xx', [
      api.metricCount({ ...sum, label: 'requests' }),
      api.metricClientError({ ...sum, label: '4xx' }),
      api.metricServerError({ ...sum, label: '5xx' }),
    ]),
    graph('HTTP API: latency (ms)', [
      api.metricLatency({ period: PIPELINE_PERIOD, statistic: 'p50', label: 'p50' }),
      api.metricLatency({ period: PIPELINE_PERIOD, statistic: 'p99', label: 'p99' }),
      api.metricIntegrationLatency({ period: PIPELINE_PERIOD, statistic: 'p99', label: 'integration p99' }),
    ]),
  ];
}

function queueWidget(key: QueueKey, queue: IQueue): IWidget {
  const maximum = { period: PIPELINE_PERIOD, statistic: 'Maximum' };
  return new GraphWidget({
    title: `Queue ${key}: depth and oldest message`,
    width: WIDTH,
    height: HEIGHT,
    left: [queue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: 'waiting' }), queue.metricApproximateNumberOfMessagesNotVisible({ ...maximum, label: 'in flight' })],
    right: [queue.metricApproximateAgeOfOldestMessage({ ...maximum, label: 'oldest message age (s)' })],
    rightAnnotations: [{ value: oldestMessageAgeLimit(queueSpecs[key]).toSeconds(), label: 'alarm' }],
  });
}

function deadLetterWidget(name: string, queue: IQueue): IWidget {
  return graph(`Dead-letter queue ${name}`, [queue.metricApproximateNumberOfMessagesVisible({ period: PIPELINE_PERIOD, statistic: 'Maximum', label: 'messages' })]);
}

function workflowWidget(key: StateMachineKey, machine: IStateMachine): IWidget {
  const sum = { period: PIPELINE_PERIOD, statistic: 'Sum' };
  return graph(`Workflow ${key}: executions`, [
    machine.metricStarted({ ...sum, label: 'started' }),
    machine.metricSucceeded({ ...sum, label: 'succeeded' }),
    machine.metricFailed({ ...sum, label: 'failed' }),
    machine.metricTimedOut({ ...sum, label: 'timed out' }),
    machine.metricAborted({ ...sum, label: 'aborted' }),
  ]);
}

function functionWidget(key: FunctionKey, fn: IFunction): IWidget {
  const spec = functionSpecs[key];
  const sum = { period: PIPELINE_PERIOD, statistic: 'Sum' };
  return new GraphWidget({
    title: `Function ${spec.dir}`,
    width: WIDTH,
    height: HEIGHT,
    left: [fn.metricErrors({ ...sum, label: 'errors' }), fn.metricThrottles({ ...sum, label: 'throttles' })],
    right: [fn.metricDuration({ period: PIPELINE_PERIOD, statistic: 'p99', label: 'duration p99 (ms)' })],
    rightAnnotations: [{ value: spec.timeoutSeconds * 1000, label: 'timeout' }],
  });
}

function graph(title: string, metrics: IMetric[]): IWidget {
  return new GraphWidget({ title, width: WIDTH, height: HEIGHT, left: metrics });
}
