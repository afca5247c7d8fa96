import { archiveObjects, archivePrefixOf, sha256Hex } from '../domain/archive.ts';
import { isOutgoing } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import { buildLetter } from '../domain/letter/letter.ts';
import type { AssignedNumber } from '../domain/numbering.ts';
import { letterDraftOf } from '../domain/outgoing.ts';
import type { Stamp } from '../domain/signatures/stamp.ts';
import type { SignatureFacts } from './check-signature.ts';
import { blobs } from './lambda/blobs.ts';
import { config } from './lambda/config.ts';
import { documents } from './lambda/dynamodb.ts';
import { letterPdf } from './lambda/letter-pdf.ts';
import { lambdaHandler } from './lambda.ts';
import { storeOnce } from './store-once.ts';
import { defineTask } from './task.ts';

export interface RenderLetterInput {
  readonly documentId: string;
  readonly number: AssignedNumber;
  readonly facts: SignatureFacts;
}

export interface RenderedVisualisation {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
  readonly pages: number;
}

/**
 * The registered copy (the visualisation): the draft's text with the number and date, the mark of
 * the electronic signature and the QR code with the signed original's SHA-256, into the archive.
 */
export const renderLetter = defineTask(
  'render-letter',
  ['documents', 'config', 'letterPdf', 'blobs'],
  async ({ documentId, number, facts }: RenderLetterInput, deps): Promise<RenderedVisualisation> => {
    const { documents, config, letterPdf, blobs } = deps;
    const card = await documents.get(documentId);
    if (card === null || !isOutgoing(card)) throw new NotFoundError(`no reply ${documentId}`);
    const letter = buildLetter(letterDraftOf(card), config, {
      registration: {
        documentId,
        regNumber: number.regNumber,
        regDate: number.regDate,
        stamp: facts.stamp as Stamp,
        signedSha256: facts.draftSha256,
      },
    });
    const rendered = await letterPdf.render(letter);
    const key = `${archivePrefixOf(number.year, number.journal, number.regNumber)}${archiveObjects.visualisation.name}`;
    await storeOnce(blobs, key, { bytes: rendered.bytes, contentType: rendered.contentType });
    return { key, sha256: sha256Hex(rendered.bytes), size: rendered.bytes.byteLength, pages: rendered.pages };
  },
);

export const handler = lambdaHandler(renderLetter, { config, documents, blobs, letterPdf });
