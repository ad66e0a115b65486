import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { formatSchemaChanges, schemaChanges } from '../../scripts/dist/schema-changes.js';

const script = fileURLToPath(new URL('../../scripts/dist/schema-diff.js', import.meta.url));

const BEFORE = `
type Query {
  call(id: ID!): Call
  calls(first: Int): [Call!]!
}
type Call {
  id: ID!
  status: CallStatus!
  notes: String
  callerNumber: String!
}
enum CallStatus {
  INCOMING
  COMPLETED
}
`;
/** callerNumber removed, notes narrowed to String!, a required argument, an enum value and a field added. */
const AFTER = `
type Query {
  call(id: ID!): Call
  calls(first: Int, status: CallStatus!): [Call!]!
}
type Call {
  id: ID!
  status: CallStatus!
  "What the manager wrote"
  notes: String!
  duration: Int
}
enum CallStatus {
  INCOMING
  MISSED
  COMPLETED
}
`;

describe('schema changes (npm run schema:diff)', () => {
  it('sorts the changes between two schemas into breaking, dangerous and safe', async () => {
    const changes = await schemaChanges(BEFORE, AFTER);
    assert.deepEqual(changes.breaking.map((c) => c.message).sort(), [
      "Argument 'status: CallStatus!' added to field 'Query.calls'",
      "Field 'callerNumber' was removed from object type 'Call'",
    ]);
    assert.deepEqual(
      changes.dangerous.map((c) => c.message),
      ["Enum value 'MISSED' was added to enum 'CallStatus'"],
    );
    assert.deepEqual(changes.safe.map((c) => c.message).sort(), [
      "Field 'Call.notes' changed type from 'String' to 'String!'",
      "Field 'Call.notes' has description 'What the manager wrote'",
      "Field 'duration' was added to object type 'Call'",
    ]);
    assert.deepEqual(await schemaChanges(AFTER, AFTER), { breaking: [], dangerous: [], safe: [] });
  });

  it('counts everything as added when there was no schema, without a second change for each description', async () => {
    const changes = await schemaChanges(null, AFTER);
    assert.equal(changes.breaking.length + changes.dangerous.length, 0);
    const safe = changes.safe.map((c) => c.message);
    assert.ok(safe.includes("Type 'Call' was added"));
    assert.ok(safe.includes("Field 'notes' was added to object type 'Call'"));
    assert.ok(safe.includes("Enum value 'MISSED' was added to enum 'CallStatus'"));
    assert.ok(!safe.some((message) => /has description/.test(message)), safe.join('\n'));
  });

  it('prints each group with its count, and why a change is breaking or dangerous', async () => {
    const report = formatSchemaChanges(await schemaChanges(BEFORE, AFTER));
    assert.match(report, /^Breaking \(2\)\n {2}- Argument 'status: CallStatus!' added to field 'Query\.calls'\n/);
    assert.match(report, /\nDangerous \(1\)\n {2}- Enum value 'MISSED' was added to enum 'CallStatus'\n {6}Adding an enum value may break/);
    assert.match(report, /\nSafe \(3\)\n/);
    assert.match(report, /\n\n2 breaking, 1 dangerous, 3 safe$/);
  });

  describe('against git history', () => {
    const dirs: string[] = [];
    after(() => {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
    const diff = (cwd: string, ...args: string[]) => {
      const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8' });
      return { code: result.status, output: result.stdout + result.stderr };
    };
    const commitSchema = (repo: string, sdl: string, message: string) => {
      writeFileSync(join(repo, 'schema/api.graphql'), sdl);
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', message);
    };

    /** main: a README, then the schema BEFORE, then AFTER. */
    const repo = mkdtempSync(join(tmpdir(), 'salesgraph-schema-diff-'));
    dirs.push(repo);
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'schema'));
    writeFileSync(join(repo, 'README.md'), 'history\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'no schema yet');
    commitSchema(repo, BEFORE, 'calls');
    commitSchema(repo, AFTER, 'calls change');

    it('compares with the previous commit on main, informational unless --fail-on-breaking', () => {
      const { code, output } = diff(repo);
      assert.equal(code, 0, output);
      assert.match(output, /schema\/api\.graphql: HEAD~1, the previous commit \(\w+ calls\) → working tree/);
      assert.match(output, /2 breaking, 1 dangerous, 3 safe/);
      assert.equal(diff(repo, '--fail-on-breaking').code, 1);
      assert.equal(diff(repo, 'HEAD', '--fail-on-breaking').code, 0, 'no change from HEAD');
    });

    it('compares the working file, uncommitted changes included', () => {
      writeFileSync(join(repo, 'schema/api.graphql'), BEFORE);
      try {
        const { output } = diff(repo, 'HEAD');
        assert.match(output, /Breaking \(\d+\)\n[\s\S]*Field 'duration' was removed from object type 'Call'[\s\S]*\nDangerous/);
        assert.match(output, /Safe \(\d+\)\n[\s\S]*Field 'callerNumber' was added to object type 'Call'/);
      } finally {
        writeFileSync(join(repo, 'schema/api.graphql'), AFTER);
      }
    });

    it('says when the ref has no schema, and counts everything as added', () => {
      const { code, output } = diff(repo, 'HEAD~2');
      assert.equal(code, 0, output);
      assert.match(output, /schema\/api\.graphql does not exist at HEAD~2: everything in it counts as added/);
      assert.match(output, /0 breaking, 0 dangerous, \d+ safe/);
    });

    it('refuses a ref that is no commit', () => {
      const { code, output } = diff(repo, 'no-such-branch');
      assert.equal(code, 2);
      assert.match(output, /No commit "no-such-branch" in this repository\./);
      assert.equal(diff(repo, '--unknown-flag').code, 2);
    });

    it('on another branch, compares with where it left main', () => {
      const branch = mkdtempSync(join(tmpdir(), 'salesgraph-schema-diff-'));
      dirs.push(branch);
      git(repo, 'worktree', 'add', '-q', '-b', 'feature', branch, 'HEAD~1');
      commitSchema(branch, `${BEFORE}\nextend type Call { duration: Int }\n`, 'duration');
      commitSchema(branch, `${BEFORE}\nextend type Call { duration: Int, tags: [String!]! }\n`, 'tags');
      const { code, output } = diff(branch);
      assert.equal(code, 0, output);
      assert.match(output, /: \w+, where this branch left main \(\w+ calls\) → working tree/);
      assert.match(output, /0 breaking, 0 dangerous, 2 safe/);
    });

    it('in a shallow clone without the previous commit, says so instead of failing', () => {
      const clone = mkdtempSync(join(tmpdir(), 'salesgraph-schema-diff-'));
      dirs.push(clone);
      git(tmpdir(), 'clone', '-q', '--depth', '1', `file://${repo}`, clone);
      const { code, output } = diff(clone);
      assert.equal(code, 0, output);
      assert.match(output, /Not compared: HEAD~1 \(the previous commit\) is not in this clone\. This clone is shallow/);
      assert.equal(diff(clone, '--fail-on-breaking').code, 2, 'a gate that could not compare does not pass');
      assert.match(diff(clone, 'HEAD~1').output, /No commit "HEAD~1" in this repository\. This clone is shallow/);
    });
  });
});
