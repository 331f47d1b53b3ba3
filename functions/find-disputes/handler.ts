import { browseDisputes } from '#domain/use-cases/browse';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { browse } from '#shared/wiring';

const deps = { browse: browse() };

/** `GET /disputes?status=open|resolved|rejected&reason=`: disputes across customers, oldest first, as JSON or CSV. */
export const handler = httpHandler('GET /disputes', async (event) => {
  const query = event.queryStringParameters ?? {};
  return listResponse(event, await browseDisputes({ status: query.status, reason: query.reason, ...pageOf(event) }, deps));
});
