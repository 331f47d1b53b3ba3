import { getSecret as getSecretFromSecretsManager } from '@aws-lambda-powertools/parameters/secrets';
import { secrets, type SecretKey } from '#shared/topology';
import { meterSink } from './metering.ts';

/** Secrets are cached for five minutes: a per-request Secrets Manager call would cost more than the order. */
const CACHE_SECONDS = 300;

/**
 * The plain value from the local env var when set (embedded runtime), else the Secrets Manager secret whose ARN
 * CDK put in the function's env. Never logged.
 */
export async function readSecret(key: SecretKey): Promise<string> {
  const spec = secrets[key];
  // The meter models what the cache below would fetch on AWS; locally the value comes from the env var.
  meterSink()?.secretRead(key);
  const local = process.env[spec.localEnvVar];
  if (local) return local;
  const arn = process.env[spec.arnEnvVar];
  if (!arn) throw new Error(`Neither ${spec.localEnvVar} nor ${spec.arnEnvVar} is set`);
  const value = await getSecretFromSecretsManager(arn, { maxAge: CACHE_SECONDS });
  if (typeof value !== 'string' || value.length === 0) throw new Error(`Secret ${spec.arnEnvVar} is empty`);
  return value;
}
