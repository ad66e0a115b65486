import { startProduct, type Product, type ProductOptions } from '@salesgraph/gateway';
import type { Stack } from './stack.js';

/**
 * A second gateway over the stack's own subgraphs, reached over HTTP and graphql-ws: other settings or
 * limits without a second database. `close` also stops the subgraphs' listeners.
 */
export async function extraGateway(s: Stack, options: Omit<ProductOptions, 'subgraphUrls'>): Promise<Product> {
  const subgraphUrls: Record<string, string> = {};
  for (const [name, server] of s.product.subgraphs) subgraphUrls[name] = await server.listen(0);
  const product = await startProduct({ port: 0, host: '127.0.0.1', ...options, subgraphUrls });
  return {
    ...product,
    async close() {
      await product.close();
      for (const server of s.product.subgraphs.values()) await server.stopListening();
    },
  };
}
