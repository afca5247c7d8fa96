import { parseArgs } from 'node:util';
import { instantProblem } from '../../functions/domain/calendar-date.ts';
import { planReminders } from '../../functions/handlers/plan-reminders.ts';
import type { SendReminderOutput } from '../../functions/handlers/send-reminder.ts';
import { withDataDirStack } from '../data-dir-stack.ts';
import { type Command, UsageError } from '../io.ts';

/**
 * `docroute reminders run [--at ISO-TIME] [--dry-run]`: one sweep of send-reminders by hand, on the
 * service's data directory (DOCROUTE_DATA_DIR), while the service is stopped: the same workflow the
 * schedule runs. --dry-run prints what would be sent and sends nothing.
 */
export const reminders: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { at: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'run')
    throw new UsageError('usage: docroute reminders run [--at ISO-TIME] [--dry-run]');
  if (values.at !== undefined && instantProblem(values.at) !== null)
    throw new UsageError(`--at: ${instantProblem(values.at)}`);
  return withDataDirStack(io, 'it sends the reminders on its own schedule', async (stack, { settings }) => {
    {
      const at = values.at ?? null;
      if (values['dry-run']) {
        const plan = await planReminders.run({ at }, stack.deps);
        io.out(
          `${plan.today}: ${plan.reminders.length} reminders to send${plan.more ? ' (and more in the next round)' : ''}`,
        );
        for (const r of plan.reminders)
          io.out(`  ${r.threshold.padEnd(20)} ${r.email ?? `(no e-mail for ${r.recipient})`}  ${r.subject}`);
        return 0;
      }
      const outcome = await stack.runner.run('send-reminders', { at });
      if (outcome.status === 'failed') {
        io.err(`send-reminders failed: ${outcome.error}: ${outcome.cause}`);
        return 1;
      }
      const { today, sent } = outcome.output as { today: string; sent: SendReminderOutput[] };
      const done = sent.filter((s) => s.sent);
      io.out(
        `${today}: ${done.length} reminders sent, ${sent.length - done.length} already sent by another sweep`,
      );
      for (const s of done) io.out(`  ${s.status ?? ''}  ${s.key}`);
      io.out(`the .eml files are in ${settings.dataDir}/outbox`);
      return done.some((s) => s.status === 'failed') ? 1 : 0;
    }
  });
};
