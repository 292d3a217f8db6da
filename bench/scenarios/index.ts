import type { Scenario } from '../lib/types';
import { restRead } from './rest-read';

/** Every scenario of `npm run bench`, in run order. */
export const scenarios: Scenario[] = [restRead];
