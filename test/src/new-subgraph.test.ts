import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { subgraphs } from '@salesgraph/registry';
import { tempDir } from './support/stack.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
/** The port the generator should give a new subgraph: the lowest one above the gateway's that no subgraph has. */
const freePort = (() => {
  const taken = new Set(subgraphs.map((s) => s.port));
  let port = 4001;
  while (taken.has(port)) port++;
  return port;
})();
const WORKSPACES = [
  'packages/platform',
  'packages/registry',
  'subgraphs/identity',
  'subgraphs/calls',
  'gateway',
  'scripts',
  'test',
  'bench',
];

/**
 * A checkout of this repository beside it: its files and build outputs (so the build is incremental), with
 * node_modules linked to this one's, except the workspace links, which point into the copy.
 */
function copyOfRepository(): string {
  const copy = tempDir('salesgraph-generator-');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(repo, file), join(copy, file));
  }
  for (const workspace of WORKSPACES) {
    for (const output of ['dist', 'tsconfig.tsbuildinfo']) {
      if (existsSync(join(repo, workspace, output)))
        cpSync(join(repo, workspace, output), join(copy, workspace, output), { recursive: true });
    }
    if (existsSync(join(repo, workspace, 'node_modules')))
      symlinkSync(join(repo, workspace, 'node_modules'), join(copy, workspace, 'node_modules'));
  }
  mkdirSync(join(copy, 'node_modules/@salesgraph'), { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry !== '@salesgraph') symlinkSync(join(repo, 'node_modules', entry), join(copy, 'node_modules', entry));
  }
  for (const link of readdirSync(join(repo, 'node_modules/@salesgraph'))) {
    symlinkSync(readlinkSync(join(repo, 'node_modules/@salesgraph', link)), join(copy, 'node_modules/@salesgraph', link));
  }
  return copy;
}

describe('npm run new:subgraph', () => {
  let copy: string | undefined;
  after(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('scaffolds a subgraph that builds, composes, passes the checks and answers through the gateway', { timeout: 600_000 }, () => {
    copy = copyOfRepository();
    const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
      execFileSync(command, args, { cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });

    // Builds, composes, and writes docker-compose.yml and the typed documents, as a developer's run would.
    run(process.execPath, ['scripts/dist/new-subgraph.js', 'sample', '--no-install']);
    const registry = readFileSync(join(copy, 'packages/registry/src/subgraphs.ts'), 'utf8');
    assert.match(registry, new RegExp(`\\[sample, ${freePort}\\]`), 'the lowest free port is taken');
    assert.match(readFileSync(join(copy, 'schema/supergraph.graphql'), 'utf8'), /sampleNotes/);
    assert.match(
      readFileSync(join(copy, 'docker-compose.yml'), 'utf8'),
      new RegExp(`serve\\.js", "sample"[\\s\\S]*SUBGRAPH_SAMPLE_URL: http://sample:${freePort}/graphql`),
    );

    // Generated files, migrations (the template's migration matches its entity) and deployment files are current.
    run('npm', ['run', 'check']);
    // Its first test, through the gateway, on an embedded database of its own.
    const output = run(process.execPath, ['--test', '--experimental-test-isolation=none', 'test/dist/sample.test.js'], {
      DATABASE_URL: '',
    });
    assert.match(output, /# pass 2/);

    // A second run refuses rather than overwriting.
    assert.throws(() => run(process.execPath, ['scripts/dist/new-subgraph.js', 'sample', '--no-install']), /exists already/);
  });
});
