/**
 * Cash application at volume: a generated ledger (`test/support/cash-ledger.ts`) of 10 000 and 100 000 open
 * invoices with as many bank entries, written as a real camt.053.001.02 file, then read with `parseBankFile` and
 * matched with `matchEntries`. Measured: parse only, match only, and both, each in a fresh Node process so that
 * memory peaks are not mixed (peak RSS from `process.resourceUsage().maxRSS`; the heap V8 has committed after the
 * step, which it does not give back quickly, stands in for the heap peak). Times are `performance.now()`.
 * Numbers are printed, never asserted: they vary with the machine.
 *
 * Quality: precision and recall per kind of the engine on the generated entries (what the truth was written for),
 * in a table; and, in the notes, where the entries read back from camt fare otherwise (a parser that drops part of
 * the remittance, e.g. the amounts of a structured advice, shows there).
 *
 * `npx tsx bench/cash-application.ts` runs it alone; `benchCashApplication()` returns the markdown table for
 * `bench/run.ts`. `BENCH_CASH_SIZES=10000,100000` and `BENCH_RUNS=n` (median of n runs) change what is measured.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import type { BankEntry, RemittanceDocument } from '#domain/bank-statement';
import { matchEntries, type EntryMatch, type OpenItem } from '#domain/cash-matching';
import { repoRoot } from '#shared/state-machine-definitions';
import { parseBankFile } from '../shared/bank/parse.ts';
import { formatKindTable, generateLedger, markdownTable, scoreMatches, type Expected, type Ledger, type Score } from '../test/support/cash-ledger.ts';

const outDir = join(repoRoot, '.o2c', 'bench', 'cash-application');
const thisFile = fileURLToPath(import.meta.url);
const SEED = 20261102;

type Step = 'parse' | 'match' | 'parse+match';

interface Measurement {
  step: Step;
  ms: number;
  entries: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  heapCommittedMiB: number;
  heapUsedMiB: number;
  /** Only for the match steps: how the engine did against the ground truth (scored after the clock stopped). */
  quality?: { toApply: number; applied: number; wrong: number; held: number; mustNotAllocate: number; byKind: Record<string, { right: number; wrong: number; upstream: number }>; upstream: number } | undefined;
  /** Only for the parse step: entries that differ from the generated ones after the round trip through camt… */
  roundTripMismatches?: number | undefined;
  /** …and of those, the ones that differ only in their remittance documents' amounts. */
  documentMismatches?: number | undefined;
}

const files = (size: number) => ({
  xml: join(outDir, `camt053-${size}.xml`),
  openItems: join(outDir, `open-items-${size}.json`),
  generated: join(outDir, `generated-${size}.json`),
  parsed: join(outDir, `parsed-${size}.json`),
});

// ---------------------------------------------------------------------------------------------------------------
// camt.053.001.02 writer
// ---------------------------------------------------------------------------------------------------------------

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const decimal = (minor: number) => `${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;
const indicator = (minor: number) => (minor < 0 ? 'DBIT' : 'CRDT');

/** Free text in `Ustrd` lines of at most 140 characters, broken at spaces (the parser joins lines with one space). */
function ustrdLines(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && line.length + 1 + word.length > 140) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** One `Strd` per document of the advice: the number (or RF reference) and what the payer says about the money. */
function adviceXml(documents: readonly RemittanceDocument[], currency: string): string {
  const amount = (tag: string, minor: number) => `<${tag} Ccy="${currency}">${decimal(minor)}</${tag}>`;
  return documents
    .map((document) => {
      const reference = /^RF\d\d/i.test(document.number);
      const info = reference ? '' : `<RfrdDocInf>${document.kind ? `<Tp><CdOrPrtry><Cd>${document.kind}</Cd></CdOrPrtry></Tp>` : ''}<Nb>${escapeXml(document.number)}</Nb></RfrdDocInf>`;
      // DBIT: the adjustment is taken off what is paid (ISO 20022 DocumentAdjustment1).
      const adjustments = (document.adjustments ?? [])
        .map((adjustment) => `<AdjstmntAmtAndRsn>${amount('Amt', adjustment.amountMinor)}<CdtDbtInd>${adjustment.amountMinor < 0 ? 'CRDT' : 'DBIT'}</CdtDbtInd>${adjustment.code ? `<Rsn>${escapeXml(adjustment.code)}</Rsn>` : ''}${adjustment.reason ? `<AddtlInf>${escapeXml(adjustment.reason)}</AddtlInf>` : ''}</AdjstmntAmtAndRsn>`)
        .join('');
      const amounts = `${document.dueMinor !== undefined ? amount('DuePyblAmt', document.dueMinor) : ''}${document.discountMinor !== undefined ? amount('DscntApldAmt', document.discountMinor) : ''}${adjustments}${document.paidMinor !== undefined ? amount('RmtdAmt', document.paidMinor) : ''}`;
      const creditorReference = reference ? `<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${escapeXml(document.number)}</Ref></CdtrRefInf>` : '';
      return `<Strd>${info}${amounts ? `<RfrdDocAmt>${amounts}</RfrdDocAmt>` : ''}${creditorReference}</Strd>`;
    })
    .join('');
}

function entryXml(entry: BankEntry, currency: string): string {
  const amount = `<Amt Ccy="${currency}">${decimal(entry.amountMinor)}</Amt>`;
  const [domain = 'PMNT', family = 'RCDT', subFamily = 'ESCT'] = (entry.transactionCode ?? '').split('/');
  // Money in comes from the debtor; a return or a debit goes to the creditor; a reversal keeps the original debtor.
  const role = entry.amountMinor > 0 || entry.reversal ? 'Dbtr' : 'Cdtr';
  const { name, account } = entry.counterparty;
  const parties = name || account ? `<RltdPties>${name ? `<${role}><Nm>${escapeXml(name)}</Nm></${role}>` : ''}${account ? `<${role}Acct><Id><IBAN>${account}</IBAN></Id></${role}Acct>` : ''}</RltdPties>` : '';
  const creditorReferences = entry.references.filter((reference) => /^RF\d\d/.test(reference));
  const documentNumbers = entry.references.filter((reference) => !/^RF\d\d/.test(reference));
  const structured =
    entry.references.length > 0
      ? `<Strd>${documentNumbers.map((number) => `<RfrdDocInf><Nb>${escapeXml(number)}</Nb></RfrdDocInf>`).join('')}${creditorReferences.map((reference) => `<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${reference}</Ref></CdtrRefInf>`).join('')}</Strd>`
      : '';
  const unstructured = ustrdLines(entry.remittance)
    .map((line) => `<Ustrd>${escapeXml(line)}</Ustrd>`)
    .join('');
  const advice = adviceXml(entry.remittanceDocuments ?? [], currency);
  const remittance = unstructured || structured || advice ? `<RmtInf>${unstructured}${structured}${advice}</RmtInf>` : '';
  const returnInfo = entry.returnReason ? `<RtrInf><Rsn><Cd>${entry.returnReason}</Cd></Rsn></RtrInf>` : '';
  return (
    `<Ntry>${amount}<CdtDbtInd>${indicator(entry.amountMinor)}</CdtDbtInd>${entry.reversal ? '<RvslInd>true</RvslInd>' : ''}<Sts>BOOK</Sts>` +
    `<BookgDt><Dt>${entry.bookingDate}</Dt></BookgDt><ValDt><Dt>${entry.valueDate}</Dt></ValDt><AcctSvcrRef>${escapeXml(entry.bankReference)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><Refs><EndToEndId>${escapeXml(entry.endToEndId ?? 'NOTPROVIDED')}</EndToEndId></Refs><AmtDtls><TxAmt>${amount}</TxAmt></AmtDtls>` +
    `${parties}${remittance}${returnInfo}</TxDtls></NtryDtls></Ntry>\n`
  );
}

/** One statement per booking day (entry ids `<statement id>:<n>`, as the parser numbers them), balances that add up. */
export function camt053Document(ledger: Ledger): string {
  const byStatement = new Map<string, BankEntry[]>();
  for (const entry of ledger.entries) {
    const statementId = entry.id.slice(0, entry.id.lastIndexOf(':'));
    const list = byStatement.get(statementId);
    if (list) list.push(entry);
    else byStatement.set(statementId, [entry]);
  }
  const balance = (code: string, minor: number, date: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${ledger.currency}">${decimal(minor)}</Amt><CdtDbtInd>${indicator(minor)}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  const parts = [
    `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>O2C-BENCH-${ledger.entries.length}</MsgId><CreDtTm>2026-12-11T18:00:00</CreDtTm></GrpHdr>\n`,
  ];
  let running = 250_000_000;
  let sequence = 0;
  for (const [statementId, entries] of byStatement) {
    const date = (entries[0] as BankEntry).bookingDate;
    const opening = running;
    running += entries.reduce((sum, entry) => sum + entry.amountMinor, 0);
    parts.push(
      `<Stmt><Id>${statementId}</Id><ElctrncSeqNb>${++sequence}</ElctrncSeqNb><CreDtTm>${date}T18:00:00</CreDtTm><Acct><Id><IBAN>${ledger.statementAccount}</IBAN></Id><Ccy>${ledger.currency}</Ccy></Acct>` +
        `${balance('OPBD', opening, date)}${balance('CLBD', running, date)}\n`,
      ...entries.map((entry) => entryXml(entry, ledger.currency)),
      '</Stmt>\n',
    );
  }
  parts.push('</BkToCstmrStmt></Document>\n');
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: one step each
// ---------------------------------------------------------------------------------------------------------------

const mib = (bytes: number) => bytes / 1_048_576;

function memoryAfter(rssBefore: number): Pick<Measurement, 'peakRssMiB' | 'rssBeforeMiB' | 'heapCommittedMiB' | 'heapUsedMiB'> {
  const heap = getHeapStatistics();
  return { peakRssMiB: process.resourceUsage().maxRSS / 1024, rssBeforeMiB: mib(rssBefore), heapCommittedMiB: mib(heap.total_heap_size), heapUsedMiB: mib(heap.used_heap_size) };
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * The fields a bank file carries, in one comparable form (order of structured references aside). A document number
 * counts as a structured reference whether the parser lists it there, in `remittanceDocuments`, or both.
 */
const comparable = (entry: BankEntry, withDocuments = true) =>
  JSON.stringify([
    entry.id,
    entry.amountMinor,
    entry.bookingDate,
    entry.valueDate,
    entry.reversal,
    entry.bankReference,
    entry.endToEndId ?? null,
    [...new Set([...entry.references, ...(entry.remittanceDocuments ?? []).map((document) => document.number)])].sort(),
    withDocuments ? documentAmounts(entry) : null,
    entry.remittance,
    entry.counterparty.name ?? null,
    entry.counterparty.account ?? null,
    entry.returnReason ?? null,
  ]);

/** What the advice says about the money, document by document, in one comparable form. */
const documentAmounts = (entry: BankEntry) =>
  (entry.remittanceDocuments ?? [])
    .map(({ number, kind, dueMinor, paidMinor, discountMinor, adjustments }) => JSON.stringify([number, kind ?? null, dueMinor ?? null, paidMinor ?? null, discountMinor ?? null, (adjustments ?? []).map((adjustment) => [adjustment.amountMinor, adjustment.code ?? null, adjustment.reason ?? null])]))
    .sort();

function child(step: Step, size: number): Measurement {
  const paths = files(size);
  if (step === 'parse') {
    const text = readFileSync(paths.xml, 'utf8');
    collect();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const parsed = parseBankFile(text, 'camt053');
    const ms = performance.now() - started;
    const memory = memoryAfter(rssBefore);
    const entries = parsed.statements.flatMap((statement) => statement.entries);
    writeFileSync(paths.parsed, JSON.stringify(entries));
    const generatedEntries = JSON.parse(readFileSync(paths.generated, 'utf8')) as BankEntry[];
    const generated = new Map(generatedEntries.map((entry) => [entry.id, comparable(entry)]));
    const withoutDocuments = new Map(generatedEntries.map((entry) => [entry.id, comparable(entry, false)]));
    const differing = entries.filter((entry) => generated.get(entry.id) !== comparable(entry));
    const roundTripMismatches = differing.length + Math.abs(generated.size - entries.length);
    const documentMismatches = differing.filter((entry) => withoutDocuments.get(entry.id) === comparable(entry, false)).length;
    return { step, ms, entries: entries.length, ...memory, roundTripMismatches, documentMismatches };
  }
  const openItems = JSON.parse(readFileSync(paths.openItems, 'utf8')) as OpenItem[];
  let matches: EntryMatch[];
  let entries: BankEntry[];
  let ms: number;
  let rssBefore: number;
  if (step === 'match') {
    entries = JSON.parse(readFileSync(paths.parsed, 'utf8')) as BankEntry[];
    collect();
    rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    matches = matchEntries(entries, { openItems });
    ms = performance.now() - started;
  } else {
    const text = readFileSync(paths.xml, 'utf8');
    collect();
    rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    entries = parseBankFile(text, 'camt053').statements.flatMap((statement) => statement.entries);
    matches = matchEntries(entries, { openItems });
    ms = performance.now() - started;
  }
  const memory = memoryAfter(rssBefore);
  const truth = new Map(JSON.parse(readFileSync(join(outDir, `truth-${size}.json`), 'utf8')) as [string, Expected][]);
  const score = scoreMatches({ seed: SEED, currency: 'EUR', statementAccount: '', customers: [], openItems, entries, truth }, matches);
  const { toApply, applied, wrong, held, mustNotAllocate } = score.totals;
  const byKind = Object.fromEntries(score.scenarios.map((row) => [row.scenario, { right: row.truth === 'mustNotAllocate' ? row.held : row.correct, wrong: row.wrong, upstream: row.upstream }]));
  return { step, ms, entries: entries.length, ...memory, quality: { toApply, applied, wrong, held, mustNotAllocate, byKind, upstream: score.totals.upstream } };
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: generate, write, measure, report
// ---------------------------------------------------------------------------------------------------------------

function measure(step: Step, size: number): Measurement {
  const output = execFileSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', '--import', 'tsx', thisFile, '--child', step, String(size)], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 16 * 1_048_576,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const last = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Measurement;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export async function benchCashApplication(): Promise<string> {
  const sizes = (process.env.BENCH_CASH_SIZES ?? '10000,100000').split(',').map(Number);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
  mkdirSync(outDir, { recursive: true });
  const rows: string[][] = [];
  const byStep = new Map<string, number>();
  const notes: string[] = [];
  const quality: { label: string; score: Score }[] = [];
  for (const size of sizes) {
    const paths = files(size);
    const started = performance.now();
    const ledger = generateLedger({ seed: SEED, customers: Math.max(10, Math.round(size / 10)), invoices: size, entries: size });
    const generatedMs = performance.now() - started;
    writeFileSync(paths.xml, camt053Document(ledger));
    writeFileSync(paths.openItems, JSON.stringify(ledger.openItems));
    writeFileSync(paths.generated, JSON.stringify(ledger.entries));
    writeFileSync(join(outDir, `truth-${size}.json`), JSON.stringify([...ledger.truth]));
    // The engine on the entries as generated (no parser in between): what the per-kind table reports.
    const engineAlone = scoreMatches(ledger, matchEntries(ledger.entries, { openItems: ledger.openItems }));
    quality.push({ label: size.toLocaleString('en-US'), score: engineAlone });
    const fileMiB = mib(statSync(paths.xml).size);
    for (const step of ['parse', 'match', 'parse+match'] as const) {
      const samples = Array.from({ length: runs }, () => measure(step, size));
      const ms = median(samples.map((sample) => sample.ms));
      const sample = samples.find((candidate) => candidate.ms === ms) as Measurement;
      byStep.set(`${step}:${size}`, ms);
      rows.push([
        size.toLocaleString('en-US'),
        `${fileMiB.toFixed(1)} MiB`,
        step,
        `${ms.toFixed(0)} ms`,
        `${((ms * 1000) / sample.entries).toFixed(1)} µs`,
        `${sample.peakRssMiB.toFixed(0)} MiB`,
        `${sample.rssBeforeMiB.toFixed(0)} MiB`,
        `${sample.heapCommittedMiB.toFixed(0)} MiB`,
        `${sample.heapUsedMiB.toFixed(0)} MiB`,
      ]);
      if (sample.roundTripMismatches !== undefined) {
        const documents = sample.documentMismatches ? ` (${sample.documentMismatches} of them only in their remittance documents' amounts)` : '';
        notes.push(`${size.toLocaleString('en-US')}: ${sample.entries.toLocaleString('en-US')} entries read back from camt, ${sample.roundTripMismatches} differing from the generated ones${documents}; ledger generated in ${(generatedMs / 1000).toFixed(1)} s.`);
      }
      if (step === 'match' && sample.quality) {
        const { toApply, applied, wrong, held, mustNotAllocate, byKind, upstream } = sample.quality;
        // Kinds that fare otherwise than the engine alone by themselves, not merely after an earlier error (upstream).
        const otherwise = engineAlone.scenarios.flatMap((row) => {
          const camt = byKind[row.scenario] ?? { right: 0, wrong: 0, upstream: 0 };
          const right = row.truth === 'mustNotAllocate' ? row.held : row.correct;
          return camt.wrong > row.wrong || camt.right + camt.upstream < right ? [`${row.scenario} ${camt.right} right / ${camt.wrong} wrong of ${row.entries} (alone ${right} / ${row.wrong})`] : [];
        });
        notes.push(
          `${size.toLocaleString('en-US')}: read back from camt and matched, ${applied} of ${toApply} entries to apply or reverse done right (${((applied / toApply) * 100).toFixed(1)} %), ${held} of ${mustNotAllocate} must-not-allocate entries held, ${wrong} wrong, ${upstream} after an earlier error` +
            (otherwise.length > 0 ? `; unlike the engine alone: ${otherwise.join(', ')}.` : ', as the engine alone.'),
        );
      }
    }
  }
  // Keep the camt file and the open items (`o2c reconcile --invoices … --statement …` reads them); drop the rest.
  for (const size of sizes) for (const path of [files(size).generated, files(size).parsed, join(outDir, `truth-${size}.json`)]) rmSync(path, { force: true });
  const header = ['invoices = entries', 'camt file', 'step', `time${runs > 1 ? ` (median of ${runs})` : ''}`, 'per entry', 'peak RSS', 'RSS before step', 'heap committed after', 'heap used after'];
  const growth =
    sizes.length >= 2
      ? (['parse', 'match', 'parse+match'] as const).map((step) => {
          const [small, large] = [sizes[0] as number, sizes[sizes.length - 1] as number];
          return `${step} ×${((byStep.get(`${step}:${large}`) as number) / (byStep.get(`${step}:${small}`) as number)).toFixed(1)}`;
        })
      : [];
  return [
    `Cash application (camt.053.001.02 → parseBankFile → matchEntries), Node ${process.version}, ${process.arch}; each step in a fresh process`,
    markdownTable(header, rows),
    ...(growth.length > 0 ? [`\nTime from ${sizes[0]?.toLocaleString('en-US')} to ${sizes[sizes.length - 1]?.toLocaleString('en-US')} (×${((sizes[sizes.length - 1] as number) / (sizes[0] as number)).toFixed(0)} data): ${growth.join(', ')}.`] : []),
    ...notes.map((note) => `- ${note}`),
    `\nPrecision and recall per kind, the engine on the generated entries (seed ${SEED}; recall is the held share for kinds that must be held; precision is right ÷ (right + wrong) of what the engine applied by itself)`,
    formatKindTable(quality),
  ].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (invokedDirectly) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const measurement = child(process.argv[at + 1] as Step, Number(process.argv[at + 2]));
    process.stdout.write(`\n${JSON.stringify(measurement)}\n`);
  } else {
    process.stdout.write(`${await benchCashApplication()}\n`);
  }
}
