import { calls } from '@salesgraph/calls';
import { identity } from '@salesgraph/identity';
import type { SubgraphModule } from '@salesgraph/platform';

/** Every subgraph of the product; composition, migrations and the embedded runtime all read this list. */
export const subgraphs: SubgraphModule[] = [identity, calls];
