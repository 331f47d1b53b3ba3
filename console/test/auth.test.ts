/**
 * The console's sign-in, in Node with the browser's storage, address and token endpoint stood in: a token's roles
 * and expiry, and the Cognito code + PKCE flow refusing an answer it did not ask for.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentSession, finishCognitoSignIn, keepToken, sessionOf, startCognitoSignIn } from '../src/auth.ts';

const cognito = { kind: 'cognito' as const, domain: 'https://o2c-test.auth.us-east-1.amazoncognito.com', clientId: 'client-1', redirectUri: 'https://d1.cloudfront.net/console/' };
const base64Url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenWith = (claims: Record<string, unknown>) => `${base64Url({ alg: 'RS256' })}.${base64Url(claims)}.signature`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

let storage: Map<string, string>;
let assigned: string[];

beforeEach(() => {
  storage = new Map();
  assigned = [];
  vi.stubGlobal('sessionStorage', { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value), removeItem: (key: string) => storage.delete(key) });
  vi.stubGlobal('location', { assign: (url: string) => assigned.push(url) });
});
afterEach(() => vi.unstubAllGlobals());

describe('a session from a token', () => {
  it('given an access token with groups, then its roles are the known groups and it is kept for the tab', () => {
    const session = keepToken(tokenWith({ 'cognito:groups': ['ar-clerk', 'not-a-role'], 'cognito:username': 'anna', exp: inAnHour() }));

    expect(session).toMatchObject({ user: 'anna', roles: ['ar-clerk'] });
    expect(currentSession()?.user).toBe('anna');
  });

  it('given an expired or unreadable token, then there is no session and nothing is kept', () => {
    expect(sessionOf(tokenWith({ 'cognito:groups': ['admin'], exp: Math.floor(Date.now() / 1000) - 1 }))).toBeUndefined();
    expect(keepToken('not.a-token')).toBeUndefined();
    expect(currentSession()).toBeUndefined();
  });
});

describe('signing in through the hosted UI (authorization code + PKCE)', () => {
  it('given a sign-in, when the browser is sent to Cognito, then it asks for a code with an S256 challenge of the kept verifier and a state', async () => {
    await startCognitoSignIn(cognito);

    const url = new URL(assigned[0]!);
    expect(url.origin + url.pathname).toBe(`${cognito.domain}/oauth2/authorize`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const verifier = storage.get('o2c.console.pkce')!;
    const challenge = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))).toString('base64url');
    expect(url.searchParams.get('code_challenge')).toBe(challenge);
    expect(url.searchParams.get('state')).toBe(storage.get('o2c.console.state'));
  });

  it('given the answer with the state it sent, when finished, then the code and verifier buy the access token, which is kept', async () => {
    await startCognitoSignIn(cognito);
    const state = storage.get('o2c.console.state')!;
    const verifier = storage.get('o2c.console.pkce')!;
    const accessToken = tokenWith({ 'cognito:groups': ['viewer'], username: 'ben', exp: inAnHour() });
    const fetched: { url: string; body: URLSearchParams }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: { body: URLSearchParams }) => {
      fetched.push({ url, body: init.body });
      return new Response(JSON.stringify({ access_token: accessToken, id_token: 'ignored' }), { status: 200 });
    });

    const session = await finishCognitoSignIn(cognito, 'code-1', state);

    expect(session).toMatchObject({ user: 'ben', roles: ['viewer'] });
    expect(fetched[0]?.url).toBe(`${cognito.domain}/oauth2/token`);
    expect(Object.fromEntries(fetched[0]!.body)).toEqual({ grant_type: 'authorization_code', client_id: 'client-1', code: 'code-1', redirect_uri: cognito.redirectUri, code_verifier: verifier });
    expect(storage.has('o2c.console.pkce')).toBe(false);
  });

  it('given an answer with another state (a sign-in this tab did not start), when finished, then no token is asked for and nobody is signed in', async () => {
    await startCognitoSignIn(cognito);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);

    expect(await finishCognitoSignIn(cognito, 'code-1', 'forged-state')).toBeUndefined();
    expect(fetch).not.toHaveBeenCalled();
    expect(currentSession()).toBeUndefined();
  });
});
