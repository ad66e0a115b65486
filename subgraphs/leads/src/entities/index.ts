export * from './forecast.entity.js';
export * from './note.entity.js';

import { Forecast } from './forecast.entity.js';
import { LeadsNote } from './note.entity.js';

export const entities = [LeadsNote, Forecast];
