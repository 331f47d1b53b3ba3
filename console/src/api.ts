/**
 * The console's only way to O2C: the public HTTP API with the signed-in user's token. Errors come back as O2C
 * words them (`{"error": {"code", "message"}}`), to be shown as they are.
 */
import { routes, type Role } from '#shared/topology';
import { currentSession } from './auth.ts';

let apiUrl = '';
export const useApiAt = (url: string) => {
  apiUrl = url.replace(/\/$/, '');
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  const token = currentSession()?.token;
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed = (await response.json().catch(() => undefined)) as ErrorBody | undefined;
  if (!response.ok) throw new ApiError(response.status, errorText(parsed, `${method} ${path} answered ${response.status}`));
  return parsed as T;
}

type ErrorBody = { error?: { message?: string; details?: unknown } };

/** O2C's message, with the fields it names when it names them (`invalid request body: reason: Too small…`). */
function errorText(body: ErrorBody | undefined, fallback: string): string {
  const message = body?.error?.message ?? fallback;
  const details = body?.error?.details;
  if (!Array.isArray(details)) return message;
  const named = details.filter((detail): detail is { path: string; message: string } => typeof detail?.path === 'string' && typeof detail?.message === 'string');
  return named.length > 0 ? `${message}: ${named.map((detail) => `${detail.path}: ${detail.message}`).join('; ')}` : message;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown) => call<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);

/** A file as the body, as it is (`POST /bank-files`); errors as `call` gives them. */
export async function postText<T>(path: string, text: string, contentType = 'text/plain'): Promise<T> {
  const token = currentSession()?.token;
  const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: text });
  const parsed = (await response.json().catch(() => undefined)) as ErrorBody | undefined;
  if (!response.ok) throw new ApiError(response.status, errorText(parsed, `POST ${path} answered ${response.status}`));
  return parsed as T;
}

/** A list or report as CSV (the API's `text/csv`), saved as a file the browser downloads. */
export async function downloadCsv(path: string, filename: string): Promise<void> {
  const token = currentSession()?.token;
  const response = await fetch(`${apiUrl}${path}`, { headers: { accept: 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!response.ok) throw new ApiError(response.status, `the CSV answered ${response.status}`);
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Whether the signed-in roles may call a route, by the same role matrix the API enforces (`#shared/topology`):
 * the console shows only the actions a person may take; the API refuses the rest regardless.
 */
export function mayCall(method: 'GET' | 'POST' | 'PUT', path: string, held: readonly Role[]): boolean {
  const route = routes.find((candidate) => candidate.method === method && candidate.path === path);
  return route?.auth.kind === 'jwt' && route.auth.roles.some((role) => held.includes(role));
}

/** A document the API renders on request (`Accept`, e.g. a statement as `application/pdf`), saved as a file the browser downloads. */
export async function downloadDocument(path: string, filename: string, accept: string): Promise<void> {
  const token = currentSession()?.token;
  const response = await fetch(`${apiUrl}${path}`, { headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!response.ok) throw new ApiError(response.status, `the document answered ${response.status}`);
  const url = URL.createObjectURL(new Blob([await response.arrayBuffer()], { type: accept }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
