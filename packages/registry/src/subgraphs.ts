import { calls } from '@salesgraph/calls';
import { identity } from '@salesgraph/identity';
import { register } from './register.js';
import { leads } from '@salesgraph/leads';
import { funnels } from '@salesgraph/funnels';
import { support } from '@salesgraph/support';
import { ai } from '@salesgraph/ai';

/**
 * Every subgraph of the product, with the port it listens on as its own process. The gateway, the scripts
 * (composition, migrations, deployment files) and the tests all derive from this list;
 * `npm run new:subgraph <name>` appends to it.
 */
export const subgraphs = register([
  [identity, 4001],
  [calls, 4003],
  [leads, 4002],
  [funnels, 4004],
  [support, 4005],
  [ai, 4006],
]);
