import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/app.ts';

/**
 * cdk-nag's AWS Solutions checks run on every synthesis of the app (buildApp adds them): the
 * template synthesizes with no unacknowledged error or warning, each acknowledgement carries its
 * reason into the template, and a non-compliant resource makes synthesis fail.
 */

const skipBundling = { 'aws:cdk:bundling-stacks': [] };

describe('cdk-nag AwsSolutions', () => {
  it('GIVEN the app THEN it synthesizes with no unacknowledged finding, and acknowledgements carry reasons', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'docroute-nag-'));
    const { app } = buildApp({ context: skipBundling, outdir });
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['DocrouteStateful', 'DocrouteStateless']);
    // Warnings do not stop a synthesis: the report must hold none either.
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string; severity: string }[] }[];
    };
    expect(
      report.pluginReports.flatMap((p) => p.violations.map((v) => `${v.severity} ${v.ruleName}`)),
    ).toEqual([]);
    const rules = assembly.stacks.flatMap((stack) =>
      Object.values(
        (JSON.parse(readFileSync(stack.templateFullPath, 'utf8')) as { Resources: Record<string, any> })
          .Resources,
      ).flatMap((r) => (r.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[]),
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^AwsSolutions-/);
      expect(rule.reason.length, rule.id).toBeGreaterThan(40);
    }
  });

  it('GIVEN a bucket without TLS enforcement or access logs THEN synthesis fails naming the findings', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'docroute-nag-'));
    const { app, stateful } = buildApp({ context: skipBundling, outdir });
    new s3.Bucket(stateful, 'Careless', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
    const report = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions-S1');
    expect(report).toContain('AwsSolutions-S10');
    expect(report).toContain('Careless');
  });
});
