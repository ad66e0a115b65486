import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A process of the product (a subgraph, or the gateway) run on its own, as docker-compose runs it. */
export interface ProductProcess {
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM) unless it already stopped, and waits until it has. */
  stop: () => Promise<void>;
  /** Everything it wrote to standard output so far (its log lines), read on until it exits. */
  output: () => string;
}

/** A subgraph running as its own process (`packages/registry/dist/serve.js <name>`). */
export type SubgraphProcess = ProductProcess;

/** Starts subgraph `name` as its own process with `env` added, and resolves with the URL it prints. */
export function startSubgraphProcess(name: string, env: NodeJS.ProcessEnv): Promise<SubgraphProcess> {
  return startProcess(`subgraph ${name}`, '../../../packages/registry/dist/serve.js', [name], env, /at (http:\/\/[^\s"]+\/graphql)/);
}

/**
 * Starts the gateway's entry point (`gateway/dist/main.js`, what `npm start` runs) with `env` added: the subgraphs
 * without a `SUBGRAPH_<NAME>_URL` run in it. Resolves with its base URL once it listens.
 */
export function startGatewayProcess(env: NodeJS.ProcessEnv): Promise<ProductProcess> {
  return startProcess('the gateway', '../../../gateway/dist/main.js', [], env, /gateway at (http:\/\/[^\s"/]+)\//);
}

async function startProcess(
  what: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  listening: RegExp,
): Promise<ProductProcess> {
  const entry = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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
    const match = listening.exec(output);
    if (match) return { url: match[1], child, stop, output: () => output };
    await Promise.race([once(child.stdout, 'data'), exited]);
    if (child.exitCode !== null) break;
  }
  throw new Error(`${what} exited before listening: ${output}`);
}
