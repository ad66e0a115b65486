export * from './note.entity.js';

import { SupportNote } from './note.entity.js';

export const entities = [SupportNote];
