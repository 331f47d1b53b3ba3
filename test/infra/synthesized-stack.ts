import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/app.ts';
import type { O2cStack } from '../../infra/o2c-stack.ts';

/** Skips esbuild: the templates are what these tests check, and bundling makes a synth many times slower. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/** Synthesizing takes seconds: build once per file, in `beforeAll`, with this timeout. */
export const SYNTH_TIMEOUT_MS = 120_000;

export interface SynthesizedStack {
  readonly app: App;
  readonly stack: O2cStack;
  readonly template: Template;
  /** The cloud assembly directory (holds `validation-report.json`). */
  readonly outdir: string;
  /** The CloudFormation logical id of a construct's main resource. */
  logicalId(construct: IConstruct): string;
}

export interface SynthesizeOptions {
  /** More CDK context, e.g. `o2c:consoleDomain`. */
  readonly context?: Record<string, unknown>;
  /** A built console to deploy (a placeholder page stands in by default, as bundling is skipped). */
  readonly consoleAssetDir?: string;
}

/**
 * Builds the real app (the one `cdk synth` runs) with bundling skipped and synthesizes it. cdk-nag and CDK's
 * CloudFormation schema validation are off: they cost seconds per synth, and `nag.test.ts` runs both.
 */
export function synthesizeStack(options: SynthesizeOptions = {}): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'o2c-cdk-'));
  const { app, stack } = buildApp({
    context: { ...NO_BUNDLING, ...options.context },
    outdir,
    nag: false,
    cloudFormationValidation: false,
    consoleAssetDir: options.consoleAssetDir,
  });
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    outdir,
    logicalId(construct) {
      const resource = (construct.node.defaultChild ?? construct) as CfnElement;
      return stack.getLogicalId(resource);
    },
  };
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of every AWS::IAM::Policy attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: { Ref?: string }[]; PolicyDocument: { Statement: PolicyStatement[] } } }
  >;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The allowed actions of a list of statements, flattened. */
export function allowedActions(statements: PolicyStatement[]): string[] {
  return statements.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => [statement.Action].flat());
}

/** The logical ids a CloudFormation value refers to (`Ref`, `Fn::GetAtt`), however deeply nested. */
export function referencedLogicalIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedLogicalIds);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref.startsWith('AWS::') ? [] : [record.Ref];
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(record).flatMap(referencedLogicalIds);
}
