import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from '#schemas/zod';
import { sesClient } from '#adapters/aws-clients';
import { sesMailer } from '#adapters/mailer-ses';
import { runDunning } from '#domain/use-cases/dunning';
import { buildDunningEmail } from '#shared/documents/dunning-email';
import { renderStatementPdf } from '#shared/documents/statement-pdf';
import { businessMetrics, pointsOf } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { schedules } from '#shared/topology';
import { seller } from '#shared/policy-wiring';
import { cashOnAccount, dunningStore, invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), dunning: dunningStore(), invoices: invoiceStore(), cashOnAccount: cashOnAccount(), seller: seller(), mailer: sesMailer(sesClient(), process.env.SES_CONFIGURATION_SET), compose: buildDunningEmail, renderStatement: renderStatementPdf };
const ScheduledEvent = z.object({ schedule: z.string().check(z.minLength(1)), scheduledTime: z.iso.datetime({ offset: true }) });

/** The business day a firing belongs to: its date in the schedule's time zone (06:00 Berlin is still "today" there). */
function businessDay(scheduleId: string, scheduledTime: string): string {
  const timeZone = schedules.find((schedule) => schedule.id === scheduleId)?.timezone ?? 'UTC';
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(scheduledTime));
}

/** EventBridge Scheduler (locally: the simulated clock) → the daily dunning run of that business day. */
export const handler = middy(async (event: unknown) => {
  const { schedule, scheduledTime } = ScheduledEvent.parse(event);
  const summary = await runDunning({ today: businessDay(schedule, scheduledTime) }, deps);
  logger.info('dunning run', { ...summary });
  recordMetrics(pointsOf(businessMetrics.remindersSent, summary.remindersByLevel));
  return summary;
})
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
