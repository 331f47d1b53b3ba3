/**
 * Today: every worklist with its count, oldest item and amount, and the headline figures (open AR, overdue, DSO with
 * BPDSO, CEI, match rate, the next four weeks' cash), each linking to its detail.
 */
import { Link } from 'wouter-preact';
import type { AgeingReport } from '#domain/ageing';
import type { forecastReport, kpiReport } from '#domain/report-snapshots';
import type { WorklistSummary } from '#domain/use-cases/worklists';
import { Chart } from '../charts.tsx';
import { chartValue, day, money } from '../format.ts';
import { Loading, useLoad } from '../load.tsx';

const CURRENCY = 'EUR';

export const WORKLIST_TITLES: Record<string, string> = {
  'credit-review': 'Credit reviews',
  'on-hold': 'Orders on hold',
  backordered: 'Backordered orders',
  'unmatched-payments': 'Unmatched payments',
  deductions: 'Deductions',
  disputes: 'Disputes',
  'broken-promises': 'Broken promises',
  'email-failures': 'Failed emails',
  'quarantined-files': 'Quarantined bank files',
  'dead-letters': 'Dead letters',
};

/** A link to a section further down this page (the address's hash is the route, so no `#id` links). */
function JumpTo({ target, children }: { target: string; children: preact.ComponentChildren }) {
  return (
    <a
      href={`#/today`}
      onClick={(event) => {
        event.preventDefault();
        document.getElementById(target)?.scrollIntoView();
      }}
    >
      {children}
    </a>
  );
}

export function TodayPage() {
  const worklists = useLoad<{ items: WorklistSummary[] }>('/worklists');
  const ageing = useLoad<Omit<AgeingReport, 'items'>>(`/reports/ageing?currency=${CURRENCY}&items=false`);
  const kpis = useLoad<ReturnType<typeof kpiReport>>(`/reports/kpis?currency=${CURRENCY}`);
  const forecast = useLoad<ReturnType<typeof forecastReport> & { note?: string }>(`/reports/forecast?currency=${CURRENCY}&weeks=4`);
  return (
    <>
      <h1>Today</h1>
      <section aria-labelledby="worklists-heading">
        <h2 id="worklists-heading">Worklists</h2>
        <Loading load={worklists}>
          {({ items }) => (
            <table class="worklists">
              <thead>
                <tr>
                  <th scope="col">Worklist</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Oldest since</th>
                  <th scope="col">Amount</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.kind} data-worklist={item.kind}>
                    <th scope="row">
                      <Link href={`/worklists/${item.kind}`}>{WORKLIST_TITLES[item.kind] ?? item.kind}</Link>
                    </th>
                    <td class="count">{item.count}</td>
                    <td>{day(item.oldestAt)}</td>
                    <td>{item.amounts.map((amount) => money(amount.amountMinor, amount.currency)).join(', ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loading>
      </section>
      <section aria-labelledby="headline-heading">
        <h2 id="headline-heading">Receivables ({CURRENCY})</h2>
        <dl class="headline">
          <Loading load={ageing}>
            {(report) => (
              <>
                <div>
                  <dt>
                    <Link href="/lists/invoices">Open AR</Link>
                  </dt>
                  <dd data-figure="open-ar">{money(report.totalOpenMinor, CURRENCY)}</dd>
                </div>
                <div>
                  <dt>
                    <JumpTo target="ageing-heading">Overdue</JumpTo>
                  </dt>
                  <dd data-figure="overdue">{money(report.buckets.filter((bucket) => (bucket.fromDays ?? 0) > 0).reduce((sum, bucket) => sum + bucket.amountMinor, 0), CURRENCY)}</dd>
                </div>
              </>
            )}
          </Loading>
          <Loading load={kpis}>
            {(report) => (
              <>
                <div>
                  <dt>
                    <Link href="/reports">DSO (BPDSO)</Link>
                  </dt>
                  <dd data-figure="dso">
                    {report.dso.standard.days ?? 'n/a'} ({report.bpdso.days ?? 'n/a'}) days
                  </dd>
                </div>
                <div>
                  <dt>
                    <Link href="/reports">CEI</Link>
                  </dt>
                  <dd data-figure="cei">{report.cei.percent === null ? 'n/a' : `${report.cei.percent} %`}</dd>
                </div>
                <div>
                  <dt>
                    <Link href="/reports">Match rate</Link>
                  </dt>
                  <dd data-figure="match-rate">{report.cashApplication.envelope.byCount.percent === null ? 'n/a' : `${report.cashApplication.envelope.byCount.percent} %`}</dd>
                </div>
              </>
            )}
          </Loading>
          <Loading load={forecast}>
            {(report) => (
              <div>
                <dt>
                  <JumpTo target="forecast-heading">Cash, next 4 weeks</JumpTo>
                </dt>
                <dd data-figure="forecast">{money(report.weeks.reduce((sum, week) => sum + week.expectedMinor, 0), CURRENCY)}</dd>
              </div>
            )}
          </Loading>
        </dl>
      </section>
      <section aria-labelledby="ageing-heading">
        <h2 id="ageing-heading">Ageing</h2>
        <Loading load={ageing}>
          {(report) => (
            <Chart
              label={`Open receivables by days past due, ${CURRENCY}: ${report.buckets.map((bucket) => `${bucket.label} ${money(bucket.amountMinor, CURRENCY)}`).join('; ')}`}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { data: ['undisputed', 'disputed'] },
                xAxis: { type: 'category', data: report.buckets.map((bucket) => bucket.label) },
                yAxis: { type: 'value', name: CURRENCY },
                series: [
                  { name: 'undisputed', type: 'bar', stack: 'open', data: report.buckets.map((bucket) => chartValue(bucket.amountMinor - bucket.disputedMinor, CURRENCY)) },
                  { name: 'disputed', type: 'bar', stack: 'open', data: report.buckets.map((bucket) => chartValue(bucket.disputedMinor, CURRENCY)) },
                ],
              }}
            />
          )}
        </Loading>
      </section>
      <section aria-labelledby="forecast-heading">
        <h2 id="forecast-heading">Cash forecast</h2>
        <Loading load={forecast}>
          {(report) =>
            report.weeks.length === 0 ? (
              <p>{report.note ?? 'No forecast yet.'}</p>
            ) : (
              <Chart
                label={`Expected cash per week, ${CURRENCY}: ${report.weeks.map((week) => `${week.weekStart} ${money(week.expectedMinor, CURRENCY)} (${money(week.lowMinor, CURRENCY)} to ${money(week.highMinor, CURRENCY)})`).join('; ')}`}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { data: ['expected', 'low', 'high'] },
                  xAxis: { type: 'category', data: report.weeks.map((week) => week.weekStart) },
                  yAxis: { type: 'value', name: CURRENCY },
                  series: [
                    { name: 'expected', type: 'bar', data: report.weeks.map((week) => chartValue(week.expectedMinor, CURRENCY)) },
                    { name: 'low', type: 'line', data: report.weeks.map((week) => chartValue(week.lowMinor, CURRENCY)) },
                    { name: 'high', type: 'line', data: report.weeks.map((week) => chartValue(week.highMinor, CURRENCY)) },
                  ],
                }}
              />
            )
          }
        </Loading>
      </section>
    </>
  );
}
