import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { buildSchema, isScalarType, isSpecifiedScalarType } from 'graphql';
import { generate, loadCodegenConfig, type CodegenConfig } from '@graphql-codegen/cli';

/**
 * The consumer codegen config (clients/codegen.ts) against the committed API schema: it generates a client with
 * the client preset, and the sample consumer (clients/sample/) passes `tsc --strict` with it. Each run is a
 * project of its own in a temporary folder (the sample's files, its tsconfig, node_modules linked), as a
 * front-end team's would be.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(repo, 'clients/sample');
const committedSchema = readFileSync(join(repo, 'schema/api.graphql'), 'utf8');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const loaded = await loadCodegenConfig({ configFilePath: join(repo, 'clients/codegen.ts') });
const outputs = Object.values(loaded.config.generates);
/** The config's one output (a folder, with the client preset), not a list of plugins. */
type ConfiguredOutput = Exclude<CodegenConfig['generates'][string], unknown[]>;
const output = outputs[0] as ConfiguredOutput;
assert.ok(outputs.length === 1 && !Array.isArray(output) && output.preset === 'client', 'clients/codegen.ts has one client-preset output');
const scalarMap = output.config?.scalars as Record<string, string | { input: string; output: string }>;

const projects: string[] = [];
after(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

interface Consumer {
  dir: string;
  /** Generates the client into `gql/` with the consumer config, its scalar map changed by `scalars`. */
  generate(scalars?: Record<string, unknown>): Promise<void>;
  /** `tsc -p` on the project: its exit code and diagnostics. */
  typeCheck(): Promise<{ code: number; diagnostics: string }>;
}

function consumer(schema = committedSchema, extraFiles: Record<string, string> = {}): Consumer {
  const dir = mkdtempSync(join(tmpdir(), 'salesgraph-client-'));
  projects.push(dir);
  for (const file of readdirSync(sample)) {
    if (file.endsWith('.ts') || file === 'tsconfig.json') copyFileSync(join(sample, file), join(dir, file));
  }
  for (const [file, text] of Object.entries(extraFiles)) writeFileSync(join(dir, file), text);
  writeFileSync(join(dir, 'api.graphql'), schema);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return {
    dir,
    async generate(scalars = {}) {
      await generate(
        {
          cwd: dir,
          schema: join(dir, 'api.graphql'),
          documents: [join(dir, '*.ts')],
          silent: true,
          generates: { [join(dir, 'gql/')]: { ...output, config: { ...output.config, scalars: { ...scalarMap, ...scalars } } } },
        },
        true,
      );
    },
    typeCheck: () => typeCheck(dir),
  };
}

/** `tsc -p` on a folder with a tsconfig.json: its exit code and diagnostics. */
function typeCheck(dir: string): Promise<{ code: number; diagnostics: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, diagnostics: stdout }),
    );
  });
}

describe('typed client for consumers (clients/codegen.ts)', () => {
  it('maps every custom scalar of schema/api.graphql, and only those, to a type', () => {
    const customScalars = Object.values(buildSchema(committedSchema).getTypeMap())
      .filter((type) => isScalarType(type) && !isSpecifiedScalarType(type))
      .map((type) => type.name)
      .sort();
    const mapped = Object.keys(scalarMap)
      .filter((name) => !['ID', 'String', 'Int', 'Float', 'Boolean'].includes(name))
      .sort();
    assert.deepEqual(mapped, customScalars, 'config.scalars in clients/codegen.ts lists each custom scalar of the schema');
    for (const [name, type] of Object.entries(scalarMap)) {
      const sides = typeof type === 'string' ? [type] : [type.input, type.output];
      for (const side of sides) assert.doesNotMatch(side, /^(any|unknown)$/, `${name} is typed, not ${side}`);
    }
    assert.equal(output.config?.strictScalars, true, 'a scalar without a mapping fails generation');
  });

  it('is itself well typed (the CodegenConfig a team copies)', { timeout: 60_000 }, async () => {
    const { code, diagnostics } = await typeCheck(join(repo, 'clients'));
    assert.equal(diagnostics, '');
    assert.equal(code, 0);
  });

  it(
    'generates a client from the committed schema that the sample consumer type-checks with (tsc --strict)',
    { timeout: 60_000 },
    async () => {
      const project = consumer();
      await project.generate();
      const { code, diagnostics } = await project.typeCheck();
      assert.equal(diagnostics, '');
      assert.equal(code, 0);

      const types = readFileSync(join(project.dir, 'gql/graphql.ts'), 'utf8');
      assert.match(types, /startedAt: string, endedAt: string \| null/, 'DateTimeISO is a string');
      assert.match(types, /file: File \| Blob;/, 'Upload is a file');
      // The manifest a server allowing only known operations reads: each operation under `sha256:<its SHA-256>`.
      const manifest = JSON.parse(readFileSync(join(project.dir, 'gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
      assert.deepEqual(
        Object.values(manifest)
          .map((document) => /^(?:query|mutation|subscription) (\w+)/.exec(document)?.[1])
          .sort(),
        ['ChatCompletionStream', 'ImportLeads', 'IncomingCall', 'RecentCalls', 'UpdateCallNotes'],
      );
      for (const [hash, document] of Object.entries(manifest))
        assert.equal(hash, `sha256:${createHash('sha256').update(document).digest('hex')}`);
    },
  );

  it('fails generation when the schema loses a field the sample selects', { timeout: 60_000 }, async () => {
    const withoutCaller = committedSchema.replace(/^type Call \{([\s\S]*?)^ {2}callerNumber: String!\n/m, 'type Call {$1');
    assert.notEqual(withoutCaller, committedSchema);
    await assert.rejects(consumer(withoutCaller).generate(), /Cannot query field "callerNumber" on type "Call"/);
  });

  it('fails the type check when a field the sample reads becomes nullable', { timeout: 60_000 }, async () => {
    const nullableStart = committedSchema.replace(/^( {2}startedAt: DateTimeISO)!$/m, '$1');
    assert.notEqual(nullableStart, committedSchema);
    const project = consumer(nullableStart);
    await project.generate();
    const { code, diagnostics } = await project.typeCheck();
    assert.notEqual(code, 0);
    assert.match(diagnostics, /call-center\.ts\(\d+,\d+\): error TS2322: Type 'string \| null' is not assignable to type 'string'/);
  });

  it('fails the type check when DateTimeISO is typed unknown or any', { timeout: 60_000 }, async () => {
    for (const [type, expected] of [
      ['unknown', /call-center\.ts\(\d+,\d+\): error TS2322: Type 'unknown' is not assignable to type 'string'/],
      ['any', /type-checks\.ts\(\d+,\d+\): error TS2578: Unused '@ts-expect-error' directive/],
    ] as const) {
      const project = consumer();
      await project.generate({ DateTimeISO: type });
      const { code, diagnostics } = await project.typeCheck();
      assert.notEqual(code, 0, `DateTimeISO as ${type}`);
      assert.match(diagnostics, expected);
    }
  });

  it('fails generation on a custom scalar the config does not map', { timeout: 60_000 }, async () => {
    const withMoney = `${committedSchema}\nscalar Money\n\nextend type Call {\n  price: Money\n}\n`;
    await assert.rejects(consumer(withMoney).generate(), /Unknown scalar type Money/);
  });
});
