import { beforeAll, describe, expect, it } from 'vitest';
import { readStateMachineDefinition } from '#shared/state-machine-definitions';
import { aslPlaceholders, stateMachines, type StateMachineKey } from '#shared/topology';
import { statementsOfRole, SYNTH_TIMEOUT_MS, synthesizeStack, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

const machineKeys = Object.keys(stateMachines) as StateMachineKey[];

describe('given the stack', () => {
  it('then it has exactly one state machine per topology state machine', () => {
    expect(Object.keys(synthesized.template.findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(machineKeys.length);
  });
});

describe('given the X-Ray sampling', () => {
  it('then one rule samples one trace in twenty, with no reservoir, for the stack\'s own services only', () => {
    const rules = Object.values(synthesized.template.findResources('AWS::XRay::SamplingRule'));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.SamplingRule).toMatchObject({ FixedRate: 0.05, ReservoirSize: 0, ServiceName: `${synthesized.stack.stackName}-*` });
  });
});

describe.each(machineKeys)('given the %s state machine', (key) => {
  const spec = stateMachines[key];
  const machine = () => synthesized.stack.workflows.stateMachines[key];
  const properties = () => synthesized.template.toJSON().Resources[synthesized.logicalId(machine())].Properties;

  it('then its definition is the ASL file on disk, byte for byte', () => {
    expect(properties().DefinitionString).toBe(readStateMachineDefinition(key));
  });

  it('then every placeholder of the ASL has a substitution', () => {
    const substituted = Object.keys(properties().DefinitionSubstitutions ?? {});
    for (const placeholder of aslPlaceholders(readStateMachineDefinition(key))) expect(substituted).toContain(placeholder);
  });

  it('then every substitution is a placeholder of the ASL', () => {
    const placeholders = aslPlaceholders(readStateMachineDefinition(key));
    for (const substituted of Object.keys(properties().DefinitionSubstitutions ?? {})) expect(placeholders).toContain(substituted);
  });

  it('then each placeholder is replaced by the ARN of the function the topology maps it to', () => {
    const expected = Object.fromEntries(
      Object.entries(spec.taskFunctions).map(([placeholder, fn]) => [
        placeholder,
        { 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(fn).function), 'Arn'] },
      ]),
    );
    expect(properties().DefinitionSubstitutions).toEqual(expected);
  });

  it('then it is an EXPRESS workflow, billed per execution rather than per state transition', () => {
    expect(spec.type).toBe('EXPRESS');
    expect(properties().StateMachineType).toBe('EXPRESS');
  });

  it('then it logs its failures (ERROR) with their data: an Express execution has no other history', () => {
    expect(properties().LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: true });
  });

  it('then it traces with X-Ray, named so the stack\'s sampling rule applies to it', () => {
    expect(properties().TracingConfiguration).toEqual({ Enabled: true });
    expect(properties().StateMachineName).toBe(`${synthesized.stack.stackName}-${spec.id}`);
  });

  it('then its role may invoke each task function, unqualified ARN only', () => {
    const statements = statementsOfRole(synthesized.template, synthesized.logicalId(machine().role));
    for (const fn of Object.values(spec.taskFunctions)) {
      const arn = { 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.get(fn).function), 'Arn'] };
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: expect.arrayContaining([arn]) }),
      );
    }
    const invokeResources = statements
      .filter((statement) => [statement.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((statement) => [statement.Resource].flat());
    expect(JSON.stringify(invokeResources)).not.toContain(':*');
  });

  it('then an alarm fires when an execution fails', () => {
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: synthesized.logicalId(machine()) } }],
      Threshold: 0,
    });
  });

  it('then its ARN is a stack output', () => {
    synthesized.template.hasOutput(`${spec.id}Arn`, { Value: { Ref: synthesized.logicalId(machine()) } });
  });
});
