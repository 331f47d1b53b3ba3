import { customerStatement } from '#domain/use-cases/statement';
import { renderStatementPdf, statementFilename } from '#shared/documents/statement-pdf';
import { header, httpHandler, json, pathParameter } from '#shared/http';
import { seller } from '#shared/policy-wiring';
import { cashOnAccount, invoiceStore, tableDeps } from '#shared/wiring';

const deps = { ...tableDeps(), invoices: invoiceStore(), cashOnAccount: cashOnAccount(), seller: seller() };

/** `GET /customers/{id}/statement`: JSON, or the PDF with `?format=pdf` or `Accept: application/pdf`. */
export const handler = httpHandler('GET /customers/{id}/statement', async (event) => {
  const statement = await customerStatement(pathParameter(event, 'id'), deps);
  const wantsPdf = event.queryStringParameters?.format === 'pdf' || (header(event, 'accept') ?? '').includes('application/pdf');
  if (!wantsPdf) return json(200, statement);
  const pdf = await renderStatementPdf(statement);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${statementFilename(statement)}"`, 'cache-control': 'no-store' },
    body: Buffer.from(pdf).toString('base64'),
    isBase64Encoded: true,
  };
});
