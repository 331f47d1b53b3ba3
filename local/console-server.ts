/**
 * The operator console, locally: the built app (`console/dist`) under `/console/`, its `config.json` (same-origin
 * API, dev-token sign-in), and `GET /console/login?role=R`, which mints a dev token for the role and hands it to
 * the app. Local only: on AWS the app comes from S3 behind CloudFront and people sign in through Cognito.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { repoRoot } from '#shared/state-machine-definitions';
import { isRole, mintDevToken } from './dev-tokens.ts';

export const CONSOLE_DIST = join(repoRoot, 'console', 'dist');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.map': 'application/json', '.png': 'image/png' };

/** Serves `/console/…` and answers true, or answers false for any other path. */
export async function serveConsole(request: IncomingMessage, response: ServerResponse, distDir = CONSOLE_DIST): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (url.pathname === '/console') return redirect(response, '/console/');
  if (!url.pathname.startsWith('/console/') || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  const path = url.pathname.slice('/console/'.length);
  if (path === 'login') {
    const role = url.searchParams.get('role') ?? '';
    if (!isRole(role)) return text(response, 400, `role must be one of viewer, ar-clerk, credit-manager, admin; got ${JSON.stringify(role)}`);
    return redirect(response, `/console/#/signed-in?token=${encodeURIComponent(await mintDevToken(role))}`);
  }
  if (path === 'config.json') return send(response, 200, TYPES['.json']!, JSON.stringify({ apiUrl: '', auth: { kind: 'local' } }));
  const file = normalize(join(distDir, path || 'index.html'));
  if (!file.startsWith(distDir + sep) && file !== distDir) return text(response, 404, 'not found');
  if (!existsSync(join(distDir, 'index.html'))) return text(response, 503, 'the console is not built: npm run console:build');
  const found = existsSync(file) && statSync(file).isFile() ? file : join(distDir, 'index.html');
  // Hashed assets never change; the page itself is always fetched fresh so a rebuild shows at once.
  const cache = found.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.setHeader('cache-control', cache);
  return send(response, 200, TYPES[extname(found)] ?? 'application/octet-stream', readFileSync(found));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): true {
  response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  response.end(body);
  return true;
}

const text = (response: ServerResponse, status: number, message: string) => send(response, status, 'text/plain; charset=utf-8', message);

function redirect(response: ServerResponse, location: string): true {
  response.writeHead(302, { location, 'cache-control': 'no-store' });
  response.end();
  return true;
}
