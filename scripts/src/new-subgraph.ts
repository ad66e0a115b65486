import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run new:subgraph <name>`: scaffolds `subgraphs/<name>` from scripts/templates (entities, types,
 * resolvers, services, schema, migrations, a first test), registers it with a port, links the workspace,
 * then builds and regenerates the schema, docker-compose.yml and typed documents.
 *
 * Options: `--root <dir>` works on another checkout (the generator's test); `--no-install` links the
 * workspace without `npm install` (no lockfile update); `--files-only` stops after writing files.
 */
const args = process.argv.slice(2);
const option = (flag: string) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const [value] = args.splice(at, 2).slice(1);
  return value;
};
const flag = (name: string) => {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
};
const root = option('--root') ?? fileURLToPath(new URL('../../', import.meta.url));
const noInstall = flag('--no-install');
const filesOnly = flag('--files-only');
const [name] = args;

if (!name || !/^[a-z][a-z0-9]{1,30}$/.test(name)) {
  fail('usage: npm run new:subgraph <name>  (lower-case letters and digits, e.g. "leads")');
}
const target = join(root, 'subgraphs', name);
if (existsSync(target)) fail(`subgraphs/${name} exists already`);
const registryFile = join(root, 'packages/registry/src/subgraphs.ts');
const registry = readFileSync(registryFile, 'utf8');
if (new RegExp(`\\[${name}, \\d+\\]`).test(registry)) fail(`${name} is registered already`);

const Name = name.charAt(0).toUpperCase() + name.slice(1);
// Migration names sort by time, as `migration:create` names them.
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const fill = (text: string) => text.replaceAll('__name__', name).replaceAll('__Name__', Name).replaceAll('__STAMP__', stamp);

const templates = join(root, 'scripts/templates');
copyFilled(join(templates, 'subgraph'), target);
copyFilled(join(templates, 'test'), join(root, 'test/src'));

const port = register();
console.log(`created subgraphs/${name} (port ${port}) and test/src/${name}.test.ts`);
// In the repository's format (npm run format:check): the names filled in and the edited JSON change lines.
run('npx', [
  'prettier',
  '--write',
  '--log-level=warn',
  `subgraphs/${name}`,
  `test/src/${name}.test.ts`,
  'packages/registry',
  'tsconfig.json',
]);

if (!noInstall) run('npm', ['install', '--no-audit', '--no-fund']);
else link();
if (filesOnly) process.exit(0);
for (const script of ['build', 'schema', 'deployment', 'codegen']) run('npm', ['run', script]);
console.log(
  `\nsubgraph ${name} is ready: write its domain in subgraphs/${name}/src, then "npm run migration:create ${name}" and "npm test"`,
);

/** Adds the subgraph to the registry (import, entry, package and project references) and picks its port. */
function register(): number {
  const ports = [...registry.matchAll(/\[\w+, (\d+)\]/g)].map((m) => Number(m[1]));
  // The lowest free port after the gateway's: a removed subgraph's port is reused rather than skipped.
  let port = 4001;
  while (ports.includes(port)) port++;
  const imports = [...registry.matchAll(/^import .*;$/gm)];
  const lastImport = imports[imports.length - 1];
  let updated =
    registry.slice(0, lastImport.index + lastImport[0].length) +
    `\nimport { ${name} } from '@salesgraph/${name}';` +
    registry.slice(lastImport.index + lastImport[0].length);
  updated = updated.replace(/(\n\s*\[\w+, \d+\],)(\n\]\);)/, `$1\n  [${name}, ${port}],$2`);
  if (!updated.includes(`[${name}, ${port}]`)) fail('could not find the list in packages/registry/src/subgraphs.ts');
  writeFileSync(registryFile, updated);

  editJson(join(root, 'packages/registry/package.json'), (pkg) => {
    pkg.dependencies = sorted({ ...(pkg.dependencies as Record<string, string>), [`@salesgraph/${name}`]: '0.1.0' });
  });
  editJson(join(root, 'packages/registry/tsconfig.json'), (config) => {
    (config.references as { path: string }[]).push({ path: `../../subgraphs/${name}` });
  });
  editJson(join(root, 'tsconfig.json'), (config) => {
    const references = config.references as { path: string }[];
    // Before the registry, which builds on it.
    references.splice(
      references.findIndex((r) => r.path === 'packages/registry'),
      0,
      { path: `subgraphs/${name}` },
    );
  });
  return port;
}

/** What `npm install` does for a new workspace, without touching the lockfile. */
function link() {
  const scope = join(root, 'node_modules/@salesgraph');
  mkdirSync(scope, { recursive: true });
  const at = join(scope, name);
  if (!existsSync(at)) symlinkSync(relative(scope, target), at);
}

function copyFilled(from: string, to: string) {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const destination = join(to, fill(entry));
    if (statSync(source).isDirectory()) {
      mkdirSync(destination, { recursive: true });
      copyFilled(source, destination);
    } else {
      mkdirSync(to, { recursive: true });
      writeFileSync(destination, fill(readFileSync(source, 'utf8')));
    }
  }
}

function editJson(file: string, edit: (value: Record<string, unknown>) => void) {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function run(command: string, commandArgs: string[]) {
  console.log(`\n> ${command} ${commandArgs.join(' ')}`);
  execFileSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
