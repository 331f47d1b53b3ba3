import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateMachines, type StateMachineKey } from '#shared/topology';

/** Repository root, found from this file so callers work from any working directory. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The ASL text exactly as it is on disk. CDK deploys this string unchanged (placeholders are substituted by
 * CloudFormation) and the embedded runtime substitutes the same placeholders, so both run the same bytes.
 */
export function readStateMachineDefinition(key: StateMachineKey): string {
  return readFileSync(join(repoRoot, stateMachines[key].file), 'utf8');
}

/** Replaces every `${Placeholder}`; an unknown or unused placeholder is an error, not a silent gap. */
export function substituteDefinition(definition: string, values: Readonly<Record<string, string>>): string {
  const used = new Set<string>();
  const text = definition.replace(/\$\{([A-Za-z0-9]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No substitution for placeholder \${${name}}`);
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`Substitutions not used by the definition: ${unused.join(', ')}`);
  return text;
}
