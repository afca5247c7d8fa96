import { type CliIo, type Command, processIo, UsageError } from './io.ts';

/** Each command loads only when called, so `docroute token` does not pull in the CDK or the stores. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'run the whole service on embedded stores',
    load: async () => (await import('./commands/serve.ts')).serve,
  },
  verify: {
    summary:
      'check a detached signature: verify --sig FILE [--data FILE] [--cert FILE] [--at TIME] [--trust FILE|DIR]... [--intermediate FILE|DIR]... [--crl FILE|DIR]... [--fetch-crl] [--config FILE] [--json]',
    load: async () => (await import('./commands/verify.ts')).verify,
  },
  cert: {
    summary:
      'read a certificate: cert FILE [--at TIME] [--trust ...] [--intermediate ...] [--crl ...] [--fetch-crl] [--config FILE] [--json]',
    load: async () => (await import('./commands/cert.ts')).cert,
  },
  token: {
    summary: 'print an API token: token --role clerk|signer|auditor|admin',
    load: async () => (await import('./commands/token.ts')).token,
  },
  sign: {
    summary: 'make a detached CMS signature: sign --key FILE --cert FILE --in FILE --out FILE [--at TIME]',
    load: async () => (await import('./commands/sign.ts')).sign,
  },
  keygen: {
    summary:
      'make a private key: keygen --alg gost2012-256|gost2012-512|rsa|ecdsa-p256|ecdsa-p384 [--paramset NAME] --out FILE',
    load: async () => (await import('./commands/keygen.ts')).keygen,
  },
  issue: {
    summary:
      'issue a certificate: issue --key FILE --name CN=... [--name SN=...]... --serial HEX --not-before T --not-after T [--key-not-after T] [--ca] (--self-signed | --ca-key FILE --ca-cert FILE) --out FILE',
    load: async () => (await import('./commands/issue.ts')).issue,
  },
  history: {
    summary: "a document's history and whether it was altered: history <id|regNumber> [--verify] [--json]",
    load: async () => (await import('./commands/history.ts')).history,
  },
  reminders: {
    summary: 'one sweep of the reminders on the data directory: reminders run [--at ISO-TIME] [--dry-run]',
    load: async () => (await import('./commands/reminders.ts')).reminders,
  },
  calendar: {
    summary: 'the production calendar of a year: calendar <year> [--json] [--folder DIR]',
    load: async () => (await import('./commands/calendar.ts')).calendar,
  },
  journal: {
    summary:
      'export a registration journal: journal export <journal> <year> [--format csv|xlsx] [--out FILE]',
    load: async () => (await import('./commands/journal.ts')).journal,
  },
  crl: {
    summary:
      'issue a CRL: crl --ca-key FILE --ca-cert FILE [--revoke SERIAL@TIME]... [--next-update T] --out FILE',
    load: async () => (await import('./commands/crl.ts')).crl,
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: docroute <command> [options]\n\ncommands:\n${lines.join('\n')}`;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.err(`docroute: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(`docroute ${name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
