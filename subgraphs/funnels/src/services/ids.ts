import { isUuid } from '@salesgraph/platform';

/** A UUID as stored (lower-case), or undefined for anything that cannot be one (so it matches no row, with no query). */
export const uuidOrNothing = (id: string): string | undefined => (isUuid(id) ? id.toLowerCase() : undefined);
