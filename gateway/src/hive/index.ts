export { hiveGatewayConfig, supergraphUrls, type HiveGatewayOptions } from './config.js';
export { useSalesgraphIdentity, type SalesgraphIdentityOptions } from './identity-plugin.js';
export { startHiveGatewayProcess, type HiveGatewayProcess, type HiveGatewayProcessOptions } from './process.js';
