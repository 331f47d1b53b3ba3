import { getBankFile } from '#domain/use-cases/payments';
import { httpHandler, json, pathParameter } from '#shared/http';
import { bankFileRecords } from '#shared/wiring';

const deps = bankFileRecords();

/**
 * `GET /bank-files/{sha256}`: what became of a bank file (applied with its counts, or quarantined with the error and
 * where the file is kept) and a quarantined file's report; 404 for a file never received, 400 for a malformed hash.
 */
export const handler = httpHandler('GET /bank-files/{sha256}', async (event) => json(200, await getBankFile(pathParameter(event, 'sha256'), deps)));
