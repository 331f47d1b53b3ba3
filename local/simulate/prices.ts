/**
 * The one price table of the cost report (issue 14): AWS list prices, us-east-1, on demand, no free tier, copied
 * from the team's cost model (`aws-cost-model.md` in the shared design folder, "published list prices as last
 * checked"). That file carries no date of its own; `asLastChecked` is the day it was handed to this project
 * (2026-12-02), not a fresh check against AWS's pricing pages. To update: change the figures and the date together.
 *
 * Prices are decimal strings, parsed once into integer pico-dollars (10⁻¹² USD), so the cost function multiplies
 * and sums without float drift: every figure below is exact at that scale.
 */

export interface Price {
  /** USD for `per` units, as written in the price list. */
  readonly usd: string;
  /** How many units `usd` buys (1,000 transitions, 1 M requests, 1 GB-second...). */
  readonly per: number;
  readonly unit: string;
}

export const PRICE_LIST = {
  version: 1,
  asLastChecked: '2026-12-02',
  region: 'us-east-1',
  source: 'aws-cost-model.md (the team\'s copy of the AWS list prices, us-east-1, on demand, no free tier)',
} as const;

export const prices = {
  apiGatewayHttpRequests: { usd: '1.00', per: 1_000_000, unit: 'requests' },
  lambdaRequests: { usd: '0.20', per: 1_000_000, unit: 'requests' },
  lambdaGbSecondArm64: { usd: '0.0000133334', per: 1, unit: 'GB-seconds' },
  lambdaGbSecondX86: { usd: '0.0000166667', per: 1, unit: 'GB-seconds' },
  stepFunctionsStandardTransitions: { usd: '0.025', per: 1_000, unit: 'state transitions' },
  stepFunctionsExpressRequests: { usd: '1.00', per: 1_000_000, unit: 'requests' },
  stepFunctionsExpressGbSecond: { usd: '0.00001667', per: 1, unit: 'GB-seconds' },
  dynamodbWriteUnits: { usd: '0.625', per: 1_000_000, unit: 'write request units' },
  dynamodbReadUnits: { usd: '0.125', per: 1_000_000, unit: 'read request units' },
  dynamodbStorageGbMonth: { usd: '0.25', per: 1, unit: 'GB-months' },
  sqsStandardRequests: { usd: '0.40', per: 1_000_000, unit: 'requests (64 KiB chunks)' },
  sqsFifoRequests: { usd: '0.50', per: 1_000_000, unit: 'requests (64 KiB chunks)' },
  s3PutRequests: { usd: '0.005', per: 1_000, unit: 'PUT/COPY/POST/LIST requests' },
  s3GetRequests: { usd: '0.0004', per: 1_000, unit: 'GET and other requests' },
  s3StorageGbMonth: { usd: '0.023', per: 1, unit: 'GB-months' },
  sesMessages: { usd: '0.10', per: 1_000, unit: 'emails' },
  sesAttachmentGb: { usd: '0.12', per: 1, unit: 'GB of attachments' },
  schedulerInvocations: { usd: '1.00', per: 1_000_000, unit: 'invocations' },
  eventBridgeCustomEvents: { usd: '1.00', per: 1_000_000, unit: 'events' },
  cloudWatchLogsIngestionGb: { usd: '0.50', per: 1, unit: 'GB ingested' },
  cloudWatchCustomMetricMonth: { usd: '0.30', per: 1, unit: 'metric-months' },
  secretsManagerCalls: { usd: '0.05', per: 10_000, unit: 'API calls' },
  secretsManagerSecretMonth: { usd: '0.40', per: 1, unit: 'secret-months' },
  xrayTracesRecorded: { usd: '5.00', per: 1_000_000, unit: 'traces recorded' },
  cloudWatchDashboardMonth: { usd: '3.00', per: 1, unit: 'dashboard-months' },
  cloudWatchAlarmMonth: { usd: '0.10', per: 1, unit: 'alarm-months' },
  cloudFrontTransferGb: { usd: '0.085', per: 1, unit: 'GB out' },
} as const satisfies Record<string, Price>;
export type PriceKey = keyof typeof prices;
export type PriceTable = Readonly<Record<PriceKey, Price>>;

const PICO_DIGITS = 12;

/** A decimal USD string as integer pico-dollars; more than 12 decimals would not be exact, so it is refused. */
export function usdToPico(usd: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(usd);
  if (!match) throw new Error(`not a USD amount: ${usd}`);
  const fraction = match[2] ?? '';
  if (fraction.length > PICO_DIGITS) throw new Error(`${usd} has more than ${PICO_DIGITS} decimals`);
  return BigInt(match[1]!) * 10n ** BigInt(PICO_DIGITS) + BigInt(fraction.padEnd(PICO_DIGITS, '0'));
}
