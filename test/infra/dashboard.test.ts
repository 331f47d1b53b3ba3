import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_5XX_RATE, oldestMessageAgeLimit } from '../../infra/constructs/observability.ts';
import { businessMetrics, METRICS_NAMESPACE, reportMetrics, REPORTS_NAMESPACE, searchExpression } from '#shared/metrics';
import { functions, queues, schedules, stateMachines, type FunctionKey, type QueueKey, type StateMachineKey } from '#shared/topology';
import { SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

/** One widget of the dashboard body, its CloudFormation references written as `LogicalId` or `LogicalId.Attribute`. */
interface Widget {
  type: string;
  x: number;
  y: number;
  properties: {
    title?: string;
    markdown?: string;
    alarms?: string[];
    metrics?: (string | { expression?: string; stat?: string; label?: string; yAxis?: string })[][];
  };
}

interface Alarm {
  AlarmDescription: string;
  AlarmActions: unknown[];
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Period?: number;
  Statistic?: string;
  Threshold: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData: string;
  Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string }; Period: number } }[];
}

let synthesized: SynthesizedStack;
let widgets: Widget[];
let alarms: Alarm[];

/** The dashboard body is an `Fn::Join` of JSON text and references; the references become plain names here. */
function dashboardWidgets(): Widget[] {
  const dashboards = Object.values(synthesized.template.findResources('AWS::CloudWatch::Dashboard'));
  const parts = (dashboards[0]!.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const reference = (part: { Ref?: string; 'Fn::GetAtt'?: [string, string] }) => part.Ref ?? part['Fn::GetAtt']!.join('.');
  const body = parts.map((part) => (typeof part === 'string' ? part : reference(part as { Ref?: string }))).join('');
  return (JSON.parse(body) as { widgets: Widget[] }).widgets;
}

beforeAll(() => {
  synthesized = synthesizeStack();
  widgets = dashboardWidgets();
  alarms = Object.values(synthesized.template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties as Alarm);
}, SYNTH_TIMEOUT_MS);

const id = (construct: IConstruct) => synthesized.logicalId(construct);
const titled = (title: string) => {
  const found = widgets.filter((widget) => widget.properties.title === title);
  expect(found, `one widget titled "${title}"`).toHaveLength(1);
  return found[0]!;
};
/** `[namespace, metric name, statistic]` of each metric line of a widget, and whether it reads the resource. */
const lines = (widget: Widget) => (widget.properties.metrics ?? []).map((line) => [line[0], line[1], (line.at(-1) as { stat?: string }).stat]);
const reads = (widget: Widget, logicalId: string) => JSON.stringify(widget.properties.metrics).includes(`"${logicalId}`);
const heading = (title: string) => widgets.find((widget) => widget.type === 'text' && widget.properties.markdown?.startsWith(`## ${title}\n`));
const rowOf = (widget: Widget) => (widget.y < heading('Pipeline')!.y ? 'business' : 'pipeline');

const functionKeys = Object.keys(functions) as FunctionKey[];
const queueKeys = Object.keys(queues) as QueueKey[];
const machineKeys = Object.keys(stateMachines) as StateMachineKey[];
/** Every dead-letter queue the topology implies: one per queue, one per daily schedule, one for async invocations. */
const deadLetterQueues = (): [string, IConstruct][] => [
  ...queueKeys.map((key): [string, IConstruct] => [key, synthesized.stack.intake.deadLetterQueues[key]]),
  ...schedules.map((spec): [string, IConstruct] => [`${spec.id}Schedule`, synthesized.stack.schedules.get(spec.id).deadLetterQueue]),
  ...(synthesized.stack.functions.asyncFailuresQueue ? [['asyncFailures', synthesized.stack.functions.asyncFailuresQueue] as [string, IConstruct]] : []),
];

describe('given the synthesized stack', () => {
  it('then it has one CloudWatch dashboard, named after the stack, and its name is an output', () => {
    synthesized.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'O2cStack-operations' });
    synthesized.template.hasOutput('DashboardName', {});
  });

  it('then it opens with the state of every alarm of the stack', () => {
    const [first] = widgets;

    expect(first).toMatchObject({ type: 'alarm', y: 0 });
    expect(first!.properties.alarms).toHaveLength(alarms.length);
  });

  it('then the business row stands above the pipeline row', () => {
    expect(heading('Business')).toBeDefined();
    expect(heading('Pipeline')).toBeDefined();
    expect(heading('Business')!.y).toBeLessThan(heading('Pipeline')!.y);
  });
});

describe('given the business row', () => {
  it.each(Object.entries(businessMetrics))('then %s has a widget searching every series of its metric in O2C, per hour', (_key, metric) => {
    const expression = searchExpression(METRICS_NAMESPACE, metric, 'Sum', 3600);
    const widget = widgets.find((candidate) => JSON.stringify(candidate.properties.metrics ?? []).includes(JSON.stringify(expression).slice(1, -1)));

    expect(widget, expression).toBeDefined();
    expect(rowOf(widget!)).toBe('business');
  });

  it.each(Object.entries(reportMetrics))('then the daily KPI %s the report job publishes has its widget, per day', (_key, metric) => {
    const expression = searchExpression(REPORTS_NAMESPACE, metric, 'Maximum', 86_400);
    const widget = widgets.find((candidate) => JSON.stringify(candidate.properties.metrics ?? []).includes(JSON.stringify(expression).slice(1, -1)));

    expect(widget, expression).toBeDefined();
    expect(rowOf(widget!)).toBe('business');
  });

  it('then every metric of the catalogue has a widget, and nothing else', () => {
    const searched = widgets.filter((widget) => JSON.stringify(widget.properties.metrics ?? []).includes('SEARCH('));

    expect(searched).toHaveLength(Object.keys(businessMetrics).length + Object.keys(reportMetrics).length);
  });
});

describe('given the pipeline row', () => {
  it.each(functionKeys)('then function %s has a widget with its errors, throttles and p99 duration', (key) => {
    const widget = titled(`Function ${functions[key].dir}`);

    expect(rowOf(widget)).toBe('pipeline');
    expect(reads(widget, id(synthesized.stack.functions.get(key).function))).toBe(true);
    expect(lines(widget)).toEqual([
      ['AWS/Lambda', 'Errors', 'Sum'],
      ['AWS/Lambda', 'Throttles', 'Sum'],
      ['AWS/Lambda', 'Duration', 'p99'],
    ]);
  });

  it.each(queueKeys)('then queue %s has a widget with its depth and the age of its oldest message', (key) => {
    const widget = titled(`Queue ${key}: depth and oldest message`);

    expect(reads(widget, `${id(synthesized.stack.intake.queues[key])}.QueueName`)).toBe(true);
    expect(lines(widget).map(([, name]) => name)).toEqual(['ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateAgeOfOldestMessage']);
  });

  it('then each dead-letter queue of the topology has a widget with the messages in it', () => {
    for (const [name, queue] of deadLetterQueues()) {
      const widget = titled(`Dead-letter queue ${name}`);
      expect(reads(widget, `${id(queue)}.QueueName`), name).toBe(true);
      expect(lines(widget)).toEqual([['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'Maximum']]);
    }
  });

  it.each(machineKeys)('then workflow %s has a widget with its failed, timed-out and aborted executions', (key) => {
    const widget = titled(`Workflow ${key}: executions`);

    expect(reads(widget, id(synthesized.stack.workflows.stateMachines[key]))).toBe(true);
    expect(lines(widget).map(([, name]) => name)).toEqual(expect.arrayContaining(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']));
  });

  it('then the HTTP API has its requests, 4xx and 5xx, and its latency', () => {
    const api = id(synthesized.stack.api.httpApi);

    expect(lines(titled('HTTP API: requests, 4xx, 5xx')).map(([, name]) => name)).toEqual(['Count', '4xx', '5xx']);
    expect(lines(titled('HTTP API: latency (ms)'))).toEqual([
      ['AWS/ApiGateway', 'Latency', 'p50'],
      ['AWS/ApiGateway', 'Latency', 'p99'],
      ['AWS/ApiGateway', 'IntegrationLatency', 'p99'],
    ]);
    expect(reads(titled('HTTP API: latency (ms)'), api)).toBe(true);
  });
});

describe('given the alarms', () => {
  const byDimension = (value: unknown, metricName: string) => alarms.filter((alarm) => alarm.MetricName === metricName && JSON.stringify(alarm.Dimensions?.[0]?.Value) === JSON.stringify(value));

  it.each(functionKeys)('then function %s pages on errors in 3 of the last 5 minutes, not on one error', (key) => {
    const found = byDimension({ Ref: id(synthesized.stack.functions.get(key).function) }, 'Errors');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, Threshold: 0, DatapointsToAlarm: 3, EvaluationPeriods: 5 });
  });

  it('then the HTTP API pages when more than 5 % of at least 10 requests fail with 5xx in 2 of 3 five-minute periods', () => {
    const found = alarms.filter((alarm) => alarm.Metrics?.some((metric) => metric.MetricStat?.Metric.MetricName === '5xx'));

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Threshold: API_5XX_RATE.percent, DatapointsToAlarm: 2, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold' });
    expect(found[0]!.Metrics!.find((metric) => metric.Expression)?.Expression).toBe('IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)');
    expect(found[0]!.Metrics!.filter((metric) => metric.MetricStat).map((metric) => metric.MetricStat!.Period)).toEqual([300, 300]);
  });

  it('then every dead-letter queue pages at once: one minute, one datapoint', () => {
    for (const [name, queue] of deadLetterQueues()) {
      const found = byDimension({ 'Fn::GetAtt': [id(queue), 'QueueName'] }, 'ApproximateNumberOfMessagesVisible');
      expect(found, name).toHaveLength(1);
      expect(found[0], name).toMatchObject({ Statistic: 'Maximum', Period: 60, Threshold: 0, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    }
  });

  it.each(queueKeys)('then queue %s pages once its oldest message outlived its retry budget (visibility timeout × receives)', (key) => {
    const found = byDimension({ 'Fn::GetAtt': [id(synthesized.stack.intake.queues[key]), 'QueueName'] }, 'ApproximateAgeOfOldestMessage');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Statistic: 'Maximum', Threshold: queues[key].visibilityTimeoutSeconds * queues[key].maxReceiveCount, EvaluationPeriods: 1 });
    expect(oldestMessageAgeLimit(queues[key]).toSeconds()).toBe(found[0]!.Threshold);
  });

  it.each(machineKeys)('then workflow %s pages at once when an execution fails', (key) => {
    const found = byDimension({ Ref: id(synthesized.stack.workflows.stateMachines[key]) }, 'ExecutionsFailed');

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 0 });
  });

  it('then every alarm notifies the alarm topic, takes no data as nothing happened, and says what to do', () => {
    const topic = { Ref: id(synthesized.stack.observability.alarmTopic) };
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmDescription.length, alarm.AlarmDescription).toBeGreaterThan(120);
      expect(alarm.AlarmDescription, alarm.AlarmDescription).toMatch(/\b(Read|Open|Check|Find)\b/);
    }
  });

  it('then there is no alarm the topology does not explain: its functions, queues, dead-letter queues, workflows and the API', () => {
    expect(alarms).toHaveLength(functionKeys.length + queueKeys.length + deadLetterQueues().length + machineKeys.length + 1);
  });
});
