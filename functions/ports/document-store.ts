import type { DocumentCard } from '../domain/documents.ts';

export interface DocumentStore {
  get(id: string): Promise<DocumentCard | null>;
  /** Writes a new card; a second write with the same id is refused with ConflictError. */
  create(card: DocumentCard): Promise<void>;
  findByRegNumber(regNumber: string): Promise<DocumentCard[]>;
  findByTheirRef(theirNumber: string): Promise<DocumentCard[]>;
}
