import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import defaultConfig from '../../docroute.config.json' with { type: 'json' };
import { roles } from '../../functions/api/auth.ts';
import { parseConfig } from '../../functions/domain/config.ts';
import { alarmEmailContextKey, buildApp, projectRoot } from '../../infra/aws/app.ts';
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

  it('GIVEN every task THEN its function exists, runs a current Node runtime on its own handler file and knows every table', () => {
    const all = Object.entries(functions());
    const taskIds = new Set(workflows.flatMap((w) => w.tasks.map((t) => t.id)));
    for (const id of taskIds) {
      const found = all.find(([logicalId]) => logicalId.startsWith(`${stateNameOf(id)}Function`));
      expect(found, id).toBeDefined();
      const properties = found?.[1].Properties ?? {};
      expect(properties['Runtime']).toMatch(/^nodejs(22|24)\.x$/);
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
    // The Cognito authorizer names the actor in AWS: no token secret is deployed or read.
    expect(policies).not.toContain('secretsmanager:');
    for (const template of [stateful, stateless])
      expect(Object.keys(template.findResources('AWS::SecretsManager::Secret'))).toEqual([]);
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

  it('GIVEN the workflows\u2019 time limits (a registration\u2019s lease follows its own) THEN no task function outlives a workflow it runs in', () => {
    const functions = Object.entries(stateless.findResources('AWS::Lambda::Function')) as [
      string,
      Resource,
    ][];
    for (const workflow of workflows) {
      const { TimeoutSeconds } = JSON.parse(readFileSync(join(projectRoot, workflow.definitionFile), 'utf8'));
      for (const task of workflow.tasks) {
        const fn = functions.find(([id]) => id.startsWith(`${stateNameOf(task.id)}Function`));
        expect(fn, task.id).toBeDefined();
        expect(fn?.[1].Properties['Timeout'], `${task.id} in ${workflow.name}`).toBeLessThanOrEqual(
          TimeoutSeconds,
        );
      }
    }
    const registration = JSON.parse(
      readFileSync(join(projectRoot, 'workflows/register-incoming.asl.json'), 'utf8'),
    ).TimeoutSeconds;
    const assignNumber = functions.find(([id]) => id.startsWith('AssignNumberFunction'));
    expect(assignNumber?.[1].Properties['Timeout']).toBeLessThanOrEqual(registration);
  });
});

describe('stores an auditor can rely on', () => {
  const keyId = () => {
    const keys = Object.keys(stateful.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    return keys[0] as string;
  };

  it('GIVEN the data key THEN it is customer managed, rotated and retained', () => {
    const [key] = Object.values(stateful.findResources('AWS::KMS::Key')) as Resource[];
    expect(key?.Properties['EnableKeyRotation']).toBe(true);
    expect((key as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain');
  });

  it('GIVEN every table THEN it has point-in-time recovery, deletion protection and the data key', () => {
    const all = Object.values(stateful.findResources('AWS::DynamoDB::Table')) as Resource[];
    expect(all).toHaveLength(Object.keys(tables).length);
    for (const table of all) {
      expect(table.Properties['PointInTimeRecoverySpecification']).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(table.Properties['DeletionProtectionEnabled']).toBe(true);
      expect(table.Properties['SSESpecification']).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
      });
    }
  });

  it('GIVEN the archive and the cache THEN each is SSE-KMS with the data key, logs its access, blocks the public and refuses plain HTTP', () => {
    const buckets = Object.entries(stateful.findResources('AWS::S3::Bucket')) as [string, Resource][];
    const logBucket = buckets.find(([id]) => id.startsWith('AccessLogs'));
    expect(logBucket).toBeDefined();
    for (const prefix of ['Archive', 'Cache']) {
      const found = buckets.find(([id]) => id.startsWith(prefix));
      expect(found, prefix).toBeDefined();
      const properties = found?.[1].Properties ?? {};
      expect(properties['BucketEncryption'].ServerSideEncryptionConfiguration[0]).toMatchObject({
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        },
      });
      expect(properties['LoggingConfiguration']).toEqual({
        DestinationBucketName: { Ref: logBucket?.[0] },
        LogFilePrefix: `${prefix.toLowerCase()}/`,
      });
    }
    const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy')) as Resource[];
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties['PublicAccessBlockConfiguration'], id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find(
        (p) => JSON.stringify(p.Properties['Bucket']) === JSON.stringify({ Ref: id }),
      );
      const statements = (policy?.Properties['PolicyDocument'].Statement ?? []) as Record<string, any>[];
      const denyPlain = statements.find(
        (statement) =>
          statement['Effect'] === 'Deny' && statement['Condition']?.Bool?.['aws:SecureTransport'] === 'false',
      );
      expect(denyPlain, `${id} refuses requests without TLS`).toBeDefined();
    }
  });
});

describe('the API behind Cognito', () => {
  it('GIVEN every API method THEN it has the Cognito authorizer of the staff pool and the request validator', () => {
    const authorizers = Object.entries(stateless.findResources('AWS::ApiGateway::Authorizer')) as [
      string,
      Resource,
    ][];
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, Resource];
    expect(authorizer.Properties['Type']).toBe('COGNITO_USER_POOLS');
    expect(JSON.stringify(authorizer.Properties['ProviderARNs'])).toMatch(
      /DocrouteStateful:ExportsOutputFnGetAttUsers[0-9A-F]{8}Arn/,
    );
    const methods = Object.values(stateless.findResources('AWS::ApiGateway::Method')) as Resource[];
    expect(methods.length).toBeGreaterThanOrEqual(2);
    const validators = Object.keys(stateless.findResources('AWS::ApiGateway::RequestValidator'));
    expect(validators).toHaveLength(1);
    for (const method of methods) {
      expect(method.Properties['AuthorizationType']).toBe('COGNITO_USER_POOLS');
      expect(method.Properties['AuthorizerId']).toEqual({ Ref: authorizerId });
      expect(method.Properties['RequestValidatorId']).toEqual({ Ref: validators[0] });
      expect(method.Properties['RequestParameters']).toEqual({ 'method.request.header.Authorization': true });
    }
  });

  it('GIVEN the stage THEN it is throttled and writes JSON access logs with request id, user, status and latency', () => {
    const [stage] = Object.values(stateless.findResources('AWS::ApiGateway::Stage')) as Resource[];
    // What API Gateway writes is JSON once it fills in the variables: numbers stand bare.
    const text: string = stage?.Properties['AccessLogSetting'].Format;
    const format = JSON.parse(text.replace(/:(\$context\.[A-Za-z.]+)/g, ':0'));
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      user: '$context.authorizer.claims.cognito:username',
      status: expect.any(Number),
      latency: expect.any(Number),
    });
    expect(stage?.Properties['AccessLogSetting'].Format).toContain('"status":$context.status');
    expect(stage?.Properties['MethodSettings']).toEqual([
      expect.objectContaining({
        ThrottlingRateLimit: 200,
        ThrottlingBurstLimit: 400,
        DataTraceEnabled: false,
      }),
    ]);
  });

  it('GIVEN the staff pool THEN only admins create users, MFA is required and there is a group per role', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    const groups = (Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')) as Resource[]).map(
      (g) => g.Properties['GroupName'],
    );
    expect(groups.sort()).toEqual([...roles].sort());
  });
});

describe('schedules on the office’s clock', () => {
  it('GIVEN every daily schedule THEN it runs in the office’s time zone; the anchor at 23:50 on anchor-histories', () => {
    const schedules = Object.values(stateless.findResources('AWS::Scheduler::Schedule')) as Resource[];
    const daily = schedules.filter((s) => String(s.Properties['ScheduleExpression']).startsWith('cron('));
    expect(daily.length).toBeGreaterThanOrEqual(2);
    for (const schedule of daily)
      expect(schedule.Properties['ScheduleExpressionTimezone']).toBe(parseConfig(defaultConfig).timeZone);
    const anchor = daily.find((s) => s.Properties['ScheduleExpression'] === 'cron(50 23 * * ? *)');
    const machines = stateless.findResources('AWS::StepFunctions::StateMachine');
    const anchorId = Object.keys(machines).find((id) => id.startsWith('AnchorHistoriesStateMachine'));
    expect(anchorId).toBeDefined();
    expect(anchor?.Properties['Target'].Arn).toEqual({ Ref: anchorId });
    expect(JSON.parse(anchor?.Properties['Target'].Input)).toEqual({ requestedBy: null });
  });

  it('GIVEN a registry without anchor-histories THEN no anchor schedule is made', () => {
    const without = buildApp(
      { context: { 'aws:cdk:bundling-stacks': [] } },
      { workflows: workflows.filter((w) => w.name !== 'anchor-histories') },
    );
    const schedules = Object.values(
      Template.fromStack(without.stateless).findResources('AWS::Scheduler::Schedule'),
    ) as Resource[];
    expect(schedules.map((s) => s.Properties['ScheduleExpression']).sort()).toEqual([
      'cron(0 9 * * ? *)',
      'rate(1 minute)',
    ]);
  });

  it('GIVEN the senders THEN SES is granted only for the office’s From address and its domain', () => {
    const policies = Object.values(stateless.findResources('AWS::IAM::Policy')) as Resource[];
    const sesResources = policies.flatMap((p) =>
      (p.Properties['PolicyDocument'].Statement as Record<string, any>[])
        .filter((s) => [s['Action']].flat().some((a: string) => a.startsWith('ses:')))
        .flatMap((s) => [s['Resource']].flat().map((r) => JSON.stringify(r))),
    );
    expect(sesResources.length).toBeGreaterThan(0);
    for (const resource of sesResources)
      expect(resource).toMatch(/:identity\/(krasnogvardadmin@mail\.ru|mail\.ru)"/);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(stateless.findResources('AWS::CloudWatch::Alarm')) as Resource[];

  it('GIVEN each state machine THEN failed and timed-out executions raise an alarm', () => {
    const machineIds = Object.keys(stateless.findResources('AWS::StepFunctions::StateMachine'));
    for (const id of machineIds)
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        const found = alarms().filter(
          (a) =>
            a.Properties['MetricName'] === metric &&
            JSON.stringify(a.Properties['Dimensions']).includes(`"Ref":"${id}"`),
        );
        expect(found, `${metric} of ${id}`).toHaveLength(1);
      }
  });

  it('GIVEN each function THEN its errors and throttles raise an alarm', () => {
    const functionIds = Object.keys(stateless.findResources('AWS::Lambda::Function'));
    for (const id of functionIds)
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarms().filter(
          (a) =>
            a.Properties['MetricName'] === metric && JSON.stringify(a.Properties['Dimensions']).includes(id),
        );
        expect(found, `${metric} of ${id}`).toHaveLength(1);
      }
  });

  it('GIVEN the API THEN 5xx and throttled requests raise alarms and 4xx does not; every alarm goes to the one encrypted topic', () => {
    const names = alarms().map((a) => a.Properties['MetricName']);
    expect(names).toContain('5XXError');
    expect(names).toContain('ApiThrottled');
    expect(names).not.toContain('4XXError');
    const filters = Object.values(stateless.findResources('AWS::Logs::MetricFilter')) as Resource[];
    expect(
      filters.map((f) => [
        f.Properties['FilterPattern'],
        f.Properties['MetricTransformations'][0].MetricName,
      ]),
    ).toEqual([['{ $.status = 429 }', 'ApiThrottled']]);
    const topics = Object.entries(stateless.findResources('AWS::SNS::Topic')) as [string, Resource][];
    expect(topics).toHaveLength(1);
    const [topicId, topic] = topics[0] as [string, Resource];
    expect(topic.Properties['KmsMasterKeyId']).toBeDefined();
    for (const alarm of alarms()) expect(alarm.Properties['AlarmActions']).toEqual([{ Ref: topicId }]);
  });

  it('GIVEN the alarmEmail context value THEN the address is subscribed to the alarm topic', () => {
    const withEmail = buildApp({
      context: { 'aws:cdk:bundling-stacks': [], [alarmEmailContextKey]: 'duty@krasnogvardeiskoe.example' },
    });
    Template.fromStack(withEmail.stateless).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'duty@krasnogvardeiskoe.example',
    });
    stateless.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
