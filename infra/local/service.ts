import { dirname } from 'node:path';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import type { ServiceSettings } from './settings.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

/** Starts the whole service (on embedded or external stores) and keeps it up until SIGINT or SIGTERM. */
export async function runLocalService(
  settings: ServiceSettings,
  print: (line: string) => void,
): Promise<LocalStack> {
  const config = await loadConfig(settings.configPath);
  const stack = await startLocalStack({
    dataDir: settings.dataDir,
    config,
    configDir: dirname(settings.configPath),
    port: settings.port,
    ...(settings.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: settings.timeLimitSeconds }),
    ...(settings.smtpUrl === undefined ? {} : { smtpUrl: settings.smtpUrl }),
    stores: settings.stores,
  });
  const { dynamodb, s3 } = stack.external;
  const stores =
    dynamodb && s3
      ? 'external stores'
      : dynamodb
        ? 'an external DynamoDB and the embedded S3'
        : s3
          ? 'the embedded DynamoDB and an external S3'
          : 'embedded stores';
  print(`docroute is running on ${stores} (data in ${settings.dataDir})`);
  print(`  API       ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/v1/openapi.json)`);
  print(
    `  DynamoDB  ${stack.dynamoEndpoint}${dynamodb ? ' (external, DOCROUTE_DYNAMODB_ENDPOINT)' : ''}   tables: ${Object.values(stack.tableNames).join(', ')}`,
  );
  print(
    s3
      ? `  S3        ${stack.s3Endpoint} (external, DOCROUTE_S3_ENDPOINT)   buckets: ${Object.values(stack.bucketNames).join(', ')}`
      : `  S3        ${stack.s3Endpoint}   buckets: ${Object.values(stack.bucketNames).join(', ')} (access key and secret: S3RVER)`,
  );
  if (stack.archiveProtection !== undefined) print(`  archive   ${stack.archiveProtection.description}`);
  print(
    `  outbox    ${settings.dataDir}/outbox (every e-mail as an .eml file)${settings.smtpUrl ? ', and SMTP' : ''}`,
  );
  print('  a token:  npx docroute token --role clerk');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`${signal}: stopping`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return stack;
}
