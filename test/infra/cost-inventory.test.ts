import { beforeAll, describe, expect, it } from 'vitest';
import { deployedInventory } from '../../local/simulate/cost.ts';
import { stateMachines } from '#shared/topology';
import { synthesizeStack, SYNTH_TIMEOUT_MS, type SynthesizedStack } from './synthesized-stack.ts';

let synthesized: SynthesizedStack;
beforeAll(() => {
  synthesized = synthesizeStack();
}, SYNTH_TIMEOUT_MS);

describe('the cost report prices what the stack deploys', () => {
  it('given the synthesized stack, when its fixed monthly items are counted, then the cost report counts the same alarms, dashboards and secrets', () => {
    const inventory = deployedInventory();

    expect(Object.keys(synthesized.template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(inventory.alarms);
    expect(Object.keys(synthesized.template.findResources('AWS::CloudWatch::Dashboard'))).toHaveLength(inventory.dashboards);
    expect(Object.keys(synthesized.template.findResources('AWS::SecretsManager::Secret'))).toHaveLength(inventory.secrets);
  });

  it('given the synthesized stack, when its functions and workflows are read, then they are arm64 functions, and workflows of the type and log level the meter takes from the topology', () => {
    const functions = Object.entries(synthesized.template.findResources('AWS::Lambda::Function')) as [string, { Properties: { Architectures?: string[] } }][];
    // Ours are built by the Functions construct; CDK's own helper functions (log retention, notifications) are not priced.
    const ours = functions.filter(([logicalId]) => logicalId.startsWith('Functions')).map(([, fn]) => fn);

    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((fn) => fn.Properties.Architectures?.[0] === 'arm64')).toBe(true);
    const machines = Object.values(synthesized.template.findResources('AWS::StepFunctions::StateMachine')) as { Properties: { StateMachineName?: string; StateMachineType?: string; LoggingConfiguration?: { Level?: string } } }[];
    expect(machines).toHaveLength(Object.keys(stateMachines).length);
    for (const spec of Object.values(stateMachines)) {
      const deployed = machines.find((machine) => machine.Properties.StateMachineName?.endsWith(`-${spec.id}`));
      expect(deployed?.Properties).toMatchObject({ StateMachineType: spec.type, LoggingConfiguration: { Level: spec.logLevel } });
    }
  });
});
