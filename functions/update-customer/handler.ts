import { updateCustomer } from '#domain/use-cases/customers';
import { CustomerBody } from '#schemas/operator-api';
import { httpHandler, json, parseBody, pathParameter } from '#shared/http';
import { tableDeps } from '#shared/wiring';

const deps = tableDeps();

/** `PUT /customers/{id}`: the fields the caller's role may change, audited. */
export const handler = httpHandler('PUT /customers/{id}', async (event, caller) =>
  json(200, await updateCustomer(pathParameter(event, 'id'), parseBody(event, CustomerBody), caller, deps)),
);
