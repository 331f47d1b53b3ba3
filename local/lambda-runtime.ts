import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { repoRoot } from '#shared/state-machine-definitions';
import { functions, type FunctionKey } from '#shared/topology';
import { grantedResourceVariables, resourceVariables } from './function-environment.ts';
import type { Meter } from './meter.ts';
import type { InvocationTrigger } from './meter-snapshot.ts';

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

/** The function whose code is running (its import, or one invocation), as async context. */
const runningFunction = new AsyncLocalStorage<{ key: FunctionKey; granted: ReadonlySet<string> }>();

/** The function whose code is running now, if any: the meter attributes requests and log bytes to it. */
export const currentFunction = (): FunctionKey | undefined => runningFunction.getStore()?.key;

/**
 * All handlers share one process locally, but on AWS each function sees only the resources its topology `access`
 * grants. So `process.env` becomes a view that, while a function's code runs, hides every resource variable (table,
 * queue, workflow, secret, bucket) the function was not granted: a missing grant fails its cold start or its call
 * here as it would on AWS. Outside a function (the runtime, tests) nothing is hidden. Installed once per process.
 */
export function confineEnvironmentToGrants(): void {
  if ((process.env as { [confined]?: boolean })[confined]) return;
  const hidden = (name: string | symbol) => {
    const running = runningFunction.getStore();
    return running !== undefined && typeof name === 'string' && resourceVariables.has(name) && !running.granted.has(name);
  };
  process.env = new Proxy(process.env, {
    get: (target, name) => (name === confined ? true : hidden(name) ? undefined : Reflect.get(target, name)),
    has: (target, name) => !hidden(name) && Reflect.has(target, name),
    ownKeys: (target) => Reflect.ownKeys(target).filter((name) => !hidden(name)),
    getOwnPropertyDescriptor: (target, name) => (hidden(name) ? undefined : Reflect.getOwnPropertyDescriptor(target, name)),
    // Writes go to the real environment as they are (its setter coerces to strings and refuses partial descriptors).
    set: (target, name, value) => Reflect.set(target, name, value),
    deleteProperty: (target, name) => Reflect.deleteProperty(target, name),
  });
}
const confined = Symbol('confined to grants');

/** Runs `work` as function `key` runs: seeing only the resource variables it was granted. */
export const asFunction = <T>(key: FunctionKey, work: () => T): T => runningFunction.run({ key, granted: grantedResourceVariables(key) }, work);

/**
 * Loads the real handler modules (the same files CDK bundles) and invokes them as Lambda would: one event, a
 * context, errors surfacing with their `name` as the error type. Handlers are imported after the environment is
 * set, because they read their configuration at init, like a cold start.
 */
export class LocalLambdas {
  private readonly handlers = new Map<FunctionKey, Handler>();

  /** With a meter, every import and invocation is counted (duration, trigger, failure) for the cost report. */
  constructor(private readonly meter?: Meter) {}

  async load(): Promise<void> {
    confineEnvironmentToGrants();
    for (const key of Object.keys(functions) as FunctionKey[]) {
      const file = join(repoRoot, 'functions', functions[key].dir, 'handler.ts');
      const started = performance.now();
      const module = (await asFunction(key, () => import(pathToFileURL(file).href))) as { handler?: Handler };
      this.meter?.functionLoaded(key, performance.now() - started);
      if (typeof module.handler !== 'function') throw new Error(`${file} does not export a handler`);
      this.handlers.set(key, module.handler);
    }
  }

  /**
   * Invokes a function. `trigger` says which AWS service would have invoked it (API Gateway, an SQS event source
   * mapping, a workflow task, Scheduler), which the meter needs; calls from tests and the runtime itself are `local`.
   */
  async invoke(key: FunctionKey, event: unknown, trigger: InvocationTrigger = 'local'): Promise<unknown> {
    const handler = this.handlers.get(key);
    if (!handler) throw new Error(`function ${key} is not loaded`);
    const started = performance.now();
    let failed = false;
    try {
      // A structured clone keeps the handler from sharing objects with the caller, as the wire would.
      return await asFunction(key, () => handler(structuredClone(event), contextFor(key)));
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.meter?.functionInvoked(key, trigger, performance.now() - started, failed);
    }
  }
}
