import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { roles } from '../../functions/api/auth.ts';
import { type TableKey, tables } from '../resources.ts';

/**
 * The ARNs the other stack's policies name, exported under fixed names: a policy then reads
 * `docroute-archive-arn/archive/*`, the same in the template, in cdk-nag's findings and in review.
 */
export const exportedArn = {
  table: (key: TableKey) => `docroute-table-${key}-arn`,
  archive: 'docroute-archive-arn',
  cache: 'docroute-cache-arn',
  dataKey: 'docroute-data-key-arn',
} as const;

/** What a policy in another stack may name: the exported ARNs, as import values. */
export interface ImportedArns {
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly archive: string;
  readonly cache: string;
  readonly dataKey: string;
}

export function importedArns(): ImportedArns {
  return {
    tables: Object.fromEntries(
      (Object.keys(tables) as TableKey[]).map((key) => [key, Fn.importValue(exportedArn.table(key))]),
    ) as Record<TableKey, string>,
    archive: Fn.importValue(exportedArn.archive),
    cache: Fn.importValue(exportedArn.cache),
    dataKey: Fn.importValue(exportedArn.dataKey),
  };
}

export interface StatefulStackProps extends StackProps {
  /**
   * How long archived originals stay locked (S3 Object Lock, compliance mode).
   * @default 5 years: correspondence and registration journals under the 2019 list of typical archival documents
   */
  readonly archiveRetention?: Duration;
}

/**
 * What must outlive any deployment: the tables, the write-once archive, the CRL cache, the access
 * logs of both buckets and the key that encrypts them. Every store is retained on teardown: the
 * tables hold the registration journals and histories, the archive holds signed originals under a
 * compliance lock that nobody can shorten, and the access logs are the evidence of who read them.
 */
export class StatefulStack extends Stack {
  readonly tables: Readonly<Record<TableKey, dynamodb.Table>>;
  readonly archive: s3.Bucket;
  readonly cache: s3.Bucket;
  /** Server access logs of the archive and the cache. */
  readonly accessLogs: s3.Bucket;
  /** Encrypts the tables, the archive and the cache (customer managed, rotated yearly). */
  readonly dataKey: kms.Key;
  /** The office's staff: one group per role (clerk, signer, auditor, admin). */
  readonly users: cognito.UserPool;
  /** The client the staff's tools sign in with (SRP, or user and password from the CLI). */
  readonly usersClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const retention = props.archiveRetention ?? Duration.days(5 * 365);
    const attribute = (key: { name: string; type: 'S' | 'N' }) => ({
      name: key.name,
      type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
    });

    // One key for the office's records: its key policy leaves use to IAM, and each function's
    // policy names it only through DynamoDB and S3 (kms:ViaService). Retained: without it nothing
    // encrypted with it could ever be read again.
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'docroute: tables, archive and CRL cache',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const made = {} as Record<TableKey, dynamodb.Table>;
    for (const [key, definition] of Object.entries(tables) as [TableKey, (typeof tables)[TableKey]][]) {
      const table = new dynamodb.Table(this, definition.id, {
        partitionKey: attribute(definition.partitionKey),
        ...('sortKey' in definition ? { sortKey: attribute(definition.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.dataKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        // Journals and histories are records of the office: a stack teardown must not take them.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const index of definition.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          ...('sortKey' in index ? { sortKey: attribute(index.sortKey) } : {}),
        });
      }
      made[key] = table;
    }
    this.tables = made;

    // S3 delivers server access logs only to a bucket encrypted with S3-managed keys, so this one
    // cannot use the data key. The logs are kept as long as what they record.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: Duration.days(30) }],
      // Evidence of every read of the archive: retained with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the archive and the cache; logging it into itself would log each log delivery, without end.',
    });

    // aws-cdk-lib's Bucket declares isWebsite looser than its own IBucket under exactOptionalPropertyTypes.
    const logTarget = this.accessLogs as unknown as s3.IBucket;
    this.archive = new s3.Bucket(this, 'Archive', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(retention),
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: logTarget,
      serverAccessLogsPrefix: 'archive/',
      // Signed originals under a compliance lock: CloudFormation could not delete them anyway, and
      // the bucket must stay so that they can be read for as long as they are kept.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Fetched CRLs, kept while current: nothing here is evidence, so no lock, and old ones expire.
    this.cache = new s3.Bucket(this, 'Cache', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: logTarget,
      serverAccessLogsPrefix: 'cache/',
      lifecycleRules: [{ expiration: Duration.days(30) }],
      // Retained like the rest so that a teardown never fails on a non-empty bucket; it refills itself.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The staff's accounts are records too (who signed what is named by them): kept here, not in
    // the replaceable stack, and never deleted with it. Only an admin creates users.
    this.users = new cognito.UserPool(this, 'Users', {
      userPoolName: 'docroute',
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Staff sign letters and change records: a second factor (an authenticator app) always.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      // An admin resets passwords; there is no self-service recovery to attack.
      accountRecovery: cognito.AccountRecovery.NONE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    roles.forEach((role, precedence) => {
      new cognito.CfnUserPoolGroup(this, `Group${role[0]?.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.users.userPoolId,
        groupName: role,
        description: `docroute role ${role}: a member acts as ${role}; a user must be in exactly one docroute group`,
        precedence,
      });
    });
    this.usersClient = this.users.addClient('StaffClient', {
      authFlows: { userSrp: true, userPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    for (const [key, table] of Object.entries(this.tables) as [TableKey, dynamodb.Table][])
      new CfnOutput(this, `${tables[key].id}Arn`, {
        value: table.tableArn,
        exportName: exportedArn.table(key),
      });
    new CfnOutput(this, 'ArchiveArn', { value: this.archive.bucketArn, exportName: exportedArn.archive });
    new CfnOutput(this, 'CacheArn', { value: this.cache.bucketArn, exportName: exportedArn.cache });
    new CfnOutput(this, 'DataKeyArn', { value: this.dataKey.keyArn, exportName: exportedArn.dataKey });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.usersClient.userPoolClientId });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucketName });
    new CfnOutput(this, 'AccessLogsBucketName', { value: this.accessLogs.bucketName });
  }
}
