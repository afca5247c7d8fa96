import { sha256Hex } from '../domain/archive.ts';
import type { Actor } from '../domain/documents.ts';
import { ConflictError } from '../domain/errors.ts';
import { buildLetter } from '../domain/letter/letter.ts';
import { type DraftVersion, draftKeysOf, letterDraftOf } from '../domain/outgoing.ts';
import type { Blob, BlobStore } from '../ports/blob-store.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';
import type { ReplyToPrepare } from './validate-reply.ts';

export interface RenderDraftInput {
  readonly reply: ReplyToPrepare;
  readonly actor: Actor;
}

/**
 * Renders the draft version as PDF (what the signer signs) and DOCX (for editing), and stores both
 * under the version's own keys, never replacing an earlier version.
 */
export const renderDraft = defineTask(
  'render-draft',
  async ({ reply, actor }: RenderDraftInput, deps): Promise<DraftVersion> => {
    const { config, blobs, letterPdf, letterDocx, clock } = deps;
    const letter = buildLetter(letterDraftOf(reply.content), config, { draftDate: reply.draftDate });
    const [pdf, docx] = await Promise.all([letterPdf.render(letter), letterDocx.render(letter)]);
    const keys = draftKeysOf(reply.id, reply.version);
    await Promise.all([
      storeOnce(blobs, keys.pdfKey, { bytes: pdf.bytes, contentType: pdf.contentType }),
      storeOnce(blobs, keys.docxKey, { bytes: docx.bytes, contentType: docx.contentType }),
    ]);
    return {
      version: reply.version,
      ...keys,
      sha256: sha256Hex(pdf.bytes),
      size: pdf.bytes.byteLength,
      pages: pdf.pages,
      createdAt: clock.now().toISOString(),
      createdBy: actor,
    };
  },
);

/**
 * Writes the object unless it is there; one already there must be these very bytes (a retry of
 * this step), else two versions raced for the same key and this one must not claim it.
 */
export async function storeOnce(blobs: BlobStore, key: string, blob: Blob): Promise<void> {
  if (await blobs.putIfAbsent(key, blob)) return;
  const existing = await blobs.get(key);
  if (existing === null || sha256Hex(existing.bytes) !== sha256Hex(blob.bytes))
    throw new ConflictError(`${key} already holds other content`);
}

export const handler = lambdaHandler(renderDraft);
