import type { Random } from './cash-ledger.ts';

/** Characters that break a downstream service or a careless reader: SQS's refused ones, NUL, lone surrogates, bidi overrides. */
export const hostileTexts: readonly string[] = [
  '\uFFFF',
  '\uFFFE',
  '\uD800',
  'x\uDC00y',
  '\u0000',
  '\u0007',
  '\u202Eevil',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧',
  'Ωmega "quoted" <tag> & \\ backslash',
  'a'.repeat(5_000),
  '',
  ' ',
];

/** Numbers at and past the edges of exact integers, and values that are not numbers at all. */
export const hostileNumbers: readonly unknown[] = [0, -1, 0.5, 1e21, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number('9007199254740993'), 1e308, Number.MAX_SAFE_INTEGER, '12', null, [], {}, true];

/** A random JSON value up to `depth` levels deep, its strings drawn partly from `hostileTexts`. */
export function randomJson(random: Random, depth = 3): unknown {
  const kind = random.int(0, depth > 0 ? 6 : 3);
  if (kind === 0) return random.pick(hostileNumbers);
  if (kind === 1) return random.pick(hostileTexts);
  if (kind === 2) return random.chance(0.5);
  if (kind === 3) return null;
  if (kind === 4) return Array.from({ length: random.int(0, 4) }, () => randomJson(random, depth - 1));
  return Object.fromEntries(Array.from({ length: random.int(0, 5) }, () => [random.pick(['id', 'lines', 'sku', 'quantity', 'currency', 'customer', 'total', 'status', random.pick(hostileTexts)]), randomJson(random, depth - 1)]));
}

/** Every path to a leaf or a node of a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((child, index) => pathsOf(child, [...prefix, index])) : Object.entries(value).map(([key, child]) => pathsOf(child, [...prefix, key]));
  return [prefix, ...children.flat()];
}

/** A copy of a real payload with one place changed: a hostile text or number, another type, or the field gone. */
export function mutate(random: Random, payload: unknown): { mutated: unknown; where: string } {
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  const paths = pathsOf(copy).filter((path) => path.length > 0);
  const path = random.pick(paths);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const choice = random.int(0, 3);
  if (choice === 0) parent[last] = random.pick(hostileTexts);
  else if (choice === 1) parent[last] = random.pick(hostileNumbers);
  else if (choice === 2) parent[last] = randomJson(random, 1);
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return { mutated: copy, where: path.join('.') };
}

/** Random bytes, as a string of arbitrary code units (invalid UTF-16 included). */
export const randomText = (random: Random, length: number) => String.fromCharCode(...Array.from({ length }, () => random.int(0, 0xffff)));

/** Sets the value at `path` in a copy of `payload`. */
export function withValueAt(payload: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path.at(-1)!] = value;
  return copy;
}

/** Every place of a real payload that holds a string or a number, each with every hostile value of its kind. */
export function systematicMutations(payload: unknown): { mutated: unknown; where: string }[] {
  return pathsOf(payload)
    .filter((path) => path.length > 0)
    .flatMap((path) => {
      let value: unknown = payload;
      for (const key of path) value = (value as Record<string | number, unknown>)[key];
      const replacements = typeof value === 'string' ? hostileTexts : typeof value === 'number' ? hostileNumbers : [];
      return replacements.map((replacement) => ({ mutated: withValueAt(payload, path, replacement), where: `${path.join('.')}=${JSON.stringify(replacement)?.slice(0, 20)}` }));
    });
}
