import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from '#schemas/zod';
import { addDays } from '#domain/dates';
import { InvalidRequest } from '#domain/errors';
import { snapshotReports } from '#domain/use-cases/report-snapshots';
import { reportMetrics } from '#shared/metrics';
import { logger } from '#shared/logger';
import { reportsMetrics } from '#shared/reports-metrics';
import { schedules } from '#shared/topology';
import { reportJobDeps } from '#shared/wiring';

const deps = reportJobDeps();
const ScheduledEvent = z.object({ schedule: z.string().check(z.minLength(1)), scheduledTime: z.iso.datetime({ offset: true }) });
/** A run for one day asked by hand (`aws lambda invoke`, or the local runtime at start: today so far). */
const DayEvent = z.strictObject({ date: z.iso.date() });
const JobEvent = z.union([DayEvent, ScheduledEvent]);

/** The business day that closed before a firing: 01:00 in Berlin snapshots the day before there. */
function closedDay(scheduleId: string, scheduledTime: string): string {
  const timeZone = schedules.find((schedule) => schedule.id === scheduleId)?.timezone ?? 'UTC';
  return addDays(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(scheduledTime)), -1);
}

/** EventBridge Scheduler (locally: the simulated clock) → the report job for the day that just closed. */
export const handler = middy(async (event: unknown) => {
  const job = JobEvent.parse(event);
  const date = 'date' in job ? job.date : closedDay(job.schedule, job.scheduledTime);
  let summary;
  try {
    summary = await snapshotReports({ date }, deps);
  } catch (error) {
    // A firing Scheduler retried a day too late: the next one snapshots its own day; retrying this cannot help.
    if (!(error instanceof InvalidRequest)) throw error;
    logger.warn('report job skipped', { date, reason: error.message });
    return { skipped: date, reason: error.message };
  }
  logger.info('report snapshots written', { ...summary });
  for (const { currency, dsoDays, matchRatePercent } of summary.headline) {
    if (dsoDays === null && matchRatePercent === null) continue;
    const single = reportsMetrics.singleMetric();
    single.addDimension('Currency', currency);
    if (dsoDays !== null) single.addMetric(reportMetrics.dso.name, reportMetrics.dso.unit, Number(dsoDays));
    if (matchRatePercent !== null) single.addMetric(reportMetrics.matchRate.name, reportMetrics.matchRate.unit, Number(matchRatePercent));
  }
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(reportsMetrics));
