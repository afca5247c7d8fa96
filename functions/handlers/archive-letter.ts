import {
  type ArchiveManifest,
  archiveObjects,
  archivePrefixOf,
  certificateContentType,
  certificateObjectName,
  manifestBytes,
  manifestObject,
  sha256Hex,
} from '../domain/archive.ts';
import { isOutgoing } from '../domain/documents.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { AssignedNumber } from '../domain/numbering.ts';
import type { ArchiveRecord } from '../domain/outgoing.ts';
import type { SignatureFacts } from './check-signature.ts';
import { blobs } from './lambda/blobs.ts';
import { documents } from './lambda/dynamodb.ts';
import { lambdaHandler } from './lambda.ts';
import type { RenderedVisualisation } from './render-letter.ts';
import { storeOnce } from './store-once.ts';
import { defineTask } from './task.ts';

export interface ArchiveLetterInput {
  readonly documentId: string;
  readonly number: AssignedNumber;
  readonly facts: SignatureFacts;
  /** The CMS, base64. */
  readonly signature: string;
  readonly visualisation: RenderedVisualisation;
  readonly registeredAt: string;
}

/**
 * Writes the signed original (the draft's bytes), its signature and the certificate chain next to
 * the visualisation, then the manifest naming each with its SHA-256: the manifest comes last, so
 * an archive with a manifest is complete.
 */
export const archiveLetter = defineTask(
  'archive-letter',
  ['documents', 'blobs'],
  async (input: ArchiveLetterInput, deps): Promise<ArchiveRecord> => {
    const { documents, blobs } = deps;
    const { number, facts } = input;
    const card = await documents.get(input.documentId);
    if (card === null || !isOutgoing(card)) throw new NotFoundError(`no reply ${input.documentId}`);
    const original = await blobs.get(facts.draftKey);
    if (original === null || sha256Hex(original.bytes) !== facts.draftSha256)
      throw new NotFoundError(`the signed draft ${facts.draftKey} is missing or changed`);
    const prefix = archivePrefixOf(number.year, number.journal, number.regNumber);
    const signature = Buffer.from(input.signature, 'base64');
    const pieces = [
      {
        key: `${prefix}${archiveObjects.original.name}`,
        role: 'original' as const,
        contentType: archiveObjects.original.contentType,
        bytes: original.bytes,
      },
      {
        key: `${prefix}${archiveObjects.signature.name}`,
        role: 'signature' as const,
        contentType: archiveObjects.signature.contentType,
        bytes: new Uint8Array(signature),
      },
      ...facts.chain.map((der, i) => ({
        key: `${prefix}${certificateObjectName(i)}`,
        role: 'certificate' as const,
        contentType: certificateContentType,
        bytes: new Uint8Array(Buffer.from(der, 'base64')),
      })),
    ];
    await Promise.all(
      pieces.map((p) => storeOnce(blobs, p.key, { bytes: p.bytes, contentType: p.contentType })),
    );
    const manifest: ArchiveManifest = {
      format: 'docroute-archive/1',
      documentId: card.id,
      journal: number.journal,
      regNumber: number.regNumber,
      regDate: number.regDate,
      registeredAt: input.registeredAt,
      inReplyTo: card.inReplyTo.map(({ id, regNumber, regDate }) => ({ id, regNumber, regDate })),
      references: card.references,
      draftVersion: facts.draftVersion,
      signature: {
        verdict: facts.verdict,
        summary: facts.summary,
        signedAt: facts.signedAt,
        dateSource: facts.dateSource,
        certificate: facts.certificate,
        checks: facts.checks,
      },
      objects: [
        ...pieces.map((p) => manifestObject(p.key, p.role, p.contentType, p.bytes)),
        {
          key: input.visualisation.key,
          role: 'visualisation',
          contentType: archiveObjects.visualisation.contentType,
          size: input.visualisation.size,
          sha256: input.visualisation.sha256,
        },
      ],
    };
    const bytes = manifestBytes(manifest);
    const manifestKey = `${prefix}${archiveObjects.manifest.name}`;
    await storeOnce(blobs, manifestKey, { bytes, contentType: archiveObjects.manifest.contentType });
    return { prefix, manifestKey, letterKey: input.visualisation.key, manifestSha256: sha256Hex(bytes) };
  },
);

export const handler = lambdaHandler(archiveLetter, { documents, blobs });
