import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSchemaChanges, schemaChanges } from './schema-changes.js';

/**
 * `npm run schema:diff [git-ref] [--fail-on-breaking]`: the breaking, dangerous and safe changes of
 * schema/api.graphql (the API clients see) from the ref to the working file. Without a ref: on main, the
 * previous commit (HEAD~1); on another branch, where it left main (the merge-base), so the report covers the
 * whole branch. Informational (exit 0) unless --fail-on-breaking, which exits 1 on a breaking change. A ref
 * that is not a commit exits 2; so does a clone too shallow to hold the default ref, with --fail-on-breaking
 * (without it, it says so and exits 0).
 */
const SCHEMA = 'schema/api.graphql';
const USAGE = 'usage: npm run schema:diff [git-ref] [--fail-on-breaking]';

function git(args: string[], cwd = process.cwd()): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.trim() };
}

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const args = process.argv.slice(2);
const failOnBreaking = args.includes('--fail-on-breaking');
const positional = args.filter((arg) => arg !== '--fail-on-breaking');
if (positional.some((arg) => arg.startsWith('-')) || positional.length > 1) fail(USAGE);
const givenRef = positional[0];

const topLevel = git(['rev-parse', '--show-toplevel']);
if (!topLevel.ok) fail(`Not in a git repository (${topLevel.stderr}): nothing to compare ${SCHEMA} with.`);
const root = topLevel.stdout.trim();
if (!existsSync(join(root, SCHEMA))) fail(`${SCHEMA} is missing from the working tree (npm run schema writes it).`);

const commitOf = (ref: string) => {
  const resolved = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  return resolved.ok ? resolved.stdout.trim() : undefined;
};
const shallow = git(['rev-parse', '--is-shallow-repository'], root).stdout.trim() === 'true';
const SHALLOW_HINT = 'This clone is shallow: fetch more history (git fetch --deepen=50, or --unshallow) to compare.';

/** main, else the remote's main (CI clones often have no local branch). */
const main = ['main', 'origin/main'].find((ref) => commitOf(ref) !== undefined);
/** The default ref and how to name it: the previous commit on main, the merge-base on another branch. */
function defaultRef(): { ref: string; described: string } {
  const onMain = main === undefined || git(['merge-base', '--is-ancestor', 'HEAD', main], root).ok;
  if (!onMain) {
    const base = git(['merge-base', 'HEAD', main], root);
    if (base.ok) return { ref: base.stdout.trim(), described: `where this branch left ${main}` };
  }
  return { ref: 'HEAD~1', described: 'the previous commit' };
}

const { ref, described } = givenRef ? { ref: givenRef, described: '' } : defaultRef();
const commit = commitOf(ref);
if (commit === undefined) {
  if (givenRef) fail(`No commit "${ref}" in this repository.${shallow ? ` ${SHALLOW_HINT}` : ''}`);
  if (shallow) {
    console.log(`Not compared: ${ref} (${described}) is not in this clone. ${SHALLOW_HINT}`);
    process.exit(failOnBreaking ? 2 : 0);
  }
  console.log(`Not compared: HEAD has no previous commit.`);
  process.exit(0);
}

const subject = git(['log', '-1', '--format=%h %s', commit], root).stdout.trim();
console.log(`${SCHEMA}: ${ref}${described ? `, ${described}` : ''} (${subject}) → working tree\n`);

const before = git(['show', `${commit}:${SCHEMA}`], root);
if (!before.ok) console.log(`${SCHEMA} does not exist at ${ref}: everything in it counts as added.\n`);
const changes = await schemaChanges(before.ok ? before.stdout : null, readFileSync(join(root, SCHEMA), 'utf8'));
console.log(formatSchemaChanges(changes));
if (failOnBreaking && changes.breaking.length > 0) process.exit(1);
