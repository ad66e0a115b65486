import { spawn } from 'node:child_process';
import { serviceUnavailable } from '@salesgraph/platform';
import { fixStreamedWavSizes, readWav } from './wav.js';

/** A voice espeak-ng has: its language code, its name, its file. */
export interface EspeakVoice {
  /** What `-v` takes: `ru`, `en-us`, `en-gb-scotland`. */
  id: string;
  name: string;
  language: string;
}

export interface EspeakRequest {
  text: string;
  /** A voice id, optionally with a variant: `ru`, `ru+f3`. */
  voice: string;
  /** Words per minute, 80–450. */
  rate: number;
  /** 0–99. */
  pitch: number;
}

/** The longest a synthesis may run; a few kilobytes of text take tens of milliseconds. */
const RUN_TIMEOUT_MS = 20_000;
/** How long what the program reported about itself is trusted. */
const PROBE_TTL_MS = 60_000;

/**
 * espeak-ng, the offline speech engine: run as a program per request (about 10 ms a sentence), WAV on its
 * standard output, text on its standard input so no text ever reaches a command line.
 */
export class Espeak {
  private probed?: { at: number; voices: EspeakVoice[] | null; variants: Set<string> };

  constructor(private readonly program: string) {}

  /** Whether the program runs here. */
  async available(): Promise<boolean> {
    return (await this.probe()).voices !== null;
  }

  /** The voices it really has (`espeak-ng --voices`), or none when it is not installed. */
  async voices(): Promise<EspeakVoice[]> {
    return (await this.probe()).voices ?? [];
  }

  /** Whether `-v voice` names a voice it has, with a variant it has if one is given (`ru+f3`). */
  async knows(voice: string): Promise<boolean> {
    const [base, variant, ...rest] = voice.split('+');
    const probed = await this.probe();
    if (rest.length || !probed.voices?.some((v) => v.id === base)) return false;
    return variant === undefined || probed.variants.has(variant);
  }

  async synthesize(request: EspeakRequest): Promise<Buffer> {
    if (!(await this.available())) throw serviceUnavailable(`The offline speech engine (${this.program}) is not installed`);
    const args = ['-v', request.voice, '-s', String(request.rate), '-p', String(request.pitch), '-b', '1', '--stdin', '--stdout'];
    const { code, stdout, stderr } = await run(this.program, args, request.text);
    const wav = fixStreamedWavSizes(stdout);
    if (code !== 0 || !readWav(wav)) {
      throw serviceUnavailable(`The offline speech engine failed${stderr ? `: ${stderr.trim().slice(0, 200)}` : ''}`);
    }
    return wav;
  }

  private async probe() {
    if (this.probed && Date.now() - this.probed.at < PROBE_TTL_MS) return this.probed;
    const listed = await Promise.all([run(this.program, ['--voices']), run(this.program, ['--voices=variant'])]).catch(() => null);
    const works = listed !== null && listed[0].code === 0;
    this.probed = {
      at: Date.now(),
      voices: works ? parseVoices(listed[0].stdout.toString('utf8')) : null,
      // A variant is named by its file under !v/ (`f3`, `m1`, `Alicia`): `-v ru+f3`.
      variants: new Set(works ? [...listed[1].stdout.toString('utf8').matchAll(/!v\/(\S+)/g)].map((m) => m[1]) : []),
    };
    return this.probed;
  }
}

/** `espeak-ng --voices` output: a header, then `Pty Language Age/Gender VoiceName File Other…`. */
function parseVoices(listing: string): EspeakVoice[] {
  return listing
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 5 && !cols[4].startsWith('mb/'))
    .map((cols) => ({ id: cols[1], language: cols[1], name: cols[3].replaceAll('_', ' ') }));
}

function run(program: string, args: string[], input?: string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: RUN_TIMEOUT_MS });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
