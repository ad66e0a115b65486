import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioCache, Espeak, audioFormatOf, readWav } from '@salesgraph/ai';
import { toneWav } from './support/openai.js';

describe('speech: the audio cache, the offline engine, audio checks', () => {
  it('keeps audio within its byte bound, dropping the least recently used first', () => {
    const cache = new AudioCache(250);
    const audio = (n: number) => Buffer.alloc(100, n);
    cache.set('a', audio(1));
    cache.set('b', audio(2));
    assert.ok(cache.get('a'), 'a is now the most recently used');
    cache.set('c', audio(3));
    assert.equal(cache.size, 200);
    assert.equal(cache.get('b'), undefined, 'b went first');
    assert.ok(cache.get('a') && cache.get('c'));
    cache.set('huge', Buffer.alloc(300));
    assert.equal(cache.get('huge'), undefined, 'larger than the whole bound: not kept');
    assert.equal(new AudioCache(0).size, 0);
    const off = new AudioCache(0);
    off.set('a', audio(1));
    assert.equal(off.get('a'), undefined, '0 keeps nothing');
    assert.notEqual(AudioCache.keyOf({ voice: 'ru', text: 'a' }), AudioCache.keyOf({ voice: 'ru+f3', text: 'a' }));
  });

  it('says the offline engine is missing, clearly, when its program is not installed', async () => {
    const missing = new Espeak('espeak-ng-that-is-not-installed');
    assert.equal(await missing.available(), false);
    assert.deepEqual(await missing.voices(), []);
    await assert.rejects(missing.synthesize({ text: 'Привет', voice: 'ru', rate: 175, pitch: 50 }), (error: Error & { code?: string }) => {
      assert.match(error.message, /espeak-ng-that-is-not-installed\) is not installed/);
      return true;
    });
  });

  it('knows espeak-ng’s voices and variants, and nothing else', async () => {
    const espeak = new Espeak('espeak-ng');
    assert.equal(await espeak.knows('ru'), true);
    assert.equal(await espeak.knows('ru+f3'), true);
    assert.equal(await espeak.knows('en-us+m2'), true);
    assert.equal(await espeak.knows('ru+f3+m1'), false);
    assert.equal(await espeak.knows('zz'), false);
    assert.equal(await espeak.knows('ru+zz9'), false);
  });

  it('tells audio by its bytes, and decodes WAV headers', () => {
    assert.equal(audioFormatOf(toneWav(0.5))?.type, 'audio/wav');
    assert.equal(audioFormatOf(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(20)]))?.type, 'audio/ogg');
    assert.equal(audioFormatOf(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(20)]))?.type, 'audio/mpeg');
    assert.equal(audioFormatOf(Buffer.from('%PDF-1.7 not audio at all')), null);
    assert.equal(audioFormatOf(Buffer.from('RIFF')), null, 'too short to tell');
    const info = readWav(toneWav(0.5));
    assert.deepEqual(info, { channels: 1, sampleRate: 16000, bitsPerSample: 16, durationSeconds: 0.5 });
    assert.equal(readWav(toneWav(0.5).subarray(0, 44)), null, 'a header without audio');
    assert.equal(readWav(Buffer.from('RIFF....WAVEfmt garbage')), null);
  });
});
