import type { Router } from 'express';
import type { Settings, SubgraphClient } from '@salesgraph/platform';

export const VERSION = '0.1.0';

/** Services a subgraph reports on beside itself, e.g. `{tts: "running", stt: "unavailable"}`. */
export type HealthCheck = () => Promise<Record<string, string>>;

/**
 * `/health` (seed 004) and `/api/health` (seed 001): real database state through every subgraph, and on
 * `/health` the services subgraphs check (seed 004's `tts`, `stt`, `llm`), which do not decide `status`.
 */
export function mountHealth(
  router: Router,
  clients: SubgraphClient[],
  llmBackend: Settings['llm']['backend'],
  healthChecks: HealthCheck[] = [],
  draining: () => boolean = () => false,
): void {
  const check = async () => {
    const results = await Promise.all(clients.map(async (c) => [c.name, await c.healthy()] as const));
    return { healthy: results.every(([, ok]) => ok), results };
  };

  // For orchestrators. Alive: the process answers at all (restart it otherwise).
  router.get('/livez', (_req, res) => void res.json({ status: 'alive' }));
  // Ready: not shutting down, and every subgraph answers with its database (a process serves a subgraph only
  // once its migrations are applied, so an answering subgraph has them). Not ready: take it out of rotation.
  router.get('/readyz', async (_req, res) => {
    if (draining()) return void res.status(503).json({ status: 'draining' });
    const { healthy, results } = await check();
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ready' : 'not_ready',
      subgraphs: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ready' : 'unavailable'])),
    });
  });

  router.get('/health', async (_req, res) => {
    const [{ healthy, results }, reported] = await Promise.all([check(), Promise.all(healthChecks.map((c) => c().catch(() => ({}))))]);
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'healthy' : 'unhealthy',
      services: {
        ...Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'running' : 'unavailable'])),
        ...(Object.assign({}, ...reported) as Record<string, string>),
      },
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
