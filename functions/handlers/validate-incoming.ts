import type { Actor } from '../domain/documents.ts';
import { type IncomingDraft, validateIncoming as validate } from '../domain/incoming.ts';
import { calendar } from './lambda/calendar.ts';
import { clock, newId } from './lambda/clock.ts';
import { config } from './lambda/config.ts';
import { lambdaHandler } from './lambda.ts';
import { defineTask } from './task.ts';

export interface ValidateIncomingInput {
  readonly request: unknown;
  readonly actor: Actor;
}

export const validateIncoming = defineTask(
  'validate-incoming',
  ['config', 'clock', 'newId', 'calendar'],
  async (input: ValidateIncomingInput, deps): Promise<IncomingDraft> =>
    validate(input.request, deps.config, deps.clock.now(), deps.newId(), deps.calendar),
);

export const handler = lambdaHandler(validateIncoming, { config, clock, newId, calendar });
