import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/app.ts';
import { bucketEnvVar } from '../../infra/resources.ts';

type Resource = { Type: string; Properties: Record<string, any> };

/** The API function caches fetched CRLs in the cache bucket, under crl-cache/ and nowhere else; it never touches the archive. */

let stateless: Template;
beforeAll(() => {
  const built = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  stateless = Template.fromStack(built.stateless);
});

describe('CRL cache in a bucket of its own', () => {
  it('GIVEN the API and check-signature functions THEN they are told the cache bucket and may read and put only under crl-cache/, and no function deletes anything', () => {
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function')) as Resource[];
    const withBucket = functions.filter(
      (fn) => fn.Properties['Environment']?.Variables?.[bucketEnvVar('cache')] !== undefined,
    );
    // The API (POST /v1/signatures/verify) and the reply's signature check.
    expect(withBucket).toHaveLength(2);
    // The API function is the one that is told every workflow's state machine.
    expect(
      withBucket.filter((fn) =>
        Object.keys(fn.Properties['Environment'].Variables).some((name) =>
          name.startsWith('DOCROUTE_WORKFLOW_'),
        ),
      ),
    ).toHaveLength(1);

    const statements = (Object.values(stateless.findResources('AWS::IAM::Policy')) as Resource[]).flatMap(
      (policy) =>
        policy.Properties['PolicyDocument'].Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const s3Statements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3Statements.length).toBeGreaterThan(0);
    for (const statement of s3Statements) {
      const actions = [statement.Action].flat();
      expect(actions.some((a) => a.startsWith('s3:Delete'))).toBe(false);
      const objectResources = [statement.Resource]
        .flat()
        .map((r) => JSON.stringify(r))
        .filter((r) => r.includes('/'));
      for (const resource of objectResources) {
        // The cache only under crl-cache/; the archive bucket only under drafts/, archive/ and anchors/.
        if (resource.includes('cache')) expect(resource).toContain('/crl-cache/*');
        else expect(resource).toMatch(/archive-arn.*\/(drafts|archive|anchors)\/\*/);
      }
    }
  });

  it('GIVEN the two buckets THEN the cache has no Object Lock and expires what it keeps, the archive keeps its lock', () => {
    const stateful = Template.fromStack(buildApp({ context: { 'aws:cdk:bundling-stacks': [] } }).stateful);
    const buckets = Object.values(stateful.findResources('AWS::S3::Bucket')) as Resource[];
    const locked = buckets.filter((b) => b.Properties['ObjectLockEnabled'] === true);
    // The access-log bucket has no lock either; the cache is the unlocked bucket that logs to it.
    const unlocked = buckets.filter(
      (b) => b.Properties['ObjectLockEnabled'] !== true && b.Properties['LoggingConfiguration'] !== undefined,
    );
    expect(locked).toHaveLength(1);
    expect(unlocked).toHaveLength(1);
    expect(unlocked[0]?.Properties['LifecycleConfiguration']).toEqual({
      Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }],
    });
  });
});
