import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { repoRoot } from '#shared/state-machine-definitions';
import { O2cStack, type O2cStackProps } from './o2c-stack.ts';

/** The stack's construct id (and default CloudFormation stack name). */
export const STACK_ID = 'O2cStack';

export interface BuildAppOptions {
  /** CDK context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip esbuild in tests. */
  readonly context?: AppProps['context'];
  /** Where the cloud assembly is written; CDK picks a temporary directory when omitted. */
  readonly outdir?: string;
  /** Run the cdk-nag packs (AwsSolutions, Serverless) at synth. Default true. */
  readonly nag?: boolean;
  /**
   * Run CDK's built-in CloudFormation schema validation at synth. Default true; template tests that check
   * something else turn it off because it costs seconds per synth (the cdk-nag test keeps it on).
   */
  readonly cloudFormationValidation?: boolean;
  /** The built operator console to deploy. Default `console/dist` (a placeholder page when bundling is skipped and it is missing). */
  readonly consoleAssetDir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: O2cStack;
}

/**
 * The feature flags of `cdk.json`. The CLI passes them to the app itself; reading them here too means an app
 * built in a test synthesizes exactly what `cdk synth` does.
 */
export function projectContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Adds the O2C stack to an app. Environment-agnostic (no account or region, no lookups), so it synthesizes
 * offline and deploys to whichever account and region the CLI credentials point at.
 */
export function createStack(app: App, id: string = STACK_ID, props: O2cStackProps = {}): O2cStack {
  return new O2cStack(app, id, props);
}

/**
 * The CDK app: the O2C stack checked by cdk-nag. Findings are reported through CDK's validation framework
 * (`validation-report.json` in the cloud assembly); any unacknowledged finding, error or warning, fails the synth. Acknowledgements live at the
 * construct that owns each finding, with its reason.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({
    context: { ...projectContext(), ...options.context },
    outdir: options.outdir,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
  });
  const stack = createStack(app, STACK_ID, { consoleAssetDir: options.consoleAssetDir });
  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  }
  return { app, stack };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  buildApp().app.synth();
}
