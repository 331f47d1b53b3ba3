import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { routeKey, routes, type RouteSpec } from '#shared/topology';
import { verifyDevToken } from './dev-tokens.ts';
import { LOCAL_ACCOUNT, type LocalLambdas } from './lambda-runtime.ts';
import type { Meter } from './meter.ts';

/** API Gateway's own payload limit; a larger request never reaches a function. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const TEXT_CONTENT = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map((spec) => {
  const names: string[] = [];
  const source = spec.path.replace(/\{(\w+)\+?\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { spec, pattern: new RegExp(`^${source}$`), names };
});

/**
 * Marks a request as the simulator's own probe (`o2c simulate` polling O2C to keep its books): a GET carrying it is
 * served as any other, but nothing done for it is metered (local only; AWS would pass the header on and bill it).
 */
export const SIMULATOR_PROBE_HEADER = 'x-o2c-simulator-probe';
/**
 * Marks a request the simulator sends only because of `--chaos` (a duplicate delivery, a bank file dropped again):
 * served as any other, and what is done for it is counted in the meter's chaos bucket.
 */
export const SIMULATOR_CHAOS_HEADER = 'x-o2c-simulator-chaos';

const errorBody = (code: string, message: string) => ({ error: { code, message } });

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

/**
 * The local HTTP API: matches a topology route, checks the JWT as the HTTP API authorizer would, builds a real
 * API Gateway v2 (payload 2.0) event for the same handler and writes its result back. A GET marked with
 * {@link SIMULATOR_PROBE_HEADER} is served unmetered: the request, the invocation and everything the handler does;
 * a request marked with {@link SIMULATOR_CHAOS_HEADER} is metered as chaos's.
 */
export async function serveApiRoute(request: IncomingMessage, response: ServerResponse, lambdas: LocalLambdas, meter?: Meter): Promise<boolean> {
  const probe = request.method === 'GET' && request.headers[SIMULATOR_PROBE_HEADER] === '1';
  const chaos = request.headers[SIMULATOR_CHAOS_HEADER] === '1';
  // The handler sees the request as a client's, without the marks.
  delete request.headers[SIMULATOR_PROBE_HEADER];
  delete request.headers[SIMULATOR_CHAOS_HEADER];
  if (meter && probe) return meter.unmetered(() => serveRoute(request, response, lambdas, meter));
  if (meter && chaos) return meter.asChaos(() => serveRoute(request, response, lambdas, meter));
  return serveRoute(request, response, lambdas, meter);
}

async function serveRoute(request: IncomingMessage, response: ServerResponse, lambdas: LocalLambdas, meter?: Meter): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://local');
  const match = compiled
    .filter((route) => route.spec.method === request.method)
    .map((route) => ({ route, found: route.pattern.exec(url.pathname) }))
    .find((candidate) => candidate.found);
  if (!match?.found) return false;

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) {
      send(response, 413, errorBody('PAYLOAD_TOO_LARGE', 'request body is larger than 10 MB'));
      return true;
    }
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  // Every request that reaches a route is billed, whatever it is answered, in 512 KiB units of its body.
  meter?.apiRequest(body.length);

  const { spec, names } = match.route;
  let authorizer: { jwt: { claims: Record<string, unknown>; scopes: null } } | undefined;
  if (spec.auth.kind === 'jwt') {
    const claims = await verifyDevToken(request.headers.authorization);
    if (!claims) {
      send(response, 401, errorBody('UNAUTHENTICATED', 'a valid bearer token is required'), { 'www-authenticate': 'Bearer' });
      return true;
    }
    authorizer = { jwt: { claims, scopes: null } };
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const isText = body.length === 0 || TEXT_CONTENT.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: routeKey(spec),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.searchParams.size > 0 ? { queryStringParameters: Object.fromEntries([...url.searchParams.keys()].map((key) => [key, url.searchParams.getAll(key).join(',')])) } : {}),
    ...(names.length > 0 ? { pathParameters: Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match.found![index + 1]!)])) } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: spec.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(spec),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(authorizer ? { authorizer } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };

  let result: APIGatewayProxyResultV2;
  try {
    result = (await lambdas.invoke(spec.function, event, 'api')) as APIGatewayProxyResultV2;
  } catch {
    // What API Gateway says when the integration itself fails.
    send(response, 500, { message: 'Internal Server Error' });
    return true;
  }
  writeResult(response, result);
  return true;
}

/** Payload 2.0 rules: a structured result is used as is; anything else is a 200 JSON body. */
function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const bodyText = result.body ?? '';
    const payload = result.isBase64Encoded ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
    if (result.cookies?.length) headers['set-cookie'] = result.cookies;
    response.writeHead(result.statusCode ?? 200, headers).end(payload);
    return;
  }
  send(response, 200, result);
}
