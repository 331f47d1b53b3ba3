import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { domainErrorNames } from '#domain/errors';
import { readStateMachineDefinition, repoRoot } from '#shared/state-machine-definitions';
import { aslPlaceholders, stateMachines, type StateMachineKey } from '#shared/topology';
import { localFunctionArn } from '../../local/lambda-runtime.ts';
import { localDefinition } from '../../local/step-functions.ts';

type State = Record<string, unknown> & { Type: string; Resource?: string; Retry?: { ErrorEquals: string[] }[]; Catch?: { ErrorEquals: string[] }[] };
type Machine = { States: Record<string, State> };

const keys = Object.keys(stateMachines) as StateMachineKey[];

/** Every state, nested branches and map processors included. */
function allStates(machine: Machine): [string, State][] {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...((state.Branches as Machine[] | undefined) ?? []).flatMap(allStates),
    ...[(state.ItemProcessor ?? state.Iterator) as Machine | undefined].filter((nested): nested is Machine => nested !== undefined).flatMap(allStates),
  ]);
}

/** Errors Step Functions and the Lambda service raise themselves; everything else must be a domain error name. */
const isPlatformError = (name: string) => name.startsWith('States.') || name.startsWith('Lambda.');

describe('state machine definitions', () => {
  it('given the state-machines folder, when listed, then every file is in the topology and every topology entry has its file', () => {
    const files = readdirSync(join(repoRoot, 'state-machines')).filter((file) => file.endsWith('.asl.json'));

    expect(files.map((file) => `state-machines/${file}`).sort()).toEqual(keys.map((key) => stateMachines[key].file).sort());
  });

  describe.each(keys)('%s', (key) => {
    const text = readStateMachineDefinition(key);
    const machine = JSON.parse(text) as Machine & Record<string, unknown>;

    it('is valid ASL (as the local runner validates it, ARNs and paths included)', () => {
      expect(() => new StateMachine(JSON.parse(localDefinition(key)), { validationOptions: { checkArn: true, checkPaths: true } })).not.toThrow();
    });

    it('uses only what aws-local-stepfunctions can execute: JSONPath, Lambda tasks, no task tokens, item readers or variables', () => {
      expect(text).not.toMatch(/"QueryLanguage"|waitForTaskToken|\.sync"|"ItemReader"|"ResultWriter"|"Assign"|"Arguments"|"Output"/);
      for (const [name, state] of allStates(machine).filter(([, state]) => state.Type === 'Task'))
        expect(state.Resource, `Task ${name} must call a function placeholder`).toMatch(/^\$\{[A-Za-z0-9]+FunctionArn\}$/);
    });

    it('has exactly the placeholders the topology (and so CDK) substitutes, both ways', () => {
      expect(aslPlaceholders(text).sort()).toEqual(Object.keys(stateMachines[key].taskFunctions).sort());
    });

    it('routes only on error names that exist in the domain or the platform', () => {
      const names = allStates(machine).flatMap(([, state]) => [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((rule) => rule.ErrorEquals));
      const unknown = names.filter((name) => !isPlatformError(name) && !(domainErrorNames as readonly string[]).includes(name));

      expect(names.length).toBeGreaterThan(0);
      expect(unknown).toEqual([]);
    });

    it('runs locally as the file with only its placeholders replaced', () => {
      const local = localDefinition(key);

      expect(aslPlaceholders(local)).toEqual([]);
      let restored = local;
      for (const [placeholder, fn] of Object.entries(stateMachines[key].taskFunctions))
        restored = restored.replaceAll(localFunctionArn(fn), `\${${placeholder}}`);
      expect(restored).toBe(text);
    });
  });
});
