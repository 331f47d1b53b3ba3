import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { roles, type Role } from '#shared/topology';

/**
 * Local stand-in for the Cognito user pool: HS256 tokens with the same claims the HTTP API's JWT authorizer
 * passes on (`sub`, `cognito:username`, `cognito:groups`). The key is a dev default, overridable, never used on AWS.
 */
const DEV_KEY = process.env.O2C_LOCAL_JWT_SECRET ?? 'o2c-local-dev-jwt-key-not-for-production';
export const LOCAL_ISSUER = 'https://o2c.local/dev-issuer';
export const LOCAL_AUDIENCE = 'o2c-local';
const key = new TextEncoder().encode(DEV_KEY);
/** How far ahead of this clock `iat` may be (an issuer a few seconds fast); beyond it the token is refused. */
export const IAT_CLOCK_SKEW_SECONDS = 5;

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

interface MintOptions {
  user?: string;
  ttlSeconds?: number;
  /** `iat` in epoch seconds; default now (a skewed or forged issuer is what an earlier or later value looks like). */
  issuedAt?: number;
}

export async function mintDevToken(role: Role, options: MintOptions = {}): Promise<string> {
  return mintTokenWithGroups([role], { user: options.user ?? `dev-${role}`, ...options });
}

/** A token with any group list, including none or unknown ones (what a 403 looks like). */
export async function mintTokenWithGroups(groups: string[], options: MintOptions = {}): Promise<string> {
  const user = options.user ?? 'dev-user';
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ 'cognito:groups': groups, 'cognito:username': user, token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 12 * 3600))
    .sign(key);
}

/**
 * Claims of a valid token, or undefined for a missing, forged, expired, not-yet-valid or future-issued one (API Gateway
 * answers 401). As the HTTP API JWT authorizer: `exp` must be after now, `nbf` and `iat` before it; `iat` alone gets
 * {@link IAT_CLOCK_SKEW_SECONDS} of slack. jose checks exp and nbf; it checks iat only with `maxTokenAge`, so here.
 */
export async function verifyDevToken(authorization: string | undefined): Promise<JWTPayload | undefined> {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['HS256'] });
    if (payload.iat !== undefined && payload.iat > Math.floor(Date.now() / 1000) + IAT_CLOCK_SKEW_SECONDS) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
