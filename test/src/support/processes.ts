import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A subgraph running as its own process (`packages/registry/dist/serve.js <name>`), as docker-compose runs it. */
export interface SubgraphProcess {
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM) unless it already stopped, and waits until it has. */
  stop: () => Promise<void>;
}

/** Starts subgraph `name` as its own process with `env` added, and resolves with the URL it prints. */
export async function startSubgraphProcess(name: string, env: NodeJS.ProcessEnv): Promise<SubgraphProcess> {
  const serve = fileURLToPath(new URL('../../../packages/registry/dist/serve.js', import.meta.url));
  const child = spawn(process.execPath, [serve, name], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    const match = /at (http:\/\/\S+\/graphql)/.exec(output);
    if (match) return { url: match[1], child, stop };
  }
  throw new Error(`subgraph ${name} exited before listening: ${output}`);
}
