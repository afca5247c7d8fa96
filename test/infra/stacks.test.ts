import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, projectRoot } from '../../infra/aws/app.ts';
import { tables } from '../../infra/resources.ts';
import { placeholderOf, stateNameOf, substitute, workflows } from '../../workflows/registry.ts';

type Resource = { Type: string; Properties: Record<string, any> };

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  // Skipping bundling keeps the test to the template; `npm run synth` bundles for real.
  const built = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  stateful = Template.fromStack(built.stateful);
  stateless = Template.fromStack(built.stateless);
});

/** A substitution value as the service will see it: the ARN of a function, named by its logical id. */
function arnOf(value: unknown): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt?.[1] !== 'Arn') throw new Error(`unexpected substitution: ${JSON.stringify(value)}`);
  return `<arn:${getAtt[0]}>`;
}

describe('stateful stack', () => {
  it('GIVEN the shared table definitions THEN each table has their keys and indexes, billed on demand', () => {
    const synthesized = Object.entries(stateful.findResources('AWS::DynamoDB::Table')) as [
      string,
      Resource,
    ][];
    expect(synthesized).toHaveLength(Object.keys(tables).length);
    for (const definition of Object.values(tables)) {
      const match = synthesized.find(([id]) => id.startsWith(definition.id))?.[1];
      expect(match?.Properties['KeySchema'][0].AttributeName).toBe(definition.partitionKey.name);
      expect(match, definition.id).toBeDefined();
      expect(match?.Properties['BillingMode']).toBe('PAY_PER_REQUEST');
      const indexNames = (match?.Properties['GlobalSecondaryIndexes'] ?? []).map(
        (i: { IndexName: string }) => i.IndexName,
      );
      expect(indexNames.sort()).toEqual(definition.indexes.map((i) => i.name).sort());
    }
  });

  it('GIVEN the archive bucket THEN Object Lock is on in compliance mode with a retention', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 5 * 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('GIVEN stores that must outlive deployments THEN tables and bucket are retained', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket']) {
      for (const resource of Object.values(stateful.findResources(type))) {
        expect(resource['DeletionPolicy']).toBe('Retain');
      }
    }
  });
});

describe('stateless stack', () => {
  const functions = () => stateless.findResources('AWS::Lambda::Function') as Record<string, Resource>;

  for (const workflow of workflows) {
    it(`GIVEN ${workflow.name} THEN the deployed definition is the local file with each placeholder bound to its task's function`, () => {
      const machines = Object.values(
        stateless.findResources('AWS::StepFunctions::StateMachine'),
      ) as Resource[];
      expect(machines).toHaveLength(workflows.length);
      const local = readFileSync(join(projectRoot, workflow.definitionFile), 'utf8');
      const machine = machines.find((m) => m.Properties['DefinitionString'] === local);
      expect(machine, 'a state machine whose definition is the file, unchanged').toBeDefined();
      expect(machine?.Properties['StateMachineType']).toBe('EXPRESS');

      const logicalIds = Object.keys(functions());
      const bindings: Record<string, string> = {};
      for (const task of workflow.tasks) {
        // One name per task: the function's logical id starts with the state name.
        const logicalId = logicalIds.find((id) => id.startsWith(`${stateNameOf(task.id)}Function`));
        expect(logicalId, `function for ${task.id}`).toBeDefined();
        bindings[placeholderOf(task.id)] = `<arn:${logicalId}>`;
      }
      const substitutions = Object.fromEntries(
        Object.entries(machine?.Properties['DefinitionSubstitutions'] ?? {}).map(([name, value]) => [
          name,
          arnOf(value),
        ]),
      );
      expect(substitutions).toEqual(bindings);
      // What Step Functions runs: the file with its substitutions applied, every placeholder bound.
      const deployed = substitute(local, substitutions);
      expect(deployed).not.toMatch(/\$\{[A-Za-z]+\}/);
      expect(JSON.parse(deployed)).toEqual(JSON.parse(substitute(local, bindings)));
    });
  }

  it('GIVEN every task THEN its function exists, runs Node 22 on its own handler file and knows every table', () => {
    const all = Object.entries(functions());
    const taskIds = new Set(workflows.flatMap((w) => w.tasks.map((t) => t.id)));
    for (const id of taskIds) {
      const found = all.find(([logicalId]) => logicalId.startsWith(`${stateNameOf(id)}Function`));
      expect(found, id).toBeDefined();
      const properties = found?.[1].Properties ?? {};
      expect(properties['Runtime']).toBe('nodejs22.x');
      expect(properties['Handler']).toBe('index.handler');
      expect(Object.keys(properties['Environment']['Variables'])).toEqual(
        expect.arrayContaining(Object.keys(tables).map((k) => `DOCROUTE_TABLE_${k.toUpperCase()}`)),
      );
    }
  });

  it('GIVEN the API THEN API Gateway proxies to the API function, which may start each workflow synchronously', () => {
    stateless.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    stateless.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      Integration: { Type: 'AWS_PROXY' },
    });
    const policies = JSON.stringify(stateless.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('states:StartSyncExecution');
    expect(policies).toContain('secretsmanager:GetSecretValue');
  });
});

describe('settling on a schedule', () => {
  it('GIVEN the settle-registrations workflow THEN EventBridge Scheduler starts its state machine every minute', () => {
    const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule')) as Resource[];
    const schedule = schedules.find((s) => s.Properties['ScheduleExpression'] === 'rate(1 minute)');
    const target = schedule?.Properties['Target'];
    const machines = stateless.findResources('AWS::StepFunctions::StateMachine');
    const settleId = Object.keys(machines).find((id) => id.startsWith('SettleRegistrationsStateMachine'));
    expect(settleId).toBeDefined();
    expect(target.Arn).toEqual({ Ref: settleId });
  });

  it('GIVEN the reminders THEN they start daily at the office’s hour in its time zone, and only the senders may use SES', () => {
    const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule')) as Resource[];
    const reminders = schedules.find((s) => String(s.Properties['ScheduleExpression']).startsWith('cron('));
    expect(reminders?.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Moscow',
    });
    const machines = stateless.findResources('AWS::StepFunctions::StateMachine');
    const remindId = Object.keys(machines).find((id) => id.startsWith('SendRemindersStateMachine'));
    expect(reminders?.Properties['Target'].Arn).toEqual({ Ref: remindId });
    const policies = Object.entries(stateless.findResources('AWS::IAM::Policy')) as [string, Resource][];
    const withSes = policies.filter(([, p]) =>
      JSON.stringify(p.Properties['PolicyDocument']).includes('ses:SendEmail'),
    );
    expect(withSes.map(([id]) => id.replace(/Function.*$/, '')).sort()).toEqual([
      'DispatchReply',
      'SendReminder',
      'SettleJournal',
    ]);
  });

  it('GIVEN the lease of a registration THEN no task function outlives the workflow time limit it follows', () => {
    const definition = JSON.parse(
      readFileSync(join(projectRoot, 'workflows/register-incoming.asl.json'), 'utf8'),
    );
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function')) as Resource[];
    for (const fn of functions)
      expect(fn.Properties['Timeout']).toBeLessThanOrEqual(definition.TimeoutSeconds);
  });
});
