/**
 * The archive of a registered reply (ARCHITECTURE.md, Archive): under
 * `archive/<year>/<journal>/<number>/` the signed original, its detached signature, the signer's
 * certificate chain, the visualisation and a manifest that names each object with its SHA-256.
 * Write-once: Object Lock in AWS, the blob adapter's refusal locally.
 */

import { createHash } from 'node:crypto';
import { canonicalJson } from './history.ts';
import type { SignerCertificate } from './outgoing.ts';

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `archive/2021/outgoing/07-04-11180/`: the number's slashes become dashes, one folder a number. */
export function archivePrefixOf(year: number, journal: string, regNumber: string): string {
  return `archive/${year}/${journal}/${regNumber.replaceAll('/', '-')}/`;
}

/** The objects of one archived reply, by role. */
export const archiveObjects = {
  original: { name: 'original.pdf', contentType: 'application/pdf' },
  signature: { name: 'signature.p7s', contentType: 'application/pkcs7-signature' },
  visualisation: { name: 'letter.pdf', contentType: 'application/pdf' },
  manifest: { name: 'manifest.json', contentType: 'application/json' },
} as const;

/** The certificate at `index` of the chain (0: the signer's). */
export const certificateObjectName = (index: number) => `certificate-${index}.cer`;
export const certificateContentType = 'application/pkix-cert';

export interface ManifestObject {
  readonly key: string;
  readonly role: 'original' | 'signature' | 'certificate' | 'visualisation';
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

export interface ArchiveManifest {
  readonly format: 'docroute-archive/1';
  readonly documentId: string;
  readonly journal: string;
  readonly regNumber: string;
  readonly regDate: string;
  readonly registeredAt: string;
  readonly inReplyTo: readonly {
    readonly id: string;
    readonly regNumber: string;
    readonly regDate: string;
  }[];
  readonly references: readonly { readonly number: string; readonly date: string }[];
  readonly draftVersion: number;
  readonly signature: {
    readonly verdict: string;
    readonly summary: string;
    readonly signedAt: string;
    readonly dateSource: string;
    readonly certificate: SignerCertificate;
    readonly checks: readonly { readonly check: string; readonly status: string; readonly reason: string }[];
  };
  readonly objects: readonly ManifestObject[];
}

export function manifestObject(
  key: string,
  role: ManifestObject['role'],
  contentType: string,
  bytes: Uint8Array,
): ManifestObject {
  return { key, role, contentType, size: bytes.byteLength, sha256: sha256Hex(bytes) };
}

/** The manifest's bytes: canonical JSON, so the same archive always gives the same manifest. */
export function manifestBytes(manifest: ArchiveManifest): Uint8Array {
  return new TextEncoder().encode(`${canonicalJson(manifest)}\n`);
}

export type ArchiveDiscrepancy = { readonly key: string; readonly problem: string };

/** Each object the manifest names, against what the store holds: what an auditor checks. */
export function checkArchive(
  manifest: ArchiveManifest,
  stored: ReadonlyMap<string, Uint8Array | null>,
): ArchiveDiscrepancy[] {
  const problems: ArchiveDiscrepancy[] = [];
  for (const object of manifest.objects) {
    const bytes = stored.get(object.key) ?? null;
    if (bytes === null) problems.push({ key: object.key, problem: 'is missing' });
    else if (sha256Hex(bytes) !== object.sha256)
      problems.push({ key: object.key, problem: 'does not match its SHA-256 in the manifest' });
  }
  return problems;
}
