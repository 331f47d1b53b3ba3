/**
 * Builds the console when its sources are newer than the last build (or there is none), so `npm start` and the
 * tests serve what the sources say without a separate step. A build takes about a second.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '#shared/state-machine-definitions';
import { CONSOLE_DIST } from './console-server.ts';

const CONSOLE_ROOT = join(repoRoot, 'console');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

export function consoleIsStale(): boolean {
  const built = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['src', 'index.html', 'vite.config.ts'].map((part) => join(CONSOLE_ROOT, part)).filter(existsSync);
  // The backend modules the console imports (types, the role matrix, money formatting) count too.
  return Math.max(...sources.map(newestChange), newestChange(join(repoRoot, 'shared', 'topology.ts'))) > statSync(built).mtimeMs;
}

export async function ensureConsoleBuilt(): Promise<void> {
  if (!consoleIsStale()) return;
  const { build } = await import('vite');
  await build({ configFile: join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
