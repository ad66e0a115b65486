export * from './note.entity.js';

import { __Name__Note } from './note.entity.js';

export const entities = [__Name__Note];
