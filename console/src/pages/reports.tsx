/**
 * Reports: DSO, count-back DSO and BPDSO month by month (one KPI report per month: the API gives DSO for a period,
 * so each of the last six months is asked on its own), and the cash-application match rate per bank format over
 * the six months. Each chart has its figures as a table beside it, with the reason when a figure is missing.
 */
import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import type { KpiReport } from '#domain/report-snapshots';
import { Chart } from '../charts.tsx';
import { money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';
import { ExportCsvButton, percentText, useLoadAll } from '../view-parts.tsx';

const MONTHS = 6;

/** `2026-03` minus `n` months. */
export function monthMinus(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `/reports` (EUR, up to this month by the business clock) or `/reports/:currency/:to`. */
export function ReportsPage({ currency = 'EUR', to }: { currency?: string; to?: string }) {
  // The business month comes from the API (its clock may run ahead of the browser's): the default report says it.
  const current = useLoad<KpiReport>(to ? undefined : `/reports/kpis?currency=${encodeURIComponent(currency)}`);
  const month = to ?? current.data?.to;
  return (
    <>
      <h1>Reports</h1>
      <ReportChoice currency={currency} to={month} />
      {month ? <ReportFigures key={`${currency}:${month}`} currency={currency} to={month} /> : <Loading load={current}>{() => null}</Loading>}
    </>
  );
}

function ReportChoice({ currency, to }: { currency: string; to: string | undefined }) {
  const [, navigate] = useLocation();
  // What the person typed, over what is shown (the month shown arrives from the API and must not undo typing).
  const [typed, setTyped] = useState<{ currency?: string; to?: string }>({});
  const draft = { currency: typed.currency ?? currency, to: typed.to ?? to ?? '' };
  return (
    <form
      class="filters"
      aria-label="Which figures"
      onSubmit={(event) => {
        event.preventDefault();
        const code = draft.currency.trim().toUpperCase();
        if (/^[A-Z]{3}$/.test(code) && /^\d{4}-\d{2}$/.test(draft.to)) navigate(`/reports/${code}/${draft.to}`);
      }}
    >
      <span class="field">
        <label for="report-currency">Currency</label>
        <input id="report-currency" value={draft.currency} size={4} maxLength={3} onInput={(event) => setTyped({ ...typed, currency: event.currentTarget.value })} />
      </span>
      <span class="field">
        <label for="report-to">Up to month</label>
        <input id="report-to" type="month" value={draft.to} onInput={(event) => setTyped({ ...typed, to: event.currentTarget.value })} />
      </span>
      <button type="submit">Show</button>
    </form>
  );
}

interface MonthRow {
  month: string;
  report: KpiReport;
}

function ReportFigures({ currency, to }: { currency: string; to: string }) {
  const from = monthMinus(to, MONTHS - 1);
  const months = useMemo(() => Array.from({ length: MONTHS }, (_, index) => monthMinus(to, MONTHS - 1 - index)), [to]);
  const period = useLoad<KpiReport>(`/reports/kpis?currency=${encodeURIComponent(currency)}&from=${from}&to=${to}`);
  const reports = useLoadAll<KpiReport>(months.map((month) => `/reports/kpis?currency=${encodeURIComponent(currency)}&from=${month}&to=${month}`));
  const perMonth = useMemo(() => ({ data: reports.data?.map((report, index): MonthRow => ({ month: months[index] as string, report })), error: reports.error }), [reports.data, reports.error, months]);
  return (
    <>
      <p>
        {currency}, {from} to {to}: figures as of the report job's last run (<code>POST /reports/snapshots</code> runs it now).{' '}
        <ExportCsvButton path={`/reports/kpis?currency=${encodeURIComponent(currency)}&from=${from}&to=${to}`} filename={`kpis-${currency}-${from}-${to}.csv`} />
      </p>
      <section aria-labelledby="dso-heading">
        <h2 id="dso-heading">DSO and BPDSO by month</h2>
        <Loading load={perMonth}>{(rows) => <DsoByMonth currency={currency} rows={rows} />}</Loading>
      </section>
      <section aria-labelledby="match-heading">
        <h2 id="match-heading">Match rate by bank format</h2>
        <Loading load={period}>{(report) => <MatchRateByFormat report={report} />}</Loading>
      </section>
    </>
  );
}

/** A figure the API renders as a decimal string, as a chart's number (display only; the tables show the text). */
const numberOf = (value: string | null) => (value === null ? null : Number(value));

function DsoByMonth({ currency, rows }: { currency: string; rows: MonthRow[] }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['DSO', 'DSO count-back', 'BPDSO'] },
      xAxis: { type: 'category' as const, data: rows.map((row) => row.month) },
      yAxis: { type: 'value' as const, name: 'days' },
      series: [
        { name: 'DSO', type: 'line' as const, connectNulls: false, data: rows.map((row) => numberOf(row.report.dso.standard.days)) },
        { name: 'DSO count-back', type: 'line' as const, connectNulls: false, data: rows.map((row) => numberOf(row.report.dso.countBack.days)) },
        { name: 'BPDSO', type: 'line' as const, connectNulls: false, data: rows.map((row) => numberOf(row.report.bpdso.days)) },
      ],
    }),
    [rows],
  );
  const described = rows.map((row) => `${row.month}: DSO ${row.report.dso.standard.days ?? 'n/a'}, count-back ${row.report.dso.countBack.days ?? 'n/a'}, BPDSO ${row.report.bpdso.days ?? 'n/a'}`).join('; ');
  const hasFigures = rows.some((row) => row.report.dso.standard.days !== null);
  return (
    <>
      {hasFigures ? <Chart label={`Days sales outstanding by month, ${currency}: ${described}`} option={option} /> : <p>No month has DSO yet: the report job has not recorded these months (see the table).</p>}
      <table class="figures" data-figures="dso">
        <caption>DSO per month (days; each month on its own: its ending AR over its credit sales)</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">DSO</th>
            <th scope="col">DSO count-back</th>
            <th scope="col">BPDSO</th>
            <th scope="col">ADD</th>
            <th scope="col">Ending AR</th>
            <th scope="col">Credit sales</th>
            <th scope="col">Days</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ month, report }) => (
            <tr key={month} data-month={month}>
              <th scope="row">{month}</th>
              <td data-figure="dso">{report.dso.standard.days ?? 'n/a'}</td>
              <td>{report.dso.countBack.days ?? 'n/a'}</td>
              <td data-figure="bpdso">{report.bpdso.days ?? 'n/a'}</td>
              <td>{report.add.days ?? 'n/a'}</td>
              <td>{report.dso.standard.inputs.endingArMinor === null ? '—' : money(report.dso.standard.inputs.endingArMinor, currency)}</td>
              <td>{money(report.dso.standard.inputs.creditSalesMinor, currency)}</td>
              <td>{report.dso.standard.inputs.days}</td>
              <td>{report.notes.filter((note) => !note.endsWith('CEI is not given')).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function MatchRateByFormat({ report }: { report: KpiReport }) {
  const rows = report.cashApplication.byFormat;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['matched by count', 'matched by amount', 'straight through'] },
      xAxis: { type: 'category' as const, data: rows.map((row) => row.format) },
      yAxis: { type: 'value' as const, name: '%', max: 100 },
      series: [
        { name: 'matched by count', type: 'bar' as const, data: rows.map((row) => numberOf(row.envelope.byCount.percent)) },
        { name: 'matched by amount', type: 'bar' as const, data: rows.map((row) => numberOf(row.envelope.byAmount.percent)) },
        { name: 'straight through', type: 'bar' as const, data: rows.map((row) => numberOf(row.straightThroughRate.byCount.percent)) },
      ],
    }),
    [rows],
  );
  if (rows.length === 0) return <p>No bank entries in these months.</p>;
  const described = rows.map((row) => `${row.format}: ${percentText(row.envelope.byCount.percent)} of ${row.entries.count} entries matched automatically, ${percentText(row.envelope.byAmount.percent)} by amount, ${percentText(row.straightThroughRate.byCount.percent)} straight through`).join('; ');
  return (
    <>
      <Chart label={`Cash application match rate by bank format, ${report.currency} ${report.from} to ${report.to}: ${described}`} option={option} />
      <table class="figures" data-figures="match-rate">
        <caption>
          Entries applied automatically ÷ all entries, per bank format; overall {percentText(report.cashApplication.envelope.byCount.percent)} by count
        </caption>
        <thead>
          <tr>
            <th scope="col">Format</th>
            <th scope="col">Entries</th>
            <th scope="col">Auto-applied</th>
            <th scope="col">Match rate (count)</th>
            <th scope="col">Match rate (amount)</th>
            <th scope="col">Straight through</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.format} data-format={row.format}>
              <th scope="row">{row.format}</th>
              <td>{row.entries.count}</td>
              <td>{row.autoApplied.count}</td>
              <td data-figure="match-rate">{percentText(row.envelope.byCount.percent)}</td>
              <td>{percentText(row.envelope.byAmount.percent)}</td>
              <td>{percentText(row.straightThroughRate.byCount.percent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
