import { RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readStateMachineDefinition } from '#shared/state-machine-definitions';
import { stateMachines as stateMachineSpecs, type StateMachineKey } from '#shared/topology';
import { acknowledgeServiceWildcards } from '../nag.ts';
import type { Functions } from './functions.ts';

export interface WorkflowsProps {
  readonly functions: Functions;
}

/**
 * The state machines of the topology, deployed from the same ASL files the embedded runtime runs.
 *
 * The definition is passed as a string, unchanged; CloudFormation replaces each `${Placeholder}` with the ARN of
 * the task function the topology maps it to. STANDARD type, because executions are named after the order and
 * only Standard workflows refuse a second execution with the same name (which makes StartExecution idempotent).
 */
export class Workflows extends Construct {
  readonly stateMachines: Readonly<Record<StateMachineKey, StateMachine>>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    this.stateMachines = Object.fromEntries(
      (Object.keys(stateMachineSpecs) as StateMachineKey[]).map((key) => [key, this.build(key, props.functions)]),
    ) as Record<StateMachineKey, StateMachine>;
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
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readStateMachineDefinition(key)),
      definitionSubstitutions: Object.fromEntries(taskFunctions.map(({ placeholder, fn }) => [placeholder, fn.functionArn])),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
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
