import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/app.ts';
import { exportedArn } from '../../infra/aws/stateful-stack.ts';
import { apiAccess, type FunctionAccess, taskAccess } from '../../infra/aws/task-access.ts';
import { type TableKey, tables } from '../../infra/resources.ts';
import { stateNameOf, workflows } from '../../workflows/registry.ts';

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/**
 * Each function's policy is its declaration in infra/aws/task-access.ts and nothing more: explicit
 * actions, on the tables, indexes and key patterns declared, read back from the synthesized template.
 */

let stateful: Template;
let stateless: Template;
const skipBundling = { context: { 'aws:cdk:bundling-stacks': [] } };

beforeAll(() => {
  const built = buildApp(skipBundling);
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
});

/** A resource as text: an imported ARN by its export name, a local one as <LogicalId.Attr>. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::ImportValue'] !== undefined) return render(v['Fn::ImportValue']);
  if (v['Fn::Join'] !== undefined) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0]);
  if (v['Ref'] !== undefined) return `<${v['Ref']}>`;
  if (v['Fn::GetAtt'] !== undefined) return `<${v['Fn::GetAtt'].join('.')}>`;
  throw new Error(`unexpected resource ${JSON.stringify(value)}`);
}

/** Every `action resource` pair a declaration allows on the tables and buckets. */
function expectedPairs(access: FunctionAccess): string[] {
  const pairs: string[] = [];
  for (const [key, table] of Object.entries(access.tables)) {
    const arn = exportedArn.table(key as TableKey);
    for (const action of table?.actions ?? []) pairs.push(`dynamodb:${action} ${arn}`);
    const indexes = table?.indexes ?? [];
    if (indexes === 'all') pairs.push(`dynamodb:Query ${arn}/index/*`);
    else for (const index of indexes) pairs.push(`dynamodb:Query ${arn}/index/${index}`);
  }
  for (const [arn, bucket] of [
    [exportedArn.archive, access.archive],
    [exportedArn.cache, access.cache],
  ] as const) {
    for (const p of bucket?.read ?? []) pairs.push(`s3:GetObject ${arn}/${p}`);
    for (const p of bucket?.put ?? []) pairs.push(`s3:PutObject ${arn}/${p}`);
    if ((bucket?.list ?? []).length > 0) pairs.push(`s3:ListBucket ${arn}`);
    for (const p of bucket?.legalHold ?? [])
      pairs.push(`s3:GetObjectLegalHold ${arn}/${p}`, `s3:PutObjectLegalHold ${arn}/${p}`);
  }
  return pairs.sort();
}

/** The statements of the policies attached to a function's role. */
function statementsOf(fn: Resource): Statement[] {
  const roleId = fn.Properties['Role']['Fn::GetAtt'][0];
  return (Object.values(stateless.findResources('AWS::IAM::Policy')) as Resource[])
    .filter((p) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
    .flatMap((p) => p.Properties['PolicyDocument'].Statement as Statement[]);
}

const functionsByDeclaration = () => {
  const all = Object.entries(stateless.findResources('AWS::Lambda::Function')) as [string, Resource][];
  return all.map(([logicalId, fn]) => {
    if (logicalId.startsWith('ApiFunction')) return { name: 'api', fn, access: apiAccess };
    const taskId = Object.keys(taskAccess).find((id) => logicalId.startsWith(`${stateNameOf(id)}Function`));
    if (taskId === undefined) throw new Error(`function ${logicalId} belongs to no declaration`);
    return { name: taskId, fn, access: taskAccess[taskId] as FunctionAccess };
  });
};

describe('one declaration per task', () => {
  it('GIVEN the workflow registry THEN every registered task has an access declaration', () => {
    const registered = [...new Set(workflows.flatMap((w) => w.tasks.map((t) => t.id)))];
    const undeclared = registered.filter((id) => taskAccess[id] === undefined);
    expect(undeclared).toEqual([]);
  });

  it('GIVEN a task without a declaration THEN synthesis refuses to build its function', () => {
    const { 'assign-number': _dropped, ...rest } = taskAccess;
    expect(() => buildApp(skipBundling, { taskAccess: rest })).toThrow(
      'task assign-number has no access declaration in infra/aws/task-access.ts',
    );
  });

  it('GIVEN the declarations THEN each names only tables and indexes that infra/resources.ts defines', () => {
    for (const [name, access] of [...Object.entries(taskAccess), ['api', apiAccess] as const]) {
      for (const [key, table] of Object.entries(access.tables)) {
        const definition = tables[key as TableKey];
        expect(definition, `${name}: table ${key}`).toBeDefined();
        const known = definition.indexes.map((i) => i.name) as string[];
        if (Array.isArray(table?.indexes))
          for (const index of table.indexes) expect(known, `${name}: ${key} index ${index}`).toContain(index);
      }
    }
  });
});

describe('least privilege in the template', () => {
  // A Deny may be as wide as it likes (the buckets refuse `s3:*` over plain HTTP); what is granted may not.
  it('GIVEN every IAM policy, bucket and topic policy of both stacks THEN no allowed action has a wildcard', () => {
    const documents: [string, unknown][] = [];
    for (const template of [stateful, stateless]) {
      for (const type of ['AWS::IAM::Policy', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy'])
        for (const [id, r] of Object.entries(template.findResources(type)) as [string, Resource][])
          documents.push([id, r.Properties['PolicyDocument']]);
      for (const [id, r] of Object.entries(template.findResources('AWS::IAM::Role')) as [string, Resource][])
        for (const policy of r.Properties['Policies'] ?? []) documents.push([id, policy.PolicyDocument]);
    }
    expect(documents.length).toBeGreaterThan(20);
    for (const [id, document] of documents)
      for (const statement of (document as { Statement: Statement[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      ))
        for (const action of [statement.Action].flat()) expect(action, `${id}: ${action}`).not.toMatch(/\*/);
  });

  it('GIVEN each function THEN its table and bucket rights are exactly those its declaration names', () => {
    const found = functionsByDeclaration();
    expect(found.length).toBe(new Set(workflows.flatMap((w) => w.tasks.map((t) => t.id))).size + 1);
    for (const { name, fn, access } of found) {
      const pairs = statementsOf(fn)
        .filter((s) => [s.Action].flat().some((a) => /^(dynamodb|s3):/.test(a)))
        .flatMap((s) =>
          [s.Action].flat().flatMap((action) => [s.Resource].flat().map((r) => `${action} ${render(r)}`)),
        )
        .sort();
      expect(pairs, name).toEqual(expectedPairs(access));
    }
  });

  it('GIVEN each function THEN everything else it may do is tracing, the data key through DynamoDB and S3, and what it declares', () => {
    const machineIds = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachine'));
    for (const { name, fn, access } of functionsByDeclaration()) {
      for (const statement of statementsOf(fn)) {
        expect(statement.Effect).toBe('Allow');
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat().map(render);
        if (actions.every((a) => /^(dynamodb|s3):/.test(a))) continue;
        if (actions.every((a) => a.startsWith('xray:'))) {
          expect(actions.sort(), name).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        } else if (actions.every((a) => a.startsWith('kms:'))) {
          expect(resources, name).toEqual([exportedArn.dataKey]);
          expect(JSON.stringify(statement.Condition), name).toContain('kms:ViaService');
        } else if (actions.every((a) => a.startsWith('ses:'))) {
          expect(access.ses, `${name} sends mail`).toBe(true);
          for (const r of resources)
            expect(r).toMatch(/:ses:<AWS::Region>:<AWS::AccountId>:identity\/[^*]+$/);
        } else if (actions.every((a) => a === 'states:StartSyncExecution')) {
          expect(access.startsWorkflows, `${name} starts workflows`).toBe(true);
          for (const r of resources) expect(machineIds.map((id) => `<${id}>`)).toContain(r);
        } else {
          throw new Error(`${name} may do what no declaration names: ${actions.join(', ')}`);
        }
      }
    }
  });

  it('GIVEN each state machine THEN it may invoke only the functions of its own tasks', () => {
    const machines = Object.entries(stateless.findResources('AWS::StepFunctions::StateMachine')) as [
      string,
      Resource,
    ][];
    const roles = stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>;
    for (const workflow of workflows) {
      const [, machine] =
        machines.find(([id]) => id.startsWith(`${stateNameOf(workflow.name)}StateMachine`)) ?? [];
      const roleId = machine?.Properties['RoleArn']['Fn::GetAtt'][0];
      const invoked = Object.values(roles)
        .filter((p) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
        .flatMap((p) => p.Properties['PolicyDocument'].Statement as Statement[])
        .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
        .flatMap((s) => [s.Resource].flat().map(render))
        .map((r) => r.replace(/^<([A-Za-z]+?)Function[0-9A-F]{8}\.Arn>(:\*)?$/, '$1'));
      expect([...new Set(invoked)].sort(), workflow.name).toEqual(
        [...new Set(workflow.tasks.map((t) => stateNameOf(t.id)))].sort(),
      );
    }
  });
});

describe('two declarations of one task agree', () => {
  // What each dependency a task declares (functions/handlers) reaches in AWS (infra/aws/task-access.ts).
  const storesOf: Partial<Record<string, readonly string[]>> = {
    documents: ['documents'],
    journals: ['journals'],
    events: ['events', 'chainHeads'],
    claims: ['claims'],
    notifications: ['notifications'],
  };

  it('GIVEN what a task uses THEN its policy reaches no table, bucket or SES it does not use', async () => {
    const { tasksById } = await import('../../functions/handlers/index.ts');
    const beyond: string[] = [];
    for (const [id, access] of Object.entries(taskAccess)) {
      const uses = (tasksById[id]?.uses ?? []) as readonly string[];
      const reachable = new Set(uses.flatMap((dep) => storesOf[dep] ?? []));
      for (const table of Object.keys(access.tables))
        if (!reachable.has(table)) beyond.push(`${id}: table ${table}`);
      if (access.archive !== undefined && !uses.includes('blobs')) beyond.push(`${id}: archive bucket`);
      if (access.cache !== undefined && !uses.includes('crlSource')) beyond.push(`${id}: cache bucket`);
      if ((access.ses ?? false) !== uses.includes('mailer')) beyond.push(`${id}: ses`);
    }
    expect(beyond).toEqual([]);
  });
});
