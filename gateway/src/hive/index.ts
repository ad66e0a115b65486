export { hiveGatewayConfig, supergraphUrls, type HiveGatewayOptions } from './config.js';
export { useSalesgraphIdentity, type SalesgraphIdentityOptions } from './identity-plugin.js';
