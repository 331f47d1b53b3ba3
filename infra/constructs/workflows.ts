import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readStateMachineDefinition } from '#shared/state-machine-definitions';
import { stateMachines as stateMachineSpecs, tracing, type StateMachineKey } from '#shared/topology';
import { acknowledgeServiceWildcards } from '../nag.ts';
import type { Functions } from './functions.ts';

export interface WorkflowsProps {
  readonly functions: Functions;
}

/**
 * The state machines of the topology, deployed from the same ASL files the embedded runtime runs.
 *
 * The definition is passed as a string, unchanged; CloudFormation replaces each `${Placeholder}` with the ARN of
 * the task function the topology maps it to. The type and log level are the topology's (both workflows Express,
 * logging failures with their data): Express neither refuses a second execution of one name nor runs an execution
 * only once, so starts are claimed in the table (`shared/adapters/workflows.ts`) and every step is idempotent.
 */
export class Workflows extends Construct {
  readonly stateMachines: Readonly<Record<StateMachineKey, StateMachine>>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.stateMachines = Object.fromEntries(
      (Object.keys(stateMachineSpecs) as StateMachineKey[]).map((key) => [key, this.build(key, props.functions)]),
    ) as Record<StateMachineKey, StateMachine>;
    this.sample();
  }

  /**
   * One X-Ray sampling rule for everything this stack traces: its functions (CloudFormation names them
   * `<stack>-...`) and its workflows (named `<stack>-<id>` below). A fixed share, no reservoir (`tracing`).
   */
  private sample(): void {
    const stackName = Stack.of(this).stackName;
    new CfnSamplingRule(this, 'Sampling', {
      samplingRule: {
        ruleName: `${stackName}-sampling`.slice(0, 32),
        priority: 100,
        fixedRate: tracing.fixedRate.numerator / tracing.fixedRate.denominator,
        reservoirSize: tracing.reservoirPerSecond,
        serviceName: `${stackName}-*`,
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }

  private build(key: StateMachineKey, functions: Functions): StateMachine {
    const spec = stateMachineSpecs[key];
    const taskFunctions = Object.entries(spec.taskFunctions).map(([placeholder, functionKey]) => ({
      placeholder,
      fn: functions.get(functionKey).function,
    }));

    const logGroup = new LogGroup(this, `${spec.id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stateMachine = new StateMachine(this, spec.id, {
      stateMachineName: `${Stack.of(this).stackName}-${spec.id}`,
      stateMachineType: spec.type === 'EXPRESS' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readStateMachineDefinition(key)),
      definitionSubstitutions: Object.fromEntries(taskFunctions.map(({ placeholder, fn }) => [placeholder, fn.functionArn])),
      logs: { destination: logGroup, level: LogLevel[spec.logLevel], includeExecutionData: spec.logLevel !== 'OFF' },
      tracingEnabled: true,
    });
    if (spec.logLevel !== 'ALL')
      Validations.of(stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason:
          'Logs failures only (ERROR, with their input and error), sized to what operators read: a successful execution leaves its effects as audit events in the table, and ALL with data would log every state\'s input and output of every order (README, architecture notes).',
      });
    // The ASL names each task by its unqualified ARN, so only that ARN (no versions or aliases) may be invoked.
    for (const { fn } of taskFunctions) fn.grantInvokeLatestVersion(stateMachine);

    acknowledgeServiceWildcards(
      stateMachine.role,
      'Added by CDK for logging and tracing: CloudWatch Logs vended-log delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) and X-Ray (xray:PutTraceSegments, GetSamplingRules, ...) support no resource-level permissions.',
    );
    return stateMachine;
  }
}
