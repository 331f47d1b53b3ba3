import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { NO_BUNDLING, SYNTH_TIMEOUT_MS } from './synthesized-stack.ts';

/** The part of CDK's `validation-report.json` these tests read. */
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

interface Finding {
  ruleId: string;
  constructPath: string;
}

interface Acknowledgement {
  ruleId: string;
  constructPath: string;
  reason: string;
}

let app: App;
let outdir: string;
let synthError: unknown;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'o2c-nag-'));
  ({ app } = buildApp({ context: NO_BUNDLING, outdir, nag: true }));
  try {
    app.synth();
  } catch (error) {
    // Any unacknowledged finding fails the synth; keep the message (it holds the report) for the assertion below.
    synthError = error;
  }
}, SYNTH_TIMEOUT_MS);

/** Every finding of a pack as if nothing were acknowledged: what the acknowledgements are about. */
function rawFindings(pack: NagPack): Finding[] {
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack
    .validateScope(app)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({ ruleId: violation.ruleName, constructPath: resource.constructPath ?? '' })),
    );
}

/** The acknowledgements recorded with `Validations.of(construct).acknowledge(...)`. */
function acknowledgements(): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          ruleId: id.replace(/^annotation::/i, ''),
          constructPath: construct.node.path,
          reason,
        })),
      ),
  );
}

describe('given the app checked by the cdk-nag AwsSolutions and Serverless packs', () => {
  it('when synthesized, then no finding fails the synth', () => {
    expect(synthError).toBeUndefined();
  });

  it('when synthesized, then the validation report (cdk-nag and CDK CloudFormation validation) lists no unacknowledged finding, error or warning', () => {
    const reportPath = join(outdir, 'validation-report.json');
    expect(existsSync(reportPath)).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
    const unacknowledged = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${violation.severity} ${violation.ruleName} at ${construct.constructPath}`),
      ),
    );
    expect(unacknowledged).toEqual([]);
  });

  it('then every acknowledgement matches a finding the packs actually raise there', () => {
    const findings = [...rawFindings(new AwsSolutionsChecks()), ...rawFindings(new ServerlessChecks())];
    const stale = acknowledgements().filter(
      (ack) =>
        !findings.some(
          (finding) =>
            finding.ruleId === ack.ruleId &&
            (finding.constructPath === ack.constructPath || finding.constructPath.startsWith(`${ack.constructPath}/`)),
        ),
    );
    expect(stale).toEqual([]);
  });

  it('then every acknowledgement says why', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.ruleId} at ${ack.constructPath}`).toBeGreaterThan(40);
  });
});
