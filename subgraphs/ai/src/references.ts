/** Entities other subgraphs resolve here: none yet (ai extends theirs). */
export const referenceResolvers = {};
