import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT } from '@salesgraph/platform';
import { GATEWAY_PORT, subgraphs, type RegisteredSubgraph } from '@salesgraph/registry';
import { KUBERNETES_DIR, kubernetesFiles } from './kubernetes.js';

/**
 * Writes docker-compose.yml and the Kubernetes manifests (kubernetes.ts) from the registry: one service per subgraph (its port, the URLs of the
 * subgraphs it reads from) and the gateway pointed at all of them. With --check it writes nothing and
 * fails when the committed file is stale.
 */
const check = process.argv.includes('--check');
const DATABASE_URL =
  'postgres://salesgraph:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}@postgres:5432/salesgraph';

const healthcheck = (port: number, startPeriod: string) => `    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${port}/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: ${startPeriod}`;

/** Set per service below, or required (`:?`) in x-app-env. */
const SET_HERE = new Set([
  'NODE_ENV',
  'HOST',
  'PORT',
  'DATA_DIR',
  'DATABASE_URL',
  'SUBGRAPH_<NAME>_URL',
  'JWT_SECRET',
  'GATEWAY_SECRET',
  'SECRETS_KEY',
  'ADMIN_EMAIL',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
]);
/** Every other variable the settings module declares passes through to every service when given. */
const optional = ENVIRONMENT.map((v) => v.name).filter((name) => !SET_HERE.has(name));

/** `words` joined by ", " into comment lines of at most `width` characters. */
function commentLines(words: string[], width = 110): string {
  const lines: string[] = [];
  let line = '#';
  for (const [i, word] of words.entries()) {
    const piece = ` ${word}${i < words.length - 1 ? ',' : '.'}`;
    if (line.length + piece.length > width) {
      lines.push(line);
      line = '#';
    }
    line += piece;
  }
  return [...lines, line].join('\n');
}

const internalUrl = (s: RegisteredSubgraph) => `http://${s.name}:${s.port}/graphql`;
const byName = new Map(subgraphs.map((s) => [s.name, s]));

function subgraphService(subgraph: RegisteredSubgraph): string {
  const peers = subgraph.peers.map((name) => byName.get(name)!);
  return `  ${subgraph.name}:
    <<: *app
    command: ["node", "packages/registry/dist/serve.js", "${subgraph.name}"]
    environment:
      <<: *app-env
      PORT: "${subgraph.port}"
      HOST: 0.0.0.0
      DATABASE_URL: ${DATABASE_URL}
${peers.map((peer) => `      ${peer.urlVariable}: ${internalUrl(peer)}\n`).join('')}    # Reachable by the gateway and other subgraphs only: not published on the host.
    expose:
      - "${subgraph.port}"
    depends_on:
      postgres:
        condition: service_healthy
${peers.map((peer) => `      ${peer.name}:\n        condition: service_healthy\n`).join('')}${healthcheck(subgraph.port, '20s')}
`;
}

const gateway = `  gateway:
    <<: *app
    command: ["node", "gateway/dist/main.js"]
    environment:
      <<: *app-env
      PORT: "${GATEWAY_PORT}"
      HOST: 0.0.0.0
${subgraphs.map((s) => `      ${s.urlVariable}: ${internalUrl(s)}\n`).join('')}    ports:
      - "\${GATEWAY_PORT:-${GATEWAY_PORT}}:${GATEWAY_PORT}"
    depends_on:
${subgraphs.map((s) => `      ${s.name}:\n        condition: service_healthy\n`).join('')}${healthcheck(GATEWAY_PORT, '10s')}
`;

const content = `# The product split into services: PostgreSQL, every subgraph and the gateway.
# Generated from the subgraph registry (packages/registry) by \`npm run deployment\`; edit that script, not this file.
#
# Nothing secret is written here. Put the values in a \`.env\` file beside this one (git-ignored; compose
# reads it by itself) or export them, e.g.:
#
#   POSTGRES_PASSWORD=...      # URL-safe characters only: it is part of DATABASE_URL
#   JWT_SECRET=...             # >= 32 characters, e.g. \`openssl rand -base64 48\`
#   GATEWAY_SECRET=...         # >= 32 characters, different from JWT_SECRET
#   SECRETS_KEY=...            # >= 32 characters: encrypts integration secrets stored in the database
#   ADMIN_EMAIL=...            # the first admin, created on the first start
#   ADMIN_USERNAME=...
#   ADMIN_PASSWORD=...         # >= 12 characters; the dev default is refused
#
# Optional (README's configuration table says what each means; a bad value stops the service at start with
# a message naming the variable):
${commentLines([`GATEWAY_PORT (published port, default ${GATEWAY_PORT})`, ...optional])}
#
#   docker compose up --build -d         # then http://localhost:${GATEWAY_PORT}/graphql
#
# A missing required variable stops compose with the message given after \`:?\`.

x-app-env: &app-env
  NODE_ENV: production
  JWT_SECRET: \${JWT_SECRET:?set JWT_SECRET (at least 32 characters) in .env or the environment}
  GATEWAY_SECRET: \${GATEWAY_SECRET:?set GATEWAY_SECRET (at least 32 characters) in .env or the environment}
  SECRETS_KEY: \${SECRETS_KEY:?set SECRETS_KEY (at least 32 characters; encrypts stored secrets) in .env or the environment}
${optional.map((name) => `  ${name}: \${${name}:-}\n`).join('')}  # The identity subgraph creates the first admin from these; the gateway only checks them.
  ADMIN_EMAIL: \${ADMIN_EMAIL:?set ADMIN_EMAIL (the first admin) in .env or the environment}
  ADMIN_USERNAME: \${ADMIN_USERNAME:?set ADMIN_USERNAME (the first admin) in .env or the environment}
  ADMIN_PASSWORD: \${ADMIN_PASSWORD:?set ADMIN_PASSWORD (at least 12 characters, not the dev default) in .env or the environment}

# Every app service runs the same image, built once from the Dockerfile.
x-app: &app
  build: .
  image: salesgraph:latest
  restart: unless-stopped
  init: true
  # Beyond SHUTDOWN_TIMEOUT_SECONDS (30 by default): a stopping service drains requests, sockets and jobs first.
  stop_grace_period: 40s

services:
  postgres:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: salesgraph
      POSTGRES_DB: salesgraph
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env or the environment}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U salesgraph -d salesgraph"]
      interval: 5s
      timeout: 5s
      retries: 10
      start_period: 10s

${subgraphs.map(subgraphService).join('\n')}
${gateway}
volumes:
  pgdata:
`;

/** Every generated file, by path from the repository root. */
const outputs = new Map<string, string>([['docker-compose.yml', content]]);
for (const [name, text] of kubernetesFiles()) outputs.set(`${KUBERNETES_DIR}/${name}`, text);

const root = new URL('../../', import.meta.url);
let stale = 0;
for (const [path, text] of outputs) {
  const at = new URL(path, root);
  if (!check) {
    mkdirSync(dirname(fileURLToPath(at)), { recursive: true });
    writeFileSync(at, text);
    console.log(`wrote ${path}`);
  } else if (!existsSync(at) || readFileSync(at, 'utf8') !== text) {
    console.error(`${path} is stale: run "npm run deployment" and commit the result`);
    stale++;
  }
}
if (check && stale) process.exit(1);
if (check) console.log(`${[...outputs.keys()].join(', ')} are up to date`);
