import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * OpenSSL as the independent oracle: the system's `openssl`, with Debian's GOST engine
 * (libengine-gost-openssl) when it is installed. Tests that use it say so when it is absent.
 */
export interface OpenSsl {
  /** Runs openssl and gives its output; throws with its stderr when it fails. */
  run(args: readonly string[]): Buffer;
  /** Whether GOST algorithms are available (the engine loaded through OPENSSL_CONF). */
  readonly gost: boolean;
}

/** The GOST engine's path when `openssl` and the engine are installed, else null. */
export function findGostEngine(): string | null {
  try {
    const out = execFileSync('openssl', ['version', '-e'], { encoding: 'utf8' });
    const folder = /ENGINESDIR: "([^"]+)"/.exec(out)?.[1];
    const engine = folder === undefined ? null : join(folder, 'gost.so');
    return engine !== null && existsSync(engine) ? engine : null;
  } catch {
    return null;
  }
}

/** OpenSSL, or null when there is no `openssl` on PATH. `work` is a folder for its configuration. */
export function openSsl(work: string): OpenSsl | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
  } catch {
    return null;
  }
  const engine = findGostEngine();
  const config = join(work, 'gost-engine.cnf');
  if (engine !== null) {
    writeFileSync(
      config,
      `openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n[engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\ndynamic_path = ${engine}\ndefault_algorithms = ALL\n`,
    );
  }
  // Only through OPENSSL_CONF, never with -config as well: the engine would load twice and fail.
  const env = engine === null ? process.env : { ...process.env, OPENSSL_CONF: config };
  return {
    gost: engine !== null,
    run: (args) => {
      try {
        return execFileSync('openssl', args, { env, stdio: 'pipe' });
      } catch (error) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
        throw new Error(`openssl ${args.join(' ')} failed: ${stderr.trim()}`);
      }
    },
  };
}
