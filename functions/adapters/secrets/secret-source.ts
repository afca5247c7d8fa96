import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../../ports/secret-source.ts';

/** Reads the token-signing secret once per container, and again only after a failed read. */
export function secretsManagerSource(client: SecretsManagerClient, secretId: string): SecretSource {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
      (result) => {
        if (!result.SecretString) throw new Error(`secret ${secretId} has no string value`);
        return result.SecretString;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
