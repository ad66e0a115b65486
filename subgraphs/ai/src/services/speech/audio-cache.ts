import { createHash } from 'node:crypto';

/**
 * Synthesised audio by what decides it (engine, voice settings, text), least recently used first out once the
 * bytes held pass `maxBytes`: a secretary says the same greetings all day. Per process; 0 bytes keeps nothing.
 */
export class AudioCache {
  private readonly entries = new Map<string, Buffer>();
  private held = 0;

  constructor(private readonly maxBytes: number) {}

  static keyOf(parts: Record<string, string | number | null | undefined>): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  get(key: string): Buffer | undefined {
    const audio = this.entries.get(key);
    if (audio) {
      // Map order is insertion order: moving it to the end marks it as just used.
      this.entries.delete(key);
      this.entries.set(key, audio);
    }
    return audio;
  }

  set(key: string, audio: Buffer): void {
    if (audio.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.held -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, audio);
    this.held += audio.length;
    for (const [oldest, bytes] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= bytes.length;
    }
  }

  /** Bytes held now. */
  get size(): number {
    return this.held;
  }
}
