export * from './note.entity.js';

import { AiNote } from './note.entity.js';

export const entities = [AiNote];
