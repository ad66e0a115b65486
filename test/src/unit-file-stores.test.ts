import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  FileStoreError,
  InvalidFileKeyError,
  LocalFileStore,
  S3FileStore,
  fileStoreFrom,
  type FileStore,
} from '@salesgraph/support/storage';
import { TestS3Server } from './support/s3.js';

const MEGABYTE = randomBytes(1024 * 1024);
const TEXT = Buffer.from('Привет, support! ✓\n');

/** put → get → delete → get of both payloads under nested keys, and an overwrite. */
async function roundTrip(store: FileStore): Promise<void> {
  await store.put('org-1/attachment-1', MEGABYTE, 'application/octet-stream');
  await store.put('org-1/notes.txt', TEXT, 'text/plain');
  assert.ok(MEGABYTE.equals((await store.get('org-1/attachment-1'))!), '1 MB back exactly');
  assert.ok(TEXT.equals((await store.get('org-1/notes.txt'))!), 'text back exactly');
  await store.put('org-1/notes.txt', Buffer.from('replaced'), 'text/plain');
  assert.equal((await store.get('org-1/notes.txt'))?.toString(), 'replaced');
  await store.put('org-1/empty', Buffer.alloc(0), 'text/plain');
  assert.equal((await store.get('org-1/empty'))?.length, 0, 'an empty file is not a missing one');
  assert.equal(await store.get('org-1/never-written'), null);
  assert.equal(await store.get('org-2/never-written'), null);
  await store.delete('org-1/attachment-1');
  assert.equal(await store.get('org-1/attachment-1'), null);
  await store.delete('org-1/attachment-1');
  await store.delete('org-9/never-written');
  assert.equal((await store.get('org-1/notes.txt'))?.toString(), 'replaced', 'deleting one key leaves the others');
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (error: unknown) => {
      assert.ok(error instanceof Error, String(error));
      return error;
    },
  );
}

describe('LocalFileStore', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'salesgraph-files-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('round-trips bytes exactly under nested keys, as files under its root, without leftovers', async () => {
    const root = join(folder(), 'not-yet-there');
    const store = new LocalFileStore(root);
    assert.equal(store.kind, 'local');
    await roundTrip(store);
    assert.equal(readFileSync(join(root, 'org-1', 'notes.txt'), 'utf8'), 'replaced');
    assert.deepEqual(readdirSync(join(root, 'org-1')).sort(), ['empty', 'notes.txt'], 'no temporary files left');
  });

  it('writes atomically: concurrent writers of one key leave one whole content', async () => {
    const root = folder();
    const store = new LocalFileStore(root);
    const contents = Array.from({ length: 8 }, (_, i) => Buffer.alloc(256 * 1024, i + 1));
    await Promise.all(contents.map((content) => store.put('org/same', content, 'application/octet-stream')));
    const stored = (await store.get('org/same'))!;
    assert.ok(
      contents.some((content) => content.equals(stored)),
      'the file is one writer’s bytes',
    );
    assert.deepEqual(readdirSync(join(root, 'org')), ['same']);
  });

  it('refuses keys that could leave its root or name odd files, and writes nothing for them', async () => {
    const parent = folder();
    const root = join(parent, 'root');
    mkdirSync(root);
    writeFileSync(join(parent, 'outside'), 'keep');
    const store = new LocalFileStore(root);
    const bad = [
      '',
      '../outside',
      'org/../../outside',
      '..',
      'org/..',
      './org',
      '/etc/passwd',
      'org//x',
      'org/',
      'org\\..\\outside',
      'C:/x',
      'org/.hidden',
      'org/x y',
      'org/naïve',
      'org/x\0',
      'x'.repeat(1025),
    ];
    for (const key of bad) {
      for (const attempt of [() => store.put(key, TEXT, 'text/plain'), () => store.get(key), () => store.delete(key)]) {
        const error = await rejection(attempt());
        assert.ok(error instanceof InvalidFileKeyError, `${JSON.stringify(key)}: ${error.message}`);
      }
    }
    assert.equal(readFileSync(join(parent, 'outside'), 'utf8'), 'keep');
    assert.deepEqual(readdirSync(root), [], 'nothing written');
    // Dots inside a name are fine.
    await store.put('org-1/report.v2.final.pdf', TEXT, 'application/pdf');
    assert.ok(existsSync(join(root, 'org-1', 'report.v2.final.pdf')));
  });

  it('takes a folder at a key as no file, and a file where a folder should be as a missing key', async () => {
    const store = new LocalFileStore(folder());
    await store.put('org/a', TEXT, 'text/plain');
    assert.equal(await store.get('org'), null);
    assert.equal(await store.get('org/a/b'), null);
    await store.delete('org/a/b');
    await assert.rejects(store.put('org/a/b', TEXT, 'text/plain'), /ENOTDIR|EEXIST/, 'a write that cannot happen fails');
  });
});

describe('S3FileStore against the S3 stand-in', () => {
  const s3 = new TestS3Server();
  const stores: S3FileStore[] = [];
  const storeWith = (changes: Partial<TestS3Server['settings']> = {}) => {
    const store = new S3FileStore({ ...s3.settings, ...changes });
    stores.push(store);
    return store;
  };
  before(() => s3.start());
  after(async () => {
    stores.forEach((store) => store.destroy());
    await s3.close();
  });

  it('round-trips bytes exactly and keeps the content type', async () => {
    const store = storeWith();
    assert.equal(store.kind, 's3');
    await roundTrip(store);
    assert.deepEqual(s3.objects.get('org-1/notes.txt'), { body: Buffer.from('replaced'), contentType: 'text/plain' });
    assert.deepEqual([...s3.objects.keys()].sort(), ['org-1/empty', 'org-1/notes.txt']);
    await store.put('org-1/photo.png', MEGABYTE, 'image/png');
    assert.equal(s3.objects.get('org-1/photo.png')?.contentType, 'image/png');
    assert.ok(s3.objects.get('org-1/photo.png')?.body.equals(MEGABYTE));
    // Larger bodies go with `Expect: 100-continue`.
    const large = randomBytes(3 * 1024 * 1024);
    await store.put('org-1/large.zip', large, 'application/zip');
    assert.equal(s3.requests.at(-1)?.headers.expect, '100-continue');
    assert.ok((await store.get('org-1/large.zip'))?.equals(large));
    assert.ok(
      s3.requests.every((request) => request.status < 300 || (request.method === 'GET' && request.status === 404)),
      'every request was signed right',
    );
  });

  it('fails with the error S3 answered, never with the secret, for bad credentials, a missing bucket or an outage', async () => {
    const secret = 'wrong/Secret+Key-do-not-print-1234567890';
    const cases: [S3FileStore, string, number][] = [
      [storeWith({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: secret }), 'AccessDenied', 403],
      [storeWith({ secretAccessKey: secret }), 'SignatureDoesNotMatch', 403],
      [storeWith({ bucket: 'other-bucket' }), 'NoSuchBucket', 404],
    ];
    for (const [store, code, status] of cases) {
      for (const attempt of [() => store.put('org/x', TEXT, 'text/plain'), () => store.get('org/x'), () => store.delete('org/x')]) {
        const error = await rejection(attempt());
        assert.ok(error instanceof FileStoreError, `${code}: ${String(error)}`);
        assert.deepEqual([error.code, error.status], [code, status], error.message);
        assert.match(error.message, new RegExp(`^S3 (PutObject|GetObject|DeleteObject) of "org/x" in bucket ".*" failed: ${code}`));
        for (const hidden of [secret, s3.secretAccessKey])
          assert.ok(!error.message.includes(hidden), `the message shows a secret: ${error.message}`);
        assert.ok(!JSON.stringify(error).includes(secret));
      }
    }
    s3.failWith = { status: 403, code: 'AccountProblem', message: 'The account is suspended' };
    try {
      const error = await rejection(storeWith().get('org-1/notes.txt'));
      assert.match(error.message, /failed: AccountProblem \(HTTP 403\): The account is suspended/);
    } finally {
      s3.failWith = undefined;
    }
    const unreachable = storeWith({ endpoint: 'http://127.0.0.1:1' });
    const error = await rejection(unreachable.put('org/x', TEXT, 'text/plain'));
    assert.ok(error instanceof FileStoreError && !error.message.includes(s3.secretAccessKey), error.message);
  });

  it('understands what the SDK sends with its default checksums: a CRC32 header, and aws-chunked bodies with a trailer', async () => {
    const client = new S3Client({
      endpoint: s3.url,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    try {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'raw/buffer', Body: MEGABYTE, ContentType: 'image/webp' }));
      const plain = s3.requests.at(-1)!;
      assert.ok(plain.headers['x-amz-checksum-crc32'], 'the SDK sent a CRC32 header');
      assert.ok(s3.objects.get('raw/buffer')?.body.equals(MEGABYTE));
      const streamed = Buffer.concat([MEGABYTE.subarray(0, 70_000), TEXT]);
      await client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: 'raw/stream',
          Body: Readable.from([streamed.subarray(0, 65_536), streamed.subarray(65_536)]),
          ContentLength: streamed.length,
          ContentType: 'text/plain',
        }),
      );
      const chunked = s3.requests.at(-1)!;
      assert.deepEqual(
        [chunked.status, chunked.headers['content-encoding'], chunked.headers['x-amz-trailer']],
        [200, 'aws-chunked', 'x-amz-checksum-crc32'],
      );
      assert.ok(s3.objects.get('raw/stream')?.body.equals(streamed), 'the chunks decoded to the bytes sent');
      const answer = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: 'raw/stream' }));
      assert.ok(Buffer.from(await answer.Body!.transformToByteArray()).equals(streamed));
      assert.equal(answer.ContentType, 'text/plain');
      // A body that does not match its checksum is refused, as S3 would.
      const error = await rejection(
        client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'raw/bad', Body: TEXT, ChecksumCRC32: 'AAAAAA==' })),
      );
      assert.equal(error.name, 'BadDigest');
      assert.equal(s3.objects.has('raw/bad'), false);
    } finally {
      client.destroy();
    }
  });
});

describe('fileStoreFrom', () => {
  it('is the S3 store when a bucket is configured, else the folder', () => {
    const local = fileStoreFrom({ dir: join(tmpdir(), 'salesgraph-never-written') });
    assert.ok(local instanceof LocalFileStore && local.kind === 'local');
    assert.equal(local.root, join(tmpdir(), 'salesgraph-never-written'));
    const s3 = fileStoreFrom({
      dir: '/unused',
      s3: { region: 'us-east-1', bucket: 'attachments', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
    assert.ok(s3 instanceof S3FileStore && s3.kind === 's3');
    s3.destroy();
  });
});
