import { dirname } from 'node:path';
import { loadConfig } from '../../functions/adapters/config/load-config.ts';
import type { ServiceSettings } from './settings.ts';
import { type LocalStack, startLocalStack } from './stack.ts';

/** Starts the whole service on embedded stores and keeps it up until SIGINT or SIGTERM. */
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
  });
  print(`docroute is running on embedded stores (data in ${settings.dataDir})`);
  print(`  API       ${stack.apiUrl}/v1   (OpenAPI: ${stack.apiUrl}/v1/openapi.json)`);
  print(`  DynamoDB  ${stack.dynamoEndpoint}   tables: ${Object.values(stack.tableNames).join(', ')}`);
  print(
    `  S3        ${stack.s3Endpoint}   buckets: ${Object.values(stack.bucketNames).join(', ')} (access key and secret: S3RVER)`,
  );
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
