import { sha256Hex } from '../domain/archive.ts';
import type { Actor } from '../domain/documents.ts';
import { buildLetter } from '../domain/letter/letter.ts';
import { type DraftVersion, draftKeysOf, letterDraftOf } from '../domain/outgoing.ts';
import { blobs } from './lambda/blobs.ts';
import { clock } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { letterDocx } from './lambda/letter-docx.ts';
import { letterPdf } from './lambda/letter-pdf.ts';
import { lambdaHandler } from './lambda.ts';
import { storeOnce } from './store-once.ts';
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
  ['config', 'blobs', 'letterPdf', 'letterDocx', 'clock'],
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

export const handler = lambdaHandler(renderDraft, { config, clock, blobs, letterPdf, letterDocx });
