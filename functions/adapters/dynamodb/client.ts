import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export interface DynamoConnection {
  /** Set for the embedded store; left out in AWS, where the SDK finds the regional endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
  /**
   * The endpoint is a service of its own (Amazon's DynamoDB Local, an AWS regional endpoint), not the
   * embedded store: requests are signed, with these credentials or, left out, the SDK's usual chain.
   */
  readonly external?: { readonly credentials?: { accessKeyId: string; secretAccessKey: string } };
}

/** The shape of a SigV4 header, which the embedded store insists on, without the cost of signing. */
const unsignedAuthorization =
  'AWS4-HMAC-SHA256 Credential=local/20250101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=unsigned';

/** Counts the DynamoDB calls a client makes, so a benchmark can report calls per registration. */
export interface CallCounter {
  calls: number;
}

export function createDocumentClient(
  connection: DynamoConnection,
  counter?: CallCounter,
): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {
    region: connection.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
  };
  if (connection.external !== undefined) {
    // Left to the SDK when not given: the region (a profile's), and the credentials (its chain).
    if (connection.region === undefined) delete config.region;
    if (connection.endpoint !== undefined) config.endpoint = connection.endpoint;
    if (connection.external.credentials !== undefined) config.credentials = connection.external.credentials;
  } else if (connection.endpoint !== undefined) {
    config.endpoint = connection.endpoint;
    // The embedded store checks neither credentials nor signatures: fixed credentials keep the SDK from
    // searching the machine for some, and skipping SigV4 saves a good part of each call's CPU.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    config.signer = {
      sign: async (request) => {
        request.headers['authorization'] = unsignedAuthorization;
        request.headers['x-amz-date'] = '20250101T000000Z';
        return request;
      },
    };
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

/** Every item a query matches, following the pages (up to `maxItems`). */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  maxItems = Number.POSITIVE_INFINITY,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined && items.length < maxItems);
  return items;
}
