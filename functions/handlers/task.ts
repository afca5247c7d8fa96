import type { Config } from '../domain/config.ts';
import type { ClaimStore } from '../ports/claim-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import type { JournalStore } from '../ports/journal-store.ts';

/** What a workflow task may use. Lambda builds it from the environment; the local stack hands it in. */
export interface TaskDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly documents: DocumentStore;
  readonly journals: JournalStore;
  readonly events: EventLog;
  readonly claims: ClaimStore;
  /** How long a registration holds its number before settling may take over (twice its time limit). */
  readonly registrationLeaseMs: number;
}

/** One workflow task: its function id (`assign-number`) and what it does with its state input. */
export interface Task<I = never, O = unknown> {
  readonly id: string;
  run(input: I, deps: TaskDeps): Promise<O>;
}

export function defineTask<I, O>(id: string, run: (input: I, deps: TaskDeps) => Promise<O>): Task<I, O> {
  return { id, run };
}
