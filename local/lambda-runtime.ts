import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { repoRoot } from '#shared/state-machine-definitions';
import { functions, type FunctionKey } from '#shared/topology';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

export const localFunctionName = (key: FunctionKey) => `o2c-${functions[key].dir}`;
export const localFunctionArn = (key: FunctionKey) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${localFunctionName(key)}`;

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** A Lambda context close to the real one; `getRemainingTimeInMillis` counts down from the function's timeout. */
function contextFor(key: FunctionKey): Context {
  const spec = functions[key];
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const name = localFunctionName(key);
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(key),
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Loads the real handler modules (the same files CDK bundles) and invokes them as Lambda would: one event, a
 * context, errors surfacing with their `name` as the error type. Handlers are imported after the environment is
 * set, because they read their configuration at init, like a cold start.
 */
export class LocalLambdas {
  private readonly handlers = new Map<FunctionKey, Handler>();

  async load(): Promise<void> {
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const file = join(repoRoot, 'functions', functions[key].dir, 'handler.ts');
      const module = (await import(pathToFileURL(file).href)) as { handler?: Handler };
      if (typeof module.handler !== 'function') throw new Error(`${file} does not export a handler`);
      this.handlers.set(key, module.handler);
    }
  }

  async invoke(key: FunctionKey, event: unknown): Promise<unknown> {
    const handler = this.handlers.get(key);
    if (!handler) throw new Error(`function ${key} is not loaded`);
    // A structured clone keeps the handler from sharing objects with the caller, as the wire would.
    return handler(structuredClone(event), contextFor(key));
  }
}
