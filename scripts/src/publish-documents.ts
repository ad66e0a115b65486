import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Registers a front end's trusted documents with a gateway, from its CI:
 *
 *   TRUSTED_DOCUMENTS_TOKEN=… npm run documents:publish -- src/gql/persisted-documents.json \
 *     --client web --version "$GIT_SHA" --url https://api.example.com
 *
 * The manifest is graphql-codegen client preset's `persisted-documents.json`. Exits 0 when the version is
 * registered (now, or already with the same documents), 1 otherwise, saying why.
 */
const usage =
  'usage: npm run documents:publish -- <persisted-documents.json> --client <name> --version <version> [--url <gateway URL>]\n' +
  '       with TRUSTED_DOCUMENTS_TOKEN set to the gateway’s deployment token';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { client: { type: 'string' }, version: { type: 'string' }, url: { type: 'string', default: 'http://localhost:4000' } },
  });
  const token = process.env.TRUSTED_DOCUMENTS_TOKEN;
  const [file] = positionals;
  if (!file || !values.client || !values.version || positionals.length > 1) return fail(usage);
  if (!token) return fail(`TRUSTED_DOCUMENTS_TOKEN is not set\n${usage}`);

  let manifest: string;
  try {
    manifest = readFileSync(file, 'utf8');
    JSON.parse(manifest);
  } catch (error) {
    return fail(`${file} is not a readable JSON manifest: ${(error as Error).message}`);
  }
  const target = `${values.url.replace(/\/+$/, '')}/graphql/documents/${encodeURIComponent(values.client)}/${encodeURIComponent(values.version)}`;
  const response = await fetch(target, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: manifest,
  });
  const answer = (await response.json().catch(() => ({}))) as {
    detail?: string;
    documents?: number | { id: string; problem: string }[];
    digest?: string;
  };
  if (response.status === 201 || response.status === 200) {
    const what = response.status === 201 ? 'registered' : 'already registered with the same documents';
    const count = typeof answer.documents === 'number' ? answer.documents : '?';
    console.log(`${values.client} ${values.version}: ${what} (${count} documents, digest ${answer.digest})`);
    return 0;
  }
  const problems = Array.isArray(answer.documents) ? answer.documents.map((p) => `\n  ${p.id} ${p.problem}`).join('') : '';
  return fail(`${values.client} ${values.version}: ${response.status} ${answer.detail ?? response.statusText}${problems}`);
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

process.exitCode = await main().catch((error: unknown) => fail(`could not publish: ${(error as Error).message}`));
