import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, Forbidden, Unauthenticated } from '#domain/errors';
import { logger } from '#shared/observability';
import type { Role, RouteSpec } from '#shared/topology';

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

/** Checks the caller holds one of the route's roles; the role matrix lives in the topology, not in handlers. */
export function authorize(event: HttpEvent, route: RouteSpec): void {
  if (route.auth.kind !== 'jwt') return;
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new Unauthenticated('a bearer token is required');
  const groups = groupsFromClaims(claims);
  const allowed: readonly Role[] = route.auth.roles;
  if (!groups.some((group) => (allowed as readonly string[]).includes(group)))
    throw new Forbidden(`this needs one of the roles ${allowed.join(', ')}`);
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
