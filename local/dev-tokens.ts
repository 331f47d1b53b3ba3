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

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export async function mintDevToken(role: Role, options: { user?: string; ttlSeconds?: number } = {}): Promise<string> {
  return mintTokenWithGroups([role], { user: options.user ?? `dev-${role}`, ...options });
}

/** A token with any group list, including none or unknown ones (what a 403 looks like). */
export async function mintTokenWithGroups(groups: string[], options: { user?: string; ttlSeconds?: number } = {}): Promise<string> {
  const user = options.user ?? 'dev-user';
  return new SignJWT({ 'cognito:groups': groups, 'cognito:username': user, token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
    .sign(key);
}

/** Claims of a valid token, or undefined for a missing, forged or expired one (API Gateway answers 401). */
export async function verifyDevToken(authorization: string | undefined): Promise<JWTPayload | undefined> {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['HS256'] });
    return payload;
  } catch {
    return undefined;
  }
}
