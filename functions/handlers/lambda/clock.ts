import { randomUUID } from 'node:crypto';
import { registrationTimeLimitSeconds } from '../../../workflows/registry.ts';
import { leaseMsFor } from '../../domain/numbering.ts';
import { systemClock } from '../../ports/clock.ts';
import type { DepFactory } from './factory.ts';

// Apart from config.ts: a task that reads no configuration carries no schema library for it.
export const clock: DepFactory<'clock'> = () => systemClock;
export const newId: DepFactory<'newId'> = () => randomUUID;
export const registrationLeaseMs: DepFactory<'registrationLeaseMs'> = () =>
  leaseMsFor(registrationTimeLimitSeconds);
