import type { RestApi } from './route.js';
import { seed000 } from './seed-000.js';
import { seed001 } from './seed-001.js';
import { seed002 } from './seed-002.js';
import { seed003 } from './seed-003.js';
import { seed004 } from './seed-004.js';

/** Every legacy API the REST layer keeps, one route table per seed. */
export const restApis: RestApi[] = [seed000, seed001, seed002, seed003, seed004];
