/**
 * Who is signed in, and their token. Locally `GET /console/login?role=R` mints a dev token and lands on
 * `#/signed-in?token=…`; on AWS the Cognito hosted UI signs in with the authorization code flow and PKCE. Either way
 * the token lives in sessionStorage (gone with the tab) and is sent as `Authorization: Bearer` to the API, which
 * enforces the roles whatever the console shows.
 */
import { roles, type Role } from '#shared/topology';

export interface ConsoleConfig {
  /** The API's base URL; empty for the same origin (locally). */
  apiUrl: string;
  auth: { kind: 'local' } | { kind: 'cognito'; domain: string; clientId: string; redirectUri: string; logoutUri?: string; scopes?: string[] };
}

export interface Session {
  token: string;
  user: string;
  roles: Role[];
  expiresAt: number;
}

const TOKEN_KEY = 'o2c.console.token';
const VERIFIER_KEY = 'o2c.console.pkce';
const STATE_KEY = 'o2c.console.state';

function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The session a token stands for (its groups as roles), or undefined for one that is unreadable or expired. */
export function sessionOf(token: string): Session | undefined {
  const claims = claimsOf(token);
  if (!claims) return undefined;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]).filter((group): group is Role => (roles as readonly unknown[]).includes(group)) : [];
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
  if (expiresAt <= Date.now()) return undefined;
  const user = String(claims['cognito:username'] ?? claims.username ?? claims.sub ?? 'unknown');
  return { token, user, roles: groups, expiresAt };
}

export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? sessionOf(token) : undefined;
}

export function keepToken(token: string): Session | undefined {
  const session = sessionOf(token);
  if (session) sessionStorage.setItem(TOKEN_KEY, token);
  return session;
}

/** Forgets the token; on Cognito also ends the hosted UI's session, so the next sign-in asks again. */
export function signOut(auth?: ConsoleConfig['auth']): void {
  sessionStorage.removeItem(TOKEN_KEY);
  if (auth?.kind === 'cognito') location.assign(`${auth.domain}/logout?${new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.logoutUri ?? auth.redirectUri })}`);
}

const base64Url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Sends the browser to Cognito's hosted UI with a PKCE challenge (RFC 7636, S256). */
export async function startCognitoSignIn(auth: Extract<ConsoleConfig['auth'], { kind: 'cognito' }>): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  // `state` ties the answer to this tab's request (RFC 6749 §10.12): an answer started elsewhere is refused.
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(STATE_KEY, state);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const query = new URLSearchParams({ response_type: 'code', client_id: auth.clientId, redirect_uri: auth.redirectUri, scope: (auth.scopes ?? ['openid', 'email', 'profile']).join(' '), code_challenge_method: 'S256', code_challenge: challenge, state });
  location.assign(`${auth.domain}/oauth2/authorize?${query}`);
}

/** Back from the hosted UI with `?code=`: exchanges it (with the verifier) for tokens at the token endpoint. */
export async function finishCognitoSignIn(auth: Extract<ConsoleConfig['auth'], { kind: 'cognito' }>, code: string, state: string | null): Promise<Session | undefined> {
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  const expectedState = sessionStorage.getItem(STATE_KEY);
  sessionStorage.removeItem(VERIFIER_KEY);
  sessionStorage.removeItem(STATE_KEY);
  if (!verifier || !expectedState || state !== expectedState) return undefined;
  const response = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: auth.redirectUri, code_verifier: verifier }),
  });
  if (!response.ok) return undefined;
  const tokens = (await response.json()) as { access_token?: string };
  return tokens.access_token ? keepToken(tokens.access_token) : undefined;
}
