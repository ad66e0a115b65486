/**
 * graphql-codegen for front ends: a typed client of the public API (`schema/api.graphql`) with the client preset.
 * Copy this file into your app and change `schema`, `documents` and the output folder; keep `scalars` as it is.
 * Here it types the sample consumer in `clients/sample/` (`npx graphql-codegen --config clients/codegen.ts`
 * writes `clients/sample/gql/`); `test/src/client-codegen.test.ts` type-checks that sample with it, so a schema
 * change that breaks consumers fails the build.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * What each custom scalar of `schema/api.graphql` is on the wire (JSON), as the variables you send (`input`) and
 * the data you get (`output`). With `strictScalars` a scalar missing here fails generation instead of being
 * typed `unknown`.
 */
export const scalars = {
  // Output ids are always strings; an ID argument also accepts an integer.
  ID: { input: 'string | number', output: 'string' },
  // ISO 8601 at UTC ("2007-12-03T10:15:30.000Z"). A Date variable is sent as its toISOString() by JSON.stringify.
  DateTimeISO: { input: 'string | Date', output: 'string' },
  // "YYYY-MM-DD", no time zone.
  LocalDate: 'string',
  // Input only: a file of a multipart request (graphql-multipart-request-spec); never in data.
  Upload: { input: 'File | Blob', output: 'never' },
  // Output only: one event of a streamed chat completion (`chatCompletionStream`, `chatMessageStream`).
  ChatStreamEvent: {
    input: 'never',
    output:
      '{ delta: string } | { done: true; id: string; model: string; provider: string; promptTokens: number; completionTokens: number; cost: number }',
  },
} as const;

const config: CodegenConfig = {
  schema: 'schema/api.graphql',
  documents: ['clients/sample/**/*.ts', '!clients/sample/gql/**'],
  generates: {
    'clients/sample/gql/': {
      preset: 'client',
      presetConfig: {
        // Components receive fragment data only through `useFragment(…)`; set `false` for plain objects.
        fragmentMasking: true,
        // Writes persisted-documents.json ({ "<sha256>": "<operation>" }) and a hash in each document, for a
        // server that accepts only known operations. The full text is still sent unless
        // `mode: 'replaceDocumentWithHash'`.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        scalars,
        strictScalars: true,
        // Enums as unions of string literals ('INCOMING' | 'ACCEPTED' | …): no run-time code, JSON values as they come.
        enumType: 'string-literal',
        useTypeImports: true,
      },
    },
  },
};

export default config;
