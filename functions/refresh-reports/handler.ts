import { snapshotReports } from '#domain/use-cases/report-snapshots';
import { httpHandler, json } from '#shared/http';
import { reportJobDeps } from '#shared/wiring';

const deps = reportJobDeps();

/** `POST /reports/snapshots` (admin): runs the report job now, for today so far; the reports then read it. */
export const handler = httpHandler('POST /reports/snapshots', async () => json(200, await snapshotReports({}, deps)));
