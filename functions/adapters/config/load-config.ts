import { readFile } from 'node:fs/promises';
import { type Config, parseConfig } from '../../domain/config.ts';
import { ValidationError } from '../../domain/errors.ts';

/** A configuration file that cannot be used, with every problem named by file and field. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

export async function loadConfig(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(
      `${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${path}: is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseConfig(raw);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const lines = error.problems.map((p) => `  ${p.field}: ${p.problem}`);
    throw new ConfigFileError(`${path}: invalid configuration\n${lines.join('\n')}`);
  }
}
