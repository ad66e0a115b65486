export * from './note.entity.js';

import { LeadsNote } from './note.entity.js';

export const entities = [LeadsNote];
