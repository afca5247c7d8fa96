import type { Config } from '../domain/config.ts';
import type { ProductionCalendar } from '../domain/production-calendar.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { ClaimStore } from '../ports/claim-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { CrlSource } from '../ports/crl-source.ts';
import type { DocumentStore } from '../ports/document-store.ts';
import type { EventLog } from '../ports/event-log.ts';
import type { JournalStore } from '../ports/journal-store.ts';
import type { DocumentRenderer, LetterRenderer } from '../ports/letter-renderer.ts';
import type { Mailer } from '../ports/mailer.ts';
import type { NotificationStore } from '../ports/notification-store.ts';
import type { TrustSource } from '../ports/trust-source.ts';

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
  /** The outbox of notifications, each key sent once. */
  readonly notifications: NotificationStore;
  /** Sends the e-mails: the local outbox folder (and SMTP when configured), SES in AWS. */
  readonly mailer: Mailer;
  /** The production calendar: deadlines and the days reminders go out. */
  readonly calendar: ProductionCalendar;
  /** Drafts (`drafts/…`) and the write-once archive (`archive/…`). */
  readonly blobs: BlobStore;
  /** The office's trusted CAs and CRLs, against which a reply's signature is judged. */
  readonly trust: TrustSource;
  /** Where CRLs missing from the trust list are fetched from, used only when the configuration sets `crlFetch`. */
  readonly crlSource?: CrlSource | undefined;
  /** The letter as PDF: the draft that is signed, and the registered copy. */
  readonly letterPdf: LetterRenderer;
  /** The draft as DOCX, for editing. */
  readonly letterDocx: DocumentRenderer;
}

/** The name of one dependency (`documents`, `letterPdf`). */
export type DepName = keyof TaskDeps;

/**
 * One workflow task: its function id (`assign-number`), the dependencies it uses, and what it does
 * with its state input. The local engine hands every task the whole TaskDeps; a Lambda function
 * builds only `uses`, so its bundle carries only their SDK clients and libraries.
 */
export interface Task<I = never, O = unknown, D extends DepName = DepName> {
  readonly id: string;
  readonly uses: readonly D[];
  run(input: I, deps: Pick<TaskDeps, D>): Promise<O>;
}

/** `defineTask('render-letter', ['documents', 'blobs', 'letterPdf'], run)`: `run` sees only those. */
export function defineTask<I, O, const D extends DepName>(
  id: string,
  uses: readonly D[],
  run: (input: I, deps: Pick<TaskDeps, D>) => Promise<O>,
): Task<I, O, D> {
  return { id, uses, run };
}
