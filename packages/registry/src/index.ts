export { subgraphs } from './subgraphs.js';
export { GATEWAY_PORT, register, urlVariableOf, type RegisteredSubgraph } from './register.js';
