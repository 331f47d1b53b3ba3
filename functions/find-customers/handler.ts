import { browseCustomers } from '#domain/use-cases/browse';
import { findCustomers } from '#domain/use-cases/customers';
import { httpHandler, listResponse, pageOf } from '#shared/http';
import { browse, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), browse: browse() };

/** `GET /customers?externalId=&source=`, or by name and credit standing `GET /customers?namePrefix=&onCreditHold=&overLimit=`. */
export const handler = httpHandler('GET /customers', async (event) => {
  const query = event.queryStringParameters ?? {};
  // A store or customer number (`source` belongs to it); otherwise the list by name and credit standing.
  if (query.externalId !== undefined || query.source !== undefined) return listResponse(event, await findCustomers({ externalId: query.externalId, source: query.source }, deps));
  return listResponse(event, await browseCustomers({ namePrefix: query.namePrefix, onCreditHold: query.onCreditHold, overLimit: query.overLimit, ...pageOf(event) }, deps));
});
