import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tempDir } from './stack.js';

/** A process of the product: a subgraph or a gateway, as docker-compose runs them. */
export interface ProductProcess {
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM) unless it already stopped, and waits until it has. */
  stop: () => Promise<void>;
  /** Everything it wrote to standard output so far (its log lines), read on until it exits. */
  output: () => string;
  /** Everything it wrote to standard error so far (libraries that print there), shown as it comes too. */
  errorOutput: () => string;
}

export type SubgraphProcess = ProductProcess;

/** Starts subgraph `name` as its own process (`packages/registry/dist/serve.js <name>`) with `env` added, and resolves with the URL it prints. */
export function startSubgraphProcess(name: string, env: NodeJS.ProcessEnv): Promise<ProductProcess> {
  return start(`subgraph ${name}`, '../../../packages/registry/dist/serve.js', [name], env, /at (http:\/\/[^\s"]+\/graphql)/);
}

/**
 * Starts a gateway as its own process (`gateway/dist/main.js`, what `npm start` runs) with `env` added; resolves
 * with its base URL. With every `SUBGRAPH_<NAME>_URL` set it serves no subgraph itself.
 */
export function startGatewayProcess(env: NodeJS.ProcessEnv): Promise<ProductProcess> {
  return start('gateway', '../../../gateway/dist/main.js', [], env, /gateway at (http:\/\/[^/\s"]+)\//);
}

async function start(what: string, script: string, args: string[], env: NodeJS.ProcessEnv, listening: RegExp): Promise<ProductProcess> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let errorOutput = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errorOutput += chunk;
    process.stderr.write(chunk);
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  // Read to the end (not just to the URL): a pipe nobody reads fills up, and one closed early breaks the child's writes.
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = listening.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`${what} exited before listening: ${output}`)));
  });
  return { url, child, stop, output: () => output, errorOutput: () => errorOutput };
}

/**
 * The environment of a product process a test starts: development on loopback, fixed secrets, a data folder of its
 * own (`salesgraph-<label>-…`), and the suite's PostgreSQL server when there is one; `overrides` go last.
 */
export function processEnv(label: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: 'j'.repeat(40),
    GATEWAY_SECRET: 'g'.repeat(40),
    DATA_DIR: tempDir(`salesgraph-${label}-`),
    ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }),
    ...overrides,
  };
}
