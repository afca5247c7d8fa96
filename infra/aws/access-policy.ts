import * as iam from 'aws-cdk-lib/aws-iam';
import type { BucketAccess, DeclaredTable, FunctionAccess } from './task-access.ts';

/** ARNs (or tokens of them) that the statements name. */
export interface AccessTargets {
  readonly tables: Readonly<Partial<Record<DeclaredTable, string>>>;
  readonly archive: string;
  readonly cache: string;
  /** The key the tables and buckets are encrypted with. */
  readonly dataKey: string;
  /** The region DynamoDB and S3 use the key from (kms:ViaService). */
  readonly region: string;
  /** SES identity ARNs the senders may send as. */
  readonly sesIdentities: readonly string[];
}

const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/**
 * The statements of one function's policy, from its declaration: explicit actions only, each on
 * the tables, indexes and key patterns it names. A declared table that is not deployed (yet) is
 * left out rather than granted on a guess.
 */
export function statementsFor(access: FunctionAccess, targets: AccessTargets): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  let readsData = false;
  let writesData = false;

  for (const [key, tableAccess] of Object.entries(access.tables) as [
    DeclaredTable,
    NonNullable<FunctionAccess['tables'][DeclaredTable]>,
  ][]) {
    const tableArn = targets.tables[key];
    if (tableArn === undefined) continue;
    if (tableAccess.actions.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`Table${key}`),
          actions: tableAccess.actions.map((a) => `dynamodb:${a}`),
          resources: [tableArn],
        }),
      );
    }
    const indexes = tableAccess.indexes ?? [];
    if (indexes.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`Indexes${key}`),
          actions: ['dynamodb:Query'],
          resources:
            indexes === 'all' ? [`${tableArn}/index/*`] : indexes.map((name) => `${tableArn}/index/${name}`),
        }),
      );
    }
    readsData = true;
    if (tableAccess.actions.some((a) => writes.has(a))) writesData = true;
  }

  const bucketStatements = (name: string, bucketArn: string, declared: BucketAccess | undefined) => {
    if (declared === undefined) return;
    const objects = (patterns: readonly string[] | undefined) =>
      (patterns ?? []).map((pattern) => `${bucketArn}/${pattern}`);
    if (declared.read?.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`Read${name}`),
          actions: ['s3:GetObject'],
          resources: objects(declared.read),
        }),
      );
      readsData = true;
    }
    if (declared.put?.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`Put${name}`),
          actions: ['s3:PutObject'],
          resources: objects(declared.put),
        }),
      );
      writesData = true;
    }
    if (declared.list?.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`List${name}`),
          actions: ['s3:ListBucket'],
          resources: [bucketArn],
          conditions: { StringLike: { 's3:prefix': declared.list.map((p) => `${p}*`) } },
        }),
      );
    }
    if (declared.legalHold?.length) {
      statements.push(
        new iam.PolicyStatement({
          sid: sidOf(`LegalHold${name}`),
          actions: ['s3:GetObjectLegalHold', 's3:PutObjectLegalHold'],
          resources: objects(declared.legalHold),
        }),
      );
    }
  };
  bucketStatements('Archive', targets.archive, access.archive);
  bucketStatements('Cache', targets.cache, access.cache);

  if (readsData || writesData) {
    const { region } = targets;
    statements.push(
      new iam.PolicyStatement({
        sid: 'DataKey',
        actions: [
          'kms:Decrypt',
          'kms:DescribeKey',
          ...(writesData ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
        ],
        resources: [targets.dataKey],
        // Only as DynamoDB and S3 use it on the function's behalf, never directly.
        conditions: {
          StringEquals: {
            'kms:ViaService': [`dynamodb.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`],
          },
        },
      }),
    );
  }

  if (access.ses === true && targets.sesIdentities.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'SendAsOffice',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [...targets.sesIdentities],
      }),
    );
  }
  return statements;
}

const sidOf = (text: string) => text.replace(/[^A-Za-z0-9]/g, '');
