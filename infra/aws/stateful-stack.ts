import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type TableKey, tables } from '../resources.ts';

export interface StatefulStackProps extends StackProps {
  /**
   * How long archived originals stay locked (S3 Object Lock, compliance mode).
   * @default 5 years: correspondence and registration journals under the 2019 list of typical archival documents
   */
  readonly archiveRetention?: Duration;
}

/** What must outlive any deployment: the tables, the write-once archive and the token secret. */
export class StatefulStack extends Stack {
  readonly tables: Readonly<Record<TableKey, dynamodb.Table>>;
  readonly archive: s3.Bucket;
  readonly cache: s3.Bucket;
  readonly tokenSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    const attribute = (key: { name: string; type: 'S' | 'N' }) => ({
      name: key.name,
      type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
    });

    const made = {} as Record<TableKey, dynamodb.Table>;
    for (const [key, definition] of Object.entries(tables) as [TableKey, (typeof tables)[TableKey]][]) {
      const table = new dynamodb.Table(this, definition.id, {
        partitionKey: attribute(definition.partitionKey),
        ...('sortKey' in definition ? { sortKey: attribute(definition.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
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

    this.archive = new s3.Bucket(this, 'Archive', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        props.archiveRetention ?? Duration.days(5 * 365),
      ),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Fetched CRLs, kept while current: nothing here is evidence, so no lock, and old ones expire.
    this.cache = new s3.Bucket(this, 'Cache', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.tokenSecret = new secretsmanager.Secret(this, 'TokenSecret', {
      description: 'Signs and verifies docroute API tokens (HS256)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucketName });
  }
}
