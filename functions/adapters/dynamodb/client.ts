import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Set for the embedded store; left out in AWS, where the SDK finds the regional endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
}

/** Counts the DynamoDB calls a client makes, so a benchmark can report calls per registration. */
export interface CallCounter {
  calls: number;
}

export function createDocumentClient(connection: DynamoConnection, counter?: CallCounter): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = { region: connection.region ?? process.env['AWS_REGION'] ?? 'us-east-1' };
  if (connection.endpoint !== undefined) {
    config.endpoint = connection.endpoint;
    // The embedded store accepts any credentials; fixed ones keep the SDK from searching the machine for some.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
  if (counter !== undefined) {
    client.middlewareStack.add(
      (next) => (args) => {
        counter.calls++;
        return next(args);
      },
      { step: 'initialize', name: 'docrouteCallCounter' },
    );
  }
  return client;
}

/** True for the error DynamoDB returns when a condition expression does not hold. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
