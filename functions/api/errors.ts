import type { FieldProblem } from '../domain/errors.ts';

/** HTTP status by error name: the names workflows fail with and the domain throws. */
const statusByErrorName: Readonly<Record<string, number>> = {
  ValidationError: 400,
  RuleViolationError: 422,
  UnreadableInputError: 422,
  SignatureRejectedError: 422,
  NotFoundError: 404,
  ConflictError: 409,
};

export function statusOf(errorName: string): number {
  return statusByErrorName[errorName] ?? 500;
}

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly problems?: readonly FieldProblem[];
}

export function errorBody(error: string, message: string, problems?: readonly FieldProblem[]): ErrorBody {
  return problems === undefined ? { error, message } : { error, message, problems };
}
