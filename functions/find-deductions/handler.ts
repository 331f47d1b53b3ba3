import { findDeductions } from '#domain/use-cases/deductions';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { deductionStore } from '#shared/wiring';

const deps = { deductions: deductionStore() };

/** `GET /deductions?status=open`: a page of deductions of one status, oldest first. */
export const handler = httpHandler('GET /deductions', async (event) => listResponse(event, await findDeductions({ status: event.queryStringParameters?.status, ...pageOf(event) }, deps)));
