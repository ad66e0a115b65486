import type { EntityManager } from '@mikro-orm/core';
import {
  badInput,
  serviceUnavailable,
  unsupportedMediaType,
  type LlmSettings,
  type SignedIn,
  type UploadedFile,
} from '@salesgraph/platform';
import { estimateTokens } from '../offline/index.js';
import type { Served } from '../meter.js';
import { OpenAiBackend } from '../providers/index.js';
import type { Runner } from '../runner.js';
import { AiOperation } from '../../types/enums.js';
import { AudioCache } from './audio-cache.js';
import type { Espeak } from './espeak.js';
import { BUILT_IN_PRESETS, DEFAULT_VOICE, ESPEAK_PREFIX, type TtsPresetService, type VoiceSpec } from './presets.js';
import { audioFormatOf, readWav } from './wav.js';

export { Espeak } from './espeak.js';
export { TtsPresetService } from './presets.js';
export { AudioCache } from './audio-cache.js';
export { readWav, audioFormatOf, fixStreamedWavSizes } from './wav.js';

/** What a model name asks of synthesis: these mean the offline engine; anything else a provider's model. */
const OFFLINE_MODELS = new Set(['espeak', 'espeak-ng', 'local', 'local-offline']);
/** How long a provider that answered "no /audio/speech" is not asked again. */
const NO_SPEECH_TTL_MS = 10 * 60_000;
/** How long what a health check found is reported without asking again. */
const HEALTH_TTL_MS = 30_000;

export interface Speech {
  audio: Buffer;
  engine: string;
  voice: string;
  durationSeconds: number;
  cached: boolean;
}

export interface VoiceView {
  voice: string;
  name: string;
  engine: string;
  language: string | null;
  builtIn: boolean;
  presetId: string | null;
}

/**
 * Text to speech and speech to text (seed 004). Synthesis goes to the caller's provider when it offers OpenAI's
 * `/audio/speech` (own, organization's, configured: the order chat uses), else to espeak-ng offline; its WAV is
 * kept in a per-process cache by engine, voice and text. Transcription needs a provider: there is no offline
 * engine for Russian, and none is pretended. Provider calls are checked against budgets and recorded in usage.
 */
export class SpeechService {
  private readonly cache: AudioCache;
  private readonly noSpeech = new Map<string, number>();
  private providerHealth?: { at: number; answers: boolean };

  constructor(
    private readonly runner: Runner,
    readonly espeak: Espeak,
    readonly presets: TtsPresetService,
    private readonly llm: LlmSettings,
  ) {
    this.cache = new AudioCache(llm.ttsCacheBytes);
  }

  /** The presets the caller may speak with (theirs, the organization's, the built-in ones), then every espeak-ng voice. */
  async voices(em: EntityManager, caller: SignedIn): Promise<VoiceView[]> {
    const rows = await this.presets.list(em, caller);
    const saved = new Set(rows.map((r) => r.slug));
    return [
      ...BUILT_IN_PRESETS.filter((p) => !saved.has(p.id)).map((p) => ({
        voice: p.id,
        name: p.name,
        engine: 'preset',
        language: null,
        builtIn: true,
        presetId: null,
      })),
      ...rows.map((r) => ({ voice: r.slug, name: r.name, engine: 'preset', language: null, builtIn: false, presetId: r.id })),
      ...(await this.espeak.voices()).map((v) => ({
        voice: `${ESPEAK_PREFIX}${v.id}`,
        name: v.name,
        engine: 'espeak-ng',
        language: v.language,
        builtIn: false,
        presetId: null,
      })),
    ];
  }

  async synthesize(
    em: EntityManager,
    caller: SignedIn,
    request: { text: string; voice?: string; model?: string; speed?: number },
    served: Omit<Served, 'operation'> = {},
  ): Promise<Speech> {
    const text = request.text.trim();
    if (!text) throw badInput('text must not be blank');
    const voice = await this.presets.resolve(em, caller, request.voice ?? DEFAULT_VOICE);
    const speed = request.speed ?? 1;
    const offlineOnly = request.model !== undefined && OFFLINE_MODELS.has(request.model);
    const provider = offlineOnly || !voice.providerVoice ? undefined : await this.speakingProvider(em, caller);
    if (provider) {
      const model = request.model ?? this.llm.ttsModel;
      const key = AudioCache.keyOf({
        engine: provider.name,
        provider: provider.providerId,
        model,
        voice: voice.providerVoice,
        speed,
        text,
      });
      const hit = this.cache.get(key);
      if (hit) return this.speech(hit, provider.name, voice, true);
      const { result: audio } = await this.runner.metered(
        em,
        caller,
        { ...served, operation: AiOperation.SPEECH },
        { backend: provider, model },
        (spoken) => (spoken ? { promptTokens: estimateTokens(text), completionTokens: 0 } : null),
        () => provider.speech({ model, voice: voice.providerVoice!, input: text, speed }),
      );
      if (audio) {
        if (!readWav(audio)) throw serviceUnavailable(`The AI provider "${provider.name}" answered speech that is not WAV audio`);
        this.cache.set(key, audio);
        return this.speech(audio, provider.name, voice, false);
      }
      this.noSpeech.set(this.backendKey(provider), Date.now() + NO_SPEECH_TTL_MS);
    }
    if (!(await this.espeak.available())) {
      throw serviceUnavailable(
        'No speech engine is available: install espeak-ng (ESPEAK_NG) or configure a provider that offers /audio/speech (OPENAI_BASE_URL, or an LLM provider of yours)',
      );
    }
    const rate = Math.min(450, Math.max(80, Math.round(voice.rate * speed)));
    const key = AudioCache.keyOf({ engine: 'espeak-ng', voice: voice.espeakVoice, rate, pitch: voice.pitch, text });
    const hit = this.cache.get(key);
    if (hit) return this.speech(hit, 'espeak-ng', voice, true);
    const started = performance.now();
    const audio = await this.espeak.synthesize({ text, voice: voice.espeakVoice, rate, pitch: voice.pitch });
    await this.runner.recordOffline(
      em,
      caller,
      { ...served, operation: AiOperation.SPEECH },
      { promptTokens: estimateTokens(text), completionTokens: 0, latencyMs: performance.now() - started },
      'espeak-ng',
    );
    this.cache.set(key, audio);
    return this.speech(audio, 'espeak-ng', voice, false);
  }

  /**
   * The text of an audio file, through the caller's provider (`/audio/transcriptions`). The file is checked by its
   * bytes: a WAV must decode to audio; other formats a provider takes (MP3, OGG, FLAC, WebM, M4A) by signature.
   */
  async transcribe(
    em: EntityManager,
    caller: SignedIn,
    file: UploadedFile,
    options: { model?: string; language?: string } = {},
    served: Omit<Served, 'operation'> = {},
  ): Promise<{ text: string; provider: string; model: string; durationSeconds: number | null }> {
    const format = audioFormatOf(file.content);
    if (!format) {
      throw unsupportedMediaType(`"${file.filename}" is not audio in a format speech-to-text takes (WAV, MP3, OGG, FLAC, WebM or M4A)`);
    }
    const wav = format.type === 'audio/wav' ? readWav(file.content) : null;
    if (format.type === 'audio/wav' && !wav) throw badInput(`"${file.filename}" is not a readable WAV file (or holds no audio)`);
    const provider = (await this.runner.providers.backends(em, caller)).find((b): b is OpenAiBackend => b instanceof OpenAiBackend);
    if (!provider) {
      throw serviceUnavailable(
        'Speech-to-text needs an OpenAI-compatible provider with /audio/transcriptions: set OPENAI_BASE_URL (and OPENAI_STT_MODEL), or add an LLM provider. No offline engine here recognises Russian',
      );
    }
    const model = options.model ?? this.llm.sttModel;
    const { result: text } = await this.runner.metered(
      em,
      caller,
      { ...served, operation: AiOperation.TRANSCRIPTION },
      { backend: provider, model },
      (heard) => ({ promptTokens: 0, completionTokens: estimateTokens(heard) }),
      () =>
        provider.transcribe({
          model,
          audio: file.content,
          filename: `audio.${format.extension}`,
          contentType: format.type,
          language: options.language,
        }),
    );
    return {
      text: text.trim(),
      provider: provider.name,
      model,
      durationSeconds: wav ? Math.round(wav.durationSeconds * 1000) / 1000 : null,
    };
  }

  /** Whether synthesis, transcription and chat work now, from real checks (seed 004 `/health`). */
  async health(): Promise<{ tts: string; stt: string; llm: string }> {
    const configured = this.runner.providers.configured;
    if (configured && (!this.providerHealth || Date.now() - this.providerHealth.at > HEALTH_TTL_MS)) {
      this.providerHealth = {
        at: Date.now(),
        answers: await configured.verify().then(
          () => true,
          () => false,
        ),
      };
    }
    const answers = this.providerHealth?.answers ?? false;
    const state = (ok: boolean) => (ok ? 'running' : 'unavailable');
    return {
      tts: state((await this.espeak.available()) || answers),
      stt: state(answers),
      // Without a configured API the offline provider answers, in this process.
      llm: state(configured ? answers : true),
    };
  }

  /** The first OpenAI-compatible backend of the caller not known to lack `/audio/speech`. */
  private async speakingProvider(em: EntityManager, caller: SignedIn): Promise<OpenAiBackend | undefined> {
    const now = Date.now();
    return (await this.runner.providers.backends(em, caller)).find(
      (b): b is OpenAiBackend => b instanceof OpenAiBackend && (this.noSpeech.get(this.backendKey(b)) ?? 0) < now,
    );
  }

  private backendKey(backend: OpenAiBackend): string {
    return `${backend.providerId ?? 'configured'}:${backend.name}`;
  }

  private speech(audio: Buffer, engine: string, voice: VoiceSpec, cached: boolean): Speech {
    const info = readWav(audio);
    return { audio, engine, voice: voice.id, durationSeconds: info ? Math.round(info.durationSeconds * 1000) / 1000 : 0, cached };
  }
}
