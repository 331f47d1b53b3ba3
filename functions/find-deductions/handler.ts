import { findDeductions } from '#domain/use-cases/deductions';
import { httpHandler, json, pageOf } from '#shared/http';
import { deductionStore } from '#shared/wiring';

const deps = { deductions: deductionStore() };

/** `GET /deductions?status=open`: a page of deductions of one status, oldest first. */
export const handler = httpHandler('GET /deductions', async (event) => json(200, await findDeductions({ status: event.queryStringParameters?.status, ...pageOf(event) }, deps)));
