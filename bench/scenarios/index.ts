import type { Scenario } from '../lib/types';
import { availableSlots } from './available-slots';
import { booking } from './booking';
import { coldStart } from './cold-start';
import { dbBroadcast } from './db-broadcast';
import { fanout } from './fanout';
import { idleMemory } from './idle-memory';
import { pgChanges } from './pg-changes';
import { restRead } from './rest-read';

/** Every scenario of `npm run bench`, in run order (issue 6's numbering where it has one). */
export const scenarios: Scenario[] = [
  dbBroadcast,
  fanout,
  booking,
  availableSlots,
  restRead,
  idleMemory,
  coldStart,
  pgChanges,
];
