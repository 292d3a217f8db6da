import type { Scenario } from '../lib/types';
import { coldStart } from './cold-start';
import { dbBroadcast } from './db-broadcast';
import { fanout } from './fanout';
import { idleMemory } from './idle-memory';
import { pgChanges } from './pg-changes';
import { restRead } from './rest-read';

/** Every scenario of `npm run bench`, in run order. */
export const scenarios: Scenario[] = [dbBroadcast, fanout, pgChanges, restRead, idleMemory, coldStart];
