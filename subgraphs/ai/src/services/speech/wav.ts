import wavefile from 'wavefile';

/** What a WAV file holds, read from its `fmt ` and `data` chunks. */
export interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Seconds of audio the data chunk really holds. */
  durationSeconds: number;
}

interface WaveChunks {
  fmt: { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
  data: { samples: Uint8Array };
}

/**
 * Decodes a WAV file's header and checks that it is audio a person could have said something in: PCM or float
 * samples, a real sample rate, and at least a few milliseconds of data. Null for anything else (whatever its
 * name or declared type says).
 */
export function readWav(bytes: Buffer): WavInfo | null {
  let wave: WaveChunks;
  try {
    wave = new wavefile.WaveFile(bytes) as unknown as WaveChunks;
  } catch {
    return null;
  }
  const { audioFormat, numChannels, sampleRate, bitsPerSample } = wave.fmt;
  const usable =
    (audioFormat === 1 || audioFormat === 3 || audioFormat === 0xfffe) &&
    numChannels >= 1 &&
    numChannels <= 8 &&
    sampleRate >= 4000 &&
    sampleRate <= 192_000 &&
    [8, 16, 24, 32].includes(bitsPerSample);
  if (!usable) return null;
  const frameBytes = numChannels * (bitsPerSample / 8);
  const durationSeconds = Math.floor(wave.data.samples.length / frameBytes) / sampleRate;
  if (durationSeconds < 0.01) return null;
  return { channels: numChannels, sampleRate, bitsPerSample, durationSeconds };
}

/**
 * espeak-ng writing to stdout cannot seek back to fill in its header's sizes and leaves placeholders; players
 * and parsers trust them, so they are set from the bytes that came.
 */
export function fixStreamedWavSizes(bytes: Buffer): Buffer {
  if (bytes.length < 44 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 36, 40) !== 'data') return bytes;
  bytes.writeUInt32LE(bytes.length - 8, 4);
  bytes.writeUInt32LE(bytes.length - 44, 40);
  return bytes;
}

/** Audio formats a speech-to-text provider takes, known by their first bytes rather than by a file name. */
const SIGNATURES: { type: string; extension: string; matches: (b: Buffer) => boolean }[] = [
  { type: 'audio/wav', extension: 'wav', matches: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE' },
  { type: 'audio/ogg', extension: 'ogg', matches: (b) => b.toString('latin1', 0, 4) === 'OggS' },
  { type: 'audio/flac', extension: 'flac', matches: (b) => b.toString('latin1', 0, 4) === 'fLaC' },
  { type: 'audio/webm', extension: 'webm', matches: (b) => b.readUInt32BE(0) === 0x1a45dfa3 },
  { type: 'audio/mp4', extension: 'm4a', matches: (b) => b.toString('latin1', 4, 8) === 'ftyp' },
  // An ID3 tag, or an MPEG audio frame sync (11 set bits).
  {
    type: 'audio/mpeg',
    extension: 'mp3',
    matches: (b) => b.toString('latin1', 0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0),
  },
];

/** The audio format of `bytes` by its signature, or null when it is not one a provider takes. */
export function audioFormatOf(bytes: Buffer): { type: string; extension: string } | null {
  if (bytes.length < 12) return null;
  const found = SIGNATURES.find((s) => s.matches(bytes));
  return found ? { type: found.type, extension: found.extension } : null;
}
