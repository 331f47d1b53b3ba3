/**
 * The local console server against hostile paths: nothing outside the built console is ever served, whatever the
 * path says (`..`, encoded dots, a sibling folder sharing the prefix), and the dev sign-in refuses unknown roles.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../../local/console-server.ts';

let server: Server;
let port: number;
const root = mkdtempSync(join(tmpdir(), 'o2c-console-'));
const dist = join(root, 'dist');

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'SECRET');
  mkdirSync(join(root, 'dist-other'));
  writeFileSync(join(root, 'dist-other', 'x.txt'), 'SECRET');
  server = createServer((req, res) => void serveConsole(req, res, dist).then((served) => served || res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw request, the path sent exactly as written (fetch would normalise `..` away). */
function get(path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveConsole', () => {
  it('given the built app, when its page and a hashed asset are asked for, then both come, the asset cached for good and the page never', async () => {
    const page = await get('/console/');
    const asset = await get('/console/assets/app-1.js');

    expect(page.body).toContain('<title>console</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it.each(['/console/../secret.txt', '/console/..%2fsecret.txt', '/console/%2e%2e/secret.txt', '/console/%2e%2e%2fsecret.txt', '/console/assets/../../secret.txt', '/console/../dist-other/x.txt', '/console/%2e%2e/dist-other/x.txt', '/console/..\\secret.txt'])(
    'given the hostile path %s, when asked for, then no file outside the app is served',
    async (path) => {
      const answer = await get(path);

      expect(answer.body).not.toContain('SECRET');
    },
  );

  it('given a role that does not exist, when signing in, then 400 and no token', async () => {
    const answer = await get('/console/login?role=root');

    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
  });

  it('given a known role, when signing in, then a redirect hands the app a token in the fragment (never sent to a server)', async () => {
    const answer = await get('/console/login?role=viewer');

    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).toMatch(/^\/console\/#\/signed-in\?token=ey/);
  });

  it('given a path that is no file, then the app page answers (its router decides), and config.json says local sign-in', async () => {
    expect((await get('/console/customers/C-1')).body).toContain('<title>console</title>');
    expect(JSON.parse((await get('/console/config.json')).body)).toEqual({ apiUrl: '', auth: { kind: 'local' } });
  });
});
