/**
 * A real browser for the console tests: Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when
 * missing) driven by playwright-core, signed in per role through the local `/console/login`, with an axe-core check
 * and screenshots kept as test artifacts (`test/e2e/artifacts/`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Role } from '#shared/topology';
import { repoRoot } from '#shared/state-machine-definitions';

export const ARTIFACTS = join(repoRoot, 'test', 'e2e', 'artifacts');
const CHROMIUM = process.env.O2C_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('the console tests need Chromium: apt-get install chromium (or set O2C_CHROMIUM to its path)');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh tab signed in as `role` (a dev token minted by the local runtime), on Today. */
export async function signedIn(browser: Browser, baseUrl: string, role: Role): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console/login?role=${role}`);
  await page.getByRole('heading', { name: 'Today' }).waitFor();
  return page;
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target as string[] })) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
