import { hiveGatewayConfig } from './config.js';

/**
 * The configuration file Hive Gateway's CLI loads (`npm run start:hive`, i.e.
 * `hive-gateway supergraph schema/supergraph.graphql --config-path gateway/dist/hive/gateway.config.js`).
 */
export const gatewayConfig = hiveGatewayConfig();
