import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { fontFiles } from '../../functions/adapters/pdf/fonts.ts';
import { workflowArnEnvVar } from '../../functions/adapters/sfn/workflow-runner.ts';
import {
  handlerFileOf,
  placeholderOf,
  stateNameOf,
  type WorkflowRegistration,
} from '../../workflows/registry.ts';
import { bucketEnvVar, type TableKey, tableEnvVar } from '../resources.ts';
import { TaskFunction } from './constructs/task-function.ts';

export interface StatelessStackProps extends StackProps {
  readonly projectRoot: string;
  readonly workflows: readonly WorkflowRegistration[];
  readonly tables: Readonly<Record<TableKey, dynamodb.Table>>;
  readonly archive: s3.Bucket;
  readonly cache: s3.Bucket;
  readonly tokenSecret: secretsmanager.Secret;
  /** The office's time zone: the reminders' schedule runs on its wall clock. */
  readonly timeZone: string;
  /** When the reminders go out each day (`09:00`). */
  readonly remindersAt: string;
}

/** What can be replaced at any deployment: a function per task, the Express state machines, the API. */
export class StatelessStack extends Stack {
  /** Task functions by function id (`assign-number`). */
  readonly taskFunctions: ReadonlyMap<string, lambda.IFunction>;
  readonly stateMachines: ReadonlyMap<string, sfn.StateMachine>;
  readonly api: apigateway.LambdaRestApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const tableEnvironment = Object.fromEntries(
      (Object.entries(props.tables) as [TableKey, dynamodb.Table][]).map(([key, table]) => [
        tableEnvVar(key),
        table.tableName,
      ]),
    );
    const grantTables = (fn: lambda.IFunction) => {
      for (const table of Object.values(props.tables)) table.grantReadWriteData(fn);
    };

    // Drafts are read and written by the tasks that make and finalize replies; the archive is
    // written once (Object Lock) and never deleted by anyone.
    const archiveAccess: Readonly<Record<string, { read: string[]; write: string[] }>> = {
      'render-draft': { read: ['drafts/*'], write: ['drafts/*'] },
      'check-signature': { read: ['drafts/*'], write: [] },
      'render-letter': { read: ['archive/*'], write: ['archive/*'] },
      'archive-letter': { read: ['drafts/*', 'archive/*'], write: ['archive/*'] },
      // A reply is sent with its archived copy, original, signature and certificate; settling may send it.
      'dispatch-reply': { read: ['archive/*'], write: [] },
      'settle-journal': { read: ['archive/*'], write: [] },
    };
    const grantArchive = (taskId: string, fn: lambda.IFunction) => {
      const access = archiveAccess[taskId];
      for (const prefix of access?.read ?? []) props.archive.grantRead(fn, prefix);
      for (const prefix of access?.write ?? []) props.archive.grantPut(fn, prefix);
    };

    const rendersLetters = new Set(['render-draft', 'render-letter']);
    // Copied as the folder `ru` beside the bundle: lambda.ts looks for ./calendar/ru, so copy its parent.
    const calendarAsset = 'calendar';

    const taskFunctions = new Map<string, lambda.IFunction>();
    const stateMachines = new Map<string, sfn.StateMachine>();
    for (const workflow of props.workflows) {
      const substitutions: Record<string, string> = {};
      for (const task of workflow.tasks) {
        let fn = taskFunctions.get(task.id);
        if (fn === undefined) {
          fn = new TaskFunction(this, stateNameOf(task.id), {
            entry: handlerFileOf(task.id),
            projectRoot: props.projectRoot,
            environment: {
              ...tableEnvironment,
              [bucketEnvVar('archive')]: props.archive.bucketName,
              // The signature check caches CRLs it fetches (configuration `crlFetch`).
              ...(task.id === 'check-signature' ? { [bucketEnvVar('cache')]: props.cache.bucketName } : {}),
            },
            // Every task carries the production calendar; those that render letters, the fonts too.
            assets: [
              calendarAsset,
              ...(rendersLetters.has(task.id)
                ? Object.values(fontFiles).map((file) => `node_modules/${file}`)
                : []),
            ],
            ...(rendersLetters.has(task.id) ? { memorySize: 1024 } : {}),
          }).function;
          grantTables(fn);
          grantArchive(task.id, fn);
          if (task.id === 'check-signature') {
            props.cache.grantRead(fn, 'crl-cache/*');
            props.cache.grantPut(fn, 'crl-cache/*');
          }
          taskFunctions.set(task.id, fn);
        }
        substitutions[placeholderOf(task.id)] = fn.functionArn;
      }
      const machine = new sfn.StateMachine(this, `${stateNameOf(workflow.name)}StateMachine`, {
        stateMachineType: sfn.StateMachineType.EXPRESS,
        // Inlined (not an S3 asset) so the deployed definition can be read and checked in the template.
        definitionBody: sfn.DefinitionBody.fromString(
          readFileSync(join(props.projectRoot, workflow.definitionFile), 'utf8'),
        ),
        definitionSubstitutions: substitutions,
        tracingEnabled: true,
        logs: {
          destination: new logs.LogGroup(this, `${stateNameOf(workflow.name)}Logs`, {
            retention: logs.RetentionDays.ONE_YEAR,
          }),
          level: sfn.LogLevel.ERROR,
          includeExecutionData: false,
        },
      });
      for (const fn of taskFunctions.values()) fn.grantInvoke(machine);
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
        DOCROUTE_TOKEN_SECRET_ARN: props.tokenSecret.secretArn,
        // Fetched CRLs are cached under crl-cache/ (configuration `crlFetch`).
        [bucketEnvVar('cache')]: props.cache.bucketName,
        [bucketEnvVar('archive')]: props.archive.bucketName,
      },
      timeout: Duration.seconds(29),
      assets: [calendarAsset],
    }).function;
    grantTables(apiFunction);
    props.cache.grantRead(apiFunction, 'crl-cache/*');
    props.cache.grantPut(apiFunction, 'crl-cache/*');
    props.tokenSecret.grantRead(apiFunction);
    props.archive.grantRead(apiFunction, 'drafts/*');
    props.archive.grantRead(apiFunction, 'archive/*');
    for (const machine of stateMachines.values()) machine.grantStartSyncExecution(apiFunction);

    this.api = new apigateway.LambdaRestApi(this, 'HttpApi', {
      handler: apiFunction,
      proxy: true,
      description: 'docroute API',
      // The app's routes carry their own version (/v1/...), so the stage is not another v1.
      deployOptions: { stageName: 'prod', throttlingRateLimit: 200, throttlingBurstLimit: 400 },
    });

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
    // Reminders and replies go out through SES; settling may dispatch a reply its finalization left.
    for (const id of ['send-reminder', 'dispatch-reply', 'settle-journal'])
      taskFunctions.get(id)?.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [`arn:${this.partition}:ses:${this.region}:${this.account}:identity/*`],
        }),
      );

    this.taskFunctions = taskFunctions;
    this.stateMachines = stateMachines;
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
  }
}
