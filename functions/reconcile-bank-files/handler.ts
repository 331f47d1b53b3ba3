import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { receiveBankFile, type BankFileOutcome } from '#domain/use-cases/receive-bank-file';
import { S3EventNotification } from '#schemas/s3-event';
import { businessMetrics, point, pointsOf, type MetricPoint } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { cashApplicationDeps } from '#shared/cash-application-wiring';

const deps = cashApplicationDeps();
const processor = new BatchProcessor(EventType.SQS);

/** Payments applied by rule and the exceptions a file left to a person (unmatched entries, or the file itself). */
function cashApplicationPoints(outcome: BankFileOutcome): MetricPoint[] {
  if (outcome.status === 'quarantined') return [point(businessMetrics.cashApplicationExceptions, { Kind: 'quarantined-file' })];
  if (outcome.status !== 'applied') return [];
  return [...pointsOf(businessMetrics.paymentsApplied, outcome.appliedByRule), ...pointsOf(businessMetrics.cashApplicationExceptions, { 'unmatched-payment': outcome.counts.unmatched ?? 0 })];
}

/** One S3 event notification: each object it names is one bank file (S3's own test event names none). */
const processRecord = async (record: SQSRecord) => {
  const notification = S3EventNotification.parse(JSON.parse(record.body));
  const outcomes = [];
  for (const object of notification.Records ?? []) {
    const outcome = await receiveBankFile({ fileKey: object.key, sizeBytes: object.size }, deps);
    logger.info('bank file processed', { fileKey: object.key, ...outcome });
    recordMetrics(cashApplicationPoints(outcome));
    outcomes.push(outcome);
  }
  return outcomes;
};

/** Bank-files queue consumer: cash application of each file dropped under `inbound/`. */
export const handler = middy(async (event: SQSEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
