/**
 * The official EN 16931 validation (CEN/TC 434's schematron, compiled to XSLT by ConnectingEurope) run on our UBL
 * with SaxonJS, so `npm test` checks invoices the way a receiver's validator does, with nothing fetched from
 * outside the repository (the artefact is in test/fixtures/en16931/, see SOURCE.md there).
 *
 * SaxonJS runs compiled stylesheets (SEF). Compiling the 900 KB XSLT takes 15–50 s (a busy CI machine), so it is done once per
 * machine into node_modules/.cache/o2c-en16931/, keyed by the XSLT's hash and the SaxonJS versions: a fresh clone
 * (CI) compiles once, a changed artefact or SaxonJS upgrade recompiles, nothing generated is committed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import SaxonJS from 'saxon-js';
import { repoRoot } from '#shared/state-machine-definitions';

export const EN16931_XSLT = join(repoRoot, 'test/fixtures/en16931/EN16931-UBL-validation.xslt');
/** Generous: the compile is CPU-bound and CI's two cores may be shared with other test files. */
export const EN16931_COMPILE_TIMEOUT_MS = 300_000;

/** One rule the document breaks, as the SVRL reports it. */
export interface FailedAssert {
  id: string;
  flag: string;
  location: string;
  text: string;
}

/** Compiles the XSLT to SEF unless the cache already holds this exact version; returns the SEF path. */
export async function compiledEn16931(): Promise<string> {
  const xslt3 = join(repoRoot, 'node_modules/xslt3');
  const versionOf = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(readFileSync(EN16931_XSLT)).update(`xslt3@${versionOf('xslt3')} saxon-js@${versionOf('saxon-js')}`).digest('hex').slice(0, 16);
  const directory = join(repoRoot, 'node_modules/.cache/o2c-en16931');
  const sef = join(directory, `en16931-${key}.sef.json`);
  if (existsSync(sef)) return sef;
  mkdirSync(directory, { recursive: true });
  // One compiler at a time (unit and integration tests may both ask on a fresh clone): the others wait for its file.
  const lock = `${sef}.lock`;
  const deadline = Date.now() + EN16931_COMPILE_TIMEOUT_MS;
  while (!tryLock(lock)) {
    if (existsSync(sef)) return sef;
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to compile ${sef} (remove ${lock} if it is stale)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    if (existsSync(sef)) return sef;
    // Written under a unique name and renamed, so nobody ever reads half a file.
    const partial = `${sef}.${process.pid}.partial`;
    await promisify(execFile)(process.execPath, [join(xslt3, 'xslt3.js'), `-xsl:${EN16931_XSLT}`, `-export:${partial}`, '-nogo'], { timeout: EN16931_COMPILE_TIMEOUT_MS });
    renameSync(partial, sef);
    return sef;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `mkdir` is atomic: whoever creates the directory holds the lock. A lock older than the compile timeout is stale. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > EN16931_COMPILE_TIMEOUT_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      // It went away meanwhile: the next round tries again.
    }
    return false;
  }
}

const svrl = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => name === 'svrl:failed-assert' || name === 'svrl:successful-report',
});

/** Loads the compiled validation once; the returned function validates one UBL document (about 0.1 s each). */
export async function en16931Validator(): Promise<(xml: string) => FailedAssert[]> {
  const stylesheet = JSON.parse(readFileSync(await compiledEn16931(), 'utf8')) as unknown;
  return (xml) => {
    const output = SaxonJS.transform({ stylesheetInternal: stylesheet, sourceText: xml, destination: 'serialized' }).principalResult;
    const report = (svrl.parse(output) as Record<string, Record<string, unknown>>)['svrl:schematron-output'] ?? {};
    const failed = (report['svrl:failed-assert'] ?? []) as Record<string, unknown>[];
    return failed.map((assert) => ({
      id: String(assert.id ?? ''),
      flag: String(assert.flag ?? ''),
      // `/*:Invoice[namespace-uri()='…'][1]/*:TaxTotal[…][1]` → `/Invoice[1]/TaxTotal[1]`
      location: String(assert.location ?? '').replace(/\*:|\[namespace-uri\(\)='[^']*'\]/g, ''),
      text: String(assert['svrl:text'] ?? '').replace(/\s+/g, ' ').trim(),
    }));
  };
}

/** The fatal failures only (warnings are advice), one per line, for an assertion message a person can act on. */
export function fatal(asserts: FailedAssert[]): string[] {
  return asserts.filter((assert) => assert.flag === 'fatal').map((assert) => `${assert.id} at ${assert.location}: ${assert.text}`);
}

/** Why the validator's XML parser refuses `xml` (e.g. `&foo;`, `&#0;`), or undefined when it reads it. */
export function xmlParseError(xml: string): string | undefined {
  try {
    SaxonJS.XPath.evaluate('parse-xml($xml)', null, { params: { xml } });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
