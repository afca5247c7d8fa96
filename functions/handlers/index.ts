import { archiveLetter } from './archive-letter.ts';
import { assignNumber } from './assign-number.ts';
import { checkSignature } from './check-signature.ts';
import { claimSigning } from './claim-signing.ts';
import { completeRegistration } from './complete-registration.ts';
import { dispatchReply } from './dispatch-reply.ts';
import { findDuplicate } from './find-duplicate.ts';
import { findUnsettledJournals } from './find-unsettled-journals.ts';
import { markAnswered } from './mark-answered.ts';
import { planReminders } from './plan-reminders.ts';
import { recordDuplicate } from './record-duplicate.ts';
import { recordEvents } from './record-events.ts';
import { recordRejection } from './record-rejection.ts';
import { registerReply } from './register-reply.ts';
import { releaseClaim } from './release-claim.ts';
import { releaseSigning } from './release-signing.ts';
import { releaseStaleSignings } from './release-stale-signings.ts';
import { renderDraft } from './render-draft.ts';
import { renderLetter } from './render-letter.ts';
import { saveCard } from './save-card.ts';
import { saveDraft } from './save-draft.ts';
import { sendReminder } from './send-reminder.ts';
import { settleJournal } from './settle-journal.ts';
import type { Task } from './task.ts';
import { validateIncoming } from './validate-incoming.ts';
import { validateReply } from './validate-reply.ts';
import { voidNumber } from './void-number.ts';
import { writeAnchor } from './write-anchor.ts';

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
    releaseStaleSignings,
    planReminders,
    sendReminder,
    dispatchReply,
    archiveLetter,
    checkSignature,
    claimSigning,
    markAnswered,
    recordRejection,
    registerReply,
    releaseSigning,
    renderDraft,
    renderLetter,
    saveDraft,
    validateReply,
    writeAnchor,
  ].map((task) => [task.id, task as Task<never, unknown>]),
);
