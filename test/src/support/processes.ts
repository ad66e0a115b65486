import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A subgraph running as its own process (`packages/registry/dist/serve.js <name>`), as docker-compose runs it. */
export interface SubgraphProcess {
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM) unless it already stopped, and waits until it has. */
  stop: () => Promise<void>;
  /** Everything it wrote to standard output so far (its log lines), read on until it exits. */
  output: () => string;
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
  // Read to the end: a pipe nobody reads fills up, and one closed early breaks the child's writes.
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit');
  while (!child.stdout.readableEnded) {
    const match = /at (http:\/\/[^\s"]+\/graphql)/.exec(output);
    if (match) return { url: match[1], child, stop, output: () => output };
    await Promise.race([once(child.stdout, 'data'), exited]);
    if (child.exitCode !== null) break;
  }
  throw new Error(`subgraph ${name} exited before listening: ${output}`);
}
