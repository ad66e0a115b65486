import type { Router } from 'express';
import type { Settings, SubgraphClient } from '@salesgraph/platform';

export const VERSION = '0.1.0';

/** `/health` (seed 004) and `/api/health` (seed 001): real database state through every subgraph. */
export function mountHealth(router: Router, clients: SubgraphClient[], llmBackend: Settings['llm']['backend']): void {
  const check = async () => {
    const results = await Promise.all(clients.map(async (c) => [c.name, await c.healthy()] as const));
    return { healthy: results.every(([, ok]) => ok), results };
  };

  router.get('/health', async (_req, res) => {
    const { healthy, results } = await check();
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'healthy' : 'unhealthy',
      services: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'running' : 'unavailable'])),
      database: healthy ? 'connected' : 'disconnected',
      llm_backend: llmBackend,
    });
  });

  router.get('/api/health', async (_req, res) => {
    const { healthy } = await check();
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'healthy' : 'unhealthy',
      // Events travel through PostgreSQL, so there is no Redis to report on.
      services: { database: healthy ? 'connected' : 'disconnected', redis: 'not_used' },
      version: VERSION,
    });
  });
}
