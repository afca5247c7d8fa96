/**
 * What `verify` and `cert` trust: the configuration's `trust` and `crl` folders (relative to the
 * configuration file) together with `--trust`, `--intermediate` and `--crl` (files or folders,
 * repeatable, relative to the working directory). An unreadable trust or CRL file is exit 2.
 * `--fetch-crl` (or `crlFetch: true` in the configuration) fetches a CRL missing from them from the
 * distribution point the certificate names (http and https, once per run: the command keeps no cache).
 */
import { dirname, resolve } from 'node:path';
import { ConfigFileError, loadConfig } from '../../functions/adapters/config/load-config.ts';
import { httpCrlSource } from '../../functions/adapters/http/http-crl-source.ts';
import { loadTrustList, TrustFileError } from '../../functions/adapters/trust/load-trust-list.ts';
import type { FetchCrl } from '../../functions/domain/signatures/crl-fetch.ts';
import type { TrustList } from '../../functions/domain/signatures/trust-list.ts';
import { settingsFrom } from '../../infra/local/settings.ts';
import { type CliIo, UsageError } from '../io.ts';

/** The parseArgs options both commands take. */
export const trustOptions = {
  config: { type: 'string' },
  trust: { type: 'string', multiple: true },
  intermediate: { type: 'string', multiple: true },
  crl: { type: 'string', multiple: true },
  'fetch-crl': { type: 'boolean' },
} as const;

export interface TrustArguments {
  readonly config?: string | undefined;
  readonly trust?: readonly string[] | undefined;
  readonly intermediate?: readonly string[] | undefined;
  readonly crl?: readonly string[] | undefined;
  readonly 'fetch-crl'?: boolean | undefined;
}

export interface VerificationSettings {
  readonly timeZone: string;
  readonly trustList: TrustList;
  /** Set when CRLs are to be fetched from distribution points (--fetch-crl or `crlFetch`). */
  readonly fetchCrl: FetchCrl | null;
}

/** The time zone and trust list, from --config (else DOCROUTE_CONFIG, else the project's file) and the flags. */
export async function verificationSettings(io: CliIo, args: TrustArguments): Promise<VerificationSettings> {
  const configPath =
    args.config === undefined ? settingsFrom(io.env, io.cwd).configPath : resolve(io.cwd, args.config);
  try {
    const config = await loadConfig(configPath);
    const fromConfig = (path: string | undefined) =>
      path === undefined ? [] : [resolve(dirname(configPath), path)];
    const fromFlags = (paths: readonly string[] | undefined) =>
      (paths ?? []).map((path) => resolve(io.cwd, path));
    const trustList = await loadTrustList(
      {
        trust: [...fromConfig(config.trust), ...fromFlags(args.trust)],
        intermediates: fromFlags(args.intermediate),
        crl: [...fromConfig(config.crl), ...fromFlags(args.crl)],
      },
      io.cwd,
    );
    const fetching = args['fetch-crl'] === true || config.crlFetch === true;
    return { timeZone: config.timeZone, trustList, fetchCrl: fetching ? crlFetcher() : null };
  } catch (error) {
    if (error instanceof ConfigFileError || error instanceof TrustFileError)
      throw new UsageError(error.message);
    throw error;
  }
}

/** The HTTP fetcher, remembering each URL's answer for the rest of the run. */
function crlFetcher(): FetchCrl {
  const source = httpCrlSource();
  const answers = new Map<string, ReturnType<FetchCrl>>();
  return (url) => {
    let answer = answers.get(url);
    if (answer === undefined) {
      answer = source.fetchCrl(url);
      answers.set(url, answer);
    }
    return answer;
  };
}
