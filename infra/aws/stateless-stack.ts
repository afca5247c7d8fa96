import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import { fontFiles } from '../../functions/adapters/pdf/fonts.ts';
import { workflowArnEnvVar } from '../../functions/adapters/sfn/workflow-runner.ts';
import {
  handlerFileOf,
  placeholderOf,
  stateNameOf,
  type WorkflowRegistration,
} from '../../workflows/registry.ts';
import { bucketEnvVar, type TableKey, tableEnvVar } from '../resources.ts';
import { type AccessTargets, statementsFor } from './access-policy.ts';
import { checksSignatures, trustAssets } from './bundle-options.ts';
import { TaskFunction } from './constructs/task-function.ts';
import { exportedArn, type ImportedArns } from './stateful-stack.ts';
import { apiAccess, type FunctionAccess, taskAccess } from './task-access.ts';

export interface StatelessStackProps extends StackProps {
  readonly projectRoot: string;
  readonly workflows: readonly WorkflowRegistration[];
  readonly tables: Readonly<Record<TableKey, dynamodb.Table>>;
  readonly archive: s3.Bucket;
  readonly cache: s3.Bucket;
  /** The stateful stack's exported ARNs, which the policies name. */
  readonly arns: ImportedArns;
  /** The staff: the API's authorizer accepts their ID tokens. */
  readonly users: cognito.IUserPool;
  /** The office's time zone: the scheduled workflows run on its wall clock. */
  readonly timeZone: string;
  /** When the reminders go out each day (`09:00`). */
  readonly remindersAt: string;
  /** The address the office's mail goes out from (`Name <office@example.org>` or the bare address). */
  readonly mailFrom: string;
  /**
   * Who is told of alarms (an e-mail subscription to the alarm topic).
   * @default none: the topic exists, subscribe to it later
   */
  readonly alarmEmail?: string | undefined;
  /**
   * What each task function may touch, by task id.
   * @default taskAccess (infra/aws/task-access.ts)
   */
  readonly taskAccess?: Readonly<Record<string, FunctionAccess>>;
}

/** When the daily anchor fixes every history: late, after the day's work, in the office's zone. */
export const anchorAt = { hour: 23, minute: 50 } as const;

/** What can be replaced at any deployment: a function per task, the Express state machines, the API, schedules, alarms. */
export class StatelessStack extends Stack {
  /** Task functions by function id (`assign-number`). */
  readonly taskFunctions: ReadonlyMap<string, lambda.IFunction>;
  readonly stateMachines: ReadonlyMap<string, sfn.StateMachine>;
  readonly apiFunction: lambda.IFunction;
  readonly api: apigateway.LambdaRestApi;
  /** Every alarm goes here. */
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const declared = props.taskAccess ?? taskAccess;
    const tableEnvironment = Object.fromEntries(
      (Object.entries(props.tables) as [TableKey, dynamodb.Table][]).map(([key, table]) => [
        tableEnvVar(key),
        table.tableName,
      ]),
    );
    const targets: AccessTargets = {
      ...props.arns,
      region: this.region,
      sesIdentities: sesIdentityArns(this, props.mailFrom),
    };
    const grant = (fn: lambda.Function, access: FunctionAccess) => {
      for (const statement of statementsFor(access, targets)) fn.addToRolePolicy(statement);
      acknowledgePatterns(fn, access);
    };

    const rendersLetters = new Set(['render-draft', 'render-letter']);
    // Copied as the folder `ru` beside the bundle: lambda.ts looks for ./calendar/ru, so copy its parent.
    const calendarAsset = 'calendar';

    const taskFunctions = new Map<string, lambda.Function>();
    const stateMachines = new Map<string, sfn.StateMachine>();
    for (const workflow of props.workflows) {
      const substitutions: Record<string, string> = {};
      const own: lambda.Function[] = [];
      for (const task of workflow.tasks) {
        let fn = taskFunctions.get(task.id);
        if (fn === undefined) {
          const access = declared[task.id];
          // A task without a declaration would get no rights, or someone would grant it a guess.
          if (access === undefined)
            throw new Error(`task ${task.id} has no access declaration in infra/aws/task-access.ts`);
          fn = new TaskFunction(this, stateNameOf(task.id), {
            entry: handlerFileOf(task.id),
            projectRoot: props.projectRoot,
            environment: {
              ...tableEnvironment,
              [bucketEnvVar('archive')]: props.archive.bucketName,
              // The signature check caches CRLs it fetches (configuration `crlFetch`).
              ...(access.cache !== undefined ? { [bucketEnvVar('cache')]: props.cache.bucketName } : {}),
            },
            // Every task carries the production calendar; those that render letters, the fonts too.
            assets: [
              calendarAsset,
              ...(rendersLetters.has(task.id)
                ? Object.values(fontFiles).map((file) => `node_modules/${file}`)
                : []),
              // The configuration's trust and crl folders, for judging signatures (none named: none).
              ...(checksSignatures.has(task.id) ? trustAssets(props.projectRoot) : []),
            ],
            ...(rendersLetters.has(task.id) ? { memorySize: 1024 } : {}),
            // The day's anchor reads every chain head and hashes them all: within its workflow's 4 minutes, with room for one retry of a quick failure.
            ...(task.id === 'write-anchor' ? { memorySize: 1024, timeout: Duration.minutes(3) } : {}),
          }).function;
          grant(fn, access);
          taskFunctions.set(task.id, fn);
        }
        own.push(fn);
        substitutions[placeholderOf(task.id)] = fn.functionArn;
      }
      const name = stateNameOf(workflow.name);
      const machine = new sfn.StateMachine(this, `${name}StateMachine`, {
        stateMachineType: sfn.StateMachineType.EXPRESS,
        // Inlined (not an S3 asset) so the deployed definition can be read and checked in the template.
        definitionBody: sfn.DefinitionBody.fromString(
          readFileSync(join(props.projectRoot, workflow.definitionFile), 'utf8'),
        ),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        // Express executions keep no history of their own: the log is the only record of which
        // states ran and which failed, so every event is logged. Execution data stays out: it is
        // the citizens' letters and personal data, which belong in the encrypted stores only.
        logs: {
          destination: new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_YEAR }),
          level: sfn.LogLevel.ALL,
          includeExecutionData: false,
        },
      });
      // A workflow invokes its own tasks' functions, no others.
      for (const fn of new Set(own)) {
        fn.grantInvoke(machine);
        const logicalId = this.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
        Validations.of(machine).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
          reason: `Invokes its own task function ${fn.node.scope?.node.id ?? logicalId} and that function's versions and aliases only (the ":*" qualifier), no other function.`,
        });
      }
      acknowledgeStateMachineRole(machine);
      stateMachines.set(workflow.name, machine);
    }

    const apiFunction = new TaskFunction(this, 'Api', {
      entry: 'functions/api/lambda.ts',
      projectRoot: props.projectRoot,
      environment: {
        ...tableEnvironment,
        ...Object.fromEntries(
          [...stateMachines].map(([name, m]) => [workflowArnEnvVar(name), m.stateMachineArn]),
        ),
        // Fetched CRLs are cached under crl-cache/ (configuration `crlFetch`).
        [bucketEnvVar('cache')]: props.cache.bucketName,
        [bucketEnvVar('archive')]: props.archive.bucketName,
      },
      timeout: Duration.seconds(29),
      assets: [calendarAsset, ...trustAssets(props.projectRoot)],
    }).function;
    grant(apiFunction, apiAccess);
    if (apiAccess.startsWorkflows === true)
      for (const machine of stateMachines.values()) machine.grantStartSyncExecution(apiFunction);
    this.apiFunction = apiFunction;

    for (const fn of [...taskFunctions.values(), apiFunction]) acknowledgeFunction(fn);

    this.api = this.restApi(props.users, apiFunction);
    this.schedules(props, stateMachines);

    this.taskFunctions = taskFunctions;
    this.stateMachines = stateMachines;
    this.alarmTopic = this.alarms(props.alarmEmail, [...taskFunctions.values(), apiFunction], stateMachines);
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }

  private restApi(users: cognito.IUserPool, handler: lambda.IFunction): apigateway.LambdaRestApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    this.apiAccessLogs = accessLogs;
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [users],
      resultsCacheTtl: Duration.minutes(5),
    });
    const api = new apigateway.LambdaRestApi(this, 'HttpApi', {
      handler,
      proxy: true,
      description: 'docroute API',
      cloudWatchRole: true,
      // Every route, the OpenAPI document included, needs a signed-in member of staff: the API
      // has no public audience, and its description names what an attacker would probe.
      defaultMethodOptions: {
        authorizationType: apigateway.AuthorizationType.COGNITO,
        authorizer,
        requestParameters: { 'method.request.header.Authorization': true },
      },
      deployOptions: {
        // The app's routes carry their own version (/v1/...), so the stage is not another v1.
        stageName: 'prod',
        throttlingRateLimit: 200,
        throttlingBurstLimit: 400,
        tracingEnabled: true,
        // Errors only, and never the request or response bodies: they carry letters and personal data.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: apigateway.AccessLogField.contextRequestId(),
            time: apigateway.AccessLogField.contextRequestTime(),
            user: apigateway.AccessLogField.contextAuthorizerClaims('cognito:username'),
            ip: apigateway.AccessLogField.contextIdentitySourceIp(),
            method: apigateway.AccessLogField.contextHttpMethod(),
            path: apigateway.AccessLogField.contextPath(),
            // Numbers unquoted, so that metric filters and Logs Insights compare them as numbers.
            status: Number.NaN,
            latency: Number.NaN,
            integrationLatency: Number.NaN,
            error: apigateway.AccessLogField.contextErrorMessage(),
          })
            .replace('"status":null', `"status":${apigateway.AccessLogField.contextStatus()}`)
            .replace('"latency":null', `"latency":${apigateway.AccessLogField.contextResponseLatency()}`)
            .replace(
              '"integrationLatency":null',
              `"integrationLatency":"${apigateway.AccessLogField.contextIntegrationLatency()}"`,
            ),
        ),
      },
    });
    // Presence of the token is checked at the edge; the app validates every parameter and body in full.
    const validator = api.addRequestValidator('RequireParameters', {
      requestValidatorName: 'docroute-parameters',
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    for (const child of api.node.findAll()) {
      if (child instanceof apigateway.CfnMethod) child.requestValidatorId = validator.requestValidatorId;
    }
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'Only signed-in staff reach the API (Cognito authorizer on every method), the stage is throttled and every request is access-logged; a WAF web ACL belongs to the organisation-wide edge and is attached there.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway writes its execution and access logs with; AWS maintains this policy and it grants only CloudWatch Logs writes.',
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The request validator requires the Authorization header on every method; bodies are validated in full by the application, which answers 400/422 naming the field.',
    });
    return api;
  }

  /** Access log group of the API stage (JSON lines: request id, user, status, latency). */
  apiAccessLogs!: logs.LogGroup;

  private schedules(props: StatelessStackProps, stateMachines: ReadonlyMap<string, sfn.StateMachine>): void {
    // What an interrupted registration left is settled once its lease has run out, every minute.
    const settle = stateMachines.get('settle-registrations');
    if (settle !== undefined) {
      new scheduler.Schedule(this, 'SettleRegistrationsSchedule', {
        description: 'Settles numbers left by interrupted registrations',
        schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
        target: new schedulerTargets.StepFunctionsStartExecution(settle, {
          input: scheduler.ScheduleTargetInput.fromObject({}),
        }),
      });
    }

    // The reminders every day at the office's hour in its zone; the sweep skips non-working days by
    // the production calendar (a cron cannot know a working Saturday or a holiday).
    const remind = stateMachines.get('send-reminders');
    if (remind !== undefined) {
      const [hour, minute] = props.remindersAt.split(':');
      new scheduler.Schedule(this, 'SendRemindersSchedule', {
        description: 'Sends the day\u2019s deadline and signature reminders',
        schedule: scheduler.ScheduleExpression.cron({
          minute: String(Number(minute)),
          hour: String(Number(hour)),
          timeZone: TimeZone.of(props.timeZone),
        }),
        target: new schedulerTargets.StepFunctionsStartExecution(remind, {
          input: scheduler.ScheduleTargetInput.fromObject({ at: null }),
        }),
      });
    }

    // Every history fixed once a day, after the day's work, on the office's wall clock.
    const anchor = stateMachines.get('anchor-histories');
    if (anchor !== undefined) {
      new scheduler.Schedule(this, 'AnchorHistoriesSchedule', {
        description: 'Fixes every document history under the day\u2019s anchor',
        schedule: scheduler.ScheduleExpression.cron({
          minute: String(anchorAt.minute),
          hour: String(anchorAt.hour),
          timeZone: TimeZone.of(props.timeZone),
        }),
        target: new schedulerTargets.StepFunctionsStartExecution(anchor, {
          // The schedule asks on nobody's behalf: the definition reads $.requestedBy.
          input: scheduler.ScheduleTargetInput.fromObject({ requestedBy: null }),
        }),
      });
    }
  }

  private alarms(
    email: string | undefined,
    functions: readonly lambda.Function[],
    stateMachines: ReadonlyMap<string, sfn.StateMachine>,
  ): sns.Topic {
    // CloudWatch can publish to an encrypted topic only with a customer managed key that lets it.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'docroute: the alarm topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'Alarms', {
      displayName: 'docroute alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (email !== undefined && email !== '')
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    const action = new cloudwatchActions.SnsAction(topic);

    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) => {
      const made = new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      made.addAlarmAction(action);
      return made;
    };
    const period = Duration.minutes(5);

    for (const [name, machine] of stateMachines) {
      const id = stateNameOf(name);
      alarm(
        `${id}FailedAlarm`,
        machine.metricFailed({ period, statistic: 'Sum' }),
        `${name}: executions failed`,
      );
      alarm(
        `${id}TimedOutAlarm`,
        machine.metricTimedOut({ period, statistic: 'Sum' }),
        `${name}: executions timed out`,
      );
    }
    for (const fn of functions) {
      const id = fn.node.scope?.node.id ?? fn.node.id;
      alarm(`${id}ErrorsAlarm`, fn.metricErrors({ period, statistic: 'Sum' }), `${id}: function errors`);
      alarm(
        `${id}ThrottlesAlarm`,
        fn.metricThrottles({ period, statistic: 'Sum' }),
        `${id}: function throttled`,
      );
    }
    alarm('Api5xxAlarm', this.api.metricServerError({ period, statistic: 'Sum' }), 'API: 5xx answers');
    // REST APIs publish no throttle metric: count the 429s the stage answers from its access log.
    const throttled = new logs.MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: this.apiAccessLogs,
      filterPattern: logs.FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: 'docroute',
      metricName: 'ApiThrottled',
      metricValue: '1',
      defaultValue: 0,
    });
    alarm(
      'ApiThrottledAlarm',
      throttled.metric({ period, statistic: 'Sum' }),
      'API: requests throttled (429)',
    );
    return topic;
  }
}

/** The SES identities the office's From may be sent as: the address itself, or its verified domain. */
function sesIdentityArns(stack: Stack, mailFrom: string): string[] {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const domain = address.split('@')[1];
  const arn = (identity: string) =>
    `arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/${identity}`;
  return domain === undefined ? [arn(address)] : [arn(address), arn(domain)];
}

/** Key patterns and index wildcards of a declaration: each is a prefix the declaration names on purpose. */
function acknowledgePatterns(fn: lambda.Function, access: FunctionAccess): void {
  const owner: IConstruct = fn.node.scope ?? fn;
  const patterns = new Map<string, string>();
  const bucket = (exportName: string, declared: FunctionAccess['archive']) => {
    for (const pattern of [
      ...(declared?.read ?? []),
      ...(declared?.put ?? []),
      ...(declared?.legalHold ?? []),
    ])
      patterns.set(
        `${exportName}/${pattern}`,
        `Objects under the ${pattern.replace(/\*$/, '')} prefix only, as declared for this function in infra/aws/task-access.ts; object keys are per document, so a prefix is the narrowest stable resource.`,
      );
  };
  bucket(exportedArn.archive, access.archive);
  bucket(exportedArn.cache, access.cache);
  for (const [key, table] of Object.entries(access.tables)) {
    if (table?.indexes === 'all')
      patterns.set(
        `${exportedArn.table(key as TableKey)}/index/*`,
        `Query on the indexes of the ${key} table only (no table-level rights): the API serves lookups and searches by every index, and new search indexes are added with the table.`,
      );
  }
  for (const [resource, reason] of patterns)
    Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/** What every function's role carries beyond its declaration, and why a reviewer can accept it. */
function acknowledgeFunction(fn: lambda.Function): void {
  const owner: IConstruct = fn.node.scope ?? fn;
  Validations.of(owner).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'Grants only CloudWatch Logs writes (create stream, put events); the function logs to its own log group with a one-year retention.',
  });
  Validations.of(owner).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so AWS requires Resource "*".',
  });
  if (fn.runtime.name !== lambda.Runtime.NODEJS_LATEST.name) {
    Validations.of(owner).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${fn.runtime.name} is a supported Lambda runtime matching the Node versions the project is tested on; moving to ${lambda.Runtime.NODEJS_LATEST.name} is planned with the bundle change.`,
    });
  }
}

function acknowledgeStateMachineRole(machine: sfn.StateMachine): void {
  Validations.of(machine).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Logging to CloudWatch Logs (logs:CreateLogDelivery and its kin) and X-Ray tracing have no resource-level permissions; AWS requires Resource "*" for them.',
  });
}
