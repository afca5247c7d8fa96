import type { DocumentCard } from '../domain/documents.ts';

/** The card as the API shows it: internal bookkeeping such as the duplicate key stays inside. */
export function cardView(card: DocumentCard): Omit<DocumentCard, 'duplicateKey'> {
  const { duplicateKey: _key, ...view } = card;
  return view;
}
