import type { CliIo } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';

export interface CliRun {
  readonly code: number;
  /** What the command printed, each line ended by a newline, as a terminal would show it. */
  readonly out: string;
  readonly err: string;
}

/** Runs `docroute <argv>` in `cwd` with only `env`, capturing what a user would see. */
export async function runDocroute(
  argv: readonly string[],
  cwd: string,
  env: CliIo['env'] = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => {
      out += `${text}\n`;
    },
    err: (text) => {
      err += `${text}\n`;
    },
    env,
    cwd,
  };
  const code = await main([...argv], io);
  return { code, out, err };
}
