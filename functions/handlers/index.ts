import { assignNumber } from './assign-number.ts';
import { completeRegistration } from './complete-registration.ts';
import { findDuplicate } from './find-duplicate.ts';
import { findUnsettledJournals } from './find-unsettled-journals.ts';
import { recordDuplicate } from './record-duplicate.ts';
import { recordEvents } from './record-events.ts';
import { releaseClaim } from './release-claim.ts';
import { saveCard } from './save-card.ts';
import { settleJournal } from './settle-journal.ts';
import type { Task } from './task.ts';
import { validateIncoming } from './validate-incoming.ts';
import { voidNumber } from './void-number.ts';

/** Every workflow task by its function id, for the local engine (Lambda loads each file on its own). */
export const tasksById: Readonly<Record<string, Task<never, unknown>>> = Object.fromEntries(
  [
    validateIncoming,
    findDuplicate,
    recordDuplicate,
    assignNumber,
    saveCard,
    recordEvents,
    completeRegistration,
    voidNumber,
    releaseClaim,
    findUnsettledJournals,
    settleJournal,
  ].map((task) => [task.id, task as Task<never, unknown>]),
);
