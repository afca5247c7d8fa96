import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the data directory keeps the secret. */
export const tokenSecretPath = (dataDir: string) => join(dataDir, 'token-secret');

/** The secret a service made in `dataDir`, or null when it never made one there. */
export async function existingTokenSecret(dataDir: string): Promise<string | null> {
  try {
    const secret = (await readFile(tokenSecretPath(dataDir), 'utf8')).trim();
    return secret === '' ? null : secret;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** The secret that signs API tokens: made on first start, then read from the data directory. */
export async function localTokenSecret(dataDir: string): Promise<string> {
  const path = tokenSecretPath(dataDir);
  const existing = await existingTokenSecret(dataDir);
  if (existing !== null) return existing;
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Two processes made one at once: the first file written wins.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(path, 'utf8')).trim();
    throw error;
  }
}
