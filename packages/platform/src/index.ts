import 'reflect-metadata';

export * from './access-tokens.js';
export * from './context.js';
export * from './database.js';
export * from './errors.js';
export * from './errors-format.js';
export * from './federation.js';
export * from './identity.js';
export * from './pagination.js';
export * from './roles.js';
export * from './subgraph-server.js';
export * from './settings.js';
export * from './subgraph-module.js';
export * from './events.js';
export * from './subgraph-client.js';
export * from './secret-box.js';
export * from './ids.js';
export * from './inputs.js';
