import { uploadBankFile } from '#domain/use-cases/payments';
import { httpHandler, json, rawBody } from '#shared/http';
import { bankFilePrefixes } from '#shared/topology';
import { cashApplicationDeps } from '#shared/cash-application-wiring';

const deps = { ...cashApplicationDeps(), inboundPrefix: bankFilePrefixes.inbound };

/**
 * `POST /bank-files?name=[&account=]`: the raw file as the body (`account` for CSV, whose profile it selects); 202
 * when dropped for processing, 200 for a file seen before, 400 with the reason when unreadable.
 */
export const handler = httpHandler('POST /bank-files', async (event) => {
  const query = event.queryStringParameters ?? {};
  const result = await uploadBankFile({ name: query.name ?? 'bank-file', account: query.account, text: rawBody(event) }, deps);
  return json(result.statusCode, result.body);
});
