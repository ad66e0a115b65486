import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPERGRAPH_PATH } from '../gateway.js';

export interface HiveGatewayProcess {
  /** e.g. `http://127.0.0.1:4100` (GraphQL at `/graphql`) */
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM) unless it already stopped, and waits until it has. */
  stop(): Promise<void>;
}

export interface HiveGatewayProcessOptions {
  /** Its whole environment: the product's settings (secrets, `SUBGRAPH_<NAME>_URL`) and `HOST`/`PORT`. */
  env: NodeJS.ProcessEnv;
  /** A configuration file exporting `gatewayConfig`. @default this package's `dist/hive/gateway.config.js` */
  configPath?: string;
  /** How long to wait until it answers ready. @default 60 s */
  timeoutMs?: number;
}

/** Hive Gateway's own command line (`hive-gateway`) of the installed `@graphql-hive/gateway`. */
function hiveGatewayBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist/bin.js');
}

/**
 * Runs `hive-gateway supergraph schema/supergraph.graphql --config-path …` as `npm run start:hive` does, and resolves
 * once its readiness check (supergraph loaded) answers. `env.PORT` must name a port (Hive prints no bound port).
 */
export async function startHiveGatewayProcess({
  env,
  configPath = fileURLToPath(new URL('./gateway.config.js', import.meta.url)),
  timeoutMs = 60_000,
}: HiveGatewayProcessOptions): Promise<HiveGatewayProcess> {
  const host = env.HOST ?? '127.0.0.1';
  if (!env.PORT || env.PORT === '0') throw new Error('Hive Gateway needs PORT set to a free port');
  const child = spawn(process.execPath, [hiveGatewayBin(), 'supergraph', fileURLToPath(SUPERGRAPH_PATH), '--config-path', configPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const url = `http://${host}:${env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway exited (${child.exitCode}) before it was ready:\n${output}`);
    const ready = await fetch(`${url}/readiness`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, child, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`Hive Gateway was not ready at ${url} within ${timeoutMs} ms:\n${output}`);
}
