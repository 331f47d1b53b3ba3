import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type * as z from '#schemas/zod';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { toCsv } from '#domain/csv-export';
import { DomainError, Forbidden, InvalidRequest, Unauthenticated } from '#domain/errors';
import { describeIssues } from '#schemas/issues';
import { logger } from '#shared/logger';
import { findRoute, type Role, type RouteSpec } from '#shared/topology';

/** An API Gateway v2 event as it reaches a JWT-protected route (claims filled in by the authorizer). */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]>; scopes?: string[] | null } };
  };
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/**
 * A list as JSON (`{items, cursor}`), or as CSV when asked (`?format=csv` or `Accept: text/csv`): one header row,
 * money as decimal strings, the next page's cursor in `x-next-cursor`.
 */
export function listResponse(event: APIGatewayProxyEventV2, page: { items: readonly object[]; cursor?: string | null | undefined }): APIGatewayProxyStructuredResultV2 {
  if (!wantsCsv(event)) return json(200, page);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'cache-control': 'no-store', ...(page.cursor ? { 'x-next-cursor': page.cursor } : {}) },
    body: toCsv(page.items as Record<string, unknown>[]),
  };
}

/** The caller asked for CSV: `?format=csv` or `Accept: text/csv`. */
export const wantsCsv = (event: APIGatewayProxyEventV2): boolean => event.queryStringParameters?.format === 'csv' || (header(event, 'accept') ?? '').includes('text/csv');

/** The public error shape of DESIGN §4. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The raw request body as the sender signed it (API Gateway base64-encodes non-text content types). */
export function rawBody(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * API Gateway's JWT authorizer flattens array claims into one string (`"[admin viewer]"`); a locally minted
 * token keeps the array. Both come out as a list of groups.
 */
export function groupsFromClaims(claims: Record<string, unknown> | undefined): string[] {
  const raw = claims?.['cognito:groups'];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string') return raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
  return [];
}

/** Who is calling, for the audit trail. */
export function actorOf(event: HttpEvent): string {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  return String(claims?.['cognito:username'] ?? claims?.sub ?? 'unknown');
}

/** The caller of an operator route, for authorisation below the route level and for the audit trail. */
export interface Caller {
  actor: string;
  roles: string[];
}

/** Checks the caller holds one of the route's roles; the role matrix lives in the topology, not in handlers. */
export function authorize(event: HttpEvent, route: RouteSpec): Caller {
  if (route.auth.kind !== 'jwt') return { actor: 'signed-sender', roles: [] };
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new Unauthenticated('a bearer token is required');
  const groups = groupsFromClaims(claims);
  const allowed: readonly Role[] = route.auth.roles;
  if (!groups.some((group) => (allowed as readonly string[]).includes(group)))
    throw new Forbidden(`this needs one of the roles ${allowed.join(', ')}`);
  return { actor: actorOf(event), roles: groups };
}

/** The JSON body checked against a schema: 400 with the reason (and field paths) otherwise. */
export function parseBody<Schema extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: Schema): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody(event) || 'null');
  } catch {
    throw new InvalidRequest('body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidRequest('invalid request body', describeIssues(parsed.error));
  return parsed.data;
}

/** A path parameter API Gateway guarantees by the route; its absence is a wiring bug, not a client error. */
export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new Error(`route has no {${name}} parameter`);
  return value;
}

/** Page size from `?limit=` (1 to 100, default 25) and the opaque `?cursor=`. */
export function pageOf(event: APIGatewayProxyEventV2): { limit: number; cursor?: string | undefined } {
  const raw = event.queryStringParameters?.limit;
  const limit = raw === undefined ? 25 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InvalidRequest('limit must be a whole number from 1 to 100');
  return { limit, cursor: event.queryStringParameters?.cursor };
}

/**
 * An operator or webhook route handler: authorisation from the topology's route, the logger's context, and domain
 * errors as their 4xx. `handle` is the thin part: parse, call one use case, map the result.
 */
export function httpHandler(routeKey: string, handle: (event: HttpEvent, caller: Caller) => Promise<APIGatewayProxyStructuredResultV2>) {
  const route = findRoute(routeKey);
  return middy(async (event: HttpEvent) => handle(event, authorize(event, route)))
    .use(injectLambdaContext(logger))
    .use(httpErrors());
}

/**
 * Turns domain errors into their 4xx with the public error body, and anything else into a 500 that says nothing
 * of the internals (the details go to the log).
 */
export function httpErrors(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof DomainError) {
        request.response = json(error.httpStatus, errorBody(error.code, error.message, error.details));
        return;
      }
      logger.error('unhandled error', { error: error as Error });
      request.response = json(500, errorBody('INTERNAL', 'something went wrong on our side; it was logged'));
    },
  };
}
