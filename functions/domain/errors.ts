/**
 * Errors the workflows and the API act on. Each class's `name` is part of the workflow contract:
 * Step Functions (and the local engine) match Retry and Catch on it, and the API maps it to a status.
 */

/** One thing wrong with one field of an input, as a person would want to read it. */
export interface FieldProblem {
  readonly field: string;
  readonly problem: string;
}

export abstract class DocrouteError extends Error {
  abstract override readonly name: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The input is malformed: a field missing, of the wrong type, or out of bounds. */
export class ValidationError extends DocrouteError {
  override readonly name = 'ValidationError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}

/** The input is well formed but breaks a records-office rule (their date after receipt, unknown executor). */
export class RuleViolationError extends DocrouteError {
  override readonly name = 'RuleViolationError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}

export class NotFoundError extends DocrouteError {
  override readonly name = 'NotFoundError';
}

/** The request collides with existing state (a key already used for another request, a number already taken). */
export class ConflictError extends DocrouteError {
  override readonly name = 'ConflictError';
}

/** Bytes that are not what they claim to be: a certificate, a signature or a PEM file that cannot be read. */
export class UnreadableInputError extends DocrouteError {
  override readonly name = 'UnreadableInputError';
}

/**
 * A signature submitted for a reply that is not accepted: not valid, or not the designated signer's.
 * Nothing is numbered or archived; the reply still awaits a signature.
 */
export class SignatureRejectedError extends DocrouteError {
  override readonly name = 'SignatureRejectedError';
  constructor(
    readonly problems: readonly FieldProblem[],
    readonly report?: unknown,
  ) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}
