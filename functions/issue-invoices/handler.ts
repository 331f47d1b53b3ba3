import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '#schemas/zod';
import { issueInvoice } from '#domain/use-cases/issue-invoice';
import { businessMetrics, point } from '#shared/metrics';
import { logger, metrics, recordMetrics } from '#shared/observability';
import { seller } from '#shared/policy-wiring';
import { billingWorkflows, invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore(), seller: seller() };
const billing = billingWorkflows();
const InvoicingRequest = z.object({ orderId: z.string().check(z.minLength(1)), shipmentKey: z.string().check(z.minLength(1)) });

/** FIFO: records are processed in order and a failure stops the rest of the batch (they are retried, in order). */
const processor = new SqsFifoPartialProcessorAsync();
const processRecord = async (record: SQSRecord) => {
  const invoice = await issueInvoice(InvoicingRequest.parse(JSON.parse(record.body)), deps);
  // Counted when numbered, before the workflow starts: a redelivery finds the invoice (created: false) and counts nothing.
  if (invoice.created) {
    const currency = { Currency: invoice.currency };
    recordMetrics([point(businessMetrics.invoicesIssued, currency), point(businessMetrics.invoicedAmount, currency, invoice.totalMinor)]);
  }
  await billing.start(invoice.invoiceId);
  return invoice;
};

/** Invoicing queue consumer: one numbered invoice per shipment, then its billing workflow (documents, email). */
export const handler = middy(async (event: SQSEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
