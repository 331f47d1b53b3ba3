import { matchEntries } from '#domain/cash-matching';
import { generateLedger, scoreMatches, formatScoreTable } from './test/support/cash-ledger.ts';
const seed = Number(process.argv[2] ?? 20261102);
let t = performance.now();
const ledger = generateLedger({ seed, customers: 300, invoices: 3000, entries: 2000 });
console.log('generate ms', (performance.now() - t).toFixed(0));
t = performance.now();
const matches = matchEntries(ledger.entries, { openItems: ledger.openItems });
console.log('match ms', (performance.now() - t).toFixed(0));
const score = scoreMatches(ledger, matches);
console.log(formatScoreTable(score));
for (const w of score.wrong) console.log('WRONG', w.entryId, w.scenario, '|', w.detail, '\n  expected:', w.expected, '\n  got:', w.got, '\n  entry:', JSON.stringify({a: w.entry.amountMinor, r: w.entry.remittance, refs: w.entry.references, e2e: w.entry.endToEndId, cp: w.entry.counterparty, rev: w.entry.reversal, rr: w.entry.returnReason}));
const bys = new Map<string, number>();
for (const m of score.missed) { const k = m.scenario + ' | ' + m.detail.replace(/\d+/g,'#'); bys.set(k, (bys.get(k) ?? 0) + 1); }
console.log([...bys.entries()].sort((a,b)=>b[1]-a[1]).slice(0,40).map(([k,v])=>`${v}  ${k}`).join('\n'));
for (const m of score.missed.filter(m => m.scenario.endsWith('unnamed')).slice(0, 8)) console.log('MISS', m.entryId, m.scenario, m.detail, '\n   ', m.got);
