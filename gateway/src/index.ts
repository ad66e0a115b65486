export { subgraphs } from './subgraphs.js';
export { startProduct, type Product, type ProductOptions } from './runtime.js';
export { OPERATION_LIMITS } from './hardening.js';
