export * from './note.entity.js';

import { FunnelsNote } from './note.entity.js';

export const entities = [FunnelsNote];
